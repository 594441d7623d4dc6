"""How buyers get in (CONTRACT.md §3): the storefront's signed hand-off link and
the guest look-up. Refused attempts leave no session and no rows."""

import re
import urllib.parse

import rd
from rd import check, expect_status


def _no_session(r, what):
    check(not r.sets_session(), f"{what}: a session cookie was set: {r.headers_all('Set-Cookie')}")


def test_link_valid_sets_session_and_redirects():
    o = rd.register()
    c = rd.Client()
    r = expect_status(c.get(rd.start_link(o["order_no"], o["buyer_id"])), 303)
    check(r.location() == "/refund/new?order=" + urllib.parse.quote(o["order_no"]),
          f"Location is {r.location()!r}")
    cookies = r.cookies()
    check(rd.COOKIE in cookies, f"no '{rd.COOKIE}' cookie: {r.headers_all('Set-Cookie')}")
    value, attrs = cookies[rd.COOKIE]
    check(value, "empty session cookie")
    check(attrs.get("httponly") is True, f"session cookie is not HttpOnly: {attrs}")
    check(str(attrs.get("samesite", "")).lower() == "lax", f"session cookie SameSite: {attrs}")
    check(attrs.get("path") == (rd.mount() or "/"), f"session cookie Path: {attrs}")
    form = rd.open_form(c, o["order_no"])
    check(o["order_no"] in form.text, "the form page does not show the order number")


def test_link_tampered_403():
    o = rd.register()
    no, buyer, ts = o["order_no"], o["buyer_id"], rd.now()
    good = rd.link_signature(no, buyer, ts)
    other = rd.register()
    before = rd.snapshot()
    bad = {
        "flipped signature": rd.start_link(no, buyer, ts, sig=good[:-1] + ("0" if good[-1] != "0" else "1")),
        "other secret": rd.start_link(no, buyer, ts, secret="e" * 64),
        "other buyer": "/refund/start?" + urllib.parse.urlencode(
            [("order", no), ("buyer", other["buyer_id"]), ("ts", ts), ("sig", good)]),
        "other order": "/refund/start?" + urllib.parse.urlencode(
            [("order", other["order_no"]), ("buyer", buyer), ("ts", ts), ("sig", good)]),
        "ts changed": "/refund/start?" + urllib.parse.urlencode(
            [("order", no), ("buyer", buyer), ("ts", ts + 1), ("sig", good)]),
        "no signature": "/refund/start?" + urllib.parse.urlencode(
            [("order", no), ("buyer", buyer), ("ts", ts)]),
    }
    for what, path in bad.items():
        c = rd.Client()
        r = expect_status(c.get(path), 403)
        _no_session(r, what)
        check(rd.COOKIE not in c.jar, f"{what}: cookie in jar")
    rd.assert_unchanged(before, "tampered links")


def test_link_expired_403():
    o = rd.register()
    before = rd.snapshot()
    r = rd.Client().get(rd.start_link(o["order_no"], o["buyer_id"], ts=rd.now() - 16 * 60))
    expect_status(r, 403)
    _no_session(r, "16 minutes old")
    rd.assert_unchanged(before, "expired link")


def test_link_replayed_403():
    o = rd.register()
    link = rd.start_link(o["order_no"], o["buyer_id"])
    expect_status(rd.Client().get(link), 303)
    before = rd.snapshot()
    r = rd.Client().get(link)
    expect_status(r, 403)
    _no_session(r, "replayed link")
    rd.assert_unchanged(before, "replayed link")


def test_no_session_no_form():
    o = rd.register()
    r = rd.Client().get("/refund/new?order=" + o["order_no"])
    check(r.status != 200 or "csrf" not in r.text,
          f"the form is served without a session: {r!r}")
    check(o["title"] not in r.text, "the order title is shown without a session")


def _lookup(c, order_no, contact, code):
    page = c.get("/refund/lookup")
    expect_status(page, 200)
    fields = {"order_no": order_no, "contact": contact, "lookup_code": code}
    token = page.doc.hidden("csrf")
    if token:
        fields["csrf"] = token
    return c.post_form("/refund/lookup", fields)


def _normalised(r):
    # Entered values may be echoed back in value="..." attributes and a form
    # may carry a fresh token: compare everything else.
    return re.sub(r'value="[^"]*"', 'value=""', r.text)


def test_lookup_uniform_error():
    o = rd.register()
    other = rd.register()
    before = rd.snapshot()
    tries = {
        "wrong order": (other["order_no"], o["contact"], o["lookup_code"]),
        "unknown order": (rd.unique("NX"), o["contact"], o["lookup_code"]),
        "wrong contact": (o["order_no"], "someone@example.com", o["lookup_code"]),
        "wrong code": (o["order_no"], o["contact"], o["lookup_code"] + "x"),
    }
    seen = {}
    addr = rd.elsewhere()
    for what, args in tries.items():
        c = rd.Client(source=addr)
        r = _lookup(c, *args)
        check(r.status not in (301, 302, 303), f"{what}: redirected like a success: {r!r}")
        _no_session(r, what)
        seen[what] = (r.status, _normalised(r))
    first = next(iter(seen.values()))
    for what, got in seen.items():
        check(got[0] == first[0], f"status differs: {what} {got[0]} vs {first[0]}")
        check(got[1] == first[1], f"body differs for {what} (an oracle for which part was wrong)")
    # Only failure bookkeeping may have been written.
    after = rd.snapshot()
    for t in after:
        if t not in ("lookup_failures", "budgets"):
            check(after[t] == before.get(t), f"{t} changed {before.get(t)} -> {after[t]}")


def test_lookup_right_opens_session_for_that_order():
    o = rd.register()
    sibling = rd.register(buyer_id=o["buyer_id"])
    c = rd.Client(source=rd.elsewhere())
    r = _lookup(c, o["order_no"], o["contact"], o["lookup_code"])
    expect_status(r, 303)
    check(rd.COOKIE in c.jar, f"no session after a right look-up: {r!r}")
    value, attrs = r.cookies()[rd.COOKIE]
    check(attrs.get("httponly") is True and str(attrs.get("samesite", "")).lower() == "lax",
          f"cookie attributes {attrs}")
    rd.open_form(c, o["order_no"])
    # A guest session is for the one order looked up, not the buyer's others.
    r = c.get("/refund/new?order=" + sibling["order_no"])
    expect_status(r, 403, 404)
    check(sibling["title"] not in r.text or sibling["order_no"] not in r.text,
          "a guest session opened another order of the buyer")


def test_lookup_failures_limited_per_address():
    o = rd.register()
    limit = int(rd.config()["limits"]["lookup_failures_per_hour"])
    check(limit <= 200, f"lookup_failures_per_hour={limit} is too large to test")
    addr = rd.elsewhere()
    for i in range(limit):
        # Unknown orders: one order's own lockout (lookup_failures_per_order)
        # would otherwise come first.
        r = _lookup(rd.Client(source=addr), rd.unique("NX"), o["contact"], f"wrong{i}")
        check(r.status not in (301, 302, 303) and r.status != 429,
              f"failure {i + 1} of {limit}: {r!r}")
    # Over the limit even the right code is refused, and says so.
    c = rd.Client(source=addr)
    r = _lookup(c, o["order_no"], o["contact"], o["lookup_code"])
    expect_status(r, 429)
    _no_session(r, "over the limit")
    # Another address is not affected.
    c = rd.Client(source=rd.elsewhere())
    expect_status(_lookup(c, o["order_no"], o["contact"], o["lookup_code"]), 303)
