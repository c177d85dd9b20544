/*
 * Dockerfile rules on what RUN leaves behind that it should not: secrets
 * given on command lines (they stay in the image history and show in `ps`),
 * credentials baked into the image (passwords set with chpasswd or useradd
 * -p, sudo rules without a password), and downloads that are made
 * executable, installed or unpacked into a bin directory with no checksum or
 * signature check in the same RUN.
 *
 * Each reads the shell model of a RUN (wrappers already skipped) and the
 * shared classifiers of rules/secrets.h, and reports at the word to fix;
 * secrets are never echoed into messages.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/dockerfile.h"
#include "rules/df_util.h"
#include "rules/secrets.h"

/* ---- secrets on command lines ------------------------------------------------------------ */

static bool word_is_expansion(const void *words, size_t i)
{
	return (((const struct hd_word *)words)[i].flags & HD_WORD_EXPANSION) != 0;
}

static int cmdline_secret_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		struct hd_cmdline_secret hit;

		if (c->a0 >= c->argc ||
		    !hd_cmdline_secret(c->argv, sizeof(c->argv[0]), c->argc, c->a0, word_is_expansion, &hit))
			continue;
		r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[hit.at],
				    "'%s' gets a secret on its command line (%s): it stays in the image history "
				    "and shows in every process listing; pass it with RUN --mount=type=secret",
				    c->name, hit.what);
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_secret_on_command_line(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run(m, r, out, cmdline_secret_run);
}

const struct hd_rule hd_rule_df_secret_on_command_line = {
	.id = "dockerfile/secret-on-command-line",
	.title = "Secret passed on a command line in RUN",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.10",
	.owasp = "D06",
	.rationale = "A RUN command line is stored in the image history (`docker history --no-trunc`) "
		     "and in the build cache, and while it runs it is visible to every process on the "
		     "builder: a password given as an argument is published with the image. Recognised: "
		     "password options of any tool (`--password X`, `--password=X`, `--token`, "
		     "`--api-key`, `--secret`, `--requirepass` of redis-server, `--storepass`), "
		     "`mysql -pX` and its siblings, `redis-cli -a X`, `sshpass -p X`, `docker login -p X`, "
		     "`curl -u user:pass`, `htpasswd -b file user pass`, Java's `-D...password=X` and URLs "
		     "with a password (`git clone https://user:token@host/...`). Values taken from a "
		     "variable or a command (`--password \"$(cat /run/secrets/db)\"`), placeholders and "
		     "`-` (read from stdin) are not reported.",
	.remediation = "Mount the secret for the one step that needs it and read it there: `RUN "
		       "--mount=type=secret,id=db_pw mysql -u app -p\"$(cat /run/secrets/db_pw)\" < "
		       "schema.sql`, built with `docker build --secret id=db_pw,src=./db_pw.txt .`.",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN redis-server --daemonize yes --requirepass s3cr3t-Passw0rd\n"
		       DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "RUN --mount=type=secret,id=redis_pw \\\n"
			"    redis-server --daemonize yes --requirepass \"$(cat /run/secrets/redis_pw)\"\n"
			DFR_EX_TAIL,
	.check = check_secret_on_command_line,
};

/* ---- credentials baked into the image ------------------------------------------------------- */

/* The command that feeds cmds[k] through a pipe, or NULL. */
static const struct hd_cmd *piped_from(const struct hd_shell *sh, size_t k)
{
	const struct hd_cmd *c = &sh->cmds[k];

	while (k > 0) {
		const struct hd_cmd *p = &sh->cmds[--k];

		if (p->depth > c->depth)
			continue;
		return p->depth == c->depth && p->sep == HD_SEP_PIPE ? p : NULL;
	}
	return NULL;
}

/* The first literal argument of echo/printf c holding "user:password" with a password, or NULL. */
static const struct hd_word *echoed_user_pass(const struct hd_cmd *c)
{
	size_t i;

	if (c->a0 >= c->argc || (strcmp(c->name, "echo") != 0 && strcmp(c->name, "printf") != 0))
		return NULL;
	for (i = c->a0 + 1; i < c->argc; i++) {
		const struct hd_word *w = &c->argv[i];
		const char *colon = strchr(w->text, ':');

		if (w->text[0] == '-' || (w->flags & HD_WORD_EXPANSION) || !colon || colon == w->text)
			continue;
		if (colon[1] && !isspace((unsigned char)colon[1]) && !hd_secret_value_harmless(colon + 1))
			return w;
	}
	return NULL;
}

