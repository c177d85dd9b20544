/*
 * Dockerfile rules on package managers run by RUN: apt-get/apt, apk, yum,
 * dnf/microdnf, zypper, pip, npm/yarn/pnpm, gem and go install.  They cover
 * version pins, non-interactive flags, caches left in the layer, recommended
 * packages, signature checks turned off, SSH servers installed and
 * `apt-get update` left alone in its RUN.
 *
 * Every check reads the shell model of RUN (wrappers such as sudo and env
 * skipped, options told from packages by each manager's option table) and
 * reports at the word to fix.  Cache rules judge only stages that end up in
 * the built image: a builder stage that is only copied from ships none of
 * its caches, which is where hadolint is noisiest.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "rules/df_util.h"

#define PM_APT (HD_PM_BIT(HD_PM_APT_GET) | HD_PM_BIT(HD_PM_APT))
#define PM_RPM (HD_PM_BIT(HD_PM_YUM) | HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF))

/* ---- small helpers --------------------------------------------------------- */

static bool in_set(const char *s, const char *const *set)
{
	for (; *set; set++) {
		if (!strcmp(s, *set))
			return true;
	}
	return false;
}

/* True when some word of argv[from..] is one of set (hadolint's "command has argument"). */
static bool has_word_in(const struct hd_cmd *c, size_t from, const char *const *set)
{
	size_t i;

	for (i = from; i < c->argc; i++) {
		if (in_set(c->argv[i].text, set))
			return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* The index of command c within the RUN's shell. */
static size_t cmd_index(const struct dfr_ctx *x, const struct hd_cmd *c)
{
	return (size_t)(c - x->in->shell->cmds);
}

/*
 * Where an RPM-style version suffix starts in a package argument: a '-'
 * followed by a version with a '.' or ':' ("httpd-2.4.57", "nginx-1:1.20.1")
 * or by an expansion ("foo-$VERSION").  NULL when there is none, so that
 * "java-17-openjdk" or "python3-devel" count as names, not pins.
 */
static const char *rpm_version_at(const char *s)
{
	const char *p;

	for (p = strchr(s, '-'); p; p = strchr(p + 1, '-')) {
		const char *q = p + 1;
		bool sep = false;

		if (*q == '$')
			return p;
		if (!isdigit((unsigned char)*q))
			continue;
		for (; *q && *q != '-'; q++) {
			if (*q == '.' || *q == ':')
				sep = true;
			else if (!isalnum((unsigned char)*q) && !strchr("_~+^", *q))
				break;
		}
		if (sep)
			return p;
	}
	return NULL;
}

/*
 * Pin judges: return true when the package argument is pinned or is not a
 * package name to pin (a file, URL, group, path); otherwise false with
 * *name_len the length of the name to show.
 */
typedef bool pin_fn(const char *s, size_t *name_len);

static bool apt_pinned(const char *s, size_t *name_len)
{
	*name_len = strlen(s);
	/* pkg=version, pkg/release, ./local.deb */
	return strpbrk(s, "=/") || ends_with(s, ".deb");
}

static bool apk_pinned(const char *s, size_t *name_len)
{
	*name_len = strlen(s);
	return strpbrk(s, "=~<>/") || ends_with(s, ".apk");
}

static bool rpm_pinned(const char *s, size_t *name_len)
{
	*name_len = strlen(s);
	if (s[0] == '@' || strpbrk(s, "/(=<>") || ends_with(s, ".rpm"))
		return true; /* groups and modules, paths and URLs, provides, comparisons */
	return rpm_version_at(s) != NULL;
}

static bool zypper_pinned(const char *s, size_t *name_len)
{
	if (strchr(s, ':') && !rpm_version_at(s))
		return *name_len = strlen(s), true; /* pattern:x, patch:y */
	return rpm_pinned(s, name_len);
}

/* A VCS requirement (git+https://..., hg+ssh://..., svn://...). */
static bool is_vcs_url(const char *s)
{
	static const char *const schemes[] = { "git+", "hg+", "svn+", "bzr+", "git://", "svn://", NULL };

	for (const char *const *p = schemes; *p; p++) {
		if (hd_starts_with(s, *p))
			return true;
	}
	return false;
}

static bool pip_pinned(const char *s, size_t *name_len)
{
	const char *slash;

	*name_len = strlen(s);
	if (is_vcs_url(s)) {
		/* git+https://github.com/org/repo@v1.2: the ref follows the path. */
		slash = strrchr(s, '/');
		return slash && strchr(slash, '@');
	}
	if (s[0] == '.' || s[0] == '/' || s[0] == '~' || strstr(s, "://") || strchr(s, '/'))
		return true; /* local paths, archive URLs */
	if (ends_with(s, ".whl") || ends_with(s, ".tar.gz") || ends_with(s, ".zip") || ends_with(s, ".tgz"))
		return true;
	/* Every PEP 440 specifier (== ~= >= <= != < > ===) or a direct reference (@). */
	return strpbrk(s, "=<>!~@") != NULL;
}

static bool npm_pinned(const char *s, size_t *name_len)
{
	static const char *const paths[] = { "/", "./", "../", "~/", NULL };
	const char *at;

	*name_len = strlen(s);
	if (hd_starts_with(s, "git://") || hd_starts_with(s, "git+"))
		return strchr(s, '#') != NULL; /* a commit, tag or #semver: range */
	for (const char *const *p = paths; *p; p++) {
		if (hd_starts_with(s, *p))
			return true;
	}
	if (ends_with(s, ".tgz") || ends_with(s, ".tar.gz") || ends_with(s, ".tar"))
		return true; /* tarballs */
	if (strchr(s, ':'))
		return hd_starts_with(s, "file:") || strchr(s, '#') || strchr(s, '@'); /* npm:x@1, github:u/r#ref */
	at = strchr(s + (s[0] == '@'), '@');
	if (at) {
		*name_len = (size_t)(at - s);
		/* Dist-tags move: latest and next are not versions. */
		return at[1] && strcmp(at + 1, "latest") != 0 && strcmp(at + 1, "next") != 0;
	}
	/* user/repo on GitHub: its default branch unless a #ref names a commit or tag. */
	return s[0] != '@' && strchr(s, '/') != NULL && strchr(s, '#') != NULL;
}

static bool gem_pinned(const char *s, size_t *name_len)
{
	*name_len = strlen(s);
	/* name:version, paths and .gem files; true/false are values of build flags, not gems. */
	return strpbrk(s, ":/") || ends_with(s, ".gem") || !strcmp(s, "true") || !strcmp(s, "false");
}

static bool go_pinned(const char *s, size_t *name_len)
{
	const char *at = strrchr(s, '@');

	*name_len = strlen(s);
	if (at) {
		*name_len = (size_t)(at - s);
		return strcmp(at + 1, "latest") != 0 && strcmp(at + 1, "none") != 0 && at[1] != '\0';
	}
	/* Local directories, a variable, and go's own patterns (the tool meta-package, std, cmd/...). */
	if (s[0] == '.' || s[0] == '/' || s[0] == '$')
		return true;
	return !strcmp(s, "tool") || !strcmp(s, "std") || !strcmp(s, "all") || hd_starts_with(s, "cmd/") ||
	       ends_with(s, ".go"); /* go run main.go: source files of the build context */
}

/*
 * Judges the package operands of an install (pm->pkgs): a word that is a
 * single ARG/ENV variable is judged by the value it has at this instruction
 * (each of its space-separated names); an unknown variable is not judged.
 */
static int judge_packages(const struct dfr_ctx *x, const struct hd_pm_call *pm, pin_fn *pinned, const char *hint)
{
	const char *name = hd_pm_name(pm);
	size_t p;
	int r;

	for (p = 0; p < pm->n_pkgs; p++) {
		const struct hd_word *w = &pm->c->argv[pm->pkgs[p]];
		const char *val;
		size_t nl;

		if (!w->text[0])
			continue;
		val = (w->flags & HD_WORD_EXPANSION) ? dfr_word_var(x->df, x->i, w) : NULL;
		if (!val) {
			if (pinned(w->text, &nl))
				continue;
			if ((w->flags & HD_WORD_EXPANSION) && w->text[0] == '$' && nl == strlen(w->text))
				continue; /* a whole unknown variable: nothing to judge */
			r = dfr_report_word(x->out, x->r, x->df, x->in, w,
					    "%s %.*s '%.*s' without a version pin: use %.*s%s", name,
					    DFR_W(pm->subcmd), DFR_W(w->text), (int)(nl > DFR_MSG_WORD ? DFR_MSG_WORD : nl), w->text,
					    hint);
			if (r < 0)
				return r;
			continue;
		}
		/* The variable's value: one or more names. */
		while (*val) {
			char tok[256];
			size_t len;

			while (*val == ' ' || *val == '\t' || *val == '\n')
				val++;
			len = strcspn(val, " \t\n");
			if (!len)
				break;
			if (len < sizeof(tok) && val[0] != '-') {
				memcpy(tok, val, len);
				tok[len] = '\0';
				if (!pinned(tok, &nl)) {
					r = dfr_report_word(x->out, x->r, x->df, x->in, w,
							    "%s %.*s '%s' (from %.*s) without a version pin: use %.*s%s",
							    name, DFR_W(pm->subcmd), tok, DFR_W(w->text), (int)nl, tok, hint);
					if (r < 0)
						return r;
				}
			}
			val += len;
		}
	}
	return 0;
}

/* ---- apt-get / apt --------------------------------------------------------- */

static int pin_apt(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (strcmp(pm->subcmd, "install") != 0)
		return 0;
	return judge_packages(x, pm, apt_pinned, "=<version>");
}

static int check_apt_get_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, PM_APT, pin_apt);
}

const struct hd_rule hd_rule_df_apt_get_unpinned = {
	.id = "dockerfile/apt-get-unpinned",
	.title = "apt-get install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3008",
	.other = "kics:965a08d7-ef86-4f14-8792-4a3b2098937e",
	.rationale = "Without a pin, the package version depends on the day of the build: two builds of the "
		     "same Dockerfile install different code, and a compromised or broken release slips in "
		     "unnoticed. Pins make the build reproducible and updates a reviewed change. Debian "
		     "removes superseded versions from its archive, so pinned builds fail loudly when a "
		     "security update lands; that is the signal to bump the pin, or to use a snapshot "
		     "mirror. Unlike hadolint, a package named by an ARG/ENV variable is judged by the "
		     "variable's value, and an unknown variable is not reported.",
	.remediation = "Pin each package to the version you tested: `apt-get install -y "
		       "--no-install-recommends curl=7.88.1-10+deb12u5`; find it with `apt-cache policy curl`.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt-get update \\\n"
		       " && apt-get install -y --no-install-recommends curl \\\n"
		       " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_get_unpinned,
};

