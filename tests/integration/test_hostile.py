"""Hostile requests over HTTP: a table of (name, request builder, allowed
statuses) rows, each sent through nginx on a raw socket (rawhttp.py).

Every row must get a 4xx answer with an HTML page (a JSON error on /api/),
never a 5xx, never a crash; and nothing is written. Rows that are valid
requests in hostile clothing are marked: they may be accepted (2xx/3xx),
and then exactly the expected rows appear, holding exactly the bytes sent.
Where a row may write bookkeeping (a failed look-up is counted per IP),
the row says which table and by how much.

For every row: the state (rd.snapshot() row counts, plus CHECKSUM TABLE of
every table, so an UPDATE shows too) is taken before and compared after;
no response carries an injected header (X-Injected, a Set-Cookie other than
the app's session cookie); every worker in $RD_DIR/app.pid is still alive.
After the tables, the last test checks /healthz, the workers, app.log (no
"refused header", no 5xx) and nginx's error log (no upstream crash).

Rows are built lazily against a fresh buyer, order and refund so that they
reach deep code: a valid session cookie (rd.start_link) and a valid CSRF
token (rd.csrf_of), with one field made hostile at a time.
"""

import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import urllib.parse

import rawhttp
import rd
from rd import check

DROP = 0            # in allowed: the server closed without answering (fine for a cut body)

# One hostile tail per kind, appended to an otherwise valid value.
PAYLOADS = {
    "nul": b"ab\x00cd",
    "nul-first": b"\x00' OR 1=1",           # a C string ends right after the valid value
    "overlong": b"\xc0\xaf",                 # "/" in two bytes: never valid UTF-8
    "surrogate": b"\xed\xa0\x80",            # U+D800 encoded: not a character
    "crlf": b"\r\nX-Injected: 1\r\nSet-Cookie: injected=1",
    "sql": "' \" ; -- /* */ \\ % OR '1'='1".encode(),
}
# Payloads that are legitimate text in a free-text field (reason, note,
# title): such rows are accepted and the text stored byte for byte.
TEXT_OK = ("crlf", "sql")

API_PREFIX = "/api/"
# Outside /api/, answering JSON errors all the same: POST /cron (scripts call it).
JSON_PATHS = ("/cron",)
# Statuses nginx itself produces before the app sees a request (404: its
# internal evidence location).
# Every row pins what nginx answers itself, and the checks read app.pid and
# nginx-error.log: this file runs against the nginx front. Apache and CGI
# fronts run the same parsers (unit tests and fuzzers cover them on every
# build); their own framing is Apache's, not ours to pin.
NGINX_ONLY = "rows pin nginx's own answers and read app.pid / nginx-error.log"
NGINX_OWN = {400, 404, 405, 408, 411, 413, 414, 431, 494, 501, 505}
LOOKUP_BOOKKEEPING = {"lookup_failures": {0, 1}}


# ---------------------------------------------------------------- requests

class Req:
    """One request: sent as built by rawhttp.request(), or raw bytes as given."""

    def __init__(self, method, target, headers=(), body=b"", raw=None, shut_wr=False,
                 local=False, close=True, chunks=None):
        self.method = method
        self.target = target
        self.headers = list(headers)
        self.body = body
        self.raw = raw
        self.shut_wr = shut_wr
        self.local = local          # from 127.0.0.1 (the /metrics allow list)
        self.close = close
        self.chunks = chunks

    @property
    def path(self):
        t = self.target if isinstance(self.target, str) else self.target.decode("latin-1")
        return t.split("?", 1)[0]

    def bytes(self):
        if self.raw is not None:
            return self.raw
        return rawhttp.request(self.method, self.target, self.headers, self.body,
                               close=self.close)

    def send(self):
        heads = (self.method == "HEAD",)
        src = None if self.local else rd.elsewhere()
        chunks = self.chunks
        return rawhttp.exchange(self.bytes() if chunks is None else None, source=src,
                                shut_wr=self.shut_wr, heads=heads, chunks=chunks)

    def describe(self):
        b = self.bytes() if self.chunks is None else b"".join(self.chunks)
        head, _, body = b.partition(b"\r\n\r\n")
        first = head.split(b"\r\n", 1)[0]
        return f"{first[:160]!r} ({len(head)}-byte head, {len(body)}-byte body)"


def cookie_of(session):
    return ("Cookie", f"{rd.COOKIE}={session}") if session else None


def page(method, target, session=None, headers=(), body=b"", **kw):
    h = [x for x in [cookie_of(session)] if x] + list(headers)
    return Req(method, target, h, body, **kw)


# The request builders are rd.py's (raw bytes in, exactly those bytes sent).
urlenc = rd.urlencoded_raw
multipart = rd.multipart_raw
_b = rd._raw


def form_post(path, session, fields, files=(), enc="multipart"):
    if enc == "urlencoded":
        return page("POST", path, session, [("Content-Type", "application/x-www-form-urlencoded")],
                    urlenc(fields))
    body, bnd = multipart(fields, files)
    return page("POST", path, session, [("Content-Type", f"multipart/form-data; boundary={bnd}")],
                body)


def api_req(method, path, body=b"", ts=None, sig=None, headers=()):
    """A storefront call signed over exactly these bytes (rd.api_signature)."""
    body = rd._raw(body)
    ts = rd.fresh_ts(method, path, body) if ts is None else ts
    if sig is None:
        sig = rd.api_signature(method, path, ts, body)
    h = [("X-RD-Timestamp", ts), ("X-RD-Signature", sig)]
    if body or method == "POST":
        h.append(("Content-Type", "application/json"))
    return Req(method, path, h + list(headers), body)


def fresh_idem():
    """A form key never used before: a shared form's idem, once accepted,
    would answer every later row with the first result (CONTRACT.md §3)."""
    return "hostile" + secrets.token_hex(12)


def png_file(seed):
    return ("evidence", "shot.png", "image/png", rd.png(seed))


# ---------------------------------------------------------------- the world the rows act on

class Ctx:
    """Buyers, orders, forms and refunds the rows need, made on first use
    (before the row's snapshot), shared where a row cannot change them."""

    def __init__(self):
        self._once = {}

    def once(self, key, make):
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]

    @staticmethod
    def _session(o):
        c = rd.buyer_session(o)
        return c, c.jar[rd.COOKIE]

    def form(self, topup=False):
        """A fresh order with no refund, its buyer's session, CSRF and idem."""
        if topup:
            o = rd.register(category="direct_topup", title="直充 100 元")
            rd.deliver(o["order_no"], kind="direct_topup")
        else:
            o = rd.used_card()
        c, s = self._session(o)
        f = rd.open_form(c, o["order_no"])
        return {"o": o, "no": o["order_no"], "session": s, "csrf": rd.csrf_of(f),
                "idem": rd.idem_of(f)}

    def shared_form(self, topup=False):
        return self.once(("form", topup), lambda: self.form(topup))

    def refund(self):
        """A fresh open refund (invalid_item, in cs_review) with one PNG."""
        f = self.form()
        c = rd.Client()
        c.jar[rd.COOKIE] = f["session"]
        form = rd.open_form(c, f["no"])
        r = rd.submit(c, rd.refund_fields(form, f["no"]),
                      [rd.File(rd.png("h" + f["no"]), "shot.png", "image/png")])
        f["rid"] = rd.refund_id_of(r)
        return f

    def shared_refund(self):
        return self.once("refund", self.refund)

    def lookup(self):
        """An anonymous session with the look-up form's CSRF, and an order
        whose contact and look-up code are known."""
        def make():
            o = rd.register()
            c = rd.Client(source=rd.elsewhere())
            r = rd.expect_status(c.get("/refund/lookup"), 200)
            return {"o": o, "session": c.jar[rd.COOKIE], "csrf": rd.csrf_of(r)}
        return self.once("lookup", make)

    def api_order(self):
        return self.once("api_order", rd.register)


CTX = Ctx()


# ---------------------------------------------------------------- state

_TABLES = []


def _checksums():
    # The schema does not change under the rows: list the tables once.
    if not _TABLES:
        _TABLES.extend(t for t in rd.tables() if t not in rd.SNAPSHOT_IGNORE)
    names = _TABLES
    if not names:
        return {}
    rows = rd.db("CHECKSUM TABLE " + ", ".join(f"`{t}`" for t in names))
    return {rd.unprefixed(r[0].split(".")[-1]): r[1] for r in rows}


def state():
    return {"snap": rd.snapshot(), "sums": _checksums()}


def _changes(before):
    after = state()
    counts = {k: after["snap"].get(k, 0) - before["snap"].get(k, 0)
              for k in set(before["snap"]) | set(after["snap"])}
    touched = {k for k in set(before["sums"]) | set(after["sums"])
               if before["sums"].get(k) != after["sums"].get(k)}
    touched |= {k for k, d in counts.items() if d}
    return counts, touched


