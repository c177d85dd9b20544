/*
 * `hardock harden daemon-json`: the user's daemon.json with hardock's
 * recommendations merged in.  What to recommend comes from the daemon rules
 * themselves (struct hd_fix in the catalogue: option, value, when, what it
 * protects and may break); this file only applies it.  Every key the user
 * has is kept: insecure values are changed and said so, a key written as the
 * flag's name ("default-ulimit", which dockerd ignores) is moved to its
 * daemon.json name, and what hardock cannot decide for the site (insecure
 * registries, TLS, an authorization plugin, aufs) is kept and explained.
 * Options the command line already sets are left out of the file, since
 * dockerd refuses an option given in both places.  A rule that does not
 * apply to this daemon (live-restore in a swarm) adds nothing, with its
 * reason.
 */
#include "core/common.h"
#include "core/buf.h"
#include "harden/harden.h"

#include <jansson.h>

#include "core/finding.h"
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
	const struct hd_dsetting *s = d && o < HD_DOPT_MAX ? hd_daemon_opt(d, o) : NULL;

	*yes = s && s->set && s->src == HD_DSRC_ARGS;
	if (!*yes)
		return 0;
	return change(h, hd_dopt_table[o].json, NULL, NULL,
		      "not added: '%s' is on dockerd's command line (%s:%" PRIu32 "); set %s there, "
		      "since dockerd refuses an option given both on the command line and in "
		      "daemon.json", s->at.field ? s->at.field : "", s->at.file ? s->at.file : "?",
		      s->at.line, want);
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
			  bool has_journald, const struct hd_fix *fx, const char *why)
{
	const char *drv = has_journald ? "journald" : "syslog";
	json_t *cur = json_object_get(root, "log-driver"), *opts = json_object_get(root, "log-opts");
	const char *cv = json_string_value(cur);
	struct hd_buf dropped = HD_BUF_INIT(4096);
	char breaks[1024], old[64];
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
	snprintf(breaks, sizeof(breaks), "%s%s%s%s", fx->breaks ? fx->breaks : "",
		 dropped.len ? "; removed log-opts " : "", dropped.buf,
		 dropped.len ? " that only json-file accepts" : "");
	r = cv ? change(h, "log-driver", breaks, why, "changed from \"%s\" to \"%s\"", cv, drv)
	       : change(h, "log-driver", breaks, why, "added: \"%s\"", drv);
	hd_buf_release(&dropped);
	return r;
}

/* Why the change: the fix's text and the rule's CIS id. */
static void why_text(const struct hd_rule *rule, const struct hd_fix *fx, char *buf, size_t size)
{
	if (rule->cis)
		snprintf(buf, size, "%s (CIS %s)", fx->protects, rule->cis);
	else
		snprintf(buf, size, "%s", fx->protects);
}

/* What judge() found, beside HD_RULE_NOT_APPLICABLE. */
enum { JUDGE_CLEAN = 0, JUDGE_FIRES = HD_RULE_NOT_APPLICABLE + 1 };

/*
 * Runs rule on d.  Returns JUDGE_FIRES when it reported findings,
 * JUDGE_CLEAN when none, HD_RULE_NOT_APPLICABLE (the reason in note), or
 * -HD_ENOMEM.
 */
static int judge(const struct hd_rule *rule, const struct hd_daemon_spec *d, char *note, size_t size)
{
	struct hd_model m = { .kind = HD_TARGET_DAEMON, .daemon = d };
	struct hd_config cfg;
	struct hd_findings f;
	struct hd_check ck;
	int r;

	hd_config_init(&cfg);
	m.cfg = &cfg;
	hd_findings_init(&f);
	hd_check_init(&ck, rule, &cfg, &f);
	r = rule->check(&m, rule, &ck);
	if (r == HD_RULE_NOT_APPLICABLE)
		snprintf(note, size, "%s", ck.note[0] ? ck.note : "it does not apply here");
	else if (r >= 0)
		r = ck.reported ? JUDGE_FIRES : JUDGE_CLEAN;
	hd_findings_release(&f);
	hd_config_release(&cfg);
	return r;
}

