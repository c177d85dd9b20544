/*
 * The secret classifier (see secrets.h): variable names split into words,
 * values judged for what they can be, the shapes issuers document for their
 * tokens, secrets on command lines and environment switches that turn TLS
 * verification off.
 */
#include "core/common.h"
#include "rules/df_util.h"
#include "rules/secrets.h"



struct name_tok {
	const char *p;
	size_t n;
};

/*
 * Splits a variable name into words at '_', '-', '.' and lower-to-upper case
 * changes ("dbPassword" -> db, Password).  Returns the number of words (at
 * most max; the rest is ignored).
 */
static size_t split_name(const char *s, struct name_tok *tok, size_t max)
{
	size_t n = 0;
	const char *p = s;

	while (*p && n < max) {
		const char *start;

		while (*p == '_' || *p == '-' || *p == '.')
			p++;
		if (!*p)
			break;
		start = p++;
		while (*p && *p != '_' && *p != '-' && *p != '.' &&
		       !(islower((unsigned char)p[-1]) && isupper((unsigned char)*p)))
			p++;
		tok[n].p = start;
		tok[n].n = (size_t)(p - start);
		n++;
	}
	return n;
}

/* Words that make a name a secret on their own. */
static const char *const secret_words[] = {
	"password", "passwd", "pass", "passphrase", "secret", "secrets", "token", "apikey",
	"accesskey", "secretkey", "privatekey", "credential", "credentials", "creds", "authtoken",
	"bearer", NULL,
};

/* Words that, followed by KEY, name a secret key ("API_KEY", "PRIVATE_KEY"). */
static const char *const key_qualifiers[] = {
	"api", "private", "access", "secret", "client", "encryption", "signing", "master",
	"auth", "ssh", "license", "account", "storage", "shared", "service", "app", NULL,
};

/* Last words that make the name about a secret rather than the secret itself. */
static const char *const not_secret_suffixes[] = {
	"file", "files", "path", "dir", "directory", "url", "uri", "endpoint", "host", "port",
	"name", "names", "user", "username", "id", "type", "enabled", "enable", "disabled",
	"required", "length", "len", "size", "min", "max", "algorithm", "alg", "header", "field",
	"param", "var", "env", "location", "mode", "version", "ttl", "expiry", "expires",
	"expiration", "timeout", "lifetime", "policy", "provider", "source", "kind", "command",
	"cmd", "helper", "method", "issuer", "audience", "scope", "scopes", "prefix", "suffix",
	"format", "ref", "arn", "store", "manager", "backend", "mount", "hash_algorithm",
	"rotation", "count", "retries", "interval", "reset", "hint", "regex", "pattern", "module", "modules",
	"class", "plugin", "driver", "realm", "strategy", "mechanism", "option", "options", "flag", "rounds",
	NULL,
};

/* Words that make the whole name a setting about secrets ("SE_VNC_NO_PASSWORD", "ALLOW_EMPTY_PASSWORD"). */
static const char *const setting_words[] = {
	"no", "allow", "empty", "random", "generate", "disable", "disabled", "skip", "require", "requires",
	"use", "enable", "onetime", "expire", "rotate", "min", "max", NULL,
};

/*
 * A quick test before splitting: every secret word and qualifier pair holds
 * one of "pass", "secret", "token", "key", "cred" or "bearer".  Most names
 * (PATH, NODE_VERSION, ...) hold none and cost one pass.
 */
/* Whether p[0..n) is lower-case word w (ASCII letters only), whatever the case of p. */
static inline bool word_at(const char *p, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((unsigned char)p[i] | 0x20) != (unsigned char)w[i])
			return false;
	}
	return true;
}

