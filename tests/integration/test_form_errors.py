"""Errors give the form back (issue 10): a file too large (413) or of a type
we do not take (415) shows the form again with what was typed and a message
naming the file and the limit, on POST /refund/new, on the status page's
补充凭证 form and on the appeal's own page; an empty 补充凭证 is a field error (422) on its form;
a staff form's error page leads back to the desk, never the buyer look-up."""

import rd
from rd import File, check, expect_status
from test_desk import _login, _review_refund, _staff

REASON = "充值后提示卡密已被使用，截图已附上，请帮忙核实处理。"
WRONG = "account-<b>&\"kept\""


def _big(seed):
    """A PNG head with 6 MiB behind it: over the 5 MiB limit, under nginx's."""
    return rd.png(seed) + b"\0" * (6 * 1024 * 1024)


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"


def _error_text(resp, ident):
    n = resp.doc.by_id(ident)
    check(n is not None, f'no id="{ident}" in {resp!r}')
    return n.text().strip()


def _new_form_refused(status, name, data):
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    fields = rd.refund_fields(form, o["order_no"], reason=REASON, destination="balance",
                              wrong_account=WRONG)
    before = rd.snapshot()
    # A good file beside the refused one: neither is kept.
    files = [File(rd.png(o["order_no"] + "ok"), "fine.png", "image/png"), File(data, name, "image/png")]
    r = expect_status(rd.submit(c, fields, files), status)
    rd.assert_unchanged(before, f"a refused file ({status})")
    doc = r.doc
    check(doc.field_value("reason") == REASON, f"{status}: the reason is lost: {doc.field_value('reason')!r}")
    check(doc.field_value("type") == "invalid_item", f"{status}: the type is lost")
    check(doc.field_value("destination") == "balance", f"{status}: the destination is lost")
    check(doc.field_value("wrong_account") == WRONG, f"{status}: wrong_account is lost")
    check(doc.hidden("idem") == fields["idem"], f"{status}: the form's key changed")
    msg = _error_text(r, "err-evidence")
    check(name in msg, f"{status}: the message does not name the file: {msg!r}")
    check("5 MB" in msg, f"{status}: the message does not give the limit: {msg!r}")
    # The same form goes through once the file is fixed: the key was kept.
    ok = rd.submit(c, fields, [File(rd.png(o["order_no"]), "fixed.png", "image/png")])
    rd.refund_id_of(ok)


def test_new_form_413_keeps_values():
    _new_form_refused(413, "大图.png", _big("413"))


def test_new_form_415_keeps_values():
    _new_form_refused(415, "page.png", HTML)


def _form(resp, path):
    """The form that posts to path (a route path: the mount, if any, taken off)."""
    return next((f for f in resp.doc.find_all("form") if rd.route(f.get("action")) == path), None)


def _status_form(c, rid):
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    return rd.csrf_of(page)


def _events(rid):
    return rd.db_value("SELECT COUNT(*) FROM refund_events e JOIN refunds r ON r.id = e.refund_id "
                       f"WHERE r.public_id = {rd.q(rid)}")


def test_evidence_413_415_and_empty_show_the_form_again():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    note = "补充：充值记录截图见附件 <i>"
    for status, files, word in [
        (413, [File(_big(rid), "huge.png", "image/png")], "huge.png"),
        (415, [File(HTML, "not-image.png", "image/png")], "not-image.png"),
        (422, [], "补充说明"),
    ]:
        csrf = _status_form(c, rid)
        events, n_files = _events(rid), rd.db_count("evidence")
        r = expect_status(c.post_multipart(f"/refund/{rid}/evidence",
                                           {"csrf": csrf, "note": note if status != 422 else ""}, files), status)
        check(_events(rid) == events and rd.db_count("evidence") == n_files, f"{status}: something was written")
        form = _form(r, f"/refund/{rid}/evidence")
        check(form is not None, f"{status}: the 补充凭证 form is not on the page: {r!r}")
        msg = _error_text(r, "err-evidence-evidence")
        check(word in msg, f"{status}: the message {msg!r} does not say {word!r}")
        if status != 422:
            check("5 MB" in msg, f"{status}: no limit in {msg!r}")
            check(r.doc.by_id("note-evidence").text().lstrip("\n") == note, f"{status}: the note is lost")
        check(rd.page_state(r) is not None, f"{status}: not the status page")
    # And the same form with a note only goes through.
    csrf = _status_form(c, rid)
    expect_status(c.post_multipart(f"/refund/{rid}/evidence", {"csrf": csrf, "note": note}), 303)


