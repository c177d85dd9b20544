/*
 * daemon.json into daemon_spec; see daemon_json.h.  The value checks follow
 * what dockerd's Go decoder accepts: booleans must be JSON booleans, numbers
 * must be integers, log-opts values must be strings, and an unknown top-level
 * key stops the daemon.  Go matches struct fields case-insensitively, but
 * dockerd's unknown-key check does not, so "ICC" is unknown.
 */
#include "core/common.h"
#include "parse/daemon_json.h"

#include <jansson.h>

#define JSCAN_MAX_DEPTH 512

/* Positions of what the scan found: one per top-level key. */
struct jitem {
	const char *raw;   /* object key (undecoded) for objects, NULL for array items */
	size_t rawlen;
	uint32_t line, col;
};

struct jkey {
	const char *raw;
	size_t rawlen;
	uint32_t line, col;   /* the key's opening quote */
	uint32_t vline, vcol; /* its value */
	struct jitem *items;  /* array items or object keys of the value */
	size_t n_items, alloc_items;
};

struct jscan {
	const char *p, *e;
	const char *line_start;
	uint32_t line;
	struct jkey *keys;
	size_t n_keys, alloc_keys;
	int err;
};

static void js_ws(struct jscan *s)
{
	while (s->p < s->e) {
		char c = *s->p;

		if (c == '\n') {
			s->line++;
			s->line_start = s->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		s->p++;
	}
}

static uint32_t js_col(const struct jscan *s)
{
	return (uint32_t)(s->p - s->line_start) + 1;
}

/* Skips a string starting at '"'; returns its raw content. */
static bool js_string(struct jscan *s, const char **raw, size_t *len)
{
	const char *start;

	if (s->p >= s->e || *s->p != '"')
		return false;
	start = ++s->p;
	while (s->p < s->e && *s->p != '"') {
		if (*s->p == '\\' && s->p + 1 < s->e)
			s->p++;
		s->p++;
	}
	if (s->p >= s->e)
		return false;
	*raw = start;
	*len = (size_t)(s->p - start);
	s->p++;
	return true;
}

static bool js_value(struct jscan *s, int depth);

static bool js_container(struct jscan *s, int depth, struct jkey *rec)
{
	char close = *s->p == '{' ? '}' : ']';
	bool obj = close == '}';

	if (depth > JSCAN_MAX_DEPTH)
		return false;
	s->p++;
	js_ws(s);
	if (s->p < s->e && *s->p == close) {
		s->p++;
		return true;
	}
	for (;;) {
		struct jitem it = { NULL, 0, 0, 0 };

		js_ws(s);
		it.line = s->line;
		it.col = js_col(s);
		if (obj) {
			if (!js_string(s, &it.raw, &it.rawlen))
				return false;
			js_ws(s);
			if (s->p >= s->e || *s->p != ':')
				return false;
			s->p++;
			js_ws(s);
		}
		if (rec) {
			if (HD_GROW(rec->items, rec->alloc_items, rec->n_items + 1) < 0) {
				s->err = -HD_ENOMEM;
				return false;
			}
			rec->items[rec->n_items++] = it;
		}
		if (!js_value(s, depth + 1))
			return false;
		js_ws(s);
		if (s->p < s->e && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->e && *s->p == close) {
			s->p++;
			return true;
		}
		return false;
	}
}

static bool js_value(struct jscan *s, int depth)
{
	const char *raw;
	size_t len;

	js_ws(s);
	if (s->p >= s->e)
		return false;
	if (*s->p == '{' || *s->p == '[')
		return js_container(s, depth, NULL);
	if (*s->p == '"')
		return js_string(s, &raw, &len);
	while (s->p < s->e && !strchr(",]} \t\r\n", *s->p))
		s->p++;
	return true;
}

/* Scans the top-level object and records its keys' positions. */
static int js_scan(struct jscan *s)
{
	js_ws(s);
	if (s->p >= s->e || *s->p != '{')
		return 0;
	s->p++;
	for (;;) {
		struct jkey *k;

		js_ws(s);
		if (s->p >= s->e || *s->p == '}')
			break;
		if (HD_GROW(s->keys, s->alloc_keys, s->n_keys + 1) < 0)
			return -HD_ENOMEM;
		k = &s->keys[s->n_keys];
		memset(k, 0, sizeof(*k));
		k->line = s->line;
		k->col = js_col(s);
		if (!js_string(s, &k->raw, &k->rawlen))
			break;
		s->n_keys++;
		js_ws(s);
		if (s->p >= s->e || *s->p != ':')
			break;
		s->p++;
		js_ws(s);
		k->vline = s->line;
		k->vcol = js_col(s);
		if (s->p < s->e && (*s->p == '{' || *s->p == '[')) {
			if (!js_container(s, 1, k))
				break;
		} else if (!js_value(s, 1)) {
			break;
		}
		js_ws(s);
		if (s->p < s->e && *s->p == ',')
			s->p++;
	}
	return s->err;
}

static void js_release(struct jscan *s)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		hd_free(s->keys[i].items);
	hd_free(s->keys);
}

