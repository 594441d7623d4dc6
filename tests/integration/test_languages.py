"""Languages (issue 10, i10-i18n): the converted pages answer in English for
`Accept-Language: en` and for the `lang=en` cookie (no CJK left in their
visible text, <html lang="en">), and in Chinese by default; the switch on
every page sets the cookie and returns to the same page, never off the site."""

import html
import re

import rd
from rd import check, expect_status

CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# The pages converted so far: path, a Chinese and an English heading.
CONVERTED = {"/": ("查询订单，申请退款", "Find your order"),
             "/refund/lookup": ("查询订单，申请退款", "Find your order"),
             "/desk/login": ("客服 / 商家 / 仲裁 工作台", "Support / merchant / arbiter desk")}


def visible_text(page):
    """The page's text as read: tags, scripts and styles gone, the language
    switch (which names the other language in that language) left out."""
    t = re.sub(r'<a [^>]*id="lang-switch"[^>]*>.*?</a>', " ", page, flags=re.S)
    t = re.sub(r"<(script|style)\b.*?</\1>", " ", t, flags=re.S)
    t = re.sub(r"<[^>]+>", " ", t)
    return html.unescape(t)


def html_lang(page):
    m = re.search(r'<html lang="([^"]+)"', page)
    return m.group(1) if m else None


def check_english(resp, what, text_of=visible_text):
    page = resp.text
    check(html_lang(page) == "en", f"{what}: <html lang> is {html_lang(page)}")
    left = CJK.findall(text_of(page))
    check(not left, f"{what}: Chinese left in the English page: {''.join(left)[:80]}")
    sw = resp.doc.by_id("lang-switch")
    check(sw is not None and "to=zh_CN" in sw.get("href"), f"{what}: no switch back to Chinese")


def test_converted_pages_default_to_chinese():
    for path in CONVERTED:
        for accept in (None, "zh-CN,zh;q=0.9", "fr, de;q=0.5", "en;q=0"):
            h = {"Accept-Language": accept} if accept else {}
            r = expect_status(rd.Client().get(path, headers=h), 200)
            check(html_lang(r.text) == "zh-CN", f"{path} {accept}: <html lang> {html_lang(r.text)}")
            zh, en = CONVERTED[path]
            check(zh in r.text and en not in r.text, f"{path} {accept}: not Chinese")
            sw = r.doc.by_id("lang-switch")
            check(sw is not None and "to=en" in sw.get("href") and sw.text() == "English",
                  f"{path}: the switch to English is missing")


def test_converted_pages_in_english_by_accept_language():
    for path in CONVERTED:
        for accept in ("en", "en-US,en;q=0.9,zh-CN;q=0.8", "zh;q=0.3, en-GB;q=0.7"):
            r = expect_status(rd.Client().get(path, headers={"Accept-Language": accept}), 200)
            check_english(r, f"{path} ({accept})")
            check(CONVERTED[path][1] in r.text, f"{path}: the English heading is missing")


def test_switch_sets_the_cookie_and_returns():
    c = rd.Client()
    r = expect_status(c.get("/lang?to=en&back=%2Frefund%2Flookup", headers={"Accept-Language": "zh-CN"}), 303)
    check(r.location().endswith("/refund/lookup"), f"back to the page: {r.location()}")
    check(c.jar.get("lang") == "en", f"the cookie: {c.jar}")
    # The cookie wins over the header.
    for path in CONVERTED:
        check_english(expect_status(c.get(path, headers={"Accept-Language": "zh-CN"}), 200), f"{path} (cookie)")
    # The page's own switch link leads back to Chinese and to the same page.
    page = expect_status(c.get("/refund/lookup"), 200)
    href = html.unescape(page.doc.by_id("lang-switch").get("href"))
    r = expect_status(c.get(href), 303)
    check(r.location().endswith("/refund/lookup"), f"back: {r.location()}")
    check(c.jar.get("lang") == "zh_CN", f"the cookie: {c.jar}")
    r = expect_status(c.get("/refund/lookup", headers={"Accept-Language": "en"}), 200)
    check(html_lang(r.text) == "zh-CN" and "查询订单" in r.text, "lang=zh_CN beats Accept-Language: en")


