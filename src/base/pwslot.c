/* pwslot.c: flock()-based slots (see pwslot.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/pwslot.h"

static int
try_slots(const struct config *cfg)
{
	char path[512];

	for (int i = 0; i < cfg->password_slots; i++) {
		snprintf(path, sizeof(path), "%s/locks/argon2-slot-%d", cfg->evidence_dir, i);
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 && errno == ENOENT) {
			snprintf(path, sizeof(path), "%s/locks", cfg->evidence_dir);
			if (mkdir(path, 0700) != 0 && errno != EEXIST)
				return -2;
			snprintf(path, sizeof(path), "%s/locks/argon2-slot-%d", cfg->evidence_dir, i);
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		}
		if (fd < 0)
			return -2;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

bool
pwslot_acquire(const struct config *cfg, int *fd)
{
	struct timespec pause = { 0, 10 * 1000000L };

	for (int waited = 0;; waited += 10) {
		*fd = try_slots(cfg);
		if (*fd >= 0)
			return true;
		if (*fd == -2) {
			log_warn("password slots: cannot open %s/locks: %m", cfg->evidence_dir);
			*fd = -1;
			return true;
		}
		if (waited >= PWSLOT_WAIT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	*fd = -1;
	return false;
}

void
pwslot_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
