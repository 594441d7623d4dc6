"""rd.py: the harness of the HTTP integration tests (Python 3 standard library only).

The tests talk to a running stack (scripts/stack up) through nginx, as a browser
and a storefront would, and look into its MariaDB with the mariadb client. The
stack is described by the RD_* variables that `scripts/stack up` prints.

What is here:
  Client          HTTP with a cookie jar; never follows redirects
  api()           a storefront API call signed per CONTRACT.md §5
  start_link()    a hand-off link signed per CONTRACT.md §3 (signed here, not by the binary)
  multipart()     multipart/form-data bodies with any file name, type and bytes
  Doc             a small HTML tree for finding inputs, ids and attributes
  db*()           SQL through `mariadb --no-defaults -S SOCK -uroot refund_desk`
                  (table names get RD_TABLE_PREFIX, as the app's own statements do)
  mount(), route()  the desk's mount (RD_URL's path): requests take route paths
                  ("/refund/new") and get the mount put in front; Location and
                  links come back below it through route()
  front(), skip_unless_front()  which server stands in front (RD_FRONT)
  snapshot()      row counts of every table plus evidence files; assert_unchanged()
  seeding helpers register orders, report delivery and usage, open sessions and forms
"""

import hashlib
import hmac
import http.client
import itertools
import json
import os
import re
import secrets
import struct
import subprocess
import time
import urllib.parse
import zlib
from html.parser import HTMLParser

DB_NAME = "refund_desk"
REFUND_TYPES = ("not_delivered", "topup_failed", "invalid_item", "not_as_described",
                "duplicate_charge", "wrong_account", "changed_mind")
COOKIE = "rd"          # the session cookie on plain http (__Host-rd on https)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SetupError(Exception):
    """The environment does not describe a stack."""


class Skip(Exception):
    """This test does not apply to the stack in front (run.py reports it)."""


def front():
    """nginx (default), apache (mod_fcgid) or cgi: which server the stack puts in front."""
    return os.environ.get("RD_FRONT") or "nginx"


def skip_unless_front(*fronts, reason):
    if front() not in fronts:
        raise Skip(f"{front()}: {reason}")


def app_log():
    """The file the app's stderr goes to: app.log behind nginx, Apache's
    error log under mod_fcgid and CGI."""
    name = "app.log" if front() == "nginx" else "apache-error.log"
    return os.path.join(env("RD_DIR"), name)


def mount():
    """The path RD_URL is mounted under: "" at the site root, else "/refund-desk"."""
    return urllib.parse.urlsplit(env("RD_URL")).path.rstrip("/")


def route(path):
    """A path as the desk writes it (mount in front) -> the route path below the mount."""
    m = mount()
    if m and path is not None and (path == m or path.startswith(m + "/")):
        return path[len(m):] or "/"
    return path


def env(name):
    v = os.environ.get(name, "")
    if not v:
        raise SetupError(f"{name} is not set: run under scripts/test or export the "
                         f"lines `scripts/stack up DIR` prints")
    return v


def pool_urls():
    """Where the app's pools answer one by one: RD_POOL_URLS (a Galera stack:
    pool A on node 1, pool B on node 2), else the one RD_URL."""
    urls = [u for u in os.environ.get("RD_POOL_URLS", "").split(",") if u]
    return urls or [env("RD_URL")]


def check_env():
    for n in ("RD_URL", "RD_API_SECRET", "RD_MYSQL_SOCKET", "RD_EVIDENCE_DIR"):
        env(n)


def now():
    return int(time.time())


_seq = itertools.count(1)


def unique(prefix="T"):
    """An identifier no other test (or earlier run) uses: [A-Za-z0-9_-], at most 32."""
    ms = int(time.time() * 1000)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    b36 = ""
    while ms:
        ms, r = divmod(ms, 36)
        b36 = digits[r] + b36
    return f"{prefix}{b36}{os.getpid() % 1000:03d}{next(_seq)}"[:32]


