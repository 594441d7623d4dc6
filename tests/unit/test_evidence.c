/* test_evidence.c: the signature sniffer, the temp-file -> place life of an
 * upload in a private folder, the sweeper, and libmagic's second opinion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/crypto.h"
#include "web/evidence.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define B(s) (const unsigned char *)(s), sizeof(s) - 1

/* A complete 1x1 greyscale PNG (67 bytes): what a real upload starts with. */
static const char tiny_png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01"
    "\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0a\x49\x44\x41"
    "\x54\x78\x9c\x63\x60\x00\x00\x00\x02\x00\x01\x48\xaf\xa4\x71\x00\x00\x00\x00\x49"
    "\x45\x4e\x44\xae\x42\x60\x82";
#define TINY_PNG_LEN (sizeof(tiny_png) - 1)

struct sniff_case {
	const char *what;
	const unsigned char *p;
	size_t n;
	enum evidence_type want;
};

static const struct sniff_case sniff_cases[] = {
	{ "png", B("\x89PNG\r\n\x1a\n"), EV_PNG },
	{ "png+data", B("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), EV_PNG },
	{ "png truncated", B("\x89PNG\r\n\x1a"), EV_UNKNOWN },
	{ "png LF mangled", B("\x89PNG\n\x1a\n\0"), EV_UNKNOWN },
	{ "png no high bit", B("PNG\r\n\x1a\n\0"), EV_UNKNOWN },
	{ "jpeg", B("\xff\xd8\xff"), EV_JPEG },
	{ "jpeg jfif", B("\xff\xd8\xff\xe0\0\x10JFIF\0"), EV_JPEG },
	{ "jpeg truncated", B("\xff\xd8"), EV_UNKNOWN },
	{ "jpeg wrong third", B("\xff\xd8\x00\xe0"), EV_UNKNOWN },
	{ "webp", B("RIFF\x1a\0\0\0WEBPVP8 "), EV_WEBP },
	{ "webp exactly 12", B("RIFF\0\0\0\0WEBP"), EV_WEBP },
	{ "webp truncated", B("RIFF\0\0\0\0WEB"), EV_UNKNOWN },
	{ "riff wave", B("RIFF\x24\0\0\0WAVEfmt "), EV_UNKNOWN },
	{ "riff avi", B("RIFF\x24\0\0\0AVI LIST"), EV_UNKNOWN },
	{ "webp lowercase", B("riff\0\0\0\0webp"), EV_UNKNOWN },
	{ "pdf", B("%PDF-1.7\n"), EV_PDF },
	{ "pdf exactly 5", B("%PDF-"), EV_PDF },
	{ "pdf truncated", B("%PDF"), EV_UNKNOWN },
	{ "pdf after space", B(" %PDF-1.4"), EV_UNKNOWN },
	{ "html", B("<!doctype html><html>"), EV_UNKNOWN },
	{ "html png-ish", B("<html>\x89PNG\r\n\x1a\n"), EV_UNKNOWN },
	{ "svg", B("<svg xmlns=\"http://www.w3.org/2000/svg\">"), EV_UNKNOWN },
	{ "gif", B("GIF89a\x01\0\x01\0"), EV_UNKNOWN },
	{ "zip", B("PK\x03\x04"), EV_UNKNOWN },
	{ "text", B("hello"), EV_UNKNOWN },
	{ "empty", (const unsigned char *)"", 0, EV_UNKNOWN },
};

static void
test_sniff_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(sniff_cases); i++) {
		const struct sniff_case *c = &sniff_cases[i];
		enum evidence_type t = evidence_sniff(c->p, c->n);
		if (t != c->want)
			print_error("%s: %d, want %d\n", c->what, (int)t, (int)c->want);
		assert_int_equal(t, c->want);
	}
	/* Only n counts: a PNG signature with n = 7 is not one. */
	assert_int_equal(evidence_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 7), EV_UNKNOWN);
	assert_string_equal(evidence_mime[EV_UNKNOWN], "");
	assert_string_equal(evidence_mime[EV_PNG], "image/png");
	assert_string_equal(evidence_mime[EV_PDF], "application/pdf");
}

/* Each test gets a fresh evidence folder, removed afterwards. */
struct fix {
	char dir[64];
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag, (void)ftw, (void)st;
	return remove(path);
}