/* The value the user has that the fix's mode counts as set. */
static json_t *user_value(json_t *root, const struct hd_fix *fx)
{
	json_t *cur = json_object_get(root, fx->option);

	if (fx->mode == HD_FIX_ADD && (json_is_null(cur) ||
				       (json_is_string(cur) && !json_string_value(cur)[0])))
		return NULL;
	return cur;
}

static int apply_fix(struct hd_harden_json *h, json_t *root, const struct hd_daemon_spec *d,
		     const struct hd_rule *rule, const struct hd_fix *fx)
{
	json_t *cur = user_value(root, fx), *want;
	char *cur_text;
	char why[512];
	bool cl, same;
	int r, o;

	want = json_loads(fx->value, JSON_DECODE_ANY, NULL);
	if (!want)
		return -HD_ENOMEM;
	same = cur && json_equal(cur, want);
	why_text(rule, fx, why, sizeof(why));
	switch (fx->mode) {
	case HD_FIX_CORRECT:
		if (!cur || same || (json_typeof(cur) != json_typeof(want) &&
				     !(json_is_boolean(cur) && json_is_boolean(want)))) {
			json_decref(want);
			return 0;
		}
		break;
	case HD_FIX_REMOVE:
		json_decref(want);
		if (!same)
			return 0;
		json_object_del(root, fx->option);
		return change(h, fx->option, fx->breaks, why, "removed (%s)", fx->value);
	default:
		break;
	}
	o = hd_dopt_by_json(fx->option);
	if (fx->mode == HD_FIX_ADD && d && o >= 0 && d->opt[o].set && d->opt[o].src == HD_DSRC_ARGS) {
		/* The user's own choice, on the command line. */
		json_decref(want);
		return change(h, fx->option, NULL, NULL, "kept as you set it on dockerd's command line "
			      "(%s:%" PRIu32 ")", d->opt[o].at.file ? d->opt[o].at.file : "?",
			      d->opt[o].at.line);
	}
	r = on_command_line(h, d, o >= 0 ? (enum hd_dopt)o : HD_DOPT_MAX, fx->value, &cl);
	if (r < 0 || cl) {
		json_decref(want);
		return r;
	}
	if (cur && (same || fx->mode == HD_FIX_ADD)) {
		json_decref(want);
		return change(h, fx->option, NULL, NULL, "kept as you set it");
	}
	cur_text = cur ? json_dumps(cur, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (json_object_set_new(root, fx->option, want) < 0) {
		hd_free(cur_text);
		return -HD_ENOMEM;
	}
	if (cur_text)
		r = change(h, fx->option, fx->breaks, why, "changed from %s to %s", cur_text, fx->value);
	else
		r = change(h, fx->option, fx->breaks, why, "added: %s", fx->value);
	free(cur_text);
	return r;
}

/* "nofile=1024:2048" -> {"Name": "nofile", "Soft": 1024, "Hard": 2048}, as the flag takes it. */
static json_t *ulimit_object(const char *s)
{
	const char *eq = strchr(s, '='), *colon;
	char name[64], num[32];
	int64_t soft, hard;
	json_t *o;

	if (!eq || eq == s || (size_t)(eq - s) >= sizeof(name))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - s), s);
	colon = strchr(eq + 1, ':');
	snprintf(num, sizeof(num), "%.*s", colon ? (int)(colon - eq - 1) : (int)strlen(eq + 1), eq + 1);
	if (hd_parse_i64(num, -1, INT64_MAX, &soft) < 0)
		return NULL;
	hard = soft;
	if (colon && hd_parse_i64(colon + 1, -1, INT64_MAX, &hard) < 0)
		return NULL;
	o = json_pack("{s:s, s:I, s:I}", "Name", name, "Soft", (json_int_t)soft, "Hard", (json_int_t)hard);
	return o;
}

