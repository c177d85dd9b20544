/*
 * The `docker run` line parser (see parse/runline.h): a table of every flag
 * the docker CLI and podman accept for the commands that create containers,
 * a pflag-compatible option scanner, and one small converter per setting
 * (ports, volumes, --mount CSV, devices, ulimits, restart policies, units)
 * that writes the normalised value into the container_spec with the origin
 * of the word that set it.
 */
#include "core/common.h"
#include "core/buf.h"
#include "model/shell.h"
#include "model/wrappers.h"
#include "parse/runline.h"

/* Which commands accept a flag (the bits of model/container.h). */
enum {
	B_DRUN = HD_CSR_RUN,       /* docker run, docker container run */
	B_DCREATE = HD_CSR_CREATE, /* docker create, docker container create */
	B_SVC = HD_CSR_SERVICE,    /* docker service create */
	B_PODMAN = HD_CSR_PODMAN,  /* podman run / create */
	B_CTR = B_DRUN | B_DCREATE | B_PODMAN,
	B_ALL = B_CTR | B_SVC,
};

/* A flag of the command: a setting's (model/container_opts.def), or one known to set nothing judged. */
struct flag {
	const char *name;          /* long name without the dashes */
	bool value;                /* takes a value (false: boolean) */
	const struct hd_cset *set; /* the setting it sets, NULL for an ignored flag */
};

struct ignored {
	const char *name;
	char shortname;            /* 0 when none */
	bool value;
	uint8_t cmds;              /* B_* mask of commands that accept it */
};

#define V true
#define BOOL false

/*
 * The flags of `docker run`/`docker create` (docker CLI 28), `docker service
 * create` and `podman run`/`podman create` (podman 5) that set nothing
 * hardock judges, sorted by name; the others are the settings' flags in
 * model/container_opts.def.  The scanner still needs these to know which
 * take a value.
 */
static const struct ignored ignored[] = {
	{ "annotation", 0, V, B_CTR },
	{ "arch", 0, V, B_PODMAN },
	{ "attach", 'a', V, B_CTR },
	{ "authfile", 0, V, B_PODMAN },
	{ "blkio-weight", 0, V, B_CTR },
	{ "blkio-weight-device", 0, V, B_CTR },
	{ "cert-dir", 0, V, B_PODMAN },
	{ "cgroup-conf", 0, V, B_PODMAN },
	{ "cgroups", 0, V, B_PODMAN },
	{ "chrootdirs", 0, V, B_PODMAN },
	{ "cidfile", 0, V, B_CTR },
	{ "conmon-pidfile", 0, V, B_PODMAN },
	{ "constraint", 0, V, B_SVC },
	{ "cpu-count", 0, V, B_CTR },
	{ "cpu-percent", 0, V, B_CTR },
	{ "cpu-rt-period", 0, V, B_CTR },
	{ "cpu-rt-runtime", 0, V, B_CTR },
	{ "cpuset-mems", 0, V, B_CTR },
	{ "credential-spec", 0, V, B_SVC },
	{ "creds", 0, V, B_PODMAN },
	{ "decryption-key", 0, V, B_PODMAN },
	{ "detach-keys", 0, V, B_DRUN | B_PODMAN },
	{ "device-read-bps", 0, V, B_CTR },
	{ "device-read-iops", 0, V, B_CTR },
	{ "device-write-bps", 0, V, B_CTR },
	{ "device-write-iops", 0, V, B_CTR },
	{ "disable-content-trust", 0, BOOL, B_CTR },
	{ "dns", 0, V, B_ALL },
	{ "dns-opt", 0, V, B_CTR },
	{ "dns-option", 0, V, B_ALL },
	{ "dns-search", 0, V, B_ALL },
	{ "domainname", 0, V, B_CTR },
	{ "endpoint-mode", 0, V, B_SVC },
	{ "env-host", 0, BOOL, B_PODMAN },
	{ "env-merge", 0, V, B_PODMAN },
	{ "generic-resource", 0, V, B_SVC },
	{ "gidmap", 0, V, B_PODMAN },
	{ "gpus", 0, V, B_CTR },
	{ "group-entry", 0, V, B_PODMAN },
	{ "health-log-destination", 0, V, B_PODMAN },
	{ "health-max-log-count", 0, V, B_PODMAN },
	{ "health-max-log-size", 0, V, B_PODMAN },
	{ "health-on-failure", 0, V, B_PODMAN },
	{ "health-startup-cmd", 0, V, B_PODMAN },
	{ "health-startup-interval", 0, V, B_PODMAN },
	{ "health-startup-retries", 0, V, B_PODMAN },
	{ "health-startup-success", 0, V, B_PODMAN },
	{ "health-startup-timeout", 0, V, B_PODMAN },
	{ "help", 0, BOOL, B_ALL },
	{ "hostname", 'h', V, B_CTR },
	{ "hostname", 0, V, B_SVC },
	{ "hostuser", 0, V, B_PODMAN },
	{ "hosts-file", 0, V, B_PODMAN },
	{ "http-proxy", 0, BOOL, B_PODMAN },
	{ "image-volume", 0, V, B_PODMAN },
	{ "init-path", 0, V, B_PODMAN },
	{ "interactive", 'i', BOOL, B_CTR },
	{ "io-maxbandwidth", 0, V, B_DRUN | B_DCREATE },
	{ "io-maxiops", 0, V, B_DRUN | B_DCREATE },
	{ "ip", 0, V, B_CTR },
	{ "ip6", 0, V, B_CTR },
	{ "isolation", 0, V, B_ALL },
	{ "kernel-memory", 0, V, B_CTR },
	{ "label-file", 0, V, B_CTR },
	{ "link", 0, V, B_CTR },
	{ "link-local-ip", 0, V, B_CTR },
	{ "mac-address", 0, V, B_CTR },
	{ "max-concurrent", 0, V, B_SVC },
	{ "memory-swappiness", 0, V, B_CTR },
	{ "mode", 0, V, B_SVC },
	{ "net-alias", 0, V, B_CTR },
	{ "network-alias", 0, V, B_CTR },
	{ "no-hosts", 0, BOOL, B_PODMAN },
	{ "no-resolve-image", 0, BOOL, B_SVC },
	{ "os", 0, V, B_PODMAN },
	{ "passwd", 0, BOOL, B_PODMAN },
	{ "passwd-entry", 0, V, B_PODMAN },
	{ "personality", 0, V, B_PODMAN },
	{ "pidfile", 0, V, B_PODMAN },
	{ "placement-pref", 0, V, B_SVC },
	{ "platform", 0, V, B_CTR },
	{ "pod", 0, V, B_PODMAN },
	{ "pod-id-file", 0, V, B_PODMAN },
	{ "preserve-fd", 0, V, B_PODMAN },
	{ "preserve-fds", 0, V, B_PODMAN },
	{ "pull", 0, V, B_CTR },
	{ "quiet", 'q', BOOL, B_ALL },
	{ "rdt-class", 0, V, B_PODMAN },
	{ "read-only-tmpfs", 0, BOOL, B_PODMAN },
	{ "replace", 0, BOOL, B_PODMAN },
	{ "replicas", 0, V, B_SVC },
	{ "replicas-max-per-node", 0, V, B_SVC },
	{ "requires", 0, V, B_PODMAN },
	{ "reserve-cpu", 0, V, B_SVC },
	{ "restart-delay", 0, V, B_SVC },
	{ "restart-window", 0, V, B_SVC },
	{ "retry", 0, V, B_PODMAN },
	{ "retry-delay", 0, V, B_PODMAN },
	{ "rmi", 0, BOOL, B_PODMAN },
	{ "rollback-delay", 0, V, B_SVC },
	{ "rollback-failure-action", 0, V, B_SVC },
	{ "rollback-max-failure-ratio", 0, V, B_SVC },
	{ "rollback-monitor", 0, V, B_SVC },
	{ "rollback-order", 0, V, B_SVC },
	{ "rollback-parallelism", 0, V, B_SVC },
	{ "rootfs", 0, BOOL, B_PODMAN },
	{ "sdnotify", 0, V, B_PODMAN },
	{ "seccomp-policy", 0, V, B_PODMAN },
	{ "shm-size", 0, V, B_CTR },
	{ "shm-size-systemd", 0, V, B_PODMAN },
	{ "sig-proxy", 0, BOOL, B_DRUN | B_PODMAN },
	{ "stop-grace-period", 0, V, B_SVC },
	{ "stop-signal", 0, V, B_ALL },
	{ "stop-timeout", 0, V, B_CTR },
	{ "storage-opt", 0, V, B_CTR },
	{ "subgidname", 0, V, B_PODMAN },
	{ "subuidname", 0, V, B_PODMAN },
	{ "systemd", 0, V, B_PODMAN },
	{ "timeout", 0, V, B_PODMAN },
	{ "tls-verify", 0, BOOL, B_PODMAN },
	{ "tty", 't', BOOL, B_ALL },
	{ "tz", 0, V, B_PODMAN },
	{ "uidmap", 0, V, B_PODMAN },
	{ "umask", 0, V, B_PODMAN },
	{ "unsetenv", 0, V, B_PODMAN },
	{ "unsetenv-all", 0, BOOL, B_PODMAN },
	{ "update-delay", 0, V, B_SVC },
	{ "update-failure-action", 0, V, B_SVC },
	{ "update-max-failure-ratio", 0, V, B_SVC },
	{ "update-monitor", 0, V, B_SVC },
	{ "update-order", 0, V, B_SVC },
	{ "update-parallelism", 0, V, B_SVC },
	{ "variant", 0, V, B_PODMAN },
	{ "volume-driver", 0, V, B_CTR },
	{ "volumes-from", 0, V, B_CTR },
	{ "with-registry-auth", 0, BOOL, B_SVC },
	{ "workdir", 'w', V, B_ALL },
};

