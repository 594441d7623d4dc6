"""The desk anywhere (issue 8): under a mount every URL it writes carries the
mount and requests route below it; evidence streams byte for byte with
X-Accel-Redirect never reaching the client; memory stays flat while a 5 MiB
file streams; HTTPS=on and X-Forwarded-* count only as the config says.
These run on every front (nginx at the root, Apache and CGI under
/refund-desk/); what is front-specific says so."""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

import rd
from rd import File, check, expect_status

FIVE_MIB = 5 * 1024 * 1024
URL_ATTR = re.compile(r'\b(?:href|action|src)="([^"]*)"')


def _urls_carry_mount(resp, what):
    m = rd.mount()
    for u in URL_ATTR.findall(resp.text):
        if u.startswith("data:") or u.startswith("#"):
            continue
        if u == rd.config().get("storefront_url"):
            continue                 # 返回商城: the one link out, the config's (i10-buyer)
        check(u.startswith("/") and not u.startswith("//"), f"{what}: a URL that is not a local path: {u}")
        check(not m or u.startswith(m + "/"), f"{what}: {u} does not carry the mount {m}")


def test_get_the_mount_is_the_lookup_page():
    r = expect_status(rd.Client().get("/"), 200)
    form = r.doc.find("form")
    check(form is not None and rd.route(form.get("action")) == "/refund/lookup",
          f"GET {rd.mount() or '/'}: not the look-up page: {r!r}")
    _urls_carry_mount(r, "look-up page at the mount")


def test_every_url_the_pages_write_carries_the_mount():
    o = rd.used_card()
    c = rd.Client()
    r = c.get(rd.start_link(o["order_no"], o["buyer_id"]))
    expect_status(r, 303)
    # Location as sent (not shortened by rd): the mount, then the route.
    loc = urllib.parse.urlsplit(r.header("Location")).path
    check(loc == rd.mount() + "/refund/new", f"hand-off Location {r.header('Location')!r}")
    for name, (value, attrs) in r.cookies().items():
        check(attrs.get("path") == (rd.mount() or "/"), f"cookie {name} Path {attrs.get('path')!r}")
    form = rd.open_form(c, o["order_no"])
    _urls_carry_mount(form, "refund form")
    rid = rd.refund_id_of(rd.submit(c, rd.refund_fields(form, o["order_no"]),
                                    [File(rd.png(o["order_no"]), "s.png", "image/png")]))
    page = expect_status(c.get(f"/refund/{rid}"), 200)
    _urls_carry_mount(page, "status page")
    check(any(rd.route(u) == f"/refund/{rid}/evidence/1" for u in URL_ATTR.findall(page.text)),
          "the status page links no evidence")
    css = expect_status(c.get("/static/rd.css"), 200)
    check("text/css" in (css.header("Content-Type") or ""), f"stylesheet: {css!r}")
    out = subprocess.run([rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "sign-link",
                          "--order", o["order_no"], "--buyer", o["buyer_id"]],
                         capture_output=True, text=True, timeout=30)
    link = urllib.parse.urlsplit(out.stdout.strip())
    check(link.path == rd.mount() + "/refund/start", f"sign-link printed {out.stdout!r}")


def test_api_signature_covers_the_path_below_the_mount():
    rd.skip_unless_front("apache", "cgi", reason="mounted at the root: no path above the route")
    o = rd.register()
    path = f"/api/v1/orders/{o['order_no']}"
    expect_status(rd.api("GET", path), 200)
    # Signed over the full path with the mount: not what the contract signs.
    ts = rd.now()
    sig = rd.api_signature("GET", rd.mount() + path, ts, b"")
    rd.expect_api_error(rd.api("GET", path, ts=ts, sig=sig), 401)


def _five_mib_refund():
    o = rd.used_card()
    c = rd.buyer_session(o)
    head = rd.png(o["order_no"])
    data = head + os.urandom(FIVE_MIB - len(head))
    rid = rd.new_refund(c, o, files=[File(data, "five.png", "image/png")])
    return c, rid, data


