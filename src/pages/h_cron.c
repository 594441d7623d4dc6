/* h_cron.c: POST /cron: one bounded worker pass, for hosts whose cron can
 * only fetch a URL. Signed like an API request but with its own secret
 * (config cron_secret): X-RD-Timestamp and X-RD-Signature = hex
 * HMAC-SHA256(cron_secret, "POST\n/cron\nTS\n" hex(sha256(body))); the body
 * may be empty. Off (403) while cron_secret is empty. A replay inside the
 * skew window only runs another pass, which overlaps safely. */
#include <json-c/json.h>
#include <time.h>

#include "api/api.h"
#include "base/config.h"
#include "pages/handlers.h"
#include "base/log.h"
#include "cmd/worker.h"

#define CRON_BODY_MAX 1024
/* Well under the front's timeouts: nginx fastcgi_read_timeout 60 s,
 * mod_fcgid FcgidIOTimeout 40 s, and the 30 s many panels give a script. */
#define CRON_MAX_SECONDS 20

static json_object *
report_json(const struct worker_report *rep, long long secs)
{
	json_object *o = json_object_new_object(), *wh = json_object_new_object();

	json_object_object_add(o, "housekeeping", json_object_new_boolean(rep->housekeeping));
	if (!rep->housekeeping)
		json_object_object_add(o, "lease_held_by", json_object_new_string(rep->held_by));
	json_object_object_add(o, "released", json_object_new_int(rep->released));
	json_object_object_add(o, "deadlines", json_object_new_int(rep->deadlines));
	json_object_object_add(o, "swept", json_object_new_int(rep->swept));
	json_object_object_add(wh, "delivered", json_object_new_int(rep->wh.delivered));
	json_object_object_add(wh, "failed", json_object_new_int(rep->wh.failed));
	json_object_object_add(wh, "deferred", json_object_new_int(rep->wh.deferred));
	json_object_object_add(o, "webhooks", wh);
	json_object_object_add(o, "seconds", json_object_new_int64(secs));
	return o;
}

void
h_cron(struct req *r)
{
	const struct config *cfg = r->app->cfg;
	char body[CRON_BODY_MAX + 1], ip[64];
	size_t blen = 0;
	struct worker_report rep;

	if (cfg->cron_secret[0] == '\0') {
		api_error(r, 403, "cron_disabled", "POST /cron is off: set cron_secret in the configuration");
		return;
	}
	if (r->content_length > CRON_BODY_MAX) {
		api_error(r, 413, "too_large", "body over %d bytes", CRON_BODY_MAX);
		return;
	}
	while (r->content_length > 0 && blen < (size_t)r->content_length) {
		long got = req_read(r, body + blen, (size_t)r->content_length - blen);
		if (got <= 0) {
			api_error(r, 400, "bad_body", "body shorter than Content-Length");
			return;
		}
		blen += (size_t)got;
	}
	if (apisig_verify(cfg->cron_secret, "POST", r->path, req_param(r, "HTTP_X_RD_TIMESTAMP"),
	    req_param(r, "HTTP_X_RD_SIGNATURE"), body, blen, (time_t)r->now, cfg->api_skew) != RD_OK) {
		log_info("cron signature refused from %s", log_safe(r->remote_addr, ip, sizeof(ip)));
		api_error(r, 401, "bad_signature", "missing, stale or invalid X-RD-Signature");
		return;
	}
	long long t0 = (long long)time(NULL);
	if (worker_pass(r->app, CRON_MAX_SECONDS, &rep) != RD_OK) {
		api_error(r, 503, "db_unavailable", "the pass stopped on a database error");
		return;
	}
	api_json(r, 200, report_json(&rep, (long long)time(NULL) - t0));
}