def expect_writes(before, exact=None, may=None):
    """exact: {table: delta} that must happen; may: {table: set of deltas or
    None (any)} that may; every other table is untouched, contents too."""
    exact, may = exact or {}, may or {}
    counts, touched = _changes(before)
    # A transaction that decided from an order or a refund bumped its version
    # (sql/030): when the request wrote something, those rows may differ.
    if any(counts.get(t, 0) for t in touched):
        touched -= {t for t in ("orders", "refunds") if counts.get(t, 0) == 0}
    bad = []
    for t, d in exact.items():
        if counts.get(t, 0) != d:
            bad.append(f"{t} {counts.get(t, 0):+d} (want {d:+d})")
    for t in sorted(touched):
        if t in exact:
            continue
        if t in may:
            if may[t] is not None and counts.get(t, 0) not in may[t]:
                bad.append(f"{t} {counts.get(t, 0):+d} (allowed {sorted(may[t])})")
            continue
        bad.append(f"{t} changed ({counts.get(t, 0):+d} rows)")
    check(not bad, "writes: " + ", ".join(bad))


def expect_nothing_written(before, what):
    rd.assert_unchanged(before["snap"], what)
    sums = _checksums()
    changed = sorted(t for t in set(sums) | set(before["sums"]) if sums.get(t) != before["sums"].get(t))
    check(not changed, f"{what}: contents changed in {', '.join(changed)}")


def db_hex(sql):
    v = rd.db_value(sql)
    return (v or "").lower()


def workers():
    path = os.path.join(rd.env("RD_DIR"), "app.pid")
    with open(path, encoding="ascii") as f:
        return [int(x) for x in f.read().split() if x.isdigit()]


def dead_workers():
    dead = []
    for pid in workers():
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                st = f.read().rsplit(")", 1)[1].split()[0]
            if st in ("Z", "X"):
                dead.append(pid)
        except OSError:
            dead.append(pid)
    return dead


# ---------------------------------------------------------------- checking one response

_DOC = re.compile(rb"<!doctype html|<html", re.I)


def _is_nginx_page(r):
    return b"<center>nginx" in r.body or (not r.body and (r.header("Content-Type") or "") == "text/html")


def check_response(row, req, r):
    path = req.path
    # /cron's handler answers JSON; the router's 405 before it is the HTML page.
    api = path.startswith(API_PREFIX) or (path in JSON_PATHS and r.status != 405)
    head = req.method == "HEAD"
    ctype = (r.header("Content-Type") or "").lower()
    # The only 5xx a row may allow is nginx's own answer to a protocol it
    # does not speak (505, 501): the app never sees those requests.
    check(r.status < 500 or (r.status in row.allowed and _is_nginx_page(r)), f"5xx: {r!r}")
    # Nothing a request carried may become a header line of the answer.
    for k, v in r.headers:
        check(k.lower() != "x-injected" and "x-injected" not in v.lower() and "\r" not in v
              and "\n" not in v, f"injected header {k}: {v!r}")
    cookies = r.headers_all("Set-Cookie")
    check(len(cookies) <= 1, f"{len(cookies)} Set-Cookie headers: {cookies}")
    for line in cookies:
        name = rd.parse_set_cookie(line)[0]
        # The staff console's own cookie (its login form) on its own pages.
        staff = path.startswith("/desk") and name in ("rds", "__Host-rds")
        check(staff or name in (rd.COOKIE, "__Host-" + rd.COOKIE), f"foreign Set-Cookie: {line!r}")
    if r.status >= 400:
        # A refusal starts no session; only the look-up page hands an
        # anonymous one to a visitor who had none.
        check(not r.sets_session() or path == "/refund/lookup",
              f"a {r.status} set a session cookie: {cookies}")
        if _is_nginx_page(r):
            check(r.status in NGINX_OWN, f"an nginx page with {r.status}: {r!r}")
            check(ctype.startswith("text/html"), f"nginx page of type {ctype!r}")
        elif api:
            check(ctype.startswith("application/json"), f"API error is not JSON: {r!r}")
            if not head:
                rd.expect_api_error(r, r.status)
        else:
            check(ctype.startswith("text/html"), f"error is not an HTML page: {r!r}")
            check(head or _DOC.search(r.body), f"error body is not an HTML page: {r!r}")
    elif 300 <= r.status < 400:
        loc = r.header("Location") or ""
        check(loc.startswith("/") and not loc.startswith("//") and not loc.startswith("/\\"),
              f"{r.status} to a non-local Location {loc!r}")
    else:
        want = row.ctype or ("application/json" if api else "text/html")
        check(ctype.startswith(want), f"{r.status} of type {ctype!r}, want {want}")
    if row.err and r.status == 422 and not head:
        n = r.doc.by_id("err-" + row.err)
        check(n is not None and n.text().strip(), f'no message in id="err-{row.err}": {r!r}')
    for e in row.no_err:
        if r.status == 422:
            check(r.doc.by_id("err-" + e) is None, f'unexpected id="err-{e}": {r!r}')


# ---------------------------------------------------------------- rows

class Row:
    """name; build(ctx) -> Req; allowed statuses (DROP: a closed connection
    is fine); writes: None (nothing may change), {table: deltas} bookkeeping
    that may change, or a function (ctx, req, before, responses) for rows
    that may be accepted; err: the form field whose message a 422 shows;
    ctype: the Content-Type of a 2xx."""

    def __init__(self, name, build, allowed, writes=None, err=None, no_err=(), ctype=None):
        self.name = name
        self.build = build
        self.allowed = set(allowed)
        self.writes = writes
        self.err = err
        self.no_err = tuple(no_err)
        self.ctype = ctype


def run_row(row):
    req = row.build(CTX)
    try:
        _run_built(row, req)
    except AssertionError as e:
        raise AssertionError(f"{e} [request {req.describe()}]") from None


def _run_built(row, req):
    """Every check of the row runs; the problems are reported together."""
    problems = []

    def step(fn, *a):
        try:
            fn(*a)
        except AssertionError as e:
            problems.append(str(e))

    before = state()
    ex = req.send()
    got = [r.status for r in ex.responses] or [DROP]
    if os.environ.get("RD_TEST_VERBOSE"):
        print(f"  row {row.name}: {got}", file=sys.stderr, flush=True)
    step(check, all(s in row.allowed for s in got),
         f"statuses {got}, allowed {sorted(row.allowed)}: {ex!r}")
    step(check, not ex.leftover.strip() or ex.responses, f"unparsed answer {ex.leftover[:200]!r}")
    for r in ex.responses:
        step(check_response, row, req, r)
    if callable(row.writes) and ex.responses:
        step(row.writes, CTX, req, before, ex)
    elif isinstance(row.writes, dict):
        step(expect_writes, before, None, row.writes)
    else:
        step(expect_nothing_written, before, "refused")
    dead = dead_workers()
    step(check, not dead, f"worker(s) {dead} died")
    check(not problems, "; ".join(problems))


_MARK = {}


def _begin():
    """Where app.log and nginx-error.log stood before the first row."""
    if not _MARK:
        d = rd.env("RD_DIR")
        for f in ("app.log", "nginx-error.log"):
            p = os.path.join(d, f)
            _MARK[f] = os.path.getsize(p) if os.path.exists(p) else 0


def run_table(rows):
    _begin()
    names = [r.name for r in rows]
    check(len(names) == len(set(names)), "duplicate row names")
    failures = []
    for row in rows:
        try:
            run_row(row)
        except Exception as e:          # one row's failure must not hide the others
            if not isinstance(e, AssertionError):
                e = AssertionError(f"{type(e).__name__}: {e}")
            failures.append(f"{row.name}: {e}")
    for f in failures:
        print(f"  hostile row FAIL {f}", file=sys.stderr, flush=True)
    check(not failures, f"{len(failures)} of {len(rows)} rows failed: " + " || ".join(failures))
    return len(rows)


# ---------------------------------------------------------------- accepted-row checks

def accepted_new_refund(field, sent, column=None):
    """A /refund/new row that may be accepted: 303 to a new refund whose
    column holds exactly the bytes sent; a refusal writes nothing."""
    column = column or field

    def verify(ctx, req, before, ex):
        r = ex.responses[0]
        if r.status != 303:
            expect_nothing_written(before, "refused")
            return
        rid = rd.refund_id_of(r)
        expect_writes(before, exact={"refunds": 1, "evidence": 1, "webhook_events": 1},
                      may={"refund_events": None, "holds": None, "<evidence files>": {0, 1}})
        got = db_hex(f"SELECT HEX({column}) FROM refunds WHERE public_id = {rd.q(rid)}")
        check(got == sent.hex(), f"{column} stored as {bytes.fromhex(got)!r}, sent {sent!r}")
    return verify


