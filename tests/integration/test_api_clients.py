"""API clients (issue 15, CONTRACT.md §7): `refund-desk api-client add --buyer ID`
prints a client id and secret; requests signed with that secret plus
`X-RD-Client` act as that buyer on that buyer's orders only: GET an order,
GET a refund, POST /api/v1/refunds. Another buyer's order or refund is 404
(never a 403 that confirms it exists) and nothing is written; storefront-only
calls refuse a client; an unknown or revoked client is 401; a replayed
signature is 409 as for the storefront."""

import json
import secrets
import subprocess

import rd
from rd import check, expect_api_error, expect_status, q

REFUNDS = "/api/v1/refunds"


def add_client(buyer):
    """(client_id, secret) from the command, as an operator runs it."""
    out = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "api-client", "add",
                          "--buyer", buyer], check=True, capture_output=True, text=True).stdout
    parts = out.split()
    check(len(parts) == 2 and len(parts[1]) == 64, f"api-client add printed {out!r}")
    return parts[0], parts[1]


def as_client(client, method, path, obj=None, body=None, headers=None, **kw):
    """A call signed with the client's secret and naming it in X-RD-Client."""
    cid, secret = client
    h = {"X-RD-Client": cid}
    h.update(headers or {})
    return rd.api(method, path, obj, body=body, secret=secret, headers=h, **kw)


def claim(order_no, **over):
    b = {"order_no": order_no, "type": "not_delivered", "reason": "上游未发货，下游买家已退款，申请调账",
         "destination": "balance", "idem": "claim" + secrets.token_hex(10)}
    b.update(over)
    return b


def test_client_files_an_instant_refund_and_a_retry_returns_it():
    o = rd.register()
    c = add_client(o["buyer_id"])
    body = claim(o["order_no"])
    r = as_client(c, "POST", REFUNDS, body)
    expect_status(r, 201)
    rf = r.json()["refund"]
    check(rf["state"] == "refunded" and rf["destination"] == "balance" and rf["order_no"] == o["order_no"],
          f"an undelivered order's claim is refunded at once: {rf}")
    check("risk_flags" not in rf and "reviewer" not in rf, f"a client sees no risk internals: {rf}")
    before = rd.snapshot()
    again = as_client(c, "POST", REFUNDS, body)
    expect_status(again, 200)
    check(again.json()["refund"]["id"] == rf["id"], f"the same idem answers the first refund: {again!r}")
    rd.assert_unchanged(before, "a retried claim")
    n = rd.db_value(f"SELECT COUNT(*) FROM refunds r JOIN orders o ON o.id = r.order_id "
                    f"WHERE o.order_no = {q(o['order_no'])}")
    check(n == "1", f"one refund for one idem, got {n}")
    got = as_client(c, "GET", f"{REFUNDS}/{rf['id']}")
    expect_status(got, 200)
    check(got.json()["refund"]["state"] == "refunded", f"the client reads its refund: {got!r}")
    order = as_client(c, "GET", f"/api/v1/orders/{o['order_no']}")
    expect_status(order, 200)
    check([x["id"] for x in order.json()["refunds"]] == [rf["id"]], f"the client reads its order: {order!r}")


def test_client_claim_goes_to_review_where_the_policy_says():
    o = rd.register()
    rd.db(f"INSERT INTO blacklist (kind, value, created_at) VALUES ('buyer', {q(o['buyer_id'])}, 0)")
    c = add_client(o["buyer_id"])
    r = as_client(c, "POST", REFUNDS, claim(o["order_no"]))
    expect_status(r, 201)
    check(r.json()["refund"]["state"] == "cs_review", f"a risk rule sends it to review: {r!r}")
    check(rd.hold_state(o["order_no"]) == "frozen", "the hold is frozen while it is reviewed")
    # A second request while this one is open: 409 naming the open one.
    e = expect_api_error(as_client(c, "POST", REFUNDS, claim(o["order_no"])), 409)
    check(e.get("refund_id") == r.json()["refund"]["id"], f"409 names the open request: {e}")


def test_client_claim_refused_fields_write_nothing():
    o = rd.register()
    c = add_client(o["buyer_id"])
    before = rd.snapshot()
    for over, code in (({"destination": "original"}, "bad_value"), ({"reason": "短"}, "bad_length"),
                       ({"type": "nope"}, "bad_value"), ({"idem": "x"}, "bad_length"),
                       ({"type": "invalid_item"}, "not_allowed")):
        e = expect_api_error(as_client(c, "POST", REFUNDS, claim(o["order_no"], **over)), 422)
        check(e["code"] == code, f"{over}: want {code}, got {e}")
    body = claim(o["order_no"])
    del body["idem"]
    expect_api_error(as_client(c, "POST", REFUNDS, body), 422)
    rd.assert_unchanged(before, "refused claims")


