/*
 * The derived facts of RUN commands (see dockerfile_pm.h): package manager
 * calls recognised once per command, with the subcommand normalised to an
 * action and the package operands of installs listed, and the mask of tools
 * a RUN calls.  Each manager has one table entry: its names, the options
 * that take a value, and its subcommands with what they do (aliases such as
 * dnf's `in`, `up-min` and zypper's `ref` included).
 */
#include "core/common.h"
#include "core/arena.h"
#include "model/dockerfile.h"
#include "model/dockerfile_pm.h"
#include "model/wrappers.h"

/* ---- options and operands ------------------------------------------------- */

static bool in_list(const char *const *l, const char *s, size_t n)
{
	for (; l && *l; l++) {
		if (strncmp(*l, s, n) == 0 && (*l)[n] == '\0')
			return true;
	}
	return false;
}

size_t hd_opt_words(const char *a, const struct hd_optspec *o)
{
	const char *name;

	if (!o)
		return 1;
	if (a[1] == '-' || (o->single_dash_long && a[1] && a[2])) {
		name = a + (a[1] == '-' ? 2 : 1);
		if (strchr(name, '='))
			return 1;
		if (in_list(o->long_val, name, strlen(name)))
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

void hd_operands_init(struct hd_operands *it, const struct hd_cmd *c, size_t from, const struct hd_optspec *o)
{
	it->c = c;
	it->o = o;
	it->i = from;
	it->dashdash = false;
}

const struct hd_word *hd_operands_next(struct hd_operands *it, size_t *idx)
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
			it->i += hd_opt_words(a, it->o);
			continue;
		}
		if (idx)
			*idx = it->i;
		it->i++;
		return w;
	}
	return NULL;
}

/* ---- the managers ----------------------------------------------------------- */

#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct hd_optspec apt_opts = {
	"octaPF", OPTS("option", "config-file", "target-release", "default-release", "host-architecture",
		       "build-profiles"), false
};
static const struct hd_optspec apk_opts = {
	"Xpt", OPTS("repository", "root", "virtual", "arch", "cache-dir", "keys-dir", "repositories-file", "wait",
		    "timeout", "cache-max-age"), false
};
static const struct hd_optspec rpm_opts = {
	"cdexR", OPTS("setopt", "enablerepo", "disablerepo", "repo", "repoid", "releasever", "installroot", "exclude",
		      "excludepkgs", "config", "forcearch", "color", "destdir", "downloaddir", "comment", "advisory",
		      "advisories", "bz", "bzs", "cve", "cves", "sec-severity", "secseverity", "repofrompath",
		      "debuglevel", "errorlevel", "rpmverbosity", "disableplugin", "enableplugin", "platform-id"),
	false
};
static const struct hd_optspec zypper_opts = {
	"rRcDCtp", OPTS("repo", "root", "config", "reposd-dir", "cache-dir", "raw-cache-dir", "solv-cache-dir",
			"pkg-cache-dir", "type", "from", "plus-repo", "plus-content", "userdata", "download"),
	false
};
static const struct hd_optspec pip_opts = {
	"rceitfCb", OPTS("requirement", "constraint", "editable", "target", "prefix", "root", "index-url",
			 "extra-index-url", "find-links", "trusted-host", "platform", "python-version",
			 "implementation", "abi", "src", "upgrade-strategy", "progress-bar", "cache-dir", "log", "proxy",
			 "retries", "timeout", "exists-action", "cert", "client-cert", "config-settings",
			 "global-option", "install-option", "only-binary", "no-binary", "report", "python",
			 "root-user-action", "use-feature", "use-deprecated", "keyring-provider", "build", "log-file"),
	false
};
static const struct hd_optspec pipx_opts = {
	NULL, OPTS("python", "pip-args", "index-url", "suffix", "spec", "preinstall", "backend", "editable"), false
};
static const struct hd_optspec npm_opts = {
	"wC", OPTS("prefix", "registry", "cache", "tag", "workspace", "omit", "include", "userconfig",
		   "globalconfig", "loglevel", "save-prefix", "install-strategy", "before", "otp", "scope"),
	false
};
static const struct hd_optspec yarn_opts = {
	NULL, OPTS("cwd", "cache-folder", "modules-folder", "network-timeout", "mutex", "registry", "global-folder",
		   "link-folder", "use-yarnrc"), false
};
static const struct hd_optspec pnpm_opts = {
	"CF", OPTS("dir", "filter", "store-dir", "registry", "reporter", "virtual-store-dir", "modules-dir"), false
};
static const struct hd_optspec gem_opts = {
	"vinspgP", OPTS("version", "install-dir", "bindir", "source", "http-proxy", "platform", "file", "build-root",
			"document", "trust-policy", "config-file", "target-rbconfig"), false
};
static const struct hd_optspec go_opts = {
	NULL, OPTS("ldflags", "gcflags", "asmflags", "gccgoflags", "tags", "mod", "modfile", "pkgdir", "toolexec",
		   "overlay", "installsuffix", "buildmode", "compiler", "p", "C", "coverpkg", "covermode", "pgo", "o",
		   "exec"), true
};
static const struct hd_optspec cargo_opts = {
	"jFZ", OPTS("version", "vers", "git", "branch", "tag", "rev", "path", "root", "index", "registry", "features",
		    "target", "target-dir", "profile", "jobs", "config", "color", "bin", "example"), false
};
static const struct hd_optspec composer_opts = { "d", OPTS("working-dir"), false };