def accepted_file_name(sent):
    """A file-name row that may be accepted: then the evidence row keeps the
    name as sent (a name that is not UTF-8 must not be stored as it came:
    refused, or replaced) and downloading it sends no header made from it."""
    def verify(ctx, req, before, ex):
        r = ex.responses[0]
        if r.status not in (303,):
            expect_nothing_written(before, "refused")
            return
        if req.path == "/refund/new":
            rid = rd.refund_id_of(r)
            expect_writes(before, exact={"refunds": 1, "evidence": 1, "webhook_events": 1},
                          may={"refund_events": None, "holds": None, "<evidence files>": {0, 1}})
        else:
            rid = req.path.split("/")[2]
            # The refund row's evidence summary is rewritten with the new file.
            expect_writes(before, exact={"evidence": 1, "refund_events": 1},
                          may={"<evidence files>": {0, 1}, "refunds": None})
        got = db_hex("SELECT HEX(e.orig_name) FROM evidence e JOIN refunds f ON f.id = e.refund_id "
                     f"WHERE f.public_id = {rd.q(rid)} ORDER BY e.seq DESC LIMIT 1")
        try:
            sent.decode("utf-8")
            check(got == sent.hex(), f"file name stored as {bytes.fromhex(got)!r}, sent {sent!r}")
        except UnicodeDecodeError:
            stored = bytes.fromhex(got)
            try:
                stored.decode("utf-8")
            except UnicodeDecodeError:
                raise AssertionError(f"a file name that is not UTF-8 was stored as sent: {stored!r}") from None
        seq = rd.db_value("SELECT MAX(e.seq) FROM evidence e JOIN refunds f ON f.id = e.refund_id "
                          f"WHERE f.public_id = {rd.q(rid)}")
        cookie = [h for h in req.headers if h[0] == "Cookie"]
        g = Req("GET", f"/refund/{rid}/evidence/{seq}", cookie).send()
        check(g.responses and g.responses[0].status == 200, f"download: {g!r}")
        check_response(Row("download", None, (200,), ctype="image/png"), Req("GET", f"/refund/{rid}/evidence/{seq}"),
                       g.responses[0])
        st = Req("GET", f"/refund/{rid}", cookie).send()
        check(st.responses and st.responses[0].status == 200, f"status page: {st!r}")
    return verify


def accepted_event_note(sent, cancels=False):
    """A buyer action whose note may be accepted: one timeline event holding
    the note as sent (evidence), or the request cancelled (cancel)."""
    def verify(ctx, req, before, ex):
        r = ex.responses[0]
        if r.status != 303:
            expect_nothing_written(before, "refused")
            return
        rid = req.path.split("/")[2]
        if cancels:
            expect_writes(before, exact={"refund_events": 1, "webhook_events": 1},
                          may={"refunds": {0}, "holds": {0}})
            check(rd.refund_row(rid)["state"] == "cancelled", "not cancelled")
            return
        # The refund row counts the buyer's posts (buyer_posts_per_refund).
        expect_writes(before, exact={"refund_events": 1}, may={"refunds": {0}})
        got = db_hex("SELECT HEX(e.note) FROM refund_events e JOIN refunds f ON f.id = e.refund_id "
                     f"WHERE f.public_id = {rd.q(rid)} ORDER BY e.id DESC LIMIT 1")
        check(got == sent.hex(), f"note stored as {bytes.fromhex(got)!r}, sent {sent!r}")
    return verify


def accepted_order(field, sent):
    """POST /api/v1/orders that may be accepted: one order (and its hold and
    ledger lines) whose field holds exactly the bytes sent."""
    def verify(ctx, req, before, ex):
        r = ex.responses[0]
        if r.status not in rd.REGISTERED:
            expect_nothing_written(before, "refused")
            return
        no = json.loads(req.body)["order_no"]
        expect_writes(before, exact={"orders": 1, "holds": 1},
                      may={"ledger_txns": None, "ledger_entries": None})
        got = db_hex(f"SELECT HEX({field}) FROM orders WHERE order_no = {rd.q(no)}")
        check(got == sent.hex(), f"{field} stored as {bytes.fromhex(got)!r}, sent {sent!r}")
    return verify


# ---------------------------------------------------------------- table 1: every route, every method

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "BREW", "TRACE")


# What each route answers to the rows below (a buyer's session, no staff
# session; a body wrong for every POST), by the route's name in router.c.
# The routes come from the binary (`refund-desk routes`): a route added
# there without a line here fails this table until it gets one.
# name: (allowed statuses, Content-Type of a 2xx, from 127.0.0.1)
ROUTE_ANSWERS = {
    "home": ({200}, None, False),
    "healthz": ({200}, "text/plain", False),
    "metrics": ({200}, "text/plain", True),
    "cron": ({401, 403}, None, False),             # unsigned (403 when no cron secret is set)
    "css": ({200}, "text/css", False),
    "js": ({200}, "text/javascript", False),
    "js-time": ({200}, "text/javascript", False),  # i10-buyer: the time left, live
    "start": ({403}, None, False),
    "start-switch": ({403}, None, False),
    "logout": ({403}, None, False),
    "lang": ({400}, None, False),                  # i10-i18n: no language named
    "lookup": ({200}, None, False),
    "lookup-post": ({403}, None, False),
    "new": ({200}, None, False),
    "new-post": ({403}, None, False),
    "status": ({200}, None, False),
    "cancel": ({403}, None, False),
    "evidence-post": ({403}, None, False),
    "appeal": ({403}, None, False),
    "appeal-page": ({200, 409}, None, False),      # i10-buyer: 409 unless the request may be appealed
    "evidence": ({200}, "image/png", False),
    "confirm": ({403}, None, False),
    "desk-login": ({200}, None, False),
    "desk-login-post": ({403}, None, False),       # no login form cookie
    "desk-logout": ({303}, None, False),           # not signed in: to the login page
    "desk-sessions-end": ({303}, None, False),
    "desk": ({303}, None, False),
    "desk-queue-csv": ({303}, None, False),        # staff only: to the login page
    "desk-refund": ({303}, None, False),
    "desk-decision": ({303}, None, False),
    "desk-evidence": ({303}, None, False),
    "desk-dashboard": ({303}, None, False),        # admins and arbiters only: to the login page
    "desk-dashboard-csv": ({303}, None, False),
    "desk-activity": ({303}, None, False),         # admins only: to the login page
    "desk-claims": ({303}, None, False),           # i15-console: admins and arbiters: to the login page
    "desk-js": ({200}, "text/javascript", False),
    "api-orders": ({422}, None, False),
    "api-delivery": ({422}, None, False),
    "api-usage": ({422}, None, False),
    "api-upstream-claim": ({422}, None, False),    # i15-chain: no state given
    "api-order": ({200}, None, False),
    "api-refund": ({200}, None, False),
    "api-refunds": ({403}, None, False),           # the storefront's signature: API clients only
    "api-payout": ({409, 422}, None, False),
}
# A path one pattern owns that another route answers for another method:
# GET /refund/logout is the status page of a refund "logout": none.
PATH_ANSWERS = {("/refund/logout", "GET"): {404}}
# The query a route needs to reach its handler's work.
ROUTE_QUERY = {"new": "?order={no}"}


def _concrete(pattern, f):
    return "/".join({":id": f["rid"], ":no": f["no"], ":n": "1"}.get(s, s)
                    for s in pattern.split("/")) or "/"


def _routes(ctx):
    """(path, {method: allowed}, content type of a 2xx, api, local) for
    every route of the router (rd.routes()), with real ids so handlers run."""
    f = ctx.shared_refund()
    by_path = {}
    for method, pattern, name, _fields in rd.routes():
        check(name in ROUTE_ANSWERS, f"route {name} ({method} {pattern}) has no line in ROUTE_ANSWERS")
        allowed, ctype, local = ROUTE_ANSWERS[name]
        path = _concrete(pattern, f) + ROUTE_QUERY.get(name, "").format(no=f["no"])
        base = path.split("?")[0]
        e = by_path.setdefault(base, [path, {}, None, pattern.startswith(API_PREFIX), False])
        if len(path) > len(e[0]):
            e[0] = path
        e[1][method] = allowed
        e[2] = e[2] or ctype
        e[4] = e[4] or local
    for (base, method), allowed in PATH_ANSWERS.items():
        by_path[base][1][method] = allowed
    return [tuple(e) for e in by_path.values()]


def test_hostile_routes_cover_the_router():
    """Every route of the binary's table is in the method table, the seven
    /desk routes among them; a route unknown here fails until it is added."""
    names = {name for _m, _p, name, _f in rd.routes()}
    missing = names - set(ROUTE_ANSWERS)
    check(not missing, f"routes without an expected answer: {sorted(missing)}")
    stale = set(ROUTE_ANSWERS) - names
    check(not stale, f"answers for routes the router does not have: {sorted(stale)}")
    desk = [p for _m, p, _n, _f in rd.routes() if p.startswith("/desk")]
    check(len(desk) >= 7, f"only {len(desk)} /desk routes: {desk}")


# A body wrong for every POST route: no CSRF for the pages, and for the API
# an order_no without the rest, a delivery state, a redeemed flag and a
# payout state that are all not values.
_PAGE_BODY = b"x=1"
_API_BODY = b'{"order_no":"x","state":"x","kind":"x","redeemed":"x","topup":"x"}'


