"""POST /refund/new (CONTRACT.md §3): the happy path with evidence, the status
page, evidence downloads, and every refusal with its status and nothing written."""

import hashlib
import os
import re

import rd
from rd import File, check, expect_status

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _sha(b):
    return hashlib.sha256(b).hexdigest()


def _good_files(seed):
    return [File(rd.png(seed), "screenshot.png", "image/png")]


def _refused(c, o, status, err=None, files=None, **over):
    """Submits the form with over applied; expects status, the err-FIELD
    message when err is given, and no change anywhere."""
    form = rd.open_form(c, o["order_no"])
    before = rd.snapshot()
    fields = rd.refund_fields(form, o["order_no"], **over)
    r = rd.submit(c, fields, _good_files(o["order_no"] + str(over)) if files is None else files)
    expect_status(r, status)
    if err:
        n = r.doc.by_id("err-" + err)
        check(n is not None and n.text().strip(), f'no message in id="err-{err}": {r!r}')
    rd.assert_unchanged(before, f"refused with {status}")
    return r


def test_submit_with_evidence_and_status_page():
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    p, d = rd.png(o["order_no"]), rd.pdf(o["order_no"])
    files_before = set(rd.evidence_paths())
    r = rd.submit(c, rd.refund_fields(form, o["order_no"]),
                  [File(p, "shot.png", "image/png"), File(d, "record.pdf", "application/pdf")])
    rid = rd.refund_id_of(r)

    row = rd.refund_row(rid)
    check(row["type"] == "invalid_item" and row["destination"] == "original"
          and row["buyer_id"] == o["buyer_id"] and row["reason"] == rd.GOOD_REASON,
          f"refunds row {row}")
    check(row["state"] in ("submitted", "cs_review"), f"a defect claim goes to review: {row['state']}")
    check(row["open_order_id"] == row["order_id"], f"open request not marked open: {row}")
    check(rd.hold_state(o["order_no"]) == "frozen", "an open request should freeze the hold")

    ev = rd.db(f"SELECT seq, sha256, mime, size FROM evidence WHERE refund_id = {row['id']} ORDER BY seq")
    check(ev == [["1", _sha(p), "image/png", str(len(p))],
                 ["2", _sha(d), "application/pdf", str(len(d))]], f"evidence rows {ev}")
    new = set(rd.evidence_paths()) - files_before
    check(sorted(os.path.basename(f) for f in new) == sorted([_sha(p), _sha(d)]),
          f"stored files should be named by their sha256: {sorted(new)}")

    page = expect_status(c.get(f"/refund/{rid}"), 200)
    check(rd.page_state(page) == row["state"], f"data-state {rd.page_state(page)!r} vs {row['state']!r}")
    events = rd.db_count("refund_events", f"refund_id = {row['id']}")
    items = rd.timeline_items(page)
    check(events >= 1 and len(items) == events, f"timeline shows {len(items)} of {events} events")
    check(rd.GOOD_REASON in page.text, "the buyer's reason is not on the status page")

    for n, (data, ctype) in enumerate([(p, "image/png"), (d, "application/pdf")], 1):
        e = expect_status(c.get(f"/refund/{rid}/evidence/{n}"), 200)
        check((e.header("Content-Type") or "").split(";")[0].strip() == ctype,
              f"evidence {n}: Content-Type {e.header('Content-Type')!r}, want {ctype}")
        check(e.headers_all("X-Content-Type-Options") == ["nosniff"],
              f"evidence {n}: X-Content-Type-Options {e.headers_all('X-Content-Type-Options')}")
        check(e.body == data, f"evidence {n}: {len(e.body)} bytes differ from the upload")
        check(e.header("X-Accel-Redirect") is None, "X-Accel-Redirect leaked to the client")
        for h in ("Content-Type", "Cache-Control", "Content-Disposition"):
            check(len(e.headers_all(h)) <= 1, f"evidence {n}: {h} sent twice: {e.headers_all(h)}")
        check(e.header("X-Sendfile") is None, "X-Sendfile leaked to the client")
        if rd.front() == "nginx":
            # nginx's static handler answers an X-Accel-Redirect with an ETag of
            # "mtime-size" in hex: proof that the file did not go through the app.
            etag = e.header("ETag") or ""
            check(re.fullmatch(r'"[0-9a-f]+-%x"' % len(data), etag),
                  f"evidence {n} was not served by nginx via X-Accel-Redirect (ETag {etag!r})")
        elif rd.front() == "apache":
            # Streamed by the app itself, with its own length (mod_cgi may
            # re-frame it as chunked: test_front checks the app's own output).
            check(e.header("Content-Length") == str(len(data)),
                  f"evidence {n}: Content-Length {e.header('Content-Length')!r}, want {len(data)}")
    expect_status(c.get(f"/refund/{rid}/evidence/3"), 404)
    expect_status(c.get(f"/refund/{rid}/evidence/0"), 404)


