/*
 * The engine audit (see audit/engine_entry.h): connect, read what the engine
 * says about itself, list every container (running, paused, exited,
 * created, dead) and image, inspect them in parallel batches, read the
 * processes and exec sessions of running containers, then judge each
 * container with the container rules (plus the live-only ones), each image
 * with the image rules and the engine with the engine and swarm rules.
 * With image_layers, each image audited is also streamed from the engine
 * (GET /images/{id}/get, through the one-pass reader of image/image.h;
 * nothing is written to disk) and its files are judged by the image-files
 * rules: setuid files (CIS 4.8), capabilities, permissions, accounts,
 * secrets, left-over files.
 *
 * Requests go out in batches (hd_engine_run): facts, lists, inspects,
 * top + exec, image inspects.  A request that fails does not stop the audit:
 * what could be read is judged, and what could not is listed in
 * status->errors, which makes the command exit 2.  When the engine goes
 * away mid-audit, the failures of one batch are reported as one line.
 */
#include "core/common.h"
#include "core/config.h"
#include "audit/audit.h"
#include "audit/engine_entry.h"
#include "audit/layers_cache.h"
#include "audit/procs.h"
#include "engine/client.h"
#include "engine/endpoint.h"
#include "image/image.h"
#include "model/engine.h"
#include "model/image.h"
#include "model/image_files.h"
#include "model/live.h"
#include "parse/inspect.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

/* Names listed in one error line before "and N more". */
#define MAX_NAMES_LISTED 8

/*
 * A connection to one engine: the endpoint chosen (the client points into
 * it, so a link never moves), the client with its API version negotiated,
 * and the facts its /info gave until an audit takes them.
 */
struct hd_engine_link {
	struct hd_engine_endpoint ep;
	struct hd_engine *e;
	struct hd_engine_facts *facts;
};

struct engine_audit {
	const struct hd_audit_opts *o;
	struct hd_engine_audit_status *st;
	struct hd_engine_link *ln;  /* &own, or the caller's link (o->link) */
	struct hd_engine_link own;
	struct hd_engine_facts *facts;
	int64_t now;
	struct hd_ctr_summary *ctrs;
	size_t n_ctrs;
	struct hd_img_summary *imgs;
	size_t n_imgs;
	struct hd_container_spec **specs; /* parallel to ctrs; NULL when not read */
	struct hd_image_spec **img_specs; /* parallel to imgs */
	bool *want_ctr, *want_img;
};

void hd_engine_audit_status_init(struct hd_engine_audit_status *s)
{
	memset(s, 0, sizeof(*s));
}

void hd_engine_audit_status_release(struct hd_engine_audit_status *s)
{
	if (!s)
		return;
	hd_strlist_release(&s->errors);
	hd_strlist_release(&s->notes);
	hd_engine_facts_free(s->facts);
	hd_report_objects_free(s->objects, s->n_objects);
	memset(s, 0, sizeof(*s));
}