# ---------------------------------------------------------------- assertions

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def expect_status(resp, *codes):
    check(resp.status in codes,
          f"expected HTTP {'/'.join(map(str, codes))}, got {resp!r}")
    return resp


# ---------------------------------------------------------------- HTTP

def parse_set_cookie(line):
    """'n=v; Path=/; HttpOnly' -> (name, value, {"path": "/", "httponly": True})."""
    parts = [p.strip() for p in line.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        if not p:
            continue
        k, eq, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name.strip(), value.strip(), attrs


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers          # [(name, value), ...] as received
        self.body = body
        self._doc = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise AssertionError(f"not JSON ({e}): {self!r}") from None

    @property
    def doc(self):
        if self._doc is None:
            self._doc = Doc(self.text)
        return self._doc

    def cookies(self):
        """Set-Cookie headers of this response: {name: (value, attrs)}."""
        out = {}
        for line in self.headers_all("Set-Cookie"):
            n, v, a = parse_set_cookie(line)
            out[n] = (v, a)
        return out

    def sets_session(self):
        c = self.cookies()
        return any(n in (COOKIE, "__Host-" + COOKIE) and v for n, (v, a) in c.items())

    def location(self):
        """The Location header as a local path (an absolute URL to us is shortened)."""
        loc = self.header("Location")
        if loc is None:
            return None
        u = urllib.parse.urlsplit(loc)
        if u.scheme or u.netloc:
            base = urllib.parse.urlsplit(env("RD_URL"))
            check((u.scheme, u.netloc) == (base.scheme, base.netloc),
                  f"Location points elsewhere: {loc}")
            return route(urllib.parse.urlunsplit(("", "", u.path, u.query, "")))
        return route(loc)

    def __repr__(self):
        ctype = self.header("Content-Type") or "-"
        txt = self.text
        if "html" in ctype:
            m = re.search(r"<title>(.*?)</title>", txt, re.S | re.I)
            body = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(head|style|script)\b.*?</\1>", " ", txt))
            snippet = (m.group(1).strip() + ": " if m else "") + " ".join(body.split())
        else:
            snippet = " ".join(txt.split())
        loc = self.header("Location")
        return (f"<HTTP {self.status} {ctype}{' -> ' + loc if loc else ''} "
                f"{len(self.body)} bytes: {snippet[:300]!r}>")


def elsewhere():
    """A fresh loopback address (127.0.0.0/8 is all local on Linux) to connect
    from: nginx and the app see a new client, with a full rate-limit and
    failed-lookup budget, however often the tests run against one stack."""
    r = secrets.randbelow
    return f"127.{1 + r(254)}.{r(256)}.{1 + r(254)}"


def config():
    """The stack's config.json (limits the tests must respect)."""
    with open(env("RD_CONFIG"), encoding="utf-8") as f:
        return json.load(f)


class Client:
    """One browser or storefront: a cookie jar, no redirects followed."""

    def __init__(self, url=None, source=None):
        """source: a local address to connect from ("127.0.0.2"): nginx then
        sees another client, with its own rate-limit budget."""
        u = urllib.parse.urlsplit(url or env("RD_URL"))
        self.host = u.hostname
        self.port = u.port or 80
        self.mount = u.path.rstrip("/")
        self.source = (source, 0) if source else None
        self.jar = {}

    def connection(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60,
                                          source_address=self.source)

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = dict(headers or {})
        if cookies and self.jar:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        # Route paths get the mount; a link taken from a page has it already.
        if self.mount and path.startswith("/") and not (
                path == self.mount or path.startswith(self.mount + "/")):
            path = self.mount + path
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            resp = Response(r.status, r.reason, r.getheaders(), r.read())
        finally:
            conn.close()
        for name, (value, attrs) in resp.cookies().items():
            gone = not value or str(attrs.get("max-age", "1")).lstrip("-").isdigit() and \
                int(attrs.get("max-age", "1")) <= 0
            if gone:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path, fields, **kw):
        body = urllib.parse.urlencode(_pairs(fields)).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(kw.pop("headers", {}) or {})
        return self.request("POST", path, body=body, headers=h, **kw)

    def post_multipart(self, path, fields, files=(), **kw):
        body, ctype = multipart(fields, files)
        h = {"Content-Type": ctype}
        h.update(kw.pop("headers", {}) or {})
        return self.request("POST", path, body=body, headers=h, **kw)


