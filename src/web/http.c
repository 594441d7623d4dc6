/* http.c: request variables, body reading, and the response: status,
 * headers (CR/LF-proof) and the security headers every page carries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "web/http.h"
#include "base/log.h"
#include "web/url.h"
#include "store/session_gen.h"

const char *const http_method_names[HM__MAX] = { "GET", "HEAD", "POST", "OTHER" };

/* Every response carries these; nginx adds the same set only to its own pages. */
static const char *const security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Frame-Options", "DENY" },
};

const char *
req_param(struct req *r, const char *name)
{
	const char *v = r->io->param(r->io->io, name);
	return v ? v : "";
}

void
req_begin(struct req *r, struct app *app, struct arena *a, const struct http_io *io)
{
	const char *cl, *m;

	memset(r, 0, sizeof(*r));
	r->app = app;
	r->a = a;
	r->io = io;
	r->now = (long long)time(NULL);
	r->status = 200;
	/* The worker's buffers, emptied: their memory is kept between requests. */
	r->head = app->head;
	r->body = app->body;
	buf_reset(&r->head);
	buf_reset(&r->body);

	r->method_str = req_param(r, "REQUEST_METHOD");
	m = r->method_str;
	r->method = !strcmp(m, "GET") ? HM_GET : !strcmp(m, "HEAD") ? HM_HEAD :
	    !strcmp(m, "POST") ? HM_POST : HM_OTHER;
	r->head_only = r->method == HM_HEAD;
	/* DOCUMENT_URI is nginx's decoded, normalised path; SCRIPT_NAME+PATH_INFO
	 * is what Apache and plain CGI give. Routes see the path below the mount. */
	r->path = url_route_path(app->cfg->mount ? app->cfg->mount : "", req_param(r, "DOCUMENT_URI"),
	    req_param(r, "SCRIPT_NAME"), req_param(r, "PATH_INFO"));
	r->query = req_param(r, "QUERY_STRING");
	r->cookie = req_param(r, "HTTP_COOKIE");
	r->content_type = req_param(r, "CONTENT_TYPE");
	r->remote_addr = req_param(r, "REMOTE_ADDR");
	r->secure = app->cfg->https || strcmp(req_param(r, "HTTPS"), "on") == 0;
	/* Forwarded headers count only from a proxy the config names. */
	if (url_proxy_trusted(app->cfg, r->remote_addr)) {
		if (url_forwarded_client(app->cfg, req_param(r, "HTTP_X_FORWARDED_FOR"), r->client_ip,
		    sizeof(r->client_ip)))
			r->remote_addr = r->client_ip;
		if (strcmp(req_param(r, "HTTP_X_FORWARDED_PROTO"), "https") == 0)
			r->secure = true;
	}
	cl = req_param(r, "CONTENT_LENGTH");
	r->content_length = -1;
	if (cl[0] != '\0') {
		char *end;
		long long n = strtoll(cl, &end, 10);
		if (*end == '\0' && n >= 0 && cl[0] >= '0' && cl[0] <= '9')
			r->content_length = n;
	}

	char value[SESSION_COOKIE_MAX], cname[32], cpath[256];
	url_cookie(app->cfg, r->secure, "rd", "", cname, sizeof(cname), cpath, sizeof(cpath));
	/* Checked when a page first asks (session_resolve): a page whose own
	 * statement reads the buyer's generation checks it without a trip. */
	if (cookie_get(r->cookie, cname, value, sizeof(value)))
		r->session_cookie = arena_strdup(a, value);
}

const char *
req_csrf(struct req *r)
{
	if (r->csrf[0] == '\0' && session_resolve(r))
		csrf_token(r->app->cfg->session_secret, r->sess.sid, r->csrf);
	return r->csrf;
}

long
req_read(struct req *r, char *p, size_t n)
{
	return r->io->read(r->io->io, p, n);
}

static bool
header_safe(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value) || strchr(name, ':') != NULL) {
		char safe[128];
		log_warn("refused header %s: control bytes in name or value", log_safe(name, safe, sizeof(safe)));
		r->status = 500;
		return;
	}
	buf_printf(&r->head, "%s: %s\r\n", name, value);
}

void
resp_file(struct req *r, int fd, long long size)
{
	r->has_file = true;
	r->file_fd = fd;
	r->file_size = size;
}

/* The file's bytes after the headers; a short file or a failed write ends
 * the response (the client sees fewer bytes than Content-Length). */
static void
send_file(struct req *r)
{
	char chunk[64 * 1024];
	long long left = r->file_size;

	while (left > 0) {
		ssize_t n = read(r->file_fd, chunk, left < (long long)sizeof(chunk) ? (size_t)left : sizeof(chunk));
		if (n <= 0) {
			log_warn("evidence: file ended %lld bytes early", left);
			break;
		}
		if (r->io->write(r->io->io, chunk, (size_t)n) != 0)
			break;
		left -= n;
	}
}

void
resp_redirect(struct req *r, const char *path)
{
	/* Local only: "//host" or "/\host" would leave the site. */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\') {
		r->status = 500;
		return;
	}
	r->status = 303;
	resp_header(r, "Location", url_to(r, "%s", path));
}

void
resp_session_cookie(struct req *r, const char *value, long max_age)
{
	char line[SESSION_COOKIE_MAX + 400], name[32], path[256];

	url_cookie(r->app->cfg, r->secure, "rd", "", name, sizeof(name), path, sizeof(path));
	snprintf(line, sizeof(line), "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
	    name, value ? value : "", path, value ? max_age : 0L, r->secure ? "; Secure" : "");
	resp_header(r, "Set-Cookie", line);
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
req_finish(struct req *r)
{
	struct buf *outp = &r->app->out, out;
	const char *ct_default = "Content-Type: text/html; charset=utf-8\r\n";

	buf_reset(outp);
	out = *outp;
	if (r->head.failed || r->body.failed) {
		/* A writer ran out of memory: say so rather than send half a page. */
		r->status = 500;
		buf_reset(&r->head);
		buf_reset(&r->body);
		buf_puts(&r->body, "<!doctype html><meta charset=\"utf-8\"><title>错误</title><p>服务器内部错误</p>");
	}
	buf_printf(&out, "Status: %d %s\r\n", r->status, http_status_text(r->status));
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		buf_printf(&out, "%s: %s\r\n", security_headers[i][0], security_headers[i][1]);
	if (r->head.len == 0 || strstr(buf_cstr(&r->head), "Content-Type:") == NULL)
		buf_puts(&out, ct_default);
	if (strstr(buf_cstr(&r->head), "Cache-Control:") == NULL)
		buf_puts(&out, "Cache-Control: no-store\r\n");
	buf_append(&out, r->head.data ? r->head.data : "", r->head.len);
	bool file = r->has_file && r->status == 200;
	buf_printf(&out, "Content-Length: %lld\r\n\r\n", file ? r->file_size : (long long)r->body.len);
	if (!out.failed) {
		int rc = r->io->write(r->io->io, out.data, out.len);
		if (rc == 0 && !r->head_only && file)
			send_file(r);
		else if (rc == 0 && !r->head_only && r->body.len > 0)
			r->io->write(r->io->io, r->body.data, r->body.len);
	}
	if (r->has_file)
		close(r->file_fd);
	r->has_file = false;
	*outp = out;
}

void
req_end(struct req *r)
{
	/* Back to the worker; a buffer that grew past 1 MiB is let go. */
	if (r->body.cap > (1u << 20))
		buf_free(&r->body);
	r->app->head = r->head;
	r->app->body = r->body;
}
