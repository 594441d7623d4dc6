"""HSTS when https is on (issue 9): the stack's own rendered nginx config,
listening with ssl (a throwaway self-signed certificate) beside the plain
one, sends Strict-Transport-Security on every answer, nginx's own error
pages included; plain http sends none."""

import os
import shutil
import signal
import socket
import subprocess
import time

from rd import check


def _headers(url, path):
    p = subprocess.run(["curl", "-ksS", "-o", "/dev/null", "-D", "-", "--max-time", "10", url + path],
                       capture_output=True, text=True, timeout=20)
    check(p.returncode == 0, f"curl {url}{path}: {p.stderr.strip()}")
    lines = p.stdout.splitlines()
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        if v:
            hdrs[k.strip().lower()] = v.strip()
    return lines[0], hdrs


def test_hsts_only_on_https(stack):
    if shutil.which("openssl") is None:
        raise stack.Skip("no openssl to make a test certificate")
    d = stack.path("https")
    os.makedirs(d, mode=0o700, exist_ok=True)
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"openssl: {p.stderr.strip()[-500:]}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    http_listen = f"listen 127.0.0.1:{stack.port};"
    with open(stack.path("refund-desk.conf")) as f:
        server = f.read()
    check(http_listen in server, f"no '{http_listen}' in the rendered refund-desk.conf")
    server = server.replace(http_listen, f"listen 127.0.0.1:{port} ssl; ssl_certificate {d}/cert.pem; "
                                         f"ssl_certificate_key {d}/key.pem;")
    with open(f"{d}/refund-desk.conf", "w") as f:
        f.write(server)
    with open(stack.path("nginx.conf")) as f:
        main = f.read()
    main = (main.replace(f"pid {stack.dir}/nginx.pid", f"pid {d}/nginx.pid")
            .replace(f"include {stack.dir}/refund-desk.conf", f"include {d}/refund-desk.conf"))
    with open(f"{d}/nginx.conf", "w") as f:
        f.write(main)
    p = subprocess.run(["nginx", "-p", d + "/", "-c", f"{d}/nginx.conf", "-e", f"{d}/error.log"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, f"nginx with ssl did not start: {p.stderr.strip()[-800:]}")
    try:
        url = f"https://127.0.0.1:{port}"
        for path, want in (("/healthz", "200"), ("/refund/lookup", "200"), ("/no-such-page", "404")):
            status, h = _headers(url, path)
            check(want in status, f"https {path}: {status}")
            check(h.get("strict-transport-security") == "max-age=31536000; includeSubDomains",
                  f"https {path}: Strict-Transport-Security {h.get('strict-transport-security')!r}")
        status, h = _headers(stack.env["RD_URL"], "/healthz")
        check("strict-transport-security" not in h, f"plain http sends HSTS: {h}")
        stack.note("https: Strict-Transport-Security max-age=31536000; includeSubDomains on 200 and "
                   "404; plain http: none")
    finally:
        try:
            with open(f"{d}/nginx.pid") as f:
                pid = int(f.read().split()[0])
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not os.path.exists(f"/proc/{pid}"):
                    break
                time.sleep(0.05)
        except (OSError, ValueError):
            pass


test_hsts_only_on_https.workers = 1
