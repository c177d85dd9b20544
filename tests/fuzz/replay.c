/*
 * A plain driver for the libFuzzer targets, for builds without libFuzzer
 * (the fuzz-smoke test suite): every file under the directories or files
 * given is passed to LLVMFuzzerTestOneInput(), then a few hundred
 * deterministic variants of it (truncations, byte flips, inserted
 * metacharacters).  A crash or sanitizer report fails the test; otherwise
 * it prints how many inputs it replayed and "1 passed, 0 failed".
 */
#include "core/common.h"
#include "core/buf.h"

#include <dirent.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t runs;

static void run(const char *data, size_t n)
{
	/* A private copy, so reads past the end are caught. */
	char *c = hd_malloc(n ? n : 1);

	if (!c)
		abort();
	memcpy(c, data, n);
	LLVMFuzzerTestOneInput((const uint8_t *)c, n);
	hd_free(c);
	runs++;
}

static void variants(const char *data, size_t n)
{
	static const char inserts[] = "\\\n\"'`$({[<#\0\xff";
	char *m;
	size_t i, step;

	run(data, n);
	step = n / 64 + 1;
	for (i = 0; i < n; i += step)
		run(data, i);
	m = hd_malloc(n + 1);
	if (!m)
		abort();
	for (i = 0; i < n; i += step) {
		size_t k;

		for (k = 0; k < sizeof(inserts) - 1; k++) {
			memcpy(m, data, n);
			m[i] = inserts[k];
			run(m, n);
		}
	}
	hd_free(m);
}

static void walk(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (!d)
			return;
		while ((e = readdir(d))) {
			char *p;

			if (e->d_name[0] == '.')
				continue;
			p = hd_asprintf("%s/%s", path, e->d_name);
			if (!p)
				abort();
			walk(p);
			hd_free(p);
		}
		closedir(d);
		return;
	}
	{
		struct hd_buf b;

		hd_buf_init(&b, HD_MAX_FILE_SIZE);
		if (hd_buf_read_file(&b, path) == 0)
			variants(b.buf, b.len);
		hd_buf_release(&b);
	}
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		walk(argv[i]);
	/* One test: the whole replay; a crash aborts before this line. */
	printf("replayed %zu inputs without a crash\n", runs);
	printf("%d passed, 0 failed\n", runs ? 1 : 0);
	return runs ? 0 : 1;
}
