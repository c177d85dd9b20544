/*
 * Audit sessions (see audit.h): the orchestration of a whole audit, from
 * reading the facts to one verdict per rule and subject.  The readers are
 * in src/audit/ (host_read.h, engine_entry.h); the rules judge; this file
 * decides what is judged against what, and says why when something is not.
 */
#include "core/common.h"
#include "audit/engine_entry.h"
#include "audit/procs.h"
#include "audit/host_read.h"
#include "engine/client.h"
#include "engine/endpoint.h"
#include "model/engine.h"
#include "session/audit.h"

#include <pthread.h>
#include <time.h>

struct hd_audit_session {
	struct hd_audit_session_opts o;
	char *daemon_socket; /* the audited daemon's own unix socket, once a run found it */
	/*
	 * The engine connection the host and daemon part opened for /info,
	 * kept for the engine part of the same run (one connection, one
	 * /info), with the host it was opened for.
	 */
	struct hd_engine_link *link;
	char *link_host;
	/* This run's one pass over /proc (live): dockerd for the daemon part, the
	 * processes of containers for the engine part. */
	struct hd_procs procs;
};

void hd_audit_result_init(struct hd_audit_result *res)
{
	memset(res, 0, sizeof(*res));
	hd_findings_init(&res->findings);
	hd_checks_init(&res->checks);
	hd_daemon_spec_init(&res->daemon);
	hd_host_facts_init(&res->host);
}

void hd_audit_result_release(struct hd_audit_result *res)
{
	size_t i;

	if (!res)
		return;
	hd_findings_release(&res->findings);
	hd_checks_release(&res->checks);
	for (i = 0; i < res->n_msgs; i++)
		hd_free(res->msgs[i].text);
	hd_free(res->msgs);
	hd_daemon_spec_release(&res->daemon);
	hd_host_facts_release(&res->host);
	hd_engine_facts_free(res->engine);
	hd_report_objects_free(res->objects, res->n_objects);
	hd_audit_result_init(res);
}

