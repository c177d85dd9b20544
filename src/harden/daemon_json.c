/*
 * `hardock harden daemon-json`: the user's daemon.json with hardock's
 * recommendations merged in.  Every key the user has is kept (insecure values
 * are changed and said so); each addition comes with what it protects and
 * what it may break.  Options the command line already sets are left out of
 * the file, since dockerd refuses an option given in both places.
 */
#include "core/common.h"
#include "core/buf.h"
#include "harden/harden.h"

#include <jansson.h>

#include "parse/daemon_json.h"

void hd_harden_json_release(struct hd_harden_json *h)
{
	size_t i;

	if (!h)
		return;
	hd_free(h->text);
	for (i = 0; i < h->n_changes; i++) {
		hd_free(h->changes[i].key);
		hd_free(h->changes[i].action);
		hd_free(h->changes[i].why);
		hd_free(h->changes[i].breaks);
	}
	hd_free(h->changes);
	memset(h, 0, sizeof(*h));
}

static int change(struct hd_harden_json *h, const char *key, const char *breaks, const char *why,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int change(struct hd_harden_json *h, const char *key, const char *breaks, const char *why,
		  const char *fmt, ...)
{
	struct hd_harden_change *c;
	char action[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(action, sizeof(action), fmt, ap);
	va_end(ap);
	if (HD_GROW(h->changes, h->alloc_changes, h->n_changes + 1) < 0)
		return -HD_ENOMEM;
	c = &h->changes[h->n_changes];
	c->key = hd_strdup(key);
	c->action = hd_strdup(action);
	c->why = why ? hd_strdup(why) : NULL;
	c->breaks = breaks ? hd_strdup(breaks) : NULL;
	if (!c->key || !c->action || (why && !c->why) || (breaks && !c->breaks)) {
		hd_free(c->key);
		hd_free(c->action);
		hd_free(c->why);
		hd_free(c->breaks);
		return -HD_ENOMEM;
	}
	h->n_changes++;
	return 0;
}

/* True, and a change noted, when option o is on the command line (it cannot go in the file). */
static int on_command_line(struct hd_harden_json *h, const struct hd_daemon_spec *d, enum hd_dopt o,
			   const char *want, bool *yes)
{
	const struct hd_dsetting *s = d ? hd_daemon_opt(d, o) : NULL;

	*yes = s && s->set && s->src == HD_DSRC_ARGS;
	if (!*yes)
		return 0;
	return change(h, hd_dopt_table[o].json, NULL, NULL,
		      "not added: '%s' is on dockerd's command line (%s:%" PRIu32 "); set %s there, "
		      "since dockerd refuses an option given both on the command line and in "
		      "daemon.json", s->at.field ? s->at.field : "", s->at.file ? s->at.file : "?",
		      s->at.line, want);
}

struct rec {
	enum hd_dopt opt;
	const char *json_value; /* the recommended value as JSON text */
	bool (*bad)(json_t *current); /* the user's value needs changing; NULL: keep any */
	const char *why;
	const char *breaks;
};

static bool not_false(json_t *v) { return !json_is_false(v); }
static bool not_true(json_t *v) { return !json_is_true(v); }
static bool empty_string(json_t *v) { return !json_is_string(v) || !json_string_value(v)[0]; }

static const struct rec recs[] = {
	{ HD_DOPT_ICC, "false", not_false,
	  "containers on the default bridge can no longer reach each other's ports (CIS 2.2)",
	  "containers that talk over docker0 or legacy --link: put them on a user-defined network" },
	{ HD_DOPT_USERNS_REMAP, "\"default\"", empty_string,
	  "root in a container maps to an unprivileged host uid range (dockremap) (CIS 2.9)",
	  "existing images, containers and volumes are not visible (a new data-root subdirectory "
	  "is used); bind mounts need matching ownership; --privileged, --pid=host and "
	  "--network=host need --userns=host" },
	{ HD_DOPT_NO_NEW_PRIVILEGES, "true", not_true,
	  "setuid binaries in containers cannot raise privileges (CIS 2.14)",
	  "images relying on sudo, su or setuid helpers; run them with --security-opt "
	  "no-new-privileges=false" },
	{ HD_DOPT_LIVE_RESTORE, "true", not_true,
	  "containers keep running while dockerd restarts, so daemon updates need no downtime "
	  "(CIS 2.15)",
	  "swarm mode: `docker swarm init` refuses to run with live-restore" },
	{ HD_DOPT_USERLAND_PROXY, "false", not_false,
	  "no docker-proxy process per published port; containers see real client addresses "
	  "(CIS 2.16)",
	  "reaching published ports from the host itself on kernels without hairpin NAT" },
	{ HD_DOPT_DEFAULT_ULIMITS, "{\"nofile\": {\"Name\": \"nofile\", \"Soft\": 65536, \"Hard\": 65536}}",
	  NULL, "containers get a deliberate open-files limit instead of dockerd's own (CIS 2.8)",
	  "containers needing more than 65536 open files: give them --ulimit nofile=N:N" },
};

static int apply_rec(struct hd_harden_json *h, json_t *root, const struct hd_daemon_spec *d,
		     const struct rec *rc)
{
	const char *key = hd_dopt_table[rc->opt].json;
	json_t *cur = json_object_get(root, key), *want;
	char *cur_text;
	bool cl;
	int r;

	r = on_command_line(h, d, rc->opt, rc->json_value, &cl);
	if (r < 0 || cl)
		return r;
	if (cur && (!rc->bad || !rc->bad(cur)))
		return change(h, key, NULL, NULL, "kept as you set it");
	want = json_loads(rc->json_value, JSON_DECODE_ANY, NULL);
	if (!want)
		return -HD_ENOMEM;
	cur_text = cur ? json_dumps(cur, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (json_object_set_new(root, key, want) < 0) {
		hd_free(cur_text);
		return -HD_ENOMEM;
	}
	if (cur_text)
		r = change(h, key, rc->breaks, rc->why, "changed from %s to %s", cur_text, rc->json_value);
	else
		r = change(h, key, rc->breaks, rc->why, "added: %s", rc->json_value);
	hd_free(cur_text);
	return r;
}

/* log-opts every driver accepts; the rest belong to one driver. */
static bool generic_log_opt(const char *k)
{
	static const char *const keys[] = { "mode", "max-buffer-size", "tag", "labels",
					     "labels-regex", "env", "env-regex" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(keys); i++) {
		if (!strcmp(k, keys[i]))
			return true;
	}
	return false;
}

static int harden_logging(struct hd_harden_json *h, json_t *root, const struct hd_daemon_spec *d,
			  bool has_journald)
{
	const char *drv = has_journald ? "journald" : "syslog";
	json_t *cur = json_object_get(root, "log-driver"), *opts = json_object_get(root, "log-opts");
	const char *cv = json_string_value(cur);
	struct hd_buf dropped = HD_BUF_INIT(4096);
	char why[256], breaks[1024], old[64];
	bool cl;
	int r;

	r = on_command_line(h, d, HD_DOPT_LOG_DRIVER, drv, &cl);
	if (r < 0 || cl)
		return r;
	if (cv && strcmp(cv, "json-file") && strcmp(cv, "local") && strcmp(cv, "none"))
		return change(h, "log-driver", NULL, NULL, "kept as you set it (\"%s\")", cv);
	/* The new driver refuses json-file's options: they go, and are named. */
	if (json_is_object(opts)) {
		const char *k;
		json_t *v;
		void *tmp;

		json_object_foreach_safe(opts, tmp, k, v) {
			if (generic_log_opt(k))
				continue;
			r = hd_buf_addf(&dropped, "%s\"%s\"", dropped.len ? ", " : "", k);
			if (r < 0)
				return r;
			json_object_del(opts, k);
		}
		if (!json_object_size(opts))
			json_object_del(root, "log-opts");
	}
	/* cv points into the old value, which the next call frees. */
	if (cv) {
		snprintf(old, sizeof(old), "%s", cv);
		cv = old;
	}
	r = json_object_set_new(root, "log-driver", json_string(drv)) < 0 ? -HD_ENOMEM : 0;
	if (r < 0) {
		hd_buf_release(&dropped);
		return r;
	}
	snprintf(why, sizeof(why), "container logs go to the host's %s, from where they can be "
		 "forwarded to a remote collector (CIS 2.13)", drv);
	snprintf(breaks, sizeof(breaks), "logs no longer rotate by json-file options; `docker logs` "
		 "still works (dual logging, Docker 20.10+)%s%s%s",
		 dropped.len ? "; removed log-opts " : "", dropped.buf,
		 dropped.len ? " that only json-file accepts" : "");
	r = cv ? change(h, "log-driver", breaks, why, "changed from \"%s\" to \"%s\"", cv, drv)
	       : change(h, "log-driver", breaks, why, "added: \"%s\"", drv);
	hd_buf_release(&dropped);
	return r;
}

/* Values that are insecure whatever the site: changed or removed. */
static int fix_insecure(struct hd_harden_json *h, json_t *root)
{
	json_t *v;
	int r = 0;

	v = json_object_get(root, "log-level");
	if (json_is_string(v) && strcmp(json_string_value(v), "info") != 0) {
		char *old = hd_strdup(json_string_value(v));

		if (!old || json_object_set_new(root, "log-level", json_string("info")) < 0) {
			hd_free(old);
			return -HD_ENOMEM;
		}
		r = change(h, "log-level", "less detail in dockerd's log", "'info' keeps the audit trail "
			   "without debug's secrets and volume (CIS 2.3)", "changed from \"%s\" to \"info\"",
			   old);
		hd_free(old);
		if (r < 0)
			return r;
	}
	if (json_is_true(json_object_get(root, "debug"))) {
		if (json_object_set_new(root, "debug", json_false()) < 0)
			return -HD_ENOMEM;
		r = change(h, "debug", "less detail in dockerd's log", "debug logging records request "
			   "details (CIS 2.3)", "changed from true to false");
		if (r < 0)
			return r;
	}
	if (json_is_false(json_object_get(root, "iptables"))) {
		if (json_object_set_new(root, "iptables", json_true()) < 0)
			return -HD_ENOMEM;
		r = change(h, "iptables", "a firewall maintained by hand for containers: dockerd now "
			   "manages its chains", "dockerd keeps network isolation and published ports "
			   "consistent (CIS 2.4)", "changed from false to true");
		if (r < 0)
			return r;
	}
	if (json_is_true(json_object_get(root, "experimental"))) {
		if (json_object_set_new(root, "experimental", json_false()) < 0)
			return -HD_ENOMEM;
		r = change(h, "experimental", "features that only exist in experimental mode",
			   "experimental features are unsupported (CIS 2.18)", "changed from true to false");
		if (r < 0)
			return r;
	}
	v = json_object_get(root, "seccomp-profile");
	if (json_is_string(v) && !strcmp(json_string_value(v), "unconfined")) {
		json_object_del(root, "seccomp-profile");
		r = change(h, "seccomp-profile", "containers making system calls the default profile "
			   "blocks: give them their own profile with --security-opt seccomp=FILE",
			   "\"unconfined\" disabled seccomp for every container (CIS 2.17)",
			   "removed (\"unconfined\"): Docker's default profile applies");
		if (r < 0)
			return r;
	}
	v = json_object_get(root, "insecure-registries");
	if (json_is_array(v)) {
		struct hd_buf gone = HD_BUF_INIT(4096);
		size_t i = 0;

		while (i < json_array_size(v)) {
			const char *s = json_string_value(json_array_get(v, i));

			if (s && strcmp(s, "127.0.0.0/8") == 0) {
				i++;
				continue;
			}
			r = hd_buf_addf(&gone, "%s\"%s\"", gone.len ? ", " : "", s ? s : "?");
			json_array_remove(v, i);
			if (r < 0)
				break;
		}
		if (r >= 0 && !json_array_size(v))
			json_object_del(root, "insecure-registries");
		if (r >= 0 && gone.len)
			r = change(h, "insecure-registries", "pulls from those registries until they have "
				   "certificates the host trusts (/etc/docker/certs.d/<registry>/ca.crt)",
				   "images are no longer pulled without TLS verification (CIS 2.5)",
				   "removed %s", gone.buf);
		hd_buf_release(&gone);
	}
	return r;
}

/* What hardock cannot decide for the site: said, not done. */
static int explain_left(struct hd_harden_json *h, json_t *root, const struct hd_daemon_spec *d)
{
	int r = 0;

	if (d && hd_daemon_listens_tcp(d) && !hd_daemon_bool(d, HD_DOPT_TLSVERIFY, false))
		r = change(h, "tlsverify", NULL, NULL,
			   "not added: dockerd listens on TCP without client verification; create "
			   "certificates with `hardock tls init --host NAME` and add the daemon.json "
			   "lines it prints (CIS 2.7)");
	if (r >= 0 && !json_object_get(root, "authorization-plugins") &&
	    !(d && hd_daemon_opt(d, HD_DOPT_AUTHZ_PLUGINS)->set))
		r = change(h, "authorization-plugins", NULL, NULL,
			   "not added: it needs an installed plugin and a policy; a plugin that is "
			   "not installed makes every request fail (CIS 2.12)");
	if (r >= 0 && json_is_string(json_object_get(root, "storage-driver")) &&
	    !strcmp(json_string_value(json_object_get(root, "storage-driver")), "aufs"))
		r = change(h, "storage-driver", NULL, NULL,
			   "kept (\"aufs\"): moving to overlay2 hides every image and container; "
			   "export what you need, then set \"overlay2\" (CIS 2.6)");
	return r;
}

int hd_harden_daemon_json(const char *in, size_t len, const struct hd_daemon_spec *d,
			  bool has_journald, struct hd_harden_json *out, char **errmsg)
{
	json_error_t err;
	json_t *root = NULL;
	size_t i;
	int r = 0;
	char *text;

	memset(out, 0, sizeof(*out));
	*errmsg = NULL;
	for (i = 0; i < len && strchr(" \t\r\n", in[i]); i++)
		;
	if (i == len) {
		root = json_object();
	} else {
		root = json_loadb(in, len, JSON_DECODE_ANY, &err);
		if (!root) {
			*errmsg = hd_asprintf("%d:%d: %s", err.line, err.column, err.text);
			return -HD_EPARSE;
		}
		if (!json_is_object(root)) {
			json_decref(root);
			*errmsg = hd_strdup("daemon.json must hold one JSON object");
			return -HD_EPARSE;
		}
	}
	if (!root)
		return -HD_ENOMEM;
	for (i = 0; r >= 0 && i < HD_ARRAY_SIZE(recs); i++) {
		if (recs[i].opt == HD_DOPT_LIVE_RESTORE && d && d->swarm_active) {
			r = change(out, "live-restore", NULL, NULL,
				   "not added: this node is in a swarm (%s) and `docker swarm` refuses "
				   "live-restore", d->swarm_evidence ? d->swarm_evidence : "swarm state");
			continue;
		}
		r = apply_rec(out, root, d, &recs[i]);
	}
	if (r >= 0)
		r = harden_logging(out, root, d, has_journald);
	if (r >= 0)
		r = fix_insecure(out, root);
	if (r >= 0)
		r = explain_left(out, root, d);
	if (r >= 0) {
		text = json_dumps(root, JSON_INDENT(2));
		out->text = text ? hd_asprintf("%s\n", text) : NULL;
		free(text);
		if (!out->text)
			r = -HD_ENOMEM;
	}
	json_decref(root);
	if (r < 0)
		hd_harden_json_release(out);
	return r;
}

int hd_harden_validate(const char *path, const char *text, const struct hd_daemon_spec *d,
		       struct hd_strlist *problems)
{
	struct hd_daemon_spec e;
	size_t i;
	int r = 0;

	hd_daemon_spec_init(&e);
	/* The command line's options, so that duplicates in the file are found. */
	for (i = 0; d && i < HD_DOPT_MAX; i++) {
		if (d->opt[i].set && d->opt[i].src == HD_DSRC_ARGS) {
			e.opt[i].set = true;
			e.opt[i].src = HD_DSRC_ARGS;
			r = hd_dorigin_copy(&e.opt[i].at, &d->opt[i].at);
			if (r < 0)
				goto out;
		}
	}
	r = hd_daemon_json_read(&e, path, text, strlen(text));
	for (i = 0; r >= 0 && i < e.n_problems; i++) {
		char *m = hd_asprintf("%s:%" PRIu32 ":%" PRIu32 ": %s", path, e.problems[i].at.line,
				      e.problems[i].at.col, e.problems[i].message);

		r = m ? hd_strlist_add(problems, m) : -HD_ENOMEM;
		hd_free(m);
	}
out:
	hd_daemon_spec_release(&e);
	return r;
}
