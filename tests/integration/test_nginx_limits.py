"""nginx's own gates (issue 9, nginx/refund-desk.conf): requests in progress
per address (limit_conn), POST /desk/login's own limit_req zone, and no HSTS
on plain http (tests/faults/test_slow_clients.py checks https and the slow
client floods)."""

import os
import socket
import time
import urllib.parse

import rd
from rd import check


def _env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.isdigit() else default


def test_limit_conn_per_address():
    rd.skip_unless_front("nginx", reason="limits of the shipped nginx server block")
    limit = _env_int("RD_CONN_LIMIT", 20)
    url = urllib.parse.urlsplit(rd.env("RD_URL"))
    src = rd.elsewhere()
    held, answers = [], []
    try:
        # Each sends a whole header and then none of its body: nginx counts
        # it as a request in progress while it waits for the body.
        for _ in range(limit + 5):
            s = socket.create_connection((url.hostname, url.port), timeout=10, source_address=(src, 0))
            s.sendall(b"POST /refund/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      b"application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
            held.append(s)
            time.sleep(0.01)
        time.sleep(0.3)
        for s in held:
            s.setblocking(False)
            try:
                answers.append(s.recv(64).split(b"\r\n", 1)[0].decode())
            except BlockingIOError:
                answers.append("waiting")
    finally:
        for s in held:
            s.close()
    refused = [a for a in answers if " 429 " in a + " "]
    waiting = answers.count("waiting")
    check(waiting == limit and len(refused) == 5,
          f"{limit + 5} bodies held from one address: {waiting} waiting, answers {answers}")
    # Another address is not affected.
    r = rd.Client(source=rd.elsewhere()).get("/healthz")
    check(r.status == 200, f"another address: {r!r}")


def test_login_has_its_own_rate_limit():
    rd.skip_unless_front("nginx", reason="limits of the shipped nginx server block")
    rate = os.environ.get("RD_RATE", "20r/s")
    burst = _env_int("RD_BURST", 200)
    per_s = int(rate[:-4]) if rate.endswith("r/s") else 1
    c = rd.Client(source=rd.elsewhere())
    # Quick refusals (no CSRF token: the app answers without argon2 work)
    # faster than the zone refills: past the burst, nginx answers 429.
    statuses = {}
    for _ in range(burst + 4 * per_s + 40):
        st = c.post_form("/desk/login", {"login": "nobody", "password": "x"}).status
        statuses[st] = statuses.get(st, 0) + 1
        if statuses.get(429, 0) >= 5:
            break
    check(statuses.get(429, 0) >= 5 and sum(statuses.values()) > burst,
          f"POST /desk/login past the burst of {burst}: {statuses}")
    # Only POST is limited, and the look-up budget is a zone of its own.
    r = c.get("/desk/login")
    check(r.status == 200, f"GET /desk/login after the POSTs: {r!r}")
    r = c.get("/refund/lookup")
    check(r.status == 200, f"GET /refund/lookup from the same address: {r!r}")


def test_no_hsts_on_plain_http():
    r = rd.Client().get("/healthz")
    check(r.header("Strict-Transport-Security") is None,
          f"HSTS on plain http: {r.header('Strict-Transport-Security')!r}")
