"""kill -9 of a FastCGI worker in the middle of a request: while it streams an
upload to its temp file, and while its submission transaction waits for a
row lock. The buyer gets an error at once (nginx's 502), nothing is
half-written, the other workers keep serving, and the temp file is swept."""

import ctypes
import hashlib
import os
import select
import signal
import struct
import subprocess
import threading
import time

import rd
from rd import File, check

IN_CREATE = 0x100
FIVE_MIB = 5 * 1024 * 1024


class Inotify:
    """IN_CREATE events of one folder (inotify through libc)."""

    def __init__(self, path):
        self.libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if self.libc.inotify_add_watch(self.fd, path.encode(), IN_CREATE) < 0:
            os.close(self.fd)
            raise OSError(ctypes.get_errno(), "inotify_add_watch " + path)

    def created(self, timeout):
        """Names created within timeout seconds (the first batch)."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return []
        data, names, off = os.read(self.fd, 65536), [], 0
        while off + 16 <= len(data):
            _wd, _mask, _cookie, n = struct.unpack_from("iIII", data, off)
            names.append(data[off + 16:off + 16 + n].rstrip(b"\0").decode())
            off += 16 + n
        return names

    def close(self):
        os.close(self.fd)


def _post_in_background(client, fields, files):
    """Starts the POST; the returned dict gets status/resp/t_end/error."""
    out = {}

    def go():
        try:
            out["resp"] = rd.submit(client, fields, files)
        except Exception as e:
            out["error"] = e
        out["t_end"] = time.monotonic()
    th = threading.Thread(target=go, daemon=True)
    out["t_start"] = time.monotonic()
    th.start()
    out["thread"] = th
    return out


def _finish(req, t_kill, stack, what):
    req["thread"].join(20)
    check(not req["thread"].is_alive(), f"{what}: no answer 20 s after the kill (a hang)")
    if "error" in req:
        raise AssertionError(f"{what}: the request failed without an HTTP answer: {req['error']!r}")
    resp, secs = req["resp"], req["t_end"] - t_kill
    stack.saw(f"{what}: the buyer saw (after the kill)", resp, secs)
    check(500 <= resp.status < 600, f"{what}: expected a 5xx error page, got {resp!r}")
    check(secs < 3, f"{what}: the error page came {secs:.2f} s after the kill")
    return resp


def _orders_rows(order_no):
    """(refunds rows, evidence rows) of an order."""
    oid = rd.db_value(f"SELECT id FROM orders WHERE order_no = {rd.q(order_no)}")
    refunds = rd.db_count("refunds", f"order_id = {oid}")
    evidence = int(rd.db_value("SELECT COUNT(*) FROM evidence e JOIN refunds r ON r.id = e.refund_id "
                               f"WHERE r.order_id = {oid}"))
    return refunds, evidence


def _others_serve(stack, killed, o, c):
    """The workers left answer /healthz and the buyer's form page."""
    left = stack.live_workers()
    check(killed not in left and len(left) == stack.workers - 1,
          f"workers alive {left}, expected all but {killed}")
    codes = []
    for _ in range(3 * len(left)):
        codes.append(stack.client(5).get("/healthz").status)
    check(set(codes) == {200}, f"/healthz from the workers left: {codes}")
    form = rd.open_form(c, o["order_no"])
    stack.note(f"other workers keep serving: {len(left)} alive, {len(codes)} x /healthz 200, "
               "form page 200")
    return form


def _kill_mid_upload(stack, ev_tmp, ino, req):
    """Waits for the temp file of the request, freezes the worker that owns
    it, lets it write part of the body, and kills it. Returns (pid, part path,
    bytes written, time of the kill) or None when the upload was over before
    it was caught."""
    deadline = time.monotonic() + 15
    part = None
    while part is None and time.monotonic() < deadline:
        for n in ino.created(0.5):
            if n.endswith(".part"):
                part = os.path.join(ev_tmp, n)
                break
        if "t_end" in req:
            return None
    check(part is not None, "no temp file appeared in 15 s")
    workers = stack.live_workers()
    for p in workers:
        os.kill(p, signal.SIGSTOP)
    try:
        owner = stack.fd_owner(part)
    finally:
        for p in workers:
            if p not in owner[:1]:
                os.kill(p, signal.SIGCONT)
    if len(owner) != 1:
        if owner:
            os.kill(owner[0], signal.SIGCONT)
        return None
    pid = owner[0]
    # Let it write about a fifth of the body, a few hundred µs at a time,
    # so the kill lands mid-stream rather than just after the open().
    try:
        for _ in range(2000):
            size = _size(part)
            if size < 0 or size >= FIVE_MIB // 5 or not stack.fd_owner(part):
                break
            os.kill(pid, signal.SIGCONT)
            time.sleep(0.0003)
            os.kill(pid, signal.SIGSTOP)
            time.sleep(0.001)               # the stop takes effect
        size = _size(part)
        if size >= 0 and stack.fd_owner(part) == [pid]:
            return pid, part, size, stack.kill9(pid)
    except BaseException:
        os.kill(pid, signal.SIGCONT)
        raise
    os.kill(pid, signal.SIGCONT)            # the upload was over: let it finish
    return None