static unsigned cmd_bit(const struct hd_run_match *m)
{
	if (m->tool == HD_RUN_TOOL_PODMAN)
		return B_PODMAN;
	switch (m->verb) {
	case HD_RUN_VERB_RUN: return B_DRUN;
	case HD_RUN_VERB_CREATE: return B_DCREATE;
	case HD_RUN_VERB_SERVICE_CREATE: return B_SVC;
	}
	return B_DRUN;
}

/* Finds a flag by long name (len bytes of name) or, when name is NULL, by shorthand ch. */
static bool find_flag(const char *name, size_t len, char ch, unsigned bit, struct flag *ret)
{
	const struct hd_cset_flag *t = hd_cset_flags();
	size_t i;

	for (; t->name; t++) {
		if (!(t->cmds & bit) || (name ? strlen(t->name) != len || memcmp(t->name, name, len) != 0
					      : t->shorthand != ch))
			continue;
		ret->name = t->name;
		ret->value = t->value;
		ret->set = t->set;
		return true;
	}
	for (i = 0; i < HD_ARRAY_SIZE(ignored); i++) {
		const struct ignored *g = &ignored[i];

		if (!(g->cmds & bit) || (name ? strlen(g->name) != len || memcmp(g->name, name, len) != 0
					      : g->shortname != ch))
			continue;
		ret->name = g->name;
		ret->value = g->value;
		ret->set = NULL;
		return true;
	}
	return false;
}

/* ---- matching the command ------------------------------------------------------ */

static const char *base_name(const char *s)
{
	const char *p = strrchr(s, '/');

	return p ? p + 1 : s;
}

/* True for a word that is only a variable reference naming docker or podman. */
static bool is_tool_variable(const char *t, enum hd_run_tool *tool)
{
	char name[64];
	size_t k = 0;

	if (t[0] != '$')
		return false;
	t++;
	if (*t == '{')
		t++;
	while ((isalnum((unsigned char)*t) || *t == '_') && k + 1 < sizeof(name))
		name[k++] = (char)toupper((unsigned char)*t++);
	name[k] = '\0';
	if (*t == ':' || *t == '-') {
		/* ${DOCKER:-docker}: the default names the tool too. */
		while (*t && *t != '}')
			t++;
	}
	if (*t == '}')
		t++;
	if (*t)
		return false;
	if (strstr(name, "PODMAN")) {
		*tool = HD_RUN_TOOL_PODMAN;
		return true;
	}
	if (strstr(name, "DOCKER") && !strstr(name, "COMPOSE")) {
		*tool = HD_RUN_TOOL_DOCKER;
		return true;
	}
	return false;
}

static const char *const docker_global_val[] = { "config", "context", "host", "log-level", "tlscacert",
						 "tlscert", "tlskey", NULL };
static const char *const podman_global_val[] = {
	"cgroup-manager", "config", "conmon", "connection", "events-backend", "hooks-dir", "identity",
	"imagestore", "log-level", "module", "network-cmd-path", "network-config-dir", "out", "root",
	"runroot", "runtime", "runtime-flag", "ssh", "storage-driver", "storage-opt", "tmpdir", "url",
	"volumepath", "cdi-spec-dir", NULL
};

bool hd_runline_match(const struct hd_run_word *w, size_t n, struct hd_run_match *m)
{
	size_t i = 0, k;
	enum hd_run_tool tool;
	const char *const *gval;
	const char *gshort;

	/* Wrappers, possibly nested: sudo env X=1 nice docker run (one table: model/wrappers.h). */
	{
		struct hd_unwrap u;

		_Static_assert(offsetof(struct hd_run_word, text) == 0, "hd_unwrap() reads the text at the start of a word");
		if (!hd_unwrap(w, sizeof(*w), n, 0, &u))
			return false;
		i = u.cmd;
	}
	if (strcmp(base_name(w[i].text), "docker") == 0 || strcmp(base_name(w[i].text), "docker.exe") == 0)
		tool = HD_RUN_TOOL_DOCKER;
	else if (strcmp(base_name(w[i].text), "podman") == 0 || strcmp(base_name(w[i].text), "podman-remote") == 0)
		tool = HD_RUN_TOOL_PODMAN;
	else if (!is_tool_variable(w[i].text, &tool))
		return false;
	m->tool = tool;
	m->tool_at = i++;
	gval = tool == HD_RUN_TOOL_DOCKER ? docker_global_val : podman_global_val;
	gshort = tool == HD_RUN_TOOL_DOCKER ? "cHl" : "c";
	/* Global options before the verb. */
	while (i < n && w[i].text[0] == '-' && w[i].text[1]) {
		const char *t = w[i].text;
		bool takes = false;

		if (t[1] == '-') {
			if (!strchr(t, '=')) {
				for (k = 0; gval[k]; k++) {
					if (strcmp(t + 2, gval[k]) == 0)
						takes = true;
				}
			}
		} else if (t[2] == '\0' && strchr(gshort, t[1])) {
			takes = true;
		}
		i += takes ? 2 : 1;
	}
	if (i >= n)
		return false;
	if (strcmp(w[i].text, "container") == 0 && i + 1 < n) {
		i++;
	} else if (strcmp(w[i].text, "service") == 0 && tool == HD_RUN_TOOL_DOCKER && i + 1 < n &&
		   strcmp(w[i + 1].text, "create") == 0) {
		m->verb = HD_RUN_VERB_SERVICE_CREATE;
		m->verb_at = i + 1;
		m->args_at = i + 2;
		return true;
	}
	if (strcmp(w[i].text, "run") == 0)
		m->verb = HD_RUN_VERB_RUN;
	else if (strcmp(w[i].text, "create") == 0)
		m->verb = HD_RUN_VERB_CREATE;
	else
		return false;
	m->verb_at = i;
	m->args_at = i + 1;
	return true;
}

