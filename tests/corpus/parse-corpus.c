/*
 * The corpus test of the Dockerfile parser: parses every file under a
 * directory (default $SHARED/corpus/dockerfiles) and reports the files with
 * parse errors.  A file listed in tests/corpus/dockerfile-invalid.txt (really
 * invalid for BuildKit) must have errors; any other file must have none.
 * Prints "N passed, N failed" last and exits 1 on failure.
 *
 *   parse-corpus [--invalid LIST] [--time] [--dump FILE] [DIR]
 *
 * --time parses everything ten times and prints the time of one pass;
 * --dump prints the model of one file (for debugging the parser).
 */
#include "core/common.h"
#include "core/buf.h"
#include "model/dockerfile.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

struct file {
	char *path;
	char *data;
	size_t len;
};

static struct file *files;
static size_t n_files, alloc_files;

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static int collect(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		p = hd_asprintf("%s/%s", dir, e->d_name);
		if (!p || stat(p, &st) < 0) {
			hd_free(p);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			collect(p);
			hd_free(p);
			continue;
		}
		if (HD_GROW(files, alloc_files, n_files + 1) < 0)
			return -1;
		files[n_files].path = p;
		{
			struct hd_buf b;

			hd_buf_init(&b, HD_MAX_FILE_SIZE);
			if (hd_buf_read_file(&b, p) < 0) {
				hd_buf_release(&b);
				hd_free(p);
				continue;
			}
			files[n_files].len = b.len;
			files[n_files].data = hd_buf_detach(&b, NULL);
		}
		n_files++;
	}
	closedir(d);
	return 0;
}

static void dump_span(struct hd_span s)
{
	printf("%u:%u-%u:%u", s.line, s.col, s.end_line, s.end_col);
}

static void dump_instr(const struct hd_instr *in, int indent)
{
	size_t i, j;

	printf("%*s%s (%s) stage=%d ", indent, "", hd_instr_name(in->kind), in->keyword, (int)in->stage);
	dump_span(in->span);
	printf(" form=%d\n", in->form);
	for (i = 0; i < in->n_flags; i++) {
		printf("%*s  flag %s=%s -> %s%s ", indent, "", in->flags[i].name,
		       in->flags[i].value ? in->flags[i].value : "(null)",
		       in->flags[i].expanded ? in->flags[i].expanded : "(null)",
		       in->flags[i].unresolved ? " [unresolved]" : "");
		dump_span(in->flags[i].span);
		printf("\n");
	}
	for (i = 0; i < in->n_args; i++) {
		printf("%*s  arg [%s] -> [%s]%s ", indent, "", in->args[i].raw, in->args[i].value,
		       in->args[i].unresolved ? " [unresolved]" : "");
		dump_span(in->args[i].span);
		printf("\n");
	}
	for (i = 0; i < in->n_kvs; i++) {
		printf("%*s  kv %s = [%s] -> [%s]%s ", indent, "", in->kvs[i].key,
		       in->kvs[i].value ? in->kvs[i].value : "(null)",
		       in->kvs[i].expanded ? in->kvs[i].expanded : "(null)",
		       in->kvs[i].unresolved ? " [unresolved]" : "");
		dump_span(in->kvs[i].span);
		printf(" ");
		dump_span(in->kvs[i].value_span);
		printf("\n");
	}
	for (i = 0; i < in->n_heredocs; i++)
		printf("%*s  heredoc %s quoted=%d strip=%d line=%u..%u term=%d body=[%s]\n", indent, "",
		       in->heredocs[i].delim, in->heredocs[i].quoted, in->heredocs[i].strip_tabs,
		       in->heredocs[i].body_line, in->heredocs[i].end_line, in->heredocs[i].terminated,
		       in->heredocs[i].body);
	if (in->shell) {
		const struct hd_shell *sh = in->shell;

		if (sh->incomplete)
			printf("%*s  shell incomplete at %zu: %s\n", indent, "", sh->error_off, sh->error);
		for (i = 0; i < sh->n_cmds; i++) {
			const struct hd_cmd *c = &sh->cmds[i];

			printf("%*s  cmd d=%u%s sep=%d:", indent, "", c->depth, c->in_subst ? " subst" : "", c->sep);
			for (j = 0; j < c->n_assigns; j++)
				printf(" {%s}", c->assigns[j].text);
			for (j = 0; j < c->argc; j++) {
				struct hd_span s = hd_instr_word_span(in, &c->argv[j]);

				printf(" [%s]@%u:%u", c->argv[j].text, s.line, s.col);
			}
			for (j = 0; j < c->n_redirs; j++)
				printf(" <%s %s>", c->redirs[j].op, c->redirs[j].target.text);
			printf("\n");
		}
	}
	if (in->onbuild)
		dump_instr(in->onbuild, indent + 4);
}