static int
fix_setup(void **state)
{
	static struct fix f;

	snprintf(f.dir, sizeof(f.dir), "/tmp/rd-evidence-XXXXXX");
	if (mkdtemp(f.dir) == NULL)
		return -1;
	*state = &f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;

	return nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Entries in DIR/sub, "." and ".." aside; -1 when it cannot be opened. */
static int
count_entries(const char *dir, const char *sub)
{
	char path[256];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
final_path(const char *dir, const char *sha, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%.2s/%s", dir, sha, sha);
}

/* Opens, writes p[0..n) in chunks of step bytes, closes. */
static enum rd_err
upload(struct upload *u, const char *dir, const char *p, size_t n, size_t step, long long max)
{
	enum rd_err e;

	assert_int_equal(upload_open(u, dir, "shot.png"), RD_OK);
	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		if ((e = upload_write(u, p + off, k, max)) != RD_OK)
			return e;
	}
	return upload_close(u, NULL);
}

static void
test_upload_png(void **state)
{
	struct fix *f = *state;
	char want[65];
	struct upload u;
	struct stat st;

	sha256_hex(tiny_png, TINY_PNG_LEN, want);
	assert_int_equal(upload(&u, f->dir, tiny_png, TINY_PNG_LEN, TINY_PNG_LEN, 1024), RD_OK);
	assert_int_equal(u.type, EV_PNG);
	assert_int_equal(u.size, TINY_PNG_LEN);
	assert_string_equal(u.sha256, want);
	assert_int_equal(u.fd, -1);
	assert_string_equal(u.orig_name, "shot.png");
	assert_int_equal(u.head_len, TINY_PNG_LEN);
	assert_memory_equal(u.head, tiny_png, TINY_PNG_LEN);
	/* The temp file is ours: in DIR/tmp, a .part name, not the upload's. */
	assert_non_null(strstr(u.tmp_path, "/tmp/"));
	assert_memory_equal(u.tmp_path, f->dir, strlen(f->dir));
	assert_string_equal(u.tmp_path + strlen(u.tmp_path) - 5, ".part");
	assert_null(strstr(u.tmp_path, "shot"));
	assert_int_equal(stat(u.tmp_path, &st), 0);
	assert_int_equal(st.st_size, TINY_PNG_LEN);
	/* Readable by nginx perhaps, but never writable or runnable by others. */
	assert_int_equal(st.st_mode & 0133, 0);
	upload_discard(&u, f->dir, true);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);
}

/* One byte at a time gives the same hash and head as one write. */
static void
test_upload_chunks(void **state)
{
	struct fix *f = *state;
	char big[10000], want[65];
	struct upload u;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	memcpy(big, "%PDF-1.4\n", 9);
	sha256_hex(big, sizeof(big), want);
	assert_int_equal(upload(&u, f->dir, big, sizeof(big), 1, sizeof(big)), RD_OK);
	assert_int_equal(u.type, EV_PDF);
	assert_int_equal(u.size, sizeof(big));
	assert_string_equal(u.sha256, want);
	assert_int_equal(u.head_len, sizeof(u.head));         /* kept the first 4 KiB only */
	assert_memory_equal(u.head, big, sizeof(u.head));
	upload_discard(&u, f->dir, true);
	assert_int_equal(upload(&u, f->dir, big, sizeof(big), 4095, sizeof(big)), RD_OK);
	assert_string_equal(u.sha256, want);
	upload_discard(&u, f->dir, true);
}

static void
test_upload_too_big(void **state)
{
	struct fix *f = *state;
	char body[2048];
	struct upload u;

	memset(body, 'x', sizeof(body));
	memcpy(body, "\xff\xd8\xff", 3);
	/* Exactly the limit is fine... */
	assert_int_equal(upload(&u, f->dir, body, sizeof(body), 512, sizeof(body)), RD_OK);
	assert_int_equal(u.type, EV_JPEG);
	upload_discard(&u, f->dir, true);
	/* ...one byte more is refused, and the refused bytes are not written. */
	assert_int_equal(upload(&u, f->dir, body, sizeof(body), 512, sizeof(body) - 1), RD_ERR_TOOBIG);
	assert_int_equal(u.size, 1536);
	assert_int_equal(upload_write(&u, body, 511, sizeof(body) - 1), RD_OK);
	assert_int_equal(upload_write(&u, body, 1, sizeof(body) - 1), RD_ERR_TOOBIG);
	upload_discard(&u, f->dir, true);
	assert_int_equal(u.fd, -1);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);
}

