/* view_refund_form.h: GET/POST /refund/new: the order, what each refund
 * type allows and why, and the form with one message per bad field and the
 * entered values kept. The handler fills the struct; nothing here reads the
 * database, the config or the clock. */
#ifndef RD_VIEW_REFUND_FORM_H
#define RD_VIEW_REFUND_FORM_H

#include <stdbool.h>

#include "rules/policy.h"
#include "store/model.h"
#include "web/http.h"

/* The refund form's fields (F_TYPE...) and their table, refund_form: their
 * limits and labels come from there (form_attr_maxlength). */
#include "pages/fields.h"

struct view_refund_form {
	/* What the buyer typed, to show again; and a message per field. */
	const char *type, *reason, *dest, *wrong, *idem;
	const char *err[F__MAX];
	const char *err_evidence;
	/* Filled by the handler just before rendering. */
	const struct order *o;
	struct decision types[RT__MAX];   /* the policy's verdict on each type, now */
	bool fully_refunded;              /* nothing left to ask for */
	bool can_confirm;                 /* payment held: "确认收货" releases it */
	const char *csrf;
	const char *done;                 /* a success banner (after 确认收货), or NULL */
	long long evidence_max_bytes;
	int evidence_max_files;
};

void view_refund_form(struct req *r, const struct view_refund_form *v);
/* 409: the order already has an open refund (open_refund: its public id). */
void view_refund_conflict(struct req *r, const char *open_refund);

#endif
