"""Staff login budgets and password rules (issue 9): failed logins spend their
own budgets (per address, per account), never the guest look-ups'; an account
over its budget is locked for a while and admins see it; 40 parallel attempts
never evaluate more passwords than the budget; `staff add` refuses short,
common and over-long passwords."""

import concurrent.futures
import os

import rd
from money_model import _run
from rd import check, expect_status
from test_desk import _login, _staff


def test_lookup_failures_do_not_lock_staff_out():
    src = rd.elsewhere()
    limit = int(rd.config()["limits"]["lookup_failures_per_hour"])
    o = rd.register()
    for i in range(limit + 1):
        c = rd.Client(source=src)
        form = expect_status(c.get("/refund/lookup"), 200)
        c.post_form("/refund/lookup", {"csrf": rd.csrf_of(form), "order_no": rd.unique("NX"),
                                       "contact": o["contact"], "lookup_code": f"wrong{i}"})
    c = rd.Client(source=src)
    form = c.get("/refund/lookup")
    r = c.post_form("/refund/lookup", {"csrf": rd.csrf_of(form), "order_no": o["order_no"],
                                       "contact": o["contact"], "lookup_code": o["lookup_code"]})
    expect_status(r, 429)
    login, pw = _staff("cs")
    c, r = _login(login, pw, rd.Client(source=src))
    expect_status(r, 303)


def test_account_lockout_and_admin_notice():
    login, pw = _staff("cs")
    per_account = int(rd.config().get("limits", {}).get("login_failures_per_account", 5))
    for i in range(per_account):
        _, r = _login(login, f"wrong-{i}-{pw}", rd.Client(source=rd.elsewhere()))
        expect_status(r, 422)
    # From a fresh address, even the right password waits the lockout out.
    _, r = _login(login, pw, rd.Client(source=rd.elsewhere()))
    expect_status(r, 429)
    check(r.header("Retry-After"), "a Retry-After")
    check("15 分钟" in r.text, "the first lockout lasts 15 minutes")
    # Backoff: once that window is over, the next lockout lasts twice as long.
    rd.db(f"UPDATE budgets SET window_start = window_start - 2000 WHERE k = {rd.q('login:' + login)}")
    for i in range(per_account):
        expect_status(_login(login, f"again-{i}-{pw}", rd.Client(source=rd.elsewhere()))[1], 422)
    r = expect_status(_login(login, pw, rd.Client(source=rd.elsewhere()))[1], 429)
    check("30 分钟" in r.text, "the second lockout lasts 30 minutes")
    with open(rd.app_log(), errors="replace") as f:
        check(f"account {login} locked" in f.read(), "the lockout is logged")
    admin, apw = _staff("admin")
    c, _ = _login(admin, apw)
    page = expect_status(c.get("/desk"), 200)
    locks = page.doc.by_id("login-locks")
    check(locks is not None and login in locks.text(), "admins see the locked account")
    # Other accounts are not affected.
    other, opw = _staff("cs")
    expect_status(_login(other, opw, rd.Client(source=rd.elsewhere()))[1], 303)


def test_parallel_attempts_never_exceed_the_budget():
    src = rd.elsewhere()
    limit = 20                                   # login_failures_per_hour (the default)
    forms = []
    for _ in range(40):
        c = rd.Client(source=src)
        form = expect_status(c.get("/desk/login"), 200)
        forms.append((c, rd.csrf_of(form)))

    def attempt(i):
        c, csrf = forms[i]
        return c.post_form("/desk/login", {"csrf": csrf, "login": rd.unique("nobody").lower(),
                                           "password": "wrong-password-123"}).status

    with concurrent.futures.ThreadPoolExecutor(40) as ex:
        got = list(ex.map(attempt, range(40)))
    evaluated = got.count(422)
    check(evaluated <= limit, f"{evaluated} passwords evaluated against a budget of {limit}: {got}")
    # 503: no password slot came free in time (the unit is given back).
    check(set(got) <= {422, 429, 503} and got.count(429) + got.count(503) >= 40 - limit, f"statuses {got}")
    used = int(rd.db_value(f"SELECT used FROM budgets WHERE k = {rd.q('login-ip:' + src)}"))
    check(used <= limit + (40 - evaluated), f"budget used {used}")


def _add(role, login, password, merchant=None):
    args = ["staff", "add", "--role", role, "--login", login] + (["--merchant", merchant] if merchant else [])
    return _run(args, input=password + "\n")


def test_staff_add_password_rules():
    for pw, why in (("12345678", "short"), ("Abcdef12345", "11 characters"),
                    ("123456789012", "common"), ("Password1234", "common, any case"),
                    ("aaaaaaaaaaaaaaaa", "one character"), ("x" * 200 + "y" * 57, "257 bytes")):
        login = rd.unique("pw").lower()
        p = _add("admin", login, pw)
        check(p.returncode != 0, f"{why} password accepted: {p.stdout}")
        check(rd.db_value(f"SELECT COUNT(*) FROM staff WHERE login = {rd.q(login)}") == "0", why)
    # 256 bytes is the longest, accepted whole: that exact password logs in.
    login = rd.unique("pw").lower()
    long_pw = "x" * 200 + "z" * 56
    p = _add("cs", login, long_pw)
    check(p.returncode == 0, f"a 256-byte password: {p.stderr}")
    expect_status(_login(login, long_pw)[1], 303)
    expect_status(_login(login, long_pw[:-1])[1], 422)
