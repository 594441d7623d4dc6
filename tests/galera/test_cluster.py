"""The cluster's own tests (run by tests/galera/run.py on an RD_DB=galera
stack): decisions made on one node against writes on another, a node killed
under load, evidence and hand-off links across the pools.

Each race fires one request at pool A (node 1) and one at pool B (node 2) at
the same moment. Row locks do not cross Galera nodes: a decision is safe only
because it writes the rows it decided from (sql/030), so a concurrent writer
on the other node fails certification and the loser runs again whole."""

import collections
import json
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import money_model as mm
import rd
from rd import check, q

ROUNDS = int(os.environ.get("RD_GALERA_ROUNDS", "100"))


def _pools():
    urls = rd.pool_urls()
    check(len(urls) == 2, f"RD_POOL_URLS names {len(urls)} pools, not 2: run under tests/galera/run.py")
    return urls


def _race(first, second, swap=False):
    """first on pool A and second on pool B (swap: the other way round), at
    the same moment; returns (first's response, second's)."""
    a, b = _pools()
    if swap:
        a, b = b, a
    barrier = threading.Barrier(2)

    def run(url, fn):
        c = rd.Client(url, source=rd.elsewhere())    # nginx's limit_req is not the subject
        barrier.wait(timeout=30)
        return fn(c)

    with ThreadPoolExecutor(max_workers=2) as ex:
        f1, f2 = ex.submit(run, a, first), ex.submit(run, b, second)
        return f1.result(), f2.result()


def _post(buyer, body, ctype):
    def fn(c):
        c.jar[rd.COOKIE] = buyer.sid
        return c.request("POST", "/refund/new", body=body, headers={"Content-Type": ctype})
    return fn


def _nodes():
    return os.environ["RD_DB_NODES"].split(",")


def _node_config(n):
    """A config that uses node n (1-based) only, for commands run against it."""
    with open(rd.env("RD_CONFIG"), encoding="utf-8") as f:
        cfg = json.load(f)
    cfg["database"]["nodes"] = [{"socket": _nodes()[n - 1]}]
    path = os.path.join(rd.env("RD_DIR"), f"config-node{n}.json")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as f:
        json.dump(cfg, f)
    return path


def _run(config, *args):
    return subprocess.run([rd.env("RD_BIN"), "--config", config, *args],
                          capture_output=True, text=True, timeout=120)


def _check_ledger_every_node(what):
    for n in (1, 2, 3):
        p = _run(_node_config(n), "check-ledger")
        check(p.returncode == 0, f"check-ledger on node {n} after {what}: exit {p.returncode}: "
                                 f"{(p.stdout + p.stderr).strip()[-800:]}")


def _txn_kinds(no):
    rows = rd.db("SELECT t.kind, COUNT(*) FROM ledger_txns t JOIN orders o ON o.id = t.order_id "
                 f"WHERE o.order_no = {q(no)} GROUP BY t.kind")
    return {k: int(n) for k, n in rows}


def _wsrep(n, var):
    """A wsrep status variable of node n; None while the node is down."""
    try:
        rows = rd.db(f"SHOW STATUS LIKE {q(var)}", socket=_nodes()[n - 1])
    except AssertionError:
        return None
    return rows[0][1] if rows else None


# ---------------------------------------------------------------- the cluster

def test_three_nodes_synced_two_pools_on_two_nodes():
    for n in (1, 2, 3):
        check(_wsrep(n, "wsrep_local_state_comment") == "Synced", f"node {n} is not Synced")
        check(_wsrep(n, "wsrep_cluster_size") == "3", f"node {n} sees a cluster of "
                                                        f"{_wsrep(n, 'wsrep_cluster_size')}")
    a, b = _pools()
    ha = rd.expect_status(rd.Client(a).get("/healthz"), 200).text
    hb = rd.expect_status(rd.Client(b).get("/healthz"), 200).text
    port2 = os.environ["RD_DB_PORTS"].split(",")[1]
    check(f"db: {_nodes()[0]}\n" in ha and "wsrep: Synced" in ha, f"pool A /healthz: {ha!r}")
    check(f"db: 127.0.0.1:{port2}\n" in hb and "wsrep: Synced" in hb, f"pool B /healthz: {hb!r}")
    m = rd.expect_status(rd.Client(b).get("/metrics"), 200).text
    for counter in ("refund_desk_db_tx_retries_total{", "refund_desk_db_failovers_total{"):
        check(counter in m, f"/metrics has no {counter}: {m!r}")


