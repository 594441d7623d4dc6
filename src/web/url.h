/* url.h: where the desk is mounted. The one place a route path ("/refund/ID")
 * becomes the URL the client sees (the mount from public_url in front), the
 * one place a request's path is taken below the mount, the cookies' names
 * and paths, and who the client is behind a trusted proxy. */
#ifndef RD_URL_H
#define RD_URL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct config;
struct req;

/* The route path of a request: DOCUMENT_URI (nginx, panels) below the
 * mount; else PATH_INFO (Apache, CGI: the path below the script); else
 * SCRIPT_NAME below the mount. "" becomes "/". Pure. */
const char *url_route_path(const char *mount, const char *document_uri, const char *script_name,
    const char *path_info);

/* The mount: "" at the site root, else "/refund-desk" (no last '/'). */
const char *url_mount(const struct req *r);

/* mount + the formatted route path, in the request's arena ("" on failure). */
const char *url_to(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A cookie named base ("rd", "rds") for the route paths under sub ("" or
 * "/desk"): on https at the site root "__Host-" + base with Path=/; on https
 * under a mount "__Secure-" + base with Path=mount+sub (__Host- demands /);
 * on http base with Path=mount+sub (or "/"). */
void url_cookie(const struct config *cfg, bool secure, const char *base, const char *sub,
    char *name, size_t namecap, char *path, size_t pathcap);

/* Did the request come through nginx (SERVER_SOFTWARE "nginx...")? What
 * "auto" means for evidence_delivery and request_limits. */
bool url_behind_nginx(struct req *r);

/* Is addr one of trusted_proxies? */
bool url_proxy_trusted(const struct config *cfg, const char *addr);

/* The client behind a trusted proxy: the last X-Forwarded-For address that
 * is not itself a trusted proxy, written to out; false (out untouched) when
 * the header gives none that looks like an address. Pure. */
bool url_forwarded_client(const struct config *cfg, const char *xff, char *out, size_t cap);

#endif
