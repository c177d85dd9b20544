/*
 * Go binaries: the build information (src/parse/gobuildinfo.h) gives the
 * main module, every dependency module and the Go version, catalogued as
 * golang packages; the standard library is the package "stdlib".
 */
#include "core/common.h"
#include "parse/gobuildinfo.h"
#include "vuln/cat_int.h"

struct cat_go {
	struct hd_catalog *c;
	const char *path;
	struct hd_gobi_scanner *s;
};

struct cat_go *cat_go_new(struct hd_catalog *c, const char *path)
{
	struct cat_go *g = hd_calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->c = c;
	g->path = path;
	g->s = hd_gobi_scanner_new();
	if (!g->s) {
		hd_free(g);
		return NULL;
	}
	return g;
}

void cat_go_free(struct cat_go *g)
{
	if (!g)
		return;
	hd_gobi_scanner_free(g->s);
	hd_free(g);
}

int cat_go_chunk(struct cat_go *g, const unsigned char *d, size_t n)
{
	return hd_gobi_scanner_feed(g->s, d, n);
}

static int add_mod(struct hd_catalog *c, const struct hd_gomod *m)
{
	struct hd_package p = { .eco = HD_ECO_GO, .name = m->path, .version = m->version };

	/* A main module built from a checkout has no version to match: "(devel)". */
	if (!m->path || !m->version || !*m->version || !strcmp(m->version, "(devel)") ||
	    strlen(m->version) > HD_MAX_VERSION_LEN)
		return 0;
	return cat_add_pkg(c, &p);
}

int cat_go_end(struct cat_go *g)
{
	struct hd_gobuildinfo bi;
	size_t i;
	int r = hd_gobi_scanner_finish(g->s, &bi);

	if (r == -HD_ENOENT)
		return 0; /* not a Go program */
	if (r == -HD_EUNSUPPORTED)
		return cat_note(g->c, "'%s' is a Go program built before Go 1.18: its modules are not read", g->path);
	if (r == -HD_EPARSE)
		return cat_note(g->c, "cannot read the Go build information of '%s': it is cut short or malformed",
				g->path);
	if (r < 0)
		return r;
	r = add_mod(g->c, &bi.main);
	for (i = 0; i < bi.n_deps && r == 0; i++)
		r = add_mod(g->c, &bi.deps[i]);
	if (r == 0 && bi.go_version && hd_starts_with(bi.go_version, "go") && bi.go_version[2]) {
		/* "go1.21.5 X:boringcrypto" -> "v1.21.5" */
		char v[64];
		size_t n = strcspn(bi.go_version + 2, " ");
		struct hd_package p = { .eco = HD_ECO_GO, .name = "stdlib", .version = v };

		if (n + 2 < sizeof(v)) {
			v[0] = 'v';
			memcpy(v + 1, bi.go_version + 2, n);
			v[n + 1] = '\0';
			r = cat_add_pkg(g->c, &p);
		}
	}
	hd_gobuildinfo_release(&bi);
	return r;
}
