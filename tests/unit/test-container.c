/*
 * Unit tests for model/container.c: the unit parsers (every form docker
 * accepts and the edges it refuses), the builders, normalisation of
 * capabilities and security options, image references, finding locations,
 * and clean failure when an allocation fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/common.h"
#include "model/container.h"

static int64_t bytes(const char *s)
{
	int64_t v = -42;

	assert_int_equal(hd_parse_bytes(s, &v), 0);
	return v;
}

static void bytes_bad(const char *s)
{
	int64_t v = -42;

	assert_int_equal(hd_parse_bytes(s, &v), -HD_EINVAL);
	assert_int_equal(v, -42);
}

static void test_bytes(void **state)
{
	(void)state;
	assert_int_equal(bytes("100000"), 100000);
	assert_int_equal(bytes("0"), 0);
	assert_int_equal(bytes("128m"), 134217728);
	assert_int_equal(bytes("128M"), 134217728);
	assert_int_equal(bytes("512M"), 536870912);
	assert_int_equal(bytes("1.5g"), 1610612736);
	assert_int_equal(bytes("0.1G"), 107374182); /* 107374182.4 truncated, as RAMInBytes */
	assert_int_equal(bytes("1k"), 1024);
	assert_int_equal(bytes("1kb"), 1024);
	assert_int_equal(bytes("1KiB"), 1024);
	assert_int_equal(bytes("1kib"), 1024);
	assert_int_equal(bytes("1Ki"), 1024);
	assert_int_equal(bytes("1 MB"), 1048576);
	assert_int_equal(bytes("2t"), 2199023255552);
	assert_int_equal(bytes("1p"), 1125899906842624);
	assert_int_equal(bytes("10b"), 10);
	assert_int_equal(bytes("10B"), 10);
	assert_int_equal(bytes("0.5k"), 512);
	assert_int_equal(bytes("0.0001k"), 0);
	assert_int_equal(bytes("1.000000000000000000000000001g"), 1073741824);
	assert_int_equal(bytes("9223372036854775807"), INT64_MAX);
	assert_int_equal(bytes("8191p"), 8191 * 1125899906842624LL);
	bytes_bad("");
	bytes_bad("m");
	bytes_bad("-1m");
	bytes_bad("+1m");
	bytes_bad("1x");
	bytes_bad("1mm");
	bytes_bad("1bb");
	bytes_bad("1.");
	bytes_bad(".5m");
	bytes_bad("1.5.5m");
	bytes_bad("1e3");
	bytes_bad(" 1m");
	bytes_bad("1  m");
	bytes_bad("$MEM");
	bytes_bad("9223372036854775808");
	bytes_bad("8192p");
	bytes_bad("99999999999999999999999g");
}

static int64_t cpus(const char *s)
{
	int64_t v = -42;

	assert_int_equal(hd_parse_nano_cpus(s, &v), 0);
	return v;
}

