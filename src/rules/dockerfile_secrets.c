/*
 * Dockerfile rules on secrets: ENV/ARG/LABEL whose name says they hold a
 * secret, values anywhere in the file shaped like a credential (cloud keys,
 * tokens, private keys, JWTs, URLs with a password), secret files copied into
 * the image, and a build context without .dockerignore.
 *
 * The credential scanner looks at every byte of RUN bodies, so it is built
 * to be cheap: a 256-entry table selects the few bytes a token can be
 * recognised at (the rarest character of each prefix: 'A', '_', '-', 'J',
 * ':'), and only there are prefixes compared.  Nothing is allocated; found
 * secrets are never echoed whole into messages (CI logs are not a safe place
 * for them), only a short prefix.
 */
#include "core/common.h"
#include "rules/dockerfile_build.h"
#include "rules/secrets.h"

/* ---- value shapes ----------------------------------------------------- */

struct cred_hit {
	size_t off, len;  /* the token in the scanned text */
	const char *what; /* "a GitHub token" */
};

/* The bytes a credential can be recognised at (see the top of the file). */
static const unsigned char trig[256] = { ['A'] = 1, ['_'] = 1, ['-'] = 1, ['J'] = 1, [':'] = 1 };

static bool is_b32(char c) { return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); }
static bool is_tokc(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }
static bool is_b64(char c) { return isalnum((unsigned char)c) || c == '/' || c == '+'; }

/* Length of the run of characters satisfying ok() at s[i..n). */
static size_t run_len(const char *s, size_t i, size_t n, bool (*ok)(char))
{
	size_t j = i;

	while (j < n && ok(s[j]))
		j++;
	return j - i;
}

static bool is_alnum_c(char c) { return isalnum((unsigned char)c) != 0; }

/* True if no alphanumeric character precedes s[i]. */
static bool word_start(const char *s, size_t i)
{
	return i == 0 || !isalnum((unsigned char)s[i - 1]);
}

/* True if s[i..i+len) contains "EXAMPLE" (AWS documentation keys). */
static bool has_example(const char *s, size_t i, size_t len)
{
	size_t k;

	for (k = i; k + 7 <= i + len; k++) {
		if (memcmp(s + k, "EXAMPLE", 7) == 0)
			return true;
	}
	return false;
}

static bool hit_at(struct cred_hit *h, size_t off, size_t len, const char *what)
{
	h->off = off;
	h->len = len;
	h->what = what;
	return true;
}

static bool check_at_A(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	static const char *const aws[] = { "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA",
					   "ANPA", "ANVA", "ABIA", "ACCA" };
	size_t k, len;

	if (!word_start(s, i) || i + 20 > n)
		return false;
	if (memcmp(s + i, "AIza", 4) == 0) {
		len = run_len(s, i + 4, n, is_tokc);
		if (len >= 35 && !has_example(s, i, len + 4))
			return hit_at(h, i, 4 + len, "a Google API key");
		return false;
	}
	for (k = 0; k < HD_ARRAY_SIZE(aws); k++) {
		if (memcmp(s + i, aws[k], 4) != 0)
			continue;
		len = run_len(s, i + 4, n, is_b32);
		if (len == 16 && (i + 20 == n || !isalnum((unsigned char)s[i + 20])) &&
		    !has_example(s, i, 20))
			return hit_at(h, i, 20, "an AWS access key id");
		return false;
	}
	return false;
}

static bool aws_secret_after(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	size_t j = i, skipped = 0, len;

	while (j < n && skipped < 6 && strchr(" \t'\"=:", s[j])) {
		j++;
		skipped++;
	}
	len = run_len(s, j, n, is_b64);
	if (len == 40 && !has_example(s, j, 40))
		return hit_at(h, j, 40, "an AWS secret access key");
	return false;
}

static bool check_at_underscore(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	size_t len;

	/* ghp_, gho_, ghu_, ghs_, ghr_ + 36 */
	if (i >= 3 && s[i - 3] == 'g' && s[i - 2] == 'h' && s[i - 1] && strchr("pousr", s[i - 1]) &&
	    word_start(s, i - 3)) {
		len = run_len(s, i + 1, n, is_alnum_c);
		if (len >= 36)
			return hit_at(h, i - 3, 4 + len, "a GitHub token");
	}
	/* github_pat_ + 22 or more, seen at its last '_' */
	if (i >= 10 && memcmp(s + i - 10, "github_pat_", 11) == 0 && word_start(s, i - 10)) {
		len = run_len(s, i + 1, n, is_tokc);
		if (len >= 22)
			return hit_at(h, i - 10, 11 + len, "a GitHub token");
	}
	/* sk_live_ / rk_live_ (Stripe) */
	if (i >= 2 && s[i - 1] == 'k' && (s[i - 2] == 's' || s[i - 2] == 'r') && word_start(s, i - 2) &&
	    i + 6 <= n && memcmp(s + i, "_live_", 6) == 0) {
		len = run_len(s, i + 6, n, is_alnum_c);
		if (len >= 24)
			return hit_at(h, i - 2, 8 + len, "a Stripe live key");
	}
	/* npm_ + 36 */
	if (i >= 3 && memcmp(s + i - 3, "npm", 3) == 0 && word_start(s, i - 3)) {
		len = run_len(s, i + 1, n, is_alnum_c);
		if (len == 36)
			return hit_at(h, i - 3, 40, "an npm token");
	}
	/* aws_secret_access_key <40 base64> */
	if (i >= 6 && i + 11 <= n && strncasecmp(s + i - 6, "secret_access_key", 17) == 0)
		return aws_secret_after(s, i + 11, n, h);
	return false;
}

