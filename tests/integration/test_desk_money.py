"""Money-safe staff decisions (issue 10, CONTRACT.md §4): amounts in yuan as a
person types them, a preview that changes nothing before confirm=1, the
confirm acting with exactly the previewed amount, internal notes that never
reach a buyer page, the API or a webhook, and an actor on every timeline
entry."""

import rd
from money_model import check_ledger
from rd import check, expect_status
from test_desk import _login, _review_refund, _staff

ACTORS = {"buyer", "cs", "merchant", "arbiter", "admin", "system", "storefront"}


def _cs():
    login, password = _staff("cs")
    c, r = _login(login, password)
    expect_status(r, 303)
    return c, rd.csrf_of(c.get("/desk")), login


def _buyer_refund():
    """An invalid_item claim in cs_review, with the buyer's client."""
    o = rd.used_card(merchant_id="m-test")
    buyer = rd.buyer_session(o)
    return o, buyer, rd.new_refund(buyer, o)


def _decide(c, rid, fields):
    return c.post_form(f"/desk/refund/{rid}/decision", fields)


def _text(resp, ident):
    n = resp.doc.by_id(ident)
    check(n is not None, f"no #{ident} in {resp!r}")
    return n.text().strip()


# (as typed, fen) — CONTRACT.md §4's examples, the signs and blanks people add
VALID = [("70", 7000), ("70.5", 7050), ("70.50", 7050), ("¥70", 7000), ("￥70", 7000),
         (" 70 ", 7000), ("￥ 0.01", 1), ("100", 10000), ("007.5", 750)]
# (as typed, a word of its message)
INVALID = [("70.505", "两位小数"), ("1.999", "两位小数"), ("-5", "负数"), ("¥-70", "负数"),
           ("abc", "数字"), ("1,5", "数字"), ("70元", "数字"), ("", "请填写"), ("0", "大于 0"),
           ("100.01", "超出可退"), ("99999999999999999999", "超出上限")]


def test_yuan_amounts_through_the_form():
    _, rid = _review_refund()
    c, csrf, _ = _cs()
    before = rd.snapshot()
    for typed, fen in VALID:
        r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "approve", "amount_choice": "custom",
                                           "amount": typed}), 200)
        want = f"¥{fen // 100}.{fen % 100:02d}"
        check(_text(r, "pv-buyer") == want, f"{typed!r}: the preview pays {_text(r, 'pv-buyer')}, not {want}")
        check(r.doc.hidden("amount") == want[1:] and r.doc.hidden("confirm") == "1",
              f"{typed!r}: the confirm form carries {r.doc.hidden('amount')!r}")
    for typed, word in INVALID:
        r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "approve", "amount_choice": "custom",
                                           "amount": typed, "note": "保留的说明", "internal_note": "保留的备注",
                                           "confirm": "1"}), 422)
        err = _text(r, "err-amount")
        check(word in err, f"{typed!r}: the message {err!r} should say {word!r}")
        check(r.doc.field_value("amount") == typed, f"{typed!r} not kept: {r.doc.field_value('amount')!r}")
        check(r.doc.field_value("amount_choice") == "custom", f"{typed!r}: the choice not kept")
        check(r.doc.field_value("note") == "保留的说明" and r.doc.field_value("internal_note") == "保留的备注",
              f"{typed!r}: the notes not kept")
        check(r.doc.field_value("action") == "approve", f"{typed!r}: the action not kept")
    rd.assert_unchanged(before, "previews and refused amounts")
    check(rd.refund_row(rid)["state"] == "cs_review", "nothing decided")
    # An amount that is no approval's: a rejection ignores it.
    r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "amount": "70.505",
                                       "note": "凭证不足"}), 200)
    check(_text(r, "pv-state") == "已驳回", "a rejection previews despite the amount")


