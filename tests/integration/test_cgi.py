"""Plain CGI (shared hosting without a FastCGI daemon): started with the
request in its environment and the body on stdin, the binary answers one
request and exits (CONTRACT.md §2)."""

import subprocess

import rd
from rd import check


def _cgi(env, body=b""):
    base = {"REFUND_DESK_CONFIG": rd.env("RD_CONFIG"), "REMOTE_ADDR": "127.0.0.1",
            "GATEWAY_INTERFACE": "CGI/1.1", "PATH": "/usr/bin:/bin"}
    base.update(env)
    p = subprocess.run([rd.env("RD_BIN")], input=body, env=base, capture_output=True, timeout=30)
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr[-300:]!r}")
    head, _, page = p.stdout.partition(b"\r\n\r\n")
    return head.decode(), page


def test_cgi_answers_one_request():
    head, page = _cgi({"REQUEST_METHOD": "GET", "SCRIPT_NAME": "/cgi-bin/refund-desk", "PATH_INFO": "/healthz"})
    check(head.startswith("Status: 200"), f"healthz as CGI: {head!r}")
    check(page.startswith(b"ok\nnode: "), f"healthz body {page!r}")


def test_cgi_reads_the_body_and_checks_csrf():
    body = b"order_no=X1&contact=a&lookup_code=b&csrf=forged"
    head, page = _cgi({"REQUEST_METHOD": "POST", "PATH_INFO": "/refund/lookup",
                       "CONTENT_TYPE": "application/x-www-form-urlencoded",
                       "CONTENT_LENGTH": str(len(body))}, body)
    check(head.startswith("Status: 403"), f"a forged CSRF token as CGI: {head!r}")
    check("页面已过期".encode() in page, "the CSRF page")
