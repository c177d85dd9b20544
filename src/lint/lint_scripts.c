/*
 * Lint kinds for files that hold `docker run` lines (see lint_scripts.h).
 *
 * Every kind does the same three steps.  First it builds a "script text":
 * the shell code of the file, copied into one buffer with a segment table
 * that maps each copied run of bytes back to its line and column in the
 * file (a recipe line without its tab, a YAML block scalar without its
 * indentation, a Markdown line without its prompt).  Then the text is split
 * by the shell splitter, and each simple command that is a docker/podman
 * run/create is parsed by the run-line parser with positions from the
 * segment table.  Last, the container rules run on each spec, and the
 * file's `# hardock ignore=` comments filter what they found.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/suppress.h"
#include "lint/lint_scripts.h"
#include "model/shell.h"
#include "parse/runline.h"
#include "parse/yaml.h"

#include <fcntl.h>
#include <unistd.h>

#define MAX_NESTED_SCRIPTS 4u /* sh -c 'sh -c "..."' */

/* ---- script text with a position map ------------------------------------------------ */

struct seg {
	size_t off;          /* where the run starts in the text */
	uint32_t line, col;  /* where it comes from in the file */
};

struct stext {
	struct hd_buf b;
	struct seg *segs;
	size_t n, alloc;
	/*
	 * When the file was masked (GitHub ${{ }} expressions), orig is built
	 * alongside b from the unmasked bytes: the same offsets, the original
	 * text.  src/osrc are the masked and original files.
	 */
	struct hd_buf orig;
	const char *src, *osrc;
	size_t srclen;
};

static void st_init(struct stext *t)
{
	hd_buf_init(&t->b, HD_MAX_FILE_SIZE);
	hd_buf_init(&t->orig, HD_MAX_FILE_SIZE);
	t->segs = NULL;
	t->n = t->alloc = 0;
	t->src = t->osrc = NULL;
	t->srclen = 0;
}

static void st_release(struct stext *t)
{
	hd_buf_release(&t->b);
	hd_buf_release(&t->orig);
	hd_free(t->segs);
	t->segs = NULL;
	t->n = t->alloc = 0;
}

/* Appends s[0..n) that starts at line:col of the file. */
static int st_add(struct stext *t, const char *s, size_t n, uint32_t line, uint32_t col)
{
	int r;

	if (HD_GROW(t->segs, t->alloc, t->n + 1) < 0)
		return -HD_ENOMEM;
	t->segs[t->n].off = t->b.len;
	t->segs[t->n].line = line;
	t->segs[t->n].col = col;
	t->n++;
	r = hd_buf_add(&t->b, s, n);
	if (r < 0 || !t->osrc)
		return r;
	if (s >= t->src && s + n <= t->src + t->srclen)
		return hd_buf_add(&t->orig, t->osrc + (s - t->src), n);
	return hd_buf_add(&t->orig, s, n);
}

/* Appends a separator that has no place of its own in the file. */
static int st_addch(struct stext *t, char c)
{
	int r = hd_buf_addch(&t->b, c);

	if (r < 0 || !t->osrc)
		return r;
	return hd_buf_addch(&t->orig, c);
}

/* The file position of text offset off. */
static void st_pos(const struct stext *t, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = t->n;

	if (!t->n) {
		*line = *col = 1;
		return;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = t->segs[lo].line;
	*col = t->segs[lo].col + (uint32_t)(off >= t->segs[lo].off ? off - t->segs[lo].off : 0);
}

/*
 * Appends one line of make or systemd text, turning "$$" into "$" (a new
 * segment after each dropped byte keeps the columns exact).
 */
static int st_add_dollars(struct stext *t, const char *s, size_t n, uint32_t line, uint32_t col)
{
	size_t i = 0, start = 0;
	int r;

	while (i < n) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '$') {
			r = st_add(t, s + start, i + 1 - start, line, col + (uint32_t)start);
			if (r < 0)
				return r;
			i += 2;
			start = i;
			continue;
		}
		i++;
	}
	return st_add(t, s + start, n - start, line, col + (uint32_t)start);
}

/* ---- the file's lines and pragmas ------------------------------------------------------ */

enum src_kind { K_SHELL, K_MAKE, K_SYSTEMD, K_YAML, K_MARKDOWN };

struct pragma {
	uint32_t line;
	const char *ids;
	size_t ids_len;
};

struct lctx {
	const char *path;
	const char *base;          /* for spec names */
	const char *data;
	size_t len;
	enum src_kind kind;
	const struct hd_config *cfg;
	size_t *starts;            /* line start offsets */
	size_t n_lines;
	struct pragma *pragmas;
	size_t n_pragmas, alloc_pragmas;
	struct hd_suppressions supp;
	struct hd_findings found;  /* this file's findings */
	int (*each)(struct hd_container_spec *c, void *ctx);
	void *each_ctx;
	const char *orig;          /* YAML: the text before ${{ }} was masked, or NULL */
};

static void line_span(const struct lctx *x, uint32_t line, const char **s, size_t *n)
{
	size_t a, e;

	if (line == 0 || line > x->n_lines) {
		*s = "";
		*n = 0;
		return;
	}
	a = x->starts[line - 1];
	e = a;
	while (e < x->len && x->data[e] != '\n')
		e++;
	if (e > a && x->data[e - 1] == '\r')
		e--;
	*s = x->data + a;
	*n = e - a;
}

static const char *skip_blank(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* The comment text of a comment-only line ("# ..." or "<!-- ... -->"), or NULL. */
static const char *comment_of(const char *s, size_t n, size_t *clen)
{
	const char *e = s + n, *p = skip_blank(s, e);

	if (p < e && *p == '#') {
		*clen = (size_t)(e - p);
		return p;
	}
	if ((size_t)(e - p) >= 4 && memcmp(p, "<!--", 4) == 0) {
		*clen = (size_t)(e - p - 4);
		return p + 4;
	}
	return NULL;
}

static int scan_lines(struct lctx *x)
{
	size_t i, alloc = 0;
	uint32_t ln;
	int r;

	x->n_lines = 0;
	if (HD_GROW(x->starts, alloc, 1) < 0)
		return -HD_ENOMEM;
	x->starts[x->n_lines++] = 0;
	for (i = 0; i < x->len; i++) {
		if (x->data[i] == '\n' && i + 1 <= x->len) {
			if (HD_GROW(x->starts, alloc, x->n_lines + 1) < 0)
				return -HD_ENOMEM;
			x->starts[x->n_lines++] = i + 1;
		}
	}
	for (ln = 1; ln <= x->n_lines; ln++) {
		const char *s, *c, *ids;
		size_t n, clen, ids_len;
		int global;

		line_span(x, ln, &s, &n);
		c = comment_of(s, n, &clen);
		if (!c || !hd_suppress_parse_comment(c, clen, &ids, &ids_len, &global))
			continue;
		if (global) {
			r = hd_suppressions_add(&x->supp, 0, 0, ln, ids, ids_len);
			if (r < 0)
				return r;
			continue;
		}
		if (HD_GROW(x->pragmas, x->alloc_pragmas, x->n_pragmas + 1) < 0)
			return -HD_ENOMEM;
		x->pragmas[x->n_pragmas].line = ln;
		x->pragmas[x->n_pragmas].ids = ids;
		x->pragmas[x->n_pragmas].ids_len = ids_len;
		x->n_pragmas++;
	}
	return 0;
}

static const struct pragma *pragma_at(const struct lctx *x, uint32_t line)
{
	size_t i;

	for (i = 0; i < x->n_pragmas; i++) {
		if (x->pragmas[i].line == line)
			return &x->pragmas[i];
	}
	return NULL;
}

/*
 * A line that may stand between a pragma and the invocation it is for:
 * another comment, a YAML key opening a block (`- run: |`, `script:`), a
 * Markdown fence.
 */
static bool is_header_line(const struct lctx *x, uint32_t line)
{
	const char *s, *e, *p;
	size_t n, clen;

	line_span(x, line, &s, &n);
	if (comment_of(s, n, &clen))
		return true;
	e = s + n;
	p = skip_blank(s, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e)
		return false;
	if (x->kind == K_MARKDOWN)
		return (e - p >= 3 && (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0));
	if (x->kind != K_YAML)
		return false;
	if (e[-1] == ':')
		return true;
	/* Block scalar header: the last token is | or > with chomping/indent indicators. */
	{
		const char *q = e;

		while (q > p && (q[-1] == '-' || q[-1] == '+' || isdigit((unsigned char)q[-1])))
			q--;
		return q > p && (q[-1] == '|' || q[-1] == '>');
	}
}

/* Suppressions for an invocation on lines [from, to]: pragmas just above it. */
static int add_pragmas(struct lctx *x, uint32_t from, uint32_t to)
{
	uint32_t ln = from, steps = 0;
	int r;

	while (ln > 1 && steps++ < 6) {
		const struct pragma *p;

		ln--;
		p = pragma_at(x, ln);
		if (p) {
			r = hd_suppressions_add(&x->supp, from, to, ln, p->ids, p->ids_len);
			if (r < 0)
				return r;
			continue;
		}
		if (!is_header_line(x, ln))
			break;
	}
	return 0;
}

/* ---- finding invocations ------------------------------------------------------------------ */

static int lint_stext(struct lctx *x, struct stext *t, unsigned depth);

static bool is_shell_name(const char *n)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(shells); i++) {
		if (strcmp(n, shells[i]) == 0)
			return true;
	}
	return false;
}

