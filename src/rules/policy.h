/* policy.h: the refund policy engine. Pure: an order with its delivery and
 * usage state, the category's policy, a refund type, the time and the buyer's
 * risk facts go in; a decision comes out. No I/O, no clock, no allocation. */
#ifndef RD_POLICY_H
#define RD_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "rules/domain.h"

struct category_policy {
	long long window_secs;       /* after delivery, for the types bound to a window */
	int fee_bp;                  /* recycling fee on unused goods, basis points 0..10000 */
	bool used_refundable;        /* may used goods be refunded for a real defect */
	unsigned evidence_mask;      /* bit (1u << refund_type): that type needs evidence */
	long long hold_secs;         /* escrow auto-release after payment */
};

/* Defaults per DOMAIN.md for each category (config may override). */
void policy_defaults(enum category c, struct category_policy *out);

struct order_facts {
	enum category category;
	int64_t amount;                /* paid, fen */
	long long paid_at;
	enum delivery_state delivery;
	enum delivery_kind kind;
	long long delivered_at;        /* 0 when not delivered */
	long long key_revealed_at;     /* 0 when never revealed */
	bool redeemed;
	enum topup_state topup;
	long long activated_at;        /* 0 when never activated */
};

struct risk_limits {
	int max_refunds_24h;           /* this many refunds or more by the buyer: review (0: off) */
	int max_refunds_90d;
	int max_ip_requests_1h;
};

struct risk_facts {
	int refunds_24h;               /* this buyer's refund requests, last 24 h */
	int refunds_90d;
	int ip_requests_1h;            /* requests from this IP, last hour */
	bool blacklisted;              /* buyer or IP on the blacklist */
};

enum risk_flag {
	RISK_BUYER_24H = 1u << 0,
	RISK_BUYER_90D = 1u << 1,
	RISK_IP_1H = 1u << 2,
	RISK_BLACKLIST = 1u << 3,
};

/* The risk rule's checks one by one, in enum risk_flag's bit order: what
 * was counted, the limit it was held to, and whether it fired (the desk
 * shows the numbers behind a flag: "24 小时内退款 5 次，上限 2"). */
enum risk_check { RC_BUYER_24H, RC_BUYER_90D, RC_IP_1H, RC_BLACKLIST, RC__MAX };
struct risk_figure {
	int count;                     /* RC_BLACKLIST: 1 when listed */
	int limit;                     /* fires at count >= limit; 0: the check is off (RC_BLACKLIST: 1) */
	bool fired;
};
/* Fills out[] from the facts and limits; the flags policy_apply_risk()
 * sets are exactly (1u << i) for each fired out[i]. */
void policy_risk_figures(const struct risk_facts *r, const struct risk_limits *l,
    struct risk_figure out[RC__MAX]);

enum decision_kind { DECIDE_NOT_ALLOWED, DECIDE_INSTANT, DECIDE_REVIEW, DECIDE__MAX };
extern const char *const decision_kind_names[DECIDE__MAX];

enum reviewer { REVIEWER_NONE, REVIEWER_CS, REVIEWER_MERCHANT, REVIEWER_ARBITER, REVIEWER__MAX };
extern const char *const reviewer_names[REVIEWER__MAX];

/* Why a decision came out as it did; policy_reason_text() gives the buyer's
 * wording (Simplified Chinese). */
enum policy_reason {
	PR_NOT_DELIVERED,            /* instant: goods never delivered */
	PR_TOPUP_FAILED_UPSTREAM,    /* instant: upstream reported the top-up failed */
	PR_UNUSED_CHANGED_MIND,      /* instant minus fee: verifiably unused */
	PR_NEEDS_REVIEW_DEFECT,      /* review: a defect claim needs a person */
	PR_NEEDS_REVIEW_TOPUP,       /* review: top-up state unknown or pending */
	PR_NEEDS_REVIEW_DUPLICATE,   /* review: payment records are checked */
	PR_NEEDS_REVIEW_WRONG_ACCOUNT,
	PR_RISK_REVIEW,              /* would be instant, risk facts sent it to review */
	PR_ALREADY_DELIVERED,        /* not_delivered claimed on delivered goods */
	PR_NOT_YET_DELIVERED,        /* a delivered-goods type before delivery */
	PR_WINDOW_EXPIRED,
	PR_USED_NO_CHANGED_MIND,     /* opened digital goods: no no-reason refund */
	PR_CREDIT_ARRIVED,           /* phone credit that arrived is final */
	PR_USED_NOT_REFUNDABLE,      /* category does not refund used goods */
	PR_TYPE_NOT_FOR_CATEGORY,    /* e.g. topup_failed on a game card */
	PR_TOPUP_SUCCEEDED,          /* topup_failed claimed, upstream says it arrived */
	PR__MAX
};
const char *policy_reason_text(enum policy_reason r);

struct decision {
	enum decision_kind kind;
	enum policy_reason reason;
	enum reviewer reviewer;        /* first reviewer when kind == DECIDE_REVIEW */
	int64_t requested;             /* what the buyer may ask for, fen */
	int64_t fee;                   /* recycling fee, fen */
	int64_t refund;                /* requested - fee */
	bool evidence_required;
	bool recycle_item;             /* goods go back to stock (unused) */
	long long deadline;            /* last moment to apply for this type; 0 = none */
	unsigned risk_flags;           /* enum risk_flag bits that moved it to review */
	/* A REVIEW only because nobody reported the goods' use (the unknown
	 * class): the desk asks the storefront before a person (issue 15).
	 * Never with risk flags: those go to a person as before. */
	bool ask_upstream;
};

/* Decides one refund type for one order at time now. risk may be NULL (the
 * form page before the buyer acts); limits may be NULL (no risk checks). */
void policy_decide(const struct order_facts *o, const struct category_policy *cp,
    enum refund_type t, long long now, const struct risk_facts *risk,
    const struct risk_limits *limits, struct decision *out);
/* Every type at once, without risk: what a request's form shows and its
 * submission starts from (decided once per request). */
void policy_decide_all(const struct order_facts *o, const struct category_policy *cp,
    long long now, struct decision out[RT__MAX]);
/* The risk facts' part of policy_decide() on a decision made without them. */
void policy_apply_risk(struct decision *d, const struct risk_facts *r, const struct risk_limits *l);

#endif