def method_rows():
    # The paths need the context (real ids): resolved once, here.
    routes = _routes(CTX)
    f = CTX.shared_refund()
    rows = []
    for i in range(len(routes)):
        for m in METHODS:
            def build(ctx, i=i, m=m):
                path, _, _, api, local = _routes(ctx)[i]
                body = b"" if m in ("GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "BREW") else \
                    (_API_BODY if api else _PAGE_BODY)
                if api:
                    return api_req(m, path, body)
                h = [("Content-Type", "application/x-www-form-urlencoded")] if body else []
                return page(m, path, ctx.shared_refund()["session"], h, body, local=local)
            rows.append((i, m, build))
    out = []
    for i, m, build in rows:
        path, ok, ctype, api, local = routes[i]
        name = path.split("?")[0].replace(f["rid"], "ID").replace(f["no"], "NO")
        if m == "TRACE":
            allowed = {405}                     # nginx refuses TRACE itself
        elif m == "HEAD" and "GET" in ok:
            allowed = ok["GET"]
        else:
            allowed = ok.get(m, {405})
        out.append(Row(f"{m} {name}", build, allowed, ctype=ctype))
    return out


def test_hostile_every_route_every_method():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(method_rows())


# ---------------------------------------------------------------- table 2: framing

def _raw(data, **kw):
    return lambda ctx: Req("RAW", "/", raw=data, **kw)


def _lookup_body(ctx):
    """A look-up with a wrong contact: refused (422) when it reaches the app."""
    lk = ctx.lookup()
    return urlenc([("csrf", lk["csrf"]), ("order_no", lk["o"]["order_no"]),
                   ("contact", lk["o"]["contact"] + "x"), ("lookup_code", lk["o"]["lookup_code"])])


def _head(method, target, headers, session=None):
    u = urllib.parse.urlsplit(rd.env("RD_URL"))
    lines = [_b(method) + b" " + _b(target) + b" HTTP/1.1", b"Host: " + _b(u.netloc)]
    if session:
        lines.append(b"Cookie: " + _b(rd.COOKIE) + b"=" + _b(session))
    lines += [_b(k) + b": " + _b(v) for k, v in headers]
    return b"\r\n".join(lines) + b"\r\n"


def _short_body(path, ctype, body, claim, session=None, api=False):
    """Content-Length says claim, body is shorter, then the client half-closes."""
    def build(ctx):
        s = ctx.lookup()["session"] if session == "lookup" else \
            ctx.shared_form()["session"] if session == "form" else None
        b = body(ctx) if callable(body) else body
        h = [("Content-Type", ctype), ("Content-Length", claim(len(b)))]
        if api:
            ts = rd.fresh_ts("POST", path, b)
            h += [("X-RD-Timestamp", ts), ("X-RD-Signature", rd.api_signature("POST", path, ts, b))]
        return Req("RAW", path, raw=_head("POST", path, h, s) + b"\r\n" + b, shut_wr=True)
    return build


def _long_body(path, ctype, body, session=None, api=False):
    """Content-Length covers only the first half of the body: the app gets
    that half; the rest (ending in a blank line) is read as the next
    request on the connection, which nginx refuses (400) and closes."""
    def build(ctx):
        s = ctx.lookup()["session"] if session == "lookup" else \
            ctx.shared_form()["session"] if session == "form" else None
        b = body(ctx) if callable(body) else body
        n = max(1, len(b) // 2)
        h = [("Content-Type", ctype), ("Content-Length", n)]
        if api:
            ts = rd.fresh_ts("POST", path, b[:n])
            h += [("X-RD-Timestamp", ts), ("X-RD-Signature", rd.api_signature("POST", path, ts, b[:n]))]
        return Req("RAW", path, raw=_head("POST", path, h, s) + b"\r\n" + b + b"\r\n\r\n")
    return build


def _new_body(ctx):
    """A valid new-request body whose boundary is NEW_BOUNDARY."""
    f = ctx.shared_form()
    fields = [("csrf", f["csrf"]), ("idem", fresh_idem()), ("order", f["no"]), ("type", "invalid_item"),
              ("reason", rd.GOOD_REASON), ("destination", "original")]
    return multipart(fields, [png_file("framing")], boundary=NEW_BOUNDARY)[0]


NEW_BOUNDARY = "b" * 20


def framing_rows():
    big = "a" * 9000
    hosted = lambda data: (lambda ctx: Req("RAW", "/", raw=data(ctx)))  # noqa: E731
    NEW_CT = "multipart/form-data; boundary=" + NEW_BOUNDARY
    rows = [
        Row("request line 9 KB", lambda ctx: page("GET", "/refund/new?order=" + big), {414}),
        Row("request line 100 KB", lambda ctx: page("GET", "/" + "a" * 100000), {414, 400}),
        Row("query of 7 KB reaching the app", lambda ctx: page(
            "GET", "/refund/start?order=" + "A" * 7000 + "&buyer=b&ts=1&sig=" + "0" * 64), {403}),
        Row("700 query parameters", lambda ctx: page(
            "GET", "/refund/start?" + "&".join(f"p{i}=1" for i in range(700))), {403}),
        Row("one header of 9 KB", lambda ctx: page("GET", "/healthz", headers=[("X-Big", big)]),
            {400, 431, 494}),
        Row("cookie of 9 KB", lambda ctx: page("GET", "/healthz", headers=[("Cookie", "rd=" + big)]),
            {400, 431, 494}),
        Row("session cookie of 7 KB", lambda ctx: page(
            "GET", "/refund/new?order=" + ctx.shared_form()["no"], "A" * 7000), {403}),
        Row("300 cookies then a valid session", lambda ctx: page(
            "GET", "/refund/new?order=" + ctx.shared_form()["no"], headers=[
                ("Cookie", "; ".join(f"c{i}=v" for i in range(300)) + f"; {rd.COOKIE}=" +
                 ctx.shared_form()["session"])]), {200}),
        Row("a bogus session cookie before the valid one", lambda ctx: page(
            "GET", "/refund/new?order=" + ctx.shared_form()["no"], headers=[
                ("Cookie", f"{rd.COOKIE}=bogus; {rd.COOKIE}=" + ctx.shared_form()["session"])]),
            {200, 403}),
        Row("session cookie with raw bytes", lambda ctx: page(
            "GET", "/refund/new?order=" + ctx.shared_form()["no"],
            headers=[("Cookie", b"rd=\xc0\xaf\xed\xa0\x80'\";--")]), {403}),
        Row("cookie with a raw NUL", lambda ctx: page(
            "GET", "/healthz", headers=[("Cookie", b"rd=a\x00b")]), {200, 400}, ctype="text/plain"),
        Row("20 headers of 1 KB reaching the app", lambda ctx: page(
            "GET", "/refund/new?order=" + ctx.shared_form()["no"], ctx.shared_form()["session"],
            headers=[(f"X-H{i}", "v" * 1000) for i in range(20)]), {200}),
        Row("2000 headers", lambda ctx: page(
            "GET", "/healthz", headers=[(f"X-H{i}", "v" * 20) for i in range(2000)]), {400, 431, 494}),
        Row("header name with a space", lambda ctx: page("GET", "/healthz", headers=[("X Bad", "1")]),
            {400, 200}, ctype="text/plain"),
        Row("header value with a raw NUL", lambda ctx: page(
            "GET", "/healthz", headers=[("X-Bad", b"a\x00b")]), {400}),
        Row("header value with a bare CR", lambda ctx: page(
            "GET", "/healthz", headers=[("X-Bad", b"a\rX-Injected: 1")]), {400}),
        Row("obs-fold continuation line", lambda ctx: page(
            "GET", "/healthz", headers=[("X-Fold", b"a\r\n X-Injected: 1")]), {400}),
        Row("two Host headers", lambda ctx: page("GET", "/healthz", headers=[("Host", "a"), ("Host", "b")]),
            {400}),
        Row("HTTP/1.1 without Host", _raw(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"), {400}),
        # nginx's answer to an HTTP version it does not speak is 505: the
        # protocol's own code, produced before any of the app runs (the body
        # must be nginx's page). With the 501 for an unknown
        # Transfer-Encoding below, the only 5xx the tables accept.
        Row("HTTP/2.0 on a plain connection (nginx's 505)", _raw(
            b"GET /healthz HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n"), {505}),
        Row("lower-case method", _raw(b"get /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            {400}),
        Row("method of 100 letters", _raw(
            b"A" * 100 + b" /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), {400, 405}),
        Row("raw NUL in the path", _raw(b"GET /refund/\x00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            {400}),
        Row("%00 in the path", lambda ctx: page("GET", "/refund/%00"), {400}),
        Row("raw overlong bytes in the path", _raw(
            b"GET /refund/\xc0\xaf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), {400, 404}),
        Row("path escaping upwards", lambda ctx: page("GET", "/refund/../../../etc/passwd"), {400, 404}),
        Row("encoded slashes and dots", lambda ctx: page("GET", "/refund/..%2f..%2fetc%2fpasswd"),
            {400, 404}),
        Row("internal evidence location", lambda ctx: page("GET", "/_evidence/" + "a" * 64), {404}),
        Row("absolute-form request target", lambda ctx: page("GET", "http://evil.example/healthz"),
            {200, 400}, ctype="text/plain"),
        # Content-Length lies: more than sent (client half-closes) ...
        Row("short body: look-up", _short_body("/refund/lookup", "application/x-www-form-urlencoded",
                                                _lookup_body, lambda n: n + 100, "lookup"), {400, DROP}),
        Row("short body: new request", _short_body("/refund/new", NEW_CT, _new_body, lambda n: n + 5000, "form"),
            {400, DROP}),
        Row("short body: API order", _short_body("/api/v1/orders", "application/json",
                                                 lambda ctx: json.dumps(rd.order_body()).encode(),
                                                 lambda n: n + 10, api=True), {400, DROP}),
        Row("short body: empty with a length", _short_body("/refund/lookup", "application/x-www-form-urlencoded",
                                                           b"", lambda n: 100, "lookup"), {400, DROP}),
        # ... and fewer than sent: the rest reads as a second (garbage) request.
        Row("long body: look-up", _long_body("/refund/lookup", "application/x-www-form-urlencoded",
                                              _lookup_body, "lookup"), {400, 403, 422},
            writes=LOOKUP_BOOKKEEPING),
        Row("long body: new request", _long_body("/refund/new", NEW_CT, _new_body, "form"), {400, 422}),
        Row("long body: API order", _long_body("/api/v1/orders", "application/json",
                                               lambda ctx: json.dumps(rd.order_body()).encode(),
                                               api=True), {400}),
        Row("Content-Length 0 with a body", hosted(lambda ctx: _head(
            "POST", "/refund/lookup", [("Content-Type", "application/x-www-form-urlencoded"),
                                       ("Content-Length", "0"), ("Connection", "close")],
            ctx.lookup()["session"]) + b"\r\n" + _lookup_body(ctx)), {400, 403, 415}),
        Row("Content-Length not a number", lambda ctx: page(
            "POST", "/refund/lookup", headers=[("Content-Length", "abc")], body=b""), {400}),
        Row("Content-Length negative", lambda ctx: page(
            "POST", "/refund/lookup", headers=[("Content-Length", "-5")], body=b""), {400}),
        Row("Content-Length 2^70", lambda ctx: page(
            "POST", "/refund/lookup", headers=[("Content-Length", str(2 ** 70))], body=b""), {400, 413}),
        Row("Content-Length with a plus", lambda ctx: page(
            "POST", "/refund/lookup", headers=[("Content-Length", "+3")], body=b"x=1"), {400}),
        Row("two different Content-Lengths", lambda ctx: page(
            "POST", "/refund/lookup", headers=[("Content-Length", "3"), ("Content-Length", "4")],
            body=b"x=1"), {400}),
        Row("Content-Length over the body limit", lambda ctx: Req(
            "RAW", "/refund/new", raw=_head("POST", "/refund/new", [
                ("Content-Type", NEW_CT), ("Content-Length", 27262977), ("Connection", "close")],
                ctx.shared_form()["session"]) + b"\r\n"), {413}),
        Row("POST without a length", lambda ctx: Req("RAW", "/refund/lookup", raw=_head(
            "POST", "/refund/lookup", [("Content-Type", "application/x-www-form-urlencoded"),
                                       ("Connection", "close")], ctx.lookup()["session"]) + b"\r\n"),
            {411, 400, 403, 415}),
        Row("chunked body", lambda ctx: Req("RAW", "/refund/lookup", raw=_head(
            "POST", "/refund/lookup", [("Content-Type", "application/x-www-form-urlencoded"),
                                       ("Transfer-Encoding", "chunked"), ("Connection", "close")],
            ctx.lookup()["session"]) + b"\r\n" + b"3\r\nx=1\r\n0\r\n\r\n"), {403, 411}),
        Row("chunked with a bad chunk size", lambda ctx: Req("RAW", "/refund/lookup", raw=_head(
            "POST", "/refund/lookup", [("Content-Type", "application/x-www-form-urlencoded"),
                                       ("Transfer-Encoding", "chunked"), ("Connection", "close")])
            + b"\r\nzz\r\nx=1\r\n0\r\n\r\n"), {400}),
        Row("chunked and a Content-Length", lambda ctx: Req("RAW", "/refund/lookup", raw=_head(
            "POST", "/refund/lookup", [("Content-Type", "application/x-www-form-urlencoded"),
                                       ("Transfer-Encoding", "chunked"), ("Content-Length", "3"),
                                       ("Connection", "close")])
            + b"\r\n3\r\nx=1\r\n0\r\n\r\n"), {400, 403, 411}),
        Row("unknown Transfer-Encoding", lambda ctx: Req("RAW", "/refund/lookup", raw=_head(
            "POST", "/refund/lookup", [("Transfer-Encoding", "gzip"), ("Connection", "close")])
            + b"\r\n"), {400, 501}),      # nginx's 501, the app never sees it
        Row("JSON to a page", lambda ctx: page(
            "POST", "/refund/lookup", ctx.lookup()["session"], [("Content-Type", "application/json")],
            b'{"csrf":"x"}'), {415}),
        Row("no Content-Type on a page POST", lambda ctx: page(
            "POST", f"/refund/{ctx.shared_refund()['rid']}/cancel", ctx.shared_refund()["session"],
            body=urlenc([("csrf", ctx.shared_refund()["csrf"])])), {415}),
    ]
    return rows


def test_hostile_framing():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(framing_rows())


# ---------------------------------------------------------------- table 3: multipart

def _mp_req(ctx, body, ctype, path="/refund/new", which="form"):
    s = ctx.shared_form()["session"] if which == "form" else ctx.lookup()["session"]
    return page("POST", path, s, [("Content-Type", ctype)], body)


def _new_fields(f, **over):
    fields = [("csrf", f["csrf"]), ("idem", fresh_idem()), ("order", f["no"]), ("type", "invalid_item"),
              ("reason", rd.GOOD_REASON), ("destination", "original")]
    return [(k, over.get(k, v)) for k, v in fields]


def multipart_rows():
    def built(make_body, ctype=None, path="/refund/new", which="form", fresh=False):
        def build(ctx):
            f = ctx.form() if fresh else ctx.shared_form()
            body, bnd = make_body(ctx, f)
            ct = ctype(bnd) if callable(ctype) else ctype or f"multipart/form-data; boundary={bnd}"
            if fresh:
                return page("POST", path, f["session"], [("Content-Type", ct)], body)
            return _mp_req(ctx, body, ct, path, which)
        return build

    def parts_1000(ctx, f):
        return multipart(_new_fields(f) + [(f"p{i}", "x") for i in range(1000)], [png_file("mp1000")])

    def files_1000(ctx, f):
        one = rd.png("tiny")
        return multipart(_new_fields(f), [("evidence", f"f{i}.png", "image/png", one) for i in range(1000)])

    def with_boundary(n):
        return lambda ctx, f: multipart(_new_fields(f), [png_file("b%d" % n)], boundary="b" * n)

    def mismatch(ctx, f):
        body, _ = multipart(_new_fields(f), [png_file("mm")])
        return body, "someotherboundary"

    def no_close(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("nc")])
        return body[: body.rindex(b"--" + b.encode())], b

    def bare_lf(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("lf")])
        return body.replace(b'name="reason"\r\n\r\n', b'name="reason"\n\r\n', 1), b

    def bare_lf_after_delimiter(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("lfd")])
        return body.replace(b'\r\nContent-Disposition: form-data; name="reason"\r\n',
                            b'\nContent-Disposition: form-data; name="reason"\n', 1), b

    def bare_cr(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("cr")])
        return body.replace(b'name="reason"\r\n\r\n', b'name="reason"\rX-Injected: 1\r\n\r\n', 1), b

    def no_disposition(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("nd")])
        return body.replace(b'Content-Disposition: form-data; name="reason"', b"X-Other: 1", 1), b

    def long_name(ctx, f):
        return multipart(_new_fields(f) + [("n" * 200, "x")], [png_file("ln")])

    def nine_headers(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("nh")])
        extra = b"".join(b"X-H%d: v\r\n" % i for i in range(9))
        return body.replace(b'name="reason"\r\n', b'name="reason"\r\n' + extra, 1), b

    def long_header(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("lh")])
        return body.replace(b'name="reason"\r\n', b'name="reason"\r\nX-Long: ' + b"v" * 10000 + b"\r\n", 1), b

    def long_text(ctx, f):
        return multipart(_new_fields(f, reason="长" * 3000), [png_file("lt")])

    def file_in_lookup(ctx, f):
        lk = ctx.lookup()
        return multipart([("csrf", lk["csrf"]), ("order_no", "x"), ("contact", "x"), ("lookup_code", "x")],
                         [png_file("fl")])

    def nul_in_name(ctx, f):
        body, b = multipart(_new_fields(f), [png_file("nn")])
        return body.replace(b'name="reason"', b'name="reason\\\x00x"', 1), b

    def escaped_name(ctx, f):
        # name="rea\son": a quoted-string escape; the field is "reason" only
        # when decoded, which is what a strict reader does.
        body, b = multipart(_new_fields(f), [png_file("en")])
        return body.replace(b'name="reason"', b'name="rea\\son"', 1), b

    def empty_body(ctx, f):
        return b"", "bbbbbbbbbb"

    def only_preamble(ctx, f):
        return b"hello\r\n" * 100, "bbbbbbbbbb"

    rows = [
        Row("1000 tiny parts", built(parts_1000), {400, 413, 422}),
        Row("1000 tiny file parts", built(files_1000), {400, 413, 415, 422}),
        Row("boundary of 200 bytes", built(with_boundary(200)), {400}),
        Row("boundary of 71 bytes", built(with_boundary(71)), {400}),
        Row("missing boundary", built(with_boundary(20), ctype="multipart/form-data"), {400}),
        Row("empty boundary", built(with_boundary(20), ctype='multipart/form-data; boundary=""'), {400}),
        Row("two boundaries", built(with_boundary(20), ctype=lambda b: f"multipart/form-data; boundary={b}; boundary=x"),
            {400}),
        Row("boundary mismatch", built(mismatch), {400}),
        Row("no close delimiter", built(no_close), {400}),
        Row("bare LF in part headers", built(bare_lf), {400}),
        Row("bare CR in part headers", built(bare_cr), {400}),
        # "--boundary" then LF is not a delimiter line: the part it would
        # open is data of the one before, so the reason goes missing.
        Row("bare LF after a delimiter", built(bare_lf_after_delimiter), {400, 422}),
        Row("part without Content-Disposition", built(no_disposition), {400, 422}),
        Row("part name of 200 bytes", built(long_name), {400, 413}),
        Row("nine part headers", built(nine_headers), {400, 413}),
        Row("part header line of 10 KB", built(long_header), {400, 413}),
        Row("text value of 9 KB", built(long_text), {413, 422}),
        Row("a file part in the look-up", built(file_in_lookup, path="/refund/lookup", which="lookup"), {400}),
        Row("escaped NUL in a part name", built(nul_in_name), {400}),
        # name="rea\\son" is "reason" once the quoted-string is decoded
        # (RFC 7230 quoted-pair): accepting it is right, refusing it too.
        Row("quoted-string escape in a part name", built(escaped_name, fresh=True), {303, 400, 422},
            writes=accepted_new_refund("reason", rd.GOOD_REASON.encode())),
        Row("multipart with an empty body", built(empty_body), {400}),
        Row("multipart with only a preamble", built(only_preamble), {400}),
        Row("multipart/mixed instead of form-data", built(
            with_boundary(20), ctype=lambda b: f"multipart/mixed; boundary={b}"), {415}),
    ]

    # A 70-byte boundary is the longest RFC 2046 allows: a valid request,
    # accepted; the refund holds the reason sent.
    def seventy(ctx):
        f = ctx.form()
        body, b = multipart(_new_fields(f), [png_file("b70" + f["no"])], boundary="b" * 70)
        return page("POST", "/refund/new", f["session"], [("Content-Type", f"multipart/form-data; boundary={b}")], body)
    rows.append(Row("boundary of 70 bytes (valid, accepted)", seventy, {303},
                    writes=accepted_new_refund("reason", rd.GOOD_REASON.encode())))
    return rows


def test_hostile_multipart():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(multipart_rows())


# ---------------------------------------------------------------- table 4: form fields

def new_field_rows():
    rows = []
    base = {"csrf": None, "idem": None, "order": None, "type": b"invalid_item",
            "reason": rd.GOOD_REASON.encode(), "destination": b"original", "wrong_account": b"12345678"}
    for enc in ("multipart", "urlencoded"):
        for field in ("csrf", "idem", "order", "type", "reason", "destination", "wrong_account"):
            for pname, p in PAYLOADS.items():
                topup = field == "wrong_account"
                accept = enc == "multipart" and (
                    (field == "reason" and pname in TEXT_OK) or (field == "wrong_account" and pname == "sql"))

                # A row that may go through (or wrongly does: a NUL right
                # after a valid value) gets an order of its own.
                fresh = accept or pname == "nul-first"

                def build(ctx, enc=enc, field=field, p=p, topup=topup, fresh=fresh):
                    f = ctx.form(topup) if fresh else ctx.shared_form(topup)
                    vals = dict(base, csrf=f["csrf"].encode(), idem=fresh_idem().encode(),
                                order=f["no"].encode())
                    if topup:
                        vals["type"] = b"wrong_account"
                        vals["reason"] = "充值到了错误的账号，请退回到正确账号。".encode()
                    vals[field] = vals[field] + p
                    fields = list(vals.items())
                    files = [png_file(f"{field}{p!r}{f['no']}")] if enc == "multipart" else []
                    return form_post("/refund/new", f["session"], fields, files, enc)

                err, no_err, writes = None, (), None
                if field == "csrf":
                    allowed = {403}
                elif field == "order":
                    allowed = {403, 404, 422}
                elif field == "idem":
                    allowed = {422}
                elif field in ("reason", "wrong_account") and (
                        pname in TEXT_OK if field == "reason" else pname == "sql"):
                    if enc == "multipart":
                        allowed = {303}
                        writes = "accept"
                    else:
                        allowed, err, no_err = {422}, "evidence", (field,)
                else:
                    allowed, err = {422}, field
                sent = None
                if writes == "accept":
                    sent_base = base[field] if field == "reason" else base["wrong_account"]
                    sent = sent_base + p
                    writes = accepted_new_refund(field, sent)
                rows.append(Row(f"/refund/new {enc} {field}+{pname}", build, allowed, writes=writes,
                                err=err, no_err=no_err))
    # The file name is the one value of the form that could reach a header
    # (Content-Disposition of the download): raw in the part header.
    names = {
        "nul": (b"a\x00b.png", {400}),
        "overlong": (b"\xc0\xaf.png", {303, 400, 422}),
        "surrogate": (b"\xed\xa0\x80.png", {303, 400, 422}),
        "crlf": (b"a\r\nX-Injected: 1\r\n.png", {400}),
        "crlf-encoded": (b"a%0D%0AX-Injected: 1.png", {303}),
        "sql": (b"' \\\" ; -- /* */ \\\\ % OR '1'='1.png", {303}),
    }
    for pname, (fn, allowed) in names.items():
        def build(ctx, fn=fn, allowed=allowed):
            f = ctx.form() if 303 in allowed else ctx.shared_form()
            fields = _new_fields(f)
            return form_post("/refund/new", f["session"], fields,
                             [("evidence", fn, "image/png", rd.png("fn" + f["no"]))])
        stored = fn.replace(b'\\"', b'"').replace(b"\\\\", b"\\")
        rows.append(Row(f"/refund/new file name+{pname}", build, allowed,
                        writes=accepted_file_name(stored) if 303 in allowed else None))
    return rows


def test_hostile_new_request_fields():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(new_field_rows())


def lookup_rows():
    rows = []
    for enc in ("urlencoded", "multipart"):
        for field in ("csrf", "order_no", "contact", "lookup_code"):
            for pname, p in PAYLOADS.items():
                def build(ctx, enc=enc, field=field, p=p):
                    lk = ctx.lookup()
                    o = lk["o"]
                    vals = {"csrf": lk["csrf"].encode(), "order_no": o["order_no"].encode(),
                            "contact": o["contact"].encode(), "lookup_code": o["lookup_code"].encode()}
                    vals[field] += p
                    return form_post("/refund/lookup", lk["session"], list(vals.items()), (), enc)
                rows.append(Row(f"/refund/lookup {enc} {field}+{pname}", build,
                                {403} if field == "csrf" else {422},
                                writes=None if field == "csrf" else LOOKUP_BOOKKEEPING,
                                err=None if field == "csrf" else "lookup"))
    return rows


def test_hostile_lookup_fields():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(lookup_rows())


def action_rows():
    """cancel, evidence and appeal (csrf, note, file names) and confirm (csrf)."""
    rows = []
    for enc in ("urlencoded", "multipart"):
        for action in ("cancel", "evidence", "appeal"):
            for field in ("csrf", "note"):
                for pname, p in PAYLOADS.items():
                    text_ok = field == "note" and pname in TEXT_OK
                    # A cancel that goes through ends the request: each such
                    # row gets its own. Others share one (nothing may change).
                    fresh = action != "appeal" and (field == "note" or pname == "nul-first")

                    def build(ctx, enc=enc, action=action, field=field, p=p, fresh=fresh):
                        f = ctx.refund() if fresh else ctx.shared_refund()
                        vals = {"csrf": f["csrf"].encode(), "note": "补充说明：卡密截图见附件".encode()}
                        vals[field] += p
                        vals["confirm"] = b"1"     # past the confirm step (i10-buyer)
                        return form_post(f"/refund/{f['rid']}/{action}", f["session"], list(vals.items()),
                                         (), enc)
                    if field == "csrf":
                        allowed, writes = {403}, None
                    elif not text_ok:
                        allowed, writes = {422}, None
                    elif action == "appeal":
                        allowed, writes = {409}, None      # in review: no appeal yet
                    else:
                        allowed = {303}
                        writes = accepted_event_note("补充说明：卡密截图见附件".encode() + p, action == "cancel")
                    rows.append(Row(f"{action} {enc} {field}+{pname}", build, allowed, writes=writes))
        for pname, p in PAYLOADS.items():
            def build(ctx, enc=enc, p=p, fresh=pname == "nul-first"):
                f = ctx.form() if fresh else ctx.shared_form()
                return form_post(f"/order/{f['no']}/confirm", f["session"], [("csrf", f["csrf"].encode() + p)],
                                 (), enc)
            rows.append(Row(f"confirm {enc} csrf+{pname}", build, {403}))
    names = {
        "nul": (b"a\x00b.png", {400}),
        "overlong": (b"\xc0\xaf.png", {303, 400, 422}),
        "surrogate": (b"\xed\xa0\x80.png", {303, 400, 422}),
        "crlf": (b"a\r\nX-Injected: 1\r\n.png", {400}),
        "crlf-encoded": (b"a%0D%0AX-Injected: 1.png", {303}),
        "sql": (b"' \\\" ; -- /* */ \\\\ % OR '1'='1.png", {303}),
    }
    for pname, (fn, allowed) in names.items():
        def build(ctx, fn=fn):
            f = ctx.refund()
            return form_post(f"/refund/{f['rid']}/evidence", f["session"], [("csrf", f["csrf"])],
                             [("evidence", fn, "image/png", rd.png("ev" + f["no"]))])
        stored = fn.replace(b'\\"', b'"').replace(b"\\\\", b"\\")
        rows.append(Row(f"evidence file name+{pname}", build, allowed,
                        writes=accepted_file_name(stored) if 303 in allowed else None))
    return rows


def test_hostile_buyer_action_fields():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(action_rows())


# ---------------------------------------------------------------- table 5: API bodies

# (how the payload goes into the JSON text, payload kind)
API_VARIANTS = {
    "nul-escaped": ("esc", "\x00"),
    "nul-raw": ("raw", b"\x00"),
    "overlong-raw": ("raw", b"\xc0\xaf"),
    "surrogate-escaped": ("esc", "\ud800"),
    "surrogate-raw": ("raw", b"\xed\xa0\x80"),
    "crlf-escaped": ("esc", "\r\nX-Injected: 1"),
    "crlf-raw": ("raw", b"\r\nX-Injected: 1"),
    "sql": ("esc", "' \" ; -- /* */ \\ % OR '1'='1"),
}
MARK = "@@HOSTILE@@"


def json_with(obj, field, how, p):
    """The JSON text of obj with p appended to the string at field: escaped
    by json.dumps, or raw bytes dropped into the text."""
    o = dict(obj)
    if how == "esc":
        o[field] = str(o[field]) + p
        return json.dumps(o, ensure_ascii=True).encode()
    o[field] = str(o[field]) + MARK
    return json.dumps(o, ensure_ascii=False).encode().replace(MARK.encode(), p)


def sent_bytes(obj, field, how, p):
    return (str(obj[field]) + p).encode("utf-8", "surrogatepass") if how == "esc" else \
        str(obj[field]).encode() + p


def api_rows():
    rows = []
    free_text = ("title", "contact", "lookup_code")
    for field in ("order_no", "buyer_id", "merchant_id", "category", "title", "currency",
                  "pay_channel", "contact", "lookup_code"):
        for vname, (how, p) in API_VARIANTS.items():
            def build(ctx, field=field, how=how, p=p):
                return api_req("POST", "/api/v1/orders", json_with(rd.order_body(), field, how, p))
            if field in free_text and vname == "sql":
                allowed = set(rd.REGISTERED)
                writes = "accept"
            else:
                allowed, writes = {400, 422}, None
            if writes == "accept":
                # The stored value: the body's field, known only once built;
                # verify() reads it back from the request.
                def verify(ctx, req, before, ex, field=field, p=p):
                    sent = (json.loads(req.body)[field]).encode()
                    accepted_order(field, sent)(ctx, req, before, ex)
                writes = verify
            rows.append(Row(f"POST /api/v1/orders {field}+{vname}", build, allowed, writes=writes))
    for path_kind, fields, obj in (
            ("delivery", ("state", "kind"), lambda: {"state": "delivered", "kind": "card_key", "at": rd.now()}),
            ("usage", ("topup",), lambda: {"topup": "succeeded"}),
            ("payout", ("state",), lambda: {"state": "succeeded"})):
        for field in fields:
            for vname, (how, p) in API_VARIANTS.items():
                def build(ctx, path_kind=path_kind, field=field, how=how, p=p, obj=obj):
                    path = f"/api/v1/refunds/{ctx.shared_refund()['rid']}/payout" if path_kind == "payout" \
                        else f"/api/v1/orders/{ctx.api_order()['order_no']}/{path_kind}"
                    return api_req("POST", path, json_with(obj(), field, how, p))
                rows.append(Row(f"POST {path_kind} {field}+{vname}", build,
                                {400, 409, 422} if path_kind == "payout" else {400, 422}))

    def order_json(**over):
        return lambda ctx: api_req("POST", "/api/v1/orders", over["raw"] if "raw" in over else
                                   json.dumps(rd.order_body(**over)).encode())
    deep = b"[" * 10000 + b"]" * 10000
    rows += [
        Row("API: 10000 nested arrays", lambda ctx: api_req("POST", "/api/v1/orders", deep), {400, 413}),
        Row("API: nested objects in a field", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body(title={"a": {"b": [1, 2]}})).encode()), {422}),
        Row("API: body of 1 MiB", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body(title="x" * (1 << 20))).encode()), {413}),
        Row("API: amount as a float", order_json(amount=19.99), {422}),
        Row("API: amount as a string", order_json(amount="1999"), {422}),
        Row("API: amount 2^70", order_json(amount=2 ** 70), {400, 422}),
        Row("API: amount negative", order_json(amount=-1), {422}),
        Row("API: amount 1e400", lambda ctx: api_req("POST", "/api/v1/orders", json.dumps(
            rd.order_body(amount=1)).encode().replace(b'"amount": 1,', b'"amount": 1e400,')), {400, 422}),
        Row("API: paid_at in the far future", order_json(paid_at=2 ** 40), {422}),
        Row("API: a JSON array", order_json(raw=b"[1,2,3]"), {400}),
        Row("API: JSON null", order_json(raw=b"null"), {400}),
        Row("API: empty body", order_json(raw=b""), {400}),
        Row("API: two objects", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body()).encode() * 2), {400}),
        Row("API: trailing garbage", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body()).encode() + b"\x00garbage"), {400}),
        Row("API: byte order mark", lambda ctx: api_req(
            "POST", "/api/v1/orders", b"\xef\xbb\xbf" + json.dumps(rd.order_body()).encode()), {400}),
        Row("API: single quotes", order_json(raw=b"{'order_no': 'x'}"), {400}),
        Row("API: comments", order_json(raw=b'{/* x */"order_no": "x"}'), {400}),
        Row("API: overlong key", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body()).encode().replace(b'"title"', b'"tit\xc0\xafle"')),
            {400}),
        Row("API: NUL in a key", lambda ctx: api_req(
            "POST", "/api/v1/orders", json.dumps(rd.order_body()).encode().replace(b'"title"', b'"title\\u0000x"')),
            {400, 422}),
        Row("API: timestamp with raw bytes", lambda ctx: api_req(
            "POST", "/api/v1/orders", b"{}", ts=b"\xc0\xaf' OR 1=1"), {401}),
        Row("API: timestamp 1e9", lambda ctx: api_req("POST", "/api/v1/orders", b"{}", ts="1e9"), {401}),
        Row("API: timestamp with leading zeros", lambda ctx: api_req(
            "POST", "/api/v1/orders", b"{}", ts="000" + str(rd.now())), {401, 422}),
        Row("API: signature of 10 KB", lambda ctx: api_req(
            "POST", "/api/v1/orders", b"{}", sig="a" * 10000), {400, 401, 494}),
        Row("API: signature with SQL", lambda ctx: api_req(
            "POST", "/api/v1/orders", b"{}", sig="' OR '1'='1"), {401}),
        Row("API: unsigned", lambda ctx: Req("POST", "/api/v1/orders", [("Content-Type", "application/json")],
                                             json.dumps(rd.order_body()).encode()), {401}),
    ]
    return rows


