"""Claims up the chain in the staff console (issue 15, i15-console): the
request page shows the order's upstream and its claim, read in the page's
existing round trips; GET /desk/claims lists claims for admins and arbiters
(filters by state and supplier, pages with counts, each row linked to its
request) with each supplier's figures (open, recovered, written off, the
recovery rate); other roles get 403. The claims are known rows written
straight into the tables (test_chain.py makes real ones with two desks)."""

import re

import rd
from money_model import check_ledger
from rd import check, expect_status, q
from test_desk_page import _desk
from test_indexes import explain, statement
from test_round_trips import _trips_per_request


def _refund():
    """A request of a fresh order: (order, refund public id, order id, refund id)."""
    o = rd.used_card()
    rid = rd.new_refund(rd.buyer_session(o), o)
    oid, fid = rd.db(f"SELECT o.id, r.id FROM orders o JOIN refunds r ON r.order_id = o.id "
                     f"WHERE r.public_id = {q(rid)}")[0]
    return o, rid, int(oid), int(fid)


def _upstream(oid, supplier, cost, upstream_no=None):
    rd.db(f"INSERT INTO order_upstreams (order_id, supplier, upstream_order_no, cost) "
          f"VALUES ({oid}, {q(supplier)}, {q(upstream_no or 'UP-' + str(oid))}, {cost})")


def _claim(oid, fid, supplier, state, amount, recovered=0, written_off=0, supplier_refund_id="", at=None):
    at = at or rd.now()
    cid = rd.unique("C")
    rd.db("INSERT INTO supplier_claims (public_id, order_id, refund_id, supplier, merchant_id, amount, recovered, "
          "written_off, state, supplier_refund_id, created_at, updated_at, expires_at, next_at) VALUES "
          f"({q(cid)}, {oid}, {fid}, {q(supplier)}, 'm-test', {amount}, {recovered}, {written_off}, {q(state)}, "
          f"{q(supplier_refund_id)}, {at}, {at + 60}, {at + 604800}, {at + 604800})")
    return cid


# The ledger a real claim has (supplier_claim.c, rules/ledger_plan.c): the
# receivable booked at what it claims, then what came back and what was
# written off, so check-ledger (other tests run it on this stack) stays clean.
_BOOK = [
    ("claim", "claim", "amount", "CONCAT('external:supplier:', c.supplier)", "CONCAT('claim:', c.public_id)"),
    ("claim_recovered", "claimrec", "recovered", "CONCAT('claim:', c.public_id)",
     "CONCAT('merchant_recovery:', c.merchant_id)"),
    ("claim_write_off", "claimoff", "written_off", "CONCAT('claim:', c.public_id)",
     "CONCAT('external:supplier:', c.supplier)"),
]


def book_ledger(supplier):
    """Books the ledger of every claim of supplier (test-made rows)."""
    for kind, key, col, src, dst in _BOOK:
        rd.db(f"INSERT INTO ledger_txns (order_id, refund_id, kind, uniq_key, created_at) "
              f"SELECT c.order_id, c.refund_id, {q(kind)}, CONCAT({q(key + ':')}, c.public_id), c.created_at "
              f"FROM supplier_claims c WHERE c.supplier = {q(supplier)} AND c.{col} > 0")
        for account, sign in ((src, "-"), (dst, "")):
            rd.db(f"INSERT INTO ledger_entries (txn_id, account, amount) SELECT t.id, {account}, {sign}c.{col} "
                  f"FROM supplier_claims c JOIN ledger_txns t ON t.uniq_key = CONCAT({q(key + ':')}, c.public_id) "
                  f"WHERE c.supplier = {q(supplier)} AND c.{col} > 0")


def _claimed(supplier, state, amount, **kw):
    o, rid, oid, fid = _refund()
    _upstream(oid, supplier, amount)
    return rid, _claim(oid, fid, supplier, state, amount, **kw)


