"""Background webhook delivery: POSTs from worker threads, each outcome recorded.

Deliveries for one task always go through the same worker, so they arrive in order.
The emulator does not retry failed deliveries (the real services do, for minutes to hours).
"""

import queue
import threading
import time
import urllib.error
import urllib.request
import zlib

WORKERS = 8
TIMEOUT_SECONDS = 5


class WebhookDeliverer:
    def __init__(self, record):
        self._record = record  # callback(job, status_code, error) run after each attempt
        # No proxies: deliveries go to loopback receivers in tests.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._queues = [queue.Queue() for _ in range(WORKERS)]
        self._threads = [threading.Thread(target=self._work, args=(q,), daemon=True,
                                          name=f"emulator-webhooks-{i}")
                         for i, q in enumerate(self._queues)]
        for thread in self._threads:
            thread.start()

    def send(self, job):
        """Queues `job` (provider, task_id, event, url, body, headers). `headers` may be a
        callable, run on the worker at delivery time (signatures with fresh timestamps)."""
        worker = zlib.crc32(job["task_id"].encode()) % WORKERS
        self._queues[worker].put(job)

    def stop(self):
        """Lets in-flight deliveries finish (bounded by one timeout); queued ones are dropped."""
        for q in self._queues:
            q.put(None)
        deadline = time.monotonic() + TIMEOUT_SECONDS + 1
        for thread in self._threads:
            thread.join(timeout=max(0, deadline - time.monotonic()))

    def _work(self, jobs):
        while True:
            job = jobs.get()
            if job is None:
                return
            status, error = None, None
            try:
                headers = job["headers"]() if callable(job["headers"]) else job["headers"]
                request = urllib.request.Request(job["url"], data=job["body"], method="POST",
                                                 headers=headers)
                with self._opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as failure:
                status = failure.code
            except Exception as failure:  # refused, timed out, bad URL: all just recorded
                error = f"{type(failure).__name__}: {failure}"
            self._record(job, status, error)
