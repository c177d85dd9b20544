/*
 * Differential test: the authorization plugin judges a container create
 * exactly as `hardock lint` judges the same settings.
 *
 * Every `docker run`/`create` line found in the files given and every
 * service of every compose file given (the shared corpus and the script
 * cases) becomes a container spec, as lint reads it.  Each spec is written
 * back as the create body the docker CLI would send (from the settings
 * table, model/container_opts.def: every setting with a create-body path),
 * in one of five spellings dockerd reads alike: as the CLI writes it, with
 * every key in lower case, with Go's case folding (the Kelvin sign for 'k',
 * the long s for 's') and decoy values written first under other cases of
 * the same key (the last one wins), with the host settings at the top level
 * as old clients send them, and with bind mounts as HostConfig.Binds
 * strings instead of Mounts.  The plugin decides the body (at deny-at low,
 * so that nearly every rule takes part; host facts off), and the rules it
 * denies with must be exactly those lint reports at low or above.
 *
 * Rules whose input a create body cannot carry are left out of the
 * comparison: what the image says (runs-as-root and no-healthcheck read the
 * Dockerfile's USER and HEALTHCHECK), environment variables taken from the
 * caller's environment or env files (secret-in-env), and the source's own
 * syntax (unknown-flag, invalid-option-value).  Specs whose values hold
 * unresolved variables are skipped.
 *
 * usage: authz-differential [-v] FILE-OR-DIR...
 * Prints the counts and every mismatch; "N passed, N failed" last.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/finding.h"
#include "authz/authz.h"
#include "lint/lint_scripts.h"
#include "model/container.h"
#include "model/project.h"
#include "parse/compose.h"

#include <dirent.h>
#include <sys/stat.h>

static const char *const excluded[] = {
	"container/runs-as-root", "container/no-healthcheck", "container/secret-in-env",
	"container/unknown-flag", "container/invalid-option-value",
};

enum spelling { SP_CLI, SP_LOWER, SP_FOLD, SP_TOP, SP_BINDS, SP_MAX };
static const char *const spelling_name[SP_MAX] = { "cli", "lower", "fold+decoys", "top-level", "binds" };

static struct hd_authz_policy pol;
static struct hd_config cfg;
static bool verbose;
static size_t n_specs, n_skipped, n_same, n_diff, n_files;
static size_t n_denied_lint, n_compared_rules;
static size_t *rule_seen; /* per catalogue rule: compared specs where lint reports it */

/* ---- writing a body --------------------------------------------------------------------- */

/* A key in the chosen spelling (written into b). */
static void key(struct hd_buf *b, enum spelling sp, const char *k)
{
	const char *p;

	hd_buf_addch(b, '"');
	for (p = k; *p; p++) {
		char c = *p;

		if (sp == SP_LOWER)
			c = (char)tolower((unsigned char)c);
		if (sp == SP_FOLD && (c == 'k' || c == 'K')) {
			hd_buf_addstr(b, "\xe2\x84\xaa"); /* KELVIN SIGN */
			continue;
		}
		if (sp == SP_FOLD && (c == 's' || c == 'S') && p != k) {
			hd_buf_addstr(b, "\xc5\xbf"); /* LATIN SMALL LETTER LONG S */
			continue;
		}
		if (sp == SP_FOLD && p == k)
			c = (char)tolower((unsigned char)c);
		hd_buf_addch(b, c);
	}
	hd_buf_addstr(b, "\":");
}

static void str(struct hd_buf *b, const char *s)
{
	hd_buf_addch(b, '"');
	hd_buf_add_json_escaped(b, s ? s : "", s ? strlen(s) : 0);
	hd_buf_addch(b, '"');
}

/* A body being written: the top level, and HostConfig (its own buffer until the end). */
struct body {
	enum spelling sp;
	struct hd_buf top, host;
	struct hd_buf endpoints; /* NetworkingConfig.EndpointsConfig members */
	struct hd_buf exposed;   /* ExposedPorts members */
	struct hd_buf bindings;  /* HostConfig.PortBindings members */
	struct hd_buf binds;     /* HostConfig.Binds items */
	struct hd_buf mounts;    /* HostConfig.Mounts items */
};

