"""BeatAPI: workflows, tasks, billing, idempotency, concurrency, files, webhook endpoints."""

import hashlib
import hmac
import json

from .harness import BEATAPI, BEATRA, EmulatorCase, WebhookSink, multipart_body

MUSIC_VIDEO = {"images": ["https://cdn.example.com/singer.png"],
               "audio_url": "https://cdn.example.com/song.mp3",
               "prompt": "Neon rooftop performance", "language": "en", "resolution": "720p"}
ECOMMERCE = {"images": ["https://cdn.example.com/bottle.png"], "duration": 15,
             "prompt": "Launch ad", "aspect_ratio": "9:16"}
SEED_TASK_KEYS = {"id", "object", "workflow", "status", "created_at", "updated_at", "output",
                  "usage", "request_id", "error_code", "error_message"}
CREDITS = {"X-Emulator-Units": "credits"}
FACE = "https://cdn.example.com/face.png"


class BeatAPITaskTests(EmulatorCase):
    options = {"beatapi_concurrency": 2}

    def create(self, body=MUSIC_VIDEO, workflow="music-video", **headers):
        return self.call("POST", f"/beatapi/v1/{workflow}/tasks", body, {**BEATAPI, **headers})

    def poll(self, task_id):
        return self.call("GET", f"/beatapi/v1/tasks/{task_id}", headers=BEATAPI).json["data"]

    def usage(self):
        return self.call("GET", "/beatapi/v1/usage", headers=BEATAPI).json["data"]

    def test_workflows_are_public(self):
        listing = self.call("GET", "/beatapi/v1/workflows").json["data"]
        self.assertEqual(listing["object"], "list")
        self.assertEqual([w["id"] for w in listing["data"]], ["music-video", "ecommerce-video"])

    def test_auth_errors_use_the_beatapi_shape(self):
        answer = self.call("GET", "/beatapi/v1/usage", headers={"Authorization": "Bearer x"})
        self.assertEqual(answer.status, 401)
        error = answer.json["error"]
        self.assertEqual(error["code"], "unauthorized")
        self.assertTrue(error["request_id"].startswith("req_"))

    def test_music_video_task_is_billed_in_usd_and_settles(self):
        created = self.create()
        self.assertEqual(created.status, 201)
        task = created.json["data"]
        self.assertLessEqual(SEED_TASK_KEYS, set(task))
        self.assertTrue(task["id"].startswith("task_"))
        self.assertEqual((task["object"], task["workflow"], task["status"], task["task_kind"]),
                         ("task", "music-video", "queued", "workflow"))
        self.assertEqual(task["usage"], {"credits_reserved": 4.5, "credits_charged": 4.5,
                                         "billable_duration_seconds": 90, "credits_settled": 0,
                                         "credits_refunded": 0})
        self.assertIsNone(task["output"])
        self.assertEqual(self.poll(task["id"])["status"], "processing")
        done = self.poll(task["id"])
        self.assertEqual(done["status"], "succeeded")
        self.assertEqual(done["usage"]["credits_settled"], 4.5)
        self.url_path(done["output"]["media"][0]["url"])
        usage = self.usage()
        self.assertEqual((usage["credit_balance"], usage["credits_settled"]), (99_995.5, 4.5))
        self.assertIn("by_capability", usage)
        self.assertEqual(self.stats("beatapi")["usd_cents_charged"], 450)

    def test_credits_mode_keeps_the_seeds_task_shape(self):
        task = self.create(**CREDITS).json["data"]
        self.assertEqual(set(task), SEED_TASK_KEYS)
        self.assertEqual(task["usage"], {"credits_reserved": 450, "credits_settled": 0,
                                         "credits_refunded": 0})
        usage = self.call("GET", "/beatapi/v1/usage", headers={**BEATAPI, **CREDITS}).json["data"]
        self.assertNotIn("by_capability", usage)
        self.assertEqual(self.stats("beatapi")["credits_charged"], 450)

    def test_failure_refunds(self):
        task = self.create(**{"X-Emulator-Script": "queued,failed"}).json["data"]
        failed = self.poll(task["id"])
        self.assertEqual((failed["error_code"], failed["usage"]["credits_refunded"]),
                         ("processing_failed", 4.5))
        self.assertEqual(self.usage()["credit_balance"], 100_000)
        self.assertEqual(self.stats("beatapi")["usd_cents_refunded"], 450)

    def test_music_video_validation(self):
        premium = {"mv_tier": "premium", "mv_mode": "sing", "audio_url": MUSIC_VIDEO["audio_url"],
                   "lip_ref_urls": [FACE]}
        broken = [{**MUSIC_VIDEO, "images": []},
                  {**MUSIC_VIDEO, "images": MUSIC_VIDEO["images"] * 8},
                  {**MUSIC_VIDEO, "images": ["http://cdn.example.com/a.png"]},
                  {**MUSIC_VIDEO, "audio_url": "http://cdn.example.com/a.mp3"},
                  {**MUSIC_VIDEO, "prompt": "x" * 3001},
                  {**MUSIC_VIDEO, "language": "fr"},
                  {**MUSIC_VIDEO, "resolution": "4k"},
                  {**MUSIC_VIDEO, "resolution": "540p", "quality": "high"},
                  {**MUSIC_VIDEO, "resolution": "540p", "lip_sync": True, "lip_ref_url": FACE},
                  {**MUSIC_VIDEO, "lip_sync": True},
                  {**MUSIC_VIDEO, "srt_url": "https://cdn.example.com/a.txt"},
                  {**MUSIC_VIDEO, "duration": 181},
                  {**MUSIC_VIDEO, "mv_mode": "sing"},
                  {**premium, "mv_mode": None},
                  {**premium, "lip_ref_urls": []},
                  {**premium, "language": "en"},
                  {**premium, "resolution": "1080p"},
                  {**premium, "mv_mode": "dance", "lip_ref_urls": None,
                   "images": MUSIC_VIDEO["images"] * 5},
                  {**premium, "duration": 301}]
        for body in broken:
            body = {k: v for k, v in body.items() if v is not None}
            with self.subTest(body=body):
                answer = self.create(body)
                self.assertEqual(answer.status, 400)
                self.assertEqual(answer.json["error"]["code"], "bad_request")
        self.assertEqual(self.stats("beatapi")["tasks_created"], 0)

    def test_the_descriptions_optional_fields_and_tiers_are_accepted(self):
        optional = {k: v for k, v in MUSIC_VIDEO.items() if k not in ("prompt", "language")}
        dance = {"mv_tier": "premium", "mv_mode": "dance", "audio_url": MUSIC_VIDEO["audio_url"],
                 "images": MUSIC_VIDEO["images"] * 6, "duration": 300}
        self.assertEqual(self.create(optional).status, 201)
        created = self.create(dance)
        self.assertEqual((created.status, created.json["data"]["usage"]["credits_reserved"]),
                         (201, 60))

    def test_ecommerce_video(self):
        task = self.create(ECOMMERCE, "ecommerce-video").json["data"]
        self.assertEqual((task["workflow"], task["usage"]["credits_reserved"]),
                         ("ecommerce-video", 4.5))
        for body in ({**ECOMMERCE, "duration": 61}, {"images": ECOMMERCE["images"]}):
            self.assertEqual(self.create(body, "ecommerce-video").status, 400)

    def test_ecommerce_video_rules_accept_the_edges_and_refuse_past_them(self):
        # spec `operations.createEcommerceVideoTask`: 1 + up to 6 images, 10-60 s, prompt at most
        # 2000 characters, aspect ratio 16:9, 9:16 or 1:1, language en or zh.
        image = "https://cdn.example.com/p{}.png"
        accepted = [("duration", 10), ("duration", 60), ("prompt", "x" * 2000),
                    ("images", [image.format(i) for i in range(7)]), ("aspect_ratio", "16:9"),
                    ("aspect_ratio", "9:16"), ("aspect_ratio", "1:1"), ("language", "en"),
                    ("language", "zh")]
        refused = [("duration", 9), ("duration", 61), ("duration", 15.5), ("duration", None),
                   ("prompt", "x" * 2001), ("prompt", 7),
                   ("images", [image.format(i) for i in range(8)]), ("images", []),
                   ("aspect_ratio", "4:3"), ("aspect_ratio", "3:4"), ("language", "fr")]
        for field, value in accepted:
            with self.subTest(accepted=field, value=str(value)[:20]):
                # Each task ends at once, so the account's concurrency limit stays out of it.
                answer = self.create({**ECOMMERCE, field: value}, "ecommerce-video",
                                     **{"X-Emulator-Script": "succeeded"})
                self.assertEqual(answer.status, 201, answer.json)
        for field, value in refused:
            with self.subTest(refused=field, value=str(value)[:20]):
                body = {key: item for key, item in {**ECOMMERCE, field: value}.items()
                        if item is not None}
                answer = self.create(body, "ecommerce-video")
                self.assertEqual((answer.status, answer.json["error"]["details"]["field"]),
                                 (400, field))
        self.assertEqual(self.stats("beatapi")["tasks_created"], len(accepted))

    def test_a_key_still_being_processed_is_refused_with_the_documented_409(self):
        key = {"Idempotency-Key": "in-progress-1"}
        busy = self.create(ECOMMERCE, "ecommerce-video",
                           **{**key, "X-Emulator-Fault": "idempotency-in-progress"})
        self.assertEqual((busy.status, busy.json["error"]["code"]), (409, "idempotency_conflict"))
        self.assertIn("still being processed", busy.json["error"]["message"])
        self.assertTrue(busy.json["error"]["request_id"].startswith("req_"))
        self.assertEqual(self.stats("beatapi").get("tasks_created", 0), 0)
        # Once it is no longer busy, the same key and body make the task, and then replay it.
        first = self.create(ECOMMERCE, "ecommerce-video", **key)
        again = self.create(ECOMMERCE, "ecommerce-video", **key)
        self.assertEqual((first.status, again.json["data"]["id"]), (201, first.json["data"]["id"]))
        self.assertEqual(self.stats("beatapi")["tasks_created"], 1)

    def test_the_in_progress_fault_needs_a_key_and_is_beatapi_only(self):
        keyless = self.create(**{"X-Emulator-Fault": "idempotency-in-progress"})
        self.assertEqual(keyless.status, 400)
        self.assertIn("emulator_error", keyless.json)
        other = self.call("POST", "/beatra/v1/music/text-to-music",
                          {"model": "suno-5.5", "prompt": "x"},
                          {**BEATRA, "X-Emulator-Fault": "idempotency-in-progress",
                           "Idempotency-Key": "k"})
        self.assertEqual(other.status, 400)
        self.assertIn("emulator_error", other.json)

    def test_idempotency_key(self):
        first = self.create(**{"Idempotency-Key": "k1"}).json["data"]
        again = self.create(**{"Idempotency-Key": "k1"})
        self.assertEqual((again.status, again.json["data"]["id"]), (201, first["id"]))
        conflict = self.create({**MUSIC_VIDEO, "prompt": "other"}, **{"Idempotency-Key": "k1"})
        self.assertEqual((conflict.status, conflict.json["error"]["code"]),
                         (409, "idempotency_conflict"))
        stats = self.stats("beatapi")
        self.assertEqual((stats["tasks_created"], stats["usd_cents_charged"]), (1, 450))

    def test_concurrency_limit(self):
        first = self.create().json["data"]
        self.create()
        blocked = self.create()
        self.assertEqual((blocked.status, blocked.json["error"]["code"]),
                         (429, "user_concurrency_exceeded"))
        self.assertEqual(self.usage()["concurrency"], {"limit": 2, "active": 2})
        self.poll(first["id"])
        self.poll(first["id"])
        self.assertEqual(self.create().status, 201)

    def test_storyboard_ready_is_a_stop_state(self):
        task = self.create(**{"X-Emulator-Script": "queued,storyboard_ready"}).json["data"]
        stopped = self.poll(task["id"])
        self.assertEqual((stopped["status"], stopped["usage"]["credits_settled"]),
                         ("storyboard_ready", 4.5))
        self.assertEqual(self.usage()["concurrency"]["active"], 0)

    def test_storyboard_edit_media_and_compose(self):
        task = self.create(**{"X-Emulator-Script": "queued,requires_action"}).json["data"]
        self.assertEqual(task["storyboard"], {"shots": []})
        stopped = self.poll(task["id"])
        shots = stopped["storyboard"]["shots"]
        self.assertEqual([shot["index"] for shot in shots], [0, 1, 2])
        base = f"/beatapi/v1/music-video/tasks/{task['id']}"
        media = self.call("POST", f"{base}/shots/{shots[0]['id']}/media", headers=BEATAPI)
        self.assertEqual((media.status, media.json["data"]["object"]), (200, "shot_media"))
        self.assertIn("url", media.json["data"]["media"])
        bad = self.call("POST", f"{base}/shots/{shots[1]['id']}/edit",
                        {"prompt": "x", "images": MUSIC_VIDEO["images"]}, BEATAPI)
        self.assertEqual((bad.status, bad.json["error"]["details"]["field"]), (400, "images"))
        key = {**BEATAPI, "Idempotency-Key": "edit-1"}
        edit = self.call("POST", f"{base}/shots/{shots[1]['id']}/edit", {"prompt": "Brighter"}, key)
        self.assertEqual((edit.status, edit.json["data"]["status"]), (202, "editing"))
        again = self.call("POST", f"{base}/shots/{shots[1]['id']}/edit", {"prompt": "Brighter"}, key)
        self.assertEqual((again.status, again.headers.get("Idempotent-Replayed")), (202, "true"))
        edited = self.poll(task["id"])
        self.assertEqual(edited["status"], "requires_action")
        self.assertIn("media", edited["storyboard"]["shots"][1])
        unknown = self.call("POST", f"{base}/compose", {"shot_ids": ["shot_nope"]}, BEATAPI)
        self.assertEqual(unknown.status, 404)
        composed = self.call("POST", f"{base}/compose",
                             {"shot_ids": [shot["id"] for shot in shots]}, BEATAPI)
        self.assertEqual((composed.status, composed.json["data"]["status"]), (202, "composing"))
        done = self.poll(task["id"])
        self.assertEqual(done["status"], "succeeded")
        # $4.50 for the video, 5 s x 5 cents for the edit (once), $1 for the compose.
        self.assertEqual(done["usage"]["credits_charged"], 5.75)
        self.assertEqual(self.stats("beatapi")["usd_cents_charged"], 575)

    def test_manual_compose_mode_stops_at_requires_action(self):
        task = self.create({**MUSIC_VIDEO, "compose_mode": "manual"}).json["data"]
        self.assertEqual([self.poll(task["id"])["status"] for _ in range(2)],
                         ["processing", "requires_action"])

    def test_unknown_task_is_404(self):
        answer = self.call("GET", "/beatapi/v1/tasks/task_nope", headers=BEATAPI)
        self.assertEqual((answer.status, answer.json["error"]["code"]), (404, "not_found"))


