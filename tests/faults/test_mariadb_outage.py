"""MariaDB killed (SIGKILL) or stopped (SIGTERM) under load, down about 4 s,
then started again with the same command line. During the outage every
answer is the app's own 503 (the maintenance page, the API's JSON error,
/healthz's text), fast; no 500 and no 502 (a dead worker); the workers
reconnect by themselves; nothing is half-written; check-ledger is clean."""

import hashlib
import os
import re
import signal
import threading
import time

import rd
from rd import File, check

LOAD_SECS = 15          # the whole run
KILL_AT = 3             # seconds into the load
DOWN_SECS = 4           # from the kill to the new mariadbd's start
MAX_LATENCY = 3.0       # seconds any answer may take during the outage
MAX_RECOVERY = 5.0      # seconds after MariaDB answers until no more 503
FORMS = 60              # prepared refund forms, half instant, half review
OK = {"healthz": {200}, "status": {200}, "api": {200}, "submit": {303}}
LOG_REQ = re.compile(r"refund-desk\[(\d+)\] info req .* status=(\d+) ")


class Load:
    """Threads sending requests; each answer is an event
    (kind, start, end, status or None, response or exception)."""

    def __init__(self, stack):
        self.stack = stack
        self.events = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = []

    def record(self, kind, t0, resp, err=None):
        t1 = time.monotonic()
        with self.lock:
            self.events.append((kind, t0, t1, resp.status if resp else None, resp or err))
        return resp

    def call(self, kind, fn):
        t0 = time.monotonic()
        try:
            return self.record(kind, t0, fn())
        except Exception as e:        # a timeout or a reset is an event too
            self.record(kind, t0, None, e)
            return None

    def loop(self, kind, fn, pause):
        def go():
            while not self.stop.is_set():
                self.call(kind, fn)
                time.sleep(pause)
        self.threads.append(threading.Thread(target=go, daemon=True, name=kind))

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)
            check(not t.is_alive(), f"load thread {t.name} hangs")


def _prepare(stack):
    """A refund to look at, an order for the API, and FORMS opened forms."""
    o = rd.used_card()
    c = rd.buyer_session(o, stack.client())
    rid = rd.new_refund(c, o)
    forms = []
    for i in range(FORMS):
        instant = i % 2 == 0
        b = rd.register() if instant else rd.used_card()
        fc = rd.buyer_session(b, stack.client(timeout=10))
        form = rd.open_form(fc, b["order_no"])
        if instant:
            fields = rd.refund_fields(form, b["order_no"], type="not_delivered", destination="balance")
            files = []
        else:
            fields = rd.refund_fields(form, b["order_no"])
            files = [File(rd.png(b["order_no"]), "shot.png", "image/png")]
        forms.append({"order": b, "client": fc, "fields": fields, "files": files,
                      "instant": instant, "rid": None, "tries": 0})
    return c, rid, o, forms


def _submitter(load, forms):
    """Submits each form; one answered 503 goes to the back of the queue,
    as a buyer would press the button again."""
    queue = list(forms)

    def go():
        while queue and not load.stop.is_set():
            f = queue.pop(0)
            f["tries"] += 1
            r = load.call("submit", lambda: rd.submit(f["client"], f["fields"], f["files"]))
            if r is not None and r.status == 303:
                f["rid"] = rd.refund_id_of(r)
            else:
                queue.append(f)
            time.sleep(0.1)
    load.threads.append(threading.Thread(target=go, daemon=True, name="submit"))


def _is_maintenance(kind, resp):
    """The app's own 503, not nginx's and not a bare error."""
    if kind == "healthz":
        return resp.text == "database unavailable\n"
    if kind == "api":
        try:
            return resp.json()["error"]["code"] == "unavailable"
        except (AssertionError, KeyError, TypeError):
            return False
    return ("html" in (resp.header("Content-Type") or "") and "系统正在维护" in resp.text
            and resp.header("Retry-After") == "5")


def _worker_statuses(path, offset):
    """{pid: [status, ...]} of the requests logged after offset."""
    out = {}
    with open(path, "rb") as f:
        f.seek(offset)
        for line in f.read().decode("utf-8", "replace").splitlines():
            m = LOG_REQ.search(line)
            if m:
                out.setdefault(int(m.group(1)), []).append(int(m.group(2)))
    return out


def _recovered(statuses):
    """A success after the last 503."""
    last_ok = max((i for i, s in enumerate(statuses) if 200 <= s < 400), default=-1)
    last_503 = max((i for i, s in enumerate(statuses) if s == 503), default=-1)
    return last_ok > last_503


def _every_worker_answers(stack, log_offset):
    """Concurrent /healthz until each worker has answered 200 after its
    last 503 (the log names the worker of each request)."""
    pids = stack.live_workers()
    t_end = time.monotonic() + 5
    while True:
        ths = [threading.Thread(target=lambda: [stack.client(5).get("/healthz") for _ in range(4)])
               for _ in range(8)]
        for t in ths:
            t.start()
        for t in ths:
            t.join(20)
        st = _worker_statuses(stack.path("app.log"), log_offset)
        fine = [p for p in pids if _recovered(st.get(p, []))]
        if len(fine) == len(pids) or time.monotonic() > t_end:
            return pids, st, fine