/* Starts member `name` of the object that path `path` (of the table) lives in. */
static struct hd_buf *member(struct body *bd, const char *path, const char **name)
{
	if (!strncmp(path, "HostConfig.", 11)) {
		*name = path + 11;
		return &bd->host;
	}
	*name = path;
	return &bd->top;
}

static void sep(struct hd_buf *b)
{
	if (b->len)
		hd_buf_addch(b, ',');
}

/* First path of a column ("HostConfig.NetworkMode NetworkingConfig..." -> "HostConfig.NetworkMode"). */
static void first_path(const char *col, char *buf, size_t n)
{
	size_t k = strcspn(col, " ");

	snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), col);
}

static void items_array(struct hd_buf *b, const struct hd_items *l)
{
	size_t i;

	hd_buf_addch(b, '[');
	for (i = 0; i < l->n; i++) {
		if (i)
			hd_buf_addch(b, ',');
		str(b, l->v[i].value);
	}
	hd_buf_addch(b, ']');
}

static void kvs_object(struct hd_buf *b, const struct hd_kvs *l)
{
	size_t i;

	hd_buf_addch(b, '{');
	for (i = 0; i < l->n; i++) {
		if (i)
			hd_buf_addch(b, ',');
		str(b, l->v[i].key);
		hd_buf_addch(b, ':');
		str(b, l->v[i].value);
	}
	hd_buf_addch(b, '}');
}

static const char *mount_type_name(enum hd_mount_type t)
{
	static const char *const names[] = { "bind", "volume", "tmpfs", "npipe", "cluster", "image" };

	return names[t];
}

static void write_mount(struct body *bd, const struct hd_mount *m)
{
	struct hd_buf *b = &bd->mounts;
	enum spelling sp = bd->sp;

	/* Binds strings for plain binds in that spelling. */
	if (sp == SP_BINDS && m->type == HD_MOUNT_BIND && !m->volume && m->source && m->target &&
	    !strchr(m->source, ':') && !strchr(m->target, ':')) {
		sep(&bd->binds);
		hd_buf_addch(&bd->binds, '"');
		hd_buf_add_json_escaped(&bd->binds, m->source, strlen(m->source));
		hd_buf_addch(&bd->binds, ':');
		hd_buf_add_json_escaped(&bd->binds, m->target, strlen(m->target));
		if (m->read_only || m->propagation || m->selinux) {
			hd_buf_addf(&bd->binds, ":%s%s%s%s%s", m->read_only ? "ro" : "",
				    m->read_only && (m->propagation || m->selinux) ? "," : "",
				    m->propagation ? m->propagation : "", m->propagation && m->selinux ? "," : "",
				    m->selinux ? m->selinux : "");
		}
		hd_buf_addch(&bd->binds, '"');
		return;
	}
	sep(b);
	hd_buf_addch(b, '{');
	if (m->volume) {
		/* A local volume with bind options, as --mount volume-opt writes it. */
		key(b, sp, "Type");
		str(b, "volume");
		hd_buf_addch(b, ',');
		key(b, sp, "Source");
		str(b, m->volume);
		hd_buf_addch(b, ',');
		key(b, sp, "VolumeOptions");
		hd_buf_addch(b, '{');
		key(b, sp, "DriverConfig");
		hd_buf_addch(b, '{');
		key(b, sp, "Name");
		str(b, "local");
		hd_buf_addch(b, ',');
		key(b, sp, "Options");
		hd_buf_addstr(b, "{\"type\":\"none\",\"o\":\"bind\",\"device\":");
		str(b, m->source);
		hd_buf_addstr(b, "}}}");
	} else {
		key(b, sp, "Type");
		str(b, mount_type_name(m->type));
		if (m->source) {
			hd_buf_addch(b, ',');
			key(b, sp, "Source");
			str(b, m->source);
		}
	}
	hd_buf_addch(b, ',');
	key(b, sp, "Target");
	str(b, m->target ? m->target : "/");
	if (m->read_only) {
		hd_buf_addch(b, ',');
		key(b, sp, "ReadOnly");
		hd_buf_addstr(b, "true");
	}
	if (m->propagation && m->type == HD_MOUNT_BIND) {
		hd_buf_addch(b, ',');
		key(b, sp, "BindOptions");
		hd_buf_addch(b, '{');
		key(b, sp, "Propagation");
		str(b, m->propagation);
		hd_buf_addch(b, '}');
	}
	hd_buf_addch(b, '}');
}

