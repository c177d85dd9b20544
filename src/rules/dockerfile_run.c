/*
 * Dockerfile rules on the commands RUN executes, other than package managers
 * (those are in dockerfile_pkg.c): remote scripts piped into a shell, TLS
 * verification turned off, world-writable and setuid modes, sudo, cd, tools
 * that make no sense in a build, pipes without pipefail, the shell replaced
 * with ln, wget/curl hygiene, useradd's lastlog, archives copied and then
 * extracted, consecutive RUNs, and RUN --security=insecure.
 *
 * Checks read the shell model of each RUN (model/shell.h) through the helpers
 * of df_util.h and report at the word to fix.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "model/wrappers.h"
#include "rules/df_util.h"
#include "rules/dockerfile_build.h"
#include "rules/secrets.h"

static bool in_set(const char *s, const char *const *set)
{
	for (; *set; set++) {
		if (!strcmp(s, *set))
			return true;
	}
	return false;
}

/* The first operand of the real command of v (options skipped), or NULL. */
static const struct hd_word *first_operand(const struct dfr_cmd *v, size_t *idx)
{
	struct hd_operands it;

	hd_operands_init(&it, v->c, v->a0 + 1, NULL);
	return hd_operands_next(&it, idx);
}

/* True when a later command of the RUN removes dir (rm -rf dir, or a parent of it). */
static bool removed_later(const struct hd_shell *sh, size_t k, const char *dir)
{
	size_t dl = strlen(dir);

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (k++; k < sh->n_cmds; k++) {
		struct dfr_cmd v;
		struct hd_operands it;
		const struct hd_word *w;

		if (!dfr_cmd_init(&v, &sh->cmds[k]) || !DFR_IS(v.name, "rm"))
			continue;
		hd_operands_init(&it, v.c, v.a0 + 1, NULL);
		while ((w = hd_operands_next(&it, NULL))) {
			size_t n = strlen(w->text);

			while (n > 1 && w->text[n - 1] == '/')
				n--;
			if (n <= dl && !strncmp(w->text, dir, n) && (n == dl || dir[n] == '/'))
				return true;
		}
	}
	return false;
}

/* ---- remote code run without verification ------------------------------------ */

static bool is_fetcher(const char *n)
{
	return DFR_IS(n, "curl") || DFR_IS(n, "wget") || DFR_IS(n, "fetch");
}

static bool is_shell_name(const char *n)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "busybox", NULL };

	return in_set(n, shells);
}

static bool is_interp_name(const char *n)
{
	static const char *const interps[] = { "perl", "ruby", "node", "php", NULL };

	if (!strncmp(n, "python", 6)) {
		for (n += 6; *n; n++) {
			if (!isdigit((unsigned char)*n) && *n != '.')
				return false;
		}
		return true;
	}
	return in_set(n, interps);
}

/* True when v runs a program read from its standard input: `sh`, `bash -s`, `python3 -`. */
static bool runs_stdin(const struct dfr_cmd *v)
{
	const struct hd_word *op;
	bool shell = is_shell_name(v->name);
	size_t idx;

	if (!shell && !is_interp_name(v->name))
		return false;
	if (!strcmp(v->name, "busybox")) {
		/* busybox sh: the applet is the first operand. */
		return v->a0 + 1 < v->c->argc && is_shell_name(v->c->argv[v->a0 + 1].text) &&
		       v->a0 + 2 == v->c->argc;
	}
	if (shell && dfr_has_opt(v->c, v->a0 + 1, 's', NULL))
		return true;
	if (dfr_has_opt(v->c, v->a0 + 1, 'c', NULL) || (!shell && (dfr_has_opt(v->c, v->a0 + 1, 'e', NULL) ||
								    dfr_has_opt(v->c, v->a0 + 1, 'r', NULL))))
		return false; /* the program is an argument; stdin is data (python -c 'json.load(sys.stdin)') */
	op = first_operand(v, &idx);
	return !op || !strcmp(op->text, "-");
}

/* The URL a fetcher downloads (its first operand with ://), for messages. */
static const char *fetch_url(const struct hd_cmd *c)
{
	size_t i;

	for (i = 1; i < c->argc; i++) {
		if (strstr(c->argv[i].text, "://"))
			return c->argv[i].text;
	}
	return "";
}

/* The command whose word holds nested command f (a substitution), and the argv index of that word. */
static const struct hd_cmd *enclosing(const struct hd_shell *sh, size_t k, size_t *word)
{
	const struct hd_cmd *f = &sh->cmds[k];

	while (k > 0) {
		const struct hd_cmd *e = &sh->cmds[--k];
		size_t j;

		if (e->depth >= f->depth)
			continue;
		for (j = 0; j < e->argc; j++) {
			if (e->argv[j].off <= f->off && f->off < e->argv[j].end) {
				*word = j;
				return e;
			}
		}
		return NULL;
	}
	return NULL;
}

/* The next command of the pipeline that cmds[k] pipes into, or NULL. */
static const struct hd_cmd *pipe_next(const struct hd_shell *sh, size_t k, size_t *next)
{
	const struct hd_cmd *c = &sh->cmds[k];
	size_t j;

	if (c->sep != HD_SEP_PIPE)
		return NULL;
	for (j = k + 1; j < sh->n_cmds; j++) {
		if (sh->cmds[j].depth == c->depth) {
			*next = j;
			return &sh->cmds[j];
		}
		if (sh->cmds[j].depth < c->depth)
			break;
	}
	return NULL;
}

/* Driven by the downloads, which are rare: most RUNs cost one name check per command. */
static int pipe_shell_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k], *dst;
		struct dfr_cmd v, dv;
		size_t j = k;

		if (!dfr_cmd_init(&v, c) || !is_fetcher(v.name))
			continue;
		/* curl URL | [tee log |] sh */
		for (dst = pipe_next(sh, k, &j); dst; dst = pipe_next(sh, j, &j)) {
			if (!dfr_cmd_init(&dv, dst) || !runs_stdin(&dv))
				continue;
			r = dfr_report_word(x->out, x->r, x->df, x->in, &dst->argv[dv.a0],
					    "'%s %.*s' is piped into '%s': the downloaded script runs unverified",
					    v.name, DFR_W(fetch_url(c)), dv.name);
			if (r < 0)
				return r;
			break;
		}
		/* sh -c "$(curl URL)", bash <(curl URL), eval "$(wget -O- URL)", . <(curl URL) */
		if (c->in_subst) {
			const struct hd_cmd *e;
			struct dfr_cmd ev;
			const struct hd_word *op;
			size_t word, opi;

			e = enclosing(sh, k, &word);
			if (!e || !dfr_cmd_init(&ev, e))
				continue;
			if (!is_shell_name(ev.name) && !is_interp_name(ev.name) && !DFR_IS(ev.name, "eval") &&
			    !DFR_IS(ev.name, "source") && !DFR_IS(ev.name, "."))
				continue;
			op = first_operand(&ev, &opi);
			if (!op || opi != word)
				continue;
			r = dfr_report_word(x->out, x->r, x->df, x->in, &e->argv[ev.a0],
					    "'%s' runs the output of '%s %.*s': the downloaded script runs unverified",
					    ev.name, v.name, DFR_W(fetch_url(c)));
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int check_curl_pipe_shell(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(FETCH), pipe_shell_run);
}

const struct hd_rule hd_rule_df_curl_pipe_shell = {
	.id = "dockerfile/curl-pipe-shell",
	.title = "Downloaded script piped into a shell",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.11",
	.owasp = "D08",
	.rationale = "`curl URL | sh` runs whatever the server (or anyone between it and the build) sends "
		     "today, as root, with no checksum or signature; a truncated download runs half a "
		     "script. The same holds for `wget -O- URL | bash`, `bash <(curl URL)`, `sh -c \"$(curl "
		     "URL)\"`, `eval \"$(curl URL)\"` and interpreters reading stdin (`| python3 -`). A "
		     "download piped into `python3 -c '...'` or `jq` is data, not code, and is not "
		     "reported. hadolint has no such rule.",
	.remediation = "Download to a file, verify a pinned checksum, then run it: `curl -fsSLo /tmp/install.sh "
		       "https://example.com/install.sh && echo \"<sha256>  /tmp/install.sh\" | sha256sum -c - && "
		       "sh /tmp/install.sh`, or install a signed package instead.",
	.bad_example = DFR_EX_ALPINE_FROM
		       "SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\n"
		       "RUN wget -q -O - https://example.com/install.sh | sh\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM
			"RUN wget -q -O /tmp/install.sh https://example.com/install.sh \\\n"
			" && echo \"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae  /tmp/install.sh\" "
			"| sha256sum -c - \\\n"
			" && sh /tmp/install.sh \\\n"
			" && rm /tmp/install.sh\n" DFR_EX_TAIL,
	.check = check_curl_pipe_shell,
};

