"""The staff queue (issue 10): each role's tab filtered in SQL, filters and
search that narrow, pages with counts, time left as a person reads it, and
the CSV export of the same rows (formula-safe, amounts in 元). Rows are
inserted straight into refunds for orders registered through the API, one
merchant per test, so the other tests' requests never count."""

import csv
import functools
import io
import re
import secrets

import rd
from rd import check, expect_status, q
from test_desk import _login, _staff

LINK = re.compile(r'href="[^"]*/desk/refund/([A-Za-z0-9_-]+)"')


def _ids(resp):
    """The request ids a queue page lists, in its order."""
    return LINK.findall(resp.text)


def _refund(order, state, deadline, *, type_="invalid_item", risk=0, amount=9850, created=None):
    """A request for order (a registered order body) straight into refunds."""
    rid = "QT" + secrets.token_hex(10)
    now = rd.now()
    rd.db("INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, reason, requested, "
          "fee, refund_amount, risk_flags, deadline, idem, created_at, updated_at) "
          f"SELECT {q(rid)}, o.id, o.buyer_id, {q(type_)}, {q(state)}, 'original', 'queue test', o.amount, 0, "
          f"{amount}, {risk}, {deadline}, {q(rid)}, {created or now}, {now} "
          f"FROM orders o WHERE o.order_no = {q(order['order_no'])}")
    return rid


def _removes_its_rows(test):
    """_refund()'s rows have none of a real request's hold and open-slot
    bookkeeping: gone after the test, so a later check-ledger (the whole
    suite runs on one stack) sees only real requests."""
    @functools.wraps(test)
    def run():
        try:
            test()
        finally:
            rd.db("DELETE FROM refunds WHERE public_id LIKE 'QT%' OR public_id LIKE 'QP%'")
    return run


def _world():
    """Six requests of one new merchant, one per thing a filter tells apart."""
    m = rd.unique("mq").lower()
    now = rd.now()
    orders = [rd.register(merchant_id=m, title=f"队列测试 {i}") for i in range(6)]
    w = {"m": m, "orders": orders}
    w["overdue"] = _refund(orders[0], "cs_review", now - 1230, risk=1, created=now - 50)
    w["hours"] = _refund(orders[1], "cs_review", now + 3 * 3600 + 600, created=now - 40)
    w["type"] = _refund(orders[2], "cs_review", now + 20 * 3600, type_="not_delivered", created=now - 30)
    w["merchant"] = _refund(orders[3], "merchant_review", now + 30 * 3600, created=now - 20)
    w["need_info"] = _refund(orders[4], "need_info", now + 40 * 3600, created=now - 10)
    w["arbitration"] = _refund(orders[5], "arbitration", now + 50 * 3600, created=now)
    return w


def _staff_client(role, merchant=None):
    login, pw = _staff(role, merchant=merchant)
    c, r = _login(login, pw)
    expect_status(r, 303)
    return c


def _queue(c, query):
    return expect_status(c.get("/desk?" + query), 200)


@_removes_its_rows
def test_each_role_sees_what_it_acts_on_and_the_rest_in_its_own_tab():
    w = _world()
    m = w["m"]
    cs = _staff_client("cs")
    mine = set(_ids(_queue(cs, f"merchant={m}")))
    check(mine == {w["overdue"], w["hours"], w["type"]}, f"cs main tab: {mine}")
    others = set(_ids(_queue(cs, f"merchant={m}&tab=others")))
    check(others == {w["merchant"], w["need_info"], w["arbitration"]}, f"cs other tab: {others}")
    admin = _staff_client("admin")
    mine = set(_ids(_queue(admin, f"merchant={m}")))
    check(w["need_info"] not in mine and len(mine) == 5, f"admin main tab: {mine}")
    check(set(_ids(_queue(admin, f"merchant={m}&tab=others"))) == {w["need_info"]}, "admin other tab")
    shop = _staff_client("merchant", merchant=m)
    check(_ids(_queue(shop, "")) == [w["merchant"]], "the merchant's own tab")
    # A merchant cannot widen its queue with the merchant filter.
    check(_ids(_queue(shop, "merchant=m-test")) == [w["merchant"]], "merchant filter ignored for merchants")


@_removes_its_rows
def test_filters_and_search_each_narrow():
    w = _world()
    m = w["m"]
    admin = _staff_client("admin")
    cases = {
        "state=merchant_review": [w["merchant"]],
        "type=not_delivered": [w["type"]],
        "risk=1": [w["overdue"]],
        "overdue=1": [w["overdue"]],
        f"q={w['orders'][1]['order_no']}": [w["hours"]],
        f"q={w['orders'][2]['buyer_id']}": [w["type"]],
        f"q={w['arbitration']}": [w["arbitration"]],
        "state=need_info": [],                      # not in the main tab: in the other one
        "q=no-such-order": [],
    }
    for query, want in cases.items():
        r = _queue(admin, f"merchant={m}&{query}")
        check(_ids(r) == want, f"{query}: {_ids(r)} instead of {want}")
        if not want:
            check(r.doc.by_id("queue-empty") is not None, f"{query}: no empty message")
    # Sorted by time left (overdue first), or newest first.
    by_left = _ids(_queue(admin, f"merchant={m}"))
    check(by_left == [w["overdue"], w["hours"], w["type"], w["merchant"], w["arbitration"]], f"by time left: {by_left}")
    newest = _ids(_queue(admin, f"merchant={m}&sort=newest"))
    check(newest == by_left[::-1], f"newest first: {newest}")
    # Time left as a person reads it, the overdue one marked.
    r = _queue(admin, f"merchant={m}")
    rows = r.doc.find_all("tr")
    over = [x for x in rows if "over" in x.classes()]
    check(len(over) == 1 and w["orders"][0]["order_no"] in over[0].text(), "one overdue row, marked")
    check("已超时 20 分钟" in over[0].text(), f"overdue text: {over[0].text()!r}")
    check("剩 3 小时" in r.text, "time left in hours")
    # A bad filter is said and not used; the rest still applies.
    r = _queue(admin, f"merchant={m}&state=bogus")
    check(r.doc.by_id("query-error") is not None, "a refused filter is named")
    check(len(_ids(r)) == 5, "a refused filter is not applied")


