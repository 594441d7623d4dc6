"""rawhttp.py: HTTP/1.1 over a plain socket, for requests http.client will not
send: bytes of any kind in the request line and headers, a Content-Length
that lies, a body cut short, trailing bytes after the body, pipelining.

  request()   the bytes of one request, with Host and Content-Length filled
              in unless the caller gives them (or asks for none)
  exchange()  sends bytes, optionally half-closes, reads to EOF and parses
              every response in what came back (rd.Response objects)

Only the standard library and rd (for Response and the stack's address).
"""

import socket
import urllib.parse

import rd


class Exchange:
    """What one connection gave back: the responses in order, whether the
    peer closed without answering at all, and anything left unparsed."""

    def __init__(self, responses, raw, leftover, error=None):
        self.responses = responses
        self.raw = raw
        self.leftover = leftover
        self.error = error          # a socket error while sending or reading, or None

    @property
    def dropped(self):
        return not self.responses

    def __repr__(self):
        if self.dropped:
            return f"<no response: {len(self.raw)} bytes back, error {self.error!r}>"
        return " ".join(repr(r) for r in self.responses)


def _b(v):
    return v if isinstance(v, bytes) else str(v).encode("utf-8")


def request(method, target, headers=(), body=b"", version="HTTP/1.1", host=True,
            length=True, close=True):
    """One request as bytes. headers: [(name, value)] of str or bytes, sent as
    given (duplicates kept); host/length/close False leave out Host,
    Content-Length and "Connection: close" unless headers carry them."""
    names = {_b(k).lower() for k, _ in headers}
    body = _b(body)
    lines = [_b(method) + b" " + _b(target) + b" " + _b(version)]
    if host and b"host" not in names:
        u = urllib.parse.urlsplit(rd.env("RD_URL"))
        lines.append(b"Host: " + _b(u.netloc))
    for k, v in headers:
        lines.append(_b(k) + b": " + _b(v))
    if length and b"content-length" not in names and b"transfer-encoding" not in names \
            and (body or _b(method) in (b"POST", b"PUT", b"PATCH")):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    if close and b"connection" not in names:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _parse_one(buf, head):
    """(Response, rest) for the response at the start of buf, or (None, buf)
    when buf does not hold a whole one."""
    end = buf.find(b"\r\n\r\n")
    if end < 0 or not buf.startswith(b"HTTP/"):
        return None, buf
    lines = buf[:end].split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        return None, buf
    reason = parts[2].decode("latin-1") if len(parts) > 2 else ""
    headers = []
    for ln in lines[1:]:
        k, _, v = ln.partition(b":")
        headers.append((k.decode("latin-1"), v.strip().decode("latin-1")))
    rest = buf[end + 4:]
    hmap = {k.lower(): v for k, v in headers}
    if head or status in (204, 304) or 100 <= status < 200:
        body = b""
    elif "chunked" in hmap.get("transfer-encoding", "").lower():
        body = b""
        while True:
            nl = rest.find(b"\r\n")
            if nl < 0:
                return None, buf
            try:
                size = int(rest[:nl].split(b";")[0], 16)
            except ValueError:
                return None, buf
            rest = rest[nl + 2:]
            if size == 0:
                tail = rest.find(b"\r\n")     # no trailers from nginx
                rest = rest[tail + 2:] if tail >= 0 else b""
                break
            body += rest[:size]
            rest = rest[size + 2:]
    elif "content-length" in hmap:
        n = int(hmap["content-length"])
        if len(rest) < n:
            return None, buf
        body, rest = rest[:n], rest[n:]
    else:
        body, rest = rest, b""
    r = rd.Response(status, reason, headers, body)
    r.raw_head = buf[:end + 4]
    return r, rest


def parse(raw, heads=()):
    """Every whole response in raw; heads[i] is True when the i-th request
    was a HEAD (its response has no body whatever it says)."""
    out, rest = [], raw
    while rest:
        r, rest2 = _parse_one(rest, len(out) < len(heads) and heads[len(out)])
        if r is None:
            break
        out.append(r)
        rest = rest2
    return out, rest


def exchange(data, source=None, shut_wr=False, timeout=30, heads=(), chunks=None):
    """Connects to the stack's nginx (from source, a local address), sends
    data (or each of chunks in turn), half-closes the connection when
    shut_wr, and reads until the server closes or timeout seconds pass."""
    u = urllib.parse.urlsplit(rd.env("RD_URL"))
    s = socket.create_connection((u.hostname, u.port or 80), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    got, err = [], None
    try:
        try:
            for c in (chunks if chunks is not None else [data]):
                s.sendall(c)
            if shut_wr:
                s.shutdown(socket.SHUT_WR)
        except OSError as e:          # the server may answer and close before all is sent
            err = e
        while True:
            try:
                b = s.recv(65536)
            except socket.timeout as e:
                err = e
                break
            except OSError as e:
                err = e
                break
            if not b:
                break
            got.append(b)
    finally:
        s.close()
    raw = b"".join(got)
    responses, leftover = parse(raw, heads)
    return Exchange(responses, raw, leftover, err)
