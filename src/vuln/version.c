/*
 * Version comparators, one per ecosystem (see version.h for the rules each
 * follows).  They read the strings in place and allocate nothing, so the
 * matcher can call them millions of times and the fuzzers can call them on
 * anything.  Character classes are the C locale's, as the tools use.
 */
#include "core/common.h"
#include "vuln/version.h"

static const char *const scheme_names[HD_VS_MAX] = {
	[HD_VS_DPKG] = "dpkg",
	[HD_VS_APK] = "apk",
	[HD_VS_RPM] = "rpm",
	[HD_VS_PEP440] = "pep440",
	[HD_VS_SEMVER] = "semver",
	[HD_VS_MAVEN] = "maven",
};

const char *hd_vscheme_name(enum hd_vscheme s)
{
	return (unsigned)s < HD_VS_MAX ? scheme_names[s] : NULL;
}

int hd_vscheme_from_name(const char *name)
{
	int i;

	for (i = 0; i < HD_VS_MAX; i++) {
		if (strcmp(scheme_names[i], name) == 0)
			return i;
	}
	return -1;
}

static inline bool c_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool c_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline bool c_alpha(int c) { return c_lower(c | 0x20); }
static inline bool c_alnum(int c) { return c_digit(c) || c_alpha(c); }
static inline int c_tolower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static inline int sign(int v) { return (v > 0) - (v < 0); }

/*
 * Compares two unsigned decimal numbers of any length given as digit runs
 * (leading zeros allowed).
 */
static int numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	while (an > 0 && *a == '0') {
		a++;
		an--;
	}
	while (bn > 0 && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	r = memcmp(a, b, an);
	return sign(r);
}

static size_t digits(const char *s)
{
	size_t n = 0;

	while (c_digit((unsigned char)s[n]))
		n++;
	return n;
}

/* ---- dpkg -------------------------------------------------------------- */

/* dpkg's order of one character: '~' first, then the end, letters, others. */
static int dpkg_order(int c)
{
	if (c_digit(c))
		return 0;
	if (c_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* dpkg's verrevcmp over [a, ae) and [b, be). */
static int dpkg_verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
#define AC (a < ae ? (unsigned char)*a : 0)
#define BC (b < be ? (unsigned char)*b : 0)
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((a < ae && !c_digit(AC)) || (b < be && !c_digit(BC))) {
			int ac = dpkg_order(AC), bc = dpkg_order(BC);

			if (ac != bc)
				return sign(ac - bc);
			a++;
			b++;
		}
		while (AC == '0')
			a++;
		while (BC == '0')
			b++;
		while (c_digit(AC) && c_digit(BC)) {
			if (!first_diff)
				first_diff = AC - BC;
			a++;
			b++;
		}
		if (c_digit(AC))
			return 1;
		if (c_digit(BC))
			return -1;
		if (first_diff)
			return sign(first_diff);
	}
	return 0;
#undef AC
#undef BC
}

struct dpkg_ver {
	long epoch;                    /* 0 when absent or unparsable */
	const char *up, *up_end;
	const char *rev, *rev_end;     /* empty when there is no '-' */
	int bad;                       /* 0, 1 warning, 2 error (see hd_version_valid_dpkg) */
};

static bool dpkg_blank(int c) { return c == ' ' || c == '\t'; }

/* dpkg's parseversion(), without its allocation. */
static void dpkg_split(const char *s, struct dpkg_ver *v)
{
	const char *end, *colon, *p;

	memset(v, 0, sizeof(*v));
	while (dpkg_blank((unsigned char)*s))
		s++;
	end = s;
	while (*end && !dpkg_blank((unsigned char)*end))
		end++;
	for (p = end; dpkg_blank((unsigned char)*p); p++)
		;
	if (*p || end == s)
		v->bad = 2; /* embedded blanks or empty */
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon) {
		/* strtol: an optional sign, then digits up to the colon. */
		bool neg = false;

		p = s;
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		if (p == colon || digits(p) != (size_t)(colon - p)) {
			v->bad = 2;
		} else {
			long e = 0;

			for (; p < colon; p++) {
				e = e * 10 + (*p - '0');
				if (e > 2147483647L) {
					v->bad = 2;
					e = 0;
					break;
				}
			}
			if (neg && e > 0)
				v->bad = 2;
			else
				v->epoch = e;
		}
		s = colon + 1;
		if (s == end)
			v->bad = 2;
	}
	v->up = s;
	v->up_end = v->rev = v->rev_end = end;
	for (p = end; p > s; p--) {
		if (p[-1] == '-') {
			v->up_end = p - 1;
			v->rev = p;
			if (p == end)
				v->bad = 2;
			break;
		}
	}
	if (v->bad)
		return;
	if (v->up == v->up_end) {
		v->bad = 2;
		return;
	}
	if (!c_digit((unsigned char)*v->up))
		v->bad = 1;
	for (p = v->up; p < v->up_end; p++) {
		if (!c_alnum((unsigned char)*p) && !strchr(".-+~:", *p))
			v->bad = 1;
	}
	for (p = v->rev; p < v->rev_end; p++) {
		if (!c_alnum((unsigned char)*p) && !strchr(".+~", *p))
			v->bad = 1;
	}
}