def _size(path):
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return -1


def test_kill_worker_mid_upload(stack):
    ev = stack.env["RD_EVIDENCE_DIR"]
    ev_tmp = os.path.join(ev, "tmp")
    stack.make_app_dir(ev_tmp)  # the app makes it on the first upload
    caught = None
    for attempt in range(3):
        o = rd.used_card()
        c = rd.buyer_session(o, stack.client())
        form = rd.open_form(c, o["order_no"])
        fields = rd.refund_fields(form, o["order_no"])
        head = rd.png(o["order_no"])
        big = head + b"\0" * (FIVE_MIB - len(head))
        before = rd.snapshot()
        files_before = set(rd.evidence_paths())
        ino = Inotify(ev_tmp)
        try:
            req = _post_in_background(c, fields, [File(big, "big.png", "image/png")])
            caught = _kill_mid_upload(stack, ev_tmp, ino, req)
        finally:
            ino.close()
        if caught is not None:
            break
        req["thread"].join(20)
        stack.note(f"attempt {attempt + 1}: the upload finished before it was caught; again")
    check(caught is not None, "could not catch a worker inside an upload in 3 tries")
    pid, part, size, t_kill = caught
    stack.note(f"killed worker {pid} with {size} of {len(big)} bytes in {os.path.basename(part)}")
    _finish(req, t_kill, stack, "POST /refund/new (5 MiB)")

    refunds, evidence = _orders_rows(o["order_no"])
    stack.note(f"database after: {refunds} refunds rows, {evidence} evidence rows for the order; "
               f"hold {rd.hold_state(o['order_no'])}")
    check((refunds, evidence) == (0, 0), "the killed request left rows")
    check(rd.hold_state(o["order_no"]) == "held", "the hold changed")
    after = rd.snapshot()
    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)
               and k != "<evidence files>"}
    check(not changed, f"tables changed: {changed}")
    new_files = sorted(set(rd.evidence_paths()) - files_before)
    stack.note(f"files left: {[os.path.relpath(f, ev) for f in new_files]}")
    check(new_files == [part], f"expected only the temp file {part}, found {new_files}")

    _others_serve(stack, pid, o, c)

    # The sweep: a fresh temp file may belong to a live upload and stays;
    # one older than an hour is abandoned and goes.
    out = stack.worker_once()
    check(os.path.exists(part), f"worker --once removed a fresh temp file: {out}")
    old = time.time() - 2 * 3600
    os.utime(part, (old, old))
    out = stack.worker_once()
    stack.note(f"after touch -d '2 hours ago': {out}")
    check(not os.path.exists(part), f"worker --once left the old temp file: {out}")
    check("1 abandoned files swept" in out, f"worker --once did not count the sweep: {out}")
    check(stack.part_files() == [], f"temp files left: {stack.part_files()}")
    stack.check_ledger()

    # The buyer tries again with the same form: one request, one file.
    small = rd.png(o["order_no"] + "again")
    rid = rd.refund_id_of(rd.submit(c, fields, [File(small, "shot.png", "image/png")]))
    refunds, evidence = _orders_rows(o["order_no"])
    check((refunds, evidence) == (1, 1), f"after the retry: {refunds} refunds, {evidence} evidence rows")
    stack.note(f"the buyer's retry of the same form: 303 to /refund/{rid}, 1 refund, 1 evidence row")
    stack.check_ledger()


def _lock_waiters(holder_id):
    """Connections other than the holder running a locking read or the
    version bump that starts a decision (sql/030). The processlist, not
    information_schema.innodb_trx: InnoDB refreshes that one only after
    0.1 s without a reader, so a tight poll sees a stale copy."""
    return rd.db_value("SELECT COUNT(*) FROM information_schema.processlist "
                       f"WHERE id <> {holder_id} AND command = 'Execute' "
                       "AND (info LIKE '%FOR UPDATE%' OR info LIKE '%SET version = version + 1%' "
                       "OR info LIKE '%SET r.version = r.version + 1%')") != "0"


def _no_transactions():
    return not rd.db("SELECT trx_id FROM information_schema.innodb_trx")