/* For `sh -c 'script'`: the index of the script word, or 0. */
static size_t shell_c_script(const struct hd_cmd *c)
{
	size_t i;

	if (!is_shell_name(hd_cmd_name(c)))
		return 0;
	for (i = 1; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (a[0] != '-' || a[1] == '-')
			return 0;
		if (strchr(a + 1, 'c'))
			return i + 1 < c->argc ? i + 1 : 0;
		if (strcmp(a, "-o") == 0 || strcmp(a, "+o") == 0)
			i++;
	}
	return 0;
}

/* Lints the script of `sh -c '...'`, positioned at its word. */
static int lint_nested(struct lctx *x, const struct stext *t, const struct hd_word *w, unsigned depth)
{
	struct stext sub;
	uint32_t line, col;
	const char *s = w->text, *nl;
	int r = 0;

	if (depth >= MAX_NESTED_SCRIPTS)
		return 0;
	st_pos(t, w->off, &line, &col);
	/* A quoted word without escapes: its text starts one byte in. */
	if ((w->flags & HD_WORD_QUOTED) && w->end - w->off == strlen(s) + 2)
		col++;
	st_init(&sub);
	while (r >= 0) {
		nl = strchr(s, '\n');
		r = st_add(&sub, s, nl ? (size_t)(nl - s) + 1 : strlen(s), line, col);
		if (!nl)
			break;
		s = nl + 1;
		line++;
		col = 1;
	}
	if (r >= 0)
		r = lint_stext(x, &sub, depth + 1);
	st_release(&sub);
	return r;
}

/* The text of word w for the run-line parser: ${{ }} expressions restored in YAML. */
static const char *word_text(const struct stext *t, const struct hd_word *w, char **tmp)
{
	const char *raw;
	size_t n;

	*tmp = NULL;
	if (!t->osrc || !(w->flags & HD_WORD_EXPANSION) || !strstr(w->text, "${_"))
		return w->text;
	if (w->end > t->orig.len || w->end <= w->off)
		return w->text;
	raw = t->orig.buf + w->off;
	n = w->end - w->off;
	if (n >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[n - 1] == raw[0]) {
		raw++;
		n -= 2;
	}
	*tmp = hd_strndup(raw, n);
	return *tmp ? *tmp : w->text;
}

/*
 * A one-shot container runs a command and is gone: `docker run --rm`
 * without -d, and in a CI step, a Makefile recipe or a Markdown example any
 * `docker run` without -d (those run a tool, a test, a demo).  What starts
 * a service is not one: -d, a restart policy, `docker create`, `docker
 * service create`, a systemd unit's ExecStart.
 */
static bool one_shot(const struct lctx *x, const struct hd_run_match *m, const struct hd_container_spec *c)
{
	if (m->verb != HD_RUN_VERB_RUN || x->kind == K_SYSTEMD)
		return false;
	if (c->detach.set && (c->detach.value || c->detach.unknown))
		return false;
	if (c->restart.set && c->restart.value && strcmp(c->restart.value, "no") != 0)
		return false;
	if (c->auto_remove.set && c->auto_remove.value)
		return true;
	return x->kind == K_MAKE || x->kind == K_MARKDOWN || x->kind == K_YAML;
}

/*
 * Lints one container-creating invocation, words[0..n) (positions already
 * mapped to the file), whose last word is on line end_line.  `label`, when
 * not NULL, names the container instead of the verb ("service 'db'", for
 * containers a CI file declares); `ephemeral` says it lives only as long as
 * a CI job (judged as a one-shot container).
 */
static int lint_words(struct lctx *x, const struct hd_run_word *words, size_t n, uint32_t end_line,
		      const char *label, bool ephemeral)
{
	struct hd_run_match m;
	struct hd_container_spec *c = NULL;
	uint32_t line, col;
	char *name = NULL;
	size_t i;
	int r = 0;

	if (!n || !hd_runline_match(words, n, &m))
		return 0;
	line = words[m.tool_at].line;
	col = words[m.tool_at].col;
	name = hd_asprintf("%s (%s:%" PRIu32 ")", label ? label : hd_run_verb_name(&m), x->base, line);
	if (!name)
		return -HD_ENOMEM;
	c = hd_container_spec_new(HD_SRC_RUN, name, x->path);
	if (!c) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = hd_origin_set(&c->at, c->file, line, col, label ? label : hd_run_verb_name(&m));
	if (r < 0)
		goto out;
	r = hd_runline_parse(words, n, &m, c);
	if (r < 0)
		goto out;
	if (x->each) {
		r = x->each(c, x->each_ctx);
		goto out;
	}
	{
		struct hd_model md = { .kind = HD_TARGET_CONTAINER };
		bool once = ephemeral || one_shot(x, &m, c);
		struct hd_check ck;

		md.cfg = x->cfg;
		md.ctr = c;
		/* A one-shot container is judged by the security rules, not by the service ones. */
		for (i = 0; i < hd_rule_count && r >= 0; i++) {
			if (!hd_rule_runs_on(&md, i) || (once && (hd_rules[i]->flags & HD_RULE_SERVICE)))
				continue;
			r = hd_run_rule(&md, i, &x->found, &ck);
		}
		if (r < 0)
			goto out;
		r = 0;
	}
	if (end_line < line)
		end_line = line;
	for (i = 0; i < n; i++) {
		if (words[i].line > end_line)
			end_line = words[i].line;
	}
	/* The invocation's last line bounds what a pragma above it covers. */
	r = add_pragmas(x, line, end_line);
out:
	hd_container_spec_free(c);
	hd_free(name);
	return r;
}