int hd_vercmp_dpkg(const char *a, const char *b)
{
	struct dpkg_ver va, vb;
	int r;

	dpkg_split(a, &va);
	dpkg_split(b, &vb);
	if (va.epoch != vb.epoch)
		return va.epoch < vb.epoch ? -1 : 1;
	r = dpkg_verrevcmp(va.up, va.up_end, vb.up, vb.up_end);
	if (r)
		return r;
	return dpkg_verrevcmp(va.rev, va.rev_end, vb.rev, vb.rev_end);
}

/* Whether dpkg parses v without an error or a warning. */
bool hd_version_valid_dpkg(const char *s)
{
	struct dpkg_ver v;

	dpkg_split(s, &v);
	return v.bad == 0;
}

/* 0 valid, 1 dpkg warns (but compares), 2 dpkg refuses it. */
int hd_version_check_dpkg(const char *s)
{
	struct dpkg_ver v;

	dpkg_split(s, &v);
	return v.bad;
}

/* ---- apk --------------------------------------------------------------- */

/*
 * apk-tools 2.x version.c, the algorithm of every Alpine 3.x release: a
 * version is digit{.digit}...{letter}{_suffix{N}}...{-rN}, compared token
 * by token; while tokens agree in kind and value the next pair is read.
 * Where a version is malformed (apk 2 calls it invalid, or reads an empty
 * component in ".r1", or "-r" followed by text), hardock follows apk-tools
 * 3: the malformed side sorts lower at the point where the two differ.
 */
enum apk_tok {
	APK_INVALID = -1,
	APK_DIGIT_OR_ZERO,
	APK_DIGIT,
	APK_LETTER,
	APK_SUFFIX,
	APK_SUFFIX_NO,
	APK_REVISION_NO,
	APK_END,
};

struct apk_cur {
	const char *p;
	size_t len;
};

/* Reads the separator before the next token and sets *type to its kind. */
static void apk_next_token(int *type, struct apk_cur *c)
{
	int n = APK_INVALID;

	if (c->len == 0 || c->p[0] == '\0') {
		n = APK_END;
	} else if ((*type == APK_DIGIT || *type == APK_DIGIT_OR_ZERO) && c_lower((unsigned char)c->p[0])) {
		n = APK_LETTER;
	} else if (*type == APK_LETTER && c_digit((unsigned char)c->p[0])) {
		n = APK_DIGIT;
	} else if (*type == APK_SUFFIX && c_digit((unsigned char)c->p[0])) {
		n = APK_SUFFIX_NO;
	} else {
		switch (c->p[0]) {
		case '.':
			n = APK_DIGIT_OR_ZERO;
			break;
		case '_':
			n = APK_SUFFIX;
			break;
		case '-':
			if (c->len > 1 && c->p[1] == 'r') {
				n = APK_REVISION_NO;
				c->p++;
				c->len--;
			}
			break;
		default:
			break;
		}
		c->p++;
		c->len--;
	}
	if (n < *type) {
		if (!((n == APK_DIGIT_OR_ZERO && *type == APK_DIGIT) ||
		      (n == APK_SUFFIX && *type == APK_SUFFIX_NO) ||
		      (n == APK_DIGIT && *type == APK_LETTER)))
			n = APK_INVALID;
	}
	*type = n;
}

/*
 * Reads one token of kind *type and returns its value.  Numbers saturate
 * instead of overflowing apk's int (no real version has 16 digits).
 */
static long long apk_get_token(int *type, struct apk_cur *c)
{
	static const char *const suffixes[] = { "alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p" };
	long long v = 0;
	size_t i = 0, k, sl = 0;
	int nt = APK_INVALID;

	if (c->len == 0) {
		/* A trailing '_' names no suffix (apk-tools 3 and the Go port agree; 2.x reads the end). */
		if (*type == APK_SUFFIX) {
			*type = APK_INVALID;
			return -1;
		}
		*type = APK_END;
		return 0;
	}
	switch (*type) {
	case APK_DIGIT_OR_ZERO:
		/* Leading zeros: the more of them, the smaller. */
		if (c->p[0] == '0') {
			while (i < c->len && c->p[i] == '0')
				i++;
			nt = APK_DIGIT;
			v = -(long long)i;
			break;
		}
		/* FALLTHROUGH */
	case APK_DIGIT:
	case APK_SUFFIX_NO:
	case APK_REVISION_NO:
		while (i < c->len && c_digit((unsigned char)c->p[i])) {
			if (v < (1LL << 50))
				v = v * 10 + (c->p[i] - '0');
			i++;
		}
		break;
	case APK_LETTER:
		v = (unsigned char)c->p[i++];
		break;
	case APK_SUFFIX:
		/* Pre-release suffixes rank below 0, post-release ones from 0 (prefix match, as apk 2). */
		for (k = 0; k < HD_ARRAY_SIZE(suffixes); k++) {
			sl = strlen(suffixes[k]);
			if (sl <= c->len && strncmp(suffixes[k], c->p, sl) == 0)
				break;
		}
		if (k < HD_ARRAY_SIZE(suffixes)) {
			i = sl;
			v = (long long)k - 4;
			break;
		}
		/* An unknown suffix is invalid. */
		/* FALLTHROUGH */
	default:
		*type = APK_INVALID;
		return -1;
	}
	c->p += i;
	c->len -= i;
	if (c->len == 0)
		*type = APK_END;
	else if (nt != APK_INVALID)
		*type = nt;
	else
		apk_next_token(type, c);
	return v;
}