/* Whether one of the words of hd_secret_name_possible() starts at k (before e). */
static bool secret_word_at(const char *k, const char *e)
{
	/* Letters only: "| 0x20" lower-cases them, and maps no other byte onto one of w's. */
	switch (*k | 0x20) {
	case 'p':
		return e - k >= 4 && word_at(k, "pass", 4);
	case 's':
		return e - k >= 6 && word_at(k, "secret", 6);
	case 't':
		return e - k >= 5 && word_at(k, "token", 5);
	case 'k':
		return e - k >= 3 && word_at(k, "key", 3);
	case 'c':
		return e - k >= 4 && word_at(k, "cred", 4);
	case 'b':
		return e - k >= 6 && word_at(k, "bearer", 6);
	default:
		return false;
	}
}

typedef unsigned char sn_v16 __attribute__((vector_size(16)));

/*
 * The lanes of the 16 positions at k where a word's first three letters
 * are, in either case ("pas", "sec", "tok", "key", "cre", "bea"); k[0..18)
 * is read.  GCC/Clang vector extensions: SSE2 or NEON code, plain C
 * elsewhere.
 */
static inline sn_v16 word_mask(const char *k)
{
	sn_v16 a, b, c;

	memcpy(&a, k, 16);
	memcpy(&b, k + 1, 16);
	memcpy(&c, k + 2, 16);
	a |= 0x20;
	b |= 0x20;
	c |= 0x20;
	return (sn_v16)(((a == 'p') & (b == 'a') & (c == 's')) | ((a == 's') & (b == 'e') & (c == 'c')) |
			((a == 't') & (b == 'o') & (c == 'k')) | ((a == 'k') & (b == 'e') & (c == 'y')) |
			((a == 'c') & (b == 'r') & (c == 'e')) | ((a == 'b') & (b == 'e') & (c == 'a')));
}

