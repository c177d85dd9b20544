/*
 * Baselines: read, matched against a run's findings by fingerprint, and
 * written.  See baseline.h for the file's format.
 */
#include "core/common.h"
#include "core/limits.h"
#include "lint/baseline.h"

void hd_baseline_init(struct hd_baseline *b)
{
	memset(b, 0, sizeof(*b));
}

void hd_baseline_release(struct hd_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++)
		hd_free(b->v[i].text);
	hd_free(b->v);
	hd_baseline_init(b);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int add_entry(struct hd_baseline *b, const char *fp, char *text)
{
	if (b->n >= HD_MAX_FINDINGS)
		return -HD_ETOOBIG;
	if (HD_GROW(b->v, b->alloc, b->n + 1) < 0)
		return -HD_ENOMEM;
	memcpy(b->v[b->n].fp, fp, 32);
	b->v[b->n].fp[32] = '\0';
	b->v[b->n].text = text;
	b->v[b->n].used = false;
	b->n++;
	b->sorted = false;
	return 0;
}

int hd_baseline_parse(struct hd_baseline *b, const char *name, const char *data, size_t len,
		      struct hd_diag *reterr_diag)
{
	size_t pos = 0;
	unsigned line = 0;
	int r;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, i = 0;

		pos += n + (nl != NULL);
		line++;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == n || s[i] == '#')
			continue;
		{
			size_t start = i;

			while (i < n && is_hex(s[i]))
				i++;
			if (i - start != 32 || (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r'))
				return hd_diag_set(reterr_diag, name, line, (unsigned)start + 1,
						   "expected a fingerprint of 32 lowercase hex digits at the start "
						   "of the line (as --write-baseline writes)");
			r = add_entry(b, s + start, NULL);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int hd_baseline_record(struct hd_baseline *b, const struct hd_findings *f)
{
	size_t i;
	int r;

	for (i = 0; i < f->n; i++) {
		const struct hd_finding *x = &f->v[i];
		char *text;

		if (!x->fingerprint)
			continue;
		if (x->file && x->line)
			text = hd_asprintf("%s %s:%u", x->rule->id, x->file, x->line);
		else
			text = hd_asprintf("%s %s", x->rule->id, x->file ? x->file : x->object ? x->object : "-");
		if (!text)
			return -HD_ENOMEM;
		/* One entry, one line, whatever the path holds. */
		for (char *p = text; *p; p++) {
			if ((unsigned char)*p < 0x20)
				*p = '?';
		}
		r = add_entry(b, x->fingerprint, text);
		if (r < 0) {
			hd_free(text);
			return r;
		}
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hd_baseline_entry *)a)->fp, ((const struct hd_baseline_entry *)b)->fp);
}

/* The first unused entry with fingerprint fp, or NULL. */
static struct hd_baseline_entry *lookup(struct hd_baseline *b, const char *fp)
{
	size_t lo = 0, hi = b->n;

	if (!b->sorted) {
		if (b->n)
			qsort(b->v, b->n, sizeof(*b->v), entry_cmp);
		b->sorted = true;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(b->v[mid].fp, fp) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < b->n && strcmp(b->v[lo].fp, fp) == 0; lo++) {
		if (!b->v[lo].used)
			return &b->v[lo];
	}
	return NULL;
}

size_t hd_baseline_filter(struct hd_baseline *b, struct hd_findings *f)
{
	size_t i, k = 0;

	for (i = 0; i < f->n; i++) {
		struct hd_baseline_entry *e = f->v[i].fingerprint ? lookup(b, f->v[i].fingerprint) : NULL;

		if (e) {
			e->used = true;
			continue;
		}
		f->v[k++] = f->v[i];
	}
	i = f->n - k;
	f->n = k;
	return i;
}

size_t hd_baseline_stale(const struct hd_baseline *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->n; i++)
		n += !b->v[i].used;
	return n;
}

int hd_baseline_write(const struct hd_baseline *b, struct hd_buf *out)
{
	size_t i;
	int r;

	r = hd_buf_addstr(out, "# hardock baseline: findings accepted for now (hardock lint --baseline FILE)\n"
			     "# fingerprint (rule, file, flagged text, occurrence)  rule  where it was\n");
	for (i = 0; r >= 0 && i < b->n; i++)
		r = hd_buf_addf(out, "%s %s\n", b->v[i].fp, b->v[i].text ? b->v[i].text : "");
	return r < 0 ? r : 0;
}
