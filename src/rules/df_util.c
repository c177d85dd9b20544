/*
 * Helpers of the RUN and package-manager rules: finding the real command
 * behind wrappers, telling options from operands, recognising package
 * managers and their subcommands, stage and mount facts, and reporting at a
 * word.  See df_util.h for the contract of each; nothing here allocates
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

/* ---- options and operands ---------------------------------------------- */

static bool in_list(const char *const *l, const char *s, size_t n)
{
	for (; l && *l; l++) {
		if (strlen(*l) == n && memcmp(*l, s, n) == 0)
			return true;
	}
	return false;
}

/*
 * How many words option word a occupies under o: 1, or 2 when its value is
 * the next word.
 */
static size_t opt_words(const char *a, const struct dfr_opts *o)
{
	const char *name;
	size_t n;

	if (!o)
		return 1;
	if (a[1] == '-' || (o->single_dash_long && a[1] && a[2])) {
		name = a + (a[1] == '-' ? 2 : 1);
		if (strchr(name, '='))
			return 1;
		n = strlen(name);
		if (in_list(o->long_val, name, n))
			return 2;
		if (a[1] == '-' || !o->short_val)
			return 1;
	}
	/* A bundle of short letters: the first that takes a value ends it. */
	for (name = a + 1; *name; name++) {
		if (o->short_val && strchr(o->short_val, *name))
			return name[1] ? 1 : 2;
		if (!isalnum((unsigned char)*name))
			return 1;
	}
	return 1;
}

void dfr_operands_init(struct dfr_operands *it, const struct hd_cmd *c, size_t from,
		       const struct dfr_opts *o)
{
	it->c = c;
	it->o = o;
	it->i = from;
	it->dashdash = false;
}

const struct hd_word *dfr_operands_next(struct dfr_operands *it, size_t *idx)
{
	const struct hd_cmd *c = it->c;

	while (it->i < c->argc) {
		const struct hd_word *w = &c->argv[it->i];
		const char *a = w->text;

		if (!it->dashdash && a[0] == '-' && a[1]) {
			if (a[1] == '-' && a[2] == '\0') {
				it->dashdash = true;
				it->i++;
				continue;
			}
			it->i += opt_words(a, it->o);
			continue;
		}
		if (idx)
			*idx = it->i;
		it->i++;
		return w;
	}
	return NULL;
}

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

const char *dfr_opt_value(const struct hd_cmd *c, size_t from, char s, const char *lng, size_t *idx)
{
	size_t i, ln = lng ? strlen(lng) : 0;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].text;

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
		if (s && a[1] == s) {
			if (a[2]) {
				if (idx)
					*idx = i;
				return a + 2;
			}
			if (i + 1 < c->argc) {
				if (idx)
					*idx = i + 1;
				return c->argv[i + 1].text;
			}
		}
	}
	return NULL;
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

/* ---- wrapper commands ----------------------------------------------------- */

struct wrapper {
	const char *name;
	const char *short_val;
	const char *const *long_val;
	unsigned operands; /* operands before the command: timeout's duration, gosu's user */
	bool assigns;      /* NAME=value words may precede the command */
};

static const char *const sudo_long[] = { "user", "group", "close-from", "chdir", "host", "prompt",
					 "role", "type", "command-timeout", "other-user", NULL };
static const char *const env_long[] = { "unset", "chdir", NULL };
static const char *const nice_long[] = { "adjustment", NULL };
static const char *const timeout_long[] = { "signal", "kill-after", NULL };
static const char *const xargs_long[] = { "arg-file", "delimiter", "max-args", "max-procs",
					  "max-lines", "max-chars", "eof", "replace", NULL };
static const char *const stdbuf_long[] = { "input", "output", "error", NULL };