struct sub_action {
	const char *sub;
	enum hd_pm_action action;
};

#define INST HD_PMA_INSTALL
#define REFR HD_PMA_REFRESH
#define UPGR HD_PMA_UPGRADE
#define REMV HD_PMA_REMOVE
#define CLEN HD_PMA_CLEAN

static const struct sub_action apt_subs[] = {
	{ "install", INST }, { "update", REFR }, { "upgrade", UPGR }, { "dist-upgrade", UPGR },
	{ "full-upgrade", UPGR }, { "safe-upgrade", UPGR }, { "remove", REMV }, { "purge", REMV },
	{ "autoremove", REMV }, { "autopurge", REMV }, { "clean", CLEN }, { "autoclean", CLEN },
	{ "distclean", CLEN }, { "dist-clean", CLEN }, { NULL, 0 },
};
static const struct sub_action apk_subs[] = {
	{ "add", INST }, { "update", REFR }, { "upgrade", UPGR }, { "del", REMV }, { NULL, 0 },
};
/* dnf (4 and 5), yum, microdnf and tdnf, with dnf's aliases. */
static const struct sub_action rpm_subs[] = {
	{ "install", INST }, { "in", INST }, { "install-n", INST }, { "install-na", INST },
	{ "install-nevra", INST }, { "makecache", REFR }, { "mc", REFR }, { "upgrade", UPGR }, { "update", UPGR },
	{ "up", UPGR }, { "upgrade-minimal", UPGR }, { "update-minimal", UPGR }, { "up-min", UPGR },
	{ "distro-sync", UPGR }, { "distrosync", UPGR }, { "distribution-synchronization", UPGR },
	{ "dsync", UPGR }, { "remove", REMV }, { "rm", REMV }, { "erase", REMV }, { "autoremove", REMV },
	{ "clean", CLEN }, { NULL, 0 },
};
static const struct sub_action zypper_subs[] = {
	{ "install", INST }, { "in", INST }, { "refresh", REFR }, { "ref", REFR }, { "update", UPGR },
	{ "up", UPGR }, { "dist-upgrade", UPGR }, { "dup", UPGR }, { "patch", UPGR }, { "remove", REMV },
	{ "rm", REMV }, { "clean", CLEN }, { "cc", CLEN }, { NULL, 0 },
};
static const struct sub_action pip_subs[] = {
	{ "install", INST }, { "uninstall", REMV }, { NULL, 0 },
};
static const struct sub_action pipx_subs[] = {
	{ "install", INST }, { "inject", INST }, { "uninstall", REMV }, { "upgrade", UPGR }, { NULL, 0 },
};
/* npm's install and its abbreviations and typo aliases. */
static const struct sub_action npm_subs[] = {
	{ "install", INST }, { "i", INST }, { "add", INST }, { "in", INST }, { "ins", INST }, { "inst", INST },
	{ "insta", INST }, { "instal", INST }, { "isnt", INST }, { "isnta", INST }, { "isntal", INST },
	{ "isntall", INST }, { "uninstall", REMV }, { "remove", REMV }, { "rm", REMV }, { "r", REMV },
	{ "un", REMV }, { "unlink", REMV }, { "update", UPGR }, { "up", UPGR }, { "upgrade", UPGR }, { NULL, 0 },
};
static const struct sub_action yarn_subs[] = {
	{ "add", INST }, { "remove", REMV }, { "upgrade", UPGR }, { "up", UPGR }, { NULL, 0 },
};
static const struct sub_action pnpm_subs[] = {
	{ "add", INST }, { "install", INST }, { "i", INST }, { "remove", REMV }, { "rm", REMV },
	{ "update", UPGR }, { "up", UPGR }, { NULL, 0 },
};
static const struct sub_action gem_subs[] = {
	{ "install", INST }, { "i", INST }, { "uninstall", REMV }, { "update", UPGR }, { NULL, 0 },
};
static const struct sub_action go_subs[] = {
	{ "install", INST }, { "get", INST }, { "run", INST }, { NULL, 0 },
};
static const struct sub_action cargo_subs[] = {
	{ "install", INST }, { "uninstall", REMV }, { NULL, 0 },
};
static const struct sub_action composer_subs[] = {
	{ "require", INST }, { "remove", REMV }, { "update", UPGR }, { "upgrade", UPGR }, { NULL, 0 },
};

