/* flow.h: the refund lifecycle in one table. A row says: from this state,
 * on this event, these roles may move the request to that state; which
 * deadline then starts, what happens to the escrow hold, which webhook goes
 * out, and the timeline's note when the caller gives none. Every
 * transition (buyer, staff, worker, API, the submission itself) is a row
 * written by flow_apply() (store/flow_apply.c); the buyer's and the staff's
 * allowed actions are read from the same rows. Pure: no I/O.
 *
 * Adding a staff action: its event below (before FE_STAFF__MAX), its name
 * and label in flow.c, its rows in flow_rows[], and a row in the unit test's
 * expectations (tests/unit/test_flow.c). */
#ifndef RD_FLOW_H
#define RD_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "rules/domain.h"

/* The request does not exist yet: the "from" of the submission's row. */
#define FLOW_NEW RS__MAX

/* What happens. The staff's actions come first: their names are the
 * decision form's `action` values (CONTRACT.md §4) and desk.h's actions. */
enum flow_event {
	FE_APPROVE,             /* full or partial; the money moves at once */
	FE_REJECT,              /* with a reason; the buyer may appeal once */
	FE_REQUEST_INFO,        /* the buyer is asked for more evidence */
	FE_ESCALATE,            /* cs -> merchant -> arbiter */
	FE_TO_BALANCE,          /* a failed original-path payout goes to the balance */
	FE_STAFF__MAX,
	FE_SUBMIT = FE_STAFF__MAX, /* the request is filed */
	FE_ROUTE_CS,            /* the policy sends it to customer service */
	FE_ROUTE_MERCHANT,      /* ... or to the merchant (disputed goods) */
	FE_ASK_UPSTREAM,        /* ... or, the goods' use unknown, asks the storefront first */
	FE_PAY_ORIGINAL,        /* approved: payout requested the original way */
	FE_PAY_BALANCE,         /* approved: paid to the platform balance */
	FE_PAYOUT_DONE,         /* the payment service paid it out */
	FE_PAYOUT_FAILED,       /* ... or reports that it failed */
	FE_CANCEL,              /* the buyer withdraws it */
	FE_EVIDENCE,            /* the buyer adds evidence or a note */
	FE_APPEAL,              /* the buyer appeals a rejection or a partial refund */
	FE_CLOSE,               /* a deadline passed with nothing to do */
	FE__MAX
};
extern const char *const flow_event_names[FE__MAX];
extern const char *const flow_event_labels[FE__MAX];

/* Who acts. The staff roles have staff.h's order; worker is the deadline
 * timer, system the submission's own decision and what follows an
 * approval, api the storefront and its payment service. */
enum flow_role {
	FROLE_CS,
	FROLE_MERCHANT,
	FROLE_ARBITER,
	FROLE_ADMIN,
	FROLE_BUYER,
	FROLE_WORKER,
	FROLE_SYSTEM,
	FROLE_API,
	FROLE__MAX
};
extern const char *const flow_role_names[FROLE__MAX];
/* The timeline's actor for each role (CONTRACT.md §5 "actor"). */
extern const char *const flow_actor_names[FROLE__MAX];
#define FR(role) (1u << (role))

/* Which wait starts on arrival (DOMAIN.md "deadlines drive it"). */
enum flow_deadline {
	FDL_NONE,               /* no deadline (0) */
	FDL_CS_REVIEW,
	FDL_MERCHANT_REVIEW,    /* silence means the merchant agrees */
	FDL_ARBITRATION,
	FDL_NEED_INFO,          /* the buyer silent: the request closes */
	FDL_APPEAL,             /* the appeal window, none after an appeal */
	FDL_UPSTREAM,           /* the storefront's time to answer (config upstream.wait_seconds) */
	FDL_PARTIAL_APPEAL,     /* paid: the appeal window when partial and not appealed, else none */
	FDL__MAX
};
#define SLA_CS_REVIEW (24 * 3600)
#define SLA_MERCHANT_REVIEW (48 * 3600)
#define SLA_ARBITRATION (72 * 3600)
#define SLA_NEED_INFO (72 * 3600)
#define SLA_APPEAL_WINDOW (7 * 24 * 3600)

