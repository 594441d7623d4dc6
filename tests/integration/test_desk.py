"""The staff console (CONTRACT.md §4) at its edges: who may see and decide
what, and every refusal on the way in."""

import rd
from money_model import _run, check_ledger
from rd import check, expect_status


def _staff(role, merchant=None):
    login = rd.unique(role).lower()
    password = "pw-" + rd.unique("p")
    args = ["staff", "add", "--role", role, "--login", login]
    if merchant:
        args += ["--merchant", merchant]
    p = _run(args, input=password + "\n")
    check(p.returncode == 0, f"staff add {role}: {p.stdout}{p.stderr}")
    return login, password


def _login(login, password, client=None):
    c = client or rd.Client()
    form = expect_status(c.get("/desk/login"), 200)
    r = c.post_form("/desk/login", {"csrf": rd.csrf_of(form), "login": login, "password": password})
    return c, r


def _review_refund(merchant="m-test"):
    """An invalid_item claim in cs_review for an order of merchant."""
    o = rd.used_card(merchant_id=merchant)
    return o, rd.new_refund(rd.buyer_session(o), o)


def test_login_refusals():
    # Failed logins spend the per-address budget: spend another address's.
    src = rd.elsewhere()
    login, password = _staff("cs")
    c, r = _login(login, "wrong-" + password, rd.Client(source=src))
    expect_status(r, 422)
    check(r.doc.by_id("err-login") is not None, "a wrong password says so")
    expect_status(c.get("/desk"), 303)              # no session after a wrong password
    _, r = _login("no-such-" + login, password, rd.Client(source=src))
    expect_status(r, 422)
    n = rd.db_value(f"SELECT used FROM budgets WHERE k = {rd.q('login-ip:' + src)}")
    check(n == "2", f"both failures counted against {src}: {n}")
    n = rd.db_value(f"SELECT COUNT(*) FROM lookup_failures WHERE client_ip = {rd.q(src)}")
    check(n == "0", f"login failures are not guest look-up failures: {n}")
    # The form's token belongs to its own pre-login cookie.
    c = rd.Client()
    c.get("/desk/login")
    expect_status(c.post_form("/desk/login", {"csrf": "0" * 64, "login": login, "password": password}), 403)
    # A buyer's cookie is not a staff cookie, whatever its name.
    o = rd.register()
    b = rd.buyer_session(o)
    forged = rd.Client()
    forged.jar["rds"] = b.jar["rd"]
    check(forged.get("/desk").status == 303, "a buyer session must not open the desk")


def test_merchants_see_only_their_own_orders():
    _, rid = _review_refund(merchant="m-other")
    login, password = _staff("merchant", merchant="m-test")
    c, r = _login(login, password)
    expect_status(r, 303)
    check(rid not in c.get("/desk").text, "another merchant's request listed")
    expect_status(c.get(f"/desk/refund/{rid}"), 404)
    expect_status(c.get(f"/desk/refund/{rid}/evidence/1"), 404)


def test_roles_decide_only_their_states():
    o, rid = _review_refund()
    merchant, mpw = _staff("merchant", merchant="m-test")
    cs, cpw = _staff("cs")
    m, _ = _login(merchant, mpw)
    csrf = rd.csrf_of(m.get("/desk"))
    before = rd.snapshot()
    # cs_review is customer service's: the merchant gets 409 and nothing moves.
    expect_status(m.post_form(f"/desk/refund/{rid}/decision",
                              {"csrf": csrf, "action": "approve", "confirm": "1"}), 409)
    rd.assert_unchanged(before, "a merchant deciding in cs_review")
    c, _ = _login(cs, cpw)
    ccsrf = rd.csrf_of(c.get("/desk"))
    expect_status(c.post_form(f"/desk/refund/{rid}/decision", {"csrf": "f" * 64, "action": "escalate"}), 403)
    expect_status(c.post_form(f"/desk/refund/{rid}/decision", {"csrf": ccsrf, "action": "reject"}), 422)
    expect_status(c.post_form(f"/desk/refund/{rid}/decision", {"csrf": ccsrf, "action": "fly"}), 422)
    rd.assert_unchanged(before, "refused decisions")
    expect_status(c.post_form(f"/desk/refund/{rid}/decision",
                              {"csrf": ccsrf, "action": "escalate", "confirm": "1"}), 303)
    check(rd.refund_row(rid)["state"] == "merchant_review", "escalated to the merchant")
    # Now it is the merchant's; an amount over what may be refunded is refused.
    r = m.post_form(f"/desk/refund/{rid}/decision",
                    {"csrf": csrf, "action": "approve", "amount": "100.01", "confirm": "1"})
    expect_status(r, 422)
    expect_status(m.post_form(f"/desk/refund/{rid}/decision",
                              {"csrf": csrf, "action": "approve", "amount": "40", "confirm": "1"}), 303)
    row = rd.db(f"SELECT state, refund_amount FROM refunds WHERE public_id = {rd.q(rid)}")[0]
    check(row == ["refunding", "4000"], f"partial approval on the original path: {row}")
    # A second click on the same decision changes nothing.
    before = rd.snapshot()
    expect_status(m.post_form(f"/desk/refund/{rid}/decision",
                              {"csrf": csrf, "action": "approve", "amount": "40", "confirm": "1"}), 409)
    rd.assert_unchanged(before, "a second approval")
    check_ledger("staff decisions")


def test_logout_ends_the_session():
    login, password = _staff("arbiter")
    c, r = _login(login, password)
    expect_status(r, 303)
    csrf = rd.csrf_of(c.get("/desk"))
    expect_status(c.post_form("/desk/logout", {"csrf": csrf}), 303)
    check(c.get("/desk").status == 303, "the desk after logout sends to the login page")
