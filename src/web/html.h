/* html.h: the only code that writes HTML. Text goes through html_esc (which
 * escapes & < > " '); html_raw takes markup that is part of the program,
 * never data: only a string literal compiles. Pages share one frame:
 * html_begin ... html_end. */
#ifndef RD_HTML_H
#define RD_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/i18n.h"

struct req;

/* The one escaper. */
void html_escape_buf(struct buf *out, const char *s, size_t n);

void html_esc(struct req *r, const char *s);
/* Markup written in the program: `"" markup ""` does not compile unless
 * markup is a string literal (or literals the preprocessor joins). */
#define html_raw(r, markup) html_raw_literal((r), "" markup "")
void html_raw_literal(struct req *r, const char *markup);
/* One of two literals: html_raw_if(r, ok, "<li>", "<li class=\"no\">"). */
/* Page text in the request's language (base/i18n.h), escaped: the msgid is
 * the Chinese literal. */
#define html_t(r, msgid) html_esc((r), i18n_tr("" msgid ""))
/* A label from a table of msgids (rules/domain.c's *_labels), translated at
 * the moment it is written: the tables stay constant and shared. */
#define html_tl(r, label) html_esc((r), i18n_tr(label))
#define html_raw_if(r, cond, yes, no) html_raw_literal((r), (cond) ? "" yes "" : "" no "")
void html_int(struct req *r, long long v);
/* "¥19.99"; in English grouped by thousands: "¥1,234.50". */
void html_money(struct req *r, int64_t fen);
/* "2026-11-22 20:30" in Beijing time (UTC+8, no DST), the buyers' clock, in
 * either language; in English written "22 Nov 2026 20:30" (the footer says
 * the zone). format_time stays ISO-like: CSV cells and data attributes. */
void html_time(struct req *r, long long unix_secs);
void format_time(long long unix_secs, char out[32]);

void html_begin(struct req *r, const char *title);
/* The same head, reloading itself every refresh_secs (> 0): a page waiting
 * on something the server learns, with or without JavaScript. */
void html_begin_refresh(struct req *r, const char *title, int refresh_secs);
/* The same frame at the window's full width (the staff queue). */
void html_begin_wide(struct req *r, const char *title);
void html_end(struct req *r);
void html_hidden(struct req *r, const char *name, const char *value);
/* A URL to a route path with the mount in front (url_to), escaped for an
 * attribute: every link, form action and stylesheet goes through here. */
void html_url(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A complete error page with its status. */
void html_error_page(struct req *r, int status, const char *title, const char *msg);

/* The stylesheet served at /static/rd.css. */
extern const char html_stylesheet[];

#endif