/*
 * Whether the upcoming token (kind t, text at c) is malformed: invalid, a
 * '.' without digits, or "-r" followed by something other than digits.
 */
static bool apk_malformed(int t, const struct apk_cur *c)
{
	if (t == APK_INVALID)
		return true;
	if (t == APK_DIGIT_OR_ZERO)
		return c->len == 0 || !c_digit((unsigned char)c->p[0]);
	if (t == APK_REVISION_NO)
		return c->len > 0 && !c_digit((unsigned char)c->p[0]);
	return false;
}

int hd_vercmp_apk(const char *a, const char *b)
{
	struct apk_cur ca = { a, strlen(a) }, cb = { b, strlen(b) }, sa, sb;
	int at = APK_DIGIT, bt = APK_DIGIT, tt;
	long long av = 0, bv = 0;
	bool ma, mb;

	while (at == bt && at != APK_END && at != APK_INVALID && av == bv) {
		av = apk_get_token(&at, &ca);
		bv = apk_get_token(&bt, &cb);
	}
	if (av < bv)
		return -1;
	if (av > bv)
		return 1;
	if (at == bt)
		return 0;
	ma = apk_malformed(at, &ca);
	mb = apk_malformed(bt, &cb);
	if (ma && mb)
		return 0;
	/* Equal so far: the longer one is greater unless it goes on with a pre-release suffix. */
	tt = at;
	sa = ca;
	if (at == APK_SUFFIX && apk_get_token(&tt, &sa) < 0)
		return -1;
	tt = bt;
	sb = cb;
	if (bt == APK_SUFFIX && apk_get_token(&tt, &sb) < 0)
		return 1;
	if (ma)
		return -1;
	if (mb)
		return 1;
	if (at > bt)
		return -1;
	if (bt > at)
		return 1;
	return 0;
}

/* apk-tools 2.x's apk_version_validate(). */
bool hd_version_valid_apk(const char *v)
{
	struct apk_cur c = { v, strlen(v) };
	int t = APK_DIGIT;

	while (t != APK_END && t != APK_INVALID)
		apk_get_token(&t, &c);
	return t == APK_END;
}

/* ---- rpm --------------------------------------------------------------- */

