"""BeatAPI under `/beatapi/v1` (seed 002). Details the seed leaves open (statuses, output,
usage, files, webhook events) follow BeatAPI's published OpenAPI description."""

import hashlib
import hmac
import json
import secrets
import time
import wave

from .. import multipart
from ..files import StoredFile
from ..http import Response
from .base import ApiError, Provider, is_http_url, is_public_https, new_id

DEFAULT_STEPS = ["queued", "processing", "succeeded"]
STOP_STATES = {"storyboard_ready", "requires_action", "succeeded", "failed"}
SETTLING_STATES = {"storyboard_ready", "requires_action", "succeeded"}
EVENTS = ("task.succeeded", "task.failed")
# Customer credits per second of billable audio (quality, resolution); lip sync adds 2.
MUSIC_VIDEO_RATES = {("standard", "540p"): 4, ("standard", "720p"): 5, ("standard", "1080p"): 6,
                     ("high", "720p"): 16, ("high", "1080p"): 18}
LIP_SYNC_RATE = 2
ECOMMERCE_RATE = 15
# The emulator cannot measure the audio, so it bills 90 s: 90 s x 5 = the seed's 450 credits.
DEFAULT_BILLABLE_SECONDS = 90
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


def _images(body, base_url):
    images = body.get("images")
    if (not isinstance(images, list) or not 1 <= len(images) <= 7
            or not all(is_public_https(url, base_url) for url in images)):
        raise _bad("images must contain 1-7 public HTTPS URLs.", "images")


def _integer(body, field, low, high, required=False):
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _bad(f"{field} must be an integer from {low} to {high}.", field)
    return value


class BeatAPI(Provider):
    name = "beatapi"

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self):
        super().reset()
        self.balance = self.app.config.beatapi_credits
        self.endpoints = {}

    def add_routes(self):
        self.route("GET", "/v1/workflows", self.workflows, auth=False)  # public per the spec
        self.route("POST", "/v1/music-video/tasks", self.create_music_video)
        self.route("POST", "/v1/ecommerce-video/tasks", self.create_ecommerce_video)
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
        _images(body, ctx.base_url)
        if not is_public_https(body.get("audio_url"), ctx.base_url):
            raise _bad("audio_url must be a public HTTPS URL.", "audio_url")
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > 3000:
            raise _bad("prompt is required (at most 3000 characters).", "prompt")
        _choice(body, "language", ("en", "zh"), required=True)
        resolution = _choice(body, "resolution", ("540p", "720p", "1080p"), "720p")
        quality = _choice(body, "quality", ("standard", "high"), "standard")
        lip_sync = body.get("lip_sync", False)
        if not isinstance(lip_sync, bool):
            raise _bad("lip_sync must be a boolean.", "lip_sync")
        if resolution == "540p" and (quality == "high" or lip_sync):
            raise _bad("quality=high and lip_sync are not supported with resolution=540p.",
                       "resolution")
        seconds = _integer(body, "duration", 10, 180) or DEFAULT_BILLABLE_SECONDS
        rate = MUSIC_VIDEO_RATES[(quality, resolution)] + (LIP_SYNC_RATE if lip_sync else 0)
        return self._create(ctx, body, "music-video", seconds, seconds * rate)

    def create_ecommerce_video(self, ctx):
        body = ctx.json_object()
        _images(body, ctx.base_url)
        seconds = _integer(body, "duration", 10, 60, required=True)
        if "prompt" in body and not isinstance(body["prompt"], str):
            raise _bad("prompt must be a string.", "prompt")
        _choice(body, "aspect_ratio", ("16:9", "9:16", "1:1"))
        _choice(body, "language", ("en", "zh"))
        return self._create(ctx, body, "ecommerce-video", seconds, seconds * ECOMMERCE_RATE)

    def _create(self, ctx, body, workflow, seconds, credits):
        with self.app.lock:
            replayed = self.replayed_task(ctx, body)
            if replayed is not None:
                return Response.json(201, {"data": self.render(replayed)},
                                     {"Idempotent-Replayed": "true"})
            if self.balance < credits:
                raise ApiError(402, "insufficient_credits",
                               "Account balance is not sufficient for this task.")
            limit = self.app.config.beatapi_concurrency
            if self._active() >= limit:
                raise ApiError(429, "user_concurrency_exceeded",
                               f"You have reached the active processing task limit of {limit}. "
                               "Wait for a processing task to finish before creating another one.")
            self.balance -= credits
            self.app.stats.add(self.name, "credits_charged", credits)
            data = {"workflow": workflow, "input": body, "credits": credits, "seconds": seconds,
                    "request_id": ctx.request_id, "settled": 0, "refunded": 0,
                    "completed_at": None}
            unattended = any(e["status"] == "active" for e in self.endpoints.values())
            task = self.create_task(ctx, new_id("task_", 10), data, DEFAULT_STEPS, unattended)
            self.remember_idempotency(ctx, body, task)
            return Response.json(201, {"data": self.render(task)})

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
        with self.app.lock:
            tasks = list(self.tasks.values())
            by_workflow = [{"workflow": workflow["id"],
                            "tasks": sum(1 for t in tasks if t.data["workflow"] == workflow["id"]),
                            "credits_settled": sum(t.data["settled"] for t in tasks
                                                   if t.data["workflow"] == workflow["id"])}
                           for workflow in WORKFLOWS]
            usage = {"object": "usage", "credit_balance": self.balance, "total_tasks": len(tasks),
                     "credits_settled": sum(t.data["settled"] for t in tasks),
                     "credits_refunded": sum(t.data["refunded"] for t in tasks),
                     "concurrency": {"limit": self.app.config.beatapi_concurrency,
                                     "active": self._active()},
                     "by_workflow": by_workflow}
        return Response.json(200, {"data": usage})

    def render(self, task):
        data, status = task.data, task.status
        output = None
        if status == "succeeded":
            seconds = min(data["seconds"], OUTPUT_SECONDS_CAP)
            output = {"media": [{"type": "video", "mime_type": "video/mp4",
                                 "url": f"{task.base_url}/media/clip.mp4?seconds={seconds}"}]}
        failed = status == "failed"
        return {"id": task.id, "object": "task", "workflow": data["workflow"], "status": status,
                "stage": status, "created_at": int(task.created), "updated_at": int(task.updated),
                "completed_at": data["completed_at"], "output": output,
                "usage": {"credits_reserved": data["credits"], "credits_charged": data["credits"],
                          "billable_duration_seconds": data["seconds"],
                          "credits_settled": data["settled"],
                          "credits_refunded": data["refunded"]},
                "request_id": data["request_id"],
                "error_code": "processing_failed" if failed else None,
                "error_message": "No usable output was produced (emulated failure)."
                if failed else None}

    def on_transition(self, task, old, new):
        data = task.data
        if new in SETTLING_STATES and not (data["settled"] or data["refunded"]):
            data["settled"] = data["credits"]
        if new == "failed" and not (data["settled"] or data["refunded"]):
            data["refunded"] = data["credits"]
            self.balance += data["credits"]
            self.app.stats.add(self.name, "credits_refunded", data["credits"])
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


def _signed(secret, body, event):
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                         hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "x-beatapi-event": event,
            "x-beatapi-timestamp": timestamp, "x-beatapi-signature": signature}
