/*
 * The dpkg oracle: dpkg's own parseversion() and dpkg_version_compare()
 * from libdpkg (Debian package libdpkg-dev), the code behind
 * `dpkg --compare-versions`, in one process so that 100,000 pairs take a
 * second.  versions.py checks a sample against the dpkg binary too.
 * Reads "A\tB" lines and prints -1, 0 or 1 (E when dpkg refuses a version);
 * one-field lines print 0 (valid), 1 (dpkg warns) or 2 (dpkg refuses).
 */
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <dpkg/version.h>

static int check(struct dpkg_version *v, const char *s)
{
	struct dpkg_error err = DPKG_ERROR_INIT;
	int r = parseversion(v, s, &err);
	int kind = 0;

	if (r < 0)
		kind = err.type == DPKG_MSG_WARN ? 1 : 2;
	dpkg_error_destroy(&err);
	return kind;
}

int main(void)
{
	static char line[1 << 16];

	while (fgets(line, sizeof(line), stdin)) {
		struct dpkg_version a, b;
		char *tab, *nl = strchr(line, '\n');
		int r;

		if (nl)
			*nl = '\0';
		tab = strchr(line, '\t');
		if (!tab) {
			printf("%d\n", check(&a, line));
			continue;
		}
		*tab = '\0';
		if (check(&a, line) == 2 || check(&b, tab + 1) == 2) {
			puts("E");
			continue;
		}
		r = dpkg_version_compare(&a, &b);
		printf("%d\n", (r > 0) - (r < 0));
	}
	return 0;
}