def _pairs(fields):
    return list(fields.items()) if isinstance(fields, dict) else list(fields)


class File:
    """One file part: field name, file name (str or raw bytes), declared type, content."""

    def __init__(self, data, filename="evidence.png", content_type="image/png", name="evidence"):
        self.data = data
        self.filename = filename
        self.content_type = content_type
        self.name = name


def multipart(fields, files=()):
    """(body, content-type header) of a multipart/form-data request."""
    boundary = "----rdtest" + secrets.token_hex(12)
    out = []
    for k, v in _pairs(fields):
        v = v if isinstance(v, bytes) else str(v).encode()
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
                   + v + b"\r\n")
    for f in files:
        fn = f.filename if isinstance(f.filename, bytes) else f.filename.encode()
        fn = fn.replace(b'"', b"%22").replace(b"\r", b"%0D").replace(b"\n", b"%0A")
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{f.name}"; '
                   f'filename="'.encode() + fn + b'"\r\n'
                   + f"Content-Type: {f.content_type}\r\n\r\n".encode() + f.data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- signing

def hmac_hex(secret, msg):
    return hmac.new(secret.encode(), msg if isinstance(msg, bytes) else msg.encode(),
                    hashlib.sha256).hexdigest()


def api_signature(method, path, ts, body, secret=None):
    """hex HMAC-SHA256(secret, METHOD\\nPATH\\nTS\\nhex(sha256(body)))."""
    msg = f"{method}\n{path}\n{ts}\n{hashlib.sha256(body).hexdigest()}"
    return hmac_hex(secret or env("RD_API_SECRET"), msg)


_signed = {}
_nonce = itertools.count(1)


def fresh_ts(method, path, body):
    """A timestamp no earlier call of this method, path and body was signed with:
    the desk refuses a signature it has seen (409 replayed), so a test that
    repeats a call on purpose signs it afresh, one second further back (within
    the 300 s skew; api() gives a GET polled in a loop a nonce instead)."""
    k = (method, path, hashlib.sha256(body).hexdigest())
    t = now()
    used = _signed.setdefault(k, set())
    while t in used:
        t -= 1
    used.add(t)
    return t


def _unused(method, path, body):
    k = (method, path, hashlib.sha256(body).hexdigest())
    return now() not in _signed.get(k, ())


def api(method, path, obj=None, body=None, ts=None, secret=None, sig=None, headers=None,
        client=None):
    """A signed storefront API call. obj is sent as JSON; body sends raw bytes instead;
    ts, secret and sig override the honest values (for the tests of refusals).
    PATH may carry ?QUERY: the signature covers it (CONTRACT.md §5)."""
    if body is None:
        body = b"" if obj is None else json.dumps(obj, ensure_ascii=False).encode()
    if ts is None and sig is None and method == "GET" and not _unused(method, path, body):
        # A read repeated within the second: a signed nonce in the query
        # keeps it a new request without moving the timestamp.
        path += ("&" if "?" in path else "?") + f"rdnonce={next(_nonce)}"
    ts = fresh_ts(method, path, body) if ts is None else ts
    if sig is None:
        sig = api_signature(method, path, ts, body, secret)
    h = {"X-RD-Timestamp": str(ts), "X-RD-Signature": sig}
    if body or method == "POST":
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    return (client or Client()).request(method, path, body=body if method != "GET" else None,
                                        headers=h)


def expect_api_error(resp, *codes):
    """An API refusal: the status and the {"error": {"code", "message"}} shape."""
    expect_status(resp, *codes)
    j = resp.json()
    check(isinstance(j, dict) and isinstance(j.get("error"), dict),
          f"error body is not {{'error': {{...}}}}: {resp!r}")
    e = j["error"]
    check(isinstance(e.get("code"), str) and e["code"], f"error.code missing: {resp!r}")
    check(isinstance(e.get("message"), str) and e["message"], f"error.message missing: {resp!r}")
    return e


