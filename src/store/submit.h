/* submit.h: the decision and the one transaction that files a refund
 * request: lock the order, insert the request, freeze the hold or pay at
 * once, record evidence, events and webhooks. Used by POST /refund/new. */
#ifndef RD_SUBMIT_H
#define RD_SUBMIT_H

#include "web/body.h"
#include "store/model.h"

struct submit {
	/* in */
	const char *order_no, *buyer_id, *idem, *reason, *wrong_account, *client_ip;
	enum refund_type type;
	enum destination dest;
	struct upload **files;
	size_t nfiles;
	long long now;
	const struct config *cfg;
	struct arena *a;
	/* The order as submit_read() found it, with risk and d decided on it
	 * (once for the request): kept unless the locked order reads differently. */
	const struct order *pre;
	struct risk_facts risk;
	/* Or, with pre NULL, no read before the transaction: its lock reads the
	 * order with the risk facts and this form's earlier request, and hands
	 * them to check (issue 12: one read of the order, not two), which
	 * vets the request as the caller would have on a read of its own
	 * (its session, its fields: d, type, dest ...) and returns RD_OK to
	 * file it, or an error of its choosing (never RD_ERR_RETRY) to write
	 * nothing. It may run again (a retried transaction): no output in it.
	 * idem_hit: this form's earlier request (then s->existing follows). */
	enum rd_err (*check)(struct submit *s, const struct order *o, const struct risk_facts *risk,
	    const char *idem_hit, void *ctx);
	void *check_ctx;
	/* out */
	char public_id[23];          /* the new request, or the one idem found */
	bool existing;               /* idem had already been used: nothing written */
	const char *open_refund;     /* RD_ERR_CONFLICT: the request already open */
	struct decision d;           /* in with pre; RD_ERR_INPUT: d.reason says why not allowed */
	const char *refusal;         /* RD_ERR_INPUT for a reason outside the policy */
};

/* Runs the transaction (retried whole on deadlock, and when a unique key
 * refused the request). RD_OK with public_id set (existing: this form's
 * earlier request, found under the order's lock); RD_ERR_CONFLICT with
 * open_refund set when a request is open; RD_ERR_INPUT when the policy
 * refuses the type now. */
enum rd_err submit_refund(struct db *db, struct submit *s);

/* The one read before the transaction (one round trip): the order, the
 * public id of the request this form (idem) already made (*idem_hit, or
 * NULL), and the risk facts of the order's buyer and ip. */
enum rd_err submit_read(struct db *db, struct arena *a, const char *order_no, const char *idem,
    const char *ip, long long now, const struct risk_limits *lim, struct order *o,
    const char **idem_hit, struct risk_facts *risk);
/* The form page's one read: the order (with its buyer's session
 * generation, as order_load) and the risk facts of a submission now. */
enum rd_err form_read(struct db *db, struct arena *a, const char *order_no, const char *ip, long long now,
    const struct risk_limits *lim, struct order *o, struct risk_facts *risk);

#endif