/* ---- TLS verification off --------------------------------------------------------- */

/* True when value s says false. */
static bool false_value(const char *s)
{
	return !strcmp(s, "0") || !strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off");
}

/* True when NAME=value word a turns TLS verification off (the shared classifier, rules/secrets.h). */
static bool tls_assign_off(const char *a)
{
	const char *eq = strchr(a, '=');
	char name[128];
	size_t n;

	if (!eq || eq == a || (size_t)(eq - a) >= sizeof(name))
		return false;
	n = (size_t)(eq - a);
	memcpy(name, a, n);
	name[n] = '\0';
	return hd_env_disables_tls(name, eq + 1, NULL);
}

/* A word naming setting key with a false value, inline (key=false) or in the next word. */
static bool setting_false(const struct hd_cmd *c, size_t i, const char *key)
{
	const char *a = c->argv[i].text, *p = hd_strcasestr(a, key);

	if (!p)
		return false;
	p += strlen(key);
	if (*p == '=')
		return false_value(p + 1);
	return *p == '\0' && i + 1 < c->argc && false_value(c->argv[i + 1].text);
}

/* Reports a TLS-off setting at word i of c. */
static int tls_report(const struct dfr_ctx *x, const struct hd_cmd *c, size_t i, const char *tool)
{
	return dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[i],
			       "%s '%.*s' turns off TLS certificate verification: downloads can be "
			       "replaced in transit",
			       tool, DFR_W(c->argv[i].text));
}

static bool short_bundle_has(const char *a, char opt)
{
	if (a[0] != '-' || a[1] == '-' || !a[1])
		return false;
	for (a++; *a && isalpha((unsigned char)*a); a++) {
		if (*a == opt)
			return true;
	}
	return false;
}

/* `echo insecure >> ~/.curlrc`, `echo check_certificate=off > /etc/wgetrc` */
static int tls_rc_file(const struct dfr_ctx *x, const struct dfr_cmd *v)
{
	const struct hd_cmd *c = v->c;
	size_t i, k;

	for (k = 0; k < c->n_redirs; k++) {
		const char *t = dfr_base(c->redirs[k].target.text);
		bool curlrc = !strcmp(t, ".curlrc"), wgetrc = !strcmp(t, ".wgetrc") || !strcmp(t, "wgetrc");

		if (!curlrc && !wgetrc)
			continue;
		for (i = v->a0 + 1; i < c->argc; i++) {
			const char *a = c->argv[i].text;

			if ((curlrc && (strstr(a, "insecure") || !strcmp(a, "-k"))) ||
			    (wgetrc && strstr(a, "check_certificate") && hd_strcasestr(a, "off")))
				return tls_report(x, c, i, curlrc ? ".curlrc" : "wgetrc");
		}
	}
	return 0;
}

static int tls_cmd(const struct dfr_ctx *x, const struct hd_cmd *c, const struct hd_pm_call *pm)
{
	struct dfr_cmd v;
	size_t i;
	int r;

	for (i = 0; i < c->n_assigns; i++) {
		if (tls_assign_off(c->assigns[i].text)) {
			r = dfr_report_word(x->out, x->r, x->df, x->in, &c->assigns[i],
					    "'%.*s' turns off TLS certificate verification for the command",
					    DFR_W(c->assigns[i].text));
			if (r < 0)
				return r;
		}
	}
	if (c->argc == 0)
		return 0;
	/* export NAME=value, env NAME=value cmd, declare -x NAME=value */
	{
		const char *n0 = c->argv[0].text;

		if (DFR_IS(n0, "export") || DFR_IS(n0, "env") || DFR_IS(n0, "declare") || DFR_IS(n0, "sudo") ||
		    (n0[0] == '/' && (DFR_IS(dfr_base(n0), "env") || DFR_IS(dfr_base(n0), "sudo")))) {
			for (i = 1; i < c->argc; i++) {
				if (!tls_assign_off(c->argv[i].text))
					continue;
				r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[i],
						    "'%.*s' turns off TLS certificate verification",
						    DFR_W(c->argv[i].text));
				if (r < 0)
					return r;
			}
		}
	}
	if (!dfr_cmd_init(&v, c))
		return 0;
	if (pm) {
		for (i = pm->args; i < c->argc; i++) {
			const char *a = c->argv[i].text;
			bool off = false;

			switch (pm->pm) {
			case HD_PM_PIP:
				off = hd_starts_with(a, "--trusted-host") || hd_strcasestr(a, "trusted-host") != NULL;
				break;
			case HD_PM_NPM:
			case HD_PM_YARN:
			case HD_PM_PNPM:
				off = !strcmp(a, "--no-strict-ssl") || setting_false(c, i, "strict-ssl") ||
				      setting_false(c, i, "enableStrictSsl");
				break;
			case HD_PM_YUM:
			case HD_PM_DNF:
			case HD_PM_MICRODNF:
				off = hd_starts_with(a, "--setopt") && dfr_setting_off(a, "sslverify");
				break;
			default:
				break;
			}
			if (off)
				return tls_report(x, c, i, hd_pm_name(pm));
		}
		return 0;
	}
	switch (v.name[0]) {
	case 'c':
		if (DFR_IS(v.name, "curl")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				const char *a = c->argv[i].text;

				if (!strcmp(a, "--insecure") || !strcmp(a, "--proxy-insecure") ||
				    !strcmp(a, "--doh-insecure") || short_bundle_has(a, 'k'))
					return tls_report(x, c, i, "curl");
			}
		} else if (DFR_IS(v.name, "conda")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				if (setting_false(c, i, "ssl_verify"))
					return tls_report(x, c, i, "conda");
			}
		}
		break;
	case 'w':
		if (DFR_IS(v.name, "wget")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				if (!strcmp(c->argv[i].text, "--no-check-certificate"))
					return tls_report(x, c, i, "wget");
			}
		}
		break;
	case 'g':
		if (DFR_IS(v.name, "git")) {
			for (i = v.a0 + 1; i < c->argc; i++) {
				const char *a = c->argv[i].text;

				/* -c http.sslVerify=false, config --global http.sslverify false, http.<url>.sslVerify */
				if (!hd_istarts_with(a, "http.") && !hd_istarts_with(a, "-chttp."))
					continue;
				if (setting_false(c, i, "sslverify"))
					return tls_report(x, c, i, "git");
			}
		}
		break;
	case 'e':
	case 'p':
		if (DFR_IS(v.name, "echo") || DFR_IS(v.name, "printf"))
			return tls_rc_file(x, &v);
		break;
	default:
		break;
	}
	return 0;
}

/* The tools and managers tls_cmd() looks at. */
#define TLS_TOOLS                                                                                          \
	(HD_TOOL_BIT(HD_TOOL_ASSIGN) | HD_TOOL_BIT(HD_TOOL_EXPORT) | HD_TOOL_BIT(HD_TOOL_CURL) |            \
	 HD_TOOL_BIT(HD_TOOL_WGET) | HD_TOOL_BIT(HD_TOOL_CONDA) | HD_TOOL_BIT(HD_TOOL_GIT) |                 \
	 HD_TOOL_BIT(HD_TOOL_ECHO))
#define TLS_PMS                                                                                            \
	(HD_PM_BIT(HD_PM_PIP) | HD_PM_BIT(HD_PM_NPM) | HD_PM_BIT(HD_PM_YARN) | HD_PM_BIT(HD_PM_PNPM) |      \
	 HD_PM_BIT(HD_PM_YUM) | HD_PM_BIT(HD_PM_DNF) | HD_PM_BIT(HD_PM_MICRODNF))