#undef INST
#undef REFR
#undef UPGR
#undef REMV
#undef CLEN

struct pm_def {
	const char *name;               /* canonical name */
	const struct hd_optspec *opts;
	const struct sub_action *subs;
};

static const struct pm_def pm_defs[HD_PM_MAX] = {
	[HD_PM_NONE] = { "", NULL, NULL },
	[HD_PM_APT_GET] = { "apt-get", &apt_opts, apt_subs },
	[HD_PM_APT] = { "apt", &apt_opts, apt_subs },
	[HD_PM_APTITUDE] = { "aptitude", &apt_opts, apt_subs },
	[HD_PM_APK] = { "apk", &apk_opts, apk_subs },
	[HD_PM_YUM] = { "yum", &rpm_opts, rpm_subs },
	[HD_PM_DNF] = { "dnf", &rpm_opts, rpm_subs },
	[HD_PM_MICRODNF] = { "microdnf", &rpm_opts, rpm_subs },
	[HD_PM_ZYPPER] = { "zypper", &zypper_opts, zypper_subs },
	[HD_PM_PIP] = { "pip", &pip_opts, pip_subs },
	[HD_PM_PIPX] = { "pipx", &pipx_opts, pipx_subs },
	[HD_PM_NPM] = { "npm", &npm_opts, npm_subs },
	[HD_PM_YARN] = { "yarn", &yarn_opts, yarn_subs },
	[HD_PM_PNPM] = { "pnpm", &pnpm_opts, pnpm_subs },
	[HD_PM_GEM] = { "gem", &gem_opts, gem_subs },
	[HD_PM_GO] = { "go", &go_opts, go_subs },
	[HD_PM_CARGO] = { "cargo", &cargo_opts, cargo_subs },
	[HD_PM_COMPOSER] = { "composer", &composer_opts, composer_subs },
};

const char *hd_pm_kind_name(enum hd_pm pm)
{
	return (unsigned)pm < HD_PM_MAX ? pm_defs[pm].name : "";
}

/* name followed only by digits and dots: pip3, pip3.12, python3.11 */
static bool is_versioned(const char *n, const char *prefix, size_t plen)
{
	if (strncmp(n, prefix, plen) != 0)
		return false;
	for (n += plen; *n; n++) {
		if (!isdigit((unsigned char)*n) && *n != '.')
			return false;
	}
	return true;
}

/* strcmp(n, w) == 0 for a non-empty w, the first two bytes compared inline (most names differ there). */
static inline bool name_eq(const char *n, const char *w)
{
	return n[0] == w[0] && n[1] == w[1] && (!w[1] || !strcmp(n + 2, w + 2));
}

