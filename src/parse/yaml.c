/*
 * libfyaml wrappers: quiet parsing with the first error captured.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/limits.h"
#include "parse/yaml.h"

/*
 * The offset of the first byte that is not well-formed UTF-8 (or is NUL), or len.
 * libfyaml 0.7 loops forever on some malformed sequences (in a directive
 * line: "%+++\xd4\n"), and YAML must be Unicode anyway, so the loader
 * refuses them first.
 */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;

		if (c == 0)
			return i; /* not allowed in YAML, and libfyaml leaks on it */
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1fu;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0fu;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07u;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

/* Frees the text hd_yaml_scalar() kept as a node's meta data. */
static void free_meta(struct fy_node *n, void *meta, void *user)
{
	(void)n;
	(void)user;
	hd_free(meta);
}

int hd_yaml_load(const char *path, const char *data, size_t len, struct fy_document **ret,
		 struct hd_diag *diag)
{
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg;
	struct fy_diag *fyd;
	struct fy_document *doc;
	int r = 0;

	{
		size_t bad = utf8_invalid_at((const unsigned char *)data, len), i;
		unsigned line = 1, col = 1;

		if (bad < len) {
			for (i = 0; i < bad; i++) {
				if (data[i] == '\n') {
					line++;
					col = 1;
				} else {
					col++;
				}
			}
			return hd_diag_set(diag, path, line, col, "invalid YAML: %s (byte 0x%02x)", data[bad] ? "not UTF-8" : "NUL byte",
					   (unsigned char)data[bad]);
		}
	}
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.level = FYET_ERROR;
	fyd = fy_diag_create(&dcfg);
	if (!fyd)
		return -HD_ENOMEM;
	fy_diag_set_collect_errors(fyd, true);
	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DEFAULT_VERSION_1_2;
	pcfg.diag = fyd;
	doc = fy_document_build_from_string(&pcfg, data, len);
	/* hd_yaml_scalar() keeps the text it reads as the node's meta data. */
	if (doc && fy_document_register_meta(doc, free_meta, NULL) != 0) {
		fy_document_destroy(doc);
		fy_diag_destroy(fyd);
		return -HD_ENOMEM;
	}
	if (!doc) {
		void *it = NULL;
		struct fy_diag_error *e = fy_diag_errors_iterate(fyd, &it);

		if (e)
			r = hd_diag_set(diag, path, (unsigned)e->line + 1, (unsigned)e->column + 1,
					"invalid YAML: %s", e->msg ? e->msg : "syntax error");
		else
			r = hd_diag_set(diag, path, 0, 0, "invalid YAML");
		fy_document_destroy(doc);
		doc = NULL;
	}
	fy_diag_destroy(fyd);
	if (r < 0)
		return r;
	*ret = doc;
	return 0;
}

/*
 * libfyaml 0.7 exposes marks only for tokens, so a collection's position is
 * the position of its first scalar (a mapping's first key, a sequence's first
 * item), which is where a reader's eye lands too.
 */
void hd_yaml_pos(struct fy_node *n, uint32_t *line, uint32_t *col)
{
	unsigned depth = 0;

	*line = *col = 0;
	while (n && depth++ < HD_MAX_YAML_DEPTH) {
		void *it = NULL;

		switch (fy_node_get_type(n)) {
		case FYNT_SCALAR: {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

			if (m) {
				*line = (uint32_t)m->line + 1;
				*col = (uint32_t)m->column + 1;
			}
			return;
		}
		case FYNT_MAPPING: {
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

			n = p ? fy_node_pair_key(p) : NULL;
			break;
		}
		case FYNT_SEQUENCE:
			n = fy_node_sequence_iterate(n, &it);
			break;
		default:
			return;
		}
	}
}

int hd_yaml_token_text(struct fy_token *t, struct hd_buf *out)
{
	const struct fy_iter_chunk *c = NULL;
	struct fy_token_iter *it;
	int err = 0, r = 0;

	hd_buf_reset(out);
	if (!t)
		return 0;
	it = fy_token_iter_create(t);
	if (!it)
		return -HD_ENOMEM;
	while (r == 0 && (c = fy_token_iter_chunk_next(it, c, &err)) != NULL)
		r = hd_buf_add(out, c->str, c->len);
	fy_token_iter_destroy(it);
	if (r < 0)
		return r;
	return err < 0 ? -HD_EPARSE : 0;
}

const char *hd_yaml_scalar(struct fy_node *n)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FILE_SIZE);
	char *s;

	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return NULL;
	s = fy_node_get_meta(n);
	if (s)
		return s;
	if (hd_yaml_token_text(fy_node_get_scalar_token(n), &b) < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	s = hd_buf_detach(&b, NULL);
	if (s && fy_node_set_meta(n, s) != 0) {
		hd_free(s);
		return NULL;
	}
	return s;
}

bool hd_yaml_is_true(struct fy_node *n)
{
	const char *s = hd_yaml_scalar(n);

	return s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
		     strcasecmp(s, "on") == 0 || strcmp(s, "1") == 0);
}

struct fy_node *hd_yaml_get(struct fy_node *n, const char *key)
{
	struct fy_node_pair *p;
	void *it = NULL;

	if (!n || fy_node_get_type(n) != FYNT_MAPPING)
		return NULL;
	/* Keys compared by their text as hd_yaml_scalar() reads it (libfyaml's look-up reads it its own way). */
	while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
		const char *k = hd_yaml_scalar(fy_node_pair_key(p));

		if (k && strcmp(k, key) == 0)
			return fy_node_pair_value(p);
	}
	return NULL;
}
