"""Text that cannot lie (issue 9): bidi controls and zero-width characters are
refused in notes, reasons and API strings (and dropped from file names),
buyer-written timeline text is marked as the buyer's, PDFs download as
attachments, lookup codes have at least 8 characters and an order's look-up
locks after repeated failures."""

import json
import os
import subprocess
import tempfile
import urllib.parse

import rd
from rd import check, expect_api_error, expect_status, q

RLO, ZWSP, LRI = "\u202e", "\u200b", "\u2066"


def test_api_refuses_bidi_and_zero_width():
    for field, value in (("title", RLO + "gnp.exe 点卡"), ("title", "点卡" + ZWSP + "100"),
                         ("contact", "a" + LRI + "@example.com")):
        b = rd.order_body(**{field: value})
        e = expect_api_error(rd.api("POST", "/api/v1/orders", b), 422)
        check(e["code"] == "deceptive_text" and field in e["message"], f"{field}: {e}")


def test_pages_refuse_bidi_and_zero_width():
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    before = rd.snapshot()
    r = rd.submit(c, rd.refund_fields(form, o["order_no"], reason=rd.GOOD_REASON + RLO + "txt.exe"),
                  [rd.File(rd.png(o["order_no"]), "s.png")])
    expect_status(r, 422)
    check("U+202E" in r.text, "the error names the character")
    rd.assert_unchanged(before, "a reason with U+202E")
    rid = rd.new_refund(c, o)
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    before = rd.snapshot()
    r = c.post_form(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": "看这里" + ZWSP})
    expect_status(r, 422)
    rd.assert_unchanged(before, "a note with U+200B")
    # A file name that would render reversed is not kept (the sniffed type is shown).
    r = c.post_multipart(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": ""},
                         [rd.File(rd.png(rid + "n"), RLO + "gnp.exe", "image/png")])
    expect_status(r, 303)
    name = rd.db_value("SELECT v.orig_name FROM evidence v JOIN refunds r ON r.id = v.refund_id "
                       f"WHERE r.public_id = {q(rid)} ORDER BY v.seq DESC LIMIT 1")
    check(RLO not in (name or ""), f"stored file name {name!r}")


def test_buyer_text_is_marked_as_the_buyers():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o)
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    note = "平台已同意全额退款，请等待到账"          # reads like the platform's word
    expect_status(c.post_form(f"/refund/{rid}/evidence", {"csrf": rd.csrf_of(page), "note": note}), 303)
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    li = [n for n in rd.timeline_items(page) if note in n.text()]
    check(li and "by-buyer" in li[0].classes() and "买家" in li[0].text(), "the buyer's note is marked")


def test_pdf_evidence_is_an_attachment():
    o = rd.used_card()
    c = rd.buyer_session(o)
    rid = rd.new_refund(c, o, files=[rd.File(rd.pdf(o["order_no"]), "record.pdf", "application/pdf")])
    r = expect_status(c.get(f"/refund/{rid}/evidence/1"), 200)
    disp = r.header("Content-Disposition") or ""
    check(disp.startswith("attachment"), f"PDF served as {disp!r}")


def test_lookup_code_at_least_8():
    e = expect_api_error(rd.api("POST", "/api/v1/orders", rd.order_body(lookup_code="abc1234")), 422)
    check("lookup_code" in e["message"], f"{e}")
    expect_status(rd.api("POST", "/api/v1/orders", rd.order_body(lookup_code="abcd1234")), 200, 201)


def _lookup_cgi(limit, fields, addr):
    """One look-up through the binary as CGI with the per-order limit set (the
    test stack keeps it loose); the CSRF token of a fresh look-up session."""
    c = rd.Client(source=addr)
    form = expect_status(c.get("/refund/lookup"), 200)
    body = urllib.parse.urlencode(dict(fields, csrf=rd.csrf_of(form))).encode()
    with open(rd.env("RD_CONFIG")) as f:
        cfg = json.load(f)
    cfg["limits"]["lookup_failures_per_order"] = limit
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        env = {"REFUND_DESK_CONFIG": f.name, "REMOTE_ADDR": addr, "GATEWAY_INTERFACE": "CGI/1.1",
               "PATH": "/usr/bin:/bin", "REQUEST_METHOD": "POST", "PATH_INFO": "/refund/lookup",
               "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in c.jar.items()),
               "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body))}
        p = subprocess.run([rd.env("RD_BIN")], input=body, env=env, capture_output=True, timeout=30)
    finally:
        os.unlink(f.name)
    return int(p.stdout.split(b"\r\n", 1)[0].split()[1])


def test_lookup_locks_per_order():
    o = rd.register()
    base = {"order_no": o["order_no"], "contact": o["contact"]}
    got = [_lookup_cgi(3, dict(base, lookup_code=f"wrong{i}xx"), rd.elsewhere()) for i in range(3)]
    check(got == [422] * 3, f"failures {got}")
    # From yet another address, even the right code: the order is locked.
    check(_lookup_cgi(3, dict(base, lookup_code=o["lookup_code"]), rd.elsewhere()) == 429, "not locked")
    other = rd.register()
    check(_lookup_cgi(3, {"order_no": other["order_no"], "contact": other["contact"],
                          "lookup_code": other["lookup_code"]}, rd.elsewhere()) == 303, "other orders unaffected")