/* What the step does to the order's escrow hold and ledger. */
enum flow_hold {
	FLOW_HOLD_NONE,
	FLOW_HOLD_FREEZE,       /* a request opens: held -> frozen */
	FLOW_HOLD_UNFREEZE,     /* it ends without money: frozen -> held */
	FLOW_HOLD_REFUND,       /* pay the refund (ledger_refund), then FE_PAY_* */
	FLOW_HOLD_PAYOUT_DONE,  /* payout:CHANNEL -> external (ledger_payout_done) */
	FLOW_HOLD_PAYOUT_TO_BALANCE, /* payout:CHANNEL -> buyer's balance */
	FLOW_HOLD_APPEAL_AWARD, /* the arbiter's award after a partial: from the merchant
				 * (ledger_appeal_refund), then FE_PAY_* */
	FLOW_HOLD__MAX
};

/* A condition on the request besides its state. */
enum flow_guard {
	FLOW_GUARD_NONE,
	FLOW_GUARD_APPEAL_OPEN,    /* not appealed yet, within the window */
	FLOW_GUARD_PAYOUT_FAILED,  /* the payment service said it failed */
	FLOW_GUARD_UNPAID,         /* no money paid yet (not an appeal of a partial) */
	FLOW_GUARD_PARTIAL_APPEAL_OPEN, /* a partial refund, not appealed, within its window */
	FLOW_GUARD_PAID_APPEAL,    /* an appeal of a partial refund: money already paid */
};

/* A flag the step sets on the request. */
enum flow_mark { FLOW_MARK_NONE, FLOW_MARK_APPEALED, FLOW_MARK_PAYOUT_FAILED, FLOW_MARK_APPEALED_PARTIAL };

struct flow_row {
	enum refund_state from;
	enum flow_event event;
	unsigned roles;            /* FR(role) bits */
	enum refund_state to;      /* to == from: only a timeline event */
	enum flow_deadline deadline;
	enum flow_hold hold;
	enum flow_guard guard;
	enum flow_mark mark;
	const char *webhook;       /* type (CONTRACT.md §5), or NULL */
	bool buyer_visible;        /* on the buyer's timeline (every step is, today) */
	const char *note;          /* the timeline's note when the caller has none */
	bool note_fixed;           /* the caller's note is not used */
};
extern const struct flow_row flow_rows[];
extern const size_t flow_nrows;

/* What the guards read of a request. */
struct flow_facts {
	bool appealed, payout_failed;
	long long deadline;
	bool partial;              /* paid less than asked beyond the fee (refund_is_partial) */
	bool paid_appeal;          /* appealed a partial refund: money already paid */
};

/* The first row for this event by this role from this state, or NULL.
 * (from, event, role) has more than one row only where guards tell them
 * apart: flow_allowed() picks the one whose guard holds. */
const struct flow_row *flow_find(enum refund_state from, enum flow_event ev, enum flow_role role);
/* The row for (from, ev, role) whose guard holds for these facts at now. */
const struct flow_row *flow_allowed(enum refund_state from, enum flow_event ev, enum flow_role role,
    const struct flow_facts *f, long long now);
/* The deadline a row starts at time now (0: none) for a request with
 * these facts; FDL_UPSTREAM is now + upstream_wait, the one wait the
 * config sets. */
long long flow_deadline(const struct flow_row *row, const struct flow_facts *f, long long now,
    long long upstream_wait);
/* Bit (1u << event) for every event role may cause now. */
unsigned flow_events_allowed(enum refund_state from, enum flow_role role, const struct flow_facts *f,
    long long now);

/* The buyer's actions on the status page: bits of the same events. */
#define ACT_CANCEL (1u << FE_CANCEL)
#define ACT_EVIDENCE (1u << FE_EVIDENCE)
#define ACT_APPEAL (1u << FE_APPEAL)
struct refund;
unsigned refund_actions(const struct refund *rf, long long now);
struct flow_facts flow_facts_of(const struct refund *rf);

#endif
