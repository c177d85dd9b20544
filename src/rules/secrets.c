/*
 * Secret names and value shapes (see secrets.h).  The value shapes are the
 * prefixes the issuers themselves document for their tokens, so a match is
 * rarely an accident.
 */
#include "core/common.h"
#include "rules/secrets.h"

bool hd_secret_name(const char *name)
{
	static const char *const words[] = {
		"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_KEY", "APIKEY",
		"ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH_KEY", "CLIENT_KEY", "_PWD",
	};
	static const char *const refs[] = { "_FILE", "_PATH", "_DIR", "_FILENAME", "_LOCATION",
					    "_POLICY", "_LENGTH", "_ENABLED" };
	size_t i;

	if (!name)
		return false;
	for (i = 0; i < HD_ARRAY_SIZE(refs); i++) {
		if (hd_ends_with(name, refs[i]) || hd_ends_with(name, refs[i] + 1))
			return false;
	}
	for (i = 0; i < HD_ARRAY_SIZE(words); i++) {
		if (hd_strcasestr(name, words[i]))
			return true;
	}
	return false;
}

bool hd_secret_value_plausible(const char *v)
{
	if (!v || !*v)
		return false;
	if (v[0] == '/' || hd_starts_with(v, "./") || hd_starts_with(v, "file:"))
		return false;
	if (v[0] == '$')
		return false;
	return true;
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

	if (!v)
		return NULL;
	if ((hd_starts_with(v, "AKIA") || hd_starts_with(v, "ASIA")) && all_in(v + 4, 16, UPPER_DIGITS))
		return "an AWS access key id";
	if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
		return "a private key";
	if ((hd_starts_with(v, "ghp_") || hd_starts_with(v, "gho_") || hd_starts_with(v, "ghs_") ||
	     hd_starts_with(v, "ghu_")) && all_in(v + 4, 36, ALNUM))
		return "a GitHub token";
	if (hd_starts_with(v, "github_pat_") && all_in(v + 11, 22, ALNUM "_"))
		return "a GitHub token";
	if (hd_starts_with(v, "glpat-") && all_in(v + 6, 20, ALNUM "_-"))
		return "a GitLab token";
	if (hd_starts_with(v, "xox") && v[3] && strchr("abposr", v[3]) && v[4] == '-')
		return "a Slack token";
	if ((hd_starts_with(v, "sk_live_") || hd_starts_with(v, "rk_live_")) && all_in(v + 8, 16, ALNUM))
		return "a Stripe key";
	if (hd_starts_with(v, "AIza") && all_in(v + 4, 35, ALNUM "_-"))
		return "a Google API key";
	if (hd_starts_with(v, "npm_") && all_in(v + 4, 36, ALNUM))
		return "an npm token";
	/* header.payload.signature, both JSON parts base64url of '{"'. */
	if (hd_starts_with(v, "eyJ")) {
		const char *d1 = strchr(v, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;

		if (d1 && d2 && d1 - v > 10 && hd_starts_with(d1 + 1, "eyJ") && d2 - d1 > 10 &&
		    all_in(v, (size_t)(d1 - v), ALNUM "_-") && all_in(d1 + 1, (size_t)(d2 - d1 - 1), ALNUM "_-"))
			return "a JSON Web Token";
	}
	/* scheme://user:password@host */
	p = strstr(v, "://");
	if (p) {
		const char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');
		const char *slash = strchr(p + 3, '/');

		if (at && colon && colon < at && (!slash || at < slash) && at > colon + 1)
			return "a URL with a password";
	}
	return NULL;
}
