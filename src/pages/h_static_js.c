/* h_static_js.c: GET /static/rd-upload.js, the one script of the buyer
 * pages (src/static/rd-upload.js, compiled in like the stylesheet). */
#include "pages/handlers.h"

extern const char static_upload_js[];

void
h_static_js(struct req *r)
{
	resp_header(r, "Content-Type", "text/javascript; charset=utf-8");
	resp_header(r, "Cache-Control", "public, max-age=86400");
	buf_puts(&r->body, static_upload_js);
}
