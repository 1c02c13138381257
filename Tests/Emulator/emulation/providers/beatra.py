"""Beatra music API under `/beatra/v1` (seed 003, Preview). Prepaid credits, idempotency keys,
`X-Request-Id` on every answer, no callbacks (polling only)."""

import secrets
import time

from .. import multipart
from ..files import StoredFile
from ..http import Response
from .base import ApiError, Provider, is_public_https, iso

MODELS = {"suno-5.5": {"credits": 80, "clips": 2, "options": "suno"},
          "minimax-music-2.6": {"credits": 50, "clips": 1, "options": "minimax"}}
CREDITS_PER_USD = 1000
DEFAULT_STEPS = ["queued", "running", "succeeded"]
TERMINAL = {"succeeded", "failed", "canceled"}
CLIP_SECONDS = 10
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
FAULT_CODES = {429: "rate_limited", 500: "internal_error", 502: "bad_gateway",
               503: "service_unavailable", 504: "gateway_timeout"}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(prefix):
    """A ULID-style id (48-bit millisecond time + 80 random bits), like `artifact_01J...`."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(CROCKFORD[value & 31])
        value >>= 5
    return prefix + "".join(reversed(chars))


def _invalid(message, param):
    return ApiError(400, "invalid_request", message, param=param)


def _usd(credits):
    return round(credits / CREDITS_PER_USD, 4)


class Beatra(Provider):
    name = "beatra"
    BAD_REQUEST = "invalid_request"

    def __init__(self, app):
        super().__init__(app)
        self.reset()

    def reset(self):
        super().reset()
        self.balance = self.app.config.beatra_credits
        self.artifacts = set()

    def add_routes(self):
        self.route("POST", "/v1/music/text-to-music",
                   lambda ctx: self.create(ctx, "text-to-music"))
        self.route("POST", "/v1/music/reference-audio-to-music",
                   lambda ctx: self.create(ctx, "reference-audio-to-music"))
        self.route("POST", "/v1/uploads", self.upload)
        self.route("GET", "/v1/tasks", self.list_tasks)
        self.route("GET", "/v1/tasks/{task_id}", self.get_task)
        self.route("POST", "/v1/tasks/{task_id}/cancel", self.cancel)

    # -- provider hooks ------------------------------------------------------------------
    def authorized(self, req):
        return req.header("Authorization") == f"Bearer {self.app.config.beatra_key}"

    def error(self, ctx, status, code, message, headers=None, **extra):
        retryable = extra.get("retryable", status == 429 or status >= 500)
        error = {"code": code, "message": message, "retryable": retryable,
                 "request_id": ctx.request_id}
        if extra.get("param"):
            error["param"] = extra["param"]
        return Response.json(status, {"error": error}, headers)

    def fault_error(self, ctx, fault, status, headers, retry_after):
        return self.error(ctx, status, FAULT_CODES.get(status, "internal_error"),
                          f"Emulated HTTP {status}.", headers,
                          retryable=fault.flag("retryable", True))

    def request_id_for(self, req):
        return req.header("X-Request-Id") or "req_" + secrets.token_hex(12)

    def decorate(self, ctx, response):
        response.headers["X-Request-Id"] = ctx.request_id  # on every Beatra answer

    # -- music tasks ---------------------------------------------------------------------
    def create(self, ctx, kind):
        body = ctx.json_object()
        model = body.get("model")
        spec = MODELS.get(model) if isinstance(model, str) else None
        if spec is None:
            raise _invalid(f"model must be one of {', '.join(MODELS)}.", "model")
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise _invalid("prompt is required.", "prompt")
        for field, kinds, name in (("lyrics", str, "a string"), ("title", str, "a string"),
                                   ("instrumental", bool, "a boolean"),
                                   ("metadata", dict, "an object")):
            if field in body and not isinstance(body[field], kinds):
                raise _invalid(f"{field} must be {name}.", field)
        self._check_model_options(body.get("model_options"), model, spec)
        reference = self._reference(body.get("reference_audio"), ctx.base_url) \
            if kind == "reference-audio-to-music" else None
        with self.app.lock:
            replayed = self.replayed_task(ctx, body)
            if replayed is not None:
                return Response.json(202, {"task_id": replayed.id})
            if reference and reference["type"] == "artifact" \
                    and reference["artifact_id"] not in self.artifacts:
                raise _invalid("Unknown artifact.", "reference_audio.artifact_id")
            cost = spec["credits"]
            if self.balance < cost:
                raise ApiError(402, "insufficient_credits",
                               f"This task costs {cost} credits; the wallet holds {self.balance}.",
                               retryable=False)
            self.balance -= cost
            self.app.stats.add(self.name, "credits_charged", cost)
            data = {"kind": kind, "model": model, "cost": cost, "clips": None, "refunded": 0,
                    "title": body.get("title"), "metadata": body.get("metadata"),
                    "reference_audio": reference, "completed_at": None}
            task = self.create_task(ctx, ulid("task_"), data, DEFAULT_STEPS)
            self.remember_idempotency(ctx, body, task)
        return Response.json(202, {"task_id": task.id})

    @staticmethod
    def _check_model_options(options, model, spec):
        if options is None:
            return
        if not isinstance(options, dict):
            raise _invalid("model_options must be an object.", "model_options")
        for namespace, values in options.items():
            param = f"model_options.{namespace}"
            if namespace not in {m["options"] for m in MODELS.values()}:
                raise _invalid(f"Unknown model_options namespace {namespace!r}.", param)
            if namespace != spec["options"]:
                raise _invalid(f"model_options.{namespace} does not apply to {model}.", param)
            if not isinstance(values, dict):
                raise _invalid(f"{param} must be an object.", param)

    @staticmethod
    def _reference(value, base_url):
        """An uploaded artifact, or an external HTTPS URL (a string or {"type": "url"})."""
        if isinstance(value, dict) and value.get("type") == "artifact":
            if not isinstance(value.get("artifact_id"), str):
                raise _invalid("artifact_id is required.", "reference_audio.artifact_id")
            return {"type": "artifact", "artifact_id": value["artifact_id"]}
        url = value.get("url") if isinstance(value, dict) and value.get("type") == "url" else value
        if not is_public_https(url, base_url):
            raise _invalid("reference_audio must be {type: artifact, artifact_id}, an HTTPS URL, "
                           "or {type: url, url}.", "reference_audio")
        return {"type": "url", "url": url}

    def _find(self, ctx):
        task = self.tasks.get(ctx.params["task_id"])
        if task is None:
            raise ApiError(404, "not_found", "Task not found.", param="task_id")
        return task

    def get_task(self, ctx):
        with self.app.lock:
            task = self._find(ctx)
            self.poll(task)
            return Response.json(200, self.render(task))

    def cancel(self, ctx):
        with self.app.lock:
            task = self._find(ctx)
            if task.status in TERMINAL:
                raise ApiError(409, "task_not_cancelable", f"Task is already {task.status}.",
                               retryable=False)
            task.forced = "canceled"
            self.sync(task)
            return Response.json(200, self.render(task))

    def list_tasks(self, ctx):
        raw_limit, after = ctx.req.query.get("limit", "20"), ctx.req.query.get("after")
        if not raw_limit.isdecimal() or not 1 <= int(raw_limit) <= 100:
            raise _invalid("limit must be an integer from 1 to 100.", "limit")
        limit = int(raw_limit)
        with self.app.lock:
            tasks = sorted(self.tasks.values(), key=lambda t: t.sequence, reverse=True)
            start = 0
            if after is not None:
                ids = [task.id for task in tasks]
                if after not in ids:
                    raise _invalid("after must be a task_id from an earlier page.", "after")
                start = ids.index(after) + 1
            page = [self.render(task) for task in tasks[start:start + limit]]
            has_more = len(tasks) > start + limit
        return Response.json(200, {"object": "list", "data": page, "has_more": has_more})

    def render(self, task):
        data, status = task.data, task.status
        billing = {"charged_credits": data["cost"],
                   "charged_credits_usd_reference": _usd(data["cost"])}
        if data["refunded"]:
            billing.update(refunded_credits=data["refunded"],
                           refunded_credits_usd_reference=_usd(data["refunded"]))
        error = None
        if status == "failed":
            error = {"code": "generation_failed", "retryable": True,
                     "message": "The model failed to generate audio (emulated failure)."}
        return {"task_id": task.id, "object": "task", "type": data["kind"], "model": data["model"],
                "status": status, "progress": self._progress(task),
                "output": {"clips": data["clips"]} if data["clips"] else None, "error": error,
                "billing": billing, "title": data["title"], "metadata": data["metadata"],
                "created_at": iso(task.created), "updated_at": iso(task.updated),
                "completed_at": iso(data["completed_at"])}

    @staticmethod
    def _progress(task):
        percent = int(task.fraction(lambda status: status == "running") * 100)
        stages = {"queued": (0, "queued", "Waiting for an available worker."),
                  "running": (percent, "generating", "Generating audio."),
                  "succeeded": (100, "completed", "Done."),
                  "failed": (percent, "failed", "Generation failed."),
                  "canceled": (percent, "canceled", "Canceled on request.")}
        percent, stage, message = stages.get(task.status, (percent, task.status, task.status))
        return {"percent": percent, "stage": stage, "message": message}

    def on_transition(self, task, old, new):
        data = task.data
        if new == "succeeded" and data["clips"] is None:
            url = f"{task.base_url}/media/tone.wav?seconds={CLIP_SECONDS}"
            data["clips"] = [{"audio_url": url, "artifact_id": ulid("artifact_"),
                              "duration": float(CLIP_SECONDS)}
                             for _ in range(MODELS[data["model"]]["clips"])]
            # Output artifacts can be fed back as reference audio.
            self.artifacts.update(clip["artifact_id"] for clip in data["clips"])
        if new in ("failed", "canceled") and not data["refunded"]:
            data["refunded"] = data["cost"]
            self.balance += data["cost"]
            self.app.stats.add(self.name, "credits_refunded", data["cost"])
        if new in TERMINAL:
            data["completed_at"] = time.time()

    # -- uploads -------------------------------------------------------------------------
    def upload(self, ctx):
        try:
            fields, parts = multipart.parse(ctx.req.body, ctx.req.header("Content-Type"),
                                            self.app.files.root, MAX_UPLOAD_BYTES)
        except multipart.MultipartError as failure:
            raise _invalid(str(failure), "file") from None
        part = parts.pop("file", None)
        for extra in parts.values():
            multipart.discard(extra)
        problem = None
        if fields.get("purpose") != "reference_audio":
            problem = _invalid("purpose must be reference_audio.", "purpose")
        elif part is None:
            problem = _invalid("file is required.", "file")
        elif not part.content_type.lower().startswith("audio/"):
            problem = _invalid("file must be audio (e.g. audio/mpeg).", "file")
        if problem is not None:
            if part is not None:
                multipart.discard(part)
            raise problem
        artifact_id = ulid("artifact_")
        stored = StoredFile(artifact_id, part.filename, part.content_type, part.path, part.size)
        with self.app.lock:
            self.app.files.add(stored)
            self.artifacts.add(artifact_id)
        return Response.json(201, {"artifact_id": artifact_id, "object": "artifact",
                                   "purpose": "reference_audio", "filename": part.filename,
                                   "content_type": part.content_type, "bytes": part.size,
                                   "url": stored.url(ctx.base_url),
                                   "created_at": iso(stored.created)})
