"""The emulator's test suite. From the repository root:

    python3 -m unittest discover -s Tests/Emulator

or `python3 -m unittest -q` inside Tests/Emulator. The cases live in `cases/`, one module
per area; `load_tests` gathers them so every command runs each case exactly once.
"""

import unittest

from cases import (beatapi_cases, beatra_cases, core_cases, fal_cases, fault_cases,
                   media_cases, skytells_cases)

MODULES = (core_cases, media_cases, fault_cases, skytells_cases, fal_cases, beatapi_cases,
           beatra_cases)


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    for module in MODULES:
        suite.addTests(loader.loadTestsFromModule(module))
    return suite


if __name__ == "__main__":
    unittest.main()
