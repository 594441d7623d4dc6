#!/usr/bin/env python3
"""bench.py: the steps of bench/run (which starts and stops the stacks).

  bench.py seed WORK       fixtures and the order pool on the stack in RD_*
  bench.py measure WORK    wrk against every page, alternating, BENCH_ROUNDS rounds
  bench.py probe WORK      on a one-worker stack: DB round trips per page, and a
                           worker's RSS around a 5 MiB evidence upload
  bench.py report WORK OUT the markdown table, to stdout and OUT

Every step reads the stack from the RD_* variables `scripts/stack up` prints
(and the reference from REF_*), and keeps what it found in WORK/*.json.
Seeding goes through the app's own API and pages (tests/integration/rd.py), so
every row has the shape the app writes and check-ledger can vouch for it.
"""

import json
import os
import re
import secrets
import signal
import statistics
import struct
import subprocess
import sys
import time
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import rd  # noqa: E402

# Every page measured, in the order of round 1 (later rounds rotate it, so no
# page always follows the write-heavy submission).
PAGES = ("hello", "lean", "lean-php", "status", "form", "submit", "lean-submit", "lean-submit-php",
         "queue", "queue-m")
LABELS = {
    "hello": "hello (libfcgi hello-world)",
    "lean": "lean (status page, minimal C)",
    "lean-php": "lean-php (status page, PHP-FPM + PDO)",
    "status": "status `GET /refund/ID`",
    "form": "form `GET /refund/new?order=NO`",
    "submit": "submit `POST /refund/new` (instant, balance)",
    "lean-submit": "lean-submit (instant refund, minimal C)",
    "lean-submit-php": "lean-submit-php (instant refund, PHP-FPM + PDO)",
    "queue": "staff queue `GET /desk` (cs, first page)",
    "queue-m": "staff queue `GET /desk` (a merchant: filtered)",
}
# Where each write reference starts walking the references' order pool
# (400 000 held orders): apart, so the two never meet.
LEAN_FROM = {"lean-submit": 1, "lean-submit-php": 200001}
REASON = "订单付款后一直没有发货，联系客服也没有回应，申请退款到平台余额。"


def die(msg):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(1)


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def env_int(name, default):
    v = os.environ.get(name, "")
    if not v:
        return default
    if not v.isdigit() or int(v) < 1:
        die(f"{name} must be a positive whole number: {v}")
    return int(v)


def duration_secs(d):
    """wrk's -d: 4, 4s, 2m, 1h."""
    m = re.fullmatch(r"(\d+)([smh]?)", d)
    if not m:
        die(f"BENCH_DURATION must look like 4s or 1m: {d}")
    return int(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def settings():
    s = {
        "rounds": env_int("BENCH_ROUNDS", 3),
        "duration": os.environ.get("BENCH_DURATION", "4s"),
        "conns": env_int("BENCH_CONNS", 32),
        "threads": env_int("BENCH_THREADS", 2),
        "buyers": env_int("BENCH_BUYERS", 64),
        "max_submit_rate": env_int("BENCH_SUBMIT_MAX_RATE", 4000),
    }
    s["secs"] = duration_secs(s["duration"])
    s["threads"] = min(s["threads"], s["conns"])
    # The submission pool must outlast every round: sized for a rate above
    # what this machine does, and a run that still empties it says so.
    s["orders"] = env_int("BENCH_ORDERS", s["rounds"] * s["secs"] * s["max_submit_rate"])
    s["buyers"] = min(s["buyers"], s["orders"])
    return s


def load(work, name):
    with open(os.path.join(work, name)) as f:
        return json.load(f)


def save(work, name, obj):
    with open(os.path.join(work, name), "w") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)


# ---------------------------------------------------------------- wrk