/* rpmvercmp over [a, ae) and [b, be). */
static int rpm_segcmp(const char *one, const char *ae, const char *two, const char *be)
{
#define O1 (one < ae ? (unsigned char)*one : 0)
#define T2 (two < be ? (unsigned char)*two : 0)
	const char *s1, *s2;
	bool isnum;

	if ((ae - one) == (be - two) && memcmp(one, two, (size_t)(ae - one)) == 0)
		return 0;
	while (O1 || T2) {
		while (O1 && !c_alnum(O1) && O1 != '~' && O1 != '^')
			one++;
		while (T2 && !c_alnum(T2) && T2 != '~' && T2 != '^')
			two++;
		if (O1 == '~' || T2 == '~') {
			if (O1 != '~')
				return 1;
			if (T2 != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (O1 == '^' || T2 == '^') {
			if (!O1)
				return -1;
			if (!T2)
				return 1;
			if (O1 != '^')
				return 1;
			if (T2 != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(O1 && T2))
			break;
		s1 = one;
		s2 = two;
		if (c_digit(O1)) {
			while (s1 < ae && c_digit((unsigned char)*s1))
				s1++;
			while (s2 < be && c_digit((unsigned char)*s2))
				s2++;
			isnum = true;
		} else {
			while (s1 < ae && c_alpha((unsigned char)*s1))
				s1++;
			while (s2 < be && c_alpha((unsigned char)*s2))
				s2++;
			isnum = false;
		}
		if (s2 == two)
			return isnum ? 1 : -1;
		if (isnum) {
			int r = numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));

			if (r)
				return r;
		} else {
			size_t n1 = (size_t)(s1 - one), n2 = (size_t)(s2 - two);
			int r = memcmp(one, two, n1 < n2 ? n1 : n2);

			if (r)
				return sign(r);
			if (n1 != n2)
				return n1 < n2 ? -1 : 1;
		}
		one = s1;
		two = s2;
	}
	if (!O1 && !T2)
		return 0;
	return !O1 ? -1 : 1;
#undef O1
#undef T2
}

struct rpm_evr {
	const char *e, *ee; /* NULL when absent */
	const char *v, *ve;
	const char *r, *re; /* NULL when absent */
};

/* rpm's parseEVR: digits then ':' is the epoch, the last '-' after it starts the release. */
static void rpm_split(const char *s, struct rpm_evr *p)
{
	const char *end = s + strlen(s), *q = s, *dash = NULL, *x;

	while (c_digit((unsigned char)*q))
		q++;
	for (x = q; x < end; x++) {
		if (*x == '-')
			dash = x;
	}
	if (*q == ':') {
		p->e = s;
		p->ee = q;
		if (p->e == p->ee) {
			p->e = "0";
			p->ee = p->e + 1;
		}
		p->v = q + 1;
	} else {
		p->e = p->ee = NULL;
		p->v = s;
	}
	if (dash) {
		p->ve = dash;
		p->r = dash + 1;
		p->re = end;
	} else {
		p->ve = end;
		p->r = p->re = NULL;
	}
}

int hd_vercmp_rpm(const char *a, const char *b)
{
	struct rpm_evr x, y;
	int r;

	rpm_split(a, &x);
	rpm_split(b, &y);
	r = rpm_segcmp(x.e ? x.e : "0", x.e ? x.ee : "0" + 1, y.e ? y.e : "0", y.e ? y.ee : "0" + 1);
	if (r)
		return r;
	r = rpm_segcmp(x.v, x.ve, y.v, y.ve);
	if (r)
		return r;
	/* rpm 4.18: a version with a release is newer than the same without one. */
	if (x.r && y.r)
		return rpm_segcmp(x.r, x.re, y.r, y.re);
	return (x.r != NULL) - (y.r != NULL);
}

/* ---- PEP 440 ----------------------------------------------------------- */

enum { PEP_PRE_NONE = -1, PEP_PRE_A, PEP_PRE_B, PEP_PRE_RC };

struct pep440 {
	const char *epoch; size_t epoch_n;  /* digits; n 0 = epoch 0 */
	const char *rel; size_t rel_n;      /* "1.2.3" */
	int pre;                            /* PEP_PRE_* */
	const char *pre_num; size_t pre_n;
	bool post;
	const char *post_num; size_t post_n;
	bool dev;
	const char *dev_num; size_t dev_n;
	const char *local; size_t local_n;  /* after '+', 0 = none */
};

static bool pep_sep(int c) { return c == '-' || c == '_' || c == '.'; }

static bool pep_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Case-insensitive keyword at p; returns its length or 0. */
static size_t pep_kw(const char *p, const char *kw)
{
	size_t i;

	for (i = 0; kw[i]; i++) {
		if (c_tolower((unsigned char)p[i]) != kw[i])
			return 0;
	}
	return i;
}

/*
 * Parses like packaging's VERSION_PATTERN.  Every optional part is tried
 * greedily; the pattern's backtracking never changes the outcome because no
 * part can start with what the part before it gave back (see the tests).
 */
static bool pep440_parse(const char *s, struct pep440 *v)
{
	static const struct { const char *kw; int pre; } pres[] = {
		{ "alpha", PEP_PRE_A }, { "a", PEP_PRE_A }, { "beta", PEP_PRE_B }, { "b", PEP_PRE_B },
		{ "rc", PEP_PRE_RC }, { "c", PEP_PRE_RC }, { "preview", PEP_PRE_RC }, { "pre", PEP_PRE_RC },
	};
	const char *p = s, *q;
	size_t n, i, k;

	memset(v, 0, sizeof(*v));
	v->pre = PEP_PRE_NONE;
	while (pep_space((unsigned char)*p))
		p++;
	if (*p == 'v' || *p == 'V')
		p++;
	n = digits(p);
	if (n && p[n] == '!') {
		v->epoch = p;
		v->epoch_n = n;
		p += n + 1;
		n = digits(p);
	}
	if (!n)
		return false;
	v->rel = p;
	p += n;
	while (*p == '.' && c_digit((unsigned char)p[1]))
		p += 1 + digits(p + 1);
	v->rel_n = (size_t)(p - v->rel);
	/* pre-release */
	q = p + (pep_sep((unsigned char)*p) ? 1 : 0);
	for (i = 0; i < HD_ARRAY_SIZE(pres); i++) {
		if ((k = pep_kw(q, pres[i].kw)) != 0)
			break;
	}
	if (i < HD_ARRAY_SIZE(pres)) {
		v->pre = pres[i].pre;
		p = q + k;
		if (pep_sep((unsigned char)*p))
			p++;
		v->pre_num = p;
		v->pre_n = digits(p);
		p += v->pre_n;
	}
	/* post-release: "-N", or [-_.]post|rev|r[-_.]N */
	if (*p == '-' && c_digit((unsigned char)p[1])) {
		v->post = true;
		v->post_num = p + 1;
		v->post_n = digits(p + 1);
		p += 1 + v->post_n;
	} else {
		q = p + (pep_sep((unsigned char)*p) ? 1 : 0);
		if ((k = pep_kw(q, "post")) || (k = pep_kw(q, "rev")) || (k = pep_kw(q, "r"))) {
			v->post = true;
			p = q + k;
			if (pep_sep((unsigned char)*p))
				p++;
			v->post_num = p;
			v->post_n = digits(p);
			p += v->post_n;
		}
	}
	/* dev release */
	q = p + (pep_sep((unsigned char)*p) ? 1 : 0);
	if ((k = pep_kw(q, "dev"))) {
		v->dev = true;
		p = q + k;
		if (pep_sep((unsigned char)*p))
			p++;
		v->dev_num = p;
		v->dev_n = digits(p);
		p += v->dev_n;
	}
	/* local version: +[a-z0-9]+([-_.][a-z0-9]+)* */
	if (*p == '+') {
		q = ++p;
		for (;;) {
			if (!c_alnum((unsigned char)*p))
				return false;
			while (c_alnum((unsigned char)*p))
				p++;
			if (pep_sep((unsigned char)*p) && c_alnum((unsigned char)p[1]))
				p++;
			else
				break;
		}
		v->local = q;
		v->local_n = (size_t)(p - q);
	}
	while (pep_space((unsigned char)*p))
		p++;
	return *p == '\0';
}

bool hd_version_valid_pep440(const char *s)
{
	struct pep440 v;

	return pep440_parse(s, &v);
}

/* Compares release segments, the shorter padded with zeros. */
static int pep_relcmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ae = a + an, *be = b + bn;

	while (a < ae || b < be) {
		size_t x = a < ae ? digits(a) : 0, y = b < be ? digits(b) : 0;
		int r = numcmp(a < ae ? a : "0", x, b < be ? b : "0", y);

		if (r)
			return r;
		a += x + (a + x < ae);
		b += y + (b + y < be);
	}
	return 0;
}

