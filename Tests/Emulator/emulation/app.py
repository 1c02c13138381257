"""The emulator: configuration, shared state behind one lock, and request dispatch."""

import collections
import copy
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass

from .control import Control
from .faults import FaultBook, FaultError, fault_for_request
from .files import FileStore
from .http import Request, write_response
from .media import MediaLibrary
from .providers.base import Context, emulator_error
from .providers.beatapi import BeatAPI
from .providers.beatra import Beatra
from .providers.fal import Fal
from .providers.media import MediaRoutes
from .providers.skytells import Skytells
from .tasks import Scheduler
from .webhooks import WebhookDeliverer

PADDING_FIELD = "_emulator_padding"


@dataclass
class Config:
    skytells_key: str = "test-skytells-key"
    fal_key: str = "test-fal-id:test-fal-secret"
    beatapi_key: str = "test-beatapi-key"
    beatra_key: str = "test-beatra-key"
    skytells_webhook_secret: str = None  # None: Skytells signs webhooks with the API key
    # Seed (32 bytes, hex) of the Ed25519 key fal webhooks are signed with.
    fal_webhook_seed: str = "693d9fffc2dce0b7e2449d8541f92aabf3b31b082f25545286ce94d71106d6ee"
    beatapi_concurrency: int = 10
    beatapi_credits: int = 100_000  # the balance: dollars, or credits worth $1 each
    beatapi_units: str = "usd"  # "credits": the seed's credit-era task and usage shapes
    beatra_credits: int = 100_000
    ffmpeg: str = None  # None: "ffmpeg" from PATH
    verbose: bool = False


class Stats:
    COUNTERS = ("tasks_created", "credits_charged", "credits_refunded", "usd_cents_charged",
                "usd_cents_refunded", "webhooks_delivered",
                "webhook_failures", "faults_injected", "polls", "status_streams",
                "cdn_parts_received")

    def __init__(self, providers):
        self._providers = providers
        self.reset()

    def reset(self):
        self._data = {name: {"requests": {}, **dict.fromkeys(self.COUNTERS, 0), "faults": {},
                             "connections": 0, "peak_connections": 0}
                      for name in self._providers}
        # Per provider, the open client connections that have sent it a request since the reset.
        self._open = {name: set() for name in self._providers}

    def add(self, provider, counter, amount=1):
        self._data[provider][counter] += amount

    def request(self, provider, route_key, connection=None):
        requests = self._data[provider]["requests"]
        requests[route_key] = requests.get(route_key, 0) + 1
        if connection is not None:
            self._connection(provider, connection)

    def _connection(self, provider, connection):
        """Counts `connection` (an id unique per client connection) as one the provider saw."""
        open_connections = self._open[provider]
        if connection in open_connections:
            return
        open_connections.add(connection)
        data = self._data[provider]
        data["connections"] += 1
        data["peak_connections"] = max(data["peak_connections"], len(open_connections))

    def connection_closed(self, connection):
        for open_connections in self._open.values():
            open_connections.discard(connection)

    def fault(self, provider, name):
        self._data[provider]["faults_injected"] += 1
        faults = self._data[provider]["faults"]
        faults[name] = faults.get(name, 0) + 1

    def snapshot(self):
        data = copy.deepcopy(self._data)
        for name, open_connections in self._open.items():
            data[name]["open_connections"] = len(open_connections)
        return data