/* True when one of c's redirections (or tee's operands) writes under /etc/sudoers. */
static bool writes_sudoers(const struct hd_shell *sh, size_t k)
{
	const struct hd_cmd *c = &sh->cmds[k];
	size_t i;

	for (i = 0; i < c->n_redirs; i++) {
		if (strchr(c->redirs[i].op, '>') && hd_starts_with(c->redirs[i].target.text, "/etc/sudoers"))
			return true;
	}
	/* echo ... | tee -a /etc/sudoers.d/app */
	if (c->sep == HD_SEP_PIPE && k + 1 < sh->n_cmds) {
		const struct hd_cmd *n = &sh->cmds[k + 1];

		if (n->a0 < n->argc && !strcmp(n->name, "tee")) {
			for (i = n->a0 + 1; i < n->argc; i++) {
				if (hd_starts_with(n->argv[i].text, "/etc/sudoers"))
					return true;
			}
		}
	}
	return false;
}

static int baked_report(const struct dfr_ctx *x, const struct hd_word *w, const char *what)
{
	return dfr_report_word(x->out, x->r, x->df, x->in, w, "%s: every container of the image has it, and the "
			       "image history shows how it was set", what);
}

static int baked_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	size_t k, i;
	int r;

	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k], *src;
		const struct hd_word *w;
		const char *n = c->name;

		/* chpasswd, passwd, useradd, usermod, adduser, echo, printf: most commands fail here. */
		if (c->a0 >= c->argc || (n[0] != 'c' && n[0] != 'p' && n[0] != 'u' && n[0] != 'a' && n[0] != 'e'))
			continue;
		/* Then each name is compared only with the names of its first letter. */
		if ((n[0] == 'c' && !strcmp(n, "chpasswd")) ||
		    (n[0] == 'p' && !strcmp(n, "passwd") && dfr_has_opt(c, c->a0 + 1, 0, "stdin"))) {
			/* echo 'user:pass' | chpasswd, echo pass | passwd --stdin user */
			src = piped_from(sh, k);
			w = src ? echoed_user_pass(src) : NULL;
			if (!w && src && !strcmp(n, "passwd") && src->a0 + 1 < src->argc &&
			    !(src->argv[src->argc - 1].flags & HD_WORD_EXPANSION) &&
			    (!strcmp(src->name, "echo") || !strcmp(src->name, "printf")))
				w = &src->argv[src->argc - 1];
			if (!w)
				continue;
			r = baked_report(x, w, !strcmp(n, "chpasswd") ? "a password is set with chpasswd from text in "
									  "the Dockerfile"
								       : "a password is set with passwd --stdin from "
									 "text in the Dockerfile");
		} else if ((n[0] == 'u' && (!strcmp(n, "useradd") || !strcmp(n, "usermod"))) ||
			   (n[0] == 'a' && !strcmp(n, "adduser"))) {
			/* useradd -p HASH, usermod --password HASH */
			size_t at;
			const char *pw = dfr_opt_value(c, c->a0 + 1, 'p', "password", &at);

			if (!strcmp(n, "adduser") || !pw || (c->argv[at].flags & HD_WORD_EXPANSION) ||
			    hd_secret_value_harmless(pw) || !strcmp(pw, "*") || !strcmp(pw, "!"))
				continue;
			r = baked_report(x, &c->argv[at], "a password (hash) is set for the user with -p");
		} else if (((n[0] == 'e' && !strcmp(n, "echo")) || (n[0] == 'p' && !strcmp(n, "printf"))) &&
			   writes_sudoers(sh, k)) {
			for (i = c->a0 + 1; i < c->argc; i++) {
				if (strstr(c->argv[i].text, "NOPASSWD"))
					break;
			}
			if (i == c->argc)
				continue;
			r = dfr_report_word(x->out, x->r, x->df, x->in, &c->argv[i],
					    "a sudoers rule with NOPASSWD is written: any process of that user "
					    "becomes root without a password, so a compromise of the application "
					    "is a root compromise");
		} else {
			continue;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_credentials_baked_in(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(USERMOD) | DFR_TOOL(ECHO), baked_run);
}