static int tls_run(const struct dfr_ctx *x)
{
	size_t k, cur = 0;
	int r;

	if (!dfr_calls(x->in, TLS_TOOLS) && !(x->in->pm_mask & TLS_PMS))
		return 0;
	for (k = 0; k < x->in->shell->n_cmds; k++) {
		r = tls_cmd(x, &x->in->shell->cmds[k], dfr_pm_at(x->in, k, &cur));
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_tls_verify_disabled(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, TLS_PMS, TLS_TOOLS, tls_run);
}

const struct hd_rule hd_rule_df_tls_verify_disabled = {
	.id = "dockerfile/tls-verify-disabled",
	.title = "TLS certificate verification disabled",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.other = "checkov:CKV2_DOCKER_2 checkov:CKV2_DOCKER_3 checkov:CKV2_DOCKER_4 checkov:CKV2_DOCKER_5 "
		 "checkov:CKV2_DOCKER_6 checkov:CKV2_DOCKER_12 checkov:CKV2_DOCKER_13 checkov:CKV2_DOCKER_14 "
		 "checkov:CKV2_DOCKER_15 checkov:CKV2_DOCKER_16",
	.rationale = "Without certificate verification, anyone on the network path (a proxy, a hijacked "
		     "mirror, a coffee-shop Wi-Fi in CI) can replace what the build downloads, and the "
		     "image ships it. Covers curl -k/--insecure, wget --no-check-certificate, pip "
		     "--trusted-host, npm/yarn strict-ssl false, git http.sslVerify false, dnf/yum "
		     "sslverify=0, conda ssl_verify false, .curlrc/.wgetrc edits, and the variables of "
		     "the shared classifier (NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, "
		     "GIT_SSL_NO_VERIFY, *_SSL_VERIFY=false, ...) set on one command or exported in a "
		     "RUN. Set with ENV or ARG they are dockerfile/tls-verify-disabled-env's. hadolint "
		     "has no such rule.",
	.remediation = "Keep verification on and trust the certificate you need instead: `COPY corp-ca.crt "
		       "/usr/local/share/ca-certificates/ && update-ca-certificates`, then `curl -fsSL "
		       "https://...` without -k.",
	.bad_example = DFR_EX_ALPINE_FROM
		       "RUN wget -q --no-check-certificate -O /tmp/app.tgz https://example.com/app.tgz \\\n"
		       " && tar -xzf /tmp/app.tgz -C /opt \\\n"
		       " && rm /tmp/app.tgz\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM
			"RUN wget -q -O /tmp/app.tgz https://example.com/app.tgz \\\n"
			" && tar -xzf /tmp/app.tgz -C /opt \\\n"
			" && rm /tmp/app.tgz\n" DFR_EX_TAIL,
	.check = check_tls_verify_disabled,
};

/* ---- TLS verification off by environment ------------------------------------------------- */

/*
 * Calls fn for every variable an ENV (and, with args, an ARG) instruction
 * sets to a known value (v: expanded when it could be), stopping at the
 * first negative return.
 */
static int each_env_value(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, bool args,
			  int (*fn)(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
				    const struct hd_instr *in, const struct hd_kv *kv, const char *v))
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_instr(df, i);

		if (in->kind != HD_I_ENV && (!args || in->kind != HD_I_ARG))
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			const char *v = kv->expanded ? kv->expanded : kv->value;

			if (!v || kv->unresolved)
				continue;
			ret = fn(m, r, out, in, kv, v);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int tls_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
		   const struct hd_instr *in, const struct hd_kv *kv, const char *v)
{
	const struct hd_dockerfile *df = m->df;
	const char *what = NULL;

	if (!hd_env_disables_tls(kv->key, v, &what))
		return 0;
	if (in->kind == HD_I_ENV)
		return dfr_report(out, r, df, kv->span,
				  "ENV %s=%.*s: %s, for every later command of the build and in "
				  "every container of the image",
				  kv->key, DFR_W(v), what);
	return hd_report_sev(out, HD_SEV_MEDIUM, &(struct hd_loc){ .file = df->path,
			     .line = kv->span.line, .col = kv->span.col,
			     .end_line = kv->span.end_line, .end_col = kv->span.end_col },
			     "ARG %s=%.*s: %s for every later command of the build",
			     kv->key, DFR_W(v), what);
}

static int check_tls_verify_disabled_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return each_env_value(m, r, out, true, tls_env);
}

const struct hd_rule hd_rule_df_tls_verify_disabled_env = {
	.id = "dockerfile/tls-verify-disabled-env",
	.title = "TLS verification turned off by environment",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.other = "checkov:CKV2_DOCKER_2 checkov:CKV2_DOCKER_3 checkov:CKV2_DOCKER_4",
	.rationale = "Some variables turn certificate checks off for every program that reads them: "
		     "NODE_TLS_REJECT_UNAUTHORIZED=0 (Node.js), PYTHONHTTPSVERIFY=0 (Python), "
		     "GIT_SSL_NO_VERIFY (git, any value), NPM_CONFIG_STRICT_SSL=false, "
		     "PIP_TRUSTED_HOST, GOINSECURE, VAULT_SKIP_VERIFY=true, and the family of "
		     "*_SSL_VERIFY=false, *_TLS_VERIFY=false, *_DISABLE_HOSTNAME_VERIFICATION=true, "
		     "*_INSECURE_SKIP_VERIFY=true. Set with ENV they stay in the image config, so every "
		     "container talks TLS to whoever answers (high); set with ARG they weaken the build "
		     "only (medium). The same classifier (rules/secrets.h) serves compose and run-line "
		     "environments.",
	.remediation = "Remove the variable and trust the certificate you need instead: `COPY corp-ca.crt "
		       "/usr/local/share/ca-certificates/ && RUN update-ca-certificates` (Node.js: "
		       "`ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt`).",
	.bad_example = DFR_EX_NODE_FROM "ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_NODE_FROM "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/corp-ca.pem\n" DFR_EX_TAIL,
	.check = check_tls_verify_disabled_env,
};

/* ---- authentication turned off by environment -------------------------------------------- */

static int auth_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
		    const struct hd_instr *in, const struct hd_kv *kv, const char *v)
{
	const char *what = NULL;
	bool odd = false;

	(void)in;
	if (!hd_env_disables_auth(kv->key, v, &what, &odd))
		return 0;
	return dfr_report(out, r, m->df, kv->span,
			  "ENV %s=%.*s: %s%s, in every container of the image unless its run "
			  "overrides the variable", kv->key, DFR_W(v), what,
			  odd ? " (any non-empty value does, even this one)" : "");
}

/* ENV only: an ARG does not reach the containers of the image. */
static int check_auth_disabled_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return each_env_value(m, r, out, false, auth_env);
}

const struct hd_rule hd_rule_df_auth_disabled_env = {
	.id = "dockerfile/auth-disabled-env",
	.title = "Authentication turned off by environment in the image",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.rationale = "ENV is part of the image config: POSTGRES_HOST_AUTH_METHOD=trust, "
		     "MYSQL_ALLOW_EMPTY_PASSWORD (any non-empty value), *_ALLOW_EMPTY_PASSWORD=yes, "
		     "*_NO_PASSWORD=true, ALLOW_ANONYMOUS_LOGIN=yes, *_DISABLE_AUTH=true or "
		     "xpack.security.enabled=false baked in with ENV switch the service's login off in "
		     "every container made from the image, wherever it is run and whoever reaches its "
		     "port. The same classifier (rules/secrets.h) serves container/auth-disabled for "
		     "compose, run lines and live containers.",
	.remediation = "Remove the variable from the image and have the service read a password "
		       "from a secret at run time: `POSTGRES_PASSWORD_FILE=/run/secrets/db_password` "
		       "with compose `secrets:`.",
	.bad_example = DFR_EX_DEBIAN_FROM "ENV POSTGRES_HOST_AUTH_METHOD=trust\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password\n" DFR_EX_TAIL,
	.check = check_auth_disabled_env,
};

/* ---- file modes --------------------------------------------------------------- */

struct mode {
	bool known;
	bool world_w, suid, sgid, sticky;
};

/* Parses a chmod mode: octal (0-7777) or symbolic (u+s,go-w,a=rwx). */
static struct mode parse_mode(const char *s)
{
	struct mode m = { 0 };
	const char *p;

