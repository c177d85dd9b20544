/*
 * The body of one src/core/dl_<name>.c, included once at its end: from the
 * file's list of functions it makes the table of resolved addresses, the
 * loader hd_dl_load_<name>() that hd_dl_require() calls, and a trampoline
 * per function (src/core/dl.h says how loading and failure work).
 *
 * The including file defines, before including it:
 *   HD_DL_NAME     the library's short name (curl): the loader's suffix;
 *   HD_DL_SONAME   the soname dlopen() loads ("libcurl.so.4");
 *   HD_DL_PACKAGE  the Debian package that ships it ("libcurl4");
 *   HD_DL_WHAT     what needs it, a phrase taking "needs";
 *   HD_DL_FUNCS(F, V, S) the functions, one a line:
 *       F(type, name, (parameters), (arguments))  returns a value;
 *       V(name, (parameters), (arguments))        returns nothing;
 *       S(name)  only resolved: the file writes the trampoline itself after
 *                the include (variadic functions), calling HD_DL_REAL(name).
 * The library's own header must be included first: every trampoline is then
 * checked against the library's prototype, and HD_DL_REAL() calls through a
 * pointer of exactly the declared type.
 */
#include <pthread.h>

#include "core/dl.h"

#define HD_DL_CAT2_(a, b) a##b
#define HD_DL_CAT_(a, b) HD_DL_CAT2_(a, b)

#define HD_DL_ENUM_F_(type, name, params, args) HD_DLI_##name,
#define HD_DL_ENUM_V_(name, params, args) HD_DLI_##name,
#define HD_DL_ENUM_S_(name) HD_DLI_##name,
enum { HD_DL_FUNCS(HD_DL_ENUM_F_, HD_DL_ENUM_V_, HD_DL_ENUM_S_) HD_DLI_COUNT_ };

#define HD_DL_NAME_F_(type, name, params, args) #name,
#define HD_DL_NAME_V_(name, params, args) #name,
#define HD_DL_NAME_S_(name) #name,
static const char *const hd_dl_names_[] = { HD_DL_FUNCS(HD_DL_NAME_F_, HD_DL_NAME_V_, HD_DL_NAME_S_) };

/* A whole number of pages of its own, so that it alone becomes read-only. */
#define HD_DL_TABLE_SIZE_ \
	((HD_DLI_COUNT_ * sizeof(void *) + HD_DL_PAGE - 1) / HD_DL_PAGE * HD_DL_PAGE)
static union {
	void *p[HD_DLI_COUNT_];
	char page[HD_DL_TABLE_SIZE_];
} hd_dl_table_ __attribute__((aligned(HD_DL_PAGE)));

static struct hd_dl_state hd_dl_state_ = {
	.soname = HD_DL_SONAME,
	.package = HD_DL_PACKAGE,
	.what = HD_DL_WHAT,
	.names = hd_dl_names_,
	.table = hd_dl_table_.p,
	.n = HD_DLI_COUNT_,
	.table_size = sizeof(hd_dl_table_),
};
static pthread_once_t hd_dl_once_ = PTHREAD_ONCE_INIT;

static void hd_dl_load_once_(void)
{
	hd_dl_open(&hd_dl_state_);
}

/* The address of function i, the library loaded first; never NULL. */
static void *hd_dl_sym_(size_t i)
{
	pthread_once(&hd_dl_once_, hd_dl_load_once_);
	if (hd_dl_state_.loaded < 0)
		hd_dl_die(&hd_dl_state_);
	return hd_dl_table_.p[i];
}

int HD_DL_CAT_(hd_dl_load_, HD_DL_NAME)(const char **reterr_msg)
{
	pthread_once(&hd_dl_once_, hd_dl_load_once_);
	if (hd_dl_state_.loaded < 0) {
		if (reterr_msg)
			*reterr_msg = hd_dl_state_.msg;
		return -HD_EUNSUPPORTED;
	}
	return 0;
}

/* The real function `name`, as the library's header declares it. */
#define HD_DL_REAL(name) ((__typeof__(&name))hd_dl_sym_(HD_DLI_##name))

#define HD_DL_TRAMP_F_(type, name, params, args) \
	type name params                           \
	{                                          \
		return HD_DL_REAL(name) args;      \
	}
#define HD_DL_TRAMP_V_(name, params, args) \
	void name params                   \
	{                                  \
		HD_DL_REAL(name) args;     \
	}
#define HD_DL_TRAMP_S_(name)
HD_DL_FUNCS(HD_DL_TRAMP_F_, HD_DL_TRAMP_V_, HD_DL_TRAMP_S_)