def _cs():
    login, password = _staff("cs")
    c, r = _login(login, password)
    expect_status(r, 303)
    return c, rd.csrf_of(c.get("/desk"))


def _links(resp):
    return [a.get("href") or "" for a in resp.doc.find_all("a")]


def test_staff_form_errors_stay_on_the_desk():
    _, rid = _review_refund()
    c, csrf = _cs()
    # A bad field: the request page again, with its decision form.
    r = expect_status(c.post_form(f"/desk/refund/{rid}/decision",
                                  {"csrf": csrf, "action": "approve", "amount_choice": "custom",
                                   "amount": "70.505"}), 422)
    check(_form(r, f"/desk/refund/{rid}/decision") is not None,
          f"no decision form on the 422 page: {r!r}")
    check(not any("/refund/lookup" in h for h in _links(r)), "the staff page links to the buyer look-up")
    # A stale form (bad CSRF) and an unreadable body: pages that lead back to the desk.
    for fields in ({"csrf": "x" * 40, "action": "approve"}, {"csrf": csrf, "action": "approve", "amount": "\0"}):
        r = c.post_form(f"/desk/refund/{rid}/decision", fields)
        check(r.status in (400, 403, 422), f"{fields}: {r!r}")
        links = _links(r)
        check(not any("/refund/lookup" in h for h in links), f"{r.status}: a staff error page links to the buyer look-up: {links}")
        check(any("/desk" in h for h in links), f"{r.status}: no way back to the desk")


def test_appeal_413_415_show_its_form_again():
    o = rd.used_card(merchant_id="m-test")
    buyer = rd.buyer_session(o)
    rid = rd.new_refund(buyer, o)
    c, csrf = _cs()
    expect_status(c.post_form(f"/desk/refund/{rid}/decision",
                              {"csrf": csrf, "action": "reject", "note": "凭证不足", "confirm": "1"}), 303)
    # The appeal's form is on its own page (i10-buyer), with the picker.
    page = expect_status(buyer.get(f"/refund/{rid}/appeal"), 200)
    check(_form(page, f"/refund/{rid}/appeal") is not None, "a rejected request offers the appeal")
    check(page.doc.by_id("evidence-appeal").get("data-max-bytes") is not None, "the appeal's picker has no limits")
    check(any(rd.route(n.get("src") or "") == "/static/rd-upload.js" for n in page.doc.find_all("script")),
          "the appeal page has no upload script")
    note = "我不同意驳回，补充说明如下"
    for status, files, name in [(413, [File(_big(rid), "huge.png", "image/png")], "huge.png"),
                                (415, [File(HTML, "appeal.pdf", "application/pdf")], "appeal.pdf")]:
        events = _events(rid)
        r = expect_status(buyer.post_multipart(f"/refund/{rid}/appeal",
                                               {"csrf": rd.csrf_of(page), "note": note, "confirm": "1"}, files), status)
        check(_events(rid) == events and rd.refund_row(rid)["state"] == "rejected",
              f"{status}: a refused appeal changed the request")
        check(_form(r, f"/refund/{rid}/appeal") is not None, f"{status}: the appeal form is not on the page")
        check(name in _error_text(r, "err-evidence-appeal"), f"{status}: the message does not name the file")
        check(r.doc.by_id("note-appeal").text().lstrip("\n") == note, f"{status}: the appeal's note is lost")
