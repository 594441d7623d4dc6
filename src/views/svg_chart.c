/* svg_chart.c: the charts' geometry (pure) and their SVG, through html.c. */
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "views/svg_chart.h"
#include "web/html.h"

/* About as wide as a phone's or half a desktop's column: a unit is about a
 * pixel there, so 11-unit labels stay readable. */
const struct chart_frame chart_wide = { 400, 200, 44, 6, 10, 24 };

long long
chart_nice_max(long long max)
{
	long long m = 5;

	/* 5, 10, 20, 50, 100, ...: each step x2, x2.5 alternately after 10. */
	while (m < max && m <= (1LL << 60) / 10) {
		long long lead = m;
		while (lead >= 10)
			lead /= 10;
		m = lead == 2 ? m / 2 * 5 : m * 2;
	}
	return m;
}

int
chart_ticks(long long nice_max, long long ticks[6])
{
	long long lead = nice_max;

	while (lead >= 10)
		lead /= 10;
	int steps = lead == 2 ? 4 : 5;
	for (int i = 0; i <= steps; i++)
		ticks[i] = nice_max / steps * i;
	return steps + 1;
}

int
chart_y(const struct chart_frame *f, long long max, long long v)
{
	int h = f->height - f->top - f->bottom;

	if (max <= 0)
		max = 1;
	if (v < 0)
		v = 0;
	if (v > max)
		v = max;
	return f->height - f->bottom - (int)(v * h / max);
}

void
chart_band(const struct chart_frame *f, size_t n, size_t i, int *x, int *w, int *centre)
{
	long long pw = f->width - f->left - f->right;
	int b0 = f->left + (int)((long long)i * pw / (long long)(n ? n : 1));
	int b1 = f->left + (int)((long long)(i + 1) * pw / (long long)(n ? n : 1));
	int bw = (b1 - b0) * 7 / 10;

	if (bw < 1)
		bw = 1;
	*w = bw;
	*x = b0 + (b1 - b0 - bw) / 2;
	*centre = b0 + (b1 - b0) / 2;
}

size_t
chart_label_every(size_t n, size_t most)
{
	if (most == 0)
		most = 1;
	return n <= most ? 1 : (n + most - 1) / most;
}

void
chart_value_text(enum chart_unit u, long long v, char out[32])
{
	switch (u) {
	case CU_PERMILLE:
		if (v % 10 == 0)
			snprintf(out, 32, "%lld%%", v / 10);
		else
			snprintf(out, 32, "%lld.%lld%%", v / 10, (v < 0 ? -v : v) % 10);
		break;
	case CU_FEN: {
		char m[32];
		money_format(v, m);
		/* Whole yuan on an axis drop their ".00". */
		size_t len = strlen(m);
		if (len > 3 && strcmp(m + len - 3, ".00") == 0)
			m[len - 3] = '\0';
		snprintf(out, 32, "¥%s", m);
		break;
	}
	default:
		snprintf(out, 32, "%lld", v);
	}
}

void
chart_axis_text(enum chart_unit u, long long v, char out[32])
{
	long long whole = u == CU_FEN ? v / 100 : v;
	const char *cur = u == CU_FEN ? "¥" : "";

	bool round = u != CU_PERMILLE && (u != CU_FEN || v % 100 == 0);

	/* English counts in thousands and millions (k, M): exact for the same steps. */
	if (i18n_current() == LANG_EN && round && whole >= 1000000 && whole % 1000000 == 0)
		snprintf(out, 32, "%s%lldM", cur, whole / 1000000);
	else if (i18n_current() == LANG_EN && round && whole >= 1000 && whole % 1000 == 0)
		snprintf(out, 32, "%s%lldk", cur, whole / 1000);
	else if (i18n_current() == LANG_EN)
		chart_value_text(u, v, out);
	/* Axis values are steps of 1, 2 or 5 x 10^k: large ones are exact in 万 or 亿. */
	else if (u != CU_PERMILLE && (u != CU_FEN || v % 100 == 0) && whole >= 100000000 && whole % 100000000 == 0)
		snprintf(out, 32, "%s%lld亿", cur, whole / 100000000);
	else if (u != CU_PERMILLE && (u != CU_FEN || v % 100 == 0) && whole >= 10000 && whole % 10000 == 0)
		snprintf(out, 32, "%s%lld万", cur, whole / 10000);
	else
		chart_value_text(u, v, out);
}

