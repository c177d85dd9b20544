/*
 * `hardock serve` (serve.h, serve_int.h): the store of results object by
 * object, the snapshots the HTTP threads serve, the full audits on the main
 * thread and the re-judgements after engine events on a thread of their
 * own, so that an event is answered within a second even while a full
 * audit runs.
 */
#include "core/common.h"
#include "core/dl.h"
#include "core/limits.h"
#include "engine/client.h"
#include "image/image.h"
#include "report/prometheus.h"
#include "report/report_int.h"
#include "audit/layers_cache.h"
#include "authz/sandbox.h"
#include "serve/serve_int.h"

#include <linux/capability.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define INTERVAL_DEFAULT_MS 300000
#define QUEUE_MAX 4096u
#define BACKLOG 4096

/* ---- small things ------------------------------------------------------------------- */

int64_t sv_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sv_log(struct hd_server *s, bool error, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	if (!s->o->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->o->log(s->o->log_ctx, error, msg);
}

void sv_wait(struct hd_server *s, pthread_cond_t *cv, int64_t ms)
{
	struct timespec ts;

	if (*s->stop)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(cv, &s->mu, &ts);
}

/* ---- objects -------------------------------------------------------------------------- */

static struct sv_obj *obj_new(enum hd_target kind)
{
	struct sv_obj *o = hd_calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	atomic_init(&o->refs, 1);
	o->kind = kind;
	hd_findings_init(&o->findings);
	hd_checks_init(&o->checks);
	return o;
}

static struct sv_obj *obj_ref(struct sv_obj *o)
{
	if (o)
		atomic_fetch_add(&o->refs, 1);
	return o;
}

static void obj_unref(struct sv_obj *o)
{
	if (!o || atomic_fetch_sub(&o->refs, 1) != 1)
		return;
	hd_report_objects_free(o->label, o->n_label);
	hd_findings_release(&o->findings);
	hd_checks_release(&o->checks);
	hd_free(o);
}

static const char *obj_id(const struct sv_obj *o)
{
	return o->n_label ? o->label[0].id : "";
}

static int obj_set_label(struct sv_obj *o, const struct hd_report_object *l)
{
	return hd_report_object_add(&o->label, &o->n_label, &o->alloc_label, l->target, l->subject, l->object,
				    l->id, l->name, l->image);
}

/* Objects of the store or of a result, by the name their findings carry and their subject. */
struct index {
	struct sv_obj **by;   /* parallel to the result's objects */
	size_t n;
};

/* The object of a result a check belongs to, by subject; NULL: the base. */
static struct sv_obj *by_subject(const struct index *ix, const struct hd_audit_result *res, const char *subject)
{
	size_t i;

	for (i = 0; subject && i < ix->n; i++) {
		if (!strcmp(res->objects[i].subject, subject))
			return ix->by[i];
	}
	return NULL;
}

static struct sv_obj *by_object(const struct index *ix, const struct hd_audit_result *res, enum hd_target t,
				const char *object)
{
	size_t i;

	for (i = 0; object && i < ix->n; i++) {
		if (res->objects[i].target == t && !strcmp(res->objects[i].object, object))
			return ix->by[i];
	}
	return NULL;
}

/*
 * Splits a result into objects: one per container and image it judged,
 * and *base (when base is not NULL) for everything else.  The objects are
 * returned in ix->by, parallel to res->objects.
 */
static int split(const struct hd_audit_result *res, struct sv_obj **base, struct index *ix)
{
	size_t i;
	int r = 0;

	ix->n = 0;
	ix->by = hd_calloc(res->n_objects ? res->n_objects : 1, sizeof(*ix->by));
	if (!ix->by)
		return -HD_ENOMEM;
	for (i = 0; i < res->n_objects; i++) {
		struct sv_obj *o = obj_new(res->objects[i].target);

		if (!o)
			return -HD_ENOMEM;
		ix->by[ix->n++] = o;
		if ((r = obj_set_label(o, &res->objects[i])) < 0)
			return r;
	}
	if (base && !(*base = obj_new(HD_TARGET_HOST)))
		return -HD_ENOMEM;
	for (i = 0; r >= 0 && i < res->checks.n; i++) {
		const struct hd_check_result *c = &res->checks.v[i];
		struct sv_obj *o = by_subject(ix, res, c->subject);

		if (!o)
			o = base ? *base : NULL;
		if (o)
			r = hd_checks_add(&o->checks, c->rule, c->subject, c->status, c->note);
	}
	for (i = 0; r >= 0 && i < res->findings.n; i++) {
		const struct hd_finding *f = &res->findings.v[i];
		enum hd_target t = f->rule->target == HD_TARGET_IMAGE_FILES ? HD_TARGET_IMAGE : f->rule->target;
		struct sv_obj *o = NULL;

		/* An image's history judged by the Dockerfile rules (--image-layers) is the image's. */
		if (f->rule->target == HD_TARGET_DOCKERFILE && !f->file && f->object)
			t = HD_TARGET_IMAGE;
		if ((!f->file || f->rule->target == HD_TARGET_IMAGE_FILES) &&
		    (t == HD_TARGET_CONTAINER || t == HD_TARGET_IMAGE))
			o = by_object(ix, res, t, f->object);
		if (!o)
			o = base ? *base : NULL;
		if (o)
			r = hd_findings_add_copy(&o->findings, f);
	}
	for (i = 0; i < ix->n; i++)
		hd_findings_sort(&ix->by[i]->findings);
	if (base && *base)
		hd_findings_sort(&(*base)->findings);
	return r;
}

static void index_release(struct index *ix)
{
	size_t i;

	for (i = 0; ix->by && i < ix->n; i++)
		obj_unref(ix->by[i]);
	hd_free(ix->by);
	ix->by = NULL;
	ix->n = 0;
}

/* The store's object of this kind and id, or its index n_objs. */
static size_t store_find(const struct hd_server *s, enum hd_target kind, const char *id)
{
	size_t i;

	for (i = 0; i < s->n_objs; i++) {
		if (s->objs[i]->kind == kind && !strcmp(obj_id(s->objs[i]), id))
			return i;
	}
	return s->n_objs;
}

/* Puts o in the store in place of the object of its kind and id (reference taken over). */
static int store_put(struct hd_server *s, struct sv_obj *o)
{
	size_t i = store_find(s, o->kind, obj_id(o));

	if (i < s->n_objs) {
		obj_unref(s->objs[i]);
		s->objs[i] = o;
		return 0;
	}
	if (HD_GROW(s->objs, s->alloc_objs, s->n_objs + 1) < 0) {
		obj_unref(o);
		return -HD_ENOMEM;
	}
	s->objs[s->n_objs++] = o;
	return 0;
}

/* A tombstone: the object of this kind and id was removed at now. */
static int store_remove(struct hd_server *s, enum hd_target kind, const char *id, int64_t now)
{
	struct hd_report_object l = { .target = kind, .id = (char *)id };
	struct sv_obj *o = obj_new(kind);

	if (!o || obj_set_label(o, &l) < 0) {
		obj_unref(o);
		return -HD_ENOMEM;
	}
	o->gone = true;
	o->touched_ms = now;
	return store_put(s, o);
}

/*
 * A full audit that began at started: its objects replace the store's,
 * except those events touched after it began, which keep what the events
 * said (tombstones included); objects it no longer lists are dropped.
 */
static int store_apply_full(struct hd_server *s, const struct hd_audit_result *res, int64_t started)
{
	struct sv_obj *base = NULL, **keep = NULL;
	struct index ix = { 0 };
	size_t i, n = 0, alloc = 0;
	int r;

	r = split(res, &base, &ix);
	for (i = 0; r >= 0 && i < s->n_objs; i++) {
		if (s->objs[i]->touched_ms > started && HD_GROW(keep, alloc, n + 1) >= 0)
			keep[n++] = obj_ref(s->objs[i]);
		else if (s->objs[i]->touched_ms > started)
			r = -HD_ENOMEM;
	}
	for (i = 0; r >= 0 && i < ix.n; i++) {
		size_t k;
		bool newer = false;

		for (k = 0; k < n; k++)
			newer |= keep[k]->kind == ix.by[i]->kind && !strcmp(obj_id(keep[k]), obj_id(ix.by[i]));
		if (!newer && HD_GROW(keep, alloc, n + 1) >= 0)
			keep[n++] = obj_ref(ix.by[i]);
		else if (!newer)
			r = -HD_ENOMEM;
	}
	if (r < 0) {
		for (i = 0; i < n; i++)
			obj_unref(keep[i]);
		hd_free(keep);
		obj_unref(base);
		index_release(&ix);
		return r;
	}
	for (i = 0; i < s->n_objs; i++)
		obj_unref(s->objs[i]);
	hd_free(s->objs);
	s->objs = keep;
	s->n_objs = n;
	s->alloc_objs = alloc;
	obj_unref(s->base);
	s->base = base;
	index_release(&ix);
	return 0;
}

/* One object judged again after an event about `id`. */
static int store_apply_one(struct hd_server *s, const struct sv_event *ev, const struct hd_audit_result *res,
			   int64_t now)
{
	struct index ix = { 0 };
	size_t i;
	int r;

	if (!res->n_objects) {
		/* Gone when the engine answered and said so; otherwise keep what is known. */
		if (!res->engine_unusable && res->missing)
			return store_remove(s, ev->kind, ev->id, now);
		return 0;
	}
	r = split(res, NULL, &ix);
	for (i = 0; r >= 0 && i < ix.n; i++) {
		ix.by[i]->touched_ms = now;
		r = store_put(s, obj_ref(ix.by[i]));
	}
	index_release(&ix);
	return r;
}

/* ---- snapshots ------------------------------------------------------------------------ */

static void snap_free(struct sv_snap *sn)
{
	size_t i;

	for (i = 0; i < sn->n_objs; i++) {
		obj_unref(sn->objs[i]);
		if (sn->vulns)
			sv_vulns_unref(sn->vulns[i]);
	}
	hd_free(sn->objs);
	hd_free(sn->vulns);
	sv_dbs_free(sn->dbs, sn->n_dbs);
	hd_buf_release(&sn->text);
	hd_buf_release(&sn->om);
	hd_free(sn->html);
	pthread_mutex_destroy(&sn->html_mu);
	hd_free(sn);
}

void sv_snap_unref(struct sv_snap *sn)
{
	if (sn && atomic_fetch_sub(&sn->refs, 1) == 1)
		snap_free(sn);
}

struct sv_snap *sv_snap_get(struct hd_server *s)
{
	struct sv_snap *sn;

	pthread_mutex_lock(&s->snap_mu);
	sn = s->snap;
	if (sn)
		atomic_fetch_add(&sn->refs, 1);
	pthread_mutex_unlock(&s->snap_mu);
	return sn;
}

/* Host, daemon and engine first, then containers and images by name. */
static int obj_cmp(const void *pa, const void *pb)
{
	const struct sv_obj *a = *(const struct sv_obj *const *)pa, *b = *(const struct sv_obj *const *)pb;
	int c;

	if (a->kind != b->kind)
		return a->kind == HD_TARGET_HOST ? -1 : b->kind == HD_TARGET_HOST ? 1 :
		       a->kind == HD_TARGET_CONTAINER ? -1 : 1;
	if (!a->n_label || !b->n_label)
		return (int)a->n_label - (int)b->n_label;
	c = strcmp(a->label[0].object, b->label[0].object);
	return c ? c : strcmp(a->label[0].id, b->label[0].id);
}

int sv_publish(struct hd_server *s)
{
	struct sv_snap *sn = hd_calloc(1, sizeof(*sn)), *old;
	struct hd_prom *p = hd_prom_new();
	size_t i;
	int r = 0;

	if (!sn || !p) {
		hd_free(sn);
		hd_prom_free(p);
		return -HD_ENOMEM;
	}
	atomic_init(&sn->refs, 1);
	pthread_mutex_init(&sn->html_mu, NULL);
	hd_buf_init(&sn->text, SIZE_MAX / 2);
	hd_buf_init(&sn->om, SIZE_MAX / 2);
	sn->has_audit = s->has_audit;
	sn->finished = s->finished;
	sn->duration = s->duration;
	sn->made_at = (int64_t)time(NULL);
	sn->objs = hd_calloc(s->n_objs + 1, sizeof(*sn->objs));
	if (!sn->objs)
		r = -HD_ENOMEM;
	if (r >= 0 && s->base)
		sn->objs[sn->n_objs++] = obj_ref(s->base);
	for (i = 0; r >= 0 && i < s->n_objs; i++) {
		if (!s->objs[i]->gone)
			sn->objs[sn->n_objs++] = obj_ref(s->objs[i]);
	}
	if (r >= 0)
		qsort(sn->objs, sn->n_objs, sizeof(*sn->objs), obj_cmp);
	sn->vulns = hd_calloc(sn->n_objs + 1, sizeof(*sn->vulns));
	if (!sn->vulns)
		r = -HD_ENOMEM;
	if (r >= 0)
		r = sv_dbs_copy(s->dbs, s->n_dbs, &sn->dbs);
	if (r >= 0)
		sn->n_dbs = s->n_dbs;
	for (i = 0; r >= 0 && i < sn->n_objs; i++) {
		const struct sv_obj *o = sn->objs[i];
		bool image = o->kind == HD_TARGET_IMAGE && o->n_label;
		struct sv_vulns *v = image ? sv_vulns_find(s, obj_id(o)) : NULL;

		r = hd_prom_add_findings(p, &o->findings, o->label, o->n_label);
		if (r >= 0)
			r = hd_prom_add_checks(p, o->checks.v, o->checks.n, o->label, o->n_label);
		if (r >= 0 && v && !v->failed) {
			atomic_fetch_add(&v->refs, 1);
			sn->vulns[i] = v;
			r = hd_prom_add_findings_of(p, &v->findings, &o->label[0]);
			if (r >= 0) {
				struct hd_report_vulns c[HD_PROM_IMAGE_VULNS];

				hd_prom_image_vulns(o->label[0].image, (const size_t(*)[2])v->counts, c);
				r = hd_prom_add_vulns(p, c, HD_PROM_IMAGE_VULNS);
			}
		}
	}
	if (r >= 0)
		r = hd_prom_write_series(p, &sn->text, false);
	if (r >= 0)
		r = hd_prom_write_series(p, &sn->om, true);
	sn->n_series = hd_prom_series(p);
	hd_prom_free(p);
	if (r < 0) {
		snap_free(sn);
		return r;
	}
	pthread_mutex_lock(&s->snap_mu);
	old = s->snap;
	s->snap = sn;
	pthread_mutex_unlock(&s->snap_mu);
	sv_snap_unref(old);
	return 0;
}

const char *sv_snap_html(struct hd_server *s, struct sv_snap *sn, size_t *len)
{
	static const char *const inputs[] = { "host", "daemon", "engine" };
	struct hd_output_opts ro = { .command = "serve", .checks = true };
	struct hd_check_result *checks = NULL;
	struct hd_findings none;
	struct hd_output *out = NULL;
	size_t i, n = 0, total = 0;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int r;

	pthread_mutex_lock(&sn->html_mu);
	if (sn->html_tried)
		goto done;
	sn->html_tried = true;
	ro.inputs = inputs;
	ro.n_inputs = HD_ARRAY_SIZE(inputs);
	ro.has_time = true;
	ro.generated_at = sn->has_audit ? (int64_t)sn->finished : sn->made_at;
	/* The database's age is its oldest source's, as the commands say it. */
	for (i = 0; i < sn->n_dbs; i++) {
		int64_t age = ro.generated_at - sn->dbs[i].time;

		if (!ro.has_db_age || age > ro.db_age)
			ro.db_age = age;
		ro.has_db_age = true;
	}
	for (i = 0; i < sn->n_objs; i++)
		total += sn->objs[i]->checks.n;
	checks = hd_calloc(total ? total : 1, sizeof(*checks));
	f = checks ? open_memstream(&buf, &size) : NULL;
	if (!f) {
		hd_free(checks);
		goto done;
	}
	hd_findings_init(&none);
	r = hd_output_begin(&hd_reporter_html, f, &ro, &out);
	for (i = 0; r >= 0 && i < sn->n_objs; i++) {
		const struct sv_obj *o = sn->objs[i];

		r = hd_output_add(out, &o->findings);
		if (r >= 0 && sn->vulns[i])
			r = hd_output_add(out, &sn->vulns[i]->findings);
		memcpy(checks + n, o->checks.v, o->checks.n * sizeof(*checks));
		n += o->checks.n;
	}
	if (r >= 0)
		r = hd_output_checks(out, checks, n, &none);
	if (out && hd_output_end(out, 0) < 0)
		r = -HD_EIO;
	hd_free(checks);
	if (fclose(f) != 0 || r < 0) {
		sv_log(s, true, "cannot render the HTML report: %s", hd_strerror(r < 0 ? r : -HD_EIO));
		free(buf); /* open_memstream's buffer comes from malloc */
		goto done;
	}
	sn->html = hd_strndup(buf, size);
	sn->html_len = sn->html ? size : 0;
	free(buf);
done:
	pthread_mutex_unlock(&sn->html_mu);
	*len = sn->html_len;
	return sn->html;
}

/* ---- events and audits ------------------------------------------------------------------ */

void sv_queue_event(struct hd_server *s, const struct sv_event *ev)
{
	size_t i;

	pthread_mutex_lock(&s->mu);
	/* The same object twice in the queue is judged once; removal wins. */
	for (i = 0; i < s->n_queue; i++) {
		if (s->queue[i].kind == ev->kind && !strcmp(s->queue[i].id, ev->id)) {
			s->queue[i].gone |= ev->gone;
			goto out;
		}
	}
	if (s->n_queue >= QUEUE_MAX || HD_GROW(s->queue, s->alloc_queue, s->n_queue + 1) < 0) {
		/* Too much at once: a full audit sees it all. */
		s->audit_wanted = true;
		pthread_cond_signal(&s->cv_audit);
		goto out;
	}
	s->queue[s->n_queue++] = *ev;
	pthread_cond_broadcast(&s->cv_events);
out:
	/* An image pulled, tagged or loaded: its vulnerabilities too (serve_vulns.c). */
	if (s->o->vulns && ev->kind == HD_TARGET_IMAGE && !ev->gone)
		sv_vulns_queue(s, ev);
	pthread_mutex_unlock(&s->mu);
}

void sv_want_audit(struct hd_server *s)
{
	pthread_mutex_lock(&s->mu);
	s->audit_wanted = true;
	pthread_cond_signal(&s->cv_audit);
	pthread_mutex_unlock(&s->mu);
}

static void log_msgs(struct hd_server *s, const struct hd_audit_result *res, const char *what)
{
	size_t i;

	for (i = 0; i < res->n_msgs; i++) {
		if (res->msgs[i].error)
			sv_log(s, true, "%s: %s", what, res->msgs[i].text);
	}
}

/*
 * Takes the queued events of one kind into *batch (mu held); the others
 * stay.  Returns how many, or 0 (also when out of memory: they stay queued).
 */
static size_t take_events(struct hd_server *s, enum hd_target kind, struct sv_event **batch)
{
	size_t i, k, n = 0;

	for (i = 0; i < s->n_queue; i++)
		n += s->queue[i].kind == kind;
	if (!n || !(*batch = hd_calloc(n, sizeof(**batch))))
		return 0;
	for (i = k = n = 0; i < s->n_queue; i++) {
		if (s->queue[i].kind == kind)
			(*batch)[n++] = s->queue[i];
		else
			s->queue[k++] = s->queue[i];
	}
	s->n_queue = k;
	return n;
}

struct rejudge_arg {
	struct hd_server *s;
	enum hd_target kind;
};

/*
 * A re-judge thread: one object after another, as events name them.  There
 * are two, one for containers and one for images, so that an image whose
 * layers are streamed (--image-layers) never holds up a container's event.
 */
static void *rejudge_main(void *arg)
{
	const struct rejudge_arg *ra = arg;
	struct hd_server *s = ra->s;
	struct hd_audit_session *as = NULL;
	struct sv_event *batch = NULL;
	size_t n = 0, i;

	if (hd_audit_session_new(s->o->audit, &as) < 0) {
		sv_log(s, true, "cannot start re-judging: %s", hd_strerror(-HD_ENOMEM));
		return NULL;
	}
	pthread_mutex_lock(&s->mu);
	while (!*s->stop) {
		n = take_events(s, ra->kind, &batch);
		if (!n) {
			sv_wait(s, &s->cv_events, 500);
			continue;
		}
		pthread_mutex_unlock(&s->mu);
		for (i = 0; i < n && !*s->stop; i++) {
			struct hd_audit_result res;
			int64_t now = sv_now_ms();
			int r = 0;

			hd_audit_result_init(&res);
			if (!batch[i].gone)
				r = batch[i].kind == HD_TARGET_CONTAINER ?
					    hd_audit_session_container(as, batch[i].id, &res) :
					    hd_audit_session_image(as, batch[i].id, &res);
			pthread_mutex_lock(&s->mu);
			if (batch[i].gone)
				r = store_remove(s, batch[i].kind, batch[i].id, now);
			else if (r >= 0)
				r = store_apply_one(s, &batch[i], &res, now);
			if (r >= 0)
				r = sv_publish(s);
			pthread_mutex_unlock(&s->mu);
			if (r < 0)
				sv_log(s, true, "cannot judge %s %.64s again: %s", batch[i].kind == HD_TARGET_CONTAINER ?
				       "container" : "image", batch[i].id, hd_strerror(r));
			else if (res.n_objects == 0 && !batch[i].gone && !res.missing)
				log_msgs(s, &res, "re-judging");
			hd_audit_result_release(&res);
		}
		hd_free(batch);
		batch = NULL;
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	hd_audit_session_free(as);
	return NULL;
}

/* The main thread's loop: a full audit at start, every interval, and when asked. */
static void audit_loop(struct hd_server *s)
{
	struct hd_audit_session *as = NULL, *quick = NULL;
	struct hd_audit_session_opts qo = *s->o->audit;
	long interval = s->o->interval_ms > 0 ? s->o->interval_ms : INTERVAL_DEFAULT_MS;
	int64_t next = 0;
	bool first = true;

	/*
	 * With --image-layers the first audit is made without the layers, so
	 * that the first results do not wait for every image to stream; the
	 * audit with them follows at once.
	 */
	qo.image_layers = false;
	qo.layers_cache = NULL;
	if (hd_audit_session_new(s->o->audit, &as) < 0 ||
	    (s->o->audit->image_layers && hd_audit_session_new(&qo, &quick) < 0)) {
		sv_log(s, true, "cannot audit: %s", hd_strerror(-HD_ENOMEM));
		hd_audit_session_free(as);
		return;
	}
	pthread_mutex_lock(&s->mu);
	while (!*s->stop) {
		struct hd_audit_result res;
		int64_t started = sv_now_ms();
		double t0 = wall_now();
		int r;

		if (!s->audit_wanted && started < next) {
			sv_wait(s, &s->cv_audit, next - started < 1000 ? next - started : 1000);
			continue;
		}
		s->audit_wanted = false;
		pthread_mutex_unlock(&s->mu);
		hd_audit_result_init(&res);
		r = hd_audit_session_run(quick ? quick : as, &res);
		pthread_mutex_lock(&s->mu);
		if (r >= 0) {
			s->has_audit = true;
			s->finished = wall_now();
			s->duration = s->finished - t0;
			r = store_apply_full(s, &res, started);
			/* Every image's vulnerabilities, on the vulnerability thread. */
			if (s->o->vulns) {
				s->vcycle = true;
				pthread_cond_signal(&s->cv_vulns);
			}
		}
		if (r >= 0)
			r = sv_publish(s);
		pthread_mutex_unlock(&s->mu);
		if (r < 0)
			sv_log(s, true, "audit failed: %s", hd_strerror(r));
		if (first || res.status.failed)
			log_msgs(s, &res, "audit");
		if (first && r >= 0)
			sv_log(s, false, "first audit done in %.2f s: %zu containers, %zu images", s->duration,
			       res.containers, res.images);
		first = false;
		hd_audit_result_release(&res);
		next = sv_now_ms() + interval;
		pthread_mutex_lock(&s->mu);
		if (quick) {
			hd_audit_session_free(quick);
			quick = NULL;
			s->audit_wanted = true;
		}
	}
	pthread_mutex_unlock(&s->mu);
	hd_audit_session_free(quick);
	hd_audit_session_free(as);
}

/* ---- start and stop ----------------------------------------------------------------------- */

/* Room for many connections: the soft descriptor limit raised to the hard one. */
static unsigned raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > 1u << 20 ? 1u << 20 : (unsigned)rl.rlim_cur;
}

static int check_options(struct hd_server *s, const struct hd_listen_addr *la)
{
	const struct hd_serve_opts *o = s->o;
	struct hd_diag d = { 0 };
	int r;

	if (!la->loopback && !o->tls_cert && !o->insecure_listen) {
		sv_log(s, true, "refusing to listen on %s without TLS: it is reachable beyond this machine "
		       "(give --tls-cert and --tls-key, or --insecure-listen to accept that anyone who can "
		       "reach it reads the results)", la->text);
		return -HD_EINVAL;
	}
	if (!o->tls_cert != !o->tls_key) {
		sv_log(s, true, "--tls-cert and --tls-key go together");
		return -HD_EINVAL;
	}
	if (o->tls_client_ca && !o->tls_cert) {
		sv_log(s, true, "--tls-client-ca needs --tls-cert and --tls-key");
		return -HD_EINVAL;
	}
	r = hd_engine_endpoint_resolve(o->audit->engine, &s->ep, &d);
	if (r < 0) {
		sv_log(s, true, "cannot use the engine: %s", d.msg ? d.msg : hd_strerror(r));
		hd_diag_release(&d);
		return r == -HD_ENOMEM ? r : -HD_EINVAL;
	}
	s->ep_ok = true;
	hd_diag_release(&d);
	return 0;
}

int hd_serve(const struct hd_serve_opts *o, volatile sig_atomic_t *stop)
{
	struct hd_server s;
	struct hd_listen_addr la;
	struct hd_serve_opts oo = *o;
	struct sv_http *http = NULL;
	pthread_t events_thread, rejudge_thread[2], vulns_thread;
	bool events_started = false, vulns_started = false;
	size_t n_rejudge = 0;
	struct rejudge_arg rejudge_args[2] = { { &s, HD_TARGET_CONTAINER }, { &s, HD_TARGET_IMAGE } };
	struct hd_audit_session_opts ao = *o->audit;
	struct hd_layers_cache *cache = NULL;
	struct stat own;
	const char *why;
	unsigned nofile;
	int lfd = -1, r;
	size_t i;

	memset(&s, 0, sizeof(s));
	nofile = raise_nofile();
	if (!oo.max_conns)
		oo.max_conns = nofile > 128 ? nofile - 64 : 64;
	if (oo.max_conns > 16384)
		oo.max_conns = 16384;
	/* The audit as asked, with the layers of images read once per image id (one cache, every session). */
	if (oo.image_layers) {
		ao.image_layers = true;
		ao.layers_cache = cache = hd_layers_cache_new(HD_MAX_VULN_IMAGES);
		if (!cache)
			return -HD_ENOMEM;
	}
	oo.audit = &ao;
	s.o = &oo;
	s.stop = stop;
	pthread_mutex_init(&s.mu, NULL);
	pthread_mutex_init(&s.snap_mu, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s.cv_events, &ca);
		pthread_cond_init(&s.cv_audit, &ca);
		pthread_cond_init(&s.cv_vulns, &ca);
		pthread_condattr_destroy(&ca);
	}
	atomic_init(&s.engine_up, 0);
	atomic_init(&s.engine_known, false);
	atomic_init(&s.scrapes, 0);
	r = hd_listen_parse(oo.listen ? oo.listen : HD_SERVE_DEFAULT_LISTEN, &la, &why);
	if (r < 0) {
		sv_log(&s, true, "cannot listen on '%s': %s", oo.listen ? oo.listen : HD_SERVE_DEFAULT_LISTEN,
		       why ? why : hd_strerror(r));
		goto out_noaddr;
	}
	r = check_options(&s, &la);
	if (r < 0)
		goto out;
	r = hd_listen_bind(&la, BACKLOG, &lfd, &own);
	if (r < 0) {
		if (r == -HD_EBUSY)
			sv_log(&s, true, "cannot listen on %s: a server is already listening there", la.text);
		else
			sv_log(&s, true, "cannot listen on %s: %s", la.text,
			       r == -HD_EINVAL ? "something that is not a socket is there" : strerror(errno));
		goto out;
	}
	/*
	 * Every library serving may call is loaded while the process may still
	 * open anything (core/dl.h): the engine client, the HTTP server and its
	 * TLS, and what audits and image layers read.
	 */
	{
		const char *missing = NULL;

		r = hd_dl_require(HD_DL(CURL) | HD_DL(MHD) | HD_DL(GNUTLS) | HD_DL(CRYPTO) | HD_DL(ARCHIVE) |
					  HD_DL(ZLIB) | HD_DL(ZSTD) | HD_DL(HS) | HD_DL(SQLITE) |
					  (oo.no_sandbox ? 0 : HD_DL(SECCOMP)),
				  &missing);
		if (r < 0) {
			sv_log(&s, true, "%s", missing);
			goto out;
		}
	}
	/*
	 * Privileges go before any thread exists (capabilities are per thread):
	 * what is kept only reads (files, /proc of the daemon, the kernel's
	 * audit rules); then the syscall filter, which every thread inherits.
	 */
	if (!oo.no_sandbox) {
		r = hd_sandbox_privileges(1ull << CAP_DAC_READ_SEARCH | 1ull << CAP_SYS_PTRACE |
					  1ull << CAP_AUDIT_CONTROL | 1ull << CAP_AUDIT_READ);
		if (r < 0) {
			sv_log(&s, true, "cannot drop privileges: %s; use --no-sandbox to serve without it",
			       strerror(errno));
			goto out;
		}
		/* Inherited by every thread started below (authz/sandbox.h: what it denies). */
		r = hd_sandbox_deny_filter();
		if (r == -HD_EUNSUPPORTED) {
			sv_log(&s, false, "built without libseccomp: no syscall filter");
		} else if (r < 0) {
			sv_log(&s, true, "cannot load the syscall filter: %s; use --no-sandbox to serve without it",
			       hd_strerror(r));
			goto out;
		}
	}
	/* An empty snapshot: /metrics answers (hardock_up) before the first audit ends. */
	pthread_mutex_lock(&s.mu);
	r = sv_publish(&s);
	pthread_mutex_unlock(&s.mu);
	if (r >= 0)
		r = sv_http_start(&s, lfd, &http);
	if (r < 0)
		goto out;
	if (pthread_create(&events_thread, NULL, sv_events_main, &s) != 0 ||
	    !(events_started = true) ||
	    pthread_create(&rejudge_thread[0], NULL, rejudge_main, &rejudge_args[0]) != 0 || !++n_rejudge ||
	    pthread_create(&rejudge_thread[1], NULL, rejudge_main, &rejudge_args[1]) != 0 || !++n_rejudge) {
		sv_log(&s, true, "cannot start the server's threads");
		r = -HD_EIO;
		*stop = 1;
		goto out;
	}
	if (oo.vulns) {
		if (pthread_create(&vulns_thread, NULL, sv_vulns_main, &s) != 0) {
			sv_log(&s, true, "cannot start the server's threads");
			r = -HD_EIO;
			*stop = 1;
			goto out;
		}
		vulns_started = true;
	}
	sv_log(&s, false, "listening on %s%s (metrics at /metrics, report at /, health at /healthz)", la.text,
	       oo.tls_cert ? " with TLS" : "");
	audit_loop(&s);
	r = 0;
out:
	pthread_mutex_lock(&s.mu);
	pthread_cond_broadcast(&s.cv_events);
	pthread_cond_broadcast(&s.cv_audit);
	pthread_cond_broadcast(&s.cv_vulns);
	pthread_mutex_unlock(&s.mu);
	if (vulns_started)
		pthread_join(vulns_thread, NULL);
	if (events_started)
		pthread_join(events_thread, NULL);
	for (i = 0; i < n_rejudge; i++)
		pthread_join(rejudge_thread[i], NULL);
	sv_http_stop(http);
	if (lfd >= 0)
		close(lfd);
	if (la.is_unix && lfd >= 0)
		hd_listen_unlink_own(la.path, &own);
	hd_listen_addr_release(&la);
out_noaddr:
	for (i = 0; i < s.n_objs; i++)
		obj_unref(s.objs[i]);
	hd_free(s.objs);
	obj_unref(s.base);
	hd_free(s.queue);
	for (i = 0; i < s.n_vulns; i++)
		sv_vulns_unref(s.vulns[i]);
	hd_free(s.vulns);
	hd_free(s.vqueue);
	sv_dbs_free(s.dbs, s.n_dbs);
	hd_free(s.vdb_error);
	sv_snap_unref(s.snap);
	hd_layers_cache_free(cache);
	if (s.ep_ok)
		hd_engine_endpoint_release(&s.ep);
	pthread_cond_destroy(&s.cv_events);
	pthread_cond_destroy(&s.cv_audit);
	pthread_cond_destroy(&s.cv_vulns);
	pthread_mutex_destroy(&s.mu);
	pthread_mutex_destroy(&s.snap_mu);
	return r;
}