static int addf(struct hd_strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int addf(struct hd_strlist *l, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hd_strlist_add(l, msg) < 0 ? -HD_ENOMEM : 0;
}

/* An error from a parse: the diag's message, or a generic one. */
static int parse_error(struct engine_audit *a, int r, struct hd_diag *d, const char *what)
{
	int rc;

	if (r == -HD_ENOMEM)
		return r;
	rc = addf(&a->st->errors, "%s: %s", what,
		  d->msg ? d->msg : "the engine's answer could not be read");
	hd_diag_release(d);
	return rc;
}

/* True for failures that mean the engine itself is gone or broken, not one object. */
static bool engine_level(int err)
{
	return err == -HD_ECONNECT || err == -HD_ETIMEOUT || err == -HD_EACCES ||
	       err == -HD_ENOENT /* socket removed */;
}

/*
 * Reports the failed requests of a batch: engine-level failures as one line
 * naming the objects ("the engine stopped answering: 3 containers could not
 * be inspected: a, b, c"), others one line each.  404s on objects that
 * vanished between list and inspect are notes, not errors.
 */
static int report_batch(struct engine_audit *a, struct hd_engine_req *q, size_t n, const char *what,
			const char *const *names)
{
	struct hd_buf list = HD_BUF_INIT(HD_MAX_MESSAGE / 2);
	const char *first_msg = NULL;
	size_t i, lost = 0;
	int r = 0;

	for (i = 0; i < n && r >= 0; i++) {
		if (!q[i].err)
			continue;
		if (q[i].err == -HD_ENOMEM) {
			r = -HD_ENOMEM;
			break;
		}
		if (q[i].status == 404) {
			a->st->missing++;
			r = addf(&a->st->notes, "%s %s disappeared during the audit", what, names[i]);
			continue;
		}
		if (engine_level(q[i].err) && q[i].status == 0) {
			if (!first_msg)
				first_msg = q[i].errmsg;
			if (lost < MAX_NAMES_LISTED)
				hd_buf_addf(&list, "%s%s", lost ? ", " : "", names[i]);
			lost++;
			continue;
		}
		r = addf(&a->st->errors, "%s %s could not be read: %s", what, names[i],
			 q[i].errmsg ? q[i].errmsg : hd_strerror(q[i].err));
	}
	if (r >= 0 && lost)
		r = addf(&a->st->errors, "the engine stopped answering (%s): %zu %s%s could not be read: "
			 "%s%s", first_msg ? first_msg : "no answer", lost, what, lost == 1 ? "" : "s",
			 list.buf, lost > MAX_NAMES_LISTED ? ", ..." : "");
	hd_buf_release(&list);
	return r;
}

/*
 * One round trip: requests of several phases sent together.  Each phase
 * remembers where its requests start (from) and how many it added.
 */
struct batch {
	struct hd_engine_req *q;
	const char **names;
	size_t n, alloc, alloc_names;
};

static int batch_add(struct batch *b, enum hd_api api, const char *arg, const char *name)
{
	int r;

	if (HD_GROW(b->q, b->alloc, b->n + 1) < 0 || HD_GROW(b->names, b->alloc_names, b->n + 1) < 0)
		return -HD_ENOMEM;
	r = hd_engine_req_init(&b->q[b->n], api, arg);
	if (r < 0) {
		hd_engine_req_release(&b->q[b->n]);
		return r;
	}
	b->names[b->n++] = name;
	return 0;
}

static void batch_release(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		hd_engine_req_release(&b->q[i]);
	hd_free(b->q);
	hd_free(b->names);
	memset(b, 0, sizeof(*b));
}

static int batch_run(struct engine_audit *a, struct batch *b)
{
	int r = hd_engine_run(a->ln->e, b->q, b->n);

	return r == -HD_ENOMEM ? r : 0;
}

/* ---- facts ------------------------------------------------------------------ */

/* Whether the swarm management port listens on every interface, from /proc/net. */
static int swarm_listen_all(unsigned port)
{
	char hex[16];

	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	size_t i;
	int seen = 0;

	snprintf(hex, sizeof(hex), "%04X", port ? port : 2377);
	for (i = 0; i < HD_ARRAY_SIZE(files); i++) {
		FILE *fp = fopen(files[i], "re");
		char line[512];

		if (!fp)
			continue;
		while (fgets(line, sizeof(line), fp)) {
			char local[80] = "", state[8] = "";
			const char *colon;

			if (sscanf(line, "%*s %79s %*s %7s", local, state) != 2 || strcmp(state, "0A") != 0)
				continue;
			colon = strrchr(local, ':');
			if (!colon || strcasecmp(colon + 1, hex) != 0)
				continue;
			seen = 1;
			if (strspn(local, "0") == (size_t)(colon - local)) {
				fclose(fp);
				return 1;
			}
		}
		fclose(fp);
	}
	return seen ? 0 : -1;
}

static int set_where(struct engine_audit *a)
{
	struct hd_engine_facts *f = a->facts;
	char host[256] = "";

	f->now = a->now;
	f->local = a->ln->ep.local;
	f->tls = a->ln->ep.tls;
	f->endpoint = hd_strdup(a->ln->ep.host);
	f->endpoint_source = hd_strdup(a->ln->ep.source ? a->ln->ep.source : "default");
	f->socket_path = a->ln->ep.socket_path ? hd_strdup(a->ln->ep.socket_path) : NULL;
	f->api_version = hd_strdup(hd_engine_api_version(a->ln->e));
	if (!f->endpoint || !f->endpoint_source || (a->ln->ep.socket_path && !f->socket_path) ||
	    !f->api_version)
		return -HD_ENOMEM;
	if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	f->same_host = f->local && f->info_known && f->name && host[0] && strcmp(f->name, host) == 0;
	return 0;
}

/*
 * /info, and /version when with_version: the daemon answers /version by
 * running runc, containerd and docker-init for their versions, which no
 * engine rule needs; the daemon checks (hd_engine_facts_fetch) do.
 */
static int facts_prepare(struct engine_audit *a, struct batch *b, size_t *from, bool with_version)
{
	int r;

	*from = b->n;
	if (!a->facts && !(a->facts = hd_engine_facts_new()))
		return -HD_ENOMEM;
	if ((r = batch_add(b, HD_API_INFO, NULL, "/info")) < 0)
		return r;
	return with_version ? batch_add(b, HD_API_VERSION, NULL, "/version") : 0;
}

static int facts_consume(struct engine_audit *a, struct batch *b, size_t from, bool with_version)
{
	struct hd_engine_req *q = b->q + from;
	struct hd_diag d = { 0 };
	int r;

	r = report_batch(a, q, with_version ? 2 : 1, "engine fact", b->names + from);
	if (r >= 0 && !q[0].err && (r = hd_inspect_info(q[0].body.buf, q[0].body.len, a->facts, &d)) < 0)
		r = parse_error(a, r, &d, "/info");
	if (r >= 0 && with_version && !q[1].err &&
	    (r = hd_inspect_version(q[1].body.buf, q[1].body.len, a->facts, &d)) < 0)
		r = parse_error(a, r, &d, "/version");
	if (r >= 0)
		r = set_where(a);
	if (r >= 0 && (a->facts->swarm == HD_SWARM_ACTIVE || a->facts->swarm == HD_SWARM_LOCKED) &&
	    a->facts->same_host)
		a->facts->swarm_listen_all = swarm_listen_all(a->facts->swarm_port);
	hd_diag_release(&d);
	return r;
}

/* The swarm lists, when this node is an active manager. */
static const enum hd_api swarm_apis[] = { HD_API_NODES, HD_API_NETWORKS, HD_API_SERVICES, HD_API_SECRETS };
static const char *const swarm_names[] = { "/nodes", "/networks", "/services", "/secrets" };

static int swarm_prepare(struct engine_audit *a, struct batch *b, size_t *from, size_t *n)
{
	size_t i;
	int r;

	*from = b->n;
	*n = 0;
	if (a->facts->swarm != HD_SWARM_ACTIVE || !a->facts->swarm_manager)
		return 0;
	for (i = 0; i < HD_ARRAY_SIZE(swarm_apis); i++) {
		if ((r = batch_add(b, swarm_apis[i], NULL, swarm_names[i])) < 0)
			return r;
	}
	*n = HD_ARRAY_SIZE(swarm_apis);
	return 0;
}

static int swarm_consume(struct engine_audit *a, struct batch *b, size_t from, size_t n)
{
	int (*const readers[])(const char *, size_t, struct hd_engine_facts *, struct hd_diag *) = {
		hd_inspect_nodes, hd_inspect_networks, hd_inspect_services, hd_inspect_secrets,
	};
	struct hd_engine_req *q = b->q + from;
	struct hd_diag d = { 0 };
	bool all = true;
	size_t i;
	int r;

	if (!n)
		return 0;
	r = report_batch(a, q, n, "swarm list", b->names + from);
	for (i = 0; i < n && r >= 0; i++) {
		if (q[i].err) {
			all = false;
			continue;
		}
		r = readers[i](q[i].body.buf, q[i].body.len, a->facts, &d);
		if (r < 0) {
			all = false;
			r = parse_error(a, r, &d, swarm_names[i]);
		}
	}
	a->facts->swarm_details_known = all;
	hd_diag_release(&d);
	return r;
}

/* Facts alone, for hd_engine_facts_fetch(): two round trips. */
static int load_facts(struct engine_audit *a)
{
	struct batch b = { 0 };
	size_t from, sfrom, sn;
	int r;

	bool version = !a->o->facts_without_version;

	if ((r = facts_prepare(a, &b, &from, version)) < 0 || (r = batch_run(a, &b)) < 0 ||
	    (r = facts_consume(a, &b, from, version)) < 0)
		goto out;
	batch_release(&b);
	if (a->o->facts_without_swarm_lists)
		goto out;
	if ((r = swarm_prepare(a, &b, &sfrom, &sn)) < 0 || (r = batch_run(a, &b)) < 0)
		goto out;
	r = swarm_consume(a, &b, sfrom, sn);
out:
	batch_release(&b);
	return r;
}

/* Endpoint, client and negotiation; on failure the reason is in st->errors. */
static int connect_engine(struct engine_audit *a)
{
	struct hd_engine_opts def;
	const struct hd_engine_opts *eo = a->o->engine;
	struct hd_engine_client_opts co = { 0 };
	struct hd_diag d = { 0 };
	char *msg = NULL;
	int r;

	if (!eo) {
		hd_engine_opts_init(&def);
		def.host = a->o->engine_host;
		eo = &def;
	}
	r = hd_engine_endpoint_resolve(eo, &a->ln->ep, &d);
	if (r < 0) {
		if (r != -HD_ENOMEM)
			r = addf(&a->st->errors, "%s", d.msg ? d.msg : "cannot choose the engine endpoint") < 0
				    ? -HD_ENOMEM : r;
		hd_diag_release(&d);
		return r;
	}
	co.parallel = a->o->parallel;
	co.timeout_ms = a->o->timeout_ms;
	r = hd_engine_open(&a->ln->ep, &co, &a->ln->e);
	if (r < 0) {
		if (r == -HD_EUNSUPPORTED)
			r = addf(&a->st->errors, "this libcurl cannot reach %s (no unix socket or TLS support)",
				 a->ln->ep.host) < 0 ? -HD_ENOMEM : r;
		return r;
	}
	r = hd_engine_negotiate(a->ln->e, &msg);
	if (r < 0 && r != -HD_ENOMEM) {
		int rc = addf(&a->st->errors, "%s", msg ? msg : hd_strerror(r));

		if (rc < 0)
			r = rc;
	}
	hd_free(msg);
	return r;
}

static void audit_release(struct engine_audit *a)
{
	size_t i;

	for (i = 0; a->specs && i < a->n_ctrs; i++)
		hd_container_spec_free(a->specs[i]);
	for (i = 0; a->img_specs && i < a->n_imgs; i++)
		hd_image_spec_free(a->img_specs[i]);
	hd_free(a->specs);
	hd_free(a->img_specs);
	hd_free(a->want_ctr);
	hd_free(a->want_img);
	hd_ctr_summaries_free(a->ctrs, a->n_ctrs);
	hd_img_summaries_free(a->imgs, a->n_imgs);
	hd_engine_facts_free(a->facts);
	/* A caller's link is the caller's to free. */
	hd_engine_close(a->own.e);
	hd_engine_endpoint_release(&a->own.ep);
}

void hd_engine_link_free(struct hd_engine_link *l)
{
	if (!l)
		return;
	hd_engine_close(l->e);
	hd_engine_endpoint_release(&l->ep);
	hd_engine_facts_free(l->facts);
	hd_free(l);
}

const struct hd_engine_facts *hd_engine_link_facts(const struct hd_engine_link *l)
{
	return l ? l->facts : NULL;
}

int hd_engine_link_open(const struct hd_audit_opts *o, struct hd_engine_link **ret, char **errmsg)
{
	struct hd_engine_audit_status st;
	struct engine_audit a = { .o = o, .st = &st };
	struct hd_engine_link *l;
	int r;

	*ret = NULL;
	*errmsg = NULL;
	l = hd_calloc(1, sizeof(*l));
	if (!l)
		return -HD_ENOMEM;
	a.ln = l;
	hd_engine_audit_status_init(&st);
	a.now = (int64_t)time(NULL);
	r = connect_engine(&a);
	if (r >= 0)
		r = load_facts(&a);
	if (r >= 0 && !a.facts->info_known)
		r = -HD_EPROTO;
	if (r >= 0) {
		l->facts = a.facts;
		a.facts = NULL;
		*ret = l;
		l = NULL;
	} else if (r != -HD_ENOMEM && st.errors.n) {
		*errmsg = hd_strdup(st.errors.v[0]);
	}
	audit_release(&a);
	hd_engine_link_free(l);
	hd_engine_audit_status_release(&st);
	return r;
}

int hd_engine_link_version(struct hd_engine_link *l, struct hd_engine_facts **ret)
{
	struct hd_engine_facts *f;
	struct hd_engine_req q;
	struct hd_diag d = { 0 };
	int r;

	*ret = NULL;
	if (!l || !l->e)
		return -HD_EINVAL;
	f = hd_engine_facts_new();
	if (!f)
		return -HD_ENOMEM;
	r = hd_engine_req_init(&q, HD_API_VERSION, NULL);
	if (r >= 0)
		r = hd_engine_run(l->e, &q, 1);
	if (r >= 0 && q.err)
		r = q.err == -HD_ENOMEM ? -HD_ENOMEM : -HD_EPROTO;
	if (r >= 0)
		r = hd_inspect_version(q.body.buf, q.body.len, f, &d);
	hd_engine_req_release(&q);
	hd_diag_release(&d);
	if (r < 0) {
		hd_engine_facts_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

int hd_engine_facts_fetch(const struct hd_audit_opts *o, struct hd_engine_facts **ret, char **errmsg)
{
	struct hd_engine_link *l;
	int r;

	*ret = NULL;
	r = hd_engine_link_open(o, &l, errmsg);
	if (r < 0)
		return r;
	*ret = l->facts;
	l->facts = NULL;
	hd_engine_link_free(l);
	return 0;
}

/* ---- lists and filters ----------------------------------------------------------- */

/*
 * --container and --image: a name ("web", "/web"; "busybox" is
 * "busybox:latest"), or an id or a prefix of at least 4 hex digits.
 */
static bool name_matches(const char *want, const char *id, const char *name)
{
	size_t n;

	if (*want == '/')
		want++;
	n = strlen(want);
	if (name && strcmp(want, name) == 0)
		return true;
	if (name && hd_ends_with(name, ":latest") && strlen(name) == n + 7 && strncmp(name, want, n) == 0)
		return true;
	if (hd_starts_with(want, "sha256:"))
		want += 7, n -= 7;
	if (id && hd_starts_with(id, "sha256:"))
		id += 7;
	return id && n >= 4 && strncmp(id, want, n) == 0;
}

static bool image_matches(const char *want, const struct hd_img_summary *img)
{
	size_t k;

	if (name_matches(want, img->id, NULL))
		return true;
	for (k = 0; k < img->n_tags; k++) {
		if (name_matches(want, NULL, img->tags[k]))
			return true;
	}
	return false;
}

static int lists_prepare(struct engine_audit *a, struct batch *b, size_t *from)
{
	int r;

	*from = b->n;
	if ((r = batch_add(b, HD_API_CONTAINERS, NULL, "list")) < 0)
		return r;
	return batch_add(b, HD_API_IMAGES, NULL, "list");
}

static int lists_consume(struct engine_audit *a, struct batch *b, size_t from)
{
	struct hd_engine_req *q = b->q + from;
	struct hd_diag d = { 0 };
	const struct hd_strlist *fc = a->o->containers, *fi = a->o->images;
	bool filtered = (fc && fc->n) || (fi && fi->n);
	size_t i, j;
	int r = 0;

	if (q[0].err)
		r = report_batch(a, q, 1, "container", b->names + from);
	if (r >= 0 && q[1].err)
		r = report_batch(a, q + 1, 1, "image", b->names + from + 1);
	if (r >= 0 && !q[0].err &&
	    (r = hd_inspect_container_list(q[0].body.buf, q[0].body.len, &a->ctrs, &a->n_ctrs, &d)) < 0)
		r = parse_error(a, r, &d, "/containers/json");
	if (r >= 0 && !q[1].err &&
	    (r = hd_inspect_image_list(q[1].body.buf, q[1].body.len, &a->imgs, &a->n_imgs, &d)) < 0)
		r = parse_error(a, r, &d, "/images/json");
	hd_diag_release(&d);
	if (r < 0)
		return r;
	a->specs = hd_calloc(a->n_ctrs ? a->n_ctrs : 1, sizeof(*a->specs));
	a->img_specs = hd_calloc(a->n_imgs ? a->n_imgs : 1, sizeof(*a->img_specs));
	a->want_ctr = hd_calloc(a->n_ctrs ? a->n_ctrs : 1, sizeof(bool));
	a->want_img = hd_calloc(a->n_imgs ? a->n_imgs : 1, sizeof(bool));
	if (!a->specs || !a->img_specs || !a->want_ctr || !a->want_img)
		return -HD_ENOMEM;
	for (i = 0; i < a->n_ctrs; i++) {
		a->want_ctr[i] = !filtered;
		for (j = 0; fc && j < fc->n; j++)
			a->want_ctr[i] |= name_matches(fc->v[j], a->ctrs[i].id, a->ctrs[i].name);
	}
	for (i = 0; i < a->n_imgs; i++) {
		a->want_img[i] = !filtered;
		for (j = 0; fi && j < fi->n; j++)
			a->want_img[i] |= image_matches(fi->v[j], &a->imgs[i]);
	}
	/* A filter that matches nothing is a mistake worth an error. */
	for (j = 0; fc && j < fc->n && r >= 0; j++) {
		bool found = false;

		for (i = 0; i < a->n_ctrs; i++)
			found |= name_matches(fc->v[j], a->ctrs[i].id, a->ctrs[i].name);
		if (!found && !q[0].err) {
			a->st->missing++;
			r = addf(&a->st->errors, "no container '%s' on this engine", fc->v[j]);
		}
	}
	for (j = 0; fi && j < fi->n && r >= 0; j++) {
		bool found = false;

		for (i = 0; i < a->n_imgs; i++)
			found |= image_matches(fi->v[j], &a->imgs[i]);
		if (!found && !q[1].err) {
			a->st->missing++;
			r = addf(&a->st->errors, "no image '%s' on this engine", fi->v[j]);
		}
	}
	return r;
}

/* ---- containers ------------------------------------------------------------------ */

static int set_host_facts(struct engine_audit *a, struct hd_container_spec *c)
{
	struct hd_live_state *l = c->live;
	const struct hd_engine_facts *f = a->facts;

	l->host_known = f->info_known;
	l->host_apparmor = f->apparmor;
	l->host_selinux = f->selinux;
	l->host_userns = f->userns;
	l->host_rootless = f->rootless;
	l->host_cgroupns_private = f->cgroupns;
	if (a->ln->ep.socket_path && !(l->engine_socket = hd_strdup(a->ln->ep.socket_path)))
		return -HD_ENOMEM;
	if (f->root_dir && !(l->data_root = hd_strdup(f->root_dir)))
		return -HD_ENOMEM;
	return 0;
}

static int ctr_prepare(struct engine_audit *a, struct batch *b, size_t *from)
{
	size_t i;
	int r;

	*from = b->n;
	for (i = 0; i < a->n_ctrs; i++) {
		if (a->want_ctr[i] && (r = batch_add(b, HD_API_CONTAINER_INSPECT, a->ctrs[i].id,
						     a->ctrs[i].name)) < 0)
			return r;
	}
	return 0;
}

static int ctr_consume(struct engine_audit *a, struct batch *b, size_t from, size_t to)
{
	struct hd_diag d = { 0 };
	size_t i, k = from;
	int r;

	r = report_batch(a, b->q + from, to - from, "container", b->names + from);
	for (i = 0; i < a->n_ctrs && r >= 0; i++) {
		struct hd_engine_req *q;
		struct hd_container_spec *c = NULL;

		if (!a->want_ctr[i])
			continue;
		q = &b->q[k++];
		if (q->err)
			continue;
		r = hd_inspect_container(q->body.buf, q->body.len, &c, &d);
		if (r < 0) {
			r = parse_error(a, r, &d, a->ctrs[i].name);
			continue;
		}
		a->specs[i] = c;
		r = set_host_facts(a, c);
	}
	hd_diag_release(&d);
	return r;
}

/* ---- processes from this machine's /proc ------------------------------------------ */

/*
 * When the engine runs on this machine, the processes of every running
 * container are read from /proc in one pass instead of one top request per
 * container (each makes the daemon run ps: about 25 ms).  A process belongs
 * to the container whose full id appears in its /proc/PID/cgroup, which is
 * how the engine itself finds them (cgroupfs "/docker/ID", systemd
 * "docker-ID.scope").  A container whose first process (State.Pid) is not
 * found that way (hardock in another pid namespace, a runtime that names its
 * cgroups otherwise) keeps processes_known false and goes to top.
 */
struct proc_owner {
	const char *id;              /* 64 hex digits */
	struct hd_container_spec *c;
	bool init_seen;
};

static int owner_cmp(const void *a, const void *b)
{
	return strcmp(((const struct proc_owner *)a)->id, ((const struct proc_owner *)b)->id);
}

/* The owner named by an id of a process's cgroup file, or NULL. */
static struct proc_owner *id_owner(const char *id, struct proc_owner *v, size_t n)
{
	struct proc_owner key = { .id = id };

	return bsearch(&key, v, n, sizeof(*v), owner_cmp);
}

static int add_local_process(struct proc_owner *o, int64_t pid)
{
	char path[64], buf[8192], args[8192];
	struct hd_origin at = { 0 };
	struct hd_process *p;
	ssize_t n, i;
	const char *u;
	int r;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/cmdline", pid);
	n = hd_proc_read_small(path, args, sizeof(args));
	if (n <= 0)
		return 0; /* gone, or a kernel thread */
	while (n > 0 && args[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++) {
		if (args[i] == '\0')
			args[i] = ' ';
	}
	args[n] = '\0';
	p = hd_live_add_process(o->c->live);
	if (!p || !(p->args = hd_strdup(args)))
		return -HD_ENOMEM;
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/status", pid);
	if (hd_proc_read_small(path, buf, sizeof(buf)) > 0 && (u = strstr(buf, "\nUid:"))) {
		int64_t uid;
		char num[24];

		u += 5;
		while (*u == ' ' || *u == '\t')
			u++;
		snprintf(num, sizeof(num), "%.*s", (int)strspn(u, "0123456789"), u);
		if (hd_parse_i64(num, 0, INT64_MAX, &uid) == 0)
			p->uid = uid;
	}
	if (pid == o->c->live->pid)
		o->init_seen = true;
	snprintf(path, sizeof(path), "proc: PID %" PRId64, pid);
	r = hd_origin_set(&at, NULL, 0, 0, path);
	if (r >= 0)
		r = hd_items_add(&o->c->processes, args, &at);
	hd_origin_release(&at);
	return r;
}

static int local_processes(struct engine_audit *a)
{
	const struct hd_procs *ps;
	struct hd_procs own;
	struct proc_owner *v;
	size_t n = 0, i;
	int32_t given = 0; /* the process last given to a container */
	int r = 0;

	if (!a->facts->same_host || a->o->processes_from_engine)
		return 0;
	hd_procs_init(&own);
	v = hd_calloc(a->n_ctrs ? a->n_ctrs : 1, sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	for (i = 0; i < a->n_ctrs; i++) {
		struct hd_container_spec *c = a->specs[i];

		if (c && c->running && c->live->pid > 0 && c->id && strlen(c->id) == 64 &&
		    strspn(c->id, "0123456789abcdef") == 64) {
			v[n].id = c->id;
			v[n++].c = c;
		}
	}
	if (!n)
		goto out;
	/* This run's pass over /proc, or one of our own (audit engine alone). */
	ps = a->o->procs;
	if (!ps || !ps->cgroups) {
		r = hd_procs_scan(&own, true);
		ps = &own;
	}
	qsort(v, n, sizeof(*v), owner_cmp);
	/* A process belongs to the first container its cgroup file names (its ids are adjacent). */
	for (i = 0; r >= 0 && i < ps->n_ids; i++) {
		struct proc_owner *o;

		if (ps->ids[i].pid == given || !(o = id_owner(ps->ids[i].id, v, n)))
			continue;
		given = ps->ids[i].pid;
		r = add_local_process(o, given);
	}
	/* Only containers whose first process was found are known; the others go to top. */
	for (i = 0; i < n && r >= 0; i++) {
		struct hd_live_state *l = v[i].c->live;

		if (v[i].init_seen) {
			l->processes_known = true;
			l->processes_local = true;
			continue;
		}
		while (l->n_procs) {
			hd_free(l->procs[--l->n_procs].args);
		}
		while (v[i].c->processes.n) {
			struct hd_item *it = &v[i].c->processes.v[--v[i].c->processes.n];

			hd_free(it->value);
			hd_origin_release(&it->at);
		}
	}
out:
	hd_procs_release(&own);
	hd_free(v);
	return r;
}

/* What a top or exec request belongs to. */
struct live_ref {
	struct hd_container_spec *c;
	size_t exec; /* SIZE_MAX for top */
	char name[200];
};

/* Processes (top) of running containers and every exec session, in one batch. */
static int inspect_live(struct engine_audit *a)
{
	struct hd_engine_req *q = NULL;
	struct live_ref *refs = NULL;
	const char **names = NULL;
	size_t n = 0, cap = 0, i, j;
	struct hd_diag d = { 0 };
	int r = 0;

	for (i = 0; i < a->n_ctrs; i++) {
		struct hd_container_spec *c = a->specs[i];

		if (c)
			cap += (c->running && !c->live->processes_known ? 1 : 0) + c->live->n_execs;
	}
	q = hd_calloc(cap ? cap : 1, sizeof(*q));
	refs = hd_calloc(cap ? cap : 1, sizeof(*refs));
	names = hd_calloc(cap ? cap : 1, sizeof(*names));
	if (!q || !refs || !names) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < a->n_ctrs; i++) {
		struct hd_container_spec *c = a->specs[i];

		if (!c)
			continue;
		if (c->running && !c->live->processes_known) {
			if ((r = hd_engine_req_init(&q[n], HD_API_CONTAINER_TOP, c->id)) < 0)
				goto out;
			refs[n].c = c;
			refs[n].exec = SIZE_MAX;
			snprintf(refs[n].name, sizeof(refs[n].name), "%.150s (processes)", c->name);
			names[n] = refs[n].name;
			n++;
		} else if (!c->running &&
			   !(c->live->processes_note = hd_asprintf("container is %s", c->state ? c->state : "not running"))) {
			r = -HD_ENOMEM;
			goto out;
		}
		for (j = 0; j < c->live->n_execs; j++) {
			if ((r = hd_engine_req_init(&q[n], HD_API_EXEC_INSPECT, c->live->execs[j].id)) < 0)
				goto out;
			refs[n].c = c;
			refs[n].exec = j;
			snprintf(refs[n].name, sizeof(refs[n].name), "%.150s (exec %.12s)", c->name,
				 c->live->execs[j].id);
			names[n] = refs[n].name;
			n++;
		}
		c->live->execs_known = true;
	}
	r = hd_engine_run(a->ln->e, q, n);
	if (r == -HD_ENOMEM)
		goto out;
	r = 0;
	for (i = 0; i < n; i++) {
		struct hd_container_spec *c = refs[i].c;

		if (q[i].err) {
			if (refs[i].exec != SIZE_MAX)
				c->live->execs_known = false;
			/* A container that stopped since it was inspected has no processes. */
			if (refs[i].exec == SIZE_MAX && (q[i].status == 409 || q[i].status == 500)) {
				hd_free(c->live->processes_note);
				c->live->processes_note = hd_strdup("container stopped during the audit");
				q[i].err = 0;
				if (!c->live->processes_note) {
					r = -HD_ENOMEM;
					goto out;
				}
			}
			continue;
		}
		if (refs[i].exec == SIZE_MAX)
			r = hd_inspect_top(q[i].body.buf, q[i].body.len, c, &d);
		else
			r = hd_inspect_exec(q[i].body.buf, q[i].body.len, refs[i].exec, c, &d);
		if (r < 0 && (r = parse_error(a, r, &d, refs[i].name)) < 0)
			goto out;
	}
	r = report_batch(a, q, n, "container", names);
out:
	for (i = 0; q && i < n; i++)
		hd_engine_req_release(&q[i]);
	hd_free(q);
	hd_free(refs);
	hd_free(names);
	hd_diag_release(&d);
	return r;
}

/* ---- images ------------------------------------------------------------------------ */

/* Images asked for, and the images of the containers audited (their USER and HEALTHCHECK). */
static bool image_needed(const struct engine_audit *a, size_t i)
{
	size_t j;

	if (a->want_img[i])
		return true;
	for (j = 0; j < a->n_ctrs; j++) {
		if (a->want_ctr[j] && a->ctrs[j].image_id && !strcmp(a->ctrs[j].image_id, a->imgs[i].id))
			return true;
	}
	return false;
}

static int img_prepare(struct engine_audit *a, struct batch *b, size_t *from)
{
	size_t i;
	int r;

	*from = b->n;
	for (i = 0; i < a->n_imgs; i++) {
		if (image_needed(a, i) &&
		    (r = batch_add(b, HD_API_IMAGE_INSPECT, a->imgs[i].id,
				   a->imgs[i].first_tag ? a->imgs[i].first_tag : a->imgs[i].id)) < 0)
			return r;
	}
	return 0;
}

static int img_consume(struct engine_audit *a, struct batch *b, size_t from, size_t to)
{
	struct hd_diag d = { 0 };
	size_t i, k = from;
	int r;

	r = report_batch(a, b->q + from, to - from, "image", b->names + from);
	for (i = 0; i < a->n_imgs && r >= 0; i++) {
		struct hd_engine_req *q;
		struct hd_image_spec *img = NULL;

		if (!image_needed(a, i))
			continue;
		q = &b->q[k++];
		if (q->err)
			continue;
		r = hd_inspect_image(q->body.buf, q->body.len, a->now, &img, &d);
		if (r < 0) {
			r = parse_error(a, r, &d, b->names[k - 1]);
			continue;
		}
		a->img_specs[i] = img;
	}
	hd_diag_release(&d);
	return r;
}

/* Usage of each image, and what containers learn from their image. */
static int link_images(struct engine_audit *a)
{
	size_t i, j;
	int r;

	for (i = 0; i < a->n_imgs; i++) {
		struct hd_image_spec *img = a->img_specs[i];

		if (!img)
			continue;
		img->usage_known = a->ctrs != NULL;
		for (j = 0; j < a->n_ctrs; j++) {
			if (!a->ctrs[j].image_id || strcmp(a->ctrs[j].image_id, img->id) != 0)
				continue;
			img->n_containers++;
			if (!strcmp(a->ctrs[j].state, "running"))
				img->n_running++;
			if ((r = hd_items_add(&img->used_by, a->ctrs[j].name, NULL)) < 0)
				return r;
		}
	}
	for (j = 0; j < a->n_ctrs; j++) {
		struct hd_container_spec *c = a->specs[j];

		if (!c)
			continue;
		for (i = 0; i < a->n_imgs; i++) {
			const struct hd_image_spec *img = a->img_specs[i];

			if (!img || !c->live->image_id || strcmp(c->live->image_id, img->id) != 0)
				continue;
			c->image_facts.known = true;
			c->image_facts.user_known = true;
			c->image_facts.healthcheck_known = true;
			c->image_facts.has_healthcheck = img->healthcheck.set && !img->healthcheck.disabled;
			if (img->user.set && !(c->image_facts.user = hd_strdup(img->user.value)))
				return -HD_ENOMEM;
			if (!(c->image_facts.source = hd_strdup("image config")))
				return -HD_ENOMEM;
			break;
		}
	}
	return 0;
}

static int count_states(struct engine_audit *a)
{
	struct hd_engine_facts *f = a->facts;
	size_t i;
	int r;

	f->containers_total = a->n_ctrs;
	for (i = 0; i < a->n_ctrs; i++) {
		const char *s = a->ctrs[i].state;

		if (!strcmp(s, "running"))
			f->containers_running++;
		else if (!strcmp(s, "paused"))
			f->containers_paused++, f->containers_running++;
		else if (!strcmp(s, "created"))
			f->containers_created++;
		else if (!strcmp(s, "exited"))
			f->containers_exited++;
		else if (!strcmp(s, "restarting"))
			f->containers_restarting++, f->containers_running++;
		else if (!strcmp(s, "dead"))
			f->containers_dead++;
	}
	/* Containers in the host's cgroup namespace because that is this engine's default. */
	for (i = 0; f->info_known && !f->cgroupns && i < a->n_ctrs; i++) {
		const struct hd_container_spec *c = a->specs[i];

		if (c && c->cgroupns.set && !c->cgroupns.unknown && c->cgroupns.mode == HD_NS_HOST &&
		    (r = hd_items_add(&f->cgroupns_host, c->name, &c->cgroupns.at)) < 0)
			return r;
	}
	f->images_total = a->n_imgs;
	for (i = 0; i < a->n_imgs; i++) {
		if (a->img_specs[i] && a->img_specs[i]->dangling)
			f->images_dangling++;
		if (a->img_specs[i] && a->img_specs[i]->usage_known && !a->img_specs[i]->n_containers)
			f->images_unused++;
	}
	return 0;
}

/* ---- judging ------------------------------------------------------------------------ */

extern const struct hd_rule hd_rule_image_unreadable;

/* The image-files rules SKIP for an image whose layers could not be read at all. */
static int skip_files(struct engine_audit *a, const char *subject, struct hd_checks *checks)
{
	size_t i;
	int r;

	for (i = 0; i < hd_rule_count; i++) {
		if (hd_rules[i]->target != HD_TARGET_IMAGE_FILES || !hd_config_rule_enabled(a->o->cfg, hd_rules[i]))
			continue;
		r = hd_checks_add(checks, hd_rules[i], subject, HD_CHECK_SKIP, "the image's layers could not be read");
		if (r < 0)
			return r;
	}
	return 0;
}

/* What kept (parts of) an image's layers unread: image/unreadable findings. */
static int unreadable(struct engine_audit *a, const struct hd_image_spec *img, char *const *errors, size_t n,
		      struct hd_findings *out)
{
	struct hd_loc loc = { .object = img->name };
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		r = hd_report_rule(out, &hd_rule_image_unreadable, a->o->cfg, &loc, "image '%s': %s", img->name,
				   errors[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * --image-layers: the image streamed from the engine through the image
 * reader, its files judged under the image's subject, its history by the
 * Dockerfile rules (as `hardock image` does).  The stream is one pass over a
 * socket pair; the reader keeps a compact index per layer, so memory stays
 * bounded whatever the image's size.  With a layers cache (a server), an
 * image id is streamed once: later audits judge the kept reading again.
 */
static int judge_layers(struct engine_audit *a, const struct hd_image_spec *img, const char *subject,
			struct hd_findings *out, struct hd_checks *checks)
{
	struct hd_model m = { .cfg = a->o->cfg, .kind = HD_TARGET_IMAGE_FILES };
	const struct hd_layers_entry *ent = a->o->layers_cache ? hd_layers_cache_get(a->o->layers_cache, img->id) : NULL;
	const struct hd_image_set *set;
	struct hd_image_set own = { 0 };
	char *msg = NULL;
	bool judged = false;
	size_t i, n_errors;
	int r = 0;

	if (!ent) {
		struct hd_image_opts io;

		hd_image_opts_init(&io);
		/* Nothing judged here depends on the time (the age rule is the image config's). */
		io.now = 0;
		r = hd_image_analyze_engine(a->ln->e, img->id, &io, &own, &msg);
		if (r < 0) {
			if (r != -HD_ENOMEM)
				r = addf(&a->st->errors, "cannot read the layers of image %s: %s", img->name,
					 msg ? msg : hd_strerror(r));
			hd_free(msg);
			if (r >= 0)
				r = skip_files(a, subject, checks);
			return r;
		}
		if (a->o->layers_cache)
			ent = hd_layers_cache_put(a->o->layers_cache, img->id, &own);
	}
	set = ent ? &ent->set : &own;
	n_errors = set->n_errors;
	r = unreadable(a, img, set->errors, set->n_errors, out);
	for (i = 0; r >= 0 && i < set->n; i++) {
		/* The audit's name for the image (its first tag or short id), not the stream's: on views,
		   since a cached reading is shared. */
		struct hd_image view = set->v[i];
		struct hd_image_files fview;

		n_errors += view.n_errors;
		view.name = (char *)img->name;
		r = unreadable(a, img, view.errors, view.n_errors, out);
		if (r < 0 || !view.files)
			continue;
		fview = *view.files;
		fview.image = img->name;
		view.files = &fview;
		m.files = &fview;
		r = hd_audit_run(&m, subject, false, out, checks);
		if (r >= 0)
			r = hd_image_judge_history(&view, a->o->cfg, out);
		judged = true;
	}
	if (r >= 0 && !judged)
		r = skip_files(a, subject, checks);
	if (r >= 0 && n_errors)
		r = hd_checks_add(checks, &hd_rule_image_unreadable, subject, HD_CHECK_WARN, NULL);
	hd_layers_entry_unref(ent);
	hd_image_set_release(&own);
	return r;
}

static int judge(struct engine_audit *a, struct hd_findings *out, struct hd_checks *checks)
{
	struct hd_model m = { .cfg = a->o->cfg };
	bool filtered = (a->o->containers && a->o->containers->n) || (a->o->images && a->o->images->n);
	/* A whole audit: the readings of images it no longer sees leave the layers cache. */
	bool sweep = !filtered && a->o->image_layers && a->o->layers_cache;
	uint64_t mark = sweep ? hd_layers_cache_mark(a->o->layers_cache) : 0;
	char subject[300];
	size_t i, nc = 0, ni = 0;
	int r;

	if (!filtered && a->facts->info_known) {
		m.kind = HD_TARGET_ENGINE;
		m.engine = a->facts;
		r = hd_audit_run(&m, "engine", false, out, checks);
		if (r < 0)
			return r;
	}
	for (i = 0; i < a->n_ctrs; i++) {
		const struct hd_container_spec *c = a->specs[i];

		if (!c)
			continue;
		snprintf(subject, sizeof(subject), "container %s (%s)", c->name, c->state ? c->state : "?");
		m.kind = HD_TARGET_CONTAINER;
		m.ctr = c;
		r = hd_audit_run(&m, subject, false, out, checks);
		if (r >= 0)
			r = hd_report_object_add(&a->st->objects, &a->st->n_objects, &a->st->alloc_objects,
						 HD_TARGET_CONTAINER, subject, c->name, c->id, c->name,
						 c->image.value);
		if (r < 0)
			return r;
		nc++;
	}
	for (i = 0; i < a->n_imgs; i++) {
		const struct hd_image_spec *img = a->img_specs[i];

		if (!img || !a->want_img[i])
			continue;
		snprintf(subject, sizeof(subject), "image %s", img->name);
		m.kind = HD_TARGET_IMAGE;
		m.img = img;
		r = hd_audit_run(&m, subject, false, out, checks);
		if (r >= 0)
			r = hd_report_object_add(&a->st->objects, &a->st->n_objects, &a->st->alloc_objects,
						 HD_TARGET_IMAGE, subject, img->name, img->id, "", img->name);
		if (r >= 0 && a->o->image_layers)
			r = judge_layers(a, img, subject, out, checks);
		if (r < 0)
			return r;
		ni++;
	}
	if (sweep)
		hd_layers_cache_sweep(a->o->layers_cache, mark);
	a->st->containers = nc;
	a->st->images = ni;
	return 0;
}

static int add_notes(struct engine_audit *a)
{
	const struct hd_engine_facts *f = a->facts;
	int r = 0;

	char audited[64];

	if (a->st->containers == f->containers_total)
		snprintf(audited, sizeof(audited), "all audited");
	else
		snprintf(audited, sizeof(audited), "%zu audited", a->st->containers);
	if (a->ctrs)
		r = addf(&a->st->notes, "%zu containers on %s: %zu running, %zu paused, %zu exited, %zu "
			 "created, %zu restarting, %zu dead (%s)", f->containers_total,
			 f->endpoint, f->containers_running - f->containers_paused - f->containers_restarting,
			 f->containers_paused, f->containers_exited, f->containers_created,
			 f->containers_restarting, f->containers_dead, audited);
	if (r >= 0 && f->info_known && !f->same_host)
		r = addf(&a->st->notes, "the engine at %s runs on '%s', not on this machine: host and "
			 "daemon checks of this machine do not describe it", f->endpoint,
			 f->name ? f->name : "another host");
	if (r >= 0 && (f->swarm == HD_SWARM_INACTIVE))
		r = addf(&a->st->notes, "swarm mode is off: swarm checks do not apply");
	return r;
}

int hd_audit_engine(const struct hd_audit_opts *o, struct hd_findings *f, struct hd_checks *c)
{
	struct hd_engine_audit_status local;
	struct engine_audit a = { .o = o };
	bool have_facts = false;
	int r;

	a.ln = &a.own;

	if (o->status)
		a.st = o->status;
	else {
		hd_engine_audit_status_init(&local);
		a.st = &local;
	}
	if (o->offline || o->root) {
		r = addf(&a.st->notes, "the engine audit needs a running engine; skipped with --root");
		goto out;
	}
	a.now = (int64_t)time(NULL);
	if (o->link && o->link->e && o->link->facts) {
		/* The caller's connection, and the /info it read (taken: one audit per link). */
		a.ln = o->link;
		a.facts = o->link->facts;
		o->link->facts = NULL;
		have_facts = true;
	} else if ((r = connect_engine(&a)) < 0) {
		goto out;
	}
	/* Round trip 1: facts and lists.  2: inspects (containers, images, swarm lists). */
	{
		struct batch b = { 0 };
		size_t ffrom = 0, lfrom, cfrom, ifrom, sfrom, sn;

		if ((!have_facts && (r = facts_prepare(&a, &b, &ffrom, false)) < 0) ||
		    (r = lists_prepare(&a, &b, &lfrom)) < 0 || (r = batch_run(&a, &b)) < 0 ||
		    (!have_facts && (r = facts_consume(&a, &b, ffrom, false)) < 0) ||
		    (r = lists_consume(&a, &b, lfrom)) < 0) {
			batch_release(&b);
			goto out;
		}
		batch_release(&b);
		if ((r = ctr_prepare(&a, &b, &cfrom)) < 0 || (r = img_prepare(&a, &b, &ifrom)) < 0 ||
		    (r = swarm_prepare(&a, &b, &sfrom, &sn)) < 0 || (r = batch_run(&a, &b)) < 0 ||
		    (r = swarm_consume(&a, &b, sfrom, sn)) < 0 || (r = img_consume(&a, &b, ifrom, sfrom)) < 0) {
			batch_release(&b);
			goto out;
		}
		r = ctr_consume(&a, &b, cfrom, ifrom);
		batch_release(&b);
		if (r < 0)
			goto out;
	}
	/* Round trip 3, when needed: top (engines elsewhere) and exec sessions. */
	if ((r = local_processes(&a)) < 0 || (r = inspect_live(&a)) < 0 || (r = link_images(&a)) < 0)
		goto out;
	if ((r = count_states(&a)) < 0 || (r = judge(&a, f, c)) < 0 || (r = add_notes(&a)) < 0)
		goto out;
	if (a.st == o->status) {
		a.st->facts = a.facts;
		a.facts = NULL;
	}
out:
	audit_release(&a);
	if (a.st == &local)
		hd_engine_audit_status_release(&local);
	return r;
}