def test_switch_never_leaves_the_site():
    c = rd.Client()
    for back in ("//evil.example/x", "/%5Cevil.example", "https://evil.example/", "/a%0d%0aX-Evil:%201",
                 "/a%22%3E%3Cscript%3E"):
        r = expect_status(c.get(f"/lang?to=en&back={back}"), 303)
        loc = r.location()
        check(loc.endswith("/refund/lookup") and "evil" not in loc, f"back={back}: to {loc}")
        check(r.header("X-Evil") is None, f"back={back}: a header was injected")
    c = rd.Client()
    for to in ("", "fr", "en%0d%0aX:1"):
        r = expect_status(c.get(f"/lang?to={to}&back=/refund/lookup"), 400)
        check("lang" not in c.jar, f"to={to}: a cookie was set: {c.jar}")


def test_failed_lookup_in_english_keeps_values():
    c = rd.Client()
    page = expect_status(c.get("/refund/lookup", headers={"Accept-Language": "en"}), 200)
    r = c.post_form("/refund/lookup", {"csrf": rd.csrf_of(page), "order_no": rd.unique("NOPE"),
                                      "contact": "nobody@example.com", "lookup_code": "WRONGCODE1"},
                    headers={"Accept-Language": "en"})
    expect_status(r, 422)
    check_english(r, "the failed lookup")
    check("is not right" in r.text, "the English error banner")
    check(r.doc.field_value("contact") == "nobody@example.com", "the contact is kept")


def test_failed_sign_in_in_english():
    c = rd.Client()
    page = expect_status(c.get("/desk/login", headers={"Accept-Language": "en"}), 200)
    r = c.post_form("/desk/login", {"csrf": rd.csrf_of(page), "login": rd.unique("nobody"),
                                   "password": "not-the-password"}, headers={"Accept-Language": "en"})
    expect_status(r, 422)
    check_english(r, "the failed sign-in")
    check("Wrong login or password." in r.text, "the English error banner")
    # An expired form: the error page in English too.
    r = expect_status(rd.Client().post_form("/desk/login", {"csrf": "x", "login": "a", "password": "b"},
                                            headers={"Accept-Language": "en"}), 403)
    check_english(r, "the expired sign-in form")


# ---------------------------------------------------------------- every buyer page (i10-lang-buyer)
# Each buyer GET route of `refund-desk routes`, and the pages a buyer's POST
# answers with (confirm steps, 413 / 415 forms again, error pages), in
# English by header and by cookie, and in Chinese by default. The buyer's
# own data is ASCII here, so any CJK left is page text.

from test_buyer_pages import _approve              # noqa: E402
from test_desk_money import _cs, _decide          # noqa: E402

EN_TITLE = "Game card 100"
EN_REASON = "The card key says it is invalid when I redeem it, so I cannot use it."
# Routes a buyer never sees a page of: files, scripts, machines, the switch.
NOT_PAGES = ("css", "js", "js-time", "desk-js", "healthz", "metrics", "lang", "evidence")


def _en_order(**over):
    return rd.used_card(title=EN_TITLE, merchant_id="m-test", **over)


def _en_refund(c, o):
    form = rd.open_form(c, o["order_no"])
    files = [rd.File(rd.png(o["order_no"]), "screenshot.png", "image/png")]
    return rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"], reason=EN_REASON), files))


def buyer_visible_text(page):
    """visible_text and the attributes people read (placeholder, aria-label,
    alt, title: DESK_ATTRS below)."""
    return visible_text(page) + " " + " ".join(html.unescape(a) for a in DESK_ATTRS.findall(page))


