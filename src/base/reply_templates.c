/* reply_templates.c: the "reply_templates" member of the config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/reply_templates.h"
#include "base/utf8.h"

/* The staff decisions a template may belong to (rules/flow.h's first
 * events, spelled out: base/ does not reach into rules/). */
static const char *const template_actions[] = { "approve", "reject", "request_info", "escalate", "to_balance" };

static const char *const default_templates[][2] = {
	{ "approve", "经核实，同意退款，款项将按原路或平台余额退回，请留意到账。" },
	{ "reject", "您提供的凭证不足以证明商品存在问题；如有新的凭证，可在申诉期内申诉一次。" },
	{ "reject", "经核实，该卡密已被成功使用，不符合退款条件。" },
	{ "request_info", "请上传充值失败或卡密无效的截图，需能看到时间和订单号。" },
	{ "request_info", "请补充充值平台的到账记录截图。" },
	{ "escalate", "已转交进一步核实，请耐心等待处理结果。" },
};

static enum rd_err
add(struct reply_templates *out, const char *action, const char *text, size_t len, char *errmsg, size_t cap)
{
	size_t chars = utf8_chars(text, len);

	if (out->n == REPLY_TEMPLATES_MAX) {
		snprintf(errmsg, cap, "config: reply_templates: at most %d in all", REPLY_TEMPLATES_MAX);
		return RD_ERR_INPUT;
	}
	if (strlen(text) != len || !utf8_valid(text, len) || !utf8_no_controls(text, len, false) ||
	    chars < 2 || chars > REPLY_TEMPLATE_CHARS) {
		snprintf(errmsg, cap, "config: reply_templates.%s: each must be 2-%d characters of text on one line",
		    action, REPLY_TEMPLATE_CHARS);
		return RD_ERR_INPUT;
	}
	struct reply_template *t = &out->t[out->n];
	snprintf(t->action, sizeof(t->action), "%s", action);
	if ((t->text = strdup(text)) == NULL)
		return RD_ERR_NOMEM;
	out->n++;
	return RD_OK;
}

static bool
known_action(const char *a)
{
	for (size_t i = 0; i < sizeof(template_actions) / sizeof(template_actions[0]); i++)
		if (strcmp(a, template_actions[i]) == 0)
			return true;
	return false;
}

enum rd_err
reply_templates_load(struct reply_templates *out, json_object *root, char *errmsg, size_t cap)
{
	json_object *obj;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if (root == NULL || !json_object_object_get_ex(root, "reply_templates", &obj)) {
		for (size_t i = 0; i < sizeof(default_templates) / sizeof(default_templates[0]); i++)
			if ((e = add(out, default_templates[i][0], default_templates[i][1],
			    strlen(default_templates[i][1]), errmsg, cap)) != RD_OK)
				return e;
		return RD_OK;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(errmsg, cap, "config: reply_templates: must be an object of arrays");
		return RD_ERR_INPUT;
	}
	json_object_object_foreach(obj, action, list) {
		if (!known_action(action)) {
			snprintf(errmsg, cap, "config: reply_templates: no decision is called \"%.32s\"", action);
			return RD_ERR_INPUT;
		}
		if (!json_object_is_type(list, json_type_array)) {
			snprintf(errmsg, cap, "config: reply_templates.%s: must be an array of strings", action);
			return RD_ERR_INPUT;
		}
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *s = json_object_array_get_idx(list, i);
			if (!json_object_is_type(s, json_type_string)) {
				snprintf(errmsg, cap, "config: reply_templates.%s: must be an array of strings", action);
				return RD_ERR_INPUT;
			}
			if ((e = add(out, action, json_object_get_string(s), (size_t)json_object_get_string_len(s),
			    errmsg, cap)) != RD_OK)
				return e;
		}
	}
	return RD_OK;
}

void
reply_templates_free(struct reply_templates *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->t[i].text);
	t->n = 0;
}
