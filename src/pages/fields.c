/* fields.c: the field tables of fields.h: name, label, check, limits. The
 * messages come from form.c's checks, worded with the label. */
#include "base/i18n.h"
#include "pages/fields.h"
#include "base/money.h"
#include "rules/desk.h"
#include "rules/dashboard.h"
#include "rules/desk_preview.h"
#include "rules/domain.h"
#include "base/password.h"
#include "web/sign.h"
#include "base/config_claims.h"

/* 64 hex digits; the length is the token's, the check is csrf_valid()'s. */
#define CSRF_FIELD { "csrf", N_("表单校验码"), form_check_token, 1, 128, true, NULL, 0 }

static const char *const dest_choices[] = { "original", "balance" };
static const char *const strict_choices[] = { "1" };
static const char *const confirm_choices[] = { "1" };

/* Yuan as a person types it (money_parse_yuan_err): one line first, then
 * the amount's own message (more than two decimals, negative, ...). */
static const char *
check_yuan(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	const char *msg = form_check_line(v, len, f, buf, cap);
	int64_t fen;

	if (msg != NULL)
		return msg;
	return yuan_err_messages[money_parse_yuan_err(v, &fen)];
}

const struct form_field new_query[NQ__MAX] = {
	[NQ_ORDER] = { "order", N_("订单号"), form_check_ident, 1, ORDER_NO_MAX, true, NULL, 0 },
	[NQ_DONE] = { "done", N_("结果"), form_check_choice, 0, 0, false, done_flag_names, DONE__MAX },
};

const char *const done_flag_names[DONE__MAX] = { "submitted", "cancelled", "evidence", "appealed", "confirmed" };

const struct form_field status_query[STQ__MAX] = {
	[STQ_DONE] = { "done", N_("结果"), form_check_choice, 0, 0, false, done_flag_names, DONE__MAX },
};

const struct form_field confirm_form[CF__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[CF_CONFIRM] = { "confirm", N_("确认"), form_check_choice, 0, 0, false, confirm_choices, 1 },
};

const struct form_field refund_form[F__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[F_TYPE] = { "type", N_("退款类型"), form_check_choice, 0, 0, true, refund_type_names, RT__MAX },
	[F_REASON] = { "reason", N_("退款原因"), form_check_text, 10, 1000, true, NULL, 0 },
	[F_DEST] = { "destination", N_("退款去向"), form_check_choice, 0, 0, true, dest_choices, 2 },
	[F_WRONG] = { "wrong_account", N_("正确的充值账号"), form_check_line, 1, 200, false, NULL, 0 },
	[F_IDEM] = { "idem", N_("表单标识"), form_check_token, 16, 64, true, NULL, 0 },
	[F_ORDER] = { "order", N_("订单号"), form_check_ident, 1, ORDER_NO_MAX, true, NULL, 0 },
};

const struct form_field buyer_note_form[BA__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[BA_NOTE] = { "note", N_("补充说明"), form_check_text, 0, 1000, false, NULL, 0 },
	[BA_CONFIRM] = { "confirm", N_("确认"), form_check_choice, 0, 0, false, confirm_choices, 1 },
};

const struct form_field decision_form[DD__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[DD_ACTION] = { "action", N_("处理方式"), form_check_choice, 0, 0, true, desk_action_names, DA__MAX },
	[DD_AMOUNT] = { "amount", N_("退款金额（元）"), check_yuan, 0, 32, false, NULL, 0 },
	[DD_NOTE] = { "note", N_("给买家的说明"), form_check_text, 0, 1000, false, NULL, 0 },
	[DD_CHOICE] = { "amount_choice", N_("退款金额"), form_check_choice, 0, 0, false, amount_choice_names, AC__MAX },
	[DD_INTERNAL] = { "internal_note", N_("内部备注"), form_check_text, 0, 1000, false, NULL, 0 },
	[DD_CONFIRM] = { "confirm", N_("确认"), form_check_choice, 0, 0, false, confirm_choices, 1 },
	[DD_TEMPLATE] = { "reply_template", N_("常用回复"), form_check_digits, 1, 2, false, NULL, 0 },
	[DD_NEXT] = { "next", N_("下一条"), form_check_choice, 0, 0, false, confirm_choices, 1 },
};

/* Generous on contact and code: a mismatch is told apart from a typo by
 * nobody (one uniform answer), so these only keep out what no order holds. */
const struct form_field lookup_form[LK__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[LK_ORDER_NO] = { "order_no", N_("订单号"), form_check_ident, 1, ORDER_NO_MAX, true, NULL, 0 },
	[LK_CONTACT] = { "contact", N_("联系方式"), form_check_line, 0, 256, true, NULL, 0 },
	[LK_CODE] = { "lookup_code", N_("查询码"), form_check_line, 0, 256, true, NULL, 0 },
};

/* The hand-off's fields; link_verify() checks the signature over them. */
#define START_ORDER { "order", N_("订单号"), form_check_ident, 1, ORDER_NO_MAX, true, NULL, 0 }
#define START_BUYER { "buyer", N_("买家"), form_check_ident, 1, BUYER_ID_MAX, true, NULL, 0 }
#define START_TS { "ts", N_("时间"), form_check_digits, 1, 20, true, NULL, 0 }
#define START_SIG { "sig", N_("签名"), form_check_token, 1, 128, true, NULL, 0 }

const struct form_field start_query[SQ__MAX] = {
	[SQ_ORDER] = START_ORDER, [SQ_BUYER] = START_BUYER, [SQ_TS] = START_TS, [SQ_SIG] = START_SIG,
};

