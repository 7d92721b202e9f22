# Build the Windows installer on a Windows host (x64, Python 3.11, Inno Setup 6):
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# -> dist\yibiaotong\ (PyInstaller one-folder bundle) and dist\yibiaotong-setup-<version>.exe
# Not run on the Linux machine this repository was developed on: see README, "Desktop packages".
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$Root = (Get-Location).Path
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$Py = Join-Path $Root ".venv\Scripts\python.exe"
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q -e ".[package]"
$Version = & $Py -c "from sync.version import APP_VERSION; print(APP_VERSION)"
Write-Host ">> PyInstaller one-folder build of 一表通 $Version"
& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installer\ybt.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& "dist\yibiaotong\ybt.exe" --help | Out-Null
if ($LASTEXITCODE -ne 0) { throw "the bundle does not start" }
$Iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
  Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isinfo.php" }
& $Iscc "/DAppVersion=$Version" "/DSourceDir=$Root\dist\yibiaotong" "/DOutputDir=$Root\dist" installer\windows\yibiaotong.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host ">> dist\yibiaotong-setup-$Version.exe"
