"""Skytells predictions and models API under `/skytells/v1` (seeds 000, 004; providers.md)."""

import hashlib
import hmac
import json
import math
import re
import time
from datetime import date, datetime, timezone

from ..http import Response
from .base import ApiError, ControlError, Provider, emulator_error, is_http_url, iso, new_id
from .skytells_catalog import MODELS, validate

DEFAULT_STEPS = ["queued", "processing", "succeeded"]
RUNNING = {"starting", "started", "processing"}
TERMINAL = {"succeeded", "failed", "canceled", "cancelled"}
EVENTS = ("started", "completed", "failed", "canceled")
PER_PAGE = 20
MAX_PER_PAGE = 50  # API reference, prediction errors: `per_page` not between 1 and 50 is a 400
AWAIT_LIMIT_SECONDS = 60
OUTPUT_SECONDS_CAP = 10  # outputs stay small whatever duration was asked for
OUTPUT_SHAPE_HEADER = "X-Emulator-Output-Shape"
STATUS_FALSE_HEADER = "X-Emulator-Status-False"
# `bare` (the TypeScript SDK's body: the prediction) or `envelope` (the API reference's
# `{"type": "prediction.succeeded", "created_at", "data": {...}}`).
WEBHOOK_FORM_HEADER = "X-Emulator-Webhook-Form"
ENVELOPE_TYPES = {"started": "prediction.started", "completed": "prediction.succeeded",
                  "failed": "prediction.failed", "canceled": "prediction.cancelled"}
FAULT_ERRORS = {429: ("RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Retry later."),
                500: ("INTERNAL_ERROR", "Internal server error."),
                502: ("INFRASTRUCTURE_ERROR", "Bad gateway."),
                503: ("INFRASTRUCTURE_ERROR", "Service temporarily unavailable."),
                504: ("INFRASTRUCTURE_ERROR", "Gateway timeout.")}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_running(status):
    return status.lower() in RUNNING


def is_terminal(status):
    return status.lower() in TERMINAL