def _three_ways(what, status, fetch):
    """fetch(headers, lang_cookie) -> a response: English by header, English
    by cookie (beating a Chinese header), Chinese by default."""
    r = expect_status(fetch({"Accept-Language": "en-US,en;q=0.9"}, None), status)
    check_english(r, f"{what} (Accept-Language)", buyer_visible_text)
    r = expect_status(fetch({"Accept-Language": "zh-CN"}, "en"), status)
    check_english(r, f"{what} (cookie)", buyer_visible_text)
    r = expect_status(fetch({}, None), status)
    check(html_lang(r.text) == "zh-CN", f"{what}: <html lang> {html_lang(r.text)} by default")
    check(CJK.search(visible_text(r.text)), f"{what}: no Chinese by default")


def _get_three_ways(what, c, path, status=200):
    def fetch(headers, cookie):
        if cookie:
            c.jar["lang"] = cookie
        try:
            return c.get(path, headers=headers)
        finally:
            c.jar.pop("lang", None)
    _three_ways(what, status, fetch)


def _post_three_ways(what, c, path, fields, status, files=None, page=None):
    """A POST's answer three ways; fields' csrf is read from page (a GET of
    the form) each time, as a browser would."""
    def fetch(headers, cookie):
        if cookie:
            c.jar["lang"] = cookie
        try:
            f = dict(fields)
            if page is not None:
                f["csrf"] = rd.csrf_of(c.get(page))
            if files is not None:
                return c.post_multipart(path, f, files, headers=headers)
            return c.post_form(path, f, headers=headers)
        finally:
            c.jar.pop("lang", None)
    _three_ways(what, status, fetch)


def _buyer_get_routes():
    return {name: pattern for method, pattern, name, _ in rd.routes()
            if method == "GET" and not pattern.startswith(("/desk", "/api")) and name not in NOT_PAGES}


