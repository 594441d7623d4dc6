/* err.c: names for enum rd_err, for logs. */
#include "base/err.h"

const char *const rd_err_names[RD_ERR__MAX] = {
	"ok", "nomem", "input", "toobig", "type", "auth", "notfound",
	"conflict", "db", "io", "nospace", "retry", "internal",
};