def test_client_sees_nothing_of_another_buyer():
    """IDOR on every call: client A against buyer B's order and refund."""
    a, b = rd.register(), rd.register()
    ca = add_client(a["buyer_id"])
    cb = add_client(b["buyer_id"])
    rb = as_client(cb, "POST", REFUNDS, claim(b["order_no"])).json()["refund"]
    before = rd.snapshot()
    missing = as_client(ca, "GET", "/api/v1/orders/NOSUCHORDER1")
    for r in (as_client(ca, "GET", f"/api/v1/orders/{b['order_no']}"),
              as_client(ca, "GET", f"{REFUNDS}/{rb['id']}"),
              as_client(ca, "POST", REFUNDS, claim(b["order_no"])),
              # B's idem from A: still B's order, still not found.
              as_client(ca, "POST", REFUNDS, claim(b["order_no"], idem="claim" + secrets.token_hex(10)))):
        e = expect_api_error(r, 404)
        check(r.body == missing.body or e["code"] == "not_found",
              f"another buyer's resource answers as a missing one: {r!r}")
    rd.assert_unchanged(before, "client A probing buyer B")
    # A's own order works; B's refund is untouched.
    expect_status(as_client(ca, "GET", f"/api/v1/orders/{a['order_no']}"), 200)
    check(rd.refund_row(rb["id"])["state"] == "refunded", "B's refund unchanged")


def test_storefront_only_calls_refuse_a_client():
    o = rd.register()
    c = add_client(o["buyer_id"])
    before = rd.snapshot()
    calls = (("POST", "/api/v1/orders", rd.order_body(buyer_id=o["buyer_id"])),
             ("POST", f"/api/v1/orders/{o['order_no']}/delivery", {"state": "failed", "kind": "card_key",
                                                                   "at": rd.now()}),
             ("POST", f"/api/v1/orders/{o['order_no']}/usage", {"redeemed": False}),
             ("POST", f"{REFUNDS}/NOSUCHREFUND/payout", {"state": "succeeded"}))
    for method, path, body in calls:
        e = expect_api_error(as_client(c, method, path, body), 403)
        check(e["code"] == "storefront_only", f"{path}: {e}")
    rd.assert_unchanged(before, "a client on storefront-only calls")
    # And the storefront cannot file as a buyer: it has none.
    e = expect_api_error(rd.api("POST", REFUNDS, claim(o["order_no"])), 403)
    check(e["code"] == "client_only", f"the storefront on POST /api/v1/refunds: {e}")
    data, ctype = rd.multipart([("json", json.dumps(claim(o["order_no"])))], [rd.File(rd.png(1))])
    e = expect_api_error(rd.api("POST", REFUNDS, body=data, headers={"Content-Type": ctype}), 403)
    check(e["code"] == "client_only", f"the storefront's upload: {e}")
    rd.assert_unchanged(before, "the storefront filing as a buyer")


def test_unknown_revoked_or_wrongly_signed_client_is_401():
    o = rd.register()
    c = add_client(o["buyer_id"])
    path = f"/api/v1/orders/{o['order_no']}"
    expect_status(as_client(c, "GET", path), 200)
    for who, secret in (("rdc_" + "x" * 20, c[1]), (c[0], rd.env("RD_API_SECRET")),
                        (c[0], "0" * 64), ("bad id!", c[1])):
        e = expect_api_error(as_client((who, secret), "GET", path), 401)
        check(e["code"] == "bad_signature", f"{who}: {e}")
    # Another buyer's client's secret does not sign for this one.
    other = add_client(rd.register()["buyer_id"])
    expect_api_error(as_client((c[0], other[1]), "GET", path), 401)
    out = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "api-client", "revoke", c[0]],
                         capture_output=True, text=True)
    check(out.returncode == 0, f"revoke: {out.stderr}")
    before = rd.snapshot()
    expect_api_error(as_client(c, "GET", path), 401)
    expect_api_error(as_client(c, "POST", REFUNDS, claim(o["order_no"])), 401)
    rd.assert_unchanged(before, "a revoked client")
    listed = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "api-client", "list"],
                            check=True, capture_output=True, text=True).stdout
    check(f"{c[0]} buyer={o['buyer_id']}" in listed and "revoked" in listed, f"list: {listed!r}")
    again = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "api-client", "revoke", c[0]],
                           capture_output=True, text=True)
    check(again.returncode == 1, "revoking twice says there is no live client")


