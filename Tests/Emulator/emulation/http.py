"""HTTP plumbing: request bodies, response values, the writer, and the threaded server.

Every response carries an exact Content-Length so HTTP/1.1 keep-alive works; bodies are
read lazily so uploads can be streamed to disk instead of being held in memory.
"""

import http.server
import itertools
import json
import socket
import sys
from urllib.parse import parse_qs, urlsplit

CHUNK = 64 * 1024
MAX_JSON_BODY = 16 * 1024 * 1024
# An unread request body up to this size is drained so the connection can be reused;
# anything larger closes the connection instead.
DRAIN_LIMIT = 8 * 1024 * 1024


class BodyTooLarge(Exception):
    pass


class BodyReader:
    """Reads a request body exactly once, framed by Content-Length or chunked coding."""

    def __init__(self, rfile, headers):
        self._rfile = rfile
        self.chunked = "chunked" in headers.get("Transfer-Encoding", "").lower()
        self._remaining = 0 if self.chunked else int(headers.get("Content-Length") or 0)
        if self._remaining < 0:
            raise ValueError("negative Content-Length")
        self._chunk_left = 0
        self._chunked_done = False

    @property
    def finished(self):
        return self._chunked_done if self.chunked else self._remaining == 0

    def read(self, size=CHUNK):
        """Up to `size` bytes; b"" once the body is exhausted."""
        if self.chunked:
            return self._read_chunked(size)
        if self._remaining == 0:
            return b""
        data = self._rfile.read(min(size, self._remaining))
        if not data:
            raise ConnectionError("client closed the connection mid-body")
        self._remaining -= len(data)
        return data

    def _read_chunked(self, size):
        if self._chunked_done:
            return b""
        if self._chunk_left == 0:
            line = self._rfile.readline(65537)
            if not line:
                raise ConnectionError("client closed the connection mid-body")
            self._chunk_left = int(line.split(b";")[0].strip() or b"0", 16)
            if self._chunk_left == 0:
                while self._rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # skip trailer fields
                self._chunked_done = True
                return b""
        data = self._rfile.read(min(size, self._chunk_left))
        if not data:
            raise ConnectionError("client closed the connection mid-body")
        self._chunk_left -= len(data)
        if self._chunk_left == 0:
            self._rfile.readline()  # the CRLF closing the chunk
        return data

    def read_all(self, limit=MAX_JSON_BODY):
        parts, total = [], 0
        while True:
            data = self.read()
            if not data:
                return b"".join(parts)
            total += len(data)
            if total > limit:
                raise BodyTooLarge(f"body larger than {limit} bytes")
            parts.append(data)

    def copy_to(self, fileobj, limit=None):
        """Streams the rest of the body into `fileobj`; returns the byte count."""
        total = 0
        while True:
            data = self.read(256 * 1024)
            if not data:
                return total
            total += len(data)
            if limit is not None and total > limit:
                raise BodyTooLarge(f"body larger than {limit} bytes")
            fileobj.write(data)

    def drain(self, limit=DRAIN_LIMIT):
        """Discards what is left; False when more than `limit` bytes remain."""
        total = 0
        while not self.finished:
            if not self.chunked and self._remaining > limit - total:
                return False
            data = self.read()
            total += len(data)
            if total > limit:
                return False
        return True


class Request:
    def __init__(self, handler):
        split = urlsplit(handler.path)
        self.method = handler.command
        self.path = split.path
        self.query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        self.headers = handler.headers
        self.body = BodyReader(handler.rfile, handler.headers)
        host = handler.headers.get("Host")
        if not host:
            bound_host, bound_port = handler.server.server_address[:2]
            host = f"{bound_host}:{bound_port}"
        # Every URL handed out points back at the address the client used to reach us.
        self.base_url = f"http://{host}"

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def json(self):
        """The decoded JSON body (ValueError when it is not JSON)."""
        raw = self.body.read_all()
        if not raw.strip():
            raise ValueError("empty body")
        return json.loads(raw)


class Response:
    """A status, headers and either a byte body or a streamed body: of known length, or (length
    None with a stream) one that ends when the connection closes."""

    def __init__(self, status, body=b"", content_type="application/json", headers=None,
                 stream=None, length=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.stream = stream  # zero-argument callable returning an iterator of bytes
        self.length = len(body) if stream is None else length
        self.payload = None  # the JSON value when built by Response.json
        self.ingress = False  # fal: an answer from the edge, not from fal itself

    @classmethod
    def json(cls, status, payload, headers=None):
        body = json.dumps(payload, separators=(",", ":")).encode()
        response = cls(status, body, "application/json", headers)
        response.payload = payload
        return response

    @classmethod
    def empty(cls, status, headers=None):
        return cls(status, b"", None, headers)

    def set_payload(self, payload):
        self.payload = payload
        self.body = json.dumps(payload, separators=(",", ":")).encode()
        self.length = len(self.body)

    def chunks(self):
        if self.stream is None:
            yield self.body
        else:
            yield from self.stream()


def write_response(handler, request, response, head_only=False, truncate=False):
    """Sends `response`; with `truncate`, only half the announced body, then closes."""
    close = truncate
    if request is not None and not request.body.finished:
        close = close or not request.body.drain()
    handler.send_response(response.status)
    for name, value in response.headers.items():
        handler.send_header(name, value)
    if response.content_type:
        handler.send_header("Content-Type", response.content_type)
    if response.length is None:
        # A stream of unknown length (server-sent events): the body ends when the connection does.
        close = True
    else:
        handler.send_header("Content-Length", str(response.length))
    if close:
        handler.send_header("Connection", "close")
    handler.end_headers()
    if head_only:
        return
    if response.length is None:
        for chunk in response.chunks():
            handler.wfile.write(chunk)
            handler.wfile.flush()
        handler.close_connection = True
        return
    limit = response.length // 2 if truncate else response.length
    written = 0
    for chunk in response.chunks():
        if written + len(chunk) > limit:
            chunk = chunk[: limit - written]
        handler.wfile.write(chunk)
        written += len(chunk)
        if written >= limit:
            break
    if truncate:
        handler.close_connection = True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MediaGenEmulator/1.0"
    timeout = 300  # idle keep-alive connections are closed after five minutes
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        # One handler serves one client connection for its whole life (keep-alive included):
        # the stats count the connections each provider saw by this id.
        self.connection_id = next(self.server.connection_ids)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.app.connection_closed(self.connection_id)

    def _dispatch(self):
        try:
            self.server.app.handle(self)
        except (ConnectionError, socket.timeout):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch

    def log_message(self, format, *args):
        if self.server.app.config.verbose:
            super().log_message(format, *args)


class EmulatorHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # benchmarks open about a thousand connections at once

    def __init__(self, address, app):
        self.app = app
        self.connection_ids = itertools.count(1)
        super().__init__(address, Handler)

    @property
    def port(self):
        return self.server_address[1]

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, socket.timeout)):
            return  # clients hanging up are routine, not worth a traceback
        super().handle_error(request, client_address)

    def stop(self):
        """Stops serving, closes the socket and the emulator's background threads."""
        self.shutdown()
        self.server_close()
        self.app.close()
