; Inno Setup 6 script: builds dist\yibiaotong-setup-<version>.exe from the PyInstaller bundle
; dist\yibiaotong\ (made by installer\ybt.spec). Run through installer\windows\build.ps1 on a Windows
; host; it was NOT built on the Linux machine this repository was developed on.
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\yibiaotong /DOutputDir=..\..\dist installer\windows\yibiaotong.iss

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\yibiaotong"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{7B0E6B7C-1C5E-4E0B-9A3C-2E7F1B0C5A11}
AppName=一表通
AppVersion={#AppVersion}
AppVerName=一表通 {#AppVersion}
AppPublisher=一表通 data office
DefaultDirName={autopf}\yibiaotong
DefaultGroupName=一表通
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=yibiaotong-setup-{#AppVersion}
SetupIconFile=..\icons\yibiaotong.ico
UninstallDisplayIcon={app}\yibiaotong.exe
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; per-machine by default; a worker without admin rights may install for themselves
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
; the app's data lives in %APPDATA%\yibiaotong (desktop/settings.py): uninstalling never touches it
ChangesEnvironment=yes
WizardStyle=modern

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "把 ybt 命令加入 PATH / add the ybt command to PATH"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\一表通"; Filename: "{app}\yibiaotong.exe"; Parameters: "app"; IconFilename: "{app}\yibiaotong.exe"
Name: "{group}\卸载一表通"; Filename: "{uninstallexe}"
Name: "{autodesktop}\一表通"; Filename: "{app}\yibiaotong.exe"; Parameters: "app"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "{code:PathKey}"; ValueType: expandsz; ValueName: "Path"; \
  ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\yibiaotong.exe"; Parameters: "app"; Description: "{cm:LaunchProgram,一表通}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; nothing of the user's: %APPDATA%\yibiaotong (profiles, settings) stays
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function PathKey(Param: String): String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function NeedsAddPath(Dir: String): Boolean;
var
  Paths: String;
  Root: Integer;
begin
  if IsAdminInstallMode then Root := HKEY_LOCAL_MACHINE else Root := HKEY_CURRENT_USER;
  if not RegQueryStringValue(Root, PathKey(''), 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