def test_every_buyer_get_page_in_both_languages():
    o = _en_order()
    no = o["order_no"]
    buyer = rd.buyer_session(o)
    rid = _en_refund(buyer, o)
    # A second buyer's link in the same browser: the switch page.
    other = _en_order()
    # A fresh order, delivered and held: the form with 确认收货.
    fresh = rd.register(title=EN_TITLE, merchant_id="m-test")
    rd.deliver(fresh["order_no"])
    fresh_c = rd.buyer_session(fresh)
    rejected_o = _en_order()
    rej_c = rd.buyer_session(rejected_o)
    rej = _en_refund(rej_c, rejected_o)
    cs, csrf, _ = _cs()
    expect_status(_decide(cs, rej, {"csrf": csrf, "action": "reject", "note": "The proof does not show the key is invalid.",
                                    "confirm": "1"}), 303)
    part_o = _en_order()
    part_c = rd.buyer_session(part_o)
    part = _en_refund(part_c, part_o)
    _approve(part, "40")
    info_o = _en_order()
    info_c = rd.buyer_session(info_o)
    info = _en_refund(info_c, info_o)
    expect_status(_decide(cs, info, {"csrf": csrf, "action": "request_info", "note": "Please add a screenshot.",
                                     "confirm": "1"}), 303)
    # Usage unknown: the storefront is asked first (awaiting_upstream).
    up_o = rd.register(category="direct_topup", amount=2000, title=EN_TITLE, merchant_id="m-test")
    rd.deliver(up_o["order_no"], kind="direct_topup")
    up_c = rd.buyer_session(up_o)
    up_form = rd.open_form(up_c, up_o["order_no"])
    up = rd.refund_id_of(rd.submit(up_c, rd.refund_fields(up_form, up_o["order_no"], type="changed_mind",
                                                          reason=EN_REASON, destination="balance")))
    wait = up_c.get(f"/refund/{up}", headers={"Accept-Language": "en"}).doc.by_id("upstream-wait")
    check(wait is not None and "Checking with the supplier" in wait.text(), "the upstream wait in English")
    pages = {
        "home": [("the home page", rd.Client(), "/", 200)],
        "lookup": [("the look-up", rd.Client(), "/refund/lookup", 200)],
        "start": [("the switch-buyer page", buyer, rd.start_link(other["order_no"], other["buyer_id"]), 200),
                  ("an expired hand-off link", rd.Client(),
                   rd.start_link(no, o["buyer_id"], ts=rd.now() - 86400 * 30), 403)],
        "new": [("the refund form", fresh_c, f"/refund/new?order={fresh['order_no']}", 200),
                ("the form with an open refund", buyer, f"/refund/new?order={no}", 200),
                ("the form without a session", rd.Client(), f"/refund/new?order={no}", 403),
                ("another buyer's order", buyer, f"/refund/new?order={fresh['order_no']}", 404)],
        "status": [("the status page (awaiting_upstream)", up_c, f"/refund/{up}", 200),
                   ("the status page (cs_review)", buyer, f"/refund/{rid}", 200),
                   ("the status page after submitting", buyer, f"/refund/{rid}?done=submitted", 200),
                   ("the status page (need_info)", info_c, f"/refund/{info}", 200),
                   ("the status page (rejected)", rej_c, f"/refund/{rej}", 200),
                   ("the status page (partial refund)", part_c, f"/refund/{part}", 200),
                   ("an unknown refund", buyer, "/refund/NOPE0000000000000000000", 404)],
        "appeal-page": [("the appeal page", rej_c, f"/refund/{rej}/appeal", 200),
                        ("the appeal page where none is open", buyer, f"/refund/{rid}/appeal", 409)],
    }
    routes = _buyer_get_routes()
    check(set(routes) == set(pages), f"buyer GET routes without a page here: {set(routes) ^ set(pages)}")
    for name, cases in pages.items():
        for what, c, path, status in cases:
            _get_three_ways(what, c, path, status)
    # Appealed: the arbitration state, and the banner.
    ap = rej_c.get(f"/refund/{rej}/appeal")
    expect_status(rej_c.post_multipart(f"/refund/{rej}/appeal", {"csrf": rd.csrf_of(ap), "note": "I disagree.",
                                                                  "confirm": "1"}), 303)
    _get_three_ways("the status page (arbitration, appealed)", rej_c, f"/refund/{rej}?done=appealed")
    # Cancelled, with its banner.
    page = buyer.get(f"/refund/{rid}")
    expect_status(buyer.post_form(f"/refund/{rid}/cancel", {"csrf": rd.csrf_of(page), "confirm": "1"}), 303)
    _get_three_ways("the status page (cancelled)", buyer, f"/refund/{rid}?done=cancelled")
    # 确认收货 done: the form's banner.
    fp = rd.open_form(fresh_c, fresh["order_no"])
    expect_status(fresh_c.post_form(f"/order/{fresh['order_no']}/confirm",
                                    {"csrf": rd.csrf_of(fp), "confirm": "1"}), 303)
    _get_three_ways("the form after 确认收货", fresh_c, f"/refund/new?order={fresh['order_no']}&done=confirmed")