const struct hd_rule hd_rule_df_credentials_baked_in = {
	.id = "dockerfile/credentials-baked-in",
	.title = "Credentials baked into the image",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.10",
	.owasp = "D06",
	.rationale = "A password set at build time is the same in every container of the image and "
		     "readable from the image history and /etc/shadow of any copy: `echo 'user:pass' | "
		     "chpasswd`, `echo pass | passwd --stdin user` and `useradd -p <hash>` bake a shared "
		     "login into the image (an offline attack on the hash is all it takes), and a sudoers "
		     "rule with NOPASSWD written into /etc/sudoers(.d) makes any compromise of that user "
		     "a root compromise. Values from variables are not reported here (their ARG is, by "
		     "dockerfile/secret-variable); credential files copied in are "
		     "dockerfile/secret-file-copied's.",
	.remediation = "Do not give image users passwords or sudo: run as an unprivileged USER, switch "
		       "with USER for steps that need root, and provide credentials at run time from a "
		       "secret store (`docker run --secret` / compose `secrets:`).",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN useradd -m -u 10001 app \\\n"
		       " && echo 'app:Summer2024!' | chpasswd\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "RUN useradd -m -u 10001 app\n" DFR_EX_TAIL,
	.check = check_credentials_baked_in,
};

/* ---- downloads used without verification --------------------------------------------------- */

#define MAX_DOWNLOADS 8

struct download {
	const struct hd_cmd *c;   /* the curl/wget command */
	const struct hd_word *at; /* where to report: its URL */
	const char *path;         /* the file written, as given (or the URL's last component) */
	const char *base;         /* its last component */
	size_t base_len;
	const char *dir;          /* wget -P / curl --output-dir, or NULL */
	size_t dir_len;
};

/* The last path component of s ("https://x/a/b.tgz?x=1" -> "b.tgz"), into buf. */
static const char *last_component(const char *s, char *buf, size_t size)
{
	size_t n = strcspn(s, "?#"), start;

	while (n > 0 && s[n - 1] == '/')
		n--;
	start = n;
	while (start > 0 && s[start - 1] != '/')
		start--;
	n -= start;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s + start, n);
	buf[n] = '\0';
	return buf;
}

/* The URL argument of a fetcher (the first operand with ://), or NULL. */
static const struct hd_word *fetch_url_word(const struct hd_cmd *c)
{
	size_t i;

	for (i = c->a0 + 1; i < c->argc; i++) {
		if (strstr(c->argv[i].text, "://"))
			return &c->argv[i];
	}
	return NULL;
}

/* strcmp(n, w) == 0, with the first characters compared first (most names differ there). */
static inline bool name_is(const char *n, const char *w)
{
	return n[0] == w[0] && !strcmp(n, w);
}

/* True when path p names the downloaded file d (by its path, its base name, or $dir/base). */
static bool names_download(const char *p, const struct download *d)
{
	size_t n, bl = d->base_len;

	/* First characters first: nearly every word of a RUN is compared here. */
	if (p[0] == d->path[0] && !strcmp(p, d->path))
		return true;
	if (!bl)
		return false;
	/* p's last component is the base (which holds no '/'): p ends with it, after a '/' or alone. */
	n = strlen(p);
	return n >= bl && p[n - 1] == d->base[bl - 1] && memcmp(p + n - bl, d->base, bl) == 0 &&
	       (n == bl || p[n - bl - 1] == '/');
}

/* True for a directory programs are run from: .../bin, .../sbin, /usr/local, /usr, /opt/X. */
static bool bin_dir(const char *d)
{
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		n--;
	if ((n >= 3 && !strncmp(d + n - 3, "bin", 3) && (n == 3 || d[n - 4] == '/' || d[n - 4] == 's')) ||
	    (n == 10 && !strncmp(d, "/usr/local", 10)) || (n == 4 && !strncmp(d, "/usr", 4)))
		return true;
	return false;
}

/* The file a fetcher writes (when it writes one): fills d, false for stdout. */
static bool download_of(const struct hd_cmd *c, struct download *d, char *buf, size_t size)
{
	const struct hd_word *url = fetch_url_word(c);
	const char *out = NULL;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->c = c;
	d->at = url ? url : &c->argv[c->a0];
	if (!strcmp(c->name, "curl")) {
		out = dfr_opt_value_bundled(c, c->a0 + 1, 'o', "output");
		if (!out) {
			bool remote = false;

			for (i = c->a0 + 1; i < c->argc && !remote; i++) {
				const char *a = c->argv[i].text;

				remote = !strcmp(a, "--remote-name") || !strcmp(a, "--remote-name-all") ||
					 (a[0] == '-' && a[1] != '-' && strchr(a, 'O') && strspn(a + 1, "fsSLkvOJRq#") ==
					  strlen(a + 1));
			}
			if (!remote || !url)
				return false;
			out = last_component(url->text, buf, size);
		}
		d->dir = dfr_opt_value(c, c->a0 + 1, 0, "output-dir", NULL);
	} else { /* wget */
		out = dfr_opt_value_bundled(c, c->a0 + 1, 'O', "output-document");
		if (out && !strcmp(out, "-"))
			return false;
		d->dir = dfr_opt_value_bundled(c, c->a0 + 1, 'P', "directory-prefix");
		if (!out) {
			if (!url)
				return false;
			out = last_component(url->text, buf, size);
		}
	}
	if (!out || !*out || !strcmp(out, "-") || !strcmp(out, "/dev/null"))
		return false;
	d->path = out;
	d->base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	d->base_len = strlen(d->base);
	return true;
}

