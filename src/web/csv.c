/* csv.c: see csv.h. */
#include <string.h>

#include "base/i18n.h"
#include "web/csv.h"

void
csv_cell(struct buf *b, const char *s, bool first)
{
	if (!first)
		buf_putc(b, ',');
	buf_putc(b, '"');
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

void
csv_row_end(struct buf *b)
{
	buf_puts(b, "\r\n");
}

void
csv_row(struct buf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_cell(b, cells[i], i == 0);
	csv_row_end(b);
}

void
csv_row_tr(struct buf *b, const char *const *msgids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_cell(b, i18n_tr(msgids[i]), i == 0);
	csv_row_end(b);
}
