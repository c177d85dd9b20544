/*
 * libFuzzer target for the package catalogue readers (src/vuln/catalog.h).
 * The first byte picks the file the rest is read as: dpkg status or
 * status.d, a dpkg .list, apk's installed database, rpmdb.sqlite, an npm
 * lock file or package.json, Python METADATA, os-release, a jar or a Go
 * binary (both streamed in chunks whose size the second byte picks); then
 * the catalogue is finished.  Only success or a clean error is acceptable.
 */
#include "core/common.h"
#include "vuln/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"var/lib/dpkg/status", "var/lib/dpkg/status.d/pkg", "var/lib/dpkg/info/pkg.list", "lib/apk/db/installed",
	"var/lib/rpm/rpmdb.sqlite", "app/package-lock.json", "app/node_modules/@s/x/package.json",
	"usr/lib/python3/dist-packages/x-1.dist-info/METADATA", "etc/os-release", "opt/app.jar", "usr/bin/tool",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_catalog *c;
	struct hd_packages l;
	const char *path;
	size_t chunk;

	if (size < 2)
		return 0;
	path = paths[data[0] % HD_ARRAY_SIZE(paths)];
	chunk = (size_t)data[1] + 1;
	data += 2;
	size -= 2;
	c = hd_catalog_new();
	if (!c)
		return 0;
	if (hd_catalog_wants(path, size, 0100755) == HD_CATALOG_STREAM || !strcmp(path, "opt/app.jar")) {
		struct hd_catalog_stream *s;
		size_t off;

		if (hd_catalog_begin(c, path, size, NULL, &s) == 0) {
			for (off = 0; off < size; off += chunk)
				hd_catalog_chunk(s, data + off, off + chunk <= size ? chunk : size - off);
			hd_catalog_end(s);
		}
	} else {
		hd_catalog_file(c, path, data, size, NULL);
	}
	hd_packages_init(&l);
	hd_catalog_finish(c, &l);
	hd_packages_release(&l);
	hd_catalog_free(c);
	return 0;
}
