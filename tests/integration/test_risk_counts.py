"""The submission's risk counts (issue 12): each is read only up to its
limit, since the policy compares it with the limit and nothing else, and
an address that carries a proxy's traffic must not cost its whole hour."""
import urllib.parse

import rd
from rd import check, q
from test_bounds import _cgi_run

BULK = 3000


def _submit_from(addr, risk):
    """An instant-eligible submission (undelivered order, to the balance) as
    plain CGI from addr with these risk limits: (status, its refund row)."""
    o = rd.register()
    c = rd.buyer_session(o)
    fields = rd.refund_fields(rd.open_form(c, o["order_no"]), o["order_no"], type="not_delivered",
                              destination="balance")
    body = urllib.parse.urlencode(fields).encode()
    status, _, err = _cgi_run(risk, "POST", "/refund/new", f"{rd.COOKIE}={c.jar[rd.COOKIE]}", body,
                              addr=addr, section="risk")
    rows = rd.db(f"SELECT r.state, r.risk_flags FROM refunds r JOIN orders o ON o.id = r.order_id "
                 f"WHERE o.order_no = {q(o['order_no'])}")
    check(status == 303 and rows, f"submission from {addr}: {status} {err[-300:]}")
    return rows[0]


def _reads():
    return int(rd.db("SHOW GLOBAL STATUS LIKE 'Handler_read_next'")[0][1])


def test_address_count_flags_at_its_limit():
    addr = rd.elsewhere()
    risk = {"max_ip_requests_1h": 2}
    states = [_submit_from(addr, risk) for _ in range(3)]
    check([s[1] == "0" for s in states] == [True, True, False],
          f"the third from one address is flagged, not before: {states}")
    check(states[0][0] == "refunded" and states[2][0] != "refunded", f"flagged goes to review: {states}")


def test_address_count_reads_no_more_than_its_limit():
    addr = rd.elsewhere()
    now = rd.now()
    rd.db(f"INSERT INTO refunds (public_id, order_id, buyer_id, type, state, destination, reason, "
          f"requested, fee, refund_amount, client_ip, idem, created_at, updated_at) "
          f"SELECT CONCAT('RC', {q(addr.replace('.', ''))}, seq), 0, 'rc-bulk', 'not_delivered', 'rejected', "
          f"'balance', 'bulk', 0, 0, 0, {q(addr)}, CONCAT({q(addr)}, '-', seq), {now - 60}, {now - 60} "
          f"FROM seq_1_to_{BULK}")
    try:
        before = _reads()
        state, flags = _submit_from(addr, {"max_ip_requests_1h": 30})
        read = _reads() - before
        check(flags != "0", f"{BULK} requests from the address in the hour flag it: {state} {flags}")
        # The old LEAST(COUNT(*), limit) read every one of them.
        check(read < BULK // 3, f"one submission read {read} index rows past the first, {BULK} of its address")
    finally:
        rd.db(f"DELETE FROM refunds WHERE client_ip = {q(addr)} AND buyer_id = 'rc-bulk'")
