"""Money rules that each closed a way to pay twice or to accept a request
nobody could pay (found by the randomized money test)."""

import rd
from money_model import Staff, check_ledger
from rd import check, expect_status


def _instant(o, dest, c=None):
    c = c or rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    return c, rd.refund_id_of(c.post_form("/refund/new", rd.refund_fields(
        form, o["order_no"], type="not_delivered", destination=dest)))


def test_balance_only_after_a_failed_payout_and_never_twice():
    o = rd.register(pay_channel="alipay")
    _, rid = _instant(o, "original")
    staff = Staff()
    r = staff.decide(rid, "to_balance")
    expect_status(r, 409)                         # the money may still arrive by Alipay
    expect_status(rd.api("POST", f"/api/v1/refunds/{rid}/payout", {"state": "failed"}), 200)
    expect_status(staff.decide(rid, "to_balance"), 303)
    check(rd.refund_row(rid)["state"] == "refunded", "moved to the balance")
    late = rd.api("POST", f"/api/v1/refunds/{rid}/payout", {"state": "succeeded"})
    expect_status(late, 409)                      # the buyer would have been paid twice
    check_ledger()


def test_no_request_that_nothing_is_left_to_pay():
    # Confirmed (released to the merchant), then refunded in full by claw-back:
    # the merchant holds nothing of this order any more.
    o = rd.register(pay_channel="balance")
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    expect_status(c.post_form(f"/order/{o['order_no']}/confirm", {"csrf": rd.csrf_of(form), "confirm": "1"}), 303)
    _, first = _instant(o, "balance", c)
    check(rd.refund_row(first)["state"] == "refunded", "the claw-back paid")
    page = rd.open_form(c, o["order_no"])
    check(page.doc.find("form", action="/refund/new") is None, "no form when nothing is left")
    before = rd.snapshot()
    r = rd.submit(c, rd.refund_fields(form, o["order_no"], type="duplicate_charge", idem=rd.unique("idem")),
                  [rd.File(rd.png(o["order_no"]), "pay.png", "image/png")])
    expect_status(r, 422)
    rd.assert_unchanged(before, "nothing left to refund")
    check_ledger()


def test_no_delivery_after_the_money_went_back():
    o = rd.register()
    _instant(o, "balance")
    r = rd.api("POST", f"/api/v1/orders/{o['order_no']}/delivery",
               {"state": "delivered", "kind": "card_key", "at": rd.now()})
    rd.expect_api_error(r, 409)
