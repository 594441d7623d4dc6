#!/usr/bin/env python3
"""run.py: the Galera phase. Starts one `RD_DB=galera scripts/stack up` (three
nodes on loopback, pool A on node 1 by socket, pool B on node 2 by TCP, one
nginx upstream), then runs against it:

  tests/galera/test_*.py               the cluster's own tests (cross-node races,
                                       a node killed under load, evidence, ...)
  tests/integration/test_concurrency   the race suite, its requests split
                                       across the pools (RD_POOL_URLS)
  tests/integration/test_money         the randomized money model over the
                                       upstream, check-ledger after each step

Output: `ok NAME (ms)` or `FAIL NAME: reason`, then `galera: N passed, N
failed`; exit 1 on any failure. The stack's folder is removed after a pass
and kept (and named) after a failure.

  RD_PORT (27000)           nginx; the nodes use RD_PORT+11.. (scripts/stack-galera.sh)
  RD_TEST_FILTER=substring  only the tests whose name holds it
  RD_BIN                    the binary (default: the one scripts/stack finds)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INTEGRATION = os.path.join(REPO, "tests", "integration")
sys.path.insert(0, HERE)
sys.path.insert(0, INTEGRATION)
sys.dont_write_bytecode = True

from testlib import collect, run_tests  # noqa: E402

# From tests/integration: the ones a cluster changes the meaning of.
REUSED = ("test_concurrency.", "test_money.test_money_randomized")


def stack(cmd, folder, env):
    return subprocess.run([os.path.join(REPO, "scripts", "stack"), cmd, folder], env=env,
                          capture_output=True, text=True, timeout=300)


def main():
    folder = tempfile.mkdtemp(prefix="rd-galera.")
    os.chmod(folder, 0o755)
    env = dict(os.environ, RD_DB="galera", RD_PORT=os.environ.get("RD_PORT", "27000"),
               RD_WORKERS=os.environ.get("RD_WORKERS", "4"))
    t0 = time.monotonic()
    up = stack("up", folder, env)
    if up.returncode != 0:
        print(up.stderr[-3000:])
        print(f"FAIL stack: RD_DB=galera scripts/stack up {folder} failed (kept)")
        print("galera: 0 passed, 1 failed")
        return 1
    for line in up.stdout.splitlines():
        k, _, v = line.partition("=")
        if k.startswith("RD_"):
            os.environ[k] = v
    print(f"galera: 3 nodes Synced, 2 pools up in {time.monotonic() - t0:.1f} s ({folder})", flush=True)
    want = os.environ.get("RD_TEST_FILTER", "")
    tests = collect(HERE) + [t for t in collect(INTEGRATION) if t[0].startswith(REUSED)]
    try:
        passed, failed = run_tests(tests, (HERE, INTEGRATION), want)
    finally:
        stack("down", folder, env)
    if failed:
        print(f"galera: the stack's folder is kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"galera: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