/* Whether a word starts at a lane set in m, lane 0 being k (the text ends at e). */
static inline bool word_at_lanes(sn_v16 m, const char *k, const char *e)
{
	uint64_t half[2];
	unsigned h;

	memcpy(half, &m, 16);
	for (h = 0; h < 2; h++) {
		while (half[h]) {
			/* The first lane set, in memory order. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			unsigned lane = (unsigned)__builtin_clzll(half[h]) / 8;

			half[h] &= ~(0xffull << ((7 - lane) * 8));
#else
			unsigned lane = (unsigned)__builtin_ctzll(half[h]) / 8;

			half[h] &= ~(0xffull << (lane * 8));
#endif
			if (secret_word_at(k + h * 8 + lane, e))
				return true;
		}
	}
	return false;
}

bool hd_secret_name_possible(const char *s, size_t len)
{
	/* The first letters of the words, in either case. */
	static const unsigned char first[256] = {
		['p'] = 1, ['P'] = 1, ['s'] = 1, ['S'] = 1, ['t'] = 1, ['T'] = 1,
		['k'] = 1, ['K'] = 1, ['c'] = 1, ['C'] = 1, ['b'] = 1, ['B'] = 1,
	};
	const char *k = s, *e = s + len;

	/*
	 * Sixteen positions at a time (masks and names from mask.c are long):
	 * only the positions where a word's first three letters stand are
	 * compared with it.
	 */
	for (; e - k >= 18; k += 16) {
		if (word_at_lanes(word_mask(k), k, e))
			return true;
	}
	/* The last 0 to 17 bytes (short names are all tail) byte by byte: most are passed over by one load. */
	for (; k < e; k++) {
		if (first[(unsigned char)*k] && secret_word_at(k, e))
			return true;
	}
	return false;
}

bool hd_secret_name_word(const char *key, const char **word, size_t *word_len)
{
	struct name_tok tok[16];
	size_t n, i;

	if (!key || !hd_secret_name_possible(key, strlen(key)))
		return false;
	n = split_name(key, tok, HD_ARRAY_SIZE(tok));
	if (n == 0 || dfr_in_list_n(tok[n - 1].p, tok[n - 1].n, not_secret_suffixes))
		return false;
	for (i = 0; i < n; i++) {
		if (dfr_in_list_n(tok[i].p, tok[i].n, setting_words))
			return false;
	}
	for (i = 0; i < n; i++) {
		const char *w = NULL;
		size_t wl = 0;

		if (dfr_in_list_n(tok[i].p, tok[i].n, secret_words)) {
			w = tok[i].p;
			wl = tok[i].n;
		} else if (i + 1 < n && tok[i + 1].n == 3 && strncasecmp(tok[i + 1].p, "key", 3) == 0 &&
			   dfr_in_list_n(tok[i].p, tok[i].n, key_qualifiers)) {
			w = tok[i].p;
			wl = (size_t)(tok[i + 1].p + 3 - tok[i].p);
		}
		if (w) {
			if (word)
				*word = w;
			if (word_len)
				*word_len = wl;
			return true;
		}
	}
	return false;
}

/* True if v is a single file name with a script or config extension ("reset.sh"). */
static bool names_a_file(const char *v)
{
	static const char *const exts[] = {
		"sh", "bash", "py", "rb", "pl", "js", "ps1", "bat", "cmd", "txt", "conf", "cfg", "ini",
		"json", "yaml", "yml", "xml", "properties", "rsp", "sql", "env", "pem", "key", "crt",
		"p12", "jks", NULL,
	};
	const char *dot = strrchr(v, '.'), *p;

	if (!dot || dot == v)
		return false;
	for (p = v; p < dot; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return false;
	}
	return dfr_in_list_n(dot + 1, strlen(dot + 1), exts);
}

/* True for a URL (scheme://...) without a password in it. */
static bool url_without_credentials(const char *v)
{
	const char *p = v, *at, *end;

	while (isalpha((unsigned char)*p) || *p == '+' || *p == '.' || *p == '-')
		p++;
	if (p == v || strncmp(p, "://", 3) != 0)
		return false;
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	return !at || !memchr(p, ':', (size_t)(at - p));
}

/* True when v is only '*', 'x' or 'X' characters (a masked placeholder). */
static bool masked(const char *v)
{
	size_t n = strspn(v, "*xX.");

	return n >= 3 && v[n] == '\0';
}

bool hd_secret_value_harmless(const char *v)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "y", "n", "on", "off", "0", "1", "none", "null", "nil", "disabled",
		"enabled", "disable", "enable", "required", "optional", "random", "empty", NULL,
	};
	size_t n;

	if (!v)
		return false;
	n = strlen(v);
	if (n == 0 || dfr_in_list_n(v, n, words))
		return true;
	if (v[0] == '/' || hd_starts_with(v, "./") || hd_starts_with(v, "~/") || hd_starts_with(v, "file:") ||
	    (isalpha((unsigned char)v[0]) && v[1] == ':' && (v[2] == '\\' || v[2] == '/')))
		return true;
	if (v[0] == '<' && v[n - 1] == '>')
		return true;
	if (masked(v) || names_a_file(v) || url_without_credentials(v))
		return true;
	/* A reference to another variable: $X, ${X}, ${X:-default}. */
	if (v[0] == '$') {
		const char *p = v + 1;

		if (*p == '{')
			return strchr(p, '}') == v + n - 1;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		return *p == '\0';
	}
	return false;
}

bool hd_secret_name(const char *name)
{
	return hd_secret_name_word(name, NULL, NULL);
}

bool hd_secret_value_plausible(const char *value)
{
	return value && *value && !hd_secret_value_harmless(value);
}

/* True when the value is (built from) a variable or command: $X, ${X}, $(...), `...`. */
static bool from_variable(const char *v)
{
	return strchr(v, '$') || strchr(v, '`');
}

enum hd_secret_class hd_secret_classify(const char *name, const char *value, struct hd_secret_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (value && (v->kind = hd_secret_value_kind(value)))
		return v->cls = HD_SECRET_SHAPED;
	if (!hd_secret_name_word(name, &v->word, &v->word_len))
		return v->cls = HD_SECRET_NONE;
	if (!value)
		return v->cls = HD_SECRET_PASSTHROUGH;
	if (from_variable(value) && !hd_secret_value_harmless(value))
		return v->cls = HD_SECRET_REFERENCE;
	if (hd_secret_value_harmless(value))
		return v->cls = value[0] == '$' ? HD_SECRET_REFERENCE : HD_SECRET_NONE;
	return v->cls = HD_SECRET_LITERAL;
}

