/*
 * Routing as dockerd routes (see authz.h): the RequestUri the daemon
 * forwards is the raw request target, while the daemon's router matched
 * the decoded path.  So this file does what Go's net/http and gorilla/mux
 * do before a handler (and the authz middleware wrapped around it) runs:
 *
 *   - url.ParseRequestURI: the query starts at the first '?'; an absolute
 *     form "scheme://authority/path" has its path after the authority; the
 *     path is percent-decoded (a bad escape fails the request), '+' stays.
 *   - mux redirects a path that path.Clean would change (double slashes,
 *     "." and ".." segments) with 301 without calling the handler, so such
 *     a path is never asked about; it is UNROUTED here.
 *   - mux tries the routes in registration order (endpoints.def), each as
 *     "/v{version:[0-9.]+}" + pattern and as pattern, with the exact
 *     (case-sensitive) method; the first match wins.  Variables are Go
 *     regexps: ".*" and ".+" match anything but '\n', the default "[^/]+"
 *     anything but '/'.
 * Query values are read as url.ParseQuery reads them.
 */
#include "core/common.h"
#include "authz/authz.h"

#include <limits.h>

/* ---- categories ----------------------------------------------------------------- */

static const struct {
	const char *name;
	enum hd_authz_action action;
} categories[HD_AUTHZ_CATEGORY_MAX] = {
#define HD_AUTHZ_X(e, n, a) [HD_AUTHZ_##e] = { n, a },
	HD_AUTHZ_CATEGORIES(HD_AUTHZ_X)
#undef HD_AUTHZ_X
};

const char *hd_authz_category_name(enum hd_authz_category c)
{
	return (unsigned)c < HD_AUTHZ_CATEGORY_MAX ? categories[c].name : "unrouted";
}

enum hd_authz_action hd_authz_category_action(enum hd_authz_category c)
{
	return (unsigned)c < HD_AUTHZ_CATEGORY_MAX ? categories[c].action : HD_AUTHZ_DENY;
}

