"""The refund form page (GET /refund/new): the order, what is possible, the form."""

import rd
from rd import check, expect_status


def test_form_shows_order_escaped_and_types():
    title = '<b>点卡</b> & "Card" 100元'
    o = rd.used_card(title=title)
    c = rd.buyer_session(o)
    r = rd.open_form(c, o["order_no"])
    check("<b>点卡</b>" not in r.text, "the order title reached the page unescaped")
    check("&lt;b&gt;点卡&lt;/b&gt; &amp;" in r.text, "the order title is not shown (escaped)")
    check(o["order_no"] in r.text, "the order number is not shown")

    radios = [n for n in r.doc.find_all("input", name="type")
              if (n.get("type") or "").lower() == "radio"]
    values = [n.get("value") for n in radios]
    check(radios, "no <input type=radio name=type>")
    check(len(values) == len(set(values)), f"a type is offered twice: {values}")
    check(set(values) <= set(rd.REFUND_TYPES), f"unknown type codes: {values}")
    by = {n.get("value"): n for n in radios}
    check("invalid_item" in by and not by["invalid_item"].has("disabled"),
          f"invalid_item should be open for a revealed card key: {by.get('invalid_item')}")
    # Delivered, used goods: no "not delivered", no change of mind (DOMAIN.md).
    for closed in ("not_delivered", "changed_mind"):
        if closed in by:
            check(by[closed].has("disabled"), f"{closed} should be disabled: {by[closed]}")

    form = None
    for f in r.doc.find_all("form"):
        if f.find("input", name="idem") is not None:
            form = f
    check(form is not None, "no form carrying idem")
    check((form.get("method") or "").lower() == "post", f"form method: {form}")
    check(rd.route((form.get("action") or "").split("?")[0]) == "/refund/new", f"form action: {form}")
    check((form.get("enctype") or "").lower() == "multipart/form-data", f"form enctype: {form}")
    for name in ("csrf", "idem"):
        n = form.find("input", name=name)
        check(n is not None and (n.get("type") or "").lower() == "hidden" and n.get("value"),
              f"hidden {name}: {n}")
    check(form.find("input", name="order") is not None or o["order_no"] in (form.get("action") or ""),
          "the form does not carry the order")
    check(form.find(name="reason") is not None, "no reason field")
    check(form.find("input", name="evidence") is not None, "no evidence file input")
    check(form.find(name="destination") is not None, "no destination field")


def test_form_idem_differs_per_render():
    o = rd.used_card()
    c = rd.buyer_session(o)
    a = rd.idem_of(rd.open_form(c, o["order_no"]))
    b = rd.idem_of(rd.open_form(c, o["order_no"]))
    check(a != b, "two renders of the form carry the same idem: it is not one-time")


def test_form_unknown_order_404():
    o = rd.used_card()
    c = rd.buyer_session(o)
    expect_status(c.get("/refund/new?order=" + rd.unique("NX")), 404)


def test_form_other_buyers_order_refused():
    mine = rd.used_card()
    theirs = rd.used_card()
    c = rd.buyer_session(mine)
    r = c.get("/refund/new?order=" + theirs["order_no"])
    expect_status(r, 403, 404)
    check(theirs["title"] not in r.text or theirs["order_no"] not in r.text,
          "another buyer's order is shown")
