"""The staff request page (issue 10): a heading a person reads, evidence
judged where it is shown, the risk rule's numbers, the buyer's other
requests; and the staff activity log only admins read."""

import re
import urllib.parse

import rd
from rd import check, expect_status, q
from test_bounds import _cgi_run
from test_desk import _login, _staff


def _desk(role, merchant=None, source=None):
    login, password = _staff(role, merchant)
    c, r = _login(login, password, rd.Client(source=source) if source else None)
    expect_status(r, 303)
    return login, c


def _claim(order, files=None):
    return rd.new_refund(rd.buyer_session(order), order, files=files)


def test_request_page_heading_evidence_and_the_buyers_other_requests():
    first = rd.used_card()
    older = _claim(first)
    o = rd.used_card(buyer_id=first["buyer_id"])
    rid = _claim(o, files=[rd.File(rd.png(o["order_no"]), "shot.png", "image/png"),
                           rd.File(rd.pdf(7), "bill.pdf", "application/pdf")])
    _, c = _desk("cs")
    page = expect_status(c.get(f"/desk/refund/{rid}"), 200)
    h1 = page.doc.by_id("title").text()
    check(o["order_no"] in h1 and "商品无效" in h1, f"the heading names the order and the type: {h1!r}")
    check(rid not in h1, f"the 22-character id is not the heading: {h1!r}")
    # The image inline (a thumbnail through the staff route), the PDF a link.
    ev = page.doc.by_id("evidence")
    imgs = [i.get("src") for i in ev.find_all("img")]
    check(imgs == [f"{rd.mount()}/desk/refund/{rid}/evidence/1"], f"thumbnails: {imgs}")
    docs = [a.get("href") for a in ev.find_all("a") if "doc" in a.classes()]
    check(docs == [f"{rd.mount()}/desk/refund/{rid}/evidence/2"], f"the PDF's link: {docs}")
    img = expect_status(c.get(f"/desk/refund/{rid}/evidence/1"), 200)
    check(img.header("Content-Type") == "image/png", f"image type {img.header('Content-Type')}")
    check((img.header("Content-Disposition") or "").startswith("inline"), "an image shows inline")
    pdf = expect_status(c.get(f"/desk/refund/{rid}/evidence/2"), 200)
    check(pdf.header("Content-Type") == "application/pdf", f"PDF type {pdf.header('Content-Type')}")
    disp = pdf.header("Content-Disposition") or ""
    check(disp.startswith("attachment;") and disp.endswith('.pdf"'), f"a PDF is an attachment: {disp!r}")
    check(pdf.body.startswith(b"%PDF"), "the PDF's own bytes")
    # The buyer's other request is linked; this one is marked as the current one.
    hist = page.doc.by_id("history")
    links = {a.get("href"): a for a in hist.find_all("a")}
    other, this = f"{rd.mount()}/desk/refund/{older}", f"{rd.mount()}/desk/refund/{rid}"
    check(other in links and first["order_no"] in links[other].text(), f"the other request linked: {list(links)}")
    check(links[this].get("aria-current") == "page" and links[other].get("aria-current") is None,
          "the current request is marked, the other is not")
    check(len(hist.find_all("tr", **{"class": "current"})) == 1, "one row marked current")
    # One static script, nothing inline.
    scripts = page.doc.find_all("script")
    check([s.get("src") for s in scripts] == [f"{rd.mount()}/static/desk.js"] and
          all(s.text().strip() == "" for s in scripts), f"scripts: {scripts}")
    js = expect_status(c.get("/static/desk.js"), 200)
    check(js.header("Content-Type").startswith("text/javascript"), f"script type {js.header('Content-Type')}")
    check("script-src 'self'" in page.header("Content-Security-Policy"), "the CSP allows the desk's own script")


def _risk_lines(doc):
    return {li.get("id"): (li.text(), li.get("data-fired")) for li in doc.by_id("risk").find_all("li")}