static enum hd_pm pm_of_name(const char *n)
{
	switch (n[0]) {
	case 'a':
		if (name_eq(n, "apt-get"))
			return HD_PM_APT_GET;
		if (name_eq(n, "apt"))
			return HD_PM_APT;
		if (name_eq(n, "apk"))
			return HD_PM_APK;
		if (name_eq(n, "aptitude"))
			return HD_PM_APTITUDE;
		break;
	case 'c':
		if (name_eq(n, "cargo"))
			return HD_PM_CARGO;
		if (name_eq(n, "composer") || name_eq(n, "composer.phar"))
			return HD_PM_COMPOSER;
		break;
	case 'd':
		if (name_eq(n, "dnf") || name_eq(n, "dnf5") || name_eq(n, "dnf-3"))
			return HD_PM_DNF;
		break;
	case 'g':
		if (name_eq(n, "gem"))
			return HD_PM_GEM;
		if (name_eq(n, "go"))
			return HD_PM_GO;
		break;
	case 'm':
		if (name_eq(n, "microdnf"))
			return HD_PM_MICRODNF;
		break;
	case 'n':
		if (name_eq(n, "npm"))
			return HD_PM_NPM;
		break;
	case 'p':
		if (is_versioned(n, "pip", 3))
			return HD_PM_PIP;
		if (name_eq(n, "pipx"))
			return HD_PM_PIPX;
		if (name_eq(n, "pnpm"))
			return HD_PM_PNPM;
		break;
	case 't':
		if (name_eq(n, "tdnf"))
			return HD_PM_DNF;
		break;
	case 'y':
		if (name_eq(n, "yum"))
			return HD_PM_YUM;
		if (name_eq(n, "yarn") || name_eq(n, "yarnpkg"))
			return HD_PM_YARN;
		break;
	case 'z':
		if (name_eq(n, "zypper"))
			return HD_PM_ZYPPER;
		break;
	default:
		break;
	}
	return HD_PM_NONE;
}

const char *hd_pm_name(const struct hd_pm_call *pm)
{
	const char *n;

	if (pm->name >= pm->c->argc)
		return pm_defs[pm->pm].name;
	n = hd_word_base(pm->c->argv[pm->name].text);
	if (pm->pm == HD_PM_DNF || (pm->pm == HD_PM_PIP && is_versioned(n, "pip", 3)))
		return n; /* dnf5, tdnf, pip3 */
	return pm_defs[pm->pm].name;
}

static enum hd_pm_action action_of(enum hd_pm pm, const char *sub)
{
	const struct sub_action *s;

	if (!sub[0])
		return HD_PMA_OTHER;
	for (s = pm_defs[pm].subs; s && s->sub; s++) {
		if (s->sub[0] == sub[0] && !strcmp(s->sub, sub))
			return s->action;
	}
	return HD_PMA_OTHER;
}

/* python [-I -u ...] -m pip ...: the argv index of pip's first argument, or 0 when not pip. */
static size_t python_m_pip(const struct hd_cmd *c)
{
	size_t i;

	for (i = c->a0 + 1; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (!strcmp(a, "-m"))
			return i + 1 < c->argc && is_versioned(c->argv[i + 1].text, "pip", 3) ? i + 2 : 0;
		if (!strncmp(a, "-m", 2))
			return is_versioned(a + 2, "pip", 3) ? i + 1 : 0;
		if (a[0] != '-' || a[1] == 'c' || a[1] == '-')
			return 0;
		if ((a[1] == 'W' || a[1] == 'X') && !a[2])
			i++;
	}
	return 0;
}

bool hd_pm_recognise(const struct hd_cmd *c, struct hd_pm_call *pm)
{
	struct hd_operands it;
	const struct hd_word *w;
	enum hd_pm k;
	size_t args, sub;

	if (c->a0 >= c->argc)
		return false;
	k = pm_of_name(c->name);
	args = c->a0 + 1;
	if (k == HD_PM_NONE) {
		if (c->name[0] != 'p' || !is_versioned(c->name, "python", 6) || !(args = python_m_pip(c)))
			return false;
		k = HD_PM_PIP;
	}
	memset(pm, 0, sizeof(*pm));
	pm->pm = k;
	pm->c = c;
	pm->name = c->a0;
	pm->args = args;
	pm->opts = pm_defs[k].opts;
	hd_operands_init(&it, c, args, pm->opts);
	w = hd_operands_next(&it, &sub);
	pm->sub = w ? sub : c->argc;
	pm->subcmd = w ? w->text : "";
	pm->action = action_of(k, pm->subcmd);
	return true;
}

/* ---- tools -------------------------------------------------------------- */

static bool is_interp(const char *n)
{
	/* sh bash dash zsh ash ksh mksh eval source . perl ruby node php python*, by first letter. */
	switch (n[0]) {
	case '.': return n[1] == '\0';
	case 'a': return name_eq(n, "ash");
	case 'b': return name_eq(n, "bash");
	case 'd': return name_eq(n, "dash");
	case 'e': return name_eq(n, "eval");
	case 'k': return name_eq(n, "ksh");
	case 'm': return name_eq(n, "mksh");
	case 'n': return name_eq(n, "node");
	case 'p': return is_versioned(n, "python", 6) || name_eq(n, "perl") || name_eq(n, "php");
	case 'r': return name_eq(n, "ruby");
	case 's': return name_eq(n, "sh") || name_eq(n, "source");
	case 'z': return name_eq(n, "zsh");
	default: return false;
	}
}

