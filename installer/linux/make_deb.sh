#!/usr/bin/env bash
# Package a PyInstaller bundle as a .deb for 统信UOS / 麒麟 / Debian (amd64):
#   bash installer/linux/make_deb.sh BUNDLE_DIR VERSION OUT_DIR
# Layout: /opt/yibiaotong (the bundle), /usr/bin/ybt (symlink), a menu entry and the icon.
# Depends: the system libraries the bundle links to but does not carry (found with ldd and mapped to
# their Debian packages with dpkg -S, as dpkg-shlibdeps would) and fonts-noto-cjk. Qt itself is inside
# the bundle (PySide6's Qt), so the declared Qt runtime is what Qt's xcb platform plugin needs from
# the system: libxcb-*, libxkbcommon, libEGL/libGL, fontconfig, dbus, glib.
set -euo pipefail
BUNDLE=$(cd "$1" && pwd)
VERSION=$2
OUT=$(mkdir -p "$3" && cd "$3" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ICONS="$HERE/../icons"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

install -d "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$STAGE/usr/share/doc/yibiaotong"
cp -a "$BUNDLE" "$STAGE/opt/yibiaotong"
find "$STAGE/opt/yibiaotong" -name __pycache__ -prune -exec rm -rf {} +
ln -s /opt/yibiaotong/ybt "$STAGE/usr/bin/ybt"
install -m 644 "$HERE/yibiaotong.desktop" "$STAGE/usr/share/applications/yibiaotong.desktop"
install -m 644 "$ICONS/yibiaotong.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/yibiaotong.png"
install -m 644 "$ICONS/yibiaotong.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/yibiaotong.svg"
printf '一表通 %s: PyInstaller bundle of the desktop app and platform server.\n' "$VERSION" \
  > "$STAGE/usr/share/doc/yibiaotong/README"

# Libraries the bundle needs from the system: every ELF file's NEEDED entries that the bundle does not
# carry itself, resolved on this (build) machine and mapped to the package that ships them.
needed=$(find "$STAGE/opt/yibiaotong" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | { xargs -0 -r objdump -p 2>/dev/null || true; } | awk '/NEEDED/ {print $2}' | sort -u)
pkgs=""
for lib in $needed; do
  [ -n "$(find "$STAGE/opt/yibiaotong" -name "$lib" -print -quit)" ] && continue
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
  if [ -z "$path" ]; then  # not installed here (Qt's Wayland plugin): the packages that ship them
    case "$lib" in
      libwayland-cursor.so.0) pkgs="$pkgs libwayland-cursor0" ;;
      libwayland-egl.so.1) pkgs="$pkgs libwayland-egl1" ;;
      *) echo "!! $lib: needed by the bundle, not found on the build machine" >&2; exit 1 ;;
    esac
    continue
  fi
  real=$(readlink -f "$path")
  pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null || true)
  pkg=${pkg%%:*}
  [ -n "$pkg" ] || { echo "!! $lib ($path): no Debian package owns it" >&2; exit 1; }
  pkgs="$pkgs $pkg"
done
# Qt's xcb platform plugin dlopens these (not NEEDED by anything PyInstaller collected): declare them.
pkgs="$pkgs libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-noto-cjk"
# fontconfig: its trigger builds the font cache at install (else the first start scans Noto CJK and
# writes /var/cache/fontconfig itself)
pkgs="$pkgs fontconfig"
depends=$(printf '%s\n' $pkgs | grep -v -E '^(libc6|libgcc-s1|libstdc\+\+6)$' | sort -u | paste -sd, | sed 's/,/, /g')
depends="libc6 (>= 2.36), libgcc-s1, libstdc++6, $depends"

size=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: yibiaotong
Version: $VERSION
Section: misc
Priority: optional
Architecture: amd64
Maintainer: 一表通 data office <ybt@localhost>
Installed-Size: $size
Depends: $depends
Description: 一表通 population and housing records (offline-first desktop app)
 The desktop app community workers fill the population and housing record with, offline, syncing
 to the district platform; it also carries the platform server (ybt server) and a local demo
 (ybt demo). Bundled with its own Python and Qt (PyInstaller).
CONTROL
cat > "$STAGE/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true; fi
exit 0
SCRIPT
cat > "$STAGE/DEBIAN/postrm" <<'SCRIPT'
#!/bin/sh
set -e
# The bundle writes nothing under /opt/yibiaotong; user data (~/.local/share/yibiaotong) is kept.
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
exit 0
SCRIPT
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
DEB="$OUT/yibiaotong_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Zxz -z3 --build "$STAGE" "$DEB" >/dev/null
echo ">> $DEB ($(du -h "$DEB" | cut -f1))"
echo "   Depends: $depends"