/* True when command c verifies a checksum or a signature. */
static bool verifies(const struct hd_cmd *c)
{
	static const char *const sums[] = { "sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum",
					    "shasum", "md5sum", "b2sum", "cksum", "gpg", "gpg2", "gpgv", "cosign",
					    "minisign", "signify", "slsa-verifier", "rekor-cli", "notation",
					    "sigstore", NULL };
	const char *n = c->name;

	if (c->a0 >= c->argc)
		return false;
	for (const char *const *s = sums; *s; s++) {
		if ((*s)[0] == n[0] && !strcmp(n, *s))
			return true;
	}
	if (!strcmp(n, "openssl"))
		return dfr_has_word(c, c->a0 + 1, "dgst") || dfr_has_opt(c, c->a0 + 1, 0, "verify");
	if (!strcmp(n, "rpm"))
		return dfr_has_opt(c, c->a0 + 1, 'K', "checksig");
	if (!strcmp(n, "gh"))
		return dfr_has_word(c, c->a0 + 1, "attestation");
	return false;
}

/* 1 when some command of the RUN checks a checksum or signature (anywhere in it), else 0. */
static int run_verifies(const struct hd_shell *sh)
{
	size_t k;

	for (k = 0; k < sh->n_cmds; k++) {
		if (verifies(&sh->cmds[k]))
			return 1;
	}
	return 0;
}

/*
 * How command c uses a downloaded file d (NULL when it does not): made
 * executable, installed, run, or unpacked into a bin directory.
 */
static const char *uses_download(const struct hd_cmd *c, const struct download *d)
{
	const char *n = c->name;
	struct hd_operands it;
	const struct hd_word *w;
	bool named = false;
	size_t i;

	if (c->a0 >= c->argc)
		return NULL;
	for (i = c->a0; i < c->argc && !named; i++)
		named = names_download(c->argv[i].text, d);
	if (!named)
		return NULL;
	if (names_download(c->argv[c->a0].text, d) && c->argv[c->a0].text[0] != '-')
		return "run";
	if (name_is(n, "chmod")) {
		hd_operands_init(&it, c, c->a0 + 1, NULL);
		w = hd_operands_next(&it, NULL);
		if (w && (strchr(w->text, 'x') || (isdigit((unsigned char)w->text[0]) && strpbrk(w->text, "1357"))))
			return "made executable";
		return NULL;
	}
	if (name_is(n, "install"))
		return "installed as a program";
	if (name_is(n, "dpkg") && dfr_has_opt(c, c->a0 + 1, 'i', "install"))
		return "installed with dpkg";
	if (name_is(n, "rpm") && (dfr_has_opt(c, c->a0 + 1, 'i', "install") || dfr_has_opt(c, c->a0 + 1, 'U', "upgrade")))
		return "installed with rpm";
	if (name_is(n, "gdebi"))
		return "installed with gdebi";
	if (name_is(n, "sh") || name_is(n, "bash") || name_is(n, "dash") || name_is(n, "ash") || name_is(n, "zsh") ||
	    (n[0] == 'p' && !strncmp(n, "python", 6)) || name_is(n, "perl") || name_is(n, "ruby") || name_is(n, "node") ||
	    name_is(n, "php") || name_is(n, "java"))
		return "run";
	if (name_is(n, "tar") || name_is(n, "unzip") || name_is(n, "bsdtar")) {
		const char *dir = dfr_opt_value_bundled(c, c->a0 + 1, name_is(n, "unzip") ? 'd' : 'C',
						   name_is(n, "unzip") ? NULL : "directory");

		if (dir && bin_dir(dir))
			return "unpacked into a bin directory";
		return NULL;
	}
	return NULL;
}

/* Installed through a package manager: apt-get install ./x.deb, dnf install x.rpm, apk add x.apk, pip install x.whl. */
static const char *pm_installs(const struct hd_pm_call *pm, const struct download *d)
{
	size_t p;

	if (pm->action != HD_PMA_INSTALL)
		return NULL;
	for (p = 0; p < pm->n_pkgs; p++) {
		if (names_download(pm->c->argv[pm->pkgs[p]].text, d))
			return "installed by the package manager";
	}
	return NULL;
}