def test_request_page_shows_the_upstream_and_its_claim_in_the_same_round_trips():
    sup = rd.unique("sup")
    o, rid, oid, fid = _refund()
    _upstream(oid, sup, 8000, "UP-<9>")
    _claim(oid, fid, sup, "recovered", 8000, recovered=6000, written_off=2000, supplier_refund_id="SR-77")
    book_ledger(sup)
    _, bare, _, _ = _refund()
    o2, unclaimed, oid2, _ = _refund()
    _upstream(oid2, sup, 1234)
    for role in ("cs", "arbiter"):
        _, c = _desk(role)
        doc = expect_status(c.get(f"/desk/refund/{rid}"), 200).doc
        check(doc.by_id("upstream-supplier").text() == sup, "the supplier")
        check(doc.by_id("upstream-order").text() == "UP-<9>", "the supplier's order number, as stored")
        check(doc.by_id("upstream-cost").text() == "¥80.00", "the cost in yuan")
        state = doc.find(class_="claim-state")
        check(state.get("data-state") == "recovered" and state.text() == "已追回", f"the claim's state: {state}")
        check(doc.by_id("claim-amount").text() == "¥80.00", "claimed")
        check(doc.by_id("claim-recovered").text() == "¥60.00", "recovered")
        check(doc.by_id("claim-written-off").text() == "¥20.00", "written off")
        check(doc.by_id("claim-supplier-refund").text() == "SR-77", "the supplier's refund id")
        check(re.match(r"\d{4}-\d\d-\d\d", doc.by_id("claim-filed-at").text()), "when it was filed")
        check(re.match(r"\d{4}-\d\d-\d\d", doc.by_id("claim-settled-at").text()), "settled: when")
        doc = expect_status(c.get(f"/desk/refund/{unclaimed}"), 200).doc
        check(doc.by_id("upstream-cost").text() == "¥12.34" and doc.by_id("claim-none") is not None,
              "bought upstream, nothing claimed")
        doc = expect_status(c.get(f"/desk/refund/{bare}"), 200).doc
        check(doc.by_id("upstream") is None, "no supplier: no upstream section")
    # The claim rides in the risk facts' read: a page with one costs what a page without does.
    _, c = _desk("cs")
    without = _trips_per_request("desk-refund", lambda i: expect_status(c.get(f"/desk/refund/{bare}"), 200), 4)
    with_claim = _trips_per_request("desk-refund", lambda i: expect_status(c.get(f"/desk/refund/{rid}"), 200), 4)
    print(f"request page: {without:.2f} round trips without a claim, {with_claim:.2f} with one")
    check(with_claim <= without, f"the claim cost round trips of its own: {with_claim:.2f} > {without:.2f}")


def _figures(doc, sup):
    row = doc.by_id("supplier-figures").find("tr", data_supplier=sup)
    check(row is not None, f"no figures row for {sup}")
    return {k: row.find(class_=k).text() for k in ("fig-open", "fig-recovered", "fig-written-off", "fig-rate")}


def _rows(doc):
    t = doc.by_id("claims")
    return [] if t is None else t.find("tbody").find_all("tr")


def test_claims_page_filters_counts_and_supplier_figures():
    sup, other = rd.unique("sa"), rd.unique("sb")
    pending_rid, _ = _claimed(sup, "pending", 1000)
    _claimed(sup, "filed", 2000)
    _claimed(sup, "recovered", 3000, recovered=3000, supplier_refund_id="SR1")
    _claimed(sup, "recovered", 4000, recovered=3000, written_off=1000, supplier_refund_id="SR2")
    _claimed(sup, "rejected", 500, written_off=500, supplier_refund_id="SR3")
    _claimed(sup, "written_off", 600, written_off=600)
    _claimed(other, "pending", 990)
    book_ledger(sup)
    book_ledger(other)
    check_ledger("the claims made for the page")     # the known rows are whole claims, ledger and all
    _, admin = _desk("admin")
    doc = expect_status(admin.get("/desk/claims"), 200).doc
    # Recovered ¥60 of ¥81 settled: 74.07…% shows as 74.1%.
    check(_figures(doc, sup) == {"fig-open": "2 笔 ¥30.00", "fig-recovered": "2 笔 ¥60.00",
                                 "fig-written-off": "3 笔 ¥21.00", "fig-rate": "74.1%"}, _figures(doc, sup))
    check(_figures(doc, other) == {"fig-open": "1 笔 ¥9.90", "fig-recovered": "0 笔 ¥0.00",
                                   "fig-written-off": "0 笔 ¥0.00", "fig-rate": "—"}, _figures(doc, other))
    doc = expect_status(admin.get(f"/desk/claims?supplier={sup}"), 200).doc
    check(len(_rows(doc)) == 6 and "共 6 笔 · 第 1 / 1 页" in doc.by_id("claims-total").text(),
          "a supplier's claims, counted")
    check(doc.by_id("claim-supplier").find("option", selected=True).get("value") == sup, "the filter kept")
    doc = expect_status(admin.get(f"/desk/claims?supplier={sup}&state=pending"), 200).doc
    rows = _rows(doc)
    check(len(rows) == 1, f"one pending claim of {sup}: {len(rows)}")
    link = rows[0].find(class_="claim-refund").find("a").get("href")
    check(link == f"{rd.mount()}/desk/refund/{pending_rid}", f"the row links its request: {link}")
    check(rows[0].find(class_="claim-amount").text() == "¥10.00", "in yuan")
    doc = expect_status(admin.get(f"/desk/claims?supplier={sup}&state=written_off"), 200).doc
    check([r.find(class_="claim-settled").text() for r in _rows(doc)] == ["¥0.00 / ¥6.00"], "expired: all written off")
    doc = expect_status(admin.get(f"/desk/claims?supplier={rd.unique('none')}"), 200).doc
    check(doc.by_id("claims-empty") is not None and not _rows(doc), "a supplier with no claims: none")
    # A value the gate refuses is said and not used (the list is every supplier's).
    doc = expect_status(admin.get(f"/desk/claims?state=lost&supplier={sup}"), 200).doc
    check(doc.by_id("query-error") is not None, "the refused state is said")
    check(len(_rows(doc)) == 6, "the refused state is not used, the supplier still is")


