/*
 * The audit rules loaded in the kernel, asked for over netlink as auditctl
 * does (NETLINK_AUDIT, AUDIT_LIST_RULES), so that the audit runs no program
 * of the audited host and looks nothing up in PATH.  The kernel answers with
 * one message per rule (struct audit_rule_data, decoded by
 * parse/auditrules.c), then NLMSG_DONE; it refuses with EPERM a caller
 * without CAP_AUDIT_CONTROL or outside the initial PID namespace, and with
 * ECONNREFUSED one outside the initial user namespace.
 */
#include "core/common.h"
#include "audit/read_int.h"
#include "parse/auditrules.h"

#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* How long the kernel may take to list its rules. */
#define NETLINK_TIMEOUT_MS 2000
/* Rules read at most (auditctl's own limit is far lower in practice). */
#define MAX_RULES 100000u

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A reason for the note when the kernel cannot be asked: errno of the failure. */
static const char *why(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied: listing the kernel's audit rules needs CAP_AUDIT_CONTROL "
		       "in the initial PID namespace (run as root on the host)";
	case ECONNREFUSED:
		return "the kernel answers audit requests only from the initial user namespace";
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
		return "the kernel has no audit support";
	default:
		return NULL;
	}
}

int hd_auditrules_read_kernel(struct hd_audit_rules *rules, char *reason, size_t reason_size)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK }, from;
	struct {
		struct nlmsghdr h;
	} req;
	char *buf = NULL;
	size_t bufsize = 65536;
	uint32_t index = 0;
	int64_t deadline;
	int fd, r = 0;

	reason[0] = '\0';
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) {
		int e = errno;

		snprintf(reason, reason_size, "%s", why(e) ? why(e) : strerror(e));
		return -HD_EUNSUPPORTED;
	}
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(0);
	req.h.nlmsg_type = AUDIT_LIST_RULES;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = 1;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		int e = errno;

		snprintf(reason, reason_size, "%s", why(e) ? why(e) : strerror(e));
		close(fd);
		return -HD_EACCES;
	}
	buf = hd_malloc(bufsize);
	if (!buf) {
		close(fd);
		return -HD_ENOMEM;
	}
	deadline = now_ms() + NETLINK_TIMEOUT_MS;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		socklen_t fl = sizeof(from);
		int64_t left = deadline - now_ms();
		struct nlmsghdr *h;
		ssize_t n;
		size_t len;

		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			snprintf(reason, reason_size, "the kernel did not finish listing its audit rules "
				 "within %d ms", NETLINK_TIMEOUT_MS);
			r = -HD_ETIMEOUT;
			break;
		}
		n = recvfrom(fd, buf, bufsize, 0, (struct sockaddr *)&from, &fl);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			snprintf(reason, reason_size, "reading the kernel's answer: %s", strerror(errno));
			r = -HD_EIO;
			break;
		}
		/* Only the kernel (port 0) speaks for the kernel. */
		if (fl < sizeof(from) || from.nl_pid != 0)
			continue;
		len = (size_t)n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != req.h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				goto done;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					snprintf(reason, reason_size, "the kernel's answer is truncated");
					r = -HD_EPROTO;
					goto done;
				}
				if (e->error == 0)
					continue; /* an acknowledgement */
				snprintf(reason, reason_size, "%s",
					 why(-e->error) ? why(-e->error) : strerror(-e->error));
				r = -HD_EACCES;
				goto done;
			}
			if (h->nlmsg_type != AUDIT_LIST_RULES)
				continue;
			if (++index > MAX_RULES) {
				snprintf(reason, reason_size, "more than %u audit rules", MAX_RULES);
				r = -HD_ETOOBIG;
				goto done;
			}
			r = hd_auditrules_decode(rules, NLMSG_DATA(h), h->nlmsg_len - NLMSG_LENGTH(0),
						 "kernel audit rules (netlink)", index);
			if (r == -HD_ENOMEM)
				goto done;
			if (r == -HD_EPARSE) {
				snprintf(reason, reason_size, "rule %" PRIu32 " of the kernel's list is malformed",
					 index);
				r = -HD_EPROTO;
				goto done;
			}
			r = 0;
		}
	}
done:
	hd_free(buf);
	close(fd);
	return r;
}

int hd_kernel_audit_read(struct hd_host_ctx *c)
{
	struct hd_host_facts *h = c->h;
	struct hd_audit_rules live = { 0 };
	char reason[256];
	size_t i;
	int r;

	if (!c->fs.live)
		return hd_read_note(&h->notes, "loaded audit rules not examined (offline audit of %s)",
				    h->root);
	r = hd_auditrules_read_kernel(&live, reason, sizeof(reason));
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_read_note(&h->notes, "the kernel's loaded audit rules are unknown: %s", reason);
		goto out;
	}
	h->have_live_audit = true;
	if (live.n && HD_GROW(h->audit_rules.v, h->audit_rules.alloc, h->audit_rules.n + live.n) < 0) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < live.n; i++)
		h->audit_rules.v[h->audit_rules.n++] = live.v[i];
	live.n = 0;
	r = 0;
out:
	hd_audit_rules_release(&live);
	return r;
}
