"""Storefront API (CONTRACT.md §5): signed JSON calls that register orders and
report delivery and usage. Refusals write nothing."""

import rd
from rd import check, expect_status, expect_api_error, q

ORDERS = "/api/v1/orders"


def _rows(order_no):
    return rd.db_count("orders", f"order_no = {q(order_no)}")


def test_register_order_opens_hold():
    b = rd.order_body()
    r = expect_status(rd.api("POST", ORDERS, b), *rd.REGISTERED)
    check((r.header("Content-Type") or "").startswith("application/json"), f"not JSON: {r!r}")
    row = rd.db(f"SELECT buyer_id, merchant_id, category, title, amount, pay_channel, contact "
                f"FROM orders WHERE order_no = {q(b['order_no'])}")
    check(row == [[b["buyer_id"], b["merchant_id"], b["category"], b["title"],
                   str(b["amount"]), b["pay_channel"], b["contact"]]],
          f"orders row is {row}")
    hold = rd.db("SELECT h.state, h.amount FROM holds h JOIN orders o ON o.id = h.order_id "
                 f"WHERE o.order_no = {q(b['order_no'])}")
    check(hold == [["held", str(b["amount"])]], f"hold is {hold}, want held {b['amount']}")


def test_register_same_body_twice_is_noop():
    b = rd.order_body()
    expect_status(rd.api("POST", ORDERS, b), *rd.REGISTERED)
    before = rd.snapshot()
    expect_status(rd.api("POST", ORDERS, b), 200)
    rd.assert_unchanged(before, "same body again")
    check(_rows(b["order_no"]) == 1, "the order is there once")


def test_register_different_body_conflicts():
    b = rd.order_body()
    expect_status(rd.api("POST", ORDERS, b), *rd.REGISTERED)
    before = rd.snapshot()
    changed = dict(b, amount=b["amount"] + 1)
    expect_api_error(rd.api("POST", ORDERS, changed), 409)
    rd.assert_unchanged(before, "different body")
    amount = rd.db_value(f"SELECT amount FROM orders WHERE order_no = {q(b['order_no'])}")
    check(amount == str(b["amount"]), f"amount changed to {amount}")


def test_register_bad_signature_401():
    b = rd.order_body()
    before = rd.snapshot()
    good = rd.api_signature("POST", ORDERS, rd.now(), b'{"x":1}')
    cases = {
        "flipped signature": dict(sig=good[:-1] + ("0" if good[-1] != "0" else "1")),
        "other secret": dict(secret="f" * 64),
        "empty signature": dict(sig=""),
        "not hex": dict(sig="z" * 64),
    }
    for what, kw in cases.items():
        expect_api_error(rd.api("POST", ORDERS, b, **kw), 401)
        rd.assert_unchanged(before, what)
    # No headers at all.
    r = rd.Client().request("POST", ORDERS, body=b"{}",
                            headers={"Content-Type": "application/json"})
    expect_api_error(r, 401)
    rd.assert_unchanged(before, "unsigned")


def test_register_signature_covers_body():
    b = rd.order_body()
    body = rd.json.dumps(b).encode()
    ts = rd.now()
    sig = rd.api_signature("POST", ORDERS, ts, body)
    before = rd.snapshot()
    tampered = rd.json.dumps(dict(b, amount=1)).encode()
    expect_api_error(rd.api("POST", ORDERS, body=tampered, ts=ts, sig=sig), 401)
    rd.assert_unchanged(before, "body changed after signing")


def test_register_stale_timestamp_401():
    b = rd.order_body()
    before = rd.snapshot()
    # 305, not 301: a slow request (plain CGI on a busy machine) can take
    # a second or more, and the server's clock is read after ours.
    for skew in (-305, 305):
        expect_api_error(rd.api("POST", ORDERS, b, ts=rd.now() + skew), 401)
        rd.assert_unchanged(before, f"timestamp {skew:+d} s")
    expect_api_error(rd.api("POST", ORDERS, b, headers={"X-RD-Timestamp": "12abc"}), 401)
    rd.assert_unchanged(before, "malformed timestamp")


def test_register_malformed_json_400():
    before = rd.snapshot()
    for body in (b'{"order_no": ', b"[1,2]", b"", b"\xff\xfe{}", b'{"order_no": "A"} trailing'):
        expect_api_error(rd.api("POST", ORDERS, body=body), 400)
        rd.assert_unchanged(before, f"body {body!r}")


def test_register_bad_amounts_refused():
    before = rd.snapshot()
    for amount in (0, -1, 2 ** 53 + 1, "1999", 19.99, None, True):
        b = rd.order_body(amount=amount)
        expect_api_error(rd.api("POST", ORDERS, b), 400, 422)
        rd.assert_unchanged(before, f"amount {amount!r}")
        check(_rows(b["order_no"]) == 0, f"amount {amount!r} wrote a row")