static bool check_at_dash(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	size_t len, k;

	if (i + 11 <= n && memcmp(s + i, "-----BEGIN ", 11) == 0) {
		for (k = i + 11; k < n && k < i + 60 && s[k] != '\n' && s[k] != '-'; k++)
			;
		if (k >= i + 22 && k + 5 <= n && memcmp(s + k - 11, "PRIVATE KEY", 11) == 0 &&
		    memcmp(s + k, "-----", 5) == 0)
			return hit_at(h, i, k + 5 - i, "a private key");
		return false;
	}
	/* xoxb-, xoxp-, xoxa-, xoxo-, xoxr-, xoxs- (Slack) */
	if (i >= 4 && s[i - 4] == 'x' && s[i - 3] == 'o' && s[i - 2] == 'x' && s[i - 1] &&
	    strchr("abposr", s[i - 1]) && word_start(s, i - 4)) {
		len = run_len(s, i + 1, n, is_tokc);
		if (len >= 10)
			return hit_at(h, i - 4, 5 + len, "a Slack token");
	}
	/* glpat- (GitLab) */
	if (i >= 5 && memcmp(s + i - 5, "glpat", 5) == 0 && word_start(s, i - 5)) {
		len = run_len(s, i + 1, n, is_tokc);
		if (len >= 20)
			return hit_at(h, i - 5, 6 + len, "a GitLab token");
	}
	return false;
}

static bool check_at_J(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	size_t a, b, c, st;

	if (i < 2 || s[i - 2] != 'e' || s[i - 1] != 'y' || !word_start(s, i - 2))
		return false;
	st = i - 2;
	a = run_len(s, st, n, is_tokc);
	if (a < 10 || st + a >= n || s[st + a] != '.')
		return false;
	if (st + a + 4 > n || memcmp(s + st + a + 1, "eyJ", 3) != 0)
		return false;
	b = run_len(s, st + a + 1, n, is_tokc);
	if (b < 10 || st + a + 1 + b >= n || s[st + a + 1 + b] != '.')
		return false;
	c = run_len(s, st + a + b + 2, n, is_tokc);
	return hit_at(h, st, a + b + c + 2, "a JSON web token");
}

/* True if the password of a URL is a placeholder ("****", "xxx", "<pass>"). */
static bool placeholder(const char *p, size_t n)
{
	size_t k;

	if (n >= 2 && p[0] == '<' && p[n - 1] == '>')
		return true;
	for (k = 0; k < n; k++) {
		if (p[k] != '*' && p[k] != 'x' && p[k] != 'X' && p[k] != '.')
			return false;
	}
	return true;
}

static bool check_at_colon(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	size_t st = i, j, at = 0, colon = 0;

	if (i + 3 > n || s[i + 1] != '/' || s[i + 2] != '/' || i == 0)
		return false;
	while (st > 0 && (isalnum((unsigned char)s[st - 1]) || s[st - 1] == '+' || s[st - 1] == '.' ||
			  s[st - 1] == '-'))
		st--;
	if (st == i || !isalpha((unsigned char)s[st]))
		return false;
	for (j = i + 3; j < n; j++) {
		char c = s[j];

		if (c == '/' || c == '?' || c == '#' || (unsigned char)c <= ' ' || c == '"' || c == '\'' ||
		    c == '`' || c == '\\')
			break;
		if (c == '@')
			at = j;
	}
	if (!at)
		return false;
	for (j = i + 3; j < at; j++) {
		if (s[j] == ':') {
			colon = j;
			break;
		}
	}
	if (!colon || colon == i + 3 || colon + 1 == at)
		return false;
	if (memchr(s + i + 3, '$', at - i - 3) || placeholder(s + colon + 1, at - colon - 1))
		return false;
	return hit_at(h, st, at - st, "a URL with a password");
}

/*
 * Checks the trigger byte s[i].  One or two neighbouring bytes are compared
 * inline before any function is called, so text full of '-' and '_' (shell
 * options, variable names) costs little.
 */