/* The tools bits of a command name. */
static uint64_t tools_of(const char *n)
{
#define T(x) HD_TOOL_BIT(HD_TOOL_##x)
	switch (n[0]) {
	case '.':
		return n[1] ? 0 : T(SHELL);
	case 'a':
		return name_eq(n, "adduser") ? T(USERMOD) : is_interp(n) ? T(SHELL) : 0;
	case 'b':
		return is_interp(n) ? T(SHELL) : 0;
	case 'c':
		if (name_eq(n, "curl"))
			return T(FETCH) | T(CURL);
		if (name_eq(n, "chmod"))
			return T(MODE);
		if (name_eq(n, "cd"))
			return T(CD);
		if (name_eq(n, "conda"))
			return T(CONDA);
		if (name_eq(n, "chpasswd"))
			return T(USERMOD);
		return 0;
	case 'd':
		if (name_eq(n, "declare"))
			return T(EXPORT);
		if (name_eq(n, "docker"))
			return T(DOCKER);
		return is_interp(n) ? T(SHELL) : 0;
	case 'e':
		if (name_eq(n, "echo"))
			return T(ECHO);
		if (name_eq(n, "export") || name_eq(n, "env"))
			return T(EXPORT);
		return is_interp(n) ? T(SHELL) : 0;
	case 'f':
		if (name_eq(n, "fetch"))
			return T(FETCH);
		if (name_eq(n, "find"))
			return T(RM);
		if (name_eq(n, "free"))
			return T(POINTLESS);
		return 0;
	case 'g':
		return name_eq(n, "git") ? T(GIT) : 0;
	case 'i':
		if (name_eq(n, "install"))
			return T(MODE);
		if (name_eq(n, "ifconfig"))
			return T(POINTLESS);
		return 0;
	case 'k':
		return name_eq(n, "kill") ? T(POINTLESS) : is_interp(n) ? T(SHELL) : 0;
	case 'l':
		return name_eq(n, "ln") ? T(LN) : 0;
	case 'm':
		if (name_eq(n, "mkdir"))
			return T(MODE);
		if (name_eq(n, "mount"))
			return T(POINTLESS);
		return is_interp(n) ? T(SHELL) : 0;
	case 'n':
		return is_interp(n) ? T(SHELL) : 0;
	case 'p':
		if (name_eq(n, "printf"))
			return T(ECHO);
		if (name_eq(n, "ps"))
			return T(POINTLESS);
		if (name_eq(n, "podman"))
			return T(DOCKER);
		if (name_eq(n, "passwd"))
			return T(USERMOD);
		return is_interp(n) ? T(SHELL) : 0;
	case 'r':
		if (name_eq(n, "rm"))
			return T(RM);
		if (name_eq(n, "rpm"))
			return T(RPM);
		return is_interp(n) ? T(SHELL) : 0;
	case 's':
		if (name_eq(n, "set"))
			return T(SET);
		if (name_eq(n, "service") || name_eq(n, "shutdown") || name_eq(n, "ssh"))
			return T(POINTLESS);
		return is_interp(n) ? T(SHELL) : 0;
	case 't':
		if (name_eq(n, "tar"))
			return T(TAR);
		if (name_eq(n, "top"))
			return T(POINTLESS);
		return 0;
	case 'u':
		if (name_eq(n, "useradd"))
			return T(USERADD) | T(USERMOD);
		if (name_eq(n, "usermod"))
			return T(USERMOD);
		return 0;
	case 'v':
		return name_eq(n, "vim") ? T(POINTLESS) : 0;
	case 'w':
		return name_eq(n, "wget") ? T(FETCH) | T(WGET) : 0;
	case 'z':
		return is_interp(n) ? T(SHELL) : 0;
	default:
		return 0;
	}
#undef T
}

