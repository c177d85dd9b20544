/*
 * Error codes shared by every library function of hardock.
 *
 * Fallible functions return int: 0 (or a non-negative count) on success and a
 * negative HD_E* value on failure.  hd_strerror() turns a code into a short
 * lowercase phrase suitable for messages such as "cannot read 'x': <phrase>".
 */
#ifndef HD_ERR_H
#define HD_ERR_H

enum hd_err {
	HD_OK = 0,
	HD_ENOMEM = 1,   /* allocation failed */
	HD_ETOOBIG,      /* a size limit from core/limits.h was exceeded */
	HD_EIO,          /* read or write failed; errno kept by the caller */
	HD_ENOENT,       /* file or object not found ("not found") */
	HD_EACCES,       /* permission denied */
	HD_EPARSE,       /* syntax error in input; see the hd_diag filled in */
	HD_EINVAL,       /* invalid argument or value */
	HD_EUNSUPPORTED, /* feature not supported here */
	HD_ECONNECT,     /* engine or server unreachable */
	HD_EPROTO,       /* peer answered something we cannot understand */
	HD_ETIMEOUT,     /* operation took longer than its limit */
	HD_ELOOP,        /* recursion or symlink loop */
	HD_EBUSY,        /* a resource is in use by someone else (a socket a live server holds) */
	HD_EOUTSIDE,     /* a path outside the tree being checked (core/confine.h) */
	HD_ENOTREG,      /* not a regular file (a device, a FIFO, a socket, /proc) */
	HD_ECANCELED,    /* stopped on request (shutdown) */
	HD_EMAX
};

const char *hd_strerror(int err);

/*
 * A diagnostic for an input error: where and what was expected.  The strings
 * are owned by the diag and released by hd_diag_release().
 */
struct hd_diag {
	char *file;    /* may be NULL */
	unsigned line; /* 1-based; 0 when unknown */
	unsigned col;  /* 1-based; 0 when unknown */
	char *msg;     /* "expected ... but found ..." */
};

/* Sets diag fields (msg formatted).  Returns -HD_EPARSE, or -HD_ENOMEM. */
int hd_diag_set(struct hd_diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void hd_diag_release(struct hd_diag *d);

#endif