def test_hostile_api_bodies():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(api_rows())


# ---------------------------------------------------------------- table 6: query strings and paths

_link = rd.start_link_raw


def query_rows():
    rows = []
    for field in ("order", "buyer", "ts", "sig"):
        for pname, p in PAYLOADS.items():
            def build(ctx, field=field, p=p):
                o = ctx.api_order()
                v = {"order": o["order_no"].encode(), "buyer": o["buyer_id"].encode(),
                     "ts": str(rd.now()).encode()}
                sig = None
                if field != "sig":
                    v[field] += p
                else:
                    sig = hmac.new(rd.env("RD_API_SECRET").encode(),
                                   b"order=" + v["order"] + b"&buyer=" + v["buyer"] + b"&ts=" + v["ts"],
                                   hashlib.sha256).hexdigest().encode() + p
                return page("GET", _link(v["order"], v["buyer"], v["ts"], sig))
            rows.append(Row(f"/refund/start {field}+{pname}", build, {403}))
    for pname, p in PAYLOADS.items():
        def build(ctx, p=p):
            f = ctx.shared_form()
            return page("GET", "/refund/new?order=" + urllib.parse.quote_from_bytes(f["no"].encode() + p, safe=""),
                        f["session"])
        rows.append(Row(f"/refund/new?order=+{pname}", build, {403, 404}))
    # Raw bytes (not percent-encoded) in the query of the request line.
    for pname, p in (("overlong", b"\xc0\xaf"), ("surrogate", b"\xed\xa0\x80"), ("sql", b"'\";--/**/\\%25")):
        def build(ctx, p=p):
            o = ctx.api_order()
            return page("GET", _link(o["order_no"].encode(), o["buyer_id"].encode(),
                                     str(rd.now()).encode()).encode().replace(b"&buyer=", p + b"&buyer=", 1))
        rows.append(Row(f"/refund/start raw {pname} in the query", build, {400, 403}))
    rows += [
        Row("/refund/start order of 33 characters, signed", lambda ctx: page(
            "GET", _link(b"A" * 33, ctx.api_order()["buyer_id"].encode(), str(rd.now()).encode())), {403}),
        # A parameter given twice is refused (README: duplicate parameters),
        # even when the first copy is the signed one: no session, no spent link.
        Row("/refund/start repeated parameters", lambda ctx: page(
            "GET", _link(ctx.api_order()["order_no"].encode(), ctx.api_order()["buyer_id"].encode(),
                         str(rd.now()).encode()) + "&order=X%0d%0aX-Injected:1&sig=00"), {403}),
        Row("/refund/start a signed parameter repeated with its own value", lambda ctx: page(
            "GET", _link(ctx.api_order()["order_no"].encode(), ctx.api_order()["buyer_id"].encode(),
                         str(rd.now()).encode()) + "&buyer=" + ctx.api_order()["buyer_id"]), {403}),
        Row("/refund/new?order= twice", lambda ctx: page(
            "GET", f"/refund/new?order={ctx.shared_form()['no']}&order={ctx.shared_form()['no']}",
            ctx.shared_form()["session"]), {404}),
        Row("/refund/start with 33 parameters", lambda ctx: page(
            "GET", _link(ctx.api_order()["order_no"].encode(), ctx.api_order()["buyer_id"].encode(),
                         str(rd.now()).encode()) + "".join(f"&x{i}=1" for i in range(33))), {303, 403},
            writes=lambda ctx, req, before, ex: _hand_off_ok(ctx, req, before, ex)),
        Row("/refund/start value of 2 KB", lambda ctx: page(
            "GET", _link(b"A" * 2000, b"b", str(rd.now()).encode())), {403}),
        Row("/refund/start broken escapes", lambda ctx: page(
            "GET", "/refund/start?order=%zz%0&buyer=%&ts=%%&sig=%G0"), {403}),
    ]
    return rows


