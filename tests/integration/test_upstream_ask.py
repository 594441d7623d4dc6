"""Ask before a person does (issue 15, CONTRACT.md §7): a request whose goods'
use nobody reported waits in awaiting_upstream, the storefront is asked with a
signed usage.requested webhook, its answer through POST /api/v1/orders/NO/usage
decides again at once (unused: the instant refund; used: review), silence past
upstream.wait_seconds (scripts/test: RD_UPSTREAM_WAIT=3) goes to review with the
reason on the timeline, a refused answer changes nothing, and a storefront
that hangs or is dead never holds a `worker --once` pass.

Each test reads the stack's wait from its config; with asking off (0) they skip."""

import hashlib
import hmac
import http.server
import json
import os
import socket
import threading
import time

import rd
from rd import check, expect_api_error, expect_status, q
from money_model import check_ledger, worker_once
from test_webhooks import _Receiver, _worker

ORDERS = "/api/v1/orders"


def _wait():
    w = rd.config().get("upstream", {}).get("wait_seconds", 300)
    if w == 0:
        raise rd.Skip("upstream.wait_seconds is 0: the desk never asks")
    return w


def _state(rid):
    return rd.refund_row(rid)["state"]


def _timeline(rid):
    return [r[0] for r in rd.db("SELECT e.note FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                                f"WHERE r.public_id = {q(rid)} ORDER BY e.id")]


def _unknown_topup(**over):
    """A direct top-up delivered, its result never reported: usage unknown."""
    o = rd.register(category="direct_topup", amount=2000, **over)
    rd.deliver(o["order_no"], kind="direct_topup")
    return o


def _ask(o, rtype="changed_mind", files=None):
    """Submits a request on o; returns its id, checked to be awaiting upstream."""
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    check("先向上游核实" in form.text, "the form says upstream is asked first")
    fields = rd.refund_fields(form, o["order_no"], type=rtype, destination="balance")
    rid = rd.refund_id_of(rd.submit(c, fields, files or ()))
    check(_state(rid) == "awaiting_upstream", f"{rtype} on unknown usage: {_state(rid)}, want awaiting_upstream")
    check(rd.hold_state(o["order_no"]) == "frozen", "the hold is frozen while the desk asks")
    return c, rid


def _refund_api(rid):
    r = rd.api("GET", f"/api/v1/refunds/{rid}")
    expect_status(r, 200)
    return r.json()["refund"]


def _ledger_rows(order_no):
    return rd.db_value("SELECT COUNT(*) FROM ledger_txns t JOIN orders o ON o.id = t.order_id "
                       f"WHERE o.order_no = {q(order_no)}")


def test_answered_unused_refunds_within_a_second():
    wait = _wait()
    o = _unknown_topup()
    t_submit = time.monotonic()
    c, rid = _ask(o)
    ref = _refund_api(rid)
    check(ref["state"] == "awaiting_upstream", f"GET /api/v1/refunds/ID: {ref['state']}")
    check(abs(ref["deadline"] - (rd.now() + wait)) <= 3, f"deadline {ref['deadline']}, want now + {wait}")
    # The buyer's page says what happens and reloads itself (no script: CSP).
    page = c.get("/refund/" + rid)
    check("正在向上游核实" in page.text, "the status page should say the desk is asking upstream")
    check(page.doc.find("meta", **{"http-equiv": "refresh"}) is not None, "the waiting page reloads itself")
    check(rd.db_count("webhook_events", f"type = 'usage.requested' AND payload LIKE {q('%' + rid + '%')}") == 1,
          "one usage.requested queued")

    t0 = time.monotonic()
    r = rd.api("POST", f"{ORDERS}/{o['order_no']}/usage", {"topup": "failed"})
    expect_status(r, 200)
    ref = _refund_api(rid)
    dt = time.monotonic() - t0
    print(f"    upstream answer -> refunded: {dt * 1000:.0f} ms (submission -> refunded "
          f"{(time.monotonic() - t_submit) * 1000:.0f} ms)", flush=True)
    check(ref["state"] == "refunded", f"answered unused: {ref['state']}, want refunded")
    check(dt < 1.0, f"the answer took {dt:.3f} s to refund, want under 1 s")
    fee = 2000 * 500 // 10000                    # direct top-up: 5 % on changed_mind
    check(ref["refund_amount"] == 2000 - fee, f"refund_amount {ref['refund_amount']}")
    check(any("上游已核实" in n for n in _timeline(rid)), f"timeline: {_timeline(rid)}")
    check(rd.hold_state(o["order_no"]) == "refunded", "the hold paid the refund")
    page = c.get("/refund/" + rid)
    check(page.doc.find("meta", **{"http-equiv": "refresh"}) is None, "no reload once decided")
    check_ledger("an upstream answer")


def test_kind_reported_late_answers_too():
    """A card whose delivery kind was never reported (the API requires it
    now; older rows have ""): the delivery report naming the kind, key never
    revealed, is the answer."""
    _wait()
    o = rd.register(amount=1000)
    at = rd.now() - 60
    rd.deliver(o["order_no"], kind="card_key", at=at)
    rd.db(f"UPDATE orders SET delivery_kind = '' WHERE order_no = {q(o['order_no'])}")
    _, rid = _ask(o)
    rd.deliver(o["order_no"], kind="card_key", at=at)
    check(_state(rid) == "refunded", f"kind card_key, unrevealed: {_state(rid)}")
    check_ledger("a late kind")


def test_answered_used_goes_to_review():
    _wait()
    # topup_failed with the top-up unknown, answered "it arrived": a person.
    o = _unknown_topup()
    _, rid = _ask(o, "topup_failed", [rd.File(rd.png(o["order_no"]), "shot.png", "image/png")])
    expect_status(rd.api("POST", f"{ORDERS}/{o['order_no']}/usage", {"topup": "succeeded"}), 200)
    check(_state(rid) == "cs_review", f"answered used: {_state(rid)}, want cs_review")
    check(any("上游已答复" in n for n in _timeline(rid)), f"timeline: {_timeline(rid)}")
    check(rd.hold_state(o["order_no"]) == "frozen", "no money moved")
    # changed_mind answered used: the policy refuses, a person still decides.
    o = _unknown_topup()
    _, rid = _ask(o)
    before = _ledger_rows(o["order_no"])
    expect_status(rd.api("POST", f"{ORDERS}/{o['order_no']}/usage", {"topup": "succeeded"}), 200)
    check(_state(rid) == "cs_review", f"changed_mind answered used: {_state(rid)}")
    check(_ledger_rows(o["order_no"]) == before, "an answer of used moves no money")
    check_ledger("answers of used")


def test_answer_still_unknown_keeps_waiting():
    _wait()
    o = _unknown_topup()
    _, rid = _ask(o)
    expect_status(rd.api("POST", f"{ORDERS}/{o['order_no']}/usage", {"topup": "pending"}), 200)
    check(_state(rid) == "awaiting_upstream", f"a pending top-up is no answer: {_state(rid)}")


def _signed(method, path, obj):
    body = json.dumps(obj).encode()
    ts = rd.fresh_ts(method, path, body)
    return {"X-RD-Timestamp": str(ts), "X-RD-Signature": rd.api_signature(method, path, ts, body),
            "Content-Type": "application/json"}, body


def test_refused_answers_leave_it_waiting():
    _wait()
    o = _unknown_topup()
    path = f"{ORDERS}/{o['order_no']}/usage"
    # A report captured before the request ("pending"), replayed afterwards.
    h, body = _signed("POST", path, {"topup": "pending"})
    expect_status(rd.Client().request("POST", path, body=body, headers=h), 200)
    _, rid = _ask(o)
    failed = json.dumps({"topup": "failed"}).encode()
    before = rd.snapshot()
    tries = [
        ("replayed", rd.Client().request("POST", path, body=body, headers=h), 409),
        ("unsigned", rd.Client().request("POST", path, body=failed,
                                         headers={"Content-Type": "application/json"}), 401),
        ("wrong secret", rd.api("POST", path, {"topup": "failed"}, secret="not-the-secret-" + "x" * 20), 401),
        ("bad value", rd.api("POST", path, {"topup": "gone"}), (400, 422)),
        ("duplicate key", rd.api("POST", path, body=b'{"topup": "pending", "topup": "failed"}'), 400),
        ("not JSON", rd.api("POST", path, body=b"topup=failed"), (400, 415)),
        ("wrong type", rd.api("POST", path, {"topup": True}), (400, 422)),
    ]
    for what, resp, want in tries:
        expect_api_error(resp, *(want if isinstance(want, tuple) else (want,)))
        check(_state(rid) == "awaiting_upstream", f"after a {what} answer: {_state(rid)}")
    rd.assert_unchanged(before, "refused answers")
    check(rd.hold_state(o["order_no"]) == "frozen", "still frozen")


def test_no_answer_goes_to_review_after_the_wait():
    wait = _wait()
    o = _unknown_topup()
    _, rid = _ask(o)
    worker_once()
    check(_state(rid) == "awaiting_upstream", "the worker leaves it before the deadline")
    if wait <= 10:
        time.sleep(wait + 1.1)
    else:   # a stack with the production wait: the deadline is moved instead
        rd.db(f"UPDATE refunds SET deadline = UNIX_TIMESTAMP() - 1 WHERE public_id = {q(rid)}")
    before = _ledger_rows(o["order_no"])
    worker_once()
    check(_state(rid) == "cs_review", f"no answer by the deadline: {_state(rid)}, want cs_review")
    check(any("上游未在期限内答复" in n for n in _timeline(rid)), f"the reason on the timeline: {_timeline(rid)}")
    check(_ledger_rows(o["order_no"]) == before, "a timeout moves no money")
    # A late answer of "unused" does not pay either: a person has it now.
    expect_status(rd.api("POST", f"{ORDERS}/{o['order_no']}/usage", {"topup": "failed"}), 200)
    check(_state(rid) == "cs_review", f"a late answer: {_state(rid)}")
    check(rd.hold_state(o["order_no"]) == "frozen", "still frozen for the reviewer")
    check_ledger("a timeout")


def test_known_usage_and_risk_behave_as_before():
    _wait()
    # Known unused: instant, never asked.
    o = rd.register(amount=1000)
    rd.deliver(o["order_no"])
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"], type="changed_mind",
                                                         destination="balance")))
    check(_state(rid) == "refunded", f"known unused: {_state(rid)}")
    # A blacklisted buyer with unknown usage: a person at once, not a question.
    o = _unknown_topup()
    rd.db(f"INSERT INTO blacklist (kind, value, created_at) VALUES ('buyer', {q(o['buyer_id'])}, 0)")
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"], type="changed_mind",
                                                         destination="balance")))
    row = rd.db(f"SELECT state, risk_flags FROM refunds WHERE public_id = {q(rid)}")[0]
    check(row == ["cs_review", "8"], f"a flagged request goes to review as before: {row}")
    check(rd.db_count("webhook_events", f"type = 'usage.requested' AND payload LIKE {q('%' + rid + '%')}") == 0,
          "nobody is asked about a flagged request")


