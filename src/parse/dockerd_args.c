/*
 * dockerd's flags into daemon_spec; see dockerd_args.h.
 */
#include "core/common.h"
#include "parse/dockerd_args.h"

int hd_parse_go_bool(const char *s, bool *ret)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(t); i++) {
		if (strcmp(s, t[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(s, f[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -HD_EINVAL;
}

static int word_problem(struct hd_daemon_spec *d, enum hd_dproblem_kind kind,
			const struct hd_uword *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int word_problem(struct hd_daemon_spec *d, enum hd_dproblem_kind kind,
			const struct hd_uword *w, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hd_daemon_problem(d, kind, w->file, w->line, w->col, w->s, "%s", msg);
}

/* Sets option o from the flag word w (as written in `written`) with value val. */
static int set_opt(struct hd_daemon_spec *d, enum hd_dopt o, const struct hd_uword *w,
		   const char *written, const char *val)
{
	struct hd_dsetting *s = &d->opt[o];
	const struct hd_dopt_info *info = &hd_dopt_table[o];
	struct hd_dorigin at = { (char *)w->file, w->line, w->col, (char *)written };
	int64_t iv;
	bool bv;
	int r;

	switch (info->type) {
	case HD_DV_BOOL:
		if (hd_parse_go_bool(val, &bv) < 0)
			return word_problem(d, HD_DP_INVALID, w,
					    "invalid boolean '%s' for '--%s'; dockerd refuses to start",
					    val, info->flag);
		hd_dsetting_clear(s);
		s->b = bv;
		break;
	case HD_DV_INT:
		if (hd_parse_i64(val, INT64_MIN, INT64_MAX, &iv) < 0)
			return word_problem(d, HD_DP_INVALID, w,
					    "invalid number '%s' for '--%s'; dockerd refuses to start",
					    val, info->flag);
		hd_dsetting_clear(s);
		s->i = iv;
		break;
	case HD_DV_STR:
		hd_dsetting_clear(s);
		s->s = hd_strdup(val);
		if (!s->s)
			return -HD_ENOMEM;
		break;
	case HD_DV_KV:
	case HD_DV_ULIMITS:
		if (!strchr(val, '='))
			return word_problem(d, HD_DP_INVALID, w,
					    "'--%s' expects NAME=VALUE, got '%s'; dockerd refuses to start",
					    info->flag, val);
		__attribute__((fallthrough)); /* FALLTHROUGH */
	case HD_DV_LIST:
	case HD_DV_JSON:
		if (s->set && s->src != HD_DSRC_ARGS)
			hd_dsetting_clear(s);
		r = hd_dsetting_add_item(s, val, &at);
		if (r < 0)
			return r;
		if (s->set)
			return 0; /* the first flag stays the setting's origin */
		break;
	}
	s->set = true;
	s->src = HD_DSRC_ARGS;
	return hd_dorigin_set(&s->at, w->file, w->line, w->col, written);
}

int hd_dockerd_args_read(struct hd_daemon_spec *d, const struct hd_uwords *argv, size_t first,
			 char **ret_config_file)
{
	char *config_file = NULL;
	bool no_more_flags = false;
	size_t i;
	int r = 0;

	for (i = first; i < argv->n; i++) {
		const struct hd_uword *w = &argv->v[i];
		const char *a = w->s;
		char written[512];

		if (no_more_flags || a[0] != '-' || a[1] == '\0') {
			r = word_problem(d, HD_DP_INVALID, w,
					 "unexpected argument '%s': dockerd takes no arguments and "
					 "refuses to start", a);
			if (r < 0)
				goto out;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			no_more_flags = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			const char *val = eq ? eq + 1 : NULL;
			int o = hd_dopt_by_flag(name, nlen);
			bool takes_value;

			if (o < 0) {
				if (hd_dopt_flag_only(name, nlen, &takes_value)) {
					if (takes_value && !val) {
						if (i + 1 >= argv->n) {
							r = word_problem(d, HD_DP_INVALID, w,
									 "flag '%s' needs a value", a);
							goto next;
						}
						val = argv->v[++i].s;
					}
					if (nlen == 11 && !strncmp(name, "config-file", 11) && val) {
						hd_free(config_file);
						config_file = hd_strdup(val);
						if (!config_file) {
							r = -HD_ENOMEM;
							goto out;
						}
					}
					continue;
				}
				r = word_problem(d, HD_DP_UNKNOWN, w,
						 "unknown flag '--%.*s'; dockerd refuses to start",
						 (int)nlen, name);
				goto next;
			}
			if (!val) {
				if (hd_dopt_table[o].type == HD_DV_BOOL) {
					val = "true";
				} else if (i + 1 >= argv->n) {
					r = word_problem(d, HD_DP_INVALID, w,
							 "flag '%s' needs a value; dockerd refuses to start", a);
					goto next;
				} else {
					val = argv->v[++i].s;
					snprintf(written, sizeof(written), "%s %s", a, val);
					r = set_opt(d, (enum hd_dopt)o, w, written, val);
					goto next;
				}
			}
			r = set_opt(d, (enum hd_dopt)o, w, a, val);
			goto next;
		}
		/* Shorthands: -D, -H value, -Hvalue, -H=value, -Dl debug. */
		{
			const char *p = a + 1;

			while (*p) {
				int o = hd_dopt_by_short(*p);
				const char *val;

				if (o < 0) {
					if (*p == 'v' || *p == 'h')
						break; /* --version / --help */
					r = word_problem(d, HD_DP_UNKNOWN, w,
							 "unknown shorthand flag '-%c' in '%s'; dockerd "
							 "refuses to start", *p, a);
					break;
				}
				if (hd_dopt_table[o].type == HD_DV_BOOL) {
					val = p[1] == '=' ? p + 2 : "true";
					snprintf(written, sizeof(written), "-%c%s%s", *p,
						 p[1] == '=' ? "=" : "", p[1] == '=' ? val : "");
					r = set_opt(d, (enum hd_dopt)o, w, written, val);
					if (r < 0 || p[1] == '=')
						break;
					p++;
					continue;
				}
				if (p[1]) {
					val = p[1] == '=' ? p + 2 : p + 1;
					snprintf(written, sizeof(written), "-%c %s", *p, val);
				} else if (i + 1 < argv->n) {
					val = argv->v[++i].s;
					snprintf(written, sizeof(written), "-%c %s", *p, val);
				} else {
					r = word_problem(d, HD_DP_INVALID, w,
							 "flag '-%c' needs a value; dockerd refuses to start",
							 *p);
					break;
				}
				r = set_opt(d, (enum hd_dopt)o, w, written, val);
				break;
			}
		}
next:
		if (r < 0)
			goto out;
	}
	*ret_config_file = config_file;
	config_file = NULL;
	r = 0;
out:
	hd_free(config_file);
	return r;
}