	if (!s[0])
		return m;
	if (isdigit((unsigned char)s[0])) {
		unsigned long v = 0;
		size_t n = 0;

		for (p = s; *p; p++, n++) {
			if (*p < '0' || *p > '7' || n >= 5)
				return m;
			v = v * 8 + (unsigned long)(*p - '0');
		}
		m.known = true;
		m.world_w = v & 02;
		m.sticky = v & 01000;
		m.suid = v & 04000;
		m.sgid = v & 02000;
		return m;
	}
	p = s;
	while (*p) {
		bool u = false, g = false, o = false, a = false, who = false;

		for (; *p && strchr("ugoa", *p); p++) {
			who = true;
			u |= *p == 'u';
			g |= *p == 'g';
			o |= *p == 'o';
			a |= *p == 'a';
		}
		if (!*p || !strchr("+-=", *p))
			return (struct mode){ 0 };
		while (*p && strchr("+-=", *p)) {
			char op = *p++;
			bool w = false, st = false, t = false;

			for (; *p && strchr("rwxXstugo", *p); p++) {
				w |= *p == 'w';
				st |= *p == 's';
				t |= *p == 't';
			}
			if (op == '-')
				continue;
			/* Without a who, umask applies: +w is not world-writable under the usual 022. */
			if (w && (o || a))
				m.world_w = true;
			if (st && (!who || u || a))
				m.suid = true;
			if (st && (!who || g || a))
				m.sgid = true;
			if (t)
				m.sticky = true;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return (struct mode){ 0 };
	}
	m.known = true;
	return m;
}

/* A mode found in the Dockerfile: where, what set it, and on what. */
struct mode_use {
	const struct hd_instr *in;
	const struct hd_word *w; /* the mode word, or NULL for a --chmod flag */
	const struct hd_flag *flag;
	const char *tool;        /* "chmod", "mkdir -m", "COPY --chmod" */
	const char *text;        /* the mode as written */
	const char *target;      /* the first path it applies to, or "" */
	bool recursive;
	bool dir;                /* certainly a directory: mkdir -m, install -d, a path ending in '/' */
	bool scratch;            /* the same RUN removes the target afterwards */
};

typedef int mode_fn(const struct dfr_ctx *x, const struct mode_use *u, struct mode md);

/* Calls fn for every mode set by chmod, mkdir -m, install -m in RUN and by COPY/ADD --chmod. */
static int each_mode(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out, mode_fn *fn)
{
	const struct hd_dockerfile *df = m->df;
	struct dfr_ctx x = { .df = df, .r = r, .out = out };
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_instr(df, i);
		const struct hd_instr *run;

		x.i = i;
		x.in = in;
		if (in->kind == HD_I_COPY || in->kind == HD_I_ADD) {
			const struct hd_flag *f = hd_instr_flag(in, "chmod");
			struct mode_use u = { .in = in, .flag = f };

			if (!f || !f->value)
				continue;
			u.text = f->expanded ? f->expanded : f->value;
			u.tool = in->kind == HD_I_COPY ? "COPY --chmod" : "ADD --chmod";
			u.target = in->n_args ? in->args[in->n_args - 1].value : "";
			ret = fn(&x, &u, parse_mode(u.text));
			if (ret < 0)
				return ret;
			continue;
		}
		run = dfr_run_at(df, i);
		if (!run || !run->shell || !dfr_calls(run, DFR_TOOL(MODE)))
			continue;
		x.in = run;
		for (k = 0; k < run->shell->n_cmds; k++) {
			const struct hd_cmd *c = &run->shell->cmds[k];
			struct mode_use u = { .in = run };
			struct dfr_cmd v;
			struct hd_operands it;
			const struct hd_word *w;
			const char *val;
			size_t idx;

			if (!dfr_cmd_init(&v, c))
				continue;
			if (DFR_IS(v.name, "chmod")) {
				if (dfr_has_opt(c, v.a0 + 1, 0, "reference"))
					continue;
				hd_operands_init(&it, c, v.a0 + 1, NULL);
				u.w = hd_operands_next(&it, NULL);
				if (!u.w)
					continue;
				val = u.w->text;
				w = hd_operands_next(&it, NULL);
				u.tool = "chmod";
				u.dir = w && w->text[0] && w->text[strlen(w->text) - 1] == '/';
				u.recursive = dfr_has_opt(c, v.a0 + 1, 'R', "recursive");
			} else if (DFR_IS(v.name, "mkdir") || DFR_IS(v.name, "install")) {
				static const char *const mkdir_long[] = { "mode", "group", "owner", "target-directory",
									  "suffix", NULL };
				static const struct hd_optspec mkdir_opts = { "mgotS", mkdir_long, false };

				val = dfr_opt_value(c, v.a0 + 1, 'm', "mode", &idx);
				if (!val)
					continue;
				u.w = &c->argv[idx];
				u.tool = v.name[0] == 'm' ? "mkdir -m" : "install -m";
				u.dir = v.name[0] == 'm' || dfr_has_opt(c, v.a0 + 1, 'd', "directory");
				hd_operands_init(&it, c, v.a0 + 1, &mkdir_opts);
				w = hd_operands_next(&it, NULL);
			} else {
				continue;
			}
			if (u.w->flags & HD_WORD_EXPANSION)
				continue;
			u.text = val;
			u.target = w ? w->text : "";
			u.scratch = w && w->text[0] && removed_later(run->shell, k, w->text);
			ret = fn(&x, &u, parse_mode(u.text));
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int mode_report(const struct dfr_ctx *x, const struct mode_use *u, const char *what)
{
	if (u->flag)
		return dfr_report(x->out, x->r, x->df, u->flag->span, "%s=%.*s %s '%.*s'", u->tool, DFR_W(u->text),
				  what, DFR_W(u->target));
	if (!u->target[0]) /* xargs chmod ...: the paths come from stdin */
		return dfr_report_word(x->out, x->r, x->df, u->in, u->w, "%s %.*s %s the files it is given", u->tool,
				       DFR_W(u->text), what);
	return dfr_report_word(x->out, x->r, x->df, u->in, u->w, "%s %.*s %s '%.*s'%s", u->tool, DFR_W(u->text),
			       what, DFR_W(u->target), u->recursive ? " and everything below it" : "");
}

static int world_writable_mode(const struct dfr_ctx *x, const struct mode_use *u, struct mode md)
{
	if (!md.known || !md.world_w || md.sticky || u->scratch)
		return 0;
	return mode_report(x, u, "lets every user of the container write to");
}

static int check_chmod_world_writable(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return each_mode(m, r, out, world_writable_mode);
}

const struct hd_rule hd_rule_df_chmod_world_writable = {
	.id = "dockerfile/chmod-world-writable",
	.title = "World-writable file mode",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.rationale = "A world-writable program, library or configuration file lets any process in the "
		     "container, whatever its user, change what others run: one compromised low-privilege "
		     "service becomes all of them. `chmod 777` is usually a workaround for a wrong owner. "
		     "Judges chmod (octal modes with the other-write bit, o+w, a+w, a=rwx), mkdir -m, "
		     "install -m and COPY/ADD --chmod. Directories with the sticky bit (1777, +t), the "
		     "normal mode of shared temporary directories, and paths the same RUN deletes "
		     "afterwards are not reported.",
	.remediation = "Give the files to the user that needs them and keep others read-only: `COPY "
		       "--chown=10001:10001 app /app` or `chown -R 10001:0 /app && chmod -R g=u,o-w /app`.",
	.bad_example = DFR_EX_ALPINE_FROM "COPY app /app\nRUN chmod -R 777 /app\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "COPY --chown=10001:10001 app /app\nRUN chmod -R 755 /app\n" DFR_EX_TAIL,
	.check = check_chmod_world_writable,
};

static int setuid_mode(const struct dfr_ctx *x, const struct mode_use *u, struct mode md)
{
	/*
	 * setgid on a directory only makes new files inherit its group, and
	 * setuid on a directory is ignored; the sticky bit only means something
	 * on directories, so a mode with it is a directory's.
	 */
	if (u->dir || md.sticky)
		md.suid = md.sgid = false;
	if (!md.known || !(md.suid || md.sgid) || u->scratch)
		return 0;
	return mode_report(x, u, md.suid ? (md.sgid ? "sets the setuid and setgid bits on" : "sets the setuid bit on")
					 : "sets the setgid bit on");
}

static int check_setuid_setgid(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return each_mode(m, r, out, setuid_mode);
}

const struct hd_rule hd_rule_df_setuid_setgid = {
	.id = "dockerfile/setuid-setgid",
	.title = "setuid or setgid bit set",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.8",
	.owasp = "D04",
	.other = "dockle:CIS-DI-0008",
	.rationale = "A setuid or setgid program runs with its owner's or group's rights whatever user "
		     "starts it: one bug in it turns a non-root container user into root (CIS 4.8). Judges "
		     "chmod (u+s, g+s, +s, 4755, 2755, 6755), mkdir -m, install -m and COPY/ADD --chmod. "
		     "Modes of directories are not reported (setgid there only sets group inheritance): "
		     "mkdir -m, install -d, a path ending in '/', or a mode with the sticky bit such as "
		     "3777. For other paths a setgid directory may still be reported; suppress it there.",
	.remediation = "Do not set the bits; grant the one capability the program needs (`setcap "
		       "cap_net_bind_service=+ep /usr/local/bin/app`) or run it as the right user. Remove "
		       "existing bits with `find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.",
	.bad_example = DFR_EX_ALPINE_FROM "COPY app /usr/local/bin/app\nRUN chmod 4755 /usr/local/bin/app\n"
			DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "COPY app /usr/local/bin/app\nRUN chmod 0755 /usr/local/bin/app\n"
			DFR_EX_TAIL,
	.check = check_setuid_setgid,
};

/* ---- sudo, cd, pointless tools ------------------------------------------------------ */

static int sudo_run(const struct dfr_ctx *x)
{
	size_t k;
	int r;

	for (k = 0; k < x->in->shell->n_cmds; k++) {
		const struct hd_cmd *c = &x->in->shell->cmds[k];
		struct hd_unwrap u;
		const char *n;

		if (!c->argc || !strchr("sd/", c->argv[0].text[0]))
			continue;
		n = hd_word_base(c->argv[0].text);
		if (!DFR_IS(n, "sudo") && !DFR_IS(n, "doas"))
			continue;
		hd_unwrap(c->argv, sizeof(c->argv[0]), c->argc, 0, &u);
		if (u.user && !u.as_root)
			/* sudo -u app cmd: drops to app, the opposite of gaining root. */
			r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[0],
					    "%s -u %.*s in RUN runs the command as '%.*s': switch with "
					    "'USER %.*s' before the RUN instead, and do not ship %s",
					    n, (int)strcspn(u.user, ":"), u.user, (int)strcspn(u.user, ":"), u.user,
					    (int)strcspn(u.user, ":"), u.user, n);
		else
			r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[0],
					    "%s in RUN: RUN already runs as the USER in effect; switch with "
					    "'USER root' before and 'USER 10001' after instead",
					    n);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_sudo(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(SUDO), sudo_run);
}

const struct hd_rule hd_rule_df_sudo = {
	.id = "dockerfile/sudo",
	.title = "sudo used in RUN",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D01",
	.hadolint = "DL3004",
	.other = "trivy:DS010 checkov:CKV2_DOCKER_1 dockle:DKL-DI-0001",
	.rationale = "sudo in a build means the image carries sudo and a sudoers rule that lets its user "
		     "become root: a container compromise is then a root compromise. It also behaves "
		     "unpredictably without a terminal (requiretty, password prompts). The USER "
		     "instruction switches users for the build without either. Also covers doas. "
		     "`sudo -u app cmd` goes the other way (it drops from root to app): the advice "
		     "then is `USER app` before the RUN, not a switch to root.",
	.remediation = "Switch user with USER: `USER root` / `RUN apk add --no-cache curl=8.9.1-r0` / `USER "
		       "10001`, and do not install sudo.",
	.bad_example = DFR_EX_ALPINE_FROM "USER 10001\nRUN sudo apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.check = check_sudo,
};


/* A cd that goes back rather than somewhere: `cd /`, `cd -`, `cd ..`, `cd`, `cd ~`. */
static bool cd_returns(const char *dir)
{
	return !dir[0] || !strcmp(dir, "/") || !strcmp(dir, "-") || !strcmp(dir, "..") || !strcmp(dir, "~") ||
	       !strcmp(dir, "$HOME");
}

static int cd_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k;

	/*
	 * The first cd of the RUN says where its work happens; later ones move
	 * around within that work and are not reported on their own.
	 */
	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		const char *dir;

		/* In ( ) or $( ) the cd is scoped on purpose. */
		if (c->depth > 0 || !c->argc || !DFR_IS(c->argv[0].text, "cd"))
			continue;
		dir = c->argc > 1 ? c->argv[c->argc - 1].text : "";
		if (cd_returns(dir))
			continue;
		if (hd_starts_with(dir, "/tmp") || removed_later(sh, k, dir))
			return 0; /* a scratch directory: WORKDIR would leave it in the image */
		return dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[0],
				       "cd '%.*s' in RUN: set the directory with 'WORKDIR %.*s'", DFR_W(dir), DFR_W(dir));
	}
	return 0;
}

