/*
 * libFuzzer target for the vulnerability feed importers (src/vuln/feeds.c):
 * every input is imported as a feed file (format told from the content:
 * Debian tracker JSON, Alpine secdb JSON or YAML, OSV JSON, OSV zip) into a
 * scratch database, then rolled back.  Only success or a clean error is
 * acceptable; sanitizers catch the rest.
 */
#include "core/common.h"
#include "vuln/db.h"

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hd_vdb *db;
static char dir[] = "/tmp/hd-fuzz-vdb-XXXXXX";

/* The scratch database goes when the process ends. */
static void cleanup(void)
{
	char path[sizeof(dir) + 16];

	hd_vdb_close(db);
	snprintf(path, sizeof(path), "%s/vuln.db", dir);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_vdb_import *im = NULL;
	struct hd_diag d = { 0 };

	if (!db) {
		if (!mkdtemp(dir) || hd_vdb_open(dir, true, &db, &d) < 0)
			abort();
		atexit(cleanup);
	}
	if (hd_vdb_import_begin(db, &im) < 0)
		abort();
	(void)hd_vdb_import_bytes(im, "fuzz.json", data, size, 0, &d);
	hd_vdb_import_abort(im);
	hd_diag_release(&d);
	return 0;
}
