/*
 * Readers of language package metadata: npm's package-lock.json (lockfile
 * versions 1 to 3) and installed node_modules/NAME/package.json, and
 * Python's dist-info METADATA and egg-info PKG-INFO (names normalised per
 * PEP 503).
 */
#include "core/common.h"
#include "vuln/cat_int.h"

#include <jansson.h>

static json_t *load_json(struct hd_catalog *c, const char *path, const char *d, size_t n)
{
	json_error_t err;
	json_t *j = json_loadb(d, n, 0, &err);

	if (!j)
		cat_note(c, "cannot read '%s' line %d: %s", path, err.line, err.text);
	return j;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *npm_license(json_t *o)
{
	json_t *l = json_object_get(o, "license");

	if (json_is_string(l))
		return json_string_value(l);
	if (json_is_object(l))
		return jstr(l, "type");
	return NULL;
}

static int npm_add(struct hd_catalog *c, const char *name, json_t *o, unsigned flags)
{
	const char *ver = jstr(o, "version");
	struct hd_package p = { .eco = HD_ECO_NPM, .name = name, .version = ver, .license = npm_license(o),
				.flags = flags };

	if (!name || !*name || !ver || !*ver || strlen(ver) > HD_MAX_VERSION_LEN)
		return 0;
	if (json_is_true(json_object_get(o, "dev")))
		p.flags |= HD_PKG_DEV;
	return cat_add_pkg(c, &p);
}

/* Lockfile v1: "dependencies" nest. */
static int npm_v1(struct hd_catalog *c, json_t *deps, unsigned depth)
{
	const char *name;
	json_t *o;
	int r = 0;

	if (!json_is_object(deps) || depth > 64)
		return 0;
	json_object_foreach(deps, name, o) {
		if (!json_is_object(o))
			continue;
		r = npm_add(c, name, o, HD_PKG_LOCKFILE);
		if (r == 0)
			r = npm_v1(c, json_object_get(o, "dependencies"), depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

int cat_read_npm_lock(struct hd_catalog *c, const char *path, const char *d, size_t n)
{
	json_t *j = load_json(c, path, d, n), *pkgs, *o;
	const char *key;
	int r = 0;

	if (!j)
		return 0;
	if (!json_is_object(j)) {
		json_decref(j);
		return cat_note(c, "cannot read '%s': expected a JSON object", path);
	}
	pkgs = json_object_get(j, "packages");
	if (json_is_object(pkgs)) {
		/* v2 and v3: "node_modules/a/node_modules/@s/b" keys. */
		json_object_foreach(pkgs, key, o) {
			const char *nm = NULL, *q = key, *name;

			if (!json_is_object(o) || json_is_true(json_object_get(o, "link")))
				continue;
			while ((q = strstr(q, "node_modules/")) != NULL) {
				if (q == key || q[-1] == '/')
					nm = q;
				q++;
			}
			if (!nm)
				continue; /* the project itself or a workspace folder */
			name = jstr(o, "name");
			r = npm_add(c, name ? name : nm + strlen("node_modules/"), o, HD_PKG_LOCKFILE);
			if (r < 0)
				break;
		}
	} else {
		r = npm_v1(c, json_object_get(j, "dependencies"), 0);
	}
	json_decref(j);
	return r;
}

int cat_read_npm_package(struct hd_catalog *c, const char *path, const char *d, size_t n)
{
	json_t *j = load_json(c, path, d, n);
	int r = 0;

	if (!j)
		return 0;
	if (json_is_object(j))
		r = npm_add(c, jstr(j, "name"), j, 0);
	json_decref(j);
	return r;
}

/* METADATA / PKG-INFO: RFC 822 headers up to the first blank line. */
int cat_read_python_metadata(struct hd_catalog *c, const char *path, const char *d, size_t n)
{
	struct cat_lines l = { d, d + n, 0 };
	char name[512] = "", ver[HD_MAX_VERSION_LEN + 1] = "", lic[512] = "";
	const char *line;
	size_t len;

#define GET(key, buf) do { size_t k = strlen(key); \
		if (len > k && strncasecmp(line, key, k) == 0) { \
			const char *v = line + k; size_t vn = len - k; \
			while (vn && (*v == ' ' || *v == '\t')) { v++; vn--; } \
			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) vn--; \
			if (vn < sizeof(buf) && !buf[0]) { memcpy(buf, v, vn); buf[vn] = '\0'; } \
			continue; } } while (0)
	while (cat_line(&l, &line, &len)) {
		if (len == 0)
			break;
		GET("Name:", name);
		GET("Version:", ver);
		GET("License:", lic);
	}
#undef GET
	if (!name[0] || !ver[0])
		return cat_note(c, "cannot read '%s': no 'Name:' and 'Version:' headers", path);
	hd_pep503_normalize(name);
	{
		struct hd_package p = { .eco = HD_ECO_PYPI, .name = name, .version = ver,
					.license = lic[0] && strcmp(lic, "UNKNOWN") ? lic : NULL };

		return cat_add_pkg(c, &p);
	}
}