static inline bool check_trigger(const char *s, size_t i, size_t n, struct cred_hit *h)
{
	char prev = i ? s[i - 1] : '\0', prev2 = i > 1 ? s[i - 2] : '\0';
	char next = i + 1 < n ? s[i + 1] : '\0';

	switch (s[i]) {
	case 'A':
		return next >= 'A' && next <= 'Z' && check_at_A(s, i, n, h);
	case '_':
		/* gh?_, (github_)pat_, (sk_)live_, npm_, secret_(access_key) */
		if ((prev2 == 'h' && prev && strchr("pousr", prev)) || (prev2 == 'a' && prev == 't') ||
		    (prev2 == 'v' && prev == 'e') || (prev2 == 'p' && prev == 'm') ||
		    ((prev2 | 0x20) == 'e' && (prev | 0x20) == 't') || (prev2 == 's' && prev == 'k') ||
		    (prev2 == 'r' && prev == 'k'))
			return check_at_underscore(s, i, n, h);
		return false;
	case '-':
		/* -----BEGIN, xox?-, glpat- */
		if ((next == '-' && i + 2 < n && s[i + 2] == '-') || prev2 == 'x' ||
		    (prev2 == 'a' && prev == 't'))
			return check_at_dash(s, i, n, h);
		return false;
	case 'J':
		return prev == 'y' && check_at_J(s, i, n, h);
	case ':':
		return next == '/' && check_at_colon(s, i, n, h);
	default:
		return false;
	}
}

typedef unsigned char dfb_v16 __attribute__((vector_size(16)));

/* Loads 16 bytes at p (any alignment). */
static inline dfb_v16 load16(const char *p)
{
	dfb_v16 v;

	memcpy(&v, p, 16);
	return v;
}

/*
 * The trigger test of check_trigger() for 16 positions at once: a lane is
 * set where a trigger byte has the neighbours check_trigger() wants.  Most
 * '-' and '_' of shell text fail here without a branch.
 */
/* True when some lane of m is set. */
static inline bool any_lane(dfb_v16 m)
{
	uint64_t half[2];

	memcpy(half, &m, 16);
	return (half[0] | half[1]) != 0;
}

/* (v is the 16 bytes at p, is_u their '_' lanes, both known by the caller.) */
static inline dfb_v16 trigger_mask(const char *p, dfb_v16 v, dfb_v16 is_u)
{
	const dfb_v16 prev = load16(p - 1), prev2 = load16(p - 2);
	const dfb_v16 next = load16(p + 1);
	dfb_v16 a, u = { 0 }, d, j, c;

	a = (dfb_v16)(v == 'A') & (dfb_v16)((dfb_v16)(next - 'A') < 26);
	/* The pairs before a '_' cost the most: only for blocks that hold one. */
	if (any_lane(is_u)) {
		const dfb_v16 prev_l = prev | 0x20, prev2_l = prev2 | 0x20;

		u = is_u &
		    ((dfb_v16)((prev2 == 'h') & ((prev == 'p') | (prev == 'o') | (prev == 'u') | (prev == 's') |
						  (prev == 'r'))) |
		     (dfb_v16)((prev2 == 'a') & (prev == 't')) | (dfb_v16)((prev2 == 'v') & (prev == 'e')) |
		     (dfb_v16)((prev2 == 'p') & (prev == 'm')) | (dfb_v16)((prev2_l == 'e') & (prev_l == 't')) |
		     (dfb_v16)(((prev2 == 's') | (prev2 == 'r')) & (prev == 'k')));
	}
	d = (dfb_v16)(v == '-') &
	    ((dfb_v16)(next == '-') | (dfb_v16)(prev2 == 'x') | (dfb_v16)((prev2 == 'a') & (prev == 't')));
	j = (dfb_v16)(v == 'J') & (dfb_v16)(prev == 'y');
	c = (dfb_v16)(v == ':') & (dfb_v16)(next == '/');
	return a | u | d | j | c;
}

/*
 * Finds the first credential-shaped token in s[from..n).  Sixteen positions
 * at a time are tested with GCC/Clang vector extensions (SSE2 or NEON code,
 * plain C elsewhere); only the rare positions that pass are looked at with
 * check_trigger().  The first two and the last 17 bytes go byte by byte.
 */
