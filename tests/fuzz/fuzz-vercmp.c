/*
 * libFuzzer target for the version comparators.  The input is split at its
 * first newline into two versions A and B (NUL bytes end a version early).
 * Every comparator must return a sign, agree with itself reversed
 * (cmp(A,B) == -cmp(B,A)), say equal for a version against itself, and
 * judge validity without crashing; sanitizers catch the rest.
 */
#include "core/common.h"
#include "vuln/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = hd_malloc(size + 2), *a, *b, *nl;
	int s;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	a = buf;
	nl = memchr(buf, '\n', size);
	if (nl) {
		*nl = '\0';
		b = nl + 1;
	} else {
		b = buf + size + 1;
	}
	for (s = 0; s < HD_VS_MAX; s++) {
		int ab = hd_vercmp((enum hd_vscheme)s, a, b);
		int ba = hd_vercmp((enum hd_vscheme)s, b, a);

		if (ab < -1 || ab > 1 || ab != -ba)
			__builtin_trap();
		if (hd_vercmp((enum hd_vscheme)s, a, a) != 0 || hd_vercmp((enum hd_vscheme)s, b, b) != 0)
			__builtin_trap();
		(void)hd_version_valid((enum hd_vscheme)s, a);
		(void)hd_version_valid((enum hd_vscheme)s, b);
	}
	(void)hd_version_check_dpkg(a);
	hd_free(buf);
	return 0;
}