def test_reason_of_ten_characters_accepted():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o, reason="卡密无法使用请退款啊")    # 10 characters, 30 bytes
    check(rd.refund_row(rid)["reason"] == "卡密无法使用请退款啊", "reason stored changed")


def test_missing_csrf_403():
    o = rd.used_card()
    _refused(rd.buyer_session(o), o, 403, csrf=None)


def test_wrong_csrf_403():
    o = rd.used_card()
    c = rd.buyer_session(o)
    _refused(c, o, 403, csrf="0" * 64)
    # A valid token of another session is still wrong here.
    other = rd.used_card()
    oc = rd.buyer_session(other)
    _refused(c, o, 403, csrf=rd.csrf_of(rd.open_form(oc, other["order_no"])))


def test_someone_elses_order_403():
    theirs = rd.used_card()
    rd.buyer_session(theirs)
    mine = rd.used_card()
    c = rd.buyer_session(mine)
    form = rd.open_form(c, mine["order_no"])
    before = rd.snapshot()
    r = rd.submit(c, rd.refund_fields(form, theirs["order_no"]), _good_files("theirs"))
    expect_status(r, 403)
    rd.assert_unchanged(before, "someone else's order")


def test_unknown_order_404():
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    before = rd.snapshot()
    r = rd.submit(c, rd.refund_fields(form, rd.unique("NX")), _good_files("unknown"))
    expect_status(r, 404)
    rd.assert_unchanged(before, "unknown order")


def test_short_reason_422_keeps_values():
    o = rd.used_card()
    short = "卡密无法使用请退款"          # 9 characters (27 bytes): counted as characters
    r = _refused(rd.buyer_session(o), o, 422, err="reason", reason=short, destination="balance")
    d = r.doc
    check(d.field_value("reason") == short, f"reason not kept: {d.field_value('reason')!r}")
    check(d.field_value("type") == "invalid_item", f"type not kept: {d.field_value('type')!r}")
    check(d.field_value("destination") == "balance",
          f"destination not kept: {d.field_value('destination')!r}")
    check(d.hidden("csrf") and d.hidden("idem"), "the re-rendered form lost csrf or idem")


def test_long_reason_422():
    o = rd.used_card()
    _refused(rd.buyer_session(o), o, 422, err="reason", reason="长" * 1001)


def test_bad_type_422():
    o = rd.used_card()
    c = rd.buyer_session(o)
    _refused(c, o, 422, err="type", type="refund_everything")
    _refused(c, o, 422, err="type", type=None)


def test_type_not_allowed_for_order_422():
    # The key was revealed: no change of mind (DOMAIN.md).
    o = rd.used_card()
    _refused(rd.buyer_session(o), o, 422, err="type", type="changed_mind")


def test_bad_destination_422():
    o = rd.used_card()
    c = rd.buyer_session(o)
    _refused(c, o, 422, err="destination", destination="paypal")
    _refused(c, o, 422, err="destination", destination=None)


def test_evidence_required_422():
    o = rd.used_card()
    _refused(rd.buyer_session(o), o, 422, err="evidence", files=[])


def test_six_files_422():
    # "evidence (file, repeatable, 0-5)": a count over the limit is a bad
    # field (422 with its message), not a body too large (413).
    o = rd.used_card()
    files = [File(rd.png(f"{o['order_no']}-{i}"), f"s{i}.png", "image/png") for i in range(6)]
    _refused(rd.buyer_session(o), o, 422, err="evidence", files=files)


def test_six_mib_file_413():
    o = rd.used_card()
    big = rd.png(o["order_no"]) + b"\0" * (6 * 1024 * 1024)
    _refused(rd.buyer_session(o), o, 413, files=[File(big, "big.png", "image/png")])


def test_five_mib_file_accepted():
    # evidence_max_bytes is 5 MiB: exactly that much is allowed.
    o = rd.used_card()
    c = rd.buyer_session(o)
    head = rd.png(o["order_no"])
    five = head + b"\0" * (5 * 1024 * 1024 - len(head))
    rid = rd.new_refund(c, o, files=[File(five, "five.png", "image/png")])
    size = rd.db_value(f"SELECT size FROM evidence WHERE refund_id = {rd.refund_row(rid)['id']}")
    check(size == str(5 * 1024 * 1024), f"stored size {size}")