/* n characters of p all in set. */
static bool all_in(const char *p, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!p[i] || !strchr(set, p[i]))
			return false;
	}
	return true;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

const char *hd_secret_value_kind(const char *v)
{
	const char *p;

	if (!v || !v[0])
		return NULL;
	/* The shapes by their first character: most values fail here, in one switch. */
	switch (v[0]) {
	case 'A':
		if ((hd_starts_with(v, "AKIA") || hd_starts_with(v, "ASIA")) && all_in(v + 4, 16, UPPER_DIGITS))
			return "an AWS access key id";
		if (hd_starts_with(v, "AIza") && all_in(v + 4, 35, ALNUM "_-"))
			return "a Google API key";
		break;
	case 'g':
		if ((hd_starts_with(v, "ghp_") || hd_starts_with(v, "gho_") || hd_starts_with(v, "ghs_") ||
		     hd_starts_with(v, "ghu_")) && all_in(v + 4, 36, ALNUM))
			return "a GitHub token";
		if (hd_starts_with(v, "github_pat_") && all_in(v + 11, 22, ALNUM "_"))
			return "a GitHub token";
		if (hd_starts_with(v, "glpat-") && all_in(v + 6, 20, ALNUM "_-"))
			return "a GitLab token";
		break;
	case 'x':
		if (hd_starts_with(v, "xox") && v[3] && strchr("abposr", v[3]) && v[4] == '-')
			return "a Slack token";
		break;
	case 's':
	case 'r':
		if ((hd_starts_with(v, "sk_live_") || hd_starts_with(v, "rk_live_")) && all_in(v + 8, 16, ALNUM))
			return "a Stripe key";
		break;
	case 'n':
		if (hd_starts_with(v, "npm_") && all_in(v + 4, 36, ALNUM))
			return "an npm token";
		break;
	case 'e':
		/* header.payload.signature, both JSON parts base64url of '{"'. */
		if (hd_starts_with(v, "eyJ")) {
			const char *d1 = strchr(v, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;

			if (d1 && d2 && d1 - v > 10 && hd_starts_with(d1 + 1, "eyJ") && d2 - d1 > 10 &&
			    all_in(v, (size_t)(d1 - v), ALNUM "_-") && all_in(d1 + 1, (size_t)(d2 - d1 - 1), ALNUM "_-"))
				return "a JSON Web Token";
		}
		break;
	default:
		break;
	}
	p = strchr(v, '-');
	if (p && strstr(p, "-----BEGIN") && strstr(p, "PRIVATE KEY"))
		return "a private key";
	/* scheme://user:password@host */
	if (strchr(v, '@') && (p = strstr(v, "://")) != NULL) {
		const char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');
		const char *slash = strchr(p + 3, '/');

		if (at && colon && colon < at && (!slash || at < slash) && at > colon + 1)
			return "a URL with a password";
	}
	return NULL;
}

/* ---- secrets on command lines ------------------------------------------------------------ */

#define CWORD(i) (*(const char *const *)((const char *)words + (i) * stride))

/*
 * Long options whose value is a secret, for any command (without dashes),
 * by first letter: most long options of a build (--no-install-recommends,
 * --quiet) are dismissed after one or two comparisons.
 */
static const char *const secret_long_a[] = { "auth-token", "access-token", "api-key", "apikey", "access-key",
					      "admin-password", NULL };
static const char *const secret_long_d[] = { "db-password", "docker-password", "deststorepass", NULL };
static const char *const secret_long_p[] = { "password", "passwd", "pass", "pwd", "private-key-password",
					      "proxy-password", NULL };
static const char *const secret_long_r[] = { "requirepass", "root-password", "registry-password", NULL };
static const char *const secret_long_s[] = { "secret", "secret-key", "secret-access-key", "storepass",
					      "srcstorepass", NULL };
static const char *const secret_long_other[] = { "token", "client-secret", "masterauth", "http-password",
						  "ftp-password", "keypass", "npm-token", "github-token", NULL };

static bool secret_long_opt(const char *name, size_t len)
{
	switch (name[0]) {
	case 'a': return dfr_in_list_n(name, len, secret_long_a);
	case 'd': return dfr_in_list_n(name, len, secret_long_d);
	case 'p': return dfr_in_list_n(name, len, secret_long_p);
	case 'r': return dfr_in_list_n(name, len, secret_long_r);
	case 's': return dfr_in_list_n(name, len, secret_long_s);
	case 't': case 'c': case 'm': case 'h': case 'f': case 'k': case 'n': case 'g':
		return dfr_in_list_n(name, len, secret_long_other);
	default: return false;
	}
}

/* Single-dash options of particular tools whose value is a secret. */
static const struct {
	const char *cmd;
	const char *opt;     /* the option, "-p" */
	bool attached;       /* only -pVALUE (mysql: a lone -p prompts) */
} tool_opts[] = {
	{ "mysql", "-p", true }, { "mysqldump", "-p", true }, { "mysqladmin", "-p", true },
	{ "mysqlimport", "-p", true }, { "mysqlcheck", "-p", true }, { "mariadb", "-p", true },
	{ "mariadb-dump", "-p", true }, { "mariadb-admin", "-p", true },
	{ "redis-cli", "-a", false }, { "sshpass", "-p", false }, { "docker", "-p", false },
	{ "podman", "-p", false }, { "mongo", "-p", false }, { "mongosh", "-p", false },
	{ "keytool", "-storepass", false }, { "keytool", "-keypass", false }, { "keytool", "-srcstorepass", false },
	{ "keytool", "-deststorepass", false }, { "openssl", "-passin", false }, { "openssl", "-passout", false },
	{ "openssl", "-pass", false }, { "openssl", "-k", false }, { "smbclient", "-U", false },
};

/* Whether cmd may be one of tool_opts' commands, by its first two letters (kept with the table). */
static bool tool_opts_possible(const char *cmd)
{
	switch (cmd[0]) {
	case 'm': return cmd[1] == 'y' || cmd[1] == 'a' || cmd[1] == 'o';
	case 'r': return cmd[1] == 'e';
	case 's': return cmd[1] == 's' || cmd[1] == 'm';
	case 'd': case 'p': return cmd[1] == 'o';
	case 'k': return cmd[1] == 'e';
	case 'o': return cmd[1] == 'p';
	default: return false;
	}
}

/* True when a value given to a secret option is a real secret, not a placeholder or a switch. */
static bool plausible_secret(const char *v)
{
	if (!v || !*v || hd_secret_value_harmless(v))
		return false;
	if (!strcmp(v, "-") || !strcmp(v, "stdin") || hd_starts_with(v, "env:") || hd_starts_with(v, "file:") ||
	    hd_starts_with(v, "fd:"))
		return false; /* openssl and friends read it from somewhere else */
	if (hd_starts_with(v, "pass:"))
		return v[5] != '\0';
	return true;
}

static bool hit_word(struct hd_cmdline_secret *hit, size_t at, size_t off, const char *what)
{
	hit->at = at;
	hit->value_off = off;
	hit->what = what;
	return true;
}

bool hd_cmdline_secret(const void *words, size_t stride, size_t n, size_t a0,
		       bool (*is_expansion)(const void *words, size_t i), struct hd_cmdline_secret *hit)
{
	const char *cmd, *slash;
	size_t i, k, tk[HD_ARRAY_SIZE(tool_opts)], ntk = 0;
	bool curl, htpasswd;

	if (a0 >= n)
		return false;
	cmd = CWORD(a0);
	slash = strrchr(cmd, '/');
	cmd = slash ? slash + 1 : cmd;
	/* The command's own secret options, looked up once (most commands have none). */
	if (tool_opts_possible(cmd)) {
		for (k = 0; k < HD_ARRAY_SIZE(tool_opts); k++) {
			if (tool_opts[k].cmd[0] == cmd[0] && tool_opts[k].cmd[1] == cmd[1] &&
			    !strcmp(cmd, tool_opts[k].cmd))
				tk[ntk++] = k;
		}
	}
	curl = cmd[0] == 'c' && !strcmp(cmd, "curl");
	htpasswd = cmd[0] == 'h' && !strcmp(cmd, "htpasswd");
	for (i = a0 + 1; i < n; i++) {
		const char *a = CWORD(i);

#define EXP(j) (is_expansion && is_expansion(words, (j)))
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			if (!secret_long_opt(name, len))
				continue;
			if (eq) {
				if (!EXP(i) && plausible_secret(eq + 1))
					return hit_word(hit, i, (size_t)(eq + 1 - a), "the value of a password option");
			} else if (i + 1 < n && !EXP(i + 1) && CWORD(i + 1)[0] != '-' && plausible_secret(CWORD(i + 1))) {
				/* curl --user and wget --user take a name; --pass/--password a secret. */
				return hit_word(hit, i + 1, 0, "the value of a password option");
			}
			continue;
		}
		if (a[0] == '-' && a[1]) {
			for (size_t t = 0; t < ntk; t++) {
				size_t ol;

				k = tk[t];
				ol = strlen(tool_opts[k].opt);
				if (strncmp(a, tool_opts[k].opt, ol) != 0)
					continue;
				if (a[ol] && tool_opts[k].attached && ol == 2) {
					if (!EXP(i) && plausible_secret(a + ol))
						return hit_word(hit, i, ol, "a password given with -p");
				} else if (!a[ol] && !tool_opts[k].attached && i + 1 < n && !EXP(i + 1) &&
					   plausible_secret(CWORD(i + 1))) {
					if (!strcmp(cmd, "smbclient") && !strchr(CWORD(i + 1), '%'))
						continue; /* -U user, no password */
					return hit_word(hit, i + 1, 0, "a password option's value");
				}
			}
			/* curl -u user:pass, --user user:pass (also wget --user is a name only). */
			if ((curl && (!strcmp(a, "-u") || !strcmp(a, "--user") || !strcmp(a, "-U") ||
						      !strcmp(a, "--proxy-user"))) &&
			    i + 1 < n && !EXP(i + 1)) {
				const char *c = strchr(CWORD(i + 1), ':');

				if (c && plausible_secret(c + 1))
					return hit_word(hit, i + 1, (size_t)(c + 1 - CWORD(i + 1)),
							"the password in curl's user:password");
			}
			if (curl && a[1] == 'u' && a[2] && !EXP(i)) {
				const char *c = strchr(a + 2, ':');

				if (c && plausible_secret(c + 1))
					return hit_word(hit, i, (size_t)(c + 1 - a), "the password in curl's user:password");
			}
			/* -Dsome.password=X (Java, Maven) */
			if (a[1] == 'D' && strchr(a, '=') && !EXP(i)) {
				const char *eq = strchr(a, '='), *key = a + 2;
				size_t kl = (size_t)(eq - key);
				char tmp[128];

				if (kl < sizeof(tmp)) {
					memcpy(tmp, key, kl);
					tmp[kl] = '\0';
					for (char *t = tmp; *t; t++)
						if (*t == '.')
							*t = '_';
					if (hd_secret_name(tmp) && plausible_secret(eq + 1))
						return hit_word(hit, i, (size_t)(eq + 1 - a), "a password system property");
				}
			}
			continue;
		}
		/* htpasswd -b FILE USER PASSWORD, chpasswd-like operands are judged by their commands' rules. */
		if (htpasswd && !EXP(i)) {
			size_t ops = 0, j, last = 0;
			bool batch = false;

			for (j = a0 + 1; j < n; j++) {
				const char *b = CWORD(j);

				if (b[0] == '-')
					batch |= strchr(b, 'b') != NULL;
				else {
					ops++;
					last = j;
				}
			}
			if (batch && ops >= 3 && !EXP(last) && plausible_secret(CWORD(last)))
				return hit_word(hit, last, 0, "the password operand of htpasswd -b");
			return false;
		}
		/* A URL with a password (git clone https://user:token@host/...). */
		if (strchr(a, '@') && strstr(a, "://") && !EXP(i) && hd_secret_value_kind(a))
			return hit_word(hit, i, 0, "a URL with a password");
#undef EXP
	}
	return false;
}

