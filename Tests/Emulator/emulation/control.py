"""`/_emulator/...`: health, stats, reset, fault rules, task and webhook inspection.

Control routes need no auth and are never faulted or counted.
"""

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

    def _task(self, provider_name, task_id):
        provider = self.app.providers.get(provider_name)
        with self.app.lock:
            task = provider.tasks.get(task_id) if provider else None
            if task is None:
                return emulator_error(404, f"no {provider_name} task {task_id}")
            return Response.json(200, task.inspect())  # serialized while the lock is held