static const char *const apt_prompting[] = { "install", "upgrade", "dist-upgrade", "full-upgrade", "remove",
					     "purge", "autoremove", "build-dep", "satisfy", "reinstall", NULL };

/* The command piped into c, if any: the previous command at c's depth whose separator is a pipe. */
static const struct hd_cmd *pipe_source(const struct dfr_ctx *x, const struct hd_cmd *c)
{
	size_t k = cmd_index(x, c);

	while (k > 0) {
		const struct hd_cmd *p = &x->in->shell->cmds[--k];

		if (p->depth > c->depth)
			continue;
		return p->depth == c->depth && p->sep == HD_SEP_PIPE ? p : NULL;
	}
	return NULL;
}

/*
 * apt's quiet level from argv[from..]: each -q (alone or in a bundle such as
 * -qq or -yq) and each --quiet adds one; -q=N, -qN and --quiet=N set it.
 */
static int apt_quiet_level(const struct hd_cmd *c, size_t from)
{
	int level = 0;
	size_t i;

	for (i = from; i < c->argc; i++) {
		const char *a = c->argv[i].text, *p;

		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			if (!a[2])
				break;
			if (!strcmp(a + 2, "quiet"))
				level++;
			else if (hd_starts_with(a + 2, "quiet="))
				level = (int)strtol(a + 8, NULL, 10);
			continue;
		}
		for (p = a + 1; *p; p++) {
			if (*p == 'q') {
				if (p[1] == '=' || isdigit((unsigned char)p[1])) {
					level = (int)strtol(p + 1 + (p[1] == '='), NULL, 10);
					break;
				}
				level++;
			} else if (!isalpha((unsigned char)*p) || strchr("octaPF", *p)) {
				break; /* an option with a value ends the bundle */
			}
		}
	}
	return level;
}

static bool apt_assumes_yes(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c, *src;
	size_t i;

	if (dfr_has_opt(c, pm->args, 'y', "yes") || dfr_has_opt(c, pm->args, 0, "assume-yes") ||
	    dfr_has_opt(c, pm->args, 0, "force-yes"))
		return true;
	if (apt_quiet_level(c, pm->args) >= 2)
		return true; /* quiet level 2 implies -y */
	for (i = pm->args; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (hd_strcasestr(a, "Assume-Yes=") && (hd_strcasestr(a, "=true") || strstr(a, "=1")))
			return true;
	}
	src = pipe_source(x, c);
	if (src) {
		struct dfr_cmd v;

		if (dfr_cmd_init(&v, src) && DFR_IS(v.name, "yes"))
			return true;
	}
	return false;
}

static int yes_apt(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (!pm->subcmd[0] || !in_set(pm->subcmd, apt_prompting) || apt_assumes_yes(x, pm))
		return 0;
	return dfr_report_word(x->out, x->r, x->df, x->in, &pm->c->argv[pm->sub],
			       "%s %s without -y: the build aborts at the confirmation prompt; use %s %s -y",
			       hd_pm_name(pm), pm->subcmd, hd_pm_name(pm), pm->subcmd);
}

static int check_apt_get_missing_yes(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, PM_APT, yes_apt);
}

const struct hd_rule hd_rule_df_apt_get_missing_yes = {
	.id = "dockerfile/apt-get-missing-yes",
	.title = "apt-get install without -y",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3014",
	.other = "trivy:DS021",
	.rationale = "A build has no terminal: apt-get asks 'Do you want to continue?', reads end of input "
		     "and aborts, so the build fails whenever a package pulls in a dependency. Beyond "
		     "hadolint, this covers upgrade, remove, purge, autoremove and build-dep too, and "
		     "accepts the equivalents of -y: --yes, --assume-yes, quiet level 2 (which implies -y) "
		     "in every spelling (-qq, -q -q, --quiet --quiet, -q=2, --quiet=2), "
		     "-o APT::Get::Assume-Yes=true and a `yes |` pipe.",
	.remediation = "Add -y: `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5`.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt-get update \\\n"
		       " && apt-get install --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
		       " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_get_missing_yes,
};

/* True when an earlier RUN of the stage (or its bases) configured APT::Install-Recommends. */
static bool norec_configured(const struct dfr_ctx *x)
{
	const struct hd_dockerfile *df = x->df;
	uint32_t st = df->instrs[x->i].stage;
	size_t j = x->i, hops;

	if (st == (uint32_t)-1 || st >= df->n_stages)
		return false;
	for (hops = 0; hops <= df->n_stages; hops++) {
		const struct hd_stage *s = &df->stages[st];

		while (j > s->first) {
			const struct hd_instr *in = dfr_run_at(df, --j);
			size_t k, a;

			if (!in || !in->shell)
				continue;
			for (k = 0; k < in->shell->n_cmds; k++) {
				const struct hd_cmd *c = &in->shell->cmds[k];
				struct dfr_cmd v;

				/* The setting is written with echo/printf into apt.conf.d. */
				if (!dfr_cmd_init(&v, c) || (!DFR_IS(v.name, "echo") && !DFR_IS(v.name, "printf")))
					continue;
				for (a = v.a0 + 1; a < c->argc; a++) {
					if (hd_strcasestr(c->argv[a].text, "Install-Recommends"))
						return true;
				}
			}
		}
		if (s->base_stage < 0 || (uint32_t)s->base_stage >= st)
			return false;
		st = (uint32_t)s->base_stage;
		j = df->stages[st].last + 1;
	}
	return false;
}

static int recommends_apt(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c;
	size_t i;

	if (strcmp(pm->subcmd, "install") != 0 || dfr_has_opt(c, pm->args, 0, "no-install-recommends"))
		return 0;
	for (i = pm->args; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (hd_strcasestr(a, "Install-Recommends=") &&
		    (hd_strcasestr(a, "=false") || strstr(a, "=0") || hd_strcasestr(a, "=no")))
			return 0;
	}
	if (norec_configured(x))
		return 0;
	return dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[pm->sub],
			       "%s install without --no-install-recommends also installs recommended "
			       "packages: add --no-install-recommends",
			       hd_pm_name(pm));
}

static int check_apt_get_install_recommends(const struct hd_model *m, const struct hd_rule *r,
					    struct hd_check *out)
{
	return dfr_each_pm(m, r, out, PM_APT, recommends_apt);
}

const struct hd_rule hd_rule_df_apt_get_install_recommends = {
	.id = "dockerfile/apt-get-install-recommends",
	.title = "apt-get install pulls in recommended packages",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.3",
	.owasp = "D04",
	.hadolint = "DL3015",
	.other = "trivy:DS029",
	.rationale = "Debian installs 'Recommends' by default: a single `apt-get install` can add dozens of "
		     "packages nobody asked for, each one more thing to patch and more attack surface (CIS "
		     "4.3). Also quiet when -o APT::Install-Recommends=false is given or an earlier RUN of "
		     "the stage wrote an APT::Install-Recommends setting to apt.conf.d.",
	.remediation = "Add --no-install-recommends and name the packages you need: `apt-get install -y "
		       "--no-install-recommends ca-certificates=20230311`.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt-get update \\\n"
		       " && apt-get install -y curl=7.88.1-10+deb12u5 \\\n"
		       " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_get_install_recommends,
};

static int apt_used(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c;

	if (pm->sub == c->argc && pm->args < c->argc && c->argv[pm->args].text[0] == '-')
		return 0; /* apt --version, apt -h */
	return dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[pm->name],
			       "'apt %s' in a script: apt's output and behaviour are not stable; use "
			       "apt-get %s (or apt-cache)",
			       pm->subcmd, pm->subcmd);
}

static int check_apt_instead_of_apt_get(const struct hd_model *m, const struct hd_rule *r,
					struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_APT), apt_used);
}

const struct hd_rule hd_rule_df_apt_instead_of_apt_get = {
	.id = "dockerfile/apt-instead-of-apt-get",
	.title = "apt used instead of apt-get",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3027",
	.other = "checkov:CKV_DOCKER_9",
	.rationale = "apt is the interactive front end: it warns that its command-line interface is not "
		     "stable, changes output and defaults between releases and may show progress bars "
		     "and prompts. apt-get and apt-cache are the stable interfaces for scripts.",
	.remediation = "Replace apt with apt-get: `apt-get install -y --no-install-recommends "
		       "curl=7.88.1-10+deb12u5`.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt update \\\n"
		       " && apt install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
		       " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_instead_of_apt_get,
};

/* ---- caches left in the layer ---------------------------------------------- */

/*
 * A cache rule: commands of `mask` whose subcommand is in `fill` write a
 * cache into the layer unless `flag_ok` says they were told not to; a later
 * command of the same RUN that `cleans` removes it; a cache or tmpfs mount on
 * one of `mounts` keeps it out of the layer.
 */
struct cache_rule {
	unsigned mask;
	const char *const *fill;
	bool (*flag_ok)(const struct dfr_ctx *x, const struct hd_pm_call *pm);
	/* v is the command, pm its package manager call or NULL. */
	bool (*cleans)(const struct dfr_cmd *v, const struct hd_pm_call *pm);
	const char *const *mounts;
	const char *fix;
	bool fix_clean; /* the fix goes on with "<manager> clean all'" */
	bool fill_word; /* fill: any argument among them (hadolint's reading), not the subcommand */
};

/* True when v is `rm` (or find ... -delete) of a path accepted by `match`. */
static bool rm_matches(const struct dfr_cmd *v, bool (*match)(const char *path))
{
	struct hd_operands it;
	const struct hd_word *w;

	if (DFR_IS(v->name, "rm")) {
		hd_operands_init(&it, v->c, v->a0 + 1, NULL);
		while ((w = hd_operands_next(&it, NULL))) {
			if (match(w->text))
				return true;
		}
		return false;
	}
	if (DFR_IS(v->name, "find") && v->a0 + 1 < v->c->argc && dfr_has_word(v->c, v->a0 + 1, "-delete"))
		return match(v->c->argv[v->a0 + 1].text);
	return false;
}

