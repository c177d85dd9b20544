/*
 * Image references, normalised like the docker CLI (distribution/reference's
 * ParseNormalizedNamed): the first path component is a registry when it holds
 * a '.' or a ':', is "localhost", or has an uppercase letter; otherwise the
 * image is on docker.io, where a one-component name gets "library/".  A ':'
 * after the last '/' starts the tag (one before it is a registry port), '@'
 * starts the digest.  References still holding a `$VAR` are filled as well as
 * possible without validation and flagged, so rules can stay quiet on them.
 */
#include "core/common.h"
#include "model/image_ref.h"

void hd_image_ref_release(struct hd_image_ref *ref)
{
	if (!ref)
		return;
	hd_free(ref->raw);
	hd_free(ref->registry);
	hd_free(ref->repository);
	hd_free(ref->tag);
	hd_free(ref->digest);
	memset(ref, 0, sizeof(*ref));
}

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* One path component: [a-z0-9]+ separated by '.', '_', '__' or runs of '-'. */
static bool valid_component(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_lower_alnum(p[0]) || !is_lower_alnum(p[n - 1]))
		return false;
	while (i < n) {
		if (is_lower_alnum(p[i])) {
			i++;
			continue;
		}
		if (p[i] == '.' || p[i] == '_') {
			size_t j = i + 1;

			if (p[i] == '_' && j < n && p[j] == '_')
				j++;
			if (j >= n || !is_lower_alnum(p[j]))
				return false;
			i = j;
			continue;
		}
		if (p[i] == '-') {
			while (i < n && p[i] == '-')
				i++;
			if (i >= n || !is_lower_alnum(p[i]))
				return false;
			continue;
		}
		return false;
	}
	return true;
}

static bool valid_path(const char *p, size_t n)
{
	size_t i = 0;

	while (i <= n) {
		const char *slash = memchr(p + i, '/', n - i);
		size_t e = slash ? (size_t)(slash - p) : n;

		if (!valid_component(p + i, e - i))
			return false;
		i = e + 1;
	}
	return true;
}

/* host[:port] or [ipv6]:port: letters, digits, '-', '.', ':' and brackets. */
static bool valid_domain(const char *p, size_t n)
{
	size_t i;

	const char *colon;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!(isalnum((unsigned char)c) || c == '-' || c == '.' || c == ':' || c == '[' ||
		      c == ']' || c == '_'))
			return false;
	}
	/* A port is digits (an IPv6 host is bracketed). */
	colon = p[0] == '[' ? NULL : memchr(p, ':', n);
	if (colon) {
		if (colon + 1 == p + n)
			return false;
		for (i = (size_t)(colon - p) + 1; i < n; i++) {
			if (!isdigit((unsigned char)p[i]))
				return false;
		}
	}
	return true;
}

static bool valid_tag(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 128 || !(isalnum((unsigned char)p[0]) || p[0] == '_'))
		return false;
	for (i = 1; i < n; i++) {
		if (!(isalnum((unsigned char)p[i]) || p[i] == '_' || p[i] == '.' || p[i] == '-'))
			return false;
	}
	return true;
}

/* algorithm:hex, the hex part at least 32 digits. */
static bool valid_digest(const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	size_t i, a;

	if (!colon)
		return false;
	a = (size_t)(colon - p);
	if (a == 0 || !isalpha((unsigned char)p[0]))
		return false;
	for (i = 1; i < a; i++) {
		if (!(isalnum((unsigned char)p[i]) || strchr("-_+.", p[i])))
			return false;
	}
	if (n - a - 1 < 32)
		return false;
	for (i = a + 1; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return false;
	}
	return true;
}

int hd_image_ref_parse(const char *s, struct hd_image_ref *ref)
{
	const char *at, *end, *name, *slash, *colon = NULL, *p;
	size_t n, dlen = 0;
	bool var, ok = true;
	int r = -HD_ENOMEM;

	memset(ref, 0, sizeof(*ref));
	if (!s)
		return -HD_EINVAL;
	n = strlen(s);
	var = memchr(s, '$', n) != NULL;
	if (!(ref->raw = hd_strndup(s, n)))
		goto fail;
	ref->has_unresolved_var = var;
	if (n == 0)
		ok = false;
	for (p = s; *p; p++) {
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20)
			ok = false;
	}

	/* Digest. */
	at = strchr(s, '@');
	end = at ? at : s + n;
	if (at) {
		if (!(ref->digest = hd_strdup(at + 1)))
			goto fail;
		if (!valid_digest(at + 1, strlen(at + 1)))
			ok = false;
	}

	/* Registry: the first component, when it looks like a host. */
	slash = memchr(s, '/', (size_t)(end - s));
	name = s;
	if (slash) {
		size_t fl = (size_t)(slash - s);
		bool host = memchr(s, '.', fl) || memchr(s, ':', fl) ||
			    (fl == 9 && memcmp(s, "localhost", 9) == 0);

		for (p = s; p < slash && !host; p++) {
			if (isupper((unsigned char)*p))
				host = true;
		}
		if (host) {
			dlen = fl;
			name = slash + 1;
		}
	}
	if (dlen) {
		if (dlen == 15 && memcmp(s, "index.docker.io", 15) == 0)
			ref->registry = hd_strdup("docker.io");
		else
			ref->registry = hd_strndup(s, dlen);
		if (!valid_domain(s, dlen))
			ok = false;
	} else {
		ref->registry = hd_strdup("docker.io");
	}
	if (!ref->registry)
		goto fail;

	/* Tag: a ':' after the last '/'. */
	for (p = end; p > name; p--) {
		if (p[-1] == '/')
			break;
		if (p[-1] == ':') {
			colon = p - 1;
			break;
		}
	}
	if (colon) {
		if (!(ref->tag = hd_strndup(colon + 1, (size_t)(end - colon - 1))))
			goto fail;
		if (!valid_tag(colon + 1, (size_t)(end - colon - 1)))
			ok = false;
		end = colon;
	}
	if (end == name)
		ok = false;
	if (!valid_path(name, (size_t)(end - name)))
		ok = false;
	if (strcmp(ref->registry, "docker.io") == 0 && !memchr(name, '/', (size_t)(end - name))) {
		size_t rl = (size_t)(end - name);

		ref->repository = hd_malloc(rl + 9);
		if (ref->repository) {
			memcpy(ref->repository, "library/", 8);
			memcpy(ref->repository + 8, name, rl);
			ref->repository[rl + 8] = '\0';
		}
	} else
		ref->repository = hd_strndup(name, (size_t)(end - name));
	if (!ref->repository)
		goto fail;
	ref->is_scratch = strcmp(s, "scratch") == 0;
	if (!ok && !var) {
		r = -HD_EINVAL;
		goto fail;
	}
	return 0;
fail:
	hd_image_ref_release(ref);
	return r;
}
