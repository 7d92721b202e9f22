#!/usr/bin/env bash
# The .deb's install test, in a fresh Debian (bookworm, minbase) made with debootstrap from Debian's
# packages. Needs root (debootstrap, chroot, mount) and the network to the Debian mirror apt uses here.
#   bash installer/test_deb.sh [PATH.deb]      (default: dist/yibiaotong_<version>_amd64.deb, built if missing)
# What it checks, in the chroot, which has no Python and nothing of the build machine:
#   1. apt installs the .deb with --no-install-recommends: its Depends alone resolve from Debian;
#   2. every ELF file of the bundle resolves its libraries there (ldd: no "not found"), and none
#      carries an RPATH/RUNPATH into the build machine;
#   3. `ybt` is on the PATH, the menu entry and its icon are in place;
#   4. `ybt server init` + `ybt server migrate` run the bundled Alembic migrations;
#   5. `ybt selftest`: the app starts offscreen, logs in through the login window to a platform on
#      the host's loopback (run from this checkout) and pulls the demo worker's records;
#   6. the app wrote nothing outside $HOME and /tmp; `dpkg -r` removes every file it installed and
#      leaves the user's data.
# Takes 76-219 s here, with the load (debootstrap ~35 s; apt with the X/GL libraries and fonts-noto-cjk most of the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
started=$SECONDS
[ "$(id -u)" = 0 ] || { echo "!! needs root (debootstrap, chroot)" >&2; exit 2; }
VENV=${YBT_VENV:-$ROOT/.venv}
[ -x "$VENV/bin/python" ] || VENV=/work/main/.venv
PY="$VENV/bin/python"
VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "."); from sync.version import APP_VERSION; print(APP_VERSION)')
DEB=${1:-$ROOT/dist/yibiaotong_${VERSION}_amd64.deb}
[ -f "$DEB" ] || bash installer/build.sh deb
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
MIRROR=${YBT_DEBIAN_MIRROR:-$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } | grep -v '^#' | grep -oE 'https?://[^ ]+/debian/?( |$)' \
  | grep -v security | head -1 | tr -d ' ' || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

WORK=$(mktemp -d /var/tmp/ybt-debtest.XXXXXX)
RFS="$WORK/rootfs"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  for m in "$RFS/dev/pts" "$RFS/dev" "$RFS/proc"; do mountpoint -q "$m" && umount -l "$m" || true; done
  [ "${YBT_KEEP:-0}" = 1 ] && { echo "kept $WORK"; return; }
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "!! FAIL: $*" >&2; exit 1; }
in_chroot() { chroot "$RFS" env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo ">> debootstrap --variant=minbase bookworm ($MIRROR)"
debootstrap --variant=minbase bookworm "$RFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
mount -t proc proc "$RFS/proc"
mount --bind /dev "$RFS/dev"
cp /etc/resolv.conf "$RFS/etc/resolv.conf"
in_chroot sh -c '! command -v python3 && ! command -v python' >/dev/null || fail "the fresh system has a Python"
cp "$DEB" "$RFS/tmp/yibiaotong.deb"

echo ">> apt-get install ./yibiaotong.deb (Depends from Debian, no recommends)"
in_chroot apt-get update -q >"$WORK/apt.log" 2>&1 || { tail "$WORK/apt.log"; fail "apt-get update"; }
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/yibiaotong.deb \
  >>"$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log"; fail "apt-get install"; }
echo "   $(grep -c '^Setting up' "$WORK/apt.log") packages set up"
in_chroot sh -c '! command -v python3' >/dev/null || fail "installing the .deb pulled in a Python"

echo ">> the bundle's libraries resolve inside the fresh system"
# (as the PyInstaller bootloader runs them: with the bundle's own folder on the library path)
in_chroot env LD_LIBRARY_PATH=/opt/yibiaotong/_internal sh -c 'find /opt/yibiaotong -type f \( -name "*.so*" -o -perm -u+x \) -exec sh -c \
  "for f; do head -c4 \"\$f\" | grep -q ELF && { ldd \"\$f\" 2>&1 | grep \"not found\" | sed \"s|^|\$f: |\"; }; done" _ {} +' \
  > "$WORK/ldd.txt" || true
