/*
 * Per-package lookup time of the vulnerability database, for bench/vuln.sh:
 * opens DIR/vuln.db and times N lookups of the given (ecosystem key, name)
 * pairs read from standard input, "eco\tname" a line, cycling through them.
 * Prints the mean time per lookup in microseconds and the records found.
 *
 *   vuln-lookup DIR N < pairs
 */
#include "core/common.h"
#include "vuln/db.h"

#include <time.h>

int main(int argc, char **argv)
{
	static char line[4096];
	char **eco = NULL, **name = NULL;
	size_t n = 0, alloc_e = 0, alloc_n = 0, i, found = 0;
	struct hd_vdb *db = NULL;
	struct hd_diag d = { 0 };
	struct timespec t0, t1;
	long iters;

	if (argc < 3 || hd_vdb_open(argv[1], false, &db, &d) < 0) {
		fprintf(stderr, "usage: vuln-lookup DIR N < pairs (%s)\n", d.msg ? d.msg : "");
		return 2;
	}
	iters = strtol(argv[2], NULL, 10);
	while (fgets(line, sizeof(line), stdin)) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');

		if (!tab)
			continue;
		if (nl)
			*nl = '\0';
		*tab = '\0';
		if (HD_GROW(eco, alloc_e, n + 1) < 0 || HD_GROW(name, alloc_n, n + 1) < 0)
			return 2;
		eco[n] = hd_strdup(line);
		name[n] = hd_strdup(tab + 1);
		n++;
	}
	if (!n)
		return 2;
	/* Warm the cache once, as a scan would after opening. */
	for (i = 0; i < n; i++) {
		struct hd_vdb_hits h = { 0 };

		hd_vdb_lookup(db, eco[i], name[i], &h);
		hd_vdb_hits_release(&h);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < (size_t)iters; i++) {
		struct hd_vdb_hits h = { 0 };

		if (hd_vdb_lookup(db, eco[i % n], name[i % n], &h) < 0)
			return 2;
		found += h.n;
		hd_vdb_hits_release(&h);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.2f us/lookup, %.2f records/lookup\n",
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / (double)iters,
	       (double)found / (double)iters);
	for (i = 0; i < n; i++) {
		hd_free(eco[i]);
		hd_free(name[i]);
	}
	hd_free(eco);
	hd_free(name);
	hd_vdb_close(db);
	return 0;
}
