#!/usr/bin/env python3
"""bench/agent20.py: the twenty requests an agent clears (bench/agent20).

  agent20.py seed N PLAN.json   files the requests of the plan's first N tasks
                                through the storefront API and the buyer form
                                (as buyers do: real holds, real evidence) and
                                adds a cs, a merchant and an arbiter account;
                                writes PLAN.json for bench/agent20.mjs
  agent20.py verify PLAN.json [--no-check-ledger]
                                after the agent: each request's final state
                                and the money that went to its buyer (the
                                ledger's refund movement), against the plan;
                                then `refund-desk check-ledger` (not on a
                                shared stack: the browser test's smoke)

Only HTTP and the CLI touch the stack (tests/integration/rd.py's client), so
the same seeding runs against the console before issue 10 (bench/agent20
--before) and today's. Money in fen; `say` is what the agent means, in yuan,
as a person reads it off a ticket ("70" for ¥70.00).
"""
import json
import os
import secrets
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import rd  # noqa: E402

FULL = 10000  # every order is ¥100.00 and no type below keeps a fee

# (type, [(role, action, yuan typed or None)], final state, fen to the buyer)
# In the order an agent works them: cs first, then the merchant (its own
# not_as_described and what cs escalated), then the arbiter.
TASKS = [
    ("invalid_item", [("cs", "approve", None)], "refunding", FULL),
    ("invalid_item", [("cs", "approve", "70")], "refunding", 7000),
    ("invalid_item", [("cs", "reject", None)], "rejected", 0),
    ("duplicate_charge", [("cs", "approve", None)], "refunding", FULL),
    ("not_as_described", [("merchant", "approve", None)], "refunding", FULL),
    ("duplicate_charge", [("cs", "escalate", None), ("merchant", "approve", "50")], "refunding", 5000),
    ("invalid_item", [("cs", "approve", "45.50")], "refunding", 4550),
    ("not_as_described", [("merchant", "approve", "85.50")], "refunding", 8550),
    ("invalid_item", [("cs", "approve", None)], "refunding", FULL),
    ("not_as_described", [("merchant", "reject", None)], "rejected", 0),
    ("invalid_item", [("cs", "approve", "70")], "refunding", 7000),
    ("not_as_described", [("merchant", "escalate", None), ("arbiter", "approve", "60")], "refunding", 6000),
    ("duplicate_charge", [("cs", "escalate", None), ("merchant", "reject", None)], "rejected", 0),
    ("invalid_item", [("cs", "reject", None)], "rejected", 0),
    ("not_as_described", [("merchant", "approve", "30")], "refunding", 3000),
    ("duplicate_charge", [("cs", "approve", None)], "refunding", FULL),
    ("not_as_described", [("merchant", "approve", None)], "refunding", FULL),
    ("invalid_item", [("cs", "approve", None)], "refunding", FULL),
    ("not_as_described", [("merchant", "escalate", None), ("arbiter", "reject", None)], "rejected", 0),
    ("not_as_described", [("merchant", "reject", None)], "rejected", 0),
]
REASONS = {
    "invalid_item": rd.GOOD_REASON,
    "duplicate_charge": "同一笔订单被扣款两次，支付宝账单里有两条相同金额的记录。",
    "not_as_described": "收到的点卡面值与商品描述不符，描述为 100 元实际只有 50 元。",
}


def staff(role, merchant=None):
    login, pw = rd.unique("a20" + role[0]).lower(), "pw-" + secrets.token_hex(8)
    args = [rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "staff", "add", "--role", role,
            "--login", login] + (["--merchant", merchant] if merchant else [])
    subprocess.run(args, input=pw + "\n", capture_output=True, text=True, check=True)
    return {"login": login, "password": pw}


def seed(n, path):
    merchant = rd.unique("ma20").lower()
    tasks = []
    for i, (rtype, steps, final, fen) in enumerate(TASKS[:n]):
        order = rd.used_card(merchant_id=merchant)
        client = rd.buyer_session(order)
        rid = rd.new_refund(client, order, type=rtype, reason=REASONS[rtype],
                            files=[rd.File(rd.png(order["order_no"]), "screenshot.png", "image/png")])
        state = rd.refund_row(rid)["state"]
        want = "merchant_review" if rtype == "not_as_described" else "cs_review"
        rd.check(state == want, f"task {i}: {rtype} filed into {state}, not {want}")
        tasks.append({"n": i + 1, "id": rid, "type": rtype, "final": final, "fen": fen,
                      "steps": [{"role": r, "action": a, "say": s} for r, a, s in steps]})
    plan = {"merchant": merchant, "tasks": tasks,
            "staff": {"cs": staff("cs"), "merchant": staff("merchant", merchant),
                      "arbiter": staff("arbiter")}}
    with open(path, "w") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    print(f"agent20: {len(tasks)} requests filed for merchant {merchant}", file=sys.stderr)


def to_buyer(public_id):
    """The fen the ledger moved to the buyer's side for this request (payout
    account of the channel or the buyer's balance), 0 when none."""
    v = rd.db_value(
        "SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id "
        f"JOIN refunds r ON r.id = t.refund_id WHERE r.public_id = {rd.q(public_id)} AND t.kind = 'refund' "
        "AND (e.account LIKE 'payout:%' OR e.account LIKE 'buyer:%')")
    return int(v)


def verify(path, ledger_check=True):
    with open(path) as f:
        plan = json.load(f)
    wrong = []
    for t in plan["tasks"]:
        state = rd.refund_row(t["id"])["state"]
        fen = to_buyer(t["id"])
        if state != t["final"] or fen != t["fen"]:
            wrong.append({"n": t["n"], "id": t["id"], "want": [t["final"], t["fen"]], "got": [state, fen]})
    out = {"requests": len(plan["tasks"]), "wrong": wrong, "check_ledger": "not run"}
    if ledger_check:
        ledger = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "check-ledger"],
                                capture_output=True, text=True)
        out["check_ledger"] = ("clean" if ledger.returncode == 0 else
                               (ledger.stdout + ledger.stderr).strip()[-500:])
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "seed":
        seed(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "verify" and sys.argv[3:] in ([], ["--no-check-ledger"]):
        verify(sys.argv[2], ledger_check=len(sys.argv) == 3)
    else:
        sys.exit(__doc__)
