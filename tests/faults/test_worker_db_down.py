"""`worker --once` (cron) with MariaDB down exits non-zero. Before issue 9
it printed "-1 holds released, -1 deadlines acted on" and exited 0, so a cron
job (and tests/soak/run, seed 9) took a pass that did nothing for one that had
nothing to do. i8-ops's worker_pass fails a pass whose queries fail; this
branch also fails it when one due item's transaction fails (MariaDB gone
mid-pass), which the soak's MariaDB faults reach: a lock held past 8 tries of
5 s is too slow for a test here."""

import os
import signal
import time

import rd
from rd import check


def test_worker_once_fails_when_mariadb_is_down(stack):
    argv = stack.mysqld_cmdline()
    pid = stack.mysqld_pid()
    os.kill(pid, signal.SIGTERM)
    for _ in range(600):
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.05)
    rc, out = stack.rd_cmd("worker", "--once")
    stack.note(f"MariaDB stopped: worker --once exit {rc}: {out.splitlines()[-1] if out else ''}")
    check(rc != 0, f"worker --once with MariaDB down exited 0: {out}")
    stack.start_mysqld(argv)
    rc, out = stack.rd_cmd("worker", "--once")
    check(rc == 0, f"worker --once after MariaDB came back: exit {rc}: {out}")
    stack.note(f"MariaDB back: worker --once exit 0: {out}")


test_worker_once_fails_when_mariadb_is_down.workers = 1
