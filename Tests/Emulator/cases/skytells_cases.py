"""Skytells: predictions, lifecycle, listing, models, webhooks."""

import hashlib
import hmac
import io
import json
import time
import wave
from datetime import date, timedelta

from .harness import SKYTELLS, EmulatorCase, WebhookSink

MUSIC = {"model": "beatfusion-2.0", "input": {"prompt": "lo-fi", "duration_seconds": 30}}
VIDEO = {"model": "truefusion-video-pro",
         "input": {"prompt": "a dog", "duration_seconds": 5, "aspect_ratio": "16:9", "fps": 24}}


class SkytellsPredictionTests(EmulatorCase):
    def create(self, body=MUSIC, path="/skytells/v1/predictions", **headers):
        answer = self.call("POST", path, body, {**SKYTELLS, **headers})
        self.assertIn(answer.status, (200, 201), answer.body)
        return answer.json

    def poll(self, prediction_id):
        return self.call("GET", f"/skytells/v1/predictions/{prediction_id}", headers=SKYTELLS).json

    def test_missing_or_wrong_key_is_401_in_skytells_shape(self):
        for headers in ({}, {"x-api-key": "nope"}):
            answer = self.call("POST", "/skytells/v1/predictions", MUSIC, headers)
            self.assertEqual(answer.status, 401)
            self.assertEqual(answer.json["error"]["error_id"], "UNAUTHORIZED")
            self.assertEqual(answer.json["error"]["http_status"], 401)
            self.assertIn("details", answer.json["error"])

    def test_create_then_each_poll_advances_one_step(self):
        created = self.create()
        self.assertTrue(created["id"].startswith("pred_"))
        self.assertEqual((created["status"], created["output"]), ("queued", None))
        running = self.poll(created["id"])
        self.assertEqual(running["status"], "processing")
        self.assertEqual(running["metrics"]["progress"], 0.5)
        done = self.poll(created["id"])
        self.assertEqual(done["status"], "succeeded")
        self.assertEqual(len(done["output"]), 1)
        audio = self.call("GET", self.url_path(done["output"][0]))
        with wave.open(io.BytesIO(audio.body)) as track:
            self.assertEqual(track.getnframes(), 10 * 44100)  # capped at 10 s
        self.assertEqual(self.inspect("skytells", created["id"])["polls"], 2)
        stats = self.stats("skytells")
        self.assertEqual(stats["requests"]["GET /v1/predictions/{id}"], 2)
        self.assertEqual((stats["tasks_created"], stats["polls"]), (1, 2))

    def test_video_output_points_at_clip(self):
        created = self.create(VIDEO, **{"X-Emulator-Script": "succeeded"})
        self.assertIn("/media/clip.mp4?seconds=5", created["output"][0])

    def test_script_with_repeats_and_sticky_last_status(self):
        created = self.create(**{"X-Emulator-Script": "queued*2,processing,succeeded"})
        seen = [self.poll(created["id"])["status"] for _ in range(5)]
        self.assertEqual(seen, ["queued", "processing", "succeeded", "succeeded", "succeeded"])
        history = [entry["status"] for entry in self.inspect("skytells", created["id"])["history"]]
        self.assertEqual(history, ["queued", "processing", "succeeded"])

    def test_failed_and_unknown_statuses(self):
        created = self.create(**{"X-Emulator-Script": "queued,warming_up,failed"})
        self.assertEqual(self.poll(created["id"])["status"], "warming_up")
        failed = self.poll(created["id"])
        self.assertEqual(failed["status"], "failed")
        self.assertIsInstance(failed["error"], str)
        self.assertIsNone(failed["output"])

    def test_timeline_follows_the_clock(self):
        created = self.create(**{"X-Emulator-Timeline": "queued@0,processing@150,succeeded@300"})
        self.assertEqual(self.poll(created["id"])["status"], "queued")
        time.sleep(0.2)
        self.assertEqual(self.poll(created["id"])["status"], "processing")
        time.sleep(0.15)
        self.assertEqual(self.poll(created["id"])["status"], "succeeded")

    def test_timeline_progress_rises_with_the_clock(self):
        # Processing from 0 to 100 s: a poll at once reads almost nothing done, a later one more.
        created = self.create(**{"X-Emulator-Timeline": "processing@0,succeeded@100000"})
        first = self.poll(created["id"])["metrics"]["progress"]
        time.sleep(0.02)
        second = self.poll(created["id"])["metrics"]["progress"]
        self.assertGreater(first, 0)
        self.assertLess(first, 0.01)
        self.assertGreater(second, first)
        # Several running steps share one rise, from the first's time to the end's.
        steps = self.create(**{"X-Emulator-Timeline": "queued@0,starting@1,processing@50000,succeeded@100000"})
        time.sleep(0.005)  # past `starting@1`: a poll within the first millisecond finds it queued
        self.assertLess(self.poll(steps["id"])["metrics"]["progress"], 0.01)

    def test_bad_control_headers_are_emulator_errors(self):
        for headers in ({"X-Emulator-Script": "queued*x"}, {"X-Emulator-Timeline": "queued"},
                        {"X-Emulator-Output-Shape": "dict"},
                        {"X-Emulator-Script": "a", "X-Emulator-Timeline": "a@0"}):
            answer = self.call("POST", "/skytells/v1/predictions", MUSIC, {**SKYTELLS, **headers})
            self.assertEqual(answer.status, 400)
            self.assertIn("emulator_error", answer.json)

    def test_output_shapes(self):
        as_string = self.create(**{"X-Emulator-Script": "succeeded",
                                   "X-Emulator-Output-Shape": "string"})
        self.assertIsInstance(as_string["output"], str)
        as_null = self.create(**{"X-Emulator-Script": "succeeded",
                                 "X-Emulator-Output-Shape": "null"})
        self.assertEqual((as_null["status"], as_null["output"]), ("succeeded", None))

    def test_status_false_header_is_an_error_inside_a_200(self):
        answer = self.call("POST", "/skytells/v1/predictions", MUSIC,
                           {**SKYTELLS, "X-Emulator-Status-False": "1"})
        self.assertEqual(answer.status, 200)
        self.assertIs(answer.json["status"], False)
        self.assertIsInstance(answer.json["response"], str)
        self.assertEqual(self.stats("skytells")["tasks_created"], 0)

    def test_status_false_queued_fault_wraps_a_real_prediction(self):
        answer = self.call("POST", "/skytells/v1/predictions", MUSIC,
                           {**SKYTELLS, "X-Emulator-Fault": "status-false-queued"})
        self.assertEqual(answer.status, 200)
        self.assertIs(answer.json["status"], False)
        self.assertIsInstance(answer.json["error"]["message"], str)
        self.assertEqual(self.stats("skytells")["tasks_created"], 1)
        polled = self.call("GET", f"/skytells/v1/predictions/{answer.json['id']}", None, SKYTELLS)
        self.assertEqual(polled.status, 200)

    def test_error_form_fault_answers_each_documented_error_body(self):
        def fault(text):
            return self.call("POST", "/skytells/v1/predictions", MUSIC, {**SKYTELLS, "X-Emulator-Fault": text})
        top = fault("error-form;form=top-level;status=429;code=RATE_LIMIT_EXCEEDED")
        self.assertEqual(top.status, 429)
        self.assertEqual(top.json["error_id"], "RATE_LIMIT_EXCEEDED")
        self.assertEqual(top.headers.get("Retry-After"), "1")
        envelope = fault("error-form;status=402;code=INSUFFICIENT_CREDITS")
        self.assertEqual(envelope.status, 402)
        self.assertIs(envelope.json["status"], False)
        self.assertEqual(envelope.json["error"]["http_status"], 402)
        inside = fault("error-form;form=in-200;status=401;code=UNAUTHORIZED")
        self.assertEqual(inside.status, 200)
        self.assertEqual(inside.json["error"]["error_id"], "UNAUTHORIZED")
        self.assertNotIn("id", inside.json)
        self.assertEqual(fault("error-form;form=sideways").status, 400)
        self.assertEqual(self.stats("skytells")["tasks_created"], 0)

    def test_predict_with_await_returns_the_final_prediction(self):
        answer = self.call("POST", "/skytells/v1/predict", {**MUSIC, "await": True}, SKYTELLS)
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.json["status"], "succeeded")
        timed = self.call("POST", "/skytells/v1/predict", {**MUSIC, "await": True},
                          {**SKYTELLS, "X-Emulator-Timeline": "queued@0,succeeded@200"})
        self.assertEqual(timed.json["status"], "succeeded")
        plain = self.call("POST", "/skytells/v1/predict", MUSIC, SKYTELLS)
        self.assertEqual((plain.status, plain.json["status"]), (201, "queued"))

    def test_input_validation(self):
        cases = [({"model": "beatfusion-2.0", "input": {"prompt": "x", "duration_seconds": 121}},
                  422, "INVALID_INPUT"),
                 ({"model": "beatfusion-1.0", "input": {"prompt": "x", "duration_seconds": 4}},
                  422, "INVALID_INPUT"),
                 ({"model": "sora-2", "input": {"duration_seconds": 5}}, 422, "INVALID_INPUT"),
                 ({"model": "mera", "input": {"prompt": "x", "duration_seconds": 31}},
                  422, "INVALID_INPUT"),
                 ({"model": "lumo", "input": {"prompt": "x", "fps": 60}}, 422, "INVALID_INPUT"),
                 ({"model": "no-such-model", "input": {"prompt": "x"}}, 404, "MODEL_NOT_FOUND"),
                 ({"input": {"prompt": "x"}}, 400, "INVALID_PARAMETER"),
                 ({"model": "lumo", "input": "x"}, 400, "INVALID_PARAMETER"),
                 ({**MUSIC, "webhook": "not a url"}, 400, "INVALID_PARAMETER"),
                 ({**MUSIC, "webhook": "http://x", "webhook_events_filter": ["done"]},
                  400, "INVALID_PARAMETER")]
        for body, status, error_id in cases:
            with self.subTest(body=body):
                answer = self.call("POST", "/skytells/v1/predictions", body, SKYTELLS)
                self.assertEqual(answer.status, status, answer.body)
                self.assertEqual(answer.json["error"]["error_id"], error_id)
        broken = self.call("POST", "/skytells/v1/predictions", headers=SKYTELLS, raw=b"{nope")
        self.assertEqual(broken.json["error"]["error_id"], "INVALID_PARAMETER")

    def test_cancel_delete_and_stream(self):
        created = self.create()
        cancel = self.call("POST", f"/skytells/v1/predictions/{created['id']}/cancel",
                           headers=SKYTELLS)
        self.assertEqual(cancel.json["status"], "cancelled")
        again = self.call("POST", f"/skytells/v1/predictions/{created['id']}/cancel",
                          headers=SKYTELLS)
        self.assertEqual((again.status, again.json["status"]), (200, "cancelled"))
        stream = self.call("GET", f"/skytells/v1/predictions/{created['id']}/stream",
                           headers=SKYTELLS)
        events = self.call("GET", self.url_path(stream.json["urls"]["stream"]), headers=SKYTELLS)
        self.assertEqual(events.header("Content-Type"), "text/event-stream")
        self.assertIn(b"event: done", events.body)
        deleted = self.call("DELETE", f"/skytells/v1/predictions/{created['id']}/delete",
                            headers=SKYTELLS)
        self.assertEqual(deleted.status, 200)
        gone = self.call("GET", f"/skytells/v1/predictions/{created['id']}", headers=SKYTELLS)
        self.assertEqual((gone.status, gone.json["error"]["error_id"]), (404, "NOT_FOUND"))

    def test_list_with_pagination_and_filters(self):
        for _ in range(21):
            self.create()
        self.create(VIDEO)
        first = self.call("GET", "/skytells/v1/predictions", headers=SKYTELLS).json
        self.assertEqual(first["pagination"], {"current_page": 1, "per_page": 20, "total": 22,
                                               "last_page": 2})
        second = self.call("GET", "/skytells/v1/predictions?page=2", headers=SKYTELLS).json
        self.assertEqual(len(second["data"]), 2)
        only_video = self.call("GET", "/skytells/v1/predictions?model=truefusion-video-pro",
                               headers=SKYTELLS).json
        self.assertEqual(only_video["pagination"]["total"], 1)
        today = date.today()
        window = f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
        within = self.call("GET", f"/skytells/v1/predictions?{window}", headers=SKYTELLS).json
        self.assertEqual(within["pagination"]["total"], 22)
        future = f"from={today + timedelta(days=2)}"
        self.assertEqual(self.call("GET", f"/skytells/v1/predictions?{future}",
                                   headers=SKYTELLS).json["pagination"]["total"], 0)

    def test_list_page_size_and_the_references_bare_array(self):
        for _ in range(3):
            self.create()
        page = self.call("GET", "/skytells/v1/predictions?per_page=2&page=2", headers=SKYTELLS).json
        self.assertEqual(page["pagination"], {"current_page": 2, "per_page": 2, "total": 3, "last_page": 2})
        self.assertEqual(len(page["data"]), 1)
        bare = self.call("GET", "/skytells/v1/predictions?per_page=2",
                         headers={**SKYTELLS, "X-Emulator-Fault": "list-form;form=array"}).json
        self.assertIsInstance(bare, list)
        self.assertEqual(len(bare), 2)
        for per_page in ("0", "51", "x"):
            answer = self.call("GET", f"/skytells/v1/predictions?per_page={per_page}", headers=SKYTELLS)
            self.assertEqual((answer.status, answer.json["error"]["error_id"]), (400, "INVALID_PARAMETER"))
        bad = self.call("GET", "/skytells/v1/predictions",
                        headers={**SKYTELLS, "X-Emulator-Fault": "list-form;form=table"})
        self.assertEqual(bad.status, 400)

    def test_list_date_errors(self):
        for query, error_id in (("from=2024-13-01", "INVALID_DATE_FORMAT"),
                                ("to=01/02/2024", "INVALID_DATE_FORMAT"),
                                ("from=2024-05-02&to=2024-05-01", "INVALID_DATE_RANGE"),
                                ("page=0", "INVALID_PARAMETER")):
            answer = self.call("GET", f"/skytells/v1/predictions?{query}", headers=SKYTELLS)
            self.assertEqual((answer.status, answer.json["error"]["error_id"]), (400, error_id))


