"""testlib.py: what both test runners share (tests/integration/run.py and
tests/faults/run.py): finding the test functions of a folder, and saying
in one line why and where one failed, and running them (integration and
tests/galera)."""

import importlib
import os
import time
import traceback

QUIET_HELPERS = ("check", "expect_status", "expect_api_error")


def collect(folder):
    """[(name, function or None, import error or None)] for every test_*
    function of folder/test_*.py, in file, then line order. The folder must
    be on sys.path."""
    out = []
    for fn in sorted(os.listdir(folder)):
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


def where(exc, folders):
    """The deepest line of a test file in folders, then of a helper below it."""
    test = helper = ""
    for fs in traceback.extract_tb(exc.__traceback__):
        if os.path.dirname(os.path.abspath(fs.filename)) not in folders:
            continue
        name = os.path.basename(fs.filename)
        if name.startswith("test_"):
            test, helper = f"{name}:{fs.lineno}", ""
        elif fs.name not in QUIET_HELPERS:
            helper = f"{name}:{fs.lineno} {fs.name}"
    return " < ".join(x for x in (helper, test) if x)


def failure(exc, folders, limit):
    """'Type: message [file:line]' on one line, cut at limit characters."""
    msg = " | ".join(str(exc).splitlines()) or "(no message)"
    if len(msg) > limit:
        msg = msg[:limit] + "..."
    loc = where(exc, folders)
    if os.environ.get("RD_TEST_VERBOSE"):
        traceback.print_exc()
    return f"{type(exc).__name__}: {msg}{' [' + loc + ']' if loc else ''}"


def run_tests(tests, folders, want="", skip=(), skipped=None):
    """Runs collect()'s tests whose name holds want, printing `ok NAME (ms)`
    or `FAIL NAME: reason` for each (a test raising one of skip: `skip NAME:
    reason`, counted in skipped[0] when given); returns (passed, failed)."""
    passed = failed = 0
    for name, fn, err in tests:
        if want and want not in name:
            continue
        if err is not None:
            failed += 1
            print(f"FAIL {name}: cannot import: {type(err).__name__}: {err}", flush=True)
            continue
        t0 = time.monotonic()
        try:
            fn()
        except skip as e:
            if skipped is not None:
                skipped[0] += 1
            print(f"skip {name}: {e}", flush=True)
            continue
        except Exception as e:
            failed += 1
            print(f"FAIL {name}: {failure(e, folders, 800)}", flush=True)
            continue
        passed += 1
        print(f"ok {name} ({(time.monotonic() - t0) * 1000:.0f} ms)", flush=True)
    return passed, failed
