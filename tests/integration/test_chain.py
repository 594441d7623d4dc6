"""Claims up the chain (issue 15, CONTRACT.md §7) with two desks on loopback.

The stack under test is the *supplier*; this file starts a second stack, the
*reseller*, whose config names it as supplier "up" (a desk, reached through a
proxy the tests can take down or make hang, with an API client of the
supplier's made by `api-client add`) and "shop" (a supplier its storefront
reaches). A buyer refunded at the reseller for a reason the supplier answers
for makes a claim; the reseller's `worker` files it at the supplier with the
claim's id as `idem` and follows it to the end; the money is checked by
`check-ledger` on both desks after every story.

Runs on the nginx front without a table prefix only (one extra stack is
enough; the other fronts run the same C)."""

import atexit
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager

import rd
from rd import check, expect_api_error, expect_status, q
from test_desk import _login, _staff

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HOOK_SECRET = "whsec-chain-" + "cd" * 16
COST = 8000          # what the reseller paid the supplier, fen
TIMEOUT = 3          # claims.timeout_seconds at the reseller


# ------------------------------------------------------------ the fixtures

class _Proxy:
    """A TCP relay to the supplier's nginx that can refuse connections
    ("down") or accept them and never answer ("hang")."""

    def __init__(self, target):
        self.target = target
        self.mode = "up"
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(64)
        self.port = self.srv.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            c, _ = self.srv.accept()
            if self.mode == "down":
                c.close()          # as good as refused: the connection ends unanswered
            elif self.mode == "hang":
                self.held.append(c)
            else:
                threading.Thread(target=self._relay, args=(c,), daemon=True).start()

    def _relay(self, c):
        try:
            u = socket.create_connection(self.target, timeout=30)
        except OSError:
            c.close()
            return

        def pump(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    b.sendall(d)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pump, args=(u, c), daemon=True).start()
        pump(c, u)

    def set(self, mode):
        self.mode = mode
        if mode == "up":
            for c in self.held:
                c.close()
            self.held = []


