"""The buyer pages a buyer can trust (issue 10, i10-buyer): a next-step card
for every state with its deadline named for what it is and the time left, the
expected arrival per channel, a success banner after each action (only where
the state bears it out), partial refunds explained line by line, no refund
amount on a rejection, confirm steps for cancel / 确认收货 / the one-time
appeal, and the 返回商城 link."""

import re
import urllib.parse

import rd
from rd import check, expect_status
from test_desk_money import _buyer_refund, _cs, _decide

NAMED = ("审核时限", "补充材料截止", "可申诉至", "上游答复时限")
LEFT = re.compile(r"(还剩 \d+ (天|小时|分钟)|不到 1 分钟)")


def _card(resp):
    n = resp.doc.by_id("next-step")
    check(n is not None, f"no next-step card on {resp!r}")
    return n


def _next_step(buyer, rid, state, deadline=None, who=None):
    """The status page in state: its card names who acts, the deadline by its
    name with the time left (or none), and no bare 处理时限 anywhere."""
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    card = _card(page)
    text = card.text()
    check(card.get("data-state") == state, f"card for {card.get('data-state')!r}, not {state!r}")
    check("处理时限" not in page.text, f"{state}: a bare 处理时限 is back")
    if deadline:
        check(deadline in text and LEFT.search(text), f"{state}: the card has no {deadline} with time left: {text!r}")
        left = card.find(**{"class": "left"})
        check(left is not None and left.get("data-left", "").lstrip("-").isdigit(),
              f"{state}: no data-left for the live countdown")
        check("/static/rd-time.js" in page.text, f"{state}: the countdown script is not loaded")
    else:
        check(not any(name in text for name in NAMED), f"{state}: a deadline shown where none runs: {text!r}")
    if who:
        check(who in text, f"{state}: the card does not say {who!r} acts: {text!r}")
    return page


def _approve(rid, amount):
    c, csrf, _ = _cs()
    f = {"csrf": csrf, "action": "approve", "amount_choice": "custom", "amount": amount, "confirm": "1"}
    expect_status(_decide(c, rid, f), 303)


def _reject(rid):
    c, csrf, _ = _cs()
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "note": "凭证不足以证明卡密无效。",
                                   "confirm": "1"}), 303)


def test_next_step_named_deadline_and_banner_after_submit():
    o, buyer, rid = _buyer_refund()
    # The submission's redirect carries the banner's flag; the page shows it.
    page = _next_step(buyer, rid, "cs_review", "审核时限", "平台客服")
    r = expect_status(buyer.get(f"/refund/{rid}?done=submitted"), 200)
    check(r.doc.by_id("done") is not None and "已提交" in r.doc.by_id("done").text(), "no banner after submit")
    check(page.doc.by_id("done") is None, "a banner without the flag")
    # A flag the state does not bear out shows nothing (a link passed around).
    for flag in ("cancelled", "appealed"):
        r = expect_status(buyer.get(f"/refund/{rid}?done={flag}"), 200)
        check(r.doc.by_id("done") is None, f"done={flag} shown on an open request")
    expect_status(buyer.get(f"/refund/{rid}?done=paid"), 200)   # unknown flag: the page, no banner
    # An open request shows what is expected, not a refund amount as if paid.
    check(page.doc.by_id("amt-refund") is not None and "预计退款" in page.text, "no expected refund line")


def test_need_info_evidence_banner_then_review():
    o, buyer, rid = _buyer_refund()
    c, csrf, _ = _cs()
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "request_info", "note": "请补充截图。",
                                   "confirm": "1"}), 303)
    page = _next_step(buyer, rid, "need_info", "补充材料截止", "您")
    link = page.doc.by_id("evidence-link")
    check(link is not None and page.doc.by_id(link.get("href")[1:]) is not None,
          "the need_info card does not lead to the evidence form")
    r = buyer.post_multipart(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": "补充：截图已上传。"},
                             [rd.File(rd.png(rid), "more.png", "image/png")])
    expect_status(r, 303)
    check(r.location() == f"/refund/{rid}?done=evidence", f"evidence redirected to {r.location()!r}")
    done = expect_status(buyer.get(r.location()), 200)
    check("已收到您补充的材料" in done.doc.by_id("done").text(), "no banner after more evidence")
    _next_step(buyer, rid, "cs_review", "审核时限")


