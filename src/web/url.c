/* url.c: the mount, cookies' scope and the client's address (url.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "web/http.h"
#include "web/url.h"

/* path below mount, or NULL when path is not under it. */
static const char *
below(const char *mount, const char *path)
{
	size_t n = strlen(mount);
	if (strncmp(path, mount, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return NULL;
	return path + n;
}

const char *
url_route_path(const char *mount, const char *document_uri, const char *script_name,
    const char *path_info)
{
	const char *p;

	if (document_uri[0] != '\0')
		p = (p = below(mount, document_uri)) != NULL ? p : document_uri;
	else if (path_info[0] != '\0')
		p = path_info;
	else
		p = (p = below(mount, script_name)) != NULL ? p : script_name;
	return p[0] != '\0' ? p : "/";
}

const char *
url_mount(const struct req *r)
{
	if (r->app == NULL || r->app->cfg == NULL || r->app->cfg->mount == NULL)
		return "";
	return r->app->cfg->mount;
}

const char *
url_to(struct req *r, const char *fmt, ...)
{
	const char *mount = url_mount(r);
	char path[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return "";
	char *out = arena_alloc(r->a, strlen(mount) + (size_t)n + 1);
	if (out == NULL)
		return "";
	sprintf(out, "%s%s", mount, path);
	return out;
}

void
url_cookie(const struct config *cfg, bool secure, const char *base, const char *sub,
    char *name, size_t namecap, char *path, size_t pathcap)
{
	const char *mount = cfg->mount ? cfg->mount : "";

	if (secure && mount[0] == '\0') {
		snprintf(name, namecap, "__Host-%s", base);
		snprintf(path, pathcap, "/");
		return;
	}
	snprintf(name, namecap, "%s%s", secure ? "__Secure-" : "", base);
	snprintf(path, pathcap, "%s%s", mount, sub);
	if (path[0] == '\0')
		snprintf(path, pathcap, "/");
}

bool
url_behind_nginx(struct req *r)
{
	return strncmp(req_param(r, "SERVER_SOFTWARE"), "nginx", 5) == 0;
}

bool
url_proxy_trusted(const struct config *cfg, const char *addr)
{
	for (int i = 0; i < cfg->ntrusted_proxies; i++)
		if (strcmp(cfg->trusted_proxies[i], addr) == 0)
			return true;
	return false;
}

bool
url_forwarded_client(const struct config *cfg, const char *xff, char *out, size_t cap)
{
	char addr[64];
	size_t end = strlen(xff);

	/* From the right: each hop appended the address it saw; the first one
	 * not ours is the client as far as anyone we trust can tell. */
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t a = start, b = end;
		while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
			a++;
		while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
			b--;
		if (b - a == 0 || b - a >= sizeof(addr) || b - a > 45)
			return false;
		memcpy(addr, xff + a, b - a);
		addr[b - a] = '\0';
		if (strspn(addr, "0123456789abcdefABCDEF.:") != b - a)
			return false;
		if (!url_proxy_trusted(cfg, addr) || start == 0) {
			snprintf(out, cap, "%s", addr);
			return true;
		}
		end = start - 1;
	}
	return false;
}
