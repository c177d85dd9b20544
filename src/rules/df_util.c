/*
 * Helpers of the RUN and package-manager rules: options of a command,
 * iterating over RUNs and package manager calls (the model recognised them
 * once), stage and mount facts, and reporting at a word.  See df_util.h for the contract of each; nothing here allocates
 * except the finding appended by dfr_report*().
 */
#include "core/common.h"
#include "rules/df_util.h"

bool dfr_stage_ships(const struct hd_dockerfile *df, uint32_t stage)
{
	int64_t s;
	size_t guard;

	if (df->n_stages == 0 || stage == (uint32_t)-1 || stage >= df->n_stages)
		return true;
	s = (int64_t)df->n_stages - 1;
	for (guard = 0; s >= 0 && guard <= df->n_stages; guard++) {
		if ((uint32_t)s == stage)
			return true;
		if (df->stages[s].base_stage >= s)
			break; /* a base is always an earlier stage; do not loop on bad input */
		s = df->stages[s].base_stage;
	}
	return false;
}

/* True when path p equals dir or lies below it ("dir/..."); dir has no trailing slash. */
static bool path_under(const char *p, size_t plen, const char *dir)
{
	size_t n = strlen(dir);

	while (plen > 1 && p[plen - 1] == '/')
		plen--;
	if (plen < n || memcmp(p, dir, n) != 0)
		return false;
	return plen == n || p[n] == '/';
}

bool dfr_run_mounts(const struct hd_instr *in, const char *const *paths)
{
	size_t f;

	for (f = 0; f < in->n_flags; f++) {
		const struct hd_flag *fl = &in->flags[f];
		const char *v = fl->expanded ? fl->expanded : fl->value;
		const char *tgt = NULL;
		size_t tgt_len = 0;
		bool scratch = false;

		if (!v || strcmp(fl->name, "mount") != 0)
			continue;
		while (*v) {
			const char *e = strchr(v, ',');
			size_t n = e ? (size_t)(e - v) : strlen(v);

			if ((n == 10 && !memcmp(v, "type=cache", 10)) || (n == 10 && !memcmp(v, "type=tmpfs", 10)))
				scratch = true;
			else if (n > 7 && !memcmp(v, "target=", 7)) {
				tgt = v + 7;
				tgt_len = n - 7;
			} else if (n > 4 && !memcmp(v, "dst=", 4)) {
				tgt = v + 4;
				tgt_len = n - 4;
			} else if (n > 12 && !memcmp(v, "destination=", 12)) {
				tgt = v + 12;
				tgt_len = n - 12;
			}
			v += n;
			if (*v == ',')
				v++;
		}
		if (!scratch || !tgt)
			continue;
		for (const char *const *p = paths; *p; p++) {
			if (**p == '*' ? memmem(tgt, tgt_len, *p + 1, strlen(*p + 1)) != NULL
				       : path_under(tgt, tgt_len, *p))
				return true;
		}
	}
	return false;
}

const struct hd_instr *dfr_shell_at(const struct hd_dockerfile *df, size_t i)
{
	uint32_t st;
	size_t j, hops;

	if (i >= df->n_instrs)
		return NULL;
	st = df->instrs[i].stage;
	if (st == (uint32_t)-1 || st >= df->n_stages)
		return NULL;
	j = i;
	for (hops = 0; hops <= df->n_stages; hops++) {
		const struct hd_stage *s = &df->stages[st];

		while (j > s->first) {
			j--;
			if (df->instrs[j].kind == HD_I_SHELL)
				return &df->instrs[j];
		}
		if (s->base_stage < 0 || (uint32_t)s->base_stage >= st)
			return NULL;
		st = (uint32_t)s->base_stage;
		j = df->stages[st].last + 1;
	}
	return NULL;
}

const char *dfr_base(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

const char *dfr_word_var(const struct hd_dockerfile *df, size_t i, const struct hd_word *w)
{
	const char *t = w->text, *name;
	char buf[128];
	size_t n;

	if (!(w->flags & HD_WORD_EXPANSION) || t[0] != '$')
		return NULL;
	name = t + 1;
	if (*name == '{')
		name++;
	for (n = 0; name[n] && (isalnum((unsigned char)name[n]) || name[n] == '_'); n++)
		;
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	if (name != t + 1) {
		if (name[n] != '}' || name[n + 1] != '\0')
			return NULL;
	} else if (name[n] != '\0') {
		return NULL;
	}
	memcpy(buf, name, n);
	buf[n] = '\0';
	return hd_dockerfile_var_at(df, i, buf);
}

/* ---- options ------------------------------------------------------------ */

bool dfr_has_opt(const struct hd_cmd *c, size_t from, char s, const char *lng)
{
	size_t i, ln = lng ? strlen(lng) : 0;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			if (!a[2])
				return false;
			if (lng && !strncmp(a + 2, lng, ln) && (a[2 + ln] == '\0' || a[2 + ln] == '='))
				return true;
			continue;
		}
		if (!s)
			continue;
		for (const char *p = a + 1; *p; p++) {
			if (*p == s)
				return true;
			if (!isalpha((unsigned char)*p))
				break;
		}
	}
	return false;
}

