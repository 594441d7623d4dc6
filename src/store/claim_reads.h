/* claim_reads.h: what the desk's claims page reads (i15-console): a page
 * of claims up the chain, filtered, and each supplier's figures. */
#ifndef RD_CLAIM_READS_H
#define RD_CLAIM_READS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "rules/domain.h"
#include "store/db.h"

#define CLAIMS_PAGE 50                 /* rows on a page of the claims list */
#define CLAIM_SUPPLIERS_MAX 200        /* suppliers the figures show (Q_DESK_CLAIM_SUPPLIERS: 1000 groups) */

struct claims_row {
	const char *public_id, *supplier, *supplier_refund_id;
	const char *refund_id, *order_no, *upstream_order_no;  /* the request it came from */
	int state;                     /* enum claim_state, -1 when unknown to this build */
	int64_t amount, recovered, written_off;
	long long created_at, updated_at;
};

struct claims_list {
	struct claims_row *rows;       /* newest first */
	size_t n;
	long long total;               /* every match, not only those read (claims_total) */
};

/* One supplier's claims, summed: open ones (pending or filed) and what
 * they ask; claims with money back and how much; claims with a loss
 * written off and how much (a partly recovered claim is in both). */
struct supplier_claim_figures {
	const char *supplier;
	long long open_n, recovered_n, written_off_n;
	int64_t open_amount, recovered, written_off;
	long long by_state[CLAIM__MAX];   /* its claims in each state */
	long long all_n;                  /* every claim, a state this build does not know too */
};

/* Claims of state ("" any) and supplier ("" any), newest first, limit of
 * them from offset (arena rows). */
enum rd_err claims_list_load(struct db *db, struct arena *a, const char *state, const char *supplier,
    long long limit, long long offset, struct claims_list *out);

/* Every supplier's figures, by supplier id (at most CLAIM_SUPPLIERS_MAX). */
enum rd_err claim_figures_load(struct db *db, struct arena *a, struct supplier_claim_figures **out, size_t *n);

/* How many claims of state ("" any) and supplier ("" any) there are, from
 * the figures (pure: the list's count without a second read of the list). */
long long claims_total(const struct supplier_claim_figures *f, size_t n, const char *state, const char *supplier);

#endif
