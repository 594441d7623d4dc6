"""money_model.py: a small reference model of refund-desk's money, for
test_money.py and test_concurrency.py, plus the helpers both need (the binary's
check-ledger and worker, buyer hand-offs shared across connections, the staff
console).

The model is written from DOMAIN.md, CONTRACT.md and the code's stated rules
(policy.c's table, ledger.c, submit.c, cmd_worker.c); it predicts, for one
operation at a time, the HTTP status the app answers and what it does to the
escrow hold and the refunds. It never reads the database: it is compared with
what GET /api/v1/orders/NO says after every step. Staff decisions are an
admin's (h_desk_decision.c, desk.c).
"""

import copy
import itertools
import os
import subprocess
import time
import urllib.parse

import rd
from rd import check

HOUR = 3600
DAY = 24 * HOUR
MONEY_MAX = 1 << 53

CATEGORIES = ("game_card", "direct_topup", "phone_credit", "membership", "licence")
CHANNELS = ("alipay", "wechat", "bank", "balance")
KINDS = ("card_key", "direct_topup", "account", "licence")
TOPUPS = ("pending", "succeeded", "failed")
FINAL = ("refunded", "rejected", "cancelled", "closed")
REVIEW = ("cs_review", "merchant_review", "arbitration")
BUYER_ACTIONABLE = ("submitted", "awaiting_upstream", "cs_review", "merchant_review", "need_info", "arbitration")
DUE_STATES = ("cs_review", "merchant_review", "need_info", "awaiting_upstream")

# policy.c: EVIDENCE_DEFAULT, and policy_defaults() per category:
# (window, fee_bp, used_refundable, hold).
EVIDENCE_DEFAULT = {"topup_failed", "invalid_item", "not_as_described", "duplicate_charge",
                    "wrong_account"}
DEFAULTS = {
    "game_card": (72 * HOUR, 1000, True, 72 * HOUR),
    "direct_topup": (24 * HOUR, 500, True, 24 * HOUR),
    "phone_credit": (24 * HOUR, 500, False, 24 * HOUR),
    "membership": (48 * HOUR, 1500, True, 72 * HOUR),
    "licence": (7 * DAY, 1000, True, 7 * DAY),
}


# ---------------------------------------------------------------- the binary

def _bin():
    return [rd.env("RD_BIN"), "--config", rd.env("RD_CONFIG")]


def _run(args, **kw):
    """Runs the binary; a build replacing it under us (EACCES, ETXTBSY for a
    moment) is waited out rather than taken for a failure."""
    for attempt in range(5):
        try:
            return subprocess.run(_bin() + args, capture_output=True, text=True, timeout=120, **kw)
        except OSError:
            if attempt == 4:
                raise
            time.sleep(0.5)


def check_ledger(what=""):
    """Runs `refund-desk check-ledger`; fails with its report unless exit 0."""
    p = _run(["check-ledger"])
    check(p.returncode == 0,
          f"check-ledger{' after ' + what if what else ''}: exit {p.returncode}: "
          f"{(p.stdout + p.stderr).strip()}")
    return p.stdout


def worker_once(*args):
    p = _run(["worker", "--once", *args])
    check(p.returncode == 0, f"worker --once: exit {p.returncode}: {(p.stdout + p.stderr).strip()}")
    return p.stdout


# ---------------------------------------------------------------- buyers

class Buyer:
    """One buyer's session, entered once through a hand-off link; any number
    of connections carry the same cookie (and so the same CSRF token)."""

    def __init__(self, order):
        c = rd.buyer_session(order)
        self.buyer_id = order["buyer_id"]
        self.sid = c.jar[rd.COOKIE]
        self.csrf = rd.csrf_of(rd.open_form(c, order["order_no"]))

    def client(self, source=None):
        c = rd.Client(source=source)
        c.jar[rd.COOKIE] = self.sid
        return c


