/* money.h: integer minor units (fen) with checked arithmetic. Never a double. */
#ifndef RD_MONEY_H
#define RD_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#define MONEY_MAX ((int64_t)1 << 53)   /* largest amount we accept: JSON-safe */

/* False on overflow past +-MONEY_MAX; *out untouched then. */
bool money_add(int64_t a, int64_t b, int64_t *out);
bool money_sub(int64_t a, int64_t b, int64_t *out);
/* Recycling fee: amount * bp / 10000 rounded down to the fen, in the buyer's
 * favour. bp in 0..10000; amount in 0..MONEY_MAX. */
int64_t money_fee(int64_t amount, int bp);
/* "19.99" (no currency sign); negative amounts get a leading '-'. out[32]. */
void money_format(int64_t fen, char out[32]);
/* Parses "19.99", "19.9", "19" into fen. False on anything else. */
bool money_parse_yuan(const char *s, int64_t *out);

#endif