def test_html_named_png_415():
    o = rd.used_card()
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"
    _refused(rd.buyer_session(o), o, 415, files=[File(html, "x.png", "image/png")])


def test_file_name_is_never_a_path():
    o = rd.used_card()
    c = rd.buyer_session(o)
    evdir = os.path.realpath(rd.env("RD_EVIDENCE_DIR"))
    escape = os.path.normpath(os.path.join(evdir, "../../etc/passwd"))
    absolute = f"/tmp/rd-evil-{o['order_no']}.png"
    existed = os.path.exists(escape)
    passwd = os.stat("/etc/passwd")
    before = set(rd.evidence_paths())
    p1, p2 = rd.png(o["order_no"] + "a"), rd.png(o["order_no"] + "b")
    form = rd.open_form(c, o["order_no"])
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"]), [
        File(p1, "../../etc/passwd", "image/png"),
        File(p2, absolute, "image/png"),
    ]))
    new = set(rd.evidence_paths()) - before
    check(sorted(os.path.basename(f) for f in new) == sorted([_sha(p1), _sha(p2)]),
          f"new evidence files {sorted(new)}")
    for f in rd.evidence_paths():
        check(HEX64.match(os.path.basename(f)), f"an evidence file not named by 64 hex: {f}")
        check(os.path.realpath(f).startswith(evdir + os.sep), f"outside the evidence dir: {f}")
    check(os.path.exists(escape) == existed, f"{escape} appeared")
    check(not os.path.exists(absolute), f"{absolute} was written")
    now = os.stat("/etc/passwd")
    check((now.st_mtime_ns, now.st_size) == (passwd.st_mtime_ns, passwd.st_size), "/etc/passwd changed")
    for base, _dirs, files in os.walk(rd.env("RD_DIR")):
        check("passwd" not in files, f"a file named passwd in {base}")
    check(rd.db_count("evidence", f"refund_id = {rd.refund_row(rid)['id']}") == 2, "two evidence rows")


def test_markup_in_reason_and_file_name_escaped():
    o = rd.used_card()
    c = rd.buyer_session(o)
    reason = "<script>alert(1)</script> 卡密无效无法充值"
    evil_name = '<img src=x onerror=alert(2)>.png'
    form = rd.open_form(c, o["order_no"])
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"], reason=reason),
                                    [File(rd.png(o["order_no"]), evil_name, "image/png")]))
    check(rd.refund_row(rid)["reason"] == reason, "the reason is stored as given")
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    check("<script>alert(1)</script>" not in page.text, "the reason reached the page raw")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, "the reason is not shown escaped")
    check("<img src=x" not in page.text, "the file name reached the page raw")
    # A page's scripts are files by URL, empty: the upload script and the
    # countdown (i10-buyer), never inline.
    scripts = [(n.get("src"), n.text()) for n in page.doc.find_all("script")]
    check(all(rd.route(src or "") in ("/static/rd-upload.js", "/static/rd-time.js") and not body.strip()
              for src, body in scripts),
          f"a <script> element other than the upload script or the countdown on the status page: {scripts}")
    # The 422 re-render echoes the reason: escaped there too.
    o2 = rd.used_card()
    c2 = rd.buyer_session(o2)
    r = _refused(c2, o2, 422, err="type", type="bogus", reason=reason)
    check("<script>alert(1)</script>" not in r.text, "the 422 form echoed the reason raw")


def test_second_open_request_409():
    o = rd.used_card()
    c = rd.buyer_session(o)
    first = rd.open_form(c, o["order_no"])
    second = rd.open_form(c, o["order_no"])
    check(rd.idem_of(first) != rd.idem_of(second), "two renders carry the same idem")
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(first, o["order_no"]), _good_files("409a")))
    before = rd.snapshot()
    r = rd.submit(c, rd.refund_fields(second, o["order_no"]), _good_files("409b"))
    expect_status(r, 409)
    check(f"/refund/{rid}" in r.text, "the 409 page does not link to the open request")
    rd.assert_unchanged(before, "second open request")


def test_same_idem_twice_one_request():
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    fields = rd.refund_fields(form, o["order_no"])
    files = _good_files("idem" + o["order_no"])
    r1 = rd.submit(c, fields, files)
    rid = rd.refund_id_of(r1)
    before = rd.snapshot()
    r2 = rd.submit(c, fields, files)
    check(rd.refund_id_of(r2) == rid, f"the resubmission went to {r2.location()!r}, not /refund/{rid}")
    rd.assert_unchanged(before, "resubmitted idem")
    oid = rd.refund_row(rid)["order_id"]
    check(rd.db_count("refunds", f"order_id = {oid}") == 1, "two refunds rows for one idem")
