"""A Kafka broker stand-in whose group coordinator is not ready: every OffsetFetch fails.

It speaks just enough of the protocol (ApiVersions, Metadata, FindCoordinator, OffsetFetch,
in non-flexible versions except ApiVersions v3) for librdkafka clients to find one topic,
find the coordinator (itself) and ask it for a group's committed offsets, which it refuses
with one error code, as a broker does while its offsets topic is still being created or
loaded.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from types import TracebackType

__all__ = ["NOT_COORDINATOR", "FakeCoordinator"]

NOT_COORDINATOR = 16
_UNKNOWN_TOPIC = 3
_NODE_ID = 0

_API_VERSIONS, _METADATA, _FIND_COORDINATOR, _OFFSET_FETCH = 18, 3, 10, 9
_SUPPORTED = {
    _API_VERSIONS: (0, 3),
    _METADATA: (1, 4),
    _FIND_COORDINATOR: (0, 2),
    _OFFSET_FETCH: (2, 3),
}
"""api key -> (min, max) version; all but ApiVersions v3 are non-flexible versions."""


def _i16(value: int) -> bytes:
    return struct.pack(">h", value)


def _i32(value: int) -> bytes:
    return struct.pack(">i", value)


def _string(value: str | None) -> bytes:
    if value is None:
        return _i16(-1)
    data = value.encode()
    return _i16(len(data)) + data


def _array(items: list[bytes]) -> bytes:
    return _i32(len(items)) + b"".join(items)


class _Reader:
    """Reads big-endian Kafka primitives from a request body."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def i16(self) -> int:
        (value,) = struct.unpack_from(">h", self.data, self.at)
        self.at += 2
        return int(value)

    def i32(self) -> int:
        (value,) = struct.unpack_from(">i", self.data, self.at)
        self.at += 4
        return int(value)

    def string(self) -> str | None:
        size = self.i16()
        if size < 0:
            return None
        value = self.data[self.at : self.at + size].decode()
        self.at += size
        return value

    def strings(self) -> Iterator[str | None]:
        return (self.string() for _ in range(max(self.i32(), 0)))


class FakeCoordinator:
    """Serves one topic on 127.0.0.1 and refuses every OffsetFetch with ``offset_fetch_error``.

    Args:
        topic: the only topic it knows.
        partitions: the topic's partition count.
        offset_fetch_error: the Kafka error code every OffsetFetch gets.
    """

    def __init__(
        self, topic: str, partitions: int = 1, offset_fetch_error: int = NOT_COORDINATOR
    ) -> None:
        self.topic = topic
        self.partitions = partitions
        self.offset_fetch_error = offset_fetch_error
        self.offset_fetch_groups: list[str] = []
        """Group of each OffsetFetch received, in order."""
        self.unknown_requests: list[tuple[int, int]] = []
        """(api key, version) of requests it could not answer (their connection was closed)."""
        self._lock = threading.Lock()
        fake = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                fake._serve(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-kafka")

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> FakeCoordinator:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _serve(self, connection: socket.socket) -> None:
        while (frame := _receive(connection)) is not None:
            request = _Reader(frame)
            api_key, version, correlation_id = request.i16(), request.i16(), request.i32()
            request.string()  # client id
            body = self._answer(api_key, version, request)
            if body is None:
                with self._lock:
                    self.unknown_requests.append((api_key, version))
                return
            response = _i32(correlation_id) + body
            connection.sendall(_i32(len(response)) + response)

    def _answer(self, api_key: int, version: int, request: _Reader) -> bytes | None:
        low, high = _SUPPORTED.get(api_key, (0, -1))
        if not low <= version <= high:
            return None
        if api_key == _API_VERSIONS:
            return self._api_versions(version)
        if api_key == _METADATA:
            return self._metadata(version, request)
        if api_key == _FIND_COORDINATOR:
            return self._coordinator(version)
        return self._offset_fetch(version, request)

    def _api_versions(self, version: int) -> bytes:
        if version < 3:
            keys = [_i16(k) + _i16(lo) + _i16(hi) for k, (lo, hi) in _SUPPORTED.items()]
            return _i16(0) + _array(keys) + (_i32(0) if version >= 1 else b"")
        # v3 is flexible: compact array (length + 1) and empty tagged fields
        keys = [_i16(k) + _i16(lo) + _i16(hi) + b"\x00" for k, (lo, hi) in _SUPPORTED.items()]
        return _i16(0) + bytes([len(keys) + 1]) + b"".join(keys) + _i32(0) + b"\x00"

    def _metadata(self, version: int, request: _Reader) -> bytes:
        wanted = list(request.strings())
        broker = _i32(_NODE_ID) + _string("127.0.0.1") + _i32(self.port) + _string(None)
        topics = []
        for name in wanted or [self.topic]:
            if name != self.topic:
                topics.append(_i16(_UNKNOWN_TOPIC) + _string(name) + b"\x00" + _array([]))
                continue
            node = _array([_i32(_NODE_ID)])
            partitions = [
                _i16(0) + _i32(p) + _i32(_NODE_ID) + node + node for p in range(self.partitions)
            ]
            topics.append(_i16(0) + _string(name) + b"\x00" + _array(partitions))
        cluster = _string("fake-cluster") if version >= 2 else b""
        throttle = _i32(0) if version >= 3 else b""
        return throttle + _array([broker]) + cluster + _i32(_NODE_ID) + _array(topics)

    def _coordinator(self, version: int) -> bytes:
        found = _i32(_NODE_ID) + _string("127.0.0.1") + _i32(self.port)
        if version == 0:
            return _i16(0) + found
        return _i32(0) + _i16(0) + _string(None) + found

    def _offset_fetch(self, version: int, request: _Reader) -> bytes:
        group = request.string() or ""
        with self._lock:
            self.offset_fetch_groups.append(group)
        throttle = _i32(0) if version >= 3 else b""
        return throttle + _array([]) + _i16(self.offset_fetch_error)


def _receive(connection: socket.socket) -> bytes | None:
    """One size-prefixed request frame; ``None`` once the client hung up."""
    header = _exactly(connection, 4)
    if header is None:
        return None
    (size,) = struct.unpack(">i", header)
    return _exactly(connection, size)


def _exactly(connection: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        try:
            chunk = connection.recv(size - len(data))
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data