static bool find_credential(const char *s, size_t from, size_t n, struct cred_hit *h)
{
	size_t i = from;

	for (; i < n && i < 2; i++) {
		if (trig[(unsigned char)s[i]] && check_trigger(s, i, n, h))
			return true;
	}
	while (i + 17 <= n) {
		dfb_v16 m, v = load16(s + i), is_u = (dfb_v16)(v == '_');
		uint64_t lo, hi;

		/* Most blocks hold no trigger byte at all: five compares rule them out. */
		m = (dfb_v16)(v == 'A') | is_u | (dfb_v16)(v == '-') | (dfb_v16)(v == 'J') | (dfb_v16)(v == ':');
		memcpy(&lo, &m, 8);
		memcpy(&hi, (const char *)&m + 8, 8);
		if (!(lo | hi)) {
			i += 16;
			continue;
		}
		m = trigger_mask(s + i, v, is_u);

		memcpy(&lo, &m, 8);
		memcpy(&hi, (const char *)&m + 8, 8);
		while (lo) {
			unsigned k = (unsigned)__builtin_ctzll(lo) / 8;

			if (check_trigger(s, i + k, n, h))
				return true;
			lo &= ~(0xffull << (k * 8));
		}
		while (hi) {
			unsigned k = (unsigned)__builtin_ctzll(hi) / 8;

			if (check_trigger(s, i + 8 + k, n, h))
				return true;
			hi &= ~(0xffull << (k * 8));
		}
		i += 16;
	}
	for (; i < n; i++) {
		if (trig[(unsigned char)s[i]] && check_trigger(s, i, n, h))
			return true;
	}
	return false;
}

/* Credentials in a ENV/ARG/LABEL pair: the scan plus AWS secret keys known by their name. */
static bool kv_credential(const struct hd_kv *kv, struct cred_hit *h)
{
	size_t n;

	if (!kv->value)
		return false;
	n = strlen(kv->value);
	if (find_credential(kv->value, 0, n, h))
		return true;
	if (n == 40 && run_len(kv->value, 0, n, is_b64) == 40 && !has_example(kv->value, 0, 40) &&
	    (hd_strcasestr(kv->key, "secret_access_key") || hd_strcasestr(kv->key, "aws_secret")))
		return hit_at(h, 0, 40, "an AWS secret access key");
	return false;
}

/* A short, safe preview of a secret for messages: its first characters then "...". */
static const char *preview(const char *s, size_t len, const char *what, char *buf, size_t size)
{
	size_t show = len >= 16 ? 4 : 0;
	int r;

	if (strcmp(what, "a private key") == 0)
		show = len;
	else if (strcmp(what, "a URL with a password") == 0) {
		/* scheme://user: then the password hidden. */
		const char *sep = memchr(s, ':', len);

		sep = sep ? memchr(sep + 1, ':', len - (size_t)(sep + 1 - s)) : NULL;
		show = sep ? (size_t)(sep + 1 - s) : 0;
	}
	if (show >= size - 4)
		show = size - 4;
	r = snprintf(buf, size, "%.*s%s", (int)show, s, show < len ? "..." : "");
	if (r < 0)
		buf[0] = '\0';
	return buf;
}

/* The name's span: the pair's start, as long as the key. */
static struct hd_span key_span(const struct hd_kv *kv)
{
	struct hd_span sp = kv->span;

	sp.end_line = sp.line;
	sp.end_col = sp.col + (uint32_t)strlen(kv->key);
	return sp;
}

/* ---- secret names (DL3064, CIS 4.10) ---------------------------------- */

