/*
 * Judging an analysed image (see image.h): what could not be read becomes
 * image/unreadable; the spec goes to the image rules, the files to the
 * image-files rules, and the history, rebuilt as a Dockerfile, to the
 * Dockerfile rules that make sense for a build already done (package-manager
 * updates alone, ADD, sudo, secrets in build arguments and ENV, caches left,
 * pipes from curl, unverified packages), each finding moved to its step and
 * layer.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "image/history.h"
#include "image/image.h"
#include "model/dockerfile.h"
#include "model/image.h"
#include "model/image_files.h"

extern const struct hd_rule hd_rule_image_unreadable;

/* The Dockerfile rules that judge history steps. */
static const char *const history_rules[] = {
	"dockerfile/add-instead-of-copy",
	"dockerfile/add-remote-without-checksum",
	"dockerfile/apk-cache-not-cleaned",
	"dockerfile/apt-get-update-alone",
	"dockerfile/apt-lists-not-removed",
	"dockerfile/chmod-world-writable",
	"dockerfile/curl-pipe-shell",
	"dockerfile/hardcoded-credential",
	"dockerfile/package-verification-disabled",
	"dockerfile/secret-variable",
	"dockerfile/ssh-server-installed",
	"dockerfile/sudo",
	"dockerfile/tls-verify-disabled",
};

static bool history_rule(const struct hd_rule *r)
{
	for (size_t i = 0; i < HD_ARRAY_SIZE(history_rules); i++) {
		if (!strcmp(r->id, history_rules[i]))
			return true;
	}
	return false;
}

/* The step of the base image's root file system: the first layer's "ADD file:<hash> in /". */
static long base_step(const struct hd_image_spec *s)
{
	size_t i;

	for (i = 0; i < s->n_history; i++) {
		const char *cb = s->history[i].created_by;

		if (s->history[i].empty_layer)
			continue;
		if (cb && strstr(cb, "ADD file:") && (hd_ends_with(cb, " in / ") || hd_ends_with(cb, " in /") ||
						       strstr(cb, " in / ")))
			return (long)i;
		return -1;
	}
	return -1;
}

int hd_image_judge_history(const struct hd_image *im, const struct hd_config *cfg, struct hd_findings *out)
{
	const struct hd_image_spec *s = im->spec;
	const struct hd_image_files *f = im->files;
	struct hd_dockerfile *df = NULL;
	struct hd_findings tmp;
	struct hd_model m = { .kind = HD_TARGET_DOCKERFILE, .cfg = cfg };
	char *text = NULL;
	long *map = NULL;
	size_t n_lines = 0, i;
	int r;

	if (!s || !s->n_history)
		return 0;
	r = hd_history_dockerfile(s, base_step(s), &text, &map, &n_lines);
	if (r < 0)
		return r;
	hd_findings_init(&tmp);
	r = hd_dockerfile_parse(NULL, text, strlen(text), &df);
	if (r < 0)
		goto out;
	m.df = df;
	r = hd_run_rules(&m, &tmp);
	if (r < 0)
		goto out;
	for (i = 0; i < tmp.n; i++) {
		const struct hd_finding *x = &tmp.v[i];
		struct hd_check ck;
		struct hd_loc loc = { 0 };
		char field[48], label[96] = "";
		long step = x->line < n_lines + 1 ? map[x->line] : -1;
		int layer = -1;

		if (!history_rule(x->rule) || step < 0)
			continue;
		if (f && (size_t)step < f->n_steps)
			layer = f->steps[step].layer;
		snprintf(field, sizeof(field), "history[%ld]", step);
		loc.file = im->source;
		loc.object = im->name;
		loc.field = field;
		if (f && layer >= 0 && (size_t)layer < f->n_layers) {
			loc.layer = f->layers[layer].digest;
			snprintf(label, sizeof(label), ", layer %d (%.19s)", layer + 1, f->layers[layer].digest);
		}
		hd_check_init(&ck, x->rule, cfg, out);
		r = hd_report_sev(&ck, x->severity, &loc, "image '%s', history step %ld%s: %s", im->name, step + 1,
				  label, x->message);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	hd_findings_release(&tmp);
	hd_dockerfile_free(df);
	hd_free(text);
	hd_free(map);
	return r;
}

/* Sets the archive as the file of the findings from `from` on (the image rules do not know it). */
static int set_source(struct hd_findings *out, size_t from, const char *source)
{
	size_t i;

	for (i = from; source && i < out->n; i++) {
		if (!out->v[i].file && !(out->v[i].file = hd_findings_strndup(out, source, strlen(source))))
			return -HD_ENOMEM;
	}
	return 0;
}

int hd_image_judge_one(const struct hd_image *im, const struct hd_config *cfg, struct hd_findings *out)
{
	struct hd_loc loc = { .file = im->source, .object = im->name };
	struct hd_model m = { .cfg = cfg };
	size_t i, from;
	int r;

	for (i = 0; i < im->n_errors; i++) {
		r = hd_report_rule(out, &hd_rule_image_unreadable, cfg, &loc, "image '%s': %s",
				   im->name ? im->name : "?", im->errors[i]);
		if (r < 0)
			return r;
	}
	if (im->spec) {
		from = out->n;
		m.kind = HD_TARGET_IMAGE;
		m.img = im->spec;
		r = hd_run_rules(&m, out);
		if (r >= 0)
			r = set_source(out, from, im->source);
		if (r < 0)
			return r;
	}
	if (im->files) {
		m.kind = HD_TARGET_IMAGE_FILES;
		m.files = im->files;
		r = hd_run_rules(&m, out);
		if (r < 0)
			return r;
	}
	return hd_image_judge_history(im, cfg, out);
}

int hd_image_judge(const struct hd_image_set *s, const struct hd_config *cfg, struct hd_findings *out)
{
	struct hd_loc loc = { .file = s->from_engine ? NULL : s->target, .object = s->from_engine ? s->target : NULL };
	size_t i;
	int r;

	for (i = 0; i < s->n_errors; i++) {
		r = hd_report_rule(out, &hd_rule_image_unreadable, cfg, &loc, "%s", s->errors[i]);
		if (r < 0)
			return r;
	}
	for (i = 0; i < s->n; i++) {
		r = hd_image_judge_one(&s->v[i], cfg, out);
		if (r < 0)
			return r;
	}
	return 0;
}
