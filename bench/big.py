#!/usr/bin/env python3
"""big.py: SQL that fills refund-desk's schema with a large, consistent
history, straight from MariaDB's Sequence engine (INSERT ... SELECT over
seq_A_to_B), in the shapes the app itself writes (ledger.c, submit.c,
settle.c), so `check-ledger` must pass over it.

  big.py sql ORDERS EVENTS_PER_REFUND NOW > big.sql

Order i (1..ORDERS) of buyer bgb(i mod 50 000), merchant bgm(i mod 200), a
delivered game card paid through alipay, wechat or the balance, has one
refund request (id i) and its hold (ledger transaction 2i-1 "hold:i"):
  i mod 100 = 0, 1   open: cs_review / merchant_review, hold frozen (the queue)
  i mod 100 < 70     refunded to the balance: transaction 2i "refund:i"
                     (escrow -> buyer), the hold resolved "refund"
  otherwise          rejected, the hold released: transaction 2i "resolve:i"
                     (escrow -> merchant), resolved "release"
Each refund has EVENTS_PER_REFUND timeline events (submitted first, its
state last). Inserted in chunks of 200 000 orders so no statement holds
millions of row locks; unique and foreign-key checks are off while loading
(the data is right by construction, and check-ledger proves it after).
"""

import sys

CHUNK = 200_000
BUYERS = 50_000
MERCHANTS = 200


def chunks(n):
    a = 1
    while a <= n:
        b = min(n, a + CHUNK - 1)
        yield a, b
        a = b + 1


def sql(n, events, now):
    t0 = now - 100 * 86400
    out = [
        "SET SESSION unique_checks = 0, foreign_key_checks = 0, sql_log_bin = 0;",
        "SET SESSION innodb_lock_wait_timeout = 600;",
    ]
    # Per order: its amount, channel, and what happened to its refund.
    amount = "(1000 + (s.seq % 50) * 100)"
    channel = "ELT(1 + s.seq % 3, 'alipay', 'wechat', 'balance')"
    kind = "IF(s.seq % 100 < 2, 'open', IF(s.seq % 100 < 70, 'refund', 'release'))"
    paid = f"({t0} + s.seq * 8)"
    for a, b in chunks(n):
        seq = f"seq_{a}_to_{b} s"
        out.append(
            "INSERT INTO orders (id, order_no, buyer_id, merchant_id, category, title, amount, currency, "
            "pay_channel, paid_at, contact, lookup_code, body_hash, delivery, delivery_kind, delivered_at, "
            "key_revealed_at, created_at) "
            f"SELECT s.seq, CONCAT('BG', s.seq), CONCAT('bgb', s.seq % {BUYERS}), "
            f"CONCAT('bgm', s.seq % {MERCHANTS}), 'game_card', '测试点卡 100 元', {amount}, 'CNY', {channel}, "
            f"{paid}, CONCAT('bg', s.seq, '@example.com'), CONCAT('LC', s.seq), LPAD(HEX(s.seq), 64, '0'), "
            f"'delivered', 'card_key', {paid} + 60, {paid} + 120, {paid} FROM {seq};")
        out.append(
            "INSERT INTO holds (order_id, state, amount, released, refunded, fees, release_at, resolved_at) "
            f"SELECT s.seq, ELT(FIELD({kind}, 'open', 'refund', 'release'), 'frozen', 'refunded', 'released'), "
            f"{amount}, IF({kind} = 'release', {amount}, 0), IF({kind} = 'refund', {amount}, 0), 0, "
            f"{paid} + 7 * 86400, IF({kind} = 'open', 0, {paid} + 3600) FROM {seq};")
        # The hold's transaction, then the resolving one (none while open).
        out.append(
            "INSERT INTO ledger_txns (id, order_id, refund_id, kind, uniq_key, created_at) "
            f"SELECT 2 * s.seq - 1, s.seq, NULL, 'hold', CONCAT('hold:', s.seq), {paid} FROM {seq};")
        out.append(
            "INSERT INTO ledger_txns (id, order_id, refund_id, kind, uniq_key, created_at) "
            f"SELECT 2 * s.seq, s.seq, IF({kind} = 'refund', s.seq, NULL), {kind}, "
            f"IF({kind} = 'refund', CONCAT('refund:', s.seq), CONCAT('resolve:', s.seq)), {paid} + 3600 "
            f"FROM {seq} WHERE s.seq % 100 >= 2;")
        out.append(
            "INSERT INTO ledger_entries (txn_id, account, amount) "
            f"SELECT 2 * s.seq - 1, CONCAT('external:', {channel}), -{amount} FROM {seq} "
            f"UNION ALL SELECT 2 * s.seq - 1, CONCAT('escrow:', s.seq), {amount} FROM {seq};")
        out.append(
            "INSERT INTO ledger_entries (txn_id, account, amount) "
            f"SELECT 2 * s.seq, CONCAT('escrow:', s.seq), -{amount} FROM {seq} WHERE s.seq % 100 >= 2 "
            f"UNION ALL SELECT 2 * s.seq, IF({kind} = 'refund', CONCAT('buyer:bgb', s.seq % {BUYERS}), "
            f"CONCAT('merchant:bgm', s.seq % {MERCHANTS})), {amount} FROM {seq} WHERE s.seq % 100 >= 2;")
        out.append(
            "INSERT INTO hold_resolutions (order_id, txn_id, kind) "
            f"SELECT s.seq, 2 * s.seq, {kind} FROM {seq} WHERE s.seq % 100 >= 2;")
        state = ("ELT(1 + LEAST(s.seq % 100, 2) + (s.seq % 100 >= 70), "
                 "'cs_review', 'merchant_review', 'refunded', 'rejected')")
        out.append(
            "INSERT INTO refunds (id, public_id, order_id, buyer_id, type, state, destination, reason, "
            "requested, fee, refund_amount, reviewer, deadline, client_ip, idem, open_order_id, "
            "created_at, updated_at) "
            f"SELECT s.seq, CONCAT('BG', LPAD(s.seq, 20, '0')), s.seq, CONCAT('bgb', s.seq % {BUYERS}), "
            f"'invalid_item', {state}, 'balance', '卡密显示无效，充值时提示卡号或密码错误，无法使用。', "
            f"{amount}, 0, {amount}, IF(s.seq % 100 = 1, 'merchant', 'cs'), "
            f"IF(s.seq % 100 < 2, {now} + 3600 + s.seq % 86400, 0), "
            f"CONCAT('10.', s.seq % 250, '.', s.seq % 199, '.1'), CONCAT('bgidem', s.seq), "
            f"IF(s.seq % 100 < 2, s.seq, NULL), {paid} + 600, {paid} + 3600 FROM {seq};")
        out.append(
            "INSERT INTO refund_events (refund_id, at, state, actor, note) "
            f"SELECT s.seq, {paid} + 600 + e.seq * 60, "
            f"IF(e.seq = 1, 'submitted', IF(e.seq = {events}, {state}, 'cs_review')), "
            f"IF(e.seq = 1, 'buyer', 'system'), IF(e.seq = 1, '买家提交退款申请', '补充说明') "
            f"FROM {seq} JOIN seq_1_to_{events} e ORDER BY s.seq, e.seq;")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 5 or sys.argv[1] != "sql":
        sys.exit("usage: big.py sql ORDERS EVENTS_PER_REFUND NOW")
    n, events, now = (int(x) for x in sys.argv[2:])
    if n < 1 or events < 2:
        sys.exit("big.py: ORDERS >= 1 and EVENTS_PER_REFUND >= 2")
    sys.stdout.write(sql(n, events, now))


if __name__ == "__main__":
    main()