def test_client_replay_is_409():
    o = rd.register()
    cid, secret = add_client(o["buyer_id"])
    body = json.dumps(claim(o["order_no"])).encode()
    ts = rd.fresh_ts("POST", REFUNDS, body)
    h = {"X-RD-Timestamp": str(ts), "X-RD-Signature": rd.api_signature("POST", REFUNDS, ts, body, secret),
         "X-RD-Client": cid, "Content-Type": "application/json"}
    expect_status(rd.Client().request("POST", REFUNDS, body=body, headers=h), 201)
    before = rd.snapshot()
    e = expect_api_error(rd.Client().request("POST", REFUNDS, body=body, headers=h), 409)
    check(e["code"] == "replayed", f"a captured client request: {e}")
    rd.assert_unchanged(before, "a replayed client request")


def _multipart_claim(c, body, files):
    data, ctype = rd.multipart([("json", json.dumps(body))], files)
    return as_client(c, "POST", REFUNDS, body=data, headers={"Content-Type": ctype})


def test_client_evidence_as_multipart_parts():
    """A defect claim needs evidence: JSON alone is 422; a multipart body with a
    `json` part and an `evidence` part files it for review with the file kept."""
    o = rd.used_card()
    c = add_client(o["buyer_id"])
    body = claim(o["order_no"], type="invalid_item")
    before = rd.snapshot()
    e = expect_api_error(as_client(c, "POST", REFUNDS, body), 422)
    check(e["code"] == "evidence_required", f"no evidence: {e}")
    # A file that is not an image by content (whatever it declares): 415.
    e = expect_api_error(_multipart_claim(c, body, [rd.File(b"MZ not an image at all")]), 415)
    check(e["code"] == "evidence_type", f"evidence by content: {e}")
    rd.assert_unchanged(before, "claims without acceptable evidence")
    r = _multipart_claim(c, body, [rd.File(rd.png(7)), rd.File(rd.pdf(7), "r.pdf", "application/pdf")])
    expect_status(r, 201)
    rf = r.json()["refund"]
    check(rf["state"] == "cs_review", f"a defect claim goes to review: {rf}")
    ev = rd.db(f"SELECT e.mime FROM evidence e JOIN refunds r ON r.id = e.refund_id "
               f"WHERE r.public_id = {q(rf['id'])} ORDER BY e.seq")
    check([x[0] for x in ev] == ["image/png", "application/pdf"], f"evidence rows: {ev}")
    # The same idem again as multipart: the first refund, no second file row.
    again = _multipart_claim(c, body, [rd.File(rd.png(8))])
    expect_status(again, 200)
    check(again.json()["refund"]["id"] == rf["id"], f"a retried claim: {again!r}")
    n = rd.db_value("SELECT COUNT(*) FROM evidence e JOIN refunds r ON r.id = e.refund_id "
                    f"WHERE r.public_id = {q(rf['id'])}")
    check(n == "2", f"a retry adds no evidence: {n}")


def test_client_multipart_signature_covers_the_files():
    o = rd.used_card()
    cid, secret = add_client(o["buyer_id"])
    body = claim(o["order_no"], type="invalid_item")
    data, ctype = rd.multipart([("json", json.dumps(body))], [rd.File(rd.png(3))])
    ts = rd.fresh_ts("POST", REFUNDS, data)
    sig = rd.api_signature("POST", REFUNDS, ts, data, secret)
    tampered = data.replace(rd.png(3), rd.png(4))
    check(tampered != data, "the test must change the file's bytes")
    before = rd.snapshot()
    h = {"X-RD-Timestamp": str(ts), "X-RD-Signature": sig, "X-RD-Client": cid, "Content-Type": ctype}
    e = expect_api_error(rd.Client().request("POST", REFUNDS, body=tampered, headers=h), 401)
    check(e["code"] == "bad_signature", f"a swapped file: {e}")
    # Two json parts, or a text part of another name: refused, nothing written.
    for fields in ([("json", json.dumps(body)), ("json", json.dumps(body))],
                   [("json", json.dumps(body)), ("reason", "x")]):
        d2, ct2 = rd.multipart(fields, [rd.File(rd.png(5))])
        e = expect_api_error(as_client((cid, secret), "POST", REFUNDS, body=d2,
                                       headers={"Content-Type": ct2}), 400)
        check(e["code"] == "bad_body", f"{[k for k, _ in fields]}: {e}")
    rd.assert_unchanged(before, "refused multipart claims")
