/*
 * Go build information: the Go version, main package path, main module and
 * dependency modules that the Go toolchain (1.18 and later) embeds in every
 * binary, found without parsing ELF, Mach-O or PE.  The linker writes a
 * 32-byte header starting with "\xff Go buildinf:" at a 16-byte aligned
 * offset of the data; with flag 2 it is followed by two uvarint-prefixed
 * strings, the Go version and the module information, whose lines read
 * "path\tcmd/x", "mod\tmodule\tversion\tsum", "dep\t...", "=>\t..." (the
 * replacement of the line before) and "build\tkey=value".
 *
 * The scanner takes the binary in chunks of any size (one pass, memory
 * bounded by HD_MAX_GOBUILDINFO), so a layer stream can feed it.
 *
 * Ownership: an hd_gobuildinfo owns its strings; hd_gobuildinfo_release()
 * frees them.
 */
#ifndef HD_PARSE_GOBUILDINFO_H
#define HD_PARSE_GOBUILDINFO_H

#include <stddef.h>

#define HD_MAX_GOBUILDINFO (1024u * 1024) /* header and strings of one binary's build info */

struct hd_gomod {
	char *path;
	char *version; /* "v1.2.3", "(devel)" for a main module built from a checkout */
	char *sum;     /* "h1:...", or NULL */
};

struct hd_gobuildinfo {
	char *go_version;     /* "go1.21.5" */
	char *path;           /* main package path, "cmd/go" or "github.com/x/y/cmd/z"; NULL if absent */
	struct hd_gomod main; /* main module; path NULL if absent */
	struct hd_gomod *deps;
	size_t n_deps, alloc_deps;
};

void hd_gobuildinfo_release(struct hd_gobuildinfo *bi);

struct hd_gobi_scanner;

struct hd_gobi_scanner *hd_gobi_scanner_new(void);
void hd_gobi_scanner_free(struct hd_gobi_scanner *s);
/* Feeds the next bytes of the file.  Returns 0, or -HD_ENOMEM. */
int hd_gobi_scanner_feed(struct hd_gobi_scanner *s, const void *data, size_t n);
/* Whether the scanner has all it needs (the caller may stop feeding). */
int hd_gobi_scanner_done(const struct hd_gobi_scanner *s);
/*
 * After the last chunk: fills bi.  Returns 0, -HD_ENOENT when there is no
 * build info (not a Go binary), -HD_EUNSUPPORTED for the pre-1.18 layout
 * (pointers into the binary), -HD_EPARSE when it is cut short or malformed,
 * or -HD_ENOMEM.
 */
int hd_gobi_scanner_finish(struct hd_gobi_scanner *s, struct hd_gobuildinfo *bi);

/* The same on a whole buffer. */
int hd_gobuildinfo_parse(const void *data, size_t n, struct hd_gobuildinfo *bi);

#endif