static void
axis_of(struct req *r, enum chart_unit u, long long v)
{
	char s[32];

	chart_axis_text(u, v, s);
	html_esc(r, s);
}

static void
text_of(struct req *r, enum chart_unit u, long long v)
{
	char s[32];

	chart_value_text(u, v, s);
	html_esc(r, s);
}

/* <svg class="chart"> of f's size, labelled by its <title>. */
static void
svg_open(struct req *r, const char *id, const char *title, const struct chart_frame *f)
{
	html_raw(r, "<svg class=\"chart\" id=\"");
	html_esc(r, id);
	html_raw(r, "\" role=\"img\" aria-labelledby=\"");
	html_esc(r, id);
	html_raw(r, "-t\" viewBox=\"0 0 ");
	html_int(r, f->width);
	html_raw(r, " ");
	html_int(r, f->height);
	html_raw(r, "\"><title id=\"");
	html_esc(r, id);
	html_raw(r, "-t\">");
	html_esc(r, title);
	html_raw(r, "</title>");
}

/* <svg> with its title, the y axis (grid lines and labels) up to max. */
static void
open_chart(struct req *r, const char *id, const char *title, const struct chart_frame *f, long long max,
    enum chart_unit u)
{
	long long ticks[6];
	int nt = chart_ticks(max, ticks);

	svg_open(r, id, title, f);
	for (int i = 0; i < nt; i++) {
		int y = chart_y(f, max, ticks[i]);
		html_raw(r, "<line class=\"grid\" x1=\"");
		html_int(r, f->left);
		html_raw(r, "\" x2=\"");
		html_int(r, f->width - f->right);
		html_raw(r, "\" y1=\"");
		html_int(r, y);
		html_raw(r, "\" y2=\"");
		html_int(r, y);
		html_raw(r, "\"/><text class=\"ax\" text-anchor=\"end\" x=\"");
		html_int(r, f->left - 4);
		html_raw(r, "\" y=\"");
		html_int(r, y + 4);
		html_raw(r, "\">");
		axis_of(r, u, ticks[i]);
		html_raw(r, "</text>");
	}
}

static void
x_labels(struct req *r, const struct chart_frame *f, size_t n, const char *const *xlabels)
{
	size_t every = chart_label_every(n, 8);

	for (size_t i = 0; i < n; i += every) {
		int x, w, c;
		chart_band(f, n, i, &x, &w, &c);
		html_raw(r, "<text class=\"ax\" text-anchor=\"middle\" x=\"");
		html_int(r, c);
		html_raw(r, "\" y=\"");
		html_int(r, f->height - 8);
		html_raw(r, "\">");
		html_esc(r, xlabels[i]);
		html_raw(r, "</text>");
	}
}

static void
rect(struct req *r, const char *cls, int x, int y, int w, int h)
{
	html_raw(r, "<rect class=\"");
	html_esc(r, cls);
	html_raw(r, "\" x=\"");
	html_int(r, x);
	html_raw(r, "\" y=\"");
	html_int(r, y);
	html_raw(r, "\" width=\"");
	html_int(r, w);
	html_raw(r, "\" height=\"");
	html_int(r, h);
	html_raw(r, "\">");
}

/* A tooltip: "LABEL SERIES: VALUE". */
static void
tip(struct req *r, const char *band, const char *series, enum chart_unit u, long long v)
{
	html_raw(r, "<title>");
	html_esc(r, band);
	html_raw(r, " ");
	html_esc(r, series);
	html_t(r, "：");
	text_of(r, u, v);
	html_raw(r, "</title>");
}

void
svg_stacked_bars(struct req *r, const char *id, const char *title, const struct chart_series *s, size_t ns,
    size_t n, const char *const *xlabels, enum chart_unit u)
{
	const struct chart_frame *f = &chart_wide;
	long long top = 0;

	for (size_t i = 0; i < n; i++) {
		long long sum = 0;
		for (size_t k = 0; k < ns; k++)
			sum += s[k].v[i] > 0 ? s[k].v[i] : 0;
		if (sum > top)
			top = sum;
	}
	long long max = chart_nice_max(top);
	open_chart(r, id, title, f, max, u);
	for (size_t i = 0; i < n; i++) {
		int x, w, c;
		long long cum = 0;
		chart_band(f, n, i, &x, &w, &c);
		for (size_t k = 0; k < ns; k++) {
			long long v = s[k].v[i];
			if (v <= 0)
				continue;
			int y0 = chart_y(f, max, cum), y1 = chart_y(f, max, cum + v);
			cum += v;
			rect(r, s[k].cls, x, y1, w, y0 - y1 > 0 ? y0 - y1 : 1);
			tip(r, xlabels[i], s[k].label, u, v);
			html_raw(r, "</rect>");
		}
	}
	x_labels(r, f, n, xlabels);
	html_raw(r, "</svg>");
}