class Skytells(Provider):
    name = "skytells"
    BAD_REQUEST = "INVALID_PARAMETER"
    NOT_FOUND = "NOT_FOUND"  # not among the documented error_ids; clients must cope
    UNAUTHORIZED = "UNAUTHORIZED"
    INTERNAL_ERROR = "INTERNAL_ERROR"

    def add_routes(self):
        self.route("POST", "/v1/predictions", lambda ctx: self.create(ctx, allow_await=False))
        self.route("POST", "/v1/predict", lambda ctx: self.create(ctx, allow_await=True))
        self.route("GET", "/v1/predictions", self.list_predictions)
        self.route("GET", "/v1/predictions/{id}", self.get_prediction)
        self.route("POST", "/v1/predictions/{id}/cancel", self.cancel)
        self.route("DELETE", "/v1/predictions/{id}/delete", self.delete)
        self.route("GET", "/v1/predictions/{id}/stream", self.stream_info)
        self.route("GET", "/v1/predictions/{id}/events", self.events)
        self.route("GET", "/v1/models", self.list_models)
        # The TypeScript SDK reads `/model/{slug}`; the API reference names `/models/{slug}`.
        self.route("GET", "/v1/model/{slug}", self.get_model)
        self.route("GET", "/v1/models/{slug}", self.get_model)

    # -- provider hooks ------------------------------------------------------------------
    def authorized(self, req):
        return req.header("x-api-key") == self.app.config.skytells_key

    def error(self, ctx, status, code, message, headers=None, **extra):
        body = {"error": {"message": message, "error_id": code,
                          "details": extra.get("details", ""), "http_status": status}}
        return Response.json(status, body, headers)

    def implied_fault(self, req):
        flag = req.header(STATUS_FALSE_HEADER, "")
        return "status-false" if flag.lower() in ("1", "true", "yes") else None

    def fault_response(self, ctx, fault):
        # Two documented error shapes that are not the {"error": {...}} object.
        if fault.name == "status-false":
            return Response.json(200, {"status": False, "response": fault.text(
                "message", "Emulated failure reported inside a 200 answer.")})
        if fault.name == "error-form":
            return self.error_form(fault)
        if fault.name == "response-body":
            return Response.json(fault.status(500), {"response": fault.text(
                "message", "Emulated failure reported as a bare response string.")})
        return super().fault_response(ctx, fault)

    def error_form(self, fault):
        """`error-form;form=envelope|top-level|in-200;status=S;code=C;message=M`: an error in each
        body Skytells documents. `envelope` is the unified `{"status": false, "response", "error":
        {http_status, message, details, error_id}}` (API reference, error objects); `top-level` is
        the rate-limit page's `{"error_id", "message"}`; `in-200` is the envelope answered with a
        200, its status in `error.http_status` (Skytells/ts-sdk src/http.ts)."""
        status = fault.status(500)
        form = fault.text("form", "envelope")
        code = fault.text("code", FAULT_ERRORS.get(status, ("INTERNAL_ERROR", ""))[0])
        message = fault.text("message", f"Emulated {code}.")
        headers = {"Retry-After": "1"} if status == 429 else None
        if form == "top-level":
            return Response.json(status, {"error_id": code, "message": message}, headers)
        envelope = {"status": False, "response": message,
                    "error": {"http_status": status, "message": message, "details": "", "error_id": code}}
        if form == "in-200":
            return Response.json(200, envelope)
        if form == "envelope":
            return Response.json(status, envelope, headers)
        return emulator_error(400, f"error-form: unknown form {form!r} (envelope, top-level, in-200)")

    def adjust_answer(self, ctx, fault, response):
        if fault.name == "list-form":
            self.list_form(fault, response)
            return
        # Skytells/ts-sdk src/http.ts: a prediction still waiting may come back inside a 200 whose
        # top-level `status` is false, with an `error.message` saying so. The task is real.
        if fault.name != "status-false-queued" or not isinstance(response.payload, dict):
            return
        if "id" in response.payload and 200 <= response.status < 300:
            response.status = 200
            response.set_payload({**response.payload, "status": False, "error": {
                "message": fault.text("message", "Prediction is queued and will start shortly.")}})

    @staticmethod
    def list_form(fault, response):
        """`list-form;form=array`: the list answered as the API reference shows it, a bare array
        of predictions without pagination (`form=paginated` keeps the TypeScript SDK's
        `{"data", "pagination"}`)."""
        payload = response.payload
        if fault.text("form", "array") == "array" and isinstance(payload, dict) and isinstance(payload.get("data"), list):
            response.set_payload(payload["data"])

    def fault_error(self, ctx, fault, status, headers, retry_after):
        code, message = FAULT_ERRORS.get(status, ("INTERNAL_ERROR", f"Emulated HTTP {status}."))
        return self.error(ctx, status, code, message, headers)

    # -- predictions ---------------------------------------------------------------------
    def create(self, ctx, allow_await):
        body = ctx.json_object()
        slug = body.get("model")
        if not isinstance(slug, str) or not slug:
            raise ApiError(400, "INVALID_PARAMETER", "model is required.")
        model = MODELS.get(slug)
        if model is None:
            raise ApiError(404, "MODEL_NOT_FOUND", f"Model {slug!r} was not found.")
        model_input = body.get("input")
        if not isinstance(model_input, dict):
            raise ApiError(400, "INVALID_PARAMETER", "input must be an object.")
        problems = validate(model.input_schema, model_input)
        if problems:
            raise ApiError(422, "INVALID_INPUT", "Invalid input for " + slug + ".",
                           details="; ".join(problems))
        webhook = self._webhook(body)
        shape = ctx.req.header(OUTPUT_SHAPE_HEADER, "list").lower()
        if shape not in ("list", "string", "null"):
            raise ControlError(f"{OUTPUT_SHAPE_HEADER} must be list, string or null")
        webhook_form = ctx.req.header(WEBHOOK_FORM_HEADER, "bare").lower()
        if webhook_form not in ("bare", "envelope"):
            raise ControlError(f"{WEBHOOK_FORM_HEADER} must be bare or envelope")
        data = {"model": slug, "input": model_input, "webhook": webhook,
                "output_shape": shape, "webhook_form": webhook_form, "deleted": False}
        with self.app.lock:
            task = self.create_task(ctx, new_id("pred_", 16), data, DEFAULT_STEPS,
                                    unattended=webhook is not None)
            if not (allow_await and body.get("await") is True):
                return Response.json(201, self.render(task))
        return Response.json(200, self._await(task))

    @staticmethod
    def _webhook(body):
        """Both documented forms: a URL string (+ webhook_events_filter) or {url, events}."""
        raw, events = body.get("webhook"), body.get("webhook_events_filter")
        if raw is None:
            return None
        if isinstance(raw, dict):
            url, events = raw.get("url"), raw.get("events", events)
        else:
            url = raw
        if not is_http_url(url):
            raise ApiError(400, "INVALID_PARAMETER", "webhook must be an http(s) URL.")
        if events is None:
            events = list(EVENTS)
        if not isinstance(events, list) or any(event not in EVENTS for event in events):
            raise ApiError(400, "INVALID_PARAMETER",
                           f"webhook events must be a list drawn from {list(EVENTS)}.")
        return {"url": url, "events": events}

    def _await(self, task):
        """`"await": true`: the final prediction, or the current one after the time limit."""
        with self.app.lock:
            if not task.plan.by_time:
                task.fast_forward(is_terminal)
                self.sync(task)
                return self.render(task)
        deadline = time.monotonic() + AWAIT_LIMIT_SECONDS
        while True:
            with self.app.lock:
                self.sync(task)
                if is_terminal(task.status) or time.monotonic() >= deadline:
                    return self.render(task)
            time.sleep(0.02)

    def _find(self, prediction_id):
        task = self.tasks.get(prediction_id)
        if task is None or task.data["deleted"]:
            raise ApiError(404, self.NOT_FOUND, f"Prediction {prediction_id!r} was not found.")
        return task

    def get_prediction(self, ctx):
        with self.app.lock:
            task = self._find(ctx.params["id"])
            self.poll(task)
            return Response.json(200, self.render(task))

    def cancel(self, ctx):
        # Cancelling a finished prediction is a no-op that returns it unchanged.
        with self.app.lock:
            task = self._find(ctx.params["id"])
            if not is_terminal(task.status):
                task.forced = "cancelled"  # the official clients' spelling
                self.sync(task)
            return Response.json(200, self.render(task))

    def delete(self, ctx):
        with self.app.lock:
            task = self._find(ctx.params["id"])
            if not is_terminal(task.status):
                task.forced = "cancelled"
                self.sync(task)
            task.data["deleted"] = True
            return Response.json(200, self.render(task))

    def stream_info(self, ctx):
        with self.app.lock:
            return Response.json(200, self.render(self._find(ctx.params["id"])))

    def events(self, ctx):
        """What `urls.stream` points at: the prediction as server-sent events."""
        with self.app.lock:
            task = self._find(ctx.params["id"])
            text = f"event: prediction\ndata: {json.dumps(self.render(task))}\n\n"
            if is_terminal(task.status):
                text += "event: done\ndata: {}\n\n"
        return Response(200, text.encode(), "text/event-stream")

    def list_predictions(self, ctx):
        query = ctx.req.query
        page = query.get("page", "1")
        if not page.isdecimal() or int(page) < 1:
            raise ApiError(400, "INVALID_PARAMETER", "page must be a positive integer.")
        per_page = query.get("per_page", str(PER_PAGE))
        if not per_page.isdecimal() or not 1 <= int(per_page) <= MAX_PER_PAGE:
            raise ApiError(400, "INVALID_PARAMETER", f"per_page must be between 1 and {MAX_PER_PAGE}.")
        per_page = int(per_page)
        start, end = self._date(query, "from"), self._date(query, "to")
        if start and end and start > end:
            raise ApiError(400, "INVALID_DATE_RANGE", "from must not be after to.")
        model = query.get("model")
        with self.app.lock:
            chosen = []
            for task in self.tasks.values():
                day = datetime.fromtimestamp(task.created, timezone.utc).date()
                if task.data["deleted"] or (model and task.data["model"] != model):
                    continue
                if (start and day < start) or (end and day > end):
                    continue
                chosen.append(task)
            chosen.sort(key=lambda task: task.sequence, reverse=True)
            first = (int(page) - 1) * per_page
            data = [self.render(task) for task in chosen[first:first + per_page]]
        pagination = {"current_page": int(page), "per_page": per_page, "total": len(chosen),
                      "last_page": max(1, math.ceil(len(chosen) / per_page))}
        return Response.json(200, {"data": data, "pagination": pagination})

    @staticmethod
    def _date(query, key):
        raw = query.get(key)
        if raw is None:
            return None
        try:
            if not DATE.match(raw):
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            raise ApiError(400, "INVALID_DATE_FORMAT", f"{key} must be a date as YYYY-MM-DD.",
                           details=f"got {raw!r}") from None

    # -- models --------------------------------------------------------------------------
    def list_models(self, ctx):
        fields = {field.strip() for field in ctx.req.query.get("fields", "").split(",")}
        return Response.json(200, [model.to_json(fields) for model in MODELS.values()])

    def get_model(self, ctx):
        model = MODELS.get(ctx.params["slug"])
        if model is None:
            raise ApiError(404, "MODEL_NOT_FOUND", f"Model {ctx.params['slug']!r} was not found.")
        fields = {field.strip() for field in ctx.req.query.get("fields", "").split(",")}
        return Response.json(200, model.to_json(fields))

    # -- task rendering and side effects -------------------------------------------------
    def render(self, task):
        status, data, base = task.status, task.data, task.base_url
        output, error, metrics = None, None, {}
        if status.lower() == "succeeded":
            output = self._output(task)
            started = data.get("started_at", task.created)
            metrics = {"progress": 1.0,
                       "predict_time": round(data["completed_at"] - started, 3)}
        elif status.lower() == "failed":
            error = "The model failed to produce an output (emulated failure)."
        elif is_running(status):
            metrics = {"progress": task.fraction(is_running)}
        prediction_url = f"{base}/skytells/v1/predictions/{task.id}"
        return {"id": task.id, "status": status, "model": data["model"], "input": data["input"],
                "output": output, "error": error, "metrics": metrics,
                "created_at": iso(task.created), "started_at": iso(data.get("started_at")),
                "completed_at": iso(data.get("completed_at")), "updated_at": iso(task.updated),
                "webhook": data["webhook"],
                "urls": {"get": prediction_url, "cancel": prediction_url + "/cancel",
                         "stream": prediction_url + "/events",
                         "delete": prediction_url + "/delete"}}

    def _output(self, task):
        model = MODELS[task.data["model"]]
        default = model.input_schema["properties"]["duration_seconds"]["default"]
        seconds = min(task.data["input"].get("duration_seconds", default), OUTPUT_SECONDS_CAP)
        media = "tone.wav" if model.makes_audio else "clip.mp4"
        url = f"{task.base_url}/media/{media}?seconds={seconds}"
        return {"list": [url], "string": url, "null": None}[task.data["output_shape"]]

    def on_transition(self, task, old, new):
        data, now = task.data, time.time()
        if is_running(new) and "started_at" not in data:
            data["started_at"] = now
        if is_terminal(new):
            data.setdefault("completed_at", now)
        event = self._event(new, data)
        webhook = data["webhook"]
        if event is None or webhook is None or event not in webhook["events"]:
            return
        prediction = self.render(task)
        if data.get("webhook_form") == "envelope":
            prediction = {"type": ENVELOPE_TYPES[event], "created_at": iso(now), "data": prediction}
        body = json.dumps(prediction).encode()
        secret = self.app.config.skytells_webhook_secret or self.app.config.skytells_key
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        self.deliver(task, webhook["url"], body, {"Content-Type": "application/json",
                                                  "X-Skytells-Signature": signature}, event)

    @staticmethod
    def _event(status, data):
        """The webhook event a new status raises: `completed` is success only."""
        status = status.lower()
        if status == "succeeded":
            return "completed"
        if status == "failed":
            return "failed"
        if status in ("canceled", "cancelled"):
            return "canceled"
        if status in RUNNING and not data.get("started_sent"):
            data["started_sent"] = True
            return "started"
        return None
