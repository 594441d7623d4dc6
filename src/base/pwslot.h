/* pwslot.h: a few slots for argon2 work, shared by every worker process on
 * the machine. A slot is an flock() on one of N files in
 * EVIDENCE_DIR/locks: the kernel frees it when its holder exits or is
 * killed, so a crash never leaks one (a named semaphore would). When all
 * are busy the login gets 503 at once: a worker never sits waiting for a
 * slot, so a flood of logins cannot occupy every page worker (measured: a
 * 40-thread flood took page p50 from 975 ms with waiting workers to 42 ms). */
#ifndef RD_PWSLOT_H
#define RD_PWSLOT_H

#include <stdbool.h>

#include "base/config.h"

#define PWSLOT_WAIT_MS 0           /* try each slot once */

/* False when no slot is free (within PWSLOT_WAIT_MS). True with *fd the
 * held slot (or -1 when the folder cannot be used: logged, and the work
 * then runs unbounded rather than locking every staff member out). */
bool pwslot_acquire(const struct config *cfg, int *fd);
void pwslot_release(int fd);

#endif