static hd_check_fn check_secret_variable;
static int check_secret_variable(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_ENV && in->kind != HD_I_ARG && in->kind != HD_I_LABEL)
			continue;
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			const char *word;
			size_t word_len;
			struct cred_hit h;
			struct hd_span at;
			bool declared_only;

			/* The shared classifier (rules/secrets.h): the name says secret, the value can be one. */
			if (!hd_secret_name_word(kv->key, &word, &word_len))
				continue;
			declared_only = in->kind == HD_I_ARG && (!kv->value || !*kv->value);
			if (!declared_only && (hd_secret_value_harmless(kv->value ? kv->value : "") ||
					       kv_credential(kv, &h)))
				continue;
			at = key_span(kv);
			if (declared_only)
				ret = dfb_report(m, r, out, &at, HD_SEV_MEDIUM,
						 "ARG '%s' looks like a secret ('%.*s'): build arguments are "
						 "recorded in the image history; use RUN --mount=type=secret",
						 kv->key, (int)word_len, word);
			else if (in->kind == HD_I_ARG)
				ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
						 "ARG '%s' holds a secret default: it is recorded in the image "
						 "history and the build cache",
						 kv->key);
			else
				ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
						 "%s '%s' holds a secret: it stays in the image config for "
						 "anyone who can pull the image",
						 hd_instr_name(in->kind), kv->key);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_secret_variable = {
	.id = "dockerfile/secret-variable",
	.title = "ENV, ARG or LABEL holds a secret",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.10",
	.owasp = "D06",
	.hadolint = "DL3064",
	.other = "dockle:CIS-DI-0010 buildkit:SecretsUsedInArgOrEnv",
	.rationale = "ENV values and LABELs are part of the image config, readable by anyone who can "
		     "pull the image (`docker inspect`); ARG values are recorded in `docker history` "
		     "and in provenance attestations. A password set there is published with the "
		     "image. The one classifier shared with container/secret-in-env and the image rules "
		     "(rules/secrets.h) judges name and value: names are split into words (`DB_PASSWORD`, "
		     "`dbPassword`, `GITHUB_TOKEN`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`); names about a "
		     "secret rather than holding one are not reported (`PASSWORD_FILE`, `TOKEN_AUTH_URL`, "
		     "`JWT_TOKEN_AUTH_MODULE`, `SECRET_PATH`, `SE_VNC_NO_PASSWORD`, `*_USER`, `*_ID`), nor "
		     "are values that are empty, booleans (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`), URLs without "
		     "credentials, paths, placeholders or a reference to another variable (`ENV DB_PASSWORD=$DB_PASSWORD` is "
		     "reported at the ARG it comes from). A secret-looking ARG without a default is "
		     "reported at medium: the value comes from `--build-arg`, which lands in the "
		     "history too. Values with a known credential shape are reported by "
		     "dockerfile/hardcoded-credential instead.",
	.remediation = "Pass secrets at build time as BuildKit secrets and at run time from the "
		       "orchestrator: `RUN --mount=type=secret,id=npm_token "
		       "NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci` built with "
		       "`docker build --secret id=npm_token,env=NPM_TOKEN .`; for a service, "
		       "read `DB_PASSWORD_FILE=/run/secrets/db_password`.",
	.bad_example = DFB_GOOD_FROM "ENV DB_PASSWORD=hunter2\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "ENV DB_PASSWORD_FILE=/run/secrets/db_password\n" DFB_GOOD_TAIL,
	.check = check_secret_variable,
};

/* ---- credential shapes (CIS 4.10) ------------------------------------- */

/* Reports hit h in s, found in instruction in (in the value of pair kv when not NULL). */
static int report_hit(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
		      const struct hd_span *at, const struct hd_instr *in, const struct hd_kv *kv,
		      const char *s, const struct cred_hit *h)
{
	char pv[80];

	preview(s + h->off, h->len, h->what, pv, sizeof(pv));
	if (kv)
		return dfb_report(m, r, out, at, HD_SEV_NONE, "%s '%s' holds %s ('%s')",
				  hd_instr_name(in->kind), kv->key, h->what, pv);
	return dfb_report(m, r, out, at, HD_SEV_NONE, "%s holds %s ('%s')", hd_instr_name(in->kind),
			  h->what, pv);
}

/*
 * Scans s[0..n) of instruction in and reports every hit.  Positions: the
 * fixed span when given, else lines counted from body_line (heredoc bodies)
 * when not 0, else in's text map.
 */
static int scan_text(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
		     const struct hd_instr *in, const char *s, size_t n, const struct hd_span *fixed,
		     uint32_t body_line)
{
	struct cred_hit h;
	size_t from = 0;
	int ret;

	while (from < n && find_credential(s, from, n, &h)) {
		struct hd_span at = { 0 };

		if (fixed) {
			at = *fixed;
		} else if (body_line) {
			size_t k, line_start = 0;
			uint32_t line = body_line;

			for (k = 0; k < h.off; k++) {
				if (s[k] == '\n') {
					line++;
					line_start = k + 1;
				}
			}
			at.line = at.end_line = line;
			at.col = (uint32_t)(h.off - line_start + 1);
			at.end_col = at.col + (uint32_t)h.len;
		} else {
			hd_instr_offset_pos(in, h.off, &at.line, &at.col);
			hd_instr_offset_pos(in, h.off + h.len, &at.end_line, &at.end_col);
		}
		ret = report_hit(m, r, out, &at, in, NULL, s, &h);
		if (ret < 0)
			return ret;
		from = h.off + (h.len ? h.len : 1);
	}
	return 0;
}

static int scan_instr(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
		      const struct hd_instr *in)
{
	size_t k;
	int ret;

	if (in->kind == HD_I_ENV || in->kind == HD_I_ARG || in->kind == HD_I_LABEL) {
		for (k = 0; k < in->n_kvs; k++) {
			const struct hd_kv *kv = &in->kvs[k];
			struct cred_hit h;

			if (!kv_credential(kv, &h))
				continue;
			ret = report_hit(m, r, out, kv->value_span.line ? &kv->value_span : &kv->span,
					 in, kv, kv->value, &h);
			if (ret < 0)
				return ret;
		}
		return 0;
	}
	if (in->text && in->n_segs) {
		ret = scan_text(m, r, out, in, in->text, in->text_len, NULL, 0); /* text_len: strlen(text) */
		if (ret < 0)
			return ret;
	} else {
		for (k = 0; k < in->n_args; k++) {
			ret = scan_text(m, r, out, in, in->args[k].raw, strlen(in->args[k].raw),
					&in->args[k].span, 0);
			if (ret < 0)
				return ret;
		}
		for (k = 0; k < in->n_heredocs; k++) {
			const struct hd_heredoc *hd = &in->heredocs[k];

			if (!hd->body)
				continue;
			ret = scan_text(m, r, out, in, hd->body, strlen(hd->body), NULL,
					hd->body_line ? hd->body_line : in->span.line);
			if (ret < 0)
				return ret;
		}
	}
	if (in->onbuild)
		return scan_instr(m, r, out, in->onbuild);
	return 0;
}

