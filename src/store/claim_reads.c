/* claim_reads.c: the claims page's reads (Q_DESK_CLAIMS, Q_DESK_CLAIM_SUPPLIERS). */
#include <string.h>

#include "rules/domain.h"
#include "store/claim_reads.h"

enum rd_err
claims_list_load(struct db *db, struct arena *a, const char *state, const char *supplier, long long limit,
    long long offset, struct claims_list *out)
{
	struct dbval p[] = { DB_STR(state), DB_STR(state), DB_STR(supplier), DB_STR(supplier), DB_INT(limit),
		DB_INT(offset) };
	struct dbres res;
	enum rd_err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(db, a, Q_DESK_CLAIMS, p, 6, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_OK;
	if ((out->rows = arena_alloc(a, res.nrows * sizeof(*out->rows))) == NULL)
		return RD_ERR_NOMEM;
	for (size_t i = 0; i < res.nrows; i++) {
		struct claims_row *row = &out->rows[out->n++];
		row->public_id = db_cell(&res, i, 0);
		row->state = ENUM_LOOKUP(claim_state_names, db_cell(&res, i, 1));
		row->supplier = db_cell(&res, i, 2);
		row->amount = db_cell_int(&res, i, 3);
		row->recovered = db_cell_int(&res, i, 4);
		row->written_off = db_cell_int(&res, i, 5);
		row->supplier_refund_id = db_cell(&res, i, 6);
		row->created_at = db_cell_int(&res, i, 7);
		row->updated_at = db_cell_int(&res, i, 8);
		row->refund_id = db_cell(&res, i, 9);
		row->order_no = db_cell(&res, i, 10);
		row->upstream_order_no = db_cell(&res, i, 11);
	}
	return RD_OK;
}

enum rd_err
claim_figures_load(struct db *db, struct arena *a, struct supplier_claim_figures **out, size_t *n)
{
	struct dbres res;
	enum rd_err e;

	*out = NULL;
	*n = 0;
	if ((e = db_query(db, a, Q_DESK_CLAIM_SUPPLIERS, NULL, 0, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_OK;
	if ((*out = arena_alloc(a, res.nrows * sizeof(**out))) == NULL)
		return RD_ERR_NOMEM;
	/* One row per (supplier, state), in supplier order: a supplier's rows
	 * are summed into one figure. */
	struct supplier_claim_figures *f = NULL;
	for (size_t i = 0; i < res.nrows; i++) {
		const char *supplier = db_cell(&res, i, 0);
		if (f == NULL || strcmp(f->supplier, supplier) != 0) {
			if (*n == CLAIM_SUPPLIERS_MAX)
				break;
			f = &(*out)[(*n)++];
			memset(f, 0, sizeof(*f));
			f->supplier = supplier;
		}
		int st = ENUM_LOOKUP(claim_state_names, db_cell(&res, i, 1));
		long long count = db_cell_int(&res, i, 2);
		f->all_n += count;
		if (st >= 0)
			f->by_state[st] += count;
		if (st >= 0 && !claim_state_final(st)) {
			f->open_n += count;
			f->open_amount += db_cell_int(&res, i, 3);
		}
		f->recovered_n += db_cell_int(&res, i, 4);
		f->recovered += db_cell_int(&res, i, 5);
		f->written_off_n += db_cell_int(&res, i, 6);
		f->written_off += db_cell_int(&res, i, 7);
	}
	return RD_OK;
}

long long
claims_total(const struct supplier_claim_figures *f, size_t n, const char *state, const char *supplier)
{
	int st = state[0] != '\0' ? ENUM_LOOKUP(claim_state_names, state) : -1;
	long long total = 0;

	if (state[0] != '\0' && st < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (supplier[0] == '\0' || strcmp(f[i].supplier, supplier) == 0)
			total += st >= 0 ? f[i].by_state[st] : f[i].all_n;
	return total;
}