/* Local segments: numbers above strings, strings by lowercase, shorter first. */
static int pep_localcmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *ae = a + an, *be = b + bn;

	while (a < ae && b < be) {
		size_t x = 0, y = 0;
		bool xn, yn;
		int r = 0;

		while (a + x < ae && !pep_sep((unsigned char)a[x]))
			x++;
		while (b + y < be && !pep_sep((unsigned char)b[y]))
			y++;
		xn = digits(a) >= x;
		yn = digits(b) >= y;
		if (xn && yn) {
			r = numcmp(a, x, b, y);
		} else if (xn != yn) {
			r = xn ? 1 : -1;
		} else {
			size_t i;

			for (i = 0; i < x && i < y && !r; i++)
				r = c_tolower((unsigned char)a[i]) - c_tolower((unsigned char)b[i]);
			if (!r && x != y)
				r = x < y ? -1 : 1;
		}
		if (r)
			return sign(r);
		a += x + (a + x < ae);
		b += y + (b + y < be);
	}
	if (a < ae)
		return 1;
	if (b < be)
		return -1;
	return 0;
}

static int pep440_cmp(const struct pep440 *a, const struct pep440 *b)
{
	int r, ka, kb;

	r = numcmp(a->epoch ? a->epoch : "", a->epoch_n, b->epoch ? b->epoch : "", b->epoch_n);
	if (r)
		return r;
	r = pep_relcmp(a->rel, a->rel_n, b->rel, b->rel_n);
	if (r)
		return r;
	/* Pre: a dev-only release sorts before pre-releases, no pre after them. */
	ka = a->pre != PEP_PRE_NONE ? 1 : (!a->post && a->dev) ? 0 : 2;
	kb = b->pre != PEP_PRE_NONE ? 1 : (!b->post && b->dev) ? 0 : 2;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ka == 1) {
		if (a->pre != b->pre)
			return a->pre < b->pre ? -1 : 1;
		r = numcmp(a->pre_num, a->pre_n, b->pre_num, b->pre_n);
		if (r)
			return r;
	}
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if (a->post) {
		r = numcmp(a->post_num, a->post_n, b->post_num, b->post_n);
		if (r)
			return r;
	}
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	if (a->dev) {
		r = numcmp(a->dev_num, a->dev_n, b->dev_num, b->dev_n);
		if (r)
			return r;
	}
	if (!a->local_n || !b->local_n)
		return (a->local_n > 0) - (b->local_n > 0);
	return pep_localcmp(a->local, a->local_n, b->local, b->local_n);
}

int hd_vercmp_pep440(const char *a, const char *b)
{
	struct pep440 x, y;
	bool xv = pep440_parse(a, &x), yv = pep440_parse(b, &y);

	if (xv && yv)
		return pep440_cmp(&x, &y);
	if (xv != yv)
		return xv ? 1 : -1;
	return sign(strcmp(a, b));
}

