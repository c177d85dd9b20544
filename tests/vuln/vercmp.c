/*
 * The comparators as a filter, for tests/vuln/versions.py: reads
 * "SCHEME\tA\tB" lines and prints -1, 0 or 1 for each; "SCHEME\tV" lines
 * (one field) print whether V is valid (1/0; dpkg: 0 valid, 1 warning,
 * 2 error, as hd_version_check_dpkg).
 */
#include "core/common.h"
#include "vuln/version.h"

int main(void)
{
	static char line[1 << 16];

	while (fgets(line, sizeof(line), stdin)) {
		char *a, *b, *nl = strchr(line, '\n');
		int s;

		if (nl)
			*nl = '\0';
		a = strchr(line, '\t');
		if (!a) {
			puts("E");
			continue;
		}
		*a++ = '\0';
		s = hd_vscheme_from_name(line);
		if (s < 0) {
			puts("E");
			continue;
		}
		b = strchr(a, '\t');
		if (!b) {
			if (s == HD_VS_DPKG)
				printf("%d\n", hd_version_check_dpkg(a));
			else
				printf("%d\n", hd_version_valid((enum hd_vscheme)s, a) ? 1 : 0);
			continue;
		}
		*b++ = '\0';
		printf("%d\n", hd_vercmp((enum hd_vscheme)s, a, b));
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
