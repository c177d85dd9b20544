/*
 * Libraries loaded when first used (dlopen), so that a command starts with
 * only the libraries it calls: `hardock lint`, `--version` and `--help` never
 * map libcurl, libarchive, libmicrohttpd, libcrypto and the thirty-odd
 * libraries those bring, which the dynamic linker would otherwise load and
 * relocate on every start (9 of the 9.3 ms CPU of `--version`).
 *
 * Each such library has one file, src/core/dl_<name>.c, that defines
 * trampolines with the library's own names and prototypes (its headers are
 * still used for compiling; it is not linked).  The first call of any of them
 * loads the library with dlopen(soname, RTLD_NOW | RTLD_LOCAL) and resolves
 * every function the file lists, once per process (pthread_once); the
 * resolved table is then made read-only where the page size allows it.  Call
 * sites do not change: `curl_easy_init()` is the trampoline.
 *
 * A library that cannot be loaded (missing, damaged, lacking a function) is
 * never called through a NULL pointer: a trampoline that finds its library
 * unloadable prints "hardock: <what> needs <soname> (Debian package <pkg>):
 * <dlerror>" on stderr and ends the process with exit code 2 (_exit: other
 * threads may be running).  Code that can report the failure itself, and
 * every process that sandboxes itself (nothing may be opened once its
 * filter or privilege drop is in place), calls hd_dl_require() first.
 */
#ifndef HD_DL_H
#define HD_DL_H

/* The lazily loaded libraries; HD_DL(X) is the bit of HD_DL_X in a mask. */
enum hd_dl_lib {
	HD_DL_ARCHIVE, /* libarchive.so.13: images, layers, compressed feeds, dpkg changelogs */
	HD_DL_CRYPTO,  /* libcrypto.so.3: SHA-256, certificates */
	HD_DL_CURL,    /* libcurl.so.4: the engine client, feed downloads */
	HD_DL_GNUTLS,  /* libgnutls.so.30: serve's TLS client certificates */
	HD_DL_HS,      /* libhs.so.5 (vectorscan): the secret scan of image files */
	HD_DL_MHD,     /* libmicrohttpd.so.12: serve's HTTP server */
	HD_DL_SECCOMP, /* libseccomp.so.2: the authz plugin's syscall filter */
	HD_DL_SQLITE,  /* libsqlite3.so.0: the vulnerability database */
	HD_DL_ZLIB,    /* libz.so.1: gzip-compressed layers */
	HD_DL_ZSTD,    /* libzstd.so.1: zstd-compressed layers */
	HD_DL_MAX
};
#define HD_DL(x) (1u << HD_DL_##x)

/*
 * Loads every library of the mask `libs` (HD_DL(CURL) | ...) now.  Returns 0,
 * or -HD_EUNSUPPORTED with *reterr_msg (when not NULL) pointing at a static
 * message for the first one that cannot be loaded, "<what> needs <soname>
 * (Debian package <pkg>): <dlerror>".  A library without support in this build
 * (libseccomp when the feature is off) counts as loaded.  Thread-safe; each
 * library is tried once per process, so a failure stays a failure.
 */
int hd_dl_require(unsigned libs, const char **reterr_msg);

/*
 * Only for the dl_<name>.c files (src/core/dl_impl.h): one library's
 * description and its state.  The strings are static.
 */
struct hd_dl_state {
	const char *soname;  /* "libcurl.so.4" */
	const char *package; /* the Debian package that ships it, "libcurl4" */
	const char *what;    /* what needs it, a phrase taking "needs": "talking to the engine" */
	const char *const *names; /* the functions to resolve */
	void **table;        /* where their addresses go, page-aligned */
	size_t n;            /* entries of names and table */
	size_t table_size;   /* bytes of table: a whole number of HD_DL_PAGE */
	int loaded;          /* 1 loaded, -1 failed (message in msg) */
	char msg[512];       /* the failure message */
};

/* The page the resolved tables are aligned to and made read-only in. */
#define HD_DL_PAGE 4096

/* The loaders hd_dl_require() calls, one per dl_<name>.c: 0 or -HD_EUNSUPPORTED. */
int hd_dl_load_archive(const char **reterr_msg);
int hd_dl_load_crypto(const char **reterr_msg);
int hd_dl_load_curl(const char **reterr_msg);
int hd_dl_load_gnutls(const char **reterr_msg);
int hd_dl_load_hs(const char **reterr_msg);
int hd_dl_load_mhd(const char **reterr_msg);
int hd_dl_load_seccomp(const char **reterr_msg);
int hd_dl_load_sqlite(const char **reterr_msg);
int hd_dl_load_zlib(const char **reterr_msg);
int hd_dl_load_zstd(const char **reterr_msg);

/* Loads st (called once, under its pthread_once). */
void hd_dl_open(struct hd_dl_state *st);
/* The end of a trampoline whose library did not load: message, _exit(2). */
_Noreturn void hd_dl_die(const struct hd_dl_state *st);

#endif
