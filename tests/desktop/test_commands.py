"""``ybt app`` / ``ybt demo`` on a machine without a display: a clear message and exit 2, no crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.commands import NO_DISPLAY_EXIT, display_problem

ROOT = Path(__file__).resolve().parents[2]


def test_linux_without_display_is_reported() -> None:
    message = display_problem({}, "linux")
    assert message is not None
    assert "QT_QPA_PLATFORM=offscreen" in message
    assert "xvfb-run ybt demo" in message


@pytest.mark.parametrize("env", [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"},
                                 {"QT_QPA_PLATFORM": "offscreen"}])
def test_any_display_or_platform_is_enough(env: dict[str, str]) -> None:
    assert display_problem(env, "linux") is None


def test_windows_and_macos_always_have_a_display() -> None:
    assert display_problem({}, "win32") is None
    assert display_problem({}, "darwin") is None


@pytest.mark.parametrize("command", [["app"], ["demo"]])
def test_the_command_exits_2_with_the_message(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env["YBT_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "desktop.cli", *command], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, check=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux can lack a display")
    assert done.returncode == NO_DISPLAY_EXIT, done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "demo").exists(), "nothing is set up when the app cannot be shown"


@pytest.mark.slow
def test_demo_sets_up_prints_accounts_and_stops_its_server(tmp_path: Path) -> None:
    """``ybt demo``: platform set up and started on loopback, accounts printed, app open; SIGTERM ends all."""
    import signal
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "YBT_HOME": str(tmp_path)}
    out = tmp_path / "out.txt"
    with out.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", "demo"], stdout=sink,
                                stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        try:
            deadline = time.monotonic() + 240
            while "wg_qbm_1" not in out.read_text(encoding="utf-8"):
                assert proc.poll() is None, out.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "the demo did not come up"
                time.sleep(0.5)
            text = out.read_text(encoding="utf-8")
            assert "demo1234" in text and "http://127.0.0.1:" in text
            assert (tmp_path / "demo" / "platform.sqlite").exists()
            url = text.split("http://127.0.0.1:")[1].split()[0]
            import requests

            assert requests.get(f"http://127.0.0.1:{url}/api/v1/health", timeout=5).json()["ok"]
            time.sleep(1.0)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0
            with pytest.raises(requests.ConnectionError):
                requests.get(f"http://127.0.0.1:{url}/api/v1/health", timeout=5)
        finally:
            if proc.poll() is None:
                proc.kill()