def _wait(cond, secs, what, every=0.02):
    t_end = time.monotonic() + secs
    while time.monotonic() < t_end:
        v = cond()
        if v:
            return v
        time.sleep(every)
    trx = rd.db("SELECT trx_mysql_thread_id, trx_state, LEFT(trx_query, 40) "
                "FROM information_schema.innodb_trx")
    conns = rd.db("SELECT id, command, state, LEFT(info, 40) FROM information_schema.processlist")
    raise AssertionError(f"{what}: not within {secs} s; transactions {trx}; connections {conns}")


def test_kill_worker_mid_transaction(stack):
    ev = stack.env["RD_EVIDENCE_DIR"]
    o = rd.used_card()
    c = rd.buyer_session(o, stack.client())
    form = rd.open_form(c, o["order_no"])
    fields = rd.refund_fields(form, o["order_no"])
    data = rd.png(o["order_no"], 64, 64)
    sha = hashlib.sha256(data).hexdigest()
    placed = os.path.join(ev, sha[:2], sha)
    before = rd.snapshot()

    # Another session holds the order's row lock, as a slow transaction would.
    holder = subprocess.Popen(
        ["mariadb", "--no-defaults", "-S", stack.env["RD_MYSQL_SOCKET"], "-uroot", rd.DB_NAME, "-e",
         "START TRANSACTION; SELECT id FROM orders WHERE order_no = "
         f"{rd.q(o['order_no'])} FOR UPDATE; SELECT SLEEP(60); ROLLBACK;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    holder_id = None
    try:
        holder_id = _wait(lambda: rd.db_value(
            "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(60)%'"),
            10, "the lock holder's SLEEP")
        req = _post_in_background(c, fields, [File(data, "shot.png", "image/png")])
        _wait(lambda: _lock_waiters(holder_id), 10, "the submission waiting for the row lock")
        time.sleep(0.3)
        check(_lock_waiters(holder_id), "the submission's locking read finished while the lock was held")
        busy = stack.busy_workers()
        check(len(busy) == 1, f"expected one worker inside a request, found {busy}")
        pid = busy[0]
        stack.note(f"worker {pid} waits for the order's row lock inside its transaction; "
                   f"evidence file placed before it: {os.path.exists(placed)}")
        t_kill = stack.kill9(pid)
        _finish(req, t_kill, stack, "POST /refund/new (lock wait)")
    finally:
        # Release the lock: the dead worker's server thread then gets it,
        # cannot send its answer, and rolls back.
        if holder_id:
            rd.db(f"KILL {holder_id}")
        holder.kill()
        holder.wait()
    _wait(_no_transactions, 10, "the dead worker's transaction rolled back", every=0.25)

    refunds, evidence = _orders_rows(o["order_no"])
    hold = rd.hold_state(o["order_no"])
    refs = rd.db_count("evidence", f"sha256 = {rd.q(sha)}")
    stack.note(f"database after: {refunds} refunds rows, {evidence} evidence rows for the order, "
               f"{refs} rows name the file; hold {hold}")
    check((refunds, evidence, refs) == (0, 0, 0), "the killed transaction left rows")
    check(hold == "held", f"hold is {hold}, not held")
    after = rd.snapshot()
    changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)
               and k != "<evidence files>"}
    check(not changed, f"tables changed: {changed}")
    check(stack.part_files() == [], f"temp files left: {stack.part_files()}")
    stack.check_ledger()

    _others_serve(stack, pid, o, c)

    # The file was placed (renamed to its content address) before the
    # transaction began, and the worker died before it could remove it:
    # worker --once removes stored files no row names once they are an hour old.
    if os.path.exists(placed):
        stack.worker_once()
        check(os.path.exists(placed), "a young unreferenced file must be left to its request")
        old = time.time() - 2 * 3600
        os.utime(placed, (old, old))
        stack.worker_once()
        check(not os.path.exists(placed), f"worker --once kept the unreferenced {placed}")
        stack.note(f"the placed evidence file {os.path.relpath(placed, ev)}, referenced by no row, "
                   "was removed by worker --once once aged 2 h")
    else:
        stack.note("the placed evidence file is gone")

    # The buyer tries again with the same form: it goes through and the
    # stray file becomes the request's evidence.
    rid = rd.refund_id_of(rd.submit(c, fields, [File(data, "shot.png", "image/png")]))
    refunds, evidence = _orders_rows(o["order_no"])
    check((refunds, evidence) == (1, 1), f"after the retry: {refunds} refunds, {evidence} evidence rows")
    check(os.path.exists(placed), "the evidence file of the retried request is missing")
    stack.note(f"the buyer's retry of the same form: 303 to /refund/{rid}; hold "
               f"{rd.hold_state(o['order_no'])}")
    stack.check_ledger()
