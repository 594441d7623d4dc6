"""The staff dashboard (issue 10; GET /desk/dashboard and its CSV): figures
from known requests filed on days long past (so nothing else the suite
files falls in the range): counts per day by outcome, the instant share,
the median time to a first decision (an even and an odd count), the fees
charged, each merchant's disputes; who may see it; the range's refusals;
SVG that obeys the CSP; each supplier's claims up the chain (issue 15: open,
recovered, written off, the recovery rate) on the page and in the CSV; the
round trips it costs."""

import csv
import functools
import io
import re
import secrets

import rd
from rd import check, expect_status, q
from money_model import check_ledger
from test_desk_claims import _claimed, book_ledger
from test_queue import _staff_client
from test_round_trips import _trips_per_request

# 2024-03-01 00:00 in Beijing (UTC+8).
DAY1 = 1709222400
DAY = 86400


def _req(order, state, created, fee, events):
    """A request straight into refunds, with events [(seconds after filing,
    state)]: what the dashboard reads, nothing else."""
    rid = "DB" + secrets.token_hex(10)
    rd.db("INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, reason, requested, "
          "fee, refund_amount, idem, created_at, updated_at) "
          f"SELECT {q(rid)}, o.id, o.buyer_id, 'invalid_item', {q(state)}, 'balance', 'dashboard test', "
          f"o.amount, {fee}, o.amount - {fee}, {q(rid)}, {created}, {created} "
          f"FROM orders o WHERE o.order_no = {q(order['order_no'])}")
    for after, st in [(0, "submitted")] + events:
        rd.db("INSERT INTO refund_events (refund_id, at, state, actor) "
              f"SELECT id, {created + after}, {q(st)}, 'system' FROM refunds WHERE public_id = {q(rid)}")
    return rid


def _removes_its_rows(test):
    """The rows have no ledger behind them: gone after the test, so a later
    check-ledger sees only real requests."""
    @functools.wraps(test)
    def run():
        try:
            test()
        finally:
            rd.db("DELETE e FROM refund_events e JOIN refunds r ON r.id = e.refund_id WHERE r.public_id LIKE 'DB%'")
            rd.db("DELETE FROM refunds WHERE public_id LIKE 'DB%'")
    return run


def _world():
    m = rd.unique("mdash").lower()
    orders = [rd.register(merchant_id=m) for _ in range(4)]
    rd.db(f"UPDATE orders SET created_at = {DAY1 + 3600} WHERE merchant_id = {q(m)}")
    o = orders[0]
    t1, t2, t3 = DAY1 + 10 * 3600, DAY1 + DAY + 9 * 3600, DAY1 + 2 * DAY + 23 * 3600 + 1800
    # Day 1: an instant refund (fee 100), one approved after 600 s (fee 50),
    # one rejected after 3600 s (its fee 70 is not charged).
    _req(o, "refunded", t1, 100, [(0, "approved"), (0, "refunded")])
    _req(orders[1], "refunded", t1 + 60, 50, [(0, "cs_review"), (600, "approved"), (600, "refunded")])
    _req(orders[2], "rejected", t1 + 120, 70, [(0, "cs_review"), (3600, "rejected")])
    # Day 2: one waiting, one cancelled.
    _req(orders[3], "cs_review", t2, 0, [(0, "cs_review")])
    _req(o, "cancelled", t2 + 60, 0, [(0, "cs_review"), (30, "cancelled")])
    # Day 3 (23:30 Beijing, 15:30 UTC: still day 3 in Beijing): approved
    # after 1200 s (fee 30); rejected after 100 s, then approved on appeal
    # (the first decision counts).
    _req(orders[1], "refunded", t3, 30, [(0, "cs_review"), (1200, "approved"), (1200, "refunded")])
    _req(orders[2], "approved", t3 + 10, 0, [(0, "cs_review"), (100, "rejected"), (5000, "arbitration"),
                                              (9000, "approved")])
    return m


def _fig(page, name):
    el = page.doc.by_id("fig-" + name)
    check(el is not None, f"the page has no #fig-{name}")
    return el


