#!/usr/bin/env python3
"""Seeds the demo orders through the signed storefront API, as a storefront
would, and prints a signed hand-off link for each. Standard library only.
Environment: RD_URL, RD_API_SECRET (from scripts/stack up); with
SHOP_SUPPLIER_DESK_URL (scripts/demo's second desk, the supplier) also one
demo-shop top-up bought from that supplier (scripts/demo-topup.php)."""
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

URL = os.environ["RD_URL"]
SECRET = os.environ["RD_API_SECRET"].encode()
u = urllib.parse.urlsplit(URL)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)


def api(path, obj):
    body = json.dumps(obj, ensure_ascii=False).encode()
    ts = str(int(time.time()))
    msg = "\n".join(["POST", path, ts, hashlib.sha256(body).hexdigest()]).encode()
    sig = hmac.new(SECRET, msg, hashlib.sha256).hexdigest()
    conn.request("POST", path, body, {"Content-Type": "application/json",
                                      "X-RD-Timestamp": ts, "X-RD-Signature": sig})
    r = conn.getresponse()
    data = r.read()
    if r.status not in (200, 201):
        sys.exit(f"demo: {path}: HTTP {r.status}: {data.decode(errors='replace')}")
    return json.loads(data)


def link(order, buyer):
    ts = str(int(time.time()))
    sig = hmac.new(SECRET, f"order={order}&buyer={buyer}&ts={ts}".encode(), hashlib.sha256).hexdigest()
    return f"{URL}/refund/start?" + urllib.parse.urlencode(
        {"order": order, "buyer": buyer, "ts": ts, "sig": sig})


now = int(time.time())
run = format(now, "x")[-6:].upper()
BUYER = "demo-buyer"
OTHER = "demo-other"
scenarios = [
    # (label, category, title, amount, delivery, usage)
    ("未发货：可秒退全额", "game_card", "王者荣耀 点券 60 元", 6000, None, None),
    ("已发货、卡密未查看：个人原因可秒退（扣 10% 手续费）", "game_card", "网易一卡通 100 元", 10000,
     ("delivered", "card_key"), {"redeemed": False}),
    ("卡密已查看：仅可因商品无效等申请，需凭证和人工审核", "game_card", "腾讯 Q 币 50 元", 5000,
     ("delivered", "card_key"), {"key_revealed_at": now - 300}),
    ("游戏直充上游报失败：可秒退全额", "direct_topup", "原神 创世结晶 648", 64800,
     ("delivered", "direct_topup"), {"topup": "failed"}),
    ("话费已到账：不支持退款", "phone_credit", "移动话费 100 元", 9850,
     ("delivered", "direct_topup"), {"topup": "succeeded"}),
    ("软件授权未激活：个人原因可秒退", "licence", "Office 家庭版 一年授权", 39900,
     ("delivered", "licence"), {"redeemed": False}),
]

print()
print("Demo orders (each link works once and for 15 minutes; run scripts/demo again for fresh ones):")
for i, (label, cat, title, amount, deliv, usage) in enumerate(scenarios, 1):
    no = f"D{run}{i:02d}"
    api("/api/v1/orders", {
        "order_no": no, "buyer_id": BUYER, "merchant_id": "demo-shop", "category": cat,
        "title": title, "amount": amount, "currency": "CNY",
        "pay_channel": "alipay" if i % 2 else "wechat", "paid_at": now - 3600,
        "contact": "13800000000", "lookup_code": f"LC{run}{i:02d}"})
    if deliv:
        api(f"/api/v1/orders/{no}/delivery", {"state": deliv[0], "kind": deliv[1], "at": now - 1800})
    if usage:
        api(f"/api/v1/orders/{no}/usage", usage)
    print(f"\n  {i}. {label}\n     订单 {no}（{title}，¥{amount / 100:.2f}）\n     {link(no, BUYER)}")

no = f"D{run}99"
api("/api/v1/orders", {
    "order_no": no, "buyer_id": OTHER, "merchant_id": "demo-shop", "category": "game_card",
    "title": "别人的订单", "amount": 1000, "currency": "CNY", "pay_channel": "alipay",
    "paid_at": now - 3600, "contact": "13900000000", "lookup_code": f"LC{run}99"})
print(f"\n  7. 另一个买家的订单：用 {BUYER} 的身份打开应得到 404\n     订单 {no}\n     {link(no, BUYER)}")
print(f"\nGuest look-up: {URL}/refund/lookup  order {no}, contact 13900000000, code LC{run}99")

SUPPLIER = os.environ.get("SHOP_SUPPLIER_DESK_URL")
if SUPPLIER:
    # Through the demo shop, so its mock upstream answers usage.requested.
    here = os.path.dirname(os.path.abspath(__file__))
    p = subprocess.run(["php", os.path.join(here, "demo-topup.php"), BUYER], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"demo: the top-up from upstream was not seeded: {p.stderr.strip()}")
    no = p.stdout.strip()
    print(f"\n  8. 向上游采购的直充，上游报失败：整条链路（选\"充值失败\"，附一张截图）\n"
          f"     订单 {no}（上游订单 UP{no}）\n     {link(no, BUYER)}\n"
          f"     desk 先问演示商城（usage.requested），商城按上游答\"失败\"：买家秒退；desk 向上游 desk 索赔，"
          f"上游 desk 秒退给本店，应收款结清（约 10 秒，worker 每 5 秒一轮）。")