static const struct wrapper wrappers[] = {
	{ "chronic", NULL, NULL, 0, false },
	{ "chroot", NULL, NULL, 1, false },
	{ "command", NULL, NULL, 0, false },
	{ "doas", "uC", NULL, 0, false },
	{ "eatmydata", NULL, NULL, 0, false },
	{ "env", "uCS", env_long, 0, true },
	{ "exec", "a", NULL, 0, false },
	{ "fakeroot", NULL, NULL, 0, false },
	{ "gosu", NULL, NULL, 1, false },
	{ "ionice", "cnp", NULL, 0, false },
	{ "nice", "n", nice_long, 0, false },
	{ "nohup", NULL, NULL, 0, false },
	{ "setsid", NULL, NULL, 0, false },
	{ "stdbuf", "ioe", stdbuf_long, 0, false },
	{ "su-exec", NULL, NULL, 1, false },
	{ "sudo", "ugCDprtTUh", sudo_long, 0, true },
	{ "time", NULL, NULL, 0, false },
	{ "timeout", "sk", timeout_long, 1, false },
	{ "xargs", "IadEnPLs", xargs_long, 0, false },
};

static const struct wrapper *find_wrapper(const char *name)
{
	size_t i;

	/* Most commands are not wrappers: rejected without a compare. */
	if (!dfr_maybe_wrapper(name))
		return NULL;
	for (i = 0; i < HD_ARRAY_SIZE(wrappers); i++) {
		if (wrappers[i].name[0] == name[0] && wrappers[i].name[1] == name[1] &&
		    !strcmp(name + 2, wrappers[i].name + 2))
			return &wrappers[i];
	}
	return NULL;
}

static bool is_assignment(const char *s)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (const char *p = s; p < eq; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	}
	return true;
}

#define L(c) (1u << ((c) - 'a'))
const uint32_t dfr_pm_pairs[26] = {
	['a' - 'a'] = L('p'),                  /* apt-get apt apk */
	['d' - 'a'] = L('n'),                  /* dnf dnf5 dnf-3 */
	['g' - 'a'] = L('e') | L('o'),         /* gem go */
	['m' - 'a'] = L('i'),                  /* microdnf */
	['n' - 'a'] = L('p'),                  /* npm */
	['p' - 'a'] = L('i') | L('n') | L('y'), /* pip pnpm python */
	['t' - 'a'] = L('d'),                  /* tdnf */
	['y' - 'a'] = L('a') | L('u'),         /* yarn yarnpkg yum */
	['z' - 'a'] = L('y'),                  /* zypper */
};
#undef L


bool dfr_cmd_init_full(struct dfr_cmd *v, const struct hd_cmd *c)
{
	size_t a0 = 0;
	unsigned hops;

	v->c = c;
	for (hops = 0; hops < 8 && a0 < c->argc; hops++) {
		const char *t = c->argv[a0].text;
		const char *name = t[0] == '/' || t[0] == '.' ? dfr_base(t) : t;
		const struct wrapper *wr = find_wrapper(name);
		struct dfr_opts o;
		size_t i = a0 + 1;
		unsigned k;

		if (!wr) {
			v->a0 = a0;
			v->name = name;
			return true;
		}
		o.short_val = wr->short_val;
		o.long_val = wr->long_val;
		o.single_dash_long = false;
		while (i < c->argc) {
			const char *a = c->argv[i].text;

			if (a[0] != '-' || !a[1])
				break;
			if (a[1] == '-' && !a[2]) {
				i++;
				break;
			}
			if ((a[1] == 'v' || a[1] == 'V') && !strcmp(wr->name, "command"))
				return false; /* command -v x: a look-up */
			if (a[1] == 'S' && !strcmp(wr->name, "env"))
				return false; /* env -S 'cmd args': a string we do not split */
			i += opt_words(a, &o);
		}
		while (wr->assigns && i < c->argc && is_assignment(c->argv[i].text))
			i++;
		for (k = 0; k < wr->operands && i < c->argc; k++)
			i++;
		a0 = i;
	}
	return false;
}

/* ---- package managers ----------------------------------------------------- */

static const char *const apt_long[] = { "option", "config-file", "target-release", "default-release",
					"host-architecture", "build-profiles", NULL };
static const struct dfr_opts apt_opts = { "octaP", apt_long, false };

static const char *const apk_long[] = { "repository", "root", "virtual", "arch", "cache-dir", "keys-dir",
					"repositories-file", "wait", "timeout", "cache-max-age", NULL };
static const struct dfr_opts apk_opts = { "Xpt", apk_long, false };