static int check_cd_instead_of_workdir(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(CD), cd_run);
}

const struct hd_rule hd_rule_df_cd_instead_of_workdir = {
	.id = "dockerfile/cd-instead-of-workdir",
	.title = "cd in RUN instead of WORKDIR",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3003",
	.other = "trivy:DS013",
	.rationale = "A cd lasts only until the end of its RUN, so every later RUN repeats it and a "
		     "forgotten one runs in the wrong directory; WORKDIR sets it once for the rest of the "
		     "stage and for the container. Unlike hadolint, a cd inside a subshell `(cd x && "
		     "make)`, into /tmp, or into a directory the same RUN removes afterwards is not "
		     "reported (WORKDIR would create that directory and keep it in the image). Only the "
		     "first cd of a RUN is judged: later ones move around within its work.",
	.remediation = "Use WORKDIR: `WORKDIR /src` then `RUN make`.",
	.bad_example = DFR_EX_ALPINE_FROM "COPY src /src\nRUN cd /src && ./configure\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "COPY src /src\nWORKDIR /src\nRUN ./configure\n" DFR_EX_TAIL,
	.check = check_cd_instead_of_workdir,
};

static bool run_has_bg(const struct hd_shell *sh)
{
	size_t k;

	for (k = 0; k < sh->n_cmds; k++) {
		if (sh->cmds[k].sep == HD_SEP_BG)
			return true;
	}
	return false;
}

static bool run_has_ssh_mount(const struct hd_instr *in)
{
	size_t f;

	for (f = 0; f < in->n_flags; f++) {
		const char *v = in->flags[f].expanded ? in->flags[f].expanded : in->flags[f].value;

		if (v && !strcmp(in->flags[f].name, "mount") && strstr(v, "type=ssh"))
			return true;
	}
	return false;
}

static int pointless_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		struct dfr_cmd v;
		const char *n;
		bool hit;

		if (!dfr_cmd_init(&v, &sh->cmds[k]))
			continue;
		n = v.name;
		switch (n[0]) {
		case 'f': hit = !strcmp(n, "free"); break;
		case 'i': hit = !strcmp(n, "ifconfig"); break;
		case 'k': hit = !strcmp(n, "kill"); break;
		case 'm': hit = !strcmp(n, "mount"); break;
		case 'p': hit = !strcmp(n, "ps"); break;
		case 's': hit = !strcmp(n, "service") || !strcmp(n, "shutdown") || !strcmp(n, "ssh"); break;
		case 't': hit = !strcmp(n, "top"); break;
		case 'v': hit = !strcmp(n, "vim"); break;
		default: hit = false; break;
		}
		if (!hit)
			continue;
		/* Scripts that start a server in the background, use it, then stop it need ps/kill. */
		if ((DFR_IS(v.name, "kill") || DFR_IS(v.name, "ps")) && run_has_bg(sh))
			continue;
		/* `service db start && load-schema`: the service is used within the RUN. */
		if (DFR_IS(v.name, "service") && k + 1 < sh->n_cmds)
			continue;
		/* RUN --mount=type=ssh ssh ...: the build uses the forwarded agent on purpose. */
		if (DFR_IS(v.name, "ssh") && run_has_ssh_mount(x->in))
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, &sh->cmds[k].argv[v.a0],
				    "'%s' in RUN does nothing useful in an image build: there is no terminal, "
				    "no init and no running service",
				    v.name);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_pointless_command(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(POINTLESS), pointless_run);
}