def link_signature(order, buyer, ts, secret=None):
    return hmac_hex(secret or env("RD_API_SECRET"), f"order={order}&buyer={buyer}&ts={ts}")


def start_link(order, buyer, ts=None, secret=None, sig=None):
    """/refund/start?order=..&buyer=..&ts=..&sig=.. signed with the storefront secret."""
    ts = now() if ts is None else ts
    if sig is None:
        sig = link_signature(order, buyer, ts, secret)
    q = urllib.parse.urlencode([("order", order), ("buyer", buyer), ("ts", str(ts)),
                                ("sig", sig)])
    return "/refund/start?" + q


# ---------------------------------------------------------------- HTML

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children = []       # Nodes and strings

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def has(self, name):
        return name in self.attrs

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, tag=None, **attrs):
        """Elements below this one; attrs: name=value, name=True (present);
        class_="x" matches one of the classes; trailing _ of a name is dropped."""
        out = []
        for n in self.walk():
            if tag and n.tag != tag:
                continue
            ok = True
            for k, v in attrs.items():
                k = k.rstrip("_").replace("_", "-") if k != "class_" else "class"
                if k == "class":
                    ok = v in n.classes()
                elif v is True:
                    ok = k in n.attrs
                else:
                    ok = n.attrs.get(k) == v
                if not ok:
                    break
            if ok:
                out.append(n)
        return out

    def find(self, tag=None, **attrs):
        r = self.find_all(tag, **attrs)
        return r[0] if r else None

    def __repr__(self):
        a = " ".join(f'{k}="{v}"' if v is not None else k for k, v in self.attrs.items())
        return f"<{self.tag}{' ' + a if a else ''}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(n)
        if tag not in _VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        n = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(n)

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


class Doc(Node):
    def __init__(self, html):
        b = _Builder()
        b.feed(html)
        b.close()
        super().__init__("#doc", {})
        self.children = b.root.children

    def by_id(self, ident):
        return self.find(id=ident)

    def hidden(self, name):
        n = self.find("input", name=name)
        return n.get("value") if n is not None else None

    def field_value(self, name):
        """The value a form field shows now, whatever its control."""
        for n in self.walk():
            if n.get("name") != name:
                continue
            if n.tag == "textarea":
                return n.text().lstrip("\n")
            if n.tag == "select":
                opts = n.find_all("option")
                for o in opts:
                    if o.has("selected"):
                        return o.get("value", o.text())
                return opts[0].get("value", opts[0].text()) if opts else None
            if n.tag == "input":
                kind = (n.get("type") or "text").lower()
                if kind in ("radio", "checkbox"):
                    if n.has("checked"):
                        return n.get("value")
                    continue
                return n.get("value", "")
        return None


def csrf_of(resp):
    v = resp.doc.hidden("csrf")
    check(v, f'no <input type="hidden" name="csrf"> in {resp!r}')
    return v


def idem_of(resp):
    v = resp.doc.hidden("idem")
    check(v, f'no <input type="hidden" name="idem"> in {resp!r}')
    return v


# ---------------------------------------------------------------- database

def q(s):
    """A SQL string literal for test-made values."""
    return "'" + str(s).replace("\\", "\\\\").replace("'", "''") + "'"


def _table_names():
    """The one list of the desk's tables, read from src/store/sql_prefix.c."""
    src = os.path.join(os.path.dirname(__file__), "..", "..", "src", "store", "sql_prefix.c")
    with open(src, encoding="utf-8") as f:
        m = re.search(r"sql_tables\[\] = \{(.*?)\};", f.read(), re.S)
    return set(re.findall(r'"([a-z0-9_]+)"', m.group(1)))


_TABLES = None
_SQL_TOKEN = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[A-Za-z0-9_$]+|\s+|.", re.S)