/* True when pm is `<manager> <sub> [<arg>]` of a manager in mask, e.g. `dnf clean all`. */
static bool is_pm_call(const struct hd_pm_call *pm, unsigned mask, const char *sub, const char *arg)
{
	if (!pm || !(HD_PM_BIT(pm->pm) & mask) || strcmp(pm->subcmd, sub) != 0)
		return false;
	return !arg || dfr_has_word(pm->c, pm->sub + 1, arg);
}

static int cache_check_run(const struct dfr_ctx *x, const struct cache_rule *cr)
{
	const struct hd_instr *in = x->in;
	const struct hd_shell *sh = in->shell;
	const struct hd_pm_call *pending = NULL;
	size_t k, cur = 0;

	if (!(in->pm_mask & cr->mask))
		return 0; /* most RUNs call none of these managers */
	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		const struct hd_pm_call *pm = dfr_pm_at(in, k, &cur);
		struct dfr_cmd v;

		if (pm && (HD_PM_BIT(pm->pm) & cr->mask) &&
		    (cr->fill_word ? pm->sub < c->argc && has_word_in(c, pm->sub, cr->fill) : in_set(pm->subcmd, cr->fill))) {
			if (!cr->flag_ok || !cr->flag_ok(x, pm))
				pending = pm;
			continue;
		}
		if (pending && dfr_cmd_init(&v, c) && cr->cleans(&v, pm))
			pending = NULL;
	}
	/* Checked last: most RUNs fill no cache at all. */
	if (!pending || !dfr_ctx_ships(x) || dfr_run_mounts(in, cr->mounts))
		return 0;
	return dfr_report_word(x->out, x->r, x->df, in,
			       &pending->c->argv[pending->sub < pending->c->argc ? pending->sub : pending->name],
			       "'%s%s%.*s' leaves its cache in the layer: %s%s%s", hd_pm_name(pending),
			       pending->subcmd[0] ? " " : "", DFR_W(pending->subcmd), cr->fix,
			       cr->fix_clean ? hd_pm_name(pending) : "", cr->fix_clean ? " clean all'" : "");
}

/* apt: lists */

static const char *const apt_update[] = { "update", NULL };
static const char *const apt_list_mounts[] = { "/var/lib/apt", NULL };

static bool apt_lists_path(const char *p)
{
	return hd_starts_with(p, "/var/lib/apt/lists") || !strcmp(p, "/var/lib/apt") ||
	       !strcmp(p, "/var/lib/apt/") || !strcmp(p, "/var/lib/apt/*");
}

static bool apt_lists_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return rm_matches(v, apt_lists_path) || is_pm_call(pm, PM_APT, "distclean", NULL) ||
	       is_pm_call(pm, PM_APT, "dist-clean", NULL);
}

static const struct cache_rule apt_lists_rule = {
	.mask = PM_APT,
	.fill = apt_update,
	.cleans = apt_lists_cleaned,
	.mounts = apt_list_mounts,
	.fix = "end the same RUN with 'rm -rf /var/lib/apt/lists/*'",
};

static int apt_lists_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &apt_lists_rule);
}

static int check_apt_lists_not_removed(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, PM_APT, 0, apt_lists_run);
}

const struct hd_rule hd_rule_df_apt_lists_not_removed = {
	.id = "dockerfile/apt-lists-not-removed",
	.title = "apt package lists left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3009",
	.other = "dockle:DKL-DI-0005",
	.rationale = "`apt-get update` writes tens of megabytes of package lists to /var/lib/apt/lists. "
		     "Removed in a later RUN they still live in the earlier layer, and left in place they "
		     "go stale and make the image bigger. As in hadolint, only stages that end up in the "
		     "built image are judged and a cache mount on the lists is enough. Unlike hadolint, "
		     "the cleanup must come after the last update of the RUN (an `rm` before it removes "
		     "nothing), any spelling of it counts (rm -fr, the lists directory, /var/lib/apt/*, "
		     "find -delete, apt-get distclean), `apt update` is covered, and tmpfs mounts count.",
	.remediation = "Remove the lists in the same RUN: `RUN apt-get update && apt-get install -y "
		       "--no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*`, or "
		       "use `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt-get update \\\n"
		       " && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_lists_not_removed,
};

/* apk */

static const char *const apk_fill[] = { "add", "update", "upgrade", NULL };
static const char *const apk_mounts[] = { "/var/cache/apk", "/etc/apk/cache", NULL };

static bool apk_no_cache(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	(void)x;
	return dfr_has_opt(pm->c, pm->args, 0, "no-cache");
}

static bool apk_cache_path(const char *p)
{
	return hd_starts_with(p, "/var/cache/apk") || hd_starts_with(p, "/etc/apk/cache");
}

static bool apk_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	(void)pm;
	return rm_matches(v, apk_cache_path);
}

static const struct cache_rule apk_rule = {
	.mask = HD_PM_BIT(HD_PM_APK),
	.fill = apk_fill,
	.flag_ok = apk_no_cache,
	.cleans = apk_cleaned,
	.mounts = apk_mounts,
	.fix = "use 'apk add --no-cache' (it also makes a separate 'apk update' unnecessary)",
};

static int apk_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &apk_rule);
}

static int check_apk_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_APK), 0, apk_cache_run);
}

const struct hd_rule hd_rule_df_apk_cache_not_cleaned = {
	.id = "dockerfile/apk-cache-not-cleaned",
	.title = "apk add without --no-cache",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3019",
	.other = "trivy:DS025 dockle:DKL-DI-0004",
	.rationale = "Without --no-cache, apk keeps the repository index under /var/cache/apk in the "
		     "layer. `apk update` writes it too, which hadolint does not notice. Quiet when a later "
		     "`rm -rf /var/cache/apk/*` in the same RUN removes it, when a cache mount covers "
		     "/var/cache/apk, and in builder stages that do not end up in the image.",
	.remediation = "Use `apk add --no-cache curl=8.9.1-r0` and drop `apk update`.",
	.bad_example = DFR_EX_ALPINE_FROM "RUN apk add curl=8.9.1-r0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.check = check_apk_cache_not_cleaned,
};

/* yum and dnf */

/* hadolint's DL3032/DL3040: a command with an `install` argument fills the cache. */
static const char *const rpm_fill[] = { "install", NULL };
static const char *const yum_mounts[] = { "/var/cache/yum", NULL };
static const char *const dnf_mounts[] = { "/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5",
					  "/var/cache/tdnf", NULL };

static bool yum_cache_path(const char *p)
{
	return hd_starts_with(p, "/var/cache/yum");
}

static bool dnf_cache_path(const char *p)
{
	return hd_starts_with(p, "/var/cache/dnf") || hd_starts_with(p, "/var/cache/yum") ||
	       hd_starts_with(p, "/var/cache/libdnf5") || hd_starts_with(p, "/var/cache/tdnf");
}

static bool yum_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return is_pm_call(pm, PM_RPM, "clean", "all") || rm_matches(v, yum_cache_path);
}

static bool dnf_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return is_pm_call(pm, PM_RPM, "clean", "all") || rm_matches(v, dnf_cache_path);
}

static const struct cache_rule yum_rule = {
	.mask = HD_PM_BIT(HD_PM_YUM),
	.fill = rpm_fill,
	.fill_word = true,
	.cleans = yum_cleaned,
	.mounts = yum_mounts,
	.fix = "end the same RUN with 'yum clean all && rm -rf /var/cache/yum'",
};

static const struct cache_rule dnf_rule = {
	.mask = HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF),
	.fill = rpm_fill,
	.fill_word = true,
	.cleans = dnf_cleaned,
	.mounts = dnf_mounts,
	.fix = "end the same RUN with '",
	.fix_clean = true,
};

static int yum_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &yum_rule);
}

static int dnf_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &dnf_rule);
}

static int check_yum_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_YUM), 0, yum_cache_run);
}

static int check_dnf_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF), 0, dnf_cache_run);
}

const struct hd_rule hd_rule_df_yum_cache_not_cleaned = {
	.id = "dockerfile/yum-cache-not-cleaned",
	.title = "yum cache left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3032",
	.other = "trivy:DS015",
	.rationale = "yum keeps repository metadata and downloaded packages under /var/cache/yum; left in "
		     "the layer they add tens of megabytes and go stale. The cleanup must follow the last "
		     "install of the same RUN: a later RUN cannot shrink an earlier layer. Builder stages "
		     "that do not end up in the image and cache mounts on /var/cache/yum are exempt.",
	.remediation = "End the RUN with `yum clean all`: `RUN yum install -y httpd-2.4.6 && yum clean all "
		       "&& rm -rf /var/cache/yum`.",
	.bad_example = DFR_EX_CENTOS_FROM "RUN yum install -y httpd-2.4.6\n" DFR_EX_TAIL,
	.good_example = DFR_EX_CENTOS_FROM "RUN yum install -y httpd-2.4.6 \\\n && yum clean all \\\n"
				    " && rm -rf /var/cache/yum\n" DFR_EX_TAIL,
	.check = check_yum_cache_not_cleaned,
};

const struct hd_rule hd_rule_df_dnf_cache_not_cleaned = {
	.id = "dockerfile/dnf-cache-not-cleaned",
	.title = "dnf/microdnf cache left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3040",
	.other = "trivy:DS019 trivy:DS027",
	.rationale = "dnf and microdnf keep repository metadata and packages under /var/cache/dnf (or "
		     "/var/cache/yum, /var/cache/libdnf5); left in the layer they add tens of megabytes. "
		     "`dnf clean all` (or removing the directory) must follow the last install of the same "
		     "RUN. Builder stages that do not end up in the image and cache mounts are exempt.",
	.remediation = "End the RUN with `dnf clean all`: `RUN dnf install -y httpd-2.4.57 && dnf clean "
		       "all`.",
	.bad_example = DFR_EX_UBI_FROM "RUN dnf install -y httpd-2.4.57\n" DFR_EX_TAIL,
	.good_example = DFR_EX_UBI_FROM "RUN dnf install -y httpd-2.4.57 \\\n && dnf clean all\n" DFR_EX_TAIL,
	.check = check_dnf_cache_not_cleaned,
};