@_removes_its_rows
def test_figures_from_known_requests():
    m = _world()
    admin = _staff_client("admin")
    page = expect_status(admin.get("/desk/dashboard?from=2024-03-01&to=2024-03-03"), 200)
    text = page.text
    check(_fig(page, "filed").text().strip() == "7", f"7 filed: {_fig(page, 'filed').text()!r}")
    check(_fig(page, "instant").text().startswith("1（14.3%）"), f"1 of 7 instant: {_fig(page, 'instant').text()!r}")
    # Decided by a person: 600, 3600, 1200, 100 s: the median of an even
    # count is the mean of the middle two, (600 + 1200) / 2.
    check(_fig(page, "median").attrs.get("data-secs") == "900", f"median 900 s: {_fig(page, 'median').attrs}")
    check("15 分 0 秒（4 件）" in _fig(page, "median").text(), _fig(page, "median").text())
    check(_fig(page, "fees").text().strip() == "¥1.80", f"fees 100 + 50 + 30 fen: {_fig(page, 'fees').text()!r}")
    for name, n in (("refunded", 4), ("rejected", 1), ("ended", 1), ("open", 1)):
        check(_fig(page, name).text().strip() == str(n), f"{name}: {_fig(page, name).text()!r}, want {n}")
    # The merchant: 4 orders in the range, 7 requests, 6 of them disputes.
    row = re.search(r"<tr><td data-l=\"商家\">" + re.escape(m) + r"</td>(.*?)</tr>", text)
    check(row, f"merchant {m} in the table")
    cells = re.findall(r">([^<]*)</td>", row.group(1))
    check(cells == ["4", "7", "6", "150%"], f"merchant row: {cells}")
    # Three charts over days and the merchants', drawn inline, obeying the
    # CSP (style-src 'self': no style attribute or element; no script).
    for cid in ("chart-outcomes", "chart-instant", "chart-fees", "chart-merchants"):
        check(f'<svg class="chart" id="{cid}"' in text, f"no inline SVG {cid}")
    check(not re.search(r"<style|style=|<script|javascript:", text, re.I), "styles or scripts inline")
    check("<img" not in text and "http://" not in text.replace(rd.env("RD_URL"), ""), "no external assets")
    # Day 1 alone: two decisions (600, 3600): 2100; day 3 alone: 1200 and
    # the first decision of the appealed one, 100: 650.
    for rng, want in (("from=2024-03-01&to=2024-03-01", "2100"), ("from=2024-03-03&to=2024-03-03", "650"),
                      ("from=2024-03-01&to=2024-03-02", "2100")):
        p = expect_status(admin.get("/desk/dashboard?" + rng), 200)
        check(_fig(p, "median").attrs.get("data-secs") == want, f"{rng}: median {_fig(p, 'median').attrs}")
    # An odd count is its middle value: a fifth decision (7200 s) on day 2
    # makes 100 600 1200 3600 7200. Its order was registered today: not
    # among the merchant's orders of the range.
    o = rd.register(merchant_id=m)
    _req(o, "rejected", DAY1 + DAY + 3600, 0, [(0, "cs_review"), (7200, "rejected")])
    p = expect_status(admin.get("/desk/dashboard?from=2024-03-01&to=2024-03-03"), 200)
    check(_fig(p, "median").attrs.get("data-secs") == "1200", f"100 600 1200 3600 7200: {_fig(p, 'median').attrs}")

    # The CSV: the same figures, per day and in total.
    r = expect_status(admin.get("/desk/dashboard.csv?from=2024-03-01&to=2024-03-03"), 200)
    check((r.header("Content-Type") or "").startswith("text/csv"), f"CSV type: {r.headers}")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    check(rows[0][:3] == ["日期", "提交", "已退款"], f"CSV head: {rows[0]}")
    by_day = {row[0]: row for row in rows if row and row[0][:4] in ("2024", "合计")}
    check(by_day["2024-03-01"][1:] == ["3", "2", "1", "0", "0", "1", "33.3%", "1.50"], by_day["2024-03-01"])
    check(by_day["2024-03-02"][1:] == ["3", "0", "1", "1", "1", "0", "0%", "0.00"], by_day["2024-03-02"])
    check(by_day["合计"][1:3] == ["8", "4"], by_day["合计"])
    med = [row for row in rows if row and row[0].startswith("中位处理用时")]
    check(med and med[0][1] == "1200" and med[0][3] == "5", f"CSV median: {med}")
    check(any(row[:4] == [m, "4", "8", "7"] for row in rows if row), f"CSV merchant {m}: {rows[-12:]}")


def test_who_may_see_it():
    for role, merchant in (("cs", None), ("merchant", "m-dash")):
        c = _staff_client(role, merchant)
        expect_status(c.get("/desk/dashboard"), 403)
        expect_status(c.get("/desk/dashboard.csv"), 403)
    for role in ("admin", "arbiter"):
        c = _staff_client(role)
        expect_status(c.get("/desk/dashboard"), 200)
        expect_status(c.get("/desk/dashboard.csv"), 200)
    anon = rd.Client()
    r = expect_status(anon.get("/desk/dashboard"), 303)
    check("/desk/login" in (r.location() or ""), f"to the login page: {r.location()}")
    expect_status(anon.get("/desk/dashboard.csv"), 303)


