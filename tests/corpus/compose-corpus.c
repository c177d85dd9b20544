/*
 * Loads and lints every compose file under the given directories (or the
 * given files) in one process: the corpus test (every file loads without a
 * crash; files listed in --invalid are exactly those rejected as invalid
 * compose) and the hardock side of bench/compose.sh (--time prints the wall
 * time and peak RSS).  The last line is "N passed, N failed".
 *
 * usage: compose-corpus [-a] [-v] [--time] [--invalid LIST] DIR|FILE...
 *        compose-corpus --cases DIR
 *
 * --cases checks the golden cases under DIR (tests/cases/compose): in each
 * folder the compose file (compose.yaml, docker-compose.yml, else the first
 * .yml/.yaml) is linted and its findings, as sorted "LINE:COL RULE" lines,
 * must equal the folder's `expected` (the format of tests/cases/run.sh);
 * HD_UPDATE_GOLDEN=1 rewrites `expected` instead.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "lint/lint_compose.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct paths {
	char **v;
	size_t n, alloc;
};

static int add_path(struct paths *p, const char *s)
{
	if (HD_GROW(p->v, p->alloc, p->n + 1) < 0)
		return -1;
	p->v[p->n] = hd_strdup(s);
	return p->v[p->n++] ? 0 : -1;
}

static void walk(struct paths *p, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char full[4096];
		struct stat st;

		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, e->d_name) >= sizeof(full))
			continue;
		if (stat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(p, full);
		else if (hd_ends_with(e->d_name, ".yml") || hd_ends_with(e->d_name, ".yaml"))
			add_path(p, full);
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list of files expected to be rejected: "path-suffix<TAB or space>why" lines. */
static bool listed(const char *list, const char *path)
{
	const char *p = list;

	while (p && *p) {
		const char *e = p + strcspn(p, " \t\n");
		size_t n = (size_t)(e - p), lp = strlen(path);

		if (*p != '#' && n && lp >= n && memcmp(path + lp - n, p, n) == 0 &&
		    (lp == n || path[lp - n - 1] == '/'))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static int line_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	unsigned lx = (unsigned)strtoul(x, NULL, 10), ly = (unsigned)strtoul(y, NULL, 10);
	unsigned cx = (unsigned)strtoul(strchr(x, ':') + 1, NULL, 10), cy = (unsigned)strtoul(strchr(y, ':') + 1, NULL, 10);

	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return strcmp(x, y);
}

/* Lints one case folder and compares with its `expected`; 1 passed, 0 failed. */
static int run_case(const char *dir, const struct hd_config *cfg, bool update)
{
	static const char *const names[] = { "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml" };
	struct hd_buf data = HD_BUF_INIT(HD_MAX_FILE_SIZE), got = HD_BUF_INIT(1u << 20), want = HD_BUF_INIT(1u << 20);
	struct paths in = { 0 }, lines = { 0 };
	struct hd_findings f;
	char path[4096], exp[4096];
	size_t i;
	int ok = 0;

	for (i = 0; i < HD_ARRAY_SIZE(names) && !in.n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (access(path, R_OK) == 0)
			add_path(&in, path);
	}
	if (!in.n)
		walk(&in, dir);
	if (!in.n) {
		printf("FAIL %s: no compose file\n", dir);
		return 0;
	}
	if (in.n > 1)
		qsort(in.v, in.n, sizeof(*in.v), cmp);
	hd_findings_init(&f);
	if (hd_buf_read_file(&data, in.v[0]) < 0 ||
	    hd_lint_compose(&(struct hd_lint_input){ .path = in.v[0], .data = data.buf, .len = data.len, .root = dir, .cfg = cfg }, &f) < 0) {
		printf("FAIL %s: cannot lint\n", dir);
		goto out;
	}
	for (i = 0; i < f.n; i++) {
		char *l = hd_asprintf("%u:%u %s", f.v[i].line, f.v[i].col, f.v[i].rule->id);

		if (!l || HD_GROW(lines.v, lines.alloc, lines.n + 1) < 0)
			goto out;
		lines.v[lines.n++] = l;
	}
	if (lines.n > 1)
		qsort(lines.v, lines.n, sizeof(*lines.v), line_cmp);
	for (i = 0; i < lines.n; i++)
		hd_buf_addf(&got, "%s\n", lines.v[i]);
	snprintf(exp, sizeof(exp), "%s/expected", dir);
	if (update) {
		FILE *fp = fopen(exp, "w");

		if (fp) {
			fputs(got.buf, fp);
			fclose(fp);
		}
		ok = 1;
	} else if (hd_buf_read_file(&want, exp) < 0 || strcmp(want.buf, got.buf) != 0) {
		printf("FAIL %s:\n--- expected\n%s--- got\n%s", dir, want.buf, got.buf);
	} else {
		ok = 1;
	}
out:
	for (i = 0; i < lines.n; i++)
		hd_free(lines.v[i]);
	hd_free(lines.v);
	for (i = 0; i < in.n; i++)
		hd_free(in.v[i]);
	hd_free(in.v);
	hd_findings_release(&f);
	hd_buf_release(&data);
	hd_buf_release(&got);
	hd_buf_release(&want);
	return ok;
}

static int run_cases(const char *root)
{
	struct hd_config cfg;
	struct paths dirs = { 0 };
	DIR *d = opendir(root);
	struct dirent *e;
	size_t i, passed = 0, failed = 0;
	const char *upd = getenv("HD_UPDATE_GOLDEN");

	if (!d) {
		printf("cannot open '%s'\n0 passed, 1 failed\n", root);
		return 1;
	}
	while ((e = readdir(d))) {
		char full[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", root, e->d_name);
		add_path(&dirs, full);
	}
	closedir(d);
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), cmp);
	hd_config_init(&cfg);
	for (i = 0; i < dirs.n; i++) {
		if (run_case(dirs.v[i], &cfg, upd && !strcmp(upd, "1")))
			passed++;
		else
			failed++;
		hd_free(dirs.v[i]);
	}
	hd_free(dirs.v);
	hd_config_release(&cfg);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct paths p = { 0 };
	struct hd_buf list = HD_BUF_INIT(1u << 20), data = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	struct hd_config cfg;
	struct timespec t0, t1;
	struct rusage ru;
	bool verbose = false, timing = false, have_list = false, all = false;
	size_t i, passed = 0, failed = 0, findings = 0, rejected = 0;
	int a;

	if (argc == 3 && !strcmp(argv[1], "--cases"))
		return run_cases(argv[2]);
	hd_config_init(&cfg);
	for (a = 1; a < argc; a++) {
		struct stat st;

		if (!strcmp(argv[a], "-a")) {
			all = true;
		} else if (!strcmp(argv[a], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[a], "--time")) {
			timing = true;
		} else if (!strcmp(argv[a], "--invalid") && a + 1 < argc) {
			if (hd_buf_read_file(&list, argv[++a]) < 0) {
				fprintf(stderr, "cannot read '%s'\n", argv[a]);
				return 2;
			}
			have_list = true;
		} else if (stat(argv[a], &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(&p, argv[a]);
		} else {
			add_path(&p, argv[a]);
		}
	}
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), cmp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < p.n; i++) {
		struct hd_findings f;
		bool bad = false;
		size_t j;
		int r;

		hd_findings_init(&f);
		hd_buf_reset(&data);
		r = hd_buf_read_file(&data, p.v[i]);
		if (r == 0)
			r = hd_lint_compose(&(struct hd_lint_input){ .path = p.v[i], .data = data.buf, .len = data.len, .root = argv[argc - 1], .cfg = &cfg },
					    &f);
		if (r < 0) {
			printf("FAIL %s: %s\n", p.v[i], hd_strerror(r));
			failed++;
			hd_findings_release(&f);
			continue;
		}
		for (j = 0; j < f.n; j++) {
			const char *id = f.v[j].rule->id;

			if (all)
				printf("  %s:%u:%u: %s: %s\n", f.v[j].file ? f.v[j].file : p.v[i], f.v[j].line,
				       f.v[j].col, id, f.v[j].message);

			if (!strcmp(id, "compose/parse-error") || !strcmp(id, "compose/invalid")) {
				bad = true;
				if (verbose || (have_list && !listed(list.buf, p.v[i])))
					printf("  %s:%u:%u: %s: %s\n", f.v[j].file ? f.v[j].file : p.v[i],
					       f.v[j].line, f.v[j].col, id, f.v[j].message);
			}
		}
		findings += f.n;
		rejected += bad;
		if (have_list && bad != listed(list.buf, p.v[i])) {
			printf("FAIL %s: %s\n", p.v[i], bad ? "rejected but not listed as invalid" :
							 "listed as invalid but accepted");
			failed++;
		} else {
			passed++;
		}
		hd_findings_release(&f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	if (timing)
		printf("files %zu, findings %zu, rejected %zu, time %.1f ms, peak RSS %.1f MiB\n", p.n, findings,
		       rejected, (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
		       (double)ru.ru_maxrss / 1024.0);
	for (i = 0; i < p.n; i++)
		hd_free(p.v[i]);
	hd_free(p.v);
	hd_buf_release(&list);
	hd_buf_release(&data);
	hd_config_release(&cfg);
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
