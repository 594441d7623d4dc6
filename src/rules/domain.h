/* domain.h: the fixed sets of the business (DOMAIN.md), each an enum plus a
 * name table of the same order ending at a __MAX sentinel. Names are the
 * wire and database spelling; labels are what a buyer reads. */
#ifndef RD_DOMAIN_H
#define RD_DOMAIN_H

#include <stddef.h>

enum refund_type {
	RT_NOT_DELIVERED,
	RT_TOPUP_FAILED,
	RT_INVALID_ITEM,
	RT_NOT_AS_DESCRIBED,
	RT_DUPLICATE_CHARGE,
	RT_WRONG_ACCOUNT,
	RT_CHANGED_MIND,
	RT__MAX
};
extern const char *const refund_type_names[RT__MAX];
extern const char *const refund_type_labels[RT__MAX];

enum category {
	CAT_GAME_CARD,
	CAT_DIRECT_TOPUP,
	CAT_PHONE_CREDIT,
	CAT_MEMBERSHIP,
	CAT_LICENCE,
	CAT__MAX
};
extern const char *const category_names[CAT__MAX];
extern const char *const category_labels[CAT__MAX];

enum delivery_state { DELIV_PENDING, DELIV_DELIVERED, DELIV_FAILED, DELIV__MAX };
extern const char *const delivery_state_names[DELIV__MAX];
extern const char *const delivery_state_labels[DELIV__MAX];

enum delivery_kind { KIND_NONE, KIND_CARD_KEY, KIND_DIRECT_TOPUP, KIND_ACCOUNT, KIND_LICENCE, KIND__MAX };
extern const char *const delivery_kind_names[KIND__MAX];   /* KIND_NONE is "" */
extern const char *const delivery_kind_labels[KIND__MAX];

enum topup_state { TOPUP_UNKNOWN, TOPUP_PENDING, TOPUP_SUCCEEDED, TOPUP_FAILED, TOPUP__MAX };
extern const char *const topup_state_names[TOPUP__MAX];     /* TOPUP_UNKNOWN is "" */
extern const char *const topup_state_labels[TOPUP__MAX];

enum pay_channel { PAY_ALIPAY, PAY_WECHAT, PAY_BANK, PAY_BALANCE, PAY__MAX };
extern const char *const pay_channel_names[PAY__MAX];
extern const char *const pay_channel_labels[PAY__MAX];

enum destination { DEST_ORIGINAL, DEST_BALANCE, DEST__MAX };
extern const char *const destination_names[DEST__MAX];
extern const char *const destination_labels[DEST__MAX];

enum refund_state {
	RS_SUBMITTED,
	RS_AWAITING_UPSTREAM,   /* usage unknown: the storefront was asked (issue 15) */
	RS_CS_REVIEW,
	RS_MERCHANT_REVIEW,
	RS_ARBITRATION,
	RS_NEED_INFO,
	RS_APPROVED,
	RS_REFUNDING,
	RS_REFUNDED,
	RS_REJECTED,
	RS_CANCELLED,
	RS_CLOSED,
	RS__MAX
};
extern const char *const refund_state_names[RS__MAX];
extern const char *const refund_state_labels[RS__MAX];
/* True for states after which nothing more happens to the request. */
int refund_state_final(enum refund_state s);

/* The escrow hold of an order: open (held, frozen while a request is under
 * review) until one resolution (released to the merchant, or refunded). The
 * names are also macros so the SQL in store/stmts.h is built from the same
 * text (SQL_NAME() quotes one). */
#define HOLD_NAME_HELD "held"
#define HOLD_NAME_FROZEN "frozen"
#define HOLD_NAME_RELEASED "released"
#define HOLD_NAME_REFUNDED "refunded"
enum hold_state { HOLD_HELD, HOLD_FROZEN, HOLD_RELEASED, HOLD_REFUNDED, HOLD__MAX };
extern const char *const hold_state_names[HOLD__MAX];
/* Held or frozen: the whole amount is still in escrow. */
int hold_state_open(enum hold_state s);

/* The kind of one ledger transaction (a money movement, ledger_plan.h). */
#define TXN_NAME_HOLD "hold"                 /* payment into escrow */
#define TXN_NAME_RELEASE "release"           /* escrow to the merchant */
#define TXN_NAME_REFUND "refund"             /* from the open hold to the buyer */
#define TXN_NAME_CLAWBACK "clawback"         /* from the merchant after release */
#define TXN_NAME_PAYOUT "payout"             /* payout:CHANNEL paid out the original way */
#define TXN_NAME_PAYOUT_BALANCE "payout_balance" /* a failed payout to the buyer's balance */
#define TXN_NAME_CLAIM "claim"               /* a receivable from the supplier is booked */
#define TXN_NAME_CLAIM_RECOVERED "claim_recovered" /* the supplier refunded: to the merchant */
#define TXN_NAME_CLAIM_WRITE_OFF "claim_write_off" /* rejected or expired: the merchant keeps the loss */
#define TXN_NAME_APPEAL_REFUND "appeal_refund" /* the arbiter's award after a partial: from the merchant */
enum txn_kind { TXN_HOLD, TXN_RELEASE, TXN_REFUND, TXN_CLAWBACK, TXN_PAYOUT, TXN_PAYOUT_BALANCE,
	TXN_CLAIM, TXN_CLAIM_RECOVERED, TXN_CLAIM_WRITE_OFF, TXN_APPEAL_REFUND, TXN__MAX };
extern const char *const txn_kind_names[TXN__MAX];

/* A claim up the chain (CONTRACT.md §7): pending (booked, not yet accepted
 * by the supplier), filed (the supplier has it), then one of recovered
 * (its refund came back), rejected (the supplier said no: written off),
 * written_off (no answer before the claim expired). */
#define CLAIM_NAME_PENDING "pending"
#define CLAIM_NAME_FILED "filed"
enum claim_state { CLAIM_PENDING, CLAIM_FILED, CLAIM_RECOVERED, CLAIM_REJECTED, CLAIM_WRITTEN_OFF, CLAIM__MAX };
extern const char *const claim_state_names[CLAIM__MAX];
#define claim_state_final(s) ((s) >= CLAIM_RECOVERED)

/* A name as an SQL string literal, for statements built at compile time. */
#define SQL_NAME(name) "'" name "'"

/* Index of name in table[0..n), or -1. */
int enum_lookup(const char *const *table, size_t n, const char *name);
#define ENUM_LOOKUP(table, name) enum_lookup((table), sizeof(table) / sizeof((table)[0]), (name))

#endif
