/*
 * libFuzzer target for the Go build information readers: an ELF image in
 * memory (both layouts), the streaming scan fed in three uneven chunks, and
 * the module text alone.
 */
#include "core/common.h"
#include "parse/gobuildinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_gobuildinfo bi;
	struct hd_gobi_scanner *s;
	size_t a = size / 3, b = size / 2;
	bool oom;
	char *v;

	if (hd_gobuildinfo_read_mem(data, size, &bi) == 0) {
		v = hd_gobuildinfo_ldflag_x(&bi, "main.version", &oom);
		hd_free(v);
	}
	hd_gobuildinfo_release(&bi);
	s = hd_gobi_scanner_new();
	if (s && !hd_gobi_scanner_feed(s, data, a) && !hd_gobi_scanner_feed(s, data + a, b - a) &&
	    !hd_gobi_scanner_feed(s, data + b, size - b) && hd_gobi_scanner_finish(s, &bi) == 0)
		hd_gobuildinfo_release(&bi);
	hd_gobi_scanner_free(s);
	memset(&bi, 0, sizeof(bi));
	hd_gobuildinfo_parse_modinfo((const char *)data, size, &bi);
	v = hd_gobuildinfo_ldflag_x(&bi, "main.version", &oom);
	hd_free(v);
	hd_gobuildinfo_release(&bi);
	return 0;
}