/* ---- TLS verification turned off by the environment ---------------------------------------- */

/* True for the values of a switch that mean on / off: 1 true yes on y, 0 false no off n, in any case. */
static bool value_true(const char *v)
{
	switch (tolower((unsigned char)v[0])) {
	case '1': return v[1] == '\0';
	case 't': return !strcasecmp(v, "true");
	case 'y': return v[1] == '\0' || !strcasecmp(v, "yes");
	case 'o': return !strcasecmp(v, "on");
	default: return false;
	}
}

static bool value_false(const char *v)
{
	switch (tolower((unsigned char)v[0])) {
	case '0': return v[1] == '\0';
	case 'f': return !strcasecmp(v, "false");
	case 'n': return v[1] == '\0' || !strcasecmp(v, "no");
	case 'o': return !strcasecmp(v, "off");
	default: return false;
	}
}

bool hd_env_disables_tls(const char *name, const char *value, const char **what)
{
	static const struct {
		const char *name;
		int off;          /* 0: when false, 1: when true, 2: when set to anything */
		const char *what;
	} exact[] = {
		{ "NODE_TLS_REJECT_UNAUTHORIZED", 0, "Node.js accepts any certificate" },
		{ "PYTHONHTTPSVERIFY", 0, "Python's urllib/http.client accept any certificate" },
		{ "GIT_SSL_NO_VERIFY", 2, "git accepts any certificate" },
		{ "PIP_TRUSTED_HOST", 2, "pip trusts the host without a valid certificate" },
		{ "NPM_CONFIG_STRICT_SSL", 0, "npm accepts any certificate" },
		{ "YARN_ENABLE_STRICT_SSL", 0, "yarn accepts any certificate" },
		{ "YARN_STRICT_SSL", 0, "yarn accepts any certificate" },
		{ "CONDA_SSL_VERIFY", 0, "conda accepts any certificate" },
		{ "GOINSECURE", 2, "go fetches the modules named there without TLS verification" },
		{ "HELM_INSECURE_SKIP_TLS_VERIFY", 1, "helm accepts any certificate" },
		{ "VAULT_SKIP_VERIFY", 1, "the Vault client accepts any certificate" },
		{ "CURL_INSECURE", 1, "curl accepts any certificate" },
	};
	struct name_tok tok[16];
	bool tlsish = false, verify = false, negated = false, vt = false, vf = false;
	size_t i, n, vl;

	if (!name || !value)
		return false;
	/* Most values are neither a switch nor set at all for the few names that need no switch. */
	vl = strlen(value);
	if (vl && vl <= 5) {
		vt = value_true(value);
		vf = !vt && value_false(value);
	}
	/* The first letters of exact[]'s names (kept with the table): most names have none of them. */
	switch (name[0] & ~0x20) {
	case 'C': case 'G': case 'H': case 'N': case 'P': case 'V': case 'Y':
		for (i = 0; i < HD_ARRAY_SIZE(exact); i++) {
			/* A name that wants a switch turns nothing off with another value (as below). */
			if ((exact[i].off != 2 && !vt && !vf) || (name[0] & ~0x20) != exact[i].name[0] ||
			    strcasecmp(name, exact[i].name) != 0)
				continue;
			if (exact[i].off == 2 ? *value != '\0' : exact[i].off ? vt : vf) {
				if (what)
					*what = exact[i].what;
				return true;
			}
			return false;
		}
		break;
	default:
		break;
	}
	if (!vt && !vf)
		return false;
	/* *_SSL_VERIFY=false, *_DISABLE_HOSTNAME_VERIFICATION=true, *_INSECURE_SKIP_VERIFY=true, ... */
	n = split_name(name, tok, HD_ARRAY_SIZE(tok));
	for (i = 0; i < n; i++) {
		static const char *const tls[] = { "ssl", "tls", "cert", "certs", "certificate", "certificates",
						   "hostname", "host", "https", "insecure", NULL };
		static const char *const ver[] = { "verify", "verification", "verifications", "validate",
						   "validation", "check", "checks", "reject", NULL };
		static const char *const neg[] = { "no", "skip", "disable", "disabled", "ignore", "insecure",
						   "allow", "trust", "accept", NULL };

		if (dfr_in_list_n(tok[i].p, tok[i].n, tls))
			tlsish = true;
		if (dfr_in_list_n(tok[i].p, tok[i].n, ver))
			verify = true;
		if (dfr_in_list_n(tok[i].p, tok[i].n, neg))
			negated = true;
	}
	if (!verify || (!tlsish && !negated))
		return false;
	if (negated ? vt : vf) {
		if (what)
			*what = "TLS certificate or host name verification is turned off";
		return true;
	}
	return false;
}