/* dfr_opt_value and dfr_opt_value_bundled: the letter only first, or anywhere in a bundle. */
static const char *opt_value(const struct hd_cmd *c, size_t from, char s, const char *lng, size_t *idx,
			     bool bundled)
{
	size_t i, ln = lng ? strlen(lng) : 0;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].text, *p;

		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			if (!a[2])
				return NULL;
			if (lng && !strncmp(a + 2, lng, ln)) {
				if (a[2 + ln] == '=') {
					if (idx)
						*idx = i;
					return a + 3 + ln;
				}
				if (a[2 + ln] == '\0' && i + 1 < c->argc) {
					if (idx)
						*idx = i + 1;
					return c->argv[i + 1].text;
				}
			}
			continue;
		}
		for (p = a + 1; s && *p; p++) {
			if (*p == s) {
				if (p[1]) {
					if (idx)
						*idx = i;
					return p + 1;
				}
				if (i + 1 < c->argc) {
					if (idx)
						*idx = i + 1;
					return c->argv[i + 1].text;
				}
				break;
			}
			if (!bundled || !isalpha((unsigned char)*p))
				break;
		}
	}
	return NULL;
}

const char *dfr_opt_value(const struct hd_cmd *c, size_t from, char s, const char *lng, size_t *idx)
{
	return opt_value(c, from, s, lng, idx, false);
}

const char *dfr_opt_value_bundled(const struct hd_cmd *c, size_t from, char s, const char *lng)
{
	return opt_value(c, from, s, lng, NULL, true);
}

bool dfr_has_word(const struct hd_cmd *c, size_t from, const char *arg)
{
	size_t i;

	for (i = from; i < c->argc; i++) {
		if (!strcmp(c->argv[i].text, arg))
			return true;
	}
	return false;
}

bool dfr_setting_off(const char *a, const char *key)
{
	const char *p = hd_strcasestr(a, key);

	if (!p)
		return false;
	p += strlen(key);
	if (*p != '=')
		return false;
	p++;
	return !strcmp(p, "0") || !strcasecmp(p, "false") || !strcasecmp(p, "no") || !strcasecmp(p, "off");
}

const struct hd_pm_call *dfr_pm_of(const struct hd_instr *in, const struct hd_cmd *c)
{
	size_t p;

	for (p = 0; p < in->n_pms; p++) {
		if (in->pms[p].c == c)
			return &in->pms[p];
	}
	return NULL;
}

bool dfr_ctx_ships(const struct dfr_ctx *x)
{
	return dfr_stage_ships(x->df, x->df->instrs[x->i].stage);
}

/* ---- iteration ------------------------------------------------------------ */

int dfr_each_run_if(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, unsigned pms,
		    uint64_t tools, dfr_run_fn *fn)
{
	const struct hd_dockerfile *df = m->df;
	struct dfr_ctx x = { .df = df, .r = r, .out = out };
	size_t k;
	int ret;

	if (!(df->pm_mask & pms) && !(df->tools & tools))
		return 0;
	for (k = 0; k < df->n_runs; k++) {
		x.i = df->runs[k];
		x.in = dfr_run_at(df, x.i);
		if (!(x.in->pm_mask & pms) && !(x.in->tools & tools))
			continue;
		ret = fn(&x);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int dfr_each_run(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, dfr_run_fn *fn)
{
	const struct hd_dockerfile *df = m->df;
	struct dfr_ctx x = { .df = df, .r = r, .out = out };
	size_t k;
	int ret;

	for (k = 0; k < df->n_runs; k++) {
		x.i = df->runs[k];
		x.in = dfr_run_at(df, x.i);
		ret = fn(&x);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int dfr_each_pm(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, unsigned mask,
		dfr_pm_fn *fn)
{
	const struct hd_dockerfile *df = m->df;
	struct dfr_ctx x = { .df = df, .r = r, .out = out };
	size_t j, k;
	int ret;

	if (!(df->pm_mask & mask))
		return 0;
	for (j = 0; j < df->n_runs; j++) {
		const struct hd_instr *in = dfr_run_at(df, df->runs[j]);

		if (!(in->pm_mask & mask))
			continue;
		x.i = df->runs[j];
		x.in = in;
		for (k = 0; k < in->n_pms; k++) {
			if (!(HD_PM_BIT(in->pms[k].pm) & mask))
				continue;
			ret = fn(&x, &in->pms[k]);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/* ---- findings ------------------------------------------------------------- */

size_t dfr_clamp_len(const char *s)
{
	size_t n = strnlen(s, DFR_MSG_WORD + 1);

	return n > DFR_MSG_WORD ? DFR_MSG_WORD : n;
}

struct hd_span dfr_keyword_span(const struct hd_instr *in)
{
	struct hd_span sp = in->span;
	size_t n = in->keyword ? strlen(in->keyword) : 0;

	sp.end_line = sp.line;
	sp.end_col = sp.col + (uint32_t)n;
	return sp;
}