def test_risk_as_the_rules_numbers():
    """Three earlier requests in 24 h; the fourth is filed with a limit of 2
    (the rule fires: review), and the page shows the count and the limit."""
    buyer = rd.unique("rb")
    for _ in range(3):
        o = rd.register(buyer_id=buyer)
        c = rd.buyer_session(o)
        form = rd.open_form(c, o["order_no"])
        rd.refund_id_of(c.post_form("/refund/new", rd.refund_fields(
            form, o["order_no"], type="not_delivered", destination="balance")))
    o = rd.register(buyer_id=buyer)
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    body = urllib.parse.urlencode(rd.refund_fields(form, o["order_no"], type="not_delivered",
                                                   destination="balance")).encode()
    limits = {"max_refunds_24h": 2, "max_refunds_90d": 50, "max_ip_requests_1h": 0}
    status, _, log = _cgi_run(limits, "POST", "/refund/new", f"{rd.COOKIE}={c.jar[rd.COOKIE]}",
                              body, section="risk")
    check(status == 303, f"filing with the risk limits on: {status} {log[-300:]!r}")
    rid = rd.db_value(f"SELECT r.public_id FROM refunds r JOIN orders o ON o.id = r.order_id "
                      f"WHERE o.order_no = {q(o['order_no'])}")
    row = rd.db(f"SELECT state, risk_flags FROM refunds WHERE public_id = {q(rid)}")[0]
    check(row == ["cs_review", "1"], f"the 24 h rule sent it to review: {row}")
    login, c = _desk("cs")
    # With the limits it was filed under: the count, the limit, which fired.
    status, html, log = _cgi_run(limits, "GET", f"/desk/refund/{rid}", f"rds={c.jar['rds']}", section="risk")
    check(status in (0, 200), f"desk page as CGI: {status} {log[-300:]!r}")
    lines = _risk_lines(rd.Doc(html))
    check(lines["risk-0"] == ("买家 24 小时内退款 3 次，上限 2 已触发", "1"), f"24 h: {lines['risk-0']}")
    check(lines["risk-1"] == ("买家 90 天内退款 3 次，上限 50", "0"), f"90 d: {lines['risk-1']}")
    check(lines["risk-2"][0].endswith("未设上限"), f"an address limit that is off: {lines['risk-2']}")
    check(lines["risk-3"] == ("黑名单：不在名单中", "0"), f"blacklist: {lines['risk-3']}")
    # The stack's own page (limits off now): the same counts; the flag stays as filed.
    page = expect_status(c.get(f"/desk/refund/{rid}"), 200)
    lines = _risk_lines(page.doc)
    check(lines["risk-0"] == ("买家 24 小时内退款 3 次，未设上限 已触发", "1"), f"24 h: {lines['risk-0']}")
    check(page.doc.by_id("risk-flagged") is not None, "the page says risk sent it to a person")
    # Its merchant sees which check fired, not the buyer's counts at every shop.
    _, m = _desk("merchant", merchant=o["merchant_id"])
    lines = _risk_lines(expect_status(m.get(f"/desk/refund/{rid}"), 200).doc)
    check(lines["risk-0"] == ("买家 24 小时内退款 已触发", "1") and lines["risk-1"][0] == "买家 90 天内退款：未触发",
          f"the merchant's view: {lines}")
    # The first request of the buyer counted nothing before it.
    first = rd.db_value(f"SELECT public_id FROM refunds WHERE buyer_id = {q(buyer)} ORDER BY id LIMIT 1")
    lines = _risk_lines(expect_status(c.get(f"/desk/refund/{first}"), 200).doc)
    check(lines["risk-0"][0].startswith("买家 24 小时内退款 0 次"), f"the first: {lines['risk-0']}")


def _decide(c, rid, fields):
    csrf = rd.csrf_of(c.get("/desk"))
    return c.post_form(f"/desk/refund/{rid}/decision", {"csrf": csrf, **fields})


