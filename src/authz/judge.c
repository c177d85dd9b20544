/*
 * The judges of the authz plugin (authz_int.h): one per category of request
 * that can create or raise privilege.  Each turns what the daemon will
 * decode into a container spec and lets the catalogue rules decide; a
 * request whose body the daemon decodes but did not forward is denied.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "authz/authz_int.h"
#include "model/container.h"
#include "model/live.h"
#include "parse/inspect.h"
#include "parse/json.h"
#include "parse/request_body.h"

/*
 * A new spec for a request, named by what it acts on ("abc", "pull
 * busybox:1"; rules quote the name); NULL on OOM.
 */
static struct hd_container_spec *new_spec(const char *kind, const char *name)
{
	char *n = hd_asprintf("%s%s%s", kind ? kind : "", kind && name ? " " : "", name ? name : "");
	struct hd_container_spec *c = n ? hd_container_spec_new(HD_SRC_AUTHZ, n, NULL) : NULL;

	hd_free(n);
	return c;
}

static int set_origin(struct hd_origin *o, const char *field)
{
	return hd_origin_set(o, NULL, 0, 0, field);
}

/*
 * Reads a create-shaped body (Config, HostConfig, NetworkingConfig) as
 * container `name` into *ret.  Returns 1 with *ret set, 0 when the body
 * cannot be read (the request is then denied), or a negative HD_E*.
 */
static int read_create_body(struct hd_authz_judge *j, const char *body, size_t len, const char *name,
			    struct hd_container_spec **ret)
{
	struct hd_diag diag = { 0 };
	int r;

	*ret = NULL;
	r = hd_inspect_create_body(body, len, name, ret, &diag);
	if (r == -HD_ENOMEM) {
		hd_diag_release(&diag);
		return r;
	}
	if (r < 0) {
		r = hd_authz_deny(j, "the body cannot be read: %s", diag.msg ? diag.msg : hd_strerror(r));
		hd_diag_release(&diag);
		return r;
	}
	hd_diag_release(&diag);
	return 1;
}

/* Judges a create-shaped body as container `name`. */
static int judge_create_body(struct hd_authz_judge *j, const char *body, size_t len, const char *name,
			     bool partial)
{
	struct hd_container_spec *c = NULL;
	int r;

	r = read_create_body(j, body, len, name, &c);
	if (r <= 0)
		return r;
	r = hd_authz_judge_spec(j, c, partial);
	hd_container_spec_free(c);
	return r;
}

static int no_body(struct hd_authz_judge *j)
{
	return hd_authz_deny(j, "the daemon forwarded no body (it does so only for JSON under 1 MiB), "
			     "so what the daemon would decode cannot be judged");
}


/* ---- containers ------------------------------------------------------------------- */

int hd_authz_judge_create(struct hd_authz_judge *j)
{
	char *name = NULL;
	int r;

	r = hd_authz_query(j, "name", &name);
	if (r <= 0)
		return r;
	r = j->body ? judge_create_body(j, j->body, j->blen, name, false) : no_body(j);
	hd_free(name);
	return r;
}

int hd_authz_judge_start(struct hd_authz_judge *j)
{
	const char *v = j->rt->version;

	/* From API 1.24 the daemon refuses a start body: nothing to judge. */
	if (!v || !*v || hd_authz_version_cmp(v, "1.24") >= 0)
		return hd_authz_allow(j);
	/*
	 * Below, a body of more than 7 bytes is decoded like a create body
	 * (dockerd's ContainerConfigWrapper) and its host settings replace the
	 * container's.
	 */
	if (!j->body)
		return hd_authz_body_surely_empty(j, 7) ? hd_authz_allow(j) : no_body(j);
	return judge_create_body(j, j->body, j->blen, j->rt->var, true);
}

/*
 * An update body's PidsLimit as dockerd applies it: from API 1.40, a value
 * of 0 or below sets the limit to unlimited (in a create body 0 means "not
 * set", which the create reader keeps).  Sets c->pids_limit to the value
 * then, which the rule reads as unlimited.
 */
