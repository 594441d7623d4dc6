"""Timers without a daemon (CONTRACT.md §2, §6): `worker --once` passes that
overlap deliver every webhook exactly once and in order per order, a pass
ends by --max-seconds, a hanging receiver costs one connection's timeout,
POST /cron runs a pass only when signed with cron_secret, and /healthz
flags a worker that has not finished a pass for 10 minutes.

The events here are made by the test itself (webhook_events rows about
orders of its own), so counts and orders are exact; other tests' pending
events reach the receiver too and are only checked for duplicates."""

import http.server
import json
import os
import subprocess
import tempfile
import threading
import time

import rd
from rd import check


class Receiver:
    """A webhook receiver on loopback: records (event id, order, seq, time)
    per request; `delay` seconds per answer; events whose order is in `hang`
    (and whose type is in `hang_types`, when given) get no answer until close()."""

    def __init__(self, delay=0.0, hang=(), hang_types=()):
        self.delay, self.hang, self.hang_types = delay, set(hang), set(hang_types)
        self.got, self.lock = [], threading.Lock()
        self.inflight = self.max_inflight = self.hanging = 0
        self.release = threading.Event()
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"      # keep-alive, as a real receiver

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ev = json.loads(body)
                order = ev.get("data", {}).get("order_no")
                with outer.lock:
                    outer.got.append((ev["id"], order, ev.get("data", {}).get("seq"), time.monotonic()))
                    outer.inflight += 1
                    outer.max_inflight = max(outer.max_inflight, outer.inflight)
                try:
                    if order in outer.hang and (not outer.hang_types or ev.get("type") in outer.hang_types):
                        with outer.lock:
                            outer.hanging += 1
                        outer.release.wait(60)
                        return
                    time.sleep(outer.delay)
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                finally:
                    with outer.lock:
                        outer.inflight -= 1

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}/hooks"

    def ids(self):
        with self.lock:
            return [g[0] for g in self.got]

    def close(self):
        self.release.set()
        self.srv.shutdown()
        self.srv.server_close()


def _config(url, timeout=10):
    cfg = rd.config()
    cfg["webhook"] = {"url": url, "secret": "whsec-" + "cd" * 20, "timeout_seconds": timeout}
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(cfg, f)
    f.close()
    return f.name


