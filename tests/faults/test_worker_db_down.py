"""`worker --once` (cron) with MariaDB down exits non-zero: before, it printed
"-1 holds released, -1 deadlines acted on" and exited 0, so a cron job (and
the soak, tests/soak/run, seed 9) took a pass that did nothing for one that
had nothing to do."""

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
