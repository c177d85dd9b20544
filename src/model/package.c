/*
 * The package list: storage in one arena, ordering, ecosystem names and
 * package URLs.
 */
#include "core/common.h"
#include "core/buf.h"
#include "model/package.h"

static const char *const eco_names[HD_ECO_MAX] = {
	[HD_ECO_DEB] = "deb", [HD_ECO_APK] = "apk", [HD_ECO_RPM] = "rpm", [HD_ECO_NPM] = "npm",
	[HD_ECO_PYPI] = "pypi", [HD_ECO_GO] = "golang", [HD_ECO_MAVEN] = "maven",
};

static const char *const eco_osv[HD_ECO_MAX] = {
	[HD_ECO_DEB] = "Debian", [HD_ECO_APK] = "Alpine", [HD_ECO_RPM] = NULL, [HD_ECO_NPM] = "npm",
	[HD_ECO_PYPI] = "PyPI", [HD_ECO_GO] = "Go", [HD_ECO_MAVEN] = "Maven",
};

const char *hd_eco_name(enum hd_pkg_eco e)
{
	return (unsigned)e < HD_ECO_MAX ? eco_names[e] : "?";
}

const char *hd_eco_osv_name(enum hd_pkg_eco e)
{
	return (unsigned)e < HD_ECO_MAX ? eco_osv[e] : NULL;
}

void hd_packages_init(struct hd_packages *l)
{
	memset(l, 0, sizeof(*l));
	hd_arena_init(&l->arena, 64 * 1024);
}

void hd_packages_release(struct hd_packages *l)
{
	if (!l)
		return;
	hd_free(l->v);
	hd_free(l->notes);
	hd_arena_release(&l->arena);
	memset(l, 0, sizeof(*l));
}

const char *hd_packages_strndup(struct hd_packages *l, const char *s, size_t n)
{
	return s ? hd_arena_strndup(&l->arena, s, n) : NULL;
}

const char *hd_packages_strdup(struct hd_packages *l, const char *s)
{
	return s ? hd_arena_strdup(&l->arena, s) : NULL;
}

int hd_packages_add(struct hd_packages *l, const struct hd_package *p)
{
	struct hd_package *d;
	char *purl = NULL;

	if (l->n >= HD_MAX_PACKAGES)
		return -HD_ETOOBIG;
	if (HD_GROW(l->v, l->alloc, l->n + 1) < 0)
		return -HD_ENOMEM;
	d = &l->v[l->n];
	*d = *p;
#define DUP(f) do { if (p->f && !(d->f = hd_packages_strdup(l, p->f))) return -HD_ENOMEM; } while (0)
	DUP(name);
	DUP(version);
	DUP(source_name);
	DUP(source_version);
	DUP(arch);
	DUP(license);
	DUP(path);
	DUP(layer);
#undef DUP
	if (p->purl) {
		d->purl = hd_packages_strdup(l, p->purl);
	} else {
		purl = hd_purl(d, &l->os);
		d->purl = purl ? hd_packages_strdup(l, purl) : NULL;
		hd_free(purl);
	}
	if (!d->purl)
		return -HD_ENOMEM;
	l->n++;
	return 0;
}

int hd_packages_note(struct hd_packages *l, const char *fmt, ...)
{
	char buf[HD_MAX_MESSAGE];
	const char *s;
	va_list ap;
	int n;

	if (l->n_notes >= HD_MAX_CATALOG_NOTES)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -HD_EINVAL;
	s = hd_packages_strdup(l, buf);
	if (!s || HD_GROW(l->notes, l->alloc_notes, l->n_notes + 1) < 0)
		return -HD_ENOMEM;
	l->notes[l->n_notes++] = s;
	return 0;
}

static int strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct hd_package *a = x, *b = y;
	int r;

	if (a->eco != b->eco)
		return a->eco < b->eco ? -1 : 1;
	if ((r = strcmp0(a->name, b->name)) != 0)
		return r;
	if ((r = strcmp0(a->version, b->version)) != 0)
		return r;
	if ((r = strcmp0(a->path, b->path)) != 0)
		return r;
	return strcmp0(a->arch, b->arch);
}