class BeatAPIBillingLimitTests(EmulatorCase):
    options = {"beatapi_credits": 5}  # dollars: one $4.50 music video fits

    def test_insufficient_credits_is_402(self):
        self.assertEqual(self.call("POST", "/beatapi/v1/music-video/tasks", MUSIC_VIDEO,
                                   BEATAPI).status, 201)
        answer = self.call("POST", "/beatapi/v1/music-video/tasks", MUSIC_VIDEO, BEATAPI)
        self.assertEqual((answer.status, answer.json["error"]["code"]),
                         (402, "insufficient_credits"))


class BeatAPIFileAndWebhookTests(EmulatorCase):
    def test_file_upload_round_trip(self):
        data = b"\x89PNG\r\n\x1a\n" + bytes(200_000)
        body, content_type = multipart_body({"purpose": "input"},
                                            {"file": ("cover.png", "image/png", data)})
        answer = self.call("POST", "/beatapi/v1/files", headers={**BEATAPI,
                           "Content-Type": content_type}, raw=body)
        self.assertEqual(answer.status, 201, answer.body)
        stored = answer.json["data"]
        self.assertEqual((stored["object"], stored["mime_type"], stored["size_bytes"]),
                         ("file", "image/png", len(data)))
        self.assertEqual(self.call("GET", self.url_path(stored["url"])).body, data)
        # An uploaded file's URL is accepted as a workflow input.
        task = self.call("POST", "/beatapi/v1/music-video/tasks",
                         {**MUSIC_VIDEO, "images": [stored["url"]]}, BEATAPI)
        self.assertEqual(task.status, 201, task.body)

    def test_file_upload_errors(self):
        for fields, files in (({"purpose": "other"}, {"file": ("a.png", "image/png", b"x")}),
                              ({"purpose": "input"}, {}),
                              ({}, {"file": ("a.zip", "application/zip", b"x")})):
            body, content_type = multipart_body(fields, files)
            answer = self.call("POST", "/beatapi/v1/files", raw=body,
                               headers={**BEATAPI, "Content-Type": content_type})
            self.assertEqual(answer.status, 400, answer.body)
        not_multipart = self.call("POST", "/beatapi/v1/files", {"file": "x"}, BEATAPI)
        self.assertEqual(not_multipart.status, 400)

    def test_webhook_endpoint_crud(self):
        created = self.call("POST", "/beatapi/v1/webhooks",
                            {"url": "https://example.com/hook", "description": "prod"}, BEATAPI)
        self.assertEqual(created.status, 201)
        endpoint = created.json["data"]
        secret = endpoint["secret"]
        self.assertTrue(secret.startswith("whsec_"))
        self.assertEqual(endpoint["events"], ["task.succeeded", "task.failed"])
        path = f"/beatapi/v1/webhooks/{endpoint['id']}"
        fetched = self.call("GET", path, headers=BEATAPI).json["data"]
        listed = self.call("GET", "/beatapi/v1/webhooks", headers=BEATAPI).json["data"]
        self.assertEqual(listed["object"], "list")
        for view in (fetched, listed["data"][0]):
            self.assertNotEqual(view["secret"], secret)
        patched = self.call("PATCH", path, {"status": "disabled", "events": ["task.failed"]},
                            BEATAPI).json["data"]
        self.assertEqual((patched["status"], patched["events"]), ("disabled", ["task.failed"]))
        self.assertEqual(self.call("PATCH", path, {"events": ["task.done"]}, BEATAPI).status, 400)
        deleted = self.call("DELETE", path, headers=BEATAPI)
        self.assertEqual(deleted.json, {"data": {"id": endpoint["id"],
                                                 "object": "webhook_endpoint", "deleted": True}})
        self.assertEqual(self.call("GET", path, headers=BEATAPI).status, 404)

    def test_signed_task_events_are_delivered(self):
        sink = WebhookSink()
        self.addCleanup(sink.close)
        secret = self.call("POST", "/beatapi/v1/webhooks", {"url": sink.url},
                           BEATAPI).json["data"]["secret"]
        task = self.call("POST", "/beatapi/v1/music-video/tasks", MUSIC_VIDEO,
                         BEATAPI).json["data"]
        _, headers, raw = sink.next()  # unattended: finishes on its own in about 200 ms
        event = json.loads(raw)
        self.assertEqual((event["event"], event["data"]["id"]), ("task.succeeded", task["id"]))
        self.assertTrue(event["id"].startswith("evt_"))
        self.assertEqual(headers["x-beatapi-event"], "task.succeeded")
        expected = hmac.new(secret.encode(), headers["x-beatapi-timestamp"].encode() + b"." + raw,
                            hashlib.sha256).hexdigest()
        self.assertEqual(headers["x-beatapi-signature"], expected)