/* ---- SemVer ------------------------------------------------------------ */

struct semver {
	const char *num[3]; size_t num_n[3]; /* n 0 = missing (0) */
	const char *pre; size_t pre_n;       /* after '-', up to '+' */
	bool strict;                         /* valid for node-semver */
};

static bool sv_ident_char(int c) { return c_alnum(c) || c == '-'; }

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when strict. */
static bool sv_idents(const char *p, size_t n, bool numeric_rule)
{
	size_t i = 0;

	if (n == 0)
		return false;
	while (i <= n) {
		size_t s = i;
		bool alldig = true;

		while (i < n && p[i] != '.') {
			if (!sv_ident_char((unsigned char)p[i]))
				return false;
			if (!c_digit((unsigned char)p[i]))
				alldig = false;
			i++;
		}
		if (i == s)
			return false;
		if (numeric_rule && alldig && p[s] == '0' && i - s > 1)
			return false;
		i++;
	}
	return true;
}

static void semver_parse(const char *s, struct semver *v)
{
	const char *p = s, *e, *plus, *dash;
	size_t k;
	bool strict = true;

	memset(v, 0, sizeof(*v));
	/* node-semver trims blanks and accepts one leading 'v' (or '='). */
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
		e--;
	if (*p == '=') {
		strict = false;
		p++;
	}
	if (*p == 'v' || *p == 'V') {
		if (*p == 'V')
			strict = false;
		p++;
	}
	plus = memchr(p, '+', (size_t)(e - p));
	if (plus) {
		if (!sv_idents(plus + 1, (size_t)(e - plus - 1), false))
			strict = false;
		e = plus;
	}
	for (k = 0; k < 3; k++) {
		size_t n = 0;

		while (p + n < e && c_digit((unsigned char)p[n]))
			n++;
		v->num[k] = p;
		v->num_n[k] = n;
		if (n == 0 || (n > 1 && *p == '0') || n > 16)
			strict = false;
		p += n;
		if (k < 2) {
			if (p < e && *p == '.')
				p++;
			else
				strict = false;
		}
	}
	/* Whatever follows the third number up to '-' (like ".4.5") is ignored leniently. */
	dash = p < e ? memchr(p, '-', (size_t)(e - p)) : NULL;
	if (p < e && p != dash)
		strict = false;
	if (dash) {
		v->pre = dash + 1;
		v->pre_n = (size_t)(e - dash - 1);
		if (!sv_idents(v->pre, v->pre_n, true))
			strict = false;
	}
	/* node-semver: major, minor and patch at most Number.MAX_SAFE_INTEGER. */
	for (k = 0; k < 3 && strict; k++) {
		if (numcmp(v->num[k], v->num_n[k], "9007199254740991", 16) > 0)
			strict = false;
	}
	if (strlen(s) > 256)
		strict = false;
	v->strict = strict;
}

bool hd_version_valid_semver(const char *s)
{
	struct semver v;

	semver_parse(s, &v);
	return v.strict;
}

static int semver_precmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	bool adone = false, bdone = false;

	if (!an || !bn)
		return (an == 0) - (bn == 0);
	for (;;) {
		size_t x = 0, y = 0;
		bool xn, yn;
		int r;

		if (adone && bdone)
			return 0;
		if (bdone)
			return 1;
		if (adone)
			return -1;
		while (i + x < an && a[i + x] != '.')
			x++;
		while (j + y < bn && b[j + y] != '.')
			y++;
		xn = x && digits(a + i) >= x;
		yn = y && digits(b + j) >= y;
		if (xn && yn) {
			r = numcmp(a + i, x, b + j, y);
		} else if (xn != yn) {
			r = xn ? -1 : 1;
		} else {
			r = memcmp(a + i, b + j, x < y ? x : y);
			r = r ? sign(r) : (x == y ? 0 : x < y ? -1 : 1);
		}
		if (r)
			return r;
		i += x;
		j += y;
		if (i >= an)
			adone = true;
		else
			i++;
		if (j >= bn)
			bdone = true;
		else
			j++;
	}
}

int hd_vercmp_semver(const char *a, const char *b)
{
	struct semver x, y;
	int k, r;

	semver_parse(a, &x);
	semver_parse(b, &y);
	for (k = 0; k < 3; k++) {
		r = numcmp(x.num[k], x.num_n[k], y.num[k], y.num_n[k]);
		if (r)
			return r;
	}
	return semver_precmp(x.pre, x.pre_n, y.pre, y.pre_n);
}

/* ---- Maven ------------------------------------------------------------- */

/*
 * ComparableVersion parses a version into nested lists: '.' separates items
 * of a list, '-' and a switch between digits and letters open a sublist that
 * holds the rest.  The lists therefore form a chain, each the last item of
 * the one before, and are kept here as one item array with a level per item.
 */
enum { MV_NUM, MV_STR, MV_LIST };