/* zypper */

/* hadolint's DL3036: a command with an install (in) argument fills the cache. */
static const char *const zypper_fill[] = { "install", "in", NULL };
static const char *const zypper_mounts[] = { "/var/cache/zypp", NULL };

static bool zypper_cache_path(const char *p)
{
	return hd_starts_with(p, "/var/cache/zypp");
}

static bool zypper_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return is_pm_call(pm, HD_PM_BIT(HD_PM_ZYPPER), "clean", NULL) ||
	       is_pm_call(pm, HD_PM_BIT(HD_PM_ZYPPER), "cc", NULL) || rm_matches(v, zypper_cache_path);
}

static const struct cache_rule zypper_rule = {
	.mask = HD_PM_BIT(HD_PM_ZYPPER),
	.fill = zypper_fill,
	.fill_word = true,
	.cleans = zypper_cleaned,
	.mounts = zypper_mounts,
	.fix = "end the same RUN with 'zypper clean --all'",
};

static int zypper_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &zypper_rule);
}

static int check_zypper_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r,
					  struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_ZYPPER), 0, zypper_cache_run);
}

const struct hd_rule hd_rule_df_zypper_cache_not_cleaned = {
	.id = "dockerfile/zypper-cache-not-cleaned",
	.title = "zypper cache left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3036",
	.other = "trivy:DS020",
	.rationale = "zypper keeps repository metadata and packages under /var/cache/zypp; left in the "
		     "layer they make the image bigger and go stale. `zypper clean` must follow the last "
		     "install of the same RUN. Builder stages that do not end up in the image and cache "
		     "mounts on /var/cache/zypp are exempt.",
	.remediation = "End the RUN with `zypper clean --all`: `RUN zypper --non-interactive install "
		       "curl=8.6.0 && zypper clean --all`.",
	.bad_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive install curl=8.6.0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive install curl=8.6.0 \\\n"
				  " && zypper clean --all\n" DFR_EX_TAIL,
	.check = check_zypper_cache_not_cleaned,
};

/* pip */

static const char *const pip_fill[] = { "install", NULL };
static const char *const pip_mounts[] = { "/root/.cache", "*/.cache/pip", NULL };

/* True when PIP_NO_CACHE_DIR is set for this command: ARG/ENV, NAME=value prefix, or an earlier export. */
static bool pip_env_no_cache(const struct dfr_ctx *x, const struct hd_cmd *c)
{
	const char *v = hd_dockerfile_var_at(x->df, x->i, "PIP_NO_CACHE_DIR");
	size_t k, a, until = cmd_index(x, c);

	if (v && v[0])
		return true;
	for (a = 0; a < c->n_assigns; a++) {
		if (hd_starts_with(c->assigns[a].text, "PIP_NO_CACHE_DIR=") && c->assigns[a].text[17])
			return true;
	}
	for (a = 0; a < c->argc; a++) {
		if (hd_starts_with(c->argv[a].text, "PIP_NO_CACHE_DIR=") && c->argv[a].text[17])
			return true; /* env PIP_NO_CACHE_DIR=1 pip ... */
	}
	for (k = 0; k < until; k++) {
		const struct hd_cmd *e = &x->in->shell->cmds[k];

		if (e->argc < 2 || strcmp(e->argv[0].text, "export") != 0)
			continue;
		for (a = 1; a < e->argc; a++) {
			if (hd_starts_with(e->argv[a].text, "PIP_NO_CACHE_DIR=") && e->argv[a].text[17])
				return true;
		}
	}
	return false;
}

static bool pip_no_cache(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	return dfr_has_opt(pm->c, pm->args, 0, "no-cache-dir") || pip_env_no_cache(x, pm->c);
}

static bool pip_cache_path(const char *p)
{
	return ends_with(p, "/.cache/pip") || ends_with(p, "/.cache/pip/") || ends_with(p, "/.cache/pip/*") ||
	       !strcmp(p, "/root/.cache") || !strcmp(p, "~/.cache") || !strcmp(p, "$HOME/.cache") ||
	       !strcmp(p, "/root/.cache/*");
}

static bool pip_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return rm_matches(v, pip_cache_path) || is_pm_call(pm, HD_PM_BIT(HD_PM_PIP), "cache", "purge");
}

static const struct cache_rule pip_rule = {
	.mask = HD_PM_BIT(HD_PM_PIP),
	.fill = pip_fill,
	.flag_ok = pip_no_cache,
	.cleans = pip_cleaned,
	.mounts = pip_mounts,
	.fix = "add --no-cache-dir (or set ENV PIP_NO_CACHE_DIR=1)",
};

static int pip_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &pip_rule);
}

static int check_pip_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_PIP), 0, pip_cache_run);
}

const struct hd_rule hd_rule_df_pip_cache_not_cleaned = {
	.id = "dockerfile/pip-cache-not-cleaned",
	.title = "pip install without --no-cache-dir",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3042",
	.rationale = "pip keeps every downloaded wheel under ~/.cache/pip: in an image that is dead weight, "
		     "often hundreds of megabytes for scientific stacks. Quiet with --no-cache-dir, with "
		     "PIP_NO_CACHE_DIR set by ENV/ARG, as a NAME=value prefix or exported earlier in the "
		     "RUN (pip treats any value as 'off': its --no-cache-dir handler ignores the value, so "
		     "unlike hadolint a false value such as PIP_NO_CACHE_DIR=0 is not reported), when "
		     "`pip cache purge` or removing ~/.cache/pip "
		     "follows, under a cache mount, and in builder stages that do not end up in the image "
		     "(hadolint reports those too).",
	.remediation = "Add --no-cache-dir: `RUN pip install --no-cache-dir -r requirements.txt`, or set "
		       "`ENV PIP_NO_CACHE_DIR=1` once.",
	.bad_example = DFR_EX_PY_FROM "COPY requirements.txt /app/requirements.txt\n"
			       "RUN pip install --require-hashes -r /app/requirements.txt\n" DFR_EX_TAIL,
	.good_example = DFR_EX_PY_FROM "COPY requirements.txt /app/requirements.txt\n"
				"RUN pip install --no-cache-dir --require-hashes -r /app/requirements.txt\n"
				DFR_EX_TAIL,
	.check = check_pip_cache_not_cleaned,
};

/* yarn */

static const char *const yarn_fill[] = { "", "install", "add", "global", NULL };
static const char *const yarn_mounts[] = { "*yarn", NULL };

static bool yarn_cache_path(const char *p)
{
	return strstr(p, ".cache/yarn") || strstr(p, ".yarn/cache") || strstr(p, ".yarn/berry/cache") ||
	       strstr(p, "yarn-cache");
}

static bool yarn_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return is_pm_call(pm, HD_PM_BIT(HD_PM_YARN), "cache", "clean") || rm_matches(v, yarn_cache_path);
}

/* `yarn --version` and `yarn global list` install nothing. */
static bool yarn_no_install(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	(void)x;
	if (!strcmp(pm->subcmd, "global"))
		return pm->sub + 1 >= pm->c->argc || strcmp(pm->c->argv[pm->sub + 1].text, "add") != 0;
	return !pm->subcmd[0] && (dfr_has_opt(pm->c, pm->args, 'v', "version") ||
				  dfr_has_opt(pm->c, pm->args, 'h', "help"));
}

static const struct cache_rule yarn_rule = {
	.mask = HD_PM_BIT(HD_PM_YARN),
	.fill = yarn_fill,
	.flag_ok = yarn_no_install,
	.cleans = yarn_cleaned,
	.mounts = yarn_mounts,
	.fix = "end the same RUN with 'yarn cache clean'",
};

static int yarn_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &yarn_rule);
}

static int check_yarn_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r,
					struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_YARN), 0, yarn_cache_run);
}

const struct hd_rule hd_rule_df_yarn_cache_not_cleaned = {
	.id = "dockerfile/yarn-cache-not-cleaned",
	.title = "yarn cache left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3060",
	.rationale = "yarn keeps a copy of every package in its global cache; after an install in the "
		     "final image it doubles the size of node_modules. Also covers `yarn add`, `yarn global "
		     "add` and a bare `yarn`, and accepts removing the cache directory or a cache mount. "
		     "Builder stages that do not end up in the image are exempt (hadolint reports them).",
	.remediation = "End the RUN with `yarn cache clean`: `RUN yarn install --frozen-lockfile && yarn "
		       "cache clean`, or build in a stage that is only copied from.",
	.bad_example = DFR_EX_NODE_FROM "WORKDIR /app\nCOPY package.json yarn.lock /app/\n"
				 "RUN yarn install --frozen-lockfile\n" DFR_EX_TAIL,
	.good_example = DFR_EX_NODE_FROM "WORKDIR /app\nCOPY package.json yarn.lock /app/\n"
				  "RUN yarn install --frozen-lockfile \\\n && yarn cache clean\n" DFR_EX_TAIL,
	.check = check_yarn_cache_not_cleaned,
};

/* npm */

static const char *const npm_install_subs[] = { "install", "i", "add", "in", "ins", "inst", "insta", "instal",
						"isnt", "isnta", "isntal", "isntall", NULL };
static const char *const npm_fill[] = { "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt",
					"isnta", "isntal", "isntall", "ci", "clean-install", NULL };
static const char *const npm_mounts[] = { "*/.npm", NULL };

static bool npm_cache_path(const char *p)
{
	return ends_with(p, "/.npm") || strstr(p, "/.npm/") || ends_with(p, "/_cacache");
}

static bool npm_cleaned(const struct dfr_cmd *v, const struct hd_pm_call *pm)
{
	return is_pm_call(pm, HD_PM_BIT(HD_PM_NPM), "cache", "clean") || rm_matches(v, npm_cache_path);
}

static bool npm_no_cache(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const char *c = dfr_opt_value(pm->c, pm->args, 0, "cache", NULL);

	(void)x;
	/* --cache /tmp/... keeps it out of the home directory; the RUN usually removes it. */
	return c && hd_starts_with(c, "/tmp");
}

static const struct cache_rule npm_rule = {
	.mask = HD_PM_BIT(HD_PM_NPM),
	.fill = npm_fill,
	.flag_ok = npm_no_cache,
	.cleans = npm_cleaned,
	.mounts = npm_mounts,
	.fix = "end the same RUN with 'npm cache clean --force'",
};

