"""Fault injection: every fault by header, provider shapes, and scripted rules."""

import http.client
import json
import socket
import time
from email.utils import parsedate_to_datetime

from .harness import BEATAPI, BEATRA, FAL, SKYTELLS, EmulatorCase

CREATES = {
    "skytells": ("/skytells/v1/predictions", SKYTELLS,
                 {"model": "beatfusion-2.0", "input": {"prompt": "x"}}),
    "fal": ("/fal/queue/beatoven/music-generation", FAL, {"prompt": "x"}),
    "beatapi": ("/beatapi/v1/music-video/tasks", BEATAPI,
                {"images": ["https://a.example/i.png"], "audio_url": "https://a.example/a.mp3",
                 "prompt": "x", "language": "en"}),
    "beatra": ("/beatra/v1/music/text-to-music", BEATRA, {"model": "suno-5.5", "prompt": "x"}),
}


def raw_exchange(port, request):
    """Sends raw request bytes and returns everything received until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


class FaultHeaderTests(EmulatorCase):
    def create(self, provider, fault=None, **headers):
        path, auth, body = CREATES[provider]
        if fault is not None:
            headers["X-Emulator-Fault"] = fault
        return self.call("POST", path, body, {**auth, **headers})

    def test_429_with_retry_after_seconds_or_date(self):
        answer = self.create("skytells", "429;retry_after=2")
        self.assertEqual((answer.status, answer.header("Retry-After")), (429, "2"))
        self.assertEqual(answer.json["error"]["error_id"], "RATE_LIMIT_EXCEEDED")
        dated = self.create("skytells", "429;retry_after=3;retry_after_date=1")
        wait = parsedate_to_datetime(dated.header("Retry-After")).timestamp() - time.time()
        self.assertTrue(1 <= wait <= 4, wait)
        self.assertEqual(self.stats("skytells")["tasks_created"], 0)

    def test_beatapi_429_bodies(self):
        limited = self.create("beatapi", "429;retry_after=5").json["error"]
        self.assertEqual((limited["code"], limited["retry_after_seconds"]),
                         ("rate_limit_exceeded", 5))
        busy = self.create("beatapi", "429;code=user_concurrency_exceeded").json["error"]
        self.assertEqual(busy["code"], "user_concurrency_exceeded")
        self.assertNotIn("retry_after_seconds", busy)

    def test_5xx_in_each_provider_shape(self):
        shapes = {"skytells": lambda body: body["error"]["http_status"],
                  "fal": lambda body: body["detail"] and body["error_type"],
                  "beatapi": lambda body: body["error"]["request_id"],
                  "beatra": lambda body: body["error"]["retryable"]}
        for provider, check in shapes.items():
            for status in (500, 502, 503, 504):
                with self.subTest(provider=provider, status=status):
                    answer = self.create(provider, str(status))
                    self.assertEqual(answer.status, status)
                    self.assertTrue(check(answer.json))
        self.assertEqual(self.stats("beatra")["faults"], {"500": 1, "502": 1, "503": 1, "504": 1})

    def test_fal_ingress_errors_lack_the_request_id(self):
        ingress = self.create("fal", "503")
        self.assertIsNone(ingress.header("X-Fal-Request-Id"))
        self.assertEqual(ingress.header("X-Fal-Error-Type"), "runner_scheduling_failure")
        own = self.create("fal", "502;fal_request_id=1")
        self.assertIsNotNone(own.header("X-Fal-Request-Id"))
        timeout = self.create("fal", "504;timeout_type=user;fal_request_id=1")
        self.assertEqual(timeout.header("X-Fal-Request-Timeout-Type"), "user")
        self.assertEqual(timeout.json["error_type"], "request_timeout")

    def test_fal_error_type_answers_each_typed_body_from_fal_itself(self):
        request = self.create("fal", "error-type;code=runner_disconnected;header=internal_error")
        self.assertEqual(request.status, 503)
        self.assertEqual(request.json, {"detail": "Emulated runner_disconnected.",
                                        "error_type": "runner_disconnected"})
        self.assertEqual(request.header("X-Fal-Error-Type"), "internal_error")
        self.assertIsNotNone(request.header("X-Fal-Request-Id"))
        self.assertIsNone(request.header("X-Fal-Retryable"))
        model = self.create("fal", "error-type;form=model;code=image_too_large;status=422;"
                                   "field=image_url;retryable=false")
        self.assertEqual(model.status, 422)
        problem = model.json["detail"][0]
        self.assertEqual((problem["loc"], problem["type"]), (["body", "image_url"], "image_too_large"))
        self.assertEqual(problem["url"], "https://docs.fal.ai/errors#image_too_large")
        self.assertEqual(model.header("X-Fal-Retryable"), "false")
        timeout = self.create("fal", "error-type;code=request_timeout;timeout_type=user")
        self.assertEqual((timeout.status, timeout.header("X-Fal-Request-Timeout-Type")), (504, "user"))
        self.assertEqual(self.create("fal", "error-type;form=sideways").status, 400)
        self.assertEqual(self.create("beatra", "error-type").status, 400)
        self.assertEqual(self.stats("fal")["tasks_created"], 0)

    def test_beatra_retryable_flag_and_request_id(self):
        answer = self.create("beatra", "503;retryable=false", **{"X-Request-Id": "abc"})
        self.assertIs(answer.json["error"]["retryable"], False)
        self.assertEqual((answer.header("X-Request-Id"), answer.json["error"]["request_id"]),
                         ("abc", "abc"))
        self.assertIs(self.create("beatra", "503").json["error"]["retryable"], True)
        self.assertIsNotNone(self.create("beatra", "non-json").header("X-Request-Id"))

    def test_drop_before_closes_without_creating(self):
        with self.assertRaises(http.client.RemoteDisconnected):
            self.create("beatra", "drop-before")
        stats = self.stats("beatra")
        self.assertEqual((stats["tasks_created"], stats["credits_charged"]), (0, 0))
        self.assertEqual(stats["faults"], {"drop-before": 1})

    def test_drop_after_creates_and_charges_but_answers_nothing(self):
        with self.assertRaises(http.client.RemoteDisconnected):
            self.create("beatra", "drop-after")
        stats = self.stats("beatra")
        self.assertEqual((stats["tasks_created"], stats["credits_charged"]), (1, 80))

    def test_slow_first_byte(self):
        started = time.monotonic()
        answer = self.create("fal", "slow-first-byte;ms=300")
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual(answer.status, 200)

    def test_truncate_sends_half_the_announced_body(self):
        path, auth, body = CREATES["skytells"]
        payload = json.dumps(body).encode()
        headers = "".join(f"{k}: {v}\r\n" for k, v in auth.items())
        received = raw_exchange(self.port, (
            f"POST {path} HTTP/1.1\r\nHost: x\r\n{headers}X-Emulator-Fault: truncate\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload)
        head, _, sent = received.partition(b"\r\n\r\n")
        announced = int([line.split(b":")[1] for line in head.split(b"\r\n")
                         if line.lower().startswith(b"content-length")][0])
        self.assertEqual(len(sent), announced // 2)
        streamed = raw_exchange(self.port, b"GET /media/blob.bin?bytes=300000 HTTP/1.1\r\n"
                                           b"Host: x\r\nX-Emulator-Fault: truncate\r\n\r\n")
        self.assertEqual(len(streamed.partition(b"\r\n\r\n")[2]), 150_000)

    def test_non_json_wrong_content_type_and_large_body(self):
        html = self.create("beatapi", "non-json;status=503")
        self.assertEqual(html.status, 503)
        self.assertTrue(html.header("Content-Type").startswith("text/html"))
        self.assertEqual(self.create("beatapi", "non-json").status, 502)
        plain = self.create("beatapi", "wrong-content-type")
        self.assertEqual((plain.status, plain.header("Content-Type")), (201, "text/plain"))
        self.assertEqual(plain.json["data"]["status"], "queued")
        large = self.create("beatapi", "large-body;bytes=300000")
        self.assertGreaterEqual(len(large.body), 300_000)
        self.assertEqual(large.json["data"]["object"], "task")
        self.assertEqual(self.stats("beatapi")["tasks_created"], 2)

    def test_response_body_shape_is_skytells_only(self):
        answer = self.create("skytells", "response-body;status=502")
        self.assertEqual((answer.status, set(answer.json)), (502, {"response"}))
        elsewhere = self.create("fal", "response-body")
        self.assertEqual(elsewhere.status, 400)
        self.assertIn("emulator_error", elsewhere.json)

    def test_unknown_fault_or_parameter_is_an_emulator_error(self):
        for fault in ("explode", "429;retry_after", "slow-first-byte;ms=soon"):
            with self.subTest(fault=fault):
                answer = self.create("skytells", fault)
                self.assertEqual(answer.status, 400)
                self.assertIn("emulator_error", answer.json)


class FaultRuleTests(EmulatorCase):
    def add_rules(self, *rules):
        return self.call("POST", "/_emulator/faults", {"rules": list(rules)})

    def test_rules_hit_the_next_matching_requests_then_expire(self):
        self.add_rules({"fault": "503", "count": 2, "provider": "skytells", "method": "POST",
                        "path": "/v1/predictions"})
        path, auth, body = CREATES["skytells"]
        # Not matching: another provider, another method.
        self.assertEqual(self.call("POST", *CREATES["fal"][:1], CREATES["fal"][2],
                                   CREATES["fal"][1]).status, 200)
        self.assertEqual(self.call("GET", "/skytells/v1/models", headers=auth).status, 200)
        statuses = [self.call("POST", path, body, auth).status for _ in range(3)]
        self.assertEqual(statuses, [503, 503, 201])
        self.assertEqual(self.call("GET", "/_emulator/faults").json, {"rules": []})
        stats = self.stats("skytells")
        self.assertEqual((stats["faults_injected"], stats["requests"]["POST /v1/predictions"]),
                         (2, 3))

    def test_path_is_a_prefix_of_the_provider_relative_path(self):
        self.add_rules({"fault": "429;retry_after=1", "count": 5, "provider": "beatra",
                        "path": "/v1/tasks"})
        task_id = self.call("POST", CREATES["beatra"][0], CREATES["beatra"][2],
                            BEATRA).json["task_id"]
        answer = self.call("GET", f"/beatra/v1/tasks/{task_id}", headers=BEATRA)
        self.assertEqual((answer.status, answer.header("Retry-After")), (429, "1"))
        self.assertEqual(self.call("GET", "/_emulator/faults").json["rules"][0]["count"], 4)

    def test_header_fault_wins_and_leaves_rules_alone(self):
        self.add_rules({"fault": "500"})
        path, auth, body = CREATES["beatra"]
        answer = self.call("POST", path, body, {**auth, "X-Emulator-Fault": "502"})
        self.assertEqual(answer.status, 502)
        self.assertEqual(len(self.call("GET", "/_emulator/faults").json["rules"]), 1)

    def test_listing_clearing_and_invalid_rules(self):
        listed = self.add_rules({"fault": "drop-before", "count": 3}).json["rules"]
        self.assertEqual(listed[0]["fault"], "drop-before")
        self.assertEqual(self.call("DELETE", "/_emulator/faults").json, {"rules": []})
        for rule in ({"fault": "boom"}, {"fault": "503", "count": 0},
                     {"fault": "503", "provider": "openai"}, {"count": 1},
                     {"fault": "response-body", "provider": "fal"}):
            with self.subTest(rule=rule):
                self.assertEqual(self.add_rules(rule).status, 400)
        self.assertEqual(self.call("POST", "/_emulator/faults", {"rules": "503"}).status, 400)

    def test_media_can_be_faulted_by_rule(self):
        self.add_rules({"fault": "504", "provider": "media", "path": "/tone.wav"})
        self.assertEqual(self.call("GET", "/media/tone.wav").status, 504)
        self.assertEqual(self.call("GET", "/media/tone.wav").status, 200)