const char *hd_run_verb_name(const struct hd_run_match *m)
{
	if (m->tool == HD_RUN_TOOL_PODMAN)
		return m->verb == HD_RUN_VERB_CREATE ? "podman create" : "podman run";
	switch (m->verb) {
	case HD_RUN_VERB_RUN: return "docker run";
	case HD_RUN_VERB_CREATE: return "docker create";
	case HD_RUN_VERB_SERVICE_CREATE: return "docker service create";
	}
	return "docker run";
}

/* ---- the parser state ------------------------------------------------------------ */

struct rp {
	const struct hd_run_word *w;
	size_t n;
	const struct hd_run_match *m;
	struct hd_container_spec *c;
	unsigned bit;
	struct hd_origin at;      /* origin of the flag being applied */
	bool value_unknown;       /* the value word holds a variable */
	const char *entrypoint;   /* --entrypoint value, kept for the command list */
	struct hd_origin ep_at;
	bool network_seen;
};

/* The splitter marks words holding an unexpanded $VAR, ${..}, $(..) or `..`. */
static bool has_expansion(const struct hd_run_word *x)
{
	return (x->flags & HD_WORD_EXPANSION) != 0;
}

static int add_invalid(struct rp *p, const char *flag, const char *value, const char *why)
{
	char *s = hd_asprintf("--%s=%s (%s)", flag, value, why);
	int r;

	if (!s)
		return -HD_ENOMEM;
	r = hd_items_add(&p->c->invalid_options, s, &p->at);
	hd_free(s);
	return r;
}

/* An INT, BYTES or CPUS setting: parsed and checked as every source does (hd_cset_parse_int). */
static int set_int(struct rp *p, const struct hd_cset *set, const char *flag, const char *v)
{
	struct hd_int_setting *s = hd_cset_field(p->c, set);
	const char *expect;
	char buf[96], why[128];
	int64_t x;
	int r;

	if (p->value_unknown) {
		r = hd_int_setting_set(s, 0, &p->at);
		s->unknown = true;
		return r;
	}
	if (hd_cset_parse_int(set, v, &x, buf, sizeof(buf), &expect) < 0) {
		snprintf(why, sizeof(why), "expected %s", expect);
		return add_invalid(p, flag, v, why);
	}
	return hd_int_setting_set(s, x, &p->at);
}

static int set_str(struct rp *p, struct hd_str_setting *s, const char *v)
{
	int r;

	r = hd_str_setting_set(s, v, &p->at);
	if (r < 0)
		return r;
	s->unknown = p->value_unknown;
	return 0;
}

static int set_ns(struct rp *p, struct hd_ns_setting *s, const char *v)
{
	int r;

	r = hd_ns_setting_set(s, v, &p->at);
	if (r < 0)
		return r;
	if (p->value_unknown) {
		s->unknown = true;
		s->mode = HD_NS_DEFAULT;
	}
	return 0;
}