static const char *proto_name(enum hd_proto p)
{
	return p == HD_PROTO_UDP ? "udp" : p == HD_PROTO_SCTP ? "sctp" : "tcp";
}

static void write_ports(struct body *bd, const struct hd_container_spec *c)
{
	size_t i;
	uint32_t k;

	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];

		for (k = p->ctr_port_lo; k <= p->ctr_port_hi && k - p->ctr_port_lo < 64; k++) {
			char pk[32];

			snprintf(pk, sizeof(pk), "%u/%s", k, proto_name(p->proto));
			sep(&bd->exposed);
			str(&bd->exposed, pk);
			hd_buf_addstr(&bd->exposed, ":{}");
			if (!p->published)
				continue;
			sep(&bd->bindings);
			str(&bd->bindings, pk);
			hd_buf_addstr(&bd->bindings, ":[{");
			key(&bd->bindings, bd->sp, "HostIp");
			str(&bd->bindings, p->host_ip ? p->host_ip : "");
			hd_buf_addch(&bd->bindings, ',');
			key(&bd->bindings, bd->sp, "HostPort");
			if (p->host_port_lo) {
				char hp[16];

				snprintf(hp, sizeof(hp), "%u", p->host_port_lo + (k - p->ctr_port_lo));
				str(&bd->bindings, hp);
			} else {
				str(&bd->bindings, "");
			}
			hd_buf_addstr(&bd->bindings, "}]");
		}
	}
}

