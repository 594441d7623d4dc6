/* html.h: the only code that writes HTML. Text goes through html_esc (which
 * escapes & < > " '); html_raw takes markup that is part of the program,
 * never data. Pages share one frame: html_begin ... html_end. */
#ifndef RD_HTML_H
#define RD_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct req;

/* The one escaper. */
void html_escape_buf(struct buf *out, const char *s, size_t n);

void html_esc(struct req *r, const char *s);
void html_escn(struct req *r, const char *s, size_t n);
void html_raw(struct req *r, const char *markup);
void html_int(struct req *r, long long v);
/* "¥19.99" */
void html_money(struct req *r, int64_t fen);
/* "2026-11-22 20:30" in Beijing time (UTC+8, no DST), the buyers' clock. */
void html_time(struct req *r, long long unix_secs);
void format_time(long long unix_secs, char out[32]);

void html_begin(struct req *r, const char *title);
void html_end(struct req *r);
void html_hidden(struct req *r, const char *name, const char *value);
/* A URL to a route path with the mount in front (url_to), escaped for an
 * attribute: every link, form action and stylesheet goes through here. */
void html_url(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A complete error page with its status. */
void html_error_page(struct req *r, int status, const char *title, const char *msg);

/* A small template language for fixed page fragments: {{name}} is replaced
 * by that variable, escaped. "{{" with no closing "}}", an unknown name, or
 * a name over 32 bytes is RD_ERR_INPUT, and nothing is guaranteed in out. */
struct tmpl_var {
	const char *name;
	const char *value;
};
enum rd_err tmpl_render(struct buf *out, const char *tmpl, const struct tmpl_var *vars, size_t n);
/* tmpl_render into the request body; an error turns the response into a 500. */
void html_tmpl(struct req *r, const char *tmpl, const struct tmpl_var *vars, size_t n);

/* The stylesheet served at /static/rd.css. */
extern const char html_stylesheet[];

#endif