def test_partial_refund_line_by_line_with_arrival():
    o, buyer, rid = _buyer_refund()
    _approve(rid, "40")
    state = rd.refund_row(rid)["state"]
    check(state == "refunding", f"an alipay refund should wait for the payout, is {state}")
    page = _next_step(buyer, rid, "refunding", None, "支付渠道")
    arrival = page.doc.by_id("arrival")
    check(arrival is not None and "支付宝" in arrival.text() and "1–3 个工作日" in arrival.text(),
          f"expected arrival not from the config: {arrival and arrival.text()!r}")
    lines = {k: page.doc.by_id(k) for k in ("amt-requested", "amt-rest", "amt-refund")}
    check(all(lines.values()), f"missing amount lines: {[k for k, v in lines.items() if v is None]}")
    check(lines["amt-requested"].text().strip() == "¥100.00", f"requested {lines['amt-requested'].text()!r}")
    check("¥60.00" in lines["amt-rest"].text() and "商家" in lines["amt-rest"].text(),
          f"where the rest went is not said: {lines['amt-rest'].text()!r}")
    check("¥40.00" in lines["amt-refund"].text(), f"refund line {lines['amt-refund'].text()!r}")


def test_rejected_shows_no_refund_amount_and_offers_the_appeal_once():
    o, buyer, rid = _buyer_refund()
    _reject(rid)
    page = _next_step(buyer, rid, "rejected", "可申诉至", "您")
    check("退款金额" not in page.text and page.doc.by_id("amt-refund") is None, "a rejection shows a refund amount")
    check(page.doc.by_id("amt-requested") is not None, "what was asked is still shown")
    link = page.doc.by_id("appeal-link")
    check(link is not None and link.get("href").endswith(f"/refund/{rid}/appeal"), "no link to the appeal page")
    # The appeal's page says it is the only one, and asks to confirm.
    ap = expect_status(buyer.get(f"/refund/{rid}/appeal"), 200)
    check(ap.doc.by_id("appeal-once") is not None and "只有一次" in ap.doc.by_id("appeal-once").text(),
          "the appeal page does not say it is the only one")
    check(ap.doc.by_id("confirm-once") is not None, "no confirm box on the appeal page")
    check(ap.doc.by_id("appeal-partial") is None, "a rejection's appeal speaks of a partial refund")
    before = rd.snapshot()
    r = expect_status(buyer.post_multipart(f"/refund/{rid}/appeal", {"csrf": rd.csrf_of(ap), "note": "我不同意。"}), 200)
    rd.assert_unchanged(before, "an appeal without confirm=1")
    check(r.doc.field_value("note") == "我不同意。", "the note is not kept on the confirm page")
    check(r.doc.by_id("err-confirm") is not None, "the page does not say why it came back")
    r = expect_status(buyer.post_multipart(f"/refund/{rid}/appeal", {"csrf": rd.csrf_of(ap), "note": "我不同意。",
                                                                      "confirm": "1"}), 303)
    check(r.location() == f"/refund/{rid}?done=appealed", f"appeal redirected to {r.location()!r}")
    done = expect_status(buyer.get(r.location()), 200)
    check("申诉已提交" in done.doc.by_id("done").text(), "no banner after the appeal")
    _next_step(buyer, rid, "arbitration", "审核时限", "平台仲裁")
    expect_status(buyer.get(f"/refund/{rid}/appeal"), 409)   # once only


def test_confirm_receipt_asks_first_then_says_so():
    o = rd.register()
    rd.deliver(o["order_no"])
    no = o["order_no"]
    buyer = rd.buyer_session(o)
    form = rd.open_form(buyer, no)
    before = rd.snapshot()
    ask = expect_status(buyer.post_form(f"/order/{no}/confirm", {"csrf": rd.csrf_of(form)}), 200)
    rd.assert_unchanged(before, "确认收货 without confirm=1")
    check(rd.hold_state(no) == "held", "the hold moved before the confirm step")
    check(ask.doc.by_id("confirm") is not None and ask.doc.hidden("confirm") == "1", "no confirm=1 form")
    check("¥100.00" in ask.text, "the confirm page does not say how much")
    r = expect_status(buyer.post_form(f"/order/{no}/confirm", {"csrf": rd.csrf_of(form), "confirm": "1"}), 303)
    check(r.location() == f"/refund/new?order={urllib.parse.quote(no)}&done=confirmed", f"to {r.location()!r}")
    check(rd.hold_state(no) == "released", "confirmed but not released")
    done = expect_status(buyer.get(r.location()), 200)
    check(done.doc.by_id("done") is not None and "已确认收货" in done.doc.by_id("done").text(), "no banner")