static hd_check_fn check_hardcoded_credential;
static int check_hardcoded_credential(const struct hd_model *m, const struct hd_rule *r,
				      struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		ret = scan_instr(m, r, out, &df->instrs[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_hardcoded_credential = {
	.id = "dockerfile/hardcoded-credential",
	.title = "Credential written in the Dockerfile",
	.severity = HD_SEV_CRITICAL,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010 trivy:secret",
	.rationale = "A live credential in a Dockerfile is in the repository history, in the build "
		     "cache, and - through ENV, LABEL, ARG or a RUN layer - in every copy of the image. "
		     "Values are recognised by shape wherever they appear (ENV/ARG/LABEL values, RUN, "
		     "CMD, ENTRYPOINT, HEALTHCHECK, ADD URLs, heredoc bodies): AWS access key ids "
		     "(AKIA/ASIA...), AWS secret keys next to their name, GitHub (ghp_, gho_, ghu_, "
		     "ghs_, ghr_, github_pat_), GitLab (glpat-), Slack (xox?-), Stripe live keys, npm "
		     "tokens, Google API keys (AIza), private key blocks, JSON web tokens and URLs "
		     "with a password. AWS's documentation keys (containing EXAMPLE), passwords that "
		     "are variables and placeholders such as `****` are not reported. Messages show "
		     "only a prefix of the secret.",
	.remediation = "Revoke the credential now (it is compromised once committed), then pass it as "
		       "a BuildKit secret: `RUN --mount=type=secret,id=gh_token "
		       "GH_TOKEN=$(cat /run/secrets/gh_token) ./fetch-deps.sh`, built with "
		       "`docker build --secret id=gh_token,env=GH_TOKEN .`.",
	.bad_example = DFB_GOOD_FROM "ENV AWS_ACCESS_KEY_ID=AKIAZ7VRSQ2LMT5NQPWX\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_hardcoded_credential,
};

/* ---- secret files (CIS 4.10) ------------------------------------------ */

static bool ends_with_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* True if the path has a component equal to comp ("/root/.ssh/id" has ".ssh"). */
static bool has_component(const char *p, const char *comp)
{
	size_t n = strlen(comp);
	const char *q = p;

	while ((q = strstr(q, comp))) {
		if ((q == p || q[-1] == '/') && (q[n] == '\0' || q[n] == '/'))
			return true;
		q += n;
	}
	return false;
}

/* What kind of secret file a path names, or NULL. */
static const char *secret_file_kind(const char *path)
{
	static const char *const env_templates[] = { "example", "sample", "template", "dist",
						     "defaults", "tpl", "schema", "test", NULL };
	static const char *const ssh_keys[] = { "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
						"id_ecdsa_sk", "id_ed25519_sk", NULL };
	static const struct { const char *name, *what; } dotfiles[] = {
		{ ".npmrc", "an npm config with registry tokens" },
		{ ".pypirc", "a PyPI config with upload credentials" },
		{ ".netrc", "a .netrc with passwords" },
		{ ".git-credentials", "stored git credentials" },
		{ ".pgpass", "a PostgreSQL password file" },
		{ ".htpasswd", "an htpasswd file" },
		{ ".dockercfg", "Docker registry credentials" },
		{ ".s3cfg", "S3 credentials" },
		{ ".boto", "cloud credentials" },
	};
	static const struct { const char *suffix, *what; } paths[] = {
		{ ".aws/credentials", "AWS credentials" },
		{ ".docker/config.json", "Docker registry credentials" },
		{ ".kube/config", "a kubeconfig with cluster credentials" },
		{ "gcloud/application_default_credentials.json", "Google Cloud credentials" },
	};
	char base[256];
	const char *b, *ext;
	size_t i;

	if (!*path || strchr(path, '$'))
		return NULL;
	b = dfb_basename(path, base, sizeof(base));
	/* Dispatch on the first letter: most names (app.py, src/) leave at once. */
	switch (b[0] | 0x20) {
	case '.':
		if (strcasecmp(b, ".env") == 0)
			return "a dotenv file";
		if (strncasecmp(b, ".env.", 5) == 0)
			return dfr_in_list_n(b + 5, strlen(b + 5), env_templates) ? NULL : "a dotenv file";
		if (strcmp(b, ".ssh") == 0)
			return "an SSH directory";
		for (i = 0; i < HD_ARRAY_SIZE(dotfiles); i++) {
			if (strcasecmp(b, dotfiles[i].name) == 0)
				return dotfiles[i].what;
		}
		break;
	case 'i':
		if (b[1] == 'd' && b[2] == '_' && dfr_in_list_n(b, strlen(b), ssh_keys))
			return "an SSH private key";
		break;
	case '_':
		if (strcasecmp(b, "_netrc") == 0)
			return "a .netrc with passwords";
		break;
	case 'k':
		if (strcasecmp(b, "kubeconfig") == 0)
			return "a kubeconfig with cluster credentials";
		break;
	case 'a':
	case 'c':
		if (strcasecmp(b, "credentials.json") == 0)
			return "a credentials file";
		for (i = 0; i < HD_ARRAY_SIZE(paths); i++) {
			if (ends_with_nocase(path, paths[i].suffix))
				return paths[i].what;
		}
		break;
	default:
		break;
	}
	if (strstr(path, ".ssh/") && has_component(path, ".ssh"))
		return "an SSH directory";
	ext = strrchr(b, '.');
	if (!ext || ext == b)
		return NULL;
	ext++;
	switch (ext[0] | 0x20) {
	case 'p':
		if (!strcasecmp(ext, "p12") || !strcasecmp(ext, "pfx"))
			return "a key store";
		if (strcasecmp(ext, "pem") != 0)
			return NULL;
		break;
	case 'j':
		return strcasecmp(ext, "jks") == 0 ? "a key store" : NULL;
	case 'k':
		if (!strcasecmp(ext, "keystore"))
			return "a key store";
		if (strcasecmp(ext, "key") != 0)
			return NULL;
		break;
	default:
		return NULL;
	}
	if (hd_strcasestr(b, "dhparam") || hd_istarts_with(b, "ffdhe") ||
	    (hd_istarts_with(b, "dh") && (isdigit((unsigned char)b[2]) || b[2] == '.' || b[2] == '-')))
		return NULL; /* Diffie-Hellman parameters are public */
	if ((ext[0] | 0x20) == 'p') {
		if (hd_strcasestr(b, "cert") || hd_strcasestr(b, "chain") || hd_strcasestr(b, "bundle") ||
		    hd_strcasestr(b, "pub") || hd_strcasestr(b, "root") || hd_istarts_with(b, "ca.") ||
		    hd_istarts_with(b, "ca-") || hd_istarts_with(b, "ca_"))
			return NULL;
		return "a PEM file that may hold a private key";
	}
	if (hd_strcasestr(b, "pub") || hd_strcasestr(b, "gpg") || hd_strcasestr(b, ".asc"))
		return NULL;
	return "a private key file";
}

/* True if a COPY destination says the key is public (a keyring, a CA store, "*.pub"). */
static bool public_destination(const char *dest)
{
	static const char *const marks[] = { "pub", "keyring", "trusted.gpg", "rpm-gpg", "gnupg",
					     "ca-certificates", "/certs", ".crt", ".asc", ".gpg" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(marks); i++) {
		if (hd_strcasestr(dest, marks[i]))
			return true;
	}
	return false;
}

static hd_check_fn check_secret_file;
static int check_secret_file(const struct hd_model *m, const struct hd_rule *r,
			     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		const struct hd_arg *dest;
		const char *what = NULL;
		bool reported = false;

		if ((in->kind != HD_I_COPY && in->kind != HD_I_ADD) || in->n_args < 2)
			continue;
		dest = &in->args[in->n_args - 1];
		for (k = 0; k + 1 < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];

			if (a->unresolved || dfb_is_url(a->value) || !(what = secret_file_kind(a->value)))
				continue;
			/* jenkins.key copied to /war/jenkins-key.pub is a public key. */
			if ((strstr(what, "key file") || strstr(what, "PEM")) && public_destination(dest->value))
				continue;
			ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
					 "%s of '%s' puts %s into the image: mount it with "
					 "RUN --mount=type=secret instead",
					 hd_instr_name(in->kind), a->value, what);
			if (ret < 0)
				return ret;
			reported = true;
		}
		if (reported || dest->unresolved || !(what = secret_file_kind(dest->value)))
			continue;
		ret = dfb_report(m, r, out, &dest->span, HD_SEV_NONE,
				 "%s to '%s' puts %s into the image: mount it with "
				 "RUN --mount=type=secret instead",
				 hd_instr_name(in->kind), dest->value, what);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_secret_file_copied = {
	.id = "dockerfile/secret-file-copied",
	.title = "Secret file copied into the image",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010",
	.rationale = "A file copied into a layer stays in the image even if a later step deletes it: "
		     "`docker save` and any registry pull expose every layer. Sources and "
		     "destinations are checked: .env files (not .env.example and other templates), "
		     "SSH keys and .ssh directories, *.pem and *.key (certificates, CA bundles and "
		     "public or GPG keys by name are not reported), key stores (*.p12, *.pfx, *.jks), "
		     ".npmrc, .pypirc, .netrc, .git-credentials, .pgpass, .aws/credentials, "
		     ".docker/config.json, kubeconfig.",
	.remediation = "Mount the secret for the one step that needs it, so it never lands in a "
		       "layer: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` built "
		       "with `docker build --secret id=npmrc,src=$HOME/.npmrc .`; for SSH use "
		       "`RUN --mount=type=ssh git clone ...`. Keep such files out of the context with "
		       ".dockerignore.",
	.bad_example = DFB_GOOD_FROM "COPY .npmrc /root/.npmrc\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "COPY package.json /app/\n" DFB_GOOD_TAIL,
	.check = check_secret_file,
};

/* ---- .dockerignore ---------------------------------------------------- */

/* True if a COPY/ADD source sends the whole build context. */
static bool whole_context(const char *v)
{
	return !strcmp(v, ".") || !strcmp(v, "./") || !strcmp(v, "*") || !strcmp(v, "./*") ||
	       !strcmp(v, "/") || !strcmp(v, ".*");
}

/* Where the .dockerignore was looked for, for messages (the context directory follows when known). */
static const char *where_ctx(const struct hd_dockerfile *df)
{
	if (!df->build_context)
		return "beside the Dockerfile";
	return df->build_context_named ? "in its build context '" : "beside the Dockerfile nor above it up to the "
								    "repository root, in '";
}

static hd_check_fn check_no_dockerignore;
static int check_no_dockerignore(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_arg *first = NULL;
	const struct hd_instr *first_in = NULL;
	size_t i, k;

	if (!df->dockerignore_known)
		return HD_RULE_NOT_APPLICABLE;
	if (df->has_dockerignore)
		return 0;
	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if ((in->kind != HD_I_COPY && in->kind != HD_I_ADD) || in->n_args < 2 ||
		    hd_instr_flag(in, "from"))
			continue;
		for (k = 0; k + 1 < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];

			if (dfb_is_url(a->value) || hd_starts_with(a->raw, "<<"))
				continue;
			if (whole_context(a->value))
				return dfb_report(m, r, out, &a->span, HD_SEV_NONE,
						  "%s '%s' sends the whole build context into the image, "
						  "and there is no .dockerignore %s%s%s to keep .git, .env "
						  "and keys out",
						  hd_instr_name(in->kind), a->value, where_ctx(df),
						  df->build_context ? df->build_context : "",
						  df->build_context ? "'" : "");
			if (!first) {
				first = a;
				first_in = in;
			}
		}
	}
	if (!first)
		return 0;
	return dfb_report(m, r, out, &first->span, HD_SEV_LOW,
			  "no .dockerignore %s%s%s: %s '%s' and later copies read from an unfiltered "
			  "build context",
			  where_ctx(df), df->build_context ? df->build_context : "", df->build_context ? "'" : "",
			  hd_instr_name(first_in->kind), first->value);
}

