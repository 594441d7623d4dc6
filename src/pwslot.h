/* pwslot.h: a few slots for argon2 work, shared by every worker process on
 * the machine. A slot is an flock() on one of N files in
 * EVIDENCE_DIR/locks: the kernel frees it when its holder exits or is
 * killed, so a crash never leaks one (a named semaphore would). When all
 * are busy a login waits a little and then gets 503: a flood of logins
 * cannot occupy every page worker with password hashing. */
#ifndef RD_PWSLOT_H
#define RD_PWSLOT_H

#include <stdbool.h>

#include "config.h"

#define PWSLOT_WAIT_MS 300

/* False when no slot came free within PWSLOT_WAIT_MS. True with *fd the
 * held slot (or -1 when the folder cannot be used: logged, and the work
 * then runs unbounded rather than locking every staff member out). */
bool pwslot_acquire(const struct config *cfg, int *fd);
void pwslot_release(int fd);

#endif