struct mv_item {
	unsigned char type;
	unsigned char qual;   /* MV_STR: qualifier rank 0..6, or 7 for others */
	const char *s;        /* MV_NUM digits (no leading zeros), MV_STR text (lower case not applied) */
	unsigned short n;
};

struct mv_list {
	struct mv_item *v;
	size_t n;
};

#define MV_MAX_ITEMS (2 * HD_MAX_VERSION_LEN + 4)

struct mv_version {
	struct mv_item items[MV_MAX_ITEMS];
	size_t n;
};

static const char *const mv_quals[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };

static bool mv_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return false;
	for (i = 0; i < n; i++) {
		if (c_tolower((unsigned char)s[i]) != lit[i])
			return false;
	}
	return true;
}

static void mv_string_item(struct mv_item *it, const char *s, size_t n, bool followed_by_digit)
{
	size_t k;

	it->type = MV_STR;
	it->s = s;
	it->n = (unsigned short)n;
	if (followed_by_digit && n == 1) {
		int c = c_tolower((unsigned char)*s);

		if (c == 'a') { it->s = "alpha"; it->n = 5; }
		else if (c == 'b') { it->s = "beta"; it->n = 4; }
		else if (c == 'm') { it->s = "milestone"; it->n = 9; }
	}
	if (mv_eq(it->s, it->n, "ga") || mv_eq(it->s, it->n, "final") || mv_eq(it->s, it->n, "release")) {
		it->s = "";
		it->n = 0;
	} else if (mv_eq(it->s, it->n, "cr")) {
		it->s = "rc";
		it->n = 2;
	}
	it->qual = 7;
	for (k = 0; k < HD_ARRAY_SIZE(mv_quals); k++) {
		if (mv_eq(it->s, it->n, mv_quals[k]))
			it->qual = (unsigned char)k;
	}
}

static void mv_parse_item(struct mv_item *it, bool numeric, const char *s, size_t n)
{
	if (numeric) {
		while (n > 1 && *s == '0') {
			s++;
			n--;
		}
		it->type = MV_NUM;
		it->s = s;
		it->n = (unsigned short)n;
	} else {
		mv_string_item(it, s, n, false);
	}
}

static bool mv_item_null(const struct mv_item *it, size_t nchild)
{
	if (it->type == MV_NUM)
		return it->n == 1 && it->s[0] == '0';
	if (it->type == MV_STR)
		return it->qual == 5; /* "" */
	return nchild == 0;
}

/*
 * Maven's normalize(), innermost list first: each list loses its trailing
 * null items (0, "", an empty sublist); a non-empty sublist is passed over,
 * so the nulls just before it go too.  A list left empty disappears from its
 * parent.  Returns the new item count.
 */
static size_t mv_normalize(struct mv_item *it, size_t n)
{
	size_t starts[MV_MAX_ITEMS / 2 + 2], ends[MV_MAX_ITEMS / 2 + 2];
	bool nonempty[MV_MAX_ITEMS / 2 + 3];
	size_t levels = 0, i, w, k;

	starts[0] = 0;
	for (i = 0; i < n; i++) {
		if (it[i].type == MV_LIST) {
			ends[levels++] = i;
			starts[levels] = i + 1;
		}
	}
	ends[levels++] = n;
	nonempty[levels] = false;
	for (k = levels; k-- > 0;) {
		while (ends[k] > starts[k] && mv_item_null(&it[ends[k] - 1], 0))
			ends[k]--;
		nonempty[k] = ends[k] > starts[k] || nonempty[k + 1];
	}
	w = 0;
	for (k = 0; k < levels; k++) {
		if (k > 0) {
			if (!nonempty[k])
				break;
			/*
			 * A sublist whose only item is a sublist is that sublist
			 * ("1-ga-1" is "1-1", as the POM reference specifies).
			 */
			if (k < 2 || ends[k - 1] > starts[k - 1])
				it[w++] = (struct mv_item){ MV_LIST, 0, NULL, 0 };
		}
		for (i = starts[k]; i < ends[k]; i++)
			it[w++] = it[i];
	}
	return w;
}

/*
 * Parses v into a chain of lists: items[] in order, an MV_LIST item marking
 * where the next list starts.  Then normalizes from the innermost list out,
 * removing trailing null items (0, "", empty lists) as Maven does.
 */
