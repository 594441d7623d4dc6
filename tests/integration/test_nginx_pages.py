"""nginx's own error pages (issue 10): a body over client_max_body_size (413),
no app to answer (502) and an app too slow (504) get phone-sized Chinese
pages from static files (nginx/errors/), with their stylesheet under the
same CSP, not nginx's English ones; in English (nginx/errors/en/) where the
lang cookie or the first Accept-Language range says so."""

import http.client
import os
import re
import signal
import subprocess
import time
import urllib.parse

import rd
from rd import check, expect_status


def _raw_post_over_limit(path, headers=()):
    """A POST whose Content-Length is over nginx's 26m: nginx answers from
    the header alone, before a byte of the body."""
    u = urllib.parse.urlsplit(rd.env("RD_URL"))
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=30)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(26 * 1024 * 1024 + 1))
        for k, v in headers:
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return rd.Response(resp.status, resp.reason, resp.getheaders(), resp.read())
    finally:
        conn.close()


def _check_page(r, status, title, lang="zh-CN"):
    expect_status(r, status)
    ctype = r.header("Content-Type") or ""
    check(ctype.startswith("text/html") and "utf-8" in ctype.lower(), f"{status}: Content-Type {ctype!r}")
    html = r.text
    check(f'<html lang="{lang}">' in html, f"{status}: no lang={lang}: {html[:200]!r}")
    check('name="viewport" content="width=device-width, initial-scale=1"' in html, f"{status}: no viewport")
    check(title in html and "nginx" not in html.lower(), f"{status}: not our page: {html[:300]!r}")
    # Nothing the CSP (default-src 'none'; style-src 'self') would block.
    for bad in ("<style", "style=", "<script", "http://", "https://"):
        check(bad not in html, f"{status}: {bad!r} in the page")
    check("style-src 'self'" in (r.header("Content-Security-Policy") or ""), f"{status}: no CSP")
    sheet = [n.get("href") for n in r.doc.find_all("link") if n.get("rel") == "stylesheet"]
    check(sheet == ["/_errors/rd-error.css"], f"{status}: stylesheet {sheet}")
    css = expect_status(rd.Client().get(sheet[0]), 200)
    check((css.header("Content-Type") or "").startswith("text/css") and "main{" in css.text,
          f"{status}: the stylesheet: {css!r}")


def test_nginx_413_page():
    rd.skip_unless_front("nginx", reason="nginx's own 413 page")
    for path in ("/refund/new", "/refund/AAAAAAAAAAAAAAAAAAAAAA/evidence"):
        _check_page(_raw_post_over_limit(path), 413, "上传内容过大")
    # In English as the app would answer (i10-lang-buyer): by the lang
    # cookie, or an Accept-Language with English first; Chinese otherwise.
    for headers in ((("Accept-Language", "en-US,en;q=0.9"),), (("Cookie", "lang=en"),),
                    (("Cookie", "lang=en"), ("Accept-Language", "zh-CN"))):
        r = _raw_post_over_limit("/refund/new", headers)
        _check_page(r, 413, "Upload too large", lang="en")
        check(not re.search("[\u3400-\u9fff]", r.text), f"413 {headers}: Chinese in the English page")
    for headers in ((("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"),),
                    (("Cookie", "lang=zh_CN"), ("Accept-Language", "en"))):
        _check_page(_raw_post_over_limit("/refund/new", headers), 413, "上传内容过大")


def test_nginx_502_page_when_the_app_is_away():
    rd.skip_unless_front("nginx", reason="nginx's own 502 page")
    if os.environ.get("RD_DB") == "galera":
        raise rd.Skip("two app pools behind one upstream: one away is not a 502")
    sock = os.path.join(rd.env("RD_DIR"), "app.sock")
    away = sock + ".away"
    # The app's socket gone is what nginx sees of an app that is down (its
    # connect() fails); the workers stay, and the socket comes back after.
    os.rename(sock, away)
    try:
        r = rd.Client().get("/refund/lookup")
    finally:
        os.rename(away, sock)
    _check_page(r, 502, "服务暂时不可用")
    for _ in range(50):                       # and the app answers again
        if rd.Client().get("/refund/lookup").status == 200:
            break
        time.sleep(0.1)
    expect_status(rd.Client().get("/refund/lookup"), 200)


def _nginx_reload(d):
    subprocess.run(["nginx", "-p", d + "/", "-c", os.path.join(d, "nginx.conf"), "-s", "reload"],
                   check=True, capture_output=True, timeout=30)
    time.sleep(0.5)                           # the new workers take over


def test_nginx_504_page_when_the_app_is_slow():
    rd.skip_unless_front("nginx", reason="nginx's own 504 page")
    if os.environ.get("RD_DB") == "galera" or os.environ.get("RD_SUPERVISE") == "1":
        raise rd.Skip("the workers are not all in app.pid")
    d = rd.env("RD_DIR")
    conf = os.path.join(d, "refund-desk.conf")
    with open(conf, encoding="utf-8") as f:
        shipped = f.read()
    with open(os.path.join(d, "app.pid"), encoding="utf-8") as f:
        workers = [int(p) for p in f.read().split()]
    # A worker too slow: every worker stopped, and nginx made to wait 1 s
    # for an answer instead of 60; then all as it was.
    with open(conf, "w", encoding="utf-8") as f:
        f.write(shipped.replace("\tfastcgi_keep_conn off;", "\tfastcgi_keep_conn off;\n\tfastcgi_read_timeout 1s;", 1))
    try:
        _nginx_reload(d)
        for p in workers:
            os.kill(p, signal.SIGSTOP)
        try:
            r = rd.Client().get("/refund/lookup")
        finally:
            for p in workers:
                os.kill(p, signal.SIGCONT)
    finally:
        with open(conf, "w", encoding="utf-8") as f:
            f.write(shipped)
        _nginx_reload(d)
    _check_page(r, 504, "处理超时")
    expect_status(rd.Client().get("/refund/lookup"), 200)
