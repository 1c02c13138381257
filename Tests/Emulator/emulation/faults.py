"""Fault injection: `X-Emulator-Fault: name;key=value;...` per request, or scripted rules."""

FAULT_HEADER = "X-Emulator-Fault"

# Faults answered instead of running the route handler (nothing is created).
BEFORE_HANDLER = {"429", "500", "502", "503", "504", "drop-before", "non-json",
                  "response-body", "status-false", "error-form", "redirect", "echo-secret",
                  "error-type", "idempotency-in-progress", "challenge"}
# Faults applied to (or around) the handler's real answer.
AFTER_HANDLER = {"drop-after", "slow-first-byte", "truncate", "wrong-content-type", "large-body",
                 "status-false-queued", "list-form", "stream-break"}
# Faults that only make sense for one provider's documented error shapes.
PROVIDER_ONLY = {"response-body": "skytells", "status-false": "skytells",
                 "status-false-queued": "skytells", "error-form": "skytells", "list-form": "skytells",
                 "error-type": "fal", "stream-break": "fal", "idempotency-in-progress": "beatapi"}
PROVIDERS = {"skytells", "fal", "beatapi", "beatra", "media"}
NUMERIC_PARAMETERS = {"retry_after", "ms", "bytes", "status", "offset", "after"}


class FaultError(ValueError):
    """A malformed fault header or rule (answered as an emulator error, not a provider one)."""


class Fault:
    def __init__(self, name, params):
        self.name = name
        self.params = params

    @classmethod
    def parse(cls, text):
        parts = [p.strip() for p in text.split(";") if p.strip()]
        if not parts:
            raise FaultError("empty fault")
        name, params = parts[0].lower(), {}
        if name not in BEFORE_HANDLER | AFTER_HANDLER:
            raise FaultError(f"unknown fault {name!r}")
        for part in parts[1:]:
            key, sep, value = part.partition("=")
            if not sep:
                raise FaultError(f"fault parameter {part!r} is not key=value")
            params[key.strip().lower()] = value.strip()
        fault = cls(name, params)
        for key in NUMERIC_PARAMETERS & params.keys():
            fault.number(key, None)  # reject bad numbers now, before anything runs
        if "status" in params:
            fault.status(None)
        if name == "redirect" and not params.get("to"):
            raise FaultError("redirect needs to=<url>")
        if name == "list-form" and params.get("form", "array") not in ("array", "paginated"):
            raise FaultError("list-form needs form=array or form=paginated")
        return fault

    @property
    def before_handler(self):
        return self.name in BEFORE_HANDLER

    def text(self, key, default=None):
        return self.params.get(key, default)

    def number(self, key, default):
        raw = self.params.get(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise FaultError(f"fault parameter {key}={raw!r} is not a number") from None
        if value < 0:
            raise FaultError(f"fault parameter {key} must not be negative")
        return value

    def flag(self, key, default=False):
        raw = self.params.get(key)
        if raw is None:
            return default
        return raw.lower() in ("1", "true", "yes")

    def status(self, default):
        """The HTTP status of a status-bearing fault (`500`…, or `status=` for the others)."""
        if self.name.isdecimal():
            return int(self.name)
        status = int(self.number("status", default))
        if not 100 <= status <= 599:
            raise FaultError(f"status {status} is not an HTTP status")
        return status


class FaultBook:
    """Scripted fault rules; each applies to its next `count` matching requests."""

    def __init__(self):
        self._rules = []

    def add(self, rules):
        parsed = [self._parse_rule(rule) for rule in rules]
        self._rules.extend(parsed)

    @staticmethod
    def _parse_rule(rule):
        if not isinstance(rule, dict) or not isinstance(rule.get("fault"), str):
            raise FaultError('each rule needs a "fault" string')
        fault = Fault.parse(rule["fault"])
        count = rule.get("count", 1)
        if not isinstance(count, int) or count < 1:
            raise FaultError('"count" must be a positive integer')
        provider = rule.get("provider")
        if provider is not None and provider not in PROVIDERS:
            raise FaultError(f"unknown provider {provider!r}")
        only = PROVIDER_ONLY.get(fault.name)
        if only and provider != only:
            raise FaultError(f'fault {fault.name!r} needs "provider": "{only}"')
        method = rule.get("method")
        path = rule.get("path")
        for key, value in (("method", method), ("path", path)):
            if value is not None and not isinstance(value, str):
                raise FaultError(f'"{key}" must be a string')
        return {"fault": rule["fault"], "count": count, "provider": provider,
                "method": method.upper() if method else None, "path": path, "parsed": fault}

    def take(self, provider, method, path):
        """The fault of the first rule matching this request, consuming one use of it."""
        for rule in self._rules:
            if rule["provider"] not in (None, provider):
                continue
            if rule["method"] not in (None, method):
                continue
            if rule["path"] is not None and not path.startswith(rule["path"]):
                continue
            rule["count"] -= 1
            if rule["count"] == 0:
                self._rules.remove(rule)
            return rule["parsed"]
        return None

    def listing(self):
        return [{k: v for k, v in rule.items() if k != "parsed"} for rule in self._rules]

    def clear(self):
        self._rules.clear()


def fault_for_request(req, provider, book):
    """The header fault if any (it wins), else a scripted one. Caller holds the lock."""
    text = req.header(FAULT_HEADER)
    if text is None:
        text = provider.implied_fault(req)
    if text is not None:
        fault = Fault.parse(text)
        only = PROVIDER_ONLY.get(fault.name)
        if only and only != provider.name:
            raise FaultError(f"fault {fault.name!r} exists only for {only}")
        return fault
    return book.take(provider.name, req.method, provider.relative_path(req.path))
