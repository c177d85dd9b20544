/*
 * JSON as dockerd reads it.  One reading layer for every Engine API document
 * hardock reads: the engine's answers (inspect, lists, /info) and the
 * request bodies the authorization plugin judges (container create, exec
 * create, ...).  A body must be read the way dockerd's Go encoding/json
 * decodes it into its structs, or a client can write something the daemon
 * obeys and hardock does not see:
 *
 *   - Object keys name struct fields case-insensitively, with Unicode simple
 *     case folding as Go does it: "privileged" and "PRIVILEGED" set
 *     Privileged, "\u212a" (the Kelvin sign) matches 'k' and "\u017f" (the
 *     long s) matches 's'.  Map keys (Labels, Sysctls, PortBindings) stay
 *     exact.  Unknown keys are ignored.
 *   - Every key that names a field is decoded into it, in document order, so
 *     the last one wins, also between case variants and exact duplicates.
 *     Decoding merges: a second object for a struct field sets only the
 *     fields it names, a second array for a slice decodes its element i into
 *     the element i left by the earlier ones, and null resets a pointer,
 *     slice or map field but leaves a plain value (bool, number, string,
 *     struct) as it was.  The reader asks for each field with the flags of
 *     its Go type (HD_JF_*), and gets a view of every value that merges into
 *     it (struct hd_jv).
 *
 * The document is parsed once into a tree that keeps every member of every
 * object, duplicates included, in order.  The syntax is strict RFC 8259;
 * strings with escapes and numbers that are not plain integers are decoded
 * by jansson, so escapes, surrogate pairs, UTF-8 and number ranges follow
 * it.  Where jansson is stricter than Go (invalid UTF-8, "\u0000", integers
 * beyond 64 bits) the document is refused; a refused body is a denied
 * request.  Engine answers, which Go's encoder writes without duplicate
 * keys, are read with HD_JSON_REJECT_DUPLICATES: a duplicate there means
 * something that is not dockerd answered.
 *
 * Errors: a document that is not JSON, or a value of the wrong type where a
 * field is read, is -HD_EPROTO with reterr_diag->msg naming the object and
 * the JSON path as written: "create request 'x': hostconfig.Privileged:
 * expected a boolean".  Paths are at most HD_JSON_PATH_MAX bytes and control
 * characters in keys show as '?'.
 *
 * Ownership: struct hd_jr owns the document and everything the views point
 * to (strings, paths, occurrence lists); all of it lives until
 * hd_jr_release().  Nothing is freed individually.
 */
#ifndef HD_PARSE_JSON_H
#define HD_PARSE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define HD_JSON_PATH_MAX 512

/* ---- the document ------------------------------------------------------------ */

enum hd_jtype { HD_JNULL, HD_JBOOL, HD_JINT, HD_JREAL, HD_JSTR, HD_JARR, HD_JOBJ };

struct hd_jnode;

struct hd_jmember {
	const char *key;     /* decoded, NUL-terminated (keys never hold NUL) */
	size_t key_len;
	struct hd_jnode *val;
};

struct hd_jnode {
	enum hd_jtype type;
	bool b;              /* HD_JBOOL */
	uint32_t n;          /* HD_JARR items, HD_JOBJ members */
	union {
		int64_t i;                          /* HD_JINT */
		double d;                           /* HD_JREAL */
		struct { const char *p; size_t len; } s; /* HD_JSTR: decoded, NUL-terminated */
		struct hd_jmember *members;         /* HD_JOBJ, in document order, duplicates kept */
		struct hd_jnode **items;            /* HD_JARR */
	} u;
};

/* Parse flags. */
#define HD_JSON_REJECT_DUPLICATES 0x1u /* the same key twice in one object is an error */

/* ---- views: what Go decodes into one field ------------------------------------ */

/*
 * Field flags: how the Go type of a field treats a repeated or null value.
 * HD_JF_NULLABLE: a pointer, slice or map; null resets it.  HD_JF_REPLACE:
 * the type decodes itself from scratch (strslice.StrSlice: Cmd, Entrypoint,
 * CapAdd, CapDrop), so only the last value counts.
 */
#define HD_JF_NULLABLE 0x1u
#define HD_JF_REPLACE  0x2u

/*
 * The values that merge into one field, oldest first.  n == 0: the field is
 * absent, or was reset by null.  path is the JSON path of the last value as
 * written ("hostconfig.Binds[0]"), or of the field as asked for when absent.
 */