[ ! -s "$WORK/ldd.txt" ] || { head -20 "$WORK/ldd.txt"; fail "libraries not found in the fresh system"; }
leaks=$(find "$RFS/opt/yibiaotong" -type f -name '*.so*' -print0 | { xargs -0 -r objdump -p 2>/dev/null || true; } \
  | awk '/R(UN)?PATH/ {print $2}' | grep -E '/(work|home|root|tmp)/' || true)
[ -z "$leaks" ] || fail "RPATH into the build machine: $leaks"
n_elf=$(find "$RFS/opt/yibiaotong" -type f -name '*.so*' | wc -l)
echo "   $n_elf shared objects checked"

echo ">> ybt on the PATH, menu entry and icon"
[ "$(in_chroot sh -c 'command -v ybt')" = /usr/bin/ybt ] || fail "ybt not on the PATH"
desktop="$RFS/usr/share/applications/yibiaotong.desktop"
[ -f "$desktop" ] || fail "no menu entry"
grep -q '^Exec=/opt/yibiaotong/ybt app' "$desktop" || fail "menu entry does not start the app"
[ -f "$RFS/usr/share/icons/hicolor/256x256/apps/yibiaotong.png" ] || fail "no icon"
in_chroot ybt --help >/dev/null || fail "ybt --help"

echo ">> a platform on the host's loopback (from this checkout)"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PYTHONPATH="$ROOT" "$PY" -m desktop.cli server init --db "$WORK/platform.db" --demo >"$WORK/platform.log" 2>&1
PYTHONPATH="$ROOT" "$PY" -m desktop.cli server run --db "$WORK/platform.db" --port "$PORT" >>"$WORK/platform.log" 2>&1 &
SERVER_PID=$!
"$PY" - "$PORT" <<'WAIT' || fail "the platform did not start: $(tail "$WORK/platform.log")"
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/health", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(1)
WAIT

touch "$RFS/tmp/.before-run"; sleep 1
echo ">> in the chroot: ybt server init / migrate (bundled migrations)"
in_chroot ybt server init --db /root/embedded.db >/dev/null || fail "ybt server init in the chroot"
in_chroot ybt server migrate --db /root/embedded.db --json | grep -q '"ok": true' || fail "ybt server migrate"

echo ">> in the chroot: ybt selftest (offscreen app, login, pull)"
report=$(in_chroot env YBT_PASSWORD=demo1234 QT_QPA_PLATFORM=offscreen \
  ybt selftest --server "http://127.0.0.1:$PORT" --user wg_qbm_1 --profile /root/ybt-profile 2>"$WORK/selftest.err") \
  || { cat "$WORK/selftest.err" | tail -30; echo "$report"; fail "selftest"; }
echo "   $report"

echo ">> the app wrote only under \$HOME and /tmp"
written=$(cd "$RFS" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./root -o -path ./tmp \) -prune \
  -o -newer tmp/.before-run -print | grep -v '^\.$' || true)
[ -z "$written" ] || fail "the app wrote outside \$HOME: $(echo "$written" | head)"

echo ">> dpkg -r yibiaotong"
in_chroot dpkg -L yibiaotong > "$WORK/files.txt"
in_chroot dpkg -r yibiaotong >/dev/null || fail "dpkg -r"
left=$(while read -r f; do [ -f "$RFS$f" ] || [ -L "$RFS$f" ] && echo "$f"; done < "$WORK/files.txt" || true)
[ -z "$left" ] || fail "files left after dpkg -r: $(echo "$left" | head)"
[ ! -e "$RFS/opt/yibiaotong" ] || fail "/opt/yibiaotong left after dpkg -r: $(find "$RFS/opt/yibiaotong" | head)"
[ ! -e "$RFS/usr/bin/ybt" ] || fail "/usr/bin/ybt left"
[ -d "$RFS/root/ybt-profile" ] || fail "the user's data went with the package"
echo ">> PASS: .deb install test in a fresh debootstrap system ($((SECONDS - started)) s)"
