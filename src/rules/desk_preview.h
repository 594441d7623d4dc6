/* desk_preview.h: what a staff decision would do, before it is done
 * (CONTRACT.md §4: without confirm=1 the desk answers with a preview and
 * changes nothing). The approval's amount from its quick choice, and the
 * money movement read off the same ledger plan ledger_refund() would post
 * (rules/ledger_plan.c). Pure: no I/O. */
#ifndef RD_DESK_PREVIEW_H
#define RD_DESK_PREVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "rules/ledger_plan.h"

/* The approval's quick choices (the form's amount_choice). */
enum amount_choice {
	AC_FULL,     /* 全额: the whole request, the fee waived */
	AC_NET,      /* 扣手续费后: the request less the policy's fee */
	AC_CUSTOM,   /* 自定义: the yuan the agent typed, the fee kept */
	AC__MAX
};
extern const char *const amount_choice_names[AC__MAX];
extern const char *const amount_choice_labels[AC__MAX];

/* The amount and fee an approval pays. choice < 0: none given (the
 * request's own amount unless typed is set, then custom). typed: the parsed
 * yuan, or NULL when none was typed. NULL when fine, else the field's
 * message (an amount over what may be refunded, or zero). */
const char *desk_amount_resolve(int choice, const int64_t *typed, int64_t requested, int64_t fee,
    int64_t current, int64_t *amount, int64_t *fee_out);

/* The approval's movement as the buyer, the merchant and the platform see
 * it, summed from the plan's entries. */
struct desk_money {
	int64_t to_buyer;        /* payout:CHANNEL or buyer:ID */
	bool via_payout;         /* the original way (the payment service pays) */
	int64_t to_merchant;     /* what the merchant is released of the hold */
	int64_t fee;             /* platform:fees */
	int64_t clawback;        /* taken back from the merchant (after release) */
	bool from_escrow;        /* from the open hold (else a claw-back) */
};
/* RD_ERR_CONFLICT when nothing can be paid (the hold resolved as refunded,
 * a claw-back larger than the merchant got), as ledger_plan_refund(). */
enum rd_err desk_money_preview(const struct plan_order *o, const struct plan_refund *rf, struct desk_money *m);

/* The arbiter's award on appeal of a partial refund: every quick choice
 * but custom awards the most there is (max, ledger_award_max()); typed
 * yuan award that much, 1 fen to max. NULL when fine, else the field's
 * message (a msgid: the page translates it). */
const char *desk_award_resolve(int choice, const int64_t *typed, int64_t max, int64_t *award);
/* The award's movement (rf->award set), from ledger_plan_appeal_refund(). */
enum rd_err desk_award_preview(const struct plan_order *o, const struct plan_refund *rf, struct desk_money *m);

#endif