def test_back_to_shop_on_buyer_pages_only_and_the_script():
    url = rd.config().get("storefront_url")
    check(url, "the stack writes no storefront_url")
    o, buyer, rid = _buyer_refund()
    for path in ("/refund/lookup", f"/refund/new?order={o['order_no']}", f"/refund/{rid}", "/refund/NOPE0000000000000000000"):
        page = buyer.get(path)
        link = page.doc.by_id("back-to-shop")
        check(link is not None and link.get("href") == url and "返回商城" in link.text(),
              f"{path}: no 返回商城 link to {url}")
    check(rd.Client().get("/desk/login").doc.by_id("back-to-shop") is None, "the staff login links to the shop")
    js = expect_status(rd.Client().get("/static/rd-time.js"), 200)
    check((js.header("content-type") or "").startswith("text/javascript"), "the script's type")
    check("script-src 'self'" in (js.header("content-security-policy") or ""), "CSP has no script-src 'self'")
    page = buyer.get(f"/refund/{rid}")
    check(not re.search(r"<script(?![^>]*\bsrc=)", page.text), "an inline script on the status page")


def _type_items(resp):
    return [(li.get("data-type"), li.text()) for li in resp.doc.find_all("li") if li.get("data-type")]


def test_form_says_review_before_submitting_where_risk_would():
    o = rd.register()
    rd.deliver(o["order_no"])              # unused: changed_mind is instant, defects are reviewed
    c = rd.buyer_session(o)
    items = _type_items(rd.open_form(c, o["order_no"]))
    check(items and items[0][0] == "changed_mind" and "通常秒退" in items[0][1],
          f"the instant choice is not first: {[t for t, _ in items]}")
    kinds = [0 if "通常秒退" in text else 1 if "需人工审核" in text else 2 for _, text in items]
    check(kinds == sorted(kinds), f"not instant, then review, then refused: {kinds}")
    # The same buyer on the blacklist: the form says so before the submit,
    # without naming the rule.
    rd.db(f"INSERT INTO blacklist (kind, value, created_at) VALUES ('buyer', {rd.q(o['buyer_id'])}, 0)")
    form = rd.open_form(c, o["order_no"])
    text = dict(_type_items(form))["changed_mind"]
    check("需人工审核" in text and "通常秒退" not in text, f"the form still promises 秒退: {text!r}")
    check("黑名单" not in form.text and "风控" not in form.text, "the form names the rule")
    r = c.post_form("/refund/new", rd.refund_fields(form, o["order_no"], type="changed_mind",
                                                     destination="balance"))
    state = rd.refund_row(rd.refund_id_of(r))["state"]
    check(state == "cs_review", f"the form said review; the request is {state}")


def test_wrong_account_field_only_for_its_type():
    o = rd.register()
    rd.deliver(o["order_no"])
    form = rd.open_form(rd.buyer_session(o), o["order_no"])
    box = form.doc.by_id("wrong-field")
    check(box is not None and "only-wrong" in box.classes() and box.find("input", name="wrong_account"),
          "the wrong-account field is not marked to hide")
    css = rd.Client().get("/static/rd.css").text
    check(".only-wrong{display:none}" in css and "wrong_account]:checked" in css,
          "the stylesheet does not hide the field until its type is chosen")


def test_lookup_keeps_values_with_phone_keyboards_and_help():
    o = rd.register()
    c = rd.Client(source=rd.elsewhere())
    page = expect_status(c.get("/refund/lookup"), 200)
    check(page.doc.by_id("code-help") is not None and "找不到查询码" in page.doc.by_id("code-help").text(),
          "no help for a lost query code")
    contact = page.doc.find("input", name="contact")
    check(contact.get("inputmode") == "email" and contact.get("autocomplete") == "email",
          f"contact keyboard: {contact.attrs}")
    for name in ("order_no", "lookup_code"):
        n = page.doc.find("input", name=name)
        check(n.get("autocapitalize") == "off" and n.get("spellcheck") == "false", f"{name}: {n.attrs}")
    r = expect_status(c.post_form("/refund/lookup", {"csrf": rd.csrf_of(page), "order_no": o["order_no"],
                                                     "contact": o["contact"], "lookup_code": "WRONG-CODE"}), 422)
    check(r.doc.field_value("order_no") == o["order_no"], "the order number is not kept")
    check(r.doc.field_value("contact") == o["contact"], "the contact is not kept")
    check(not r.doc.field_value("lookup_code"), "the query code is echoed back")
    check("WRONG-CODE" not in r.text, "the query code is in the page")