def _activity_rows(page):
    table = page.doc.by_id("activity")
    return [] if table is None else table.find("tbody").find_all("tr")


def test_activity_log_row_for_each_decision_admins_only():
    o = rd.used_card()
    rid = _claim(o)
    src = rd.elsewhere()
    cs, c = _desk("cs", source=src)
    before = rd.db_count("staff_activity")
    # A preview writes nothing, the log neither.
    expect_status(_decide(c, rid, {"action": "escalate"}), 200)
    check(rd.db_count("staff_activity") == before, "a preview logs nothing")
    expect_status(_decide(c, rid, {"action": "escalate", "internal_note": "转商家", "confirm": "1"}), 303)
    rows = rd.db(f"SELECT s.login, s.role, s.action, r.public_id, s.from_state, s.to_state, s.client_ip, "
                 f"s.at FROM staff_activity s JOIN refunds r ON r.id = s.refund_id WHERE s.login = {q(cs)}")
    check(len(rows) == 1, f"one row for one decision: {rows}")
    check(rows[0][:7] == [cs, "cs", "escalate", rid, "cs_review", "merchant_review", src], f"the row: {rows[0]}")
    check(abs(int(rows[0][7]) - rd.now()) < 60, f"when: {rows[0][7]}")
    # The same decision again is refused (409) and logs nothing.
    expect_status(_decide(c, rid, {"action": "escalate", "confirm": "1"}), 409)
    check(rd.db_count("staff_activity", f"login = {q(cs)}") == 1, "a refused decision logs nothing")
    # The merchant approves ¥12.34: its own row, with the amount.
    merchant, m = _desk("merchant", merchant=o["merchant_id"])
    expect_status(_decide(m, rid, {"action": "approve", "amount_choice": "custom", "amount": "12.34",
                                   "confirm": "1"}), 303)
    # Only admins read the log; others are refused, strangers sent to log in.
    expect_status(c.get("/desk/activity"), 403)
    expect_status(m.get("/desk/activity"), 403)
    _, arb = _desk("arbiter")
    expect_status(arb.get("/desk/activity"), 403)
    expect_status(rd.Client().get("/desk/activity"), 303)
    _, admin = _desk("admin")
    link = expect_status(admin.get("/desk"), 200).doc.by_id("activity-link")
    check(link is not None and link.get("href") == f"{rd.mount()}/desk/activity", "the queue links the log")
    check(c.get("/desk").doc.by_id("activity-link") is None, "not for cs")
    page = expect_status(admin.get(f"/desk/activity?staff={cs}"), 200)
    rows = _activity_rows(page)
    check(len(rows) == 1, f"the cs account's rows only: {len(rows)}")
    text = rows[0].text()
    check(cs in text and "升级处理" in text and o["order_no"] in text and src in text, f"the row shows: {text!r}")
    check(any(a.get("href") == f"{rd.mount()}/desk/refund/{rid}" for a in rows[0].find_all("a")),
          "the row links the request")
    rows = _activity_rows(expect_status(admin.get(f"/desk/activity?staff={merchant}"), 200))
    check(len(rows) == 1 and "同意退款 ¥12.34" in rows[0].text(), f"the merchant's approval: {rows[0].text()!r}")
    # All accounts: both, newest first.
    rows = _activity_rows(expect_status(admin.get("/desk/activity"), 200))
    check(merchant in rows[0].text() and cs in rows[1].text(), "newest first")
    # A bad filter value is set aside with its message, not an error page.
    page = expect_status(admin.get("/desk/activity?staff=a%20b"), 200)
    check(page.doc.by_id("query-error") is not None, "a bad filter says so")