/* One setting of the table into the body; false when the spec holds a value it cannot write. */
static bool write_setting(struct body *bd, const struct hd_container_spec *c, const struct hd_cset *s)
{
	const void *f = (const char *)c + s->off;
	char path[128];
	const char *name;
	struct hd_buf *b;
	size_t i;

	if (!s->create || !*s->create)
		return true;
	first_path(s->create, path, sizeof(path));
	b = member(bd, path, &name);
	switch (s->kind) {
	case HD_CK_BOOL: {
		const struct hd_flag_setting *v = f;

		if (!v->set)
			return true;
		if (v->unknown)
			return false;
		if (bd->sp == SP_FOLD) {
			/* A decoy first: the last of the keys that fold together wins. */
			sep(b);
			key(b, SP_CLI, name);
			hd_buf_addstr(b, v->value ? "false" : "true");
		}
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addstr(b, v->value ? "true" : "false");
		return true;
	}
	case HD_CK_INT:
	case HD_CK_BYTES:
	case HD_CK_CPUS: {
		const struct hd_int_setting *v = f;

		if (!v->set)
			return true;
		if (v->unknown)
			return false;
		if (bd->sp == SP_FOLD) {
			sep(b);
			key(b, SP_CLI, name);
			hd_buf_addstr(b, "123");
		}
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addf(b, "%" PRId64, v->value);
		return true;
	}
	case HD_CK_STR:
	case HD_CK_NS: {
		bool set = s->kind == HD_CK_STR ? ((const struct hd_str_setting *)f)->set :
						  ((const struct hd_ns_setting *)f)->set;
		bool unknown = s->kind == HD_CK_STR ? ((const struct hd_str_setting *)f)->unknown :
						      ((const struct hd_ns_setting *)f)->unknown;
		const char *v = s->kind == HD_CK_STR ? ((const struct hd_str_setting *)f)->value :
						       ((const struct hd_ns_setting *)f)->value;

		if (!set)
			return true;
		if (unknown)
			return false;
		sep(b);
		key(b, bd->sp, name);
		str(b, v);
		return true;
	}
	case HD_CK_LIST:
	case HD_CK_CAPS:
	case HD_CK_SECOPT:
	case HD_CK_HOSTS: {
		const struct hd_items *l = f;

		if (!l->n)
			return true;
		for (i = 0; i < l->n; i++) {
			if (strchr(l->v[i].value, '$'))
				return false;
		}
		sep(b);
		key(b, bd->sp, name);
		items_array(b, l);
		return true;
	}
	case HD_CK_KVS: {
		const struct hd_kvs *l = f;

		if (!l->n)
			return true;
		sep(b);
		key(b, bd->sp, name);
		kvs_object(b, l);
		return true;
	}
	case HD_CK_IMAGE:
		if (!c->image.set)
			return true;
		if (c->image.unknown || strchr(c->image.value, '$'))
			return false;
		sep(b);
		key(b, bd->sp, name);
		str(b, c->image.value);
		return true;
	case HD_CK_TMPFS:
		if (!c->tmpfs.n)
			return true;
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addch(b, '{');
		for (i = 0; i < c->tmpfs.n; i++) {
			const char *v = c->tmpfs.v[i].value, *colon = strchr(v, ':');
			size_t n = colon ? (size_t)(colon - v) : strlen(v);

			if (i)
				hd_buf_addch(b, ',');
			hd_buf_addch(b, '"');
			hd_buf_add_json_escaped(b, v, n);
			hd_buf_addstr(b, "\":");
			str(b, colon ? colon + 1 : "");
		}
		hd_buf_addch(b, '}');
		return true;
	case HD_CK_ULIMITS:
		if (!c->n_ulimits)
			return true;
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addch(b, '[');
		for (i = 0; i < c->n_ulimits; i++) {
			hd_buf_addf(b, "%s{", i ? "," : "");
			key(b, bd->sp, "Name");
			str(b, c->ulimits[i].name);
			hd_buf_addch(b, ',');
			key(b, bd->sp, "Soft");
			hd_buf_addf(b, "%" PRId64 ",", c->ulimits[i].soft);
			key(b, bd->sp, "Hard");
			hd_buf_addf(b, "%" PRId64 "}", c->ulimits[i].hard);
		}
		hd_buf_addch(b, ']');
		return true;
	case HD_CK_NETWORK:
		if (c->network.unknown)
			return false;
		if (c->network.set) {
			sep(b);
			key(b, bd->sp, name);
			str(b, c->network.value);
		}
		for (i = 0; i < c->networks.n; i++) {
			sep(&bd->endpoints);
			str(&bd->endpoints, c->networks.v[i].value);
			hd_buf_addstr(&bd->endpoints, ":{}");
		}
		return true;
	case HD_CK_MOUNTS:
		for (i = 0; i < c->n_mounts; i++) {
			/* Variables, a home directory, or an empty target the CLI would refuse. */
			if ((c->mounts[i].source && strchr(c->mounts[i].source, '$')) ||
			    (c->mounts[i].source && c->mounts[i].source[0] == '~') || !c->mounts[i].target ||
			    !*c->mounts[i].target)
				return false;
			write_mount(bd, &c->mounts[i]);
		}
		return true;
	case HD_CK_DEVICES:
		if (!c->n_devices)
			return true;
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addch(b, '[');
		for (i = 0; i < c->n_devices; i++) {
			const struct hd_device *d = &c->devices[i];

			hd_buf_addf(b, "%s{", i ? "," : "");
			key(b, bd->sp, "PathOnHost");
			str(b, d->host_path);
			hd_buf_addch(b, ',');
			key(b, bd->sp, "PathInContainer");
			str(b, d->container_path ? d->container_path : d->host_path);
			hd_buf_addch(b, ',');
			key(b, bd->sp, "CgroupPermissions");
			str(b, d->perms ? d->perms : "rwm");
			hd_buf_addch(b, '}');
		}
		hd_buf_addch(b, ']');
		return true;
	case HD_CK_PORTS:
		for (i = 0; i < c->n_ports; i++) {
			if (c->ports[i].unknown)
				return false;
		}
		write_ports(bd, c);
		return true;
	case HD_CK_ENV: {
		bool any = false;

		for (i = 0; i < c->n_env; i++) {
			const struct hd_env *e = &c->env[i];

			/* Taken from the caller's environment or a file: the CLI sends values we do not know. */
			if (!e->value || e->from_file)
				continue;
			if (!any) {
				sep(b);
				key(b, bd->sp, name);
				hd_buf_addch(b, '[');
			}
			hd_buf_addf(b, "%s\"", any ? "," : "");
			hd_buf_add_json_escaped(b, e->name, strlen(e->name));
			hd_buf_addch(b, '=');
			hd_buf_add_json_escaped(b, e->value, strlen(e->value));
			hd_buf_addch(b, '"');
			any = true;
		}
		if (any)
			hd_buf_addch(b, ']');
		return true;
	}
	case HD_CK_HEALTH: {
		const struct hd_healthcheck *h = &c->healthcheck;

		if (!h->set)
			return true;
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addch(b, '{');
		key(b, bd->sp, "Test");
		hd_buf_addstr(b, h->disabled ? "[\"NONE\"]" : "[\"CMD-SHELL\",\"true\"]");
		if (!h->disabled) {
			hd_buf_addch(b, ',');
			key(b, bd->sp, "Interval");
			hd_buf_addf(b, "%" PRId64 ",", h->interval_ns);
			key(b, bd->sp, "Timeout");
			hd_buf_addf(b, "%" PRId64 ",", h->timeout_ns);
			key(b, bd->sp, "Retries");
			hd_buf_addf(b, "%" PRId64, h->retries);
		}
		hd_buf_addch(b, '}');
		return true;
	}
	case HD_CK_RESTART:
		if (!c->restart.set)
			return true;
		if (c->restart.unknown)
			return false;
		sep(b);
		key(b, bd->sp, name);
		hd_buf_addch(b, '{');
		key(b, bd->sp, "Name");
		str(b, c->restart.value);
		if (c->restart_max_retries.set) {
			hd_buf_addch(b, ',');
			key(b, bd->sp, "MaximumRetryCount");
			hd_buf_addf(b, "%" PRId64, c->restart_max_retries.value);
		}
		hd_buf_addch(b, '}');
		return true;
	case HD_CK_COMMAND:
		if (!c->command.n)
			return true;
		sep(&bd->top);
		key(&bd->top, bd->sp, "Cmd");
		items_array(&bd->top, &c->command);
		return true;
	case HD_CK_ENV_FILES:
	case HD_CK_SECRETS:
	case HD_CK_MAX:
		return true;
	}
	return true;
}

