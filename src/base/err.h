/* err.h: the one error enum every fallible call in refund-desk returns. */
#ifndef RD_ERR_H
#define RD_ERR_H

enum rd_err {
	RD_OK = 0,
	RD_ERR_NOMEM,     /* allocation failed or arena limit reached */
	RD_ERR_INPUT,     /* malformed input from the peer */
	RD_ERR_TOOBIG,    /* a size or count limit was exceeded */
	RD_ERR_TYPE,      /* content of a type we do not accept */
	RD_ERR_AUTH,      /* bad or missing signature, token or session */
	RD_ERR_NOTFOUND,  /* no such row, or not the caller's */
	RD_ERR_CONFLICT,  /* a unique key or state rule refused the write */
	RD_ERR_DB,        /* the database failed or is unreachable */
	RD_ERR_IO,        /* a file or socket operation failed */
	RD_ERR_NOSPACE,   /* the disk is full */
	RD_ERR_RETRY,     /* deadlock (1213) or 1020: rerun the whole transaction */
	RD_ERR_INTERNAL,  /* a bug or an impossible state */
	RD_ERR__MAX
};

extern const char *const rd_err_names[RD_ERR__MAX];

#endif