def test_activity_log_pages():
    login, _ = _staff("cs")
    rid_id = rd.db_value("SELECT MAX(id) FROM refunds")
    rd.db("INSERT INTO staff_activity (staff_id, login, role, action, refund_id, from_state, to_state, amount, "
          f"client_ip, at) SELECT 1, {q(login)}, 'cs', 'reject', {rid_id}, 'cs_review', 'rejected', 0, "
          "'127.0.0.9', seq FROM seq_1_to_60")
    _, admin = _desk("admin")
    page = expect_status(admin.get(f"/desk/activity?staff={login}"), 200)
    check(len(_activity_rows(page)) == 50, "a page is 50 rows")
    check(re.search(r"共 60 条 · 第 1 / 2 页", page.doc.by_id("activity-total").text()), "the count and pages")
    nxt = page.doc.by_id("page-next").get("href")
    check(nxt == f"{rd.mount()}/desk/activity?staff={login}&page=2", f"the next page keeps the filter: {nxt}")
    page = expect_status(admin.get(f"/desk/activity?staff={login}&page=2"), 200)
    check(len(_activity_rows(page)) == 10 and page.doc.by_id("page-prev") is not None, "the last page")
    page = expect_status(admin.get(f"/desk/activity?staff={login}&page=9"), 200)
    check(_activity_rows(page) == [] and page.doc.by_id("activity-empty") is not None, "past the end: none")


def test_confirm_opens_the_next_request_of_the_queue():
    """next=1 (the confirm form's default): the decision is made, then the
    role's next request opens, saying the last one was done with its link;
    without next the request itself; with nothing left, the request itself."""
    merchant = rd.unique("mnext").lower()
    first = _claim(rd.used_card(merchant_id=merchant))
    second = _claim(rd.used_card(merchant_id=merchant))
    _, cs = _desk("cs")
    for rid in (first, second):      # CS escalates both to the merchant
        r = _decide(cs, rid, {"action": "escalate", "confirm": "1", "next": "1"})
        expect_status(r, 303)
        loc = r.location()
        check(loc.startswith("/desk/refund/") and loc.endswith(f"?prev={rid}") and f"/{rid}?" not in loc,
              f"CS lands on another request of its queue: {loc}")
        nxt = expect_status(cs.get(loc), 200)
        banner = nxt.doc.by_id("prev-done")
        check(banner is not None and banner.find("a").get("href") == f"{rd.mount()}/desk/refund/{rid}",
              "the next request says the last one was done, with its link")
        check(nxt.doc.by_id("time-left") is not None, "the next request shows its time left")
        check(rd.refund_row(rid)["state"] == "merchant_review", "the decision was made")
    # The merchant's queue holds exactly these two: the first leads to the second...
    _, m = _desk("merchant", merchant)
    r = expect_status(_decide(m, first, {"action": "reject", "note": "不符合退款条件", "confirm": "1",
                                         "next": "1"}), 303)
    check(r.location() == f"/desk/refund/{second}?prev={first}", f"merchant: next is its other one: {r.location()}")
    # ...and the last one to itself: nothing left to open.
    r = expect_status(_decide(m, second, {"action": "reject", "note": "不符合退款条件", "confirm": "1",
                                          "next": "1"}), 303)
    check(r.location() == f"/desk/refund/{second}", f"merchant: nothing left, its own page: {r.location()}")
    # Without next: the request itself, as before.
    rid = _claim(rd.used_card())
    r = expect_status(_decide(cs, rid, {"action": "escalate", "confirm": "1"}), 303)
    check(r.location() == f"/desk/refund/{rid}", f"without next: {r.location()}")
    # The preview offers it ticked; a bad prev is refused by the gate.
    other = _claim(rd.used_card())
    pv = expect_status(_decide(cs, other, {"action": "escalate"}), 200)
    box = pv.doc.by_id("next")
    check(box is not None and box.has("checked"), "the confirm form ticks next by default")
    # A prev that is no refund id is left out (the gate), never written back.
    page = expect_status(cs.get(f"/desk/refund/{other}?prev=%3Cscript%3E"), 200)
    check(page.doc.by_id("prev-done") is None and "<script>" not in page.text, "a bad prev is not shown")
