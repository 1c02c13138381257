"""fal: the queue API under `/fal/queue`, storage and JWKS under `/fal/rest` (seed 001), model
prices under `/fal/platform/v1` (Platform APIs).

Provider-relative paths (stats keys, fault rule paths) keep the `/queue`, `/rest` and
`/storage` part, e.g. `GET /queue/{owner}/{alias}/requests/{id}/status`.
"""

import base64
import hashlib
import json
import os
import secrets
import time
import uuid
from urllib.parse import quote, unquote

from .. import ed25519
from ..files import StoredFile
from ..http import BodyTooLarge, Response
from ..media import SAMPLE_RATE, file_chunks, wav_size
from .base import ApiError, Provider, emulator_error, is_http_url, iso

BEATOVEN = "beatoven/music-generation"
DEFAULT_STEPS = ["IN_QUEUE", "IN_QUEUE", "IN_PROGRESS", "COMPLETED"]
# Scripted failures: shown as COMPLETED with `error` / `error_type`.
ERROR_STATUSES = {"COMPLETED_ERROR", "failed"}
CANCELLED = "CANCELLED"  # internal: a cancelled request shows as COMPLETED with an error
FINISHED = {"COMPLETED", CANCELLED} | ERROR_STATUSES
OUTPUT_SECONDS_CAP = 10
STREAM_TICK_SECONDS = 0.01  # how often a status stream looks for a change
STREAM_KEEPALIVE_SECONDS = 5
# error_type values from fal's "Request Error Types" reference (429 has none there).
FAULT_ERRORS = {429: ("rate_limited", "Too many requests."),
                500: ("internal_error", "An unexpected internal error occurred."),
                502: ("runner_incomplete_response", "The runner sent an incomplete response."),
                503: ("runner_scheduling_failure", "No runner could be allocated."),
                504: ("request_timeout", "Request timed out.")}
# Published prices (Platform APIs, `GET /v1/models/pricing`): the reference's own example. No
# document gives Beatoven's price, so it has none here either.
# The CDN token's life, and the storage type its route requires (fal's Python client,
# `CDNTokenManager`: `storage/auth/token?storage_type=fal-cdn-v3`).
CDN_TOKEN_SECONDS = 3600
CDN_STORAGE_TYPE = "fal-cdn-v3"
PRICES = {"fal-ai/flux/dev": {"unit_price": 0.025, "unit": "image", "currency": "USD"}}
MAX_PRICED_ENDPOINTS = 50
# Each request error type's typical status, from fal's "Request Error Types" reference.
REQUEST_ERROR_STATUSES = {"request_timeout": 504, "startup_timeout": 504,
                          "runner_scheduling_failure": 503, "runner_connection_timeout": 503,
                          "runner_disconnected": 503, "runner_connection_refused": 503,
                          "runner_connection_error": 503, "runner_incomplete_response": 502,
                          "runner_server_error": 500, "client_disconnected": 499,
                          "client_cancelled": 499, "bad_request": 400, "internal_error": 500}


def _problem(field, message, kind, **context):
    problem = {"loc": ["body", field], "msg": message, "type": kind}
    if context:
        problem["ctx"] = context
    return problem


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_beatoven(values):
    """Pydantic-style 422 details for `beatoven/music-generation` input."""
    problems = []
    if "prompt" not in values:
        problems.append(_problem("prompt", "Field required", "missing"))
    for field in ("prompt", "negative_prompt"):
        if field in values and not isinstance(values[field], str):
            problems.append(_problem(field, "Input should be a valid string", "string_type"))
    for field in ("duration", "creativity"):
        if field in values and not _is_number(values[field]):
            problems.append(_problem(field, "Input should be a valid number", "float_type"))
    for field in ("refinement", "seed"):
        if field in values and (not isinstance(values[field], int)
                                or isinstance(values[field], bool)):
            problems.append(_problem(field, "Input should be a valid integer", "int_type"))
    duration = values.get("duration")
    if _is_number(duration) and duration < 5:
        problems.append(_problem("duration", "Input should be greater than or equal to 5",
                                 "greater_than_equal", ge=5))
    if _is_number(duration) and duration > 150:
        problems.append(_problem("duration", "Input should be less than or equal to 150",
                                 "less_than_equal", le=150))
    return problems


