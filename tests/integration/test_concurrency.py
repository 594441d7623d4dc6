"""Concurrency: many requests for one order at once, each from its own
connection and thread, all in one buyer's session (one hand-off, the cookie
and CSRF token copied into every client). Exactly one request may win, the
others are refused the way a serial order would refuse them, the hold is
resolved once, and check-ledger stays clean.

What a loser gets follows from the code: once the winner is open (review, or
refunding on the original path) every other submission is a 409 linking to
it; once the winner is final (paid to the balance) the hold is refunded and a
not_delivered claim is a 422 (nothing left to refund)."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import money_model as mm
import rd
from rd import check, q


EACH = "each"


def _fire(requests, source=None):
    """Runs every request (a function of a fresh Client) at the same moment,
    each in its own thread and connection; returns the responses in order.
    source: the address all connect from, or EACH: each from its own (nginx
    lets one address have 20 requests in progress, RD_CONN_LIMIT). On a
    Galera stack the requests alternate between the pools (and so between
    database nodes)."""
    barrier = threading.Barrier(len(requests))
    urls = rd.pool_urls()

    def one(i_fn):
        i, fn = i_fn
        c = rd.Client(urls[i % len(urls)], source=rd.elsewhere() if source == EACH else source)
        barrier.wait(timeout=60)
        return fn(c)

    with ThreadPoolExecutor(max_workers=len(requests)) as ex:
        return list(ex.map(one, enumerate(requests)))


def _post_new(buyer, body, ctype):
    def fn(c):
        c.jar[rd.COOKIE] = buyer.sid
        return c.request("POST", "/refund/new", body=body, headers={"Content-Type": ctype})
    return fn


def _post_confirm(buyer, order_no):
    def fn(c):
        c.jar[rd.COOKIE] = buyer.sid
        return c.post_form(f"/order/{order_no}/confirm", {"csrf": buyer.csrf, "confirm": "1"})
    return fn


def _statuses(resps):
    out = {}
    for r in resps:
        out[r.status] = out.get(r.status, 0) + 1
    return out


def _txn_kinds(order_no):
    rows = rd.db("SELECT t.kind, COUNT(*) FROM ledger_txns t JOIN orders o ON o.id = t.order_id "
                 f"WHERE o.order_no = {q(order_no)} GROUP BY t.kind")
    return {k: int(n) for k, n in rows}


def _refund_rows(order_no):
    return rd.db("SELECT r.public_id, r.state FROM refunds r JOIN orders o ON o.id = r.order_id "
                 f"WHERE o.order_no = {q(order_no)} ORDER BY r.id")


def _resolutions(order_no):
    return rd.db_count("hold_resolutions",
                       f"order_id = (SELECT id FROM orders WHERE order_no = {q(order_no)})")


def _check_order(order_no):
    j = mm.api_order(order_no)
    bad = mm.app_invariants(j)
    check(bad is None, f"order {order_no}: {bad}: {j}")
    return j


def _many_submissions(n, rtype, dest, channel="alipay", with_png=False):
    """n submissions with distinct idem for one undelivered order; returns
    (order, buyer, responses, winner id, PNG sha256 of each submission)."""
    o = rd.register(pay_channel=channel)
    buyer = mm.Buyer(o)
    reqs, shas = [], []
    for i in range(n):
        files = []
        if with_png:
            data = rd.png(f"{o['order_no']}-{i}")
            files = [rd.File(data, f"s{i}.png", "image/png")]
            shas.append(hashlib.sha256(data).hexdigest())
        body, ctype = mm.submit_body(buyer, o["order_no"], rtype, dest,
                                     f"conc{i:03d}x{rd.unique('I')}", files)
        reqs.append(_post_new(buyer, body, ctype))
    resps = _fire(reqs, EACH)
    won = [r for r in resps if r.status == 303]
    check(len(won) == 1, f"{n} submissions with distinct idem: {len(won)} won; statuses "
                         f"{_statuses(resps)}; e.g. {[r for r in resps if r.status != 303][:1]}")
    rid = mm.refund_location(won[0])
    check(rid, f"the winner's 303 does not go to /refund/ID: {won[0]!r}")
    rows = _refund_rows(o["order_no"])
    check(len(rows) == 1 and rows[0][0] == rid, f"refunds rows {rows}, winner {rid}")
    mm.check_ledger(f"{n} concurrent {rtype} submissions")
    return o, buyer, resps, rid, shas


def test_fifty_instant_refunds_original_path_one_wins():
    # Alipay, original path: the winner pays at once and waits for the payout
    # (refunding), holding the order's open slot: every loser is a 409.
    o, _b, resps, rid, _ = _many_submissions(50, "not_delivered", "original")
    losers = [r for r in resps if r.status != 303]
    check(all(r.status == 409 for r in losers), f"losers: {_statuses(resps)}")
    check(all(f"/refund/{rid}" in r.text for r in losers), "a 409 does not link to the winner")
    check(rd.refund_row(rid)["state"] == "refunding", f"winner {rd.refund_row(rid)}")
    j = _check_order(o["order_no"])
    h = j["order"]["hold"]
    check((h["state"], h["refunded"], h["released"], h["fees"]) == ("refunded", o["amount"], 0, 0),
          f"hold {h}")
    check(_txn_kinds(o["order_no"]) == {"hold": 1, "refund": 1}, f"txns {_txn_kinds(o['order_no'])}")
    check(_resolutions(o["order_no"]) == 1, "the hold is not resolved exactly once")


def test_fifty_instant_refunds_to_balance_one_wins():
    # To the balance the winner is final at once, so it never holds the open
    # slot: the losers get as far as the hold, find it refunded, and are
    # told there is nothing left to refund (422).
    o, _b, resps, rid, _ = _many_submissions(50, "not_delivered", "balance")
    check(all(r.status == 422 for r in resps if r.status != 303), f"losers: {_statuses(resps)}")
    check(rd.refund_row(rid)["state"] == "refunded", f"winner {rd.refund_row(rid)}")
    j = _check_order(o["order_no"])
    h = j["order"]["hold"]
    check((h["state"], h["refunded"]) == ("refunded", o["amount"]), f"hold {h}")
    check(_txn_kinds(o["order_no"]) == {"hold": 1, "refund": 1}, f"txns {_txn_kinds(o['order_no'])}")
    check(_resolutions(o["order_no"]) == 1, "the hold is not resolved exactly once")


def test_fifty_review_submissions_with_evidence_one_wins():
    # duplicate_charge with a PNG goes to review: the hold freezes, nothing
    # moves, every loser is a 409 and none of the losers' files stays.
    before_files = {p.rsplit("/", 1)[-1] for p in rd.evidence_paths()}
    o, _b, resps, rid, shas = _many_submissions(50, "duplicate_charge", "original", with_png=True)
    check(all(r.status == 409 for r in resps if r.status != 303), f"losers: {_statuses(resps)}")
    row = rd.refund_row(rid)
    check(row["state"] == "cs_review" and row["open_order_id"] == row["order_id"], f"winner {row}")
    check(rd.hold_state(o["order_no"]) == "frozen", "a review request should freeze the hold")
    j = _check_order(o["order_no"])
    h = j["order"]["hold"]
    check((h["released"], h["refunded"], h["fees"]) == (0, 0, 0), f"money moved: {h}")
    check(_txn_kinds(o["order_no"]) == {"hold": 1}, f"txns {_txn_kinds(o['order_no'])}")
    check(_resolutions(o["order_no"]) == 0, "a frozen hold has a resolution")
    ev = rd.db(f"SELECT sha256 FROM evidence WHERE refund_id = {row['id']}")
    check(len(ev) == 1 and ev[0][0] in shas, f"the winner's evidence rows {ev}")
    files = {p.rsplit("/", 1)[-1] for p in rd.evidence_paths()} - before_files
    check(files == {ev[0][0]}, f"evidence files left by the race: {len(files)} new, want only "
                               f"the winner's ({ev[0][0][:12]}...)")


def test_twenty_posts_same_idem_one_request():
    for rtype, with_png in (("not_delivered", False), ("duplicate_charge", True)):
        o = rd.register()
        buyer = mm.Buyer(o)
        files = [rd.File(rd.png(o["order_no"]), "s.png", "image/png")] if with_png else []
        body, ctype = mm.submit_body(buyer, o["order_no"], rtype, "balance",
                                     "sameidem" + rd.unique("I"), files)
        resps = _fire([_post_new(buyer, body, ctype)] * 20, rd.elsewhere())
        check(all(r.status == 303 for r in resps), f"{rtype}: statuses {_statuses(resps)}: "
                                                   f"{[r for r in resps if r.status != 303][:1]}")
        ids = {mm.refund_location(r) for r in resps}
        check(len(ids) == 1 and None not in ids, f"{rtype}: the same idem went to {ids}")
        rows = _refund_rows(o["order_no"])
        check(len(rows) == 1 and rows[0][0] in ids, f"{rtype}: refunds rows {rows}")
        want = "refunded" if rtype == "not_delivered" else "cs_review"
        check(rows[0][1] == want, f"{rtype}: state {rows[0][1]}, want {want}")
        _check_order(o["order_no"])
        mm.check_ledger(f"20 posts of one idem ({rtype})")


def _mix(dest):
    """10 confirms and 10 not_delivered submissions at once on one held,
    undelivered alipay order. Returns what the test checks."""
    o = rd.register(pay_channel="alipay")
    no = o["order_no"]
    buyer = mm.Buyer(o)
    reqs = []
    for i in range(10):
        body, ctype = mm.submit_body(buyer, no, "not_delivered", dest, f"mix{i:02d}x{rd.unique('I')}")
        reqs.append(_post_new(buyer, body, ctype))
        reqs.append(_post_confirm(buyer, no))
    resps = _fire(reqs, rd.elsewhere())
    subs, confs = resps[0::2], resps[1::2]
    what = f"mix ({dest}): submissions {_statuses(subs)}, confirms {_statuses(confs)}"
    mm.check_ledger(what)
    won = [r for r in subs if r.status == 303]
    check(len(won) == 1, f"{what}: {len(won)} submissions won")
    rid = mm.refund_location(won[0])
    rows = _refund_rows(no)
    check(len(rows) == 1 and rows[0][0] == rid, f"{what}: refunds rows {rows}")
    check(all(r.status in (303, 409) for r in confs), f"{what}: a confirm answered otherwise")
    j = _check_order(no)
    h = j["order"]["hold"]
    kinds = _txn_kinds(no)
    check(_resolutions(no) == 1, f"{what}: the hold is resolved {_resolutions(no)} times")
    confirmed = j["order"]["confirmed_at"] != 0
    if h["state"] == "refunded":
        # The refund came first: paid from the hold; no confirm released it.
        check(kinds == {"hold": 1, "refund": 1}, f"{what}: txns {kinds}")
        check(not confirmed, f"{what}: hold refunded yet a confirm was recorded")
        check((h["refunded"], h["released"], h["fees"]) == (o["amount"], 0, 0), f"{what}: {h}")
    else:
        # A confirm came first and released it; the refund clawed it back.
        check(h["state"] == "released", f"{what}: hold {h}")
        check(kinds == {"hold": 1, "release": 1, "clawback": 1}, f"{what}: txns {kinds}")
        check(confirmed, f"{what}: released but confirmed_at is 0")
        check((h["refunded"], h["released"], h["fees"]) == (o["amount"], 0, 0), f"{what}: {h}")
    return o, h["state"], subs, confs, rows[0][1], what


def test_confirm_and_refund_race_original_path():
    # The refund pays through Alipay (refunding): it holds the open slot, so
    # every confirm after it is a 409; every other submission is a 409.
    for _ in range(3):
        o, hold, subs, confs, state, what = _mix("original")
        check(state == "refunding", f"{what}: refund {state}")
        check(all(r.status == 409 for r in subs if r.status != 303), f"{what}: losers")
        if hold == "refunded":
            check(all(r.status == 409 for r in confs), f"{what}: a confirm after the refund "
                                                         "should see it open")
        else:
            check(any(r.status == 303 for r in confs), f"{what}: released without a confirm")


def test_confirm_and_refund_race_to_balance():
    # To the balance the refund is final at once: confirms never see it open
    # (all 303); a refund after release is a claw-back. Either way the losers
    # then find nothing left to refund (422).
    for _ in range(3):
        o, hold, subs, confs, state, what = _mix("balance")
        check(state == "refunded", f"{what}: refund {state}")
        check(all(r.status == 303 for r in confs), f"{what}: confirms")
        losers = {r.status for r in subs if r.status != 303}
        check(losers <= {422}, f"{what}: losers {losers}")


def test_payout_reports_at_once_pay_out_once():
    # The payment service reports success 20 times at once: one payout
    # transaction, the refund refunded, every report 200.
    o = rd.register(pay_channel="wechat")
    buyer = mm.Buyer(o)
    body, ctype = mm.submit_body(buyer, o["order_no"], "not_delivered", "original", rd.unique("I") + "pay")
    rid = mm.refund_location(buyer.client().request("POST", "/refund/new", body=body,
                                                    headers={"Content-Type": ctype}))
    check(rid and rd.refund_row(rid)["state"] == "refunding", f"refund {rid}")

    def report(c):
        return rd.api("POST", f"/api/v1/refunds/{rid}/payout", {"state": "succeeded"}, client=c)
    resps = _fire([report] * 20)
    check(all(r.status == 200 for r in resps), f"payout reports: {_statuses(resps)}")
    check(rd.refund_row(rid)["state"] == "refunded", f"refund {rd.refund_row(rid)}")
    check(_txn_kinds(o["order_no"]) == {"hold": 1, "refund": 1, "payout": 1},
          f"txns {_txn_kinds(o['order_no'])}")
    _check_order(o["order_no"])
    mm.check_ledger("20 payout reports at once")


def test_worker_release_races_submission():
    # The hold period ends while the buyer submits: two workers and five
    # submissions at once. Either the hold is released and the refund is a
    # claw-back, or the refund froze/paid it first; one resolution either way.
    for _ in range(3):
        o = rd.register(pay_channel="balance")
        no = o["order_no"]
        buyer = mm.Buyer(o)
        rd.db("UPDATE holds h JOIN orders o ON o.id = h.order_id SET h.release_at = "
              f"UNIX_TIMESTAMP() - 5 WHERE o.order_no = {q(no)}")
        reqs = [lambda c: mm.worker_once()] * 2
        for i in range(5):
            body, ctype = mm.submit_body(buyer, no, "not_delivered", "balance", f"w{i}x{rd.unique('I')}")
            reqs.append(_post_new(buyer, body, ctype))
        out = _fire(reqs, rd.elsewhere())
        subs = out[2:]
        mm.check_ledger("worker against submissions")
        check(sum(r.status == 303 for r in subs) == 1, f"submissions {_statuses(subs)}")
        j = _check_order(no)
        kinds = _txn_kinds(no)
        check(kinds in ({"hold": 1, "refund": 1}, {"hold": 1, "release": 1, "clawback": 1}),
              f"txns {kinds}")
        check(_resolutions(no) == 1, "the hold is not resolved exactly once")
        check(j["order"]["hold"]["refunded"] == o["amount"], f"hold {j['order']['hold']}")


def test_staff_approvals_race_buyer_cancels():
    # Ten approvals by an admin (one staff session on ten connections) and
    # ten cancels by the buyer on one reviewed request: exactly one of them
    # acts, and the hold ends paid out once or back to held.
    if not mm.Staff.present():
        print("concurrency: no staff console (GET /desk/login is 404): skipped", flush=True)
        return
    staff = mm.Staff(rd.elsewhere())
    outcomes = set()
    for _ in range(4):
        o = rd.used_card(pay_channel="balance")
        no = o["order_no"]
        buyer = mm.Buyer(o)
        rid = rd.new_refund(buyer.client(), o, destination="balance")
        check(rd.refund_row(rid)["state"] == "cs_review", f"refund {rd.refund_row(rid)}")

        def approve(c):
            c.jar = dict(staff.c.jar)
            return c.post_form(f"/desk/refund/{rid}/decision",
                               {"csrf": staff.csrf, "action": "approve", "confirm": "1"})

        def cancel(c):
            c.jar[rd.COOKIE] = buyer.sid
            return c.post_form(f"/refund/{rid}/cancel", {"csrf": buyer.csrf, "confirm": "1"})
        resps = _fire([approve, cancel] * 10, rd.elsewhere())
        apps, cans = resps[0::2], resps[1::2]
        what = f"approvals {_statuses(apps)}, cancels {_statuses(cans)}"
        mm.check_ledger(what)
        check(all(r.status in (303, 409) for r in resps), f"{what}: other statuses")
        check(sum(r.status == 303 for r in resps) == 1, f"{what}: not exactly one acted")
        state = rd.refund_row(rid)["state"]
        h = _check_order(no)["order"]["hold"]
        kinds = _txn_kinds(no)
        if any(r.status == 303 for r in apps):
            check(state == "refunded" and h["state"] == "refunded" and h["refunded"] == o["amount"],
                  f"{what}: approved, but refund {state}, hold {h}")
            check(kinds == {"hold": 1, "refund": 1}, f"{what}: txns {kinds}")
        else:
            check(state == "cancelled" and h["state"] == "held", f"{what}: cancelled, but "
                                                                 f"refund {state}, hold {h}")
            check(kinds == {"hold": 1}, f"{what}: txns {kinds}")
        outcomes.add(state)
    print(f"concurrency: approve/cancel races ended {sorted(outcomes)}", flush=True)