const struct hd_rule hd_rule_df_pointless_command = {
	.id = "dockerfile/pointless-command",
	.title = "Interactive or system tool run during the build",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3001",
	.rationale = "A build step has no terminal, no init system and no running services: vim and top "
		     "need a terminal, shutdown, mount and ifconfig need privileges the build does not "
		     "have, and a service started by the last command of a RUN is gone with it. Seeing "
		     "them usually means the image is treated like a VM. Unlike hadolint, ps/kill in a RUN "
		     "that starts a background job, `service x start` followed by commands that use it, "
		     "and ssh with a forwarded agent (`--mount=type=ssh`) are not reported.",
	.remediation = "Remove the command; configure services in the image and start them from "
		       "ENTRYPOINT/CMD, and inspect running containers with `docker exec`.",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN service nginx start\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "RUN nginx -t\n" DFR_EX_TAIL,
	.check = check_pointless_command,
};

/* ---- pipes and shells -------------------------------------------------------------- */

/* True when option word a is a bundle of short options ending with 'o' (-o, -eo, -euxo). */
static bool ends_with_o_opt(const char *a)
{
	size_t n = strlen(a);

	return n >= 2 && a[0] == '-' && a[1] != '-' && a[n - 1] == 'o';
}

/* True for a shell that is not POSIX (PowerShell, cmd), by its path with / or \\ separators, any case. */
static bool non_posix_shell(const char *path)
{
	static const char *const non_posix[] = { "pwsh", "pwsh.exe", "powershell", "powershell.exe", "cmd",
						 "cmd.exe", NULL };
	const char *b = path, *p;

	for (p = path; *p; p++) {
		if (*p == '/' || *p == '\\')
			b = p + 1;
	}
	for (const char *const *n = non_posix; *n; n++) {
		if (!strcasecmp(b, *n))
			return true;
	}
	return false;
}

/* True when SHELL instruction sh (exec form) is not a POSIX shell or sets -o pipefail. */
static bool shell_handles_pipes(const struct hd_instr *sh)
{
	size_t i;

	if (!sh->n_args || !sh->args[0].value)
		return false;
	if (non_posix_shell(sh->args[0].value))
		return true;
	/* Only shells that have the option: sh may be dash, which fails on `-o pipefail` (hadolint agrees). */
	{
		static const char *const capable[] = { "bash", "zsh", "ash", "ksh", "mksh", NULL };

		if (!in_set(dfr_base(sh->args[0].value), capable))
			return false;
	}
	for (i = 1; i < sh->n_args; i++) {
		const char *a = sh->args[i].value;

		if (!a)
			continue;
		if (!strcmp(a, "-opipefail") || (!strcmp(a, "pipefail") && ends_with_o_opt(sh->args[i - 1].value)))
			return true;
	}
	return false;
}

/* True when a `set -o pipefail` (or -eo pipefail, -opipefail) runs before command k at its level. */
static bool set_pipefail_before(const struct hd_shell *sh, size_t k)
{
	size_t j, i;

	for (j = 0; j < k; j++) {
		const struct hd_cmd *c = &sh->cmds[j];

		if (c->depth > sh->cmds[k].depth || c->argc < 2 || strcmp(c->argv[0].text, "set") != 0)
			continue;
		for (i = 1; i < c->argc; i++) {
			const char *a = c->argv[i].text;

			if (!strcmp(a, "-opipefail") ||
			    (ends_with_o_opt(a) && i + 1 < c->argc && !strcmp(c->argv[i + 1].text, "pipefail")))
				return true;
		}
	}
	return false;
}

static bool harmless_producer(const char *n)
{
	/* Commands that cannot fail in a way a pipe hides: their output is the point. */
	return !strcmp(n, "echo") || !strcmp(n, "printf") || !strcmp(n, "yes") || !strcmp(n, "true") ||
	       !strcmp(n, ":");
}

static int check_pipe_without_pipefail(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_run_at(df, i), *shi;
		const struct hd_shell *sh;

		if (!in || !in->shell || !in->shell->has_pipe)
			continue;
		sh = in->shell;
		shi = dfr_shell_at(df, i);
		if (shi ? shell_handles_pipes(shi) : (df->shell_pragma && non_posix_shell(df->shell_pragma)))
			continue; /* PowerShell and cmd have no pipefail to set */
		if (!shi && in->form != HD_FORM_EXEC && in->stage < df->n_stages &&
		    dfb_stage_is_windows(df, &df->stages[in->stage]))
			continue; /* a Windows image's default shell is cmd */
		for (k = 0; k + 1 < sh->n_cmds; k++) {
			const struct hd_cmd *c = &sh->cmds[k], *dst = NULL;
			struct dfr_cmd v, dv;
			size_t j;

			if (c->sep != HD_SEP_PIPE || !dfr_cmd_init(&v, c) || harmless_producer(v.name))
				continue;
			for (j = k + 1; j < sh->n_cmds; j++) {
				if (sh->cmds[j].depth == c->depth) {
					dst = &sh->cmds[j];
					break;
				}
				if (sh->cmds[j].depth < c->depth)
					break;
			}
			if (!dst || set_pipefail_before(sh, k))
				continue;
			if (in->form == HD_FORM_EXEC)
				ret = dfr_report_word(out, r, df, in, &c->argv[v.a0],
						      "'%s' is piped into '%s' without pipefail: a failure of %s is "
						      "ignored; start the script with 'set -o pipefail;' (SHELL does "
						      "not apply to the exec form)",
						      v.name, dfr_cmd_init(&dv, dst) ? dv.name : "?", v.name);
			else
				ret = dfr_report_word(out, r, df, in, &c->argv[v.a0],
						      "'%s' is piped into '%s' without pipefail: a failure of %s is "
						      "ignored; use SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
						      v.name, dfr_cmd_init(&dv, dst) ? dv.name : "?", v.name);
			if (ret < 0)
				return ret;
			break; /* one finding per RUN: the fix is the same */
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_pipe_without_pipefail = {
	.id = "dockerfile/pipe-without-pipefail",
	.title = "Pipe in RUN without pipefail",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL4006",
	.other = "trivy:DS032",
	.rationale = "A pipeline's status is that of its last command: `curl URL | tar -xz` succeeds when "
		     "the download fails half-way, and the image is built with a truncated or empty "
		     "install. pipefail makes the step fail instead. Quiet when the SHELL in effect is a "
		     "shell that has the option (bash, zsh, ash, ksh; matched by basename, inherited "
		     "through FROM <stage>) and sets -o pipefail, or is not a POSIX shell (PowerShell as "
		     "pwsh or powershell, cmd, by any path; a Windows base image without SHELL runs cmd; "
		     "`# hadolint shell=pwsh`), when the RUN runs `set -o pipefail` first, and for pipes "
		     "fed by echo, printf or yes, which cannot fail in a way that matters (`echo \"$SUM  "
		     "f\" | sha256sum -c -`). hadolint differs in two places, deliberately: it reports the "
		     "RUN that sets pipefail itself, and pipes fed by echo. An exec-form `RUN [\"sh\", \"-c\", \"a | b\"]` gets "
		     "advice to set pipefail in the script, since SHELL does not apply to it.",
	.remediation = "Set the shell once per stage: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` "
		       "(on Alpine `[\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`), or start the RUN with "
		       "`set -o pipefail &&`.",
	.bad_example = DFR_EX_ALPINE_FROM
		       "RUN wget -q -O - https://example.com/app.tar.gz | tar -xz -C /opt\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM
			"SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\n"
			"RUN wget -q -O - https://example.com/app.tar.gz | tar -xz -C /opt\n" DFR_EX_TAIL,
	.check = check_pipe_without_pipefail,
};

static int ln_sh_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		struct dfr_cmd v;
		struct hd_operands it;
		const struct hd_word *w, *last = NULL;
		static const char *const ln_long[] = { "target-directory", "suffix", NULL };
		static const struct hd_optspec ln_opts = { "tS", ln_long, false };
		unsigned n = 0;

		if (!dfr_cmd_init(&v, &sh->cmds[k]) || !DFR_IS(v.name, "ln"))
			continue;
		hd_operands_init(&it, v.c, v.a0 + 1, &ln_opts);
		while ((w = hd_operands_next(&it, NULL))) {
			last = w;
			n++;
		}
		if (n < 2 || (strcmp(last->text, "/bin/sh") != 0 && strcmp(last->text, "/usr/bin/sh") != 0))
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, last,
				    "ln replaces %s: set the shell with SHELL [\"/bin/bash\", \"-c\"] instead",
				    last->text);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_ln_bin_sh(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(LN), ln_sh_run);
}

