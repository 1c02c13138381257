"""What every emulated provider shares: routing, auth and error hooks, task lifecycle,
idempotency keys and webhook hand-off."""

import json
import math
import re
import secrets
import socket
import time
import traceback
from datetime import datetime, timezone
from email.utils import formatdate

from ..http import BodyTooLarge, Response
from ..tasks import Plan, PlanError, Task

IDEMPOTENCY_TTL_SECONDS = 24 * 3600


class ApiError(Exception):
    """Raised by route handlers; the provider renders it in its own error shape."""

    def __init__(self, status, code, message, headers=None, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra


class ControlError(ValueError):
    """A bad X-Emulator-* control header: answered as an emulator error, not a provider one."""


def emulator_error(status, message):
    return Response.json(status, {"emulator_error": message})


def new_id(prefix, length=12):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def iso(timestamp):
    """RFC 3339 UTC with milliseconds, e.g. 2026-01-02T03:04:05.678Z (None stays None)."""
    if timestamp is None:
        return None
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_emulator_url(value, base_url):
    return isinstance(value, str) and value.startswith(base_url + "/")


def is_public_https(value, base_url):
    """Inputs must be public HTTPS URLs; files the emulator itself serves count as such."""
    return isinstance(value, str) and (
        (value.startswith("https://") and len(value) > len("https://"))
        or is_emulator_url(value, base_url))


def is_http_url(value):
    return isinstance(value, str) and re.match(r"^https?://[^\s/]+", value) is not None


class Route:
    def __init__(self, method, template, handler, auth=True, head=False):
        self.method = method
        self.template = template.replace("*}", "}")  # as shown in stats keys
        self.handler = handler
        self.auth = auth
        self.head = head  # also answers HEAD (media routes)
        pattern = re.sub(r"\{(\w+)\*\}", r"(?P<\1>.+)", template)
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.regex = re.compile(pattern)


class Context:
    """One request as seen by a route handler."""

    def __init__(self, app, provider, req, params):
        self.app = app
        self.provider = provider
        self.req = req
        self.params = params
        self.base_url = req.base_url
        self._request_id = None

    @property
    def request_id(self):
        if self._request_id is None:
            self._request_id = self.provider.request_id_for(self.req)
        return self._request_id

    def json_object(self):
        try:
            body = self.req.json()
        except BodyTooLarge as error:
            raise ApiError(413, self.provider.BAD_REQUEST, str(error)) from None
        except ValueError:
            raise ApiError(400, self.provider.BAD_REQUEST,
                           "The request body must be valid JSON.") from None
        if not isinstance(body, dict):
            raise ApiError(400, self.provider.BAD_REQUEST,
                           "The request body must be a JSON object.")
        return body


class Provider:
    name = ""
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    UNAUTHORIZED = "unauthorized"
    INTERNAL_ERROR = "internal_error"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"

    def __init__(self, app):
        self.app = app
        self.routes = []
        self.tasks = {}
        self._idempotency = {}
        self.add_routes()

    # -- wiring --------------------------------------------------------------------------
    def add_routes(self):
        raise NotImplementedError

    def route(self, method, template, handler, auth=True, head=False):
        self.routes.append(Route(method, template, handler, auth, head))

    def match(self, method, path):
        for route in self.routes:
            if route.method == method or (method == "HEAD" and route.head):
                found = route.regex.fullmatch(path)
                if found:
                    return route, found.groupdict()
        return None, {}

    def relative_path(self, path):
        return path[len(self.name) + 1:] or "/"

    def reset(self):
        self.tasks.clear()
        self._idempotency.clear()

    # -- provider-specific hooks ---------------------------------------------------------
    def authorized(self, req):
        raise NotImplementedError

    def error(self, ctx, status, code, message, headers=None, **extra):
        """The provider's documented error body for this status and code."""
        raise NotImplementedError

    def fault_response(self, ctx, fault):
        """The answer for a before-handler fault (429, 5xx, non-json, ...)."""
        if fault.name == "echo-secret":
            return self.echo_secret(ctx, fault)
        if fault.name == "redirect":
            # A 3xx to `to` (another origin, say): what a hijacked or misconfigured host sends.
            return Response.empty(fault.status(307), {"Location": fault.text("to")})
        if fault.name == "challenge":
            # The provider's 401, asking for HTTP authentication as a gateway in front of it may:
            # an HTTP client turns it into an authentication challenge.
            scheme = fault.text("scheme", "Basic")
            return self.error(ctx, 401, self.UNAUTHORIZED, "Missing or invalid API key.",
                              headers={"WWW-Authenticate": f'{scheme} realm="emulator"'})
        if fault.name == "non-json":
            status = fault.status(502)
            page = (f"<html><head><title>{status} Error</title></head><body><center><h1>"
                    f"{status} Error</h1></center><hr><center>edge</center></body></html>")
            response = Response(status, page.encode(), "text/html; charset=utf-8")
            response.ingress = True  # an edge proxy's page, not the provider's answer
            return response
        status = fault.status(500)
        headers, seconds = {}, fault.number("retry_after", 1 if status == 429 else None)
        if seconds is not None:
            seconds = int(math.ceil(seconds))
            headers["Retry-After"] = (formatdate(time.time() + seconds, usegmt=True)
                                      if fault.flag("retry_after_date") else str(seconds))
        return self.fault_error(ctx, fault, status, headers, seconds)

    @staticmethod
    def echo_secret(ctx, fault):
        """A server that echoes the caller's credential: the request's key (`x-api-key`, or the
        token of `Authorization`) at `offset` characters into a text put in every field any
        provider's errors carry, and in the request-id headers. `format=text` sends the text alone
        as a plain body, so that a client's snippet of it must cut across the key."""
        credential = ctx.req.header("x-api-key") or ""
        if not credential:
            parts = (ctx.req.header("Authorization") or "").split(" ", 1)
            credential = parts[-1] if parts else ""
        offset = int(fault.number("offset", 0))
        filler = "".join(chr(ord("a") + i % 26) for i in range(offset))
        text = filler + credential + " " + "z" * 240
        status = fault.status(400)
        headers = {name: text for name in ("X-Request-Id", "x-skytells-request-id", "X-Fal-Request-Id",
                                           "Request-Id", "X-Echo")}
        if fault.text("format") == "text":
            return Response(status, text.encode(), "text/plain", headers)
        error = {"message": text, "error_id": text, "code": text, "request_id": text, "param": text,
                 "field": text, "details": {"field": text, "param": text}, "type": text}
        body = {"error": error, "message": text, "code": text, "error_type": text, "request_id": text,
                "detail": [{"loc": ["body", text], "msg": text, "type": text}], "response": text}
        return Response.json(status, body, headers)

    def fault_error(self, ctx, fault, status, headers, retry_after):
        """The provider's error answer for a 429/5xx fault."""
        raise NotImplementedError

    def decorate(self, ctx, response):
        """Headers the provider puts on every answer (request ids)."""

    def adjust_answer(self, ctx, fault, response):
        """A provider-only after-handler fault applied to the handler's real answer."""

    def implied_fault(self, req):
        """A fault requested by a provider-specific control header, as fault text."""
        return None

    def request_id_for(self, req):
        return "req_" + secrets.token_hex(8)

    def on_transition(self, task, old, new):
        """Side effects of a status change (billing, webhooks); `old` is None at creation."""

    # -- serving -------------------------------------------------------------------------
    def serve(self, ctx, route):
        if route is None:
            return self.error(ctx, 404, self.NOT_FOUND,
                              f"No route for {ctx.req.method} {self.relative_path(ctx.req.path)}.")
        if route.auth and not self.authorized(ctx.req):
            return self.error(ctx, 401, self.UNAUTHORIZED, "Missing or invalid API key.")
        try:
            return route.handler(ctx)
        except ApiError as failure:
            return self.error(ctx, failure.status, failure.code, failure.message,
                              headers=failure.headers, **failure.extra)
        except (ControlError, PlanError) as failure:
            return emulator_error(400, str(failure))
        except (ConnectionError, socket.timeout):
            raise  # the client went away mid-request: nothing to answer
        except Exception as failure:  # an emulator bug: say so in the provider's shape
            traceback.print_exc()
            return self.error(ctx, 500, self.INTERNAL_ERROR, f"Emulator bug: {failure!r}")

    # -- tasks (callers hold app.lock) ---------------------------------------------------
    def create_task(self, ctx, task_id, data, default_steps, unattended=False):
        """Registers a task; `unattended` tasks (webhook users) advance on a short timeline."""
        plan = Plan.from_request(ctx.req, default_steps, unattended)
        task = Task(self.name, task_id, plan, ctx.base_url, data)
        self.tasks[task_id] = task
        self.app.stats.add(self.name, "tasks_created")
        if plan.by_time:
            start = time.monotonic()
            for at in sorted(set(plan.times_ms)):
                if at > 0:
                    self.app.scheduler.call_at(start + at / 1000,
                                               lambda: self.sync_by_id(task_id))
        self.on_transition(task, None, task.status)  # a plan may start in any status
        return task

    def poll(self, task):
        """One status read by the client: counts, and in script mode moves one step."""
        task.polls += 1
        self.app.stats.add(self.name, "polls")
        if not task.plan.by_time:
            task.step = min(task.step + 1, len(task.plan.steps) - 1)
        self.sync(task)

    def sync(self, task):
        index = task.index()
        while len(task.reached) <= index:
            task.reached.append(time.time())
        new = task.planned_status()
        if new != task.status:
            old, task.status, task.updated = task.status, new, time.time()
            task.history.append({"status": new, "at_ms": int(task.elapsed_ms()),
                                 "polls": task.polls})
            self.on_transition(task, old, new)

    def sync_by_id(self, task_id):
        with self.app.lock:
            task = self.tasks.get(task_id)
            if task is not None:
                self.sync(task)

    def deliver(self, task, url, body, headers, event):
        self.app.webhooks.send({"provider": self.name, "task_id": task.id, "url": url,
                                "body": body, "headers": headers, "event": event})

    # -- idempotency keys (callers hold app.lock) ----------------------------------------
    def _fingerprint(self, ctx, body):
        return ctx.req.path + " " + json.dumps(body, sort_keys=True, separators=(",", ":"))

    def replayed_task(self, ctx, body):
        """The task an earlier request with the same Idempotency-Key created, if any."""
        key = ctx.req.header("Idempotency-Key")
        entry = self._idempotency.get(key) if key else None
        if entry is None or entry["expires"] < time.monotonic():
            return None
        if entry["fingerprint"] != self._fingerprint(ctx, body):
            raise ApiError(409, self.IDEMPOTENCY_CONFLICT,
                           "This Idempotency-Key was already used with a different request.")
        return self.tasks.get(entry["task_id"])

    def remember_idempotency(self, ctx, body, task):
        key = ctx.req.header("Idempotency-Key")
        if key:
            self._idempotency[key] = {"fingerprint": self._fingerprint(ctx, body),
                                      "task_id": task.id,
                                      "expires": time.monotonic() + IDEMPOTENCY_TTL_SECONDS}
