/*
 * libcurl, loaded when first used (core/dl.h): the engine client and feed
 * downloads.  The variadic setters are forwarded by the option's type, which
 * curl encodes in the option's number range (CURLOPTTYPE_*), as curl's own
 * setopt decodes it; getinfo always takes one pointer.
 */
#include "core/common.h"

/* The trampolines are the functions themselves, not curl's type-checking macros. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#define HD_DL_NAME curl
#define HD_DL_SONAME "libcurl.so.4"
#define HD_DL_PACKAGE "libcurl4"
#define HD_DL_WHAT "talking to the engine or downloading feeds"
#define HD_DL_FUNCS(F, V, S)                                                                                   \
	F(CURLcode, curl_global_init, (long flags), (flags))                                                   \
	F(curl_version_info_data *, curl_version_info, (CURLversion v), (v))                                   \
	F(const char *, curl_easy_strerror, (CURLcode c), (c))                                                 \
	F(CURL *, curl_easy_init, (void), ())                                                                  \
	S(curl_easy_setopt)                                                                                    \
	F(CURLcode, curl_easy_perform, (CURL * h), (h))                                                        \
	V(curl_easy_cleanup, (CURL * h), (h))                                                                  \
	S(curl_easy_getinfo)                                                                                   \
	F(CURLM *, curl_multi_init, (void), ())                                                                \
	S(curl_multi_setopt)                                                                                   \
	F(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL * h), (m, h))                                     \
	F(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL * h), (m, h))                                  \
	F(CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running))                              \
	F(CURLMcode, curl_multi_poll, (CURLM * m, struct curl_waitfd * fds, unsigned nfds, int ms, int *n),    \
	  (m, fds, nfds, ms, n))                                                                               \
	F(CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left))                                  \
	F(CURLMcode, curl_multi_cleanup, (CURLM * m), (m))                                                     \
	F(struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), (l, s))              \
	V(curl_slist_free_all, (struct curl_slist * l), (l))
#include "core/dl_impl.h"

/*
 * A setter forwards its one argument by the option's type, given by its
 * number: a long below CURLOPTTYPE_OBJECTPOINT, a data pointer (strings,
 * lists, callbacks' data) below CURLOPTTYPE_FUNCTIONPOINT, a function pointer
 * below CURLOPTTYPE_OFF_T, a curl_off_t below CURLOPTTYPE_BLOB, a struct
 * curl_blob pointer above.  CURLMOPT_* numbers use the same ranges.
 */
#define HD_CURL_SETTER(ret_type, name, handle_type, option_type)                    \
	ret_type name(handle_type *h, option_type option, ...)                      \
	{                                                                           \
		int o = (int)option;                                                \
		ret_type r;                                                         \
		va_list ap;                                                         \
                                                                                    \
		va_start(ap, option);                                               \
		if (o < CURLOPTTYPE_OBJECTPOINT)                                    \
			r = HD_DL_REAL(name)(h, option, va_arg(ap, long));          \
		else if (o < CURLOPTTYPE_FUNCTIONPOINT)                             \
			r = HD_DL_REAL(name)(h, option, va_arg(ap, void *));        \
		else if (o < CURLOPTTYPE_OFF_T)                                     \
			r = HD_DL_REAL(name)(h, option, va_arg(ap, void (*)(void))); \
		else if (o < CURLOPTTYPE_BLOB)                                      \
			r = HD_DL_REAL(name)(h, option, va_arg(ap, curl_off_t));    \
		else                                                                \
			r = HD_DL_REAL(name)(h, option, va_arg(ap, void *));        \
		va_end(ap);                                                         \
		return r;                                                           \
	}
HD_CURL_SETTER(CURLcode, curl_easy_setopt, CURL, CURLoption)
HD_CURL_SETTER(CURLMcode, curl_multi_setopt, CURLM, CURLMoption)

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	CURLcode r;
	va_list ap;

	/* Every CURLINFO type (string, long, double, list, pointer, socket, off_t) is a pointer to it. */
	va_start(ap, info);
	r = HD_DL_REAL(curl_easy_getinfo)(curl, info, va_arg(ap, void *));
	va_end(ap);
	return r;
}
