/* h_desk_evidence.c: GET /desk/refund/ID/evidence/N for staff who may see
 * the refund (merchants: their own orders only). */
#include "pages/handlers.h"
#include "rules/desk.h"
#include "store/staff.h"

static bool
staff_may(struct req *r, const char *buyer, const char *order_no, const char *merchant, const void *ctx)
{
	(void)r, (void)buyer, (void)order_no;  /* staff see by merchant only */
	return desk_may_see(ctx, merchant);
}

void
h_desk_evidence(struct req *r)
{
	struct staff st;

	if (staff_require(r, &st))
		evidence_serve(r, staff_may, &st);
}