void hd_packages_sort(struct hd_packages *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_pkg);
}

void hd_pep503_normalize(char *name)
{
	char *w = name;
	const char *r;

	for (r = name; *r; r++) {
		if (*r == '-' || *r == '_' || *r == '.') {
			if (w == name || w[-1] != '-')
				*w++ = '-';
		} else {
			*w++ = (char)tolower((unsigned char)*r);
		}
	}
	*w = '\0';
}

/* Percent-encodes s for a purl component; '/' kept when keep_slash. */
static int purl_enc(struct hd_buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	int r = 0;

	for (; *s && r == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || (keep_slash && c == '/'))
			r = hd_buf_addch(b, (char)c);
		else if ((r = hd_buf_addch(b, '%')) == 0 && (r = hd_buf_addch(b, hex[c >> 4])) == 0)
			r = hd_buf_addch(b, hex[c & 15]);
	}
	return r;
}

static const char *purl_namespace(const struct hd_package *p, const struct hd_os_release *os)
{
	switch (p->eco) {
	case HD_ECO_DEB:
		return os && os->id && strcmp(os->id, "ubuntu") == 0 ? "ubuntu" : "debian";
	case HD_ECO_APK:
		return "alpine";
	case HD_ECO_RPM:
		return os && os->id ? os->id : "redhat";
	default:
		return NULL;
	}
}

char *hd_purl(const struct hd_package *p, const struct hd_os_release *os)
{
	struct hd_buf b = HD_BUF_INIT(16 * 1024);
	const char *ns = purl_namespace(p, os), *name = p->name ? p->name : "", *slash;
	char sep = '?';
	int r;

	r = hd_buf_addf(&b, "pkg:%s/", hd_eco_name(p->eco));
	if (ns && r == 0) {
		r = purl_enc(&b, ns, false);
		if (r == 0)
			r = hd_buf_addch(&b, '/');
	}
	switch (p->eco) {
	case HD_ECO_NPM:
		/* "@scope/name": the scope is the namespace, '@' encoded. */
		if (r == 0)
			r = purl_enc(&b, name, true);
		break;
	case HD_ECO_GO:
		if (r == 0)
			r = purl_enc(&b, name, true);
		break;
	case HD_ECO_MAVEN:
		slash = strchr(name, ':');
		if (slash && r == 0) {
			char *g = hd_strndup(name, (size_t)(slash - name));

			r = g ? purl_enc(&b, g, false) : -HD_ENOMEM;
			hd_free(g);
			if (r == 0 && (r = hd_buf_addch(&b, '/')) == 0)
				r = purl_enc(&b, slash + 1, false);
		} else if (r == 0) {
			r = purl_enc(&b, name, false);
		}
		break;
	default:
		if (r == 0)
			r = purl_enc(&b, name, false);
		break;
	}
	if (p->version && *p->version && r == 0) {
		r = hd_buf_addch(&b, '@');
		if (r == 0)
			r = purl_enc(&b, p->version, false);
	}
	/* Qualifiers in lexical order: arch, distro, upstream. */
	if (p->arch && hd_eco_is_os(p->eco) && r == 0) {
		r = hd_buf_addf(&b, "%carch=", sep);
		sep = '&';
		if (r == 0)
			r = purl_enc(&b, p->arch, false);
	}
	if (hd_eco_is_os(p->eco) && os && os->id && r == 0) {
		r = hd_buf_addf(&b, "%cdistro=", sep);
		sep = '&';
		if (r == 0)
			r = purl_enc(&b, os->id, false);
		if (os->version_id && r == 0 && (r = hd_buf_addch(&b, '-')) == 0)
			r = purl_enc(&b, os->version_id, false);
	}
	if (p->eco == HD_ECO_DEB && p->source_name && p->name && strcmp(p->source_name, p->name) != 0 && r == 0) {
		r = hd_buf_addf(&b, "%cupstream=", sep);
		if (r == 0)
			r = purl_enc(&b, p->source_name, false);
	}
	if (r < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	return hd_buf_detach(&b, NULL);
}
