/* view_text.c: formatted page text (view_text.h). A stack buffer, not the
 * request's arena: views render from their struct alone. */
#include <stdarg.h>
#include <stdio.h>

#include "views/view_text.h"
#include "web/html.h"

void
view_textf(struct req *r, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	html_esc(r, text);
}
