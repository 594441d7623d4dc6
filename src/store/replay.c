/* replay.c: path normalisation and the store of accepted API signatures. */
#include <stdio.h>
#include <string.h>

#include "store/replay.h"

bool
uri_path_normal(const char *raw_uri)
{
	size_t n = strcspn(raw_uri, "?");

	if (n == 0)
		return true;
	if (raw_uri[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = raw_uri[i];
		if (c == '%' || c == '\\')
			return false;
		if (c != '/')
			continue;
		/* The segment after this '/': empty, "." or ".." is not normal
		 * (a trailing '/' makes an empty last segment: also refused). */
		size_t s = i + 1, len = 0;
		while (s + len < n && raw_uri[s + len] != '/')
			len++;
		if (len == 0 && !(i == 0 && n == 1))
			return false;
		if ((len == 1 && raw_uri[s] == '.') || (len == 2 && raw_uri[s] == '.' && raw_uri[s + 1] == '.'))
			return false;
	}
	return true;
}

bool
signed_target(const char *path, const char *query, char *out, size_t cap)
{
	int n = (query != NULL && query[0] != '\0') ? snprintf(out, cap, "%s?%s", path, query) :
	    snprintf(out, cap, "%s", path);
	return n >= 0 && (size_t)n < cap;
}

enum rd_err
replay_record(struct db *db, const char *sig, long long ts)
{
	struct dbval p[] = { DB_STR(sig), DB_INT(ts) };
	return db_exec(db, Q_API_SIG_INSERT, p, 2, NULL, NULL);
}

enum rd_err
replay_purge(struct db *db, long long before)
{
	struct dbval p[] = { DB_INT(before) };
	return db_exec(db, W_API_SIG_PURGE, p, 1, NULL, NULL);
}