def test_five_mib_upload_downloads_byte_identical():
    c, rid, data = _five_mib_refund()
    e = expect_status(c.get(f"/refund/{rid}/evidence/1"), 200)
    check(e.body == data, f"{len(e.body)} bytes came back, not the {len(data)} uploaded")
    for h in ("X-Accel-Redirect", "X-Sendfile"):
        check(e.header(h) is None, f"{h} reached the client: {e.header(h)!r}")
    # Apache's mod_cgi re-frames a large CGI answer as chunked; the app's own
    # Content-Length is checked on its output in the memory test below.
    if rd.front() != "cgi" or e.header("Transfer-Encoding") != "chunked":
        check(e.header("Content-Length") == str(len(data)), f"Content-Length {e.header('Content-Length')!r}")
    h = expect_status(c.request("HEAD", f"/refund/{rid}/evidence/1"), 200)
    check(h.body == b"", f"HEAD sent {len(h.body)} body bytes")
    check(h.header("X-Accel-Redirect") is None, "X-Accel-Redirect on HEAD")
    if rd.front() == "apache":       # nginx and mod_cgi set their own framing on HEAD
        check(h.header("Content-Length") == str(len(data)), f"HEAD Content-Length {h.header('Content-Length')!r}")


# The binary as one CGI request, in a child of a fresh Python, so that
# RUSAGE_CHILDREN's peak RSS is the binary's own.
_MEASURE = r"""
import json, os, resource, subprocess, sys
env = json.loads(sys.argv[1])
p = subprocess.run([sys.argv[2]], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, timeout=60)
head, _, body = p.stdout.partition(b"\r\n\r\n")
print(json.dumps({"rc": p.returncode, "head": head.decode("latin-1"), "len": len(body),
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _cgi(path, cookie="", extra=None, config=None):
    env = {"REFUND_DESK_CONFIG": config or rd.env("RD_CONFIG"), "REMOTE_ADDR": "127.0.0.1",
           "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "SCRIPT_NAME": rd.mount(),
           "PATH_INFO": path, "HTTP_COOKIE": cookie, "PATH": "/usr/bin:/bin"}
    env.update(extra or {})
    out = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(env), rd.env("RD_BIN")],
                         capture_output=True, text=True, timeout=90)
    check(out.returncode == 0, f"measuring failed: {out.stderr[-400:]}")
    r = json.loads(out.stdout)
    check(r["rc"] == 0, f"CGI run of {path} exited {r['rc']}")
    return r


def test_streaming_five_mib_keeps_memory_flat():
    c, rid, data = _five_mib_refund()
    cookie = "; ".join(f"{k}={v}" for k, v in c.jar.items())
    small = _cgi("/healthz")
    big = _cgi(f"/refund/{rid}/evidence/1", cookie)
    check(big["head"].startswith("Status: 200"), f"evidence as CGI: {big['head']!r}")
    check(big["len"] == FIVE_MIB, f"streamed {big['len']} bytes")
    check(f"\r\nContent-Length: {FIVE_MIB}\r\n" in big["head"] + "\r\n", f"no Content-Length: {big['head']!r}")
    grew = big["maxrss_kib"] - small["maxrss_kib"]
    print(f"front: peak RSS streaming 5 MiB as CGI {big['maxrss_kib']} KiB, "
          f"GET /healthz {small['maxrss_kib']} KiB: +{grew} KiB")
    check(grew < 1024, f"peak RSS grew {grew} KiB while streaming 5 MiB (want < 1 MiB)")


def _start(extra, config=None):
    o = rd.used_card()
    link = urllib.parse.urlsplit(rd.start_link(o["order_no"], o["buyer_id"]))
    env = {"QUERY_STRING": link.query}
    env.update(extra)
    r = _cgi("/refund/start", extra=env, config=config)
    check(r["head"].startswith("Status: 303"), f"hand-off as CGI: {r['head']!r}")
    return [ln for ln in r["head"].split("\r\n") if ln.lower().startswith("set-cookie:")]


def _config_with(drop=(), **members):
    """A copy of the stack's config with members set and the keys in drop
    removed, in a temporary file (the caller unlinks it)."""
    with open(rd.env("RD_CONFIG"), encoding="utf-8") as f:
        cfg = json.load(f)
    cfg.update(members)
    for k in drop:
        cfg.pop(k, None)
    fd, path = tempfile.mkstemp(prefix="rd-front-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(cfg, f)
    return path


def test_https_on_and_trusted_proxies():
    plain = _start({})
    check(plain and all("; Secure" not in c for c in plain), f"plain http: {plain}")
    secure = _start({"HTTPS": "on"})
    want = "__Host-rd=" if not rd.mount() else "__Secure-rd="
    check(any(want in c and "; Secure" in c for c in secure), f"HTTPS=on: {secure}")
    # X-Forwarded-Proto from an address nobody trusted: ignored.
    forged = _start({"HTTP_X_FORWARDED_PROTO": "https"})
    check(all("; Secure" not in c for c in forged), f"untrusted X-Forwarded-Proto believed: {forged}")
    cfg = _config_with(trusted_proxies=["127.0.0.1"])
    try:
        proxied = _start({"HTTP_X_FORWARDED_PROTO": "https"}, config=cfg)
        check(any(want in c and "; Secure" in c for c in proxied), f"trusted proxy's https: {proxied}")
    finally:
        os.unlink(cfg)


def test_forwarded_for_not_trusted_by_default():
    o = rd.used_card()
    c = rd.buyer_session(o)
    form = rd.open_form(c, o["order_no"])
    r = c.post_multipart("/refund/new", rd.refund_fields(form, o["order_no"]),
                         [File(rd.png(o["order_no"]), "s.png", "image/png")],
                         headers={"X-Forwarded-For": "203.0.113.7"})
    rid = rd.refund_id_of(r)
    ip = rd.db_value(f"SELECT client_ip FROM refunds WHERE public_id = {rd.q(rid)}")
    check(ip != "203.0.113.7", "X-Forwarded-For from an untrusted client was believed")


def test_table_prefix_leaves_a_foreign_orders_table_alone():
    prefix = os.environ.get("RD_TABLE_PREFIX", "")
    if not prefix:
        raise rd.Skip("no RD_TABLE_PREFIX: the prefix phase of scripts/test runs this")
    names = {r[0] for r in rd.db("SELECT table_name FROM information_schema.tables "
                                 f"WHERE table_schema = {rd.q(rd.DB_NAME)}")}
    ours = {prefix + t for t in rd._table_names()}
    check(ours <= names, f"tables missing with the prefix: {sorted(ours - names)}")
    check(names - ours == {"orders"}, f"tables beside ours: {sorted(names - ours)} (want only the foreign orders)")
    # The foreign table, as scripts/test made it (RD_DB_INIT_SQL), untouched;
    # a query through rd.db() names our orders, so ask by the full name.
    p = subprocess.run(["mariadb", "--no-defaults", "-S", rd.env("RD_MYSQL_SOCKET"), "-uroot", rd.DB_NAME,
                        "-N", "-B", "-e", "SELECT GROUP_CONCAT(order_sn, ':', status) FROM `orders`"],
                       capture_output=True, text=True, timeout=30)
    check(p.stdout.strip() == "djk-1:1", f"the foreign orders table changed: {p.stdout!r} {p.stderr!r}")
    rd.register()
    check(rd.db_count("orders") >= 1, "no order in the prefixed table")
    # migrate runs as the DB admin (the app's own user has DML grants only).
    admin = os.path.join(rd.env("RD_DIR"), "migrate.json")
    again = subprocess.run([rd.env("RD_BIN"), "--config", admin, "migrate"],
                           capture_output=True, text=True, timeout=60)
    check(again.returncode == 0 and "0 applied" in again.stdout, f"migrate again: {again.stdout} {again.stderr}")


def _cgi_post(path, config, addr, body=b"x=1", extra=None):
    env = {"REFUND_DESK_CONFIG": config, "REMOTE_ADDR": addr, "GATEWAY_INTERFACE": "CGI/1.1",
           "REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_LENGTH": str(len(body)),
           "CONTENT_TYPE": "application/x-www-form-urlencoded", "PATH": "/usr/bin:/bin"}
    env.update(extra or {})
    p = subprocess.run([rd.env("RD_BIN")], input=body, env=env, capture_output=True, timeout=30)
    check(p.returncode == 0, f"CGI POST {path}: exit {p.returncode}")
    head = p.stdout.partition(b"\r\n\r\n")[0].decode("latin-1")
    return int(head.split()[1]), head


def test_app_request_limits_per_address():
    """The app's own limits (no nginx in front): each kind counted per address
    per hour; the next request past the budget is 429 with Retry-After."""
    cfg = _config_with(request_limits={"enabled": "on", "lookups_per_hour": 2,
                                       "submissions_per_hour": 2, "buyer_posts_per_hour": 2})
    try:
        for path in ("/refund/lookup", "/refund/new", "/order/NOPE/confirm"):
            addr = rd.elsewhere()
            got = [_cgi_post(path, cfg, addr)[0] for _ in range(3)]
            check(429 not in got[:2] and got[2] == 429, f"{path} from one address: {got}")
            code, head = _cgi_post(path, cfg, addr)
            check(code == 429 and "Retry-After: 3600" in head, f"{path}: {head!r}")
            # Another address has its own budget.
            check(_cgi_post(path, cfg, rd.elsewhere())[0] != 429, f"{path}: another address throttled")
    finally:
        os.unlink(cfg)


def test_app_request_limits_on_by_default_without_nginx():
    cfg = _config_with(drop=("request_limits",))
    try:
        # Plain CGI, defaults: 20 submissions per address per hour.
        addr = rd.elsewhere()
        got = [_cgi_post("/refund/new", cfg, addr)[0] for _ in range(21)]
        check(429 not in got[:20] and got[20] == 429, f"default limit as CGI: {got}")
        # The same through nginx (auto): nginx's limit_req is in charge.
        got = _cgi_post("/refund/new", cfg, addr, extra={"SERVER_SOFTWARE": "nginx"})[0]
        check(got != 429, "auto limits applied behind nginx")
    finally:
        os.unlink(cfg)


def test_uploads_pass_a_host_kept_128k_fcgid_limit():
    """RD_APACHE_MULTIPART_CGI=1 (the apache-128k phase): FcgidMaxRequestLen
    stays at 131072 and dist/apache/htaccess-multipart-cgi sends the upload
    routes to plain CGI. Straight to mod_fcgid a 200 KB POST is mod_fcgid's
    bare 500; through the rules the app answers it (403: no CSRF token)."""
    if os.environ.get("RD_APACHE_MULTIPART_CGI") != "1":
        raise rd.Skip("only with RD_APACHE_MULTIPART_CGI=1 (scripts/test phase apache-128k)")
    body = b"\0" * 200000
    h = {"Content-Type": "multipart/form-data; boundary=x"}
    direct = rd.Client().request("POST", rd.mount() + "/refund-desk.fcgi/refund/new", body=body, headers=h)
    check(direct.status == 500, f"mod_fcgid took 200 KB: is FcgidMaxRequestLen raised? {direct!r}")
    ruled = rd.Client().request("POST", "/refund/new", body=body, headers=h)
    check(ruled.status == 403, f"POST /refund/new of 200 KB through the rules: {ruled!r}")