const struct hd_rule hd_rule_df_ln_bin_sh = {
	.id = "dockerfile/ln-bin-sh",
	.title = "/bin/sh replaced with ln",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL4005",
	.other = "kics:8a301064-c291-4b20-adcb-403fe7fd95fd",
	.rationale = "Replacing /bin/sh changes the shell of every script in the image, including the "
		     "distribution's maintainer scripts written for dash or ash, and breaks silently. The "
		     "SHELL instruction changes only the shell of later RUN, CMD and ENTRYPOINT in shell "
		     "form.",
	.remediation = "Use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` instead of `ln -sf "
		       "/bin/bash /bin/sh`.",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN ln -sf /bin/bash /bin/sh\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
			"RUN echo \"ready\"\n" DFR_EX_TAIL,
	.check = check_ln_bin_sh,
};

/* ---- wget and curl ------------------------------------------------------------------ */

static int wget_progress_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k, i;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		struct dfr_cmd v;
		bool quiet = false;

		if (!dfr_cmd_init(&v, c) || !DFR_IS(v.name, "wget"))
			continue;
		for (i = v.a0 + 1; i < c->argc && !quiet; i++) {
			const char *a = c->argv[i].text;

			quiet = !strcmp(a, "-nv") || hd_starts_with(a, "--progress") || !strcmp(a, "--quiet") ||
				!strcmp(a, "--no-verbose") || hd_starts_with(a, "--output-file") ||
				hd_starts_with(a, "--append-output") || short_bundle_has(a, 'q') ||
				short_bundle_has(a, 'o') || short_bundle_has(a, 'a');
		}
		for (i = 0; i < c->n_redirs && !quiet; i++) {
			const char *op = c->redirs[i].op;

			quiet = strstr(op, "2>") || strstr(op, "&>");
		}
		if (quiet)
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[v.a0],
				    "wget without --progress=dot:giga or -q fills the build log with progress "
				    "lines");
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_wget_without_progress(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(WGET), wget_progress_run);
}

const struct hd_rule hd_rule_df_wget_without_progress = {
	.id = "dockerfile/wget-without-progress",
	.title = "wget without a progress setting",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3047",
	.rationale = "Without a terminal, wget prints its progress as dots: thousands of log lines for a "
		     "large download, hiding the lines that matter and bloating CI logs. --progress, -q, "
		     "-nv, a log file (-o/-a) or redirecting stderr all avoid it.",
	.remediation = "Add `--progress=dot:giga` (or `-q`): `wget --progress=dot:giga -O /tmp/app.tgz "
		       "https://example.com/app.tgz`.",
	.bad_example = DFR_EX_ALPINE_FROM "RUN wget -O /tmp/app.tgz https://example.com/app.tgz \\\n"
					  " && tar -xzf /tmp/app.tgz -C /opt \\\n && rm /tmp/app.tgz\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN wget --progress=dot:giga -O /tmp/app.tgz https://example.com/app.tgz \\\n"
					   " && tar -xzf /tmp/app.tgz -C /opt \\\n && rm /tmp/app.tgz\n" DFR_EX_TAIL,
	.check = check_wget_without_progress,
};

static int check_wget_and_curl(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_instr *first_in = NULL;
	const struct hd_word *first_w = NULL;
	const char *first = NULL; /* the tool seen first in the stage */
	uint32_t stage = (uint32_t)-2;
	bool done = false;
	size_t i, k;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_run_at(df, i);

		if (df->instrs[i].stage != stage) {
			stage = df->instrs[i].stage;
			first = NULL;
			done = !dfr_stage_ships(df, stage);
		}
		if (done || !in || !in->shell || !dfr_calls(in, DFR_TOOL(FETCH)))
			continue;
		for (k = 0; k < in->shell->n_cmds && !done; k++) {
			struct dfr_cmd v;
			const char *n;

			if (!dfr_cmd_init(&v, &in->shell->cmds[k]))
				continue;
			n = v.name;
			if (!DFR_IS(n, "curl") && !DFR_IS(n, "wget"))
				continue;
			if (!first) {
				first = n[0] == 'c' ? "curl" : "wget";
				first_in = in;
				first_w = &in->shell->cmds[k].argv[v.a0];
				continue;
			}
			if (!strcmp(first, n))
				continue;
			done = true;
			{
				struct hd_span fs = hd_instr_word_span(first_in, first_w);
				int ret = dfr_report_word(out, r, df, in, &in->shell->cmds[k].argv[v.a0],
							  "%s is used here and %s at line %u: pick one of them", n,
							  first, (unsigned)fs.line);

				if (ret < 0)
					return ret;
			}
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_wget_and_curl = {
	.id = "dockerfile/wget-and-curl",
	.title = "Both wget and curl used",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL4001",
	.other = "trivy:DS014",
	.rationale = "Two download tools do the same job: each is one more package to install, patch and "
		     "ship. Reported once per stage, at the first use of the second tool, and only in "
		     "stages that end up in the image (hadolint reports every use in every stage).",
	.remediation = "Use one of them throughout, e.g. only curl: `curl -fsSLo /tmp/app.tgz "
		       "https://example.com/app.tgz`.",
	.bad_example = DFR_EX_ALPINE_FROM
		       "RUN wget -q -O /tmp/a.tgz https://example.com/a.tgz \\\n"
		       " && curl -fsSL -o /tmp/b.tgz https://example.com/b.tgz \\\n"
		       " && tar -xzf /tmp/a.tgz -C /opt \\\n && tar -xzf /tmp/b.tgz -C /opt \\\n"
		       " && rm /tmp/a.tgz /tmp/b.tgz\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM
			"RUN wget -q -O /tmp/a.tgz https://example.com/a.tgz \\\n"
			" && wget -q -O /tmp/b.tgz https://example.com/b.tgz \\\n"
			" && tar -xzf /tmp/a.tgz -C /opt \\\n && tar -xzf /tmp/b.tgz -C /opt \\\n"
			" && rm /tmp/a.tgz /tmp/b.tgz\n" DFR_EX_TAIL,
	.check = check_wget_and_curl,
};

/* ---- useradd ------------------------------------------------------------------------ */

/* lastlog keeps one 292-byte record per UID up to the highest: 16 MiB is reached at UID 57457. */
#define LASTLOG_RECORD 292u
#define LASTLOG_UID_LIMIT 57457

static int useradd_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k, idx;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		struct dfr_cmd v;
		const char *uid;
		int64_t n;

		if (!dfr_cmd_init(&v, c) || !DFR_IS(v.name, "useradd"))
			continue;
		uid = dfr_opt_value(c, v.a0 + 1, 'u', "uid", &idx);
		if (!uid || dfr_has_opt(c, v.a0 + 1, 'l', "no-log-init"))
			continue;
		if (c->argv[idx].flags & HD_WORD_EXPANSION) {
			uid = dfr_word_var(x->df, x->i, &c->argv[idx]);
			if (!uid)
				continue;
		}
		if (hd_parse_i64(uid, 0, INT64_C(4294967295), &n) < 0 || n < LASTLOG_UID_LIMIT)
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[idx],
				    "useradd with UID %" PRId64 " without -l writes a %" PRId64
				    " MiB /var/log/lastlog into the layer: add -l (--no-log-init)",
				    n, (n + 1) * (int64_t)LASTLOG_RECORD / (1024 * 1024));
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_useradd_high_uid(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(USERADD), useradd_run);
}

const struct hd_rule hd_rule_df_useradd_high_uid = {
	.id = "dockerfile/useradd-high-uid",
	.title = "useradd with a high UID without -l",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3046",
	.rationale = "useradd records the new user in /var/log/lastlog and faillog, sparse files indexed "
		     "by UID; image layers do not keep them sparse, so a UID of 100000 adds about 28 MiB. "
		     "hadolint counts digits (more than five); here the size decides: UIDs from 57457 up "
		     "(16 MiB and more), so the common 65532 is reported too. A UID from an ARG/ENV "
		     "variable is judged by its value.",
	.remediation = "Add -l (--no-log-init): `useradd -l -u 100000 -m app`.",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN useradd -u 100000 -m app\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "RUN useradd -l -u 100000 -m app\n" DFR_EX_TAIL,
	.check = check_useradd_high_uid,
};

