"""An appeal after a partial refund (issue 10: "an appeal offered after a
partial as after a rejection"). The buyer of a ¥100 order is refunded ¥40 of
it (the other ¥60 released to the merchant) and appeals once, within the
window; the arbiter awards more (taken back from the merchant: the
appeal_refund movement, paid as the first refund went) or upholds the
partial (final, nothing moves). Money checked to the fen on the buyer's side,
the merchant's account and the escrow, `check-ledger` clean after each step;
a double confirm pays once; a second appeal and one after the window are
refused."""

import json

import money_model as mm
import rd
from money_model import check_ledger
from rd import check, expect_status
from test_desk import _login, _staff

MERCHANT = "m-appeal"


def _staff_client(role):
    login, password = _staff(role)
    c, r = _login(login, password)
    expect_status(r, 303)
    return c, rd.csrf_of(c.get("/desk")), login


def _decide(c, csrf, rid, **fields):
    return c.post_form(f"/desk/refund/{rid}/decision", {"csrf": csrf, **fields})


def _text(resp, ident):
    n = resp.doc.by_id(ident)
    check(n is not None, f"no #{ident} in {resp!r}")
    return n.text().strip()


def _order_sums(order_no, account_like):
    """The sum of this order's ledger entries on accounts LIKE account_like."""
    return int(rd.db_value(
        "SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id "
        f"JOIN orders o ON o.id = t.order_id WHERE o.order_no = {rd.q(order_no)} "
        f"AND e.account LIKE {rd.q(account_like)}"))


def _money(order_no, buyer_id):
    """(to the buyer, merchant, escrow, fees) of this order, from the ledger, and the holds row."""
    buyer = _order_sums(order_no, f"buyer:{buyer_id}") + _order_sums(order_no, "external:%") \
        + 10000   # the payment came in from external: what went back out is the buyer's
    hold = rd.db(f"SELECT h.state, h.released, h.refunded, h.fees FROM holds h JOIN orders o ON o.id = h.order_id "
                 f"WHERE o.order_no = {rd.q(order_no)}")[0]
    return {"buyer": buyer, "payout": _order_sums(order_no, "payout:%"),
            "merchant": _order_sums(order_no, f"merchant:{MERCHANT}"),
            "escrow": _order_sums(order_no, "escrow:%"), "fees": _order_sums(order_no, "platform:fees"),
            "hold": hold}


def _partial(destination="balance"):
    """A ¥100 order refunded ¥40 by customer service; returns (order, buyer client, refund id)."""
    o = rd.used_card(merchant_id=MERCHANT)
    buyer = rd.buyer_session(o)
    rid = rd.new_refund(buyer, o, destination=destination)
    cs, csrf, _ = _staff_client("cs")
    expect_status(_decide(cs, csrf, rid, action="approve", amount_choice="custom", amount="40", confirm="1"), 303)
    if destination == "original":
        r = rd.api("POST", f"/api/v1/refunds/{rid}/payout", {"state": "succeeded"})
        check(r.status == 200, f"payout report: {r!r}")
    check(rd.refund_row(rid)["state"] == "refunded", f"the partial is not refunded: {rd.refund_row(rid)}")
    check_ledger("the partial refund")
    return o, buyer, rid


def _appeal(buyer, rid, expect=303):
    page = buyer.get(f"/refund/{rid}/appeal")
    if expect != 303:
        return expect_status(page, expect)
    expect_status(page, 200)
    check(page.doc.by_id("appeal-once") is not None and "只有一次" in page.doc.by_id("appeal-once").text(),
          "the appeal page does not say it is the only one")
    part = page.doc.by_id("appeal-partial")
    check(part is not None and "¥40.00" in part.text() and "手续费不退" in part.text(),
          "the appeal page does not say what an appeal of the partial can change")
    r = buyer.post_multipart(f"/refund/{rid}/appeal", {"csrf": rd.csrf_of(page), "note": "只退 40 元不合理。",
                                                       "confirm": "1"})
    return expect_status(r, 303)


