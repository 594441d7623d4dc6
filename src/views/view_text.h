/* view_text.h: page text with numbers or names in it, in the request's
 * language. The format is a msgid whose translation may move the values
 * (po/en.po keeps the same conversions): view_textf(r, _("还剩 %lld 分钟"), n). */
#ifndef RD_VIEW_TEXT_H
#define RD_VIEW_TEXT_H

#include "web/http.h"

/* The formatted text, escaped (up to 1 KiB: page sentences, not data). */
void view_textf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