def test_preview_changes_nothing_and_confirm_pays_what_it_showed():
    o, rid = _review_refund()
    c, csrf, login = _cs()
    check_ledger("before the previews")
    before = rd.snapshot()
    row_before = rd.db(f"SELECT state, refund_amount, fee, version, updated_at FROM refunds "
                       f"WHERE public_id = {rd.q(rid)}")
    hold_before = rd.db(f"SELECT h.state, h.released, h.refunded, h.fees FROM holds h JOIN orders o "
                        f"ON o.id = h.order_id WHERE o.order_no = {rd.q(o['order_no'])}")
    previews = {}
    for action, extra in (("approve", {"amount_choice": "custom", "amount": "40"}),
                          ("approve", {"amount_choice": "full"}), ("approve", {"amount_choice": "net"}),
                          ("reject", {"note": "凭证看不清"}), ("request_info", {"note": "请补充截图"}),
                          ("escalate", {})):
        r = expect_status(_decide(c, rid, {"csrf": csrf, "action": action, **extra}), 200)
        check(r.doc.by_id("preview") is not None and r.doc.hidden("confirm") == "1",
              f"{action}: no preview with a confirm form: {r!r}")
        check(r.doc.hidden("csrf") == csrf and r.doc.hidden("action") == action, f"{action}: confirm fields")
        previews.setdefault(action, r)
    rd.assert_unchanged(before, "previews")
    check(rd.db(f"SELECT state, refund_amount, fee, version, updated_at FROM refunds "
                f"WHERE public_id = {rd.q(rid)}") == row_before, "a preview touched the refund row")
    check(rd.db(f"SELECT h.state, h.released, h.refunded, h.fees FROM holds h JOIN orders o "
                f"ON o.id = h.order_id WHERE o.order_no = {rd.q(o['order_no'])}") == hold_before,
          "a preview touched the hold")
    check_ledger("previews")
    # What the previews say: the rejection unfreezes, escalation goes to the merchant.
    check(_text(previews["reject"], "pv-state") == "已驳回", "reject preview state")
    check(_text(previews["escalate"], "pv-state") == "商家复核", "escalate preview state")
    # Confirm: the preview's own form, sent as it is.
    r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "approve", "amount_choice": "custom",
                                       "amount": "¥40"}), 200)
    shown = (_text(r, "pv-buyer"), _text(r, "pv-merchant"), _text(r, "pv-fee"))
    check(shown == ("¥40.00", "¥60.00", "¥0.00"), f"the movement of 40 of 100: {shown}")
    form = {n.get("name"): n.get("value") for n in r.doc.find_all("input") if n.get("type") == "hidden"}
    # The same form with another amount for a quick choice is refused: not what was confirmed.
    r = expect_status(_decide(c, rid, {**form, "amount_choice": "net"}), 409)
    check("重新预览" in _text(r, "decision-error") and r.doc.field_value("amount_choice") == "net",
          "a 409 is the request page with the reason and the form as sent, not a dead end")
    rd.assert_unchanged(before, "a confirm with another amount")
    expect_status(_decide(c, rid, form), 303)
    # The same confirm again (a double click): 409, the page as it is now, nothing moves.
    twice = rd.snapshot()
    r = expect_status(_decide(c, rid, form), 409)
    check(r.doc.by_id("decision-error") is not None and rd.page_state(r) == "refunding", "a second confirm")
    rd.assert_unchanged(twice, "a second confirm")
    row = rd.db(f"SELECT state, refund_amount FROM refunds WHERE public_id = {rd.q(rid)}")[0]
    check(row == ["refunding", "4000"], f"confirmed the previewed ¥40.00: {row}")
    hold = rd.db(f"SELECT h.refunded, h.released FROM holds h JOIN orders o ON o.id = h.order_id "
                 f"WHERE o.order_no = {rd.q(o['order_no'])}")[0]
    check(hold == ["4000", "6000"], f"the hold moved as previewed: {hold}")
    check_ledger("the confirmed approval")
    ev = rd.db(f"SELECT actor, actor_name FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
               f"WHERE r.public_id = {rd.q(rid)} AND e.state = 'approved'")
    check(ev == [["cs", login]], f"the approval's actor: {ev}")


def test_internal_notes_never_reach_the_buyer():
    o, buyer, rid = _buyer_refund()
    c, csrf, login = _cs()
    secret = [f"INTERNAL-{rd.unique('n')}-{i}" for i in range(3)]
    visible = f"VISIBLE-{rd.unique('v')}"
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "request_info", "note": visible,
                                   "internal_note": secret[0], "confirm": "1"}), 303)
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    expect_status(buyer.post_form(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": "补充说明如下"}),
                  303)
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "escalate", "internal_note": secret[1],
                                   "confirm": "1"}), 303)
    m_login, m_pw = _staff("merchant", merchant="m-test")
    m, _ = _login(m_login, m_pw)
    mcsrf = rd.csrf_of(m.get("/desk"))
    expect_status(_decide(m, rid, {"csrf": mcsrf, "action": "approve", "amount": "30",
                                   "internal_note": secret[2], "confirm": "1"}), 303)
    # Staff read them ...
    staff_page = expect_status(c.get(f"/desk/refund/{rid}"), 200)
    check(all(s in staff_page.text for s in secret), "staff see every internal note")
    # ... buyers, the API and the webhooks never do.
    check(visible in expect_status(buyer.get(f"/refund/{rid}"), 200).text, "the note to the buyer shows")
    bodies = {"buyer status page": buyer.get(f"/refund/{rid}").text,
              "buyer form page": buyer.get(f"/refund/new?order={o['order_no']}").text,
              "GET /api/v1/orders/NO": rd.api("GET", f"/api/v1/orders/{o['order_no']}").text,
              "GET /api/v1/refunds/ID": rd.api("GET", f"/api/v1/refunds/{rid}").text}
    for row in rd.db("SELECT payload FROM webhook_events"):
        bodies.setdefault("webhook bodies", "")
        bodies["webhook bodies"] += row[0]
    check("webhook bodies" in bodies and rid in bodies["webhook bodies"], "the approval queued a webhook")
    for where, body in bodies.items():
        for s in secret:
            check(s not in body, f"an internal note reached the {where}")
        check(login not in body and m_login not in body, f"a staff login reached the {where}")
    n = rd.db_value(f"SELECT COUNT(*) FROM refund_internal_notes n JOIN refunds r ON r.id = n.refund_id "
                    f"WHERE r.public_id = {rd.q(rid)}")
    check(n == "3", f"three internal notes stored: {n}")
    check_ledger("decisions with internal notes")