def test_claims_page_pages():
    sup = rd.unique("sp")
    # 55 claims on requests that have none (made where too few exist).
    free = f"SELECT r.id, r.order_id FROM refunds r LEFT JOIN supplier_claims c ON c.refund_id = r.id " \
           f"WHERE c.id IS NULL LIMIT 55"
    while len(rd.db(free)) < 55:
        _refund()
    at = rd.now()
    rd.db("INSERT INTO supplier_claims (public_id, order_id, refund_id, supplier, merchant_id, amount, state, "
          f"created_at, updated_at, expires_at, next_at) SELECT CONCAT({q(sup)}, '-', f.id), f.order_id, f.id, "
          f"{q(sup)}, 'm-test', 100, 'filed', {at}, {at}, {at + 604800}, {at + 604800} FROM ({free}) f")
    book_ledger(sup)
    _, arb = _desk("arbiter")
    doc = expect_status(arb.get(f"/desk/claims?supplier={sup}"), 200).doc
    check(len(_rows(doc)) == 50, "a page is 50 claims")
    check("共 55 笔 · 第 1 / 2 页" in doc.by_id("claims-total").text(), doc.by_id("claims-total").text())
    nxt = doc.by_id("page-next").get("href")
    check(nxt == f"{rd.mount()}/desk/claims?state=&supplier={sup}&page=2", f"the next page keeps the filter: {nxt}")
    doc = expect_status(arb.get(f"/desk/claims?supplier={sup}&page=2"), 200).doc
    check(len(_rows(doc)) == 5 and doc.by_id("page-prev") is not None, "the last page")
    doc = expect_status(arb.get(f"/desk/claims?supplier={sup}&page=9"), 200).doc
    check(not _rows(doc) and doc.by_id("claims-empty") is not None, "past the end: none")
    check(_figures(doc, sup)["fig-open"] == "55 笔 ¥55.00", "the figures count every page")


def test_claims_page_admins_and_arbiters_only():
    for role, merchant in (("cs", None), ("merchant", "m-test")):
        _, c = _desk(role, merchant)
        expect_status(c.get("/desk/claims"), 403)
        check(c.get("/desk").doc.by_id("claims-link") is None, f"no link for {role}")
    expect_status(rd.Client().get("/desk/claims"), 303)
    for role in ("admin", "arbiter"):
        _, c = _desk(role)
        link = expect_status(c.get("/desk"), 200).doc.by_id("claims-link")
        check(link is not None and link.get("href") == f"{rd.mount()}/desk/claims", f"the queue links it for {role}")


def test_claims_queries_read_through_indexes():
    sup = rd.unique("si")
    _claimed(sup, "filed", 100)
    book_ledger(sup)
    sql = statement("Q_DESK_CLAIMS")
    for shape, (state, supplier) in {"no filter": ("", ""), "state": ("filed", ""), "supplier": ("", sup),
                                     "both": ("filed", sup)}.items():
        for row in explain(sql, [state, state, supplier, supplier, 50, 0]):
            table, typ, key = row[2], row[3], row[5]
            if table in (None, "NULL") or table.startswith("<"):
                continue
            check(typ != "ALL" and key not in ("", "NULL", None),
                  f"Q_DESK_CLAIMS ({shape}) reads {table} without an index: {row}")
    for row in explain(statement("Q_DESK_CLAIM_SUPPLIERS"), []):
        check(row[5] == "k_supplier" and "temporary" not in (row[9] or "") and "filesort" not in (row[9] or ""),
              f"the supplier figures come from k_supplier alone, in its order: {row}")
