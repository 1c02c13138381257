"""`/_emulator/...`: health, stats, reset, fault rules, task and webhook inspection, and an
inbox that receives webhooks, so that tests can check real deliveries without a server.

Control routes need no auth and are never faulted or counted.
"""

import base64

from .faults import FaultError
from .http import Response
from .providers.base import emulator_error


class Control:
    def __init__(self, app):
        self.app = app

    def handle(self, req):
        parts = req.path.strip("/").split("/")[1:]
        route = (req.method, parts[0] if parts else "")
        if route == ("GET", "health"):
            return Response.json(200, {"ok": True})
        if route == ("GET", "stats"):
            with self.app.lock:
                return Response.json(200, self.app.stats.snapshot())
        if route == ("POST", "reset"):
            self.app.reset()
            return Response.json(200, {"ok": True})
        if parts[:1] == ["faults"] and len(parts) == 1:
            return self._faults(req)
        if route == ("GET", "tasks") and len(parts) == 3:
            return self._task(parts[1], parts[2])
        if route == ("GET", "webhooks"):
            with self.app.lock:
                return Response.json(200, {"deliveries": list(self.app.deliveries)})
        if parts[:1] == ["inbox"] and len(parts) == 2:
            return self._inbox(req, parts[1])
        if parts[:1] == ["capture"] and len(parts) == 2:
            return self._capture(req, parts[1])
        if route == ("GET", "captures") and len(parts) == 2:
            with self.app.lock:
                return Response.json(200, {"deliveries": list(self.app.captures.get(parts[1], []))})
        return emulator_error(404, f"no control route {req.method} {req.path}")

    def _faults(self, req):
        if req.method == "GET":
            with self.app.lock:
                return Response.json(200, {"rules": self.app.faults.listing()})
        if req.method == "DELETE":
            with self.app.lock:
                self.app.faults.clear()
            return Response.json(200, {"rules": []})
        if req.method != "POST":
            return emulator_error(405, "use GET, POST or DELETE on /_emulator/faults")
        try:
            body = req.json()
        except ValueError:
            return emulator_error(400, 'body must be JSON like {"rules": [{"fault": "503"}]}')
        rules = body.get("rules") if isinstance(body, dict) else None
        if not isinstance(rules, list):
            return emulator_error(400, 'body needs a "rules" list')
        with self.app.lock:
            try:
                self.app.faults.add(rules)
            except FaultError as failure:
                return emulator_error(400, str(failure))
            return Response.json(200, {"rules": self.app.faults.listing()})

    def _inbox(self, req, name):
        """POST stores a delivery as received (raw body, every header); GET lists them, oldest
        first, the body in base64 so that a signature can be checked over the exact bytes."""
        if req.method == "POST":
            body = req.body.read_all()
            entry = {"headers": {key: value for key, value in req.headers.items()},
                     "body_base64": base64.b64encode(body).decode("ascii")}
            with self.app.lock:
                self.app.inboxes.setdefault(name, []).append(entry)
            return Response.json(200, {"ok": True})
        if req.method == "GET":
            with self.app.lock:
                return Response.json(200, {"deliveries": list(self.app.inboxes.get(name, []))})
        return emulator_error(405, "use POST or GET on /_emulator/inbox/{name}")

    def _capture(self, req, name):
        """Any method: keeps the request line and every header, answers 200 — the stand-in for a
        foreign host, to see what a client sent where it should not have."""
        req.body.drain()
        entry = {"method": req.method, "path": req.path,
                 "headers": {key: value for key, value in req.headers.items()}}
        with self.app.lock:
            self.app.captures.setdefault(name, []).append(entry)
        return Response.json(200, {"captured": True})

    def _task(self, provider_name, task_id):
        provider = self.app.providers.get(provider_name)
        with self.app.lock:
            task = provider.tasks.get(task_id) if provider else None
            if task is None:
                return emulator_error(404, f"no {provider_name} task {task_id}")
            return Response.json(200, task.inspect())  # serialized while the lock is held