struct hd_jv {
	const struct hd_jnode **occ;
	const char **paths;  /* paths[k]: where occ[k] was written */
	size_t n;
	const char *path;
};

/* A reading session over one document. */
struct hd_jr {
	struct hd_diag *d;   /* errors go here (may be NULL) */
	char what[200];      /* the object for messages: "container 'web'" */
	struct hd_arena arena;
	struct hd_jnode *root;
};

/*
 * Parses text[0..len) into r (which the caller zero-initialises and names in
 * r->what first).  noun says what the text is for parse errors ("the
 * engine's answer", "the body").  0, -HD_EPROTO (not JSON: r->d says where
 * and what) or -HD_ENOMEM.  r must be released either way.
 */
int hd_jr_parse(struct hd_jr *r, const char *text, size_t len, unsigned flags, const char *noun);
void hd_jr_release(struct hd_jr *r);

/* Reports a value of the wrong shape at path: "<what>: <path>: expected <expect>"; -HD_EPROTO. */
int hd_jr_bad(struct hd_jr *r, const char *path, const char *expect);

/*
 * The document as a view; it must be an object (else -HD_EPROTO naming
 * "(document)"), or an array with hd_jr_root_array().
 */
int hd_jr_root(struct hd_jr *r, struct hd_jv *ret);
int hd_jr_root_array(struct hd_jr *r, struct hd_jv *ret);

/*
 * Go's case-insensitive match of a JSON key against a struct field name
 * (ASCII): letters match in either case, the Kelvin sign matches 'k' and
 * the long s matches 's'; anything else must be equal.
 */
bool hd_json_key_matches(const char *key, size_t key_len, const char *name);

/*
 * Struct fields of object view obj (every value in obj is an object).  Each
 * returns 0, -HD_EPROTO when a value has the wrong type, or -HD_ENOMEM.
 *
 * hd_jv_obj: a struct (or pointer to one) field; ret->n == 0 when absent.
 * hd_jv_arr: a slice field; ret's values are arrays.
 * hd_jv_map: a map field; ret's values are objects with exact keys.
 * hd_jv_field: any field, unchecked (for hd_jv_as_* below).
 */
int hd_jv_field(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
		struct hd_jv *ret);
int hd_jv_obj(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	      struct hd_jv *ret);
int hd_jv_arr(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	      struct hd_jv *ret);
int hd_jv_map(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	      struct hd_jv *ret);

/*
 * Scalar fields.  *ret is the last value; present (may be NULL) tells
 * whether the field was given (a null pointer field reads as absent).
 * ret_path (may be NULL) receives the path of that value.  Strings: *ret is
 * NULL when absent.  Integers must be integral JSON numbers within int64.
 */
int hd_jv_str(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	      const char **ret, const char **ret_path);
int hd_jv_bool(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	       bool *ret, bool *present, const char **ret_path);
int hd_jv_int(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
	      int64_t *ret, bool *present, const char **ret_path);

/* The same on a view already taken (an array element, a map value). */
int hd_jv_as_str(struct hd_jr *r, const struct hd_jv *v, const char **ret);
int hd_jv_as_bool(struct hd_jr *r, const struct hd_jv *v, bool *ret, bool *present);
int hd_jv_as_int(struct hd_jr *r, const struct hd_jv *v, int64_t *ret, bool *present);
/* Checks that every value of v is an object (a struct element). */
int hd_jv_as_obj(struct hd_jr *r, const struct hd_jv *v);

/* Slices: the length Go ends with (that of the last array), and element i. */
size_t hd_jv_len(const struct hd_jv *arr);
int hd_jv_at(struct hd_jr *r, const struct hd_jv *arr, size_t i, unsigned elem_flags, struct hd_jv *ret);

/*
 * A list of strings: a []string field (elements merge), or with
 * HD_JF_REPLACE a strslice.StrSlice (the last value only, which may also be
 * a single string).  fn is called for each string with its path.
 */
int hd_jv_strings(struct hd_jr *r, const struct hd_jv *obj, const char *name, unsigned flags,
		  int (*fn)(void *ctx, const char *s, const char *path), void *ctx);

/*
 * Map entries: each key once, in the order keys first appear, with the
 * value of its last appearance (Go decodes a map value afresh each time).
 * The value view has one value, possibly null.
 */
struct hd_jentry {
	const char *key;
	size_t key_len;
	struct hd_jv val;
};
int hd_jv_entries(struct hd_jr *r, const struct hd_jv *map, struct hd_jentry **ret, size_t *ret_n);

#endif
