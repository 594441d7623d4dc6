/* dash_reads.h: the dashboard's one read (Q_DASHBOARD, one round trip):
 * the requests filed in a range of Beijing days, summed into a dashboard. */
#ifndef RD_DASH_READS_H
#define RD_DASH_READS_H

#include "base/arena.h"
#include "rules/dashboard.h"
#include "store/db.h"

/* Fills d (made by dash_init: its range says what to read); merchant ids
 * in arena a. */
enum rd_err dash_load(struct db *db, struct arena *a, struct dashboard *d);

#endif
