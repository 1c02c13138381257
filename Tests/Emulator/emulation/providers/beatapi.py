"""BeatAPI under `/beatapi/v1` (seed 002). Details the seed leaves open (statuses, output,
usage, files, webhook events), the music-video tiers and the money (US dollars under credit-era
field names) follow BeatAPI's published OpenAPI description. The seed's credit-era shape is kept
behind `--beatapi-units credits` or, per request, `X-Emulator-Units: credits`."""

import hashlib
import hmac
import json
import secrets
import time
import wave

from .. import multipart
from ..files import StoredFile
from ..http import Response
from ..tasks import Plan
from .base import ApiError, Provider, emulator_error, is_http_url, is_public_https, new_id

DEFAULT_STEPS = ["queued", "processing", "succeeded"]
# compose_mode=manual "pauses at requires_action so shots can be reviewed or edited before compose".
MANUAL_STEPS = ["queued", "processing", "requires_action"]
STOP_STATES = {"storyboard_ready", "requires_action", "succeeded", "failed"}
SETTLING_STATES = {"storyboard_ready", "requires_action", "succeeded"}
EVENTS = ("task.succeeded", "task.failed")
UNITS_HEADER = "X-Emulator-Units"
UNITS = ("usd", "credits")
# Per second of billable audio, by (quality, resolution); lip sync adds 2. In credits mode these
# are credits (the seed era); in USD mode US cents. The description publishes no music-video
# rate, so the USD figures are the emulator's choice. Premium bills 20 a second.
MUSIC_VIDEO_RATES = {("standard", "540p"): 4, ("standard", "720p"): 5, ("standard", "1080p"): 6,
                     ("high", "720p"): 16, ("high", "1080p"): 18}
LIP_SYNC_RATE = 2
PREMIUM_RATE = 20
# Ecommerce: the description's example reserves $4.50 for 15 s (30 cents a second); the
# credit era billed 15 credits a second.
ECOMMERCE_RATES = {"usd": 30, "credits": 15}
# The emulator cannot measure the audio, so it bills `duration` or 90 s: 90 s x 5 = the seed's
# 450 credits, or $4.50.
DEFAULT_BILLABLE_SECONDS = 90
TIER_SECONDS = {"standard": (10, 180), "premium": (10, 300)}
ASPECT_RATIOS = ("1:1", "16:9", "9:16", "4:3", "3:4")
# Ecommerce video (spec `operations.createEcommerceVideoTask`): the primary image and up to six
# more, 10-60 s, a prompt of at most 2000 characters, three placements, two languages.
ECOMMERCE_IMAGES = (1, 7)
ECOMMERCE_SECONDS = (10, 60)
ECOMMERCE_PROMPT_CHARACTERS = 2000
ECOMMERCE_ASPECT_RATIOS = ("16:9", "9:16", "1:1")
LANGUAGES = ("en", "zh")
# The spec's keyed creates answer one 409 code for two causes: the key "was reused with a
# different body or while another request with that key is still being processed".
IN_PROGRESS_MESSAGE = "A request with this Idempotency-Key is still being processed."
PREMIUM_MODES = ("sing", "sing_perform", "dance", "perform")
STANDARD_ONLY = ("language", "quality", "lip_sync", "lip_ref_url", "srt_url", "compose_mode")
# Storyboards: every music video gets three 5 s shots, shown once the task first stops.
SHOT_COUNT = 3
SHOT_SECONDS = 5
ACTIONABLE = {"storyboard_ready", "requires_action", "succeeded"}
COMPOSE_CENTS = 100  # the description: a fixed $1
OUTPUT_SECONDS_CAP = 10
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp",
                "audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav",
                "audio/aac": "aac", "audio/mp4": "m4a", "application/x-subrip": "srt"}
FAULT_CODES = {429: "rate_limit_exceeded", 500: "internal_error", 502: "processing_unavailable",
               503: "processing_unavailable", 504: "processing_unavailable"}
WORKFLOWS = [
    {"id": "music-video", "object": "workflow", "name": "Music Video API",
     "description": "Generate short music video clips from audio, lyrics, and visual direction."},
    {"id": "ecommerce-video", "object": "workflow", "name": "Ecommerce Video API",
     "description": "Generate product ad videos from product images and a short creative brief."},
]


