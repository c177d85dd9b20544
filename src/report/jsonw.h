/*
 * A streaming JSON writer: values go straight to a FILE as they are given,
 * laid out exactly as jansson's json_dumpf(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) lays out the same document (so reports written either
 * way are byte-identical), without building a tree.  Strings are written as
 * UTF-8 with jansson's escapes; bytes that are not valid UTF-8 become U+FFFD
 * (jansson refuses such strings), so the output is always valid JSON.
 *
 * Usage: hd_jw_init(), then objects/arrays/values; inside an object every
 * value is preceded by hd_jw_key(); hd_jw_flush() at the end (and before
 * writing to the FILE any other way): the writer collects what it writes in
 * a buffer of its own and hands it to the FILE in blocks.  Errors (nesting
 * deeper than HD_JW_MAX_DEPTH, misuse) are recorded in jw->err; write
 * errors show on the FILE (ferror).
 */
#ifndef HD_REPORT_JSONW_H
#define HD_REPORT_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HD_JW_MAX_DEPTH 32

struct hd_jw {
	FILE *out;
	unsigned depth;                   /* open containers */
	bool has_items[HD_JW_MAX_DEPTH];  /* per open container: a member was written */
	char closer[HD_JW_MAX_DEPTH];     /* per open container: '}' or ']' */
	bool after_key;                   /* a key was written; its value comes next */
	int err;                          /* 0 or -HD_EINVAL on misuse */
	size_t n;                         /* bytes waiting in buf */
	char buf[8192];
};

void hd_jw_init(struct hd_jw *jw, FILE *out);
/* Writes what is buffered to the FILE. */
void hd_jw_flush(struct hd_jw *jw);
/*
 * Starts piece: a writer in memory only (no FILE) at jw's place, so that
 * what is written to it is what jw would write there (separators and
 * indentation included).  Its text is piece->buf[0..piece->n) when
 * piece->err is 0 (-HD_ETOOBIG: it outgrew the buffer).  For parts of a
 * document that repeat (a rule's members in every finding).
 */
void hd_jw_piece_begin(struct hd_jw *piece, const struct hd_jw *jw);
/* Writes a piece's text (members of the current object) where it was rendered for. */
void hd_jw_piece_put(struct hd_jw *jw, const char *text, size_t n);
void hd_jw_object(struct hd_jw *jw);
void hd_jw_array(struct hd_jw *jw);
/* Closes the innermost object or array. */
void hd_jw_end(struct hd_jw *jw);
void hd_jw_key(struct hd_jw *jw, const char *key);
void hd_jw_str(struct hd_jw *jw, const char *s);
/* s[0..n) as one string. */
void hd_jw_strn(struct hd_jw *jw, const char *s, size_t n);
void hd_jw_int(struct hd_jw *jw, int64_t v);
void hd_jw_bool(struct hd_jw *jw, bool v);
void hd_jw_null(struct hd_jw *jw);
/* n bytes as they are, outside any value (a final newline). */
void hd_jw_raw(struct hd_jw *jw, const char *s, size_t n);
/* Shorthands for a member of the current object. */
void hd_jw_kstr(struct hd_jw *jw, const char *key, const char *s);
void hd_jw_kint(struct hd_jw *jw, const char *key, int64_t v);
/*
 * The same with a key known to need no escape (printable ASCII other than
 * '"' and '\\'), of length klen: for string literals, through the macros.
 */
void hd_jw_key_lit(struct hd_jw *jw, const char *key, size_t klen);
void hd_jw_kstr_lit(struct hd_jw *jw, const char *key, size_t klen, const char *s);
void hd_jw_kint_lit(struct hd_jw *jw, const char *key, size_t klen, int64_t v);
#define HD_JW_KEY(jw, lit)     hd_jw_key_lit((jw), "" lit, sizeof(lit) - 1)
#define HD_JW_KSTR(jw, lit, s) hd_jw_kstr_lit((jw), "" lit, sizeof(lit) - 1, (s))
#define HD_JW_KINT(jw, lit, v) hd_jw_kint_lit((jw), "" lit, sizeof(lit) - 1, (v))

/* Writes s[0..n) as a JSON string literal (quotes included) to out. */
void hd_json_put_string(FILE *out, const char *s, size_t n);

#endif
