"""Task progression shared by all providers.

A task follows a *plan*: a list of raw provider statuses. Step 0 is the state at creation;
by default each poll moves one step further (a *script*), or, with a *timeline*, the step is
chosen by the milliseconds elapsed since creation. The last step sticks.
"""

import heapq
import itertools
import threading
import time
import traceback

SCRIPT_HEADER = "X-Emulator-Script"
TIMELINE_HEADER = "X-Emulator-Timeline"
MAX_STEPS = 10_000
# Tasks that will be reported by webhook (and have no script or timeline) run on their own,
# one step every this many milliseconds.
WEBHOOK_STEP_MS = 100


class PlanError(ValueError):
    pass


class Plan:
    def __init__(self, steps, times_ms=None):
        self.steps = steps
        self.times_ms = times_ms  # None for a per-poll script

    @property
    def by_time(self):
        return self.times_ms is not None

    @classmethod
    def from_request(cls, req, default_steps, runs_unattended=False):
        script, timeline = req.header(SCRIPT_HEADER), req.header(TIMELINE_HEADER)
        if script is not None and timeline is not None:
            raise PlanError(f"send either {SCRIPT_HEADER} or {TIMELINE_HEADER}, not both")
        if script is not None:
            return cls(cls._parse_script(script))
        if timeline is not None:
            return cls._parse_timeline(timeline)
        if runs_unattended:
            steps = list(default_steps)
            return cls(steps, [i * WEBHOOK_STEP_MS for i in range(len(steps))])
        return cls(list(default_steps))

    @staticmethod
    def _parse_script(text):
        steps = []
        for item in (part.strip() for part in text.split(",")):
            status, star, repeat = item.rpartition("*")
            if not star:
                status, repeat = item, "1"
            status, repeat = status.strip(), repeat.strip()
            if not status or not repeat.isdecimal() or int(repeat) < 1:
                raise PlanError(f"bad {SCRIPT_HEADER} item {item!r} (want status or status*n)")
            if len(steps) + int(repeat) > MAX_STEPS:
                raise PlanError(f"{SCRIPT_HEADER} is longer than {MAX_STEPS} steps")
            steps.extend([status] * int(repeat))
        return steps

    @classmethod
    def _parse_timeline(cls, text):
        entries = []
        for item in (part.strip() for part in text.split(",")):
            status, at, ms = item.rpartition("@")
            if not at or not status.strip() or not ms.strip().isdecimal():
                raise PlanError(f"bad {TIMELINE_HEADER} item {item!r} (want status@milliseconds)")
            entries.append((int(ms), status.strip()))
        if len(entries) > MAX_STEPS:
            raise PlanError(f"{TIMELINE_HEADER} is longer than {MAX_STEPS} entries")
        entries.sort(key=lambda entry: entry[0])
        return cls([status for _, status in entries], [ms for ms, _ in entries])

    def describe(self):
        if self.by_time:
            return {"mode": "timeline", "steps": self.steps, "times_ms": self.times_ms}
        return {"mode": "script", "steps": self.steps}


class Task:
    """One provider task: its plan, where it is on it, and provider-specific data."""

    _sequence = itertools.count()  # creation order, for stable listings

    def __init__(self, provider, task_id, plan, base_url, data):
        self.sequence = next(Task._sequence)
        self.provider = provider
        self.id = task_id
        self.plan = plan
        self.base_url = base_url
        self.data = data
        self.created = time.time()
        self._started = time.monotonic()
        self.step = 0  # script mode only: advanced by polls
        self.polls = 0
        self.forced = None  # a status set by the API (e.g. cancel) that overrides the plan
        self.status = plan.steps[0]
        self.updated = self.created
        self.reached = [self.created]  # wall time at which each step index was first shown
        self.history = [{"status": self.status, "at_ms": 0, "polls": 0}]
        self.webhooks = []

    def elapsed_ms(self):
        return (time.monotonic() - self._started) * 1000

    def index(self):
        """The current step index on the plan."""
        if not self.plan.by_time:
            return self.step
        elapsed, index = self.elapsed_ms(), 0
        for i, at in enumerate(self.plan.times_ms):
            if at <= elapsed:
                index = i
        return index

    def planned_status(self):
        return self.forced or self.plan.steps[self.index()]

    def fraction(self, is_running):
        """Progress among the plan's running steps, in (0, 1).

        A script moves in steps: k of n running steps reached reads k / (n + 1). A timeline
        rises with time, as a real job's progress does: through the running steps, from the
        first one's time to the next non-running step's, linearly; a running step that is the
        plan's last (no end time) reads its step value, as a script's does."""
        running = [i for i, status in enumerate(self.plan.steps) if is_running(status)]
        index = self.index()
        done = sum(1 for i in running if i <= index)
        if self.plan.by_time and running and index in running:
            first = running[0]
            end = next((i for i in range(first, len(self.plan.steps)) if i not in running), None)
            if end is not None and index < end:
                begin_ms, end_ms = self.plan.times_ms[first], self.plan.times_ms[end]
                if end_ms > begin_ms:
                    share = (self.elapsed_ms() - begin_ms) / (end_ms - begin_ms)
                    return round(min(max(share, 0.0001), 0.9999), 4)
        return round(done / (len(running) + 1), 4)

    def fast_forward(self, is_terminal):
        """Script mode: jump to the first terminal step (used by Skytells `await`)."""
        terminal = [i for i, s in enumerate(self.plan.steps) if is_terminal(s)]
        self.step = terminal[0] if terminal else len(self.plan.steps) - 1

    def inspect(self):
        return {"provider": self.provider, "id": self.id, "status": self.status,
                "polls": self.polls, "plan": self.plan.describe(), "history": self.history,
                "webhooks": self.webhooks, "created_at": self.created}


class Scheduler:
    """Runs callbacks at monotonic times on one background thread (timeline tasks)."""

    def __init__(self):
        self._heap = []
        self._counter = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="emulator-scheduler", daemon=True)
        self._thread.start()

    def call_at(self, when, callback):
        with self._cond:
            self._counter += 1
            heapq.heappush(self._heap, (when, self._counter, callback))
            self._cond.notify()

    def clear(self):
        with self._cond:
            self._heap.clear()

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=5)

    def _due(self):
        return bool(self._heap) and self._heap[0][0] <= time.monotonic()

    def _run(self):
        while True:
            with self._cond:
                while not self._stopped and not self._due():
                    self._cond.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                if self._stopped:
                    return
                _, _, callback = heapq.heappop(self._heap)
            try:
                callback()
            except Exception:  # a bug in one callback must not stop the timeline clock
                traceback.print_exc()