void
svg_permille_line(struct req *r, const char *id, const char *title, const struct chart_series *s, size_t n,
    const char *const *xlabels)
{
	const struct chart_frame *f = &chart_wide;
	bool open = false;

	open_chart(r, id, title, f, 1000, CU_PERMILLE);
	for (size_t i = 0; i < n; i++) {
		int x, w, c;
		chart_band(f, n, i, &x, &w, &c);
		if (s->v[i] < 0) {
			if (open)
				html_raw(r, "\"/>");
			open = false;
			continue;
		}
		if (!open)
			html_raw(r, "<polyline class=\"");
		if (!open) {
			html_esc(r, s->cls);
			html_raw(r, "\" fill=\"none\" points=\"");
		} else
			html_raw(r, " ");
		open = true;
		html_int(r, c);
		html_raw(r, ",");
		html_int(r, chart_y(f, 1000, s->v[i]));
	}
	if (open)
		html_raw(r, "\"/>");
	for (size_t i = 0; i < n; i++) {
		int x, w, c;
		if (s->v[i] < 0)
			continue;
		chart_band(f, n, i, &x, &w, &c);
		html_raw(r, "<circle class=\"");
		html_esc(r, s->cls);
		html_raw(r, "\" r=\"3\" cx=\"");
		html_int(r, c);
		html_raw(r, "\" cy=\"");
		html_int(r, chart_y(f, 1000, s->v[i]));
		html_raw(r, "\">");
		tip(r, xlabels[i], s->label, CU_PERMILLE, s->v[i]);
		html_raw(r, "</circle>");
	}
	x_labels(r, f, n, xlabels);
	html_raw(r, "</svg>");
}

void
svg_hbars(struct req *r, const char *id, const char *title, const char *cls, const char *const *labels,
    const long long *v, size_t n, enum chart_unit u)
{
	/* One 24-unit row per bar; labels in the left 120. */
	struct chart_frame f = { 400, 24 * (int)(n ? n : 1) + 26, 120, 50, 4, 22 };
	long long top = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] > top)
			top = v[i];
	long long max = chart_nice_max(top);
	int pw = f.width - f.left - f.right;
	svg_open(r, id, title, &f);
	for (size_t i = 0; i < n; i++) {
		int y = f.top + 24 * (int)i;
		long long val = v[i] < 0 ? 0 : v[i] > max ? max : v[i];
		int w = (int)(val * pw / max);
		html_raw(r, "<text class=\"ax\" text-anchor=\"end\" x=\"");
		html_int(r, f.left - 6);
		html_raw(r, "\" y=\"");
		html_int(r, y + 15);
		html_raw(r, "\">");
		html_esc(r, labels[i]);
		html_raw(r, "</text>");
		rect(r, cls, f.left, y + 3, w > 0 ? w : 1, 16);
		tip(r, labels[i], title, u, v[i]);
		html_raw(r, "</rect><text class=\"ax\" x=\"");
		html_int(r, f.left + w + 4);
		html_raw(r, "\" y=\"");
		html_int(r, y + 15);
		html_raw(r, "\">");
		text_of(r, u, v[i]);
		html_raw(r, "</text>");
	}
	html_raw(r, "<text class=\"ax\" text-anchor=\"end\" x=\"");
	html_int(r, f.width - f.right);
	html_raw(r, "\" y=\"");
	html_int(r, f.height - 6);
	html_raw(r, "\">0 – ");
	axis_of(r, u, max);
	html_raw(r, "</text></svg>");
}

void
chart_legend(struct req *r, const struct chart_series *s, size_t ns)
{
	html_raw(r, "<ul class=\"legend\">");
	for (size_t k = 0; k < ns; k++) {
		html_raw(r, "<li><svg viewBox=\"0 0 10 10\" width=\"10\" height=\"10\" aria-hidden=\"true\"><rect class=\"");
		html_esc(r, s[k].cls);
		html_raw(r, "\" width=\"10\" height=\"10\"/></svg>");
		html_esc(r, s[k].label);
		html_raw(r, "</li>");
	}
	html_raw(r, "</ul>");
}
