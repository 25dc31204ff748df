"""`compendium serve` closes idle connections and caps how many are open at once."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from compendium.commands import serve
from compendium.commands.serve import PreviewServer, allowed_hosts, listen


class StillPreview:
    """A preview that has built once and never changes: enough to answer /_status."""

    def status(self) -> dict[str, Any]:
        """Say nothing is building."""
        return {"generation": 1, "building": False, "problems": []}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PreviewServer]:
    """A preview server on a free port with a 0.5 s idle timeout and room for two connections."""
    monkeypatch.setattr(serve.Handler, "timeout", 0.5)
    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 2)
    running = listen("127.0.0.1", 0)
    running.preview = StillPreview()  # type: ignore[assignment]
    running.hosts = allowed_hosts("127.0.0.1", running.server_address[1])
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def connect(server: PreviewServer) -> socket.socket:
    """Open a connection and send nothing."""
    return socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5)


def status(server: PreviewServer) -> int:
    """Ask for /_status and return the answer's status code."""
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/_status", headers={"Host": f"127.0.0.1:{port}"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_an_idle_connection_is_closed(server: PreviewServer) -> None:
    idle = connect(server)
    started = time.monotonic()
    assert idle.recv(100) == b""  # closed by the server, with nothing said
    assert time.monotonic() - started < 4
    idle.close()
    assert status(server) == 200


def test_a_connection_past_the_cap_is_answered_busy_and_the_slots_come_back(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve.Handler, "timeout", 10.0)  # the held connections stay open until closed below
    held = [connect(server), connect(server)]
    time.sleep(0.1)  # both are being served, waiting for a request
    extra = connect(server)
    answer = extra.recv(1000)
    extra.close()
    assert answer.startswith(b"HTTP/1.0 503 Service Unavailable\r\n")
    assert answer.endswith(b"\r\n\r\nService unavailable: too many connections open\n")
    for connection in held:
        connection.close()
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        try:
            if status(server) == 200:
                return
        except (ConnectionError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    pytest.fail("the slots of closed connections were not freed")
