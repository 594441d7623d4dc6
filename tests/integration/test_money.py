"""A randomized money test with a printed, replayable seed: many orders, random
pay / deliver / use / refund / approve / confirm / payout / timeout sequences
over several connections, `check-ledger` after every step, and every answer
and every hold compared with a reference model (money_model.py).

Environment: RD_MONEY_SEED (default: random), RD_MONEY_OPS (300),
RD_MONEY_ORDERS (20), RD_MONEY_RACES=0 to leave out the concurrent steps,
RD_MONEY_VERBOSE=1 to print every step as it runs. A seed replays step for
step; with races, up to the first race the scheduler orders differently (a
race passes when its answers and end state match some serial order of its
actions), so RD_MONEY_RACES=0 runs are the exactly repeatable ones. Staff
decisions (as an admin) join in when the console answers GET /desk/login.
"""

import os
import random
import threading
import time

import money_model as mm
import rd
from rd import check

CLIENTS = 4
NOTE = "补充说明：充值记录与截图见附件，请核实。"


class Failure(AssertionError):
    pass


class Run:
    def __init__(self, seed, norders, nops):
        self.seed, self.norders, self.nops = seed, norders, nops
        self.rng = random.Random(seed)
        self.model = mm.Model(rd.config())
        self.clients = [rd.Client(source=rd.elsewhere()) for _ in range(CLIENTS)]
        self.buyers = {}                 # buyer id -> mm.Buyer
        self.buyer_ids = [rd.unique("MB") for _ in range(max(1, norders // 4))]
        self.merchants = [f"m-money-{k}" for k in range(3)]
        self.submissions = []            # (order, type, dest, idem, nfiles, wrong), to resend
        self.log = []
        self.step = 0
        self.races = os.environ.get("RD_MONEY_RACES", "1") != "0"
        self.verbose = bool(os.environ.get("RD_MONEY_VERBOSE"))
        self.staff = mm.Staff(rd.elsewhere()) if mm.Staff.present() else None
        self.stats = {}

    # -- bookkeeping

    def note(self, s):
        self.log.append(f"{self.step:4d} {s}")
        if self.verbose:
            print("money:", self.log[-1], flush=True)

    def count(self, what, status):
        k = f"{what} {status}"
        self.stats[k] = self.stats.get(k, 0) + 1

    def fail(self, msg):
        raise Failure(msg)

    def client(self, buyer_id=None):
        c = self.clients[self.step % CLIENTS]
        c.jar = {rd.COOKIE: self.buyers[buyer_id].sid} if buyer_id else {}
        return c

    def expect(self, what, got, want, resp=None):
        self.count(what, got)
        if got != want:
            self.fail(f"{what}: app answered {got}, model expected {want}"
                      + (f": {resp!r}" if resp is not None else ""))

    def verify(self, nos):
        """check-ledger, then each order: the app's invariants, then the model."""
        mm.check_ledger(f"step {self.step}")
        for no in nos:
            j = mm.api_order(no)
            bad = mm.app_invariants(j)
            if bad:
                self.fail(f"order {no}: {bad}: {j}")
            diff = self.order_diff(j)
            if diff:
                self.fail(f"order {no} differs from the model: {'; '.join(diff)}")

    def order_diff(self, j):
        """How the app's order j differs from the model (tests/soak/run
        compares more)."""
        return mm.diff_order(self.model, j)

    # -- choosing

    def pick(self, seq):
        seq = list(seq)
        return seq[self.rng.randrange(len(seq))] if seq else None

    def amount(self):
        x = self.rng.random()
        if x < 0.10:
            return 1
        if x < 0.25:
            return self.rng.randint(2, 99)
        if x < 0.80:
            return self.rng.randint(100, 200000)
        if x < 0.90:
            return self.rng.randint(10 ** 9, 10 ** 12)
        if x < 0.95:
            return mm.MONEY_MAX
        return mm.MONEY_MAX - self.rng.randint(1, 10 ** 6)

    def order_of(self, pred=None):
        return self.pick(o for o in self.model.orders.values() if pred is None or pred(o))

    def refund_of(self, states=None, bias=0.8):
        """A refund, in one of states with probability bias when there is one."""
        all_ = list(self.model.refunds.values())
        if states is not None and self.rng.random() < bias:
            good = [r for r in all_ if r.state in states]
            if good:
                return self.pick(good)
        return self.pick(all_)

    def choose(self):
        n = len(self.model.orders)
        if n < min(3, self.norders):
            return "register"
        w = {
            "register": 8 if n < self.norders else 0,
            "register_again": 1,
            "deliver": 12,
            "usage": 9,
            "submit": 26,
            "resubmit": 3 if self.submissions else 0,
            "cancel": 7 if self.model.refunds else 0,
            "evidence": 2 if self.model.refunds else 0,
            "appeal": 2 if self.model.refunds else 0,
            "confirm": 8,
            "payout": 8 if self.model.refunds else 0,
            "timeout": 8,
            "staff": 14 if self.staff and self.model.refunds else 0,
            "race": 6 if self.races else 0,
        }
        ops = [k for k in w if w[k] > 0]
        return self.rng.choices(ops, [w[k] for k in ops])[0]

    # -- operations; each returns the order numbers it may have changed

    def op_register(self):
        buyer = self.pick(self.buyer_ids)
        cat = self.pick(mm.CATEGORIES)
        body = rd.order_body(buyer_id=buyer, merchant_id=self.pick(self.merchants), category=cat,
                             pay_channel=self.pick(mm.CHANNELS), amount=self.amount(),
                             title=f"随机订单 {cat}")
        r = rd.api("POST", "/api/v1/orders", body, client=self.client())
        self.note(f"register {body['order_no']} buyer={buyer} {cat} {body['pay_channel']} "
                  f"amount={body['amount']} -> {r.status}")
        self.count("register", r.status)
        if r.status not in rd.REGISTERED:
            self.fail(f"register: {r!r}")
        self.model.register(body)
        if buyer not in self.buyers:
            self.buyers[buyer] = mm.Buyer(body)
        return [body["order_no"]]

    def op_register_again(self):
        o = self.order_of()
        same = self.rng.random() < 0.5
        body = dict(o.body) if same else dict(o.body, amount=o.amount % mm.MONEY_MAX + 1)
        r = rd.api("POST", "/api/v1/orders", body, client=self.client())
        self.note(f"register again {o.no} {'same' if same else 'changed amount'} -> {r.status}")
        self.expect("register again", r.status, 200 if same else 409, r)
        return [o.no]

    def op_deliver(self):
        o = self.order_of()
        state = "delivered" if self.rng.random() < 0.75 else "failed"
        natural = {"game_card": "card_key", "direct_topup": "direct_topup",
                   "phone_credit": "direct_topup", "membership": "account", "licence": "licence"}
        kind = natural[o.category] if self.rng.random() < 0.6 else self.pick(mm.KINDS)
        # Mostly just now; sometimes long ago, so every window has passed.
        at = rd.now() - (30 if self.rng.random() < 0.85 else 8 * mm.DAY + 600)
        r = rd.api("POST", f"/api/v1/orders/{o.no}/delivery",
                   {"state": state, "kind": kind, "at": at}, client=self.client())
        self.note(f"deliver {o.no} {state} {kind} at=now-{rd.now() - at} -> {r.status}")
        self.expect("deliver", r.status, self.model.deliver(o.no, state, kind, at), r)
        return [o.no]

    def op_usage(self):
        o = self.order_of()
        f = {}
        while not f:
            if self.rng.random() < 0.35:
                f["key_revealed_at"] = rd.now()
            if self.rng.random() < 0.25:
                f["redeemed"] = self.rng.random() < 0.5
            if self.rng.random() < 0.45:
                f["topup"] = self.pick(mm.TOPUPS)
            if self.rng.random() < 0.25:
                f["activated_at"] = rd.now()
        r = rd.api("POST", f"/api/v1/orders/{o.no}/usage", f, client=self.client())
        self.note(f"usage {o.no} {f} -> {r.status}")
        self.expect("usage", r.status, self.model.usage(o.no, f), r)
        return [o.no]

    def new_submission(self, o):
        m = self.model
        allowed = [t for t in rd.REFUND_TYPES
                   if mm.decide(o, t, rd.now(), m.cfg).kind != "not_allowed"]
        rtype = self.pick(allowed) if allowed and self.rng.random() < 0.65 else \
            self.pick(rd.REFUND_TYPES)
        x = self.rng.random()
        dest = "original" if x < 0.45 else "balance" if x < 0.9 else self.pick(["paypal", ""])
        d = mm.decide(o, rtype, rd.now(), m.cfg)
        nfiles = 1 if self.rng.random() < (0.85 if d.evidence else 0.2) else 0
        wrong = "13800138000" if rtype == "wrong_account" and self.rng.random() < 0.85 else None
        idem = "%032x" % self.rng.getrandbits(128)
        return (o.no, rtype, dest, idem, nfiles, wrong)

    def send_submission(self, sub, client):
        no, rtype, dest, idem, nfiles, wrong = sub
        o = self.model.orders[no]
        files = [rd.File(rd.png(f"{no}-{idem}"), "shot.png", "image/png")] if nfiles else []
        body, ctype = mm.submit_body(self.buyers[o.buyer], no, rtype, dest, idem, files, wrong)
        return client.request("POST", "/refund/new", body=body, headers={"Content-Type": ctype})

    def check_submission(self, sub, r, model=None):
        """The model's verdict on one submission the app answered with r:
        (expected status, expected id) after applying it to model."""
        no, rtype, dest, idem, nfiles, wrong = sub
        rid = mm.refund_location(r)
        return (model or self.model).submit(no, rtype, dest, idem, nfiles, wrong, rd.now(),
                                            created_id=rid)

    def op_submit(self, sub=None):
        o = self.order_of() if sub is None else self.model.orders[sub[0]]
        sub = sub or self.new_submission(o)
        r = self.send_submission(sub, self.client(o.buyer))
        rid = mm.refund_location(r)
        if r.status == 303 and rid is None:
            self.fail(f"submit: 303 elsewhere than /refund/ID: {r!r}")
        want, want_id = self.check_submission(sub, r)
        self.note(f"submit {sub[0]} type={sub[1]} dest={sub[2]!r} idem={sub[3][:8]} "
                  f"files={sub[4]} wrong={sub[5] is not None} -> {r.status} {rid or ''} "
                  f"(hold {o.hold})")
        self.expect("submit", r.status, want, r)
        if want == 303:
            check(rid == want_id, f"submit went to {rid}, the model says {want_id}")
        if r.status == 409 and (op := self.model.open_refund(o)) is not None:
            check(f"/refund/{op.id}" in r.text, f"the 409 page does not link to {op.id}: {r!r}")
        self.submissions.append(sub)
        return [o.no]

    def op_resubmit(self):
        sub = self.pick(self.submissions)
        self.note(f"resubmit idem={sub[3][:8]}")
        return self.op_submit(sub)

    def buyer_post(self, rf, action, fields):
        o = self.model.orders[rf.order_no]
        buyer = self.buyers[o.buyer]
        f = dict(fields, csrf=buyer.csrf, confirm="1")   # past the confirm step
        return self.client(o.buyer).post_form(f"/refund/{rf.id}/{action}", f)

    def op_cancel(self):
        rf = self.refund_of(mm.BUYER_ACTIONABLE)
        before = rf.state
        r = self.buyer_post(rf, "cancel", {})
        self.note(f"cancel {rf.id} ({before}) -> {r.status}")
        self.expect("cancel", r.status, self.model.cancel(rf.id), r)
        return [rf.order_no]

    def op_evidence(self):
        rf = self.refund_of(("need_info",) + mm.BUYER_ACTIONABLE)
        before = rf.state
        r = self.buyer_post(rf, "evidence", {"note": NOTE})
        self.note(f"evidence {rf.id} ({before}) -> {r.status}")
        self.expect("evidence", r.status, self.model.evidence(rf.id), r)
        return [rf.order_no]

    def op_appeal(self):
        # Rejections and (i10-appeal2) partial refunds; any other state is refused.
        rf = self.refund_of(("rejected", "refunded"), 0.9)
        before = rf.state
        r = self.buyer_post(rf, "appeal", {"note": "我不同意驳回，附件可以证明卡密无效。"})
        self.note(f"appeal {rf.id} ({before}) -> {r.status}")
        self.expect("appeal", r.status, self.model.appeal(rf.id), r)
        return [rf.order_no]

    def op_confirm(self):
        o = self.order_of()
        before = o.hold
        r = self.client(o.buyer).post_form(f"/order/{o.no}/confirm",
                                           {"csrf": self.buyers[o.buyer].csrf, "confirm": "1"})
        self.note(f"confirm {o.no} (hold {before}) -> {r.status}")
        self.expect("confirm", r.status, self.model.confirm(o.no), r)
        return [o.no]

    def op_payout(self):
        rf = self.refund_of(("refunding",))
        result = "succeeded" if self.rng.random() < 0.75 else "failed"
        before = rf.state
        r = rd.api("POST", f"/api/v1/refunds/{rf.id}/payout", {"state": result},
                   client=self.client())
        self.note(f"payout {rf.id} ({before}) {result} -> {r.status}")
        self.expect("payout", r.status, self.model.payout(rf.id, result), r)
        return [rf.order_no]

    def force_due(self, o=None):
        """Moves one deadline into the past: a refund's or a hold's (of o
        when given)."""
        due = [r for r in self.model.refunds.values() if r.state in mm.DUE_STATES
               and (o is None or r.order_no == o.no)]
        if due and self.rng.random() < 0.6:
            rf = self.pick(due)
            rd.db(f"UPDATE refunds SET deadline = UNIX_TIMESTAMP() - 5 "
                  f"WHERE public_id = {rd.q(rf.id)} AND deadline > 0")
            rf.due = True
            return f"refund {rf.id} ({rf.state})"
        o = o or self.order_of()
        rd.db("UPDATE holds h JOIN orders o ON o.id = h.order_id SET h.release_at = "
              f"UNIX_TIMESTAMP() - 5 WHERE o.order_no = {rd.q(o.no)}")
        o.release_due = True
        return f"hold {o.no} ({o.hold})"

    def op_timeout(self):
        what = self.force_due()
        out = mm.worker_once()
        self.note(f"timeout {what}; {out.strip()}")
        self.count("timeout", "worker")
        self.model.worker()
        return list(self.model.orders)

    def op_staff(self):
        rf = self.refund_of(mm.REVIEW + ("refunding",), 0.85)
        o = self.model.orders[rf.order_no]
        before = rf.state
        if before == "refunding" and self.rng.random() < 0.7:
            action = "to_balance"
        else:
            action = self.rng.choices(["approve", "reject", "request_info", "escalate",
                                       "to_balance"], [50, 20, 12, 13, 5])[0]
        amount = note = None
        if action == "approve":
            x = self.rng.random()
            if x < 0.45:
                amount = None
            elif x < 0.85:
                amount = self.rng.randint(1, max(1, rf.amount))
            else:
                amount = self.pick([0, rf.amount + 1])
        elif action in ("reject", "request_info") and self.rng.random() < 0.85:
            note = "凭证不足，请补充充值记录截图。"
        r = self.staff.decide(rf.id, action, amount, note)
        self.note(f"staff {action} {rf.id} ({before}, hold {o.hold}) amount={amount} "
                  f"note={note is not None} -> {r.status}")
        self.expect(f"staff {action}", r.status, self.model.staff(rf.id, action, amount, note), r)
        return [o.no]

    # -- races: a few actions on one order at once, from separate connections

    def op_race(self):
        o = self.order_of()
        m = self.model
        cands = [("confirm",), ("submit", self.new_submission(o)), ("submit", self.new_submission(o))]
        op = m.open_refund(o)
        if op is not None:
            cands.append(("cancel", op.id))
            if op.state == "refunding":
                cands.append(("payout", op.id))
            acts = mm.Model.ADMIN.get(op.state, ()) if self.staff else ()
            if acts:
                act = self.pick(a for a in acts if a != "request_info")
                cands.append(("staff", op.id, act, NOTE if act == "reject" else None))
        cands.append(("worker",))
        ops = self.rng.sample(cands, self.rng.randint(2, min(3, len(cands))))
        forced = ""
        if any(p[0] == "worker" for p in ops):
            forced = self.force_due(o)
        buyer = self.buyers[o.buyer]
        barrier = threading.Barrier(len(ops))
        results = [None] * len(ops)

        def fire(i, p):
            c = rd.Client(source=self.clients[i % CLIENTS].source[0])
            c.jar = {rd.COOKIE: buyer.sid}
            barrier.wait(timeout=30)
            try:
                if p[0] == "confirm":
                    results[i] = c.post_form(f"/order/{o.no}/confirm", {"csrf": buyer.csrf, "confirm": "1"})
                elif p[0] == "submit":
                    results[i] = self.send_submission(p[1], c)
                elif p[0] == "cancel":
                    results[i] = c.post_form(f"/refund/{p[1]}/cancel", {"csrf": buyer.csrf, "confirm": "1"})
                elif p[0] == "payout":
                    results[i] = rd.api("POST", f"/api/v1/refunds/{p[1]}/payout",
                                        {"state": "succeeded"}, client=c)
                elif p[0] == "staff":
                    results[i] = self.staff.decide(p[1], p[2], None, p[3])
                else:
                    results[i] = mm.worker_once()
            except Exception as e:         # reported below, with the others
                results[i] = e

        threads = [threading.Thread(target=fire, args=(i, p)) for i, p in enumerate(ops)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for i, res in enumerate(results):
            if isinstance(res, Exception) or res is None:
                self.fail(f"race op {ops[i][0]} raised {res!r}")
        codes = [0 if p[0] == "worker" else results[i].status for i, p in enumerate(ops)]
        desc = ", ".join(f"{p[0]}{' ' + p[1][1] if p[0] == 'submit' else ''}"
                         f"{' ' + p[2] if p[0] == 'staff' else ''}->{codes[i]}"
                         for i, p in enumerate(ops))
        self.note(f"race on {o.no} (hold {o.hold}{'; forced ' + forced if forced else ''}): {desc}")
        for i, p in enumerate(ops):
            self.count(f"race {p[0]}", codes[i])
            if p[0] == "submit":
                self.submissions.append(p[1])
        j = mm.api_order(o.no)
        phases = [[("w1",), ("w2",)] if p[0] == "worker" else [p] for p in ops]
        tried = []
        for perm in mm.serial_orders(phases):
            mc = m.copy()
            got = [None] * len(ops)
            nth = [0] * len(ops)
            for i in perm:
                ph = phases[i][nth[i]]
                nth[i] += 1
                got[i] = self.apply(mc, o.no, ph, results[i])
            got = [0 if ops[i][0] == "worker" else g for i, g in enumerate(got)]
            diff = mm.diff_order(mc, j)
            if got == codes and not diff:
                if any(p[0] == "worker" for p in ops):
                    mc.worker([n for n in mc.orders if n != o.no])
                self.model = mc
                self.note(f"  = serial order {[ops[i][0] for i in perm]}")
                return list(self.model.orders) if forced else [o.no]
            tried.append(f"{[ops[i][0] for i in perm]}: codes {got} {'; '.join(diff)}")
        self.fail(f"race on {o.no}: answers {codes} and the app's state match no serial order "
                  f"of {[p[0] for p in ops]}:\n  " + "\n  ".join(tried) + f"\n  app: {j}")

    def apply(self, m, no, ph, resp):
        """One phase of a race op on a model copy: its expected status."""
        kind = ph[0]
        if kind == "confirm":
            return m.confirm(no)
        if kind == "submit":
            s, _ = self.check_submission(ph[1], resp, m)
            return s
        if kind == "cancel":
            return m.cancel(ph[1])
        if kind == "payout":
            return m.payout(ph[1], "succeeded")
        if kind == "staff":
            return m.staff(ph[1], ph[2], None, ph[3])
        if kind == "w1":
            m.worker_release([no])
            return 0
        m.worker_deadlines([no])
        return 0

    # -- the run

    def go(self):
        mm.check_ledger("nothing (before the run)")
        for self.step in range(1, self.nops + 1):
            op = self.choose()
            touched = getattr(self, "op_" + op)()
            self.keep_upstream_waiting()
            self.verify(touched)

    def keep_upstream_waiting(self):
        """A request awaiting upstream gets the stack's short wait (scripts/test:
        3 s); like every other deadline of the walk it passes only when
        force_due() says so, so after each step it is pushed a day out."""
        ids = [rf.id for rf in self.model.refunds.values() if rf.state == "awaiting_upstream" and not rf.due]
        if ids:
            rd.db("UPDATE refunds SET deadline = UNIX_TIMESTAMP() + 86400 WHERE state = 'awaiting_upstream' "
                  f"AND deadline > UNIX_TIMESTAMP() AND public_id IN ({', '.join(rd.q(i) for i in ids)})")

    def summary(self):
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.stats.items()))

    def ledger_kinds(self):
        """How many money transactions of each kind the run made."""
        if not self.model.orders:
            return ""
        nos = ", ".join(rd.q(n) for n in self.model.orders)
        rows = rd.db("SELECT t.kind, COUNT(*) FROM ledger_txns t JOIN orders o ON o.id = t.order_id "
                     f"WHERE o.order_no IN ({nos}) GROUP BY t.kind ORDER BY t.kind")
        return ", ".join(f"{k} {n}" for k, n in rows)


def test_money_randomized():
    seed = mm.env_int("RD_MONEY_SEED", random.SystemRandom().randrange(1, 10 ** 9))
    nops = mm.env_int("RD_MONEY_OPS", 300)
    norders = mm.env_int("RD_MONEY_ORDERS", 20)
    print(f"money: seed={seed} orders={norders} ops={nops}", flush=True)
    races = "0" if os.environ.get("RD_MONEY_RACES", "1") == "0" else "1"
    replay = (f"RD_MONEY_SEED={seed} RD_MONEY_ORDERS={norders} RD_MONEY_OPS={nops} "
              f"RD_MONEY_RACES={races} RD_TEST_FILTER=test_money.test_money_randomized "
              f"python3 tests/integration/run.py")
    print(f"money: replay: {replay}", flush=True)
    t0 = time.monotonic()
    run = Run(seed, norders, nops)
    if run.staff is None:
        print("money: no staff console (GET /desk/login is 404): staff decisions left out",
              flush=True)
    try:
        run.go()
    except Exception as e:
        print(f"money: FAILED at step {run.step} (seed={seed}); the steps so far:", flush=True)
        for line in run.log:
            print("money:   " + line, flush=True)
        print(f"money: {type(e).__name__}: {e}", flush=True)
        raise AssertionError(f"seed={seed} step={run.step}: {e} | replay: {replay}") from None
    finally:
        for n in sorted(set(run.model.notes)):
            print(f"money: note: {n}", flush=True)
    print(f"money: {run.step} steps, {len(run.model.orders)} orders, {len(run.model.refunds)} "
          f"refunds in {time.monotonic() - t0:.1f} s", flush=True)
    print(f"money: answers: {run.summary()}", flush=True)
    print(f"money: ledger transactions: {run.ledger_kinds()}", flush=True)


def test_staff_partial_approval_splits_the_hold():
    # An admin approves part of a reviewed request on a held order: the buyer
    # gets that part, the merchant the rest, once; up to the largest amount
    # an order may have (2^53 fen, 16 digits).
    if not mm.Staff.present():
        print("money: no staff console (GET /desk/login is 404): skipped", flush=True)
        return
    staff = mm.Staff(rd.elsewhere())
    for amount, part in ((10000, 2500), (mm.MONEY_MAX, 10 ** 15 + 7), (mm.MONEY_MAX, None)):
        o = rd.used_card(amount=amount, pay_channel="balance")
        rid = rd.new_refund(rd.buyer_session(o), o, destination="balance")
        check(rd.refund_row(rid)["state"] == "cs_review", f"refund {rd.refund_row(rid)}")
        # None: the full amount, written out as the form would send it.
        r = staff.decide(rid, "approve", amount if part is None else part)
        check(r.status == 303, f"approving {part or amount} of {amount}: {r!r}")
        paid = amount if part is None else part
        j = mm.api_order(o["order_no"])
        h = j["order"]["hold"]
        check((h["state"], h["refunded"], h["released"], h["fees"]) ==
              ("refunded", paid, amount - paid, 0), f"approved {paid} of {amount}: hold {h}")
        rf = j["refunds"][0]
        check((rf["state"], rf["refund_amount"]) == ("refunded", paid), f"refund {rf}")
        check(mm.app_invariants(j) is None, mm.app_invariants(j))
        mm.check_ledger(f"approving {paid} of {amount}")


def test_appeal_award_at_the_largest_amount():
    # i10-appeal2: a partial of the largest order, appealed, the rest awarded
    # (typed to the fen): the model and the app agree on every figure, and
    # one fen more than what is left is refused.
    if not mm.Staff.present():
        print("money: no staff console (GET /desk/login is 404): skipped", flush=True)
        return
    staff = mm.Staff(rd.elsewhere())
    m = mm.Model()
    o = rd.used_card(amount=mm.MONEY_MAX, pay_channel="balance")
    m.register(o)
    no = o["order_no"]
    buyer = rd.buyer_session(o)
    rid = rd.new_refund(buyer, o, destination="balance")
    j = mm.api_order(no)
    rf = mm.Refund(rid, no, "invalid_item", "balance", mm.Decision("review", "r", "cs", 0, mm.MONEY_MAX))
    rf.state = "cs_review"
    m.refunds[rid] = rf
    m.orders[no].refunds.append(rid)
    m.orders[no].hold = "frozen"
    a = j["refunds"][0]
    check(a["state"] == "cs_review", f"the request: {a}")
    rf.requested, rf.fee, rf.amount = a["requested_amount"], a["fee"], a["refund_amount"]
    part = 10 ** 15 + 7
    check(staff.decide(rid, "approve", part).status == 303 and m.staff(rid, "approve", part) == 303, "the partial")
    page = rd.expect_status(buyer.get(f"/refund/{rid}/appeal"), 200)
    r = buyer.post_form(f"/refund/{rid}/appeal", {"csrf": rd.csrf_of(page), "note": "不同意。", "confirm": "1"})
    check(r.status == 303 and m.appeal(rid) == 303, f"the appeal: {r!r}")
    left = mm.MONEY_MAX - part - rf.fee
    check(staff.decide(rid, "approve", left + 1).status == 422 and m.staff(rid, "approve", left + 1) == 422,
          "one fen over what is left")
    check(staff.decide(rid, "approve", left).status == 303 and m.staff(rid, "approve", left) == 303, "the award")
    j = mm.api_order(no)
    check(mm.app_invariants(j) is None, mm.app_invariants(j))
    check(not mm.diff_order(m, j), f"app and model differ: {mm.diff_order(m, j)}")
    h = j["order"]["hold"]
    check((h["refunded"], h["released"]) == (part + left, 0), f"the merchant keeps nothing: {h}")
    mm.check_ledger("an award at the largest amount")


def test_check_ledger_finds_an_order_without_its_hold():
    """An order and its hold are one transaction (db.c's in-transaction guard
    keeps it so on Galera): check-ledger reports an order without one."""
    body = rd.order_body()
    rd.expect_status(rd.api("POST", "/api/v1/orders", body), 201)
    bare = rd.unique("BARE")
    rd.db(f"CREATE TEMPORARY TABLE bare SELECT * FROM orders WHERE order_no = '{body['order_no']}'; "
          f"UPDATE bare SET id = 0, order_no = '{bare}'; INSERT INTO orders SELECT * FROM bare")
    try:
        p = mm._run(["check-ledger"])
        check(p.returncode == 1 and f"O2 order {bare} has no hold" in p.stdout,
              f"check-ledger did not report the order without a hold: exit {p.returncode}: {p.stdout.strip()}")
    finally:
        rd.db(f"DELETE FROM orders WHERE order_no = '{bare}'")
    mm.check_ledger("the bare order removed")
