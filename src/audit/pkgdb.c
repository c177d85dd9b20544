/*
 * The package database of the audited host (see read_int.h): which docker,
 * containerd and runc packages are installed, at which version, and which
 * CVEs their Debian changelogs name as fixed, so that a backported fix is
 * not reported as a vulnerability.  Used live and offline alike.
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/read_int.h"

#include <archive.h>

static int read_gz(struct hd_host_ctx *c, const char *path, struct hd_buf *out)
{
	struct archive *a;
	struct archive_entry *e;
	char *real = NULL;
	int r;

	r = hd_rootfs_resolve(&c->fs, path, &real, NULL);
	if (r < 0)
		return r;
	a = archive_read_new();
	if (!a) {
		hd_free(real);
		return -HD_ENOMEM;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, real, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		r = -HD_EIO;
		goto out;
	}
	for (;;) {
		char chunk[65536];
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));

		if (n < 0) {
			r = -HD_EIO;
			break;
		}
		if (n == 0)
			break;
		r = hd_buf_add(out, chunk, (size_t)n);
		if (r < 0)
			break;
	}
out:
	archive_read_free(a);
	hd_free(real);
	return r;
}

/* The CVE ids a Debian package's changelog names: fixes it carries, backported or not. */
static int read_changelog(struct hd_host_ctx *c, struct hd_version_fact *v)
{
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	char *path = hd_asprintf("/usr/share/doc/%s/changelog.Debian.gz", v->package);
	const char *p;
	int r;

	if (!path)
		return -HD_ENOMEM;
	r = read_gz(c, path, &b);
	hd_free(path);
	if (r < 0) {
		hd_buf_release(&b);
		return r == -HD_ENOMEM ? r : 0;
	}
	r = 0;
	for (p = b.buf; r >= 0 && (p = strstr(p, "CVE-")); p += 4) {
		size_t n = 4;
		char id[32];

		while (n < 24 && (isdigit((unsigned char)p[n]) || (p[n] == '-' && n == 8)))
			n++;
		if (n < 13 || p[8] != '-')
			continue;
		memcpy(id, p, n);
		id[n] = '\0';
		if (!hd_strlist_has(&v->fixed_cves, id))
			r = hd_strlist_add(&v->fixed_cves, id);
	}
	hd_buf_release(&b);
	return r;
}

struct pkg_want {
	const char *pkg;
	int which; /* 0 engine, 1 containerd, 2 runc */
};

/* The next "Package: " at the start of a line of [buf, end), from p on, or NULL. */
static const char *next_package_field(const char *buf, const char *p, const char *end)
{
	while (p < end && (p = memmem(p, (size_t)(end - p), "Package: ", 9))) {
		if (p == buf || p[-1] == '\n')
			return p;
		p += 9;
	}
	return NULL;
}

/*
 * Whether the Package: line at p (n bytes, without its newline) names one
 * of pkgs or a kernel image package (the running kernel's is looked for).
 */
static bool pkgdb_wanted(const struct hd_host_ctx *c, const char *p, size_t n, const struct pkg_want *pkgs,
			 size_t n_pkgs)
{
	const char *name = p + 9;
	size_t len = n - 9, i;

	for (i = 0; i < n_pkgs; i++) {
		if (strlen(pkgs[i].pkg) == len && memcmp(pkgs[i].pkg, name, len) == 0)
			return true;
	}
	return c->h->kernel.raw && len > 12 && memcmp(name, "linux-image-", 12) == 0;
}

