#!/usr/bin/env bash
# Build the desktop packages.
#   bash installer/build.sh linux   PyInstaller one-folder bundle -> dist/yibiaotong/ (runs with no Python)
#   bash installer/build.sh deb     the bundle, then dist/yibiaotong_<version>_amd64.deb
# Windows: run installer/windows/build.ps1 on a Windows host (it is not built here).
# Uses the Python of $YBT_VENV (default .venv beside the repository, else the shared one in /work/main)
# with PyInstaller (pinned in pyproject.toml's `package` extra) and patchelf (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TARGET=${1:-linux}
VENV=${YBT_VENV:-$ROOT/.venv}
[ -x "$VENV/bin/python" ] || VENV=/work/main/.venv
PY="$VENV/bin/python"
VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "."); from sync.version import APP_VERSION; print(APP_VERSION)')

strip_build_paths() {
  # The interpreter's extension modules (pyenv, a custom build) carry a RUNPATH into the build
  # machine (/root/.pyenv/...): remove every RPATH/RUNPATH that is not relative to the bundle.
  command -v patchelf >/dev/null || { echo "!! patchelf is needed (apt-get install patchelf)" >&2; exit 1; }
  local n=0 f rp
  while IFS= read -r -d '' f; do
    rp=$(patchelf --print-rpath "$f" 2>/dev/null) || continue
    [ -n "$rp" ] || continue
    case "$rp" in '$ORIGIN'*) continue ;; esac
    patchelf --remove-rpath "$f"
    n=$((n + 1))
  done < <(find "$1" -type f -name '*.so*' -print0)
  echo ">> removed build-machine RPATHs from $n libraries"
}

bundle() {
  "$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q "pyinstaller==6.22.3"
  echo ">> PyInstaller one-folder build of 一表通 $VERSION"
  local started=$SECONDS
  PYTHONPATH="$ROOT" "$PY" -m PyInstaller --noconfirm --log-level WARN \
      --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/installer/ybt.spec"
  strip_build_paths "$ROOT/dist/yibiaotong"
  # smoke test: the bundle answers without this machine's Python on its path
  env -i PATH=/usr/bin:/bin HOME="$ROOT/build" "$ROOT/dist/yibiaotong/ybt" --help >/dev/null
  echo ">> dist/yibiaotong/ ($(du -sh "$ROOT/dist/yibiaotong" | cut -f1), $((SECONDS - started)) s)"
}

case "$TARGET" in
  linux) bundle ;;
  deb)
    if [ -x "$ROOT/dist/yibiaotong/ybt" ] && [ "${YBT_REBUILD:-0}" = 0 ]; then
      strip_build_paths "$ROOT/dist/yibiaotong"
    else
      bundle
    fi
    bash "$ROOT/installer/linux/make_deb.sh" "$ROOT/dist/yibiaotong" "$VERSION" "$ROOT/dist"
    ;;
  *) echo "usage: bash installer/build.sh linux|deb" >&2; exit 2 ;;
esac