def test_buyer_post_answers_in_both_languages():
    """The confirm steps, the forms given back (413 / 415 / 422) and the
    expired form, each three ways; nothing is changed by any of them."""
    o = _en_order()
    buyer = rd.buyer_session(o)
    rid = _en_refund(buyer, o)
    status = f"/refund/{rid}"
    fresh = rd.register(title=EN_TITLE, merchant_id="m-test")
    rd.deliver(fresh["order_no"])
    fresh_c = rd.buyer_session(fresh)
    form = f"/refund/new?order={fresh['order_no']}"
    before = rd.snapshot()
    _post_three_ways("the cancel confirm page", buyer, f"{status}/cancel", {}, 200, page=status)
    _post_three_ways("the 确认收货 confirm page", fresh_c, f"/order/{fresh['order_no']}/confirm", {}, 200, page=form)
    big = rd.png("big") + b"\0" * (6 * 1024 * 1024)
    html_file = b"<!doctype html><html><body>x</body></html>\n"
    _post_three_ways("the evidence form, empty (422)", buyer, f"{status}/evidence", {"note": ""}, 422, files=[],
                     page=status)
    for code, data in ((413, big), (415, html_file)):
        _post_three_ways(f"the evidence form again ({code})", buyer, f"{status}/evidence", {"note": "more"}, code,
                         files=[rd.File(data, "proof.png", "image/png")], page=status)

        def fetch_new(headers, cookie, data=data):
            if cookie:
                fresh_c.jar["lang"] = cookie
            try:
                fp = rd.open_form(fresh_c, fresh["order_no"])
                fields = rd.refund_fields(fp, fresh["order_no"], reason=EN_REASON)
                return fresh_c.post_multipart("/refund/new", fields, [rd.File(data, "proof.png", "image/png")],
                                              headers=headers)
            finally:
                fresh_c.jar.pop("lang", None)
        _three_ways(f"the refund form again ({code})", code, fetch_new)
    mine = rd.refund_fields(rd.open_form(fresh_c, fresh["order_no"]), fresh["order_no"], reason=EN_REASON)
    _post_three_ways("another buyer's order (POST)", buyer, "/refund/new",
                     {k: v for k, v in mine.items() if k != "csrf"}, 403, files=[], page=status)
    _post_three_ways("an expired form", buyer, f"{status}/cancel", {"csrf": "expired"}, 403)
    rd.assert_unchanged(before, "pages that only ask or refuse")


# ---------------------------------------------------------------------------
# Staff pages (i10-lang-desk): every /desk page a role can open, in English by
# Accept-Language and by the lang cookie, in Chinese by default. The data on
# them is seeded in ASCII (order titles, reasons, notes, merchant ids), so any
# CJK left in an English page is a page string; the configured reply
# templates are data too (Chinese by default) and are left out of the check.

DESK_TITLE = "Game card 100"
DESK_REASON = "The card key is refused as invalid when it is redeemed."
DESK_ATTRS = re.compile(r'\b(?:placeholder|aria-label|data-l|alt|title)="([^"]*)"')
# Each page's Chinese heading and its English one (checked both ways).
DESK_HEADINGS = {"queue": ("退款申请队列", "Refund queue"), "refund": ("申请编号", "Request ID"),
                 "preview": ("尚未执行", "Not done yet"), "dashboard": ("数据看板", "Dashboard"),
                 "activity": ("工作人员操作记录", "Staff activity log"), "claims": ("上游追偿", "Upstream claims")}


def desk_visible_text(page):
    """visible_text, the reply templates (configured data) and what the
    timeline quotes as the buyer's own words (q.buyer-text) left out, and the
    attributes people read (placeholder, aria-label, the phone's data-l
    labels, alt, title) added."""
    t = re.sub(r'<fieldset class="templates">.*?</fieldset>', " ", page, flags=re.S)
    t = re.sub(r'<q class="buyer-text">.*?</q>', " ", t, flags=re.S)
    return visible_text(t) + " " + " ".join(html.unescape(a) for a in DESK_ATTRS.findall(t))


def desk_check_english(resp, what):
    check_english(resp, what, desk_visible_text)


def _desk_login(role, merchant=None):
    from test_desk import _login, _staff
    login, password = _staff(role, merchant)
    c, r = _login(login, password)
    expect_status(r, 303)
    return c, rd.csrf_of(c.get("/desk")), login


