"""Control routes, HTTP behaviour, the command line, and Ed25519 against RFC 8032."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

from emulation import ed25519

from .fault_cases import raw_exchange
from .harness import BEATRA, FAL, SKYTELLS, EmulatorCase

EMULATOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "emulator.py")
COUNTERS = {"requests", "tasks_created", "credits_charged", "credits_refunded",
            "usd_cents_charged", "usd_cents_refunded",
            "webhooks_delivered", "webhook_failures", "faults_injected", "faults", "polls",
            "status_streams", "cdn_parts_received", "connections", "peak_connections",
            "open_connections"}


class ControlTests(EmulatorCase):
    def test_health_needs_no_auth(self):
        answer = self.call("GET", "/_emulator/health")
        self.assertEqual((answer.status, answer.json), (200, {"ok": True}))

    def test_stats_cover_every_provider(self):
        stats = self.call("GET", "/_emulator/stats").json
        self.assertEqual(set(stats), {"skytells", "fal", "beatapi", "beatra", "media"})
        for provider in stats.values():
            self.assertEqual(set(provider), COUNTERS)

    def test_unknown_routes(self):
        self.assertEqual(self.call("GET", "/openai/v1/models").status, 404)
        self.assertEqual(self.call("GET", "/_emulator/nothing").status, 404)
        unmatched = self.call("GET", "/beatra/v1/songs", headers=BEATRA)
        self.assertEqual((unmatched.status, unmatched.json["error"]["code"]), (404, "not_found"))
        self.assertEqual(self.stats("beatra")["requests"], {"GET (unmatched)": 1})

    def test_task_inspection(self):
        submitted = self.call("POST", "/fal/queue/beatoven/music-generation", {"prompt": "x"},
                              FAL).json
        self.call("GET", self.url_path(submitted["status_url"]), headers=FAL)
        task = self.inspect("fal", submitted["request_id"])
        self.assertEqual((task["status"], task["polls"]), ("IN_QUEUE", 1))
        self.assertEqual(task["plan"], {"mode": "script",
                                        "steps": ["IN_QUEUE", "IN_QUEUE", "IN_PROGRESS",
                                                  "COMPLETED"]})
        self.assertEqual(self.call("GET", "/_emulator/tasks/fal/nope").status, 404)

    def test_reset_forgets_everything(self):
        created = self.call("POST", "/skytells/v1/predictions",
                            {"model": "lumo", "input": {"prompt": "x"}}, SKYTELLS).json
        self.call("POST", "/_emulator/faults", {"rules": [{"fault": "503"}]})
        self.call("POST", "/_emulator/reset")
        self.assertEqual(self.call("GET", "/_emulator/faults").json, {"rules": []})
        self.assertEqual(self.stats("skytells")["requests"], {})
        gone = self.call("GET", f"/skytells/v1/predictions/{created['id']}", headers=SKYTELLS)
        self.assertEqual(gone.status, 404)


    def test_inbox_keeps_raw_deliveries_for_signature_checks(self):
        self.assertEqual(self.call("GET", "/_emulator/inbox/hooks").json, {"deliveries": []})
        raw = b'{"id": "pred_1",  "status": "succeeded"}'  # odd spacing must survive byte for byte
        posted = self.call("POST", "/_emulator/inbox/hooks", raw=raw,
                           headers={"X-Skytells-Signature": "abc123"})
        self.assertEqual(posted.status, 200)
        [delivery] = self.call("GET", "/_emulator/inbox/hooks").json["deliveries"]
        self.assertEqual(base64.b64decode(delivery["body_base64"]), raw)
        self.assertEqual(delivery["headers"]["X-Skytells-Signature"], "abc123")
        self.assertEqual(self.call("DELETE", "/_emulator/inbox/hooks").status, 405)
        self.call("POST", "/_emulator/reset")
        self.assertEqual(self.call("GET", "/_emulator/inbox/hooks").json, {"deliveries": []})

    def test_capture_keeps_any_request_line_and_headers(self):
        got = self.call("GET", "/_emulator/capture/foreign?x=1", headers={"X-Api-Key": "k"})
        self.assertEqual(got.status, 200)
        self.call("PUT", "/_emulator/capture/foreign", raw=b"bytes")
        captured = self.call("GET", "/_emulator/captures/foreign").json["deliveries"]
        self.assertEqual([c["method"] for c in captured], ["GET", "PUT"])
        self.assertEqual(captured[0]["headers"]["X-Api-Key"], "k")
        self.call("POST", "/_emulator/reset")
        self.assertEqual(self.call("GET", "/_emulator/captures/foreign").json, {"deliveries": []})

    def test_echo_secret_puts_the_callers_key_in_every_field(self):
        answer = self.call("GET", "/skytells/v1/models",
                           headers={**SKYTELLS, "X-Emulator-Fault": "echo-secret;offset=5"})
        self.assertEqual(answer.status, 400)
        self.assertEqual(answer.json["error"]["message"][:5 + len("test-skytells-key")],
                         "abcde" + "test-skytells-key")
        self.assertIn("test-skytells-key", answer.headers["X-Request-Id"])
        fal = self.call("GET", "/fal/queue/fal-ai/x/requests/r/status",
                        headers={"Authorization": "Key id-1:secret-2",
                                 "X-Emulator-Fault": "echo-secret;format=text;status=500"})
        self.assertEqual(fal.status, 500)
        self.assertTrue(fal.body.startswith(b"id-1:secret-2 "))

    def test_redirect_fault_sends_a_location(self):
        target = f"http://localhost:{self.port}/_emulator/capture/r"
        answer = self.call("GET", "/skytells/v1/models",
                           headers={**SKYTELLS, "X-Emulator-Fault": f"redirect;to={target};status=302"})
        self.assertEqual(answer.status, 302)
        self.assertEqual(answer.headers["Location"], target)
        missing = self.call("GET", "/skytells/v1/models",
                            headers={**SKYTELLS, "X-Emulator-Fault": "redirect"})
        self.assertEqual(missing.status, 400)

    def test_challenge_fault_asks_for_http_authentication(self):
        answer = self.call("GET", "/skytells/v1/models",
                           headers={**SKYTELLS, "X-Emulator-Fault": "challenge"})
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.headers["WWW-Authenticate"], 'Basic realm="emulator"')
        self.assertEqual(answer.json["error"]["error_id"], "UNAUTHORIZED")
        bearer = self.call("GET", "/skytells/v1/models",
                           headers={**SKYTELLS, "X-Emulator-Fault": "challenge;scheme=Bearer"})
        self.assertEqual(bearer.headers["WWW-Authenticate"], 'Bearer realm="emulator"')

    def test_a_skytells_webhook_lands_in_the_inbox_signed(self):
        inbox = f"http://127.0.0.1:{self.port}/_emulator/inbox/sky"
        self.call("POST", "/skytells/v1/predictions",
                  {"model": "beatfusion-2.0", "input": {"prompt": "x"}, "webhook": inbox,
                   "webhook_events_filter": ["completed"]}, SKYTELLS)
        deadline = time.monotonic() + 5
        deliveries = []
        while not deliveries and time.monotonic() < deadline:
            time.sleep(0.05)
            deliveries = self.call("GET", "/_emulator/inbox/sky").json["deliveries"]
        self.assertEqual(len(deliveries), 1)
        body = base64.b64decode(deliveries[0]["body_base64"])
        expected = hmac.new(b"test-skytells-key", body, hashlib.sha256).hexdigest()
        self.assertEqual(deliveries[0]["headers"]["X-Skytells-Signature"], expected)
        self.assertEqual(json.loads(body)["status"], "succeeded")


class ConnectionTests(EmulatorCase):
    def test_keep_alive_and_exact_lengths_on_one_connection(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        self.addCleanup(connection.close)
        requests = [("GET", "/_emulator/health", None, {}),
                    ("POST", "/beatra/v1/music/text-to-music", b'{"model": 1}', BEATRA),
                    ("POST", "/beatra/v1/uploads", b"x" * 5000, {}),  # 401, body left unread
                    ("HEAD", "/media/tone.wav", None, {}),
                    ("GET", "/media/blob.bin?bytes=10", None, {})]
        sockets = set()
        for method, path, body, headers in requests:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self.assertFalse(response.will_close, path)  # the server keeps the connection
            self.assertIsNotNone(response.getheader("Content-Length"))
            if method != "HEAD":
                self.assertEqual(int(response.getheader("Content-Length")), len(data))
            sockets.add(id(connection.sock))
        self.assertEqual(len(sockets), 1)

    def test_chunked_request_bodies_are_read(self):
        body = json.dumps({"model": "suno-5.5", "prompt": "chunked"}).encode()
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        headers = "".join(f"{k}: {v}\r\n" for k, v in BEATRA.items())
        answer = raw_exchange(self.port, (
            "POST /beatra/v1/music/text-to-music HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"{headers}Transfer-Encoding: chunked\r\n\r\n").encode() + chunked)
        self.assertTrue(answer.startswith(b"HTTP/1.1 202"), answer[:100])

    def test_urls_follow_the_host_header(self):
        answer = self.call("POST", "/skytells/v1/predictions",
                           {"model": "lumo", "input": {"prompt": "x"}},
                           {**SKYTELLS, "Host": f"localhost:{self.port}"})
        self.assertTrue(answer.json["urls"]["get"].startswith(f"http://localhost:{self.port}/"))

    def test_many_concurrent_polls(self):
        ids = [self.call("POST", "/beatra/v1/music/text-to-music",
                         {"model": "minimax-music-2.6", "prompt": "x"}, BEATRA).json["task_id"]
               for _ in range(40)]
        failures = []

        def poll(task_id):
            for _ in range(3):
                answer = self.call("GET", f"/beatra/v1/tasks/{task_id}", headers=BEATRA)
                if answer.status != 200:
                    failures.append(answer.status)

        threads = [threading.Thread(target=poll, args=(task_id,)) for task_id in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])
        self.assertEqual(self.stats("beatra")["polls"], 120)


    def test_connections_each_provider_saw(self):
        def connect():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            self.addCleanup(connection.close)
            return connection

        def get(connection, path, headers):
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status

        first, second, third = connect(), connect(), connect()
        for connection in (first, second, first, third):  # the first twice: counted once
            self.assertEqual(get(connection, "/skytells/v1/predictions/nothing", SKYTELLS), 404)
        self.assertEqual(get(third, "/_emulator/health", {}), 200)  # control: not counted
        skytells = self.stats("skytells")
        self.assertEqual((skytells["connections"], skytells["peak_connections"],
                          skytells["open_connections"]), (3, 3, 3))
        self.assertEqual(self.stats("fal")["connections"], 0)
        for connection in (first, second):
            connection.close()
        deadline = time.monotonic() + 5
        while self.stats("skytells")["open_connections"] > 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(get(connect(), "/skytells/v1/predictions/nothing", SKYTELLS), 404)
        skytells = self.stats("skytells")
        self.assertEqual((skytells["connections"], skytells["peak_connections"],
                          skytells["open_connections"]), (4, 3, 2))
        self.call("POST", "/_emulator/reset")
        skytells = self.stats("skytells")
        self.assertEqual((skytells["connections"], skytells["peak_connections"],
                          skytells["open_connections"]), (0, 0, 0))


class CommandLineTests(unittest.TestCase):
    def run_and_stop(self, signal_number):
        process = subprocess.Popen([sys.executable, EMULATOR, "--port", "0"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = int(process.stdout.readline())
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health",
                                        timeout=5) as answer:
                self.assertEqual(json.load(answer), {"ok": True})
            process.send_signal(signal_number)
            self.assertEqual(process.wait(timeout=10), 0)
            self.assertEqual(process.stderr.read(), "")  # quiet unless --verbose
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.stderr.close()

    def test_prints_the_port_then_exits_cleanly_on_sigterm(self):
        self.run_and_stop(signal.SIGTERM)

    def test_exits_cleanly_on_sigint(self):
        self.run_and_stop(signal.SIGINT)


    @unittest.skipUnless(os.path.isdir("/proc"), "needs /proc to watch the process")
    def test_exits_when_its_parent_dies(self):
        launcher = ("import subprocess, sys, time\n"
                    f"child = subprocess.Popen([sys.executable, {EMULATOR!r}, '--port', '0'],"
                    " stdout=subprocess.PIPE, text=True)\n"
                    "print(child.pid, child.stdout.readline().strip(), flush=True)\n"
                    "time.sleep(60)\n")
        parent = subprocess.Popen([sys.executable, "-c", launcher], stdout=subprocess.PIPE,
                                  text=True)
        try:
            child_pid = int(parent.stdout.readline().split()[0])
        finally:
            parent.kill()  # SIGKILL: the emulator gets no signal at all
            parent.wait()
            parent.stdout.close()
        deadline = time.monotonic() + 5
        while _alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(_alive(child_pid))


def _alive(pid):
    """Running (not gone, not a zombie nobody reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Ed25519Tests(unittest.TestCase):
    # RFC 8032, section 7.1, tests 1-3: (secret key, public key, message, signature).
    VECTORS = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
         "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
         "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
         "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ]

    def test_rfc8032_vectors(self):
        for secret, public, message, signature in self.VECTORS:
            with self.subTest(public=public[:8]):
                secret, public = bytes.fromhex(secret), bytes.fromhex(public)
                message, signature = bytes.fromhex(message), bytes.fromhex(signature)
                self.assertEqual(ed25519.public_key(secret), public)
                self.assertEqual(ed25519.sign(secret, message), signature)
                self.assertTrue(ed25519.verify(public, message, signature))
                self.assertFalse(ed25519.verify(public, message + b"!", signature))
                tampered = bytes([signature[0] ^ 1]) + signature[1:]
                self.assertFalse(ed25519.verify(public, message, tampered))