def test_the_range_refuses_and_bounds():
    admin = _staff_client("admin")
    # A date that does not exist: said so, the default 30 days shown.
    p = expect_status(admin.get("/desk/dashboard?from=2023-02-29"), 200)
    check(p.doc.by_id("query-error") is not None, "a bad date is said")
    check(p.text.count("<rect ") >= 0 and 'id="chart-outcomes"' in p.text, "the default range still draws")
    # Reversed: swapped.
    p = expect_status(admin.get("/desk/dashboard?from=2024-03-05&to=2024-03-01"), 200)
    check("2024-03-01 至 2024-03-05" in p.text, "from after to is swapped")
    # Longer than a year: its last 366 days, said so.
    p = expect_status(admin.get("/desk/dashboard?from=2020-01-01&to=2024-03-01"), 200)
    check(p.doc.by_id("range-clipped") is not None, "a too long range is clipped and says so")
    check("2023-03-02 至 2024-03-01" in p.text, "the last 366 days (2024-02-29 among them)")
    # Twice the same field, or markup: refused, never echoed.
    p = expect_status(admin.get("/desk/dashboard?to=%3Cb%3E"), 200)
    check("<b>" not in p.text, "a value is never echoed raw")
    expect_status(admin.get("/desk/dashboard?from=2024-03-01&from=2024-03-02"), 200)


def test_supplier_claim_figures_on_the_page_and_in_its_csv():
    """Known claims with their ledger (test_desk_claims.py's rows): the
    dashboard shows the claims page's per-supplier table, and its CSV the
    same figures, whatever the range (claims are counted over all time)."""
    sup, other = rd.unique("dsa"), rd.unique("dsb")
    _claimed(sup, "filed", 2000)
    _claimed(sup, "recovered", 3000, recovered=3000, supplier_refund_id="SR1")
    _claimed(sup, "recovered", 4000, recovered=3000, written_off=1000, supplier_refund_id="SR2")
    _claimed(sup, "rejected", 500, written_off=500, supplier_refund_id="SR3")
    _claimed(other, "pending", 990)
    book_ledger(sup)
    book_ledger(other)
    check_ledger("the claims made for the dashboard")
    admin = _staff_client("admin")
    for rng in ("", "?from=2024-03-01&to=2024-03-03"):
        doc = expect_status(admin.get("/desk/dashboard" + rng), 200).doc
        table = doc.by_id("dash-claims").find(id="supplier-figures")
        check(table is not None, f"dashboard{rng}: no per-supplier claims table")
        figs = {}
        for s in (sup, other):
            row = table.find("tr", data_supplier=s)
            check(row is not None, f"dashboard{rng}: no row for {s}")
            figs[s] = [row.find(class_=k).text() for k in ("fig-open", "fig-recovered", "fig-written-off",
                                                             "fig-rate")]
        # Recovered ¥60 of ¥75 settled: 80.0 %.
        check(figs[sup] == ["1 笔 ¥20.00", "2 笔 ¥60.00", "2 笔 ¥15.00", "80.0%"], f"{sup}: {figs[sup]}")
        check(figs[other] == ["1 笔 ¥9.90", "0 笔 ¥0.00", "0 笔 ¥0.00", "—"], f"{other}: {figs[other]}")
    r = expect_status(admin.get("/desk/dashboard.csv?from=2024-03-01&to=2024-03-03"), 200)
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    head = [i for i, row in enumerate(rows) if row and row[0] == "供应商（全部时间）"]
    check(len(head) == 1, f"one per-supplier head in the CSV: {rows[-8:]}")
    check(rows[head[0]][1:] == ["处理中（笔）", "处理中（元）", "已追回（笔）", "已追回（元）", "已核销（笔）",
                                "已核销（元）", "追回率"], rows[head[0]])
    by_sup = {row[0]: row[1:] for row in rows[head[0] + 1:] if row}
    check(by_sup.get(sup) == ["1", "20.00", "2", "60.00", "2", "15.00", "80%"], f"CSV {sup}: {by_sup.get(sup)}")
    check(by_sup.get(other) == ["1", "9.90", "0", "0.00", "0", "0.00", ""], f"CSV {other}: {by_sup.get(other)}")


def test_round_trips_for_its_figures():
    admin = _staff_client("admin")
    per = _trips_per_request("desk-dashboard",
                             lambda i: expect_status(admin.get("/desk/dashboard"), 200), 6)
    # The staff account (reloaded on every staff request), the figures'
    # query, and the per-supplier claim figures (claim_figures_load, the
    # claims page's read reused as it is: claims are over all time and a
    # table of their own, so a UNION into Q_DASHBOARD would copy its parse).
    print(f"    GET /desk/dashboard: {per:.2f} round trips", flush=True)
    check(per <= 3, f"GET /desk/dashboard: {per} round trips, budget 3")
