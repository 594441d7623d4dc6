/* fields.h: every input of every route, declared once. Each enum indexes
 * its table (fields.c): the route row in router.c names the table, the
 * gate checks it before the handler runs, the handler reads r->q.v[X] /
 * r->f.v[X], and views read limits and labels from the same table
 * (form_attr_maxlength). Every HTML form's table starts with its CSRF
 * token, index 0. Adding a field: one enum name and one table row here. */
#ifndef RD_FIELDS_H
#define RD_FIELDS_H

#include "web/form.h"

#define F_CSRF 0   /* every body table's first field */

/* GET /refund/new?order=NO */
enum new_query { NQ_ORDER, NQ_DONE, NQ__MAX };
/* GET /refund/ID?done=ACTION: the success banner after a buyer's action
 * (the redirect's flag; shown only where the state agrees) */
enum status_query { STQ_DONE, STQ__MAX };
/* POST /refund/new */
enum refund_field { F_CSRF_NEW = F_CSRF, F_TYPE, F_REASON, F_DEST, F_WRONG, F_IDEM, F_ORDER, F__MAX };
/* POST /refund/ID/cancel, /evidence, /appeal */
enum buyer_note_field { BA_CSRF = F_CSRF, BA_NOTE, BA_CONFIRM, BA__MAX };
/* POST /order/NO/confirm: confirm=1 acts; without it the confirm page */
enum confirm_field { CF_CSRF = F_CSRF, CF_CONFIRM, CF__MAX };
/* POST /desk/refund/ID/decision (CONTRACT.md §4): the amount in yuan, the
 * quick choice it came from, the note to the buyer, the staff-only note,
 * confirm=1 (without it: a preview that changes nothing), and a reply
 * template (its index in the config's list) standing for the note. */
enum decision_field {
	DD_CSRF = F_CSRF, DD_ACTION, DD_AMOUNT, DD_NOTE, DD_CHOICE, DD_INTERNAL, DD_CONFIRM, DD_TEMPLATE,
	DD_NEXT, DD__MAX
};
/* DD_NEXT=1 (the confirm form's default): once done, open the next request
 * the role acts on; GET /desk/refund/ID?prev=DONE then says the last one
 * was done, with its link. */
enum desk_refund_query { DRQ_PREV, DRQ__MAX };
/* DD_CHOICE's values: enum amount_choice, rules/desk_preview.h. */
/* POST /refund/lookup */
enum lookup_field { LK_CSRF = F_CSRF, LK_ORDER_NO, LK_CONTACT, LK_CODE, LK__MAX };
/* GET /refund/start (query) and POST /refund/start (the same, with csrf first) */
enum start_query { SQ_ORDER, SQ_BUYER, SQ_TS, SQ_SIG, SQ__MAX };
enum start_field { SF_CSRF = F_CSRF, SF_ORDER, SF_BUYER, SF_TS, SF_SIG, SF__MAX };
/* POST /desk/login */
enum login_field { DL_CSRF = F_CSRF, DL_LOGIN, DL_PASSWORD, DL__MAX };
/* GET /desk and /desk/queue.csv: the queue's tab, filters, sort and page */
enum desk_query { DF_TAB, DF_STATE, DF_TYPE, DF_RISK, DF_OVERDUE, DF_MERCHANT, DF_SEARCH, DF_SORT, DF_PAGE,
	DF__MAX };
/* GET /desk/dashboard and its CSV: a range of Beijing days, YYYY-MM-DD */
enum dash_query { DR_FROM, DR_TO, DR__MAX };
/* GET /desk/activity: one account's rows (its login), a page of them (i10-desk) */
enum activity_query { AF_STAFF, AF_PAGE, AF__MAX };
/* GET /desk/claims: a state's claims, a supplier's, a page of them (i15-console) */
enum claims_query { CLF_STATE, CLF_SUPPLIER, CLF_PAGE, CLF__MAX };
/* GET /healthz?strict=1 */
enum healthz_query { HQ_STRICT, HQ__MAX };
/* GET /lang?to=en&back=/refund/ID: the language switch (i10-i18n) */
enum lang_query { LQ_TO, LQ_BACK, LQ__MAX };

extern const struct form_field new_query[NQ__MAX];
extern const struct form_field status_query[STQ__MAX];
extern const struct form_field confirm_form[CF__MAX];
/* The done= flags, in enum done_flag's order (the banners' keys). */
enum done_flag { DONE_SUBMITTED, DONE_CANCELLED, DONE_EVIDENCE, DONE_APPEALED, DONE_CONFIRMED, DONE__MAX };
extern const char *const done_flag_names[DONE__MAX];
extern const struct form_field refund_form[F__MAX];
extern const struct form_field buyer_note_form[BA__MAX];
extern const struct form_field decision_form[DD__MAX];
extern const struct form_field lookup_form[LK__MAX];
extern const struct form_field start_query[SQ__MAX];
extern const struct form_field start_form[SF__MAX];
extern const struct form_field login_form[DL__MAX];
extern const struct form_field healthz_query[HQ__MAX];
extern const struct form_field lang_query[LQ__MAX];
extern const struct form_field desk_query[DF__MAX];
extern const struct form_field dash_query[DR__MAX];
extern const struct form_field activity_query[AF__MAX];
extern const struct form_field claims_query[CLF__MAX];
extern const struct form_field desk_refund_query[DRQ__MAX];
extern const char *const desk_sort_names[2];     /* "deadline" (the default), "newest" */
/* A POST whose only field is its CSRF token (logouts, confirm receipt). */
extern const struct form_field csrf_form[1];

#endif