static int update_pids_limit(struct hd_authz_judge *j, struct hd_container_spec *c)
{
	const char *v = j->rt->version, *path = NULL;
	struct hd_jr jr = { 0 };
	struct hd_jv root;
	struct hd_origin at = { 0 };
	bool present = false;
	int64_t n = 0;
	int r;

	if (v && *v && hd_authz_version_cmp(v, "1.40") < 0)
		return 0;
	snprintf(jr.what, sizeof(jr.what), "update of '%s'", j->rt->var ? j->rt->var : "?");
	r = hd_jr_parse(&jr, j->body, j->blen, 0, "the body");
	if (r >= 0)
		r = hd_jr_root(&jr, &root);
	if (r >= 0)
		r = hd_jv_int(&jr, &root, "PidsLimit", HD_JF_NULLABLE, &n, &present, &path);
	/* The create reader read the same document: a shape error there was a deny already. */
	if (r >= 0 && present && n <= 0 && (r = set_origin(&at, path ? path : "PidsLimit")) >= 0)
		r = hd_int_setting_set(&c->pids_limit, n, &at);
	hd_origin_release(&at);
	hd_jr_release(&jr);
	return r == -HD_ENOMEM ? r : 0;
}

/*
 * An update body is a container.UpdateConfig: Resources and RestartPolicy
 * at its top level, read as {"HostConfig": BODY}.  Only what it sets counts.
 */
int hd_authz_judge_update(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	struct hd_buf b;
	int r;

	if (!j->body)
		return no_body(j);
	hd_buf_init(&b, j->blen + 32);
	r = hd_buf_addstr(&b, "{\"HostConfig\":");
	if (r >= 0)
		r = hd_buf_add(&b, j->body, j->blen);
	if (r >= 0)
		r = hd_buf_addch(&b, '}');
	if (r >= 0)
		r = read_create_body(j, b.buf, b.len, j->rt->var, &c);
	hd_buf_release(&b);
	if (r <= 0)
		return r;
	r = update_pids_limit(j, c);
	if (r >= 0)
		r = hd_authz_judge_spec(j, c, true);
	hd_container_spec_free(c);
	return r;
}

/* ---- exec ------------------------------------------------------------------------- */

int hd_authz_judge_exec(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	struct hd_exec_session *e;
	struct hd_exec_body body = { 0 };
	struct hd_diag diag = { 0 };
	struct hd_buf cmd = HD_BUF_INIT(1024);
	size_t i;
	int r;

	if (!j->body)
		return no_body(j);
	/* Read as dockerd reads it (parse/inspect.h): {"privileged":true} is privileged there. */
	r = hd_inspect_exec_body(j->body, j->blen, &body, &diag);
	if (r < 0) {
		if (r != -HD_ENOMEM)
			r = hd_authz_deny(j, "the exec body cannot be read: %s", diag.msg ? diag.msg : hd_strerror(r));
		hd_diag_release(&diag);
		return r;
	}
	c = new_spec(NULL, j->rt->var ? j->rt->var : "?");
	if (!c || !(c->live = hd_live_state_new()) || !(e = hd_live_add_exec(c->live))) {
		r = -HD_ENOMEM;
		goto out;
	}
	c->live->execs_known = true;
	e->privileged = body.privileged;
	e->id = hd_strdup("(requested)");
	e->user = body.user;
	body.user = NULL;
	for (i = 0; i < body.command.n && r >= 0; i++)
		r = hd_buf_addf(&cmd, "%s%s", i ? " " : "", body.command.v[i].value);
	if (r == -HD_ENOMEM || !e->id || (body.command.n && !(e->command = hd_buf_detach(&cmd, NULL)))) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = hd_origin_copy(&e->at, &body.privileged_at);
	if (r >= 0)
		r = hd_authz_judge_spec(j, c, true);
out:
	hd_buf_release(&cmd);
	hd_exec_body_release(&body);
	hd_container_spec_free(c);
	return r;
}

/* ---- services and volumes ------------------------------------------------------- */

/* Judges a spec a reader built (NULL: nothing to judge); frees it. */
static int judge_read(struct hd_authz_judge *j, int r, struct hd_container_spec *c, struct hd_diag *diag,
		      bool partial)
{
	if (r == -HD_ENOMEM) {
		hd_diag_release(diag);
		return r;
	}
	if (r < 0) {
		r = hd_authz_deny(j, "the body cannot be read: %s", diag->msg ? diag->msg : hd_strerror(r));
		hd_diag_release(diag);
		return r;
	}
	hd_diag_release(diag);
	r = c ? hd_authz_judge_spec(j, c, partial) : hd_authz_allow(j);
	hd_container_spec_free(c);
	return r;
}

int hd_authz_judge_service(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL, *plugin = NULL;
	struct hd_diag diag = { 0 };
	int r;

	if (!j->body)
		return no_body(j);
	r = hd_request_service(j->body, j->blen, &c, &plugin, &diag);
	if (r < 0)
		return judge_read(j, r, NULL, &diag, false);
	/* The task's container, then the plugin it may run instead. */
	r = judge_read(j, 0, c, &diag, false);
	if (r >= 0 && j->d->allow && plugin)
		return judge_read(j, 0, plugin, &diag, true);
	hd_container_spec_free(plugin);
	return r;
}

