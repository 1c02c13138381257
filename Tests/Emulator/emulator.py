#!/usr/bin/env python3
"""Loopback emulator of the Skytells, fal, BeatAPI and Beatra HTTP APIs for MediaGenKit's tests.

    python3 Tests/Emulator/emulator.py --port 0      # prints the chosen port, then serves
                                                     # until SIGTERM/SIGINT or its parent exits

In-process (Python tests):

    server, thread = start_server(port=0, beatra_credits=100)
    ...  # http://127.0.0.1:{server.port}/skytells/v1/...
    server.stop(); thread.join()

See README.md for the routes, control headers, faults and stats.
"""

import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulation.app import Config, Emulator  # noqa: E402  (needs the path set above)
from emulation.http import EmulatorHTTPServer  # noqa: E402


def start_server(port=0, host="127.0.0.1", **options):
    """Starts serving on a background thread; `options` are `Config` fields.

    Returns (server, thread); `server.port` is the bound port, `server.stop()` shuts down."""
    server = EmulatorHTTPServer((host, port), Emulator(Config(**options)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="emulator-http", daemon=True)
    thread.start()
    return server, thread


def parse_arguments(argv):
    defaults = Config()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--skytells-key", default=defaults.skytells_key)
    parser.add_argument("--fal-key", default=defaults.fal_key)
    parser.add_argument("--beatapi-key", default=defaults.beatapi_key)
    parser.add_argument("--beatra-key", default=defaults.beatra_key)
    parser.add_argument("--skytells-webhook-secret", default=None,
                        help="HMAC key for Skytells webhooks (default: the API key)")
    parser.add_argument("--fal-webhook-seed", default=defaults.fal_webhook_seed,
                        help="hex seed (32 bytes) of the Ed25519 key signing fal webhooks")
    parser.add_argument("--beatapi-concurrency", type=int, default=defaults.beatapi_concurrency)
    parser.add_argument("--beatapi-credits", type=int, default=defaults.beatapi_credits,
                        help="BeatAPI balance in dollars (credits are worth $1 each)")
    parser.add_argument("--beatapi-units", choices=("usd", "credits"), default=defaults.beatapi_units,
                        help="BeatAPI amounts: usd (the description) or credits (the seed's shape)")
    parser.add_argument("--beatra-credits", type=int, default=defaults.beatra_credits)
    parser.add_argument("--ffmpeg", default=None, help="ffmpeg executable (default: from PATH)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = vars(parse_arguments(argv))
    port, host = arguments.pop("port"), arguments.pop("host")
    stop = threading.Event()
    stop_signals = (signal.SIGTERM, signal.SIGINT)
    # Handlers first, then the mask, then the port: whoever reads the port may signal at once.
    for signal_number in stop_signals:
        signal.signal(signal_number, lambda *_: stop.set())
    # A launcher may hand down a mask with these blocked (a thread of the Swift runtime spawning
    # us, for one); then SIGTERM would never arrive. Take them back before relying on them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)

    server, thread = start_server(port=port, host=host, **arguments)
    print(server.port, flush=True)  # the first stdout line is the port, alone
    # Also stop when the launching process goes away (a crashed test run, or a wrapper such
    # as a pyenv shim that got the signal instead of us): never linger as an orphan.
    parent = os.getppid()
    while not stop.wait(0.5) and os.getppid() == parent:
        pass
    server.stop()
    thread.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