static int msg(struct hd_audit_result *res, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int msg(struct hd_audit_result *res, bool error, const char *fmt, ...)
{
	struct hd_audit_msg *m;
	char text[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (HD_GROW(res->msgs, res->alloc_msgs, res->n_msgs + 1) < 0)
		return -HD_ENOMEM;
	m = &res->msgs[res->n_msgs];
	m->error = error;
	m->text = hd_strdup(text);
	if (!m->text)
		return -HD_ENOMEM;
	res->n_msgs++;
	return 0;
}

static int notes(struct hd_audit_result *res, const struct hd_strlist *l)
{
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < l->n; i++)
		r = msg(res, false, "%s", l->v[i]);
	return r;
}

int hd_audit_session_new(const struct hd_audit_session_opts *opts, struct hd_audit_session **ret)
{
	struct hd_audit_session *s = hd_calloc(1, sizeof(*s));

	*ret = NULL;
	if (!s)
		return -HD_ENOMEM;
	s->o = *opts;
	if (!s->o.parts)
		s->o.parts = HD_AUDIT_ALL;
	*ret = s;
	return 0;
}

void hd_audit_session_free(struct hd_audit_session *s)
{
	if (!s)
		return;
	hd_free(s->daemon_socket);
	hd_engine_link_free(s->link);
	hd_free(s->link_host);
	hd_procs_release(&s->procs);
	hd_free(s);
}

/*
 * The engine options of a run: the user's, or, when the user chose none,
 * the audited daemon's own unix socket when it is not the default one.
 */
static int engine_options(struct hd_audit_session *s, const struct hd_daemon_spec *d,
			  struct hd_engine_opts *eo, struct hd_audit_opts *ao, const struct hd_strlist *containers,
			  const struct hd_strlist *images)
{
	const struct hd_dsetting *h = d ? hd_daemon_opt(d, HD_DOPT_HOSTS) : NULL;
	size_t i;

	if (s->o.engine)
		*eo = *s->o.engine;
	else
		hd_engine_opts_init(eo);
	for (i = 0; !s->o.engine_explicit && d && d->live && h->set && i < h->n_items; i++) {
		if (hd_starts_with(h->items[i].value, "unix:///")) {
			hd_free(s->daemon_socket);
			if (!(s->daemon_socket = hd_strdup(h->items[i].value)))
				return -HD_ENOMEM;
			break;
		}
	}
	if (!s->o.engine_explicit && s->daemon_socket)
		eo->host = s->daemon_socket;
	memset(ao, 0, sizeof(*ao));
	ao->cfg = s->o.cfg;
	ao->root = s->o.root;
	ao->offline = s->o.root != NULL;
	ao->engine = eo;
	ao->engine_host = eo->host;
	ao->containers = containers && containers->n ? containers : NULL;
	ao->images = images && images->n ? images : NULL;
	ao->parallel = s->o.parallel;
	ao->processes_from_engine = s->o.processes_from_engine;
	ao->image_layers = s->o.image_layers;
	ao->layers_cache = s->o.layers_cache;
	ao->timeout_ms = s->o.timeout_ms;
	return 0;
}

/*
 * The engine audited is another machine: this machine's host and daemon
 * facts say nothing about it, so its checks are SKIP with the reason instead
 * of PASS or WARN attributed to the wrong machine (docker-bench reports the
 * local machine's checks as the remote engine's).
 */
static int skip_target(struct hd_audit_result *res, const struct hd_config *cfg, enum hd_target t,
		       const char *subject, const char *why)
{
	size_t i;
	int r;

	for (i = 0; i < hd_rule_count; i++) {
		if (hd_rules[i]->target != t || !hd_config_rule_enabled(cfg, hd_rules[i]))
			continue;
		r = hd_checks_add(&res->checks, hd_rules[i], subject, HD_CHECK_SKIP, why);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The host facts of a live full audit are read in a second thread while the
 * engine is asked (its answers are mostly waiting): hd_host_read() only
 * reads the daemon spec (paths, pid, data root), which the main thread does
 * not change meanwhile (it sets only the swarm and storage driver facts).
 */
struct host_job {
	const struct hd_read_opts *ro;
	const struct hd_daemon_spec *d;
	struct hd_host_facts *h;
	int r;
};

static void *host_job_run(void *arg)
{
	struct host_job *j = arg;

	j->r = hd_host_read(j->ro, j->d, j->h);
	return NULL;
}

static int host_read_failed(struct hd_audit_result *res, int r)
{
	if (r != -HD_ENOMEM && msg(res, true, "cannot read the host facts: %s", hd_strerror(r)) < 0)
		return -HD_ENOMEM;
	return r;
}

static int run_engine(struct hd_audit_session *s, struct hd_audit_result *res, const struct hd_daemon_spec *d,
		      const struct hd_strlist *containers, const struct hd_strlist *images);
static int append_result(struct hd_audit_result *res, struct hd_audit_result *from);

/*
 * Host and daemon: read, complete with a local engine's facts, judge.  In a
 * live audit of host and engine, the engine part runs here too, while the
 * host facts are read, into *eng (appended after the host and daemon
 * results by the caller); *engine_done says it ran.
 */
static int run_host_daemon(struct hd_audit_session *s, struct hd_audit_result *res,
			   struct hd_audit_result *eng, bool *engine_done)
{
	const struct hd_audit_session_opts *o = &s->o;
	bool offline = o->root != NULL;
	bool overlap = !offline && (o->parts & HD_AUDIT_HOST) && (o->parts & HD_AUDIT_ENGINE) && !o->facts_only;
	bool same_host = false, joined = true;
	struct host_job job = { 0 };
	pthread_t thread;
	struct hd_read_opts ro;
	struct hd_model m;
	char *remote = NULL; /* why host and daemon checks do not apply, when the engine is remote */
	int r;

	*engine_done = false;
	memset(&ro, 0, sizeof(ro));
	ro.root = o->root;
	ro.now = o->now;
	if (!offline) {
		/* One /proc pass serves the daemon reader and the engine's processes. */
		r = hd_procs_scan(&s->procs, (o->parts & HD_AUDIT_ENGINE) && !o->facts_only &&
					     !o->processes_from_engine);
		if (r < 0)
			return r;
		ro.procs = &s->procs;
	}
	r = hd_daemon_read(&ro, &res->daemon);
	if (r < 0) {
		if (r != -HD_ENOMEM && msg(res, true, "cannot audit '%s': %s", o->root ? o->root : "/",
					   hd_strerror(r)) < 0)
			return -HD_ENOMEM;
		return r;
	}
	if (o->parts & HD_AUDIT_HOST) {
		job.ro = &ro;
		job.d = &res->daemon;
		job.h = &res->host;
		/* libcurl's global set-up before the second thread starts. */
		if (overlap && hd_engine_global_init() == 0 &&
		    pthread_create(&thread, NULL, host_job_run, &job) == 0) {
			joined = false;
		} else {
			overlap = false;
			host_job_run(&job);
			if (job.r < 0)
				return host_read_failed(res, job.r);
		}
	}
	if (!offline) {
		/* The running engine's /info and /version, when it is this machine's. */
		struct hd_engine_opts eo;
		struct hd_audit_opts ao;
		const struct hd_engine_facts *ef = NULL;
		struct hd_engine_link *link = NULL;
		char *err = NULL;

		r = engine_options(s, &res->daemon, &eo, &ao, NULL, NULL);
		if (r < 0)
			goto out;
		/*
		 * /info says what the daemon checks need (swarm state, storage
		 * driver); /version only adds component versions, which dockerd
		 * answers by running runc and containerd: asked only when the
		 * binaries and the package database did not give them (known
		 * after the host facts are read, so asked afterwards when they
		 * are read beside the engine).
		 */
		ao.facts_without_version = overlap || !(o->parts & HD_AUDIT_HOST) ||
					   (res->host.engine.version && res->host.containerd.version &&
					    res->host.runc.version);
		ao.facts_without_swarm_lists = true;
		if (hd_engine_link_open(&ao, &link, &err) == 0 && (ef = hd_engine_link_facts(link))) {
			same_host = ef->same_host;
			if (ef->same_host)
				r = hd_facts_apply_engine(&res->daemon, (o->parts & HD_AUDIT_HOST) && !overlap ?
							  &res->host : NULL, ef);
			else if (!(remote = hd_asprintf("the engine at %s runs on '%s', not on this machine: run "
							"hardock there for its host and daemon checks",
							ef->endpoint, ef->name ? ef->name : "another host")))
				r = -HD_ENOMEM;
			/* The engine part of this run goes on through the same connection. */
			if (r >= 0 && (o->parts & HD_AUDIT_ENGINE) && !o->facts_only) {
				hd_engine_link_free(s->link);
				hd_free(s->link_host);
				s->link_host = NULL;
				s->link = link;
				link = NULL;
				if (eo.host && !(s->link_host = hd_strdup(eo.host)))
					r = -HD_ENOMEM;
			}
			hd_engine_link_free(link);
		} else {
			char *n = hd_asprintf("engine /info not used: %s", err ? err : "unreachable");

			r = n ? hd_strlist_add(&res->daemon.notes, n) : -HD_ENOMEM;
			hd_free(n);
		}
		hd_free(err);
		if (r < 0)
			goto out;
	}
	if (overlap) {
		r = run_engine(s, eng, &res->daemon, o->containers, o->images);
		*engine_done = true;
		pthread_join(thread, NULL);
		joined = true;
		if (r < 0)
			goto out;
		if (job.r < 0) {
			r = host_read_failed(res, job.r);
			goto out;
		}
		/* Versions the binaries and the package database did not give: the engine's /version. */
		if (same_host && s->link && !(res->host.engine.version && res->host.containerd.version &&
					      res->host.runc.version)) {
			struct hd_engine_facts *vf = NULL;

			r = hd_engine_link_version(s->link, &vf);
			if (r >= 0)
				r = hd_facts_apply_engine(NULL, &res->host, vf);
			hd_engine_facts_free(vf);
			if (r == -HD_ENOMEM)
				goto out;
			r = 0;
		}
	}
	if (o->facts_only)
		goto out;
	memset(&m, 0, sizeof(m));
	m.cfg = o->cfg;
	if ((o->parts & HD_AUDIT_HOST) && remote && o->parts != HD_AUDIT_HOST) {
		r = skip_target(res, o->cfg, HD_TARGET_HOST, "host", remote);
	} else if (o->parts & HD_AUDIT_HOST) {
		m.kind = HD_TARGET_HOST;
		m.host = &res->host;
		r = hd_audit_run(&m, "host", offline, &res->findings, &res->checks);
		if (r >= 0)
			r = notes(res, &res->host.notes);
	}
	if (r < 0)
		goto out;
	if ((o->parts & HD_AUDIT_DAEMON) && remote) {
		r = skip_target(res, o->cfg, HD_TARGET_DAEMON, "daemon", remote);
	} else if (o->parts & HD_AUDIT_DAEMON) {
		m.kind = HD_TARGET_DAEMON;
		m.daemon = &res->daemon;
		r = hd_audit_run(&m, "daemon", offline, &res->findings, &res->checks);
	}
	if (r >= 0)
		r = notes(res, &res->daemon.notes);
	if (r >= 0 && remote)
		r = msg(res, false, "%s", remote);
out:
	if (!joined)
		pthread_join(thread, NULL);
	hd_free(remote);
	return r;
}

/*
 * The engine: containers, images, swarm; what could not be read makes the
 * run incomplete.  d: this run's daemon facts (its own socket), or NULL.
 */
static int run_engine(struct hd_audit_session *s, struct hd_audit_result *res, const struct hd_daemon_spec *d,
		      const struct hd_strlist *containers, const struct hd_strlist *images)
{
	struct hd_engine_audit_status es;
	struct hd_engine_opts eo;
	struct hd_audit_opts ao;
	size_t i;
	int r, rc = 0;

	if (s->o.root)
		return msg(res, false, "engine audit skipped (offline audit of %s)", s->o.root);
	r = engine_options(s, d, &eo, &ao, containers, images);
	if (r < 0)
		return r;
	hd_engine_audit_status_init(&es);
	ao.status = &es;
	/* The connection this run's daemon part opened, when it is to the same engine. */
	if (s->link && (s->link_host ? eo.host && strcmp(eo.host, s->link_host) == 0 : !eo.host))
		ao.link = s->link;
	if (s->procs.read)
		ao.procs = &s->procs;
	r = hd_audit_engine(&ao, &res->findings, &res->checks);
	for (i = 0; rc >= 0 && i < es.errors.n; i++)
		rc = msg(res, true, "%s", es.errors.v[i]);
	if (rc >= 0)
		rc = notes(res, &es.notes);
	if (rc >= 0 && r == -HD_EUNSUPPORTED)
		rc = msg(res, true, "engine audit not built yet");
	else if (rc >= 0 && r < 0 && r != -HD_ENOMEM && !es.errors.n)
		rc = msg(res, true, "engine audit failed: %s", hd_strerror(r));
	if (r < 0 || es.errors.n)
		res->status.failed = true;
	res->engine_unusable = r < 0;
	res->containers += es.containers;
	res->images += es.images;
	res->missing += es.missing;
	res->engine = es.facts;
	es.facts = NULL;
	/* The objects judged, after those of an earlier part of the run. */
	for (i = 0; rc >= 0 && i < es.n_objects; i++) {
		const struct hd_report_object *o = &es.objects[i];

		rc = hd_report_object_add(&res->objects, &res->n_objects, &res->alloc_objects, o->target,
					  o->subject, o->object, o->id, o->name, o->image);
	}
	hd_engine_audit_status_release(&es);
	if (r == -HD_ENOMEM || rc < 0)
		return -HD_ENOMEM;
	return 0;
}

/* Moves everything of from to the end of res; from is left empty. */
static int append_result(struct hd_audit_result *res, struct hd_audit_result *from)
{
	size_t i;
	int r;

	r = hd_findings_move(&res->findings, &from->findings);
	if (r < 0)
		return r;
	if (HD_GROW(res->checks.v, res->checks.alloc, res->checks.n + from->checks.n) < 0 ||
	    HD_GROW(res->msgs, res->alloc_msgs, res->n_msgs + from->n_msgs) < 0)
		return -HD_ENOMEM;
	for (i = 0; i < from->checks.n; i++)
		res->checks.v[res->checks.n++] = from->checks.v[i];
	from->checks.n = 0;
	for (i = 0; i < from->n_msgs; i++)
		res->msgs[res->n_msgs++] = from->msgs[i];
	from->n_msgs = 0;
	res->status.failed |= from->status.failed;
	res->engine_unusable |= from->engine_unusable;
	res->containers += from->containers;
	res->images += from->images;
	res->missing += from->missing;
	for (i = 0; i < from->n_objects; i++) {
		const struct hd_report_object *o = &from->objects[i];

		r = hd_report_object_add(&res->objects, &res->n_objects, &res->alloc_objects, o->target,
					 o->subject, o->object, o->id, o->name, o->image);
		if (r < 0)
			return r;
	}
	if (from->engine) {
		hd_engine_facts_free(res->engine);
		res->engine = from->engine;
		from->engine = NULL;
	}
	return 0;
}

int hd_audit_session_run(struct hd_audit_session *s, struct hd_audit_result *res)
{
	struct hd_audit_result eng;
	bool engine_done = false;
	int r = 0;

	if ((s->o.parts & HD_AUDIT_ENGINE) && !(s->o.parts & ~HD_AUDIT_ENGINE) && s->o.root) {
		r = msg(res, true, "'audit engine' talks to a running engine; it cannot use --root");
		return r < 0 ? r : -HD_EINVAL;
	}
	hd_audit_result_init(&eng);
	if (s->o.parts & (HD_AUDIT_HOST | HD_AUDIT_DAEMON))
		r = run_host_daemon(s, res, &eng, &engine_done);
	/* The engine's results after the host's and the daemon's, as when run in turn. */
	if (r >= 0 && engine_done)
		r = append_result(res, &eng);
	else if (r >= 0 && (s->o.parts & HD_AUDIT_ENGINE) && !s->o.facts_only)
		r = run_engine(s, res, (s->o.parts & (HD_AUDIT_HOST | HD_AUDIT_DAEMON)) ? &res->daemon : NULL,
			       s->o.containers, s->o.images);
	hd_audit_result_release(&eng);
	/* What this run read of the live system is not kept for the next one. */
	hd_engine_link_free(s->link);
	s->link = NULL;
	hd_free(s->link_host);
	s->link_host = NULL;
	hd_procs_release(&s->procs);
	return r;
}

/* One object of the engine, the rest of the session's options kept. */
static int run_one(struct hd_audit_session *s, const char *what, bool container, struct hd_audit_result *res)
{
	struct hd_strlist one = { 0 }, none = { 0 };
	int r;

	if (s->o.root) {
		r = msg(res, true, "re-judging a %s needs a running engine, not --root", container ?
			"container" : "image");
		return r < 0 ? r : -HD_EINVAL;
	}
	r = hd_strlist_add(&one, what);
	if (r >= 0)
		r = run_engine(s, res, NULL, container ? &one : &none, container ? &none : &one);
	hd_strlist_release(&one);
	return r;
}

int hd_audit_session_container(struct hd_audit_session *s, const char *id, struct hd_audit_result *res)
{
	return run_one(s, id, true, res);
}

int hd_audit_session_image(struct hd_audit_session *s, const char *ref, struct hd_audit_result *res)
{
	return run_one(s, ref, false, res);
}