static const char *const rpm_long[] = {
	"setopt", "enablerepo", "disablerepo", "repo", "repoid", "releasever", "installroot", "exclude",
	"excludepkgs", "config", "forcearch", "color", "destdir", "downloaddir", "comment", "advisory",
	"advisories", "bz", "bzs", "cve", "cves", "sec-severity", "secseverity", "repofrompath",
	"debuglevel", "errorlevel", "rpmverbosity", "disableplugin", "enableplugin", "platform-id", NULL
};
static const struct dfr_opts rpm_opts = { "cdexR", rpm_long, false };

static const char *const zypper_long[] = { "repo", "root", "config", "reposd-dir", "cache-dir", "raw-cache-dir",
					   "solv-cache-dir", "pkg-cache-dir", "type", "from", "plus-repo",
					   "plus-content", "userdata", "download", NULL };
static const struct dfr_opts zypper_opts = { "rRcDCtp", zypper_long, false };

static const char *const pip_long[] = {
	"requirement", "constraint", "editable", "target", "prefix", "root", "index-url", "extra-index-url",
	"find-links", "trusted-host", "platform", "python-version", "implementation", "abi", "src",
	"upgrade-strategy", "progress-bar", "cache-dir", "log", "proxy", "retries", "timeout",
	"exists-action", "cert", "client-cert", "config-settings", "global-option", "install-option",
	"only-binary", "no-binary", "report", "python", "root-user-action", "use-feature",
	"use-deprecated", "keyring-provider", "build", "log-file", NULL
};
static const struct dfr_opts pip_opts = { "rceitfCb", pip_long, false };

static const char *const npm_long[] = { "prefix", "registry", "cache", "tag", "workspace", "omit", "include",
					"userconfig", "globalconfig", "loglevel", "save-prefix",
					"install-strategy", "before", "otp", "scope", NULL };
static const struct dfr_opts npm_opts = { "wC", npm_long, false };

static const char *const yarn_long[] = { "cwd", "cache-folder", "modules-folder", "network-timeout", "mutex",
					 "registry", "global-folder", "link-folder", "use-yarnrc", NULL };
static const struct dfr_opts yarn_opts = { NULL, yarn_long, false };

static const char *const pnpm_long[] = { "dir", "filter", "store-dir", "registry", "reporter",
					 "virtual-store-dir", "modules-dir", NULL };
static const struct dfr_opts pnpm_opts = { "CF", pnpm_long, false };

static const char *const gem_long[] = { "version", "install-dir", "bindir", "source", "http-proxy", "platform",
					"file", "build-root", "document", "trust-policy", "config-file",
					"target-rbconfig", NULL };
static const struct dfr_opts gem_opts = { "vinspgP", gem_long, false };

static const char *const go_long[] = { "ldflags", "gcflags", "asmflags", "gccgoflags", "tags", "mod",
				       "modfile", "pkgdir", "toolexec", "overlay", "installsuffix",
				       "buildmode", "compiler", "p", "C", "coverpkg", "covermode", "pgo",
				       "o", "exec", NULL };
static const struct dfr_opts go_opts = { NULL, go_long, true };

/* pip, pip3, pip3.12 */
static bool is_pip_name(const char *n)
{
	if (strncmp(n, "pip", 3) != 0)
		return false;
	for (n += 3; *n; n++) {
		if (!isdigit((unsigned char)*n) && *n != '.')
			return false;
	}
	return true;
}

/* python, python3, python3.12 */
static bool is_python_name(const char *n)
{
	if (strncmp(n, "python", 6) != 0)
		return false;
	for (n += 6; *n; n++) {
		if (!isdigit((unsigned char)*n) && *n != '.')
			return false;
	}
	return true;
}

