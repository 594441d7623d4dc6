"""Sessions end on the server (issue 9): a copied cookie stops working after
logout, a password change or an admin's "end all sessions", for staff and
buyers; a hand-off link into another buyer's session asks first."""

import rd
from money_model import _run
from rd import check, expect_status
from test_desk import _login, _staff

STAFF_COOKIE = "rds"


def _copy(c):
    other = rd.Client()
    other.jar = dict(c.jar)
    return other


def test_staff_logout_ends_copied_cookie():
    login, pw = _staff("cs")
    c, r = _login(login, pw)
    expect_status(r, 303)
    stolen = _copy(c)
    expect_status(stolen.get("/desk"), 200)
    page = expect_status(c.get("/desk"), 200)
    expect_status(c.post_form("/desk/logout", {"csrf": rd.csrf_of(page)}), 303)
    r = stolen.get("/desk")
    check(r.status == 303 and "/desk/login" in (r.location() or ""), f"a copied cookie after logout: {r!r}")
    # A new login works again.
    c, r = _login(login, pw)
    expect_status(c.get("/desk"), 200)


def test_password_change_and_admin_end_all():
    login, pw = _staff("arbiter")
    c, _ = _login(login, pw)
    expect_status(c.get("/desk"), 200)
    p = _run(["staff", "passwd", "--login", login], input="another-" + pw + "\n")
    check(p.returncode == 0, f"staff passwd: {p.stdout}{p.stderr}")
    expect_status(c.get("/desk"), 303)
    c, _ = _login(login, "another-" + pw)
    expect_status(c.get("/desk"), 200)
    admin, apw = _staff("admin")
    a, _ = _login(admin, apw)
    page = expect_status(a.get("/desk"), 200)
    check(page.doc.by_id("admin") is not None, "the admin panel")
    expect_status(a.post_form("/desk/sessions/end", {"csrf": rd.csrf_of(page)}), 303)
    expect_status(c.get("/desk"), 303)
    expect_status(a.get("/desk"), 303)
    # Only an admin may.
    c, _ = _login(login, "another-" + pw)
    page = expect_status(c.get("/desk"), 200)
    expect_status(c.post_form("/desk/sessions/end", {"csrf": rd.csrf_of(page)}), 403)


def test_buyer_logout_ends_copied_cookie():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    stolen = _copy(c)
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    forms = [f for f in page.doc.find_all("form") if rd.route(f.get("action")) == "/refund/logout"]
    check(forms, "the status page has a logout button")
    before = rd.db_value(f"SELECT COUNT(*) FROM refunds WHERE public_id = {rd.q(rid)}")
    expect_status(c.post_form("/refund/logout", {"csrf": "0" * 64}), 403)     # CSRF first
    expect_status(stolen.get(f"/refund/{rid}"), 200)
    r = expect_status(c.post_form("/refund/logout", {"csrf": rd.csrf_of(page)}), 303)
    check(rd.COOKIE not in c.jar, f"logout clears the cookie: {r!r}")
    expect_status(stolen.get(f"/refund/{rid}"), 403, 404)
    # The form checks the cookie against the generation its own row reads.
    expect_status(stolen.get(f"/refund/new?order={o['order_no']}"), 403, 404)
    check(rd.db_value(f"SELECT COUNT(*) FROM refunds WHERE public_id = {rd.q(rid)}") == before, "refund kept")
    # A new hand-off (a link of its own: each works once) signs in again.
    c = rd.Client()
    expect_status(c.get(rd.start_link(o["order_no"], o["buyer_id"], ts=rd.now() - 5)), 303)
    expect_status(c.get(f"/refund/{rid}"), 200)


def test_handoff_into_another_buyers_session_asks_first():
    victim = rd.register()
    attacker = rd.register()
    c = rd.buyer_session(victim)
    mine = c.jar[rd.COOKIE]
    link = rd.start_link(attacker["order_no"], attacker["buyer_id"], ts=rd.now() - 3)
    r = expect_status(c.get(link), 200)
    check(r.doc.by_id("switch") is not None, "a confirm page")
    check(c.jar[rd.COOKIE] == mine, "the session was replaced without asking")
    form = [f for f in r.doc.find_all("form") if rd.route(f.get("action")) == "/refund/start"]
    check(form and form[0].get("method") == "post", "the switch is a POST")
    fields = {n.get("name"): n.get("value") for n in form[0].find_all("input") if n.get("name")}
    bad = dict(fields, csrf="0" * 64)
    expect_status(c.post_form("/refund/start", bad), 403)
    check(c.jar[rd.COOKIE] == mine, "a forged switch replaced the session")
    r = expect_status(c.post_form("/refund/start", fields), 303)
    check(c.jar[rd.COOKIE] != mine, "the confirmed switch did not switch")
    rd.open_form(c, attacker["order_no"])
    # The same buyer's own link needs no question.
    c2 = rd.Client()
    expect_status(c2.get(rd.start_link(victim["order_no"], victim["buyer_id"], ts=rd.now() - 7)), 303)
    expect_status(c2.get(rd.start_link(victim["order_no"], victim["buyer_id"], ts=rd.now() - 5)), 303)
