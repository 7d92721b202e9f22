#!/usr/bin/env bash
# One entry point for developers and CI:
#   bash installer/dev.sh demo    set everything up, start a local platform with the demo district, open the app
#   bash installer/dev.sh test    set everything up and run the whole test suite
#   bash installer/dev.sh setup   only set up (system packages, .venv, the project in editable mode)
# It installs system packages with apt-get when it can (root or passwordless sudo), creates .venv
# beside this repository, installs the pinned dependencies, and for `test` starts a throw-away
# PostgreSQL server so the integration suite runs on both SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-demo}
shift || true
VENV=${YBT_VENV:-$ROOT/.venv}
PY=${PYTHON:-python3}

APT_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-image0 libxcb-render-util0 \
fonts-noto-cjk xvfb xauth"
if [ "$MODE" = test ]; then APT_PACKAGES="$APT_PACKAGES postgresql"; fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo ">> installing system packages:$missing"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
     || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null; then
    echo "!! could not install:$missing (need root or sudo); continuing, some features may be missing" >&2
  fi
fi

stamp="$VENV/.ybt-installed"
if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating $VENV"
  "$PY" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo ">> installing Python dependencies (pinned in pyproject.toml)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"

case "$MODE" in
  setup)
    echo ">> set up; run: $VENV/bin/ybt --help"
    ;;
  demo)
    exec "$VENV/bin/ybt" demo "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    export PYTHONDONTWRITEBYTECODE=1
    PGDIR=""
    cleanup() {
      if [ -n "$PGDIR" ] && [ -d "$PGDIR" ]; then
        as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
        as_root rm -rf "$PGDIR" || true
      fi
    }
    trap cleanup EXIT
    if [ -z "${YBT_TEST_PG_URL:-}" ]; then
      PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
      if [ -n "$PGBIN" ] && id postgres >/dev/null 2>&1 && as_root true 2>/dev/null; then
        PGDIR=$(mktemp -d /tmp/ybt-pg.XXXXXX)
        chmod 755 "$PGDIR"
        as_root chown postgres "$PGDIR"
        PGPORT=${YBT_TEST_PG_PORT:-$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
        as_root runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 >/dev/null
        as_root runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
          -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
          || { echo "!! PostgreSQL did not start:" >&2; cat "$PGDIR/log" >&2; exit 1; }
        export YBT_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
        echo ">> PostgreSQL for the tests at $YBT_TEST_PG_URL"
      elif [ "${CI:-}" = true ]; then
        echo "!! CI needs PostgreSQL but could not start it" >&2
        exit 1
      else
        echo ">> no PostgreSQL available: the PostgreSQL half of the integration suite will be skipped"
      fi
    fi
    "$VENV/bin/python" -m ruff check .
    "$VENV/bin/python" -m mypy forms sync
    "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash installer/dev.sh [demo|test|setup] [args...]" >&2
    exit 2
    ;;
esac
