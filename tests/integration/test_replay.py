"""A captured storefront request is worthless (issue 9, CONTRACT.md §5): each
signature works once, it covers PATH?QUERY, paths are taken as sent (no
`//`, no dot segments), facts only move forward, duplicate JSON keys are
refused, and webhooks are signed with their own secret."""

import json
import os
import subprocess
import tempfile

import rd
from rd import check, expect_api_error, expect_status, q

ORDERS = "/api/v1/orders"


def _signed(method, path, obj=None, body=None):
    """(headers, body) of one honest signed call, to send more than once."""
    if body is None:
        body = b"" if obj is None else json.dumps(obj).encode()
    ts = rd.fresh_ts(method, path, body)
    h = {"X-RD-Timestamp": str(ts), "X-RD-Signature": rd.api_signature(method, path, ts, body)}
    if method == "POST":
        h["Content-Type"] = "application/json"
    return h, body


def _send(method, path, h, body):
    return rd.Client().request(method, path, body=body if method == "POST" else None, headers=h)


def _order_row(no, cols):
    return rd.db(f"SELECT {cols} FROM orders WHERE order_no = {q(no)}")[0]


def test_byte_identical_replay_is_409_replayed():
    o = rd.register(category="direct_topup")
    no = o["order_no"]
    failed = _signed("POST", f"{ORDERS}/{no}/usage", {"topup": "failed"})
    expect_status(_send("POST", f"{ORDERS}/{no}/usage", *failed), 200)
    expect_status(rd.api("POST", f"{ORDERS}/{no}/usage", {"topup": "succeeded"}), 200)
    before = rd.snapshot()
    e = expect_api_error(_send("POST", f"{ORDERS}/{no}/usage", *failed), 409)
    check(e["code"] == "replayed", f"a byte-identical replay: {e}")
    rd.assert_unchanged(before, "replay")
    check(_order_row(no, "topup") == ["succeeded"], "the replay moved the top-up back")
    # GETs too: a captured read does not replay.
    got = _signed("GET", f"{ORDERS}/{no}")
    expect_status(_send("GET", f"{ORDERS}/{no}", *got), 200)
    check(expect_api_error(_send("GET", f"{ORDERS}/{no}", *got), 409)["code"] == "replayed", "GET replay")


def test_non_normal_paths_refused():
    o = rd.register()
    no = o["order_no"]
    for path in (f"/{ORDERS}/{no}/usage", f"{ORDERS}//{no}/usage", f"{ORDERS}/./{no}/usage",
                 f"{ORDERS}/x/../{no}/usage", f"{ORDERS}/%{ord(no[0]):02X}{no[1:]}/usage"):
        # Signed over the path the route resolves to: the spelling nginx would
        # fold into it must not pass as a second URI of one signature.
        h, body = _signed("POST", f"{ORDERS}/{no}/usage", {"redeemed": True})
        r = _send("POST", path, h, body)
        check(r.status in (400, 401, 404), f"{path}: {r!r}")
        # and signed over the path as sent: refused all the same
        h, body = _signed("POST", path, {"redeemed": True})
        e = expect_api_error(_send("POST", path, h, body), 400)
        check(e["code"] == "bad_path", f"{path} signed as sent: {e}")
    check(_order_row(no, "redeemed") == ["0"], "a non-normal path changed the order")


def test_signature_covers_the_query():
    o = rd.register()
    no = o["order_no"]
    h, body = _signed("GET", f"{ORDERS}/{no}")
    e = expect_api_error(_send("GET", f"{ORDERS}/{no}?x=1", h, body), 401)
    check(e["code"] == "bad_signature", f"an added query: {e}")
    # A query that was signed passes.
    expect_status(rd.api("GET", f"{ORDERS}/{no}?view=full"), 200)
    # And a signed query cannot be dropped or changed.
    h, body = _signed("GET", f"{ORDERS}/{no}?view=full")
    expect_api_error(_send("GET", f"{ORDERS}/{no}", h, body), 401)
    expect_api_error(_send("GET", f"{ORDERS}/{no}?view=other", h, body), 401)


def test_older_delivery_report_does_not_move_the_window():
    o = rd.register()
    no = o["order_no"]
    at = rd.now() - 60
    rd.deliver(no, at=at)
    e = expect_api_error(rd.api("POST", f"{ORDERS}/{no}/delivery",
                                {"state": "delivered", "kind": "card_key", "at": at - 3600}), 409)
    check(e["code"] == "stale_report", f"an older delivery report: {e}")
    check(_order_row(no, "delivered_at") == [str(at)], "delivered_at moved back")
    # The same report again is a no-op 200.
    expect_status(rd.api("POST", f"{ORDERS}/{no}/delivery",
                         {"state": "delivered", "kind": "card_key", "at": at}), 200)


def test_usage_never_goes_back():
    o = rd.register(category="direct_topup")
    no = o["order_no"]
    rd.report_usage(no, topup="failed")
    rd.report_usage(no, topup="succeeded")
    for back in ("failed", "pending"):
        e = expect_api_error(rd.api("POST", f"{ORDERS}/{no}/usage", {"topup": back}), 409)
        check(e["code"] == "fact_regressed", f"succeeded -> {back}: {e}")
    check(_order_row(no, "topup") == ["succeeded"], "the top-up went back")
    # A redemption is never undone, and the answer says the report was ignored.
    rd.report_usage(no, redeemed=True)
    r = expect_status(rd.api("POST", f"{ORDERS}/{no}/usage", {"redeemed": False}), 200)
    check(r.json().get("ignored") == ["redeemed"], f"an undone redemption is said to be ignored: {r.json()}")
    check(_order_row(no, "redeemed") == ["1"], "the redemption was undone")


def test_duplicate_json_keys_refused():
    o = rd.register()
    no = o["order_no"]
    before = rd.snapshot()
    for body in (b'{"state":"failed","kind":"card_key","at":1,"state":"delivered"}',
                 b'{"state":"delivered","kind":"card_key","at":1,"\\u0073tate":"failed"}',
                 b'{"state":"delivered","kind":"card_key","at":1,"x":{"a":1,"a":2}}'):
        e = expect_api_error(rd.api("POST", f"{ORDERS}/{no}/delivery", body=body), 400)
        check(e["code"] == "duplicate_key", f"{body!r}: {e}")
    rd.assert_unchanged(before, "duplicate keys")
    # Equal keys in different objects are fine.
    expect_status(rd.api("POST", f"{ORDERS}/{no}/delivery",
                          body=b'{"state":"delivered","kind":"card_key","at":%d,"x":{"state":1}}' % rd.now()),
                  200, 422)


def _worker_with(webhook):
    with open(rd.env("RD_CONFIG")) as f:
        cfg = json.load(f)
    cfg["webhook"] = webhook
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        return subprocess.run([rd.env("RD_BIN"), "--config", f.name, "worker", "--once"],
                              capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(f.name)


def test_webhook_secret_is_its_own():
    api_secret = rd.env("RD_API_SECRET")
    for secret in ("", api_secret, "short"):
        p = _worker_with({"url": "http://127.0.0.1:9/hook", "secret": secret})
        check(p.returncode != 0 and "webhook.secret" in p.stderr,
              f"webhook secret {secret[:6]!r}...: exit {p.returncode} {p.stderr}")
