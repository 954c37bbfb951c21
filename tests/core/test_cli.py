import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ledgerdesk import cli


def test_hyphenated_commands_are_the_documented_spelling():
    assert cli.command_argv(["/x/ledgerdesk", "import-invoices", "a-b.xml"]) == [
        "ledgerdesk",
        "import_invoices",
        "a-b.xml",
    ]
    assert cli.command_argv(["ledgerdesk", "--help"]) == ["ledgerdesk", "--help"]


def test_the_entry_point_runs_a_hyphenated_command(tmp_path):
    env = {**os.environ, "LEDGERDESK_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "ledgerdesk.cli", "import-invoices", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "UBL 2.1" in result.stdout and "--direction" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


@pytest.mark.slow
def test_run_migrates_starts_the_worker_and_serves(tmp_path):
    port, smtp_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "LEDGERDESK_DATA_DIR": str(tmp_path),
        "LEDGERDESK_SMTP_PORT": str(smtp_port),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # the embedded set-up, as on a fresh clone
    server = subprocess.Popen(
        [sys.executable, "-m", "ledgerdesk.cli", "run", "--port", str(port), "--no-demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer in 60 s"
                time.sleep(0.3)
        assert (status, body) == (200, '{"status": "ok"}')
        status, page = _get(f"http://127.0.0.1:{port}/login/")
        assert status == 200 and "Sign in" in page
        status, css = _get(f"http://127.0.0.1:{port}/static/ledgerdesk/console.css")
        assert status == 200 and "--brand" in css
        assert (tmp_path / "ledgerdesk.sqlite3").exists()
        assert (tmp_path / "secret_key").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert f"LedgerDesk is running on http://127.0.0.1:{port}" in output
    assert "worker   Huey, pid" in output
    assert f"mail in  smtp://127.0.0.1:{smtp_port}" in output


@pytest.mark.django_db
def test_the_worker_heartbeat_task_records_itself():
    from ledgerdesk.core.models import SiteState
    from ledgerdesk.core.tasks import worker_heartbeat

    worker_heartbeat.call_local()
    assert "seen" in SiteState.objects.get(key="worker").value
