/*
 * The serving process's sandbox (sandbox.c): privileges first, then, once
 * its threads exist, the syscall filter.
 */
#ifndef HD_AUTHZ_SANDBOX_H
#define HD_AUTHZ_SANDBOX_H

/* no_new_privs and every capability dropped but CAP_DAC_READ_SEARCH; 0 or -HD_EIO. */
int hd_authz_sandbox_privileges(void);

/*
 * The seccomp allow list for every thread of the process.  0, -HD_EIO,
 * -HD_ENOMEM, or -HD_EUNSUPPORTED when built without libseccomp.
 */
int hd_authz_sandbox_filter(void);

#endif