static bool mv_parse(const char *v, struct mv_version *out)
{
	struct mv_item *it = out->items;
	size_t len = strlen(v), i, start = 0, n = 0;
	bool in_digits = false;
	static const char zero[] = "0";

	if (len > HD_MAX_VERSION_LEN)
		return false;
#define ADD(...) do { it[n] = (struct mv_item){ __VA_ARGS__ }; n++; } while (0)
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '.' || c == '-') {
			if (i == start)
				ADD(MV_NUM, 0, zero, 1);
			else
				mv_parse_item(&it[n++], in_digits, v + start, i - start);
			start = i + 1;
			if (c == '-')
				ADD(MV_LIST, 0, NULL, 0);
		} else if (c_digit(c)) {
			if (!in_digits && i > start) {
				mv_string_item(&it[n++], v + start, i - start, true);
				start = i;
				ADD(MV_LIST, 0, NULL, 0);
			}
			in_digits = true;
		} else {
			if (in_digits && i > start) {
				mv_parse_item(&it[n++], true, v + start, i - start);
				start = i;
				ADD(MV_LIST, 0, NULL, 0);
			}
			in_digits = false;
		}
	}
	if (len > start)
		mv_parse_item(&it[n++], in_digits, v + start, len - start);
#undef ADD
	out->n = mv_normalize(it, n);
	return true;
}

static int mv_cmp_list(const struct mv_item *a, size_t an, const struct mv_item *b, size_t bn);

/* Compares one item with "nothing" (a missing item of a shorter list). */
static int mv_cmp_null(const struct mv_item *a, size_t an)
{
	size_t i;

	switch (a->type) {
	case MV_NUM:
		return mv_item_null(a, 0) ? 0 : 1;
	case MV_STR:
		return a->qual < 5 ? -1 : a->qual > 5 ? 1 : 0;
	default:
		/* a list against nothing: its items in turn (MNG-6964) */
		for (i = 1; i < an; i++) {
			int r = mv_cmp_null(&a[i], an - i);

			if (r)
				return r;
			if (a[i].type == MV_LIST)
				break;
		}
		return 0;
	}
}

static int mv_strcmp_ci(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i < an && i < bn; i++) {
		int r = c_tolower((unsigned char)a[i]) - c_tolower((unsigned char)b[i]);

		if (r)
			return sign(r);
	}
	return an == bn ? 0 : an < bn ? -1 : 1;
}

/* a and b point at items; an/bn count the items from there to the end of the chain. */
static int mv_cmp_item(const struct mv_item *a, size_t an, const struct mv_item *b, size_t bn)
{
	switch (a->type) {
	case MV_NUM:
		if (b->type == MV_NUM)
			return numcmp(a->s, a->n, b->s, b->n);
		return 1;
	case MV_STR:
		if (b->type == MV_NUM || b->type == MV_LIST)
			return -1;
		if (a->qual != b->qual)
			return a->qual < b->qual ? -1 : 1;
		if (a->qual == 7)
			return mv_strcmp_ci(a->s, a->n, b->s, b->n);
		return 0;
	default:
		if (b->type == MV_NUM)
			return -1;
		if (b->type == MV_STR)
			return 1;
		return mv_cmp_list(a + 1, an - 1, b + 1, bn - 1);
	}
}

/* The number of items of the list starting at a (a sublist marker is its last). */
static size_t mv_count(const struct mv_item *a, size_t an)
{
	size_t i;

	for (i = 0; i < an; i++) {
		if (a[i].type == MV_LIST)
			return i + 1;
	}
	return an;
}

/* Compares two lists given as the rest of their chains. */
static int mv_cmp_list(const struct mv_item *a, size_t an, const struct mv_item *b, size_t bn)
{
	size_t ca = mv_count(a, an), cb = mv_count(b, bn), i;

	for (i = 0; i < ca || i < cb; i++) {
		int r;

		if (i >= ca)
			r = -mv_cmp_null(&b[i], bn - i);
		else if (i >= cb)
			r = mv_cmp_null(&a[i], an - i);
		else
			r = mv_cmp_item(&a[i], an - i, &b[i], bn - i);
		if (r)
			return r;
	}
	return 0;
}

int hd_vercmp_maven(const char *a, const char *b)
{
	struct mv_version x, y;

	if (!mv_parse(a, &x) || !mv_parse(b, &y))
		return sign(strcmp(a, b));
	return mv_cmp_list(x.items, x.n, y.items, y.n);
}

/* ---- dispatch ---------------------------------------------------------- */

int hd_vercmp(enum hd_vscheme s, const char *a, const char *b)
{
	switch (s) {
	case HD_VS_DPKG: return hd_vercmp_dpkg(a, b);
	case HD_VS_APK: return hd_vercmp_apk(a, b);
	case HD_VS_RPM: return hd_vercmp_rpm(a, b);
	case HD_VS_PEP440: return hd_vercmp_pep440(a, b);
	case HD_VS_SEMVER: return hd_vercmp_semver(a, b);
	case HD_VS_MAVEN: return hd_vercmp_maven(a, b);
	default: return sign(strcmp(a, b));
	}
}

bool hd_version_valid(enum hd_vscheme s, const char *v)
{
	switch (s) {
	case HD_VS_DPKG: return hd_version_valid_dpkg(v);
	case HD_VS_APK: return hd_version_valid_apk(v);
	case HD_VS_PEP440: return hd_version_valid_pep440(v);
	case HD_VS_SEMVER: return hd_version_valid_semver(v);
	default: return *v != '\0';
	}
}
