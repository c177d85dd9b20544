/*
 * Error strings, diagnostics and the last-resort bug handler.
 */
#include "core/common.h"

static const char *const err_names[HD_EMAX] = {
	[HD_OK] = "success",
	[HD_ENOMEM] = "out of memory",
	[HD_ETOOBIG] = "input too large",
	[HD_EIO] = "input/output error",
	[HD_ENOENT] = "not found",
	[HD_EACCES] = "permission denied",
	[HD_EPARSE] = "syntax error",
	[HD_EINVAL] = "invalid value",
	[HD_EUNSUPPORTED] = "not supported",
	[HD_ECONNECT] = "cannot connect",
	[HD_EPROTO] = "unexpected reply",
	[HD_ETIMEOUT] = "timed out",
	[HD_ELOOP] = "loop detected",
	[HD_EBUSY] = "in use",
	[HD_EOUTSIDE] = "outside the project",
	[HD_ENOTREG] = "not a regular file",
	[HD_ECANCELED] = "stopped",
};

const char *hd_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= HD_EMAX || !err_names[err])
		return "unknown error";
	return err_names[err];
}

int hd_diag_set(struct hd_diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;
	char buf[HD_MAX_MESSAGE];
	int n;

	hd_diag_release(d);
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	d->file = file ? hd_strdup(file) : NULL;
	d->msg = hd_strdup(buf);
	d->line = line;
	d->col = col;
	if (!d->msg || (file && !d->file))
		return -HD_ENOMEM;
	return -HD_EPARSE;
}

void hd_diag_release(struct hd_diag *d)
{
	if (!d)
		return;
	hd_free(d->file);
	hd_free(d->msg);
	d->file = NULL;
	d->msg = NULL;
	d->line = d->col = 0;
}

_Noreturn void hd_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "hardock: BUG at %s:%d: %s\n", file, line, what);
	abort();
}