def prefixed(sql):
    """sql with RD_TABLE_PREFIX before each of the desk's table names, as
    src/store/sql_prefix.c does it (not after a '.', not in strings)."""
    global _TABLES
    prefix = os.environ.get("RD_TABLE_PREFIX", "")
    if not prefix:
        return sql
    if _TABLES is None:
        _TABLES = _table_names()
    out, prev = [], ""
    for tok in _SQL_TOKEN.findall(sql):
        if prev != "." and tok in _TABLES:
            tok = prefix + tok
        elif prev != "." and tok.startswith("`") and tok[1:-1] in _TABLES:
            tok = f"`{prefix}{tok[1:-1]}`"
        out.append(tok)
        if not tok.isspace():
            prev = tok[-1]
    return "".join(out)


def unprefixed(name):
    """A table name as the server reports it -> the desk's own name."""
    prefix = os.environ.get("RD_TABLE_PREFIX", "")
    return name[len(prefix):] if prefix and name.startswith(prefix) else name


def db(sql, socket=None):
    """Rows of a query, each a list of strings (NULL is None). On a Galera
    stack the query first waits for node 1 to apply every write the cluster
    committed (a request through pool B wrote on node 2)."""
    sql = prefixed(sql)
    if os.environ.get("RD_DB") == "galera":
        sql = "SET SESSION wsrep_sync_wait = 1; " + sql
    p = subprocess.run(["mariadb", "--no-defaults", "-S", socket or env("RD_MYSQL_SOCKET"), "-uroot",
                        DB_NAME, "-N", "-B", "-e", sql],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"SQL failed: {sql}: {p.stderr.strip()}")
    rows = []
    for line in p.stdout.splitlines():
        rows.append([None if c == "NULL" else c for c in line.split("\t")])
    return rows


def db_value(sql):
    rows = db(sql)
    return rows[0][0] if rows else None


def db_count(table, where=None):
    return int(db_value(f"SELECT COUNT(*) FROM `{table}`" + (f" WHERE {where}" if where else "")))


def tables():
    """The desk's tables, by their unprefixed names (db() adds the prefix);
    a foreign table beside them (RD_TABLE_PREFIX runs) is not ours."""
    names = [r[0] for r in db("SELECT table_name FROM information_schema.tables "
                              f"WHERE table_schema = {q(DB_NAME)} ORDER BY table_name")]
    prefix = os.environ.get("RD_TABLE_PREFIX", "")
    return [n[len(prefix):] for n in names if n.startswith(prefix)] if prefix else names


def evidence_paths():
    """Every regular file under RD_EVIDENCE_DIR, recursively."""
    out = []
    for base, dirs, files in os.walk(env("RD_EVIDENCE_DIR")):
        if base == env("RD_EVIDENCE_DIR") and "locks" in dirs:
            dirs.remove("locks")             # the argon2 slots' lock files
        for f in files:
            p = os.path.join(base, f)
            if os.path.isfile(p) and not os.path.islink(p):
                out.append(p)
    return sorted(out)


def evidence_files():
    return len(evidence_paths())


# Bookkeeping that every request may write, refused or not, by design: the
# signatures an API call spent (a refused call's signature is spent too), the
# rate budgets, and the app's per-address request counts (request_limits, on
# where no nginx stands in front: a brake that counted only successes would
# not brake). Not business state.
SNAPSHOT_IGNORE = {"api_signatures", "budgets", "request_log"}


def snapshot():
    """Row counts of every table (but SNAPSHOT_IGNORE), and the number of evidence files."""
    names = [t for t in tables() if t not in SNAPSHOT_IGNORE]
    snap = {}
    if names:
        row = db("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM `{t}`)" for t in names))[0]
        snap = {t: int(n) for t, n in zip(names, row)}
    snap["<evidence files>"] = evidence_files()
    return snap