/* Versions from dpkg's database (offline and live). */
int hd_pkgdb_read(struct hd_host_ctx *c)
{
	static const struct pkg_want pkgs[] = {
		{ "docker-ce", 0 }, { "docker.io", 0 }, { "docker-engine", 0 }, { "moby-engine", 0 },
		{ "containerd.io", 1 }, { "containerd", 1 }, { "runc", 2 },
	};
	struct hd_version_fact *slot[3] = { &c->h->engine, &c->h->containerd, &c->h->runc };
	struct hd_buf b = HD_BUF_INIT(HD_READ_DPKG_MAX);
	const char *p, *end, *next;
	int r;

	r = hd_rootfs_read(&c->fs, "/var/lib/dpkg/status", HD_READ_DPKG_MAX, &b);
	if (r < 0) {
		hd_buf_release(&b);
		return r == -HD_ENOMEM ? r : 0;
	}
	end = b.buf + b.len;
	/*
	 * Only the records of the packages looked for are read line by line (a
	 * host has thousands of others): each Package: field at the start of a
	 * line is looked at, and a wanted one's record (from the blank line
	 * before it to the next) is read whole, whatever the order of its fields.
	 */
	for (p = b.buf; p < end; p = next) {
		const char *field = next_package_field(b.buf, p, end), *para, *para_end, *eol;
		char pkg[128] = "", ver[128] = "";
		bool installed = false;
		const char *l;
		size_t i;

		if (!field)
			break;
		eol = memchr(field, '\n', (size_t)(end - field));
		next = eol ? eol : end;
		if (!pkgdb_wanted(c, field, (size_t)(next - field), pkgs, HD_ARRAY_SIZE(pkgs)))
			continue;
		for (para = field; para > b.buf && !(para - b.buf >= 2 && para[-1] == '\n' && para[-2] == '\n');)
			para--;
		para_end = memmem(field, (size_t)(end - field), "\n\n", 2);
		if (!para_end)
			para_end = end;
		next = para_end;
		l = para;
		while (l < para_end) {
			const char *nl = memchr(l, '\n', (size_t)(para_end - l));
			size_t ll = nl ? (size_t)(nl - l) : (size_t)(para_end - l);

			if (ll > 9 && !strncmp(l, "Package: ", 9))
				snprintf(pkg, sizeof(pkg), "%.*s", (int)(ll - 9), l + 9);
			else if (ll > 9 && !strncmp(l, "Version: ", 9))
				snprintf(ver, sizeof(ver), "%.*s", (int)(ll - 9), l + 9);
			else if (ll > 8 && !strncmp(l, "Status: ", 8))
				installed = memmem(l, ll, " installed", 10) != NULL;
			l += ll + 1;
		}
		if (installed && *ver && c->h->kernel.raw && hd_starts_with(pkg, "linux-image-") &&
		    !strcmp(pkg + 12, c->h->kernel.raw) && !c->h->kernel.package) {
			struct hd_version_fact *k = &c->h->kernel;
			char *up = hd_upstream_version(ver);
			char src[320];

			snprintf(src, sizeof(src), "/var/lib/dpkg/status (%s %s)", pkg, ver);
			hd_free(k->source);
			k->source = hd_strdup(src);
			k->package = hd_strdup(pkg);
			if (!up || !k->source || !k->package) {
				hd_free(up);
				r = -HD_ENOMEM;
				goto out;
			}
			hd_free(k->version);
			k->version = up;
			k->exact = true;
			r = read_changelog(c, k);
			if (r < 0)
				goto out;
		}
		for (i = 0; installed && *ver && i < HD_ARRAY_SIZE(pkgs); i++) {
			struct hd_version_fact *v = slot[pkgs[i].which];
			char src[192];

			if (strcmp(pkg, pkgs[i].pkg) != 0 || v->package)
				continue;
			if (v->raw) {
				/* Live: the binary answered; link its package when versions agree. */
				char *up = hd_upstream_version(ver);
				bool same = up && hd_version_cmp(up, v->version) == 0;

				hd_free(up);
				if (!same)
					continue;
			} else {
				snprintf(src, sizeof(src), "/var/lib/dpkg/status (%s)", pkg);
				r = hd_version_fact_set(v, ver, src);
				if (r < 0)
					goto out;
			}
			v->package = hd_strdup(pkg);
			if (!v->package) {
				r = -HD_ENOMEM;
				goto out;
			}
			r = read_changelog(c, v);
			if (r < 0)
				goto out;
		}
	}
	r = 0;
out:
	hd_buf_release(&b);
	return r;
}

/* Versions from the binaries themselves (live only). */