/*
 * The user's value of a flag-named key in the shape its daemon.json key
 * takes: lists stay lists (a lone string becomes one), ulimits written as the
 * flag takes them ("nofile=1024:2048") become objects.  NULL when it cannot
 * be converted (or on OOM: *oom).
 */
static json_t *as_key_value(enum hd_dval_type type, json_t *v, bool *oom)
{
	json_t *out;
	size_t i;

	*oom = false;
	if (type == HD_DV_LIST) {
		if (json_is_array(v))
			return json_incref(v);
		if (!json_is_string(v))
			return NULL;
		out = json_array();
		*oom = !out || json_array_append(out, v) < 0;
		return out;
	}
	if (type != HD_DV_ULIMITS)
		return json_is_string(v) || json_is_boolean(v) || json_is_integer(v) ? json_incref(v) : NULL;
	if (json_is_object(v))
		return json_incref(v);
	if (json_is_string(v)) {
		json_t *one = json_array();

		if (!one || json_array_append(one, v) < 0) {
			json_decref(one);
			*oom = true;
			return NULL;
		}
		out = as_key_value(type, one, oom);
		json_decref(one);
		return out;
	}
	if (!json_is_array(v) || !(out = json_object()))
		return NULL;
	for (i = 0; i < json_array_size(v); i++) {
		const char *s = json_string_value(json_array_get(v, i));
		json_t *u = s ? ulimit_object(s) : NULL;

		if (!u || json_object_set_new(out, json_string_value(json_object_get(u, "Name")), u) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/*
 * Keys written as dockerd's flag names ("default-ulimit", "insecure-registry"),
 * which dockerd accepts in daemon.json and ignores: their values move to the
 * real key (lists merge into one the user already has), so the setting the
 * user meant takes effect.
 */
static int move_flag_named_keys(struct hd_harden_json *h, json_t *root)
{
	const char *k;
	json_t *v;
	void *tmp;
	int r = 0;

	json_object_foreach_safe(root, tmp, k, v) {
		int o = hd_dopt_by_json(k) >= 0 ? -1 : hd_dopt_by_flag(k, strlen(k));
		const char *key;
		json_t *have, *conv;
		char from[128];
		bool oom;

		if (o < 0 || !hd_dopt_table[o].json)
			continue;
		key = hd_dopt_table[o].json;
		have = json_object_get(root, key);
		conv = as_key_value(hd_dopt_table[o].type, v, &oom);
		if (oom)
			return -HD_ENOMEM;
		snprintf(from, sizeof(from), "%s", k);
		if (!conv || (have && (!json_is_array(have) || !json_is_array(conv)))) {
			json_decref(conv);
			r = change(h, from, NULL, NULL,
				   "kept: dockerd ignores this flag name in daemon.json%s; move the "
				   "value to \"%s\" by hand", have ? " and the file has the key already" :
				   ", and its value is not in the form the key takes", key);
			if (r < 0)
				return r;
			continue;
		}
		if (have) {
			size_t i, j;

			for (i = 0; i < json_array_size(conv); i++) {
				json_t *x = json_array_get(conv, i);

				for (j = 0; j < json_array_size(have); j++) {
					if (json_equal(json_array_get(have, j), x))
						break;
				}
				if (j == json_array_size(have) && json_array_append(have, x) < 0) {
					json_decref(conv);
					return -HD_ENOMEM;
				}
			}
			json_decref(conv);
		} else if (json_object_set_new(root, key, conv) < 0) {
			return -HD_ENOMEM;
		}
		json_object_del(root, from);
		r = change(h, key, NULL, NULL, "moved from \"%s\": dockerd ignores its flag's name in "
			   "daemon.json, so the setting was not in effect", from);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * What dockerd would run with once the file holds text: d's command line and
 * host facts (borrowed: files, TLS, swarm, process) with text's settings.
 * Release with merged_release().
 */
static int merged_spec(const struct hd_daemon_spec *d, const char *text, struct hd_daemon_spec *e)
{
	size_t i;
	int r = 0;

	hd_daemon_spec_init(e);
	for (i = 0; d && r >= 0 && i < HD_DOPT_MAX; i++) {
		if (d->opt[i].set && d->opt[i].src == HD_DSRC_ARGS)
			r = hd_dsetting_copy(&e->opt[i], &d->opt[i]);
	}
	if (r >= 0)
		r = hd_daemon_json_read(e, "daemon.json", text, strlen(text));
	if (d) {
		memcpy(e->files, d->files, sizeof(e->files));
		e->tls = d->tls;
		e->swarm_active = d->swarm_active;
		e->swarm_evidence = d->swarm_evidence;
		e->exec_path = d->exec_path;
		e->unit_user = d->unit_user;
		e->running_driver = d->running_driver;
		e->running_from = d->running_from;
		e->live = d->live;
		e->now = d->now;
	}
	return r;
}

static void merged_release(struct hd_daemon_spec *e)
{
	memset(e->files, 0, sizeof(e->files));
	memset(&e->tls, 0, sizeof(e->tls));
	e->swarm_evidence = e->exec_path = e->unit_user = e->running_driver = e->running_from = NULL;
	hd_daemon_spec_release(e);
}

int hd_harden_daemon_json(const char *in, size_t len, const struct hd_daemon_spec *d,
			  bool has_journald, struct hd_harden_json *out, char **errmsg)
{
	json_error_t err;
	json_t *root = NULL;
	size_t i, k;
	int r = 0;
	char *text = NULL;

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
	r = move_flag_named_keys(out, root);
	/* The rules' fixes, in catalogue order. */
	for (i = 0; r >= 0 && i < hd_rule_count; i++) {
		const struct hd_rule *rule = hd_rules[i];

		if (rule->target != HD_TARGET_DAEMON || !rule->fix)
			continue;
		for (k = 0; r >= 0 && rule->fix[k].option; k++) {
			const struct hd_fix *fx = &rule->fix[k];
			char note[HD_MAX_NOTE], why[512];

			if (fx->mode == HD_FIX_EXPLAIN)
				continue;
			if ((fx->mode == HD_FIX_SET || fx->mode == HD_FIX_ADD || fx->mode == HD_FIX_LOGGING) && d &&
			    (r = judge(rule, d, note, sizeof(note))) == HD_RULE_NOT_APPLICABLE) {
				r = change(out, fx->option, NULL, NULL, "not added: %s", note);
				continue;
			}
			if (r < 0)
				break;
			if (fx->mode == HD_FIX_LOGGING) {
				why_text(rule, fx, why, sizeof(why));
				r = harden_logging(out, root, d, has_journald, fx, why);
			} else {
				r = apply_fix(out, root, d, rule, fx);
			}
		}
	}
	if (r >= 0) {
		text = json_dumps(root, JSON_INDENT(2));
		out->text = text ? hd_asprintf("%s\n", text) : NULL;
		free(text);
		if (!out->text)
			r = -HD_ENOMEM;
	}
	/* What hardock does not decide for the site, said when its rule still fires on the result. */
	if (r >= 0) {
		struct hd_daemon_spec e;

		r = merged_spec(d, out->text, &e);
		for (i = 0; r >= 0 && i < hd_rule_count; i++) {
			const struct hd_rule *rule = hd_rules[i];
			char note[HD_MAX_NOTE], why[512];

			if (rule->target != HD_TARGET_DAEMON || !rule->fix)
				continue;
			for (k = 0; r >= 0 && rule->fix[k].option; k++) {
				if (rule->fix[k].mode != HD_FIX_EXPLAIN)
					continue;
				r = judge(rule, &e, note, sizeof(note));
				if (r == JUDGE_FIRES) {
					why_text(rule, &rule->fix[k], why, sizeof(why));
					r = change(out, rule->fix[k].option, NULL, NULL, "%s", why);
				} else if (r >= 0) {
					r = 0;
				}
			}
		}
		merged_release(&e);
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
