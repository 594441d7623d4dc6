/* buyer_pages_cfg.c: the config's "storefront_url" and "refund_arrival". */
#include <stdio.h>
#include <string.h>

#include "base/buyer_pages_cfg.h"
#include "base/i18n.h"
#include "base/utf8.h"

const char *const arrival_channel_names[ARRIVAL_CHANNELS] = { "alipay", "wechat", "bank", "balance" };
/* The defaults are msgids (the status page translates them); a text the
 * config sets is shown as written, in every language. */
static const char *const arrival_defaults[ARRIVAL_CHANNELS] = {
	N_("1–3 个工作日"), N_("1–3 个工作日"), N_("3–7 个工作日"), N_("即时到账"),
};

/* One line of text, at most cap-1 bytes. */
static bool
line_ok(const char *s, size_t cap)
{
	size_t len = strlen(s);
	return len > 0 && len < cap && utf8_valid(s, len) && utf8_no_controls(s, len, false);
}

enum rd_err
buyer_pages_cfg_load(struct buyer_pages_cfg *out, json_object *root, char *errmsg, size_t cap)
{
	json_object *v, *arr;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < ARRIVAL_CHANNELS; i++)
		snprintf(out->arrival[i], sizeof(out->arrival[i]), "%s", arrival_defaults[i]);
	if (json_object_object_get_ex(root, "storefront_url", &v)) {
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		/* A link buyers follow: http(s) only, never javascript: or a quote. */
		if (s == NULL || (s[0] != '\0' && (!line_ok(s, sizeof(out->storefront_url)) ||
		    (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) || strpbrk(s, "\"'<> ") != NULL))) {
			snprintf(errmsg, cap, "config: storefront_url: must be an http(s) URL on one line");
			return RD_ERR_INPUT;
		}
		snprintf(out->storefront_url, sizeof(out->storefront_url), "%s", s);
	}
	if (!json_object_object_get_ex(root, "refund_arrival", &arr))
		return RD_OK;
	if (!json_object_is_type(arr, json_type_object)) {
		snprintf(errmsg, cap, "config: refund_arrival: must be an object");
		return RD_ERR_INPUT;
	}
	json_object_object_foreach(arr, key, val) {
		int i;
		for (i = 0; i < ARRIVAL_CHANNELS && strcmp(key, arrival_channel_names[i]) != 0; i++)
			;
		const char *s = json_object_is_type(val, json_type_string) ? json_object_get_string(val) : NULL;
		if (i == ARRIVAL_CHANNELS || s == NULL || !line_ok(s, sizeof(out->arrival[0]))) {
			snprintf(errmsg, cap, "config: refund_arrival.%.40s: a channel (alipay, wechat, bank, balance) "
			    "and one line of text", key);
			return RD_ERR_INPUT;
		}
		snprintf(out->arrival[i], sizeof(out->arrival[i]), "%s", s);
	}
	return RD_OK;
}