const struct hd_rule hd_rule_df_no_dockerignore = {
	.id = "dockerfile/no-dockerignore",
	.title = "Build context has no .dockerignore",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010",
	.rationale = "Without .dockerignore, `COPY . .` copies whatever sits in the build context: the "
		     ".git history, .env files, local keys and credentials, editor backups. The "
		     ".dockerignore that counts is the one at the root of the build context (or "
		     "`<name>.Dockerfile.dockerignore` beside the Dockerfile), so the context is looked "
		     "for: a compose file's `build.context` and `docker build`/`buildx build` lines (`-f` "
		     "and the context operand) in the scripts, Makefiles and CI files of the same lint "
		     "run decide; otherwise the Dockerfile's directory and each directory above it up to "
		     "the repository root are taken as possible contexts. Reported only when the "
		     "Dockerfile copies from the build context (a Dockerfile without COPY/ADD of local "
		     "files needs none), at medium when it copies the whole context and at low otherwise. "
		     "Not reported for standard input, where the context is unknown.",
	.remediation = "Add a .dockerignore at the root of the build context that excludes by default: "
		       "`*` then `!src/` `!package.json`, or at least `.git`, `.env*`, `*.pem`, "
		       "`*.key`, `.ssh`, `node_modules`.",
	.bad_example = "# Fires when no .dockerignore is beside this Dockerfile\n"
		       DFB_GOOD_FROM "COPY . /app\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "COPY app /app\n" DFB_GOOD_TAIL,
	.check = check_no_dockerignore,
};
