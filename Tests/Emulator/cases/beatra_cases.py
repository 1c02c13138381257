"""Beatra: music tasks, wallet, idempotency, uploads, reference audio, listing, cancel."""

from .harness import BEATRA, EmulatorCase, multipart_body

SUNO = {"model": "suno-5.5", "prompt": "dream pop, warm analog drums",
        "lyrics": "[Verse]\nCity lights", "instrumental": False,
        "model_options": {"suno": {"custom_mode": True, "style_weight": 0.6}}}
MINIMAX = {"model": "minimax-music-2.6", "prompt": "lofi"}


class BeatraTaskTests(EmulatorCase):
    def create(self, body=SUNO, route="text-to-music", **headers):
        return self.call("POST", f"/beatra/v1/music/{route}", body, {**BEATRA, **headers})

    def poll(self, task_id):
        return self.call("GET", f"/beatra/v1/tasks/{task_id}", headers=BEATRA).json

    def test_auth_error_shape_and_request_id_echo(self):
        answer = self.call("GET", "/beatra/v1/tasks", headers={"X-Request-Id": "mine-1"})
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.header("X-Request-Id"), "mine-1")
        self.assertEqual(answer.json["error"], {"code": "unauthorized",
                                                "message": "Missing or invalid API key.",
                                                "retryable": False, "request_id": "mine-1"})
        generated = self.call("GET", "/beatra/v1/tasks", headers=BEATRA)
        self.assertTrue(generated.header("X-Request-Id").startswith("req_"))

    def test_suno_task_lifecycle_and_billing(self):
        created = self.create()
        self.assertEqual(created.status, 202)
        task_id = created.json["task_id"]
        self.assertTrue(task_id.startswith("task_"))
        running = self.poll(task_id)
        self.assertEqual((running["task_id"], running["status"]), (task_id, "running"))
        self.assertEqual(running["progress"], {"percent": 50, "stage": "generating",
                                               "message": "Generating audio."})
        self.assertEqual(running["billing"], {"charged_credits": 80,
                                              "charged_credits_usd_reference": 0.08})
        done = self.poll(task_id)
        self.assertEqual(done["status"], "succeeded")
        clips = done["output"]["clips"]
        self.assertEqual(len(clips), 2)
        for clip in clips:
            self.assertTrue(clip["artifact_id"].startswith("artifact_"))
            self.assertEqual(len(self.call("GET", self.url_path(clip["audio_url"])).body),
                             44 + 10 * 44100 * 4)
        self.assertEqual(self.stats("beatra")["credits_charged"], 80)

    def test_minimax_returns_one_clip(self):
        task_id = self.create(MINIMAX, **{"X-Emulator-Script": "succeeded"}).json["task_id"]
        done = self.poll(task_id)
        self.assertEqual(len(done["output"]["clips"]), 1)
        self.assertEqual(done["billing"]["charged_credits"], 50)

    def test_failure_refunds_and_reports_error(self):
        task_id = self.create(**{"X-Emulator-Script": "queued,running,failed"}).json["task_id"]
        self.poll(task_id)
        failed = self.poll(task_id)
        self.assertEqual(failed["error"]["code"], "generation_failed")
        self.assertIn("retryable", failed["error"])
        self.assertEqual((failed["billing"]["refunded_credits"],
                          failed["billing"]["refunded_credits_usd_reference"]), (80, 0.08))
        self.assertEqual(self.stats("beatra")["credits_refunded"], 80)

    def test_cancel(self):
        task_id = self.create(MINIMAX).json["task_id"]
        canceled = self.call("POST", f"/beatra/v1/tasks/{task_id}/cancel", headers=BEATRA)
        self.assertEqual((canceled.status, canceled.json["status"]), (200, "canceled"))
        self.assertEqual(canceled.json["billing"]["refunded_credits"], 50)
        again = self.call("POST", f"/beatra/v1/tasks/{task_id}/cancel", headers=BEATRA)
        self.assertEqual((again.status, again.json["error"]["code"]), (409, "task_not_cancelable"))
        self.assertIs(again.json["error"]["retryable"], False)
        missing = self.call("POST", "/beatra/v1/tasks/task_nope/cancel", headers=BEATRA)
        self.assertEqual(missing.status, 404)

    def test_idempotency_key_replays_without_a_second_debit(self):
        first = self.create(**{"Idempotency-Key": "8d1c"}).json["task_id"]
        again = self.create(**{"Idempotency-Key": "8d1c"})
        self.assertEqual((again.status, again.json["task_id"]), (202, first))
        conflict = self.create({**SUNO, "prompt": "other"}, **{"Idempotency-Key": "8d1c"})
        self.assertEqual((conflict.status, conflict.json["error"]["code"]),
                         (409, "idempotency_conflict"))
        self.assertEqual(self.stats("beatra")["credits_charged"], 80)

    def test_validation(self):
        cases = [({**SUNO, "model": "suno-4"}, "model"),
                 ({"model": "suno-5.5"}, "prompt"),
                 ({**SUNO, "model_options": {"udio": {}}}, "model_options.udio"),
                 ({**SUNO, "model_options": {"minimax": {}}}, "model_options.minimax"),
                 ({**SUNO, "instrumental": "no"}, "instrumental")]
        for body, param in cases:
            with self.subTest(param=param):
                answer = self.create(body)
                self.assertEqual(answer.status, 400)
                self.assertEqual((answer.json["error"]["code"], answer.json["error"]["param"]),
                                 ("invalid_request", param))
                self.assertIs(answer.json["error"]["retryable"], False)

    def test_list_tasks_with_cursor(self):
        ids = [self.create(MINIMAX).json["task_id"] for _ in range(3)]
        first = self.call("GET", "/beatra/v1/tasks?limit=2", headers=BEATRA).json
        self.assertEqual(([t["task_id"] for t in first["data"]], first["has_more"]),
                         (ids[::-1][:2], True))
        rest = self.call("GET", f"/beatra/v1/tasks?limit=2&after={ids[1]}", headers=BEATRA).json
        self.assertEqual(([t["task_id"] for t in rest["data"]], rest["has_more"]),
                         ([ids[0]], False))
        self.assertEqual(self.stats("beatra")["polls"], 0)  # listing is not polling


