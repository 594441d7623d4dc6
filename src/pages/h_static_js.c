/* h_static_js.c: the pages' scripts, GET /static/NAME.js, one handler per
 * route. Each is a file in src/static/ compiled in like the stylesheet
 * (embed_static.sh), so plain-CGI installs need no static folder. Pages
 * work without them; the CSP's script-src 'self' allows these files and no
 * inline script. */
#include "pages/handlers.h"

extern const char static_upload_js[];
extern const char static_desk_js[];
extern const char static_time_js[];

static void
static_js(struct req *r, const char *js)
{
	resp_header(r, "Content-Type", "text/javascript; charset=utf-8");
	resp_header(r, "Cache-Control", "public, max-age=86400");
	buf_puts(&r->body, js);
}

/* The buyer's evidence picker: thumbnails, checks, shrink, progress. */
void
h_static_upload_js(struct req *r)
{
	static_js(r, static_upload_js);
}

/* The desk's keyboard shortcuts on the request and preview pages. */
void
h_static_desk_js(struct req *r)
{
	static_js(r, static_desk_js);
}

/* The status page's live time left ([data-left], i10-buyer). */
void
h_static_time_js(struct req *r)
{
	static_js(r, static_time_js);
}
