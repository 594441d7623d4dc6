/* view_req.h: the request a view test renders into: an empty config and
 * no database (views must not need one). Included by the view tests. */
#ifndef RD_TEST_VIEW_REQ_H
#define RD_TEST_VIEW_REQ_H

#include <string.h>

#include "base/config.h"
#include "web/http.h"

static struct config cfg;
static struct app app;

static inline void
req_setup(struct req *r)
{
	memset(r, 0, sizeof(*r));
	memset(&app, 0, sizeof(app));
	memset(&cfg, 0, sizeof(cfg));
	app.cfg = &cfg;
	r->app = &app;
	r->status = 200;
	buf_init(&r->head);
	buf_init(&r->body);
}

static inline void
req_done(struct req *r)
{
	buf_free(&r->body);
	buf_free(&r->head);
}

#endif
