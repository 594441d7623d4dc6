/* evidence.c: sniffing and the temp-file -> fsync -> rename life of an
 * uploaded file. Paths are built only from the configured folder and names
 * we generate (random or the content hash), never from the request.
 * Stored files are world-readable (0644 in 0755 folders) because nginx,
 * not this process, serves them and its workers often run as another
 * user; keep the evidence folder itself outside every web root and, on a
 * shared host, inside a folder other users cannot enter. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "web/evidence.h"
#include "base/log.h"
#include "base/utf8.h"

const char *const evidence_mime[EV__MAX] = {
	"", "image/png", "image/jpeg", "image/webp", "application/pdf",
};

enum evidence_type
evidence_sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return EV_PNG;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return EV_JPEG;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return EV_WEBP;
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return EV_PDF;
	return EV_UNKNOWN;
}

static enum rd_err
errno_err(void)
{
	return (errno == ENOSPC || errno == EDQUOT) ? RD_ERR_NOSPACE : RD_ERR_IO;
}

static void
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The file name as sent is only shown (escaped), never used as a path; it
 * must still be text the database takes: cut at a character boundary, and
 * dropped when it is not clean UTF-8. */
static void
keep_name(char *out, size_t cap, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n >= cap)
		n = cap - 1;
	while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
		n--;                             /* do not end inside a UTF-8 sequence */
	/* A name that would render reversed or hide characters ("\u202egnp.exe")
	 * is dropped like one with controls: the sniffed type is what is shown. */
	if (n == 0 || !utf8_valid(name, n) || !utf8_no_controls(name, n, false) || utf8_deceptive(name, n) != 0) {
		out[0] = '\0';
		return;
	}
	memcpy(out, name, n);
	out[n] = '\0';
}

/* The arena cleanup of an upload: whatever the handler's exit path. */
static void
upload_release(void *arg)
{
	struct upload *u = arg;
	upload_discard(u, u->dir, !u->kept);
}

