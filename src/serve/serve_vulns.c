/*
 * `hardock serve --vulns` (serve.h): the vulnerabilities of the engine's
 * images, through the same scan as `hardock audit --vulns`
 * (session/vulnscan.h: catalogues cached by layer chain in DB/images/,
 * matching redone every time).
 *
 * One thread does it all, so a scan never holds up the audits, the events
 * or a scrape: after every full audit it scans every image of the engine
 * (at most HD_MAX_VULN_IMAGES); after an event about an image (pull, tag,
 * load, import) it scans that image only.  The database is opened again
 * for every scan and its sources' times read again, so a `hardock db
 * update` made meanwhile applies at the next scan.  When the database
 * cannot be read any more, the last results and ages stay, the error is
 * logged once and /healthz says it, until a scan can read it again.
 *
 * Each image's result (struct sv_vulns) is published as soon as it is
 * done; publish() joins it to the store's image object of the same id.
 */
#include "core/common.h"
#include "core/limits.h"
#include "engine/client.h"
#include "serve/serve_int.h"
#include "session/vulnscan.h"
#include "vuln/db.h"

#include <time.h>

#define VQUEUE_MAX 1024u

void sv_vulns_unref(struct sv_vulns *v)
{
	if (!v || atomic_fetch_sub(&v->refs, 1) != 1)
		return;
	hd_free(v->id);
	hd_findings_release(&v->findings);
	hd_free(v);
}

struct sv_vulns *sv_vulns_find(const struct hd_server *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n_vulns; i++) {
		if (!strcmp(s->vulns[i]->id, id))
			return s->vulns[i];
	}
	return NULL;
}

void sv_dbs_free(struct sv_db *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		hd_free(v[i].source);
	hd_free(v);
}

int sv_dbs_copy(const struct sv_db *v, size_t n, struct sv_db **ret)
{
	struct sv_db *c;
	size_t i;

	*ret = NULL;
	if (!n)
		return 0;
	c = hd_calloc(n, sizeof(*c));
	if (!c)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++) {
		c[i].time = v[i].time;
		if (!(c[i].source = hd_strdup(v[i].source))) {
			sv_dbs_free(c, n);
			return -HD_ENOMEM;
		}
	}
	*ret = c;
	return 0;
}

void sv_vulns_queue(struct hd_server *s, const struct sv_event *ev)
{
	size_t i;

	for (i = 0; i < s->n_vqueue; i++) {
		if (!strcmp(s->vqueue[i].id, ev->id))
			return;
	}
	if (s->n_vqueue >= VQUEUE_MAX || HD_GROW(s->vqueue, s->alloc_vqueue, s->n_vqueue + 1) < 0)
		s->vcycle = true; /* too much at once: a whole scan sees it all */
	else
		s->vqueue[s->n_vqueue++] = *ev;
	pthread_cond_signal(&s->cv_vulns);
}

/* Puts v in place of the entry of its id (reference taken over; mu held). */
static int vulns_put(struct hd_server *s, struct sv_vulns *v)
{
	size_t i;

	for (i = 0; i < s->n_vulns; i++) {
		if (!strcmp(s->vulns[i]->id, v->id)) {
			sv_vulns_unref(s->vulns[i]);
			s->vulns[i] = v;
			return 0;
		}
	}
	if (s->n_vulns >= HD_MAX_VULN_IMAGES || HD_GROW(s->vulns, s->alloc_vulns, s->n_vulns + 1) < 0) {
		sv_vulns_unref(v);
		return s->n_vulns >= HD_MAX_VULN_IMAGES ? -HD_ETOOBIG : -HD_ENOMEM;
	}
	s->vulns[s->n_vulns++] = v;
	return 0;
}