class BeatraReferenceAudioTests(EmulatorCase):
    def upload(self, purpose="reference_audio", content_type="audio/mpeg"):
        body, form_type = multipart_body({"purpose": purpose},
                                         {"file": ("reference.mp3", content_type, b"ID3" * 1000)})
        return self.call("POST", "/beatra/v1/uploads", raw=body,
                         headers={**BEATRA, "Content-Type": form_type})

    def test_upload_then_reference_by_artifact(self):
        uploaded = self.upload()
        self.assertEqual(uploaded.status, 201, uploaded.body)
        artifact_id = uploaded.json["artifact_id"]
        self.assertTrue(artifact_id.startswith("artifact_01"))
        self.assertEqual(uploaded.json["bytes"], 3000)
        body = {"model": "suno-5.5", "prompt": "polished synth pop",
                "reference_audio": {"type": "artifact", "artifact_id": artifact_id}}
        created = self.call("POST", "/beatra/v1/music/reference-audio-to-music", body, BEATRA)
        self.assertEqual(created.status, 202, created.body)
        task = self.call("GET", f"/beatra/v1/tasks/{created.json['task_id']}", headers=BEATRA)
        self.assertEqual(task.json["type"], "reference-audio-to-music")

    def test_reference_by_url_forms_and_errors(self):
        path = "/beatra/v1/music/reference-audio-to-music"
        for reference in ("https://cdn.example.com/ref.mp3",
                          {"type": "url", "url": "https://cdn.example.com/ref.mp3"}):
            body = {**MINIMAX, "reference_audio": reference}
            self.assertEqual(self.call("POST", path, body, BEATRA).status, 202)
        for reference, param in (("http://cdn.example.com/ref.mp3", "reference_audio"),
                                 (None, "reference_audio"),
                                 ({"type": "artifact", "artifact_id": "artifact_nope"},
                                  "reference_audio.artifact_id")):
            answer = self.call("POST", path, {**MINIMAX, "reference_audio": reference}, BEATRA)
            self.assertEqual((answer.status, answer.json["error"]["param"]), (400, param))

    def test_upload_errors(self):
        self.assertEqual(self.upload(purpose="other").json["error"]["param"], "purpose")
        self.assertEqual(self.upload(content_type="image/png").json["error"]["param"], "file")


class BeatraWalletTests(EmulatorCase):
    options = {"beatra_credits": 100}

    def test_insufficient_credits_and_reset(self):
        self.assertEqual(self.call("POST", "/beatra/v1/music/text-to-music", SUNO,
                                   BEATRA).status, 202)
        broke = self.call("POST", "/beatra/v1/music/text-to-music", SUNO, BEATRA)
        self.assertEqual((broke.status, broke.json["error"]["code"]),
                         (402, "insufficient_credits"))
        self.assertIs(broke.json["error"]["retryable"], False)
        self.call("POST", "/_emulator/reset")
        self.assertEqual(self.call("POST", "/beatra/v1/music/text-to-music", SUNO,
                                   BEATRA).status, 202)