# ---------------------------------------------------------------- races across nodes

def test_delivery_vs_not_delivered_refund_across_nodes():
    # The write skew: the submission read the order as undelivered
    # and wrote only refund and hold rows; the delivery wrote the order. Now
    # the submission bumps the order's version, so one of the two fails
    # certification, runs again and sees the other's result.
    outcomes = collections.Counter()
    both = []
    for i in range(ROUNDS):
        o = rd.register(pay_channel="balance")
        no = o["order_no"]
        buyer = mm.Buyer(o)
        body, ctype = mm.submit_body(buyer, no, "not_delivered", "balance", f"dv{i}x{rd.unique('I')}")

        def deliver(c):
            return rd.api("POST", f"/api/v1/orders/{no}/delivery",
                          {"state": "delivered", "kind": "card_key", "at": rd.now()}, client=c)
        d, s = _race(deliver, _post(buyer, body, ctype), swap=bool(i % 2))
        outcomes[f"delivery {d.status} / submit {s.status}"] += 1
        check(d.status in (200, 409) and s.status in (303, 422),
              f"round {i}: delivery {d!r}, submission {s!r}")
        j = mm.api_order(no)
        delivered, hold = j["order"]["delivery"]["state"], j["order"]["hold"]["state"]
        if d.status == 200 and s.status == 303:
            both.append(f"{no}: delivered={delivered}, hold {hold}")
        elif d.status == 200:
            check(delivered == "delivered" and hold == "held", f"round {i}: {j['order']}")
        else:
            check(hold == "refunded" and delivered != "delivered", f"round {i}: {j['order']}")
    print(f"galera: delivery vs not_delivered refund, {ROUNDS} rounds: {dict(outcomes)}", flush=True)
    check(not both, f"{len(both)} of {ROUNDS} rounds accepted both: {both[:5]}")
    _check_ledger_every_node("delivery vs refund races")