static int npm_cache_run(const struct dfr_ctx *x)
{
	return cache_check_run(x, &npm_rule);
}

static int check_npm_cache_not_cleaned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, HD_PM_BIT(HD_PM_NPM), 0, npm_cache_run);
}

const struct hd_rule hd_rule_df_npm_cache_not_cleaned = {
	.id = "dockerfile/npm-cache-not-cleaned",
	.title = "npm cache left in the image",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.rationale = "npm install and npm ci keep a copy of every tarball in ~/.npm/_cacache; in the final "
		     "image it is dead weight next to node_modules. hadolint has no equivalent (its DL3060 "
		     "covers yarn only). Builder stages that do not end up in the image, a cache mount on "
		     "~/.npm and --cache under /tmp are exempt.",
	.remediation = "End the RUN with `npm cache clean --force`: `RUN npm ci --omit=dev && npm cache "
		       "clean --force`, or use `RUN --mount=type=cache,target=/root/.npm npm ci`.",
	.bad_example = DFR_EX_NODE_FROM "WORKDIR /app\nCOPY package.json package-lock.json /app/\n"
				 "RUN npm ci --omit=dev\n" DFR_EX_TAIL,
	.good_example = DFR_EX_NODE_FROM "WORKDIR /app\nCOPY package.json package-lock.json /app/\n"
				  "RUN npm ci --omit=dev \\\n && npm cache clean --force\n" DFR_EX_TAIL,
	.check = check_npm_cache_not_cleaned,
};

/* ---- apk, yum, dnf, zypper pins and prompts ---------------------------------- */

static int pin_apk(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (strcmp(pm->subcmd, "add") != 0)
		return 0;
	return judge_packages(x, pm, apk_pinned, "=<version>");
}

static int check_apk_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_APK), pin_apk);
}

const struct hd_rule hd_rule_df_apk_unpinned = {
	.id = "dockerfile/apk-unpinned",
	.title = "apk add without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3018",
	.rationale = "Without a pin the installed version depends on the day of the build, so builds are "
		     "not reproducible and an update arrives unreviewed. `pkg=1.2-r0`, the fuzzy `pkg~1.2` "
		     "and comparisons count as pins; the name given to --virtual/-t is not a package and "
		     "is not judged (hadolint used to report it); local .apk files are exempt.",
	.remediation = "Pin the version: `apk add --no-cache curl=8.9.1-r0`; find it with `apk policy curl`.",
	.bad_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.check = check_apk_unpinned,
};

/*
 * `module install NAME`: a module is pinned by its stream (NAME:STREAM), as
 * hadolint's DL3033/DL3041 read it.
 */
static int pin_rpm_module(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c;
	size_t i = pm->sub + 1;
	int r;

	while (i < c->argc && c->argv[i].text[0] == '-')
		i++;
	if (i >= c->argc || strcmp(c->argv[i].text, "install") != 0)
		return 0;
	for (i++; i < c->argc; i++) {
		const struct hd_word *w = &c->argv[i];

		if (w->text[0] == '-' || !w->text[0] || strchr(w->text, ':') || w->text[0] == '$' ||
		    w->text[0] == '@' || strchr(w->text, '/'))
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, w,
				    "%s module install '%.*s' without a stream: use %.*s:<stream>", hd_pm_name(pm),
				    DFR_W(w->text), DFR_W(w->text));
		if (r < 0)
			return r;
	}
	return 0;
}

/* `install` only: hadolint does not judge dnf's aliases (in, install-n, ...) either. */
static int pin_rpm(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (!strcmp(pm->subcmd, "module"))
		return pin_rpm_module(x, pm);
	if (strcmp(pm->subcmd, "install") != 0)
		return 0;
	return judge_packages(x, pm, rpm_pinned, "-<version>");
}

static int check_yum_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_YUM), pin_rpm);
}

static int check_dnf_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF), pin_rpm);
}

const struct hd_rule hd_rule_df_yum_unpinned = {
	.id = "dockerfile/yum-unpinned",
	.title = "yum install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3033",
	.rationale = "Without a pin the installed version depends on the day of the build. hadolint takes "
		     "any '-' in a name for a version, so `python3-devel` passes; here a pin is a '-' "
		     "followed by a version with a dot or an epoch (`httpd-2.4.6`, `nginx-1:1.20.1`) or by "
		     "a variable (`foo-$VERSION`). Groups (@x), provides, paths and .rpm files are exempt. "
		     "`yum install` is judged (not its aliases, as in hadolint), and `yum module install "
		     "NAME` needs a stream (NAME:STREAM).",
	.remediation = "Pin the version: `yum install -y httpd-2.4.6-99.el7`; list them with `yum --showduplicates "
		       "list httpd`.",
	.bad_example = DFR_EX_CENTOS_FROM "RUN yum install -y httpd \\\n && yum clean all\n" DFR_EX_TAIL,
	.good_example = DFR_EX_CENTOS_FROM "RUN yum install -y httpd-2.4.6 \\\n && yum clean all\n" DFR_EX_TAIL,
	.check = check_yum_unpinned,
};

const struct hd_rule hd_rule_df_dnf_unpinned = {
	.id = "dockerfile/dnf-unpinned",
	.title = "dnf/microdnf install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3041",
	.other = "kics:93d88cf7-f078-46a8-8ddc-178e03aeacf1",
	.rationale = "Without a pin the installed version depends on the day of the build. A pin is a '-' "
		     "followed by a version (`httpd-2.4.57`), a comparison, or a version from an ARG/ENV "
		     "variable (`httpd-$HTTPD_VERSION`, or a variable whose value holds pinned names); names "
		     "such as java-17-openjdk are not mistaken for pins (hadolint's DL3041 takes a "
		     "digit-led part after a '-' for a version). Groups, modules (@x), paths and .rpm files "
		     "are exempt. `install` is judged (not dnf's aliases such as `in`, as in hadolint), and "
		     "`module install NAME` needs a stream (NAME:STREAM).",
	.remediation = "Pin the version: `dnf install -y httpd-2.4.57`; list them with `dnf --showduplicates "
		       "list httpd`.",
	.bad_example = DFR_EX_UBI_FROM "RUN dnf install -y httpd \\\n && dnf clean all\n" DFR_EX_TAIL,
	.good_example = DFR_EX_UBI_FROM "RUN dnf install -y httpd-2.4.57 \\\n && dnf clean all\n" DFR_EX_TAIL,
	.check = check_dnf_unpinned,
};

/*
 * The installing commands, as hadolint's DL3030/DL3038 name them: an
 * argument install, groupinstall or localinstall (so `group install` and
 * `module install` too); dnf's aliases (in, up-min, ...) and the other
 * subcommands are not judged.
 */
static const char *const rpm_prompting[] = { "install", "groupinstall", "localinstall", NULL };

static int yes_rpm(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *src;
	struct dfr_cmd v;
	size_t i;

	if (pm->sub >= pm->c->argc || !has_word_in(pm->c, pm->sub, rpm_prompting) ||
	    dfr_has_opt(pm->c, pm->args, 'y', "assumeyes"))
		return 0;
	src = pipe_source(x, pm->c);
	if (src && dfr_cmd_init(&v, src) && DFR_IS(v.name, "yes"))
		return 0;
	for (i = pm->sub; i + 1 < pm->c->argc && !in_set(pm->c->argv[i].text, rpm_prompting); i++)
		;
	return dfr_report_word(x->out, x->r, x->df, x->in, &pm->c->argv[pm->sub],
			       "%s %s without -y: the build aborts at the confirmation prompt; use %s -y %s",
			       hd_pm_name(pm), pm->subcmd, hd_pm_name(pm), pm->c->argv[i].text);
}

static int check_yum_missing_yes(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_YUM), yes_rpm);
}

static int check_dnf_missing_yes(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF), yes_rpm);
}

const struct hd_rule hd_rule_df_yum_missing_yes = {
	.id = "dockerfile/yum-missing-yes",
	.title = "yum install without -y",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3030",
	.rationale = "A build has no terminal: yum asks 'Is this ok [y/N]', reads end of input and aborts "
		     "the build. As hadolint's DL3030 reads it: a yum command with an install, groupinstall "
		     "or localinstall argument (so `group install` too) needs -y or --assumeyes; a `yes |` "
		     "pipe is accepted as well. Other subcommands fail the build just as visibly and are "
		     "not judged.",
	.remediation = "Add -y: `yum install -y httpd-2.4.6 && yum clean all`.",
	.bad_example = DFR_EX_CENTOS_FROM "RUN yum install httpd-2.4.6 \\\n && yum clean all\n" DFR_EX_TAIL,
	.good_example = DFR_EX_CENTOS_FROM "RUN yum install -y httpd-2.4.6 \\\n && yum clean all\n" DFR_EX_TAIL,
	.check = check_yum_missing_yes,
};

const struct hd_rule hd_rule_df_dnf_missing_yes = {
	.id = "dockerfile/dnf-missing-yes",
	.title = "dnf install without -y",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3038",
	.rationale = "A build has no terminal: dnf asks 'Is this ok [y/N]', reads end of input and aborts "
		     "the build. As hadolint's DL3038 reads it: a dnf or microdnf command with an install, "
		     "groupinstall or localinstall argument (so `group install` and `module install` too) "
		     "needs -y or --assumeyes; a `yes |` pipe is accepted as well. dnf's aliases (in, "
		     "up-min, ...) and the other subcommands are not judged, as in hadolint: they fail the "
		     "build just as visibly.",
	.remediation = "Add -y: `dnf install -y httpd-2.4.57 && dnf clean all`.",
	.bad_example = DFR_EX_UBI_FROM "RUN dnf install httpd-2.4.57 \\\n && dnf clean all\n" DFR_EX_TAIL,
	.good_example = DFR_EX_UBI_FROM "RUN dnf install -y httpd-2.4.57 \\\n && dnf clean all\n" DFR_EX_TAIL,
	.check = check_dnf_missing_yes,
};

static int pin_zypper(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const char *type;

	if (strcmp(pm->subcmd, "install") != 0 && strcmp(pm->subcmd, "in") != 0)
		return 0;
	type = dfr_opt_value(pm->c, pm->sub + 1, 't', "type", NULL);
	if (type && strcmp(type, "package") != 0)
		return 0; /* patterns, patches and products have no versions to pin */
	return judge_packages(x, pm, zypper_pinned, "=<version>");
}