static void dump(const struct hd_dockerfile *df)
{
	size_t i;

	printf("escape=%c syntax=%s check=%s dockerignore=%d/%d lines=%u\n", df->escape,
	       df->syntax ? df->syntax : "-", df->check ? df->check : "-", df->has_dockerignore,
	       df->dockerignore_known, df->n_lines);
	for (i = 0; i < df->n_errors; i++)
		printf("error %u:%u: %s\n", df->errors[i].line, df->errors[i].col, df->errors[i].msg);
	for (i = 0; i < df->suppress.n; i++)
		printf("suppress %u-%u (comment %u): %s\n", df->suppress.v[i].from_line, df->suppress.v[i].to_line,
		       df->suppress.v[i].comment_line, df->suppress.v[i].ids);
	for (i = 0; i < df->n_instrs; i++)
		dump_instr(&df->instrs[i], 0);
	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *s = &df->stages[i];

		printf("stage %u name=%s base=%s (%s/%s:%s@%s%s) base_stage=%d platform=%s final=%d used=%d "
		       "instrs=%zu..%zu user=%s last_user=%zd hc=%zd shell=%zd\n",
		       s->index, s->name ? s->name : "-", s->base.raw ? s->base.raw : "-",
		       s->base.registry ? s->base.registry : "-", s->base.repository ? s->base.repository : "-",
		       s->base.tag ? s->base.tag : "-", s->base.digest ? s->base.digest : "-",
		       s->base.has_unresolved_var ? " unresolved" : "", s->base_stage,
		       s->platform ? s->platform : "-", s->is_final, s->used_by_later, s->first, s->last,
		       s->user ? s->user : "-", s->last_user, s->healthcheck, s->shell_instr);
	}
	for (i = 0; i < df->n_vars; i++)
		printf("var %s %s=%s instr=%zu stage=%d\n", df->vars[i].is_env ? "ENV" : "ARG", df->vars[i].name,
		       df->vars[i].value ? df->vars[i].value : "(unknown)", df->vars[i].instr,
		       (int)df->vars[i].stage);
}

/* The invalid list: "relative/path  reason" per line, '#' comments. */
static char **invalid;
static size_t n_invalid, alloc_invalid;

static void load_invalid(const char *path)
{
	struct hd_buf b;
	char *p, *line;

	hd_buf_init(&b, HD_MAX_FILE_SIZE);
	if (hd_buf_read_file(&b, path) < 0) {
		hd_buf_release(&b);
		return;
	}
	p = b.buf;
	while (p && *p) {
		char *nl = strchr(p, '\n'), *sp;

		if (nl)
			*nl = '\0';
		line = p;
		p = nl ? nl + 1 : NULL;
		if (!*line || *line == '#')
			continue;
		sp = line + strcspn(line, " \t");
		*sp = '\0';
		if (HD_GROW(invalid, alloc_invalid, n_invalid + 1) < 0)
			break;
		invalid[n_invalid++] = hd_strdup(line);
	}
	hd_buf_release(&b);
}

