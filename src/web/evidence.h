/* evidence.h: evidence files. The type is decided by content (magic bytes,
 * confirmed by libmagic), never by the declared type or name. Files are
 * written to a temp file in EVIDENCE_DIR/tmp under a name we make, fsynced,
 * and renamed to EVIDENCE_DIR/ab/abcdef... (the SHA-256 of the content) once
 * the request is valid. */
#ifndef RD_EVIDENCE_H
#define RD_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"

enum evidence_type { EV_UNKNOWN, EV_PNG, EV_JPEG, EV_WEBP, EV_PDF, EV__MAX };
extern const char *const evidence_mime[EV__MAX];   /* "" for EV_UNKNOWN */

#define EVIDENCE_SNIFF_BYTES 16
/* Pure: the type whose signature starts p[0..n), or EV_UNKNOWN. */
enum evidence_type evidence_sniff(const unsigned char *p, size_t n);

/* One upload being received. */
struct upload {
	char tmp_path[600];
	int fd;                          /* -1 once closed */
	struct sha256_ctx sha;
	char sha256[65];
	unsigned char head[4096];        /* the first bytes, for sniffing and libmagic */
	size_t head_len;
	long long size;
	enum evidence_type type;
	char orig_name[256];             /* display only */
	bool placed_new;                 /* place() created the final file */
	bool kept;                       /* a committed row names it: the reset leaves it */
	const char *dir;                 /* evidence_dir, for the discard at reset */
};

/* Creates the temp file and registers its discard with arena a (NULL: the
 * caller calls upload_discard): arena_reset removes the temp file, and the
 * placed file unless kept is set. RD_ERR_IO / RD_ERR_NOSPACE / RD_ERR_NOMEM. */
enum rd_err upload_open(struct upload *u, struct arena *a, const char *evidence_dir, const char *orig_name);
/* Appends; RD_ERR_TOOBIG past max_bytes, RD_ERR_NOSPACE when the disk is full. */
enum rd_err upload_write(struct upload *u, const char *p, size_t n, long long max_bytes);
/* Finishes: fsync, close, hash, and decides the type (magic may be NULL). An
 * empty file or one of a type we do not take is RD_ERR_TYPE. */
enum rd_err upload_close(struct upload *u, void *magic);
/* Moves the temp file to its content-addressed name (fsyncing the folder). */
enum rd_err upload_place(struct upload *u, const char *evidence_dir);
/* Removes the temp file, and the placed file if this upload created it and
 * unreferenced is true. Safe to call more than once. */
void upload_discard(struct upload *u, const char *evidence_dir, bool unreferenced);

/* Removes temp files older than max_age seconds (left by a killed worker);
 * returns how many. */
int evidence_sweep_tmp(const char *evidence_dir, long max_age);

/* Removes stored files older than max_age seconds that referenced() says
 * no evidence row names: left when a worker died between placing a file
 * and committing its row. Returns how many. */
int evidence_sweep_stored(const char *evidence_dir, long max_age,
    bool (*referenced)(const char *sha, void *ctx), void *ctx);

#endif