static void
test_upload_refused_types(void **state)
{
	static const char *const bodies[] = {
		"<!doctype html><script>alert(1)</script>",
		"RIFF\x24\0\0\0WAVEfmt ",
		"GIF89a\x01\0\x01\0",
		"\x89PNG",                        /* a signature cut short */
	};
	static const size_t lens[] = { 40, 16, 10, 4 };
	struct fix *f = *state;
	struct upload u;

	for (size_t i = 0; i < NELEM(bodies); i++) {
		assert_int_equal(upload(&u, f->dir, bodies[i], lens[i], 3, 1 << 20), RD_ERR_TYPE);
		assert_int_equal(u.type, EV_UNKNOWN);
		upload_discard(&u, f->dir, true);
	}
	/* Empty: nothing written at all. */
	assert_int_equal(upload_open(&u, f->dir, NULL), RD_OK);
	assert_string_equal(u.orig_name, "");
	assert_int_equal(upload_close(&u, NULL), RD_ERR_TYPE);
	assert_int_equal(u.size, 0);
	upload_discard(&u, f->dir, true);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);
}

/* The display name is cut to fit; it never reaches a path. */
static void
test_upload_orig_name(void **state)
{
	struct fix *f = *state;
	char name[400];
	struct upload u;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, "../../etc/", 10);
	assert_int_equal(upload_open(&u, f->dir, name), RD_OK);
	assert_int_equal(strlen(u.orig_name), sizeof(u.orig_name) - 1);
	assert_null(strstr(u.tmp_path, ".."));
	upload_discard(&u, f->dir, true);
}

static void
test_upload_open_fails(void **state)
{
	struct upload u;

	(void)state;
	assert_int_equal(upload_open(&u, "/nonexistent/rd-evidence", "x"), RD_ERR_IO);
	assert_int_equal(u.fd, -1);
	assert_string_equal(u.tmp_path, "");
	upload_discard(&u, "/nonexistent/rd-evidence", true);     /* harmless */
}

static void
test_place(void **state)
{
	struct fix *f = *state;
	char path[256], sub[8], data[128];
	struct upload u, v;
	struct stat st;
	int fd;

	assert_int_equal(upload(&u, f->dir, tiny_png, TINY_PNG_LEN, 10, 1024), RD_OK);
	assert_int_equal(upload_place(&u, f->dir), RD_OK);
	assert_true(u.placed_new);
	assert_string_equal(u.tmp_path, "");
	final_path(f->dir, u.sha256, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, TINY_PNG_LEN);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, data, sizeof(data)), TINY_PNG_LEN);
	close(fd);
	assert_memory_equal(data, tiny_png, TINY_PNG_LEN);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);
	snprintf(sub, sizeof(sub), "%.2s", u.sha256);
	assert_int_equal(count_entries(f->dir, sub), 1);

	/* The same content again: one file kept, and not "new" this time. */
	assert_int_equal(upload(&v, f->dir, tiny_png, TINY_PNG_LEN, 67, 1024), RD_OK);
	assert_string_equal(v.sha256, u.sha256);
	assert_int_equal(upload_place(&v, f->dir), RD_OK);
	assert_false(v.placed_new);
	assert_int_equal(count_entries(f->dir, sub), 1);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);

	/* Discarding the second upload must not take the first one's file. */
	upload_discard(&v, f->dir, true);
	assert_int_equal(stat(path, &st), 0);
	/* Still referenced: kept. */
	upload_discard(&u, f->dir, false);
	assert_int_equal(stat(path, &st), 0);
	assert_true(u.placed_new);
	/* Unreferenced and created by this upload: removed; twice is harmless. */
	upload_discard(&u, f->dir, true);
	assert_int_equal(stat(path, &st), -1);
	assert_false(u.placed_new);
	upload_discard(&u, f->dir, true);
	assert_int_equal(count_entries(f->dir, sub), 0);
}

