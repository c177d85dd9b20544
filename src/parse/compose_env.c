/*
 * dotenv files as compose reads them (`.env` for interpolation, `env_file:`
 * for a service's environment): KEY=VALUE lines, an optional `export`,
 * comments, single-quoted literal values, double-quoted values with escapes,
 * unquoted values with trailing ` # comments`, and interpolation of every
 * value except single-quoted ones.
 *
 * Messages about these files never quote their lines: an env file holds
 * passwords and tokens, and a file named by a stranger's compose file may be
 * anything (they are read only inside the linted tree, but still).
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "parse/compose_loader.h"

static bool key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

static int finish_value(struct hd_compose_loader *ld, const char *path, const char *key, uint32_t line,
			uint32_t col, struct hd_buf *v, bool interpolate, char **ret)
{
	char *out = NULL, *err = NULL;
	int r;

	if (!interpolate || !memchr(v->buf, '$', v->len)) {
		*ret = hd_strndup(v->buf, v->len);
		return *ret ? 0 : -HD_ENOMEM;
	}
	r = hd_compose_interpolate(v->buf, v->len, hd_cl_lookup, ld, &out, &err, NULL);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0) {
		/* The value itself is never quoted; what a required variable's message says is. */
		if (hd_starts_with(err, "required variable"))
			r = hd_compose_issue_add(ld->issues, HD_CI_VARIABLE, path, line, col, "%s", err);
		else
			r = hd_compose_issue_add(ld->issues, HD_CI_VARIABLE, path, line, col,
						 "the value of %s has a malformed ${...}", key);
		hd_free(err);
		if (r < 0)
			return r;
		*ret = hd_strndup(v->buf, v->len);
		return *ret ? 0 : -HD_ENOMEM;
	}
	*ret = out;
	return 0;
}

int hd_cl_dotenv(struct hd_compose_loader *ld, const char *path, const char *data, size_t len,
		 hd_cl_env_fn *fn, void *fnctx)
{
	const char *p = data, *e = data + len;
	struct hd_buf v = HD_BUF_INIT(HD_MAX_VAR_EXPANSION);
	uint32_t line = 1;
	int r = 0;

	while (p < e && r >= 0) {
		const char *ls = p, *k, *ke;
		uint32_t kline = line, vcol;
		char key[256], *value = NULL;
		bool interp = true, has_value = true;

		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= e)
			break;
		if (*p == '\n' || *p == '#') {
			const char *nl = memchr(p, '\n', (size_t)(e - p));

			p = nl ? nl + 1 : e;
			line++;
			continue;
		}
		if ((size_t)(e - p) > 7 && memcmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
			p += 7;
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
		}
		k = p;
		while (p < e && key_char(*p))
			p++;
		ke = p;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (ke == k || (ke - k) >= (ptrdiff_t)sizeof(key) || (p < e && *p != '=' && *p != '\n' && *p != '\r' && *p != '#')) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));

			r = hd_compose_issue_add(ld->issues, HD_CI_INVALID, path, line, (uint32_t)(k - ls) + 1,
						 "expected NAME=VALUE, with a name of letters, digits, '_', '.' or '-'");
			p = nl ? nl + 1 : e;
			line++;
			continue;
		}
		memcpy(key, k, (size_t)(ke - k));
		key[ke - k] = '\0';
		hd_buf_reset(&v);
		if (p >= e || *p != '=') {
			has_value = false;
		} else {
			p++;
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
		}
		vcol = (uint32_t)(p - ls) + 1;
		if (has_value && p < e && (*p == '\'' || *p == '"')) {
			char q = *p++;

			interp = q == '"';
			while (p < e && *p != q && r >= 0) {
				if (*p == '\n')
					line++;
				if (q == '"' && *p == '\\' && p + 1 < e) {
					char c = p[1];

					r = hd_buf_addch(&v, c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c);
					p += 2;
					continue;
				}
				r = hd_buf_addch(&v, *p++);
			}
			if (p < e)
				p++;
			while (p < e && *p != '\n')
				p++;
		} else if (has_value) {
			const char *vs = p, *ve;

			while (p < e && *p != '\n') {
				if (*p == '#' && p > vs && (p[-1] == ' ' || p[-1] == '\t'))
					break;
				p++;
			}
			ve = p;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'))
				ve--;
			r = hd_buf_add(&v, vs, (size_t)(ve - vs));
			while (p < e && *p != '\n')
				p++;
		}
		if (r < 0)
			break;
		if (p < e) {
			p++;
			line++;
		}
		if (has_value) {
			r = finish_value(ld, path, key, kline, vcol, &v, interp, &value);
			if (r < 0)
				break;
		}
		r = fn(fnctx, key, value, kline, (uint32_t)(k - ls) + 1);
		hd_free(value);
	}
	hd_buf_release(&v);
	return r == -HD_ETOOBIG ? 0 : r;
}

/* ---- dotenv text on its own (--env-file) ----------------------------------------------------- */

struct standalone {
	struct hd_compose_loader *ld;
	struct hd_strlist *out;
};

static int standalone_var(void *vctx, const char *name, const char *value, uint32_t line, uint32_t col)
{
	struct standalone *st = vctx;
	char *entry;
	int r;

	(void)line;
	(void)col;
	if (!value)
		return 0; /* a bare NAME takes its value from the environment, which is not read */
	/* Later values interpolate earlier ones. */
	r = hd_cl_add_var(st->ld, name, value);
	if (r < 0)
		return r;
	entry = hd_asprintf("%s=%s", name, value);
	if (!entry)
		return -HD_ENOMEM;
	r = hd_strlist_add(st->out, entry);
	hd_free(entry);
	return r;
}

int hd_compose_dotenv_parse(const char *path, const char *data, size_t len, struct hd_strlist *out,
			    struct hd_diag *diag)
{
	static const struct hd_compose_opts none;
	struct hd_compose_issues issues;
	struct hd_compose_loader ld;
	struct standalone st = { &ld, out };
	int r;

	memset(&ld, 0, sizeof(ld));
	hd_compose_issues_init(&issues);
	hd_cn_ctx_init(&ld.cx, &issues);
	ld.issues = &issues;
	ld.opts = &none;
	r = hd_cl_dotenv(&ld, path, data, len, standalone_var, &st);
	if (r >= 0 && issues.n)
		r = hd_diag_set(diag, path, issues.v[0].line, issues.v[0].col, "%s", issues.v[0].msg);
	hd_free(ld.vars);
	hd_cn_ctx_release(&ld.cx);
	hd_compose_issues_release(&issues);
	return r;
}
