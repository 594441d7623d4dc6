"""Operations: health, metrics, and the headers nginx and the app send together."""

import http.client
import os
import urllib.parse

import rd
from rd import check, expect_status


def test_healthz():
    r = expect_status(rd.Client().get("/healthz"), 200)
    check(r.header("Server") is not None, f"no Server header: {r!r}")


def test_metrics_from_loopback():
    r = expect_status(rd.Client().get("/metrics"), 200)
    check((r.header("Content-Type") or "").startswith("text/plain"),
          f"metrics are not Prometheus text: {r!r}")


def _one_of_each_security_header(r, what):
    for name, value in rd.SECURITY_HEADERS.items():
        got = r.headers_all(name)
        check(len(got) == 1, f"{what}: {name} sent {len(got)} times: {got}")
        check(got[0] == value, f"{what}: {name} is {got[0]!r}, want {value!r}")


def test_security_headers_once_on_app_pages():
    c = rd.Client()
    _one_of_each_security_header(expect_status(c.get("/healthz"), 200), "/healthz")
    o = rd.register()
    b = rd.buyer_session(o)
    form = rd.open_form(b, o["order_no"])
    _one_of_each_security_header(form, "/refund/new")
    bad = c.get(rd.start_link(o["order_no"], o["buyer_id"], sig="0" * 64))
    _one_of_each_security_header(expect_status(bad, 403), "403 of /refund/start")


def test_security_headers_on_nginx_error_pages():
    rd.skip_unless_front("nginx", reason="nginx's own error pages (its 404 and 413)")
    # The internal evidence location is not reachable from outside: nginx's 404.
    r = expect_status(rd.Client().get("/_evidence/" + "a" * 64), 404)
    _one_of_each_security_header(r, "nginx 404 of /_evidence/")
    # A body over client_max_body_size (26m) is refused by nginx before the
    # app sees it; the Content-Length alone decides, so none is sent.
    u = urllib.parse.urlsplit(rd.env("RD_URL"))
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    try:
        conn.putrequest("POST", "/refund/new")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(26 * 1024 * 1024 + 1))
        conn.endheaders()
        resp = conn.getresponse()
        r = rd.Response(resp.status, resp.reason, resp.getheaders(), resp.read())
    finally:
        conn.close()
    expect_status(r, 413)
    _one_of_each_security_header(r, "nginx 413")


def test_unknown_path_is_404():
    r = rd.Client().get("/no/such/page")
    expect_status(r, 404)


def _burst(client, method, path, n, body=None, headers=None):
    """n requests over one kept-alive connection, as fast as possible: the
    statuses in order, and the first 429 response (or None)."""
    conn = client.connection()
    out, first429 = [], None
    try:
        for _ in range(n):
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            resp = rd.Response(r.status, r.reason, r.getheaders(), r.read())
            out.append(resp.status)
            if resp.status == 429 and first429 is None:
                first429 = resp
    finally:
        conn.close()
    return out, first429


def test_rate_limits_lookup_and_post_new():
    rd.skip_unless_front("nginx", reason="nginx's limit_req (the app's own per-address limits are tested apart)")
    # Each part comes from its own loopback address, so the budget of
    # 127.0.0.1, which every other test uses, is never spent here.
    burst = int(os.environ.get("RD_BURST") or 200)
    check(burst <= 2000, f"RD_BURST={burst} is too large to test")
    n = burst + 60

    got, r429 = _burst(rd.Client(source=rd.elsewhere()), "GET", "/refund/lookup", n)
    check(429 not in got[: burst // 2], f"throttled within the burst: {got[: burst // 2]}")
    check(r429 is not None, f"/refund/lookup: {n} requests at once, none throttled")
    _one_of_each_security_header(r429, "nginx 429")

    form = "csrf=x&order=x".encode()
    got, r429 = _burst(rd.Client(source=rd.elsewhere()), "POST", "/refund/new", n, body=form,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(r429 is not None, f"POST /refund/new: {n} requests at once, none throttled")
    got, r429 = _burst(rd.Client(source=rd.elsewhere()), "GET", "/refund/new?order=x", n)
    check(r429 is None, "GET /refund/new is rate-limited: only POST should be")


def test_metrics_refused_off_loopback_address():
    # nginx allows 127.0.0.1 and ::1 only; another loopback address stands
    # in for the world.
    r = rd.Client(source=rd.elsewhere()).get("/metrics")
    expect_status(r, 403)