def _hand_off_ok(ctx, req, before, ex):
    """A signed hand-off that carried extra parameters: when accepted, the
    session and the spent link are its only writes and the redirect goes to
    the signed order, not to a later copy of the parameter."""
    r = ex.responses[0]
    if r.status != 303:
        expect_nothing_written(before, "refused")
        return
    expect_writes(before, exact={"sessions": 1, "used_links": 1})
    check(r.location() == "/refund/new?order=" + ctx.api_order()["order_no"],
          f"Location {r.location()!r}")
    check(r.sets_session(), "no session cookie")


def path_rows():
    rows = []
    for pname, p in PAYLOADS.items():
        if pname.startswith("nul"):
            continue                    # %00 in a path is nginx's 400: a framing row
        enc = urllib.parse.quote_from_bytes(p, safe="")
        for tmpl, method, allowed in (
                ("/refund/{}", "GET", {404}),
                ("/refund/{}/cancel", "POST", {404}),
                ("/refund/R/evidence/{}", "GET", {404}),
                ("/order/{}/confirm", "POST", {404}),
                ("/api/v1/orders/{}", "GET", {404}),
                ("/api/v1/orders/{}/delivery", "POST", {404}),
                ("/api/v1/refunds/{}", "GET", {404}),
                ("/api/v1/refunds/{}/payout", "POST", {404})):
            def build(ctx, tmpl=tmpl, method=method, enc=enc):
                f = ctx.shared_refund()
                base = f["no"] if "order" in tmpl else f["rid"]
                path = tmpl.replace("R", f["rid"]).format(("1" if "evidence" in tmpl else base) + enc)
                if path.startswith(API_PREFIX):
                    body = b'{"state":"delivered","kind":"card_key","at":1}' if method == "POST" else b""
                    return api_req(method, path, body)    # refused by the router before the signature
                h = [("Content-Type", "application/x-www-form-urlencoded")] if method == "POST" else []
                return page(method, path, f["session"], h,
                            urlenc([("csrf", f["csrf"])]) if method == "POST" else b"")
            rows.append(Row(f"{method} {tmpl.replace('{}', '<' + pname + '>')}", build, allowed))
    for seq in ("0", "-1", "99999999999999999999", "1e3", "0x1", "+1", "01"):
        def build(ctx, seq=seq):
            f = ctx.shared_refund()
            return page("GET", f"/refund/{f['rid']}/evidence/{seq}", f["session"])
        rows.append(Row(f"evidence number {seq}", build, {404} if seq != "01" else {200, 404}, ctype="image/png"))
    rows += [
        Row("id of 65 characters", lambda ctx: page("GET", "/refund/" + "A" * 65, ctx.shared_refund()["session"]),
            {404}),
        Row("someone else's refund id", lambda ctx: page(
            "GET", f"/refund/{ctx.shared_refund()['rid']}", ctx.shared_form()["session"]), {403, 404}),
        Row("someone else's evidence", lambda ctx: page(
            "GET", f"/refund/{ctx.shared_refund()['rid']}/evidence/1", ctx.shared_form()["session"]), {403, 404}),
        Row("trailing slash", lambda ctx: page("GET", f"/refund/{ctx.shared_refund()['rid']}/",
                                               ctx.shared_refund()["session"]), {404}),
        Row("API path with a trailing slash", lambda ctx: api_req("GET", "/api/v1/orders/"), {404}),
        Row("unknown API path", lambda ctx: api_req("GET", "/api/v1/../v1/orders/x%00"), {400, 404}),
        Row("API signed for another path", lambda ctx: Req(
            "GET", f"/api/v1/orders/{ctx.api_order()['order_no']}",
            api_req("GET", "/api/v1/orders/x").headers), {401}),
    ]
    return rows


