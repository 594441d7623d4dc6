"""A buyer's own requests: nobody else sees or touches them; cancelling unfreezes
the escrow hold."""

import rd
from rd import check, expect_status


def test_other_buyers_refund_is_404():
    a = rd.used_card()
    ca = rd.buyer_session(a)
    rid = rd.new_refund(ca, a, reason="我的卡密无效，请帮忙退款，谢谢客服。")
    b = rd.used_card()
    cb = rd.buyer_session(b)
    csrf_b = rd.csrf_of(rd.open_form(cb, b["order_no"]))
    state = rd.refund_row(rid)["state"]
    before = rd.snapshot()

    r = expect_status(cb.get(f"/refund/{rid}"), 404)
    check("我的卡密无效" not in r.text, "another buyer's reason is shown")
    expect_status(cb.post_form(f"/refund/{rid}/cancel", {"csrf": csrf_b}), 404)
    expect_status(cb.get(f"/refund/{rid}/evidence/1"), 404)
    # Nor without any session.
    anon = rd.Client()
    for path in (f"/refund/{rid}", f"/refund/{rid}/evidence/1"):
        r = anon.get(path)
        check(r.status in (303, 401, 403, 404), f"{path} without a session: {r!r}")
        check(not r.body.startswith(b"\x89PNG") and "我的卡密无效" not in r.text,
              f"{path} without a session leaks content")
    rd.assert_unchanged(before, "another buyer's attempts")
    check(rd.refund_row(rid)["state"] == state, "the state changed")
    # Unknown ids look the same as other people's.
    expect_status(cb.get("/refund/" + "Z" * 22), 404)


def test_cancel_unfreezes_hold():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    row = rd.refund_row(rid)
    check(rd.hold_state(o["order_no"]) == "frozen", "an open request should freeze the hold")
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    token = rd.csrf_of(page)
    shown = len(rd.timeline_items(page))

    before = rd.snapshot()
    expect_status(c.post_form(f"/refund/{rid}/cancel", {}), 403)
    expect_status(c.post_form(f"/refund/{rid}/cancel", {"csrf": "0" * 64}), 403)
    rd.assert_unchanged(before, "cancel without a valid csrf")
    check(rd.refund_row(rid)["state"] == row["state"], "cancelled without csrf")

    # i10-buyer: without confirm=1 the confirm page, and nothing changes.
    before = rd.snapshot()
    ask = expect_status(c.post_form(f"/refund/{rid}/cancel", {"csrf": token}), 200)
    rd.assert_unchanged(before, "cancel without confirm=1")
    check('data-action="cancel"' in ask.text and 'name="confirm" value="1"' in ask.text,
          "the cancel confirm page has no confirm=1 form")
    r = expect_status(c.post_form(f"/refund/{rid}/cancel", {"csrf": token, "confirm": "1"}), 303)
    check(r.location() == f"/refund/{rid}?done=cancelled", f"cancel redirected to {r.location()!r}")
    done = expect_status(c.get(r.location()), 200)
    check('id="done"' in done.text and "已撤销退款申请" in done.text, "no success banner after cancel")
    after = rd.refund_row(rid)
    check(after["state"] == "cancelled", f"state {after['state']!r} after cancel")
    check(after["open_order_id"] is None, "a cancelled request is still marked open")
    check(rd.hold_state(o["order_no"]) == "held", "the hold is not back to held after cancel")

    page = expect_status(c.get(f"/refund/{rid}"), 200)
    check(rd.page_state(page) == "cancelled", f"data-state {rd.page_state(page)!r}")
    items = rd.timeline_items(page)
    events = rd.db_count("refund_events", f"refund_id = {row['id']}")
    check(len(items) == shown + 1 == events, f"timeline {shown} -> {len(items)} items, {events} events")

    # Cancelling again changes nothing.
    before = rd.snapshot()
    r = c.post_form(f"/refund/{rid}/cancel", {"csrf": token, "confirm": "1"})
    check(r.status < 500, f"second cancel: {r!r}")
    rd.assert_unchanged(before, "second cancel")
    check(rd.refund_row(rid)["state"] == "cancelled", "state changed on a second cancel")

    # Nothing is open now: the buyer may ask again.
    rid2 = rd.new_refund(c, o)
    check(rid2 != rid, "a new request got the old id")
