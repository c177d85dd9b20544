/*
 * What the plugin's serving process gives up once its socket is bound (the
 * ssh monitor's idea: the process that parses hostile input holds as little
 * as possible).  In order:
 *
 *   1. no_new_privs: nothing it could exec gains privileges.
 *   2. Capabilities: every one is dropped from the bounding, effective,
 *      permitted, inheritable and ambient sets except CAP_DAC_READ_SEARCH,
 *      which lets it stat a bind source in a directory only its owner may
 *      search (the "is this a unix socket" host fact).
 *   3. After the worker threads exist, a seccomp filter for every thread:
 *      an allow list of what serving needs (socket I/O, epoll, memory,
 *      futexes, clocks, stat), nothing that opens, writes, renames or
 *      removes a path, and no exec, fork or new thread.  Anything else
 *      fails with EPERM.
 *
 * Without libseccomp (the meson feature off) step 3 is skipped and
 * hd_authz_sandbox_filter() says so; the other steps need only the kernel.
 *
 * `hardock serve` shares steps 1 and 2 (with the capabilities that read)
 * and, since it audits (opens files, reads /proc, connects, starts
 * threads), a deny list instead of step 3: hd_sandbox_deny_filter().
 */
#include "core/common.h"
#include "authz/sandbox.h"

#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HD_HAVE_SECCOMP
#include <seccomp.h>
#endif

int hd_sandbox_privileges(uint64_t keep_caps)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	int cap;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -HD_EIO;
	/* The ambient set goes first; it may be unsupported on old kernels. */
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	for (cap = 0; cap <= 63; cap++) {
		if (keep_caps & (1ull << cap))
			continue;
		/* EINVAL past the kernel's last capability; EPERM without CAP_SETPCAP. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno == EINVAL)
			break;
	}
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return -HD_EIO;
	{
		uint32_t lo = (uint32_t)keep_caps, hi = (uint32_t)(keep_caps >> 32);

		d[0].effective &= lo;
		d[0].permitted &= lo;
		d[0].inheritable = 0;
		d[1].effective &= hi;
		d[1].permitted &= hi;
		d[1].inheritable = 0;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return -HD_EIO;
	return 0;
}

int hd_authz_sandbox_privileges(void)
{
	return hd_sandbox_privileges(1ull << CAP_DAC_READ_SEARCH);
}

#ifdef HD_HAVE_SECCOMP
static const int allowed[] = {
	/* I/O on the sockets and descriptors it already has */
	SCMP_SYS(read), SCMP_SYS(readv), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(close),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(sendto), SCMP_SYS(sendmsg),
	SCMP_SYS(shutdown), SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(getsockopt),
	SCMP_SYS(setsockopt), SCMP_SYS(fcntl), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait),
	SCMP_SYS(epoll_ctl), SCMP_SYS(poll), SCMP_SYS(ppoll),
	/* host facts: stat of bind sources */
	SCMP_SYS(fstat), SCMP_SYS(stat), SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	/* memory */
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
	SCMP_SYS(madvise),
	/* threads that exist already, time, signals, exit */
	SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity), SCMP_SYS(getpid),
	SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(sigaltstack), SCMP_SYS(restart_syscall), SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday), SCMP_SYS(getrandom), SCMP_SYS(exit), SCMP_SYS(exit_group),
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(prlimit64), SCMP_SYS(getrlimit),
};

/*
 * What a server that audits (`hardock serve`) may never do, whatever is
 * exploited in it: run a program, trace or read another process's memory,
 * mount, change namespaces, load kernel code or BPF, reboot, change the
 * time or its ids.  It opens files, reads /proc, connects and starts
 * threads, so the list denies rather than allows.
 */
static const int denied[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork),
	SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(mount), SCMP_SYS(umount2),
	SCMP_SYS(pivot_root), SCMP_SYS(chroot), SCMP_SYS(setns), SCMP_SYS(unshare), SCMP_SYS(fsopen),
	SCMP_SYS(fsconfig), SCMP_SYS(fsmount), SCMP_SYS(fspick), SCMP_SYS(move_mount), SCMP_SYS(open_tree),
	SCMP_SYS(mount_setattr), SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at),
	SCMP_SYS(kexec_load), SCMP_SYS(kexec_file_load), SCMP_SYS(init_module), SCMP_SYS(finit_module),
	SCMP_SYS(delete_module), SCMP_SYS(bpf), SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),
	SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key), SCMP_SYS(reboot), SCMP_SYS(swapon),
	SCMP_SYS(swapoff), SCMP_SYS(acct), SCMP_SYS(quotactl), SCMP_SYS(settimeofday),
	SCMP_SYS(clock_settime), SCMP_SYS(clock_adjtime), SCMP_SYS(adjtimex), SCMP_SYS(iopl), SCMP_SYS(ioperm),
	SCMP_SYS(sethostname), SCMP_SYS(setdomainname), SCMP_SYS(vhangup), SCMP_SYS(setuid), SCMP_SYS(setgid),
	SCMP_SYS(setreuid), SCMP_SYS(setregid), SCMP_SYS(setresuid), SCMP_SYS(setresgid),
	SCMP_SYS(setgroups), SCMP_SYS(setfsuid), SCMP_SYS(setfsgid),
#ifndef __SANITIZE_ADDRESS__
	/* LeakSanitizer's check at exit stops the world with a traced clone: kept in ASan builds. */
	SCMP_SYS(ptrace),
#endif
};

/* A filter for every thread of the process: def for what the list does not name, act for what it does. */
static int load_filter(uint32_t def, uint32_t act, const int *list, size_t n, bool threads_only)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	size_t i;
	int r = 0;

	if (!ctx)
		return -HD_ENOMEM;
	/* Every thread of the process, not only the caller. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) < 0)
		r = -HD_EIO;
	for (i = 0; r == 0 && i < n; i++) {
		/* A syscall this architecture lacks is simply not in the list. */
		if (list[i] < 0)
			continue;
		if (seccomp_rule_add(ctx, act, list[i], 0) < 0)
			r = -HD_EIO;
	}
#ifndef __SANITIZE_ADDRESS__
	/*
	 * New threads only: clone without CLONE_THREAD (a process) is refused;
	 * clone3, whose flags a filter cannot read, says ENOSYS so that the C
	 * library falls back to clone.
	 */
	if (r == 0 && threads_only &&
	    (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)) < 0 ||
	     seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0))
		r = -HD_EIO;
#else
	(void)threads_only;
#endif
	if (r == 0 && seccomp_load(ctx) < 0)
		r = -HD_EIO;
	seccomp_release(ctx);
	return r;
}

int hd_authz_sandbox_filter(void)
{
	return load_filter(SCMP_ACT_ERRNO(EPERM), SCMP_ACT_ALLOW, allowed, HD_ARRAY_SIZE(allowed), false);
}

int hd_sandbox_deny_filter(void)
{
	return load_filter(SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(EPERM), denied, HD_ARRAY_SIZE(denied), true);
}
#else
int hd_authz_sandbox_filter(void)
{
	return -HD_EUNSUPPORTED;
}

int hd_sandbox_deny_filter(void)
{
	return -HD_EUNSUPPORTED;
}
#endif
