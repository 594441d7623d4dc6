/* cmd_routes.c: `refund-desk routes`: the routing table as the router
 * holds it, one route a line, for tests (test_hostile.py walks every
 * route) and for a reader: METHOD PATTERN NAME, then the fields the gate
 * checks (query=a,b body=c,d files=evidence). Needs no configuration. */
#include <stdio.h>

#include "cmd/commands.h"
#include "web/router.h"

static void
print_fields(const char *what, const struct form_field *t, size_t n)
{
	if (t == NULL)
		return;
	printf(" %s=", what);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", t[i].name);
}

int
cmd_routes(void)
{
	for (size_t i = 0; i < router_nroutes; i++) {
		const struct route *rt = &router_routes[i];
		printf("%s %s %s", http_method_names[rt->method], rt->pattern, rt->name);
		print_fields("query", rt->in.query, rt->in.nquery);
		print_fields("body", rt->in.body, rt->in.nbody);
		if (rt->in.files != NULL)
			printf(" files=%s", rt->in.files);
		putchar('\n');
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