/* Decodes a raw JSON string body (escapes) into a new string. */
static char *raw_decode(const char *raw, size_t len)
{
	json_t *v;
	char *q, *out;

	if (!memchr(raw, '\\', len))
		return hd_strndup(raw, len);
	q = hd_malloc(len + 3);
	if (!q)
		return NULL;
	q[0] = '"';
	memcpy(q + 1, raw, len);
	q[len + 1] = '"';
	q[len + 2] = '\0';
	v = json_loadb(q, len + 2, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	hd_free(q);
	out = v && json_is_string(v) ? hd_strdup(json_string_value(v)) : hd_strndup(raw, len);
	json_decref(v);
	return out;
}

/* The last scanned key equal to `key` (jansson keeps the last duplicate). */
static const struct jkey *find_key(const struct jscan *s, const char *key)
{
	size_t i, n = strlen(key);
	const struct jkey *found = NULL;

	for (i = 0; i < s->n_keys; i++) {
		const struct jkey *k = &s->keys[i];

		if (k->rawlen == n && memcmp(k->raw, key, n) == 0) {
			found = k;
		} else if (memchr(k->raw, '\\', k->rawlen)) {
			char *d = raw_decode(k->raw, k->rawlen);

			if (d && strcmp(d, key) == 0)
				found = k;
			hd_free(d);
		}
	}
	return found;
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* Levenshtein distance, capped: small names only. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64];

	if (la >= HD_ARRAY_SIZE(row) || lb >= HD_ARRAY_SIZE(row))
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (tolower((unsigned char)a[i - 1]) !=
					      tolower((unsigned char)b[j - 1]));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *suggest_key(const char *key)
{
	size_t i, best = 3;
	const char *s = NULL;

	for (i = 0; i < HD_DOPT_MAX; i++) {
		size_t d = edit_distance(key, hd_dopt_table[i].json);

		if (d < best) {
			best = d;
			s = hd_dopt_table[i].json;
		}
	}
	return s;
}

struct jctx {
	struct hd_daemon_spec *d;
	const char *file;
	const struct jscan *scan;
};

static int problem_at(struct jctx *c, enum hd_dproblem_kind kind, const struct jkey *k,
		      bool at_value, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int problem_at(struct jctx *c, enum hd_dproblem_kind kind, const struct jkey *k,
		      bool at_value, const char *key, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hd_daemon_problem(c->d, kind, c->file, k ? (at_value ? k->vline : k->line) : 0,
				 k ? (at_value ? k->vcol : k->col) : 0, key, "%s", msg);
}

static void item_origin(struct jctx *c, const struct jkey *k, size_t idx, const char *key,
			struct hd_dorigin *o)
{
	memset(o, 0, sizeof(*o));
	o->file = (char *)c->file;
	o->field = (char *)key;
	if (k && idx < k->n_items) {
		o->line = k->items[idx].line;
		o->col = k->items[idx].col;
	} else if (k) {
		o->line = k->vline;
		o->col = k->vcol;
	}
}

static int read_list(struct jctx *c, struct hd_dsetting *s, const struct jkey *k, const char *key,
		     json_t *v)
{
	size_t i;
	int r;

	if (!json_is_array(v))
		return problem_at(c, HD_DP_INVALID, k, true, key,
				  "'%s' must be an array of strings, not %s; dockerd refuses to start",
				  key, json_type_name(v));
	for (i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		struct hd_dorigin o;

		if (!json_is_string(e)) {
			item_origin(c, k, i, key, &o);
			r = hd_daemon_problem(c->d, HD_DP_INVALID, c->file, o.line, o.col, key,
					      "item %zu of '%s' must be a string, not %s; dockerd "
					      "refuses to start", i + 1, key, json_type_name(e));
			if (r < 0)
				return r;
			continue;
		}
		item_origin(c, k, i, key, &o);
		r = hd_dsetting_add_item(s, json_string_value(e), &o);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_kv(struct jctx *c, struct hd_dsetting *s, const struct jkey *k, const char *key,
		   json_t *v)
{
	const char *name;
	json_t *e;
	size_t idx = 0;
	int r;

	if (!json_is_object(v))
		return problem_at(c, HD_DP_INVALID, k, true, key,
				  "'%s' must be an object of strings, not %s; dockerd refuses to start",
				  key, json_type_name(v));
	json_object_foreach(v, name, e) {
		struct hd_dorigin o;
		char *item;

		item_origin(c, k, idx++, key, &o);
		if (!json_is_string(e)) {
			r = hd_daemon_problem(c->d, HD_DP_INVALID, c->file, o.line, o.col, key,
					      "'%s.%s' must be a string (write \"%s\": \"...\"), not %s; "
					      "dockerd refuses to start", key, name, name,
					      json_type_name(e));
			if (r < 0)
				return r;
			continue;
		}
		item = hd_asprintf("%s=%s", name, json_string_value(e));
		if (!item)
			return -HD_ENOMEM;
		r = hd_dsetting_add_item(s, item, &o);
		hd_free(item);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_ulimits(struct jctx *c, struct hd_dsetting *s, const struct jkey *k,
			const char *key, json_t *v)
{
	const char *name;
	json_t *e;
	size_t idx = 0;
	int r;

	if (!json_is_object(v))
		return problem_at(c, HD_DP_INVALID, k, true, key,
				  "'%s' must be an object like {\"nofile\": {\"Name\": \"nofile\", "
				  "\"Soft\": 1024, \"Hard\": 2048}}, not %s", key, json_type_name(v));
	json_object_foreach(v, name, e) {
		struct hd_dorigin o;
		json_t *soft, *hard;
		char *item;

		item_origin(c, k, idx++, key, &o);
		soft = json_is_object(e) ? json_object_get(e, "Soft") : NULL;
		hard = json_is_object(e) ? json_object_get(e, "Hard") : NULL;
		if (!json_is_integer(soft) || !json_is_integer(hard)) {
			r = hd_daemon_problem(c->d, HD_DP_INVALID, c->file, o.line, o.col, key,
					      "ulimit '%s' in '%s' needs integer \"Soft\" and \"Hard\" "
					      "values", name, key);
			if (r < 0)
				return r;
			continue;
		}
		item = hd_asprintf("%s=%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT, name,
				   json_integer_value(soft), json_integer_value(hard));
		if (!item)
			return -HD_ENOMEM;
		r = hd_dsetting_add_item(s, item, &o);
		hd_free(item);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_value(struct jctx *c, enum hd_dopt o, const struct jkey *k, const char *key,
		      json_t *v, struct hd_dsetting *s)
{
	int r;

	switch (hd_dopt_table[o].type) {
	case HD_DV_BOOL:
		if (!json_is_boolean(v))
			return problem_at(c, HD_DP_INVALID, k, true, key,
					  "'%s' must be true or false, not %s; dockerd refuses to start",
					  key, json_type_name(v));
		s->b = json_is_true(v);
		break;
	case HD_DV_INT:
		if (!json_is_integer(v))
			return problem_at(c, HD_DP_INVALID, k, true, key,
					  "'%s' must be an integer, not %s; dockerd refuses to start",
					  key, json_type_name(v));
		s->i = json_integer_value(v);
		break;
	case HD_DV_STR:
		if (json_is_string(v)) {
			s->s = hd_strdup(json_string_value(v));
		} else if (o == HD_DOPT_DEFAULT_SHM_SIZE && json_is_integer(v)) {
			s->s = hd_asprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		} else {
			return problem_at(c, HD_DP_INVALID, k, true, key,
					  "'%s' must be a string, not %s; dockerd refuses to start",
					  key, json_type_name(v));
		}
		if (!s->s)
			return -HD_ENOMEM;
		break;
	case HD_DV_LIST:
		r = read_list(c, s, k, key, v);
		if (r < 0)
			return r;
		break;
	case HD_DV_KV:
		r = read_kv(c, s, k, key, v);
		if (r < 0)
			return r;
		break;
	case HD_DV_ULIMITS:
		r = read_ulimits(c, s, k, key, v);
		if (r < 0)
			return r;
		break;
	case HD_DV_JSON:
		s->s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!s->s)
			return -HD_ENOMEM;
		break;
	}
	s->set = true;
	s->src = HD_DSRC_FILE;
	return hd_dorigin_set(&s->at, c->file, k ? k->line : 0, k ? k->col : 0, key);
}

static int unknown_key(struct jctx *c, const struct jkey *k, const char *key)
{
	int o = hd_dopt_by_flag(key, strlen(key));
	bool tv;
	const char *sug;
	size_t i;

	if (o >= 0)
		return problem_at(c, HD_DP_IGNORED, k, false, key,
				  "'%s' is the name of dockerd's flag; in daemon.json dockerd accepts "
				  "it but ignores it: the key is '%s'", key, hd_dopt_table[o].json);
	if (hd_dopt_flag_only(key, strlen(key), &tv))
		return problem_at(c, HD_DP_IGNORED, k, false, key,
				  "'%s' is a command-line flag only; dockerd ignores it in daemon.json",
				  key);
	for (i = 0; i < HD_DOPT_MAX; i++) {
		if (strcasecmp(key, hd_dopt_table[i].json) == 0)
			return problem_at(c, HD_DP_UNKNOWN, k, false, key,
					  "unknown key '%s' (keys are lowercase: '%s'); dockerd refuses "
					  "to start", key, hd_dopt_table[i].json);
	}
	sug = suggest_key(key);
	if (sug)
		return problem_at(c, HD_DP_UNKNOWN, k, false, key,
				  "unknown key '%s' (did you mean '%s'?); dockerd refuses to start",
				  key, sug);
	return problem_at(c, HD_DP_UNKNOWN, k, false, key,
			  "unknown key '%s'; dockerd refuses to start", key);
}

static int check_duplicates(struct jctx *c)
{
	const struct jscan *s = c->scan;
	size_t i, j;
	int r;

	for (i = 0; i < s->n_keys; i++) {
		for (j = i + 1; j < s->n_keys; j++) {
			char *a, *b;
			bool same;

			if (s->keys[i].rawlen != s->keys[j].rawlen &&
			    !memchr(s->keys[i].raw, '\\', s->keys[i].rawlen) &&
			    !memchr(s->keys[j].raw, '\\', s->keys[j].rawlen))
				continue;
			a = raw_decode(s->keys[i].raw, s->keys[i].rawlen);
			b = raw_decode(s->keys[j].raw, s->keys[j].rawlen);
			if (!a || !b) {
				hd_free(a);
				hd_free(b);
				return -HD_ENOMEM;
			}
			same = strcmp(a, b) == 0;
			if (same)
				r = problem_at(c, HD_DP_IGNORED, &s->keys[i], false, a,
					       "'%s' is given twice; the value at line %" PRIu32
					       " wins and this one is ignored", a, s->keys[j].line);
			else
				r = 0;
			hd_free(a);
			hd_free(b);
			if (r < 0)
				return r;
			if (same)
				break;
		}
	}
	return 0;
}

int hd_daemon_json_read(struct hd_daemon_spec *d, const char *file, const char *data, size_t len)
{
	struct jscan scan;
	struct jctx c = { d, file, &scan };
	json_error_t err;
	json_t *root;
	const char *key;
	json_t *v;
	size_t i;
	int r = 0;

	/* dockerd accepts an empty file (or only blanks) and a UTF-8 BOM. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	for (i = 0; i < len && strchr(" \t\r\n", data[i]); i++)
		;
	if (i == len)
		return 0;
	root = json_loadb(data, len, JSON_DECODE_ANY, &err);
	if (!root)
		return hd_daemon_problem(d, HD_DP_INVALID, file, err.line > 0 ? (uint32_t)err.line : 0,
					 err.column > 0 ? (uint32_t)err.column : 0, NULL,
					 "invalid JSON: %s; dockerd refuses to start", err.text);
	if (!json_is_object(root)) {
		r = hd_daemon_problem(d, HD_DP_INVALID, file, 1, 1, NULL,
				      "daemon.json must hold one JSON object, not %s; dockerd refuses "
				      "to start", json_type_name(root));
		json_decref(root);
		return r;
	}
	memset(&scan, 0, sizeof(scan));
	scan.p = data;
	scan.e = data + len;
	scan.line_start = data;
	scan.line = 1;
	r = js_scan(&scan);
	if (r < 0)
		goto out;
	r = check_duplicates(&c);
	if (r < 0)
		goto out;
	json_object_foreach(root, key, v) {
		const struct jkey *k = find_key(&scan, key);
		int o = hd_dopt_by_json(key);

		if (o < 0) {
			r = unknown_key(&c, k, key);
			if (r < 0)
				goto out;
			continue;
		}
		if (json_is_null(v))
			continue;
		if (d->opt[o].set && d->opt[o].src == HD_DSRC_ARGS) {
			const struct hd_dorigin *a = &d->opt[o].at;

			r = problem_at(&c, HD_DP_CONFLICT, k, false, key,
				       "'%s' is set in daemon.json and as '%s' on the command line "
				       "(%s:%" PRIu32 "); dockerd refuses to start", key,
				       a->field ? a->field : hd_dopt_table[o].flag,
				       a->file ? a->file : "?", a->line);
			if (r < 0)
				goto out;
			/* dockerd will not start; for judging what the administrator meant, a
			 * list holds both places' items (a TCP host in the file still counts). */
			if (hd_dopt_table[o].type == HD_DV_LIST) {
				struct hd_dsetting tmp;
				size_t j;

				memset(&tmp, 0, sizeof(tmp));
				r = read_value(&c, (enum hd_dopt)o, k, key, v, &tmp);
				for (j = 0; r >= 0 && j < tmp.n_items; j++)
					r = hd_dsetting_add_item(&d->opt[o], tmp.items[j].value, &tmp.items[j].at);
				hd_dsetting_clear(&tmp);
				if (r < 0)
					goto out;
			}
			continue;
		}
		r = read_value(&c, (enum hd_dopt)o, k, key, v, &d->opt[o]);
		if (r < 0)
			goto out;
	}
out:
	js_release(&scan);
	json_decref(root);
	return r;
}