static int lint_invocation(struct lctx *x, const struct stext *t, const struct hd_cmd *cmd)
{
	struct hd_run_word *words = NULL;
	char **tmps = NULL;
	uint32_t end_line, end_col;
	size_t i;
	int r = 0;

	if (cmd->argc == 0)
		return 0;
	words = hd_calloc(cmd->argc, sizeof(*words));
	tmps = hd_calloc(cmd->argc, sizeof(*tmps));
	if (!words || !tmps) {
		r = -HD_ENOMEM;
		goto out;
	}
	for (i = 0; i < cmd->argc; i++) {
		words[i].text = word_text(t, &cmd->argv[i], &tmps[i]);
		st_pos(t, cmd->argv[i].off, &words[i].line, &words[i].col);
		words[i].flags = cmd->argv[i].flags;
	}
	st_pos(t, cmd->end > 0 ? cmd->end - 1 : cmd->end, &end_line, &end_col);
	r = lint_words(x, words, cmd->argc, end_line, NULL, false);
out:
	if (tmps) {
		for (i = 0; i < cmd->argc; i++)
			hd_free(tmps[i]);
	}
	hd_free(tmps);
	hd_free(words);
	return r;
}

static int lint_stext(struct lctx *x, struct stext *t, unsigned depth)
{
	struct hd_shell sh;
	size_t i;
	int r;

	memset(&sh, 0, sizeof(sh));
	if (!t->b.len)
		return 0;
	r = hd_shell_split(t->b.buf, t->b.len, &sh);
	if (r < 0) {
		hd_shell_release(&sh);
		/* Too big to split is the input's problem: lint nothing of it. */
		return r == -HD_ENOMEM ? r : 0;
	}
	for (i = 0; i < sh.n_cmds && r >= 0; i++) {
		const struct hd_cmd *cmd = &sh.cmds[i];
		size_t si;

		r = lint_invocation(x, t, cmd);
		if (r >= 0 && (si = shell_c_script(cmd)))
			r = lint_nested(x, t, &cmd->argv[si], depth);
	}
	hd_shell_release(&sh);
	return r;
}

/* ---- per-kind extraction ---------------------------------------------------------------- */