static enum dfr_pm_kind pm_of_name(const char *n)
{
	switch (n[0]) {
	case 'a':
		if (!strcmp(n, "apt-get"))
			return DFR_PM_APT_GET;
		if (!strcmp(n, "apt"))
			return DFR_PM_APT;
		if (!strcmp(n, "apk"))
			return DFR_PM_APK;
		break;
	case 'd':
		if (!strcmp(n, "dnf") || !strcmp(n, "dnf5") || !strcmp(n, "dnf-3"))
			return DFR_PM_DNF;
		break;
	case 'g':
		if (!strcmp(n, "gem"))
			return DFR_PM_GEM;
		if (!strcmp(n, "go"))
			return DFR_PM_GO;
		break;
	case 'm':
		if (!strcmp(n, "microdnf"))
			return DFR_PM_MICRODNF;
		break;
	case 'n':
		if (!strcmp(n, "npm"))
			return DFR_PM_NPM;
		break;
	case 'p':
		if (is_pip_name(n))
			return DFR_PM_PIP;
		if (!strcmp(n, "pnpm"))
			return DFR_PM_PNPM;
		break;
	case 't':
		if (!strcmp(n, "tdnf"))
			return DFR_PM_DNF;
		break;
	case 'y':
		if (!strcmp(n, "yum"))
			return DFR_PM_YUM;
		if (!strcmp(n, "yarn") || !strcmp(n, "yarnpkg"))
			return DFR_PM_YARN;
		break;
	case 'z':
		if (!strcmp(n, "zypper"))
			return DFR_PM_ZYPPER;
		break;
	default:
		break;
	}
	return DFR_PM_NONE;
}

static const struct dfr_opts *const pm_opts[DFR_PM_MAX] = {
	[DFR_PM_APT_GET] = &apt_opts, [DFR_PM_APT] = &apt_opts,       [DFR_PM_APK] = &apk_opts,
	[DFR_PM_YUM] = &rpm_opts,     [DFR_PM_DNF] = &rpm_opts,       [DFR_PM_MICRODNF] = &rpm_opts,
	[DFR_PM_ZYPPER] = &zypper_opts, [DFR_PM_PIP] = &pip_opts,     [DFR_PM_NPM] = &npm_opts,
	[DFR_PM_YARN] = &yarn_opts,   [DFR_PM_PNPM] = &pnpm_opts,     [DFR_PM_GEM] = &gem_opts,
	[DFR_PM_GO] = &go_opts,
};

static const char *const pm_names[DFR_PM_MAX] = {
	[DFR_PM_NONE] = "", [DFR_PM_APT_GET] = "apt-get", [DFR_PM_APT] = "apt", [DFR_PM_APK] = "apk",
	[DFR_PM_YUM] = "yum", [DFR_PM_DNF] = "dnf", [DFR_PM_MICRODNF] = "microdnf",
	[DFR_PM_ZYPPER] = "zypper", [DFR_PM_PIP] = "pip", [DFR_PM_NPM] = "npm", [DFR_PM_YARN] = "yarn",
	[DFR_PM_PNPM] = "pnpm", [DFR_PM_GEM] = "gem", [DFR_PM_GO] = "go",
};

const char *dfr_pm_name(const struct dfr_pm *pm)
{
	const char *n = dfr_base(pm->c->argv[pm->name].text);

	if (pm->pm == DFR_PM_DNF || (pm->pm == DFR_PM_PIP && is_pip_name(n)))
		return n; /* dnf5, tdnf, pip3 */
	return pm_names[pm->pm];
}

static bool pm_finish(const struct dfr_cmd *vp, enum dfr_pm_kind k, struct dfr_pm *pm);

uint32_t dfr_pm_letters(unsigned mask)
{
	static const char first[DFR_PM_MAX][3] = {
		[DFR_PM_APT_GET] = "a", [DFR_PM_APT] = "a", [DFR_PM_APK] = "a", [DFR_PM_YUM] = "y",
		[DFR_PM_DNF] = "dt", [DFR_PM_MICRODNF] = "m", [DFR_PM_ZYPPER] = "z", [DFR_PM_PIP] = "p",
		[DFR_PM_NPM] = "n", [DFR_PM_YARN] = "y", [DFR_PM_PNPM] = "p", [DFR_PM_GEM] = "g",
		[DFR_PM_GO] = "g",
	};
	uint32_t letters = 0;
	unsigned k;

	for (k = 1; k < DFR_PM_MAX; k++) {
		if (!(mask & DFR_BIT(k)))
			continue;
		for (const char *p = first[k]; *p; p++)
			letters |= 1u << (*p - 'a');
	}
	return letters;
}