class SkytellsModelTests(EmulatorCase):
    def test_models_list_and_fields(self):
        models = self.call("GET", "/skytells/v1/models", headers=SKYTELLS).json
        self.assertEqual(len(models), 9)
        prices = {model["namespace"]: model["pricing"]["amount"] for model in models}
        self.assertEqual(prices["beatfusion-2.0"], 0.75)
        self.assertEqual(prices["veo-3.1"], 3.00)
        self.assertNotIn("input_schema", models[0])
        with_schemas = self.call("GET", "/skytells/v1/models?fields=input_schema,output_schema",
                                 headers=SKYTELLS).json
        self.assertIn("input_schema", with_schemas[0])
        self.assertIn("output_schema", with_schemas[0])

    def test_model_by_slug(self):
        model = self.call("GET", "/skytells/v1/model/beatfusion-1.0", headers=SKYTELLS).json
        self.assertEqual(model["pricing"], {"amount": 0.45, "currency": "USD",
                                            "unit": "prediction"})
        self.assertEqual(model["type"], "music")
        self.assertNotIn("input_schema", model)
        # The API reference's route answers the same model; schemas only when asked for.
        same = self.call("GET", "/skytells/v1/models/beatfusion-1.0?fields=input_schema",
                         headers=SKYTELLS).json
        self.assertEqual(same["pricing"], model["pricing"])
        self.assertIn("input_schema", same)
        self.assertNotIn("output_schema", same)
        missing = self.call("GET", "/skytells/v1/model/nope", headers=SKYTELLS)
        self.assertEqual((missing.status, missing.json["error"]["error_id"]),
                         (404, "MODEL_NOT_FOUND"))


