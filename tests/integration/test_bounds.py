"""Bounded buyer input and no decision by failure (issue 9): a refund takes a
capped number of buyer posts and files; every list a page or API answer shows
is capped in SQL with its total; the staff queue filters by role in SQL; a
deadline never approves a request that is anomalous."""

import json
import os
import secrets
import subprocess
import tempfile

import rd
from money_model import _run
from rd import check, expect_api_error, expect_status, q
from test_desk import _login, _staff


def _note(c, rid, note, files=()):
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    return c.post_multipart(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": note}, files)


def _worker_once():
    p = _run(["worker", "--once"])
    check(p.returncode == 0, f"worker --once: {p.stdout}{p.stderr}")


def _due_merchant_review(rid):
    rd.db("UPDATE refunds SET state = 'merchant_review', deadline = UNIX_TIMESTAMP() - 1 "
          f"WHERE public_id = {q(rid)}")


def _last_event(rid):
    return rd.db("SELECT e.state, e.actor, e.note FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                 f"WHERE r.public_id = {q(rid)} ORDER BY e.id DESC LIMIT 1")[0]


def test_note_flood_capped_and_sent_to_arbitration():
    cap = int(rd.config().get("limits", {}).get("buyer_posts_per_refund", 20))
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    for i in range(cap):
        expect_status(_note(c, rid, f"补充说明 {i}"), 303)
    before = rd.snapshot()
    r = expect_status(_note(c, rid, "再补充一次"), 429)
    check(str(cap) in r.text, "the refusal names the cap")
    rd.assert_unchanged(before, "a post over the cap")
    # The merchant's silence is not consent for it: arbitration, reason on the timeline.
    _due_merchant_review(rid)
    _worker_once()
    check(rd.refund_row(rid)["state"] == "arbitration", f"state {rd.refund_row(rid)['state']}")
    st, actor, note = _last_event(rid)
    check(actor == "system" and "仲裁" in note and "上限" in note, f"the reason on the timeline: {note}")


def test_clean_request_is_still_approved_by_merchant_silence():
    o = rd.used_card()
    rid = rd.new_refund(rd.buyer_session(o), o)
    _due_merchant_review(rid)
    _worker_once()
    check(rd.refund_row(rid)["state"] in ("approved", "refunding", "refunded"),
          f"a clean request after the merchant deadline: {rd.refund_row(rid)['state']}")


def test_files_capped_per_refund():
    cap = int(rd.config().get("limits", {}).get("files_per_refund", 20))
    per_post = int(rd.config()["limits"]["evidence_max_files"])
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)                    # one file
    have, i = 1, 0
    while have + per_post <= cap:
        files = [rd.File(rd.png(f"{rid}{i}{k}"), f"p{k}.png") for k in range(per_post)]
        expect_status(_note(c, rid, "更多截图", files), 303)
        have += per_post
        i += 1
    files = [rd.File(rd.png(f"{rid}x{k}"), f"x{k}.png") for k in range(per_post)]
    before = rd.snapshot()
    r = expect_status(_note(c, rid, "还有截图", files), 422)
    check(str(cap) in r.text, "the refusal names the file cap")
    rd.assert_unchanged(before, "files over the cap")


def test_flooded_timeline_pages_stay_up_capped():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    rd.db("INSERT INTO refund_events (refund_id, at, state, actor, note) "
          "SELECT r.id, UNIX_TIMESTAMP(), 'cs_review', 'buyer', REPEAT('洪', 1000) "
          f"FROM refunds r JOIN seq_1_to_5000 s WHERE r.public_id = {q(rid)}")
    total = int(rd.db_value("SELECT COUNT(*) FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                            f"WHERE r.public_id = {q(rid)}"))
    r = expect_status(c.get(f"/refund/{rid}"), 200)
    items = rd.timeline_items(r)
    check(len(items) == 200, f"the buyer's page shows {len(items)} events")
    shown = r.doc.by_id("timeline-total")
    check(shown is not None and str(total) in shown.text(), "the total is shown beside the capped list")
    j = expect_status(rd.api("GET", f"/api/v1/refunds/{rid}"), 200).json()["refund"]
    check(len(j["timeline"]) == 200 and j["timeline_total"] == total,
          f"API timeline {len(j['timeline'])} of {j.get('timeline_total')}")
    j = expect_status(rd.api("GET", f"/api/v1/orders/{o['order_no']}"), 200).json()
    check(all(len(x["timeline"]) <= 200 for x in j["refunds"]), "order answer capped")
    login, pw = _staff("admin")
    s, r = _login(login, pw)
    r = expect_status(s.get(f"/desk/refund/{rid}"), 200)
    check(len(rd.timeline_items(r)) == 200, "the desk page is capped")
    # A timeline longer than any page shows is anomalous: no decision by silence.
    _due_merchant_review(rid)
    _worker_once()
    check(rd.refund_row(rid)["state"] == "arbitration", f"state {rd.refund_row(rid)['state']}")


def test_queue_role_filter_is_in_sql():
    """205 cs_review requests due sooner must not hide a merchant's own
    merchant_review request (the old query took LIMIT 200 over every open
    state and filtered by role in C)."""
    merchant = rd.unique("mq").lower()
    o = rd.used_card(merchant_id=merchant)
    rid = rd.new_refund(rd.buyer_session(o), o)
    rd.db("UPDATE refunds SET state = 'merchant_review', deadline = UNIX_TIMESTAMP() + 48 * 3600 "
          f"WHERE public_id = {q(rid)}")
    filler = rd.used_card(merchant_id=merchant)      # cs_review requests of the same shop
    prefix = "Q" + secrets.token_hex(4)
    rd.db("INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, reason, requested, "
          "fee, refund_amount, deadline, idem, created_at, updated_at) "
          f"SELECT CONCAT({q(prefix)}, LPAD(s.seq, 13, '0')), o.id, o.buyer_id, 'invalid_item', 'cs_review', "
          "'original', 'filler', o.amount, 0, o.amount, UNIX_TIMESTAMP() + 3600, CONCAT('f', s.seq), "
          "UNIX_TIMESTAMP(), UNIX_TIMESTAMP() "
          f"FROM orders o JOIN seq_1_to_205 s WHERE o.order_no = {q(filler['order_no'])}")
    try:
        login, pw = _staff("merchant", merchant=merchant)
        c, r = _login(login, pw)
        r = expect_status(c.get("/desk"), 200)
        check(f"/desk/refund/{rid}" in r.text, "the merchant's request is hidden behind 205 cs_review ones")
        login, pw = _staff("cs")
        c, r = _login(login, pw)
        r = expect_status(c.get("/desk"), 200)
        total = r.doc.by_id("queue-total")
        check(total is not None and int(total.text().split()[1]) >= 205, "the cs queue shows its total")
    finally:
        rd.db(f"DELETE FROM refunds WHERE public_id LIKE {q(prefix + '%')}")


def test_merchant_sees_only_its_own_history_of_the_buyer():
    m1, m2 = rd.unique("ma").lower(), rd.unique("mb").lower()
    a = rd.used_card(merchant_id=m1)
    b = rd.used_card(merchant_id=m2, buyer_id=a["buyer_id"])
    ra = rd.new_refund(rd.buyer_session(a), a)
    rd.new_refund(rd.buyer_session(b), b)
    login, pw = _staff("merchant", merchant=m1)
    c, r = _login(login, pw)
    r = expect_status(c.get(f"/desk/refund/{ra}"), 200)
    hist = r.doc.by_id("history")
    check(hist is not None and "共 1 条" in hist.text(), f"merchant history: {hist.text() if hist else None}")
    login, pw = _staff("admin")
    c, r = _login(login, pw)
    hist = expect_status(c.get(f"/desk/refund/{ra}"), 200).doc.by_id("history")
    check(hist is not None and "共 2 条" in hist.text(), f"admin history: {hist.text() if hist else None}")


def _cgi(cfg_over, method, path, cookie="", body=b"", addr=None):
    return _cgi_run(cfg_over, method, path, cookie, body, addr)[0]


def _cgi_run(cfg_over, method, path, cookie="", body=b"", addr=None, section="limits"):
    """The binary as plain CGI with a copy of the stack's config: the limits
    the test stack keeps loose (RD_BUYER_POSTS ...) set tight for one request
    (section "risk": the risk limits the stack keeps off)."""
    with open(rd.env("RD_CONFIG")) as f:
        cfg = json.load(f)
    cfg[section].update(cfg_over)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        env = {"REFUND_DESK_CONFIG": f.name, "REMOTE_ADDR": addr or rd.elsewhere(),
               "GATEWAY_INTERFACE": "CGI/1.1", "PATH": "/usr/bin:/bin", "REQUEST_METHOD": method,
               "PATH_INFO": path, "HTTP_COOKIE": cookie,
               "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body))}
        p = subprocess.run([rd.env("RD_BIN")], input=body, env=env, capture_output=True, timeout=30)
    finally:
        os.unlink(f.name)
    head, _, page = p.stdout.partition(b"\r\n\r\n")
    head = head.decode()
    return (int(head.split()[1]) if head.startswith("Status:") else 0), page.decode(errors="replace"), \
        p.stderr.decode(errors="replace")


def test_buyer_posts_rate_limited_per_session_and_address():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    cookie = f"{rd.COOKIE}={c.jar[rd.COOKIE]}"
    # The session has spent one POST already (the request itself).
    tight = {"buyer_posts_per_minute": 4, "buyer_posts_per_minute_per_ip": 5}
    got = [_cgi(tight, "POST", f"/refund/{rid}/cancel", cookie, b"csrf=forged") for _ in range(4)]
    check(got == [403, 403, 403, 429], f"per session: {got}")
    addr = rd.elsewhere()
    got = [_cgi(tight, "POST", "/refund/new", "", b"csrf=forged", addr=addr) for _ in range(6)]
    check(got[:5] == [403] * 5 and got[5] == 429, f"per address: {got}")
    check(rd.refund_row(rid)["state"] != "cancelled", "nothing was cancelled")


def test_forged_cookie_is_refused_as_forged_not_counted_as_its_session():
    """A buyer POST spends the session's budget on the SID its cookie claims
    before the MAC is checked (one round trip for the admission, issue 12):
    a forged cookie is refused as a bad session however many it sends, never
    429 for the session it names (whose budget it can only spend knowing the
    SID, that is, holding the cookie)."""
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    value = c.jar[rd.COOKIE]
    forged = value[:-1] + ("0" if value[-1] != "0" else "1")
    tight = {"buyer_posts_per_minute": 3, "buyer_posts_per_minute_per_ip": 100}
    addr = rd.elsewhere()
    got = [_cgi(tight, "POST", f"/refund/{rid}/cancel", f"{rd.COOKIE}={forged}", b"csrf=forged", addr=addr)
           for _ in range(3)]
    check(all(g != 429 for g in got) and all(g >= 400 for g in got), f"forged cookie: {got}")
    check(rd.refund_row(rid)["state"] != "cancelled", "nothing was cancelled")


def test_unrendered_or_risky_request_goes_to_arbitration():
    """A request a page of which failed to render (anomalies bit 1, set when
    a refund page ran out of memory) or with risk flags is not approved by
    the merchant's silence."""
    for col, val, word in (("anomalies", 1, "无法完整显示"), ("risk_flags", 4, "风控")):
        o = rd.used_card()
        rid = rd.new_refund(rd.buyer_session(o), o)
        rd.db(f"UPDATE refunds SET {col} = {val} WHERE public_id = {q(rid)}")
        _due_merchant_review(rid)
        _worker_once()
        check(rd.refund_row(rid)["state"] == "arbitration", f"{col}: state {rd.refund_row(rid)['state']}")
        check(word in _last_event(rid)[2], f"{col}: reason {_last_event(rid)[2]}")


def test_page_over_its_memory_is_a_logged_503_and_never_decided_by_silence():
    """An arena exhaustion (request_memory set low in a copy of the config) is
    a 503 with a log line, marks the refund, and its merchant deadline then
    sends it to arbitration."""
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    rd.db("INSERT INTO refund_events (refund_id, at, state, actor, note) "
          "SELECT r.id, UNIX_TIMESTAMP(), 'cs_review', 'buyer', REPEAT('洪', 1000) "
          f"FROM refunds r JOIN seq_1_to_100 s WHERE r.public_id = {q(rid)}")
    status, page, log = _cgi_run({"request_memory": 65536}, "GET", f"/refund/{rid}",
                                 f"{rd.COOKIE}={c.jar[rd.COOKIE]}")
    check(status == 503, f"a page over its memory: {status} {page[:200]!r}")
    check("request memory exhausted" in log and "route=status" in log, f"the log line: {log[-300:]!r}")
    check(rd.db_value(f"SELECT anomalies & 1 FROM refunds WHERE public_id = {q(rid)}") == "1", "not marked")
    expect_status(c.get(f"/refund/{rid}"), 200)         # with the stack's own memory it renders
    _due_merchant_review(rid)
    _worker_once()
    check(rd.refund_row(rid)["state"] == "arbitration", f"state {rd.refund_row(rid)['state']}")
    check("无法完整显示" in _last_event(rid)[2], f"reason {_last_event(rid)[2]}")