class Emulator:
    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.workdir = tempfile.mkdtemp(prefix="mediagen-emulator-")
        self.faults = FaultBook()
        self.deliveries = collections.deque(maxlen=1000)
        self.inboxes = {}  # name -> deliveries received at /_emulator/inbox/{name}
        self.captures = {}  # name -> requests received at /_emulator/capture/{name}
        self.files = FileStore(os.path.join(self.workdir, "files"))
        self.media = MediaLibrary(os.path.join(self.workdir, "media"), config.ffmpeg)
        self.scheduler = Scheduler()
        self.webhooks = WebhookDeliverer(self.record_delivery)
        providers = (Skytells(self), Fal(self), BeatAPI(self), Beatra(self), MediaRoutes(self))
        self.providers = {provider.name: provider for provider in providers}
        self.stats = Stats(list(self.providers))
        self.control = Control(self)

    # -- dispatch ------------------------------------------------------------------------
    def handle(self, handler):
        try:
            req = Request(handler)
        except ValueError:
            handler.close_connection = True
            write_response(handler, None, emulator_error(400, "bad Content-Length"))
            return
        head_only = req.method == "HEAD"
        segment = req.path.split("/")[1] if req.path.count("/") >= 1 else ""
        if segment == "_emulator":
            write_response(handler, req, self.control.handle(req), head_only)
            return
        provider = self.providers.get(segment)
        if provider is None:
            known = ", ".join(f"/{name}" for name in self.providers)
            write_response(handler, req, emulator_error(404, f"unknown prefix; use {known}"))
            return
        route, params = provider.match(req.method, provider.relative_path(req.path))
        ctx = Context(self, provider, req, params)
        fault, bad_fault = None, None
        with self.lock:
            template = route.template if route else "(unmatched)"
            self.stats.request(provider.name, f"{req.method} {template}", handler.connection_id)
            try:
                fault = fault_for_request(req, provider, self.faults)
            except FaultError as failure:
                bad_fault = failure
            if fault is not None:
                self.stats.fault(provider.name, fault.name)
        if bad_fault is not None:
            response = emulator_error(400, str(bad_fault))
        else:
            response = self._respond(ctx, route, fault)
        if response is None:  # a dropped connection: no status line at all
            req.body.drain()
            handler.close_connection = True
            return
        provider.decorate(ctx, response)
        if fault is not None and fault.name == "slow-first-byte":
            time.sleep(fault.number("ms", 1000) / 1000)
        truncate = fault is not None and fault.name == "truncate"
        write_response(handler, req, response, head_only, truncate)

    def _respond(self, ctx, route, fault):
        """The response to send, or None to drop the connection without one."""
        if fault is None:
            return ctx.provider.serve(ctx, route)
        if fault.name == "drop-before":
            return None
        if fault.before_handler:
            return ctx.provider.fault_response(ctx, fault)
        response = ctx.provider.serve(ctx, route)
        if fault.name == "drop-after":
            return None
        if fault.name == "wrong-content-type" and response.content_type:
            response.content_type = "text/plain"
        if fault.name == "large-body":
            self._pad(response, int(fault.number("bytes", 5_000_000)))
        ctx.provider.adjust_answer(ctx, fault, response)
        return response

    @staticmethod
    def _pad(response, size):
        """Grows a JSON answer to about `size` bytes with an extra field (or whitespace)."""
        if response.payload is None or response.length >= size:
            return
        if isinstance(response.payload, dict):
            overhead = len(f',"{PADDING_FIELD}":""')
            payload = dict(response.payload)
            payload[PADDING_FIELD] = "x" * max(0, size - response.length - overhead)
            response.set_payload(payload)
        else:
            response.body += b" " * (size - response.length)
            response.length = len(response.body)

    # -- shared state --------------------------------------------------------------------
    def connection_closed(self, connection):
        with self.lock:
            self.stats.connection_closed(connection)

    def record_delivery(self, job, status, error):
        with self.lock:
            delivered = status is not None and 200 <= status < 300
            self.stats.add(job["provider"], "webhooks_delivered" if delivered
                           else "webhook_failures")
            entry = {"provider": job["provider"], "task_id": job["task_id"],
                     "event": job["event"], "url": job["url"], "status": status,
                     "error": error, "at": time.time()}
            self.deliveries.append(entry)
            task = self.providers[job["provider"]].tasks.get(job["task_id"])
            if task is not None:
                task.webhooks.append(entry)

    def reset(self):
        with self.lock:
            self.scheduler.clear()
            self.stats.reset()
            self.faults.clear()
            self.deliveries.clear()
            self.inboxes.clear()
            self.captures.clear()
            self.files.clear()
            for provider in self.providers.values():
                provider.reset()

    def close(self):
        self.scheduler.stop()
        self.webhooks.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