class _Hooks(http.server.BaseHTTPRequestHandler):
    events = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("X-RD-Timestamp", "")
        want = rd.api_signature("POST", self.path, ts, body, HOOK_SECRET)
        _Hooks.events.append((self.headers.get("X-RD-Signature") == want, json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


class _Fake(http.server.BaseHTTPRequestHandler):
    """A supplier "desk" that answers what the test queues: (status, body)."""
    seen = []
    answers = []

    def _answer(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(n) if n else b""
        _Fake.seen.append((self.command, self.path, dict(self.headers), body))
        status, out = _Fake.answers.pop(0) if _Fake.answers else (503, b"")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = _answer

    def log_message(self, *a):
        pass


FAKE_SECRET = "fa" * 32


class _Chain:
    env = None


_chain = _Chain()


def _free_port(start):
    p = start
    while True:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
                return p
            except OSError:
                p += 1


def _client_add(buyer):
    out = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "api-client", "add",
                          "--buyer", buyer], check=True, capture_output=True, text=True).stdout.split()
    return out[0], out[1]


def _down(d):
    subprocess.run([os.path.join(REPO, "scripts", "stack"), "down", d], capture_output=True, timeout=120)
    shutil.rmtree(d, ignore_errors=True)


def chain():
    """The reseller stack, started once for this file (stopped at exit)."""
    if _chain.env is not None:
        return _chain
    if rd.front() != "nginx" or os.environ.get("RD_TABLE_PREFIX") or os.environ.get("RD_DB") == "galera":
        raise rd.Skip("two desks on the nginx front only (the chain is the same C on every front)")
    sup = urllib.parse.urlsplit(rd.env("RD_URL"))
    _chain.buyer = rd.unique("RS")            # the reseller, as a buyer at the supplier
    _chain.client = _client_add(_chain.buyer)
    _chain.proxy = _Proxy((sup.hostname, sup.port))
    hooks = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    suppliers = {
        "up": {"url": f"http://127.0.0.1:{_chain.proxy.port}{rd.mount()}", "client": _chain.client[0],
               "secret": _chain.client[1]},
        "shop": {"kind": "storefront"},
        "fake": {"url": f"http://127.0.0.1:{fake.server_address[1]}", "client": "rdc_fake", "secret": FAKE_SECRET},
    }
    claims = {"retry_seconds": 1, "poll_seconds": 1, "timeout_seconds": TIMEOUT, "expiry_seconds": 3600}
    d = tempfile.mkdtemp(prefix="rd-chain.")
    e = dict(os.environ, RD_PORT=str(_free_port(sup.port + 500)), RD_WORKERS="2",
             RD_SUPPLIERS=json.dumps(suppliers), RD_CLAIMS=json.dumps(claims),
             RD_WEBHOOK_URL=f"http://127.0.0.1:{hooks.server_address[1]}/hooks",
             RD_WEBHOOK_SECRET=HOOK_SECRET, RD_UPSTREAM_WAIT="0")
    t0 = time.time()
    p = subprocess.run([os.path.join(REPO, "scripts", "stack"), "up", d], env=e, capture_output=True,
                       text=True, timeout=180)
    check(p.returncode == 0, f"the reseller's stack did not come up: {p.stdout[-2000:]}{p.stderr[-2000:]}")
    atexit.register(_down, d)
    env = {}
    for line in p.stdout.splitlines():
        k, sep, v = line.partition("=")
        if sep and k.startswith("RD_"):
            env[k] = v
    env.setdefault("RD_TABLE_PREFIX", "")
    _chain.env = env
    _chain.up_seconds = time.time() - t0
    return _chain


@contextmanager
def at(stack_env):
    """rd's helpers talk to stack_env's desk inside the block."""
    saved = {k: os.environ.get(k) for k in stack_env}
    os.environ.update(stack_env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def reseller():
    return at(chain().env)


def _bin(stack_env, *args, **kw):
    return subprocess.run([stack_env["RD_BIN"], "--config", stack_env["RD_CONFIG"], *args],
                          capture_output=True, text=True, timeout=60, **kw)


def worker_once():
    """One pass of the reseller's worker; its output (log lines included)."""
    p = _bin(chain().env, "worker", "--once", "--max-seconds", "20")
    check(p.returncode == 0, f"reseller worker --once: exit {p.returncode}: {p.stdout}{p.stderr}")
    return p.stdout + p.stderr


def ledgers_clean(what):
    for name, e in (("supplier", {"RD_BIN": rd.env("RD_BIN"), "RD_CONFIG": rd.env("RD_CONFIG")}),
                    ("reseller", chain().env)):
        p = _bin(e, "check-ledger")
        check(p.returncode == 0, f"check-ledger at the {name} after {what}: {p.stdout}{p.stderr}")


def pair(up_category="game_card", supplier_setup=None, supplier="up", **reseller_over):
    """An order the supplier sold to the reseller (bought as the reseller's
    client buyer) and the reseller's order of the same goods to its buyer,
    registered with `upstream`. supplier_setup(order_no) runs at the supplier."""
    c = chain()
    s = rd.register(buyer_id=c.buyer, merchant_id="m-up", amount=COST, category=up_category)
    if supplier_setup:
        supplier_setup(s["order_no"])
    with reseller():
        r = rd.register(merchant_id="m-resell", category=up_category,
                        upstream={"supplier": supplier, "order_no": s["order_no"], "cost": COST},
                        **reseller_over)
    return s, r


def reseller_refund(r, rtype="not_delivered"):
    """The reseller's buyer asks through the form; returns the refund id."""
    with reseller():
        return rd.new_refund(rd.buyer_session(r), r, type=rtype, destination="balance",
                             reason="充值一直没有到账，商家页面显示失败，请退款处理。")


def reseller_claim(order_no):
    with reseller():
        r = rd.api("GET", f"/api/v1/orders/{order_no}")
        expect_status(r, 200)
        return r.json()


def claim_row(order_no):
    with reseller():
        rows = rd.db(f"SELECT c.public_id, c.state, c.amount, c.recovered, c.written_off, c.attempts, "
                     f"c.last_error, c.supplier_refund_id FROM supplier_claims c JOIN orders o ON "
                     f"o.id = c.order_id WHERE o.order_no = {q(order_no)}")
    check(len(rows) <= 1, f"one claim per refund, got {rows}")
    cols = ("id", "state", "amount", "recovered", "written_off", "attempts", "last_error", "supplier_refund_id")
    return dict(zip(cols, rows[0])) if rows else None


def supplier_refunds(order_no):
    return rd.db(f"SELECT r.public_id, r.state, r.refund_amount, r.destination, r.idem FROM refunds r "
                 f"JOIN orders o ON o.id = r.order_id WHERE o.order_no = {q(order_no)}")


def _topup_delivered(state):
    def setup(order_no):
        rd.deliver(order_no, kind="direct_topup")
        rd.report_usage(order_no, topup=state)
    return setup


def _topup_pair():
    """The reseller's top-up failed (its buyer is refunded at once); the
    supplier's says it arrived, so the claim waits for its reviewer, with
    the buyer's evidence forwarded."""
    s, r = pair(up_category="direct_topup", supplier_setup=_topup_delivered("succeeded"))
    with reseller():
        rd.deliver(r["order_no"], kind="direct_topup")
        rd.report_usage(r["order_no"], topup="failed")
    rid = reseller_refund(r, "topup_failed")
    with reseller():
        check(rd.refund_row(rid)["state"] == "refunded", "the reseller refunds a failed top-up at once")
    out = worker_once()
    c = claim_row(r["order_no"])
    check(c["state"] == "filed", f"the supplier took the claim for review: {c} {out}")
    srs = supplier_refunds(s["order_no"])
    check(len(srs) == 1 and srs[0][0] == c["supplier_refund_id"] and srs[0][1] == "cs_review"
          and srs[0][4] == c["id"], f"one request at the supplier, idem = the claim id, in review: {srs} {c}")
    ev = rd.db_value(f"SELECT COUNT(*) FROM evidence v JOIN refunds r ON r.id = v.refund_id "
                     f"WHERE r.public_id = {q(srs[0][0])}")
    check(ev == "1", f"the buyer's evidence reached the supplier: {ev}")
    return s, r, c


def _supplier_decides(refund_id, action):
    login, password = _staff("cs")
    c, resp = _login(login, password)
    expect_status(resp, 303)
    csrf = rd.csrf_of(c.get("/desk"))
    f = {"csrf": csrf, "action": action, "note": "已与上游核实：充值记录显示到账。", "confirm": "1"}
    if action == "approve":
        f["amount"] = str(COST // 100)
    resp = c.post_form(f"/desk/refund/{refund_id}/decision", f)
    check(resp.status in (200, 303), f"the supplier's reviewer decides {action}: {resp!r}")
    want = "refunded" if action == "approve" else "rejected"
    st = rd.db_value(f"SELECT state FROM refunds WHERE public_id = {q(refund_id)}")
    check(st == want, f"the supplier's request is {want} after {action}: {st}")


def _hooks_for(order_no):
    return [(ok, ev) for ok, ev in _Hooks.events if ev.get("data", {}).get("order_no") == order_no]


# ------------------------------------------------------------ the stories

def test_instant_at_both_desks_settles_the_claim():
    s, r = pair()
    t0 = time.time()
    rid = reseller_refund(r)
    with reseller():
        check(rd.refund_row(rid)["state"] == "refunded", "an undelivered order is refunded at once")
    c = claim_row(r["order_no"])
    check(c and c["state"] == "pending" and int(c["amount"]) == COST, f"the claim is booked with the refund: {c}")
    j = reseller_claim(r["order_no"])
    u = j.get("upstream_claim")
    check(u and u["id"] == c["id"] and u["state"] == "pending" and u["amount"] == COST
          and u["supplier_refund_id"] == "", f"GET order shows upstream_claim (CONTRACT §7): {j}")
    out = worker_once()
    took = time.time() - t0
    c = claim_row(r["order_no"])
    check(c["state"] == "recovered" and int(c["recovered"]) == COST and int(c["written_off"]) == 0,
          f"the supplier refunded at once and the receivable is settled: {c} {out}")
    srs = supplier_refunds(s["order_no"])
    check(len(srs) == 1 and srs[0][1] == "refunded" and srs[0][3] == "balance" and srs[0][4] == c["id"],
          f"exactly one refund at the supplier, to the reseller's balance, idem = claim id: {srs}")
    u = reseller_claim(r["order_no"])["upstream_claim"]
    check(u["state"] == "recovered" and u["supplier_refund_id"] == srs[0][0], f"GET shows it recovered: {u}")
    with reseller():
        rec = rd.db_value("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = "
                          f"'merchant_recovery:m-resell' AND txn_id IN (SELECT id FROM ledger_txns WHERE "
                          f"uniq_key = {q('claimrec:' + c['id'])})")
    check(rec == str(COST), f"what came back went to the merchant who bore the refund: {rec}")
    hooks = _hooks_for(r["order_no"])
    types = [ev["type"] for ok, ev in hooks if ev["type"].startswith("supplier_claim.")]
    check(types == ["supplier_claim.filed", "supplier_claim.settled"] and all(ok for ok, _ in hooks),
          f"signed webhooks supplier_claim.filed then .settled: {types}")
    settled = [ev for _, ev in hooks if ev["type"] == "supplier_claim.settled"][0]["data"]["upstream_claim"]
    check(settled["state"] == "recovered" and settled["amount"] == COST, f"settled webhook data: {settled}")
    print(f"chain: buyer refunded -> supplier refunded -> receivable settled in {took:.2f} s "
          f"(one worker pass; reseller stack up in {chain().up_seconds:.1f} s)")
    ledgers_clean("an instant chain")
    # check-ledger sees a claim whose row and ledger disagree.
    with reseller():
        rd.db(f"UPDATE supplier_claims SET recovered = recovered - 1, written_off = 1 WHERE public_id = {q(c['id'])}")
        try:
            p = _bin(chain().env, "check-ledger")
            check(p.returncode == 1 and f"claim {c['id']}: C2" in p.stdout, f"check-ledger finds it: {p.stdout}")
        finally:
            rd.db(f"UPDATE supplier_claims SET recovered = recovered + 1, written_off = 0 "
                  f"WHERE public_id = {q(c['id'])}")
    ledgers_clean("the claim row put back")


def test_a_claim_the_supplier_rejects_is_written_off():
    s, r, c = _topup_pair()
    _supplier_decides(c["supplier_refund_id"], "reject")
    time.sleep(1.1)                     # claims.poll_seconds
    out = worker_once()
    c = claim_row(r["order_no"])
    check(c["state"] == "rejected" and int(c["written_off"]) == COST and int(c["recovered"]) == 0,
          f"a rejection writes the receivable off: {c} {out}")
    with reseller():
        check(rd.refund_row(rd.db_value(
            f"SELECT r.public_id FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.order_no = "
            f"{q(r['order_no'])}"))["state"] == "refunded", "the buyer keeps the refund")
    ledgers_clean("a rejected claim")


def test_the_claim_survives_the_worker_killed_between_filing_and_settling():
    """The daemon worker is killed with -9 while it asks the supplier about a
    filed claim (the supplier hangs, the worker holds the claim's lease)."""
    c = chain()
    s, r, cl = _topup_pair()
    time.sleep(1.1)                     # claims.poll_seconds: the claim is due again
    c.proxy.set("hang")
    d = subprocess.Popen([c.env["RD_BIN"], "--config", c.env["RD_CONFIG"], "worker"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 5
        while not c.proxy.held and time.time() < deadline:
            time.sleep(0.05)
        check(c.proxy.held, "the daemon is asking the (hung) supplier about the claim")
    finally:
        os.kill(d.pid, signal.SIGKILL)
        d.wait()
        c.proxy.set("up")
    killed = time.time()
    _supplier_decides(cl["supplier_refund_id"], "approve")
    out = worker_once()
    check(claim_row(r["order_no"])["state"] == "filed" and f"claim {cl['id']}" not in out,
          f"the dead worker's lease keeps others off the claim until it runs out: {out}")
    # The lease: the call's timeout plus 5 s (claim_follow.c).
    while claim_row(r["order_no"])["state"] == "filed" and time.time() < killed + TIMEOUT + 15:
        time.sleep(1)
        worker_once()
    got = claim_row(r["order_no"])
    check(got["state"] == "recovered" and int(got["recovered"]) == COST, f"settled after the kill: {got}")
    check(time.time() - killed < TIMEOUT + 5 + 3, f"no later than the lease allows: {time.time() - killed:.1f} s")
    check(len(supplier_refunds(s["order_no"])) == 1, "one refund at the supplier")
    ledgers_clean("a worker killed with -9")


def test_a_dead_or_hung_supplier_never_holds_the_worker_and_is_tried_again():
    """Down (connections refused) and hung (accepted, never answered): each
    pass costs at most one call's timeout whatever the number of claims (a
    supplier that did not answer is not called again in the same pass), the
    claims wait with the reason, and are filed once when it is back."""
    c = chain()
    pairs = [pair() for _ in range(3)]
    for _, r in pairs:
        reseller_refund(r)
    try:
        c.proxy.set("down")
        t0 = time.time()
        out = worker_once()
        dead = time.time() - t0
        check(dead < TIMEOUT + 2, f"a dead supplier costs at most one timeout: {dead:.1f} s")
        rows = [claim_row(r["order_no"]) for _, r in pairs]
        check(all(x["state"] == "pending" and int(x["attempts"]) == 1 and x["last_error"] for x in rows),
              f"the claims wait with the reason: {rows} {out}")
        c.proxy.set("hang")
        time.sleep(1.1)                 # claims.retry_seconds
        t0 = time.time()
        out = worker_once()
        took = time.time() - t0
        check(TIMEOUT - 0.5 < took < TIMEOUT + 2.5,
              f"three claims at a supplier that never answers cost one timeout, not three: {took:.1f} s")
        rows = [claim_row(r["order_no"]) for _, r in pairs]
        check(all(x["state"] == "pending" and int(x["attempts"]) == 2 for x in rows), f"nothing changed: {rows}")
        check(sum("earlier in this pass" in x["last_error"] for x in rows) == 2,
              f"after the first timeout the others wait for the next pass: {rows}")
        print(f"chain: worker pass with the supplier down {dead:.2f} s, hung {took:.2f} s for 3 claims "
              f"(claims.timeout_seconds {TIMEOUT})")
        check(all(supplier_refunds(s["order_no"]) == [] for s, _ in pairs), "nothing reached the supplier")
    finally:
        c.proxy.set("up")
    time.sleep(1.1)
    worker_once()
    for s, r in pairs:
        got = claim_row(r["order_no"])
        check(got["state"] == "recovered", f"filed and settled once the supplier is back: {got}")
        check(len(supplier_refunds(s["order_no"])) == 1, "exactly one refund at the supplier after the retries")
    ledgers_clean("a supplier down for a while")


def test_two_overlapping_worker_passes_file_once():
    c = chain()
    s, r = pair()
    reseller_refund(r)
    cid = claim_row(r["order_no"])["id"]
    cmd = [c.env["RD_BIN"], "--config", c.env["RD_CONFIG"], "worker", "--once"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    check(all(p.returncode == 0 for p in procs), f"both passes end cleanly: {outs}")
    told = [o for o in outs if f"claim {cid} " in o]
    check(len(told) == 1, f"one pass worked the claim (the lease), the other left it: {outs}")
    check(len(supplier_refunds(s["order_no"])) == 1, "exactly one refund at the supplier")
    check(claim_row(r["order_no"])["state"] == "recovered", "settled once")
    with reseller():
        n = rd.db_value(f"SELECT COUNT(*) FROM ledger_txns WHERE uniq_key LIKE {q('claim%:' + cid)}")
    check(n == "2", f"booked once, recovered once: {n} claim transactions")
    ledgers_clean("overlapping passes")


def test_a_storefront_supplier_reports_the_outcome():
    c = chain()
    s, r = pair(supplier="shop")
    reseller_refund(r)
    got = claim_row(r["order_no"])
    check(got["state"] == "pending", f"booked: {got}")
    worker_once()
    types = [ev["type"] for _, ev in _hooks_for(r["order_no"])]
    check("supplier_claim.requested" in types and "supplier_claim.filed" in types,
          f"the storefront is asked to claim from its supplier: {types}")
    check(len(supplier_refunds(s["order_no"])) == 0, "a storefront's supplier is never called by the desk")
    path = f"/api/v1/orders/{r['order_no']}/upstream-claim"
    with reseller():
        before = rd.snapshot()
        for body in ({"state": "refunded"}, {"state": "lost", "amount": 1}, {"amount": 1},
                     {"state": "refunded", "amount": 0}, {"state": "refunded", "amount": COST + 1},
                     {"state": "refunded", "amount": "5000"}, {"state": "refunded", "amount": -1}):
            expect_api_error(rd.api("POST", path, body), 400, 422)
        rd.assert_unchanged(before, "refused outcome reports")
        expect_api_error(rd.api("POST", "/api/v1/orders/NOPE-1/upstream-claim",
                                {"state": "rejected"}), 404)
        resp = rd.api("POST", path, {"state": "refunded", "amount": 5000})
        expect_status(resp, 200)
        u = resp.json()["upstream_claim"]
        check(u["state"] == "recovered" and u["recovered"] == 5000 and u["written_off"] == COST - 5000,
              f"part came back, the rest is written off: {u}")
        expect_status(rd.api("POST", path, {"state": "refunded", "amount": 5000}), 200)   # the same again
        expect_api_error(rd.api("POST", path, {"state": "rejected"}), 409)
    # A desk supplier's claim is the worker's to follow.
    s2, r2 = pair()
    reseller_refund(r2)
    with reseller():
        expect_api_error(rd.api("POST", f"/api/v1/orders/{r2['order_no']}/upstream-claim",
                                {"state": "rejected"}), 409)
    worker_once()
    # Rejected, and one that expires unanswered.
    s3, r3 = pair(supplier="shop")
    reseller_refund(r3)
    with reseller():
        expect_status(rd.api("POST", f"/api/v1/orders/{r3['order_no']}/upstream-claim", {"state": "rejected"}), 200)
    check(claim_row(r3["order_no"])["state"] == "rejected", "rejected by the storefront's supplier")
    s4, r4 = pair(supplier="shop")
    reseller_refund(r4)
    with reseller():
        rd.db(f"UPDATE supplier_claims c JOIN orders o ON o.id = c.order_id SET c.expires_at = 1, "
              f"c.next_at = 1 WHERE o.order_no = {q(r4['order_no'])}")
    worker_once()
    got = claim_row(r4["order_no"])
    check(got["state"] == "written_off" and int(got["written_off"]) == COST, f"expired: written off: {got}")
    ledgers_clean("storefront-reached suppliers")


def test_registration_with_upstream_is_checked_and_idempotent():
    chain()
    with reseller():
        b = rd.order_body(upstream={"supplier": "up", "order_no": "UP-1", "cost": 100})
        expect_status(rd.api("POST", "/api/v1/orders", b), 201)
        expect_status(rd.api("POST", "/api/v1/orders", b), 200)       # a retry: the same order
        changed = dict(b, upstream={"supplier": "up", "order_no": "UP-1", "cost": 101})
        expect_api_error(rd.api("POST", "/api/v1/orders", changed), 409)
        without = {k: v for k, v in b.items() if k != "upstream"}
        expect_api_error(rd.api("POST", "/api/v1/orders", without), 409)
        before = rd.snapshot()
        for up, code in (({"supplier": "nobody", "order_no": "X", "cost": 1}, 422),
                         ({"supplier": "up", "order_no": "X", "cost": b["amount"] + 1}, 400),
                         ({"supplier": "up", "order_no": "a b", "cost": 1}, 400),
                         ({"supplier": "up", "order_no": "X"}, 400),
                         ("up", 400)):
            expect_api_error(rd.api("POST", "/api/v1/orders", rd.order_body(upstream=up)), code, 422)
        rd.assert_unchanged(before, "refused upstreams")


def test_the_resellers_credentials_reach_only_its_own_orders():
    """IDOR: the client id and secret the reseller holds act as its buyer at
    the supplier and nothing else, on every call a claim uses."""
    c = chain()
    other = rd.register()                          # another buyer's order at the supplier
    mine = rd.register(buyer_id=c.buyer)
    other_rf = rd.new_refund(rd.buyer_session(other), other, type="not_delivered")
    cid, secret = c.client
    h = {"X-RD-Client": cid}
    someone_else = _client_add(other["buyer_id"])[0]
    before = rd.snapshot()
    expect_api_error(rd.api("GET", f"/api/v1/orders/{other['order_no']}", secret=secret, headers=h), 404)
    expect_api_error(rd.api("GET", f"/api/v1/refunds/{other_rf}", secret=secret, headers=h), 404)
    body = {"order_no": other["order_no"], "type": "not_delivered", "reason": "上游未发货，申请调账退款处理。",
            "destination": "balance", "idem": "idor" + rd.unique("I")}
    expect_api_error(rd.api("POST", "/api/v1/refunds", body, secret=secret, headers=h), 404)
    expect_api_error(rd.api("POST", f"/api/v1/orders/{other['order_no']}/upstream-claim",
                            {"state": "rejected"}, secret=secret, headers=h), 401, 403)
    expect_api_error(rd.api("POST", f"/api/v1/orders/{mine['order_no']}/upstream-claim",
                            {"state": "rejected"}, secret=secret, headers=h), 401, 403)
    expect_api_error(rd.api("POST", "/api/v1/orders", rd.order_body(buyer_id=c.buyer), secret=secret,
                            headers=h), 401, 403)
    # Another client's id with this secret, and this id with the storefront's.
    expect_api_error(rd.api("GET", f"/api/v1/orders/{mine['order_no']}", secret=secret,
                            headers={"X-RD-Client": someone_else}), 401)
    expect_api_error(rd.api("GET", f"/api/v1/orders/{mine['order_no']}", headers=h), 401)
    rd.assert_unchanged(before, "calls outside the reseller's own orders")
    r = rd.api("GET", f"/api/v1/orders/{mine['order_no']}", secret=secret, headers=h)
    expect_status(r, 200)
    check("upstream_claim" not in r.json(), f"a client sees no claim internals: {r.json()}")


def _parts(ctype, body):
    """{name: (headers text, bytes)} of a multipart body (one part per name)."""
    boundary = ctype.split("boundary=", 1)[1].encode()
    out = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        out[name] = (head.decode(), data[:-2])
    return out


def test_what_goes_over_the_wire_and_garbage_answers_never_settle():
    """A stand-in supplier checks the filing byte by byte (signed as the
    client, the claim's id as idem, the evidence forwarded under the desk's
    own file name) and answers garbage: nothing settles until a real answer."""
    chain()
    with reseller():
        r = rd.register(merchant_id="m-resell", upstream={"supplier": "fake", "order_no": "FAKE-1", "cost": COST})
    reseller_refund(r)
    cid = claim_row(r["order_no"])["id"]
    del _Fake.seen[:]
    garbage = [(200, b"not json"),
               (201, json.dumps({"refund": {"id": "bad id!", "state": "refunded", "refund_amount": COST}}).encode()),
               (201, json.dumps({"refund": {"id": "R1", "state": "refunded", "refund_amount": -5}}).encode()),
               (201, json.dumps({"refund": {"id": "R1", "state": "refunded", "refund_amount": "8000"}}).encode()
                .replace(b'"refunded"', b'1')),
               (500, b"{}")]
    for i, ans in enumerate(garbage):
        _Fake.answers[:] = [ans]
        worker_once()
        got = claim_row(r["order_no"])
        check(got["state"] == "pending" and int(got["attempts"]) == i + 1 and got["last_error"],
              f"garbage answer {ans!r} settles nothing: {got}")
        time.sleep(1.1)                  # claims.retry_seconds
    method, path, headers, body = _Fake.seen[0]
    check(method == "POST" and path == "/api/v1/refunds", f"filed at POST /api/v1/refunds: {method} {path}")
    check(headers.get("X-RD-Client") == "rdc_fake", f"as the configured client: {headers}")
    want = rd.api_signature("POST", "/api/v1/refunds", headers.get("X-RD-Timestamp"), body, FAKE_SECRET)
    check(headers.get("X-RD-Signature") == want, "signed with the client's secret over the whole body")
    parts = _parts(headers.get("Content-Type", ""), body)
    j = json.loads(parts["json"][1])
    check(j == {"order_no": "FAKE-1", "type": "not_delivered", "reason": j.get("reason"), "destination": "balance",
                "idem": cid} and len(j["reason"]) >= 10, f"the claim as the supplier's buyer asks: {j}")
    ev_head, ev = parts["evidence"]
    check(ev.startswith(b"\x89PNG") and 'filename="evidence-1.png"' in ev_head and "image/png" in ev_head,
          f"the buyer's evidence, under the desk's own name: {ev_head!r}")
    posts = [json.loads(_parts(h["Content-Type"], b)["json"][1]) for m, p, h, b in _Fake.seen if m == "POST"]
    check(len(posts) == len(garbage) and all(x == j for x in posts), f"every retry files the same claim: {posts}")
    # Taken for review, then refunded for more than was claimed.
    _Fake.answers[:] = [(201, json.dumps({"refund": {"id": "R1", "state": "cs_review", "refund_amount": 0}}).encode())]
    worker_once()
    got = claim_row(r["order_no"])
    check(got["state"] == "filed" and got["supplier_refund_id"] == "R1", f"filed: {got}")
    time.sleep(1.1)
    _Fake.answers[:] = [(200, json.dumps({"refund": {"id": "R1", "state": "refunded", "refund_amount": 10 ** 9}}).encode())]
    worker_once()
    m, p, h, b = _Fake.seen[-1]
    check(m == "GET" and p == "/api/v1/refunds/R1" and b == b"", f"followed at GET /api/v1/refunds/R1: {m} {p}")
    check(h.get("X-RD-Signature") == rd.api_signature("GET", p, h.get("X-RD-Timestamp"), b"", FAKE_SECRET),
          "the poll is signed too")
    got = claim_row(r["order_no"])
    check(got["state"] == "recovered" and int(got["recovered"]) == COST and int(got["written_off"]) == 0,
          f"never more than was claimed: {got}")
    # The supplier's policy refuses (422): rejected, written off.
    with reseller():
        r2 = rd.register(merchant_id="m-resell", upstream={"supplier": "fake", "order_no": "FAKE-2", "cost": COST})
    reseller_refund(r2)
    _Fake.answers[:] = [(422, b'{"error":{"code":"not_allowed","message":"no"}}')]
    worker_once()
    got = claim_row(r2["order_no"])
    check(got["state"] == "rejected" and int(got["written_off"]) == COST, f"a 422 is the supplier's no: {got}")
    ledgers_clean("a supplier answering garbage")