static int unverified_run(const struct dfr_ctx *x)
{
	const struct hd_shell *sh = x->in->shell;
	struct download dl[MAX_DOWNLOADS];
	char bufs[MAX_DOWNLOADS][256];
	size_t n = 0, k, j, cur = 0;
	int r, checked = -1; /* whether the RUN checks a checksum or signature: asked before a report */

#define VERIFIED() (checked < 0 ? (checked = run_verifies(sh)) : checked)
	for (k = 0; k < sh->n_cmds; k++) {
		const struct hd_cmd *c = &sh->cmds[k];
		const struct hd_pm_call *pm = dfr_pm_at(x->in, k, &cur);

		if (c->a0 < c->argc && ((c->name[0] == 'c' && !strcmp(c->name, "curl")) ||
					(c->name[0] == 'w' && !strcmp(c->name, "wget")))) {
			const struct hd_cmd *next;

			if (n < MAX_DOWNLOADS && download_of(c, &dl[n], bufs[n], sizeof(bufs[n]))) {
				n++;
				continue;
			}
			/* curl URL | tar -xz -C /usr/local/bin */
			next = c->sep == HD_SEP_PIPE && k + 1 < sh->n_cmds ? &sh->cmds[k + 1] : NULL;
			if (next && next->a0 < next->argc && (!strcmp(next->name, "tar") || !strcmp(next->name, "bsdtar"))) {
				const char *dir = dfr_opt_value_bundled(next, next->a0 + 1, 'C', "directory");
				const struct hd_word *url = fetch_url_word(c);

				if (dir && bin_dir(dir) && !VERIFIED()) {
					r = dfr_report_word(x->out, x->r, x->df, x->in, url ? url : &c->argv[c->a0],
							    "'%s' is unpacked straight into %s with no checksum or "
							    "signature check in the same RUN: a changed or tampered "
							    "download becomes a program of the image",
							    c->name, dir);
					if (r < 0)
						return r;
				}
			}
			continue;
		}
		for (j = 0; j < n; j++) {
			const char *how = pm ? pm_installs(pm, &dl[j]) : uses_download(c, &dl[j]);

			if (!how)
				continue;
			if (VERIFIED())
				return 0;
			r = dfr_report_word(x->out, x->r, x->df, x->in, dl[j].at,
					    "the download saved as '%.*s' is %s with no checksum or signature check "
					    "in the same RUN: a changed or tampered file becomes part of the image",
					    DFR_W(dl[j].path), how);
			if (r < 0)
				return r;
			dl[j] = dl[--n]; /* one finding per download */
			j--;
		}
	}
#undef VERIFIED
	return 0;
}

static int check_download_unverified(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	return dfr_each_run_if(m, r, out, 0, DFR_TOOL(FETCH), unverified_run);
}

const struct hd_rule hd_rule_df_download_unverified = {
	.id = "dockerfile/download-unverified",
	.title = "Download used without a checksum or signature check",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.12",
	.owasp = "D08",
	.rationale = "A file fetched with curl or wget is whatever the server (or anyone able to "
		     "change it) returns today. Made executable, installed (`dpkg -i`, `rpm -i`, "
		     "`apt-get install ./x.deb`), run, or unpacked into a bin directory without a check "
		     "against a pinned checksum or a signature, it becomes a program of the image "
		     "unverified (CIS 4.12). Any checksum or signature tool in the same RUN "
		     "(sha256sum -c, gpg --verify, cosign verify, minisign) counts as a check. Piping "
		     "a download into a shell is dockerfile/curl-pipe-shell's; ADD of a URL without "
		     "--checksum is dockerfile/add-remote-without-checksum's.",
	.remediation = "Check a pinned checksum (or a signature) before using the file: `curl -fsSLo "
		       "/tmp/tool https://example.com/tool && echo \"<sha256>  /tmp/tool\" | sha256sum -c - && "
		       "install -m 0755 /tmp/tool /usr/local/bin/tool`.",
	.bad_example = DFR_EX_DEBIAN_FROM "RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool-1.2 \\\n"
		       " && chmod +x /usr/local/bin/tool\n" DFR_EX_TAIL,
	.good_example = DFR_EX_DEBIAN_FROM "RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool-1.2 \\\n"
			" && echo \"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae  "
			"/usr/local/bin/tool\" | sha256sum -c - \\\n"
			" && chmod +x /usr/local/bin/tool\n" DFR_EX_TAIL,
	.check = check_download_unverified,
};