def _bad(message, field):
    return ApiError(400, "bad_request", message, details={"field": field})


def _choice(body, field, options, default=None, required=False):
    value = body.get(field, default)
    if value is None and not required:
        return None
    if value not in options:
        raise _bad(f"{field} must be one of {', '.join(options)}.", field)
    return value


def _images(body, base_url, low=1, high=7, field="images", required=True):
    images = body.get(field)
    if images is None and not required and low == 0:
        return []
    if (not isinstance(images, list) or not low <= len(images) <= high
            or not all(is_public_https(url, base_url) for url in images)):
        count = f"{low}-{high}" if low != high else f"exactly {low}"
        raise _bad(f"{field} must contain {count} public HTTPS URLs.", field)
    return images


def _integer(body, field, low, high, required=False):
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _bad(f"{field} must be an integer from {low} to {high}.", field)
    return value


def _seconds(body, low, high):
    """The `duration` billing fallback: a number of seconds within the tier's limits."""
    value = body.get("duration")
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise _bad(f"duration must be from {low} to {high} seconds.", "duration")
    return int(-(-value // 1))


def _amount(minor):
    """Whole units as an int, else a number with at most two decimals (cents exact)."""
    return minor // 100 if minor % 100 == 0 else minor / 100


def _music_video(body, base_url):
    """Checks a music-video body as the description states; returns (seconds, rate key)."""
    tier = _choice(body, "mv_tier", ("standard", "premium"), "standard")
    if not is_public_https(body.get("audio_url"), base_url):
        raise _bad("audio_url must be a public HTTPS URL.", "audio_url")
    prompt = body.get("prompt")
    if prompt is not None and (not isinstance(prompt, str) or len(prompt) > 3000):
        raise _bad("prompt must be at most 3000 characters.", "prompt")
    _choice(body, "aspect_ratio", ASPECT_RATIOS)
    color = body.get("subtitle_color")
    if color is not None and (not isinstance(color, str)
                              or len(color.lstrip("#")) != 6
                              or any(c not in "0123456789abcdefABCDEF" for c in color.lstrip("#"))):
        raise _bad("subtitle_color must be six hexadecimal digits.", "subtitle_color")
    for flag in ("add_subtitle", "lip_sync"):
        if flag in body and not isinstance(body[flag], bool):
            raise _bad(f"{flag} must be a boolean.", flag)
    seconds = _seconds(body, *TIER_SECONDS[tier]) or DEFAULT_BILLABLE_SECONDS
    if tier == "premium":
        for field in STANDARD_ONLY:
            if field in body:
                raise _bad(f"{field} is a Standard-only field.", field)
        _choice(body, "resolution", ("720p",), "720p")
        mode = _choice(body, "mv_mode", PREMIUM_MODES, required=True)
        if mode in ("sing", "sing_perform"):
            _images(body, base_url, 0, 6, required=False)
            _images(body, base_url, 1, 2, field="lip_ref_urls")
        else:
            _images(body, base_url, 6, 6)
            if "lip_ref_urls" in body:
                raise _bad(f"lip_ref_urls is not accepted in {mode} mode.", "lip_ref_urls")
        return seconds, None
    for field in ("mv_mode", "lip_ref_urls"):
        if field in body:
            raise _bad(f"{field} is a Premium-only field.", field)
    _images(body, base_url)
    _choice(body, "language", ("en", "zh"))
    resolution = _choice(body, "resolution", ("540p", "720p", "1080p"), "720p")
    quality = _choice(body, "quality", ("standard", "high"), "standard")
    _choice(body, "compose_mode", ("auto", "manual"))
    lip_sync = body.get("lip_sync", False)
    if resolution == "540p" and (quality == "high" or lip_sync):
        raise _bad("quality=high and lip_sync are not supported with resolution=540p.",
                   "resolution")
    if lip_sync and not is_public_https(body.get("lip_ref_url"), base_url):
        raise _bad("lip_sync=true requires lip_ref_url, a public HTTPS image URL.", "lip_ref_url")
    if "lip_ref_url" in body and not is_public_https(body["lip_ref_url"], base_url):
        raise _bad("lip_ref_url must be a public HTTPS URL.", "lip_ref_url")
    srt = body.get("srt_url")
    if srt is not None and (not is_public_https(srt, base_url)
                            or not srt.split("?")[0].lower().endswith(".srt")):
        raise _bad("srt_url must be a public HTTPS .srt file URL.", "srt_url")
    return seconds, (quality, resolution, bool(lip_sync))


class BeatAPI(Provider):
    name = "beatapi"

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self):
        super().reset()
        # In cents: a credit is worth $1 ("1 Credit equals $1 USD"), so the balance reads the
        # same in either unit.
        self.balance = self.app.config.beatapi_credits * 100
        self.endpoints = {}

    def units(self, ctx):
        units = ctx.req.header(UNITS_HEADER) or self.app.config.beatapi_units
        if units not in UNITS:
            raise ApiError(400, "bad_request", f"{UNITS_HEADER} must be usd or credits.")
        return units

    def add_routes(self):
        self.route("GET", "/v1/workflows", self.workflows, auth=False)  # public per the spec
        self.route("POST", "/v1/music-video/tasks", self.create_music_video)
        self.route("POST", "/v1/ecommerce-video/tasks", self.create_ecommerce_video)
        self.route("POST", "/v1/music-video/tasks/{id}/shots/{shot}/edit", self.edit_shot)
        self.route("POST", "/v1/music-video/tasks/{id}/shots/{shot}/media", self.shot_media)
        self.route("POST", "/v1/music-video/tasks/{id}/compose", self.compose)
        self.route("GET", "/v1/tasks/{id}", self.get_task)
        self.route("GET", "/v1/usage", self.usage)
        self.route("POST", "/v1/files", self.upload_file)
        self.route("GET", "/v1/webhooks", self.list_endpoints)
        self.route("POST", "/v1/webhooks", self.create_endpoint)
        self.route("GET", "/v1/webhooks/{id}", self.get_endpoint)
        self.route("PATCH", "/v1/webhooks/{id}", self.update_endpoint)
        self.route("DELETE", "/v1/webhooks/{id}", self.delete_endpoint)

    # -- provider hooks ------------------------------------------------------------------
    def authorized(self, req):
        return req.header("Authorization") == f"Bearer {self.app.config.beatapi_key}"

    def error(self, ctx, status, code, message, headers=None, **extra):
        error = {"code": code, "message": message, "request_id": ctx.request_id}
        for key in ("retry_after_seconds", "details"):
            if key in extra:
                error[key] = extra[key]
        return Response.json(status, {"error": error}, headers)

    def fault_response(self, ctx, fault):
        if fault.name == "idempotency-in-progress":
            # The other cause of the 409 (a different body) needs no fault: a reused key does it.
            if not ctx.req.header("Idempotency-Key"):
                return emulator_error(
                    400, "idempotency-in-progress needs a request with an Idempotency-Key")
            return self.error(ctx, 409, self.IDEMPOTENCY_CONFLICT, IN_PROGRESS_MESSAGE)
        return super().fault_response(ctx, fault)

    def fault_error(self, ctx, fault, status, headers, retry_after):
        code = fault.text("code", FAULT_CODES.get(status, "internal_error"))
        extra = {}
        # The concurrency 429 is not retried by clients, so it carries no wait hint.
        if status == 429 and code != "user_concurrency_exceeded":
            extra["retry_after_seconds"] = retry_after
        return self.error(ctx, status, code, f"Emulated HTTP {status}.", headers, **extra)

    # -- workflows and tasks -------------------------------------------------------------
    def workflows(self, ctx):
        return Response.json(200, {"data": {"object": "list", "data": WORKFLOWS}})

    def create_music_video(self, ctx):
        body = ctx.json_object()
        seconds, standard = _music_video(body, ctx.base_url)
        if standard is None:
            rate = PREMIUM_RATE
        else:
            quality, resolution, lip_sync = standard
            rate = MUSIC_VIDEO_RATES[(quality, resolution)] + (LIP_SYNC_RATE if lip_sync else 0)
        steps = MANUAL_STEPS if body.get("compose_mode") == "manual" else DEFAULT_STEPS
        return self._create(ctx, body, "music-video", seconds, seconds * rate, steps)

    def create_ecommerce_video(self, ctx):
        body = ctx.json_object()
        _images(body, ctx.base_url, *ECOMMERCE_IMAGES)
        seconds = _integer(body, "duration", *ECOMMERCE_SECONDS, required=True)
        prompt = body.get("prompt")
        if prompt is not None and (not isinstance(prompt, str)
                                   or len(prompt) > ECOMMERCE_PROMPT_CHARACTERS):
            raise _bad(f"prompt must be at most {ECOMMERCE_PROMPT_CHARACTERS} characters.", "prompt")
        _choice(body, "aspect_ratio", ECOMMERCE_ASPECT_RATIOS)
        _choice(body, "language", LANGUAGES)
        rate = ECOMMERCE_RATES[self.units(ctx)]
        return self._create(ctx, body, "ecommerce-video", seconds, seconds * rate)

    def _create(self, ctx, body, workflow, seconds, amount, steps=DEFAULT_STEPS):
        """`amount` is in the request's units: US cents, or credits (each worth $1)."""
        units = self.units(ctx)
        cents = amount if units == "usd" else amount * 100
        with self.app.lock:
            replayed = self.replayed_task(ctx, body)
            if replayed is not None:
                return Response.json(201, {"data": self.render(replayed)},
                                     {"Idempotent-Replayed": "true"})
            if self.balance < cents:
                raise ApiError(402, "insufficient_credits",
                               "Account balance is not sufficient for this task.")
            limit = self.app.config.beatapi_concurrency
            if self._active() >= limit:
                raise ApiError(429, "user_concurrency_exceeded",
                               f"You have reached the active processing task limit of {limit}. "
                               "Wait for a processing task to finish before creating another one.")
            self.balance -= cents
            self.app.stats.add(self.name, _counter(units, "charged"), amount)
            now = int(time.time())
            shots = [{"id": new_id("shot_", 8), "index": index, "status": "succeeded",
                      "duration_seconds": SHOT_SECONDS, "prompt": f"Shot {index + 1}.",
                      "lyric_text": f"Line {index + 1}", "created_at": now, "updated_at": now}
                     for index in range(SHOT_COUNT)] if workflow == "music-video" else None
            data = {"workflow": workflow, "input": body, "units": units, "amount": amount,
                    "cents": cents, "seconds": seconds, "request_id": ctx.request_id,
                    "settled": 0, "refunded": 0, "completed_at": None, "shots": shots,
                    "storyboard_shown": False}
            unattended = any(e["status"] == "active" for e in self.endpoints.values())
            task = self.create_task(ctx, new_id("task_", 10), data, steps, unattended)
            self.remember_idempotency(ctx, body, task)
            return Response.json(201, {"data": self.render(task)})

    # -- storyboards -----------------------------------------------------------------------
    def _music_video_task(self, ctx):
        task = self.tasks.get(ctx.params["id"])
        if task is None or task.data["workflow"] != "music-video":
            raise ApiError(404, "not_found", "Task or shot not found.")
        return task

    @staticmethod
    def _shot(task, shot_id):
        for shot in task.data["shots"]:
            if shot["id"] == shot_id:
                return shot
        raise ApiError(404, "not_found", "Task or shot not found.")

    def _act(self, ctx, body, cents, steps):
        """Accepts a paid storyboard action: charges it and moves the task through `steps`."""
        task = self._music_video_task(ctx)
        replayed = self.replayed_task(ctx, body)
        if replayed is not None:
            return Response.json(202, {"data": self.render(replayed)},
                                 {"Idempotent-Replayed": "true"})
        if task.status not in ACTIONABLE:
            raise _bad(f"The task is {task.status}; shots can be edited or composed once it stops.",
                       "task_id")
        if self.balance < cents:
            raise ApiError(402, "insufficient_credits",
                           "Account balance is not sufficient for this operation.")
        self.balance -= cents
        self.app.stats.add(self.name, "usd_cents_charged", cents)
        task.data["cents"] += cents
        task.data["settled"] += cents
        task.plan, task.step, task.forced = Plan(steps), 0, None
        self.sync(task)
        self.remember_idempotency(ctx, body, task)
        return Response.json(202, {"data": self.render(task)})

    def edit_shot(self, ctx):
        body = ctx.json_object()
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise _bad("prompt is required.", "prompt")
        with self.app.lock:
            task = self._music_video_task(ctx)
            shot = self._shot(task, ctx.params["shot"])
            premium = task.data["input"].get("mv_tier") == "premium"
            if body.get("images"):
                if not premium:
                    raise _bad("Standard edits accept only prompt.", "images")
                _images(body, ctx.base_url, 0, 6)
            rate = PREMIUM_RATE if premium else MUSIC_VIDEO_RATES[("standard", "720p")]
            task.data["editing"] = shot["id"]
            back = task.status if task.status in ACTIONABLE else "storyboard_ready"
            return self._act(ctx, body, shot["duration_seconds"] * rate, ["editing", back])

    def shot_media(self, ctx):
        with self.app.lock:
            task = self._music_video_task(ctx)
            shot = self._shot(task, ctx.params["shot"])
            if "media" not in shot:
                shot["media"] = self._shot_video(task, shot)
                shot["updated_at"] = int(time.time())
            answer = {"object": "shot_media", "task_id": task.id, "shot_id": shot["id"],
                      "index": shot["index"], "status": shot["status"], "media": shot["media"],
                      "created_at": shot["created_at"], "updated_at": shot["updated_at"],
                      "request_id": ctx.request_id}
        return Response.json(200, {"data": answer})

    def compose(self, ctx):
        body = ctx.json_object()
        shot_ids = body.get("shot_ids")
        if (not isinstance(shot_ids, list) or not shot_ids
                or not all(isinstance(shot_id, str) for shot_id in shot_ids)):
            raise _bad("shot_ids must be a non-empty list of shot ids.", "shot_ids")
        with self.app.lock:
            task = self._music_video_task(ctx)
            for shot_id in shot_ids:
                self._shot(task, shot_id)
            return self._act(ctx, body, COMPOSE_CENTS, ["composing", "succeeded"])

    @staticmethod
    def _shot_video(task, shot):
        return {"type": "video", "mime_type": "video/mp4",
                "url": f"{task.base_url}/media/clip.mp4?seconds={shot['duration_seconds']}"
                       f"&shot={shot['id']}"}

    def _active(self):
        return sum(1 for task in self.tasks.values() if task.status not in STOP_STATES)

    def get_task(self, ctx):
        with self.app.lock:
            task = self.tasks.get(ctx.params["id"])
            if task is None:
                raise ApiError(404, "not_found", "Task not found.")
            self.poll(task)
            return Response.json(200, {"data": self.render(task)})

    def usage(self, ctx):
        # Amounts in cents, shown as dollars (or, in credits mode, as credits worth $1 each).
        units = self.units(ctx)
        with self.app.lock:
            tasks = list(self.tasks.values())

            def settled(selected):
                return _amount(sum(t.data["settled"] for t in selected))

            by_workflow = [{"workflow": workflow["id"],
                            "tasks": sum(1 for t in tasks if t.data["workflow"] == workflow["id"]),
                            "credits_settled": settled(t for t in tasks
                                                       if t.data["workflow"] == workflow["id"])}
                           for workflow in WORKFLOWS]
            usage = {"object": "usage", "credit_balance": _amount(self.balance),
                     "total_tasks": len(tasks), "credits_settled": settled(tasks),
                     "credits_refunded": _amount(sum(t.data["refunded"] for t in tasks)),
                     "concurrency": {"limit": self.app.config.beatapi_concurrency,
                                     "active": self._active()},
                     "by_workflow": by_workflow}
            if units == "usd":
                usage["by_capability"] = [{"task_kind": "workflow", "capability_id": row["workflow"],
                                           "tasks": row["tasks"],
                                           "credits_settled": row["credits_settled"]}
                                          for row in by_workflow if row["tasks"]]
                usage["by_model"] = []
                usage["by_api_key"] = [{"api_key_id": "key_emulator", "title": "Emulator",
                                        "key_prefix": self.app.config.beatapi_key[:8],
                                        "tasks": len(tasks),
                                        "credits_settled": settled(tasks)}]
        return Response.json(200, {"data": usage})

    def render(self, task):
        data, status = task.data, task.status
        output = None
        if status == "succeeded":
            seconds = min(data["seconds"], OUTPUT_SECONDS_CAP)
            output = {"media": [{"type": "video", "mime_type": "video/mp4",
                                 "url": f"{task.base_url}/media/clip.mp4?seconds={seconds}"}]}
        failed = status == "failed"
        task_json = {"id": task.id, "object": "task", "workflow": data["workflow"],
                     "status": status, "created_at": int(task.created),
                     "updated_at": int(task.updated), "output": output,
                     "request_id": data["request_id"],
                     "error_code": "processing_failed" if failed else None,
                     "error_message": "No usable output was produced (emulated failure)."
                     if failed else None}
        if data["units"] == "credits":
            # The seed's credit-era task: its fields only, amounts in credits.
            shown = {key: data[key] // 100 for key in ("cents", "settled", "refunded")}
            task_json["usage"] = {"credits_reserved": shown["cents"],
                                  "credits_settled": shown["settled"],
                                  "credits_refunded": shown["refunded"]}
            return task_json
        task_json.update({"task_kind": "workflow", "capability_id": data["workflow"],
                          "capability_version": 1, "stage": status,
                          "completed_at": data["completed_at"]})
        if data["shots"] is not None:
            # Empty until the storyboard exists: the task's first stop.
            task_json["storyboard"] = {"shots": data["shots"] if data["storyboard_shown"] else []}
        task_json["usage"] = {"credits_reserved": _amount(data["cents"]),
                              "credits_charged": _amount(data["cents"]),
                              "billable_duration_seconds": data["seconds"],
                              "credits_settled": _amount(data["settled"]),
                              "credits_refunded": _amount(data["refunded"])}
        return task_json

    def on_transition(self, task, old, new):
        data = task.data
        if new in STOP_STATES and new != "failed":
            data["storyboard_shown"] = True
        if old == "editing" and data.get("editing"):
            shot = self._shot(task, data.pop("editing"))
            shot["media"] = self._shot_video(task, shot)
            shot["updated_at"] = int(time.time())
        if new in SETTLING_STATES and not (data["settled"] or data["refunded"]):
            data["settled"] = data["cents"]
        if new == "failed" and not (data["settled"] or data["refunded"]):
            data["refunded"] = data["cents"]
            self.balance += data["cents"]
            self.app.stats.add(self.name, _counter(data["units"], "refunded"), data["amount"])
        if new in ("succeeded", "failed"):
            data["completed_at"] = int(time.time())
            self._notify(task, f"task.{new}")

    def _notify(self, task, event):
        for endpoint in self.endpoints.values():
            if endpoint["status"] != "active" or event not in endpoint["events"]:
                continue
            body = json.dumps({"id": new_id("evt_", 12), "event": event,
                               "created_at": int(time.time()), "data": self.render(task)}).encode()
            self.deliver(task, endpoint["url"], body,
                         lambda secret=endpoint["secret"], body=body: _signed(secret, body, event),
                         event)

    # -- files ---------------------------------------------------------------------------
    def upload_file(self, ctx):
        try:
            fields, parts = multipart.parse(ctx.req.body, ctx.req.header("Content-Type"),
                                            self.app.files.root, MAX_UPLOAD_BYTES)
        except multipart.MultipartError as failure:
            raise _bad(str(failure), "file") from None
        part = parts.pop("file", None)
        for extra in parts.values():
            multipart.discard(extra)
        try:
            if fields.get("purpose", "input") != "input":
                raise _bad("purpose must be input.", "purpose")
            if part is None:
                raise _bad("file is required.", "file")
            mime = part.content_type.split(";")[0].strip().lower()
            if mime == "text/plain" and part.filename.lower().endswith(".srt"):
                mime = "application/x-subrip"
            if mime not in UPLOAD_TYPES:
                raise _bad(f"Unsupported file type {mime}.", "file")
        except ApiError:
            if part is not None:
                multipart.discard(part)
            raise
        file_id = new_id("file_", 10)
        stored = StoredFile(file_id, f"{file_id}.{UPLOAD_TYPES[mime]}", mime, part.path, part.size)
        with self.app.lock:
            self.app.files.add(stored)
        answer = {"id": file_id, "object": "file", "url": stored.url(ctx.base_url),
                  "key": f"inputs/{stored.name}", "mime_type": mime, "size_bytes": part.size,
                  "purpose": "input", "created_at": stored.created}
        if UPLOAD_TYPES[mime] == "wav":
            try:
                with wave.open(part.path) as audio:
                    answer["audio_duration_seconds"] = round(
                        audio.getnframes() / audio.getframerate(), 2)
                    answer["audio_duration_source"] = "wav_header"
            except (wave.Error, EOFError):
                pass  # not a WAV the wave module understands: no duration, as for mp3
        return Response.json(201, {"data": answer})

    # -- webhook endpoints ---------------------------------------------------------------
    def _endpoint(self, ctx):
        endpoint = self.endpoints.get(ctx.params["id"])
        if endpoint is None:
            raise ApiError(404, "not_found", "Webhook endpoint not found.")
        return endpoint

    @staticmethod
    def _view(endpoint):
        # The signing secret is shown once, at creation; later answers mask it.
        return {**endpoint, "secret": "whsec_********" + endpoint["secret"][-4:]}

    @staticmethod
    def _apply(endpoint, body):
        if "url" in body and not is_http_url(body["url"]):
            raise _bad("url must be an http(s) URL.", "url")
        if "description" in body and not isinstance(body["description"], str):
            raise _bad("description must be a string.", "description")
        if "events" in body and (not isinstance(body["events"], list) or not body["events"]
                                 or any(event not in EVENTS for event in body["events"])):
            raise _bad(f"events must be a non-empty list drawn from {list(EVENTS)}.", "events")
        if "status" in body:
            _choice(body, "status", ("active", "disabled"))
        endpoint.update({key: body[key] for key in ("url", "description", "events", "status")
                         if key in body})
        endpoint["updated_at"] = int(time.time())

    def list_endpoints(self, ctx):
        with self.app.lock:
            views = [self._view(endpoint) for endpoint in self.endpoints.values()]
        return Response.json(200, {"data": {"object": "list", "data": views}})

    def create_endpoint(self, ctx):
        body = ctx.json_object()
        if "url" not in body:
            raise _bad("url is required.", "url")
        now = int(time.time())
        endpoint = {"id": new_id("wh_", 8), "object": "webhook_endpoint", "url": None,
                    "description": "", "events": list(EVENTS), "status": "active",
                    "secret": "whsec_" + secrets.token_urlsafe(24), "created_at": now}
        self._apply(endpoint, body)
        with self.app.lock:
            self.endpoints[endpoint["id"]] = endpoint
        return Response.json(201, {"data": dict(endpoint)})

    def get_endpoint(self, ctx):
        with self.app.lock:
            return Response.json(200, {"data": self._view(self._endpoint(ctx))})

    def update_endpoint(self, ctx):
        body = ctx.json_object()
        with self.app.lock:
            endpoint = self._endpoint(ctx)
            updated = dict(endpoint)
            self._apply(updated, body)
            endpoint.update(updated)
            return Response.json(200, {"data": self._view(endpoint)})

    def delete_endpoint(self, ctx):
        with self.app.lock:
            endpoint = self._endpoint(ctx)
            del self.endpoints[endpoint["id"]]
        return Response.json(200, {"data": {"id": endpoint["id"], "object": "webhook_endpoint",
                                            "deleted": True}})


def _counter(units, what):
    """The stats counter: `usd_cents_charged` or, for credit-era tasks, `credits_charged`."""
    return f"usd_cents_{what}" if units == "usd" else f"credits_{what}"


def _signed(secret, body, event):
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                         hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "x-beatapi-event": event,
            "x-beatapi-timestamp": timestamp, "x-beatapi-signature": signature}