def test_hostile_query_strings():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(query_rows())


def test_hostile_paths():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    run_table(path_rows())


# ---------------------------------------------------------------- after all the tables

def _new_log(name):
    p = os.path.join(rd.env("RD_DIR"), name)
    if not os.path.exists(p):
        return []
    with open(p, "rb") as f:
        f.seek(_MARK.get(name, 0))
        return f.read().decode("utf-8", "replace").splitlines()


def test_hostile_survived():
    rd.skip_unless_front("nginx", reason=NGINX_ONLY)
    _begin()
    r = rd.expect_status(rd.Client().get("/healthz"), 200)
    check(r.text.startswith("ok\n"), f"/healthz: {r!r}")
    dead = dead_workers()
    check(not dead, f"worker(s) {dead} of {workers()} died")
    check(len(workers()) == int(rd.env("RD_WORKERS")),
          f"{len(workers())} pids in app.pid, RD_WORKERS={rd.env('RD_WORKERS')}")
    # Each worker still answers: more requests than workers, all served.
    for _ in range(2 * int(rd.env("RD_WORKERS"))):
        rd.expect_status(rd.Client().get("/healthz"), 200)
    bad = [ln for ln in _new_log("app.log")
           if "refused header" in ln or re.search(r"\bstatus=5\d\d\b", ln) or "request failed" in ln]
    check(not bad, f"app.log since the first row: {len(bad)} bad lines: " + " | ".join(bad[:20]))
    crash = [ln for ln in _new_log("nginx-error.log")
             if re.search(r"upstream prematurely closed|connect\(\) to unix|recv\(\) failed|"
                          r"upstream sent invalid|upstream sent too big", ln)]
    check(not crash, "nginx-error.log: the app failed under a request: " + " | ".join(crash[:20]))