/* After each image of a scan: its result replaces the last one, published at once. */
static int each_image(void *ctx, const struct hd_vulnscan_image *im)
{
	struct hd_server *s = ctx;
	struct sv_vulns *v = hd_calloc(1, sizeof(*v)), *old;
	size_t i;
	int r = 0;

	if (!v || !(v->id = hd_strdup(im->id))) {
		hd_free(v);
		return -HD_ENOMEM;
	}
	atomic_init(&v->refs, 1);
	hd_findings_init(&v->findings);
	v->failed = im->failed;
	memcpy(v->counts, im->counts, sizeof(v->counts));
	for (i = 0; r >= 0 && i < im->findings->n; i++)
		r = hd_findings_add_copy(&v->findings, &im->findings->v[i]);
	if (r < 0) {
		sv_vulns_unref(v);
		return r;
	}
	hd_findings_sort(&v->findings);
	pthread_mutex_lock(&s->mu);
	v->gen = s->vgen;
	/* An image that could not be read this time keeps what an earlier scan found (seen by this cycle). */
	if (v->failed && (old = sv_vulns_find(s, v->id))) {
		old->gen = v->gen;
		sv_vulns_unref(v);
	} else
		r = vulns_put(s, v);
	if (r >= 0)
		r = sv_publish(s);
	pthread_mutex_unlock(&s->mu);
	if (r == -HD_ETOOBIG) {
		sv_log(s, true, "vulnerabilities: more than %u images: image %.64s is not kept", HD_MAX_VULN_IMAGES,
		       im->name);
		r = 0;
	}
	return r;
}

/* A scan cycle that ended: entries of images it did not see are dropped (mu held). */
static void vulns_prune(struct hd_server *s, uint64_t gen)
{
	size_t i, k;

	for (i = k = 0; i < s->n_vulns; i++) {
		if (s->vulns[i]->gen >= gen)
			s->vulns[k++] = s->vulns[i];
		else
			sv_vulns_unref(s->vulns[i]);
	}
	s->n_vulns = k;
}

/*
 * The database, opened again: its sources and their times into *ret, or an
 * error text in *why (a new string).  Returns the open database or NULL.
 */
static struct hd_vdb *open_db(struct hd_server *s, struct sv_db **ret, size_t *n_ret, char **why)
{
	struct hd_vdb_source *src = NULL;
	struct hd_diag d = { 0 };
	struct hd_vdb *db = NULL;
	struct sv_db *v = NULL;
	size_t n = 0, i;
	int r;

	*ret = NULL;
	*n_ret = 0;
	*why = NULL;
	r = hd_vdb_open(s->o->vuln_db, false, &db, &d);
	if (r >= 0 && hd_vdb_age(db, (int64_t)time(NULL)) < 0)
		*why = hd_strdup("it holds no source (run 'hardock db update')");
	else if (r >= 0 && (r = hd_vdb_sources(db, &src, &n)) >= 0 && n && !(v = hd_calloc(n, sizeof(*v))))
		r = -HD_ENOMEM;
	for (i = 0; r >= 0 && !*why && i < n; i++) {
		v[i].time = src[i].feed_time ? src[i].feed_time : src[i].imported_at;
		if (!(v[i].source = hd_strdup(src[i].name)))
			r = -HD_ENOMEM;
	}
	hd_vdb_sources_free(src, n);
	if (r < 0 && !*why)
		*why = hd_strdup(d.msg ? d.msg : hd_strerror(r));
	hd_diag_release(&d);
	if (*why || r < 0) {
		sv_dbs_free(v, n);
		hd_vdb_close(db);
		return NULL;
	}
	*ret = v;
	*n_ret = n;
	return db;
}