/* The create body of c in spelling sp into out; false when c cannot be written. */
static bool write_body(const struct hd_container_spec *c, enum spelling sp, struct hd_buf *out)
{
	struct body bd = { .sp = sp };
	bool ok = true;
	size_t i;

	hd_buf_init(&bd.top, 1u << 24);
	hd_buf_init(&bd.host, 1u << 24);
	hd_buf_init(&bd.endpoints, 1u << 24);
	hd_buf_init(&bd.exposed, 1u << 24);
	hd_buf_init(&bd.bindings, 1u << 24);
	hd_buf_init(&bd.binds, 1u << 24);
	hd_buf_init(&bd.mounts, 1u << 24);
	for (i = 0; ok && i < HD_CS_MAX; i++)
		ok = write_setting(&bd, c, &hd_csets[i]);
	if (bd.binds.len) {
		sep(&bd.host);
		key(&bd.host, sp, "Binds");
		hd_buf_addf(&bd.host, "[%s]", bd.binds.buf);
	}
	if (bd.mounts.len) {
		sep(&bd.host);
		key(&bd.host, sp, "Mounts");
		hd_buf_addf(&bd.host, "[%s]", bd.mounts.buf);
	}
	if (bd.bindings.len) {
		sep(&bd.host);
		key(&bd.host, sp, "PortBindings");
		hd_buf_addf(&bd.host, "{%s}", bd.bindings.buf);
	}
	if (bd.exposed.len) {
		sep(&bd.top);
		key(&bd.top, sp, "ExposedPorts");
		hd_buf_addf(&bd.top, "{%s}", bd.exposed.buf);
	}
	if (bd.endpoints.len) {
		sep(&bd.top);
		key(&bd.top, sp, "NetworkingConfig");
		hd_buf_addch(&bd.top, '{');
		key(&bd.top, sp, "EndpointsConfig");
		hd_buf_addf(&bd.top, "{%s}}", bd.endpoints.buf);
	}
	hd_buf_addch(out, '{');
	hd_buf_addstr(out, bd.top.buf);
	if (bd.host.len) {
		if (sp == SP_TOP) {
			/* Old clients: the host settings at the top level, no HostConfig. */
			hd_buf_addf(out, "%s%s", bd.top.len ? "," : "", bd.host.buf);
		} else {
			hd_buf_addstr(out, bd.top.len ? "," : "");
			key(out, sp, "HostConfig");
			hd_buf_addf(out, "{%s}", bd.host.buf);
		}
	}
	hd_buf_addch(out, '}');
	hd_buf_release(&bd.top);
	hd_buf_release(&bd.host);
	hd_buf_release(&bd.endpoints);
	hd_buf_release(&bd.exposed);
	hd_buf_release(&bd.bindings);
	hd_buf_release(&bd.binds);
	hd_buf_release(&bd.mounts);
	return ok;
}