static int check_zypper_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_ZYPPER), pin_zypper);
}

const struct hd_rule hd_rule_df_zypper_unpinned = {
	.id = "dockerfile/zypper-unpinned",
	.title = "zypper install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3037",
	.rationale = "Without a pin the installed version depends on the day of the build. `pkg=1.2`, "
		     "comparisons (`'pkg>=1.2'`) and `pkg-1.2` count as pins; patterns and patches "
		     "(-t pattern, pattern:x) and .rpm files are exempt.",
	.remediation = "Pin the version: `zypper --non-interactive install curl=8.6.0`.",
	.bad_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive install curl \\\n && zypper clean --all\n"
			DFR_EX_TAIL,
	.good_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive install curl=8.6.0 \\\n"
				  " && zypper clean --all\n" DFR_EX_TAIL,
	.check = check_zypper_unpinned,
};

/* The subcommands hadolint's DL3034 judges (an argument among them). */
static const char *const zypper_prompting[] = { "install", "in", "remove", "rm", "source-install", "si", "patch",
						NULL };

static int yes_zypper(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c;

	if (pm->sub >= c->argc || !has_word_in(c, pm->sub, zypper_prompting))
		return 0;
	/* -n/--non-interactive (global) or -y/--no-confirm, anywhere on the line as hadolint reads it. */
	if (dfr_has_opt(c, pm->args, 'n', "non-interactive") || dfr_has_opt(c, pm->args, 'y', "no-confirm"))
		return 0;
	return dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[pm->sub],
			       "zypper %s without --non-interactive: the build aborts at the first prompt; "
			       "use zypper --non-interactive %s",
			       pm->subcmd, pm->subcmd);
}

static int check_zypper_missing_non_interactive(const struct hd_model *m, const struct hd_rule *r,
						struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_ZYPPER), yes_zypper);
}

const struct hd_rule hd_rule_df_zypper_missing_non_interactive = {
	.id = "dockerfile/zypper-missing-non-interactive",
	.title = "zypper without --non-interactive",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3034",
	.rationale = "A build has no terminal: zypper prompts to confirm changes, licences and keys, and "
		     "the build aborts. As hadolint's DL3034 reads it: install/in, remove/rm, "
		     "source-install/si and patch are judged, and -n/--non-interactive or -y/--no-confirm "
		     "anywhere on the command line answer for it (after the subcommand -n is zypper's "
		     "--name, which hadolint takes for the switch too; the global form before the "
		     "subcommand is the one that works).",
	.remediation = "Add the global switch: `zypper --non-interactive install curl=8.6.0`.",
	.bad_example = DFR_EX_SUSE_FROM "RUN zypper install curl=8.6.0 \\\n && zypper clean --all\n" DFR_EX_TAIL,
	.good_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive install curl=8.6.0 \\\n"
				  " && zypper clean --all\n" DFR_EX_TAIL,
	.check = check_zypper_missing_non_interactive,
};

static int dup_zypper(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (strcmp(pm->subcmd, "dist-upgrade") != 0 && strcmp(pm->subcmd, "dup") != 0)
		return 0;
	return dfr_report_word(x->out, x->r, x->df, x->in, &pm->c->argv[pm->sub],
			       "zypper %s in an image build: use a newer base image or 'zypper patch' "
			       "for security fixes",
			       pm->subcmd);
}

static int check_zypper_dist_upgrade(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_ZYPPER), dup_zypper);
}

const struct hd_rule hd_rule_df_zypper_dist_upgrade = {
	.id = "dockerfile/zypper-dist-upgrade",
	.title = "zypper dist-upgrade in a build",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D02",
	.hadolint = "DL3035",
	.rationale = "dist-upgrade may move the image to packages of another distribution release, vendor "
		     "changes included, so the image no longer matches its base and the result depends on "
		     "the day of the build. Security fixes come from rebuilding on a patched base image, "
		     "or from `zypper patch`, which only applies released patches.",
	.remediation = "Rebuild on a newer base image (`FROM opensuse/leap:15.6`), or apply patches only: "
		       "`zypper --non-interactive patch`.",
	.bad_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive dist-upgrade \\\n && zypper clean --all\n"
			DFR_EX_TAIL,
	.good_example = DFR_EX_SUSE_FROM "RUN zypper --non-interactive patch \\\n && zypper clean --all\n" DFR_EX_TAIL,
	.check = check_zypper_dist_upgrade,
};

/* ---- pip, npm, gem, go -------------------------------------------------------- */

static int pin_pip(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (pm->action != HD_PMA_INSTALL)
		return 0;
	/* A constraints file pins what it names (as hadolint has it). */
	if (dfr_has_opt(pm->c, pm->args, 'c', "constraint"))
		return 0;
	return judge_packages(x, pm, pip_pinned, "==<version>");
}

static int check_pip_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_PIP) | HD_PM_BIT(HD_PM_PIPX), pin_pip);
}

const struct hd_rule hd_rule_df_pip_unpinned = {
	.id = "dockerfile/pip-unpinned",
	.title = "pip install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3013",
	.other = "kics:02d9c71f-3ee8-4986-9c27-1a20d0d19bfc",
	.rationale = "PyPI packages change under the same name daily, and a typo-squatted or hijacked "
		     "release installs whatever its setup code does. Any PEP 440 specifier or direct "
		     "reference counts as a pin, as do requirement files (-r), local paths, wheels and "
		     "archive URLs; a VCS requirement needs a ref (`git+https://host/org/repo@v1.2`); a "
		     "constraints file (-c) pins what it names, so the command is not judged (as in "
		     "hadolint). Covers pip, pip3, `python -m pip` and pipx (install, inject), seen "
		     "through wrappers and in exec-form RUN. Unlike hadolint, packages named next to -r "
		     "are still judged. `==` with --require-hashes in a requirements file is the strong "
		     "form.",
	.remediation = "Pin the version: `pip install --no-cache-dir requests==2.32.3`, or install from a "
		       "hashed lock file: `pip install --no-cache-dir --require-hashes -r requirements.txt`.",
	.bad_example = DFR_EX_PY_FROM "RUN pip install --no-cache-dir requests\n" DFR_EX_TAIL,
	.good_example = DFR_EX_PY_FROM "RUN pip install --no-cache-dir requests==2.32.3\n" DFR_EX_TAIL,
	.check = check_pip_unpinned,
};

/*
 * npm's `install` is hadolint's DL3016 (dockerfile/npm-unpinned); its
 * aliases (i, add, ...), yarn and pnpm are dockerfile/js-package-unpinned,
 * judged the same way.
 */
static bool node_adds(const struct hd_pm_call *pm, bool dl3016)
{
	size_t from = pm->sub + 1;

	switch (pm->pm) {
	case HD_PM_NPM:
		if (!strcmp(pm->subcmd, "install"))
			return dl3016;
		return !dl3016 && pm->subcmd[0] && in_set(pm->subcmd, npm_install_subs);
	case HD_PM_YARN:
		if (dl3016)
			return false;
		return !strcmp(pm->subcmd, "add") ||
		       (!strcmp(pm->subcmd, "global") && from < pm->c->argc && !strcmp(pm->c->argv[from].text, "add"));
	case HD_PM_PNPM:
		return !dl3016 && (!strcmp(pm->subcmd, "add") || !strcmp(pm->subcmd, "install") ||
				   !strcmp(pm->subcmd, "i"));
	default:
		return false;
	}
}

static int pin_npm_install(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	return node_adds(pm, true) ? judge_packages(x, pm, npm_pinned, "@<version>") : 0;
}

static int pin_node_other(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	return node_adds(pm, false) ? judge_packages(x, pm, npm_pinned, "@<version>") : 0;
}

static int check_npm_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_NPM), pin_npm_install);
}

static int check_js_package_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_NPM) | HD_PM_BIT(HD_PM_YARN) | HD_PM_BIT(HD_PM_PNPM),
			   pin_node_other);
}

const struct hd_rule hd_rule_df_js_package_unpinned = {
	.id = "dockerfile/js-package-unpinned",
	.title = "yarn/pnpm (or an npm alias) adds a package without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.rationale = "The same risk as dockerfile/npm-unpinned for the commands hadolint's DL3016 does not "
		     "look at: `npm i`, `npm add` and npm's other install aliases, `yarn add`, `yarn global "
		     "add` and `pnpm add`/`pnpm install NAME`. A package added by name gets whatever the "
		     "registry tags latest at build time, with install scripts that run as the build user. "
		     "Judged as npm-unpinned judges: local paths and tarballs are exempt, a git URL needs a "
		     "`#ref`, arguments after `--` are not packages, and @latest/@next are not pins. Kept "
		     "apart from npm-unpinned so that rule means exactly what hadolint's DL3016 means.",
	.remediation = "Pin the version: `yarn add typescript@5.5.3`, `pnpm add typescript@5.5.3`, or add it "
		       "to package.json and install from the lock file (`yarn install --frozen-lockfile`, "
		       "`pnpm install --frozen-lockfile`).",
	.bad_example = DFR_EX_NODE_FROM "RUN yarn global add typescript \\\n && yarn cache clean\n" DFR_EX_TAIL,
	.good_example = DFR_EX_NODE_FROM "RUN yarn global add typescript@5.5.3 \\\n && yarn cache clean\n" DFR_EX_TAIL,
	.check = check_js_package_unpinned,
};

const struct hd_rule hd_rule_df_npm_unpinned = {
	.id = "dockerfile/npm-unpinned",
	.title = "npm install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3016",
	.rationale = "A package added by name gets whatever the registry tags latest at build time, with "
		     "install scripts that run as the build user. As in hadolint's DL3016, `npm install` "
		     "without names installs the lock file and is fine, local paths (/, ./, ../, ~/) and "
		     "tarballs (.tgz, .tar.gz, .tar) are exempt, and a git URL (git://, git+https://, "
		     "git+ssh://) counts as pinned only with a `#commit`, `#tag` or `#semver:` ref; "
		     "arguments after `--` go to the package's scripts and are not packages. The moving "
		     "dist-tags @latest and @next are not taken for pins (hadolint accepts any @: a "
		     "dist-tag is no version). npm's aliases (i, add), yarn and pnpm are "
		     "dockerfile/js-package-unpinned.",
	.remediation = "Pin the version: `npm install -g typescript@5.5.3`, or add it to package.json "
		       "and install from the lock file with `npm ci`.",
	.bad_example = DFR_EX_NODE_FROM "RUN npm install -g typescript \\\n && npm cache clean --force\n" DFR_EX_TAIL,
	.good_example = DFR_EX_NODE_FROM "RUN npm install -g typescript@5.5.3 \\\n && npm cache clean --force\n"
			DFR_EX_TAIL,
	.check = check_npm_unpinned,
};