enum rd_err
upload_open(struct upload *u, struct arena *a, const char *evidence_dir, const char *orig_name)
{
	char tmpdir[480], name[33];

	memset(u, 0, sizeof(*u));
	u->fd = -1;
	u->dir = evidence_dir;
	if (a != NULL && arena_cleanup(a, upload_release, u) != 0)
		return RD_ERR_NOMEM;
	keep_name(u->orig_name, sizeof(u->orig_name), orig_name);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", evidence_dir);
	if (mkdir(tmpdir, 0700) != 0 && errno != EEXIST)
		return errno_err();
	random_token(name, 32);
	snprintf(u->tmp_path, sizeof(u->tmp_path), "%s/%s.part", tmpdir, name);
	u->fd = open(u->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (u->fd < 0) {
		u->tmp_path[0] = '\0';
		return errno_err();
	}
	sha256_begin(&u->sha);
	return RD_OK;
}

enum rd_err
upload_write(struct upload *u, const char *p, size_t n, long long max_bytes)
{
	if (u->size + (long long)n > max_bytes)
		return RD_ERR_TOOBIG;
	if (u->head_len < sizeof(u->head)) {
		size_t k = sizeof(u->head) - u->head_len;
		if (k > n)
			k = n;
		memcpy(u->head + u->head_len, p, k);
		u->head_len += k;
	}
	sha256_update(&u->sha, p, n);
	while (n > 0) {
		ssize_t w = write(u->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno_err();
		}
		p += w;
		n -= (size_t)w;
		u->size += w;
	}
	return RD_OK;
}

enum rd_err
upload_close(struct upload *u, void *magic)
{
	enum rd_err e = RD_OK;

	if (u->fd >= 0) {
		if (fsync(u->fd) != 0)
			e = errno_err();
		if (close(u->fd) != 0 && e == RD_OK)
			e = errno_err();
		u->fd = -1;
	}
	if (e != RD_OK)
		return e;
	sha256_end_hex(&u->sha, u->sha256);
	u->type = evidence_sniff(u->head, u->head_len);
	if (u->size == 0 || u->type == EV_UNKNOWN)
		return RD_ERR_TYPE;
	/* A second opinion on more than the first bytes: libmagic must agree. */
	if (magic != NULL) {
		const char *m = magic_buffer((magic_t)magic, u->head, u->head_len);
		if (m == NULL || strcmp(m, evidence_mime[u->type]) != 0) {
			char safe[64];
			log_warn("evidence: sniffed %s but libmagic says %s", evidence_mime[u->type],
			    log_safe(m ? m : "nothing", safe, sizeof(safe)));
			return RD_ERR_TYPE;
		}
	}
	return RD_OK;
}

static void
final_path(const char *evidence_dir, const char *sha, char *dir, size_t dcap, char *path, size_t pcap)
{
	snprintf(dir, dcap, "%s/%.2s", evidence_dir, sha);
	snprintf(path, pcap, "%s/%s", dir, sha);
}

enum rd_err
upload_place(struct upload *u, const char *evidence_dir)
{
	char dir[512], path[600];
	struct stat st;

	final_path(evidence_dir, u->sha256, dir, sizeof(dir), path, sizeof(path));
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return errno_err();
	if (stat(path, &st) == 0) {
		/* Same content is already stored: keep one copy, and make it look
		 * new so the sweep of unreferenced files leaves it to this request. */
		utimensat(AT_FDCWD, path, NULL, 0);
		unlink(u->tmp_path);
		u->tmp_path[0] = '\0';
		return RD_OK;
	}
	if (rename(u->tmp_path, path) != 0)
		return errno_err();
	u->tmp_path[0] = '\0';
	u->placed_new = true;
	fsync_dir(dir);
	return RD_OK;
}

void
upload_discard(struct upload *u, const char *evidence_dir, bool unreferenced)
{
	if (u->fd >= 0) {
		close(u->fd);
		u->fd = -1;
	}
	if (u->tmp_path[0] != '\0') {
		unlink(u->tmp_path);
		u->tmp_path[0] = '\0';
	}
	if (u->placed_new && unreferenced) {
		char dir[512], path[600];
		final_path(evidence_dir, u->sha256, dir, sizeof(dir), path, sizeof(path));
		unlink(path);
		u->placed_new = false;
	}
}

int
evidence_sweep_tmp(const char *evidence_dir, long max_age)
{
	char tmpdir[480], path[600];
	struct stat st;
	int n = 0;
	DIR *d;

	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", evidence_dir);
	if ((d = opendir(tmpdir)) == NULL)
		return 0;
	time_t now = time(NULL);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".part") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime >= max_age &&
		    unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int
evidence_sweep_stored(const char *evidence_dir, long max_age, bool (*referenced)(const char *sha, void *ctx),
    void *ctx)
{
	char sub[480], path[600];
	struct stat st;
	int n = 0;
	DIR *top, *d;

	if ((top = opendir(evidence_dir)) == NULL)
		return 0;
	time_t now = time(NULL);
	for (struct dirent *te; (te = readdir(top)) != NULL;) {
		/* Only our own fan-out folders: two hex digits. */
		if (strlen(te->d_name) != 2 || strspn(te->d_name, "0123456789abcdef") != 2)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", evidence_dir, te->d_name);
		if ((d = opendir(sub)) == NULL)
			continue;
		for (struct dirent *de; (de = readdir(d)) != NULL;) {
			if (strlen(de->d_name) != 64 || strspn(de->d_name, "0123456789abcdef") != 64 ||
			    strncmp(de->d_name, te->d_name, 2) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
			if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || now - st.st_mtime < max_age)
				continue;
			if (referenced(de->d_name, ctx))
				continue;
			/* An upload of the same content (on any host sharing the
			 * folder) makes the file new before its row is written: look
			 * again just before the unlink. Several sweepers at once only
			 * race to unlink the same unreferenced file. */
			if (lstat(path, &st) == 0 && now - st.st_mtime >= max_age && unlink(path) == 0)
				n++;
		}
		closedir(d);
	}
	closedir(top);
	return n;
}