def _check_integrity(stack, forms):
    """Every refund whole: its submitted event and webhook, evidence row and
    file for review requests, ledger entries for instant ones."""
    ev = stack.env["RD_EVIDENCE_DIR"]
    torn = rd.db("SELECT r.public_id FROM refunds r WHERE NOT EXISTS (SELECT 1 FROM refund_events e "
                 "WHERE e.refund_id = r.id AND e.state = 'submitted')")
    check(not torn, f"refunds without their submitted event: {torn}")
    unpaid = rd.db("SELECT r.public_id FROM refunds r WHERE r.state = 'refunded' AND NOT EXISTS "
                   "(SELECT 1 FROM ledger_txns t WHERE t.refund_id = r.id AND t.kind = 'refund')")
    check(not unpaid, f"refunded without a ledger transaction: {unpaid}")
    instant = review = 0
    for f in forms:
        no = f["order"]["order_no"]
        rows = rd.db("SELECT r.id, r.public_id, r.state, h.state FROM refunds r JOIN holds h "
                     f"ON h.order_id = r.order_id JOIN orders o ON o.id = r.order_id "
                     f"WHERE o.order_no = {rd.q(no)}")
        check(len(rows) == 1, f"order {no}: {len(rows)} refunds rows")
        rid, pub, state, hold = rows[0]
        check(pub == f["rid"], f"order {no}: row {pub}, the buyer was sent to {f['rid']}")
        hooks = rd.db_count("webhook_events", f"type = 'refund.submitted' AND payload LIKE {rd.q('%' + pub + '%')}")
        check(hooks == 1, f"refund {pub}: {hooks} refund.submitted webhooks")
        if f["instant"]:
            instant += 1
            txns = rd.db_count("ledger_txns", f"refund_id = {rid} AND kind = 'refund'")
            entries = rd.db_value("SELECT COUNT(*) FROM ledger_entries e JOIN ledger_txns t "
                                  f"ON t.id = e.txn_id WHERE t.refund_id = {rid}")
            check((state, hold, txns) == ("refunded", "refunded", 1) and int(entries) >= 2,
                  f"instant refund {pub}: state {state}, hold {hold}, {txns} txns, {entries} entries")
        else:
            review += 1
            evs = rd.db(f"SELECT sha256, size FROM evidence WHERE refund_id = {rid}")
            data = f["files"][0].data
            sha = hashlib.sha256(data).hexdigest()
            check(evs == [[sha, str(len(data))]], f"review refund {pub}: evidence rows {evs}")
            path = os.path.join(ev, sha[:2], sha)
            check(os.path.isfile(path) and os.path.getsize(path) == len(data),
                  f"review refund {pub}: evidence file {path} missing or short")
            check((state, hold) == ("cs_review", "frozen"), f"review refund {pub}: {state}, hold {hold}")
    referenced = {r[0] for r in rd.db("SELECT DISTINCT sha256 FROM evidence")}
    stray = [p for p in rd.evidence_paths() if "/tmp/" not in p and os.path.basename(p) not in referenced]
    stack.note(f"database after: {instant} instant refunds whole (refunded, ledger txn, events, "
               f"webhook), {review} review refunds whole (cs_review, hold frozen, evidence row + "
               f"file); unreferenced evidence files: {len(stray)}; temp files: {len(stack.part_files())}")
    check(stack.part_files() == [], f"temp files left: {stack.part_files()}")