/* ---- authentication turned off by the environment ----------------------------------------- */

/* True when name ends with suffix (any case) as a whole _-separated part, or is it. */
static bool ends_with_part(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n >= k && strcasecmp(name + n - k, suffix) == 0 && (n == k || name[n - k - 1] == '_');
}

bool hd_env_disables_auth(const char *name, const char *value, const char **what, bool *odd_value)
{
	const char *w = NULL;
	bool odd = false;
	int c0;

	if (!name || !value || !*value)
		return false;
	/* The names below by their first letter: most names are compared with none of them. */
	c0 = tolower((unsigned char)name[0]);
	if (c0 == 'p' && !strcasecmp(name, "POSTGRES_HOST_AUTH_METHOD")) {
		if (!strcasecmp(value, "trust"))
			w = "PostgreSQL accepts every connection without a password";
	} else if (c0 == 'm' && (!strcasecmp(name, "MYSQL_ALLOW_EMPTY_PASSWORD") ||
				 !strcasecmp(name, "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD") ||
				 !strcasecmp(name, "MARIADB_ALLOW_EMPTY_PASSWORD"))) {
		/* The official entrypoints test -n: any non-empty value allows it. */
		w = "the database's root account has an empty password";
		odd = !value_true(value);
	} else if (c0 == 'x' &&
		   (!strcasecmp(name, "xpack.security.enabled") || !strcasecmp(name, "XPACK_SECURITY_ENABLED")) &&
		   value_false(value)) {
		w = "Elasticsearch runs without authentication";
	} else if (c0 == 'm' && !strcasecmp(name, "ME_CONFIG_BASICAUTH") && value_false(value)) {
		w = "mongo-express asks for no login";
	} else if (value_true(value)) {
		if (ends_with_part(name, "ALLOW_EMPTY_PASSWORD"))
			w = "the service accepts an empty password";
		else if (ends_with_part(name, "NO_PASSWORD"))
			w = "the service runs without a password";
		else if (!strcasecmp(name, "ALLOW_ANONYMOUS_LOGIN"))
			w = "the service accepts anonymous logins";
		else if (!strcasecmp(name, "GF_AUTH_ANONYMOUS_ENABLED"))
			w = "Grafana lets anonymous visitors in";
		else if (ends_with_part(name, "DISABLE_AUTH") || ends_with_part(name, "AUTH_DISABLED") ||
			 ends_with_part(name, "DISABLE_AUTHENTICATION") ||
			 ends_with_part(name, "AUTHENTICATION_DISABLED"))
			w = "authentication is turned off";
	}
	if (!w)
		return false;
	if (what)
		*what = w;
	if (odd_value)
		*odd_value = odd;
	return true;
}