def test_register_bad_fields_refused():
    before = rd.snapshot()
    cases = {
        "unknown pay_channel": dict(pay_channel="paypal"),
        "unknown category": dict(category="furniture"),
        "order_no with a slash": dict(order_no="A/B" + rd.unique("")),
        "order_no too long": dict(order_no="O" * 33),
        "empty buyer_id": dict(buyer_id=""),
        "lookup_code missing": dict(lookup_code=None),
    }
    for what, over in cases.items():
        b = rd.order_body(**over)
        if b.get("lookup_code") is None:
            del b["lookup_code"]
        expect_api_error(rd.api("POST", ORDERS, b), 400, 422)
        rd.assert_unchanged(before, what)


def test_delivery_and_usage_reports():
    b = rd.register()
    no = b["order_no"]
    at = rd.now() - 30
    expect_status(rd.api("POST", f"{ORDERS}/{no}/delivery",
                         {"state": "delivered", "kind": "card_key", "at": at}), 200)
    row = rd.db(f"SELECT delivery, delivery_kind, delivered_at FROM orders WHERE order_no = {q(no)}")
    check(row == [["delivered", "card_key", str(at)]], f"after delivery: {row}")
    seen = rd.now() - 10
    expect_status(rd.api("POST", f"{ORDERS}/{no}/usage",
                         {"key_revealed_at": seen, "redeemed": True}), 200)
    row = rd.db(f"SELECT key_revealed_at, redeemed FROM orders WHERE order_no = {q(no)}")
    check(row == [[str(seen), "1"]], f"after usage: {row}")


def test_delivery_refusals():
    b = rd.register()
    no = b["order_no"]
    before = rd.snapshot()
    expect_api_error(rd.api("POST", f"{ORDERS}/{no}/delivery",
                            {"state": "shipped", "kind": "card_key", "at": rd.now()}), 400, 422)
    expect_api_error(rd.api("POST", f"{ORDERS}/{no}/delivery",
                            {"state": "delivered", "kind": "parcel", "at": rd.now()}), 400, 422)
    expect_api_error(rd.api("POST", f"{ORDERS}/{no}/usage", {"redeemed": "yes"}), 400, 422)
    expect_api_error(rd.api("POST", f"{ORDERS}/{rd.unique('NX')}/delivery",
                            {"state": "delivered", "kind": "card_key", "at": rd.now()}), 404)
    expect_api_error(rd.api("POST", f"{ORDERS}/{no}/delivery",
                            {"state": "delivered", "kind": "card_key", "at": rd.now()},
                            secret="0" * 64), 401)
    rd.assert_unchanged(before, "refused reports")
    row = rd.db(f"SELECT delivery, delivered_at FROM orders WHERE order_no = {q(no)}")
    check(row == [["pending", "0"]], f"refused reports changed the order: {row}")


def test_get_order_shape():
    b = rd.used_card()
    r = expect_status(rd.api("GET", f"{ORDERS}/{b['order_no']}"), 200)
    j = r.json()
    o = j.get("order")
    check(isinstance(o, dict), f"no order object: {j}")
    for k in ("order_no", "buyer_id", "merchant_id", "category", "amount", "currency",
              "pay_channel"):
        check(o.get(k) == b[k], f"order.{k} is {o.get(k)!r}, want {b[k]!r}")
    check(isinstance(o.get("delivery"), dict), f"order.delivery: {o.get('delivery')!r}")
    check(isinstance(o.get("usage"), dict), f"order.usage: {o.get('usage')!r}")
    h = o.get("hold")
    check(isinstance(h, dict) and h.get("state") == "held" and h.get("amount") == b["amount"],
          f"order.hold is {h!r}")
    for k in ("released", "refunded", "fees"):
        check(h.get(k) == 0, f"hold.{k} is {h.get(k)!r}, want 0")
    check(j.get("refunds") == [], f"refunds is {j.get('refunds')!r}, want []")
    expect_api_error(rd.api("GET", f"{ORDERS}/{rd.unique('NX')}"), 404)
    expect_api_error(rd.api("GET", f"{ORDERS}/{b['order_no']}", secret="1" * 64), 401)


def test_get_refund_shape():
    o = rd.used_card()
    rid = rd.new_refund(rd.buyer_session(o), o)
    j = expect_status(rd.api("GET", f"/api/v1/refunds/{rid}"), 200).json()
    ref = j.get("refund")
    check(isinstance(ref, dict), f"no refund object: {j}")
    check(ref.get("id") == rid and ref.get("order_no") == o["order_no"]
          and ref.get("type") == "invalid_item" and ref.get("destination") == "original",
          f"refund is {ref}")
    check(ref.get("state") == rd.refund_row(rid)["state"], f"refund.state {ref.get('state')!r}")
    check(ref.get("requested_amount") == o["amount"], f"requested_amount {ref.get('requested_amount')!r}")
    tl = ref.get("timeline")
    check(isinstance(tl, list) and tl and all({"at", "state", "actor", "note"} <= set(e) for e in tl),
          f"timeline is {tl!r}")
    expect_api_error(rd.api("GET", "/api/v1/refunds/" + "A" * 22), 404)