/* Parses a boolean value as pflag's strconv.ParseBool does. */
static int parse_bool(const char *v, bool *ret)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(yes); i++) {
		if (strcmp(v, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -HD_EINVAL;
}

/* Adds each comma-separated element of v, transformed by fn when given. */
static int add_list(struct rp *p, struct hd_items *l, const char *v, char *(*fn)(const char *))
{
	const char *s = v;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *one = hd_strndup(s, len), *x;
		int r;

		if (!one)
			return -HD_ENOMEM;
		x = fn ? fn(one) : one;
		if (fn)
			hd_free(one);
		if (!x)
			return -HD_ENOMEM;
		r = *x ? hd_items_add(l, x, &p->at) : 0;
		hd_free(x);
		if (r < 0)
			return r;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

/* ---- ports ------------------------------------------------------------------------- */

/* Parses "N" or "N-M" into a range of 1..65535 (0 allowed for host ports when allow0). */
static int port_range(const char *s, size_t len, bool allow0, uint32_t *lo, uint32_t *hi)
{
	const char *dash = memchr(s, '-', len);
	uint64_t a, b;

	if (!len)
		return -HD_EINVAL;
	if (dash) {
		if (hd_parse_u64_n(s, (size_t)(dash - s), 65535, &a) < 0 ||
		    hd_parse_u64_n(dash + 1, len - (size_t)(dash - s) - 1, 65535, &b) < 0 || b < a)
			return -HD_EINVAL;
	} else {
		if (hd_parse_u64_n(s, len, 65535, &a) < 0)
			return -HD_EINVAL;
		b = a;
	}
	if (a == 0 && !allow0)
		return -HD_EINVAL;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

static int parse_proto(const char *s, enum hd_proto *proto)
{
	if (!*s || strcasecmp(s, "tcp") == 0)
		*proto = HD_PROTO_TCP;
	else if (strcasecmp(s, "udp") == 0)
		*proto = HD_PROTO_UDP;
	else if (strcasecmp(s, "sctp") == 0)
		*proto = HD_PROTO_SCTP;
	else
		return -HD_EINVAL;
	return 0;
}

/* Service --publish long syntax: published=8080,target=80,protocol=udp,mode=host. */
static int publish_long(struct rp *p, const char *v, struct hd_port *port)
{
	const char *s = v;

	while (*s) {
		const char *e = strchr(s, ','), *eq;
		size_t len = e ? (size_t)(e - s) : strlen(s);

		eq = memchr(s, '=', len);
		if (eq) {
			size_t kl = (size_t)(eq - s), vl = len - kl - 1;
			char val[64];

			if (vl >= sizeof(val))
				return -HD_EINVAL;
			memcpy(val, eq + 1, vl);
			val[vl] = '\0';
			if (kl == 9 && strncmp(s, "published", 9) == 0) {
				if (port_range(val, vl, true, &port->host_port_lo, &port->host_port_hi) < 0)
					return -HD_EINVAL;
			} else if (kl == 6 && strncmp(s, "target", 6) == 0) {
				if (port_range(val, vl, false, &port->ctr_port_lo, &port->ctr_port_hi) < 0)
					return -HD_EINVAL;
			} else if (kl == 8 && strncmp(s, "protocol", 8) == 0) {
				if (parse_proto(val, &port->proto) < 0)
					return -HD_EINVAL;
			}
		}
		if (!e)
			break;
		s = e + 1;
	}
	return port->ctr_port_lo ? 0 : -HD_EINVAL;
}

/*
 * Short syntax, as go-connections' ParsePortSpec: [[ip:]host:]container[/proto];
 * the IP may be bracketed IPv6 and takes every part but the last two.
 */
static int publish_short(const char *v, struct hd_port *port, char **ip)
{
	const char *slash = strrchr(v, '/'), *end = slash ? slash : v + strlen(v);
	const char *last, *prev = NULL;
	enum hd_proto proto = HD_PROTO_TCP;

	if (slash && parse_proto(slash + 1, &proto) < 0)
		return -HD_EINVAL;
	port->proto = proto;
	last = end;
	while (last > v && last[-1] != ':')
		last--;
	if (port_range(last, (size_t)(end - last), false, &port->ctr_port_lo, &port->ctr_port_hi) < 0)
		return -HD_EINVAL;
	if (last == v)
		return 0;
	prev = last - 1;
	{
		const char *h = prev;

		while (h > v && h[-1] != ':')
			h--;
		if (prev > h &&
		    port_range(h, (size_t)(prev - h), true, &port->host_port_lo, &port->host_port_hi) < 0)
			return -HD_EINVAL;
		if (h > v) {
			const char *ip_s = v, *ip_e = h - 1;

			if (ip_e > ip_s && *ip_s == '[' && ip_e[-1] == ']') {
				ip_s++;
				ip_e--;
			}
			if (!(*ip = hd_strndup(ip_s, (size_t)(ip_e - ip_s))))
				return -HD_ENOMEM;
		}
	}
	return 0;
}

static int op_publish(struct rp *p, const char *v, bool published)
{
	struct hd_port *port = hd_container_add_port(p->c, &p->at);
	char *ip = NULL;
	int r;

	if (!port)
		return -HD_ENOMEM;
	port->published = published;
	if (p->value_unknown) {
		port->unknown = true;
		return 0;
	}
	if (!published) {
		const char *slash = strrchr(v, '/');
		size_t len = slash ? (size_t)(slash - v) : strlen(v);

		r = port_range(v, len, false, &port->ctr_port_lo, &port->ctr_port_hi);
		if (r == 0 && slash)
			r = parse_proto(slash + 1, &port->proto);
	} else if (strchr(v, '=')) {
		r = publish_long(p, v, port);
	} else {
		r = publish_short(v, port, &ip);
		if (r == -HD_ENOMEM)
			return r;
		port->host_ip = ip;
	}
	if (r < 0) {
		/* Keep the entry out of the rules' sight; report the value. */
		hd_free(port->host_ip);
		hd_origin_release(&port->at);
		p->c->n_ports--;
		return add_invalid(p, published ? "publish" : "expose", v, "not a port specification");
	}
	return 0;
}

/* ---- mounts -------------------------------------------------------------------------- */

static bool is_propagation(const char *s, size_t n)
{
	static const char *const modes[] = { "shared", "rshared", "slave", "rslave", "private", "rprivate" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(modes); i++) {
		if (strlen(modes[i]) == n && memcmp(s, modes[i], n) == 0)
			return true;
	}
	return false;
}

/* Applies one volume mode word ("ro", "z", "rshared", ...) to m; false when unknown. */
static int apply_mode(struct hd_mount *m, const char *s, size_t n, bool *ok)
{
	static const char *const other[] = { "rw", "nocopy", "consistent", "cached", "delegated",
					     "U", "O", "exec", "noexec", "suid", "nosuid", "dev", "nodev",
					     "copy", "idmap", "nosuid", "rbind", "bind", "norbind", "noatime" };
	size_t i;

	*ok = true;
	if ((n == 2 && memcmp(s, "ro", 2) == 0) || (n == 8 && memcmp(s, "readonly", 8) == 0)) {
		m->read_only = true;
		return 0;
	}
	if (n == 1 && (*s == 'z' || *s == 'Z')) {
		hd_free(m->selinux);
		return (m->selinux = hd_strndup(s, 1)) ? 0 : -HD_ENOMEM;
	}
	if (is_propagation(s, n)) {
		hd_free(m->propagation);
		return (m->propagation = hd_strndup(s, n)) ? 0 : -HD_ENOMEM;
	}
	for (i = 0; i < HD_ARRAY_SIZE(other); i++) {
		if (strlen(other[i]) == n && memcmp(s, other[i], n) == 0)
			return 0;
	}
	if (n > 4 && memcmp(s, "idmap", 5) == 0)
		return 0;
	*ok = false;
	return 0;
}

static bool is_bind_source(const char *s)
{
	return s[0] == '/' || s[0] == '.' || s[0] == '~' || s[0] == '$' || s[0] == '`' ||
	       (isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'));
}

/* -v [src:]dst[:mode[,mode]]: docker's volume spec on a Linux daemon. */
static int op_volume(struct rp *p, const char *v)
{
	const char *parts[3];
	size_t lens[3], np = 0;
	const char *s = v;
	struct hd_mount *m;
	bool ok = true;
	int r;

	for (;;) {
		const char *e = strchr(s, ':');

		if (np == 3)
			return add_invalid(p, "volume", v, "expected [source:]target[:options]");
		parts[np] = s;
		lens[np] = e ? (size_t)(e - s) : strlen(s);
		np++;
		if (!e)
			break;
		s = e + 1;
	}
	if (!*v)
		return add_invalid(p, "volume", v, "expected [source:]target[:options]");
	m = hd_container_add_mount(p->c, &p->at);
	if (!m)
		return -HD_ENOMEM;
	m->type = HD_MOUNT_VOLUME;
	if (np == 2) {
		/* "/data:ro" is an anonymous volume with a mode, as docker reads it. */
		const char *q = parts[1];
		bool all_modes = lens[1] > 0;

		while (q < parts[1] + lens[1] && all_modes) {
			const char *e = memchr(q, ',', (size_t)(parts[1] + lens[1] - q));
			size_t l = e ? (size_t)(e - q) : (size_t)(parts[1] + lens[1] - q);
			struct hd_mount tmp = { 0 };
			bool k;

			r = apply_mode(&tmp, q, l, &k);
			hd_free(tmp.selinux);
			hd_free(tmp.propagation);
			if (r < 0)
				return r;
			all_modes = k && l > 0;
			q = e ? e + 1 : parts[1] + lens[1];
		}
		if (all_modes && parts[0][0] == '/') {
			parts[2] = parts[1];
			lens[2] = lens[1];
			parts[1] = parts[0];
			lens[1] = lens[0];
			lens[0] = 0;
			np = 3;
		}
	}
	if (np == 1) {
		m->target = hd_strndup(parts[0], lens[0]);
	} else {
		if (lens[0]) {
			m->source = hd_strndup(parts[0], lens[0]);
			if (!m->source)
				return -HD_ENOMEM;
			if (is_bind_source(m->source))
				m->type = HD_MOUNT_BIND;
		}
		m->target = hd_strndup(parts[1], lens[1]);
	}
	if (!m->target)
		return -HD_ENOMEM;
	if (np == 3) {
		const char *q = parts[2], *end = parts[2] + lens[2];

		while (q < end) {
			const char *e = memchr(q, ',', (size_t)(end - q));
			size_t l = e ? (size_t)(e - q) : (size_t)(end - q);

			r = apply_mode(m, q, l, &ok);
			if (r < 0)
				return r;
			if (!ok && !p->value_unknown) {
				char *bad = hd_strndup(q, l), *msg;

				if (!bad)
					return -HD_ENOMEM;
				msg = hd_asprintf("unknown volume option '%s'", bad);
				hd_free(bad);
				if (!msg)
					return -HD_ENOMEM;
				r = add_invalid(p, "volume", v, msg);
				hd_free(msg);
				if (r < 0)
					return r;
			}
			q = e ? e + 1 : end;
		}
	}
	return 0;
}

/*
 * Splits one CSV record the way Go's encoding/csv does for --mount and the
 * long --publish/--secret syntax: fields separated by ',', a field that
 * starts with '"' runs to the closing quote with "" for a quote.  Calls fn
 * on each field; returns its error or -HD_EINVAL on a bad quote.
 */
static int csv_fields(const char *v, int (*fn)(void *ctx, const char *field), void *ctx)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_MESSAGE * 16);
	const char *s = v;
	int r = 0;

	for (;;) {
		hd_buf_reset(&b);
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s) {
					r = -HD_EINVAL;
					goto out;
				}
				if (*s == '"') {
					if (s[1] == '"') {
						r = hd_buf_addch(&b, '"');
						s += 2;
					} else {
						s++;
						break;
					}
				} else {
					r = hd_buf_addch(&b, *s++);
				}
				if (r < 0)
					goto out;
			}
			if (*s && *s != ',') {
				r = -HD_EINVAL;
				goto out;
			}
		} else {
			const char *e = strchr(s, ',');
			size_t len = e ? (size_t)(e - s) : strlen(s);

			if (memchr(s, '"', len)) {
				r = -HD_EINVAL;
				goto out;
			}
			r = hd_buf_add(&b, s, len);
			if (r < 0)
				goto out;
			s += len;
		}
		r = fn(ctx, b.buf);
		if (r < 0)
			goto out;
		if (!*s)
			break;
		s++; /* the comma */
	}
out:
	hd_buf_release(&b);
	return r;
}

