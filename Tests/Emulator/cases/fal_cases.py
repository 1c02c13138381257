"""fal: queue submit/status/result/cancel, validation, storage, JWKS and signed webhooks."""

import base64
import hashlib
import json
import socket
import time
from urllib.parse import quote

from emulation import ed25519

from .harness import FAL, EmulatorCase, WebhookSink

APP = "/fal/queue/beatoven/music-generation"
JAZZ = {"prompt": "Jazz for a late-night restaurant", "duration": 12, "seed": 7}


class FalQueueTests(EmulatorCase):
    def submit(self, body=JAZZ, path=APP, **headers):
        answer = self.call("POST", path, body, {**FAL, **headers})
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.header("X-Fal-Request-Id"), answer.json["request_id"])
        return answer.json

    def status(self, submitted, logs="true"):
        return self.call("GET", self.url_path(submitted["status_url"]) + f"?logs={logs}",
                         headers=FAL)

    def test_pricing_answers_the_known_prices_of_the_ids_asked(self):
        path = "/fal/platform/v1/models/pricing?endpoint_id="
        answer = self.call("GET", path + quote("fal-ai/flux/dev,beatoven/music-generation", safe=""),
                           headers=FAL)
        self.assertEqual(answer.status, 200, answer.body)
        self.assertEqual(answer.json, {"prices": [{"endpoint_id": "fal-ai/flux/dev", "unit_price": 0.025,
                                                   "unit": "image", "currency": "USD"}],
                                       "next_cursor": None, "has_more": False})
        self.assertEqual(self.call("GET", path + ",".join(f"a/{i}" for i in range(51)), headers=FAL).status, 400)
        self.assertEqual(self.call("GET", path, headers=FAL).status, 400)
        self.assertEqual(self.call("GET", path + "fal-ai/flux/dev").status, 401)

    def test_missing_key_is_401_in_fal_shape(self):
        answer = self.call("POST", APP, JAZZ, {"Authorization": "Key wrong"})
        self.assertEqual(answer.status, 401)
        self.assertIsInstance(answer.json["detail"], str)
        self.assertEqual(answer.header("X-Fal-Error-Type"), "unauthorized")
        self.assertIsNotNone(answer.header("X-Fal-Request-Id"))

    def test_submit_drops_the_subpath_from_the_returned_urls(self):
        submitted = self.submit(path=APP + "/stems")
        request_id = submitted["request_id"]
        base = f"{self.base}{APP}/requests/{request_id}"
        self.assertEqual(submitted["response_url"], base)
        self.assertEqual(submitted["status_url"], base + "/status")
        self.assertEqual(submitted["cancel_url"], base + "/cancel")
        self.assertEqual(submitted["queue_position"], 2)
        self.assertIn("POST /queue/{owner}/{alias}/{subpath}", self.stats("fal")["requests"])

    def test_status_progression_logs_metrics_and_result(self):
        submitted = self.submit()
        queued = self.status(submitted)
        self.assertEqual((queued.status, queued.json["status"]), (202, "IN_QUEUE"))
        self.assertEqual(queued.json["queue_position"], 1)
        quiet = self.status(submitted, logs="0")
        self.assertEqual(quiet.json["status"], "IN_PROGRESS")
        self.assertNotIn("logs", quiet.json)
        early = self.call("GET", self.url_path(submitted["response_url"]), headers=FAL)
        self.assertEqual(early.status, 400)
        self.assertIn("still in progress", early.json["detail"])
        done = self.status(submitted, logs="1")
        self.assertEqual((done.status, done.json["status"]), (200, "COMPLETED"))
        self.assertEqual(done.json["logs"][0]["message"], "Generating (step 2)")
        self.assertIn("timestamp", done.json["logs"][0])
        self.assertIn("inference_time", done.json["metrics"])
        self.assertNotIn("error", done.json)
        result = self.call("GET", self.url_path(submitted["response_url"]), headers=FAL).json
        self.assertEqual(result["audio"]["content_type"], "audio/wav")
        self.assertEqual(result["prompt"], JAZZ["prompt"])
        self.assertEqual(result["metadata"]["sample_rate"], 44100)
        self.assertEqual(result["metadata"]["parameters"]["seed"], 7)
        audio = self.call("GET", self.url_path(result["audio"]["url"]))
        self.assertEqual(len(audio.body), result["audio"]["file_size"])

    def test_logs_appear_while_in_progress(self):
        submitted = self.submit(**{"X-Emulator-Script": "IN_PROGRESS*3,COMPLETED"})
        logs = self.status(submitted, logs="true").json["logs"]
        self.assertEqual(len(logs), 2)
        self.assertEqual(logs[0]["level"], "INFO")

    def test_completed_with_error(self):
        submitted = self.submit(**{"X-Emulator-Script": "IN_PROGRESS,COMPLETED_ERROR"})
        status = self.status(submitted).json
        self.assertEqual(status["status"], "COMPLETED")
        self.assertEqual(status["error_type"], "runner_server_error")
        result = self.call("GET", self.url_path(submitted["response_url"]), headers=FAL)
        self.assertEqual(result.status, 500)
        self.assertEqual(result.header("X-Fal-Error-Type"), "runner_server_error")

    def test_cancel_answers(self):
        submitted = self.submit()
        cancel = self.call("PUT", self.url_path(submitted["cancel_url"]), headers=FAL)
        self.assertEqual((cancel.status, cancel.json), (202, {"status": "CANCELLATION_REQUESTED"}))
        status = self.status(submitted).json
        self.assertEqual((status["status"], status["error_type"]),
                         ("COMPLETED", "client_cancelled"))
        done = self.call("PUT", self.url_path(submitted["cancel_url"]), headers=FAL)
        self.assertEqual((done.status, done.json["status"]), (400, "ALREADY_COMPLETED"))
        unknown = self.call("PUT", f"{APP}/requests/nope/cancel", headers=FAL)
        self.assertEqual((unknown.status, unknown.json["status"]), (404, "NOT_FOUND"))
        wrong_app = self.call("GET", f"/fal/queue/other/app/requests/{submitted['request_id']}"
                                     "/status", headers=FAL)
        self.assertEqual(wrong_app.status, 404)

    def test_beatoven_validation(self):
        for body, field in (({"duration": 30}, "prompt"),
                            ({"prompt": "x", "duration": 151}, "duration"),
                            ({"prompt": "x", "duration": 4.5}, "duration"),
                            ({"prompt": 3}, "prompt")):
            with self.subTest(body=body):
                answer = self.call("POST", APP, body, FAL)
                self.assertEqual(answer.status, 422)
                self.assertEqual(answer.json["detail"][0]["loc"], ["body", field])
        not_json = self.call("POST", APP, headers=FAL, raw=b"[1, 2")
        self.assertEqual(not_json.status, 422)

    def test_generic_app_echoes_input_and_honours_queue_headers(self):
        body = {"anything": [1, 2]}
        submitted = self.submit(body, "/fal/queue/fal-ai/flux/dev",
                                **{"X-Fal-Queue-Priority": "low", "X-Fal-Request-Timeout": "30",
                                   "X-Fal-Runner-Hint": "warm", "X-Emulator-Script": "COMPLETED"})
        result = self.call("GET", self.url_path(submitted["response_url"]), headers=FAL).json
        self.assertEqual(result["input"], body)
        self.url_path(result["output"]["url"])
        bad_priority = self.call("POST", "/fal/queue/fal-ai/flux", body,
                                 {**FAL, "X-Fal-Queue-Priority": "urgent"})
        self.assertEqual(bad_priority.status, 400)
        bad_timeout = self.call("POST", "/fal/queue/fal-ai/flux", body,
                                {**FAL, "X-Fal-Request-Timeout": "soon"})
        self.assertEqual(bad_timeout.header("X-Fal-Error-Type"), "bad_request")

    def stream(self, submitted, logs="1", **headers):
        return self.call("GET", self.url_path(submitted["status_url"]) + f"/stream?logs={logs}",
                         headers={**FAL, **headers})

    @staticmethod
    def events(answer):
        return [json.loads(block[len("data: "):]) for block in answer.body.decode().split("\n\n")
                if block.startswith("data: ")]

    def test_status_stream_sends_each_change_until_completed(self):
        submitted = self.submit(**{"X-Emulator-Script": "IN_QUEUE,IN_PROGRESS,IN_PROGRESS,COMPLETED"})
        answer = self.stream(submitted)
        self.assertEqual(answer.status, 200)
        self.assertTrue(answer.header("Content-Type").startswith("text/event-stream"))
        events = self.events(answer)
        self.assertEqual([event["status"] for event in events],
                         ["IN_QUEUE", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"])
        # Each event carries the log lines new since the one before.
        self.assertEqual([len(event.get("logs", [])) for event in events], [0, 1, 1, 0])
        self.assertEqual(self.stats("fal")["status_streams"], 1)
        self.assertEqual(self.stats("fal")["polls"], 0)
        result = self.call("GET", self.url_path(submitted["response_url"]), headers=FAL)
        self.assertEqual(result.status, 200)

    def test_status_stream_follows_a_timeline(self):
        submitted = self.submit(**{"X-Emulator-Timeline": "IN_QUEUE@0,IN_PROGRESS@50,COMPLETED@120"})
        started = time.monotonic()
        events = self.events(self.stream(submitted, logs="0"))
        self.assertEqual([event["status"] for event in events], ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"])
        self.assertGreaterEqual(time.monotonic() - started, 0.1)

    def test_status_stream_can_break_midway_and_refuses_unknown_requests(self):
        submitted = self.submit(**{"X-Emulator-Script": "IN_QUEUE,IN_PROGRESS,COMPLETED"})
        broken = self.stream(submitted, **{"X-Emulator-Fault": "stream-break;after=1"})
        self.assertEqual([event["status"] for event in self.events(broken)], ["IN_QUEUE"])
        missing = self.call("GET", APP + "/requests/nope/status/stream", headers=FAL)
        self.assertEqual(missing.status, 404)

    def test_storage_upload_round_trip(self):
        initiate = self.call("POST", "/fal/rest/storage/upload/initiate?storage_type=gcs",
                             {"file_name": "take 1.wav", "content_type": "audio/wav"}, FAL)
        self.assertEqual(initiate.status, 200, initiate.body)
        urls = initiate.json
        data = bytes(range(256)) * 12_000  # about 3 MB
        put = self.call("PUT", self.url_path(urls["upload_url"]), raw=data,
                        headers={"Content-Type": "audio/wav"})
        self.assertEqual(put.status, 200)
        served = self.call("GET", self.url_path(urls["file_url"]))
        self.assertEqual((served.body == data, served.header("Content-Type")), (True, "audio/wav"))
        unknown = self.call("PUT", "/fal/storage/uploads/nope", raw=b"x")
        self.assertEqual(unknown.status, 404)
        unauthorized = self.call("POST", "/fal/rest/storage/upload/initiate?storage_type=gcs",
                                 {"file_name": "a"})
        self.assertEqual(unauthorized.status, 401)

    def cdn_token(self):
        answer = self.call("POST", "/fal/rest/storage/auth/token?storage_type=fal-cdn-v3", {}, FAL)
        self.assertEqual(answer.status, 200, answer.body)
        token = answer.json
        self.assertEqual(token["token_type"], "Bearer")
        self.assertTrue(token["expires_at"].endswith("Z"))
        return token, {"Authorization": f"Bearer {token['token']}"}

    def test_cdn_token_then_upload_round_trip(self):
        token, auth = self.cdn_token()
        base = self.url_path(token["base_url"])
        data = bytes(range(256)) * 4_000
        upload = self.call("POST", base + "/files/upload", raw=data,
                           headers={**auth, "Content-Type": "audio/wav", "X-Fal-File-Name": "take%201.wav"})
        self.assertEqual(upload.status, 200, upload.body)
        url = upload.json["access_url"]
        self.assertTrue(url.endswith("/take%201.wav"), url)
        served = self.call("GET", self.url_path(url))
        self.assertEqual((served.body == data, served.header("Content-Type")), (True, "audio/wav"))
        # The fal key is not the CDN's credential, and the token needs its storage type.
        self.assertEqual(self.call("POST", base + "/files/upload", raw=b"x", headers=FAL).status, 401)
        self.assertEqual(self.call("POST", "/fal/rest/storage/auth/token", {}, FAL).status, 400)
        self.assertEqual(self.call("POST", "/fal/rest/storage/auth/token?storage_type=fal-cdn-v3", {}).status,
                         401)

    def test_cdn_multipart_parts_replace_and_complete_in_order(self):
        token, auth = self.cdn_token()
        base = self.url_path(token["base_url"])
        opened = self.call("POST", base + "/files/upload/multipart",
                           headers={**auth, "Content-Type": "video/mp4", "X-Fal-File-Name": "big.mp4"})
        self.assertEqual(opened.status, 200, opened.body)
        access, upload_id = self.url_path(opened.json["access_url"]), opened.json["uploadId"]
        chunks = [b"a" * 1000, b"b" * 1000, b"c" * 10]
        etags = []
        for number, chunk in enumerate(chunks, 1):
            if number == 2:  # a part sent twice: the second replaces the first
                self.call("PUT", f"{access}/multipart/{upload_id}/2", raw=b"stale", headers=auth)
            put = self.call("PUT", f"{access}/multipart/{upload_id}/{number}", raw=chunk, headers=auth)
            self.assertEqual(put.status, 200, put.body)
            self.assertEqual(put.header("ETag"), '"%s"' % hashlib.md5(chunk).hexdigest())
            etags.append(put.header("ETag"))
        self.assertEqual(self.stats("fal")["cdn_parts_received"], 4)
        parts = [{"partNumber": n, "etag": e} for n, e in enumerate(etags, 1)]
        wrong = self.call("POST", f"{access}/multipart/{upload_id}/complete",
                          {"parts": [{**parts[0], "etag": '"nope"'}] + parts[1:]}, auth)
        self.assertEqual(wrong.status, 400)
        missing = self.call("POST", f"{access}/multipart/{upload_id}/complete", {"parts": parts[:2]}, auth)
        self.assertEqual(missing.status, 400)
        done = self.call("POST", f"{access}/multipart/{upload_id}/complete", {"parts": parts}, auth)
        self.assertEqual(done.status, 200, done.body)
        self.assertEqual(self.call("GET", access).body, b"".join(chunks))
        self.assertEqual(self.call("PUT", f"{access}/multipart/{upload_id}/1", raw=b"x", headers=auth).status,
                         404)


class FalWebhookTests(EmulatorCase):
    def setUp(self):
        super().setUp()
        self.sink = WebhookSink()
        self.addCleanup(self.sink.close)

    def jwks_key(self):
        keys = self.call("GET", "/fal/rest/.well-known/jwks.json").json["keys"]
        self.assertEqual((keys[0]["kty"], keys[0]["crv"]), ("OKP", "Ed25519"))
        x = keys[0]["x"]
        self.assertNotIn("=", x)
        return base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))

    def test_webhook_url_keeps_its_query_and_the_signature_verifies(self):
        hook = self.sink.url + "?a=1+2&b=x%2Fy"
        submitted = self.call("POST", f"{APP}?fal_webhook={quote(hook, safe='')}", JAZZ, FAL).json
        path, headers, raw = self.sink.next()
        self.assertEqual(path, "/hook?a=1+2&b=x%2Fy")
        body = json.loads(raw)
        self.assertEqual((body["request_id"], body["status"]), (submitted["request_id"], "OK"))
        self.assertEqual(body["gateway_request_id"], submitted["request_id"])
        self.assertEqual(body["payload"]["prompt"], JAZZ["prompt"])
        self.assertEqual(headers["X-Fal-Webhook-Request-Id"], submitted["request_id"])
        self.assertEqual(headers["X-Fal-Webhook-User-Id"], "test-fal-id")
        timestamp = headers["X-Fal-Webhook-Timestamp"]
        self.assertLess(abs(int(timestamp) - time.time()), 300)
        message = "\n".join([submitted["request_id"], "test-fal-id", timestamp,
                             hashlib.sha256(raw).hexdigest()]).encode()
        signature = bytes.fromhex(headers["X-Fal-Webhook-Signature"])
        self.assertTrue(ed25519.verify(self.jwks_key(), message, signature))
        self.assertFalse(ed25519.verify(self.jwks_key(), message + b"x", signature))

    def test_scripted_task_reports_its_error_once_polled_to_completion(self):
        submitted = self.call("POST", f"{APP}?fal_webhook={quote(self.sink.url, safe='')}", JAZZ,
                              {**FAL, "X-Emulator-Script": "IN_QUEUE,COMPLETED_ERROR"}).json
        self.sink.assert_silent(self, wait=0.2)  # a script advances on polls only
        self.call("GET", self.url_path(submitted["status_url"]), headers=FAL)
        body = json.loads(self.sink.next()[2])
        self.assertEqual(body["status"], "ERROR")
        self.assertIn("error", body)
        self.assertEqual(body["payload"]["error_type"], "runner_server_error")

    def test_unreachable_receiver_is_recorded_as_a_failure(self):
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{unused.getsockname()[1]}/hook"
        self.call("POST", f"{APP}?fal_webhook={quote(dead, safe='')}", JAZZ, FAL)
        deadline = time.time() + 5
        while self.stats("fal")["webhook_failures"] == 0 and time.time() < deadline:
            time.sleep(0.02)
        delivery = self.call("GET", "/_emulator/webhooks").json["deliveries"][-1]
        self.assertEqual((delivery["url"], delivery["status"]), (dead, None))
        self.assertIn("Connection", delivery["error"])
        self.assertEqual(self.call("GET", "/_emulator/health").status, 200)
