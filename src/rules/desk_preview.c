/* desk_preview.c: the approval's amount from its quick choice, and its
 * movement from the ledger plan it would post. */
#include <string.h>

#include "base/i18n.h"
#include "rules/desk_preview.h"

const char *const amount_choice_names[AC__MAX] = { "full", "net", "custom" };
const char *const amount_choice_labels[AC__MAX] = { N_("全额"), N_("扣手续费后"), N_("自定义") };

const char *
desk_amount_resolve(int choice, const int64_t *typed, int64_t requested, int64_t fee, int64_t current,
    int64_t *amount, int64_t *fee_out)
{
	int64_t net = requested - fee;

	if (choice < 0 && typed == NULL) {
		*amount = current;       /* what the policy set: the form's default */
		*fee_out = fee;
		return NULL;
	}
	if (choice == AC_FULL) {
		*amount = requested;
		*fee_out = 0;
		return NULL;
	}
	if (choice == AC_NET) {
		*amount = net;
		*fee_out = fee;
		return net > 0 ? NULL : N_("扣除手续费后没有可退的金额。");
	}
	if (typed == NULL)
		return N_("请填写退款金额（元），或选择全额、扣手续费后。");
	if (*typed < 1)
		return N_("退款金额必须大于 0。");
	if (*typed == current) {
		*amount = current;       /* the policy's own amount, as the form showed it */
		*fee_out = fee;
		return NULL;
	}
	/* Custom keeps the fee: more than the net is a waived fee, which is
	 * what 全额 says out loud. */
	if (*typed > net)
		return fee > 0 ? N_("退款金额超出可退金额（扣手续费后）；全额退款请选择“全额”。") :
		    N_("退款金额超出可退金额。");
	*amount = *typed;
	*fee_out = fee;
	return NULL;
}

enum rd_err
desk_money_preview(const struct plan_order *o, const struct plan_refund *rf, struct desk_money *m)
{
	struct ledger_plan p;
	enum rd_err e;

	memset(m, 0, sizeof(*m));
	if ((e = ledger_plan_refund(&p, o, rf)) != RD_OK)
		return e;
	m->from_escrow = p.kind == TXN_REFUND;
	for (size_t i = 0; i < p.n; i++) {
		const struct plan_entry *en = &p.entry[i];
		if (strncmp(en->account, "payout:", 7) == 0) {
			m->to_buyer += en->amount;
			m->via_payout = true;
		} else if (strncmp(en->account, "buyer:", 6) == 0) {
			m->to_buyer += en->amount;
		} else if (strncmp(en->account, "merchant:", 9) == 0) {
			if (en->amount > 0)
				m->to_merchant += en->amount;
			else
				m->clawback -= en->amount;
		} else if (strcmp(en->account, "platform:fees") == 0) {
			m->fee += en->amount;
		}
	}
	return RD_OK;
}