struct mount_ctx {
	struct rp *p;
	struct hd_mount *m;
	bool type_seen;
	const char *bad;     /* static reason when a field is wrong */
	char *bad_field;
	char *driver;        /* volume-driver= */
	struct hd_kvs opts;  /* volume-opt=KEY=VALUE, in order */
};

static int mount_field(void *vctx, const char *f)
{
	struct mount_ctx *x = vctx;
	struct hd_mount *m = x->m;
	const char *eq = strchr(f, '=');
	size_t kl = eq ? (size_t)(eq - f) : strlen(f);
	const char *val = eq ? eq + 1 : NULL;
	char key[32];

	if (kl >= sizeof(key))
		goto unknown;
	memcpy(key, f, kl);
	key[kl] = '\0';
	for (char *k = key; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	if (strcmp(key, "type") == 0 && val) {
		static const struct { const char *n; enum hd_mount_type t; } types[] = {
			{ "bind", HD_MOUNT_BIND },     { "volume", HD_MOUNT_VOLUME },
			{ "tmpfs", HD_MOUNT_TMPFS },   { "npipe", HD_MOUNT_NPIPE },
			{ "cluster", HD_MOUNT_CLUSTER }, { "image", HD_MOUNT_IMAGE },
			{ "devpts", HD_MOUNT_TMPFS },  { "glob", HD_MOUNT_BIND },
			{ "ramfs", HD_MOUNT_TMPFS },
		};
		size_t i;

		for (i = 0; i < HD_ARRAY_SIZE(types); i++) {
			if (strcmp(val, types[i].n) == 0) {
				m->type = types[i].t;
				x->type_seen = true;
				return 0;
			}
		}
		if (strchr(val, '$')) {
			x->type_seen = true;
			return 0;
		}
		x->bad = "unknown mount type";
		return 0;
	}
	if (strcmp(key, "source") == 0 || strcmp(key, "src") == 0) {
		hd_free(m->source);
		return (m->source = hd_strdup(val ? val : "")) ? 0 : -HD_ENOMEM;
	}
	if (strcmp(key, "target") == 0 || strcmp(key, "destination") == 0 || strcmp(key, "dst") == 0) {
		hd_free(m->target);
		return (m->target = hd_strdup(val ? val : "")) ? 0 : -HD_ENOMEM;
	}
	if (strcmp(key, "readonly") == 0 || strcmp(key, "ro") == 0) {
		bool b = true;

		if (val && parse_bool(val, &b) < 0) {
			x->bad = "readonly takes true or false";
			return 0;
		}
		m->read_only = b;
		return 0;
	}
	if (strcmp(key, "bind-propagation") == 0 && val) {
		if (!is_propagation(val, strlen(val))) {
			x->bad = "unknown bind-propagation";
			return 0;
		}
		hd_free(m->propagation);
		return (m->propagation = hd_strdup(val)) ? 0 : -HD_ENOMEM;
	}
	if (strcmp(key, "relabel") == 0 && val) {
		/* podman: relabel=shared is z, relabel=private is Z. */
		hd_free(m->selinux);
		m->selinux = hd_strdup(strcmp(val, "private") == 0 ? "Z" : "z");
		return m->selinux ? 0 : -HD_ENOMEM;
	}
	if (strcmp(key, "volume-driver") == 0 && val) {
		hd_free(x->driver);
		return (x->driver = hd_strdup(val)) ? 0 : -HD_ENOMEM;
	}
	if (strcmp(key, "volume-opt") == 0 && val) {
		const char *oeq = strchr(val, '=');
		char *k = hd_strndup(val, oeq ? (size_t)(oeq - val) : strlen(val));
		int r = k ? hd_kvs_add(&x->opts, k, oeq ? oeq + 1 : "", NULL) : -HD_ENOMEM;

		hd_free(k);
		return r;
	}
	if (strcmp(key, "z") == 0 || strcmp(key, "Z") == 0) {
		hd_free(m->selinux);
		return (m->selinux = hd_strdup(f)) ? 0 : -HD_ENOMEM;
	}
	{
		static const char *const known[] = {
			"consistency", "bind-nonrecursive", "bind-recursive", "bind-create-src",
			"volume-nocopy", "volume-driver", "volume-label", "volume-opt", "volume-subpath",
			"tmpfs-size", "tmpfs-mode", "tmpfs-options", "image-path", "image-subpath",
			"tmpcopyup", "notmpcopyup", "chown", "idmap", "u", "nocopy", "rw", "exec", "noexec",
			"suid", "nosuid", "dev", "nodev", "subpath", "rbind", "norbind", "bind-nonrecursive",
			"size", "mode", "uid", "gid", "rro", "shared", "rshared", "slave", "rslave",
			"private", "rprivate", "copy", "nodestcreate",
		};
		size_t i;

		for (i = 0; i < HD_ARRAY_SIZE(known); i++) {
			if (strcmp(key, known[i]) == 0)
				return 0;
		}
	}
unknown:
	x->bad = "unknown mount option";
	hd_free(x->bad_field);
	x->bad_field = hd_strdup(f);
	return x->bad_field ? 0 : -HD_ENOMEM;
}

static int op_mount(struct rp *p, const char *v)
{
	struct mount_ctx x = { p, NULL, false, NULL, NULL, NULL, { 0 } };
	int r;

	x.m = hd_container_add_mount(p->c, &p->at);
	if (!x.m)
		return -HD_ENOMEM;
	x.m->type = HD_MOUNT_VOLUME; /* docker's default when type= is absent */
	r = csv_fields(v, mount_field, &x);
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0)
		x.bad = "bad quoting";
	if (!x.m->target && !p->value_unknown)
		x.bad = x.bad ? x.bad : "a target is required";
	if (x.bad && !p->value_unknown) {
		char *why = x.bad_field ? hd_asprintf("%s '%s'", x.bad, x.bad_field) : hd_strdup(x.bad);

		r = why ? add_invalid(p, "mount", v, why) : -HD_ENOMEM;
		hd_free(why);
		if (r < 0)
			goto out;
	}
	/* A local volume with bind options (volume-opt=o=bind) binds its device. */
	if (!p->value_unknown && (r = hd_mount_resolve_volume(x.m, x.driver, &x.opts)) < 0)
		goto out;
	/* A bind without a target cannot be judged; keep it only when it has one. */
	if (!x.m->target) {
		struct hd_mount *m = x.m;

		hd_free(m->source);
		hd_free(m->propagation);
		hd_free(m->selinux);
		hd_free(m->volume);
		hd_origin_release(&m->at);
		p->c->n_mounts--;
	}
	r = 0;
out:
	hd_free(x.bad_field);
	hd_free(x.driver);
	hd_kvs_release(&x.opts);
	return r;
}

