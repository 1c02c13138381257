"""Test helpers: an in-process emulator per test class, an HTTP caller, a webhook receiver."""

import http.client
import http.server
import json
import os
import queue
import sys
import threading
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emulator import start_server  # noqa: E402

SKYTELLS = {"x-api-key": "test-skytells-key"}
FAL = {"Authorization": "Key test-fal-id:test-fal-secret"}
BEATAPI = {"Authorization": "Bearer test-beatapi-key"}
BEATRA = {"Authorization": "Bearer test-beatra-key"}


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name)

    @property
    def json(self):
        return json.loads(self.body)


class EmulatorCase(unittest.TestCase):
    """Starts one emulator for the class (with `options`) and resets it before each test."""

    options = {}

    @classmethod
    def setUpClass(cls):
        cls.server, cls.thread = start_server(port=0, **cls.options)
        cls.port = cls.server.port
        cls.base = f"http://127.0.0.1:{cls.port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.thread.join(timeout=5)

    def setUp(self):
        self.call("POST", "/_emulator/reset")

    def call(self, method, path, body=None, headers=None, raw=None, timeout=10):
        """One request on a fresh connection; `body` is JSON-encoded, `raw` sent as is."""
        headers = dict(headers or {})
        if body is not None:
            raw = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=raw, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def url_path(self, url):
        """The path of a URL the emulator handed out, checking it points back at us."""
        self.assertTrue(url.startswith(self.base + "/"), url)
        return url[len(self.base):]

    def stats(self, provider):
        return self.call("GET", "/_emulator/stats").json[provider]

    def inspect(self, provider, task_id):
        return self.call("GET", f"/_emulator/tasks/{provider}/{task_id}").json

    def assert_shape(self, answer, status, *keys):
        self.assertEqual(answer.status, status, answer.body[:500])
        value = answer.json
        for key in keys:
            value = value[key]
        return value


def multipart_body(fields, files):
    """(body, content type) for fields {name: value} and files {name: (filename, type, bytes)}."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content_type, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                     + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class WebhookSink:
    """A local HTTP server recording the webhooks it receives."""

    def __init__(self, status=200):
        self.status = status
        self.received = queue.Queue()
        sink = self

        class Receiver(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.received.put((self.path, self.headers, body))
                self.send_response(sink.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def next(self, timeout=5):
        """(path, headers, raw body) of the next delivery."""
        return self.received.get(timeout=timeout)

    def assert_silent(self, test, wait=0.3):
        with test.assertRaises(queue.Empty):
            self.received.get(timeout=wait)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
