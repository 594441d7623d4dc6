/* h_static_css.c: GET /static/rd.css, compiled in so that plain-CGI
 * installs need no static files. */
#include "pages/handlers.h"
#include "web/html.h"

void
h_static_css(struct req *r)
{
	resp_header(r, "Content-Type", "text/css; charset=utf-8");
	resp_header(r, "Cache-Control", "public, max-age=86400");
	buf_puts(&r->body, html_stylesheet);
}
