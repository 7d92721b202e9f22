"""A TCP proxy for fault tests that understands just enough HTTP/1.1 to cut at chosen moments.

``FaultProxy(upstream_port)`` listens on a free loopback port and relays each client connection to
the upstream server, one request/response exchange at a time (requests does not pipeline). Before
each exchange the first matching :class:`Rule` (method, path prefix, how many times) decides:

- ``pass``            relay normally;
- ``refuse``          close the client connection before forwarding anything;
- ``drop_response``   forward the request, read the whole response from upstream (so the server has
                      finished and committed), then close the client connection without relaying it;
- ``truncate``        relay only the first half of the response bytes, then close;
- ``stall``           forward, then relay nothing and keep the connection open for ``seconds``
                      (the client's read timeout fires);
- ``hook``            forward the request, call ``rule.hook()`` (e.g. kill the server), then relay
                      whatever comes back (usually nothing: the connection fails);
- ``respond``         answer ``rule.response`` (raw HTTP bytes) without forwarding (e.g. a 503).

``proxy.log`` records (method, path, action, status) for each exchange; ``proxy.offline = True``
makes every new connection be closed at once (network down).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Rule:
    action: str
    method: str = ""
    path_prefix: str = ""
    times: int = 1          # how many exchanges it applies to; -1 for always
    seconds: float = 0.0
    hook: Callable[[], None] | None = None
    skip: int = 0           # let this many matching exchanges pass first
    response: bytes = b""
    hits: int = field(default=0, init=False)

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or self.method == method) and path.startswith(self.path_prefix)


class _Closed(Exception):
    pass


def _read_until(sock: socket.socket, buf: bytearray, marker: bytes) -> int:
    while True:
        index = buf.find(marker)
        if index >= 0:
            return index
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buf.extend(chunk)


def _read_exact(sock: socket.socket, buf: bytearray, n: int) -> None:
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buf.extend(chunk)


def read_message(sock: socket.socket, buf: bytearray, *, is_response: bool, head_request: bool = False
                 ) -> tuple[bytes, str]:
    """One whole HTTP message from ``sock`` (leftover bytes stay in ``buf``): (raw bytes, first line)."""
    end = _read_until(sock, buf, b"\r\n\r\n") + 4
    head = bytes(buf[:end]).decode("latin-1")
    lines = head.split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    status_no_body = False
    if is_response:
        parts = lines[0].split(" ")
        code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        status_no_body = head_request or code in (204, 304) or 100 <= code < 200
    if status_no_body:
        total = end
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        pos = end
        while True:
            line_end = _read_until_from(sock, buf, b"\r\n", pos)
            size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
            pos = line_end + 2
            if size == 0:
                pos = _read_until_from(sock, buf, b"\r\n", pos) + 2   # no trailers from our peers
                break
            _read_exact(sock, buf, pos + size + 2)
            pos += size + 2
        total = pos
    elif "content-length" in headers:
        total = end + int(headers["content-length"])
        _read_exact(sock, buf, total)
    elif is_response:
        while True:                     # body until close
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf.extend(chunk)
        total = len(buf)
    else:
        total = end
    message = bytes(buf[:total])
    del buf[:total]
    return message, lines[0]


def _read_until_from(sock: socket.socket, buf: bytearray, marker: bytes, start: int) -> int:
    while True:
        index = buf.find(marker, start)
        if index >= 0:
            return index
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed()
        buf.extend(chunk)


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.rules: list[Rule] = []
        self.log: list[tuple[str, str, str, int]] = []
        self.offline = False
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="faultproxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def close(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _decide(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.times == 0 or not rule.matches(method, path):
                    continue
                rule.hits += 1
                if rule.hits <= rule.skip:
                    continue      # still letting exchanges through: later rules may apply
                if rule.times > 0:
                    rule.times -= 1
                return rule
        return None

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.offline:
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._lock:
            (self._sockets.add if add else self._sockets.discard)(sock)

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        self._track(client, True)
        cbuf = bytearray()
        ubuf = bytearray()
        try:
            while not self._stopping.is_set():
                try:
                    request, first = read_message(client, cbuf, is_response=False)
                except (_Closed, OSError):
                    return
                parts = first.split(" ")
                method, path = (parts[0], parts[1]) if len(parts) >= 2 else ("", "")
                rule = self._decide(method, path)
                action = rule.action if rule else "pass"
                if action == "refuse" or self.offline:
                    self.log.append((method, path, "refuse", 0))
                    return
                if action == "respond" and rule is not None:
                    self.log.append((method, path, action, int(rule.response.split(b" ")[1])))
                    client.sendall(rule.response)
                    continue
                if upstream is None:
                    try:
                        upstream = socket.create_connection(self.upstream, timeout=120)
                    except OSError:
                        self.log.append((method, path, "upstream_down", 0))
                        return
                    self._track(upstream, True)
                upstream.sendall(request)
                if action == "hook" and rule is not None and rule.hook is not None:
                    rule.hook()
                try:
                    response, status_line = read_message(upstream, ubuf, is_response=True,
                                                         head_request=method == "HEAD")
                except (_Closed, OSError):
                    self.log.append((method, path, action, 0))
                    return
                status_parts = status_line.split(" ")
                status = int(status_parts[1]) if len(status_parts) > 1 and status_parts[1].isdigit() else 0
                self.log.append((method, path, action, status))
                if action == "drop_response":
                    return
                if action == "truncate":
                    client.sendall(response[: len(response) // 2])
                    return
                if action == "stall" and rule is not None:
                    self._stopping.wait(rule.seconds)
                    return
                client.sendall(response)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
                    self._track(sock, False)

    def count(self, method: str, path_prefix: str, action: str | None = None) -> int:
        return sum(1 for m, p, a, _s in self.log
                   if m == method and p.startswith(path_prefix) and (action is None or a == action))

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return predicate()


def canned(status: int, reason: str, body: bytes = b"{}", headers: dict[str, str] | None = None) -> bytes:
    """Raw bytes of a small HTTP/1.1 response (for ``Rule(action="respond", response=...)``)."""
    lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
