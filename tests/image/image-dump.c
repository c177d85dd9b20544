/*
 * Test helper: analyses image targets with the library and prints what it
 * found, one fact a line, sorted within each kind, so the image tests can
 * assert on exact facts (which layer, visible or removed, owner, decoded
 * capabilities) independently of the rules and the report formats.
 *
 *   image-dump [--threads N] [--platform P] [--max-bytes N] [--max-files N]
 *              [--max-ratio N] [--max-path N] TARGET...
 */
#include "core/common.h"
#include "image/image.h"
#include "model/image.h"
#include "model/image_files.h"

#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **lines;
static size_t n_lines;

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	va_list ap;
	char buf[8192];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lines = hd_realloc(lines, (n_lines + 1) * sizeof(*lines));
	lines[n_lines++] = hd_strdup(buf);
}

static void flush(void)
{
	qsort(lines, n_lines, sizeof(*lines), cmp_str);
	for (size_t i = 0; i < n_lines; i++) {
		puts(lines[i]);
		hd_free(lines[i]);
	}
	hd_free(lines);
	lines = NULL;
	n_lines = 0;
}

static const char *const anom_names[] = { "absolute", "dotdot", "escapes", "duplicate", "hardlink-missing",
					  "symlink-loop" };
static const char *const pw_names[] = { "unknown", "empty", "locked", "set" };

static void dump_image(const struct hd_image *im)
{
	const struct hd_image_files *f = im->files;
	size_t i;

	printf("image %s\n", im->name ? im->name : "?");
	for (i = 0; i < im->n_errors; i++)
		printf("  error: %s\n", im->errors[i]);
	if (im->spec) {
		const struct hd_image_spec *s = im->spec;

		printf("  config: user=%s os=%s arch=%s env=%zu history=%zu healthcheck=%s\n",
		       s->user.set ? s->user.value : "(unset)", s->os ? s->os : "?", s->arch ? s->arch : "?", s->n_env,
		       s->n_history, s->healthcheck.set ? (s->healthcheck.disabled ? "none" : "yes") : "no");
		for (i = 0; i < s->repo_tags.n; i++)
			printf("  tag: %s\n", s->repo_tags.v[i].value);
	}
	if (!f)
		return;
	printf("  layers: %zu complete=%s entries=%" PRIu64 " pkgdb=%d os=%s\n", f->n_layers,
	       f->complete ? "yes" : "no", f->n_entries, (int)f->pkgdb, f->os_name ? f->os_name : "?");
	for (i = 0; i < f->n_layers; i++)
		printf("  layer %zu: %s %s step=%d\n", i + 1, f->layers[i].comp ? f->layers[i].comp : "-",
		       f->layers[i].digest, f->layers[i].step);
	for (i = 0; i < f->n_steps; i++)
		printf("  step %zu: layer=%d %s\n", i, f->steps[i].layer, f->steps[i].created_by);
	for (i = 0; i < f->n_files; i++) {
		const struct hd_image_file *x = &f->files[i];

		line("  file %s layer=%u mode=%o uid=%" PRId64 " gid=%" PRId64 " flags=%x %s%s%s%s owner=%s"
		     " caps=%" PRIx64 "/%" PRIx64 "%s v%u%s%s", x->path, x->layer + 1, x->mode, x->uid, x->gid,
		     x->flags, x->visible ? "visible" : "removed-by-layer-", x->visible ? "" : "",
		     x->what ? " what=" : "", x->what ? x->what : "", x->owner ? x->owner : "-",
		     x->cap_permitted, x->cap_inheritable, x->cap_effective ? " eff" : "", x->cap_version,
		     x->link ? " link=" : "", x->link ? x->link : "");
		if (!x->visible)
			line("  file %s removed by layer %d", x->path, x->removed_by + 1);
	}
	for (i = 0; i < f->n_secrets; i++) {
		const struct hd_image_secret *x = &f->secrets[i];

		line("  secret %s layer=%u kind=%d %s%s%s", x->path, x->layer + 1, (int)x->kind, x->what,
		     x->by_name ? " (name)" : "", x->visible ? "" : " removed");
	}
	for (i = 0; i < f->n_accounts; i++)
		line("  account %s uid=%" PRId64 " gid=%" PRId64 " pw=%s line=%u", f->accounts[i].name,
		     f->accounts[i].uid, f->accounts[i].gid, pw_names[f->accounts[i].pw], f->accounts[i].line);
	for (i = 0; i < f->n_groups; i++)
		line("  group %s gid=%" PRId64, f->groups[i].name, f->groups[i].gid);
	for (i = 0; i < f->n_anomalies; i++)
		line("  anomaly %s %s layer=%u%s%s", anom_names[f->anomalies[i].kind], f->anomalies[i].path,
		     f->anomalies[i].layer + 1, f->anomalies[i].detail ? " -> " : "",
		     f->anomalies[i].detail ? f->anomalies[i].detail : "");
	if (f->shadow.present)
		line("  shadow mode=%o layer=%u", f->shadow.mode & 07777, f->shadow.layer + 1);
	flush();
}

int main(int argc, char **argv)
{
	struct hd_image_opts o;
	int i, rc = 0;

	hd_image_opts_init(&o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int64_t v;

		if (i + 1 < argc && !strcmp(a, "--threads") && hd_parse_i64(argv[i + 1], 1, 2, &v) == 0)
			o.threads = (unsigned)v, i++;
		else if (i + 1 < argc && !strcmp(a, "--platform"))
			o.platform = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--max-bytes") && hd_parse_i64(argv[i + 1], 1, INT64_MAX, &v) == 0)
			o.lim.max_bytes = (uint64_t)v, i++;
		else if (i + 1 < argc && !strcmp(a, "--max-files") && hd_parse_i64(argv[i + 1], 1, INT64_MAX, &v) == 0)
			o.lim.max_entries = (uint64_t)v, i++;
		else if (i + 1 < argc && !strcmp(a, "--max-ratio") && hd_parse_i64(argv[i + 1], 1, INT64_MAX, &v) == 0)
			o.lim.max_ratio = (uint64_t)v, i++;
		else if (i + 1 < argc && !strcmp(a, "--max-path") && hd_parse_i64(argv[i + 1], 16, 65536, &v) == 0)
			o.lim.max_path = (uint32_t)v, i++;
		else {
			struct hd_image_set s;
			int r = !strcmp(a, "-") ? hd_image_analyze_fd(0, "-", &o, &s) : hd_image_analyze_path(a, &o, &s);

			if (r < 0) {
				printf("target %s: failed: %s\n", a, hd_strerror(r));
				rc = 2;
				continue;
			}
			printf("target %s: %zu image(s)\n", a, s.n);
			for (size_t k = 0; k < s.n_errors; k++)
				printf("  target error: %s\n", s.errors[k]);
			for (size_t k = 0; k < s.n; k++)
				dump_image(&s.v[k]);
			hd_image_set_release(&s);
		}
	}
	return rc;
}
