"""The failure callback: an alert file per failure, and an e-mail through the `bdg_smtp` connection when it
and the recipients are configured (a tiny SMTP server on 127.0.0.1 receives it)."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from types import SimpleNamespace

import pytest

from bdg import alerts


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.wfile.write(b"220 localhost test SMTP\r\n")
        envelope = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 localhost\r\n")
            elif verb == "MAIL":
                envelope["from"] = command
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(command.split(":", 1)[1].strip(" <>"))
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append({**envelope, "message": message_from_bytes(data)})
                self.wfile.write(b"250 OK\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _context(exception: Exception) -> dict:
    ti = SimpleNamespace(dag_id="bdg_nightly", task_id="load", map_index=-1, run_id="manual__2026-12-21", try_number=3)
    return {"ti": ti, "exception": exception, "logical_date": "2026-12-21T01:00:00+07:00"}


def test_failure_writes_an_alert_file_without_smtp(tmp_path, monkeypatch):
    monkeypatch.setenv("BDG_OUT_DIR", str(tmp_path))
    monkeypatch.delenv("AIRFLOW_CONN_BDG_SMTP", raising=False)
    monkeypatch.setenv("BDG_ALERT_EMAILS", "so-noi-vu@example.org")

    alerts.alert_on_failure(_context(RuntimeError("database is locked")))

    (alert_file,) = (tmp_path / "alerts").glob("*.json")
    alert = json.loads(alert_file.read_text(encoding="utf-8"))
    assert (alert["dag_id"], alert["task_id"], alert["try_number"]) == ("bdg_nightly", "load", 3)
    assert alert["error"] == "RuntimeError: database is locked"


def test_failure_is_emailed_through_the_bdg_smtp_connection(tmp_path, monkeypatch, smtp_server):
    port = smtp_server.server_address[1]
    connection = {
        "conn_type": "smtp",
        "host": "127.0.0.1",
        "port": port,
        "extra": {"from_email": "airflow@bdg.example.org", "disable_ssl": True, "disable_tls": True, "timeout": 10},
    }
    monkeypatch.setenv("BDG_OUT_DIR", str(tmp_path))
    monkeypatch.setenv("AIRFLOW_CONN_BDG_SMTP", json.dumps(connection))
    monkeypatch.setenv("AIRFLOW_VAR_BDG_ALERT_EMAILS", "a@example.org, b@example.org")

    alerts.alert_on_failure(_context(ValueError("dbt build failed")))

    assert len(list((tmp_path / "alerts").glob("*.json"))) == 1
    (sent,) = smtp_server.messages
    assert sorted(sent["rcpt"]) == ["a@example.org", "b@example.org"]
    subject = str(make_header(decode_header(sent["message"]["Subject"])))
    assert "bdg_nightly.load" in subject


def test_a_broken_smtp_server_does_not_hide_the_alert_file(tmp_path, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = {"conn_type": "smtp", "host": "127.0.0.1", "port": port,
                  "extra": {"disable_ssl": True, "disable_tls": True, "timeout": 2, "retry_limit": 1}}  # fmt: skip
    monkeypatch.setenv("BDG_OUT_DIR", str(tmp_path))
    monkeypatch.setenv("AIRFLOW_CONN_BDG_SMTP", json.dumps(connection))
    monkeypatch.setenv("BDG_ALERT_EMAILS", "a@example.org")

    alerts.alert_on_failure(_context(OSError("disk full")))  # must not raise

    assert len(list((tmp_path / "alerts").glob("*.json"))) == 1