/* ---- archives copied then extracted -------------------------------------------------- */

static bool is_archive(const char *s)
{
	static const char *const exts[] = { ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz",
					    ".txz", ".tar.zst", NULL };
	size_t n = strlen(s);

	for (const char *const *e = exts; *e; e++) {
		size_t m = strlen(*e);

		if (n > m && !memcmp(s + n - m, *e, m))
			return true;
	}
	return false;
}

/* True when tar command v extracts (x, --extract, --get; in any option style). */
static bool tar_extracts(const struct dfr_cmd *v)
{
	const struct hd_cmd *c = v->c;
	size_t i;

	if (v->a0 + 1 >= c->argc)
		return false;
	{
		const char *a = c->argv[v->a0 + 1].text; /* old style: tar xzf f */

		if (a[0] != '-' && strchr(a, 'x') && strspn(a, "xzjJvfpoOkmWtcrauC") == strlen(a))
			return true;
	}
	for (i = v->a0 + 1; i < c->argc; i++) {
		const char *a = c->argv[i].text;

		if (!strcmp(a, "--extract") || !strcmp(a, "--get") || short_bundle_has(a, 'x'))
			return true;
	}
	return false;
}

#define MAX_ARCHIVES 16

struct copied_archive {
	const struct hd_instr *in;
	const struct hd_arg *arg;
	const char *base;
	bool reported;
};

static int check_archive_copied_then_extracted(const struct hd_model *m, const struct hd_rule *r,
					       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	struct copied_archive arc[MAX_ARCHIVES];
	size_t n = 0, i, k, a, j;
	uint32_t stage = (uint32_t)-2;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i], *run;

		if (in->stage != stage) {
			stage = in->stage;
			n = 0;
		}
		if (in->kind == HD_I_COPY && !hd_instr_flag(in, "from") && in->n_args >= 2 && !in->n_heredocs) {
			for (a = 0; a + 1 < in->n_args && n < MAX_ARCHIVES; a++) {
				const char *s = in->args[a].value ? in->args[a].value : in->args[a].raw;

				if (!s || strstr(s, "://") || !is_archive(s))
					continue;
				arc[n++] = (struct copied_archive){ in, &in->args[a], dfr_base(s), false };
			}
			continue;
		}
		run = dfr_run_at(df, i);
		if (!n || !run || !run->shell || !dfr_calls(run, DFR_TOOL(TAR)))
			continue;
		for (k = 0; k < run->shell->n_cmds; k++) {
			const struct hd_cmd *c = &run->shell->cmds[k];
			struct dfr_cmd v;

			if (!dfr_cmd_init(&v, c) || !DFR_IS(v.name, "tar") || !tar_extracts(&v))
				continue;
			for (a = v.a0 + 1; a < c->argc; a++) {
				const char *b = dfr_base(c->argv[a].text);

				for (j = 0; j < n; j++) {
					struct hd_span ts;

					if (arc[j].reported || strcmp(arc[j].base, b) != 0)
						continue;
					arc[j].reported = true;
					ts = hd_instr_word_span(run, &c->argv[a]);
					ret = dfr_report(out, r, df, arc[j].arg->span,
							 "'%.*s' is copied into a layer and then extracted by tar "
							 "(line %u): the archive stays in the image; extract it from "
							 "a bind mount instead",
							 DFR_W(arc[j].base), (unsigned)ts.line);
					if (ret < 0)
						return ret;
				}
			}
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_archive_copied_then_extracted = {
	.id = "dockerfile/archive-copied-then-extracted",
	.title = "Archive copied into the image, then extracted",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3010",
	.rationale = "COPY stores the archive in its own layer; extracting it in a later RUN stores the "
		     "files a second time, and deleting the archive afterwards does not shrink the "
		     "earlier layer. hadolint suggests ADD, which extracts local archives, but ADD's "
		     "implicit behaviour is what CIS 4.9 warns about; a RUN with a bind mount reads the "
		     "archive from the build context without ever storing it.",
	.remediation = "Extract from a bind mount: `RUN --mount=type=bind,source=app.tar.gz,target=/tmp/"
		       "app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`.",
	.bad_example = DFR_EX_ALPINE_FROM "COPY app.tar.gz /tmp/app.tar.gz\n"
					  "RUN tar -xzf /tmp/app.tar.gz -C /opt \\\n && rm /tmp/app.tar.gz\n"
					  DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz \\\n"
					   "    tar -xzf /tmp/app.tar.gz -C /opt\n" DFR_EX_TAIL,
	.check = check_archive_copied_then_extracted,
};

/* ---- RUN instruction shape ---------------------------------------------------------- */

static bool same_flags(const struct hd_instr *a, const struct hd_instr *b)
{
	size_t f;

	if (a->n_flags != b->n_flags)
		return false;
	for (f = 0; f < a->n_flags; f++) {
		const char *va = a->flags[f].value ? a->flags[f].value : "";
		const char *vb = b->flags[f].value ? b->flags[f].value : "";

		if (strcmp(a->flags[f].name, b->flags[f].name) != 0 || strcmp(va, vb) != 0)
			return false;
	}
	return true;
}

static int check_consecutive_run(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 1; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i], *prev = &df->instrs[i - 1];

		if (in->kind != HD_I_RUN || prev->kind != HD_I_RUN || !in->shell || !prev->shell ||
		    in->stage != prev->stage || !same_flags(in, prev) || !dfr_stage_ships(df, in->stage))
			continue;
		/* RUNs that chain several commands were split on purpose (layer caching). */
		if (in->shell->n_cmds > 2 || prev->shell->n_cmds > 2)
			continue;
		ret = dfr_report(out, r, df, dfr_keyword_span(in),
				 "RUN follows the RUN at line %u: join them with '&&' to save a layer",
				 (unsigned)prev->span.line);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_consecutive_run = {
	.id = "dockerfile/consecutive-run",
	.title = "Consecutive RUN instructions",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3059",
	.rationale = "Each RUN adds a layer: files a later RUN deletes stay in the earlier one, and "
		     "install plus cleanup only shrink the image when they share a RUN. Only stages that "
		     "end up in the image are judged (layers of a builder stage are thrown away, where "
		     "hadolint still reports). As in hadolint, RUNs with different --mount, --network or "
		     "--security flags cannot be joined and RUNs of more than two commands were split on "
		     "purpose (for the layer cache); neither is reported.",
	.remediation = "Join the commands: `RUN apk add --no-cache curl=8.9.1-r0 && adduser -D -u 10001 "
		       "app`.",
	.bad_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n"
					  "RUN adduser -D -u 10001 app\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0 \\\n"
					   " && adduser -D -u 10001 app\n" DFR_EX_TAIL,
	.check = check_consecutive_run,
};

static int check_run_security_insecure(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, f;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfr_run_at(df, i);

		for (f = 0; in && f < in->n_flags; f++) {
			const struct hd_flag *fl = &in->flags[f];
			const char *v = fl->expanded ? fl->expanded : fl->value;

			if (strcmp(fl->name, "security") != 0 || !v || strcmp(v, "insecure") != 0)
				continue;
			ret = dfr_report(out, r, df, fl->span,
					 "RUN --security=insecure runs this step with every capability and "
					 "without seccomp or AppArmor, like a privileged container");
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_run_security_insecure = {
	.id = "dockerfile/run-security-insecure",
	.title = "RUN --security=insecure",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.rationale = "--security=insecure runs the step like a privileged container: all capabilities, "
		     "no seccomp or AppArmor, access to devices. Whatever that step runs (including a "
		     "compromised dependency's install script) can take over the build host or the "
		     "BuildKit worker, and it requires the builder to allow security.insecure.",
	.remediation = "Remove the flag and do without the privilege; if the step needs one capability "
		       "or device, do it at run time with that capability only (`docker run --cap-add "
		       "NET_ADMIN`).",
	.bad_example = DFR_EX_ALPINE_FROM "RUN --security=insecure apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.good_example = DFR_EX_ALPINE_FROM "RUN apk add --no-cache curl=8.9.1-r0\n" DFR_EX_TAIL,
	.check = check_run_security_insecure,
};
