/*
 * Readers of OS package databases: dpkg's status file (and the status.d/
 * directory of distroless images) with its info/NAME.list file lists, apk's
 * lib/apk/db/installed, and rpm's rpmdb.sqlite, whose rows are RPM header
 * blobs parsed here.  Each reader records the packages and the files they
 * own; what it cannot read becomes a note naming the file and line.
 */
#include "core/common.h"
#include "vuln/cat_int.h"

#include <sqlite3.h>

/* ---- dpkg -------------------------------------------------------------- */

struct stanza {
	const char *pkg, *ver, *status, *source, *arch, *license;
	size_t pkg_n, ver_n, status_n, source_n, arch_n, license_n;
	unsigned line; /* where it starts */
};

static bool field(const char *line, size_t n, const char *name, const char **v, size_t *vn)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return false;
	line += k + 1;
	n -= k + 1;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	*v = line;
	*vn = n;
	return true;
}

static int dpkg_emit(struct hd_catalog *c, const char *path, const struct stanza *s, bool status_d)
{
	char name[512], ver[HD_MAX_VERSION_LEN + 1], src[512], srcver[HD_MAX_VERSION_LEN + 1], arch[64];
	struct hd_package p = { .eco = HD_ECO_DEB };
	const char *sp;

	if (!s->pkg)
		return s->ver ? cat_note(c, "cannot read '%s' line %u: a package entry without 'Package:'", path,
					 s->line) : 0;
	/* dpkg: "want ok installed"; distroless status.d entries have no Status at all. */
	if (s->status) {
		/* "want flag status": the flag "ok" and the status "installed". */
		static const char tail[] = " ok installed";

		if (s->status_n < sizeof(tail) ||
		    memcmp(s->status + s->status_n - (sizeof(tail) - 1), tail, sizeof(tail) - 1) != 0)
			return 0;
	} else if (!status_d) {
		return 0;
	}
	if (!s->ver || s->pkg_n >= sizeof(name) || s->ver_n >= sizeof(ver) || s->arch_n >= sizeof(arch))
		return cat_note(c, "cannot read '%s' line %u: package entry without a usable 'Version:'", path,
				s->line);
	memcpy(name, s->pkg, s->pkg_n);
	name[s->pkg_n] = '\0';
	memcpy(ver, s->ver, s->ver_n);
	ver[s->ver_n] = '\0';
	p.name = name;
	p.version = ver;
	p.source_name = name;
	p.source_version = ver;
	if (s->source && s->source_n) {
		/* "Source: src" or "Source: src (version)" when it differs from the binary's. */
		size_t n = s->source_n;

		sp = memchr(s->source, ' ', n);
		if (sp) {
			const char *o = memchr(sp, '(', n - (size_t)(sp - s->source));
			const char *e = o ? memchr(o, ')', n - (size_t)(o - s->source)) : NULL;

			if (o && e && (size_t)(e - o - 1) < sizeof(srcver)) {
				memcpy(srcver, o + 1, (size_t)(e - o - 1));
				srcver[e - o - 1] = '\0';
				p.source_version = srcver;
			}
			n = (size_t)(sp - s->source);
		}
		if (n < sizeof(src)) {
			memcpy(src, s->source, n);
			src[n] = '\0';
			p.source_name = src;
		}
	}
	if (s->arch) {
		memcpy(arch, s->arch, s->arch_n);
		arch[s->arch_n] = '\0';
		p.arch = arch;
	}
	return cat_add_pkg(c, &p);
}