def _webhooks(rid, kind):
    """The data of this refund's webhooks of one type, oldest first."""
    out = []
    for (p,) in rd.db(f"SELECT payload FROM webhook_events WHERE type = {rd.q(kind)} "
                      f"AND payload LIKE {rd.q('%' + rid + '%')} ORDER BY id"):
        j = json.loads(p)
        out.append(j.get("data", j))
    return out


def test_partial_refund_is_explained_and_offers_the_appeal():
    o, buyer, rid = _partial()
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    check("¥60.00" in _text(page, "amt-rest") and "商家" in _text(page, "amt-rest"), "where the rest went")
    check("¥40.00" in _text(page, "amt-refund"), "the refund line")
    link = page.doc.by_id("appeal-link")
    check(link is not None and link.get("href").endswith(f"/refund/{rid}/appeal"), "no appeal after a partial")
    check("可申诉至" in _text(page, "next-step"), "the next step does not name the appeal window")
    # A full refund offers none.
    o2 = rd.used_card(merchant_id=MERCHANT)
    b2 = rd.buyer_session(o2)
    rid2 = rd.new_refund(b2, o2, destination="balance")
    cs, csrf, _ = _staff_client("cs")
    expect_status(_decide(cs, csrf, rid2, action="approve", amount_choice="full", confirm="1"), 303)
    full = expect_status(b2.get(f"/refund/{rid2}"), 200)
    check(full.doc.by_id("appeal-link") is None, "a full refund offers an appeal")
    expect_status(b2.get(f"/refund/{rid2}/appeal"), 409)