def parse_wrk(out):
    """Requests/sec, p99 (ms), completed requests, non-2xx/3xx, socket errors."""
    def num(pat):
        return re.search(pat, out, re.M)
    rps = num(r"Requests/sec:\s+([\d.]+)")
    if not rps:
        raise RuntimeError("wrk printed no Requests/sec:\n" + out)
    p99 = num(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    reqs = num(r"(\d+) requests in")
    non = num(r"Non-2xx or 3xx responses:\s+(\d+)")
    sock = num(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    nxt = num(r"^(?:BENCH|LEAN)_NEXT (\d+)$")
    return {
        "rps": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
        "requests": int(reqs.group(1)) if reqs else 0,
        "non2xx": int(non.group(1)) if non else 0,
        "sock_errors": sum(int(x) for x in sock.groups()) if sock else 0,
        "next": int(nxt.group(1)) if nxt else None,
    }


def wrk(url, threads, conns, duration, script=None, headers=(), extra_env=None):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    e = dict(os.environ)
    e.update(extra_env or {})
    p = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"wrk failed ({p.returncode}): {p.stderr.strip()}")
    return parse_wrk(p.stdout)


# ---------------------------------------------------------------- seed

def expect(resp, code, what):
    if resp.status != code:
        die(f"{what}: expected HTTP {code}, got {resp!r}")
    return resp


def seed_fixtures():
    """The logged-in buyer of the status and form pages: a revealed game
    card with an invalid_item request (PNG evidence) waiting in cs_review,
    and an undelivered order whose form is opened."""
    buyer = rd.unique("BF")
    used = rd.used_card(buyer_id=buyer)
    c = rd.buyer_session(used)
    rid = rd.new_refund(c, used)
    state = rd.refund_row(rid)["state"]
    if state != "cs_review":
        die(f"the status page's refund is in {state}, not cs_review")
    fresh = rd.register(buyer_id=buyer)
    cookie = f"{rd.COOKIE}={c.jar[rd.COOKIE]}"
    return {"buyer": buyer, "refund": rid, "form_order": fresh["order_no"], "cookie": cookie,
            "staff_cookie": staff_cookie("cs"), "merchant_cookie": staff_cookie("merchant", "m-test")}


def staff_cookie(role, merchant=None):
    """A logged-in staff session of role (staff add, then the login form)."""
    login, password = rd.unique(role).lower(), "pw-" + secrets.token_hex(8)
    args = [rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG"), "staff", "add", "--role", role,
            "--login", login] + (["--merchant", merchant] if merchant else [])
    p = subprocess.run(args, input=password + "\n", capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        die(f"staff add {role}: {p.stdout}{p.stderr}")
    c = rd.Client()
    form = expect(c.get("/desk/login"), 200, "staff login form")
    expect(c.post_form("/desk/login", {"csrf": rd.csrf_of(form), "login": login,
                                       "password": password}), 303, "staff login")
    name = next(iter(c.jar))
    return f"{name}={c.jar[name]}"


def pool_body(prefix, i, nbuyers, ts):
    no = f"{prefix}{i}"
    return {
        "order_no": no, "buyer_id": f"{prefix}b{i % nbuyers}", "merchant_id": "m-bench",
        "category": "game_card", "title": "测试点卡 100 元", "amount": 10000,
        "currency": "CNY", "pay_channel": "alipay", "paid_at": ts - 600,
        "contact": f"{no.lower()}@example.com", "lookup_code": "LC" + no,
    }


def pool_registered(prefix):
    rows = rd.db(f"SELECT order_no FROM orders WHERE order_no LIKE {rd.q(prefix + '%')}")
    return {r[0] for r in rows}


def seed_pool(work, s, prefix):
    """Registers s['orders'] undelivered orders through the API with wrk
    (orders.lua), in chunks, then registers any a chunk's end cut off."""
    n, ts = s["orders"], rd.now()
    path = os.path.join(work, "orders.txt")
    bodies = []
    with open(path, "w") as f:
        for i in range(n):
            b = json.dumps(pool_body(prefix, i, s["buyers"], ts), ensure_ascii=False,
                           separators=(",", ":"))
            bodies.append(b)
            f.write(rd.api_signature("POST", "/api/v1/orders", ts, b.encode()) + " " + b + "\n")
    t0, nxt, rate, chunk = time.time(), 0, None, 2
    while nxt < n:
        r = wrk(rd.env("RD_URL"), s["threads"], 16, f"{chunk}s",
                script=os.path.join(HERE, "orders.lua"),
                extra_env={"BENCH_ORDERS_FILE": path, "BENCH_TS": str(ts),
                           "BENCH_FROM": str(nxt), "BENCH_THREADS": str(s["threads"])})
        done = r["next"] - nxt
        if done <= 0:
            die(f"registering orders made no progress: {r}")
        rate = done / chunk
        nxt = r["next"]
        chunk = max(1, min(30, -(-(n - nxt) // max(1, int(rate)))))
        if time.time() - t0 > 300:
            die("registering the order pool took more than 5 minutes")
    have = pool_registered(prefix)
    missing = [i for i in range(n) if f"{prefix}{i}" not in have]
    for i in missing:
        body = bodies[i].encode()
        r = rd.api("POST", "/api/v1/orders", body=body)
        if r.status not in rd.REGISTERED:
            die(f"registering {prefix}{i}: {r!r}")
    secs = time.time() - t0
    say(f"registered {n} orders in {secs:.1f} s ({n / secs:.0f}/s through the API)"
        + (f", {len(missing)} topped up" if missing else ""))
    return secs


def buyer_sessions(prefix, nbuyers):
    """One hand-off per pool buyer: its session cookie and CSRF token."""
    out = []
    for b in range(nbuyers):
        order = {"order_no": f"{prefix}{b}", "buyer_id": f"{prefix}b{b}"}
        c = rd.buyer_session(order)
        form = rd.open_form(c, order["order_no"])
        out.append({"cookie": f"{rd.COOKIE}={c.jar[rd.COOKIE]}", "csrf": rd.csrf_of(form)})
    return out


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_seed(work):
    s = settings()
    rd.check_env()
    run = secrets.token_hex(3)
    prefix = f"BP{run}x"
    fx = seed_fixtures()
    secs = seed_pool(work, s, prefix)
    buyers = buyer_sessions(prefix, s["buyers"])
    data = os.path.join(work, "submit-data.lua")
    with open(data, "w") as f:
        f.write("return {\n")
        f.write(f"  n = {s['orders']},\n  prefix = {lua_str(prefix)},\n")
        f.write(f"  idem = {lua_str('bench-' + run + '-')},\n")
        f.write(f"  reason = {lua_str(urllib.parse.quote_plus(REASON))},\n  buyers = {{\n")
        for b in buyers:
            f.write(f"    {{cookie = {lua_str(b['cookie'])}, csrf = {lua_str(b['csrf'])}}},\n")
        f.write("  },\n}\n")
    fx.update({"prefix": prefix, "orders": s["orders"], "buyers": s["buyers"],
               "seed_secs": round(secs, 1), "submit_data": data})
    save(work, "fixtures.json", fx)


# ---------------------------------------------------------------- measure

def targets(fx):
    base = rd.env("RD_URL")
    t = {
        "hello": (os.environ["REF_HELLO_URL"], [f"Cookie: {os.environ['REF_COOKIE']}"]),
        "lean": (os.environ["REF_LEAN_URL"], [f"Cookie: {os.environ['REF_COOKIE']}"]),
        "status": (f"{base}/refund/{fx['refund']}", [f"Cookie: {fx['cookie']}"]),
        "form": (f"{base}/refund/new?order={fx['form_order']}", [f"Cookie: {fx['cookie']}"]),
        "submit": (base, []),
        "queue": (f"{base}/desk", [f"Cookie: {fx['staff_cookie']}"]),
        "queue-m": (f"{base}/desk", [f"Cookie: {fx['merchant_cookie']}"]),
    }
    if os.environ.get("REF_LEAN_PHP_URL"):
        t["lean-php"] = (os.environ["REF_LEAN_PHP_URL"], [f"Cookie: {os.environ['REF_COOKIE']}"])
    if os.environ.get("REF_LEAN_SUBMIT_URL"):
        t["lean-submit"] = (os.environ["REF_LEAN_SUBMIT_URL"], [])
    if os.environ.get("REF_LEAN_SUBMIT_PHP_URL"):
        t["lean-submit-php"] = (os.environ["REF_LEAN_SUBMIT_PHP_URL"], [])
    return t


def get(url, headers):
    u = urllib.parse.urlsplit(url)
    c = rd.Client(f"{u.scheme}://{u.netloc}")
    h = dict(x.split(": ", 1) for x in headers)
    return c.get(urllib.parse.urlunsplit(("", "", u.path, u.query, "")), headers=h,
                 cookies=False)


def sanity(t, pages=PAGES):
    """What is wrong with the pages: each must answer its page (a fast
    error page would flatter every figure)."""
    bad = []
    t = {p: v for p, v in t.items() if p in pages}
    for page, marker in (("hello", None), ("lean", "退款进度"), ("lean-php", "退款进度"),
                         ("status", 'data-state="cs_review"'), ("form", 'name="csrf"'),
                         ("queue", 'class="queue"'), ("queue-m", "<h1>退款申请队列</h1>")):
        if page not in t:
            continue
        try:
            r = get(*t[page])
        except OSError as e:
            bad.append(f"{page}: {e}")
            continue
        if r.status != 200 or (marker and marker not in r.text):
            bad.append(f"{page} ({t[page][0]}) does not answer its page: {r!r}")
    return bad


def kib_fields(path, keep):
    """The "Name: N kB" lines of a /proc file whose name keep() accepts, in
    KiB (None when the process is gone)."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.partition(":")
                if keep(k) and v.strip().endswith("kB"):
                    out[k] = int(v.split()[0])
    except OSError:
        return None
    return out


def rss(pid):
    """VmRSS, RssAnon and VmHWM of a process in KiB (None when it is gone)."""
    return kib_fields(f"/proc/{pid}/status", lambda k: k in ("VmRSS", "RssAnon", "VmHWM"))


def pids_of(pidfile):
    try:
        with open(pidfile) as f:
            return [int(x) for x in f.read().split() if x.isdigit()]
    except OSError:
        return []


def children_of(pid):
    """Child pids of pid, from /proc (reading only: nothing is signalled)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
        except OSError:
            continue
        if int(st[st.rindex(")") + 2:].split()[1]) == pid:
            out.append(int(d))
    return out


def rss_summary(pids):
    rows = [r for r in (rss(p) for p in pids) if r]
    if not rows:
        return None
    return {"n": len(rows), "VmRSS": statistics.median(r["VmRSS"] for r in rows),
            "RssAnon": statistics.median(r["RssAnon"] for r in rows)}


def server_counts():
    st = dict(rd.db("SHOW GLOBAL STATUS WHERE Variable_name IN "
                    "('Questions', 'Created_tmp_tables', 'Created_tmp_disk_tables')"))
    return [int(st[k]) for k in ("Questions", "Created_tmp_tables", "Created_tmp_disk_tables")]


def ref_counts(t, page, n=20):
    """Statements (round trips, as the server counts them) and temporary
    tables per request of a reference page, on the shared MariaDB while
    nothing else runs; reading the counters costs one statement and one
    temporary table of its own."""
    if page not in t:
        return None
    get(*t[page])
    a = server_counts()
    b = server_counts()
    base = [y - x for x, y in zip(a, b)]
    a = server_counts()
    for _ in range(n):
        get(*t[page])
    b = server_counts()
    return [(y - x - z) / n for x, y, z in zip(a, b, base)]


def crashes(log):
    """MariaDB's own crash reports in its log ("mariadbd got signal 11")."""
    try:
        with open(log, errors="replace") as f:
            return [line.strip() for line in f if "got signal" in line]
    except OSError:
        return []


def load_avg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cmd_measure(work):
    s = settings()
    rd.check_env()
    fx = load(work, "fixtures.json")
    t = targets(fx)
    # BENCH_PAGES: only these (the big database's run measures the app's pages).
    only = os.environ.get("BENCH_PAGES", "").split()
    pages = [p for p in PAGES if p in t and (not only or p in only)]
    bad = sanity(t, pages)
    if bad:
        die("; ".join(bad))
    ref_trips = {p: ref_counts(t, p) for p in ("lean", "lean-php") if p in pages}
    submit_env = {"BENCH_SUBMIT_DATA": fx["submit_data"], "BENCH_THREADS": str(s["threads"])}
    res = {p: [] for p in pages}
    nxt, load_before = 0, load_avg()
    lean_next = dict(LEAN_FROM)
    t0 = time.time()
    for rnd in range(s["rounds"]):
        order = pages[rnd % len(pages):] + pages[:rnd % len(pages)]
        for p in order:
            url, headers = t[p]
            if p == "submit":
                r = wrk(url, s["threads"], s["conns"], s["duration"],
                        script=os.path.join(HERE, "submit.lua"), headers=headers,
                        extra_env=dict(submit_env, BENCH_FROM=str(nxt)))
                r["from"], nxt = nxt, r["next"]
            elif p in LEAN_FROM:
                r = wrk(url, s["threads"], s["conns"], s["duration"],
                        script=os.environ["REF_LEAN_SUBMIT_LUA"], headers=headers,
                        extra_env={"LEAN_FROM": str(lean_next[p]), "LEAN_THREADS": str(s["threads"])})
                r["from"], lean_next[p] = lean_next[p], r["next"] or lean_next[p]
            else:
                r = wrk(url, s["threads"], s["conns"], s["duration"], headers=headers)
            r["round"] = rnd + 1
            res[p].append(r)
            say(f"round {rnd + 1} {p:8s} {r['rps']:9.0f} req/s  p99 {r['p99_ms']} ms"
                + (f"  {r['non2xx']} non-2xx/3xx" if r["non2xx"] else "")
                + (f"  {r['sock_errors']} socket errors" if r["sock_errors"] else ""))
    bad_after = sanity(t, pages)
    # Did every timed submission write its refund? (303 alone could be a
    # replayed form; a request cut off at a run's end may still have.)
    try:
        states = dict(rd.db("SELECT r.state, COUNT(*) FROM refunds r JOIN orders o "
                            "ON o.id = r.order_id WHERE o.order_no LIKE "
                            f"{rd.q(fx['prefix'] + '%')} GROUP BY r.state"))
    except AssertionError as e:
        states = {"unknown (" + str(e)[:80] + ")": 0}
    made = sum(int(v) for v in states.values())
    ok = sum(r["requests"] - r["non2xx"] for r in res.get("submit", []))
    app_dir = rd.env("RD_DIR")
    ref_dir = os.environ.get("REF_DIR", "/nonexistent")
    mem = {"refund-desk": rss_summary(pids_of(os.path.join(app_dir, "app.pid"))),
           "lean": rss_summary(pids_of(os.path.join(ref_dir, "lean.pid")))}
    fpm = pids_of(os.path.join(ref_dir, "php-fpm.pid"))
    if fpm:
        mem["php-fpm"] = rss_summary(children_of(fpm[0]))
    # One MariaDB in DIR, or a Galera node per DIR/gN (RD_DB=galera): all must live.
    db_dirs = [app_dir] if os.environ.get("RD_DB", "single") != "galera" else \
        [os.path.join(app_dir, f"g{n}") for n in (1, 2, 3)]
    mysqld = [pids_of(os.path.join(d, "mysqld.pid")) for d in db_dirs]
    save(work, os.environ.get("BENCH_MEASURE_FILE", "measure.json"), {
        "settings": s, "results": res, "pages": pages, "secs": round(time.time() - t0, 1),
        "load_before": load_before, "load_after": load_avg(),
        "submit_ok": ok, "submit_refunds": made, "submit_states": states,
        "submit_used": nxt, "mem": mem, "bad_after": bad_after, "ref_trips": ref_trips,
        "mysqld_alive": all(p and os.path.exists(f"/proc/{p[0]}") for p in mysqld),
        "mysqld_crashes": [c for d in db_dirs for c in crashes(os.path.join(d, "mysqld.log"))],
    })


# ---------------------------------------------------------------- probe

def counters():
    """The worker's DB round trips (its /metrics) and MariaDB's temporary
    tables so far (in memory and on disk)."""
    t = rd.Client().get("/metrics").text
    m = re.findall(r"^refund_desk_db_round_trips_total\{[^}]*\}\s+(\d+)", t, re.M)
    if len(m) != 1:
        die(f"/metrics should show one worker's round trips: {m}")
    st = dict(rd.db("SHOW GLOBAL STATUS WHERE Variable_name IN "
                    "('Created_tmp_tables', 'Created_tmp_disk_tables')"))
    return (int(m[0]), int(st["Created_tmp_tables"]), int(st["Created_tmp_disk_tables"]))


def per_request(fn, n, base=(0, 0, 0)):
    """Counters per request over n calls of fn, after one untimed call (a
    statement's first use on a connection prepares it). base is what
    reading the counters costs by itself."""
    fn()
    a = counters()
    for _ in range(n):
        fn()
    b = counters()
    return [(y - x - z) / n for x, y, z in zip(a, b, base)]


def big_png(limit):
    """A valid PNG of random pixels just under limit bytes: stored (level 0)
    deflate, so its size is known before it is made."""
    w = 1024
    row = 1 + 3 * w
    h = (limit - 4096) // (row + 1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = b"".join(b"\0" + os.urandom(3 * w) for _ in range(h))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))
    if len(png) > limit:
        die(f"the test PNG came out at {len(png)} bytes, over {limit}")
    return png


def clear_peak(pid):
    """Resets VmHWM to the current RSS (Linux >= 4.0, our own worker)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def one_worker(what, prefix):
    """The pid of a one-worker stack's worker, and a buyer with a refund in
    review (rid) and a fresh order: (pid, buyer, client, rid, fresh)."""
    rd.check_env()
    pids = pids_of(os.path.join(rd.env("RD_DIR"), "app.pid"))
    if len(pids) != 1:
        die(f"the {what} stack should run one worker, app.pid lists {pids}")
    buyer = rd.unique(prefix)
    used = rd.used_card(buyer_id=buyer)
    c = rd.buyer_session(used)
    rid = rd.new_refund(c, used)
    return pids[0], buyer, c, rid, rd.register(buyer_id=buyer)


def cmd_probe(work):
    n = env_int("BENCH_PROBE_N", 20)
    pid, buyer, c, rid, fresh = one_worker("probe", "BR")
    csrf = rd.csrf_of(rd.open_form(c, fresh["order_no"]))
    pool = iter([rd.register(buyer_id=buyer) for _ in range(n + 1)])
    used_pool = iter([rd.used_card(buyer_id=buyer) for _ in range(n + 1)])
    link_pool = iter([rd.register(buyer_id=rd.unique("BL")) for _ in range(n + 1)])

    def submit():
        o = next(pool)
        r = c.post_form("/refund/new", {
            "csrf": csrf, "idem": "probe-" + secrets.token_hex(8), "order": o["order_no"],
            "type": "not_delivered", "reason": REASON, "destination": "balance"})
        expect(r, 303, "instant submission")

    def submit_png():
        o = next(used_pool)
        r = c.post_multipart("/refund/new", {
            "csrf": csrf, "idem": "probe-" + secrets.token_hex(8), "order": o["order_no"],
            "type": "invalid_item", "reason": rd.GOOD_REASON, "destination": "original"},
            [rd.File(rd.png(o["order_no"]), "shot.png", "image/png")])
        expect(r, 303, "submission with evidence")

    def hand_off():
        o = next(link_pool)
        expect(rd.Client().get(rd.start_link(o["order_no"], o["buyer_id"])), 303, "hand-off")

    base = per_request(lambda: None, 1)
    trips = {
        "metrics": base,
        "status": per_request(lambda: expect(c.get(f"/refund/{rid}"), 200, "status"), n, base),
        "form": per_request(lambda: expect(c.get("/refund/new?order=" + fresh["order_no"]),
                                           200, "form"), n, base),
        "submit": per_request(submit, n, base),
        "submit_png": per_request(submit_png, n, base),
        "hand_off": per_request(hand_off, n, base),
        "api_order": per_request(lambda: rd.register(buyer_id=buyer), n, base),
    }

    # Memory: a warm worker (it has served every page above, uploads
    # included), its peak reset, then one 5 MiB evidence upload.
    limit = 5 * 1024 * 1024
    png = big_png(limit)
    target = rd.used_card(buyer_id=buyer)
    form = rd.open_form(c, target["order_no"])
    fields = rd.refund_fields(form, target["order_no"])
    time.sleep(0.2)
    reset = clear_peak(pid)
    idle = rss(pid)
    r = c.post_multipart("/refund/new", fields, [rd.File(png, "big.png", "image/png")])
    after = rss(pid)
    ok = r.status == 303
    stored = None
    if ok:
        row = rd.refund_row(rd.refund_id_of(r))
        stored = rd.db_value(f"SELECT size FROM evidence WHERE refund_id = {row['id']}")
    save(work, "probe.json", {
        "n": n, "trips": trips, "upload_bytes": len(png), "upload_status": r.status,
        "upload_stored": int(stored) if stored else None, "peak_reset": reset,
        "idle": idle, "after": after,
    })


# ---------------------------------------------------------------- memory

def smaps(pid):
    """/proc/PID/smaps_rollup in KiB (Rss, Pss, Private_Dirty, ...), and VmHWM."""
    out, st = kib_fields(f"/proc/{pid}/smaps_rollup", lambda k: True), rss(pid)
    if out is None or st is None:
        return None
    out["VmHWM"] = st["VmHWM"]
    return out


def cmd_memory(work):
    """One worker's private memory (smaps: Private_Dirty, Pss) idle after
    one request of every kind, then around a 5 MiB evidence upload (peak
    with VmHWM reset first, and what stays after)."""
    pid, buyer, c, rid, fresh = one_worker("memory", "BM")
    form = rd.open_form(c, fresh["order_no"])
    expect(c.get(f"/refund/{rid}"), 200, "status")
    r = c.post_form("/refund/new", rd.refund_fields(form, fresh["order_no"], type="not_delivered",
                                                     destination="balance"))
    expect(r, 303, "instant submission")
    for _ in range(20):
        expect(c.get(f"/refund/{rid}"), 200, "status")
    time.sleep(0.3)
    idle = smaps(pid)
    png = big_png(5 * 1024 * 1024)
    target = rd.used_card(buyer_id=buyer)
    fields = rd.refund_fields(rd.open_form(c, target["order_no"]), target["order_no"])
    time.sleep(0.2)
    reset = clear_peak(pid)
    before = smaps(pid)
    r = c.post_multipart("/refund/new", fields, [rd.File(png, "big.png", "image/png")])
    expect(r, 303, "5 MiB evidence upload")
    time.sleep(0.2)
    after = smaps(pid)
    res = {"idle": idle, "before_upload": before, "after_upload": after, "peak_reset": reset,
           "upload_bytes": len(png)}
    save(work, "memory.json", res)
    kib = lambda k: f"{k / 1024:.2f} MiB"
    lines = [
        "| refund-desk worker | Private_Dirty | Pss | Rss |",
        "|---|--:|--:|--:|",
        f"| idle, after one request of each kind | {kib(idle['Private_Dirty'])} | {kib(idle['Pss'])} "
        f"| {kib(idle['Rss'])} |",
        f"| after a {len(png) / 1048576:.2f} MiB evidence upload | {kib(after['Private_Dirty'])} "
        f"| {kib(after['Pss'])} | {kib(after['Rss'])} |",
        "",
        f"- idle private memory {idle['Private_Dirty']} KiB (target < 2048 KiB: "
        + ("met" if idle["Private_Dirty"] < 2048 else "**not met**") + ")",
        f"- the upload's peak (VmHWM{'' if reset else ', not reset: includes warm-up'}) "
        f"{after['VmHWM'] - before['Rss']} KiB over the RSS before it; private memory kept "
        f"after it {after['Private_Dirty'] - before['Private_Dirty']} KiB (target < 1024 KiB: "
        + ("met" if after["VmHWM"] - before["Rss"] < 1024 else "**not met**") + ")",
    ]
    print("\n".join(lines))


# ---------------------------------------------------------------- report

def fmt_rps(x):
    return f"{x:,.0f}" if x is not None else "n/a"


def fmt_ms(x):
    if x is None:
        return "n/a"
    return f"{x:.1f} ms" if x >= 10 else f"{x:.2f} ms"


def fmt_ratio(x):
    return f"{x:.2f}" if x is not None else "n/a"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def read(work, name):
    try:
        with open(os.path.join(work, name)) as f:
            return f.read().strip()
    except OSError:
        return ""


def ledger_note(work, name):
    rc, text = read(work, name + ".rc"), read(work, name + ".txt")
    if rc == "0":
        return "clean (exit 0)."
    if rc == "124":
        return (f"**did not finish within {os.environ.get('BENCH_LEDGER_TIMEOUT', '30')} s** "
                "(killed).")
    lines = text.splitlines()
    return (f"**exit {rc or '?'}**: " + " / ".join(lines[:3])
            + (f" (and {len(lines) - 3} more lines)" if len(lines) > 3 else "") + ".")


def big_report(work, med, p99):
    """The same pages on the big database (bench/run --big) against the small."""
    path = os.path.join(work, "big", "measure.json")
    if not os.path.exists(path):
        return []
    bm = load(work, os.path.join("big", "measure.json"))
    bres = bm["results"]
    bmed = {p: statistics.median(r["rps"] for r in rs) for p, rs in bres.items()}
    bp99 = {p: statistics.median(r["p99_ms"] for r in rs if r["p99_ms"] is not None)
            for p, rs in bres.items()}
    info = {}
    if os.path.exists(os.path.join(work, "big-info.json")):
        info = load(work, "big-info.json")
    L = [f"### The big database: {info.get('orders', '?'):,} orders, {info.get('refunds', '?'):,} "
         f"refunds, {info.get('events', '?'):,} events (loaded in {info.get('seed_secs', '?')} s "
         "by bench/big.py)", "",
         "| page | small req/s | big req/s | small p99 | big p99 | big / small | within 1.25x |",
         "|---|--:|--:|--:|--:|--:|---|"]
    for p in PAGES:
        if p not in bmed or p not in med:
            continue
        r = bmed[p] / med[p] if med[p] else None
        ok = "met" if r is not None and r >= 0.8 else "**not met**"
        L.append(f"| {LABELS[p]} | {fmt_rps(med[p])} | {fmt_rps(bmed[p])} | {fmt_ms(p99.get(p))} | "
                 f"{fmt_ms(bp99.get(p))} | {fmt_ratio(r)} | {ok} |")
    L.append("")
    L.append("- no admin dashboard and no queue search exist yet: the queue's two pages above "
             "(all waiting requests for cs, one merchant's for a merchant) are what there is.")
    if info:
        L.append(f"- check-ledger over the big database: {info.get('ledger', '?')}, "
                 f"{info.get('ledger_secs', '?')} s, peak RSS {info.get('ledger_rss_kib', '?')} KiB "
                 "(target: under 60 s, memory flat).")
    L.append("")
    return L


def cmd_report(work, out):
    m = load(work, "measure.json")
    fx = load(work, "fixtures.json")
    s = m["settings"]
    res = m["results"]
    med = {p: statistics.median(r["rps"] for r in rs) for p, rs in res.items()}
    p99 = {p: statistics.median(r["p99_ms"] for r in rs if r["p99_ms"] is not None)
           for p, rs in res.items()}

    def ratio(a, b):
        return med[a] / med[b] if a in med and b in med and med[b] else None

    def per_round(a, b):
        if a not in res or b not in res:
            return None
        rs = [x["rps"] / y["rps"] for x, y in zip(res[a], res[b]) if y["rps"]]
        return (min(rs), max(rs)) if rs else None

    L = []
    L.append(f"## refund-desk benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    L.append("")
    L.append(f"wrk -t{s['threads']} -c{s['conns']} -d{s['duration']} --latency through nginx, "
             f"{s['rounds']} rounds alternating over every page; medians. "
             f"{os.environ.get('BENCH_WORKERS', '?')} FastCGI workers (and PHP-FPM children) each, "
             f"one MariaDB; {os.cpu_count()} CPUs, load average {m['load_before']} before, "
             f"{m['load_after']} after; binary {os.environ.get('BENCH_VERSION', '?')}.")
    L.append("")
    L.append("| page | req/s | p99 | / hello | errors | req/s each round |")
    L.append("|---|--:|--:|--:|--:|---|")
    for p in PAGES:
        if p not in res:
            L.append(f"| {LABELS[p]} | n/a | n/a | n/a | | not installed |")
            continue
        errs = sum(r["non2xx"] + r["sock_errors"] for r in res[p])
        each = ", ".join(f"{r['rps']:,.0f}" for r in res[p])
        L.append(f"| {LABELS[p]} | {fmt_rps(med[p])} | {fmt_ms(p99.get(p))} | "
                 f"{fmt_ratio(ratio(p, 'hello')) if p != 'hello' else '1'} | {errs} | {each} |")
    L.append("")
    L.append("| ratio | median | range over rounds | target |")
    L.append("|---|--:|---|---|")
    for a, b, want in (("status", "lean", 1.0), ("status", "lean-php", 1.5),
                       ("lean", "lean-php", None), ("form", "lean", None),
                       ("submit", "lean-submit", 0.9), ("submit", "lean-submit-php", 1.5),
                       ("lean-submit", "lean-submit-php", None)):
        r, rr = ratio(a, b), per_round(a, b)
        verdict = ""
        if want is not None:
            verdict = (f">= {want}: " + ("met" if r is not None and r >= want else
                                         ("n/a" if r is None else "**not met**")))
        span = f"{rr[0]:.2f}–{rr[1]:.2f}" if rr else "n/a"
        L.append(f"| {a} / {b} | {fmt_ratio(r)} | {span} | {verdict} |")
    L.append("")
    sub = res.get("submit", [])
    notes = []
    if sub:
        exhausted = any(r["next"] is not None and r["next"] >= fx["orders"] for r in sub)
        states = ", ".join(f"{k} {v}" for k, v in m["submit_states"].items())
        notes.append(f"submit: {m['submit_ok']} requests answered 303, {m['submit_refunds']} "
                     f"refunds were written ({states}; more than 303s: requests in flight "
                     f"when wrk stopped), from a pool of {fx['orders']} orders of "
                     f"{fx['buyers']} buyers ({m['submit_used']} used) registered through "
                     f"the API in {fx['seed_secs']} s"
                     + ("; **the pool ran out: the submit figure is a lower bound**"
                        if exhausted else "") + ".")
    for b in m.get("bad_after", []):
        notes.append(f"**after the run, {b}**")
    for c in m.get("mysqld_crashes", []):
        notes.append(f"**MariaDB crashed during the run**: {c}")
    if not m.get("mysqld_alive", True):
        notes.append("**MariaDB was not running at the end of the run** (see its log).")
    notes.append("check-ledger after the run: " + ledger_note(work, "ledger"))
    zs = read(work, "zero-sum.txt").split()
    if len(zs) == 3 and all(x.isdigit() for x in zs):
        notes.append(f"double entry, checked in SQL: {zs[0]} ledger transactions, {zs[1]} not "
                     f"summing to zero, {zs[2]} without entries.")
    if os.path.exists(os.path.join(work, "probe-ledger.rc")):
        notes.append("check-ledger of the one-worker stack (every kind of request above, "
                     "a few hundred rows): " + ledger_note(work, "probe-ledger"))
    for n in notes:
        L.append("- " + n)
    L.append("")

    L.append("| memory | VmRSS | RssAnon (private) |")
    L.append("|---|--:|--:|")
    names = {"refund-desk": "refund-desk worker, after the run (median of {n})",
             "lean": "lean worker, after the run (median of {n})",
             "php-fpm": "php-fpm child, after the run (median of {n})"}
    for k in ("refund-desk", "lean", "php-fpm"):
        v = m["mem"].get(k)
        if v:
            L.append(f"| {names[k].format(n=v['n'])} | {mib(v['VmRSS'])} | {mib(v['RssAnon'])} |")
        elif k == "php-fpm":
            L.append("| php-fpm child | n/a | n/a |")
    pr_path = os.path.join(work, "probe.json")
    pr = load(work, "probe.json") if os.path.exists(pr_path) else None
    if pr and pr["idle"] and pr["after"]:
        grow = pr["after"]["VmHWM"] - pr["idle"]["VmRSS"]
        L.append(f"| refund-desk worker, idle (one-worker stack) | {mib(pr['idle']['VmRSS'])} | "
                 f"{mib(pr['idle']['RssAnon'])} |")
        L.append(f"| same worker, peak (VmHWM) over a {pr['upload_bytes'] / 1048576:.2f} MiB "
                 f"evidence upload | {mib(pr['after']['VmHWM'])} | |")
        L.append("")
        verdict = "met" if grow < 1024 and pr["upload_status"] == 303 else "**not met**"
        L.append(f"- 5 MiB upload: peak RSS grew by {grow} KiB over idle (target < 1024 KiB: "
                 f"{verdict}); the request answered {pr['upload_status']}, "
                 f"{pr['upload_stored']} bytes stored"
                 + ("" if pr["peak_reset"] else "; VmHWM could not be reset, so the peak "
                    "includes the warm-up") + ".")
    L.append("")
    if pr:
        t = pr["trips"]
        L.append(f"| per request (one worker, {pr['n']} requests each) | DB round trips "
                 "| MariaDB temporary tables | of which on disk |")
        L.append("|---|--:|--:|--:|")
        for k, label in (("status", "status `GET /refund/ID`"),
                         ("form", "form `GET /refund/new?order=NO`"),
                         ("submit", "submit `POST /refund/new`, instant to balance"),
                         ("submit_png", "submit `POST /refund/new` with a PNG, to review"),
                         ("hand_off", "hand-off `GET /refund/start`"),
                         ("api_order", "API `POST /api/v1/orders`")):
            trips, tmp, disk = t[k]
            L.append(f"| {label} | {trips:.2f} | {tmp:.2f} | {disk:.2f} |")
        for k in ("lean", "lean-php"):
            v = m.get("ref_trips", {}).get(k)
            if v:
                L.append(f"| {k} (statements as MariaDB counts them) | {v[0]:.2f} | {v[1]:.2f} "
                         f"| {v[2]:.2f} |")
    L += big_report(work, med, p99)
    text = "\n".join(L) + "\n"
    sys.stdout.write(text)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) < 3:
        die("usage: bench.py seed|measure|probe WORK | bench.py report WORK OUT")
    cmd, work = sys.argv[1], sys.argv[2]
    if cmd == "seed":
        cmd_seed(work)
    elif cmd == "measure":
        cmd_measure(work)
    elif cmd == "probe":
        cmd_probe(work)
    elif cmd == "memory":
        cmd_memory(work)
    elif cmd == "report" and len(sys.argv) == 4:
        cmd_report(work, sys.argv[3])
    else:
        die(f"unknown command: {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    # SIGTERM (bench/run stopping) unwinds like Ctrl-C: subprocess.run then
    # kills the wrk it waits for.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        main()
    except rd.SetupError as e:
        die(str(e))