int cat_read_dpkg_status(struct hd_catalog *c, const char *path, const char *d, size_t n, bool status_d)
{
	struct cat_lines l = { d, d + n, 0 };
	struct stanza s = { 0 };
	const char *line;
	size_t len;
	int r = 0;

	s.line = 1;
	while (r == 0 && cat_line(&l, &line, &len)) {
		if (len == 0) {
			r = dpkg_emit(c, path, &s, status_d);
			memset(&s, 0, sizeof(s));
			s.line = l.lineno + 1;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t')
			continue; /* a continuation line (Description, Conffiles) */
		if (!memchr(line, ':', len)) {
			r = cat_note(c, "cannot read '%s' line %u: expected 'Field: value'", path, l.lineno);
			continue;
		}
		if (!field(line, len, "Package", &s.pkg, &s.pkg_n) && !field(line, len, "Version", &s.ver, &s.ver_n) &&
		    !field(line, len, "Status", &s.status, &s.status_n) &&
		    !field(line, len, "Source", &s.source, &s.source_n))
			field(line, len, "Architecture", &s.arch, &s.arch_n);
	}
	if (r == 0)
		r = dpkg_emit(c, path, &s, status_d);
	return r;
}

int cat_read_dpkg_list(struct hd_catalog *c, const char *d, size_t n)
{
	struct cat_lines l = { d, d + n, 0 };
	const char *line;
	size_t len;
	int r = 0;

	while (r == 0 && cat_line(&l, &line, &len)) {
		if (len > 1 && line[0] == '/')
			r = cat_add_owned(c, line, len);
	}
	return r;
}

/* ---- apk --------------------------------------------------------------- */

int cat_read_apk_installed(struct hd_catalog *c, const char *path, const char *d, size_t n)
{
	struct cat_lines l = { d, d + n, 0 };
	char name[512] = "", ver[HD_MAX_VERSION_LEN + 1] = "", origin[512] = "", arch[64] = "", lic[512] = "";
	char dir[4096] = "";
	const char *line;
	size_t len, dlen = 0;
	int r = 0;
	bool more = true;

#define SET(buf) do { size_t k = len - 2 < sizeof(buf) - 1 ? len - 2 : sizeof(buf) - 1; \
		memcpy(buf, line + 2, k); buf[k] = '\0'; } while (0)
	while (r == 0 && more) {
		more = cat_line(&l, &line, &len);
		if (!more || len == 0) {
			if (name[0]) {
				struct hd_package p = { .eco = HD_ECO_APK, .name = name, .version = ver,
							.source_name = origin[0] ? origin : name, .source_version = ver,
							.arch = arch[0] ? arch : NULL, .license = lic[0] ? lic : NULL };

				if (!ver[0])
					r = cat_note(c, "cannot read '%s' line %u: package '%s' has no 'V:'", path,
						     l.lineno, name);
				else
					r = cat_add_pkg(c, &p);
			}
			name[0] = ver[0] = origin[0] = arch[0] = lic[0] = dir[0] = '\0';
			dlen = 0;
			continue;
		}
		if (len < 2 || line[1] != ':') {
			r = cat_note(c, "cannot read '%s' line %u: expected 'X:value'", path, l.lineno);
			continue;
		}
		switch (line[0]) {
		case 'P': SET(name); break;
		case 'V': SET(ver); break;
		case 'o': SET(origin); break;
		case 'A': SET(arch); break;
		case 'L': SET(lic); break;
		case 'F':
			SET(dir);
			dlen = strlen(dir);
			r = cat_add_owned(c, dir, dlen);
			break;
		case 'R':
			if (dlen + len < sizeof(dir) - 2) {
				char full[4096 + 512];
				int k = snprintf(full, sizeof(full), "%s/%.*s", dir, (int)(len - 2), line + 2);

				if (k > 0 && (size_t)k < sizeof(full))
					r = cat_add_owned(c, dlen ? full : full + 1, dlen ? (size_t)k : (size_t)k - 1);
			}
			break;
		default:
			break;
		}
	}
#undef SET
	return r;
}

/* ---- rpm --------------------------------------------------------------- */

enum {
	RPMTAG_NAME = 1000, RPMTAG_VERSION = 1001, RPMTAG_RELEASE = 1002, RPMTAG_EPOCH = 1003,
	RPMTAG_LICENSE = 1014, RPMTAG_ARCH = 1022, RPMTAG_SOURCERPM = 1044,
	RPMTAG_DIRINDEXES = 1116, RPMTAG_BASENAMES = 1117, RPMTAG_DIRNAMES = 1118,
};
enum { RPM_INT32 = 4, RPM_STRING = 6, RPM_STRING_ARRAY = 8, RPM_I18NSTRING = 9 };