/* The package operands of an install: after the subcommand (and `global add`, `global require`). */
static int list_pkgs(struct hd_pm_call *pm, struct hd_arena *a)
{
	const struct hd_cmd *c = pm->c;
	struct hd_operands it;
	size_t from = pm->sub + 1, idx, n = 0;
	bool skip_first;
	uint32_t *v;

	if (pm->pm == HD_PM_YARN || pm->pm == HD_PM_COMPOSER) {
		/* yarn global add x, composer global require x */
		if (!strcmp(pm->subcmd, "global") && from < c->argc &&
		    !strcmp(c->argv[from].text, pm->pm == HD_PM_YARN ? "add" : "require")) {
			pm->action = HD_PMA_INSTALL;
			from++;
		}
	}
	if (pm->action != HD_PMA_INSTALL || from >= c->argc)
		return 0;
	v = hd_arena_alloc(a, (c->argc - from) * sizeof(*v));
	if (!v)
		return -HD_ENOMEM;
	hd_operands_init(&it, c, from, pm->opts);
	/* pipx inject VENV PKG...: the first operand is the environment. */
	skip_first = pm->pm == HD_PM_PIPX && !strcmp(pm->subcmd, "inject");
	while (hd_operands_next(&it, &idx)) {
		/*
		 * After `--`, gem passes build flags to the extension and npm,
		 * yarn and pnpm pass arguments to the package's scripts: no
		 * packages there.
		 */
		if (it.dashdash && (pm->pm == HD_PM_GEM || pm->pm == HD_PM_NPM || pm->pm == HD_PM_YARN ||
				    pm->pm == HD_PM_PNPM || pm->pm == HD_PM_COMPOSER))
			break;
		if (c->argv[idx].text[0] == '-' && c->argv[idx].text[1])
			continue; /* an option after `--` is not a package */
		if (skip_first) {
			skip_first = false;
			continue;
		}
		v[n++] = (uint32_t)idx;
		if (pm->pm == HD_PM_GO && !strcmp(pm->subcmd, "run"))
			break; /* go run PKG args: the rest are the program's arguments */
	}
	pm->pkgs = v;
	pm->n_pkgs = n;
	return 0;
}

int hd_run_analyse(struct hd_instr *in, struct hd_arena *a)
{
	const struct hd_shell *sh = in->shell;
	struct hd_pm_call *pms = NULL;
	size_t k, n = 0, cap = 0;
	uint64_t tools = 0;
	uint32_t mask = 0;
	int r;

	if (!sh)
		return 0;
	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		struct hd_pm_call pm;

		if (c->n_assigns)
			tools |= HD_TOOL_BIT(HD_TOOL_ASSIGN);
		if (c->argc && c->a0 != 0) {
			/* A wrapper word first (or nothing run): sudo and env set variables too. */
			const char *w0 = hd_word_base(c->argv[0].text);

			if (name_eq(w0, "sudo") || name_eq(w0, "doas"))
				tools |= HD_TOOL_BIT(HD_TOOL_SUDO);
			if (name_eq(w0, "env") || name_eq(w0, "sudo"))
				tools |= HD_TOOL_BIT(HD_TOOL_EXPORT);
		}
		if (c->a0 >= c->argc)
			continue;
		tools |= tools_of(c->name);
		if (!hd_pm_recognise(c, &pm))
			continue;
		pm.cmd = k;
		r = list_pkgs(&pm, a);
		if (r < 0)
			return r;
		if (HD_ARENA_GROW(a, pms, cap, n + 1) < 0)
			return -HD_ENOMEM;
		pms[n++] = pm;
		mask |= HD_PM_BIT(pm.pm);
	}
	in->pms = pms;
	in->n_pms = n;
	in->pm_mask = mask;
	in->tools = tools;
	return 0;
}

int hd_dockerfile_index_runs(struct hd_dockerfile *df)
{
	size_t i, n = 0;

	df->runs = NULL;
	df->n_runs = 0;
	df->pm_mask = 0;
	df->tools = 0;
	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind == HD_I_ONBUILD)
			in = in->onbuild;
		if (in && in->kind == HD_I_RUN && in->shell)
			n++;
	}
	if (!n)
		return 0;
	df->runs = hd_arena_alloc(df->arena, n * sizeof(*df->runs));
	if (!df->runs)
		return -HD_ENOMEM;
	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind == HD_I_ONBUILD)
			in = in->onbuild;
		if (!in || in->kind != HD_I_RUN || !in->shell)
			continue;
		df->runs[df->n_runs++] = i;
		df->pm_mask |= in->pm_mask;
		df->tools |= in->tools;
	}
	return 0;
}