@_removes_its_rows
def test_pages_count_right():
    m = rd.unique("mp").lower()
    o = rd.register(merchant_id=m)
    prefix = "QP" + secrets.token_hex(4)
    rd.db("INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, reason, requested, "
          "fee, refund_amount, deadline, idem, created_at, updated_at) "
          f"SELECT CONCAT({q(prefix)}, LPAD(s.seq, 12, '0')), o.id, o.buyer_id, 'invalid_item', 'merchant_review', "
          "'original', 'filler', o.amount, 0, o.amount, UNIX_TIMESTAMP() + 3600 + s.seq, CONCAT('p', s.seq), "
          "UNIX_TIMESTAMP(), UNIX_TIMESTAMP() "
          f"FROM orders o JOIN seq_1_to_120 s WHERE o.order_no = {q(o['order_no'])}")
    admin = _staff_client("admin")
    seen = []
    for page, n in ((1, 50), (2, 50), (3, 20)):
        r = _queue(admin, f"merchant={m}&page={page}")
        total = r.doc.by_id("queue-total").text()
        check(f"共 120 条 · 第 {page} / 3 页" in total, f"page {page}: {total!r}")
        ids = _ids(r)
        check(len(ids) == n, f"page {page}: {len(ids)} rows")
        seen += ids
        nxt = r.doc.by_id("page-next")
        check((nxt is not None) == (page < 3), f"page {page}: next link")
        if nxt is not None:
            check(f"merchant={m}" in nxt.get("href") and f"page={page + 1}" in nxt.get("href"),
                  f"the next link keeps the filter: {nxt.get('href')}")
    check(len(set(seen)) == 120 and seen == sorted(seen), "the pages cover every request once, in deadline order")
    r = _queue(admin, f"merchant={m}&page=4")
    check(r.doc.by_id("queue-empty") is not None and not _ids(r), "past the last page: empty, said so")
    # The merchant itself pages the same rows through its own index.
    shop = _staff_client("merchant", merchant=m)
    r = _queue(shop, "page=3")
    check("共 120 条" in r.doc.by_id("queue-total").text(), "merchant's count")
    # Its tabs say how many each holds (unfiltered: what the tab's link opens).
    tabs = {t: r.doc.by_id(f"tab-{t}").text().split()[-1] for t in ("mine", "others")}
    check(tabs == {"mine": "120", "others": "0"}, f"the tabs' counts: {tabs}")


@_removes_its_rows
def test_csv_export_is_the_filtered_queue_and_formula_safe():
    m = rd.unique("mc").lower()
    now = rd.now()
    titles = ['=HYPERLINK("http://evil.example/","x")', "+1 点卡", "-2 点卡", "@SUM(A1)", '引号 "卡" 名']
    rids = {}
    for i, t in enumerate(titles):
        o = rd.register(merchant_id=m, title=t)
        rids[_refund(o, "cs_review", now + 3600 * (i + 1), amount=7050 + i)] = t
    other = _refund(rd.register(merchant_id=m), "need_info", now + 3600)
    admin = _staff_client("admin")
    r = expect_status(admin.get(f"/desk/queue.csv?merchant={m}"), 200)
    check((r.header("Content-Type") or "").startswith("text/csv"), f"type {r.header('Content-Type')}")
    check((r.header("Content-Disposition") or "").startswith("attachment"), "downloaded, not shown")
    text = r.body.decode("utf-8")
    check(text.startswith("\ufeff"), "a BOM so spreadsheets read UTF-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    head, body = rows[0], rows[1:]
    check(len(body) == len(titles) and other not in text, f"{len(body)} rows: the main tab's only")
    col = {name: head.index(name) for name in ("申请编号", "商品", "退款金额（元）", "剩余时间")}
    for i, row in enumerate(body):
        title = rids[row[col["申请编号"]]]
        cell = row[col["商品"]]
        if title[0] in "=+-@":
            check(cell == "'" + title, f"formula cell not made inert: {cell!r}")
        else:
            check(cell == title, f"quoted cell changed: {cell!r}")
        check(row[col["退款金额（元）"]] == f"{70.50 + i / 100:.2f}", f"amount {row[col['退款金额（元）']]}")
        check(row[col["剩余时间"]].startswith("剩 "), f"time left {row[col['剩余时间']]}")
    # Filters apply to the export as to the page; merchants export their own.
    r = expect_status(admin.get(f"/desk/queue.csv?merchant={m}&tab=others"), 200)
    check(other in r.text and len(list(csv.reader(io.StringIO(r.text[1:])))) == 2, "the other tab's export")
    shop = _staff_client("merchant", merchant="m-test")
    check(not any(x in shop.get("/desk/queue.csv").text for x in rids), "a merchant exports its own only")


def test_non_staff_are_sent_to_login():
    o = rd.register()
    buyer = rd.buyer_session(o)
    for c in (rd.Client(), buyer):
        for path in ("/desk", "/desk/queue.csv", "/desk?tab=others&q=x"):
            r = expect_status(c.get(path), 303)
            check((r.location() or "").startswith("/desk/login"), f"{path}: {r.location()}")