static int pin_gem(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (strcmp(pm->subcmd, "install") != 0 && strcmp(pm->subcmd, "i") != 0)
		return 0;
	if (dfr_has_opt(pm->c, pm->sub + 1, 'v', "version") || dfr_has_opt(pm->c, pm->sub + 1, 'g', "file"))
		return 0;
	return judge_packages(x, pm, gem_pinned, ":<version>");
}

static int check_gem_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_GEM), pin_gem);
}

const struct hd_rule hd_rule_df_gem_unpinned = {
	.id = "dockerfile/gem-unpinned",
	.title = "gem install without a version pin",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3028",
	.other = "kics:22cd11f7-9c6c-4f6e-84c0-02058120b341",
	.rationale = "Without a version, gem installs the newest release at build time, with native "
		     "extensions built from whatever it contains. -v/--version, `name:version`, a Gemfile "
		     "(-g) and local .gem files count as pinned; build flags after `--` (`gem install "
		     "nokogiri:1.16 -- --use-system-libraries`) are not gems, nor are the values true and "
		     "false. Unlike hadolint, an option without a value (`--no-document`) does not hide "
		     "the gem after it.",
	.remediation = "Pin the version: `gem install bundler -v 2.5.16` or `gem install bundler:2.5.16`.",
	.bad_example = DFR_EX_RUBY_FROM "RUN gem install --no-document bundler\n" DFR_EX_TAIL,
	.good_example = DFR_EX_RUBY_FROM "RUN gem install --no-document bundler:2.5.16\n" DFR_EX_TAIL,
	.check = check_gem_unpinned,
};

static int pin_go(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	if (pm->action != HD_PMA_INSTALL) /* go install, go get, go run */
		return 0;
	return judge_packages(x, pm, go_pinned, "@<version>");
}

static int check_go_install_unpinned(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, HD_PM_BIT(HD_PM_GO), pin_go);
}

const struct hd_rule hd_rule_df_go_install_unpinned = {
	.id = "dockerfile/go-install-unpinned",
	.title = "go install without a version",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3062",
	.rationale = "`go install module/cmd` without @version builds whatever the module's default "
		     "branch or go.mod resolves to today. As in hadolint, `go install`, `go get` and "
		     "`go run` (its package only, not the program's arguments) are judged, and @latest "
		     "and @none are not versions. Local packages (./cmd/x, /go/src/app), std, cmd/... "
		     "the `tool` meta-package and .go source files (`go run main.go`, which hadolint "
		     "reports) are exempt; any other name without @version is judged, as hadolint "
		     "judges it, domain or not.",
	.remediation = "Give a version: `go install golang.org/x/tools/gopls@v0.16.1`.",
	.bad_example = DFR_EX_GO_FROM "RUN go install golang.org/x/tools/gopls@latest\n"
			      "FROM gcr.io/distroless/static-debian12:nonroot@sha256:"
			      "0a0b0c0d0e0f000102030405060708090a0b0c0d0e0f00010203040506070809\n"
			      "COPY --from=build /go/bin/gopls /usr/local/bin/app\n" DFR_EX_TAIL,
	.good_example = DFR_EX_GO_FROM "RUN go install golang.org/x/tools/gopls@v0.16.1\n"
			       "FROM gcr.io/distroless/static-debian12:nonroot@sha256:"
			       "0a0b0c0d0e0f000102030405060708090a0b0c0d0e0f00010203040506070809\n"
			       "COPY --from=build /go/bin/gopls /usr/local/bin/app\n" DFR_EX_TAIL,
	.check = check_go_install_unpinned,
};

/* ---- apt-get update alone --------------------------------------------------- */

/* The families of managers that share a package index. */
#define PM_UPD_APT (PM_APT | HD_PM_BIT(HD_PM_APTITUDE))
#define PM_UPD_APK HD_PM_BIT(HD_PM_APK)
#define PM_UPD_RPM PM_RPM
#define PM_UPD_ZYPPER HD_PM_BIT(HD_PM_ZYPPER)
#define PM_UPD_ALL (PM_UPD_APT | PM_UPD_APK | PM_UPD_RPM | PM_UPD_ZYPPER)

static const unsigned update_families[] = { PM_UPD_APT, PM_UPD_APK, PM_UPD_RPM, PM_UPD_ZYPPER };
#define N_UPDATE_FAMILIES HD_ARRAY_SIZE(update_families)

/* The index in update_families of pm's family, or N_UPDATE_FAMILIES. */
static size_t update_family(enum hd_pm pm)
{
	size_t i;

	for (i = 0; i < N_UPDATE_FAMILIES; i++) {
		if (update_families[i] & HD_PM_BIT(pm))
			break;
	}
	return i;
}

/* Subcommands that install from the index besides install and upgrade actions. */
static const char *const also_installing[] = { "build-dep", "satisfy", "reinstall", "source", "fix",
					       "groupinstall", "localinstall", "downgrade", "group", "module",
					       "source-install", "si", "install-new-recommends", "inr", NULL };

/* What the package index refresh is called in the advice. */
static const char *install_advice(enum hd_pm pm)
{
	switch (pm) {
	case HD_PM_APK:
		return "apk add";
	case HD_PM_ZYPPER:
		return "zypper --non-interactive install";
	case HD_PM_YUM:
	case HD_PM_DNF:
	case HD_PM_MICRODNF:
		return "install -y";
	default:
		return "apt-get install";
	}
}

/*
 * Index refreshes (apt-get/apt update, apk update, dnf/yum/microdnf
 * makecache, zypper refresh) with no install or upgrade of the same family
 * after them in the RUN.
 */
static int update_alone_run(const struct dfr_ctx *x)
{
	const struct hd_instr *in = x->in;
	const struct hd_pm_call *pending[N_UPDATE_FAMILIES] = { NULL }, *up = NULL;
	size_t k, f;

	for (k = 0; k < in->n_pms; k++) {
		const struct hd_pm_call *pm = &in->pms[k];

		f = update_family(pm->pm);
		if (f == N_UPDATE_FAMILIES)
			continue;
		if (pm->action == HD_PMA_REFRESH) {
			if (!pending[f])
				pending[f] = pm;
		} else if (pm->action == HD_PMA_INSTALL || pm->action == HD_PMA_UPGRADE ||
			   in_set(pm->subcmd, also_installing)) {
			pending[f] = NULL;
		}
	}
	for (f = 0; f < N_UPDATE_FAMILIES; f++) {
		if (pending[f] && (!up || pending[f]->cmd < up->cmd))
			up = pending[f];
	}
	if (!up)
		return 0;
	if (up->pm == HD_PM_YUM || up->pm == HD_PM_DNF || up->pm == HD_PM_MICRODNF)
		return dfr_report_word(x->out, x->r, x->df, in, &up->c->argv[up->sub],
				       "'%s %s' without an install in the same RUN: the cached layer keeps "
				       "stale metadata; run '%s %s && %s %s ...' in one RUN, or drop it",
				       hd_pm_name(up), up->subcmd, hd_pm_name(up), up->subcmd, hd_pm_name(up),
				       install_advice(up->pm));
	return dfr_report_word(x->out, x->r, x->df, in, &up->c->argv[up->sub],
			       "'%s %s' without an install in the same RUN: the cached layer keeps stale "
			       "package lists; run '%s %s && %s ...' in one RUN",
			       hd_pm_name(up), up->subcmd, hd_pm_name(up), up->subcmd, install_advice(up->pm));
}

static int check_apt_get_update_alone(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, PM_UPD_ALL, 0, update_alone_run);
}

const struct hd_rule hd_rule_df_apt_get_update_alone = {
	.id = "dockerfile/apt-get-update-alone",
	.title = "Package index update without an install in the same RUN",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.7",
	.owasp = "D02",
	.other = "checkov:CKV_DOCKER_5 trivy:DS017 dockle:CIS-DI-0007",
	.rationale = "The build cache keys a RUN on its text: a lone `RUN apt-get update` layer is reused "
		     "for months, and a later `RUN apt-get install` installs from those stale lists, "
		     "missing security updates or failing when the old versions are gone (CIS 4.7). The "
		     "update must sit in the same RUN as the install. Covers every package index refresh: "
		     "`apt-get update`, `apt update`, `aptitude update`, `apk update`, `dnf`/`yum`/"
		     "`microdnf makecache` and `zypper refresh`, seen through wrappers such as sudo, "
		     "eatmydata and the cross-compilation helpers (`xx-apt-get update`). hadolint has no "
		     "such rule.",
	.remediation = "Update and install in one RUN: `RUN apt-get update && apt-get install -y "
		       "--no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*`.",
	.bad_example = DFR_EX_DEBIAN_FROM_AS_BUILD
		       "RUN apt-get update\n"
		       "WORKDIR /src\n"
		       "RUN apt-get install -y --no-install-recommends gcc=4:12.2.0-3\n"
		       DFR_EX_DEBIAN_FROM "COPY --from=build /usr/bin/gcc /usr/local/bin/app\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_apt_get_update_alone,
};

/* ---- DEBIAN_FRONTEND ----------------------------------------------------------- */