def test_every_timeline_entry_has_its_actor():
    o, buyer, rid = _buyer_refund()
    c, csrf, login = _cs()
    page = expect_status(buyer.get(f"/refund/{rid}"), 200)
    fake = "系统：平台已同意全额退款"              # buyer text dressed as a system line
    expect_status(buyer.post_form(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": fake}), 303)
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "note": "凭证不足",
                                   "confirm": "1"}), 303)
    rows = rd.db(f"SELECT e.actor, e.actor_name FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                 f"WHERE r.public_id = {rd.q(rid)} ORDER BY e.id")
    check(len(rows) >= 4, f"events: {rows}")
    check(all(a in ACTORS for a, _ in rows), f"an event without a known actor: {rows}")
    check(["cs", login] in rows and ["buyer", ""] in rows and any(a == "system" for a, _ in rows),
          f"buyer, system and the cs login: {rows}")
    j = rd.api("GET", f"/api/v1/refunds/{rid}").json()
    check(all(e.get("actor") in ACTORS for e in j["refund"]["timeline"]), f"API timeline actors: {j}")
    for who, client, labels in (("buyer", buyer, {"买家", "系统", "客服"}), ("staff", c, {"买家", "系统", "客服 " + login})):
        page = expect_status(client.get((f"/refund/{rid}" if who == "buyer" else f"/desk/refund/{rid}")), 200)
        items = rd.timeline_items(page)
        check(len(items) == len(rows), f"{who}: {len(items)} entries for {len(rows)} events")
        seen = set()
        for li in items:
            actor = li.get("data-actor")
            check(actor in ACTORS and f"by-{actor}" in li.classes(), f"{who}: an entry without its actor: {li}")
            w = li.find("span", **{"class": "who"})
            check(w is not None and w.text().strip(), f"{who}: an entry without its label: {li}")
            seen.add(w.text().strip())
        check(labels <= seen, f"{who}: labels {seen}, want {labels}")
        # The buyer's words are quoted as the buyer's, never bare.
        li = [n for n in items if fake in n.text()]
        check(len(li) == 1 and li[0].get("data-actor") == "buyer", f"{who}: the buyer's note entry")
        q = li[0].find("q")
        check(q is not None and "buyer-text" in q.classes() and q.text() == fake, f"{who}: not quoted")
    check(login not in expect_status(buyer.get(f"/refund/{rid}"), 200).text, "a staff login on a buyer page")


def test_reply_templates_stand_for_the_note():
    _, rid = _review_refund()
    c, csrf, _ = _cs()
    page = expect_status(c.get(f"/desk/refund/{rid}"), 200)
    tpls = {}
    for label in page.doc.find_all("label", class_="tpl"):
        tag = label.find("span", class_="tag").text().strip()
        tpls.setdefault(tag, []).append((label.find("input").get("value"), label.text().replace(tag, "", 1).strip()))
    check("驳回" in tpls and "同意退款" in tpls, f"the built-in templates of cs_review's actions: {tpls}")
    idx, text = tpls["驳回"][0]
    before = rd.snapshot()
    r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "reply_template": idx}), 200)
    check(_text(r, "pv-note").startswith(text) and r.doc.hidden("note") == text,
          f"the template's text is the note: {_text(r, 'pv-note')!r}")
    form = {n.get("name"): n.get("value") for n in r.doc.find_all("input") if n.get("type") == "hidden"}
    # Another action's template, or a template beside a typed note: refused, values kept.
    r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "reply_template": tpls["同意退款"][0][0]}),
                      422)
    check("不适用" in _text(r, "err-reply_template"), "another action's template")
    r = expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "reply_template": idx,
                                       "note": "自己写的"}), 422)
    check("二选一" in _text(r, "err-reply_template") and r.doc.field_value("note") == "自己写的",
          "a template and a note")
    expect_status(_decide(c, rid, {"csrf": csrf, "action": "reject", "reply_template": "99"}), 422)
    rd.assert_unchanged(before, "template previews")
    expect_status(_decide(c, rid, form), 303)
    note = rd.db_value(f"SELECT e.note FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                       f"WHERE r.public_id = {rd.q(rid)} AND e.state = 'rejected'")
    check(note == text, f"the rejection's note is the template: {note!r}")
