/*
 * The serving process's sandbox (sandbox.c): privileges first, then, once
 * its threads exist, the syscall filter.
 */
#ifndef HD_AUTHZ_SANDBOX_H
#define HD_AUTHZ_SANDBOX_H

#include <stdint.h>

#include "core/dl.h"

/*
 * The libraries the serving process loads before its sandbox (nothing can be
 * opened under the filter): the filter's own, and libcrypto, which the
 * readers of request bodies may reach.
 */
#define HD_AUTHZ_DL_LIBS (HD_DL(SECCOMP) | HD_DL(CRYPTO))

/*
 * no_new_privs, and every capability dropped from every set (bounding,
 * effective, permitted, inheritable, ambient) except the bits of keep_caps
 * (1 << CAP_x), which stay only where they were.  0 or -HD_EIO.  Shared by
 * the plugin and `hardock serve`.
 */
int hd_sandbox_privileges(uint64_t keep_caps);

/* no_new_privs and every capability dropped but CAP_DAC_READ_SEARCH; 0 or -HD_EIO. */
int hd_authz_sandbox_privileges(void);

/*
 * The seccomp allow list for every thread of the process.  0, -HD_EIO,
 * -HD_ENOMEM, or -HD_EUNSUPPORTED when built without libseccomp.
 */
int hd_authz_sandbox_filter(void);

/*
 * `hardock serve`'s seccomp filter for every thread: everything is allowed
 * but running a program, a new process (threads are allowed), tracing or
 * reading another process, mounts and namespaces, kernel modules, kexec,
 * BPF, perf, keyrings, reboot and swap, setting the time, host name or ids,
 * which fail with EPERM.  ASan builds keep ptrace and clone for
 * LeakSanitizer's exit check.  Same returns.
 */
int hd_sandbox_deny_filter(void);

#endif
