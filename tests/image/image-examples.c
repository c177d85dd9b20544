/*
 * The catalogue examples of the image-files rules, run for real: each
 * example (an image listing) is built into a docker save archive by
 * tests/image/mkimage.py, read by the image reader and judged; the bad
 * example must fire its rule, the good one no image-files rule at all.
 * Prints "N passed, N failed".
 *
 *   image-examples SRCDIR TMPDIR
 */
#include "core/common.h"
#include "core/config.h"
#include "core/finding.h"
#include "image/image.h"

#include <sys/wait.h>
#include <unistd.h>

static int build(const char *srcdir, const char *spec_text, const char *spec, const char *out)
{
	FILE *fp = fopen(spec, "w");
	char *cmd;
	int st;

	if (!fp)
		return -1;
	fputs(spec_text, fp);
	fputc('\n', fp);
	fclose(fp);
	cmd = hd_asprintf("/usr/bin/python3 %s/tests/image/mkimage.py %s %s", srcdir, spec, out);
	if (!cmd)
		return -1;
	st = system(cmd);
	hd_free(cmd);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Judges the archive; the findings of image-files rules into out. */
static int judge(const char *archive, const struct hd_config *cfg, struct hd_findings *out)
{
	struct hd_image_opts o;
	struct hd_image_set s;
	int r;

	hd_image_opts_init(&o);
	r = hd_image_analyze_path(archive, &o, &s);
	if (r < 0)
		return r;
	r = hd_image_judge(&s, cfg, out);
	hd_image_set_release(&s);
	return r;
}

int main(int argc, char **argv)
{
	struct hd_config cfg;
	size_t i, j, passed = 0, failed = 0;
	char spec[4096], out[4096];

	if (argc != 3) {
		fputs("usage: image-examples SRCDIR TMPDIR\n", stderr);
		return 2;
	}
	snprintf(spec, sizeof(spec), "%s/example.spec", argv[2]);
	snprintf(out, sizeof(out), "%s/example.tar", argv[2]);
	hd_config_init(&cfg);
	for (i = 0; i < hd_rule_count; i++) {
		const struct hd_rule *r = hd_rules[i];
		struct hd_findings f;
		bool fired = false, other = false;

		if (r->target != HD_TARGET_IMAGE_FILES)
			continue;
		if (!r->bad_example || !r->good_example) {
			printf("FAIL %s: lacks an example\n", r->id);
			failed++;
			continue;
		}
		hd_findings_init(&f);
		if (build(argv[1], r->bad_example, spec, out) < 0 || judge(out, &cfg, &f) < 0) {
			printf("FAIL %s: the bad example cannot be built or read\n", r->id);
			failed++;
			hd_findings_release(&f);
			continue;
		}
		for (j = 0; j < f.n; j++) {
			if (f.v[j].rule == r)
				fired = true;
			else if (f.v[j].rule->target == HD_TARGET_IMAGE_FILES) {
				printf("     %s's bad example also fires %s: %s\n", r->id, f.v[j].rule->id, f.v[j].message);
				other = true;
			}
		}
		if (fired && !other) {
			printf("ok   %s fires on its bad example\n", r->id);
			passed++;
		} else {
			printf("FAIL %s: its bad example %s\n", r->id, fired ? "fires other rules" : "does not fire it");
			failed++;
		}
		hd_findings_release(&f);
		hd_findings_init(&f);
		if (build(argv[1], r->good_example, spec, out) < 0 || judge(out, &cfg, &f) < 0) {
			printf("FAIL %s: the good example cannot be built or read\n", r->id);
			failed++;
			hd_findings_release(&f);
			continue;
		}
		other = false;
		for (j = 0; j < f.n; j++) {
			if (f.v[j].rule->target == HD_TARGET_IMAGE_FILES || f.v[j].rule->severity == HD_SEV_ERROR) {
				printf("     %s's good example fires %s: %s\n", r->id, f.v[j].rule->id, f.v[j].message);
				other = true;
			}
		}
		if (other) {
			printf("FAIL %s: its good example fires\n", r->id);
			failed++;
		} else {
			printf("ok   %s stays quiet on its good example\n", r->id);
			passed++;
		}
		hd_findings_release(&f);
	}
	hd_config_release(&cfg);
	unlink(spec);
	unlink(out);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