def _desk_world():
    """A merchant of its own with three ASCII requests: one in cs_review, one
    in merchant_review, one in arbitration (moved there by CS and the
    merchant); a client per role."""
    merchant = rd.unique("mlang").lower()
    rids = []
    for _ in range(3):
        o = rd.used_card(merchant_id=merchant, title=DESK_TITLE)
        rids.append((o, rd.new_refund(rd.buyer_session(o), o, reason=DESK_REASON)))
    staff = {"cs": _desk_login("cs"), "merchant": _desk_login("merchant", merchant),
             "arbiter": _desk_login("arbiter"), "admin": _desk_login("admin")}
    cs, cs_csrf, _ = staff["cs"]
    m, m_csrf, _ = staff["merchant"]
    for _, rid in rids[1:]:
        expect_status(cs.post_form(f"/desk/refund/{rid}/decision",
                                   {"csrf": cs_csrf, "action": "escalate", "confirm": "1",
                                    "internal_note": "Checked the key log."}), 303)
    expect_status(m.post_form(f"/desk/refund/{rids[2][1]}/decision",
                              {"csrf": m_csrf, "action": "escalate", "confirm": "1"}), 303)
    states = [rd.refund_row(rid)["state"] for _, rid in rids]
    check(states == ["cs_review", "merchant_review", "arbitration"], f"the world's states: {states}")
    return merchant, rids, staff


# What each role may decide, on which of the world's requests (0, 1, 2), for
# its preview: fields sent without confirm=1.
DESK_PREVIEWS = {"cs": [(0, {"action": "approve", "amount_choice": "net"}), (0, {"action": "escalate"})],
                 "merchant": [(1, {"action": "approve", "amount": "40"}),
                              (1, {"action": "reject", "note": "The key was redeemed on our side."})],
                 "arbiter": [(2, {"action": "approve", "amount_choice": "full"}),
                             (2, {"action": "request_info", "note": "Please send the redeem screen."})],
                 "admin": [(0, {"action": "approve", "amount": "70.50"}), (1, {"action": "escalate"})]}


def _desk_pages(role, merchant, rids):
    """(what, method, path, fields, status, heading key) of every page role
    opens; queues are filtered to the world's merchant (other tests' rows
    hold their own, Chinese, data), except the plain /desk whose rows are
    left out of the check."""
    mine = "" if role == "merchant" else f"&merchant={merchant}"
    pages = [("queue", "GET", f"/desk?tab=mine{mine}", None, 200, "queue"),
             ("queue others", "GET", f"/desk?tab=others{mine}", None, 200, "queue"),
             ("queue filtered", "GET", f"/desk?tab=mine&type=invalid_item&sort=newest&overdue=1&risk=1{mine}",
              None, 200, "queue"),
             ("queue search", "GET", f"/desk?tab=others&q={rids[0][0]['order_no']}", None, 200, "queue"),
             ("queue past the end", "GET", f"/desk?page=50{mine}", None, 200, "queue")]
    for i, (_, rid) in enumerate(rids):
        pages.append((f"request {i}", "GET", f"/desk/refund/{rid}", None, 200, "refund"))
    for i, fields in DESK_PREVIEWS[role]:
        pages.append((f"preview {fields['action']}", "POST", f"/desk/refund/{rids[i][1]}/decision",
                      fields, 200, "preview"))
    # A refused decision: the request page again, a field's message in it.
    i = DESK_PREVIEWS[role][0][0]
    pages.append(("refused decision", "POST", f"/desk/refund/{rids[i][1]}/decision", {"action": "reject"},
                  422, "refund"))
    # A decision not this role's now: 409, the request page with the reason.
    other = {"cs": 1, "merchant": 0, "arbiter": 0, "admin": None}[role]
    if other is not None:
        pages.append(("not this role's", "POST", f"/desk/refund/{rids[other][1]}/decision",
                      {"action": "approve", "confirm": "1"}, 409, "refund"))
    staff_only = role in ("admin", "arbiter")
    pages += [("dashboard", "GET", "/desk/dashboard", None, 200 if staff_only else 403, "dashboard"),
              ("claims", "GET", "/desk/claims", None, 200 if staff_only else 403, "claims"),
              ("activity", "GET", "/desk/activity", None, 200 if role == "admin" else 403, "activity"),
              ("unknown request", "GET", "/desk/refund/" + "x" * 22, None, 404, None)]
    return pages


def _desk_get(c, csrf, method, path, fields, headers):
    if method == "GET":
        return c.get(path, headers=headers)
    return c.post_form(path, dict(fields, csrf=csrf), headers=headers)


