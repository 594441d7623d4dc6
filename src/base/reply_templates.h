/* reply_templates.h: the desk's reply templates per decision (issue 10):
 *
 *   "reply_templates": {"reject": ["...", ...], "request_info": [...], ...}
 *
 * keyed by the decision form's action names (approve, reject, request_info,
 * escalate, to_balance), each text 2–1000 characters of valid UTF-8 without
 * control characters, at most REPLY_TEMPLATES_MAX in all. Absent: the
 * built-in set below; {} turns them off. A template fills the note to the
 * buyer: it is shown, so it is the buyer's text, never an internal one. */
#ifndef RD_REPLY_TEMPLATES_H
#define RD_REPLY_TEMPLATES_H

#include <json-c/json.h>

#include "base/err.h"

#define REPLY_TEMPLATES_MAX 32
#define REPLY_TEMPLATE_CHARS 1000

struct reply_template {
	char action[16];
	char *text;
};

struct reply_templates {
	struct reply_template t[REPLY_TEMPLATES_MAX];
	int n;
};

/* Fills out from root's "reply_templates" (or the defaults); on a bad
 * value writes errmsg[0..cap) and returns RD_ERR_INPUT. */
enum rd_err reply_templates_load(struct reply_templates *out, json_object *root, char *errmsg, size_t cap);
void reply_templates_free(struct reply_templates *t);

#endif