def test_topup_succeeded_report_vs_topup_failed_refund_across_nodes():
    # The storefront reports the top-up succeeded while the buyer files
    # topup_failed against the earlier "failed": the refund is instant only
    # if its decision saw "failed" last; otherwise it goes to review.
    outcomes = collections.Counter()
    for i in range(max(20, ROUNDS // 4)):
        o = rd.register(category="direct_topup", pay_channel="balance")
        no = o["order_no"]
        rd.deliver(no, kind="direct_topup")
        rd.report_usage(no, topup="failed")
        buyer = mm.Buyer(o)
        body, ctype = mm.submit_body(buyer, no, "topup_failed", "balance", f"tu{i}x{rd.unique('I')}")

        def usage(c):
            return rd.api("POST", f"/api/v1/orders/{no}/usage", {"topup": "succeeded"}, client=c)
        u, s = _race(usage, _post(buyer, body, ctype), swap=bool(i % 2))
        check(u.status == 200 and s.status in (303, 422), f"round {i}: usage {u!r}, submission {s!r}")
        kinds = _txn_kinds(no)
        if s.status == 422:
            # Decided after "succeeded": a review that wants evidence, none given.
            outcomes["refused (review needs evidence)"] += 1
            check(kinds == {"hold": 1}, f"round {i}: refused, txns {kinds}")
            continue
        state = rd.refund_row(mm.refund_location(s))["state"]
        outcomes[state] += 1
        if state == "refunded":
            check(kinds == {"hold": 1, "refund": 1}, f"round {i}: instant refund, txns {kinds}")
        else:
            check(state == "cs_review" and kinds == {"hold": 1}, f"round {i}: {state}, txns {kinds}")
    print(f"galera: topup succeeded vs topup_failed refund: {dict(outcomes)}", flush=True)
    _check_ledger_every_node("usage vs topup_failed races")


def test_buyer_confirm_vs_staff_approval_across_nodes():
    if not mm.Staff.present():
        print("galera: no staff console: skipped", flush=True)
        return
    staff = mm.Staff(rd.elsewhere())
    outcomes = collections.Counter()
    for i in range(10):
        o = rd.used_card(pay_channel="balance")
        no = o["order_no"]
        buyer = mm.Buyer(o)
        rid = rd.new_refund(buyer.client(), o, destination="balance")

        def approve(c):
            c.jar = dict(staff.c.jar)
            return c.post_form(f"/desk/refund/{rid}/decision", {"csrf": staff.csrf, "action": "approve", "confirm": "1"})

        def confirm(c):
            c.jar[rd.COOKIE] = buyer.sid
            return c.post_form(f"/order/{no}/confirm", {"csrf": buyer.csrf, "confirm": "1"})   # past the confirm step (i10-buyer)
        a, c = _race(approve, confirm, swap=bool(i % 2))
        outcomes[f"approve {a.status} / confirm {c.status}"] += 1
        check(a.status == 303 and c.status in (303, 409), f"round {i}: approval {a!r}, confirmation {c!r}")
        h = mm.api_order(no)["order"]["hold"]
        kinds = _txn_kinds(no)
        check(h["state"] == "refunded" and kinds == {"hold": 1, "refund": 1},
              f"round {i}: hold {h}, txns {kinds}")
        check(rd.db_count("hold_resolutions", f"order_id = (SELECT id FROM orders WHERE order_no = {q(no)})") == 1,
              f"round {i}: the hold is not resolved exactly once")
    print(f"galera: confirm vs staff approval: {dict(outcomes)}", flush=True)
    _check_ledger_every_node("confirm vs approval races")


def test_two_workers_deadline_passes_on_two_nodes():
    # Merchant-review deadlines past (approve and pay) and holds past their
    # release time: a worker on node 1 and one on node 2 at once, three
    # times. Each acts exactly once.
    reviewed, due = [], []
    for _ in range(6):
        o = rd.used_card(pay_channel="balance")
        rid = rd.new_refund(mm.Buyer(o).client(), o, destination="balance")
        reviewed.append((o["order_no"], rid))
        rd.db("UPDATE refunds SET state = 'merchant_review', deadline = UNIX_TIMESTAMP() - 5 "
              f"WHERE public_id = {q(rid)}")
    for _ in range(6):
        o = rd.register(pay_channel="balance")
        due.append(o["order_no"])
        rd.db("UPDATE holds h JOIN orders o ON o.id = h.order_id SET h.release_at = UNIX_TIMESTAMP() - 5 "
              f"WHERE o.order_no = {q(o['order_no'])}")
    configs = [rd.env("RD_CONFIG"), os.environ["RD_CONFIG_B"]] * 3
    with ThreadPoolExecutor(max_workers=len(configs)) as ex:
        runs = list(ex.map(lambda c: _run(c, "worker", "--once"), configs))
    for p in runs:
        check(p.returncode == 0, f"worker --once: exit {p.returncode}: {(p.stdout + p.stderr)[-800:]}")
    for no, rid in reviewed:
        check(rd.refund_row(rid)["state"] == "refunded", f"{rid}: {rd.refund_row(rid)}")
        check(_txn_kinds(no) == {"hold": 1, "refund": 1}, f"{no}: txns {_txn_kinds(no)}")
    for no in due:
        check(_txn_kinds(no) == {"hold": 1, "release": 1}, f"{no}: txns {_txn_kinds(no)}")
    _check_ledger_every_node("two workers' deadline passes")


def test_hand_off_link_used_on_two_nodes_at_once_works_once():
    # The spent link is a primary key: Galera certifies unique keys across
    # nodes, so the second use fails (1213, then the duplicate) wherever it ran.
    outcomes = collections.Counter()
    for i in range(20):
        o = rd.register()
        link = rd.start_link(o["order_no"], o["buyer_id"])
        a, b = _race(lambda c: c.get(link), lambda c: c.get(link), swap=bool(i % 2))
        outcomes[f"{a.status}/{b.status}"] += 1
        check(sorted((a.status, b.status)) == [303, 403], f"round {i}: {a!r} / {b!r}")
    print(f"galera: one hand-off link on two nodes: {dict(outcomes)}", flush=True)


# ---------------------------------------------------------------- evidence on shared storage

def test_evidence_uploaded_through_one_pool_downloads_through_the_other():
    a, b = _pools()
    o = rd.used_card()
    buyer = mm.Buyer(o)
    data = rd.png(f"shared-{o['order_no']}")
    ca = buyer.client()
    ca.host, ca.port = "127.0.0.1", int(a.rsplit(":", 1)[1])
    rid = rd.new_refund(ca, o, files=[rd.File(data, "shot.png", "image/png")])
    cb = buyer.client()
    cb.host, cb.port = "127.0.0.1", int(b.rsplit(":", 1)[1])
    r = rd.expect_status(cb.get(f"/refund/{rid}/evidence/1"), 200)
    check(r.body == data, f"pool B served {len(r.body)} bytes, not the {len(data)} uploaded through A")


def test_sweep_by_workers_on_two_nodes_keeps_referenced_files():
    o = rd.used_card()
    data = rd.png(f"sweep-{o['order_no']}")
    rd.new_refund(mm.Buyer(o).client(), o, files=[rd.File(data, "kept.png", "image/png")])
    import hashlib
    kept_sha = hashlib.sha256(data).hexdigest()
    ev = rd.env("RD_EVIDENCE_DIR")
    kept = os.path.join(ev, kept_sha[:2], kept_sha)
    orphan_sha = hashlib.sha256(b"orphan " + data).hexdigest()
    # Made as the evidence folder's owner: a root-owned prefix folder would
    # keep the app's user (issue 9's stack) from placing files there later.
    st = os.stat(ev)
    sub = os.path.join(ev, orphan_sha[:2])
    os.makedirs(sub, exist_ok=True)
    os.chown(sub, st.st_uid, st.st_gid)
    orphan = os.path.join(sub, orphan_sha)
    with open(orphan, "wb") as f:
        f.write(b"orphan")
    os.chown(orphan, st.st_uid, st.st_gid)
    old = time.time() - 7200
    os.utime(kept, (old, old))
    os.utime(orphan, (old, old))
    configs = [rd.env("RD_CONFIG"), os.environ["RD_CONFIG_B"]] * 2
    with ThreadPoolExecutor(max_workers=len(configs)) as ex:
        runs = list(ex.map(lambda c: _run(c, "worker", "--once"), configs))
    for p in runs:
        check(p.returncode == 0, f"worker --once: exit {p.returncode}: {(p.stdout + p.stderr)[-800:]}")
    check(os.path.exists(kept), "a referenced evidence file was swept")
    check(not os.path.exists(orphan), "the unreferenced old file was not swept")


# ---------------------------------------------------------------- a node killed under load

def _retry_503(fn, counts, stamps):
    """fn() until it answers something other than 503 (at most ~10 s);
    every 503 is counted with its time."""
    for _ in range(50):
        r = fn()
        if r.status != 503:
            return r
        counts["503"] += 1
        stamps.append(time.monotonic())
        time.sleep(0.2)
    return r


def test_node_killed_under_load_rejoins_synced():
    d = rd.env("RD_DIR")
    a, b = _pools()
    load_secs = 15
    t0 = time.monotonic()
    stop = t0 + load_secs
    lock = threading.Lock()
    counts = collections.Counter()
    stamps, bad, accepted, registered = [], [], [], []

    def load(k):
        url = (a, b)[k % 2]
        c = rd.Client(url)
        n = 0
        # Each submission from its own address: nginx's limit_req is not the subject.
        while time.monotonic() < stop:
            n += 1
            body = rd.order_body(pay_channel="balance")
            no = body["order_no"]
            r = _retry_503(lambda: rd.api("POST", "/api/v1/orders", body, client=c), counts, stamps)
            with lock:
                counts[f"register {r.status}"] += 1
            if r.status not in (200, 201):
                bad.append(f"register {no}: {r!r}")
                continue
            registered.append(no)
            bc = rd.Client(url, source=rd.elsewhere())
            r = _retry_503(lambda: bc.get(rd.start_link(no, body["buyer_id"], ts=rd.now() - counts["503"] % 60)),
                           counts, stamps)
            if r.status != 303:
                bad.append(f"hand-off {no}: {r!r}")
                continue
            form = _retry_503(lambda: bc.get(f"/refund/new?order={no}"), counts, stamps)
            if form.status != 200:
                bad.append(f"form {no}: {form!r}")
                continue
            idem = f"kill{k}x{n}x{rd.unique('I')}"
            fields = {"csrf": rd.csrf_of(form), "order": no, "type": "not_delivered",
                      "reason": rd.GOOD_REASON, "destination": "balance", "idem": idem}
            r = _retry_503(lambda: bc.post_form("/refund/new", fields), counts, stamps)
            with lock:
                counts[f"submit {r.status}"] += 1
            if r.status != 303:
                bad.append(f"submit {no}: {r!r}")
                continue
            accepted.append((no, body["buyer_id"], idem, mm.refund_location(r)))

    pid = int(open(os.path.join(d, "g2", "mysqld.pid")).read().strip())
    seen_b = []
    with ThreadPoolExecutor(max_workers=4) as ex:
        futs = [ex.submit(load, k) for k in range(4)]
        time.sleep(3)
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        time.sleep(2)
        seen_b.append(rd.Client(b).get("/healthz").text)
        time.sleep(2)
        restarted_at = time.monotonic()
        subprocess.Popen([os.path.join(d, "g2", "start")], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for f in futs:
            f.result()
    for _ in range(600):
        if _wsrep(2, "wsrep_local_state_comment") == "Synced":
            break
        time.sleep(0.1)
    rejoined = time.monotonic() - restarted_at
    with open(os.path.join(d, "g2", "mysqld.log"), errors="replace") as f:
        log = f.read()
    how = "IST" if "IST received" in log or "Receiving IST" in log else "SST"
    late = [s - killed_at for s in stamps if not (killed_at - 1 <= s <= restarted_at + rejoined + 5)]
    print(f"galera: node 2 SIGKILLed {killed_at - t0:.1f} s into {load_secs} s of load, started again "
          f"{restarted_at - killed_at:.1f} s later, Synced {rejoined:.1f} s after that by {how}; "
          f"answers {dict(counts)}; pool B during the outage: {[x for x in seen_b[0].split(chr(10)) if x.startswith('db:')]}", flush=True)
    check(_wsrep(2, "wsrep_local_state_comment") == "Synced", "node 2 did not rejoin Synced in 60 s")
    check(not bad, f"{len(bad)} requests failed: {bad[:5]}")
    check(not late, f"503s outside the outage: {late[:5]}")
    check(seen_b and "127.0.0.1:" + os.environ["RD_DB_PORTS"].split(",")[1] not in seen_b[0]
          and "wsrep: Synced" in seen_b[0], f"pool B's /healthz while node 2 was down: {seen_b}")
    check(len(accepted) >= 20, f"only {len(accepted)} submissions accepted in {load_secs} s")
    # Every accepted request exactly once, on every node.
    for n in (1, 2, 3):
        sock = _nodes()[n - 1]
        rows = rd.db("SELECT o.order_no, COUNT(DISTINCT r.id), SUM(t.kind = 'refund') FROM orders o "
                     "JOIN refunds r ON r.order_id = o.id JOIN ledger_txns t ON t.order_id = o.id "
                     "WHERE o.order_no IN (" + ",".join(q(x[0]) for x in accepted) + ") GROUP BY o.order_no",
                     socket=sock)
        per = {no: (int(nr), int(nt)) for no, nr, nt in rows}
        wrong = [(no, per.get(no)) for no, *_ in accepted if per.get(no) != (1, 1)]
        check(not wrong, f"node {n}: accepted submissions not there exactly once: {wrong[:5]}")
        holds = int(rd.db("SELECT COUNT(*) FROM ledger_txns t JOIN orders o ON o.id = t.order_id WHERE "
                          "t.kind = 'hold' AND o.order_no IN (" + ",".join(q(x) for x in registered) + ")",
                          socket=sock)[0][0])
        check(holds == len(registered), f"node {n}: {holds} holds for {len(registered)} registered orders")
    _check_ledger_every_node("a node killed under load")