/* ---- comparing ---------------------------------------------------------------------------- */

static bool is_excluded(const char *id)
{
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(excluded); i++) {
		if (!strcmp(excluded[i], id))
			return true;
	}
	return false;
}

/* "a,b,c" of the rule ids of findings at or above low, sorted, excluded ones left out. */
static void lint_ids(const struct hd_container_spec *c, struct hd_buf *out)
{
	struct hd_model m = { .kind = HD_TARGET_CONTAINER, .cfg = &cfg, .ctr = c };
	struct hd_findings f;
	size_t i;

	hd_findings_init(&f);
	if (hd_run_rules(&m, &f) < 0)
		abort();
	hd_findings_sort(&f);
	for (i = 0; i < hd_rule_count; i++) {
		size_t k;

		for (k = 0; k < f.n; k++) {
			if (f.v[k].rule == hd_rules[i] && f.v[k].severity >= HD_SEV_LOW &&
			    !is_excluded(f.v[k].rule->id)) {
				hd_buf_addf(out, "%s%s", out->len ? "," : "", f.v[k].rule->id);
				break;
			}
		}
	}
	hd_findings_release(&f);
}

static void authz_ids(const char *body, struct hd_buf *out, bool *read_error, char **msg)
{
	struct hd_buf b64 = HD_BUF_INIT(1u << 26), req = HD_BUF_INIT(1u << 26);
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct hd_authz_decision d;
	size_t n = strlen(body), i;
	const char *p;

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)body[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)(unsigned char)body[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)body[i + 2];
		hd_buf_addch(&b64, tab[(v >> 18) & 63]);
		hd_buf_addch(&b64, tab[(v >> 12) & 63]);
		hd_buf_addch(&b64, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		hd_buf_addch(&b64, i + 2 < n ? tab[v & 63] : '=');
	}
	hd_buf_addf(&req, "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\","
		    "\"RequestHeaders\":{\"Content-Type\":\"application/json\"},\"RequestBody\":\"%s\"}", b64.buf);
	if (hd_authz_decide(&pol, req.buf, req.len, &d) < 0)
		abort();
	*read_error = !d.allow && !*d.rule_ids;
	*msg = *read_error ? hd_strdup(d.msg) : NULL;
	/* The decision's ids minus the excluded ones, in catalogue order. */
	for (i = 0; i < hd_rule_count; i++) {
		for (p = d.rule_ids; *p;) {
			size_t k = strcspn(p, ",");

			if (strlen(hd_rules[i]->id) == k && !strncmp(p, hd_rules[i]->id, k) &&
			    !is_excluded(hd_rules[i]->id))
				hd_buf_addf(out, "%s%s", out->len ? "," : "", hd_rules[i]->id);
			p += k;
			if (*p == ',')
				p++;
		}
	}
	hd_authz_decision_release(&d);
	hd_buf_release(&b64);
	hd_buf_release(&req);
}