static bool
never_referenced(const char *sha, void *ctx)
{
	(void)sha;
	(*(int *)ctx)++;
	return false;
}

static bool
always_referenced(const char *sha, void *ctx)
{
	(void)ctx, (void)sha;
	return true;
}

static void
age_file(const char *path, long age)
{
	struct timespec ts[2];

	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* A placed file no row names is removed once old; a referenced one, a young
 * one, and one just reused by another upload (its mtime renewed) are kept. */
static void
test_sweep_stored(void **state)
{
	struct fix *f = *state;
	char path[256], stray[256];
	struct upload u, v;
	struct stat st;
	int asked = 0, fd;

	assert_int_equal(upload(&u, f->dir, tiny_png, TINY_PNG_LEN, 10, 1024), RD_OK);
	assert_int_equal(upload_place(&u, f->dir), RD_OK);
	final_path(f->dir, u.sha256, path, sizeof(path));
	/* A name that is not ours is never touched, however old. */
	snprintf(stray, sizeof(stray), "%s/%.2s/notes.txt", f->dir, u.sha256);
	fd = open(stray, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	age_file(stray, 7200);

	assert_int_equal(evidence_sweep_stored(f->dir, 3600, never_referenced, &asked), 0);
	assert_int_equal(asked, 0);                       /* young: not even asked */
	age_file(path, 7200);
	assert_int_equal(evidence_sweep_stored(f->dir, 3600, always_referenced, NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	/* Reused by a new upload: the sweep must leave it to that request. */
	assert_int_equal(upload(&v, f->dir, tiny_png, TINY_PNG_LEN, 5, 1024), RD_OK);
	assert_int_equal(upload_place(&v, f->dir), RD_OK);
	assert_int_equal(evidence_sweep_stored(f->dir, 3600, never_referenced, &asked), 0);
	age_file(path, 7200);
	assert_int_equal(evidence_sweep_stored(f->dir, 3600, never_referenced, &asked), 1);
	assert_int_equal(asked, 1);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(stat(stray, &st), 0);
}

/* Writes DIR/tmp/name (a file, or a folder) and sets its mtime age secs back. */
static void
make_aged(const char *dir, const char *name, bool folder, long age)
{
	char path[256];
	struct timespec ts[2];

	snprintf(path, sizeof(path), "%s/tmp", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/tmp/%s", dir, name);
	if (folder) {
		assert_int_equal(mkdir(path, 0700), 0);
	} else {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, "x", 1), 1);
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= age;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static bool
exists(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/tmp/%s", dir, name);
	return lstat(path, &st) == 0;
}

static void
test_sweep(void **state)
{
	struct fix *f = *state;
	char link[256];

	/* No tmp folder yet: nothing to do. */
	assert_int_equal(evidence_sweep_tmp(f->dir, 0), 0);
	make_aged(f->dir, "old.part", false, 7200);
	make_aged(f->dir, "new.part", false, 10);
	make_aged(f->dir, "old.txt", false, 7200);          /* not ours */
	make_aged(f->dir, "old.part.keep", false, 7200);
	make_aged(f->dir, "dir.part", true, 7200);          /* not a file */
	make_aged(f->dir, ".part", false, 7200);            /* no name before .part */
	/* A symlink named like a temp file is left alone (lstat, not stat). */
	snprintf(link, sizeof(link), "%s/tmp/link.part", f->dir);
	assert_int_equal(symlink("old.txt", link), 0);
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= 7200;
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, link, ts, AT_SYMLINK_NOFOLLOW), 0);

	assert_int_equal(evidence_sweep_tmp(f->dir, 3600), 1);
	assert_false(exists(f->dir, "old.part"));
	assert_true(exists(f->dir, "new.part"));
	assert_true(exists(f->dir, "old.txt"));
	assert_true(exists(f->dir, "old.part.keep"));
	assert_true(exists(f->dir, "dir.part"));
	assert_true(exists(f->dir, ".part"));
	assert_true(exists(f->dir, "link.part"));
	/* A second pass finds nothing more; max_age 0 takes the new one too. */
	assert_int_equal(evidence_sweep_tmp(f->dir, 3600), 0);
	assert_int_equal(evidence_sweep_tmp(f->dir, 0), 1);
	assert_false(exists(f->dir, "new.part"));
}

/* A live upload's temp file is younger than any sane max_age: kept. */
static void
test_sweep_spares_live(void **state)
{
	struct fix *f = *state;
	struct upload u;

	assert_int_equal(upload_open(&u, f->dir, "x"), RD_OK);
	assert_int_equal(upload_write(&u, tiny_png, TINY_PNG_LEN, 1024), RD_OK);
	assert_int_equal(evidence_sweep_tmp(f->dir, 3600), 0);
	assert_int_equal(upload_close(&u, NULL), RD_OK);
	assert_int_equal(upload_place(&u, f->dir), RD_OK);
	upload_discard(&u, f->dir, true);
}

/* libmagic as the second opinion. What this libmagic (file 5.44) answers:
 *   the tiny PNG                      image/png               -> accepted
 *   PNG signature then garbage        application/octet-stream -> refused
 *   "%PDF-" then HTML                 application/pdf          -> accepted:
 *       libmagic looks at the same five bytes we do, so it is no defence
 *       there; such a file is served as application/pdf with nosniff and
 *       cannot run as HTML.
 * The assertions follow libmagic's answer, so another version that judges
 * differently keeps the test meaningful: accepted iff magic names the
 * sniffed type. */
static magic_t
open_magic(void)
{
	magic_t m = magic_open(MAGIC_MIME_TYPE);

	assert_non_null(m);
	if (magic_load(m, NULL) != 0) {
		print_error("magic_load: %s\n", magic_error(m));
		fail();
	}
	return m;
}

static void
check_magic(const char *dir, magic_t m, const char *body, size_t n, enum evidence_type sniffed,
    const char *expect_mime)
{
	const char *said = magic_buffer(m, body, n);
	bool agree = said != NULL && strcmp(said, evidence_mime[sniffed]) == 0;
	struct upload u;

	assert_non_null(said);
	if (expect_mime != NULL)
		assert_string_equal(said, expect_mime);
	assert_int_equal(upload_open(&u, dir, "x"), RD_OK);
	assert_int_equal(upload_write(&u, body, n, 1 << 20), RD_OK);
	assert_int_equal(upload_close(&u, m), agree ? RD_OK : RD_ERR_TYPE);
	assert_int_equal(u.type, sniffed);
	upload_discard(&u, dir, true);
}

static void
test_magic(void **state)
{
	static const char png_garbage[] = "\x89PNG\r\n\x1a\ngarbage garbage garbage";
	static const char pdf_html[] = "%PDF-<html><body><script>alert(1)</script></body></html>\n";
	static const char pdf_min[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
	static const char jpeg[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00";
	static const char webp[] = "RIFF\x1a\0\0\0WEBPVP8 \x0e\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	struct fix *f = *state;
	magic_t m = open_magic();

	/* A real image must pass, whatever else happens. */
	check_magic(f->dir, m, tiny_png, TINY_PNG_LEN, EV_PNG, "image/png");
	check_magic(f->dir, m, jpeg, sizeof(jpeg) - 1, EV_JPEG, "image/jpeg");
	check_magic(f->dir, m, webp, sizeof(webp) - 1, EV_WEBP, "image/webp");
	check_magic(f->dir, m, pdf_min, sizeof(pdf_min) - 1, EV_PDF, "application/pdf");
	/* Consistent with libmagic, whatever it says. */
	check_magic(f->dir, m, png_garbage, sizeof(png_garbage) - 1, EV_PNG, NULL);
	check_magic(f->dir, m, pdf_html, sizeof(pdf_html) - 1, EV_PDF, NULL);
	magic_close(m);
	assert_int_equal(count_entries(f->dir, "tmp"), 0);
}

static int
group_setup(void **state)
{
	(void)state;
	return crypto_init() == RD_OK ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_table),
		cmocka_unit_test_setup_teardown(test_sweep_stored, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_png, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_chunks, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_too_big, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_refused_types, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_upload_orig_name, fix_setup, fix_teardown),
		cmocka_unit_test(test_upload_open_fails),
		cmocka_unit_test_setup_teardown(test_place, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_sweep, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_sweep_spares_live, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_magic, fix_setup, fix_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