int hd_authz_judge_volume(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag diag = { 0 };
	int r;

	if (!j->body)
		return no_body(j);
	r = hd_request_volume(j->body, j->blen, &c, &diag);
	return judge_read(j, r, c, &diag, true);
}

/* ---- images ----------------------------------------------------------------------- */

/*
 * The reference the daemon pulls for fromImage and tag: the tag parameter,
 * when given, replaces the reference's tag; a digest there pins it.
 */
static char *pull_ref(const char *image, const char *tag)
{
	const char *slash, *colon, *at;
	size_t n;

	if (!tag || !*tag)
		return hd_strdup(image);
	at = strchr(image, '@');
	n = at ? (size_t)(at - image) : strlen(image);
	slash = strrchr(image, '/');
	colon = memrchr(image, ':', n);
	if (colon && (!slash || colon > slash))
		n = (size_t)(colon - image);
	return hd_asprintf("%.*s%s%s", (int)n, image, strchr(tag, ':') ? "@" : ":", tag);
}

/* Judges the image reference a pull asks for, as container `kind 'ref'` with only its image set. */
static int judge_image_ref(struct hd_authz_judge *j, const char *kind, const char *ref, const char *field)
{
	struct hd_container_spec *c = new_spec(kind, ref);
	struct hd_origin at = { 0 };
	int r;

	if (!c)
		return -HD_ENOMEM;
	r = set_origin(&at, field);
	if (r >= 0)
		r = hd_container_set_image(c, ref, &at);
	hd_origin_release(&at);
	if (r >= 0)
		r = hd_authz_judge_spec(j, c, true);
	hd_container_spec_free(c);
	return r;
}

/* ---- naming local images -------------------------------------------------------- */

/* Does the policy restrict which images may run (by registry or by name)? */
static bool restricts_images(const struct hd_authz_policy *p)
{
	return p->cfg.trusted_registries.n > 0 || p->cfg.allowed_images.n > 0;
}

/*
 * Judges giving a local image (imported, committed, built, re-tagged) the
 * name ref.  The image rules are asked in reverse: when a container of that
 * name would be allowed to run, the name would vouch for content that did
 * not come from where it says, and the request is denied.  A name that
 * would be refused anyway (another registry, a tag where a digest is
 * required) is harmless.  Sets the verdict; 0 or a negative HD_E*.
 */
static int judge_local_name(struct hd_authz_judge *j, const char *what, const char *ref, const char *field)
{
	struct hd_authz_decision probe = { .category = HD_AUTHZ_CONTAINER_CREATE };
	struct hd_authz_judge pj = *j;
	int r;

	if (!restricts_images(j->p) || !ref || !*ref)
		return hd_authz_allow(j);
	pj.d = &probe;
	r = judge_image_ref(&pj, "image", ref, field);
	if (r >= 0 && probe.allow)
		r = hd_authz_deny(j, "%s would name a local image '%s', and the policy lets containers of "
				  "that name run as images from its trusted registries or allowed images; "
				  "pull it from there instead", what, ref);
	else if (r >= 0)
		r = hd_authz_allow(j);
	hd_authz_decision_release(&probe);
	return r;
}

/* The name of a query's repo and tag parameters (tag, commit, import); *ret NULL when no repo. */
static int query_repo_tag(struct hd_authz_judge *j, char **ret)
{
	char *repo = NULL, *tag = NULL;
	int r;

	*ret = NULL;
	if ((r = hd_authz_query(j, "repo", &repo)) > 0 && (r = hd_authz_query(j, "tag", &tag)) > 0 &&
	    repo && *repo && !(*ret = pull_ref(repo, tag)))
		r = -HD_ENOMEM;
	hd_free(repo);
	hd_free(tag);
	return r;
}

int hd_authz_judge_image_name(struct hd_authz_judge *j)
{
	char *name = NULL;
	int r;

	if (!restricts_images(j->p))
		return hd_authz_allow(j);
	if (j->rt->pattern && strstr(j->rt->pattern, "/images/load"))
		return hd_authz_deny(j, "the policy restricts images, and the names inside a loaded archive "
				     "are not forwarded to the plugin; pull images from a trusted registry "
				     "(or allow this category: 'allow: [image-name]')");
	r = query_repo_tag(j, &name);
	if (r > 0)
		r = judge_local_name(j, j->rt->pattern && strstr(j->rt->pattern, "/commit") ? "the commit" :
				     "the tag", name, "repo");
	hd_free(name);
	return r;
}

