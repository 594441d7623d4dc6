"""Webhooks (CONTRACT.md §5) as `refund-desk worker --once` delivers them:
signed like API requests, the same event id on every retry, retried until a
2xx. The worker runs with a copy of the stack's config whose webhook URL
points at a receiver inside this test."""

import hashlib
import hmac
import http.server
import json
import os
import subprocess
import tempfile
import threading

import rd
from rd import check


class _Receiver(http.server.BaseHTTPRequestHandler):
    events = []
    fail_first = set()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ev = json.loads(body)
        _Receiver.events.append((self.path, dict(self.headers), body, ev))
        if ev["id"] in _Receiver.fail_first:
            _Receiver.fail_first.discard(ev["id"])
            self.send_response(500)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def _worker(url, secret):
    with open(rd.env("RD_CONFIG")) as f:
        cfg = json.load(f)
    cfg["webhook"] = {"url": url, "secret": secret}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        out = subprocess.run([rd.env("RD_BIN"), "--config", f.name, "worker", "--once"],
                             capture_output=True, text=True, timeout=60)
        check(out.returncode == 0, f"worker --once: {out.stdout} {out.stderr}")
    finally:
        os.unlink(f.name)


def test_events_are_signed_and_retried_with_the_same_id():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    # The receiver's query is signed with its path (self.path holds both).
    url = f"http://127.0.0.1:{srv.server_address[1]}/hooks/refund-desk?shop=1"
    secret = "whsec-" + "ab" * 20
    try:
        o = rd.register()
        c = rd.buyer_session(o)
        form = rd.open_form(c, o["order_no"])
        rid = rd.refund_id_of(c.post_form("/refund/new", rd.refund_fields(
            form, o["order_no"], type="not_delivered", destination="balance")))
        mine = lambda: [e for e in _Receiver.events if e[3]["data"].get("refund_id") == rid]
        # Make the first delivery of refund.refunded fail: it must come again, same id.
        payload = rd.db_value("SELECT event_id FROM webhook_events WHERE type = 'refund.refunded' "
                              f"AND payload LIKE {rd.q('%' + rid + '%')}")
        _Receiver.fail_first.add(payload)
        _Receiver.events.clear()
        for _ in range(30):             # other tests' events are queued too: drain them
            _worker(url, secret)
            if rd.db_value("SELECT COUNT(*) FROM webhook_events WHERE delivered_at = 0 AND next_at <= UNIX_TIMESTAMP()") == "0":
                break
        types = [e[3]["type"] for e in mine()]
        check({"refund.submitted", "refund.approved", "refund.refunded"} <= set(types),
              f"events for {rid}: {types}")
        for path, headers, body, ev in mine():
            ts = headers["X-RD-Timestamp"]
            msg = "\n".join(["POST", path, ts, hashlib.sha256(body).hexdigest()]).encode()
            want = hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()
            check(hmac.compare_digest(headers["X-RD-Signature"], want), f"bad signature on {ev['type']}")
        approved = [e[3] for e in mine() if e[3]["type"] == "refund.approved"][0]
        check(approved["data"].get("recycle_item") is True, f"undelivered goods go back to stock: {approved}")
        # The failed one was retried later with the same id: make it due now.
        rd.db(f"UPDATE webhook_events SET next_at = 0 WHERE event_id = {rd.q(payload)}")
        _worker(url, secret)
        ids = [e[3]["id"] for e in mine() if e[3]["type"] == "refund.refunded"]
        check(len(ids) == 2 and ids[0] == ids[1] == payload, f"retry should repeat the id: {ids}")
        left = rd.db_value(f"SELECT delivered_at > 0 FROM webhook_events WHERE event_id = {rd.q(payload)}")
        check(left == "1", "delivered after the retry")
    finally:
        srv.shutdown()