def test_arbiter_awards_more_from_the_merchant_once():
    o, buyer, rid = _partial()
    no, bid = o["order_no"], o["buyer_id"]
    m0 = _money(no, bid)
    check(m0["buyer"] == 4000 and m0["merchant"] == 6000 and m0["escrow"] == 0,
          f"after the partial: {m0}")
    r = _appeal(buyer, rid)
    check(r.location() == f"/refund/{rid}?done=appealed", f"appeal redirected to {r.location()!r}")
    check(rd.refund_row(rid)["state"] == "arbitration", "the appeal goes to the arbiter")
    check(rd.db_value(f"SELECT appealed FROM refunds WHERE public_id = {rd.q(rid)}") == "2", "marked as appealed")
    check(_money(no, bid) == m0, "the appeal itself moved money")
    check_ledger("the appeal of a partial")
    _appeal(buyer, rid, expect=409)                       # once only
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    check(page.doc.by_id("appeal-link") is None and page.doc.by_id("cancel-form") is None,
          "an appealed partial offers another appeal or a cancel")

    arb, csrf, login = _staff_client("arbiter")
    desk = expect_status(arb.get(f"/desk/refund/{rid}"), 200)
    check(_text(desk, "award-max") == "¥60.00", f"the most the arbiter may award: {_text(desk, 'award-max')}")
    en = expect_status(arb.get(f"/desk/refund/{rid}", headers={"Accept-Language": "en"}), 200)
    check("At most" in en.doc.by_id("award").text(), "the award's form is not translated")
    before = rd.snapshot()
    # Over the most there is, and nothing typed: field errors, nothing moves.
    for typed, word in (("60.01", "超出"), ("0", "大于 0"), ("", "请填写")):
        r = expect_status(_decide(arb, csrf, rid, action="approve", amount_choice="custom", amount=typed), 422)
        check(word in _text(r, "err-amount"), f"{typed!r}: {_text(r, 'err-amount')!r}")
    # The preview: the award, where it comes from, the total; nothing changes.
    pv = expect_status(_decide(arb, csrf, rid, action="approve", amount_choice="custom", amount="25"), 200)
    shown = {k: _text(pv, k) for k in ("pv-paid", "pv-buyer", "pv-clawback", "pv-total")}
    check(shown == {"pv-paid": "¥40.00", "pv-buyer": "¥25.00", "pv-clawback": "¥25.00", "pv-total": "¥65.00"},
          f"the award's preview: {shown}")
    check("余额" in _text(pv, "pv-via"), f"paid as the first refund went (balance): {_text(pv, 'pv-via')}")
    rd.assert_unchanged(before, "award previews and refusals")
    form = {n.get("name"): n.get("value") for n in pv.doc.find_all("input") if n.get("type") == "hidden"}
    check(form.get("amount") == "25.00" and form.get("confirm") == "1", f"the confirm form: {form}")
    expect_status(arb.post_form(f"/desk/refund/{rid}/decision", form), 303)
    # A double confirm: 409, nothing more moves.
    twice = rd.snapshot()
    m1 = _money(no, bid)
    expect_status(arb.post_form(f"/desk/refund/{rid}/decision", form), 409)
    rd.assert_unchanged(twice, "a second confirm of the award")
    check(_money(no, bid) == m1, "a second confirm moved money")

    check(rd.refund_row(rid)["state"] == "refunded", f"after the award: {rd.refund_row(rid)['state']}")
    check(rd.db_value(f"SELECT appeal_award FROM refunds WHERE public_id = {rd.q(rid)}") == "2500", "the award row")
    check(m1["buyer"] == 6500 and m1["merchant"] == 3500 and m1["escrow"] == 0 and m1["fees"] == 0,
          f"to the fen: buyer 65.00, merchant 35.00, escrow 0: {m1}")
    check(m1["hold"] == ["refunded", "3500", "6500", "0"], f"the holds row: {m1['hold']}")
    kinds = rd.db(f"SELECT t.kind, t.uniq_key FROM ledger_txns t JOIN refunds r ON r.id = t.refund_id "
                  f"WHERE r.public_id = {rd.q(rid)} ORDER BY t.id")
    check([k for k, _ in kinds] == ["refund", "appeal_refund"] and kinds[1][1].startswith("appeal_refund:"),
          f"the movements: {kinds}")
    check_ledger("the award")
    # The timeline shows the award with its actor; the buyer's page the lines.
    ev = rd.db(f"SELECT e.actor, e.actor_name, e.state FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
               f"WHERE r.public_id = {rd.q(rid)} AND e.actor = 'arbiter'")
    check(ev == [["arbiter", login, "approved"]], f"the award's timeline entry: {ev}")
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    check(_text(page, "amt-award") == "+¥25.00" and "¥65.00" in _text(page, "amt-total"),
          "the buyer's page does not show the award and the total")
    en = expect_status(buyer.get(f"/refund/{rid}", headers={"Accept-Language": "en"}), 200)
    check("Awarded on appeal" in en.text and "Total refunded" in en.text, "the award lines in English")
    check(page.doc.by_id("appeal-link") is None, "an appeal after the award")
    check("仲裁" in page.text, "the timeline does not say the arbiter decided")
    # The API and the webhooks (README "Appeal after a partial refund").
    api = rd.api("GET", f"/api/v1/refunds/{rid}")
    body = api.json()["refund"]
    check(body["refund_amount"] == 4000 and body["appeal_award"] == 2500, f"API: {body}")
    approved = _webhooks(rid, "refund.approved")
    check(len(approved) == 2 and approved[-1].get("appeal_award") == 2500, f"refund.approved: {approved}")
    refunded = _webhooks(rid, "refund.refunded")
    check(len(refunded) == 2 and refunded[-1].get("appeal_award") == 2500, f"refund.refunded: {refunded}")
    # check-ledger reads the award: a row that says one fen more is reported (P1).
    rd.db(f"UPDATE refunds SET appeal_award = 2501 WHERE public_id = {rd.q(rid)}")
    try:
        p = mm._run(["check-ledger"])
        check(p.returncode != 0 and f"refund {rid}: P1" in p.stdout, f"check-ledger missed a wrong award: {p.stdout}")
    finally:
        rd.db(f"UPDATE refunds SET appeal_award = 2500 WHERE public_id = {rd.q(rid)}")
    check_ledger("the award restored")