static void test_nano_cpus(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(cpus("1.5"), 1500000000);
	assert_int_equal(cpus("0.001"), 1000000);
	assert_int_equal(cpus("2"), 2000000000);
	assert_int_equal(cpus("0"), 0);
	assert_int_equal(cpus("0.000000001"), 1);
	assert_int_equal(cpus("0.5000000000000"), 500000000);
	assert_int_equal(cpus("0.25"), 250000000);
	assert_int_equal(cpus("9223372036"), 9223372036000000000LL);
	assert_int_equal(hd_parse_nano_cpus("0.0000000001", &v), -HD_EINVAL); /* too precise */
	assert_int_equal(hd_parse_nano_cpus("-1", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("abc", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("1.5.1", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("1e3", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("1.", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("9223372037", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_nano_cpus("${CPUS}", &v), -HD_EINVAL);
}

static int64_t dur(const char *s)
{
	int64_t v = -42;

	assert_int_equal(hd_parse_duration_ns(s, &v), 0);
	return v;
}

static void test_duration(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(dur("1m30s"), 90000000000LL);
	assert_int_equal(dur("500ms"), 500000000);
	assert_int_equal(dur("1h"), 3600000000000LL);
	assert_int_equal(dur("30s"), 30000000000LL);
	assert_int_equal(dur("1.5s"), 1500000000);
	assert_int_equal(dur(".5s"), 500000000);
	assert_int_equal(dur("1.s"), 1000000000);
	assert_int_equal(dur("10us"), 10000);
	assert_int_equal(dur("10\xc2\xb5s"), 10000);
	assert_int_equal(dur("10\xce\xbcs"), 10000);
	assert_int_equal(dur("7ns"), 7);
	assert_int_equal(dur("1h2m3s4ms5us6ns"), 3723004005006LL);
	assert_int_equal(dur("0"), 0);
	assert_int_equal(dur("+5s"), 5000000000LL);
	assert_int_equal(dur("0.1ns"), 0);
	assert_int_equal(dur("2562047h"), 2562047LL * 3600000000000LL);
	assert_int_equal(hd_parse_duration_ns("2562048h", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("30", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("-1s", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("1d", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("s", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns(".s", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("1s ", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("1S", &v), -HD_EINVAL);
	assert_int_equal(hd_parse_duration_ns("99999999999999999999s", &v), -HD_EINVAL);
}

static void test_builders(void **state)
{
	struct hd_container_spec *c = hd_container_spec_new(HD_SRC_RUN, "docker run (x.sh:3)", "x.sh");
	struct hd_origin o = { 0 };
	struct hd_mount *m;
	struct hd_loc loc;

	(void)state;
	assert_non_null(c);
	assert_int_equal(hd_origin_set(&o, c->file, 3, 12, "--cap-add"), 0);
	assert_int_equal(hd_items_add(&c->cap_add, "SYS_ADMIN", &o), 0);
	assert_true(hd_items_has(&c->cap_add, "sys_admin"));
	assert_false(hd_items_has(&c->cap_add, "NET_ADMIN"));
	assert_int_equal(c->cap_add.v[0].at.line, 3);
	assert_string_equal(c->cap_add.v[0].at.field, "--cap-add");

	assert_int_equal(hd_str_setting_set(&c->user, "root", &o), 0);
	assert_int_equal(hd_str_setting_set(&c->user, "1000", NULL), 0); /* later wins */
	assert_string_equal(c->user.value, "1000");
	assert_null(c->user.at.field);

	assert_int_equal(hd_kvs_add(&c->sysctls, "net.ipv4.ip_forward", "1", &o), 0);
	assert_int_equal(hd_kvs_add(&c->labels, "a", NULL, NULL), 0);
	assert_null(c->labels.v[0].value);

	assert_int_equal(hd_flag_setting_set(&c->privileged, true, &o), 0);
	assert_int_equal(hd_int_setting_set(&c->memory, 5, &o), 0);
	assert_int_equal(hd_ns_setting_set(&c->network, "host", &o), 0);
	assert_int_equal(c->network.mode, HD_NS_HOST);
	assert_int_equal(hd_ns_setting_set(&c->network, "container:db", &o), 0);
	assert_int_equal(c->network.mode, HD_NS_CONTAINER);
	assert_int_equal(hd_ns_mode_of("service:db"), HD_NS_CONTAINER);
	assert_int_equal(hd_ns_mode_of("none"), HD_NS_NONE);
	assert_int_equal(hd_ns_mode_of("bridge"), HD_NS_BRIDGE);
	assert_int_equal(hd_ns_mode_of("default"), HD_NS_BRIDGE);
	assert_int_equal(hd_ns_mode_of("private"), HD_NS_PRIVATE);
	assert_int_equal(hd_ns_mode_of("backend"), HD_NS_NAMED);
	assert_int_equal(hd_ns_mode_of(""), HD_NS_DEFAULT);
	assert_int_equal(hd_ns_mode_of(NULL), HD_NS_DEFAULT);

	m = hd_container_add_mount(c, &o);
	assert_non_null(m);
	m->source = hd_strdup("/var/run/docker.sock");
	m->target = hd_strdup("/var/run/docker.sock");
	assert_int_equal(c->n_mounts, 1);
	assert_int_equal(m->at.col, 12);
	assert_non_null(hd_container_add_port(c, NULL));
	assert_non_null(hd_container_add_device(c, &o));
	assert_non_null(hd_container_add_env(c, &o));
	assert_non_null(hd_container_add_ulimit(c, &o));
	assert_non_null(hd_container_add_secret(c, &o));

	hd_origin_loc(c, &c->cap_add.v[0].at, &loc);
	assert_string_equal(loc.file, "x.sh");
	assert_int_equal(loc.line, 3);
	assert_int_equal(loc.col, 12);
	assert_string_equal(loc.object, "docker run (x.sh:3)");
	assert_string_equal(loc.field, "--cap-add");

	/* A setting never given points at the container. */
	c->at.line = 2;
	c->at.col = 1;
	hd_origin_loc(c, &c->read_only.at, &loc);
	assert_int_equal(loc.line, 2);
	assert_int_equal(loc.col, 1);
	assert_string_equal(loc.file, "x.sh");

	hd_origin_release(&o);
	hd_container_spec_free(c);
	hd_container_spec_free(NULL);
}

static void test_normalise(void **state)
{
	char *s;

	(void)state;
#define NORM(fn, in, out) do { s = fn(in); assert_non_null(s); assert_string_equal(s, out); hd_free(s); } while (0)
	NORM(hd_cap_normalise, "cap_sys_admin", "SYS_ADMIN");
	NORM(hd_cap_normalise, "CAP_NET_RAW", "NET_RAW");
	NORM(hd_cap_normalise, "all", "ALL");
	NORM(hd_cap_normalise, " chown ", "CHOWN");
	NORM(hd_security_opt_normalise, "no-new-privileges", "no-new-privileges=true");
	NORM(hd_security_opt_normalise, "no-new-privileges:true", "no-new-privileges=true");
	NORM(hd_security_opt_normalise, "no-new-privileges=false", "no-new-privileges=false");
	NORM(hd_security_opt_normalise, "seccomp=unconfined", "seccomp=unconfined");
	NORM(hd_security_opt_normalise, "seccomp:unconfined", "seccomp=unconfined");
	NORM(hd_security_opt_normalise, "label:disable", "label=disable");
	NORM(hd_security_opt_normalise, "label=type:svirt_t", "label=type:svirt_t");
	NORM(hd_security_opt_normalise, "apparmor=unconfined", "apparmor=unconfined");
	NORM(hd_security_opt_normalise, "bogus", "bogus");
#undef NORM
}

static void test_security_opt_find(void **state)
{
	struct hd_container_spec *c = hd_container_spec_new(HD_SRC_COMPOSE, "web", NULL);
	const char *v = NULL;

	(void)state;
	assert_non_null(c);
	assert_null(hd_security_opt_find(c, "seccomp", NULL, &v));
	assert_int_equal(hd_items_add(&c->security_opt, "label=type:x", NULL), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "label=disable", NULL), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "label=level:s0", NULL), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "seccomp=unconfined", NULL), 0);
	assert_int_equal(hd_items_add(&c->security_opt, "seccompx=1", NULL), 0);
	assert_non_null(hd_security_opt_find(c, "seccomp", NULL, &v));
	assert_string_equal(v, "unconfined");
	assert_non_null(hd_security_opt_find(c, "label", "disable", &v));
	assert_non_null(hd_security_opt_find(c, "label", NULL, &v));
	assert_string_equal(v, "level:s0");
	assert_null(hd_security_opt_find(c, "apparmor", NULL, &v));
	hd_container_spec_free(c);
}

static void test_image(void **state)
{
	struct hd_container_spec *c = hd_container_spec_new(HD_SRC_RUN, "r", NULL);
	const struct hd_image_ref *r = &c->image_ref;

	(void)state;
	assert_int_equal(hd_container_set_image(c, "nginx", NULL), 0);
	assert_string_equal(r->registry, "docker.io");
	assert_string_equal(r->repository, "library/nginx");
	assert_null(r->tag);
	assert_null(r->digest);
	assert_int_equal(hd_container_set_image(c, "registry.example.com:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL), 0);
	assert_string_equal(c->image.value, "registry.example.com:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(r->registry, "registry.example.com:5000");
	assert_string_equal(r->repository, "team/app");
	assert_string_equal(r->tag, "1.2");
	assert_string_equal(r->digest, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_int_equal(hd_container_set_image(c, "localhost/app:latest", NULL), 0);
	assert_string_equal(r->registry, "localhost");
	assert_string_equal(r->tag, "latest");
	assert_int_equal(hd_container_set_image(c, "bitnami/redis", NULL), 0);
	assert_string_equal(r->registry, "docker.io");
	assert_string_equal(r->repository, "bitnami/redis");
	assert_int_equal(hd_container_set_image(c, "$IMAGE", NULL), 0);
	assert_true(r->has_unresolved_var);
	assert_int_equal(hd_container_set_image(c, ":tag", NULL), 0);
	assert_null(r->raw);
	assert_string_equal(c->image.value, ":tag");
	hd_container_spec_free(c);
}

/* Fails each allocation in turn: every builder returns -HD_ENOMEM or succeeds, never leaks. */

/* The settings table: its validation, the same for every source. */
static void test_table(void **state)
{
	const struct hd_cset *oom = &hd_csets[HD_CS_OOM_SCORE_ADJ], *swap = &hd_csets[HD_CS_MEMORY_SWAP];
	const struct hd_cset *mem = &hd_csets[HD_CS_MEMORY], *cpus = &hd_csets[HD_CS_NANO_CPUS];
	const char *expect;
	char buf[96];
	int64_t v;
	size_t i, j;

	(void)state;
	/* Names are the fields', unique; ranges are ordered. */
	for (i = 0; i < HD_CS_MAX; i++) {
		assert_true(hd_csets[i].min <= hd_csets[i].max);
		for (j = i + 1; j < HD_CS_MAX; j++)
			assert_string_not_equal(hd_csets[i].name, hd_csets[j].name);
	}
	assert_string_equal(oom->name, "oom_score_adj");
	assert_int_equal(hd_cset_parse_int(oom, "-1000", &v, buf, sizeof(buf), &expect), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(hd_cset_parse_int(oom, "1001", &v, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_string_equal(expect, "an integer from -1000 to 1000");
	assert_int_equal(hd_cset_parse_int(oom, "x", &v, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_string_equal(expect, "an integer");
	assert_int_equal(hd_cset_check_int(oom, 5000, buf, sizeof(buf), &expect), -HD_EINVAL);
	/* -1 is unlimited where the range takes it, and a bad size elsewhere. */
	assert_int_equal(hd_cset_parse_int(swap, "-1", &v, buf, sizeof(buf), &expect), 0);
	assert_int_equal(v, -1);
	assert_int_equal(hd_cset_parse_int(swap, "-2", &v, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_int_equal(hd_cset_check_int(swap, -2, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_string_equal(expect, "a size, or -1 for unlimited");
	assert_int_equal(hd_cset_parse_int(mem, "-1", &v, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_string_equal(expect, "a size such as 512m");
	assert_int_equal(hd_cset_parse_int(mem, "0.5g", &v, buf, sizeof(buf), &expect), 0);
	assert_int_equal(v, 536870912);
	assert_int_equal(hd_cset_parse_int(cpus, "1.5", &v, buf, sizeof(buf), &expect), 0);
	assert_int_equal(v, 1500000000);
	assert_int_equal(hd_cset_check_int(cpus, -5, buf, sizeof(buf), &expect), -HD_EINVAL);
	assert_string_equal(expect, "a number of CPUs of at least 0");
	/* Items: security options need key=value; labels take a bare key, sysctls do not. */
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_SECURITY_OPT], "bogus", &expect), -HD_EINVAL);
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_SECURITY_OPT], "label=disable", &expect), 0);
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_LABELS], "bare", &expect), 0);
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_LABELS], "=v", &expect), -HD_EINVAL);
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_SYSCTLS], "net.x", &expect), -HD_EINVAL);
	assert_int_equal(hd_cset_check_item(&hd_csets[HD_CS_SYSCTLS], "net.x=1", &expect), 0);
	/* The field of a setting is where the spec holds it. */
	{
		struct hd_container_spec *c = hd_container_spec_new(HD_SRC_RUN, "t", NULL);

		assert_non_null(c);
		assert_ptr_equal(hd_cset_field(c, oom), &c->oom_score_adj);
		assert_ptr_equal(hd_cset_field(c, &hd_csets[HD_CS_MOUNTS]), &c->mounts);
		hd_container_spec_free(c);
	}
}

/* A local volume with bind options is a bind of its device; nothing else is. */
static void test_resolve_volume(void **state)
{
	static const struct {
		const char *driver, *type, *o, *device;
		bool bind, ro;
	} cases[] = {
		{ "local", "none", "bind", "/", true, false },
		{ NULL, "none", "rbind,ro", "/etc", true, true },
		{ "", "ext4", "bind", "/srv", true, false },   /* bind makes it a bind whatever the type */
		{ "local", "none", "bind", "relative", false, false },
		{ "local", "nfs", "addr=10.0.0.1,rw", ":/export", false, false },
		{ "local", "none", "binding", "/", false, false },
		{ "local", "none", NULL, "/", false, false },
		{ "nfs", "none", "bind", "/", false, false }, /* another driver's options are its own */
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_SIZE(cases); i++) {
		struct hd_mount m = { .type = HD_MOUNT_VOLUME };
		struct hd_kvs kv = { 0 };

		m.source = hd_strdup("vol");
		assert_int_equal(hd_kvs_add(&kv, "type", cases[i].type, NULL), 0);
		if (cases[i].o)
			assert_int_equal(hd_kvs_add(&kv, "o", cases[i].o, NULL), 0);
		assert_int_equal(hd_kvs_add(&kv, "device", cases[i].device, NULL), 0);
		assert_int_equal(hd_mount_resolve_volume(&m, cases[i].driver, &kv), 0);
		if (cases[i].bind) {
			assert_int_equal(m.type, HD_MOUNT_BIND);
			assert_string_equal(m.source, cases[i].device);
			assert_string_equal(m.volume, "vol");
		} else {
			assert_int_equal(m.type, HD_MOUNT_VOLUME);
			assert_string_equal(m.source, "vol");
			assert_null(m.volume);
		}
		assert_int_equal(m.read_only, cases[i].ro);
		hd_free(m.source);
		hd_free(m.volume);
		hd_kvs_release(&kv);
	}
	/* The last of a repeated option counts, as in a map. */
	{
		struct hd_mount m = { .type = HD_MOUNT_VOLUME };
		struct hd_kvs kv = { 0 };

		assert_int_equal(hd_kvs_add(&kv, "o", "bind", NULL), 0);
		assert_int_equal(hd_kvs_add(&kv, "device", "/x", NULL), 0);
		assert_int_equal(hd_kvs_add(&kv, "device", "/", NULL), 0);
		assert_int_equal(hd_mount_resolve_volume(&m, NULL, &kv), 0);
		assert_string_equal(m.source, "/");
		assert_null(m.volume); /* anonymous */
		hd_free(m.source);
		hd_kvs_release(&kv);
	}
}

static void test_oom(void **state)
{
	unsigned long n;

	(void)state;
	for (n = 1; n < 200; n++) {
		struct hd_container_spec *c;
		struct hd_origin o = { 0 };
		int r = 0;

		hd_alloc_fail_at(n);
		c = hd_container_spec_new(HD_SRC_RUN, "n", "f");
		if (!c)
			continue;
		if (r >= 0)
			r = hd_origin_set(&o, c->file, 1, 1, "--x");
		if (r >= 0)
			r = hd_items_add(&c->cap_add, "ALL", &o);
		if (r >= 0)
			r = hd_kvs_add(&c->sysctls, "k", "v", &o);
		if (r >= 0)
			r = hd_str_setting_set(&c->user, "root", &o);
		if (r >= 0)
			r = hd_ns_setting_set(&c->pid, "host", &o);
		if (r >= 0)
			r = hd_container_set_image(c, "a/b:c@sha256:d", &o);
		if (r >= 0 && !hd_container_add_mount(c, &o))
			r = -HD_ENOMEM;
		assert_true(r == 0 || r == -HD_ENOMEM);
		hd_origin_release(&o);
		hd_container_spec_free(c);
	}
	hd_alloc_fail_at(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_nano_cpus),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_security_opt_find),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_resolve_volume),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
