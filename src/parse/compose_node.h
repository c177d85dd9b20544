/*
 * The compose loader's own YAML tree (internal to src/parse/compose*.c).
 *
 * libfyaml's event parser feeds a small immutable tree whose every node
 * knows its file, line and column.  Aliases share the anchored node (the tree
 * is a DAG), so an alias bomb costs nothing to build; every node records the
 * size its subtree would have once expanded, and a document whose expansion
 * exceeds HD_MAX_YAML_NODES is refused before anyone walks it.  Merge keys
 * (`<<`) are applied while building; scalar values (never keys) are
 * interpolated while building when a look-up function is given.
 *
 * Ownership: every node and string lives in the context's arena and dies
 * with hd_cn_ctx_release().  Nodes are never changed once built: merging
 * makes new nodes that share unchanged children.
 */
#ifndef HD_PARSE_COMPOSE_NODE_H
#define HD_PARSE_COMPOSE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse/compose.h"

enum hd_cn_kind { HD_CN_NULL, HD_CN_STR, HD_CN_MAP, HD_CN_SEQ };

enum hd_cn_flags {
	HD_CN_QUOTED = 1u << 0,   /* quoted or block scalar (or !!str): always a string */
	HD_CN_RESET = 1u << 1,    /* !reset: the override removes the value */
	HD_CN_OVERRIDE = 1u << 2, /* !override: the override replaces instead of merging */
	HD_CN_UNSET = 1u << 3,    /* interpolated with an unset variable: the value is not known */
};

struct hd_cn_pair;

struct hd_cn {
	uint8_t kind;      /* enum hd_cn_kind */
	uint8_t flags;     /* enum hd_cn_flags */
	uint32_t line, col;
	uint32_t n;        /* string length, pairs or items */
	uint32_t size;     /* nodes of the expanded subtree (saturating) */
	const char *file;  /* arena copy */
	union {
		const char *s; /* HD_CN_STR: NUL-terminated (after interpolation) */
		struct hd_cn_pair *pairs;
		struct hd_cn **items;
	};
};

struct hd_cn_pair {
	const char *key;
	uint32_t line, col; /* of the key */
	struct hd_cn *val;  /* never NULL: an empty value is an HD_CN_NULL node */
};

struct hd_cn_chunk;

struct hd_cn_ctx {
	struct hd_cn_chunk *chunks;
	struct hd_compose_issues *issues;
	hd_compose_lookup_fn *lookup; /* NULL: no interpolation */
	void *lookup_ctx;
	size_t nodes;                 /* nodes built, all files */
};

void hd_cn_ctx_init(struct hd_cn_ctx *cx, struct hd_compose_issues *issues);
void hd_cn_ctx_release(struct hd_cn_ctx *cx);
void *hd_cn_alloc(struct hd_cn_ctx *cx, size_t n);
const char *hd_cn_strdup(struct hd_cn_ctx *cx, const char *s, size_t n);
struct hd_cn *hd_cn_new(struct hd_cn_ctx *cx, enum hd_cn_kind kind, const char *file, uint32_t line,
			uint32_t col);
/* Recomputes n->size from its children (after building a node by hand). */
void hd_cn_fix_size(struct hd_cn *n);

/*
 * Parses data[0..len) (path for positions) into *ret; an empty document is
 * NULL.  Several documents are merged, later over earlier, like files.
 * YAML errors and limits give -HD_EPARSE with an HD_CI_SYNTAX issue;
 * duplicate keys and non-scalar keys are HD_CI_INVALID issues (the later key
 * wins).  -HD_ENOMEM on OOM.
 */
int hd_cn_parse(struct hd_cn_ctx *cx, const char *path, const char *data, size_t len,
		struct hd_cn **ret);

/* Look-ups; NULL when n is not a mapping or lacks key. */
struct hd_cn *hd_cn_get(const struct hd_cn *n, const char *key);
const struct hd_cn_pair *hd_cn_pair_get(const struct hd_cn *n, const char *key);
/* The string of a scalar node (HD_CN_STR), or NULL. */
const char *hd_cn_str(const struct hd_cn *n);

/* Plain-scalar typing, as YAML 1.2's core schema (and compose) reads them. */
bool hd_cn_is_bool(const struct hd_cn *n, bool *value);
bool hd_cn_is_int(const struct hd_cn *n, int64_t *value);
bool hd_cn_is_number(const struct hd_cn *n);

#endif