class SkytellsWebhookTests(EmulatorCase):
    options = {"skytells_webhook_secret": "dashboard-secret"}

    def setUp(self):
        super().setUp()
        self.sink = WebhookSink()
        self.addCleanup(self.sink.close)

    def test_string_webhook_with_filter_runs_unattended_and_is_signed(self):
        body = {**VIDEO, "webhook": self.sink.url, "webhook_events_filter": ["completed"]}
        created = self.call("POST", "/skytells/v1/predictions", body, SKYTELLS).json
        _, headers, raw = self.sink.next()
        self.sink.assert_silent(self)  # "started" was filtered out
        delivered = json.loads(raw)
        self.assertEqual((delivered["id"], delivered["status"]), (created["id"], "succeeded"))
        expected = hmac.new(b"dashboard-secret", raw, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-Skytells-Signature"], expected)
        # At least this one: the counter is the emulator's, and a delivery an earlier test of this
        # class left in flight can land after the reset (seen once in CI); this test's own
        # deliveries are the sink's, checked above (one, the completed event).
        self.assertGreaterEqual(self.stats("skytells")["webhooks_delivered"], 1)

    def test_object_webhook_events(self):
        body = {**MUSIC, "webhook": {"url": self.sink.url, "events": ["started", "canceled"]}}
        created = self.call("POST", "/skytells/v1/predict", body,
                            {**SKYTELLS, "X-Emulator-Script": "queued,processing,succeeded"}).json
        self.call("GET", f"/skytells/v1/predictions/{created['id']}", headers=SKYTELLS)
        self.assertEqual(json.loads(self.sink.next()[2])["status"], "processing")
        self.call("POST", f"/skytells/v1/predictions/{created['id']}/cancel", headers=SKYTELLS)
        self.assertEqual(json.loads(self.sink.next()[2])["status"], "cancelled")

    def test_envelope_form_wraps_the_prediction_with_its_event_type(self):
        body = {**MUSIC, "webhook": self.sink.url, "webhook_events_filter": ["started", "completed"]}
        created = self.call("POST", "/skytells/v1/predictions", body,
                            {**SKYTELLS, "X-Emulator-Webhook-Form": "envelope"}).json
        events = [json.loads(self.sink.next()[2]) for _ in range(2)]
        self.assertEqual([event["type"] for event in events], ["prediction.started", "prediction.succeeded"])
        self.assertEqual(events[-1]["data"]["id"], created["id"])
        self.assertIn("created_at", events[-1])
        bad = self.call("POST", "/skytells/v1/predictions", MUSIC,
                        {**SKYTELLS, "X-Emulator-Webhook-Form": "xml"})
        self.assertEqual(bad.status, 400)

    def test_failed_delivery_is_counted_not_fatal(self):
        self.sink.status = 500
        body = {**MUSIC, "webhook": self.sink.url}
        self.call("POST", "/skytells/v1/predictions", body,
                  {**SKYTELLS, "X-Emulator-Script": "succeeded"})
        self.sink.next()
        deadline = time.time() + 3
        while self.stats("skytells")["webhook_failures"] == 0 and time.time() < deadline:
            time.sleep(0.02)
        self.assertEqual(self.stats("skytells")["webhook_failures"], 1)
        deliveries = self.call("GET", "/_emulator/webhooks").json["deliveries"]
        self.assertEqual(deliveries[-1]["status"], 500)
