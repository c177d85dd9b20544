/*
 * Go build information: what the Go toolchain records in every binary it
 * links (the blob `go version -m` prints): the Go version, the main package
 * and module, the dependency modules with their versions and checksums, and
 * the build settings (-ldflags, -tags, vcs.*).  Read without ever running
 * the binary: by the audit for dockerd, containerd and runc (from the ELF
 * file), and by the package catalogue for Go programs inside images (a
 * streaming scan over a layer's bytes).
 *
 * Two layouts exist.  Since Go 1.18 the 32-byte header ("\xff Go buildinf:",
 * pointer size, flags with bit 2 set) is followed by the two strings inline,
 * each prefixed by its length as an unsigned varint.  Before (Go 1.13-1.17),
 * the header holds two pointers (virtual addresses, in the binary's byte
 * order) to Go string headers {data, length} of runtime.buildVersion and
 * runtime.modinfo, which only the ELF program headers map to file offsets.
 * The header always starts at an offset that is a multiple of 16.
 *
 * The module text ("path\t...", "mod\t...", "dep\t...", "=>\t...",
 * "build\tKEY=VALUE" with Go-quoted keys and values) sits between two
 * 16-byte sentinels, which are removed.  A "=>" line replaces the dependency
 * above it: the list holds what was built, the replacement, with the path it
 * replaced in `replaces`.
 *
 * Every size is bounded (HD_MAX_GOBUILDINFO); the ELF reader reads the
 * header, the section table and the blob with pread, nothing else.
 *
 * Ownership: struct hd_gobuildinfo owns all its strings; release it with
 * hd_gobuildinfo_release().  Every function that fills one starts it afresh.
 */
#ifndef HD_PARSE_GOBUILDINFO_H
#define HD_PARSE_GOBUILDINFO_H

#include <stdbool.h>
#include <stddef.h>

#define HD_MAX_GOBUILDINFO (1024u * 1024) /* header and strings of one binary's build info */
#define HD_MAX_GOBI_ENTRIES 100000u      /* dependencies, and build settings, kept at most */

struct hd_gomod {
	char *path;     /* "github.com/docker/docker" */
	char *version;  /* "v1.2.3", "(devel)" for a main module built from a checkout, "" if none */
	char *sum;      /* "h1:...", or NULL */
	char *replaces; /* the module path a "=>" line replaced with this one, or NULL */
};

struct hd_gosetting {
	char *key;      /* "-ldflags", "-tags", "CGO_ENABLED", "vcs.revision" */
	char *value;    /* unquoted */
};

struct hd_gobuildinfo {
	char *go_version;     /* "go1.21.5" */
	char *path;           /* main package path, "cmd/go" or "github.com/x/y/cmd/z"; NULL if absent */
	struct hd_gomod main; /* main module; path NULL when built outside module mode */
	struct hd_gomod *deps;
	size_t n_deps, alloc_deps;
	struct hd_gosetting *settings;
	size_t n_settings, alloc_settings;
	bool inline_layout;   /* Go 1.18+ layout */
};

void hd_gobuildinfo_release(struct hd_gobuildinfo *bi);

/*
 * Streaming scan of any byte stream (a file inside an image layer) for the
 * Go 1.18+ blob: feed it the stream's chunks in order, of any size.  It
 * looks for the magic at offsets that are multiples of 16 from the start
 * of the stream (a magic not followed by a valid header is skipped and the
 * scan goes on), then keeps the header and both strings, at most
 * HD_MAX_GOBUILDINFO bytes.
 */
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
 * (pointers into the binary: hd_gobuildinfo_read_fd reads it), -HD_EPARSE
 * when it is cut short or malformed, or -HD_ENOMEM.
 */
int hd_gobi_scanner_finish(struct hd_gobi_scanner *s, struct hd_gobuildinfo *bi);

/* The same on a whole buffer. */
int hd_gobuildinfo_parse(const void *data, size_t n, struct hd_gobuildinfo *bi);

/*
 * Reads the build information of the ELF file open on fd, either layout
 * (read with pread; fd is not moved).  Returns 0, -HD_ENOENT when the file
 * is not a Go ELF binary, -HD_EPARSE when the blob is damaged, -HD_EIO on a
 * read error, -HD_ENOMEM.  On error bi is left empty.
 */
int hd_gobuildinfo_read_fd(int fd, struct hd_gobuildinfo *bi);
/* The same over an ELF image in memory (tests and fuzzing). */
int hd_gobuildinfo_read_mem(const void *data, size_t len, struct hd_gobuildinfo *bi);

/*
 * Parses the module text alone (with or without its sentinels) into bi,
 * which must be zeroed or hold what an earlier call read.  Lines it does not
 * know are skipped, as Go's own reader does.  Returns 0, -HD_EPARSE (a
 * malformed line; what was read before is kept), -HD_ETOOBIG (more than
 * HD_MAX_GOBI_ENTRIES entries) or -HD_ENOMEM.
 */
int hd_gobuildinfo_parse_modinfo(const char *text, size_t len, struct hd_gobuildinfo *bi);

/* The value of build setting key (the last one given), or NULL. */
const char *hd_gobuildinfo_setting(const struct hd_gobuildinfo *bi, const char *key);
/* The main module or the dependency with this module path, or NULL. */
const struct hd_gomod *hd_gobuildinfo_module(const struct hd_gobuildinfo *bi, const char *path);
/*
 * The value a `-X name=value` of the recorded -ldflags gives to the Go
 * variable name ("main.version"), the last one winning as in the linker;
 * NULL when none (Go records no -ldflags for -trimpath builds).  Owned by
 * the caller; NULL with *oom set on allocation failure.
 */
char *hd_gobuildinfo_ldflag_x(const struct hd_gobuildinfo *bi, const char *name, bool *oom);

#endif