struct rpm_hdr {
	const unsigned char *index, *data;
	uint32_t il, dl;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Finds tag; returns its type, data offset and count, or false. */
static bool rpm_find(const struct rpm_hdr *h, uint32_t tag, uint32_t *type, uint32_t *off, uint32_t *count)
{
	uint32_t i;

	for (i = 0; i < h->il; i++) {
		const unsigned char *e = h->index + 16 * (size_t)i;

		if (be32(e) == tag) {
			*type = be32(e + 4);
			*off = be32(e + 8);
			*count = be32(e + 12);
			return *off < h->dl;
		}
	}
	return false;
}

/* The NUL-terminated string at off, bounded by the data; NULL when it runs off the end. */
static const char *rpm_str_at(const struct rpm_hdr *h, uint32_t off)
{
	const char *s = (const char *)h->data + off;

	if (off >= h->dl || !memchr(s, '\0', h->dl - off))
		return NULL;
	return s;
}

static const char *rpm_string(const struct rpm_hdr *h, uint32_t tag)
{
	uint32_t type, off, count;

	if (!rpm_find(h, tag, &type, &off, &count))
		return NULL;
	if (type != RPM_STRING && type != RPM_I18NSTRING && type != RPM_STRING_ARRAY)
		return NULL;
	return rpm_str_at(h, off);
}

static int rpm_files(struct hd_catalog *c, const struct rpm_hdr *h)
{
	uint32_t bt, bo, bc, dt, doff, dc, it, io, ic, i;
	const char *base, *dir;
	const char **dirs;
	int r = 0;

	if (!rpm_find(h, RPMTAG_BASENAMES, &bt, &bo, &bc) || !rpm_find(h, RPMTAG_DIRNAMES, &dt, &doff, &dc) ||
	    !rpm_find(h, RPMTAG_DIRINDEXES, &it, &io, &ic))
		return 0;
	if (bt != RPM_STRING_ARRAY || dt != RPM_STRING_ARRAY || it != RPM_INT32 || ic != bc ||
	    (uint64_t)io + 4ull * ic > h->dl || dc > h->dl || bc > h->dl)
		return 0;
	dirs = hd_calloc(dc ? dc : 1, sizeof(*dirs));
	if (!dirs)
		return -HD_ENOMEM;
	for (i = 0, dir = rpm_str_at(h, doff); i < dc && dir; i++) {
		dirs[i] = dir;
		doff += (uint32_t)strlen(dir) + 1;
		dir = i + 1 < dc ? rpm_str_at(h, doff) : dir;
	}
	for (i = 0, base = rpm_str_at(h, bo); r == 0 && i < bc && base; i++) {
		uint32_t di = be32(h->data + io + 4 * (size_t)i);
		char full[8192];
		int k;

		if (di < dc && dirs[di]) {
			k = snprintf(full, sizeof(full), "%s%s", dirs[di], base);
			if (k > 0 && (size_t)k < sizeof(full))
				r = cat_add_owned(c, full, (size_t)k);
		}
		bo += (uint32_t)strlen(base) + 1;
		base = i + 1 < bc ? rpm_str_at(h, bo) : NULL;
	}
	hd_free(dirs);
	return r;
}

/* One rpmdb row: a header blob (index count, data length, index, data). */
static int rpm_header(struct hd_catalog *c, const char *path, const unsigned char *b, size_t n, long long row)
{
	struct rpm_hdr h;
	char ver[HD_MAX_VERSION_LEN + 1], src[512];
	const char *name, *v, *rel, *srpm;
	uint32_t type, off, count, epoch = 0;
	bool has_epoch = false;
	struct hd_package p = { .eco = HD_ECO_RPM };
	int k;

	if (n < 8)
		return cat_note(c, "cannot read '%s' row %lld: header shorter than 8 bytes", path, row);
	h.il = be32(b);
	h.dl = be32(b + 4);
	if (h.il == 0 || h.il > 0x10000 || h.dl > 0x10000000 || 8 + 16ull * h.il + h.dl > n)
		return cat_note(c, "cannot read '%s' row %lld: header sizes (%u entries, %u bytes) exceed the row",
				path, row, h.il, h.dl);
	h.index = b + 8;
	h.data = b + 8 + 16 * (size_t)h.il;
	name = rpm_string(&h, RPMTAG_NAME);
	v = rpm_string(&h, RPMTAG_VERSION);
	rel = rpm_string(&h, RPMTAG_RELEASE);
	if (!name || !v)
		return cat_note(c, "cannot read '%s' row %lld: header without a name or version", path, row);
	if (!strcmp(name, "gpg-pubkey"))
		return 0; /* imported keys, not software */
	if (rpm_find(&h, RPMTAG_EPOCH, &type, &off, &count) && type == RPM_INT32 && count >= 1 &&
	    (uint64_t)off + 4 <= h.dl) {
		epoch = be32(h.data + off);
		has_epoch = true;
	}
	if (has_epoch)
		k = snprintf(ver, sizeof(ver), "%u:%s%s%s", epoch, v, rel ? "-" : "", rel ? rel : "");
	else
		k = snprintf(ver, sizeof(ver), "%s%s%s", v, rel ? "-" : "", rel ? rel : "");
	if (k < 0 || (size_t)k >= sizeof(ver))
		return cat_note(c, "cannot read '%s' row %lld: version of '%s' longer than %u bytes", path, row,
				name, HD_MAX_VERSION_LEN);
	p.name = name;
	p.version = ver;
	p.arch = rpm_string(&h, RPMTAG_ARCH);
	p.license = rpm_string(&h, RPMTAG_LICENSE);
	p.source_name = name;
	p.source_version = ver;
	/* SOURCERPM "openssl-3.0.7-25.el9_3.src.rpm": the name is before the last two '-'. */
	srpm = rpm_string(&h, RPMTAG_SOURCERPM);
	if (srpm && strlen(srpm) < sizeof(src)) {
		char *d1, *d2;

		memcpy(src, srpm, strlen(srpm) + 1);
		d1 = strrchr(src, '-');
		if (d1) {
			*d1 = '\0';
			d2 = strrchr(src, '-');
			if (d2) {
				*d2 = '\0';
				p.source_name = src;
			}
		}
	}
	k = cat_add_pkg(c, &p);
	if (k < 0)
		return k;
	return rpm_files(c, &h);
}

int cat_read_rpmdb_sqlite(struct hd_catalog *c, const char *path, const void *d, size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	int rc, r = 0;

	/* sqlite3_deserialize takes ownership of a sqlite3_malloc'd copy. */
	copy = sqlite3_malloc64(n ? n : 1);
	if (!copy)
		return -HD_ENOMEM;
	memcpy(copy, d, n);
	/*
	 * rpm keeps its database in WAL mode (header bytes 18 and 19 are 2);
	 * a deserialized database cannot have a WAL file, and sqlite refuses
	 * to open it ("unable to open database file").  The copy is read as a
	 * rollback-journal database instead: the same pages, nothing pending
	 * (rpm checkpoints when it closes the database).
	 */
	if (n >= 100 && !memcmp(copy, "SQLite format 3", 16) && copy[18] == 2 && copy[19] == 2)
		copy[18] = copy[19] = 1;
	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_free(copy);
		sqlite3_close(db);
		return rc == SQLITE_NOMEM ? -HD_ENOMEM : cat_note(c, "cannot read '%s': sqlite cannot open it", path);
	}
	rc = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)n, (sqlite3_int64)n,
				 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		r = cat_note(c, "cannot read '%s': %s", path, sqlite3_errmsg(db));
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r == 0) {
		const void *blob = sqlite3_column_blob(st, 1);
		int bn = sqlite3_column_bytes(st, 1);

		r = rpm_header(c, path, blob, blob && bn > 0 ? (size_t)bn : 0, sqlite3_column_int64(st, 0));
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = cat_note(c, "cannot read '%s': %s", path, sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}
