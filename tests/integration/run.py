#!/usr/bin/env python3
"""run.py: runs every test_* function of tests/integration/test_*.py against the
stack described by the RD_* environment (scripts/stack up prints it).

Each test runs on its own; an exception fails it. Output: `ok NAME (ms)` or
`FAIL NAME: reason`, then `integration: N passed, N failed`; exit 1 on any
failure. RD_TEST_FILTER=substring runs only the tests whose name holds it.
A test that does not apply to the front in use raises rd.Skip: `skip NAME:
reason`, counted apart.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree

import rd  # noqa: E402
from testlib import collect, failure  # noqa: E402


def main():
    try:
        rd.check_env()
    except rd.SetupError as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2
    want = os.environ.get("RD_TEST_FILTER", "")
    passed = failed = skipped = 0
    for name, fn, err in collect(HERE):
        if want and want not in name:
            continue
        if err is not None:
            failed += 1
            print(f"FAIL {name}: cannot import: {type(err).__name__}: {err}", flush=True)
            continue
        t0 = time.monotonic()
        try:
            fn()
        except rd.Skip as e:
            skipped += 1
            print(f"skip {name}: {e}", flush=True)
            continue
        except Exception as e:
            failed += 1
            print(f"FAIL {name}: {failure(e, (HERE,), 800)}", flush=True)
            continue
        passed += 1
        print(f"ok {name} ({(time.monotonic() - t0) * 1000:.0f} ms)", flush=True)
    if skipped:
        print(f"skipped: {skipped} (front {rd.front()}: see each skip line's reason)", flush=True)
    print(f"integration: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