def test_usage_requested_webhook_is_signed_with_its_fields():
    _wait()
    o = _unknown_topup()
    _, rid = _ask(o)
    deadline = int(rd.db_value(f"SELECT deadline FROM refunds WHERE public_id = {q(rid)}"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/hooks/desk"
    secret = "whsec-" + "cd" * 20
    try:
        mine = lambda: [e for e in _Receiver.events                # noqa: E731
                        if e[3]["type"] == "usage.requested" and e[3]["data"].get("refund_id") == rid]
        for _ in range(30):             # other tests' events queue before it: drain
            _worker(url, secret)
            if mine():
                break
        got = mine()
        check(len(got) == 1, f"usage.requested for {rid}: {len(got)} deliveries")
        path, headers, body, ev = got[0]
        ts = headers["X-RD-Timestamp"]
        msg = "\n".join(["POST", path, ts, hashlib.sha256(body).hexdigest()]).encode()
        want = hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()
        check(headers["X-RD-Signature"] == want, "usage.requested is signed with the webhook secret")
        d = ev["data"]
        check(d.get("order_no") == o["order_no"] and d.get("refund_id") == rid and d.get("deadline") == deadline,
              f"usage.requested data: {d}, want order_no, refund_id, deadline {deadline}")
        check(d.get("state") == "awaiting_upstream", f"the state name in the webhook: {d}")
    finally:
        srv.shutdown()


def test_staff_see_it_but_cannot_decide_it():
    """README's decision: awaiting_upstream is no reviewer's yet. The request
    page shows the state without a decision form; the queue shows it under
    其他进行中, not 待我处理; a decision posted anyway changes nothing."""
    _wait()
    from money_model import Staff
    o = _unknown_topup()
    _, rid = _ask(o)
    s = Staff()
    page = expect_status(s.c.get(f"/desk/refund/{rid}"), 200)
    check("正在向上游核实" in page.text, "the desk page names the state")
    check(page.doc.find("input", name="action") is None and page.doc.find("select", name="action") is None
          and page.doc.find("button", name="action") is None, "no decision form while upstream is asked")
    queue = expect_status(s.c.get("/desk"), 200)
    check(rid not in queue.text, "待我处理 lists only what staff can decide")
    others = expect_status(s.c.get("/desk?tab=others"), 200)
    check(rid in others.text and "正在向上游核实" in others.text, "其他进行中 shows it with its state")
    r = s.c.post_form(f"/desk/refund/{rid}/decision",
                      {"csrf": s.csrf, "action": "approve", "amount": "20", "confirm": "1", "note": "ok"})
    check(r.status != 303, f"a decision on a request awaiting upstream: {r!r}")
    check(_state(rid) == "awaiting_upstream", f"after a staff decision: {_state(rid)}")


def _closed_port_url():
    """A loopback URL nobody listens on: a dead storefront (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/hooks"


def test_a_slow_or_dead_storefront_never_holds_a_worker():
    """usage.requested to a storefront that hangs (accepts, never answers) or
    is dead (refuses): a `worker --once` pass ends within the webhook timeout,
    the desk's pages answer meanwhile, the request keeps waiting, and at its
    deadline goes to review with the reason and no money moved.
    (test_worker_ops.py hangs a receiver on test.ping events; this is the
    usage.requested path end to end.)"""
    _wait()
    from test_worker_ops import Receiver, _config, _start_worker, _timed_pass
    timeout = 2
    def ask(o):
        _, rid = _ask(o)
        # The deadline far enough off that no pass below reaches it by itself
        # (the stack's wait is 3 s); moved into the past below, on purpose.
        rd.db(f"UPDATE refunds SET deadline = UNIX_TIMESTAMP() + 120 WHERE public_id = {q(rid)}")
        before[o["order_no"]] = _ledger_rows(o["order_no"])
        return rid

    before = {}
    slow = _unknown_topup()
    slow_rid = ask(slow)
    # Only usage.requested hangs: the order's earlier events (refund.created…)
    # are answered, so the pass does reach the question.
    rcv = Receiver(hang={slow["order_no"]}, hang_types={"usage.requested"})
    hung_cfg, dead_cfg = _config(rcv.url, timeout=timeout), _config(_closed_port_url(), timeout=timeout)
    try:
        # Slow: the pass sends usage.requested, gets no answer, and ends
        # within the timeout; the desk answers its buyer meanwhile.
        t0 = time.monotonic()
        p = _start_worker(hung_cfg, "--max-seconds", "30")
        asked = False
        for _ in range(100):
            with rcv.lock:
                asked = rcv.hanging > 0
            if asked or p.poll() is not None:
                break
            time.sleep(0.05)
        check(asked, "the hanging storefront was asked (usage.requested sent, no answer yet)")
        t1 = time.monotonic()
        page = rd.api("GET", f"/api/v1/refunds/{slow_rid}")
        expect_status(page, 200)
        check(time.monotonic() - t1 < 1.0, "the desk answers while the storefront hangs")
        out = p.communicate(timeout=60)
        took = time.monotonic() - t0
        print(f"    worker --once with usage.requested hanging: {took:.2f} s (webhook timeout {timeout} s)",
              flush=True)
        check(p.returncode == 0, f"worker --once: {out}")
        check(took < timeout + 2.5, f"the pass took {took:.1f} s: the hanging storefront held it")
        check(_state(slow_rid) == "awaiting_upstream", f"after the slow storefront: {_state(slow_rid)}")
        row = rd.db("SELECT attempts, delivered_at, next_at > UNIX_TIMESTAMP() FROM webhook_events "
                    f"WHERE type = 'usage.requested' AND payload LIKE {q('%' + slow_rid + '%')}")
        check(row == [["1", "0", "1"]], f"the unanswered usage.requested is retried later: {row}")
        # Dead: refused at once, the pass does not wait at all for it.
        dead = _unknown_topup()
        dead_rid = ask(dead)
        (stdout, _), took = _timed_pass(dead_cfg, "--max-seconds", "30")
        print(f"    worker --once with the storefront dead: {took:.2f} s ({stdout.strip()})", flush=True)
        check(took < timeout + 2.5, f"the pass took {took:.1f} s with the storefront dead")
        check(_state(dead_rid) == "awaiting_upstream", f"after the dead storefront: {_state(dead_rid)}")
        tried = rd.db_value("SELECT COUNT(*) FROM webhook_events WHERE attempts > 0 AND delivered_at = 0 "
                            f"AND payload LIKE {q('%' + dead['order_no'] + '%')}")
        check(int(tried) >= 1, "the dead storefront was tried and nothing delivered")
        rids = (slow_rid, dead_rid)
        # The deadline passes with no answer: review, the reason said, no refund.
        for rid in rids:
            rd.db(f"UPDATE refunds SET deadline = UNIX_TIMESTAMP() - 1 WHERE public_id = {q(rid)}")
        _, took = _timed_pass(hung_cfg, "--max-seconds", "30")
        check(took < timeout + 2.5, f"the deadline pass took {took:.1f} s")
        for o, rid in ((slow, slow_rid), (dead, dead_rid)):
            check(_state(rid) == "cs_review", f"{rid} past its deadline: {_state(rid)}, want cs_review")
            check(any("上游未在期限内答复" in n for n in _timeline(rid)), f"the reason: {_timeline(rid)}")
            check(_ledger_rows(o["order_no"]) == before[o["order_no"]], "no money moved")
            check(rd.hold_state(o["order_no"]) == "frozen", "still frozen for the reviewer")
        check_ledger("a slow and a dead storefront")
    finally:
        rcv.close()
        os.unlink(hung_cfg)
        os.unlink(dead_cfg)
