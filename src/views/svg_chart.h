/* svg_chart.h: server-rendered SVG charts (the dashboard's), inline in the
 * page: no script, no style attribute or element (the CSP allows only
 * style-src 'self': colours come from rd.css classes, geometry from SVG
 * attributes), a viewBox that scales to any width. The geometry (scales,
 * ticks, bands, stacks) is pure and unit-tested; the writers go through
 * html.c like every view. */
#ifndef RD_SVG_CHART_H
#define RD_SVG_CHART_H

#include <stddef.h>

#include "web/http.h"

/* The viewBox and the plot area inside it. */
struct chart_frame {
	int width, height;
	int left, right, top, bottom;    /* margins around the plot */
};
extern const struct chart_frame chart_wide;    /* series over days */
/* What the values are, for axis labels and tooltips. */
enum chart_unit { CU_COUNT, CU_PERMILLE, CU_FEN, CU__MAX };

/* The axis maximum: the smallest of 5, 10, 20, 50, 100, 200, ... >= max. */
long long chart_nice_max(long long max);
/* The ticks 0 .. nice_max in equal whole steps (4 or 5 of them) into
 * ticks[6]; returns how many (steps + 1). */
int chart_ticks(long long nice_max, long long ticks[6]);
/* The y of v on an axis 0 .. max (max > 0; v clamped to it): the plot's
 * bottom for 0, its top for max. */
int chart_y(const struct chart_frame *f, long long max, long long v);
/* Band i of n across the plot: its bar's x and width (70 % of the band,
 * at least 1) and the band's centre. */
void chart_band(const struct chart_frame *f, size_t n, size_t i, int *x, int *w, int *centre);
/* Label every k-th band so at most `most` labels show. */
size_t chart_label_every(size_t n, size_t most);
/* v as a label: "12", "12.5%", "¥3.50". */
void chart_value_text(enum chart_unit u, long long v, char out[32]);
/* The same for an axis, whole 万 and 亿 shortened: "¥5万", "2亿", "¥3.50". */
void chart_axis_text(enum chart_unit u, long long v, char out[32]);

/* A series: its CSS class ("s-refunded") and legend label, one value per band. */
struct chart_series {
	const char *cls, *label;
	const long long *v;
};

/* Stacked bars, one per band (x labels xlabels[n]); id names the <svg>
 * and its <title>. */
void svg_stacked_bars(struct req *r, const char *id, const char *title, const struct chart_series *s,
    size_t ns, size_t n, const char *const *xlabels, enum chart_unit u);
/* A line over the bands on 0 .. 100 %; a value below 0 is no data (the
 * line breaks there). */
void svg_permille_line(struct req *r, const char *id, const char *title, const struct chart_series *s,
    size_t n, const char *const *xlabels);
/* Horizontal bars, one per row (labels on the left), e.g. per merchant. */
void svg_hbars(struct req *r, const char *id, const char *title, const char *cls,
    const char *const *labels, const long long *v, size_t n, enum chart_unit u);
/* The legend of a chart's series, as an HTML list. */
void chart_legend(struct req *r, const struct chart_series *s, size_t ns);

#endif
