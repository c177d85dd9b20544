/*
 * Thin helpers over libfyaml shared by every YAML reader (config, compose, CI
 * files): loading with errors captured as an hd_diag (never printed), node
 * positions, and scalar access.
 */
#ifndef HD_PARSE_YAML_H
#define HD_PARSE_YAML_H

#include <libfyaml.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/*
 * Parses one YAML document from data[0..len).  On a syntax error returns
 * -HD_EPARSE with diag filled (file, line, column, libfyaml's message).  An
 * empty document gives *ret with a NULL root.  Aliases are resolved only on
 * request by the caller, so alias bombs cost nothing here.
 */
int hd_yaml_load(const char *path, const char *data, size_t len, struct fy_document **ret,
		 struct hd_diag *diag);
/* 1-based line and column of a node's start (0,0 when unknown). */
void hd_yaml_pos(struct fy_node *n, uint32_t *line, uint32_t *col);
/*
 * The scalar text of n (NUL-terminated, owned by the document: kept as the
 * node's meta data, freed with it) or NULL if not a scalar or on OOM.  Read
 * with hd_yaml_token_text(), never libfyaml's own scalar text functions.
 */
const char *hd_yaml_scalar(struct fy_node *n);
/*
 * The text of token t (a scalar's value), read through libfyaml's public
 * token iterator into out (reset first, NUL-terminated, bounded by out's
 * cap).  Every reader of scalar text goes through here, not through
 * fy_token_get_text(), fy_node_get_scalar() or fy_node_get_scalar0():
 * libfyaml 0.7.12 formats a token's text into a buffer of the length it
 * estimated while scanning, and for some inputs (a quoted scalar spanning
 * lines under sloppy indentation, a literal block of blank lines) the text
 * is longer: fy_atom_format_text() then returns without releasing its
 * iterator (a leak; upstream now breaks out and finishes) and the text is
 * cut short.  The iterator gives the whole text and frees what it used.
 * Returns 0, -HD_EPARSE when libfyaml cannot produce the text, -HD_ENOMEM
 * or -HD_ETOOBIG.
 */
struct hd_buf;
int hd_yaml_token_text(struct fy_token *t, struct hd_buf *out);
/* True for scalars YAML 1.1/1.2 and compose treat as true ("true", "yes", "on"). */
bool hd_yaml_is_true(struct fy_node *n);
/* Mapping look-up by key; NULL when n is not a mapping or has no such key. */
struct fy_node *hd_yaml_get(struct fy_node *n, const char *key);

#endif