static int check_spec(struct hd_container_spec *c, void *ctx)
{
	const char *where = ctx;
	struct hd_buf body = HD_BUF_INIT(1u << 24), l = HD_BUF_INIT(1u << 16), a = HD_BUF_INIT(1u << 16);
	enum spelling sp = (enum spelling)(n_specs % SP_MAX);
	bool read_error = false;
	char *msg = NULL;

	n_specs++;
	if (c->opaque_args.n || c->invalid_options.n || c->unknown_options.n || !write_body(c, sp, &body)) {
		n_skipped++;
		goto out;
	}
	lint_ids(c, &l);
	authz_ids(body.buf, &a, &read_error, &msg);
	{
		size_t i;

		for (i = 0; i < hd_rule_count; i++) {
			const char *id = hd_rules[i]->id, *hit = strstr(l.buf, id);

			if (hit && (hit[strlen(id)] == ',' || !hit[strlen(id)]))
				rule_seen[i]++;
		}
	}
	if (l.len)
		n_denied_lint++;
	n_compared_rules += l.len ? 1 : 0;
	if (!read_error && !strcmp(l.buf, a.buf)) {
		n_same++;
		if (verbose)
			printf("same %s '%s' (%s): [%s]\n", where, c->name, spelling_name[sp], l.buf);
	} else {
		n_diff++;
		printf("DIFF %s '%s' (%s):\n  lint:  [%s]\n  authz: [%s]%s%s\n  body: %.600s\n", where, c->name,
		       spelling_name[sp], l.buf, a.buf, read_error ? " " : "", read_error ? msg : "", body.buf);
	}
out:
	hd_free(msg);
	hd_buf_release(&body);
	hd_buf_release(&l);
	hd_buf_release(&a);
	return 0;
}

/* ---- the corpus ------------------------------------------------------------------------------ */

static bool is_compose(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return hd_compose_is_compose_name(base) ||
	       ((strstr(base, ".yml") || strstr(base, ".yaml")) && (strstr(base, "compose")));
}

static void one_file(const char *path)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);

	if (hd_buf_read_file(&b, path) < 0) {
		hd_buf_release(&b);
		return;
	}
	n_files++;
	if (is_compose(path)) {
		static const char *const env[] = { NULL };
		struct hd_compose_file f = { path, b.buf, b.len };
		struct hd_compose_opts o = { .env = env, .no_override = true };
		struct hd_compose_issues issues;
		struct hd_project *p = NULL;
		size_t i;

		hd_compose_issues_init(&issues);
		if (hd_compose_load(&f, 1, &o, &p, &issues) == 0 && p) {
			for (i = 0; i < p->n_services; i++)
				check_spec(p->services[i], (void *)path);
		}
		hd_project_free(p);
		hd_compose_issues_release(&issues);
	} else {
		hd_lint_script_specs(path, b.buf, b.len, check_spec, (void *)path);
	}
	hd_buf_release(&b);
}

static void walk(const char *path)
{
	struct stat st;
	struct dirent **ents;
	int n, i;

	if (stat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		one_file(path);
		return;
	}
	n = scandir(path, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char *sub = hd_asprintf("%s/%s", path, ents[i]->d_name);

			if (sub)
				walk(sub);
			hd_free(sub);
		}
		free(ents[i]); /* scandir's own allocation */
	}
	if (n >= 0)
		free(ents);
}

int main(int argc, char **argv)
{
	int i;

	hd_config_init(&cfg);
	hd_config_prepare(&cfg);
	hd_authz_policy_init(&pol);
	pol.deny_at = HD_SEV_LOW;
	pol.no_host_facts = true;
	if (hd_authz_policy_prepare(&pol) < 0)
		return 2;
	rule_seen = hd_calloc(hd_rule_count, sizeof(*rule_seen));
	if (!rule_seen)
		return 2;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else
			walk(argv[i]);
	}
	printf("%zu files, %zu container specs: %zu skipped (variables, unknown or invalid options), "
	       "%zu compared (%zu with findings), %zu the same, %zu different\n",
	       n_files, n_specs, n_skipped, n_same + n_diff, n_denied_lint, n_same, n_diff);
	printf("rules compared (specs where lint reports them):");
	for (i = 0; (size_t)i < hd_rule_count; i++) {
		if (rule_seen[i])
			printf(" %s=%zu", hd_rules[i]->id, rule_seen[i]);
	}
	printf("\n");
	hd_free(rule_seen);
	/* A corpus that yields next to nothing would make this test vacuous. */
	if (n_same + n_diff < 200 || n_denied_lint < 100) {
		printf("too few specs compared\n");
		n_diff++;
	}
	printf("%d passed, %d failed\n", n_diff ? 0 : 1, n_diff ? 1 : 0);
	hd_authz_policy_release(&pol);
	hd_config_release(&cfg);
	return n_diff ? 1 : 0;
}