const struct form_field start_form[SF__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[SF_ORDER] = START_ORDER, [SF_BUYER] = START_BUYER, [SF_TS] = START_TS, [SF_SIG] = START_SIG,
};

/* The password is hashed, never shown: bytes, bounded, not required (an
 * empty one is a failed login like any other wrong password). */
const struct form_field login_form[DL__MAX] = {
	[F_CSRF] = CSRF_FIELD,
	[DL_LOGIN] = { "login", N_("登录名"), form_check_ident, 1, 64, false, NULL, 0 },
	[DL_PASSWORD] = { "password", N_("密码"), form_check_bytes, 0, PASSWORD_MAX, false, NULL, 0 },
};

const struct form_field healthz_query[HQ__MAX] = {
	[HQ_STRICT] = { "strict", "strict", form_check_choice, 0, 0, false, strict_choices, 1 },
};

/* i10-i18n: the switch's language, and the page to return to: a route
 * path below the mount ("/refund/ID?done=x"), never "//host" or "/\host",
 * printable ASCII without space, quotes or angle brackets. */
static const char *const lang_choices[] = { "en", "zh_CN" };

static const char *
check_local_path(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	(void)f, (void)buf, (void)cap;
	if (len > 512 || len < 1 || v[0] != '/' || (len > 1 && (v[1] == '/' || v[1] == '\\')))
		return _("不是本站的页面");
	for (size_t i = 0; i < len; i++)
		if (v[i] <= ' ' || v[i] >= 0x7f || v[i] == '"' || v[i] == '\'' || v[i] == '<' || v[i] == '>' ||
		    v[i] == '\\')
			return _("不是本站的页面");
	return NULL;
}

const struct form_field lang_query[LQ__MAX] = {
	[LQ_TO] = { "to", N_("语言"), form_check_choice, 0, 0, true, lang_choices, 2 },
	[LQ_BACK] = { "back", N_("返回页面"), check_local_path, 1, 512, false, NULL, 0 },
};

const struct form_field csrf_form[1] = { CSRF_FIELD };

/* The queue's filters: states and types from their name tables (a new
 * state is a new choice), a search term is an order number, a buyer or a
 * request id (all idents). Pages past what any queue holds are refused. */
static const char *const desk_flag_choices[] = { "1" };
const char *const desk_sort_names[2] = { "deadline", "newest" };

const struct form_field desk_query[DF__MAX] = {
	[DF_TAB] = { "tab", N_("分组"), form_check_choice, 0, 0, false, desk_tab_names, DESK_TAB__MAX },
	[DF_STATE] = { "state", N_("状态"), form_check_choice, 0, 0, false, refund_state_names, RS__MAX },
	[DF_TYPE] = { "type", N_("类型"), form_check_choice, 0, 0, false, refund_type_names, RT__MAX },
	[DF_RISK] = { "risk", N_("风控"), form_check_choice, 0, 0, false, desk_flag_choices, 1 },
	[DF_OVERDUE] = { "overdue", N_("已超时"), form_check_choice, 0, 0, false, desk_flag_choices, 1 },
	[DF_MERCHANT] = { "merchant", N_("商家"), form_check_ident, 1, 64, false, NULL, 0 },
	[DF_SEARCH] = { "q", N_("搜索"), form_check_ident, 1, BUYER_ID_MAX, false, NULL, 0 },
	[DF_SORT] = { "sort", N_("排序"), form_check_choice, 0, 0, false, desk_sort_names, 2 },
	[DF_PAGE] = { "page", N_("页码"), form_check_digits, 1, 6, false, NULL, 0 },
};

/* A calendar day as <input type="date"> sends it (dash_day_parse). */
static const char *
check_day(const char *v, size_t len, const struct form_field *f, char *buf, size_t cap)
{
	long long day;

	(void)f;
	(void)buf;
	(void)cap;
	if (len != 10 || !dash_day_parse(v, &day))
		return _("请按 年-月-日 填写日期（如 2026-12-03）。");
	return NULL;
}

const struct form_field dash_query[DR__MAX] = {
	[DR_FROM] = { "from", N_("开始日期"), check_day, 10, 10, false, NULL, 0 },
	[DR_TO] = { "to", N_("结束日期"), check_day, 10, 10, false, NULL, 0 },
};

/* The activity log's filter: a staff login (as staff add takes it) and a
 * page (pages past the log's end show none). */
const struct form_field activity_query[AF__MAX] = {
	[AF_STAFF] = { "staff", N_("工作人员"), form_check_ident, 1, 64, false, NULL, 0 },
	[AF_PAGE] = { "page", N_("页码"), form_check_digits, 1, 6, false, NULL, 0 },
};

/* The claims page's filter: a claim state, a supplier id (as the config
 * names them), a page (pages past the end show none). i15-console */
const struct form_field claims_query[CLF__MAX] = {
	[CLF_STATE] = { "state", N_("状态"), form_check_choice, 0, 0, false, claim_state_names, CLAIM__MAX },
	[CLF_SUPPLIER] = { "supplier", N_("供应商"), form_check_ident, 1, SUPPLIER_ID_MAX, false, NULL, 0 },
	[CLF_PAGE] = { "page", N_("页码"), form_check_digits, 1, 6, false, NULL, 0 },
};

/* GET /desk/refund/ID?prev=ID: the request decided just before (a refund id). */
const struct form_field desk_refund_query[DRQ__MAX] = {
	[DRQ_PREV] = { "prev", N_("上一条"), form_check_ident, 1, 64, false, NULL, 0 },
};