bool dfr_pm_parse_mask_full(const struct hd_cmd *c, unsigned mask, struct dfr_pm *pm)
{
	struct dfr_cmd v;
	const char *t;
	enum dfr_pm_kind k;

	if (!c->argc)
		return false;
	t = c->argv[0].text;
	if (dfr_maybe_wrapper(t)) {
		if (!dfr_cmd_init_full(&v, c))
			return false;
	} else {
		v.c = c;
		v.a0 = 0;
		v.name = t;
	}
	if (!dfr_pair_in(dfr_pm_pairs, v.name))
		return false;
	k = pm_of_name(v.name);
	/* python -m pip is recognised by pm_finish(). */
	if (!(mask & DFR_BIT(k == DFR_PM_NONE ? DFR_PM_PIP : k)))
		return false;
	return pm_finish(&v, k, pm) && (mask & DFR_BIT(pm->pm));
}

/* dfr_pm_from_cmd() with the manager kind of v.name already known. */
static bool pm_finish(const struct dfr_cmd *vp, enum dfr_pm_kind k, struct dfr_pm *pm)
{
	const struct dfr_cmd v = *vp;
	const struct hd_cmd *c = v.c;
	struct dfr_operands it;
	const struct hd_word *w;
	size_t args, sub;

	args = v.a0 + 1;
	if (k == DFR_PM_NONE) {
		size_t i;

		if (v.name[0] != 'p' || !is_python_name(v.name))
			return false;
		/* python [-I -u ...] -m pip ... */
		for (i = v.a0 + 1; i < c->argc; i++) {
			const char *a = c->argv[i].text;

			if (!strcmp(a, "-m")) {
				if (i + 1 < c->argc && is_pip_name(c->argv[i + 1].text)) {
					k = DFR_PM_PIP;
					args = i + 2;
				}
				break;
			}
			if (!strncmp(a, "-m", 2)) {
				if (is_pip_name(a + 2)) {
					k = DFR_PM_PIP;
					args = i + 1;
				}
				break;
			}
			if (a[0] != '-' || a[1] == 'c' || a[1] == '-')
				break;
			if ((a[1] == 'W' || a[1] == 'X') && !a[2])
				i++;
		}
		if (k == DFR_PM_NONE)
			return false;
	}
	pm->pm = k;
	pm->c = c;
	pm->name = v.a0;
	pm->args = args;
	pm->opts = pm_opts[k];
	dfr_operands_init(&it, c, args, pm->opts);
	w = dfr_operands_next(&it, &sub);
	pm->sub = w ? sub : c->argc;
	pm->subcmd = w ? w->text : "";
	return true;
}

bool dfr_pm_from_cmd(const struct dfr_cmd *v, struct dfr_pm *pm)
{
	return pm_finish(v, pm_of_name(v->name), pm);
}

bool dfr_pm_from_cmd_mask(const struct dfr_cmd *v, unsigned mask, struct dfr_pm *pm)
{
	enum dfr_pm_kind k;

	if (!dfr_pair_in(dfr_pm_pairs, v->name))
		return false;
	k = pm_of_name(v->name);
	if (!(mask & DFR_BIT(k == DFR_PM_NONE ? DFR_PM_PIP : k)))
		return false;
	return pm_finish(v, k, pm) && (mask & DFR_BIT(pm->pm));
}

bool dfr_ctx_ships(const struct dfr_ctx *x)
{
	return dfr_stage_ships(x->df, x->df->instrs[x->i].stage);
}

/* ---- iteration ------------------------------------------------------------ */

int dfr_each_run(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, dfr_run_fn *fn)
{
	const struct hd_dockerfile *df = m->df;
	struct dfr_ctx x = { .df = df, .r = r, .out = out };
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_run_at(df, i);

		if (!in || !in->shell)
			continue;
		x.i = i;
		x.in = in;
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
	uint32_t letters = dfr_pm_letters(mask);
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_run_at(df, i);

		if (!in || !in->shell)
			continue;
		x.i = i;
		x.in = in;
		for (k = 0; k < in->shell->n_cmds; k++) {
			const struct hd_cmd *c = &in->shell->cmds[k];
			struct dfr_pm pm;

			if (!dfr_pm_parse_fast(c, mask, letters, &pm))
				continue;
			ret = fn(&x, &pm);
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
