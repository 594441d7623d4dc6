"""With REFUND_DESK_WORKERS (scripts/stack RD_SUPERVISE=1) the binary
supervises its workers: a worker killed with -9 is replaced, so the pool
never shrinks; stopping the supervisor stops them all."""

import os
import signal
import time

import rd
from rd import check


def _children(pid):
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(d))
    return sorted(kids)


def test_killed_workers_are_replaced(stack):
    with open(stack.path("app.pid")) as f:
        master = int(f.read().split()[0])
    before = _children(master)
    check(len(before) == 3, f"supervisor {master} has workers {before}, want 3")
    for victim in before[:2]:
        os.kill(victim, signal.SIGKILL)
    deadline = time.time() + 5
    while time.time() < deadline:
        now = _children(master)
        if len(now) == 3 and not set(before[:2]) & set(now):
            break
        time.sleep(0.05)
    after = _children(master)
    check(len(after) == 3 and not set(before[:2]) & set(after),
          f"after killing {before[:2]}: workers {after}")
    stack.note(f"supervisor {master}: workers {before} -> killed {before[:2]} -> {after}")
    c = rd.Client()
    statuses = {c.get("/healthz").status for _ in range(30)}
    check(statuses == {200}, f"/healthz after the restarts: {statuses}")
    with open(stack.path("app.log"), encoding="utf-8", errors="replace") as f:
        log = f.read()
    check(log.count("starting another") >= 2, "the supervisor should log each restart")


test_killed_workers_are_replaced.workers = 3
test_killed_workers_are_replaced.supervise = True
