/*
 * Images of the engine (see image.h): the image is inspected (it must
 * exist; its tags and digests name it), then GET /images/{id}/get streams
 * its docker save tar through a socket pair into the same one-pass reader
 * that reads archives.  A thread runs the transfer; nothing is written to
 * disk, and what stays in memory is bounded as for an archive.
 */
#include "core/common.h"
#include "engine/client.h"
#include "image/image.h"
#include "model/image.h"
#include "model/image_files.h"
#include "parse/inspect.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

struct feeder {
	struct hd_engine *e;
	const char *id;
	int fd;                   /* write end */
	struct hd_engine_req req; /* the transfer's outcome */
	int r;
};

static int sink(void *ctx, const void *p, size_t n)
{
	struct feeder *fd = ctx;
	const char *b = p;

	while (n) {
		ssize_t k = send(fd->fd, b, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1; /* the reader closed its end: it stopped */
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static void *feed(void *arg)
{
	struct feeder *f = arg;

	f->r = hd_engine_stream(f->e, HD_API_IMAGE_GET, f->id, sink, f, &f->req);
	shutdown(f->fd, SHUT_WR);
	return NULL;
}

/* The engine's names for the image replace the archive's (an export by id has none). */
static int rename_image(struct hd_image *im, const struct hd_image_spec *insp, const char *ref)
{
	struct hd_image_spec *s = im->spec;
	const char *name = insp->repo_tags.n ? insp->repo_tags.v[0].value : ref;
	size_t i;

	hd_free(im->name);
	im->name = hd_strdup(name);
	if (!im->name)
		return -HD_ENOMEM;
	if (im->files && !(im->files->image = hd_arena_strdup(&im->files->arena, name)))
		return -HD_ENOMEM;
	if (!s)
		return 0;
	hd_free(s->name);
	s->name = hd_strdup(name);
	if (!s->name)
		return -HD_ENOMEM;
	for (i = 0; i < insp->repo_tags.n; i++) {
		if (hd_items_add(&s->repo_tags, insp->repo_tags.v[i].value, &insp->repo_tags.v[i].at) < 0)
			return -HD_ENOMEM;
	}
	for (i = 0; i < insp->repo_digests.n; i++) {
		if (hd_items_add(&s->repo_digests, insp->repo_digests.v[i].value, &insp->repo_digests.v[i].at) < 0)
			return -HD_ENOMEM;
	}
	s->dangling = insp->dangling;
	return 0;
}

int hd_image_analyze_engine(struct hd_engine *e, const char *ref, const struct hd_image_opts *o,
			    struct hd_image_set *out, char **errmsg)
{
	struct hd_engine_req q;
	struct hd_image_spec *insp = NULL;
	struct hd_diag d = { 0 };
	struct feeder f = { .e = e, .fd = -1 };
	pthread_t th;
	int sv[2] = { -1, -1 }, r;
	bool started = false;

	*errmsg = NULL;
	memset(out, 0, sizeof(*out));
	r = hd_engine_get(e, HD_API_IMAGE_INSPECT, ref, &q);
	if (r < 0) {
		*errmsg = q.errmsg;
		q.errmsg = NULL;
		hd_engine_req_release(&q);
		return r;
	}
	r = hd_inspect_image(q.body.buf, q.body.len, o->now, &insp, &d);
	hd_engine_req_release(&q);
	if (r < 0) {
		if (r != -HD_ENOMEM)
			*errmsg = hd_asprintf("cannot read the engine's inspect of '%s': %s", ref, d.msg ? d.msg : "?");
		hd_diag_release(&d);
		return r;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		r = -HD_EIO;
		goto out;
	}
	f.id = insp->id;
	f.fd = sv[1];
	if (pthread_create(&th, NULL, feed, &f) != 0) {
		r = -HD_EIO;
		goto out;
	}
	started = true;
	r = hd_image_analyze_fd(sv[0], ref, o, out);
	/* Whatever the reader did not take, the feeder must not wait for. */
	close(sv[0]);
	sv[0] = -1;
	pthread_join(th, NULL);
	started = false;
	if (r < 0)
		goto out;
	out->from_engine = true;
	if (f.r < 0 && f.r != -HD_EIO) {
		/* The transfer failed: the archive is cut short; say why. */
		char *m = f.req.errmsg ? f.req.errmsg : (char *)"the transfer failed";

		if (!out->n) {
			*errmsg = hd_strdup(m);
			r = f.r;
			goto out;
		}
		{
			char **nv = hd_realloc(out->errors, (out->n_errors + 1) * sizeof(*nv));

			if (!nv) {
				r = -HD_ENOMEM;
				goto out;
			}
			out->errors = nv;
			nv[out->n_errors] = hd_asprintf("the engine's export of '%s' failed: %s", ref, m);
			if (!nv[out->n_errors]) {
				r = -HD_ENOMEM;
				goto out;
			}
			out->n_errors++;
		}
	}
	for (size_t i = 0; i < out->n; i++) {
		hd_free(out->v[i].source);
		out->v[i].source = NULL;
		if (out->v[i].files)
			out->v[i].files->source = NULL;
		if (out->n == 1 && (r = rename_image(&out->v[i], insp, ref)) < 0)
			goto out;
	}
	r = 0;
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (started)
		pthread_join(th, NULL);
	if (sv[1] >= 0)
		close(sv[1]);
	hd_engine_req_release(&f.req);
	hd_image_spec_free(insp);
	return r;
}
