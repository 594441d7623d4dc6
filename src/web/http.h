/* http.h: one request and its response. All per-request state lives in
 * struct req and its arena, and is dropped together by req_end(). Handlers
 * never see libfcgi: the accept loop fills in struct http_io. */
#ifndef RD_HTTP_H
#define RD_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "web/sign.h"

struct config;
struct db;

/* How the request reaches us: FastCGI, plain CGI, or a test. */
struct http_io {
	const char *(*param)(void *io, const char *name);     /* CGI variable, or NULL */
	long (*read)(void *io, char *p, size_t n);            /* body bytes; 0 at end, -1 error */
	int (*write)(void *io, const char *p, size_t n);      /* 0 or -1 */
	void *io;
};

/* What lives as long as the worker process. */
struct app {
	struct config *cfg;
	struct db *db;
	void *magic;                 /* libmagic cookie (magic_t) */
	unsigned long long requests;
	struct buf head, body, out;  /* response buffers, reused request after request */
};

enum http_method { HM_GET, HM_HEAD, HM_POST, HM_OTHER, HM__MAX };
extern const char *const http_method_names[HM__MAX];

#define ROUTE_PARAMS 2
#define REQ_FIELDS_MAX 16

/* One table's inputs after the gate (web/gate.c), by the table's enum index.
 * v: the checked value ("" for an optional one left empty), NULL when absent
 * or bad; kept: as sent (the first, without a NUL), to show a form again;
 * err: the table's message when bad. */
struct req_fields {
	const char *v[REQ_FIELDS_MAX];
	const char *kept[REQ_FIELDS_MAX];
	const char *err[REQ_FIELDS_MAX];
	size_t bad;                        /* how many err[] are set */
};
struct form_body;

struct req {
	struct app *app;
	struct arena *a;
	const struct http_io *io;
	long long now;                  /* UNIX seconds, read once */
	/* request */
	enum http_method method;
	const char *method_str, *path, *query, *cookie, *content_type, *remote_addr;
	long long content_length;       /* -1 when absent */
	bool secure;                    /* https: the config, HTTPS=on, or a trusted proxy says so */
	char client_ip[46];             /* remote_addr points here behind a trusted proxy */
	const char *params[ROUTE_PARAMS];   /* path segments captured by the router */
	const char *route;              /* the route's name, for the log */
	/* inputs, checked by the route's tables before the handler runs */
	struct req_fields q, f;         /* query string, body fields */
	struct form_body *form;         /* its files and read error; NULL: the route takes no form */
	/* session (from the cookie alone: no query) */
	bool has_session;
	bool session_unknown;           /* a cookie whose generation could not be read: 503, not "logged out" */
	const char *session_cookie;     /* the buyer cookie, not yet checked (session_resolve) */
	struct session sess;
	char csrf[65];                  /* "" until req_csrf() makes it */
	/* response */
	int status;
	struct buf head;                /* header lines, CRLF-terminated */
	struct buf body;
	bool head_only;
	bool has_file;                  /* the body is file_fd's file_size bytes, sent in chunks */
	int file_fd;
	long long file_size;
};

/* Reads the CGI variables and the session cookie. */
void req_begin(struct req *r, struct app *app, struct arena *a, const struct http_io *io);
/* Writes status, headers and body through io. */
void req_finish(struct req *r);
void req_end(struct req *r);

const char *req_param(struct req *r, const char *name);
/* The session's CSRF token, made on first use (most pages need none). */
const char *req_csrf(struct req *r);
/* Reads up to n body bytes; 0 at the end; -1 on error or past Content-Length. */
long req_read(struct req *r, char *p, size_t n);

/* Adds a header. Refused (logged, and the response becomes a 500) when the
 * name or value holds CR, LF, NUL or other control bytes. */
void resp_header(struct req *r, const char *name, const char *value);
/* 303 See Other to a route path (must start with a single '/'); the
 * mount is put in front. */
void resp_redirect(struct req *r, const char *path);
/* The body is the open file fd (size bytes): req_finish sends it in 64 KiB
 * chunks, so memory stays flat whatever its size, and closes it. */
void resp_file(struct req *r, int fd, long long size);
/* Sets the session cookie (value NULL clears it). */
void resp_session_cookie(struct req *r, const char *value, long max_age);
/* The Reason-Phrase for a status code. */
const char *http_status_text(int status);

#endif