int hd_authz_category_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < HD_AUTHZ_CATEGORY_MAX; i++) {
		if (strcmp(categories[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* ---- the route table ------------------------------------------------------------ */

struct route {
	const char *method;  /* NULL: any method (debug routes) */
	const char *prefix;  /* "/debug" or "" */
	const char *pattern;
	bool versioned;      /* also matched under /v{version} */
	enum hd_authz_category cat;
};

static const struct route routes[] = {
#define HD_AUTHZ_ROUTE(m, p, c) { m, "", p, true, HD_AUTHZ_##c },
#define HD_AUTHZ_DEBUG(p, c) { NULL, "/debug", p, false, HD_AUTHZ_##c },
#include "authz/endpoints.def"
#undef HD_AUTHZ_ROUTE
#undef HD_AUTHZ_DEBUG
};

/* ---- pattern matching ------------------------------------------------------------ */

enum var_class { V_ANY, V_ANY1, V_SEG, V_VERSION };

/* Parses the variable at pat ("{name:.*}"); returns the pattern after it. */
static const char *parse_var(const char *pat, enum var_class *cls)
{
	const char *close = strchr(pat, '}');
	const char *colon = memchr(pat, ':', (size_t)(close - pat));

	HD_ASSERT(close);
	if (!colon)
		*cls = V_SEG;
	else if (!strncmp(colon + 1, ".*}", 3))
		*cls = V_ANY;
	else if (!strncmp(colon + 1, ".+}", 3))
		*cls = V_ANY1;
	else if (!strncmp(colon + 1, "[0-9.]+}", 8))
		*cls = V_VERSION;
	else
		HD_BUG("unknown route variable pattern");
	return close + 1;
}

static bool var_char(enum var_class cls, char c)
{
	switch (cls) {
	case V_ANY:
	case V_ANY1:
		return c != '\n';
	case V_SEG:
		return c != '/';
	case V_VERSION:
		return (c >= '0' && c <= '9') || c == '.';
	}
	return false;
}

/*
 * Does s[0..n) match pat entirely?  The first variable's extent goes to
 * var_at and var_len (when var_at is not NULL and the pattern has one).
 * Every variable class but ".*" excludes '/' or is followed by a literal
 * that bounds it, so the backtracking stays linear in n in practice.
 */
static bool match(const char *pat, const char *s, size_t n, const char **var_at, size_t *var_len)
{
	while (*pat) {
		if (*pat == '{') {
			enum var_class cls;
			const char *rest = parse_var(pat, &cls);
			size_t max = 0, k;

			while (max < n && var_char(cls, s[max]))
				max++;
			for (k = max + 1; k-- > (cls == V_ANY ? 0u : 1u);) {
				/* A literal after the variable must start right after it. */
				if (*rest && *rest != '{' && (k >= n || s[k] != *rest))
					continue;
				if (match(rest, s + k, n - k, NULL, NULL)) {
					if (var_at) {
						*var_at = s;
						*var_len = k;
					}
					return true;
				}
			}
			return false;
		}
		if (n == 0 || *s != *pat)
			return false;
		s++;
		n--;
		pat++;
	}
	return n == 0;
}

/* ---- URI decoding ---------------------------------------------------------------- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes s[0..n) into a new string (*ret, *ret_len); plus_space
 * turns '+' into ' ' (query components).  -HD_EINVAL for a '%' not followed
 * by two hex digits, as Go's unescape.
 */
static int unescape(const char *s, size_t n, bool plus_space, char **ret, size_t *ret_len)
{
	char *out = hd_malloc(n + 1);
	size_t i, o = 0;

	if (!out)
		return -HD_ENOMEM;
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n) {
				hd_free(out);
				return -HD_EINVAL;
			}
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				hd_free(out);
				return -HD_EINVAL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus_space && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*ret = out;
	if (ret_len)
		*ret_len = o;
	return 0;
}

/* Would mux's cleanPath (path.Clean, trailing slash kept) leave p as it is? */
static bool path_is_clean(const char *p, size_t n)
{
	size_t i = 1;

	if (n == 0 || p[0] != '/')
		return false;
	while (i < n) {
		size_t j = i;

		while (j < n && p[j] != '/')
			j++;
		/* The empty segment after a trailing slash is kept by cleanPath. */
		if (j == n && j == i)
			break;
		if (j == i || (j - i == 1 && p[i] == '.') || (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return false;
		i = j + 1;
	}
	return true;
}

/* Go's url.getScheme: the length of a "scheme:" prefix, 0 when there is none, -1 for ":..." */
static int scheme_len(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalpha(c))
			continue;
		if (isdigit(c) || c == '+' || c == '-' || c == '.') {
			if (i == 0)
				return 0;
			continue;
		}
		if (c == ':')
			return i == 0 ? -1 : (int)i;
		return 0;
	}
	return 0;
}

void hd_authz_route_release(struct hd_authz_route *r)
{
	if (!r)
		return;
	hd_free(r->path);
	hd_free(r->query);
	hd_free(r->version);
	hd_free(r->var);
	memset(r, 0, sizeof(*r));
	r->cat = HD_AUTHZ_UNROUTED;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

int hd_authz_route(const char *method, const char *uri, struct hd_authz_route *ret, const char **why)
{
	const char *q, *p, *reason = NULL;
	size_t plen, i;
	int sl, r;

	memset(ret, 0, sizeof(*ret));
	ret->cat = HD_AUTHZ_UNROUTED;
	if (why)
		*why = NULL;
	if (has_ctl(uri) || !*uri) {
		reason = "the request URI is empty or holds control characters";
		goto unrouted;
	}
	q = strchr(uri, '?');
	ret->query = hd_strdup(q ? q + 1 : "");
	if (!ret->query)
		return -HD_ENOMEM;
	p = uri;
	plen = q ? (size_t)(q - uri) : strlen(uri);
	sl = scheme_len(uri);
	if (sl < 0 || (sl > 0 && (size_t)sl >= plen)) {
		reason = "the request URI is not a path or an absolute URL";
		goto unrouted;
	}
	if (sl > 0) {
		/* Absolute form: the path follows "//authority". */
		p += sl + 1;
		plen -= (size_t)sl + 1;
		if (plen < 2 || p[0] != '/' || p[1] != '/') {
			reason = "the request URI is an absolute URL without a path";
			goto unrouted;
		}
		p += 2;
		plen -= 2;
		while (plen > 0 && *p != '/') {
			p++;
			plen--;
		}
	}
	if (plen == 0 || *p != '/') {
		reason = "the request URI is not a path";
		goto unrouted;
	}
	r = unescape(p, plen, false, &ret->path, &plen);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0) {
		reason = "the request path holds a bad percent-escape (dockerd refuses it)";
		goto unrouted;
	}
	if (memchr(ret->path, '\0', plen) || !path_is_clean(ret->path, plen)) {
		reason = "the request path is not clean (dockerd redirects it without serving it)";
		goto unrouted;
	}
	for (i = 0; i < HD_ARRAY_SIZE(routes); i++) {
		const struct route *rt = &routes[i];
		const char *s = ret->path, *var = NULL, *ver = NULL;
		size_t n = plen, var_len = 0, ver_len = 0, pl = strlen(rt->prefix);
		int pass;

		if (rt->method && strcmp(rt->method, method) != 0)
			continue;
		for (pass = rt->versioned ? 0 : 1; pass < 2; pass++) {
			const char *s2 = s;
			size_t n2 = n;

			ver = NULL;
			ver_len = 0;
			if (pass == 0) {
				/* "/v{version:[0-9.]+}" then the pattern. */
				size_t k = 2;

				if (n2 < 3 || s2[0] != '/' || s2[1] != 'v')
					continue;
				while (k < n2 && var_char(V_VERSION, s2[k]))
					k++;
				if (k == 2)
					continue;
				ver = s2 + 2;
				ver_len = k - 2;
				s2 += k;
				n2 -= k;
			}
			if (pl && (n2 < pl || memcmp(s2, rt->prefix, pl) != 0))
				continue;
			if (!match(rt->pattern, s2 + pl, n2 - pl, &var, &var_len))
				continue;
			ret->cat = rt->cat;
			ret->pattern = rt->pattern;
			ret->version = hd_strndup(ver ? ver : "", ver_len);
			ret->var = var ? hd_strndup(var, var_len) : NULL;
			if (!ret->version || (var && !ret->var))
				return -HD_ENOMEM;
			return 0;
		}
	}
	reason = "no dockerd route matches the method and path (dockerd answers 404 without asking)";
unrouted:
	if (why)
		*why = reason;
	return 0;
}

/* ---- versions and queries --------------------------------------------------------- */

/* strconv.Atoi as docker's compare uses it: errors give 0, overflow saturates. */
static long long atoi_part(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	for (i = 0; i < n; i++) {
		if (v > (LLONG_MAX - (s[i] - '0')) / 10)
			return LLONG_MAX;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int hd_authz_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		size_t na = strcspn(a, "."), nb = strcspn(b, ".");
		long long x = atoi_part(a, na), y = atoi_part(b, nb);

		if (x != y)
			return x < y ? -1 : 1;
		a += na;
		b += nb;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

int hd_authz_query_get(const char *query, const char *key, char **ret)
{
	return hd_authz_query_get_nth(query, key, 0, ret);
}

int hd_authz_query_get_nth(const char *query, const char *key, unsigned nth, char **ret)
{
	const char *p = query;
	char *found = NULL;
	bool bad = false;
	unsigned seen = 0;
	int r;

	*ret = NULL;
	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t kn = eq ? (size_t)(eq - p) : n;
		char *k = NULL, *v = NULL;

		if (memchr(p, ';', n)) {
			/* Go 1.17 and later refuse the pair and report an error. */
			bad = true;
		} else if (n > 0) {
			r = unescape(p, kn, true, &k, NULL);
			if (r == 0)
				r = eq ? unescape(eq + 1, n - kn - 1, true, &v, NULL) : 0;
			if (r == -HD_ENOMEM) {
				hd_free(k);
				hd_free(found);
				return r;
			}
			if (r < 0) {
				bad = true;
			} else if (!found && strcmp(k, key) == 0 && seen++ == nth) {
				found = v ? v : hd_strdup("");
				v = NULL;
				if (!found) {
					hd_free(k);
					return -HD_ENOMEM;
				}
			}
			hd_free(k);
			hd_free(v);
		}
		p = amp ? amp + 1 : NULL;
	}
	if (bad) {
		hd_free(found);
		return -HD_EINVAL;
	}
	*ret = found;
	return 0;
}
