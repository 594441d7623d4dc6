/* h_lang.c: GET /lang?to=en&back=/refund/ID: the language switch on every
 * page. Sets the lang cookie (a year; a preference, not a secret, so a
 * plain GET link: a forged one only switches the language) and returns to
 * the page it came from (a route path, checked by lang_query). */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/i18n.h"
#include "pages/fields.h"
#include "pages/handlers.h"
#include "web/html.h"
#include "web/url.h"

void
h_lang(struct req *r)
{
	const char *to = r->q.v[LQ_TO];
	if (to == NULL) {
		r->status = 400;
		html_error_page(r, 400, _("无法切换语言"), _("请选择 English 或 中文。"));
		return;
	}
	char line[400], name[32], path[256];
	url_cookie(r->app->cfg, false, "lang", "", name, sizeof(name), path, sizeof(path));
	snprintf(line, sizeof(line), "lang=%s; Path=%s; Max-Age=31536000; SameSite=Lax%s", to, path,
	    r->secure ? "; Secure" : "");
	resp_header(r, "Set-Cookie", line);
	const char *back = r->q.v[LQ_BACK];
	resp_redirect(r, back != NULL ? back : "/refund/lookup");
}
