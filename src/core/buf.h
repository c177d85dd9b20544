/*
 * hd_buf: a growable byte buffer (after git's strbuf and curl's dynbuf).
 *
 * Invariants: after hd_buf_init() `buf` is never NULL and buf[len] == '\0';
 * len < alloc when alloc > 0; len never exceeds `max`, the size cap given at
 * init (appending past it fails with -HD_ETOOBIG and leaves the buffer as it
 * was).  The buffer owns its memory; hd_buf_detach() hands it to the caller.
 */
#ifndef HD_BUF_H
#define HD_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct hd_buf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max;
};

extern char hd_buf_empty[];
#define HD_BUF_INIT(maxsz) { hd_buf_empty, 0, 0, (maxsz) }

void hd_buf_init(struct hd_buf *b, size_t max);
void hd_buf_release(struct hd_buf *b);
void hd_buf_reset(struct hd_buf *b);
int hd_buf_add(struct hd_buf *b, const void *data, size_t n);
/*
 * Makes room for exactly `extra` more bytes (when the size is known in
 * advance: no doubling, no slack).  0, -HD_ETOOBIG or -HD_ENOMEM.
 */
int hd_buf_reserve_exact(struct hd_buf *b, size_t extra);
int hd_buf_addstr(struct hd_buf *b, const char *s);
int hd_buf_addch(struct hd_buf *b, char c);
/* Appends code point cp (at most 0x10ffff) encoded as UTF-8. */
int hd_buf_add_utf8(struct hd_buf *b, uint32_t cp);
int hd_buf_addf(struct hd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hd_buf_vaddf(struct hd_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with JSON string escaping (no surrounding quotes). */
int hd_buf_add_json_escaped(struct hd_buf *b, const char *s, size_t n);
/*
 * The XML text for byte c: an entity for the five special characters, "?"
 * for control bytes XML 1.0 forbids, NULL for a byte written as is.
 */
const char *hd_xml_entity(unsigned char c);
/* Appends s with XML escaping (hd_xml_entity). */
int hd_buf_add_xml_escaped(struct hd_buf *b, const char *s, size_t n);
/* Returns the string and re-initialises the buffer; NULL on OOM. */
char *hd_buf_detach(struct hd_buf *b, size_t *len);

/*
 * Reads a whole file into b (cap b->max).  Returns 0, -HD_ENOENT, -HD_EACCES,
 * -HD_EIO or -HD_ETOOBIG.  path "-" reads standard input.
 */
int hd_buf_read_file(struct hd_buf *b, const char *path);
/* Reads what is left of an open file into b (cap b->max); the caller closes fd.  As above. */
int hd_buf_read_fd(struct hd_buf *b, int fd);
struct stat;
/* hd_buf_read_fd() with the descriptor's fstat() already made (*st). */
int hd_buf_read_fd_st(struct hd_buf *b, int fd, const struct stat *st);

#endif