/* --device /dev/sda[:/dev/xvda[:rwm]] */
static int op_device(struct rp *p, const char *v)
{
	struct hd_device *d;
	const char *c1 = strchr(v, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	d = hd_container_add_device(p->c, &p->at);
	if (!d)
		return -HD_ENOMEM;
	d->host_path = c1 ? hd_strndup(v, (size_t)(c1 - v)) : hd_strdup(v);
	if (!d->host_path)
		return -HD_ENOMEM;
	if (c1) {
		const char *cp = c1 + 1;
		size_t cl = c2 ? (size_t)(c2 - cp) : strlen(cp);

		/* "/dev/sda:rw" is host:permissions. */
		if (!c2 && cl <= 3 && cl && strspn(cp, "rwm") == cl) {
			d->perms = hd_strdup(cp);
			if (!d->perms)
				return -HD_ENOMEM;
		} else {
			d->container_path = hd_strndup(cp, cl);
			if (!d->container_path)
				return -HD_ENOMEM;
			if (c2 && !(d->perms = hd_strdup(c2 + 1)))
				return -HD_ENOMEM;
		}
	}
	return 0;
}

/* --ulimit nofile=1024[:2048] */
static int op_ulimit(struct rp *p, const char *v)
{
	const char *eq = strchr(v, '='), *colon;
	struct hd_ulimit *u;
	int64_t soft, hard;
	char num[32];
	size_t len;

	if (!eq || eq == v)
		return add_invalid(p, "ulimit", v, "expected name=soft[:hard]");
	colon = strchr(eq + 1, ':');
	len = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	if (!p->value_unknown) {
		if (len >= sizeof(num))
			return add_invalid(p, "ulimit", v, "expected name=soft[:hard]");
		memcpy(num, eq + 1, len);
		num[len] = '\0';
		if (hd_parse_i64(num, -1, INT64_MAX, &soft) < 0 && strcmp(num, "unlimited") != 0)
			return add_invalid(p, "ulimit", v, "expected name=soft[:hard]");
		if (strcmp(num, "unlimited") == 0)
			soft = -1;
		hard = soft;
		if (colon && hd_parse_i64(colon + 1, -1, INT64_MAX, &hard) < 0) {
			if (strcmp(colon + 1, "unlimited") != 0)
				return add_invalid(p, "ulimit", v, "expected name=soft[:hard]");
			hard = -1;
		}
	} else {
		soft = hard = 0;
	}
	u = hd_container_add_ulimit(p->c, &p->at);
	if (!u || !(u->name = hd_strndup(v, (size_t)(eq - v))))
		return -HD_ENOMEM;
	u->soft = soft;
	u->hard = hard;
	return 0;
}

static int op_env(struct rp *p, const char *v)
{
	const char *eq = strchr(v, '=');
	struct hd_env *e;

	if (eq == v)
		return add_invalid(p, "env", v, "a variable name is required");
	e = hd_container_add_env(p->c, &p->at);
	if (!e)
		return -HD_ENOMEM;
	e->name = eq ? hd_strndup(v, (size_t)(eq - v)) : hd_strdup(v);
	if (!e->name || (eq && !(e->value = hd_strdup(eq + 1))))
		return -HD_ENOMEM;
	return 0;
}

/* The retry count of a restart policy: an integer in the setting's range. */
static int retry_count(struct rp *p, const struct hd_cset *set, const char *flag, const char *v, const char *num)
{
	const char *expect;
	char buf[96], why[128];
	int64_t n;

	if (hd_parse_i64(num, INT64_MIN, INT64_MAX, &n) < 0)
		return add_invalid(p, flag, v, "the retry count must be a number");
	if (hd_cset_check_int(set, n, buf, sizeof(buf), &expect) < 0) {
		snprintf(why, sizeof(why), "expected a retry count that is %s", expect);
		return add_invalid(p, flag, v, why);
	}
	return hd_int_setting_set(&p->c->restart_max_retries, n, &p->at);
}

static int op_restart(struct rp *p, const struct hd_cset *set, const char *v)
{
	const char *colon = strchr(v, ':');
	char name[32];
	size_t len = colon ? (size_t)(colon - v) : strlen(v);
	int r;

	if (p->value_unknown)
		return set_str(p, &p->c->restart, v);
	if (len >= sizeof(name))
		return add_invalid(p, "restart", v, "expected no, always, unless-stopped or on-failure[:N]");
	memcpy(name, v, len);
	name[len] = '\0';
	if (strcmp(name, "no") && strcmp(name, "always") && strcmp(name, "unless-stopped") &&
	    strcmp(name, "on-failure"))
		return add_invalid(p, "restart", v, "expected no, always, unless-stopped or on-failure[:N]");
	if (colon && strcmp(name, "on-failure") != 0)
		return add_invalid(p, "restart", v, "only on-failure takes a retry count");
	r = hd_str_setting_set(&p->c->restart, name, &p->at);
	if (r < 0)
		return r;
	return colon ? retry_count(p, set, "restart", v, colon + 1) : 0;
}

static int kv_add(struct rp *p, const struct hd_cset *set, const char *flag, const char *v)
{
	const char *eq = strchr(v, '='), *expect;
	char *k, why[64];
	int r;

	if (hd_cset_check_item(set, v, &expect) < 0) {
		snprintf(why, sizeof(why), "expected %s", expect);
		return add_invalid(p, flag, v, why);
	}
	k = eq ? hd_strndup(v, (size_t)(eq - v)) : hd_strdup(v);
	if (!k)
		return -HD_ENOMEM;
	r = hd_kvs_add(hd_cset_field(p->c, set), k, eq ? eq + 1 : NULL, &p->at);
	hd_free(k);
	return r;
}

static int op_duration(struct rp *p, const char *flag, const char *v, int64_t *dst)
{
	int64_t ns;

	if (p->value_unknown)
		return 0;
	if (hd_parse_duration_ns(v, &ns) < 0)
		return add_invalid(p, flag, v, "expected a duration such as 30s or 1m30s");
	*dst = ns;
	return 0;
}

static int health_touch(struct rp *p)
{
	/* The healthcheck's origin is the first --health-* flag. */
	if (p->c->healthcheck.at.line)
		return 0;
	return hd_origin_copy(&p->c->healthcheck.at, &p->at);
}

/* service --secret / --config and podman --secret: name or source=,target= CSV. */
struct secret_ctx {
	struct hd_secret_ref *s;
};

static int secret_field(void *vctx, const char *f)
{
	struct secret_ctx *x = vctx;
	const char *eq = strchr(f, '=');
	char **dst = NULL;

	if (!eq) {
		dst = &x->s->name;
		eq = f - 1;
	} else if (strncmp(f, "source=", 7) == 0 || strncmp(f, "src=", 4) == 0) {
		dst = &x->s->name;
	} else if (strncmp(f, "target=", 7) == 0) {
		dst = &x->s->target;
	}
	if (!dst)
		return 0;
	hd_free(*dst);
	return (*dst = hd_strdup(eq + 1)) ? 0 : -HD_ENOMEM;
}

static int op_secret(struct rp *p, const char *v, bool is_config)
{
	struct secret_ctx x;
	int r;

	x.s = hd_container_add_secret(p->c, &p->at);
	if (!x.s)
		return -HD_ENOMEM;
	x.s->is_config = is_config;
	r = csv_fields(v, secret_field, &x);
	if (r == -HD_ENOMEM)
		return r;
	if (!x.s->name && !(x.s->name = hd_strdup(v)))
		return -HD_ENOMEM;
	return 0;
}

static int op_network(struct rp *p, const char *v)
{
	char *name = NULL;
	const char *use = v;
	int r;

	/* Advanced syntax: --network name=backend,alias=api. */
	if (strncmp(v, "name=", 5) == 0) {
		const char *e = strchr(v + 5, ',');

		name = e ? hd_strndup(v + 5, (size_t)(e - v - 5)) : hd_strdup(v + 5);
		if (!name)
			return -HD_ENOMEM;
		use = name;
	}
	if (!p->network_seen || hd_ns_mode_of(use) == HD_NS_HOST) {
		r = set_ns(p, &p->c->network, use);
		p->network_seen = true;
	} else {
		r = 0;
	}
	if (r == 0 && hd_ns_mode_of(use) == HD_NS_NAMED)
		r = hd_items_add(&p->c->networks, use, &p->at);
	hd_free(name);
	return r;
}

static int op_secopt(struct rp *p, const struct hd_cset *set, const char *v)
{
	const char *expect;
	char *s;
	int r;

	/* podman and docker accept a seccomp profile path; keep only its key for rules. */
	s = hd_security_opt_normalise(v);
	if (!s)
		return -HD_ENOMEM;
	if (!p->value_unknown && hd_cset_check_item(set, s, &expect) < 0) {
		char why[64];

		snprintf(why, sizeof(why), "expected %s", expect);
		r = add_invalid(p, "security-opt", v, why);
		hd_free(s);
		return r;
	}
	r = hd_items_add(hd_cset_field(p->c, set), s, &p->at);
	hd_free(s);
	return r;
}

/* The healthcheck flags (kind HEALTH). */
static int op_health(struct rp *p, const char *flag, bool b, const char *v)
{
	struct hd_healthcheck *h = &p->c->healthcheck;
	int64_t ignored_ns, n;
	int r;

	if (!strcmp(flag, "no-healthcheck")) {
		if (!b)
			return 0;
		h->disabled = true;
		h->set = true;
		return hd_origin_copy(&h->at, &p->at);
	}
	if (!strcmp(flag, "health-start-interval"))
		return op_duration(p, flag, v, &ignored_ns);
	r = health_touch(p);
	if (r < 0)
		return r;
	if (!strcmp(flag, "health-cmd")) {
		h->set = true;
		return 0;
	}
	if (!strcmp(flag, "health-interval"))
		return op_duration(p, flag, v, &h->interval_ns);
	if (!strcmp(flag, "health-timeout"))
		return op_duration(p, flag, v, &h->timeout_ns);
	if (!strcmp(flag, "health-start-period"))
		return op_duration(p, flag, v, &h->start_period_ns);
	/* health-retries */
	if (p->value_unknown)
		return 0;
	if (hd_parse_i64(v, 0, INT32_MAX, &n) < 0)
		return add_invalid(p, flag, v, "expected a number");
	h->retries = n;
	return 0;
}

/* The restart flags (kind RESTART): --restart, and service create's condition and attempts. */
static int op_restart_any(struct rp *p, const struct hd_cset *set, const char *flag, const char *v)
{
	static const struct { const char *in, *out; } map[] = {
		{ "none", "no" }, { "on-failure", "on-failure" }, { "any", "always" },
	};
	size_t i;

	if (!strcmp(flag, "restart"))
		return op_restart(p, set, v);
	if (!strcmp(flag, "restart-max-attempts"))
		return p->value_unknown ? 0 : retry_count(p, set, flag, v, v);
	/* restart-condition */
	if (p->value_unknown)
		return set_str(p, &p->c->restart, v);
	for (i = 0; i < HD_ARRAY_SIZE(map); i++) {
		if (strcmp(v, map[i].in) == 0)
			return hd_str_setting_set(&p->c->restart, map[i].out, &p->at);
	}
	return add_invalid(p, flag, v, "expected none, on-failure or any");
}

static int op_mounts(struct rp *p, const char *flag, bool b, const char *v)
{
	struct hd_mount *m;

	if (!strcmp(flag, "volume"))
		return op_volume(p, v);
	if (!strcmp(flag, "mount"))
		return op_mount(p, v);
	/* --use-api-socket: the engine's socket, bound. */
	if (!b)
		return 0;
	m = hd_container_add_mount(p->c, &p->at);
	if (!m || !(m->source = hd_strdup("/var/run/docker.sock")) || !(m->target = hd_strdup("/var/run/docker.sock")))
		return -HD_ENOMEM;
	m->type = HD_MOUNT_BIND;
	return 0;
}

/*
 * Applies one flag with its value (NULL for booleans given without '='):
 * settings of a generic kind by their kind, the others by their flag.
 */
static int apply(struct rp *p, const struct flag *f, const char *v)
{
	const struct hd_cset *set = f->set;
	struct hd_container_spec *c = p->c;
	void *field = set ? hd_cset_field(c, set) : NULL;
	bool b = true;
	int r;

	if (!f->value && v) {
		if (p->value_unknown) {
			struct hd_flag_setting *fs = field;

			if (!set || set->kind != HD_CK_BOOL)
				return 0;
			r = hd_flag_setting_set(fs, false, &p->at);
			fs->unknown = true;
			return r;
		}
		if (parse_bool(v, &b) < 0)
			return add_invalid(p, f->name, v, "expected true or false");
	}
	if (!set)
		return 0;
	switch (set->kind) {
	case HD_CK_BOOL:
		return hd_flag_setting_set(field, b, &p->at);
	case HD_CK_INT:
	case HD_CK_BYTES:
	case HD_CK_CPUS:
		return set_int(p, set, f->name, v);
	case HD_CK_STR:
		return set_str(p, field, v);
	case HD_CK_NS:
		return set_ns(p, field, v);
	case HD_CK_LIST:
	case HD_CK_TMPFS:
	case HD_CK_HOSTS:
	case HD_CK_ENV_FILES:
		return hd_items_add(field, v, &p->at);
	case HD_CK_CAPS:
		return add_list(p, field, v, hd_cap_normalise);
	case HD_CK_SECOPT:
		return op_secopt(p, set, v);
	case HD_CK_KVS:
		return kv_add(p, set, f->name, v);
	case HD_CK_ULIMITS:
		return op_ulimit(p, v);
	case HD_CK_NETWORK:
		return op_network(p, v);
	case HD_CK_MOUNTS:
		return op_mounts(p, f->name, b, v);
	case HD_CK_DEVICES:
		return op_device(p, v);
	case HD_CK_PORTS:
		return op_publish(p, v, strcmp(f->name, "expose") != 0);
	case HD_CK_ENV:
		return op_env(p, v);
	case HD_CK_SECRETS:
		return op_secret(p, v, strcmp(f->name, "config") == 0);
	case HD_CK_HEALTH:
		return op_health(p, f->name, b, v);
	case HD_CK_RESTART:
		return op_restart_any(p, set, f->name, v);
	case HD_CK_COMMAND:
		p->entrypoint = v;
		return hd_origin_copy(&p->ep_at, &p->at);
	case HD_CK_IMAGE:
	case HD_CK_MAX:
		break;
	}
	HD_BUG("a run-line flag of a kind without a reader");
	return 0;
}

/* ---- the scanner ------------------------------------------------------------------------ */

static int set_at(struct rp *p, size_t i, uint32_t col_off, const char *flag)
{
	char field[64];
	int n = snprintf(field, sizeof(field), "--%s", flag);

	if (n < 0 || (size_t)n >= sizeof(field))
		field[0] = '\0';
	return hd_origin_set(&p->at, p->c->file, p->w[i].line, p->w[i].col + col_off, field);
}

static int add_unknown(struct rp *p, size_t i, const char *flag, size_t len, uint32_t col_off)
{
	char *s = hd_strndup(flag, len);
	int r;

	if (!s)
		return -HD_ENOMEM;
	r = hd_origin_set(&p->at, p->c->file, p->w[i].line, p->w[i].col + col_off, s);
	if (r == 0)
		r = hd_items_add(&p->c->unknown_options, s, &p->at);
	hd_free(s);
	return r;
}

/*
 * A variable word in option position may hold any options ("$DOCKER_OPTS",
 * "$@"); one holding the image is usually named so ("$IMAGE").  Names are
 * the evidence here; there is nothing better to go on.
 */
static bool is_opaque_options(const struct hd_run_word *x)
{
	const char *t = x->text;
	char up[128];
	size_t k = 0;

	if (!has_expansion(x) || t[0] != '$')
		return false;
	if (strcmp(t, "$@") == 0 || strcmp(t, "$*") == 0 || strcmp(t, "${@}") == 0)
		return true;
	for (; *t && k + 1 < sizeof(up); t++)
		up[k++] = (char)toupper((unsigned char)*t);
	up[k] = '\0';
	if (strstr(up, "IMAGE") || strstr(up, "IMG"))
		return false;
	return strstr(up, "OPT") || strstr(up, "ARG") || strstr(up, "FLAG") || strstr(up, "PARAM") ||
	       strstr(up, "EXTRA") || strstr(up, "[@]") || strstr(up, "[*]");
}

int hd_runline_parse(const struct hd_run_word *w, size_t n, const struct hd_run_match *m,
		     struct hd_container_spec *c)
{
	struct rp p = { 0 };
	size_t i;
	int r = 0;

	p.w = w;
	p.n = n;
	p.m = m;
	p.c = c;
	p.bit = cmd_bit(m);
	if (!c->at.line && m->tool_at < n) {
		r = hd_origin_set(&c->at, c->file, w[m->tool_at].line, w[m->tool_at].col,
				  hd_run_verb_name(m));
		if (r < 0)
			return r;
	}
	i = m->args_at;
	while (i < n) {
		const char *t = w[i].text;

		if (strcmp(t, "--") == 0) {
			i++;
			break;
		}
		if (t[0] != '-' || t[1] == '\0') {
			if (is_opaque_options(&w[i])) {
				r = hd_origin_set(&p.at, c->file, w[i].line, w[i].col, NULL);
				if (r == 0)
					r = hd_items_add(&c->opaque_args, t, &p.at);
				if (r < 0)
					goto out;
				i++;
				continue;
			}
			break;
		}
		if (t[1] == '-') {
			/* --name[=value] */
			const char *name = t + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			struct flag fl;
			const struct flag *f = find_flag(name, len, 0, p.bit, &fl) ? &fl : NULL;
			const char *v = NULL;
			size_t vi = i;

			if (!f) {
				/*
				 * An unknown flag: assume it takes no value unless it has
				 * '=' (newer docker flags are mostly booleans).  A flag name
				 * built from a variable is opaque, not unknown.
				 */
				if (memchr(name, '$', len))
					r = hd_items_add(&c->opaque_args, t, NULL);
				else
					r = add_unknown(&p, i, t, eq ? (size_t)(eq - t) : strlen(t), 0);
				if (r < 0)
					goto out;
				i++;
				continue;
			}
			if (eq) {
				v = eq + 1;
			} else if (f->value) {
				if (i + 1 >= n) {
					r = set_at(&p, i, 0, f->name);
					if (r == 0)
						r = add_invalid(&p, f->name, "", "the flag needs a value");
					if (r < 0)
						goto out;
					i++;
					continue;
				}
				vi = i + 1;
				v = w[vi].text;
			}
			r = set_at(&p, i, 0, f->name);
			if (r < 0)
				goto out;
			p.value_unknown = v && has_expansion(&w[vi]);
			r = apply(&p, f, v);
			if (r < 0)
				goto out;
			i = vi + 1;
			continue;
		}
		/* Short flags, possibly bundled: -itd, -dp 80:80, -m128m, -p=80:80, -it=false. */
		{
			const char *s = t + 1;
			size_t next = i + 1;

			while (*s) {
				struct flag fl;
				const struct flag *f = find_flag(NULL, 0, *s, p.bit, &fl) ? &fl : NULL;
				/* Point at the dash for the first letter, at the letter in a bundle. */
				uint32_t off = s == t + 1 ? 0 : (uint32_t)(s - t);
				const char *v = NULL;
				size_t vi = i;

				if (!f) {
					char one[3] = { '-', *s, '\0' };

					r = add_unknown(&p, i, one, 2, off);
					if (r < 0)
						goto out;
					s++;
					continue;
				}
				if (s[1] == '=') {
					v = s + 2;
					s += strlen(s);
				} else if (!f->value) {
					s++;
				} else if (s[1]) {
					v = s + 1;
					s += strlen(s);
				} else if (next < n) {
					vi = next++;
					v = w[vi].text;
					s++;
				} else {
					r = set_at(&p, i, off, f->name);
					if (r == 0)
						r = add_invalid(&p, f->name, "", "the flag needs a value");
					if (r < 0)
						goto out;
					s++;
					continue;
				}
				r = set_at(&p, i, off, f->name);
				if (r < 0)
					goto out;
				p.value_unknown = v && has_expansion(&w[vi]);
				r = apply(&p, f, v);
				if (r < 0)
					goto out;
			}
			i = next;
		}
	}
	/* The image, then the command. */
	if (i < n) {
		r = hd_origin_set(&p.at, c->file, w[i].line, w[i].col, "IMAGE");
		if (r == 0)
			r = hd_container_set_image(c, w[i].text, &p.at);
		if (r < 0)
			goto out;
		if (has_expansion(&w[i]))
			c->image.unknown = true;
		i++;
	}
	if (p.entrypoint) {
		r = hd_items_add(&c->command, p.entrypoint, &p.ep_at);
		if (r < 0)
			goto out;
	}
	for (; i < n; i++) {
		r = hd_origin_set(&p.at, c->file, w[i].line, w[i].col, "COMMAND");
		if (r == 0)
			r = hd_items_add(&c->command, w[i].text, &p.at);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	hd_origin_release(&p.at);
	hd_origin_release(&p.ep_at);
	return r;
}