def _outage(stack, sig):
    c, rid, o, forms = _prepare(stack)
    workers = stack.worker_pids()
    load = Load(stack)
    for _ in range(2):
        load.loop("healthz", lambda: stack.client(10).get("/healthz"), 0.02)
    load.loop("status", lambda: c.get(f"/refund/{rid}"), 0.02)
    api_client = stack.client(10)
    load.loop("api", lambda: rd.api("GET", f"/api/v1/orders/{o['order_no']}", client=api_client), 0.05)
    _submitter(load, forms)

    t0 = time.monotonic()
    load.start()
    try:
        time.sleep(KILL_AT)
        argv = stack.mysqld_cmdline()
        mpid = stack.mysqld_pid()
        t_kill = time.monotonic()
        os.kill(mpid, sig)
        while rd_alive(mpid):
            check(time.monotonic() - t_kill < 30, f"mariadbd {mpid} still running 30 s after {sig.name}")
            time.sleep(0.01)
        t_dead = time.monotonic()
        time.sleep(max(0.0, t_kill + DOWN_SECS - time.monotonic()))
        t_restart = time.monotonic()
        stack.start_mysqld(argv)
        t_ready = time.monotonic()
        log_offset = os.path.getsize(stack.path("app.log"))
        time.sleep(max(t0 + LOAD_SECS - time.monotonic(), t_ready + 6 - time.monotonic()))
    finally:
        load.finish()
    stack.note(f"mariadbd {sig.name} at {t_kill - t0:.1f} s, gone after {t_dead - t_kill:.2f} s, "
               f"started again at {t_restart - t0:.1f} s, answering after {t_ready - t_restart:.2f} s "
               f"(down {t_ready - t_dead:.1f} s)")

    ev = load.events
    failed = [(k, s, repr(x)[:200]) for k, a, b, s, x in ev if s is None or s not in OK[k] | {503}]
    check(not failed, f"{len(failed)} answers neither OK nor 503 (first 5): {failed[:5]}")
    during = [e for e in ev if e[1] >= t_dead and e[2] <= t_restart]
    check(len(during) >= 20, f"only {len(during)} requests during the outage")
    not503 = [(k, s) for k, a, b, s, x in during if s != 503]
    check(not not503, f"answers other than 503 while MariaDB was down: {not503[:5]}")
    odd = [(k, repr(x)[:200]) for k, a, b, s, x in ev if s == 503 and not _is_maintenance(k, x)]
    check(not odd, f"503s that are not the app's maintenance answer: {odd[:3]}")
    overlap = [e for e in ev if e[2] >= t_kill and e[1] <= t_ready]
    lat = max(b - a for k, a, b, s, x in overlap)
    slowest = max(b - a for k, a, b, s, x in ev)
    n503 = sum(1 for e in ev if e[3] == 503)
    for kind in ("status", "submit"):
        page = next((x for k, a, b, s, x in during if k == kind), None)
        if page is not None:
            stack.saw(f"buyer during the outage ({kind})", page)
    api = next((x for k, a, b, s, x in during if k == "api"), None)
    if api is not None:
        stack.note(f"storefront API during the outage: HTTP {api.status} {api.text.strip()}")
    inflight = sorted(f"{k} {s}" for k, a, b, s, x in ev if a < t_kill < b)
    stack.note(f"in flight at the {sig.name}: {', '.join(inflight) or 'none'}")
    stack.note(f"{len(ev)} requests, {len(during)} while MariaDB was down (all 503), {n503} 503s "
               f"in all; latency around the outage max {lat * 1000:.0f} ms, whole run max "
               f"{slowest * 1000:.0f} ms")
    check(lat < MAX_LATENCY, f"an answer around the outage took {lat:.2f} s")

    late503 = [a for k, a, b, s, x in ev if s == 503 and a >= t_ready]
    recovery = max(late503) - t_ready if late503 else 0.0
    first_ok = min((a for k, a, b, s, x in ev if a >= t_ready and s in OK[k]), default=None)
    stack.note(f"recovery: last 503 for a request sent {recovery:.2f} s after MariaDB answered "
               f"({len(late503)} such 503s); first success {first_ok - t_ready:.2f} s after"
               if first_ok is not None else "recovery: no success after the restart")
    check(first_ok is not None, "no request succeeded after the restart")
    check(recovery < MAX_RECOVERY, f"503s went on {recovery:.2f} s after MariaDB answered")

    check(stack.live_workers() == workers, f"workers {workers} -> alive {stack.live_workers()}")
    pids, st, fine = _every_worker_answers(stack, log_offset)
    stack.note("workers after the restart: " + ", ".join(
        f"{p}: {st.get(p, []).count(503)} x 503 then OK" if p in fine else f"{p}: {st.get(p)}"
        for p in pids))
    check(len(fine) == len(pids), f"workers that did not recover: {set(pids) - set(fine)}")

    # Forms still unanswered are sent again; then every request is whole.
    for f in forms:
        if f["rid"] is None:
            f["rid"] = rd.refund_id_of(rd.submit(f["client"], f["fields"], f["files"]))
            f["tries"] += 1
    again = sum(1 for f in forms if f["tries"] > 1)
    stack.note(f"{len(forms)} forms submitted, {again} needed another try after a 503; each has one request")
    _check_integrity(stack, forms)
    stack.check_ledger()


def test_idle_workers_after_restart(stack):
    """Workers that served nothing while MariaDB was down still hold the old
    connection: how many requests fail after it is back?"""
    workers = stack.worker_pids()
    argv = stack.mysqld_cmdline()
    os.kill(stack.mysqld_pid(), signal.SIGKILL)
    time.sleep(1)
    stack.start_mysqld(argv)
    log_offset = os.path.getsize(stack.path("app.log"))
    pids, st, fine = _every_worker_answers(stack, log_offset)
    check(pids == workers, f"workers {workers} -> alive {pids}")
    check(len(fine) == len(pids), f"workers that did not recover: {set(pids) - set(fine)}")
    stale = {p: st[p].count(503) for p in pids if 503 in st[p]}
    stack.note("after the restart, per worker: " + ", ".join(
        f"{p}: {st[p].count(503)} x 503 then {len(st[p]) - st[p].count(503)} OK" for p in pids))
    # A connection that died idle fails with 2006 before anything reached
    # the server; the statement is run again on a new connection.
    check(not stale, f"workers answered 503 after MariaDB was back: {stale}")
    stack.check_ledger()


def rd_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def test_mariadb_killed_under_load(stack):
    _outage(stack, signal.SIGKILL)


def test_mariadb_stopped_under_load(stack):
    _outage(stack, signal.SIGTERM)
