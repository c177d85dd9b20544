/*
 * Unit test for audit/kernel_audit.c: the loaded audit rules read from the
 * kernel over netlink.  This needs CAP_AUDIT_CONTROL in the initial user and
 * PID namespaces, which the test suite has (it runs as root, on this machine
 * and in CI); without it the test fails and says so, it does not skip.
 *
 * The round trip adds one watch with a key unique to this run on a path
 * nobody uses (as `auditctl -w PATH -p wa -k KEY` would), lists the rules,
 * and deletes the watch again whatever happened.  When the kernel's rules
 * are locked (auditctl -e 2) it cannot add one: then only the listing is
 * checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "audit/host_read.h"
#include "model/host.h"

#include "audit_rule_build.h"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

static char path[128], key[64];
static bool added;

/* Sends one request (type, payload) and waits for its acknowledgement; 0 or -errno. */
static int request(uint16_t type, const void *payload, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		unsigned char data[sizeof(struct rule_image)];
	} req;
	char buf[8192];
	struct timeval tv = { 2, 0 };
	int fd, r = -EIO;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 7;
	memcpy(req.data, payload, len);
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		r = -errno;
		goto out;
	}
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h;
		size_t left = (size_t)n;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
		}
	}
out:
	close(fd);
	return r;
}

static void make_rule(struct rule_image *m)
{
	rule_init(m, AUDIT_FILTER_EXIT, AUDIT_ALWAYS);
	rule_str(m, AUDIT_WATCH, path);
	rule_num(m, AUDIT_PERM, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	rule_str(m, AUDIT_FILTERKEY, key);
}

static int teardown(void **state)
{
	struct rule_image m;

	(void)state;
	if (added) {
		make_rule(&m);
		request(AUDIT_DEL_RULE, m.u.bytes, m.len);
		added = false;
	}
	return 0;
}

static void test_round_trip(void **state)
{
	struct hd_audit_rules rules = { 0 };
	struct rule_image m;
	char reason[256];
	size_t i, found = 0;
	int r;

	(void)state;
	if (geteuid() != 0)
		fail_msg("reading the kernel's audit rules needs CAP_AUDIT_CONTROL: run the tests as root");
	snprintf(path, sizeof(path), "/tmp/hardock-kernel-audit-test-%ld", (long)getpid());
	snprintf(key, sizeof(key), "hardock-test-%ld", (long)getpid());
	make_rule(&m);
	r = request(AUDIT_ADD_RULE, m.u.bytes, m.len);
	added = r == 0;
	if (r != 0 && r != -EPERM)
		fail_msg("the kernel refused a watch on %s: %s", path, strerror(-r));
	r = hd_auditrules_read_kernel(&rules, reason, sizeof(reason));
	if (r < 0)
		fail_msg("listing the kernel's audit rules failed (%s): %s", hd_strerror(r), reason);
	for (i = 0; i < rules.n; i++) {
		assert_true(rules.v[i].live);
		assert_true(rules.v[i].path[0] == '/');
		if (!strcmp(rules.v[i].path, path)) {
			found++;
			assert_string_equal(rules.v[i].perms, "wa");
			assert_string_equal(rules.v[i].key, key);
		}
	}
	/* Added (not locked): listed exactly once; locked: nothing of ours. */
	assert_int_equal(found, added ? 1 : 0);
	hd_audit_rules_release(&rules);
	teardown(NULL);
	/* Deleted: listed no more. */
	memset(&rules, 0, sizeof(rules));
	assert_int_equal(hd_auditrules_read_kernel(&rules, reason, sizeof(reason)), 0);
	for (i = 0; i < rules.n; i++)
		assert_string_not_equal(rules.v[i].path, path);
	hd_audit_rules_release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_round_trip, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