static int extract_shell(struct lctx *x, struct stext *t)
{
	uint32_t ln;
	int r;

	for (ln = 1; ln <= x->n_lines; ln++) {
		size_t a = x->starts[ln - 1], e = ln < x->n_lines ? x->starts[ln] : x->len;

		r = st_add(t, x->data + a, e - a, ln, 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool ends_with_backslash(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '\\';
}

/* NAME = value, NAME := value, ?=, +=, !=, ::=; *vs set to the value. */
static bool make_assignment(const char *s, size_t n, size_t *vs)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
		i++;
	if (i == 0)
		return false;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && (s[i] == ':' || s[i] == '?' || s[i] == '+' || s[i] == '!'))
		i++;
	if (i >= n || s[i] != '=')
		return false;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*vs = i;
	return true;
}

static int extract_make(struct lctx *x, struct stext *t)
{
	bool cont = false;
	uint32_t ln;
	int r;

	for (ln = 1; ln <= x->n_lines; ln++) {
		const char *s;
		size_t n, off = 0, vs;

		line_span(x, ln, &s, &n);
		if (cont) {
			/* make strips one tab from a recipe's continuation line. */
			if (n && s[0] == '\t')
				off = 1;
		} else if (n && s[0] == '\t') {
			off = 1;
			while (off < n && (s[off] == '@' || s[off] == '-' || s[off] == '+' || s[off] == ' ' ||
					   s[off] == '\t'))
				off++;
		} else if (make_assignment(s, n, &vs)) {
			off = vs;
		} else {
			const char *semi = memchr(s, ';', n);
			const char *colon = memchr(s, ':', n);

			/* target: prerequisites ; recipe */
			if (!semi || !colon || colon > semi || s[0] == '#')
				continue;
			off = (size_t)(semi - s) + 1;
		}
		r = st_add_dollars(t, s + off, n - off, ln, (uint32_t)off + 1);
		if (r >= 0)
			r = st_addch(t, '\n');
		if (r < 0)
			return r;
		cont = ends_with_backslash(s, n);
	}
	return 0;
}

static int extract_systemd(struct lctx *x, struct stext *t)
{
	static const char *const keys[] = { "ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload",
					    "ExecStop", "ExecStopPost", "ExecCondition" };
	bool cont = false;
	uint32_t ln;
	int r;

	for (ln = 1; ln <= x->n_lines; ln++) {
		const char *s, *e, *p, *eq;
		size_t n, k;
		bool hit = false;

		line_span(x, ln, &s, &n);
		e = s + n;
		p = skip_blank(s, e);
		if (cont) {
			if (p < e && (*p == '#' || *p == ';'))
				continue; /* systemd skips comment lines inside a continuation */
			r = st_add(t, p, (size_t)(e - p), ln, (uint32_t)(p - s) + 1);
			if (r >= 0)
				r = st_addch(t, '\n');
			if (r < 0)
				return r;
			cont = ends_with_backslash(s, n);
			continue;
		}
		eq = memchr(p, '=', (size_t)(e - p));
		if (!eq || *p == '#' || *p == ';')
			continue;
		for (k = 0; k < HD_ARRAY_SIZE(keys); k++) {
			const char *ke = eq;

			while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			if ((size_t)(ke - p) == strlen(keys[k]) && memcmp(p, keys[k], (size_t)(ke - p)) == 0)
				hit = true;
		}
		if (!hit)
			continue;
		p = skip_blank(eq + 1, e);
		/* Prefixes: @ - : + ! !! change how the command runs, not what it is. */
		while (p < e && strchr("@-:+!", *p))
			p++;
		r = st_add(t, p, (size_t)(e - p), ln, (uint32_t)(p - s) + 1);
		if (r >= 0)
			r = st_addch(t, '\n');
		if (r < 0)
			return r;
		cont = ends_with_backslash(s, n);
	}
	return 0;
}

/* ---- YAML --------------------------------------------------------------------------------- */

/*
 * Appends a scalar's shell text with its positions, from the scalar's
 * source bytes: block scalars line by line without their indentation,
 * plain and simple quoted ones in place, escaped ones at their start.
 */
static int add_yaml_scalar(struct lctx *x, struct stext *t, struct fy_node *n)
{
	struct fy_token *tok = fy_node_get_scalar_token(n);
	const struct fy_mark *sm = tok ? fy_token_start_mark(tok) : NULL;
	const struct fy_mark *em = tok ? fy_token_end_mark(tok) : NULL;
	const char *raw, *val;
	size_t rawlen, vlen = 0;
	uint32_t line, col;
	int r;

	/* Through hd_yaml_scalar(): libfyaml's own scalar text can leak (parse/yaml.h). */
	val = hd_yaml_scalar(n);
	if (!val)
		return 0;
	vlen = strlen(val);
	if (!sm || !em || em->input_pos < sm->input_pos || em->input_pos > x->len)
		return 0;
	raw = x->data + sm->input_pos;
	rawlen = em->input_pos - sm->input_pos;
	line = (uint32_t)sm->line + 1;
	col = (uint32_t)sm->column + 1;
	if (fy_node_get_style(n) == FYNS_LITERAL || fy_node_get_style(n) == FYNS_FOLDED) {
		bool folded = fy_node_get_style(n) == FYNS_FOLDED;
		const char *p = raw, *e = raw + rawlen;
		size_t indent = (size_t)-1;
		bool first = true;

		/*
		 * libfyaml marks a block scalar from the start of its first content
		 * line; should a version mark the indicator, skip the header line.
		 */
		if (rawlen && (raw[0] == '|' || raw[0] == '>')) {
			p = memchr(raw, '\n', rawlen);
			if (!p)
				return 0;
			p++;
		} else {
			p = raw - (sm->column >= 0 && (size_t)sm->column <= sm->input_pos ? (size_t)sm->column : 0);
			line--;
		}
		/* Find the indentation from the first non-blank line. */
		{
			const char *q = p;

			while (q < e) {
				const char *le = memchr(q, '\n', (size_t)(e - q));
				const char *b = q;

				if (!le)
					le = e;
				while (b < le && *b == ' ')
					b++;
				if (b < le && *b != '\r') {
					indent = (size_t)(b - q);
					break;
				}
				q = le + 1;
			}
		}
		if (indent == (size_t)-1)
			return 0;
		for (line++; p < e; line++) {
			const char *le = memchr(p, '\n', (size_t)(e - p));
			size_t ll;

			if (!le)
				le = e;
			ll = (size_t)(le - p);
			if (ll > indent) {
				if (!first)
					r = st_addch(t, folded && p[indent] != ' ' ? ' ' : '\n');
				else
					r = 0;
				if (r >= 0)
					r = st_add(t, p + indent, ll - indent, line, (uint32_t)indent + 1);
				if (r < 0)
					return r;
				first = false;
			} else if (!first) {
				r = st_addch(t, '\n');
				if (r < 0)
					return r;
			}
			p = le + 1;
		}
		return st_addch(t, '\n');
	}
	if (rawlen && (raw[0] == '"' || raw[0] == '\'')) {
		if (rawlen == vlen + 2 && memcmp(raw + 1, val, vlen) == 0)
			r = st_add(t, val, vlen, line, col + 1);
		else
			r = st_add(t, val, vlen, line, col);
		return r < 0 ? r : st_addch(t, '\n');
	}
	/* Plain: lines folded with single spaces, each line at its place. */
	{
		const char *p = raw, *e = raw + rawlen;
		bool first = true;

		while (p < e) {
			const char *le = memchr(p, '\n', (size_t)(e - p)), *b = p, *ee;

			if (!le)
				le = e;
			while (b < le && (*b == ' ' || *b == '\t'))
				b++;
			ee = le;
			while (ee > b && (ee[-1] == ' ' || ee[-1] == '\t' || ee[-1] == '\r'))
				ee--;
			if (ee > b) {
				r = first ? 0 : st_addch(t, ' ');
				if (r >= 0)
					r = st_add(t, b, (size_t)(ee - b), line, first ? col : (uint32_t)(b - p) + 1);
				if (r < 0)
					return r;
				first = false;
			}
			p = le + 1;
			line++;
		}
		return st_addch(t, '\n');
	}
}

struct yaml_walk {
	struct lctx *x;
	bool github;
	struct fy_node **seen; /* aliased script nodes already linted */
	size_t n_seen, alloc_seen;
};

static bool seen_node(struct yaml_walk *yw, struct fy_node *n, int *err)
{
	size_t i;

	*err = 0;
	for (i = 0; i < yw->n_seen; i++) {
		if (yw->seen[i] == n)
			return true;
	}
	if (HD_GROW(yw->seen, yw->alloc_seen, yw->n_seen + 1) < 0) {
		*err = -HD_ENOMEM;
		return true;
	}
	yw->seen[yw->n_seen++] = n;
	return false;
}

static struct fy_node *deref(struct fy_node *n)
{
	unsigned k = 0;

	while (n && fy_node_is_alias(n) && k++ < 8)
		n = fy_node_resolve_alias(n);
	return n && fy_node_is_alias(n) ? NULL : n;
}

/* Appends a script value: a scalar, or a sequence of them (nested once, as GitLab flattens). */
static int add_script_value(struct yaml_walk *yw, struct stext *t, struct fy_node *v, unsigned depth)
{
	void *it = NULL;
	struct fy_node *item;
	int r;

	v = deref(v);
	if (!v || depth > 2)
		return 0;
	if (fy_node_get_type(v) == FYNT_SCALAR)
		return add_yaml_scalar(yw->x, t, v);
	if (fy_node_get_type(v) != FYNT_SEQUENCE)
		return 0;
	while ((item = fy_node_sequence_iterate(v, &it))) {
		r = add_script_value(yw, t, item, depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The step's shell is a POSIX one (absent means bash or sh on the runners we care about). */
static bool posix_shell_step(struct fy_node *mapping)
{
	struct fy_node *sh = hd_yaml_get(mapping, "shell");
	const char *s = sh ? hd_yaml_scalar(sh) : NULL;

	if (!s)
		return true;
	return hd_starts_with(s, "bash") || hd_starts_with(s, "sh") || hd_starts_with(s, "zsh") ||
	       hd_starts_with(s, "dash") || hd_starts_with(s, "ksh");
}

static int lint_script_node(struct yaml_walk *yw, struct fy_node *v)
{
	struct stext t;
	struct fy_node *target = deref(v);
	int r, err = 0;

	if (!target || seen_node(yw, target, &err))
		return err;
	st_init(&t);
	if (yw->x->orig) {
		t.src = yw->x->data;
		t.osrc = yw->x->orig;
		t.srclen = yw->x->len;
	}
	r = add_script_value(yw, &t, target, 0);
	if (r >= 0)
		r = lint_stext(yw->x, &t, 0);
	st_release(&t);
	return r;
}

static int walk_yaml(struct yaml_walk *yw, struct fy_node *n, unsigned depth)
{
	void *it = NULL;
	int r;

	if (!n || depth > HD_MAX_YAML_DEPTH || fy_node_is_alias(n))
		return 0;
	if (fy_node_get_type(n) == FYNT_SEQUENCE) {
		struct fy_node *item;

		while ((item = fy_node_sequence_iterate(n, &it))) {
			r = walk_yaml(yw, item, depth + 1);
			if (r < 0)
				return r;
		}
		return 0;
	}
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return 0;
	{
		struct fy_node_pair *p;

		while ((p = fy_node_mapping_iterate(n, &it))) {
			struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
			const char *key = k ? hd_yaml_scalar(k) : NULL;
			bool script = false;

			if (key && yw->github)
				script = strcmp(key, "run") == 0 && posix_shell_step(n);
			else if (key)
				script = strcmp(key, "script") == 0 || strcmp(key, "before_script") == 0 ||
					 strcmp(key, "after_script") == 0;
			if (script) {
				struct fy_node *d = deref(v);

				if (d && (fy_node_get_type(d) == FYNT_SCALAR || fy_node_get_type(d) == FYNT_SEQUENCE)) {
					r = lint_script_node(yw, v);
					if (r < 0)
						return r;
					continue;
				}
			}
			r = walk_yaml(yw, v, depth + 1);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/*
 * Masks GitHub expressions `${{ ... }}`, which no shell can split, as a
 * same-length `${_____}` variable; the words holding one get their original
 * text back in word_text().
 */
static void mask_expressions(char *s, size_t n)
{
	size_t i = 0;

	while (i + 3 < n) {
		if (s[i] == '$' && s[i + 1] == '{' && s[i + 2] == '{') {
			size_t j = i + 3;

			while (j + 1 < n && !(s[j] == '}' && s[j + 1] == '}') && s[j] != '\n')
				j++;
			if (j + 1 < n && s[j] == '}') {
				size_t k;

				/* "${{" .. "}}" -> "${_" .. "_}" */
				s[i + 2] = '_';
				for (k = i + 3; k < j + 1; k++)
					s[k] = '_';
				s[j + 1] = '}';
				i = j + 2;
				continue;
			}
		}
		i++;
	}
}

/* ---- containers a CI file declares ------------------------------------------------------ */

/*
 * GitHub Actions (jobs.<id>.container, jobs.<id>.services.<name>, steps
 * with `uses: docker://image`) and GitLab CI (image:, services:, with the
 * variables: of the file, the job and the service) declare containers
 * rather than run them.  Each becomes the words of the `docker run` that
 * would start it, every word at the YAML node it comes from, and is linted
 * like a run line.  They live as long as the job does: one-shot containers.
 */
struct cwords {
	struct hd_run_word *v;
	size_t n, alloc;
	char **owned;
	size_t n_owned, alloc_owned;
	uint32_t end_line;
};

static void cw_release(struct cwords *w)
{
	size_t i;

	for (i = 0; i < w->n_owned; i++)
		hd_free(w->owned[i]);
	hd_free(w->owned);
	hd_free(w->v);
	memset(w, 0, sizeof(*w));
}

/* Adds a word at the position of node n (text is copied). */
static int cw_add(struct cwords *w, const char *text, struct fy_node *n)
{
	char *t;
	uint32_t line = 1, col = 1;

	if (n)
		hd_yaml_pos(n, &line, &col);
	if (HD_GROW(w->v, w->alloc, w->n + 1) < 0 || HD_GROW(w->owned, w->alloc_owned, w->n_owned + 1) < 0)
		return -HD_ENOMEM;
	t = hd_strdup(text);
	if (!t)
		return -HD_ENOMEM;
	w->owned[w->n_owned++] = t;
	w->v[w->n].text = t;
	w->v[w->n].line = line;
	w->v[w->n].col = col;
	w->v[w->n].flags = strchr(t, '$') ? HD_WORD_EXPANSION : 0;
	w->n++;
	if (line > w->end_line)
		w->end_line = line;
	return 0;
}

static int cw_flag(struct cwords *w, const char *flag, const char *value, struct fy_node *n)
{
	int r = cw_add(w, flag, n);

	return r < 0 ? r : cw_add(w, value, n);
}

/* Adds the shell words of an options string (`options: --cpus 1 --health-cmd "x y"`), positioned. */
static int cw_options(struct lctx *x, struct cwords *w, struct fy_node *n)
{
	struct stext t;
	struct hd_shell sh;
	size_t i, j;
	int r;

	n = deref(n);
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return 0;
	st_init(&t);
	memset(&sh, 0, sizeof(sh));
	r = add_yaml_scalar(x, &t, n);
	if (r >= 0 && t.b.len)
		r = hd_shell_split(t.b.buf, t.b.len, &sh);
	for (i = 0; r >= 0 && i < sh.n_cmds; i++) {
		for (j = 0; r >= 0 && j < sh.cmds[i].argc; j++) {
			const struct hd_word *wd = &sh.cmds[i].argv[j];
			uint32_t line, col;

			if (HD_GROW(w->v, w->alloc, w->n + 1) < 0 ||
			    HD_GROW(w->owned, w->alloc_owned, w->n_owned + 1) < 0) {
				r = -HD_ENOMEM;
				break;
			}
			st_pos(&t, wd->off, &line, &col);
			w->owned[w->n_owned] = hd_strdup(wd->text);
			if (!w->owned[w->n_owned]) {
				r = -HD_ENOMEM;
				break;
			}
			w->v[w->n].text = w->owned[w->n_owned++];
			w->v[w->n].line = line;
			w->v[w->n].col = col;
			w->v[w->n].flags = wd->flags;
			w->n++;
			if (line > w->end_line)
				w->end_line = line;
		}
	}
	hd_shell_release(&sh);
	st_release(&t);
	/* Options too big or malformed to split are the input's problem: they set nothing. */
	return r == -HD_ENOMEM ? r : 0;
}

/* Adds "-e NAME=VALUE" for each entry of a mapping of variables. */
static int cw_env(struct cwords *w, struct fy_node *vars)
{
	struct fy_node_pair *p;
	void *it = NULL;
	int r = 0;

	vars = deref(vars);
	if (!vars || fy_node_get_type(vars) != FYNT_MAPPING)
		return 0;
	while (r >= 0 && (p = fy_node_mapping_iterate(vars, &it))) {
		const char *k = hd_yaml_scalar(fy_node_pair_key(p));
		struct fy_node *v = deref(fy_node_pair_value(p));
		const char *val = v ? hd_yaml_scalar(v) : NULL;
		char *kv;

		/* GitLab's long form: NAME: {value: ..., description: ...}. */
		if (v && !val && fy_node_get_type(v) == FYNT_MAPPING)
			val = hd_yaml_scalar(hd_yaml_get(v, "value"));
		if (!k)
			continue;
		kv = hd_asprintf("%s=%s", k, val ? val : "");
		if (!kv)
			return -HD_ENOMEM;
		r = cw_flag(w, "-e", kv, fy_node_pair_key(p));
		hd_free(kv);
	}
	return r;
}

/* Adds FLAG item for each scalar of a sequence (volumes, ports). */
static int cw_list(struct cwords *w, const char *flag, struct fy_node *seq)
{
	struct fy_node *item;
	void *it = NULL;
	int r = 0;

	seq = deref(seq);
	if (!seq)
		return 0;
	if (fy_node_get_type(seq) == FYNT_SCALAR)
		return hd_yaml_scalar(seq) ? cw_flag(w, flag, hd_yaml_scalar(seq), seq) : 0;
	if (fy_node_get_type(seq) != FYNT_SEQUENCE)
		return 0;
	while (r >= 0 && (item = fy_node_sequence_iterate(seq, &it))) {
		const char *v = hd_yaml_scalar(deref(item));

		if (v)
			r = cw_flag(w, flag, v, item);
	}
	return r;
}

/* Lints the container the words describe, once they end with its image. */
static int cw_lint(struct lctx *x, struct cwords *w, const char *label)
{
	return lint_words(x, w->v, w->n, w->end_line, label, true);
}

/*
 * A GitHub job container or service: `image` (a string, or a mapping with
 * image, options, env, ports, volumes).  at is the key naming it.
 */
static int gh_container(struct lctx *x, struct fy_node *at, struct fy_node *v, const char *label)
{
	struct cwords w = { 0 };
	struct fy_node *img;
	int r;

	v = deref(v);
	if (!v)
		return 0;
	img = fy_node_get_type(v) == FYNT_SCALAR ? v : deref(hd_yaml_get(v, "image"));
	if (!img || !hd_yaml_scalar(img) || !*hd_yaml_scalar(img))
		return 0;
	r = cw_add(&w, "docker", at);
	if (r >= 0)
		r = cw_add(&w, "run", at);
	if (r >= 0 && fy_node_get_type(v) == FYNT_MAPPING) {
		r = cw_options(x, &w, hd_yaml_get(v, "options"));
		if (r >= 0)
			r = cw_env(&w, hd_yaml_get(v, "env"));
		if (r >= 0)
			r = cw_list(&w, "-p", hd_yaml_get(v, "ports"));
		if (r >= 0)
			r = cw_list(&w, "-v", hd_yaml_get(v, "volumes"));
	}
	if (r >= 0)
		r = cw_add(&w, "--", img);
	if (r >= 0)
		r = cw_add(&w, hd_yaml_scalar(img), img);
	if (r >= 0)
		r = cw_lint(x, &w, label);
	cw_release(&w);
	return r;
}

/* A step `uses: docker://image` with `with: {entrypoint, args}`. */
static int gh_docker_step(struct lctx *x, struct fy_node *step)
{
	struct fy_node *uses = deref(hd_yaml_get(step, "uses")), *with = deref(hd_yaml_get(step, "with"));
	const char *u = uses ? hd_yaml_scalar(uses) : NULL;
	struct cwords w = { 0 };
	int r;

	if (!u || !hd_starts_with(u, "docker://") || !u[9])
		return 0;
	r = cw_add(&w, "docker", uses);
	if (r >= 0)
		r = cw_add(&w, "run", uses);
	if (r >= 0)
		r = cw_env(&w, hd_yaml_get(step, "env"));
	if (r >= 0 && with && hd_yaml_scalar(deref(hd_yaml_get(with, "entrypoint"))))
		r = cw_flag(&w, "--entrypoint", hd_yaml_scalar(deref(hd_yaml_get(with, "entrypoint"))),
			    hd_yaml_get(with, "entrypoint"));
	if (r >= 0)
		r = cw_add(&w, u + 9, uses);
	if (r >= 0)
		r = cw_lint(x, &w, "docker:// step");
	cw_release(&w);
	return r;
}

static int github_containers(struct lctx *x, struct fy_node *root)
{
	struct fy_node *jobs = deref(hd_yaml_get(root, "jobs"));
	struct fy_node_pair *jp;
	void *jit = NULL;
	int r = 0;

	if (!jobs || fy_node_get_type(jobs) != FYNT_MAPPING)
		return 0;
	while (r >= 0 && (jp = fy_node_mapping_iterate(jobs, &jit))) {
		struct fy_node *job = deref(fy_node_pair_value(jp)), *svcs, *steps;
		const struct fy_node_pair *cp;
		const char *jname = hd_yaml_scalar(fy_node_pair_key(jp));
		char label[256];

		if (!job || fy_node_get_type(job) != FYNT_MAPPING)
			continue;
		cp = fy_node_mapping_lookup_pair_by_string(job, "container", FY_NT);
		if (cp) {
			snprintf(label, sizeof(label), "container of job %s", jname ? jname : "?");
			r = gh_container(x, fy_node_pair_key((struct fy_node_pair *)cp),
					 fy_node_pair_value((struct fy_node_pair *)cp), label);
		}
		svcs = deref(hd_yaml_get(job, "services"));
		if (r >= 0 && svcs && fy_node_get_type(svcs) == FYNT_MAPPING) {
			struct fy_node_pair *sp;
			void *sit = NULL;

			while (r >= 0 && (sp = fy_node_mapping_iterate(svcs, &sit))) {
				const char *sname = hd_yaml_scalar(fy_node_pair_key(sp));

				snprintf(label, sizeof(label), "service %s", sname ? sname : "?");
				r = gh_container(x, fy_node_pair_key(sp), fy_node_pair_value(sp), label);
			}
		}
		steps = deref(hd_yaml_get(job, "steps"));
		if (r >= 0 && steps && fy_node_get_type(steps) == FYNT_SEQUENCE) {
			struct fy_node *step;
			void *tit = NULL;

			while (r >= 0 && (step = fy_node_sequence_iterate(steps, &tit))) {
				step = deref(step);
				if (step && fy_node_get_type(step) == FYNT_MAPPING)
					r = gh_docker_step(x, step);
			}
		}
	}
	return r;
}

/* GitLab's top-level keywords: everything else at the top level is a job. */
static bool gitlab_keyword(const char *k)
{
	static const char *const kw[] = { "default", "include", "stages", "variables", "workflow", "image",
					  "services", "cache", "before_script", "after_script", "spec" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(kw); i++) {
		if (strcmp(k, kw[i]) == 0)
			return true;
	}
	return false;
}

/*
 * One GitLab container: an image (a string, or {name, entrypoint,
 * command, variables, alias}), with the variables of the file and the job
 * (which GitLab passes to services too) under its own.
 */
static int gitlab_container(struct lctx *x, struct fy_node *spec, struct fy_node *global_vars,
			    struct fy_node *job_vars, const char *what)
{
	struct cwords w = { 0 };
	struct fy_node *name, *ep, *cmd;
	char label[300];
	int r;

	spec = deref(spec);
	if (!spec)
		return 0;
	name = fy_node_get_type(spec) == FYNT_SCALAR ? spec : deref(hd_yaml_get(spec, "name"));
	if (!name || !hd_yaml_scalar(name) || !*hd_yaml_scalar(name))
		return 0;
	snprintf(label, sizeof(label), "%s %s", what, hd_yaml_scalar(name));
	r = cw_add(&w, "docker", name);
	if (r >= 0)
		r = cw_add(&w, "run", name);
	if (r >= 0)
		r = cw_env(&w, global_vars);
	if (r >= 0)
		r = cw_env(&w, job_vars);
	if (r >= 0 && fy_node_get_type(spec) == FYNT_MAPPING)
		r = cw_env(&w, hd_yaml_get(spec, "variables"));
	ep = fy_node_get_type(spec) == FYNT_MAPPING ? deref(hd_yaml_get(spec, "entrypoint")) : NULL;
	if (r >= 0 && ep) {
		struct fy_node *first = fy_node_get_type(ep) == FYNT_SEQUENCE ? deref(fy_node_sequence_get_by_index(ep, 0)) : ep;

		if (first && hd_yaml_scalar(first))
			r = cw_flag(&w, "--entrypoint", hd_yaml_scalar(first), first);
	}
	if (r >= 0)
		r = cw_add(&w, "--", name);
	if (r >= 0)
		r = cw_add(&w, hd_yaml_scalar(name), name);
	cmd = fy_node_get_type(spec) == FYNT_MAPPING ? deref(hd_yaml_get(spec, "command")) : NULL;
	if (r >= 0 && cmd && fy_node_get_type(cmd) == FYNT_SEQUENCE) {
		struct fy_node *item;
		void *it = NULL;

		while (r >= 0 && (item = fy_node_sequence_iterate(cmd, &it))) {
			const char *a = hd_yaml_scalar(deref(item));

			if (a)
				r = cw_add(&w, a, item);
		}
	}
	if (r >= 0)
		r = cw_lint(x, &w, label);
	cw_release(&w);
	return r;
}

static int gitlab_services(struct lctx *x, struct fy_node *svcs, struct fy_node *gvars, struct fy_node *jvars)
{
	struct fy_node *item;
	void *it = NULL;
	int r = 0;

	svcs = deref(svcs);
	if (!svcs || fy_node_get_type(svcs) != FYNT_SEQUENCE)
		return 0;
	while (r >= 0 && (item = fy_node_sequence_iterate(svcs, &it)))
		r = gitlab_container(x, item, gvars, jvars, "service");
	return r;
}

static int gitlab_containers(struct lctx *x, struct fy_node *root)
{
	struct fy_node *gvars = deref(hd_yaml_get(root, "variables")), *def = deref(hd_yaml_get(root, "default"));
	struct fy_node *gimage = deref(hd_yaml_get(root, "image")), *gsvcs = deref(hd_yaml_get(root, "services"));
	struct fy_node_pair *jp;
	void *jit = NULL;
	bool any_job = false;
	int r = 0;

	if (!root || fy_node_get_type(root) != FYNT_MAPPING)
		return 0;
	if (def && fy_node_get_type(def) == FYNT_MAPPING) {
		if (!gimage)
			gimage = deref(hd_yaml_get(def, "image"));
		if (!gsvcs)
			gsvcs = deref(hd_yaml_get(def, "services"));
	}
	while (r >= 0 && (jp = fy_node_mapping_iterate(root, &jit))) {
		const char *k = hd_yaml_scalar(fy_node_pair_key(jp));
		struct fy_node *job = deref(fy_node_pair_value(jp)), *jvars, *img, *svcs;

		if (!k || gitlab_keyword(k) || !job || fy_node_get_type(job) != FYNT_MAPPING)
			continue;
		any_job = true;
		/*
		 * A job's own image and services replace the default ones; the
		 * job's variables reach both.  Default ones used by several jobs
		 * give the same findings, merged into one by the driver.
		 */
		jvars = deref(hd_yaml_get(job, "variables"));
		img = deref(hd_yaml_get(job, "image"));
		svcs = deref(hd_yaml_get(job, "services"));
		r = gitlab_container(x, img ? img : gimage, gvars, jvars, "image");
		if (r >= 0)
			r = gitlab_services(x, svcs ? svcs : gsvcs, gvars, jvars);
	}
	if (!any_job && r >= 0) {
		r = gitlab_container(x, gimage, gvars, NULL, "image");
		if (r >= 0)
			r = gitlab_services(x, gsvcs, gvars, NULL);
	}
	return r;
}

static int extract_yaml(struct lctx *x, bool github)
{
	struct fy_document *doc = NULL;
	struct hd_diag diag = { 0 };
	struct yaml_walk yw = { x, github, NULL, 0, 0 };
	char *masked = NULL;
	const char *orig = x->data;
	int r;

	if (github) {
		/* The positions do not change: the masked copy has the same length. */
		masked = hd_strndup(x->data, x->len);
		if (!masked)
			return -HD_ENOMEM;
		mask_expressions(masked, x->len);
		x->data = masked;
		x->orig = orig;
	}
	r = hd_yaml_load(x->path, x->data, x->len, &doc, &diag);
	hd_diag_release(&diag);
	if (r == -HD_ENOMEM)
		goto out;
	/* A file that is not YAML holds no steps to check; the YAML linters say why. */
	r = 0;
	if (!doc)
		goto out;
	r = walk_yaml(&yw, fy_document_root(doc), 0);
	if (r >= 0)
		r = github ? github_containers(x, fy_document_root(doc)) : gitlab_containers(x, fy_document_root(doc));
out:
	fy_document_destroy(doc);
	hd_free(yw.seen);
	x->data = orig;
	hd_free(masked);
	return r;
}

/* ---- Markdown ----------------------------------------------------------------------------- */

static bool md_lang_ok(const char *s, size_t n, bool *console)
{
	static const char *const shell[] = { "sh", "bash", "shell", "zsh", "ksh", "dash", "ash" };
	static const char *const cons[] = { "console", "shell-session", "shellsession", "terminal",
					    "sh-session", "bash-session", "powershell", "pwsh", "ps1" };
	size_t i;

	while (n && (*s == '{' || *s == '.')) {
		s++;
		n--;
	}
	for (i = 0; i < HD_ARRAY_SIZE(shell); i++) {
		if (strlen(shell[i]) == n && strncasecmp(s, shell[i], n) == 0) {
			*console = false;
			return true;
		}
	}
	for (i = 0; i < HD_ARRAY_SIZE(cons); i++) {
		if (strlen(cons[i]) == n && strncasecmp(s, cons[i], n) == 0) {
			*console = true;
			return true;
		}
	}
	return false;
}

/* True when p[0..e) starts with a command word worth a root prompt's "# " (not a comment). */
static bool command_after_hash(const char *p, const char *e)
{
	static const char *const cmds[] = { "docker ", "podman ", "sudo ", "doas " };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(cmds); i++) {
		if ((size_t)(e - p) > strlen(cmds[i]) && memcmp(p, cmds[i], strlen(cmds[i])) == 0)
			return true;
	}
	return false;
}

/*
 * The length of the shell prompt p[0..e) starts with (with the blank after
 * it), or 0: "$ ", "% " and "# " (root), "user@host:~/dir$ ",
 * "[user@host dir]# ", "PS> " and "PS C:\dir> " (PowerShell).  In a shell
 * fence (not console), "# " is a prompt only before a command: elsewhere it
 * starts a comment.
 */
static size_t prompt_len(const char *p, const char *e, bool console)
{
	const char *q = p;

	if (e - p >= 2 && p[1] == ' ' && (p[0] == '$' || (console && p[0] == '%')))
		return 2;
	if (e - p >= 2 && p[0] == '#' && p[1] == ' ' && (console || command_after_hash(p + 2, e)))
		return 2;
	/* PS> and PS C:\path> */
	if (e - p >= 3 && p[0] == 'P' && p[1] == 'S' && (p[2] == '>' || p[2] == ' ')) {
		q = memchr(p + 2, '>', (size_t)(e - p - 2));
		if (q && q + 1 < e && q[1] == ' ')
			return (size_t)(q + 2 - p);
		return 0;
	}
	/* user@host:path$ and [user@host path]$ */
	q = p;
	if (q < e && *q == '[')
		q++;
	if (q >= e || !(isalnum((unsigned char)*q) || *q == '_'))
		return 0;
	while (q < e && (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.'))
		q++;
	if (q >= e || *q != '@')
		return 0;
	q++;
	while (q < e && (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.'))
		q++;
	/* The path part, up to the prompt character ("me@mac ~ % ", zsh's default). */
	while (q < e && *q != '$' && *q != '#' && *q != '%' && *q != '>' && q - p < 80)
		q++;
	if (q < e && *q == ']')
		q++;
	if (q >= e || (*q != '$' && *q != '#' && *q != '%' && *q != '>'))
		return 0;
	q++;
	return q < e && *q == ' ' ? (size_t)(q + 1 - p) : 0;
}

static int extract_markdown(struct lctx *x, struct stext *t)
{
	char fence = 0;
	size_t fence_len = 0, fence_indent = 0;
	bool take = false, console = false, cont = false;
	uint32_t ln;
	int r;

	for (ln = 1; ln <= x->n_lines; ln++) {
		const char *s, *e, *p;
		size_t n, run = 0;

		line_span(x, ln, &s, &n);
		e = s + n;
		p = skip_blank(s, e);
		if ((size_t)(e - p) >= 3 && (*p == '`' || *p == '~')) {
			char ch = *p;

			while (p + run < e && p[run] == ch)
				run++;
		}
		if (!fence && run >= 3) {
			const char *info = skip_blank(p + run, e), *ie = info;

			while (ie < e && *ie != ' ' && *ie != '\t' && *ie != ',' && *ie != '}')
				ie++;
			fence = *p;
			fence_len = run;
			fence_indent = (size_t)(p - s);
			take = md_lang_ok(info, (size_t)(ie - info), &console);
			cont = false;
			continue;
		}
		if (fence) {
			if (run >= fence_len && *p == fence && skip_blank(p + run, e) == e) {
				fence = 0;
				take = false;
				r = st_addch(t, '\n');
				if (r < 0)
					return r;
				continue;
			}
			if (!take)
				continue;
			/* Content lines lose at most the fence's indentation. */
			{
				size_t k = 0;

				while (k < fence_indent && s + k < e && s[k] == ' ')
					k++;
				p = s + k;
			}
			if (cont && console && e - p >= 2 && p[0] == '>' && p[1] == ' ') {
				p += 2; /* the PS2 prompt of a continued command */
			} else if (!cont) {
				size_t pl = prompt_len(p, e, console);

				if (pl)
					p += pl;
				else if (console)
					continue; /* output */
			}
			r = st_add(t, p, (size_t)(e - p), ln, (uint32_t)(p - s) + 1);
			if (r >= 0)
				r = st_addch(t, '\n');
			if (r < 0)
				return r;
			cont = ends_with_backslash(p, (size_t)(e - p));
		}
	}
	return 0;
}

/* ---- driver -------------------------------------------------------------------------------- */

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static int lint_file(const char *path, const char *data, size_t len, const struct hd_config *cfg,
		     struct hd_findings *out, enum src_kind kind, bool github,
		     int (*each)(struct hd_container_spec *, void *), void *each_ctx)
{
	struct lctx x;
	struct stext t;
	int r;

	memset(&x, 0, sizeof(x));
	x.path = path;
	x.base = base_of(path);
	x.data = data;
	x.len = len;
	x.kind = kind;
	x.cfg = cfg;
	x.each = each;
	x.each_ctx = each_ctx;
	hd_suppressions_init(&x.supp);
	hd_findings_init(&x.found);
	st_init(&t);
	r = scan_lines(&x);
	if (r < 0)
		goto out;
	switch (kind) {
	case K_SHELL: r = extract_shell(&x, &t); break;
	case K_MAKE: r = extract_make(&x, &t); break;
	case K_SYSTEMD: r = extract_systemd(&x, &t); break;
	case K_MARKDOWN: r = extract_markdown(&x, &t); break;
	case K_YAML: r = extract_yaml(&x, github); break;
	}
	if (r >= 0 && kind != K_YAML)
		r = lint_stext(&x, &t, 0);
	if (r < 0)
		goto out;
	hd_suppressions_apply(&x.supp, cfg, &x.found);
	if (out)
		r = hd_findings_move(out, &x.found);
out:
	st_release(&t);
	hd_findings_release(&x.found);
	hd_suppressions_release(&x.supp);
	hd_free(x.starts);
	hd_free(x.pragmas);
	return r;
}

int hd_lint_script_specs(const char *path, const char *text, size_t len,
			 int (*fn)(struct hd_container_spec *c, void *ctx), void *ctx)
{
	return lint_file(path, text, len, NULL, NULL, K_SHELL, false, fn, ctx);
}

/* ---- detection ------------------------------------------------------------------------------ */

static bool ends_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* True when the first line is a shebang naming a POSIX-family shell. */
static bool shell_shebang(const char *head, size_t n)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox" };
	const char *p = head, *e, *w;
	size_t i;

	if (n < 3 || head[0] != '#' || head[1] != '!')
		return false;
	e = memchr(head, '\n', n);
	if (!e)
		e = head + n;
	p = skip_blank(head + 2, e);
	/* The interpreter's base name; through env, the next word. */
	for (i = 0; i < 2; i++) {
		const char *we = p, *b;
		size_t k;

		while (we < e && *we != ' ' && *we != '\t' && *we != '\r')
			we++;
		b = we;
		while (b > p && b[-1] != '/')
			b--;
		w = b;
		if ((size_t)(we - w) == 3 && memcmp(w, "env", 3) == 0) {
			p = skip_blank(we, e);
			while (p < e && *p == '-') { /* env -S */
				while (p < e && *p != ' ')
					p++;
				p = skip_blank(p, e);
			}
			continue;
		}
		for (k = 0; k < HD_ARRAY_SIZE(shells); k++) {
			if ((size_t)(we - w) == strlen(shells[k]) && memcmp(w, shells[k], (size_t)(we - w)) == 0)
				return true;
		}
		return false;
	}
	return false;
}

bool hd_lint_kind_script_shell_detect(const char *path, const char *base, const char *head,
				      size_t head_len, bool is_explicit)
{
	static const char *const exts[] = { ".sh", ".bash", ".zsh", ".ksh", ".dash", ".ash" };
	char buf[256];
	size_t i;

	(void)is_explicit;
	for (i = 0; i < HD_ARRAY_SIZE(exts); i++) {
		if (ends_nocase(base, exts[i]))
			return true;
	}
	if (head)
		return shell_shebang(head, head_len);
	/* Only extension-less files can be scripts known by their shebang alone. */
	if (strchr(base, '.') || !strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Containerfile") ||
	    !strcasecmp(base, "Makefile") || !strcasecmp(base, "GNUmakefile"))
		return false;
	{
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		ssize_t n;

		if (fd < 0)
			return false;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		return n > 0 && shell_shebang(buf, (size_t)n);
	}
}

int hd_lint_kind_script_shell_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_SHELL, false, NULL, NULL);
}

bool hd_lint_kind_script_make_detect(const char *path, const char *base, const char *head,
				     size_t head_len, bool is_explicit)
{
	(void)path;
	(void)head;
	(void)head_len;
	(void)is_explicit;
	return !strcmp(base, "Makefile") || !strcmp(base, "makefile") || !strcmp(base, "GNUmakefile") ||
	       ends_nocase(base, ".mk") || ends_nocase(base, ".make");
}

int hd_lint_kind_script_make_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_MAKE, false, NULL, NULL);
}

bool hd_lint_kind_script_systemd_detect(const char *path, const char *base, const char *head,
					size_t head_len, bool is_explicit)
{
	(void)path;
	(void)head;
	(void)head_len;
	(void)is_explicit;
	return ends_nocase(base, ".service");
}

int hd_lint_kind_script_systemd_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_SYSTEMD, false, NULL, NULL);
}

static bool is_yaml_name(const char *base)
{
	return ends_nocase(base, ".yml") || ends_nocase(base, ".yaml");
}

bool hd_lint_kind_script_github_detect(const char *path, const char *base, const char *head,
				       size_t head_len, bool is_explicit)
{
	(void)head;
	(void)head_len;
	(void)is_explicit;
	if (!is_yaml_name(base))
		return false;
	if (!strcmp(base, "action.yml") || !strcmp(base, "action.yaml"))
		return true;
	return strstr(path, "/.github/workflows/") || hd_starts_with(path, ".github/workflows/");
}

int hd_lint_kind_script_github_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_YAML, true, NULL, NULL);
}

bool hd_lint_kind_script_gitlab_detect(const char *path, const char *base, const char *head,
				       size_t head_len, bool is_explicit)
{
	(void)path;
	(void)head;
	(void)head_len;
	(void)is_explicit;
	return !strcmp(base, ".gitlab-ci.yml") || !strcmp(base, ".gitlab-ci.yaml") ||
	       ends_nocase(base, ".gitlab-ci.yml") || ends_nocase(base, ".gitlab-ci.yaml");
}

int hd_lint_kind_script_gitlab_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_YAML, false, NULL, NULL);
}

bool hd_lint_kind_script_markdown_detect(const char *path, const char *base, const char *head,
					 size_t head_len, bool is_explicit)
{
	(void)path;
	(void)head;
	(void)head_len;
	(void)is_explicit;
	return ends_nocase(base, ".md") || ends_nocase(base, ".markdown");
}

int hd_lint_kind_script_markdown_lint(const struct hd_lint_input *in, struct hd_findings *out)
{
	return lint_file(in->path, in->data, in->len, in->cfg, out, K_MARKDOWN, false, NULL, NULL);
}