static int check_debian_frontend_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_instr(df, i);

		if (in->kind != HD_I_ENV || !dfr_stage_ships(df, in->stage))
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];

			if (strcmp(kv->key, "DEBIAN_FRONTEND") != 0)
				continue;
			ret = dfr_report(out, r, df, kv->span,
					 "ENV DEBIAN_FRONTEND=%.*s stays set in every container of the image: use "
					 "ARG DEBIAN_FRONTEND=noninteractive, or prefix the apt-get command",
					 DFR_W(kv->value ? kv->value : ""));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_debian_frontend_env = {
	.id = "dockerfile/debian-frontend-env",
	.title = "DEBIAN_FRONTEND set with ENV",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.rationale = "DEBIAN_FRONTEND=noninteractive is only needed while packages are installed. Set with "
		     "ENV it persists into every container of the image and silently changes how apt and "
		     "debconf behave for whoever runs `docker exec` into it. ARG (build time only) or a "
		     "`DEBIAN_FRONTEND=noninteractive apt-get ...` prefix keep it to the build. Stages "
		     "that do not end up in the image are not judged. hadolint has no such rule.",
	.remediation = "Use `ARG DEBIAN_FRONTEND=noninteractive` in the stage, or `RUN "
		       "DEBIAN_FRONTEND=noninteractive apt-get install -y ...`.",
	.bad_example = DFR_EX_DEBIAN_FROM "ENV DEBIAN_FRONTEND=noninteractive\n"
				   "RUN apt-get update \\\n"
				   " && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 \\\n"
				   " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "ARG DEBIAN_FRONTEND=noninteractive\n"
				    "RUN apt-get update \\\n"
				    " && apt-get install -y --no-install-recommends tzdata=2024a-0+deb12u1 \\\n"
				    " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_debian_frontend_env,
};

/* ---- signature checks off --------------------------------------------------- */

static int verify_pm(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	const struct hd_cmd *c = pm->c;
	size_t i;

	for (i = pm->args; i < c->argc; i++) {
		const struct hd_word *w = &c->argv[i];
		const char *a = w->text, *what = NULL;

		if (a[0] != '-')
			goto value;
		switch (pm->pm) {
		case HD_PM_APT_GET:
		case HD_PM_APT:
			if (!strcmp(a, "--allow-unauthenticated") || !strcmp(a, "--allow-insecure-repositories") ||
			    !strcmp(a, "--force-yes"))
				what = a;
			break;
		case HD_PM_APK:
			if (!strcmp(a, "--allow-untrusted"))
				what = a;
			break;
		case HD_PM_YUM:
		case HD_PM_DNF:
		case HD_PM_MICRODNF:
			if (!strcmp(a, "--nogpgcheck") || !strcmp(a, "--no-gpgchecks"))
				what = a;
			else if (hd_starts_with(a, "--setopt=") &&
				 (dfr_setting_off(a, "gpgcheck") || dfr_setting_off(a, "repo_gpgcheck")))
				what = a;
			break;
		case HD_PM_ZYPPER:
			if (!strcmp(a, "--no-gpg-checks") || !strcmp(a, "--no-gpg-check"))
				what = a;
			break;
		default:
			break;
		}
		goto report;
value:
		/* apt-get -o APT::Get::AllowUnauthenticated=true, -o Acquire::AllowInsecureRepositories=1 */
		if ((pm->pm == HD_PM_APT_GET || pm->pm == HD_PM_APT) && i > pm->args &&
		    !strcmp(c->argv[i - 1].text, "-o") &&
		    (hd_strcasestr(a, "AllowUnauthenticated=") || hd_strcasestr(a, "AllowInsecureRepositories=") ||
		     hd_strcasestr(a, "AllowDowngradeToInsecureRepositories=")) &&
		    (hd_strcasestr(a, "=true") || strstr(a, "=1") || hd_strcasestr(a, "=yes")))
			what = a;
report:
		if (what) {
			int r = dfr_report_word(x->out, x->r, x->df, x->in, w,
						"%s %.*s installs packages whose signatures are not checked: "
						"import the repository key instead",
						hd_pm_name(pm), DFR_W(what));
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* rpm --nosignature/--nodigest and `[trusted=yes]` written to an apt source. */
static int verify_other(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k, i, cur = 0;
	int r;

	if (!x->in->n_pms && !dfr_calls(x->in, HD_TOOL_BIT(HD_TOOL_RPM) | HD_TOOL_BIT(HD_TOOL_ECHO)))
		return 0;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		const struct hd_pm_call *pm;
		struct dfr_cmd v;

		if (!dfr_cmd_init(&v, c))
			continue;
		if ((pm = dfr_pm_at(x->in, k, &cur))) {
			r = verify_pm(x, pm);
			if (r < 0)
				return r;
			continue;
		}
		if (DFR_IS(v.name, "rpm")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				const char *a = c->argv[i].text;

				if (strcmp(a, "--nosignature") != 0 && strcmp(a, "--nodigest") != 0 &&
				    strcmp(a, "--nofiledigest") != 0)
					continue;
				r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[i],
						    "rpm %s installs packages whose signatures are not checked: "
						    "import the key with 'rpm --import' instead",
						    a);
				if (r < 0)
					return r;
			}
		} else if (DFR_IS(v.name, "echo") || DFR_IS(v.name, "printf")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				const char *a = c->argv[i].text;

				/* A local repository (file:, copy:) built in the build is not fetched over a network. */
				if (!strstr(a, "trusted=yes") || !strstr(a, "deb ") || strstr(a, "file:") ||
				    strstr(a, "copy:"))
					continue;
				r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[i],
						    "an apt source with [trusted=yes] installs unsigned packages: "
						    "add the repository key with signed-by= instead");
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

static int check_package_verification_disabled(const struct hd_model *m, const struct hd_rule *r,
					       struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, ~0u, DFR_TOOL(RPM) | DFR_TOOL(ECHO), verify_other);
}

const struct hd_rule hd_rule_df_package_verification_disabled = {
	.id = "dockerfile/package-verification-disabled",
	.title = "Package signature verification disabled",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.11",
	.owasp = "D08",
	.other = "checkov:CKV2_DOCKER_7 checkov:CKV2_DOCKER_8 checkov:CKV2_DOCKER_9 checkov:CKV2_DOCKER_10 "
		 "checkov:CKV2_DOCKER_11",
	.rationale = "Package signatures are what ties a package to its distribution: with them off "
		     "(apt-get --allow-unauthenticated, --force-yes, [trusted=yes] network sources, apk "
		     "--allow-untrusted, dnf/yum --nogpgcheck or gpgcheck=0, zypper --no-gpg-checks, rpm "
		     "--nosignature), a mirror, proxy or network attacker can install anything (CIS 4.11). "
		     "A [trusted=yes] source on a local file: repository built in the same build (as the "
		     "official nginx and postgres images do) is not reported.",
	.remediation = "Import the repository's key and keep verification on: `curl -fsSLo "
		       "/usr/share/keyrings/vendor.gpg https://vendor.example/key.gpg` and `deb "
		       "[signed-by=/usr/share/keyrings/vendor.gpg] https://vendor.example/apt stable main`.",
	.bad_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache --allow-untrusted curl=8.9.1-r0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.check = check_package_verification_disabled,
};

/* ---- SSH server installed ------------------------------------------------------- */

/* The package name of an install argument: "openssh-server=1:9.2" -> 9 bytes of "openssh-server". */
static size_t pkg_name_len(const struct hd_pm_call *pm, const char *s)
{
	const char *v;

	if (pm->pm == HD_PM_YUM || pm->pm == HD_PM_DNF || pm->pm == HD_PM_MICRODNF || pm->pm == HD_PM_ZYPPER) {
		v = rpm_version_at(s);
		if (v)
			return (size_t)(v - s);
	}
	return strcspn(s, "=<>~");
}

static bool is_ssh_server(const struct hd_pm_call *pm, const char *s)
{
	static const char *const servers[] = { "openssh-server", "openssh-server-pam", "dropbear", "dropbear-run",
					       "tinysshd", "tinyssh", NULL };
	size_t n = pkg_name_len(pm, s);
	const char *const *p;

	for (p = servers; *p; p++) {
		if (strlen(*p) == n && !memcmp(*p, s, n))
			return true;
	}
	/* Alpine's openssh and Debian's ssh are meta-packages that include the server. */
	if (pm->pm == HD_PM_APK && n == 7 && !memcmp(s, "openssh", 7))
		return true;
	return (pm->pm == HD_PM_APT_GET || pm->pm == HD_PM_APT) && n == 3 && !memcmp(s, "ssh", 3);
}

static int ssh_pm(const struct dfr_ctx *x, const struct hd_pm_call *pm)
{
	struct hd_operands it;
	const struct hd_word *w;
	int r;

	if (pm->pm == HD_PM_APK ? strcmp(pm->subcmd, "add") != 0
				 : (strcmp(pm->subcmd, "install") != 0 && strcmp(pm->subcmd, "in") != 0))
		return 0;
	hd_operands_init(&it, pm->c, pm->sub + 1, pm->opts);
	while ((w = hd_operands_next(&it, NULL))) {
		if (!is_ssh_server(pm, w->text))
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, w,
				    "%s installs the SSH server '%.*s': containers are entered with 'docker "
				    "exec', not sshd",
				    hd_pm_name(pm), DFR_W(w->text));
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_ssh_server_installed(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_pm(m, r, out, PM_APT | PM_RPM | HD_PM_BIT(HD_PM_APK) | HD_PM_BIT(HD_PM_ZYPPER), ssh_pm);
}

const struct hd_rule hd_rule_df_ssh_server_installed = {
	.id = "dockerfile/ssh-server-installed",
	.title = "SSH server installed in the image",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "5.7",
	.owasp = "D04",
	.rationale = "An SSH daemon in a container is one more network service with its own keys, "
		     "passwords and CVEs, outside the engine's access control and audit (CIS 5.7). `docker "
		     "exec` (or `kubectl exec`) gives the same access through the daemon's authorization. "
		     "Detects openssh-server, dropbear and tinysshd, Alpine's openssh and Debian's ssh "
		     "meta-packages, through apt-get, apt, apk, yum, dnf, microdnf and zypper.",
	.remediation = "Drop the SSH server and use `docker exec -it <container> sh` for access; install "
		       "only the client (openssh-client) if the build needs it.",
	.bad_example = DFR_EX_DEBIAN_FROM
		       "RUN apt-get update \\\n"
		       " && apt-get install -y --no-install-recommends openssh-server=1:9.2p1-2+deb12u3 \\\n"
		       " && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM
			"RUN apt-get update \\\n"
			" && apt-get install -y --no-install-recommends openssh-client=1:9.2p1-2+deb12u3 \\\n"
			" && rm -rf /var/lib/apt/lists/*\n" DFR_EX_TAIL,
	.check = check_ssh_server_installed,
};