def assert_unchanged(before, what=""):
    after = snapshot()
    diff = {k: (before.get(k), after.get(k)) for k in set(before) | set(after)
            if before.get(k) != after.get(k)}
    check(not diff, f"{what + ': ' if what else ''}state changed: " +
          ", ".join(f"{k} {a}->{b}" for k, (a, b) in sorted(diff.items())))


# ---------------------------------------------------------------- test data

def png(seed=0, w=8, h=8):
    """A real PNG whose pixels depend on seed (distinct seeds, distinct files)."""
    rnd = hashlib.sha256(f"png{seed}".encode()).digest()
    raw = b"".join(b"\0" + bytes(rnd[(x + y) % 32] for x in range(w * 3)) for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf(seed=0):
    """A minimal valid one-page PDF."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>"]
    stream = f"BT /F1 12 Tf 20 100 Td (evidence {seed}) Tj ET".encode()
    objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def order_body(**over):
    """The body of POST /api/v1/orders for a new, unique game-card order."""
    no = unique("O")
    b = {
        "order_no": no,
        "buyer_id": unique("B"),
        "merchant_id": "m-test",
        "category": "game_card",
        "title": "测试点卡 100 元",
        "amount": 10000,
        "currency": "CNY",
        "pay_channel": "alipay",
        "paid_at": now() - 600,
        "contact": f"{no.lower()}@example.com",
        "lookup_code": "LC" + secrets.token_hex(8),
    }
    b.update(over)
    return b


# The contract fixes 200 for the same body again, not the first answer:
# 201 Created is as right as 200.
REGISTERED = (200, 201)


def register(**over):
    """Registers a new paid order through the API; returns its body."""
    b = order_body(**over)
    r = api("POST", "/api/v1/orders", b)
    check(r.status in REGISTERED, f"registering order {b['order_no']}: {r!r}")
    return b


def deliver(order_no, state="delivered", kind="card_key", at=None):
    r = api("POST", f"/api/v1/orders/{order_no}/delivery",
            {"state": state, "kind": kind, "at": now() if at is None else at})
    check(r.status == 200, f"delivery report for {order_no}: {r!r}")
    return r


def report_usage(order_no, **fields):
    r = api("POST", f"/api/v1/orders/{order_no}/usage", fields)
    check(r.status == 200, f"usage report for {order_no}: {r!r}")
    return r


def used_card(**over):
    """A game card delivered as a card key whose key the buyer revealed: only a
    defect claim (invalid_item, with evidence, reviewed by cs) is possible."""
    b = register(**over)
    deliver(b["order_no"])
    report_usage(b["order_no"], key_revealed_at=now(), redeemed=False)
    return b


def buyer_session(order, client=None):
    """A Client that came in through a valid hand-off link for order (a body dict)."""
    c = client or Client()
    r = c.get(start_link(order["order_no"], order["buyer_id"]))
    check(r.status == 303, f"hand-off link: {r!r}")
    check(COOKIE in c.jar, f"hand-off link set no '{COOKIE}' cookie: {r!r}")
    return c


def open_form(client, order_no):
    r = client.get("/refund/new?order=" + urllib.parse.quote(order_no))
    check(r.status == 200, f"GET /refund/new?order={order_no}: {r!r}")
    return r


GOOD_REASON = "卡密显示无效，充值时提示卡号或密码错误，无法使用。"


def refund_fields(form, order_no, **over):
    f = {
        "csrf": csrf_of(form),
        "idem": idem_of(form),
        "order": order_no,
        "type": "invalid_item",
        "reason": GOOD_REASON,
        "destination": "original",
    }
    f.update(over)
    return {k: v for k, v in f.items() if v is not None}


# The status page, with the success banner's flag after a submission (i10-buyer).
REFUND_PATH = re.compile(r"^/refund/([A-Za-z0-9]{22})(?:\?done=submitted)?$")


def refund_id_of(resp):
    check(resp.status == 303, f"expected 303 to /refund/ID, got {resp!r}")
    loc = resp.location()
    m = REFUND_PATH.match(loc or "")
    check(m, f"Location is not /refund/ID (22 characters): {loc!r}")
    return m.group(1)


def submit(client, fields, files=()):
    return client.post_multipart("/refund/new", fields, files)


def new_refund(client, order, files=None, **over):
    """Opens the form and submits a valid invalid_item request; returns the refund id."""
    form = open_form(client, order["order_no"])
    if files is None:
        files = [File(png(order["order_no"]), "screenshot.png", "image/png")]
    return refund_id_of(submit(client, refund_fields(form, order["order_no"], **over), files))


def refund_row(public_id):
    """The refunds row of a public id as a dict of strings."""
    cols = ["id", "state", "type", "destination", "buyer_id", "open_order_id", "order_id",
            "reason", "idem"]
    rows = db(f"SELECT {', '.join(cols)} FROM refunds WHERE public_id = {q(public_id)}")
    check(rows, f"no refunds row with public_id {public_id}")
    return dict(zip(cols, rows[0]))


def hold_state(order_no):
    return db_value("SELECT h.state FROM holds h JOIN orders o ON o.id = h.order_id "
                    f"WHERE o.order_no = {q(order_no)}")


def timeline_items(resp):
    ol = [n for n in resp.doc.find_all("ol") if "timeline" in n.classes()]
    check(ol, f'no <ol class="timeline"> in {resp!r}')
    return ol[0].find_all("li")


def page_state(resp):
    n = resp.doc.find(data_state=True)
    check(n is not None, f"no element with data-state in {resp!r}")
    return n.get("data-state")


# ---------------------------------------------------------------- raw requests and the route table

def _raw(v):
    return v if isinstance(v, bytes) else str(v).encode("utf-8")


def urlencoded_raw(fields):
    """An urlencoded body of (name, value) pairs given as raw bytes (or str),
    every byte percent-encoded: hostile values arrive exactly as written."""
    return b"&".join(urllib.parse.quote_from_bytes(_raw(k), safe="").encode() + b"=" +
                     urllib.parse.quote_from_bytes(_raw(v), safe="").encode() for k, v in fields)


def multipart_raw(fields, files=(), boundary=None):
    """(body, boundary) of multipart/form-data: values and file names go in
    as raw bytes, unescaped (a caller escapes '"' and '\\' where it means to);
    files are (field, file name, declared type, bytes)."""
    boundary = boundary or "----raw" + secrets.token_hex(12)
    bb = _raw(boundary)
    out = []
    for k, v in fields:
        out.append(b"--" + bb + b'\r\nContent-Disposition: form-data; name="' + _raw(k) +
                   b'"\r\n\r\n' + _raw(v) + b"\r\n")
    for name, fn, ctype, data in files:
        out.append(b"--" + bb + b'\r\nContent-Disposition: form-data; name="' + _raw(name) +
                   b'"; filename="' + _raw(fn) + b'"\r\nContent-Type: ' + _raw(ctype) +
                   b"\r\n\r\n" + data + b"\r\n")
    out.append(b"--" + bb + b"--\r\n")
    return b"".join(out), boundary


def start_link_raw(order, buyer, ts, sig=None):
    """A hand-off link over raw bytes, signed over exactly those bytes."""
    if sig is None:
        sig = hmac_hex(env("RD_API_SECRET"), b"order=" + order + b"&buyer=" + buyer + b"&ts=" + ts).encode()
    q = lambda v: urllib.parse.quote_from_bytes(v, safe="")  # noqa: E731
    return f"/refund/start?order={q(order)}&buyer={q(buyer)}&ts={q(ts)}&sig={q(sig)}"


def routes():
    """The router's table as the binary prints it (`refund-desk routes`):
    [(method, pattern, name, {"query": [...], "body": [...], "files": [...]})]."""
    out = subprocess.run([env("RD_BIN"), "routes"], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        method, pattern, name, *rest = line.split()
        fields = {k: v.split(",") for k, v in (x.split("=", 1) for x in rest)}
        rows.append((method, pattern, name, fields))
    check(rows, "refund-desk routes printed no route")
    return rows
