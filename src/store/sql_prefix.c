/* sql_prefix.c: a small SQL tokenizer that prefixes our table names and
 * nothing else (see sql_prefix.h). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/sql_prefix.h"

const char *const sql_tables[] = {
	"schema_migrations", "orders", "holds", "ledger_txns", "ledger_entries",
	"hold_resolutions", "refunds", "refund_events", "evidence", "sessions", "used_links",
	"lookup_failures", "blacklist", "webhook_events", "staff", "worker_lease", "request_log",
	"api_signatures", "budgets", "buyer_sessions",
	"api_clients",             /* i15-client */
	"refund_internal_notes",   /* i10-money */
	"staff_activity",          /* i10-desk */
	"order_upstreams", "supplier_claims", /* i15-chain */
	NULL,
};

bool
sql_prefix_valid(const char *prefix)
{
	size_t n = strlen(prefix);
	return n <= 32 && strspn(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_") == n;
}

static bool
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '$';
}

static bool
is_table(const char *s, size_t n)
{
	for (size_t i = 0; sql_tables[i] != NULL; i++)
		if (strlen(sql_tables[i]) == n && memcmp(sql_tables[i], s, n) == 0)
			return true;
	return false;
}

/* End of a quoted run starting at s[i] (the opening quote q): backslash
 * escapes inside strings, a doubled quote stands for itself. */
static size_t
quoted_end(const char *s, size_t len, size_t i, char q)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\' && q != '`')
			i++;
		else if (s[i] == q) {
			if (i + 1 < len && s[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return len;
}

char *
sql_prefix_tables(const char *s, size_t len, const char *prefix, size_t *outlen)
{
	struct buf out;
	size_t i = 0;
	char prev = '\0';        /* the last significant character copied */

	buf_init(&out);
	while (i < len) {
		char c = s[i];
		size_t end = i + 1;
		if (c == '\'' || c == '"') {
			end = quoted_end(s, len, i, c);
		} else if (c == '`') {
			end = quoted_end(s, len, i, c);
			size_t n = end - i >= 2 ? end - i - 2 : 0;
			if (prev != '.' && s[end - 1] == '`' && is_table(s + i + 1, n)) {
				buf_printf(&out, "`%s%.*s`", prefix, (int)n, s + i + 1);
				i = end;
				prev = '`';
				continue;
			}
		} else if (c == '#' || (c == '-' && i + 2 < len && s[i + 1] == '-' &&
		    (s[i + 2] == ' ' || s[i + 2] == '\t' || s[i + 2] == '\n'))) {
			const char *nl = memchr(s + i, '\n', len - i);
			end = nl ? (size_t)(nl - s) : len;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *close = NULL;
			for (size_t k = i + 2; k + 1 < len; k++)
				if (s[k] == '*' && s[k + 1] == '/') {
					close = s + k;
					break;
				}
			end = close ? (size_t)(close - s) + 2 : len;
			buf_append(&out, s + i, end - i);
			i = end;
			continue;        /* a comment changes nothing about prev */
		} else if (is_ident(c)) {
			while (end < len && is_ident(s[end]))
				end++;
			if (prev != '.' && is_table(s + i, end - i))
				buf_puts(&out, prefix);
		}
		buf_append(&out, s + i, end - i);
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			prev = s[end - 1];
		i = end;
	}
	if (out.failed || buf_cstr(&out) == NULL) {
		buf_free(&out);
		return NULL;
	}
	if (outlen != NULL)
		*outlen = out.len;
	/* The caller owns the buffer's memory from here. */
	char *res = malloc(out.len + 1);
	if (res != NULL) {
		memcpy(res, buf_cstr(&out), out.len);
		res[out.len] = '\0';
	}
	buf_free(&out);
	return res;
}