def test_award_the_original_way_is_paid_out_once():
    o, buyer, rid = _partial("original")
    no, bid = o["order_no"], o["buyer_id"]
    _appeal(buyer, rid)
    arb, csrf, _ = _staff_client("arbiter")
    pv = expect_status(_decide(arb, csrf, rid, action="approve", amount_choice="full"), 200)
    check(_text(pv, "pv-buyer") == "¥60.00" and "支付宝" in _text(pv, "pv-via"), "the award the original way")
    form = {n.get("name"): n.get("value") for n in pv.doc.find_all("input") if n.get("type") == "hidden"}
    expect_status(arb.post_form(f"/desk/refund/{rid}/decision", form), 303)
    check(rd.refund_row(rid)["state"] == "refunding", "the award waits for the payment service")
    check_ledger("the award, before its payout")
    for _ in range(2):                                    # the report, then its repeat: a no-op
        r = rd.api("POST", f"/api/v1/refunds/{rid}/payout", {"state": "succeeded"})
        check(r.status == 200, f"payout report: {r!r}")
    m = _money(no, bid)
    check(m["buyer"] == 10000 and m["payout"] == 0 and m["merchant"] == 0 and m["escrow"] == 0,
          f"all ¥100 back the original way, once: {m}")
    keys = [k for (k,) in rd.db(f"SELECT t.uniq_key FROM ledger_txns t JOIN refunds r ON r.id = t.refund_id "
                                f"WHERE r.public_id = {rd.q(rid)} ORDER BY t.id")]
    check([k.split(":")[0] for k in keys] == ["refund", "payout", "appeal_refund", "appeal_payout"], f"{keys}")
    check(rd.refund_row(rid)["state"] == "refunded", "paid out")
    check_ledger("the award paid out")


def test_arbiter_upholds_the_partial_and_nothing_moves():
    o, buyer, rid = _partial()
    _appeal(buyer, rid)
    m0 = _money(o["order_no"], o["buyer_id"])
    txns = rd.db_count("ledger_txns")
    hooks = rd.db_count("webhook_events")
    arb, csrf, _ = _staff_client("arbiter")
    pv = expect_status(_decide(arb, csrf, rid, action="reject", note="凭证不足以支持更多退款。"), 200)
    check(_text(pv, "pv-state") == "已退款", f"upholding returns to refunded: {_text(pv, 'pv-state')}")
    expect_status(_decide(arb, csrf, rid, action="reject", note="凭证不足以支持更多退款。", confirm="1"), 303)
    check(rd.refund_row(rid)["state"] == "refunded", "upheld: refunded")
    check(_money(o["order_no"], o["buyer_id"]) == m0, "upholding moved money")
    check(rd.db_count("ledger_txns") == txns and rd.db_count("webhook_events") == hooks,
          "upholding wrote a ledger transaction or a webhook")
    check_ledger("the uphold")
    _appeal(buyer, rid, expect=409)                       # final: no second appeal
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    check(page.doc.by_id("appeal-link") is None and "凭证不足以支持更多退款" in page.text,
          "the arbiter's reason is not on the buyer's page, or the appeal is offered again")


def test_no_appeal_after_the_window():
    o, buyer, rid = _partial()
    deadline = int(rd.db_value(f"SELECT deadline FROM refunds WHERE public_id = {rd.q(rid)}"))
    check(abs(deadline - (rd.now() + 7 * 86400)) < 120, f"the window is 7 days from the refund: {deadline}")
    # The window passed (seven days on, as the row would read then).
    rd.db(f"UPDATE refunds SET deadline = {rd.now() - 1} WHERE public_id = {rd.q(rid)}")
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    check(page.doc.by_id("appeal-link") is None, "the appeal is offered after its window")
    before = rd.snapshot()
    _appeal(buyer, rid, expect=409)
    r = buyer.post_multipart(f"/refund/{rid}/appeal", {"csrf": rd.csrf_of(page), "note": "晚了", "confirm": "1"})
    check(r.status in (409, 403), f"an appeal after the window: {r!r}")
    rd.assert_unchanged(before, "an appeal after the window")
    check(rd.refund_row(rid)["state"] == "refunded", "still refunded")
