/*
 * Loading the libraries of src/core/dl_<name>.c (see core/dl.h): dlopen with
 * every function resolved at once, the table made read-only, and the one
 * message a failure gives.
 */
#include "core/common.h"
#include "core/dl.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

static void fail(struct hd_dl_state *st, const char *why)
{
	int n;

	n = snprintf(st->msg, sizeof(st->msg), "%s needs %s (Debian package %s): %s", st->what, st->soname,
		     st->package, why ? why : "cannot be loaded");
	/* A dlerror() too long for the buffer: the start of the message says enough. */
	if (n < 0 || (size_t)n >= sizeof(st->msg))
		memcpy(st->msg + sizeof(st->msg) - 4, "...", 4);
	memset(st->table, 0, st->table_size);
	st->loaded = -1;
}

void hd_dl_open(struct hd_dl_state *st)
{
	long page = sysconf(_SC_PAGESIZE);
	void *h;
	size_t i;

	/*
	 * RTLD_LOCAL: the library's symbols serve only the addresses resolved
	 * here, never another library's undefined ones.  RTLD_NOW: a library
	 * whose own dependencies are incomplete fails here, not mid-run.
	 */
	h = dlopen(st->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fail(st, dlerror());
		return;
	}
	for (i = 0; i < st->n; i++) {
		void *p;

		(void)dlerror();
		p = dlsym(h, st->names[i]);
		if (!p) {
			const char *e = dlerror();

			fail(st, e ? e : "a function resolves to NULL");
			return;
		}
		st->table[i] = p;
	}
	/*
	 * The addresses stay as they are for the rest of the run: read-only, as
	 * full RELRO leaves the linked libraries' GOT.  Only where the table's
	 * pages are whole pages of the system (it is aligned to HD_DL_PAGE).
	 */
	if (page > 0 && page <= HD_DL_PAGE && HD_DL_PAGE % page == 0)
		(void)mprotect(st->table, st->table_size, PROT_READ);
	st->loaded = 1;
}

_Noreturn void hd_dl_die(const struct hd_dl_state *st)
{
	/* Other threads may be running: no atexit handlers, no stdio locks. */
	dprintf(STDERR_FILENO, "hardock: %s\n", st->msg);
	_exit(2);
}

static int (*const loaders[HD_DL_MAX])(const char **) = {
	[HD_DL_ARCHIVE] = hd_dl_load_archive,
	[HD_DL_CRYPTO] = hd_dl_load_crypto,
	[HD_DL_CURL] = hd_dl_load_curl,
	[HD_DL_GNUTLS] = hd_dl_load_gnutls,
	[HD_DL_HS] = hd_dl_load_hs,
	[HD_DL_MHD] = hd_dl_load_mhd,
#ifdef HD_HAVE_SECCOMP
	[HD_DL_SECCOMP] = hd_dl_load_seccomp,
#endif
	[HD_DL_SQLITE] = hd_dl_load_sqlite,
	[HD_DL_ZLIB] = hd_dl_load_zlib,
	[HD_DL_ZSTD] = hd_dl_load_zstd,
};

int hd_dl_require(unsigned libs, const char **reterr_msg)
{
	unsigned i;
	int r;

	for (i = 0; i < HD_DL_MAX; i++) {
		if (!(libs & (1u << i)) || !loaders[i])
			continue;
		r = loaders[i](reterr_msg);
		if (r < 0)
			return r;
	}
	return 0;
}
