/*
 * libseccomp, loaded when first used (core/dl.h): the authz plugin's syscall
 * filter, required before the plugin sandboxes itself (authz/server.c).  The
 * variadic seccomp_rule_add goes to seccomp_rule_add_array with the argument
 * comparisons collected.  Without the seccomp feature nothing is built here.
 */
#include "core/common.h"

#ifdef HD_HAVE_SECCOMP
#include <seccomp.h>

#define HD_DL_NAME seccomp
#define HD_DL_SONAME "libseccomp.so.2"
#define HD_DL_PACKAGE "libseccomp2"
#define HD_DL_WHAT "the syscall filter"
#define HD_DL_FUNCS(F, V, S)                                                                             \
	F(scmp_filter_ctx, seccomp_init, (uint32_t def_action), (def_action))                            \
	F(int, seccomp_attr_set, (scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value),      \
	  (ctx, attr, value))                                                                            \
	F(int, seccomp_rule_add_array,                                                                   \
	  (scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,                      \
	   const struct scmp_arg_cmp *arg_array),                                                        \
	  (ctx, action, syscall, arg_cnt, arg_array))                                                    \
	F(int, seccomp_load, (const scmp_filter_ctx ctx), (ctx))                                         \
	V(seccomp_release, (scmp_filter_ctx ctx), (ctx))
#include "core/dl_impl.h"

int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...)
{
	/* The kernel compares at most six arguments; libseccomp refuses more. */
	struct scmp_arg_cmp args[6];
	unsigned int i;
	va_list ap;

	if (arg_cnt > HD_ARRAY_SIZE(args))
		return -EINVAL;
	va_start(ap, arg_cnt);
	for (i = 0; i < arg_cnt; i++)
		args[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	return seccomp_rule_add_array(ctx, action, syscall, arg_cnt, args);
}
#endif
