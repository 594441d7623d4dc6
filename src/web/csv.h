/* csv.h: the one CSV writer (RFC 4180, for spreadsheets). Every cell is
 * quoted; a cell a spreadsheet would read as a formula (it starts with
 * = + - @ tab or CR) gets a ' in front, so an order title cannot run in
 * the agent's spreadsheet. Pure. */
#ifndef RD_CSV_H
#define RD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* One cell: a ',' before it unless first, s quoted and made inert. */
void csv_cell(struct buf *b, const char *s, bool first);
/* The end of a row: CRLF. */
void csv_row_end(struct buf *b);
/* A whole row of n cells (a header row). */
void csv_row(struct buf *b, const char *const *cells, size_t n);
/* A header row of msgids (N_()), in the request's language (base/i18n.h). */
void csv_row_tr(struct buf *b, const char *const *msgids, size_t n);

#endif