class Fal(Provider):
    name = "fal"
    NOT_FOUND = "not_found"

    def __init__(self, app):
        self.seed = bytes.fromhex(app.config.fal_webhook_seed)
        self.public_key = ed25519.public_key(self.seed)
        super().__init__(app)
        self.reset()

    def reset(self):
        super().reset()
        self.cdn_tokens = {}  # token -> expiry (epoch seconds)
        self.cdn_uploads = {}  # uploadId -> {"file": id, "parts": {n: {"path", "etag", "size"}}}

    def add_routes(self):
        self.route("POST", "/queue/{owner}/{alias}", self.submit)
        self.route("POST", "/queue/{owner}/{alias}/{subpath*}", self.submit)
        self.route("GET", "/queue/{owner}/{alias}/requests/{id}/status", self.status)
        self.route("GET", "/queue/{owner}/{alias}/requests/{id}/status/stream", self.status_stream)
        self.route("GET", "/queue/{owner}/{alias}/requests/{id}", self.result)
        self.route("PUT", "/queue/{owner}/{alias}/requests/{id}/cancel", self.cancel)
        self.route("POST", "/rest/storage/upload/initiate", self.initiate_upload)
        # The upload URL stands in for a signed storage URL: the token is the credential.
        self.route("PUT", "/storage/uploads/{token}", self.receive_upload, auth=False)
        # The v3 CDN: a token from the REST host, then uploads (whole or in parts) with it.
        self.route("POST", "/rest/storage/auth/token", self.cdn_token)
        self.route("POST", "/cdn/files/upload", self.cdn_upload, auth=False)
        self.route("POST", "/cdn/files/upload/multipart", self.cdn_open_multipart, auth=False)
        self.route("PUT", "/cdn/files/{file_id}/{name}/multipart/{upload_id}/{part}",
                   self.cdn_part, auth=False)
        self.route("POST", "/cdn/files/{file_id}/{name}/multipart/{upload_id}/complete",
                   self.cdn_complete, auth=False)
        self.route("GET", "/cdn/files/{file_id}/{name}", self.cdn_file, auth=False, head=True)
        self.route("GET", "/rest/.well-known/jwks.json", self.jwks, auth=False)
        self.route("GET", "/platform/v1/models/pricing", self.pricing)

    # -- provider hooks ------------------------------------------------------------------
    def authorized(self, req):
        return req.header("Authorization") == f"Key {self.app.config.fal_key}"

    def error(self, ctx, status, code, message, headers=None, **extra):
        detail = extra.get("detail", message)
        body = {"detail": detail}
        if isinstance(detail, str):
            body["error_type"] = code  # flat request errors carry error_type; 422 lists do not
        body.update(extra.get("fields", {}))
        return Response.json(status, body, {**(headers or {}), "X-Fal-Error-Type": code})

    def fault_response(self, ctx, fault):
        if fault.name == "error-type":
            return self.typed_error(fault)
        return super().fault_response(ctx, fault)

    @staticmethod
    def typed_error(fault):
        """`error-type;code=C;status=S;form=request|model;field=F;header=H;retryable=B;timeout_type=T`:
        an error from fal's application (it names its `X-Fal-Request-Id`) in one of the two typed
        bodies fal documents. `request` is a request error, `{"detail": "…", "error_type": C}`
        (Request Error Types); `model` is a model error, `{"detail": [{"loc", "msg", "type": C,
        "url"}]}` (Model Errors), `loc` naming `field` when given. `X-Fal-Error-Type` is `header`
        (default C: set another to see which one a client believes); `retryable` adds
        `X-Fal-Retryable`, `timeout_type` adds `X-Fal-Request-Timeout-Type`. The status defaults
        to the type's typical one (500 for a type the reference does not list)."""
        code = fault.text("code", "internal_error")
        status = fault.status(REQUEST_ERROR_STATUSES.get(code, 500))
        message = fault.text("message", f"Emulated {code}.")
        form = fault.text("form", "request")
        if form == "request":
            body = {"detail": message, "error_type": code}
        elif form == "model":
            field = fault.text("field")
            body = {"detail": [{"loc": ["body", field] if field else ["body"], "msg": message,
                                "type": code, "url": f"https://docs.fal.ai/errors#{code}"}]}
        else:
            return emulator_error(400, f"error-type: unknown form {form!r} (request, model)")
        headers = {"X-Fal-Error-Type": fault.text("header", code)}
        if fault.text("retryable") is not None:
            headers["X-Fal-Retryable"] = "true" if fault.flag("retryable") else "false"
        if fault.text("timeout_type"):
            headers["X-Fal-Request-Timeout-Type"] = fault.text("timeout_type")
        return Response.json(status, body, headers)

    def fault_error(self, ctx, fault, status, headers, retry_after):
        code, message = FAULT_ERRORS.get(status, ("internal_error", f"Emulated HTTP {status}."))
        response = self.error(ctx, status, code, message, headers)
        if status == 504 and fault.text("timeout_type") == "user":
            response.headers["X-Fal-Request-Timeout-Type"] = "user"
        # Without x-fal-request-id the answer came from the ingress, not from fal itself.
        response.ingress = not fault.flag("fal_request_id")
        return response

    def decorate(self, ctx, response):
        if not response.ingress:
            response.headers.setdefault("X-Fal-Request-Id", ctx.request_id)

    def request_id_for(self, req):
        return str(uuid.uuid4())

    # -- queue ---------------------------------------------------------------------------
    def submit(self, ctx):
        req, app_id = ctx.req, f"{ctx.params['owner']}/{ctx.params['alias']}"
        webhook = req.query.get("fal_webhook")
        if webhook is not None and not is_http_url(webhook):
            raise ApiError(400, "bad_request", "fal_webhook must be an http(s) URL.")
        priority = req.header("X-Fal-Queue-Priority", "normal")
        if priority not in ("normal", "low"):
            raise ApiError(400, "bad_request", "X-Fal-Queue-Priority must be normal or low.")
        timeout = req.header("X-Fal-Request-Timeout")
        try:
            if timeout is not None and float(timeout) <= 0:
                raise ValueError
        except ValueError:
            raise ApiError(400, "bad_request", "Invalid X-Fal-Request-Timeout header.") from None
        try:
            values = req.json()
        except BodyTooLarge as error:
            raise ApiError(413, "bad_request", str(error)) from None
        except ValueError:
            values = None
        if not isinstance(values, dict):
            raise ApiError(422, "validation_error", "", detail=[{
                "loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type"}])
        problems = validate_beatoven(values) if app_id == BEATOVEN else []
        if problems:
            raise ApiError(422, "validation_error", "", detail=problems)
        data = {"app": app_id, "subpath": ctx.params.get("subpath"), "input": values,
                "webhook": webhook, "priority": priority, "timeout": timeout,
                "runner_hint": req.header("X-Fal-Runner-Hint")}
        with self.app.lock:
            task = self.create_task(ctx, str(uuid.uuid4()), data, DEFAULT_STEPS,
                                    unattended=webhook is not None)
            answer = {"request_id": task.id, **self._urls(task)}
            view = self._view(task, logs=False)
            answer["status"] = view["status"]
            if "queue_position" in view:
                answer["queue_position"] = view["queue_position"]
        return Response.json(200, answer, {"X-Fal-Request-Id": task.id})

    def _find(self, ctx):
        task = self.tasks.get(ctx.params["id"])
        if task is None or task.data["app"] != f"{ctx.params['owner']}/{ctx.params['alias']}":
            return None
        return task

    def _status_request(self, ctx):
        """The `logs` flag (`true`/`false` as fal's Python client sends it, `1`/`0` as fal-js
        does) and the request a status read is about. Caller holds the lock."""
        logs = ctx.req.query.get("logs", "false").lower()
        if logs not in ("true", "false", "1", "0"):
            raise ApiError(400, "bad_request", "logs must be true, false, 1 or 0.")
        task = self._find(ctx)
        if task is None:
            raise ApiError(404, "not_found", "Request not found.")
        return task, logs in ("true", "1")

    def status(self, ctx):
        with self.app.lock:
            task, logs = self._status_request(ctx)
            self.poll(task)
            view = self._view(task, logs=logs)
        # In-flight statuses answer 202 Accepted, a finished request 200.
        code = 200 if view["status"] == "COMPLETED" else 202
        return Response.json(code, view, {"X-Fal-Request-Id": task.id})

    def status_stream(self, ctx):
        """The status as server-sent events (fal-js `streamStatus`): one `data:` JSON status per
        change, the log lines new since the last event, until COMPLETED; then the answer ends.
        A scripted task moves one step per event, as it does per poll; a timeline task as its
        clock says. A comment line keeps a quiet stream alive every few seconds."""
        with self.app.lock:
            task, logs = self._status_request(ctx)
            self.app.stats.add(self.name, "status_streams")

        def events():
            sent_logs, last, first, quiet_since = 0, None, True, time.monotonic()
            while True:
                with self.app.lock:
                    if not first and not task.plan.by_time:
                        task.step = min(task.step + 1, len(task.plan.steps) - 1)
                    first = False
                    self.sync(task)
                    view = self._view(task, logs=logs)
                lines = view.get("logs", [])
                if "logs" in view:
                    view["logs"] = lines[sent_logs:]
                sent_logs = len(lines)
                state = {key: value for key, value in view.items() if key != "logs"}
                if state != last or view.get("logs"):
                    yield f"data: {json.dumps(view)}\n\n".encode()
                    last, quiet_since = state, time.monotonic()
                if view["status"] == "COMPLETED":
                    return
                if time.monotonic() - quiet_since > STREAM_KEEPALIVE_SECONDS:
                    yield b": keep-alive\n\n"
                    quiet_since = time.monotonic()
                time.sleep(STREAM_TICK_SECONDS)

        return Response(200, content_type="text/event-stream", headers={"X-Fal-Request-Id": task.id},
                        stream=events, length=None)

    def adjust_answer(self, ctx, fault, response):
        # `stream-break;after=N`: the status stream ends (the connection closes) after N events,
        # before the request completes — a stream that fails midway.
        if fault.name != "stream-break" or response.stream is None:
            return
        events, limit = response.stream, int(fault.number("after", 1))

        def cut():
            sent = 0
            for chunk in events():
                if sent >= limit:
                    return
                yield chunk
                if chunk.startswith(b"data:"):
                    sent += 1
        response.stream = cut

    def result(self, ctx):
        with self.app.lock:
            task = self._find(ctx)
            if task is None:
                raise ApiError(404, "not_found", "Request not found.")
            status, failure = task.status, self._failure(task)
            output = self._output(task) if status == "COMPLETED" else None
        headers = {"X-Fal-Request-Id": task.id}
        if status not in FINISHED:
            raise ApiError(400, "bad_request", "Request is still in progress.", headers)
        if failure is not None:
            message, error_type = failure
            raise ApiError(499 if status == CANCELLED else 500, error_type, message, headers)
        return Response.json(200, output, headers)

    def cancel(self, ctx):
        with self.app.lock:
            task = self._find(ctx)
            if task is None:
                raise ApiError(404, "not_found", "Request not found.",
                               fields={"status": "NOT_FOUND"})
            if task.status in FINISHED:
                raise ApiError(400, "bad_request", "Request is already completed.",
                               {"X-Fal-Request-Id": task.id},
                               fields={"status": "ALREADY_COMPLETED"})
            task.forced = CANCELLED
            self.sync(task)
        return Response.json(202, {"status": "CANCELLATION_REQUESTED"},
                             {"X-Fal-Request-Id": task.id})

    # -- storage -------------------------------------------------------------------------
    def initiate_upload(self, ctx):
        body = ctx.json_object()
        file_name = body.get("file_name")
        content_type = body.get("content_type", "application/octet-stream")
        if not isinstance(file_name, str) or not file_name or not isinstance(content_type, str):
            raise ApiError(422, "validation_error", "", detail=[
                _problem("file_name", "Field required", "missing")])
        token = uuid.uuid4().hex
        with self.app.lock:
            stored = self.app.files.add(StoredFile(token, file_name, content_type))
        return Response.json(200, {"upload_url": f"{ctx.base_url}/fal/storage/uploads/{token}",
                                   "file_url": stored.url(ctx.base_url)})

    def receive_upload(self, ctx):
        with self.app.lock:
            stored = self.app.files.get(ctx.params["token"])
        if stored is None:
            raise ApiError(404, "not_found", "Unknown or expired upload URL.")
        path = self.app.files.scratch_path()
        with open(path, "wb") as sink:
            size = ctx.req.body.copy_to(sink)
        with self.app.lock:
            stored.path, stored.size = path, size
            stored.content_type = ctx.req.header("Content-Type", stored.content_type)
        return Response.empty(200)

    # -- the v3 CDN ------------------------------------------------------------------------
    def cdn_token(self, ctx):
        if ctx.req.query.get("storage_type") != CDN_STORAGE_TYPE:
            raise ApiError(400, "bad_request", f"storage_type must be {CDN_STORAGE_TYPE}.")
        token = secrets.token_urlsafe(24)
        expires = time.time() + CDN_TOKEN_SECONDS
        with self.app.lock:
            self.cdn_tokens = {t: e for t, e in self.cdn_tokens.items() if e > time.time()}
            self.cdn_tokens[token] = expires
        return Response.json(200, {"token": token, "token_type": "Bearer",
                                   "base_url": f"{ctx.base_url}/fal/cdn",
                                   "expires_at": iso(expires)})

    def _cdn_authorize(self, ctx):
        scheme, _, token = (ctx.req.header("Authorization") or "").partition(" ")
        with self.app.lock:
            expires = self.cdn_tokens.get(token)
        if scheme != "Bearer" or expires is None or expires <= time.time():
            raise ApiError(401, "unauthorized", "Missing or expired CDN token.")

    def _cdn_new_file(self, ctx):
        name = unquote(ctx.req.header("X-Fal-File-Name") or "") or "upload.bin"
        content_type = ctx.req.header("Content-Type") or "application/octet-stream"
        stored = StoredFile(uuid.uuid4().hex, os.path.basename(name) or "upload.bin", content_type)
        with self.app.lock:
            self.app.files.add(stored)
        return stored

    @staticmethod
    def _cdn_url(ctx, stored):
        return f"{ctx.base_url}/fal/cdn/files/{stored.id}/{quote(stored.name, safe='')}"

    def cdn_upload(self, ctx):
        self._cdn_authorize(ctx)
        stored = self._cdn_new_file(ctx)
        path = self.app.files.scratch_path()
        with open(path, "wb") as sink:
            size = ctx.req.body.copy_to(sink)
        with self.app.lock:
            stored.path, stored.size = path, size
        return Response.json(200, {"access_url": self._cdn_url(ctx, stored)})

    def cdn_open_multipart(self, ctx):
        self._cdn_authorize(ctx)
        stored = self._cdn_new_file(ctx)
        upload_id = uuid.uuid4().hex
        with self.app.lock:
            self.cdn_uploads[upload_id] = {"file": stored.id, "parts": {}}
        return Response.json(200, {"access_url": self._cdn_url(ctx, stored), "uploadId": upload_id})

    def _cdn_upload_state(self, ctx):
        with self.app.lock:
            upload = self.cdn_uploads.get(ctx.params["upload_id"])
            stored = self.app.files.get(ctx.params["file_id"])
        if upload is None or stored is None or upload["file"] != stored.id:
            raise ApiError(404, "not_found", "No such multipart upload.")
        return upload, stored

    def cdn_part(self, ctx):
        self._cdn_authorize(ctx)
        upload, _ = self._cdn_upload_state(ctx)
        raw = ctx.params["part"]
        if not raw.isdecimal() or not 1 <= int(raw) <= 10000:
            raise ApiError(400, "bad_request", "The part number must be 1 to 10000.")
        path = self.app.files.scratch_path()
        digest = hashlib.md5()
        with open(path, "wb") as sink:
            class Tee:
                @staticmethod
                def write(data):
                    digest.update(data)
                    sink.write(data)
            size = ctx.req.body.copy_to(Tee)
        etag = f'"{digest.hexdigest()}"'
        with self.app.lock:
            previous = upload["parts"].get(int(raw))
            upload["parts"][int(raw)] = {"path": path, "etag": etag, "size": size}
            self.app.stats.add(self.name, "cdn_parts_received")
        if previous:
            os.remove(previous["path"])
        return Response.empty(200, {"ETag": etag})

    def cdn_complete(self, ctx):
        self._cdn_authorize(ctx)
        upload, stored = self._cdn_upload_state(ctx)
        parts = ctx.json_object().get("parts")
        if not isinstance(parts, list) or not parts:
            raise ApiError(400, "bad_request", "parts must be a non-empty list.")
        with self.app.lock:
            received = dict(upload["parts"])
        numbers = [p.get("partNumber") if isinstance(p, dict) else None for p in parts]
        if numbers != list(range(1, len(received) + 1)):
            raise ApiError(400, "bad_request", "parts must list every received part once, in order.")
        for part in parts:
            if received[part["partNumber"]]["etag"] != part.get("etag"):
                raise ApiError(400, "bad_request",
                               f"part {part['partNumber']}'s etag does not match the part received.")
        path = self.app.files.scratch_path()
        size = 0
        with open(path, "wb") as sink:
            for number in numbers:
                with open(received[number]["path"], "rb") as source:
                    while chunk := source.read(1 << 20):
                        sink.write(chunk)
                        size += len(chunk)
                os.remove(received[number]["path"])
        with self.app.lock:
            stored.path, stored.size = path, size
            self.cdn_uploads.pop(ctx.params["upload_id"], None)
        return Response.json(200, {"access_url": self._cdn_url(ctx, stored)})

    def cdn_file(self, ctx):
        with self.app.lock:
            stored = self.app.files.get(ctx.params["file_id"])
        if stored is None or stored.path is None:
            raise ApiError(404, "not_found", "No such file (or its upload never completed).")
        return Response(200, content_type=stored.content_type, stream=file_chunks(stored.path),
                        length=stored.size)

    def jwks(self, ctx):
        x = base64.urlsafe_b64encode(self.public_key).rstrip(b"=").decode()
        key = {"kty": "OKP", "crv": "Ed25519", "x": x, "use": "sig", "alg": "EdDSA",
               "kid": hashlib.sha256(self.public_key).hexdigest()[:16]}
        return Response.json(200, {"keys": [key]})

    def pricing(self, ctx):
        """`?endpoint_id=a,b` (1 to 50 ids): the known prices, in the order asked; an id without a
        price is left out."""
        ids = [part.strip() for part in ctx.req.query.get("endpoint_id", "").split(",") if part.strip()]
        if not 1 <= len(ids) <= MAX_PRICED_ENDPOINTS:
            raise ApiError(400, "bad_request",
                           f"endpoint_id must name 1 to {MAX_PRICED_ENDPOINTS} endpoints.")
        prices = [{"endpoint_id": endpoint, **PRICES[endpoint]} for endpoint in ids if endpoint in PRICES]
        return Response.json(200, {"prices": prices, "next_cursor": None, "has_more": False})

    # -- views ---------------------------------------------------------------------------
    def _urls(self, task):
        # The submit's sub-path is not part of these URLs, as with fal.
        base = f"{task.base_url}/fal/queue/{task.data['app']}/requests/{task.id}"
        return {"response_url": base, "status_url": base + "/status",
                "cancel_url": base + "/cancel"}

    def _view(self, task, logs):
        status = task.status
        view = {"status": "COMPLETED" if status in FINISHED else status,
                "request_id": task.id, **self._urls(task)}
        if status == "IN_QUEUE":
            # Position = IN_QUEUE steps left on the plan, this one included.
            view["queue_position"] = task.plan.steps[task.index():].count("IN_QUEUE")
        if logs and status != "IN_QUEUE":
            view["logs"] = self._logs(task)
        if status in FINISHED:
            view["metrics"] = {"inference_time": round(task.updated - task.created, 3)}
            failure = self._failure(task)
            if failure is not None:
                view["error"], view["error_type"] = failure
        return view

    @staticmethod
    def _logs(task):
        lines = []
        for index, reached in enumerate(task.reached):
            if task.plan.steps[index] == "IN_PROGRESS":
                lines.append({"message": f"Generating (step {index})", "level": "INFO",
                              "source": "user", "timestamp": iso(reached)})
        return lines

    @staticmethod
    def _failure(task):
        if task.status == CANCELLED:
            return "Request was cancelled.", "client_cancelled"
        if task.status in ERROR_STATUSES:
            return "Runner encountered an internal server error (emulated).", "runner_server_error"
        return None

    def _output(self, task):
        values, base = task.data["input"], task.base_url
        if task.data["app"] != BEATOVEN:
            return {"output": {"url": f"{base}/media/blob.bin?bytes=1024",
                               "content_type": "application/octet-stream"}, "input": values}
        duration = values.get("duration", 90)
        seconds = min(duration, OUTPUT_SECONDS_CAP)
        parameters = {"duration": duration, "negative_prompt": values.get("negative_prompt", ""),
                      "refinement": values.get("refinement", 100),
                      "creativity": values.get("creativity", 16), "seed": values.get("seed")}
        return {"audio": {"url": f"{base}/media/tone.wav?seconds={seconds:g}",
                          "content_type": "audio/wav", "file_name": f"music_{task.id[:8]}.wav",
                          "file_size": wav_size(seconds)},
                "prompt": values["prompt"],
                "metadata": {"duration": seconds, "sample_rate": SAMPLE_RATE,
                             "parameters": parameters}}

    # -- webhooks ------------------------------------------------------------------------
    def on_transition(self, task, old, new):
        webhook = task.data["webhook"]
        if webhook is None or new not in FINISHED or (old is not None and old in FINISHED):
            return
        failure = self._failure(task)
        body = {"request_id": task.id, "gateway_request_id": task.id}
        if failure is None:
            body.update(status="OK", payload=self._output(task))
        else:
            code = 499 if new == CANCELLED else 500
            body.update(status="ERROR", error=f"Invalid status code: {code}",
                        payload={"detail": failure[0], "error_type": failure[1]})
        raw = json.dumps(body).encode()
        self.deliver(task, webhook, raw, lambda: self._signed_headers(task.id, raw),
                     "ERROR" if failure else "OK")

    def _signed_headers(self, request_id, body):
        """Run on the delivery thread: pure-Python Ed25519 takes milliseconds."""
        user_id = self.app.config.fal_key.split(":")[0]
        timestamp = str(int(time.time()))
        message = f"{request_id}\n{user_id}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}"
        return {"Content-Type": "application/json", "X-Fal-Webhook-Request-Id": request_id,
                "X-Fal-Webhook-User-Id": user_id, "X-Fal-Webhook-Timestamp": timestamp,
                "X-Fal-Webhook-Signature": ed25519.sign(self.seed, message.encode()).hex()}
