"""Run the real platform server in this process (for tests that kill or restart it as a subprocess).

    python -m tests.sync.serve --db URL --port N [--access-seconds S]
"""

from __future__ import annotations

import argparse

import uvicorn

from sync.server.app import create_app
from sync.server.config import ServerConfig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--access-seconds", type=int, default=900)
    parser.add_argument("--login-limit", type=int, default=5)
    args = parser.parse_args()
    config = ServerConfig(db_url=args.db, access_token_seconds=args.access_seconds, fast_password_hash=True,
                          login_user_limit=args.login_limit, login_address_limit=max(30, args.login_limit))
    uvicorn.run(create_app(config), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