def submit_body(buyer, order_no, rtype, dest, idem, files=(), wrong=None, reason=rd.GOOD_REASON):
    """(body bytes, content type) of POST /refund/new: multipart with files,
    urlencoded without."""
    fields = [("csrf", buyer.csrf), ("order", order_no), ("type", rtype), ("reason", reason),
              ("destination", dest), ("idem", idem)]
    if wrong is not None:
        fields.append(("wrong_account", wrong))
    if files:
        return rd.multipart(fields, files)
    return (urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")


def refund_location(resp):
    """The refund id a 303 points at, or None."""
    if resp.status != 303:
        return None
    loc = resp.location() or ""
    m = rd.REFUND_PATH.match(loc)
    return m.group(1) if m else None


# ---------------------------------------------------------------- staff console

class Staff:
    """An admin logged in to /desk. present() says whether the console exists."""

    @staticmethod
    def present():
        return rd.Client().get("/desk/login").status != 404

    def __init__(self, source=None):
        login = rd.unique("adm").lower()
        password = "pw-" + rd.unique("x")
        p = _run(["staff", "add", "--role", "admin", "--login", login], input=password + "\n")
        check(p.returncode == 0, f"staff add: exit {p.returncode}: {(p.stdout + p.stderr).strip()}")
        self.c = rd.Client(source=source)
        form = rd.expect_status(self.c.get("/desk/login"), 200)
        r = self.c.post_form("/desk/login", {"csrf": rd.csrf_of(form), "login": login,
                                             "password": password})
        check(r.status == 303 and (r.location() or "").startswith("/desk"),
              f"POST /desk/login: {r!r}")
        check("rds" in self.c.jar, f"the staff login set no 'rds' cookie: {r!r}")
        # The token belongs to the staff session: any desk page carries it,
        # also a request page in a state with no decision form.
        self.csrf = rd.csrf_of(rd.expect_status(self.c.get("/desk"), 200))

    def decide(self, rid, action, amount=None, note=None):
        page = self.c.get(f"/desk/refund/{rid}")
        check(page.status == 200, f"GET /desk/refund/{rid}: {page!r}")
        # The form takes yuan as typed (CONTRACT.md §4) and acts on confirm=1.
        f = {"csrf": self.csrf, "action": action, "confirm": "1"}
        if amount is not None:
            f["amount"] = ("-" if amount < 0 else "") + f"{abs(amount) // 100}.{abs(amount) % 100:02d}"
        if note is not None:
            f["note"] = note
        r = self.c.post_form(f"/desk/refund/{rid}/decision", f)
        if r.status == 303:
            check(r.location() == f"/desk/refund/{rid}",
                  f"a decision on {rid} went to {r.location()!r}")
        return r


# ---------------------------------------------------------------- policy

def category_policy(category, cfg=None):
    """(window, fee_bp, used_refundable, hold, evidence set) with config overrides."""
    window, fee_bp, used_ok, hold = DEFAULTS[category]
    evidence = set(EVIDENCE_DEFAULT)
    over = ((cfg or {}).get("categories") or {}).get(category) or {}
    window = over.get("window_hours", window // HOUR) * HOUR
    fee_bp = over.get("fee_bp", fee_bp)
    hold = over.get("hold_hours", hold // HOUR) * HOUR
    used_ok = over.get("used_refundable", used_ok)
    if "evidence" in over:
        evidence = set(over["evidence"])
    return window, fee_bp, used_ok, hold, evidence


def money_fee(amount, bp):
    """money.c: floor(amount * bp / 10000), without overflow."""
    if amount <= 0 or bp <= 0:
        return 0
    amount = min(amount, MONEY_MAX)
    bp = min(bp, 10000)
    q, r = divmod(amount, 10000)
    return q * bp + (r * bp) // 10000


class Decision:
    def __init__(self, kind, reason, reviewer="", fee_bp=0, amount=0, evidence=False, ask=False):
        self.kind = kind                 # not_allowed, instant, review
        self.ask = ask                   # review only because the use is unknown (issue 15)
        self.reason = reason
        self.reviewer = reviewer
        self.requested = amount if kind != "not_allowed" else 0
        self.fee = money_fee(amount, fee_bp) if kind != "not_allowed" else 0
        self.refund = self.requested - self.fee
        self.evidence = evidence

    def __repr__(self):
        return (f"<{self.kind} {self.reason} {self.reviewer} {self.requested}-{self.fee}"
                f"={self.refund}{' evidence' if self.evidence else ''}>")


def _used(o):
    if o.category == "phone_credit" and o.topup == "succeeded":
        return True
    if o.kind == "card_key":
        return o.key_revealed_at != 0 or o.redeemed
    if o.kind == "licence":
        return o.activated_at != 0 or o.redeemed
    if o.kind == "direct_topup":
        return o.topup == "succeeded"
    return o.kind == "account"


def _unused(o):
    if o.category == "phone_credit":
        if o.topup == "failed":
            return True
        if o.topup == "pending":
            return False
    if o.kind == "card_key":
        return o.key_revealed_at == 0 and not o.redeemed
    if o.kind == "licence":
        return o.activated_at == 0 and not o.redeemed
    if o.kind == "direct_topup":
        return o.topup == "failed"
    return False


def usage_of(o):
    if o.delivery != "delivered":
        return "unknown"
    if _used(o):
        return "used"
    return "unused" if _unused(o) else "unknown"


def decide(o, rtype, now, cfg=None):
    """policy.c's policy_decide() without risk (the stacks run with risk off)."""
    window, fee_bp, used_ok, _hold, evidence = category_policy(o.category, cfg)
    a = o.amount
    delivered = o.delivery == "delivered"
    arrived = o.category == "phone_credit" and o.topup == "succeeded"
    expired = delivered and now > o.delivered_at + window
    topup_cat = o.category in ("direct_topup", "phone_credit")
    no = lambda why: Decision("not_allowed", why)     # noqa: E731
    if rtype == "not_delivered":
        if delivered:
            return no("already_delivered")
        return Decision("instant", "not_delivered", amount=a)
    if rtype == "topup_failed":
        if not topup_cat:
            return no("type_not_for_category")
        if not delivered:
            return no("not_yet_delivered")
        if arrived:
            return no("credit_arrived")
        if o.topup == "failed":         # the platform's fault: no window
            return Decision("instant", "topup_failed_upstream", amount=a)
        if expired:
            return no("window_expired")
        if o.topup == "succeeded":
            return Decision("review", "topup_succeeded", "cs", amount=a, evidence=True)
        return Decision("review", "needs_review_topup", "cs", amount=a,
                        evidence="topup_failed" in evidence, ask=True)
    if rtype in ("invalid_item", "not_as_described"):
        if not delivered:
            return no("not_yet_delivered")
        if arrived:
            return no("credit_arrived")
        if usage_of(o) == "used" and not used_ok:
            return no("used_not_refundable")
        if expired:
            return no("window_expired")
        return Decision("review", "needs_review_defect",
                        "merchant" if rtype == "not_as_described" else "cs", amount=a,
                        evidence=rtype in evidence)
    if rtype == "duplicate_charge":
        return Decision("review", "needs_review_duplicate", "cs", amount=a,
                        evidence="duplicate_charge" in evidence)
    if rtype == "wrong_account":
        if not topup_cat:
            return no("type_not_for_category")
        if not delivered:
            return no("not_yet_delivered")
        if expired:
            return no("window_expired")
        return Decision("review", "needs_review_wrong_account", "cs", fee_bp, a,
                        evidence="wrong_account" in evidence)
    if rtype == "changed_mind":
        if not delivered:
            return Decision("instant", "not_delivered", amount=a)
        if arrived:
            return no("credit_arrived")
        u = usage_of(o)
        if u == "used":
            return no("used_no_changed_mind")
        if expired:
            return no("window_expired")
        if u == "unused":
            return Decision("instant", "unused_changed_mind", fee_bp=fee_bp, amount=a)
        return Decision("review", "unused_changed_mind", "cs", fee_bp, a, ask=True)
    return no("type_not_for_category")


# ---------------------------------------------------------------- the state

class Order:
    def __init__(self, body):
        self.no = body["order_no"]
        self.buyer = body["buyer_id"]
        self.merchant = body["merchant_id"]
        self.category = body["category"]
        self.channel = body["pay_channel"]
        self.amount = body["amount"]
        self.body = body
        self.delivery = "pending"
        self.kind = ""
        self.delivered_at = 0
        self.key_revealed_at = 0
        self.redeemed = False
        self.topup = ""
        self.activated_at = 0
        self.hold = "held"
        self.released = self.refunded = self.fees = 0
        self.release_due = False        # release_at forced into the past
        self.confirmed = False
        self.refunds = []               # public ids, oldest first


class Refund:
    def __init__(self, rid, order_no, rtype, dest, d):
        self.id = rid
        self.order_no = order_no
        self.type = rtype
        self.dest = dest
        self.state = "submitted"
        self.requested = d.requested
        self.fee = d.fee
        self.amount = d.refund
        self.due = False                # deadline forced into the past
        self.created_at = 0             # the policy's time when upstream answers
        self.appealed = False
        self.payout_failed = False      # the payment service reported a failed payout
        self.via_balance = False        # staff moved a failed payout to the balance
        self.paid_out = False           # the payment service confirmed the payout
        # i10-appeal2: an appeal of a partial refund (within the window its
        # payment opened) and the arbiter's award on top of amount.
        self.window = False
        self.appealed_partial = False
        self.award = 0

    def __repr__(self):
        return f"<refund {self.id} {self.type} {self.state} {self.amount}>"


class Model:
    """Every method takes one operation and returns the status the app should
    answer; the state changes as the app's should."""

    def __init__(self, cfg=None):
        self.cfg = cfg
        self.orders = {}
        self.refunds = {}
        self.idem = {}                  # (buyer, idem) -> refund id
        self.notes = []                 # questionable behaviour seen, for the report

    def copy(self):
        return copy.deepcopy(self)

    # -- helpers

    def open_refund(self, o):
        for rid in o.refunds:
            if self.refunds[rid].state not in FINAL:
                return self.refunds[rid]
        return None

    def _needs_payout(self, o, rf):
        return rf.dest == "original" and o.channel != "balance"

    def _refundable(self, o):
        """order_refundable(): what a refund can still take from the order."""
        if o.hold in ("held", "frozen"):
            return o.amount
        return o.released if o.hold == "released" else 0

    def _unfreeze(self, o):
        if o.hold == "frozen":
            o.hold = "held"

    def _partial(self, rf):
        """refund_is_partial(): less than asked beyond the fee."""
        return rf.amount + rf.fee < rf.requested

    def _paid(self, rf):
        """Reached refunded: a partial, not appealed, opens the appeal window."""
        rf.state = "refunded"
        rf.window = self._partial(rf) and not rf.appealed

    def _award_payout(self, o, rf):
        """The award goes as the first refund went: the balance once a payout failed."""
        return self._needs_payout(o, rf) and not rf.payout_failed

    def _award(self, o, rf, x):
        """The arbiter's award (ledger_award_max, ledger_plan_appeal_refund):
        422 past what is left, else taken back from the merchant."""
        most = min(o.amount - rf.amount - rf.fee, o.released)
        if not 1 <= x <= most:
            return 422
        o.released -= x
        o.refunded += x
        rf.award, rf.paid_out = x, False
        if self._award_payout(o, rf):
            rf.state = "refunding"
        else:
            self._paid(rf)
        return 303

    def _pay(self, o, rf, amount=None):
        """ledger_refund + settle_refund: True when the money moved."""
        amount = rf.amount if amount is None else amount
        if o.hold in ("held", "frozen"):
            rest = o.amount - amount - rf.fee
            if rest < 0:
                return False
            o.hold, o.released, o.refunded, o.fees = "refunded", rest, amount, rf.fee
        elif o.hold == "released":
            if amount > o.released:
                return False
            o.released -= amount
            o.refunded += amount
        else:
            return False
        rf.amount = amount
        if self._needs_payout(o, rf):
            rf.state = "refunding"
        else:
            self._paid(rf)
        rf.due = False
        return True

    # -- storefront

    def register(self, body):
        o = Order(body)
        self.orders[o.no] = o
        return 201

    def deliver(self, no, state, kind, at):
        o = self.orders[no]
        if (o.delivery == "delivered" and state != "delivered") or o.hold == "refunded":
            return 409
        if o.delivery == "delivered" and at < o.delivered_at:
            return 409                  # an older report never moves the window (stale_report)
        o.delivery, o.kind = state, kind
        o.delivered_at = at if state == "delivered" else 0
        self._upstream_answer(o)
        return 200

    # A top-up moves "" -> pending -> failed | succeeded, failed -> succeeded;
    # succeeded is final (CONTRACT.md §5: usage facts only move forward).
    TOPUP_NEXT = {"": {"", "pending", "succeeded", "failed"}, "pending": {"pending", "succeeded", "failed"},
                  "failed": {"failed", "succeeded"}, "succeeded": {"succeeded"}}

    def usage(self, no, f):
        o = self.orders[no]
        if "topup" in f and f["topup"] not in self.TOPUP_NEXT[o.topup or ""]:
            return 409
        if "key_revealed_at" in f and o.key_revealed_at == 0:
            o.key_revealed_at = f["key_revealed_at"]
        if "redeemed" in f:
            o.redeemed = o.redeemed or f["redeemed"]
        if "activated_at" in f and o.activated_at == 0:
            o.activated_at = f["activated_at"]
        if "topup" in f:
            o.topup = f["topup"]
        self._upstream_answer(o)
        return 200

    def _upstream_answer(self, o):
        """upstream_ask.c: a report on an order whose request awaits upstream
        decides it again, at the time the buyer asked."""
        rf = self.open_refund(o)
        if rf is None or rf.state != "awaiting_upstream":
            return
        d = decide(o, rf.type, rf.created_at, self.cfg)
        if d.kind == "review" and d.ask:
            return
        if d.kind == "instant" and d.refund == rf.amount and d.fee == rf.fee and \
                rf.amount <= self._refundable(o):
            check(self._pay(o, rf), "model: an answered request that cannot pay")
        else:
            rf.state, rf.due = "cs_review", False

    def payout(self, rid, result):
        rf = self.refunds.get(rid)
        if rf is None:
            return 404
        if rf.state == "refunded" and result == "succeeded":
            return 200 if rf.paid_out else 409   # a repeated report; else it never went out that way
        if rf.state != "refunding":
            return 409
        if result == "succeeded":
            self._paid(rf)
            rf.paid_out = True
        else:
            rf.payout_failed = True
        return 200

    # -- buyer

    def submit(self, no, rtype, dest, idem, nfiles, wrong, now, created_id=None):
        """(status, refund id or None). created_id: the id the app gave a new
        request (known only after the fact)."""
        o = self.orders[no]
        key = (o.buyer, idem)
        if key in self.idem:
            return 303, self.idem[key]
        if dest not in ("original", "balance"):
            return 422, None
        d = decide(o, rtype, now, self.cfg)
        if d.kind == "not_allowed" or (d.evidence and nfiles == 0) or \
                (rtype == "wrong_account" and not wrong):
            return 422, None
        if self.open_refund(o) is not None:
            return 409, None
        if d.refund > self._refundable(o):
            return 422, None            # no request nobody could pay
        rid = created_id or f"?{len(self.refunds)}"
        rf = Refund(rid, no, rtype, dest, d)
        rf.created_at = now
        wait = ((self.cfg or {}).get("upstream") or {}).get("wait_seconds", 300)
        if d.kind == "instant":
            check(self._pay(o, rf), "model: an instant refund that cannot pay")
        elif d.ask and wait > 0:
            rf.state = "awaiting_upstream"      # the storefront is asked first
            if o.hold == "held":
                o.hold = "frozen"
        else:
            rf.state = "merchant_review" if d.reviewer == "merchant" else "cs_review"
            if o.hold == "held":
                o.hold = "frozen"
        self.refunds[rid] = rf
        self.idem[key] = rid
        o.refunds.append(rid)
        return 303, rid

    def confirm(self, no):
        o = self.orders[no]
        if self.open_refund(o) is not None:
            return 409
        if o.hold == "held":
            o.hold, o.released, o.confirmed = "released", o.amount, True
        return 303

    def cancel(self, rid):
        rf = self.refunds[rid]
        if rf.state not in BUYER_ACTIONABLE or rf.appealed_partial:
            return 409                  # an appealed partial's money is paid: no undoing it
        rf.state, rf.due = "cancelled", False
        self._unfreeze(self.orders[rf.order_no])
        return 303

    def evidence(self, rid):
        rf = self.refunds[rid]
        if rf.state not in BUYER_ACTIONABLE:
            return 409
        if rf.state == "need_info":
            rf.state, rf.due = "cs_review", False
        return 303

    def appeal(self, rid):
        """Within the window (tests never wait a week)."""
        rf = self.refunds[rid]
        o = self.orders[rf.order_no]
        partial = rf.state == "refunded" and rf.window and not rf.appealed
        if (rf.state != "rejected" and not partial) or rf.appealed:
            return 409
        if self.open_refund(o) is not None:
            return 409                  # the open slot is taken
        rf.state, rf.appealed, rf.due = "arbitration", True, False
        if partial:
            rf.appealed_partial, rf.window = True, False   # paid already: the hold stays
        elif o.hold == "held":
            o.hold = "frozen"
        return 303

    # -- staff (an admin: h_desk_decision.c, desk.c)

    ADMIN = {
        "cs_review": ("approve", "reject", "request_info", "escalate"),
        "merchant_review": ("approve", "reject", "request_info", "escalate"),
        "arbitration": ("approve", "reject", "request_info"),
        "refunding": ("to_balance",),
    }

    def staff(self, rid, action, amount=None, note=None):
        """An admin's decision; amount None: the full refund amount."""
        rf = self.refunds[rid]
        o = self.orders[rf.order_no]
        # The form's fields are checked before the state.
        if action in ("reject", "request_info") and len(note or "") < 2:
            return 422
        if action == "approve" and amount is not None and not 0 <= amount <= MONEY_MAX:
            return 422                  # not an amount at all (money_parse_yuan)
        if action not in self.ADMIN.get(rf.state, ()):
            return 409
        if action == "to_balance" and not rf.payout_failed:
            return 409                  # the money may still arrive the original way
        if rf.state == "arbitration" and rf.appealed_partial:
            # i10-appeal2: award more (typed yuan only) or uphold; nothing else.
            if action == "approve":
                return 422 if amount is None else self._award(o, rf, amount)
            if action == "reject":
                self._paid(rf)
                return 303
            return 409
        if action == "approve":
            x = rf.amount if amount is None else amount
            if x != rf.amount and not 1 <= x <= rf.requested - rf.fee:
                return 422
            if not self._pay(o, rf, x):
                return 409              # nothing (or not enough) left to pay from
        elif action == "reject":
            rf.state = "rejected"
            self._unfreeze(o)
        elif action == "request_info":
            rf.state = "need_info"
        elif action == "escalate":
            rf.state = "merchant_review" if rf.state == "cs_review" else "arbitration"
        else:
            self._paid(rf)
            rf.via_balance = True
        rf.due = False
        return 303

    # -- the worker: releases, then deadlines (cmd_worker.c)

    def worker_release(self, nos=None):
        for no in (nos if nos is not None else list(self.orders)):
            o = self.orders[no]
            if o.release_due and o.hold == "held" and self.open_refund(o) is None:
                o.hold, o.released = "released", o.amount

    def worker_deadlines(self, nos=None):
        for no in (nos if nos is not None else list(self.orders)):
            for rid in self.orders[no].refunds:
                rf = self.refunds[rid]
                if not rf.due or rf.state not in DUE_STATES:
                    continue
                if rf.state == "merchant_review":
                    # Silence is consent; with nothing left to pay from, it closes.
                    o = self.orders[no]
                    if rf.amount > self._refundable(o):
                        rf.state, rf.due = "closed", False
                        self._unfreeze(o)
                    else:
                        check(self._pay(o, rf), "model: a timed-out merchant review that cannot pay")
                elif rf.state == "cs_review":
                    rf.state, rf.due = "merchant_review", False
                elif rf.state == "awaiting_upstream":
                    rf.state, rf.due = "cs_review", False   # no answer: a person, never money
                else:
                    rf.state, rf.due = "closed", False
                    self._unfreeze(self.orders[no])

    def worker(self, nos=None):
        self.worker_release(nos)
        self.worker_deadlines(nos)


# ---------------------------------------------------------------- the app's view

def db_crashes():
    """How many times the stack's MariaDB died (its log says so)."""
    try:
        with open(os.path.join(rd.env("RD_DIR"), "mysqld.log"), errors="replace") as f:
            return f.read().count("got signal")
    except OSError:
        return 0


def api_order(no, client=None):
    r = rd.api("GET", f"/api/v1/orders/{no}", client=client)
    if r.status == 503 and db_crashes():
        raise AssertionError(f"GET /api/v1/orders/{no}: {r!r}; MariaDB crashed "
                             f"({db_crashes()} 'got signal' in {rd.env('RD_DIR')}/mysqld.log)")
    check(r.status == 200, f"GET /api/v1/orders/{no}: {r!r}")
    return r.json()


def app_invariants(j):
    """What must hold of any order whatever happened to it; returns a
    description of the first breach, or None."""
    o, refunds = j["order"], j["refunds"]
    h = o["hold"]
    a = o["amount"]
    if h["amount"] != a:
        return f"hold amount {h['amount']} != order amount {a}"
    if min(h["released"], h["refunded"], h["fees"]) < 0:
        return f"negative hold figure {h}"
    if h["state"] in ("held", "frozen"):
        if h["released"] or h["refunded"] or h["fees"]:
            return f"open hold with money moved out {h}"
    elif h["state"] in ("released", "refunded"):
        if h["released"] + h["refunded"] + h["fees"] != a:
            return f"resolved hold: {a} != {h['released']} + {h['refunded']} + {h['fees']}"
    else:
        return f"unknown hold state {h['state']!r}"
    paid = sum(r["refund_amount"] + r.get("appeal_award", 0) for r in refunds
               if r["state"] in ("refunded", "refunding") or r.get("appeal") == "partial")
    if paid != h["refunded"]:
        return f"refunds paid {paid} but the hold says refunded {h['refunded']}"
    if paid > a:
        return f"the buyer got {paid} for an order of {a}"
    open_ = [r for r in refunds if r["state"] not in FINAL]
    if len(open_) > 1:
        return f"{len(open_)} open refunds: {[r['id'] for r in open_]}"
    if h["state"] == "frozen" and not open_:
        return "hold frozen with no open refund"
    if open_ and open_[0]["state"] not in ("refunding", "approved") and h["state"] == "held":
        return f"open refund {open_[0]['id']} ({open_[0]['state']}) but the hold is not frozen"
    for r in refunds:
        if r["fee"] < 0 or r["refund_amount"] < 0 or r["refund_amount"] + r.get("appeal_award", 0) + r["fee"] > a:
            return f"refund {r['id']} amounts: {r['refund_amount']} + fee {r['fee']} of {a}"
    return None


def diff_order(m, j):
    """Differences between the model's order and the app's, as strings."""
    out = []
    o = m.orders[j["order"]["order_no"]]
    h = j["order"]["hold"]
    want = {"state": o.hold, "released": o.released, "refunded": o.refunded, "fees": o.fees}
    for k, v in want.items():
        if h[k] != v:
            out.append(f"hold.{k}: app {h[k]!r}, model {v!r}")
    app = {r["id"]: r for r in j["refunds"]}
    if set(app) != set(o.refunds):
        out.append(f"refunds: app {sorted(app)}, model {sorted(o.refunds)}")
    for rid in o.refunds:
        rf, a = m.refunds[rid], app.get(rid)
        if a is None:
            continue
        for k, v in (("state", rf.state), ("type", rf.type), ("destination", rf.dest),
                     ("fee", rf.fee), ("refund_amount", rf.amount), ("appeal_award", rf.award)):
            if a[k] != v:
                out.append(f"refund {rid}.{k}: app {a[k]!r}, model {v!r}")
    return out


def serial_orders(ops):
    """Every order the ops may run in, keeping each op's own phases in order
    (an op is a list of phases; the worker has two: releases, deadlines)."""
    slots = [i for i, op in enumerate(ops) for _ in op]
    seen = set()
    for perm in itertools.permutations(slots):
        if perm in seen:
            continue
        seen.add(perm)
        yield perm


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.strip() else default