def test_staff_pages_in_english_and_chinese():
    merchant, rids, staff = _desk_world()
    for role, (c, csrf, _) in staff.items():
        for what, method, path, fields, status, heading in _desk_pages(role, merchant, rids):
            label = f"{role} {what} ({path})"
            # Chinese by default: <html lang="zh-CN">, the Chinese heading.
            r = expect_status(_desk_get(c, csrf, method, path, fields, {}), status)
            check(html_lang(r.text) == "zh-CN", f"{label}: <html lang> {html_lang(r.text)} by default")
            if heading and status < 400:
                zh, en = DESK_HEADINGS[heading]
                check(zh in r.text and en not in r.text, f"{label}: not Chinese by default")
            # English by the header, then by the cookie (which beats a Chinese header).
            for how, headers in (("Accept-Language", {"Accept-Language": "en-US,en;q=0.9"}),
                                 ("cookie", {"Accept-Language": "zh-CN"})):
                if how == "cookie":
                    c.jar["lang"] = "en"
                r = expect_status(_desk_get(c, csrf, method, path, fields, headers), status)
                c.jar.pop("lang", None)
                desk_check_english(r, f"{label} by {how}")
                if heading and status < 400:
                    check(DESK_HEADINGS[heading][1] in r.text, f"{label} by {how}: the English heading")
        # The unfiltered queue: the frame in English, its rows (other tests' data) aside.
        r = expect_status(c.get("/desk", headers={"Accept-Language": "en"}), 200)
        rows = re.sub(r"<tbody>.*?</tbody>", " ", r.text, flags=re.S)
        check(html_lang(rows) == "en" and not CJK.findall(desk_visible_text(rows)),
              f"{role}: the plain queue's frame in English: {''.join(CJK.findall(desk_visible_text(rows)))[:80]}")


def test_staff_preview_and_queue_words_in_english():
    """The words that carry the money and the time: the preview's movement,
    the queue's time left and counts, the CSV export's header row."""
    merchant, rids, staff = _desk_world()
    c, csrf, _ = staff["admin"]
    en = {"Accept-Language": "en"}
    r = expect_status(c.post_form(f"/desk/refund/{rids[0][1]}/decision",
                                  {"csrf": csrf, "action": "approve", "amount": "40"}, headers=en), 200)
    detail = r.doc.by_id("preview-detail").text()
    for words in ("To the buyer", "Paid from", "Escrow", "Internal note", "New state"):
        check(words in detail, f"the preview says {words!r}: {detail[:300]}")
    check(r.doc.by_id("confirm").text().startswith("Confirm: "), f"the confirm button: {r.doc.by_id('confirm').text()}")
    q = expect_status(c.get(f"/desk?tab=mine&merchant={merchant}", headers=en), 200)
    total = q.doc.by_id("queue-total").text()
    check(re.fullmatch(r"\d+ in all · Page 1 of 1", total.strip()), f"the count line: {total!r}")
    lefts = [s.text() for s in q.doc.find_all("strong") if "left" in s.classes()]
    check(lefts and all(re.fullmatch(r"\d+ (min|h|days) (left|overdue)", t) for t in lefts),
          f"time left in English: {lefts}")
    csv = expect_status(c.get(f"/desk/queue.csv?tab=mine&merchant={merchant}", headers=en), 200)
    head = csv.body.decode("utf-8-sig").split("\r\n")[0]
    check(head.startswith('"Request ID","Order number"'), f"the export's header row in English: {head}")
    check(not CJK.findall(csv.body.decode("utf-8-sig").split("\r\n", 1)[1]),
          "the export's rows (ASCII data) in English")
    zh = expect_status(c.get(f"/desk/queue.csv?tab=mine&merchant={merchant}"), 200)
    check(zh.body.decode("utf-8-sig").startswith('"申请编号","订单号"'), "the export in Chinese by default")
