#!/usr/bin/env python3
"""run.py: runs every test_* function of tests/integration/test_*.py against the
stack described by the RD_* environment (scripts/stack up prints it).

Each test runs on its own; an exception fails it. Output: `ok NAME (ms)` or
`FAIL NAME: reason`, then `integration: N passed, N failed`; exit 1 on any
failure. RD_TEST_FILTER=substring runs only the tests whose name holds it.
"""

import importlib
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree

import rd  # noqa: E402


def where(exc):
    """Where it failed: the deepest line of a test file, then of rd.py below it."""
    test = helper = ""
    for fs in traceback.extract_tb(exc.__traceback__):
        if os.path.dirname(os.path.abspath(fs.filename)) != HERE:
            continue
        name = os.path.basename(fs.filename)
        if name.startswith("test_"):
            test, helper = f"{name}:{fs.lineno}", ""
        elif fs.name not in ("check", "expect_status", "expect_api_error"):
            helper = f"{name}:{fs.lineno} {fs.name}"
    return " < ".join(x for x in (helper, test) if x)


def collect():
    """[(name, function or None, import error or None)] in file, then line order."""
    out = []
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        modname = fn[:-3]
        try:
            mod = importlib.import_module(modname)
        except Exception as e:  # a broken file is a failure, not a crash
            out.append((modname, None, e))
            continue
        tests = [f for n, f in vars(mod).items()
                 if n.startswith("test_") and callable(f) and getattr(f, "__module__", "") == modname]
        tests.sort(key=lambda f: f.__code__.co_firstlineno)
        out.extend((f"{modname}.{f.__name__}", f, None) for f in tests)
    return out


def main():
    try:
        rd.check_env()
    except rd.SetupError as e:
        print(f"run.py: {e}", file=sys.stderr)
        return 2
    want = os.environ.get("RD_TEST_FILTER", "")
    passed = failed = 0
    for name, fn, err in collect():
        if want and want not in name:
            continue
        if err is not None:
            failed += 1
            print(f"FAIL {name}: cannot import: {type(err).__name__}: {err}", flush=True)
            continue
        t0 = time.monotonic()
        try:
            fn()
        except Exception as e:
            failed += 1
            msg = " | ".join(str(e).splitlines()) or "(no message)"
            if len(msg) > 800:
                msg = msg[:800] + "..."
            loc = where(e)
            print(f"FAIL {name}: {type(e).__name__}: {msg}{' [' + loc + ']' if loc else ''}",
                  flush=True)
            if os.environ.get("RD_TEST_VERBOSE"):
                traceback.print_exc()
            continue
        passed += 1
        print(f"ok {name} ({(time.monotonic() - t0) * 1000:.0f} ms)", flush=True)
    print(f"integration: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
