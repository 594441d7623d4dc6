#!/usr/bin/env python3
"""chain.py DEMO_OUT: the check of tests/demo/run against a running
scripts/demo. The buyer opens seed 8's link (a demo-shop top-up bought from
the supplier desk, failed at the mock upstream, "pending" at the shop's desk)
and files 充值失败 with a screenshot. Then, with nobody touching anything:
the desk asks the shop (usage.requested, next worker pass), the shop answers
"failed" from its upstream, the buyer is refunded; the claim is filed at the
supplier desk, refunded there to the reseller's balance at once, and the
receivable is settled. check-ledger is clean on both desks. Prints timings."""
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import rd  # noqa: E402
from rd import check, expect_status  # noqa: E402


def stack_env(d):
    out = {}
    with open(os.path.join(d, "stack.env")) as f:
        for line in f:
            k, sep, v = line.strip().partition("=")
            if sep and k.startswith("RD_"):
                out[k] = v.strip("'\"")
    out.setdefault("RD_TABLE_PREFIX", "")
    return out


def use(e):
    os.environ.update(e)


def wait_for(what, fn, timeout):
    t0 = time.monotonic()
    while True:
        got = fn()
        if got:
            return time.monotonic() - t0, got
        check(time.monotonic() - t0 < timeout, f"{what}: not within {timeout} s")
        time.sleep(0.2)


def main():
    out = open(sys.argv[1], encoding="utf-8").read()
    m = re.search(r"^\s+8\. .*\n\s+订单 ([A-Z0-9]{16})（上游订单 (UP[A-Z0-9]{16})）\n\s+(http\S+)$", out, re.M)
    check(m, "scripts/demo printed seed 8 (the top-up from upstream) with its link")
    no, up_no, link = m.groups()
    check(re.search(r"^Desks: http://\S+ .*and\s+http://\S+", out, re.M), "both desks' URLs printed")
    demo_dir = os.environ["RD_DEMO_DIR"]
    shop_desk, sup_desk = stack_env(demo_dir), stack_env(os.path.join(demo_dir, "supplier"))

    use(shop_desk)
    c = rd.Client()
    u = urllib.parse.urlsplit(link)
    r = c.get(u.path + "?" + u.query)
    check(r.status == 303, f"the printed link lets the buyer in: {r!r}")
    form = rd.open_form(c, no)
    fields = rd.refund_fields(form, no, type="topup_failed", destination="balance",
                              reason="充值一直没有到账，订单页显示充值中，请退款处理。")
    t0 = time.monotonic()
    rid = rd.refund_id_of(rd.submit(c, fields, [rd.File(rd.png(no), "shot.png", "image/png")]))
    check(rd.refund_row(rid)["state"] == "awaiting_upstream", "the desk asks the shop first")

    def refund_state():
        resp = rd.api("GET", f"/api/v1/refunds/{rid}")
        expect_status(resp, 200)
        return resp.json()["refund"]["state"] == "refunded"
    t_ref, _ = wait_for("buyer refunded", refund_state, 30)

    def claim():
        resp = rd.api("GET", f"/api/v1/orders/{no}")
        expect_status(resp, 200)
        cl = resp.json().get("upstream_claim")
        return cl if cl and cl["state"] == "recovered" else None
    t_claim, cl = wait_for("claim settled", claim, 60)
    check(cl["recovered"] == 6000 and cl["written_off"] == 0, f"the whole cost came back: {cl}")

    use(sup_desk)
    resp = rd.api("GET", f"/api/v1/orders/{up_no}")
    expect_status(resp, 200)
    srs = resp.json()["refunds"]
    check(len(srs) == 1 and srs[0]["state"] == "refunded" and srs[0]["id"] == cl["supplier_refund_id"],
          f"one refund at the supplier desk, refunded: {srs}")
    for name, e in (("shop's desk", shop_desk), ("supplier desk", sup_desk)):
        p = subprocess.run([e["RD_BIN"], "--config", e["RD_CONFIG"], "check-ledger"], capture_output=True, text=True)
        check(p.returncode == 0, f"check-ledger at the {name}: {p.stdout}{p.stderr}")
    print(f"demo-test: submitted -> buyer refunded {t_ref:.1f} s; -> supplier refunded and receivable "
          f"settled {t_ref + t_claim:.1f} s (worker passes every 5 s)")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, rd.SetupError) as e:
        print(f"demo-test: FAIL {e}")
        sys.exit(1)