static bool is_listed(const char *path)
{
	size_t i;

	for (i = 0; i < n_invalid; i++) {
		if (hd_ends_with(path, invalid[i]))
			return true;
	}
	return false;
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *invalid_list = NULL, *dump_file = NULL;
	char *defdir = NULL, *deflist = NULL;
	bool timing = false;
	size_t i, passed = 0, failed = 0, bytes = 0;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--invalid") == 0 && a + 1 < argc)
			invalid_list = argv[++a];
		else if (strcmp(argv[a], "--time") == 0)
			timing = true;
		else if (strcmp(argv[a], "--dump") == 0 && a + 1 < argc)
			dump_file = argv[++a];
		else
			dir = argv[a];
	}
	if (dump_file) {
		struct hd_buf b;
		struct hd_dockerfile *df;

		hd_buf_init(&b, HD_MAX_FILE_SIZE);
		if (hd_buf_read_file(&b, dump_file) < 0) {
			fprintf(stderr, "cannot read '%s'\n", dump_file);
			return 2;
		}
		if (hd_dockerfile_parse(dump_file, b.buf, b.len, &df) < 0)
			return 3;
		dump(df);
		hd_dockerfile_free(df);
		hd_buf_release(&b);
		return 0;
	}
	if (!dir) {
		const char *shared = getenv("SHARED");

		defdir = hd_asprintf("%s/corpus/dockerfiles", shared ? shared : "../shared");
		dir = defdir;
	}
	if (!invalid_list) {
		const char *src = getenv("SRCDIR");

		deflist = hd_asprintf("%s/tests/corpus/dockerfile-invalid.txt", src ? src : ".");
		invalid_list = deflist;
	}
	load_invalid(invalid_list);
	if (collect(dir) < 0 || n_files == 0) {
		fprintf(stderr, "no files under '%s'\n", dir);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	qsort(files, n_files, sizeof(*files), cmp_file);
	for (i = 0; i < n_files; i++)
		bytes += files[i].len;
	if (timing) {
		int rep;
		double best = 1e9, best_cpu = 1e9;

		for (rep = 0; rep < 10; rep++) {
			double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID), t, c;

			for (i = 0; i < n_files; i++) {
				struct hd_dockerfile *df;

				if (hd_dockerfile_parse(files[i].path, files[i].data, files[i].len, &df) == 0)
					hd_dockerfile_free(df);
			}
			t = now(CLOCK_MONOTONIC) - t0;
			c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
			if (t < best)
				best = t;
			if (c < best_cpu)
				best_cpu = c;
		}
		printf("parsed %zu files (%zu bytes) in %.2f ms wall, %.2f ms CPU (best of 10, one thread)\n",
		       n_files, bytes, best * 1000, best_cpu * 1000);
	}
	for (i = 0; i < n_files; i++) {
		struct hd_dockerfile *df;
		bool listed = is_listed(files[i].path);
		size_t k;

		if (hd_dockerfile_parse(files[i].path, files[i].data, files[i].len, &df) < 0) {
			printf("FAIL %s: out of memory\n", files[i].path);
			failed++;
			continue;
		}
		if (df->n_errors && !listed) {
			failed++;
			for (k = 0; k < df->n_errors && k < 3; k++)
				printf("FAIL %s:%u:%u: %s\n", files[i].path, df->errors[k].line, df->errors[k].col,
				       df->errors[k].msg);
		} else if (!df->n_errors && listed) {
			failed++;
			printf("FAIL %s: listed as invalid but parses cleanly\n", files[i].path);
		} else {
			passed++;
		}
		hd_dockerfile_free(df);
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	for (i = 0; i < n_files; i++) {
		hd_free(files[i].path);
		hd_free(files[i].data);
	}
	hd_free(files);
	for (i = 0; i < n_invalid; i++)
		hd_free(invalid[i]);
	hd_free(invalid);
	hd_free(defdir);
	hd_free(deflist);
	return failed ? 1 : 0;
}