int hd_authz_judge_image_create(struct hd_authz_judge *j)
{
	char *image = NULL, *tag = NULL, *src = NULL, *ref = NULL;
	int r;

	if ((r = hd_authz_query(j, "fromImage", &image)) <= 0 ||
	    (r = hd_authz_query(j, "fromSrc", &src)) <= 0 || (r = hd_authz_query(j, "tag", &tag)) <= 0)
		goto out;
	if (!image || !*image) {
		/* An import (fromSrc) makes a local image from a tarball: judged by the name it gets. */
		r = query_repo_tag(j, &ref);
		if (r > 0)
			r = judge_local_name(j, "the import", ref, "repo");
		goto out;
	}
	ref = pull_ref(image, tag);
	r = ref ? judge_image_ref(j, "pull of", ref, "fromImage") : -HD_ENOMEM;
out:
	hd_free(image);
	hd_free(tag);
	hd_free(src);
	hd_free(ref);
	return r;
}

/* ---- plugins ---------------------------------------------------------------------- */

int hd_authz_judge_plugin_pull(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag diag = { 0 };
	const char *name;
	char *remote = NULL;
	int r;

	r = hd_authz_query(j, "remote", &remote);
	if (r <= 0)
		return r;
	if (remote && *remote) {
		/* Where the plugin comes from: content trust as for images. */
		r = judge_image_ref(j, "plugin", remote, "remote");
		if (r < 0 || !j->d->allow)
			goto out;
	}
	/* The body is the list of privileges the user granted it. */
	name = remote && *remote ? remote : j->rt->var;
	if (!j->body) {
		r = hd_authz_body_surely_empty(j, 2) ? hd_authz_allow(j) : no_body(j);
		goto out;
	}
	r = hd_request_plugin_privileges(j->body, j->blen, name, &c, &diag);
	r = judge_read(j, r, c, &diag, true);
out:
	hd_free(remote);
	return r;
}

int hd_authz_judge_plugin_set(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	struct hd_diag diag = { 0 };
	int r;

	if (!j->body)
		return hd_authz_body_surely_empty(j, 2) ? hd_authz_allow(j) : no_body(j);
	r = hd_request_plugin_settings(j->body, j->blen, j->rt->var, &c, &diag);
	return judge_read(j, r, c, &diag, true);
}

/* ---- build ------------------------------------------------------------------------ */

int hd_authz_judge_build(struct hd_authz_judge *j)
{
	struct hd_container_spec *c = NULL;
	char *net = NULL, *cgp = NULL, *tag = NULL;
	struct hd_origin at = { 0 };
	int r;

	if ((r = hd_authz_query(j, "networkmode", &net)) <= 0 ||
	    (r = hd_authz_query(j, "cgroupparent", &cgp)) <= 0 || (r = hd_authz_query(j, "t", &tag)) <= 0)
		goto out;
	c = new_spec("build of", tag ? tag : "(untagged)");
	if (!c) {
		r = -HD_ENOMEM;
		goto out;
	}
	/* The steps of the build run in containers with these settings. */
	if (net && *net && (r = set_origin(&at, "networkmode")) >= 0) {
		r = hd_ns_setting_set(&c->network, net, &at);
		hd_origin_release(&at);
	}
	if (r >= 0 && cgp && *cgp && (r = set_origin(&at, "cgroupparent")) >= 0) {
		r = hd_str_setting_set(&c->cgroup_parent, cgp, &at);
		hd_origin_release(&at);
	}
	if (r >= 0)
		r = hd_authz_judge_spec(j, c, true);
	/* Then every name the build gives its image (t may be repeated). */
	for (unsigned i = 0; r >= 0 && j->d->allow && restricts_images(j->p); i++) {
		hd_free(tag);
		tag = NULL;
		if ((r = hd_authz_query_nth(j, "t", i, &tag)) <= 0 || !tag)
			break;
		if (i >= HD_MAX_AUTHZ_NAMES) {
			r = hd_authz_deny(j, "the build gives its image more than %u names", HD_MAX_AUTHZ_NAMES);
			break;
		}
		r = judge_local_name(j, "the build", tag, "t");
	}
	if (r > 0)
		r = 0;
out:
	hd_container_spec_free(c);
	hd_free(net);
	hd_free(cgp);
	hd_free(tag);
	return r;
}
