#!/usr/bin/env bash
# Build the desktop packages.
#   bash installer/build.sh linux   PyInstaller one-folder bundle -> dist/yibiaotong/ (runs with no Python)
#   bash installer/build.sh deb     the bundle, then dist/yibiaotong_<version>_amd64.deb
# Windows: run installer/windows/build.ps1 on a Windows host (it is not built here).
# Uses the Python of $YBT_VENV (default .venv beside the repository, else the shared one in /work/main)
# with PyInstaller (pinned in pyproject.toml's `package` extra).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${1:-linux}
VENV=${YBT_VENV:-$ROOT/.venv}
[ -x "$VENV/bin/python" ] || VENV=/work/main/.venv
PY="$VENV/bin/python"
VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "."); from sync.version import APP_VERSION; print(APP_VERSION)')

bundle() {
  "$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q "pyinstaller==6.22.3"
  echo ">> PyInstaller one-folder build of 一表通 $VERSION"
  local started=$SECONDS
  PYTHONPATH="$ROOT" "$PY" -m PyInstaller --noconfirm --log-level WARN \
      --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/installer/ybt.spec"
  # smoke test: the bundle answers without this machine's Python on its path
  env -i PATH=/usr/bin:/bin HOME="$ROOT/build" "$ROOT/dist/yibiaotong/ybt" --help >/dev/null
  echo ">> dist/yibiaotong/ ($(du -sh "$ROOT/dist/yibiaotong" | cut -f1), $((SECONDS - started)) s)"
}

case "$TARGET" in
  linux) bundle ;;
  deb)
    [ -x "$ROOT/dist/yibiaotong/ybt" ] && [ "${YBT_REBUILD:-0}" = 0 ] || bundle
    bash "$ROOT/installer/linux/make_deb.sh" "$ROOT/dist/yibiaotong" "$VERSION" "$ROOT/dist"
    ;;
  *) echo "usage: bash installer/build.sh linux|deb" >&2; exit 2 ;;
esac