/* One scan: every image (cycle), or the images of batch. */
static void vulns_run(struct hd_server *s, bool cycle, const struct sv_event *batch, size_t n)
{
	struct hd_engine_client_opts co = { .connect_timeout_ms = 5000, .timeout_ms = 600000, .parallel = 1 };
	struct hd_vulnscan_result res = { 0 };
	struct hd_vulnscan_opts vo;
	struct hd_engine *e = NULL;
	struct hd_vdb *db;
	struct sv_db *dbs;
	char *why, *cache = NULL, *err = NULL;
	size_t n_dbs, i;
	uint64_t gen;
	int r;

	db = open_db(s, &dbs, &n_dbs, &why);
	pthread_mutex_lock(&s->mu);
	if (!db) {
		bool again = s->vdb_error && why && !strcmp(s->vdb_error, why);

		if (!again)
			sv_log(s, true, "vulnerabilities: cannot read the database in '%s': %s; the last results are "
			       "kept", s->o->vuln_db, why ? why : hd_strerror(-HD_ENOMEM));
		hd_free(s->vdb_error);
		s->vdb_error = why;
		pthread_mutex_unlock(&s->mu);
		return;
	}
	if (s->vdb_error)
		sv_log(s, false, "vulnerabilities: the database in '%s' can be read again", s->o->vuln_db);
	hd_free(s->vdb_error);
	s->vdb_error = NULL;
	sv_dbs_free(s->dbs, s->n_dbs);
	s->dbs = dbs;
	s->n_dbs = n_dbs;
	gen = cycle ? ++s->vgen : s->vgen;
	r = sv_publish(s);
	pthread_mutex_unlock(&s->mu);

	memset(&vo, 0, sizeof(vo));
	cache = hd_asprintf("%s/images", s->o->vuln_db);
	vo.db = db;
	vo.cache_dir = cache;
	vo.vo.ignore_unfixed = s->o->vuln_ignore_unfixed;
	vo.vo.show_minor = s->o->vuln_show_minor;
	vo.vo.cfg = s->o->audit->cfg;
	vo.vo.now = (int64_t)time(NULL);
	vo.cfg = s->o->audit->cfg;
	vo.each = each_image;
	vo.each_ctx = s;
	if (r >= 0 && !cache)
		r = -HD_ENOMEM;
	if (r >= 0)
		r = hd_engine_open(&s->ep, &co, &e);
	if (r >= 0)
		r = hd_engine_negotiate(e, &err);
	if (r >= 0 && cycle) {
		r = hd_vulnscan_engine(e, &vo, NULL, &res);
		pthread_mutex_lock(&s->mu);
		if (r >= 0)
			vulns_prune(s, gen);
		pthread_mutex_unlock(&s->mu);
	}
	for (i = 0; r >= 0 && !cycle && i < n && !*s->stop; i++) {
		r = hd_vulnscan_engine_image(e, &vo, batch[i].id, NULL, &res);
		if (r == -HD_ENOENT)
			r = 0; /* gone meanwhile: its removal is the audit's */
	}
	for (i = 0; i < res.n_msgs; i++) {
		if (res.msgs[i].error)
			sv_log(s, true, "vulnerabilities: %s", res.msgs[i].text);
	}
	if (r < 0 && !res.n_msgs)
		sv_log(s, true, "vulnerabilities: %s", err ? err : hd_strerror(r));
	hd_vulnscan_result_release(&res);
	hd_engine_close(e);
	hd_vdb_close(db);
	hd_free(cache);
	hd_free(err);
}

void *sv_vulns_main(void *arg)
{
	struct hd_server *s = arg;

	pthread_mutex_lock(&s->mu);
	while (!*s->stop) {
		struct sv_event *batch;
		size_t n;
		bool cycle;

		if (!s->vcycle && !s->n_vqueue) {
			sv_wait(s, &s->cv_vulns, 1000);
			continue;
		}
		cycle = s->vcycle;
		s->vcycle = false;
		batch = s->vqueue;
		n = s->n_vqueue;
		s->vqueue = NULL;
		s->n_vqueue = s->alloc_vqueue = 0;
		pthread_mutex_unlock(&s->mu);
		/* A whole scan covers the queued images too. */
		vulns_run(s, cycle, batch, cycle ? 0 : n);
		hd_free(batch);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}
