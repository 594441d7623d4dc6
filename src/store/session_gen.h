/* session_gen.h: server-side revocation of the stateless session cookies.
 * Each buyer (buyer_sessions.gen) and each staff account (staff.session_gen)
 * has a generation; a cookie is signed with a key derived from the
 * generation it was issued under, so bumping the generation (logout, a
 * password change, an admin's "end all sessions") makes every older cookie
 * fail its MAC at once. The cookie format does not change. Staff requests
 * read the account row anyway (no extra round trip); a buyer request with a
 * cookie costs one primary-key read, except on the pages whose own row
 * brings the generation (the status page and the form: session_resolve_gen). */
#ifndef RD_SESSION_GEN_H
#define RD_SESSION_GEN_H

#include "web/http.h"

/* The key of generation gen: the base secret itself for 0, else
 * "SECRET|genN" in arena memory (NULL when out of memory). */
const char *session_gen_secret(struct arena *a, const char *secret, long long gen);

/* The buyer's generation (0 without a row; 0 for the desk's own '_'
 * placeholder buyers, which have no account to end). */
enum rd_err buyer_gen(struct req *r, const char *buyer, long long *gen);
/* Encodes s for the buyer's current generation. */
enum rd_err buyer_cookie_encode(struct req *r, const struct session *s, char *out, size_t cap);
/* The buyer cookie of the request, checked on first use (req_begin only
 * keeps it): true when r->sess holds a session signed for its buyer's
 * current generation. Reads the generation (one primary-key read) unless
 * session_resolve_gen() already settled it. Every reader of has_session
 * calls this first. */
bool session_resolve(struct req *r);
/* As session_resolve(), when a page's own statement already read the
 * generation of buyer (the order's or refund's owner): no round trip when
 * the cookie is that buyer's; otherwise nothing is settled here. */
void session_resolve_gen(struct req *r, const char *buyer, long long gen);
/* Whether the session row sid was committed: after a transaction that
 * inserted it came back without a clear answer (its COMMIT lost with the
 * connection, or run again and refused by its own first run), a fresh
 * random sid being there proves that the transaction took effect. */
enum rd_err session_committed(struct req *r, const char *sid, bool *yes);
/* Ends every session of the buyer. */
enum rd_err buyer_sessions_end(struct req *r, const char *buyer);

#endif