def _start_worker(cfgpath, *args):
    return subprocess.Popen([rd.env("RD_BIN"), "--config", cfgpath, "worker", "--once", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _timed_pass(cfgpath, *args):
    """One `worker --once` to its end: (stdout, stderr), seconds taken."""
    t0 = time.monotonic()
    p = _start_worker(cfgpath, *args)
    out = p.communicate(timeout=60)
    check(p.returncode == 0, f"worker --once: {out}")
    return out, time.monotonic() - t0


def _events(tag, orders, per_order):
    """Queues per_order events for each of `orders` orders; returns
    {event_id: (order_no, seq)}. Inserted in seq order, so ids ascend."""
    now = rd.now()
    made, rows = {}, []
    for seq in range(per_order):
        for o in range(orders):
            order = f"{tag}-{o}"
            eid = rd.unique("wo")
            made[eid] = (order, seq)
            payload = json.dumps({"id": eid, "type": "test.ping", "created_at": now,
                                  "data": {"order_no": order, "seq": seq}})
            rows.append(f"({rd.q(eid)}, 'test.ping', {rd.q(payload)}, {now}, {now})")
    for i in range(0, len(rows), 500):
        rd.db("INSERT INTO webhook_events (event_id, type, payload, created_at, next_at) VALUES "
              + ",".join(rows[i:i + 500]))
    return made


def _forget(made):
    """Our leftovers must not hold up other tests' drains."""
    ids = ",".join(rd.q(e) for e in made)
    rd.db(f"UPDATE webhook_events SET delivered_at = 1, claim_token = '', claim_until = 0 "
          f"WHERE event_id IN ({ids}) AND delivered_at = 0")


def _in_order(got, made):
    """Each order's events arrived in seq order (and none twice)."""
    last = {}
    for eid, order, seq, _ in got:
        if eid not in made:
            continue
        check(seq == last.get(order, -1) + 1, f"order {order}: seq {seq} after {last.get(order)}")
        last[order] = seq


def test_overlapping_once_runs_deliver_each_event_exactly_once():
    made = _events(rd.unique("ov"), orders=40, per_order=3)
    rcv = Receiver(delay=0.02)
    cfg = _config(rcv.url)
    try:
        a, b = _start_worker(cfg), _start_worker(cfg)
        outs = [p.communicate(timeout=60) for p in (a, b)]
        check(a.returncode == 0 and b.returncode == 0, f"worker --once: {outs}")
        ids = rcv.ids()
        dup = {e for e in ids if ids.count(e) > 1}
        check(not dup, f"delivered twice: {sorted(dup)[:5]}")
        mine = [e for e in ids if e in made]
        check(len(mine) == len(made), f"delivered {len(mine)} of {len(made)}")
        _in_order(rcv.got, made)
        n = [int(o[0].split(" webhooks delivered")[0].rsplit(" ", 1)[1]) for o in outs]
        check(all(x > 0 for x in n), f"both runs should have delivered (claims shared the work): {outs}")
        skipped = ["housekeeping skipped" in o[0] for o in outs]
        check(skipped.count(True) == 1, f"exactly one run holds the lease: {outs}")
        left = rd.db_value("SELECT COUNT(*) FROM webhook_events WHERE delivered_at > 0 AND claim_token <> ''")
        check(left == "0", f"{left} delivered events still claimed")
    finally:
        rcv.close()
        os.unlink(cfg)
        _forget(made)


def test_delivery_is_concurrent_ordered_and_survives_a_hanging_receiver():
    tag = rd.unique("hg")
    made = _events(tag, orders=30, per_order=2)
    hung = f"{tag}-0"
    rcv = Receiver(delay=0.1, hang={hung})
    cfg = _config(rcv.url, timeout=2)
    try:
        out, took = _timed_pass(cfg, "--max-seconds", "30")
        # 60 events at 0.1 s each would take 6 s one at a time; the hang costs
        # its 2 s timeout on one connection while the others go on.
        check(took < 4.5, f"the pass took {took:.1f} s: the hang or the serial sends held it up")
        check(rcv.max_inflight >= 4, f"at most {rcv.max_inflight} requests in flight at once")
        check(rcv.max_inflight <= 8, f"{rcv.max_inflight} in flight: the bound is 8")
        ids = rcv.ids()
        for eid, (order, seq) in made.items():
            want = 1 if order != hung or seq == 0 else 0
            check(ids.count(eid) == want, f"{order} seq {seq} sent {ids.count(eid)} times, want {want}")
        _in_order(rcv.got, made)
        first = next(e for e, v in made.items() if v == (hung, 0))
        second = next(e for e, v in made.items() if v == (hung, 1))
        row = rd.db(f"SELECT attempts, next_at > UNIX_TIMESTAMP(), delivered_at, claim_token FROM webhook_events "
                    f"WHERE event_id = {rd.q(first)}")[0]
        check(row == ["1", "1", "0", ""], f"the hung event is to be retried later: {row}")
        row = rd.db(f"SELECT attempts, delivered_at FROM webhook_events WHERE event_id = {rd.q(second)}")[0]
        check(row == ["0", "0"], f"the next event of that order waits for it: {row}")
    finally:
        rcv.close()
        os.unlink(cfg)
        _forget(made)


def test_max_seconds_bounds_a_pass():
    made = _events(rd.unique("mx"), orders=40, per_order=1)
    rcv = Receiver(delay=1.5)
    cfg = _config(rcv.url, timeout=10)
    try:
        out, took = _timed_pass(cfg, "--max-seconds", "2")
        check(took < 3.5, f"--max-seconds 2 took {took:.1f} s")
        rows = rd.db("SELECT attempts, claim_token, claim_until FROM webhook_events WHERE delivered_at = 0 "
                     f"AND event_id IN ({','.join(rd.q(e) for e in made)})")
        check(rows, "40 events at 1.5 s, 8 at a time, cannot all go in 2 s")
        check(all(r == ["0", "", "0"] for r in rows),
              f"cut by the deadline: claim given back, no attempt counted: {rows[:3]}")
        check("deferred" in out[0], f"the summary says what was deferred: {out[0]}")
    finally:
        rcv.close()
        os.unlink(cfg)
        _forget(made)


def test_a_killed_runs_claims_and_lease_expire():
    made = _events(rd.unique("kl"), orders=4, per_order=1)
    ids = list(made)
    now = rd.now()
    # Two events held by a live claim, two by a dead run's expired claim; the
    # lease held by a live run elsewhere.
    rd.db(f"UPDATE webhook_events SET claim_token = 'live', claim_until = {now + 300} "
          f"WHERE event_id IN ({rd.q(ids[0])}, {rd.q(ids[1])})")
    rd.db(f"UPDATE webhook_events SET claim_token = 'dead', claim_until = {now - 1} "
          f"WHERE event_id IN ({rd.q(ids[2])}, {rd.q(ids[3])})")
    saved = rd.db("SELECT holder, holder_node, lease_until FROM worker_lease WHERE name = 'worker'")[0]
    rd.db(f"UPDATE worker_lease SET holder = 'other', holder_node = 'node-c', lease_until = {now + 300} "
          "WHERE name = 'worker'")
    rcv = Receiver()
    cfg = _config(rcv.url)
    try:
        out, _ = _timed_pass(cfg)
        check("housekeeping skipped (lease held by node-c)" in out[0], f"a live lease is respected: {out[0]}")
        got = rcv.ids()
        check(ids[0] not in got and ids[1] not in got, "events under a live claim were sent")
        check(got.count(ids[2]) == 1 and got.count(ids[3]) == 1, "expired claims were not taken over")
        rd.db(f"UPDATE worker_lease SET lease_until = {now - 1} WHERE name = 'worker'")
        out, _ = _timed_pass(cfg)
        check("housekeeping skipped" not in out[0], f"an expired lease is taken over: {out[0]}")
        check(rd.db_value("SELECT holder FROM worker_lease WHERE name = 'worker'") == "",
              "the lease is given back at the end of the pass")
    finally:
        rcv.close()
        os.unlink(cfg)
        _forget(made)
        rd.db(f"UPDATE worker_lease SET holder = {rd.q(saved[0])}, holder_node = {rd.q(saved[1])}, "
              f"lease_until = {saved[2]} WHERE name = 'worker' AND holder IN ('other', '')")


def _cron(ts=None, sig=None, secret=None, body=b""):
    ts = rd.now() if ts is None else ts
    secret = secret or rd.env("RD_CRON_SECRET")
    sig = sig or rd.api_signature("POST", "/cron", ts, body, secret)
    return rd.Client().request("POST", "/cron", body=body,
                               headers={"X-RD-Timestamp": str(ts), "X-RD-Signature": sig})


def test_cron_refuses_bad_signatures_and_runs_a_pass_with_a_good_one():
    before = rd.db_value("SELECT last_run_at FROM worker_lease WHERE name = 'worker'")
    for label, resp in [
        ("no signature", rd.Client().request("POST", "/cron", body=b"")),
        ("wrong secret", _cron(secret="x" * 64)),
        ("stale timestamp", _cron(ts=rd.now() - 3600)),
        ("tampered body", _cron(sig=rd.api_signature("POST", "/cron", rd.now(), b"", rd.env("RD_CRON_SECRET")),
                                body=b"x")),
        ("the storefront's API secret", _cron(secret=rd.env("RD_API_SECRET"))),
    ]:
        check(resp.status == 401 and resp.json()["error"]["code"] == "bad_signature", f"{label}: {resp!r}")
    check(rd.db_value("SELECT last_run_at FROM worker_lease WHERE name = 'worker'") == before,
          "a refused /cron ran a pass")
    check(rd.Client().get("/cron").status == 405, "GET /cron")
    resp = _cron()
    check(resp.status == 200, f"signed POST /cron: {resp!r}")
    rep = resp.json()
    check(rep["seconds"] <= 20 and {"housekeeping", "webhooks", "released"} <= set(rep), f"report {rep}")
    if rep["housekeeping"]:
        last = int(rd.db_value("SELECT last_run_at FROM worker_lease WHERE name = 'worker'"))
        check(last >= rd.now() - 5, f"the pass was recorded: {last}")


def test_cron_is_off_without_a_secret():
    cfg = rd.config()
    cfg["cron_secret"] = ""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        env = {"REFUND_DESK_CONFIG": f.name, "REMOTE_ADDR": "127.0.0.1", "GATEWAY_INTERFACE": "CGI/1.1",
               "REQUEST_METHOD": "POST", "PATH_INFO": "/cron", "CONTENT_LENGTH": "0", "PATH": "/usr/bin:/bin",
               "HTTP_X_RD_TIMESTAMP": str(rd.now()),
               "HTTP_X_RD_SIGNATURE": rd.api_signature("POST", "/cron", rd.now(), b"", "")}
        p = subprocess.run([rd.env("RD_BIN")], env=env, capture_output=True, timeout=30)
        check(p.stdout.startswith(b"Status: 403") and b"cron_disabled" in p.stdout, f"{p.stdout[:300]!r}")
        cfg["cron_secret"] = "short"
        with open(f.name, "w") as g:
            json.dump(cfg, g)
        p = subprocess.run([rd.env("RD_BIN"), "--config", f.name, "worker", "--once"],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 2 and "cron_secret" in p.stderr, f"a short cron_secret: {p.stderr}")
    finally:
        os.unlink(f.name)


def test_healthz_flags_a_worker_that_has_not_run_for_ten_minutes():
    saved = rd.db("SELECT last_run_at, last_run_node FROM worker_lease WHERE name = 'worker'")[0]
    try:
        rd.db(f"UPDATE worker_lease SET last_run_at = {rd.now() - 601}, last_run_node = 'node-b' WHERE name = 'worker'")
        r = rd.Client().get("/healthz")
        check(r.status == 200 and r.header("X-RD-Worker") == "stale", f"stale worker: {r!r}")
        check("worker: stale: last pass 60" in r.text and "on node-b" in r.text and "\nnode: " in r.text,
              f"body {r.text!r}")
        r = rd.Client().get("/healthz?strict=1")
        check(r.status == 503 and r.text.startswith("unhealthy"), f"strict: {r!r}")
        rd.db(f"UPDATE worker_lease SET last_run_at = {rd.now() - 30} WHERE name = 'worker'")
        r = rd.Client().get("/healthz?strict=1")
        check(r.status == 200 and r.header("X-RD-Worker") == "ok" and "worker: last pass 3" in r.text,
              f"fresh worker: {r!r} {r.text!r}")
        rd.db("UPDATE worker_lease SET last_run_at = 0 WHERE name = 'worker'")
        r = rd.Client().get("/healthz")
        check(r.header("X-RD-Worker") == "stale" and "no pass has finished yet" in r.text, f"never ran: {r.text!r}")
    finally:
        rd.db(f"UPDATE worker_lease SET last_run_at = {saved[0]}, last_run_node = {rd.q(saved[1])} "
              "WHERE name = 'worker'")
