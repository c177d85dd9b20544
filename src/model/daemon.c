/*
 * daemon_spec helpers: the option table, look-ups, origins, problems and the
 * small questions rules ask of a spec.  See model/daemon.h.
 */
#include "core/common.h"
#include "model/daemon.h"

#define HD_DOPT(name, json, flag, sh, type, fl) [HD_DOPT_##name] = { json, flag, sh, HD_DV_##type, fl },
const struct hd_dopt_info hd_dopt_table[HD_DOPT_MAX] = {
#include "model/daemon_opts.def"
};
#undef HD_DOPT

int hd_dopt_by_json(const char *key)
{
	size_t i;

	for (i = 0; i < HD_DOPT_MAX; i++) {
		if (strcmp(hd_dopt_table[i].json, key) == 0)
			return (int)i;
	}
	return -1;
}

int hd_dopt_by_flag(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < HD_DOPT_MAX; i++) {
		const char *f = hd_dopt_table[i].flag;

		if (f && strlen(f) == len && memcmp(f, name, len) == 0)
			return (int)i;
	}
	return -1;
}

int hd_dopt_by_short(char c)
{
	size_t i;

	for (i = 0; i < HD_DOPT_MAX; i++) {
		if (hd_dopt_table[i].shorthand == c)
			return (int)i;
	}
	return -1;
}

bool hd_dopt_flag_only(const char *name, size_t len, bool *takes_value)
{
	static const struct { const char *name; bool value; } only[] = {
		{ "config-file", true }, { "validate", false }, { "version", false },
		{ "help", false },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(only); i++) {
		if (strlen(only[i].name) == len && memcmp(only[i].name, name, len) == 0) {
			*takes_value = only[i].value;
			return true;
		}
	}
	return false;
}

void hd_daemon_spec_init(struct hd_daemon_spec *d)
{
	memset(d, 0, sizeof(*d));
}

int hd_dorigin_set(struct hd_dorigin *o, const char *file, uint32_t line, uint32_t col,
		   const char *field)
{
	char *f = file ? hd_strdup(file) : NULL, *k = field ? hd_strdup(field) : NULL;

	if ((file && !f) || (field && !k)) {
		hd_free(f);
		hd_free(k);
		return -HD_ENOMEM;
	}
	hd_dorigin_release(o);
	o->file = f;
	o->line = line;
	o->col = col;
	o->field = k;
	return 0;
}

int hd_dorigin_copy(struct hd_dorigin *dst, const struct hd_dorigin *src)
{
	return hd_dorigin_set(dst, src->file, src->line, src->col, src->field);
}

void hd_dorigin_release(struct hd_dorigin *o)
{
	if (!o)
		return;
	hd_free(o->file);
	hd_free(o->field);
	memset(o, 0, sizeof(*o));
}

void hd_dsetting_clear(struct hd_dsetting *s)
{
	size_t i;

	hd_free(s->s);
	for (i = 0; i < s->n_items; i++) {
		hd_free(s->items[i].value);
		hd_dorigin_release(&s->items[i].at);
	}
	hd_free(s->items);
	hd_dorigin_release(&s->at);
	memset(s, 0, sizeof(*s));
}

int hd_dsetting_add_item(struct hd_dsetting *s, const char *value, const struct hd_dorigin *at)
{
	struct hd_ditem *it;

	if (HD_GROW(s->items, s->alloc_items, s->n_items + 1) < 0)
		return -HD_ENOMEM;
	it = &s->items[s->n_items];
	memset(it, 0, sizeof(*it));
	it->value = hd_strdup(value);
	if (!it->value)
		return -HD_ENOMEM;
	if (at && hd_dorigin_copy(&it->at, at) < 0) {
		hd_free(it->value);
		return -HD_ENOMEM;
	}
	s->n_items++;
	return 0;
}

int hd_dsetting_copy(struct hd_dsetting *dst, const struct hd_dsetting *src)
{
	size_t i;
	int r;

	hd_dsetting_clear(dst);
	dst->set = src->set;
	dst->src = src->src;
	dst->b = src->b;
	dst->i = src->i;
	if (src->s && !(dst->s = hd_strdup(src->s)))
		return -HD_ENOMEM;
	r = hd_dorigin_copy(&dst->at, &src->at);
	for (i = 0; r >= 0 && i < src->n_items; i++)
		r = hd_dsetting_add_item(dst, src->items[i].value, &src->items[i].at);
	return r;
}

static void tls_release(struct hd_tls_facts *t)
{
	hd_free(t->ca.error);
	hd_free(t->ca.subject);
	hd_free(t->ca.sig_alg);
	hd_strlist_release(&t->ca.sans);
	hd_free(t->cert.error);
	hd_free(t->cert.subject);
	hd_free(t->cert.sig_alg);
	hd_strlist_release(&t->cert.sans);
	hd_free(t->key.error);
	hd_strlist_release(&t->ca_keys_near);
	memset(t, 0, sizeof(*t));
}

void hd_daemon_spec_release(struct hd_daemon_spec *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < HD_DOPT_MAX; i++)
		hd_dsetting_clear(&d->opt[i]);
	hd_free(d->config_file);
	hd_free(d->exec_path);
	hd_free(d->args_from);
	hd_strlist_release(&d->argv);
	hd_strlist_release(&d->unit_files);
	hd_free(d->unit_user);
	hd_free(d->swarm_evidence);
	hd_free(d->running_driver);
	hd_free(d->running_from);
	for (i = 0; i < d->n_problems; i++) {
		hd_free(d->problems[i].message);
		hd_dorigin_release(&d->problems[i].at);
	}
	hd_free(d->problems);
	for (i = 0; i < HD_DF_MAX; i++)
		hd_file_list_release(&d->files[i]);
	tls_release(&d->tls);
	hd_free(d->socket_unit.path);
	hd_strlist_release(&d->socket_unit.listen);
	hd_free(d->socket_unit.mode_text);
	hd_free(d->socket_unit.user);
	hd_free(d->socket_unit.group);
	hd_dorigin_release(&d->socket_unit.mode_at);
	hd_dorigin_release(&d->socket_unit.owner_at);
	hd_strlist_release(&d->notes);
	hd_daemon_spec_init(d);
}

int hd_daemon_problem(struct hd_daemon_spec *d, enum hd_dproblem_kind kind, const char *file,
		      uint32_t line, uint32_t col, const char *field, const char *fmt, ...)
{
	struct hd_dproblem *p;
	char msg[HD_MAX_MESSAGE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	if (HD_GROW(d->problems, d->alloc_problems, d->n_problems + 1) < 0)
		return -HD_ENOMEM;
	p = &d->problems[d->n_problems];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->message = hd_strdup(msg);
	if (!p->message || hd_dorigin_set(&p->at, file, line, col, field) < 0) {
		hd_free(p->message);
		return -HD_ENOMEM;
	}
	d->n_problems++;
	return 0;
}

const struct hd_dsetting *hd_daemon_opt(const struct hd_daemon_spec *d, enum hd_dopt o)
{
	return &d->opt[o];
}

bool hd_daemon_bool(const struct hd_daemon_spec *d, enum hd_dopt o, bool dflt)
{
	return d->opt[o].set ? d->opt[o].b : dflt;
}

const char *hd_daemon_str(const struct hd_daemon_spec *d, enum hd_dopt o)
{
	return d->opt[o].set ? d->opt[o].s : NULL;
}

bool hd_daemon_has_item(const struct hd_daemon_spec *d, enum hd_dopt o, const char *value)
{
	const struct hd_dsetting *s = &d->opt[o];
	size_t i, n = strlen(value);

	if (!s->set)
		return false;
	for (i = 0; i < s->n_items; i++) {
		const char *v = s->items[i].value;

		if (strcmp(v, value) == 0 || (strncmp(v, value, n) == 0 && v[n] == '='))
			return true;
	}
	return false;
}

void hd_dorigin_loc(const struct hd_dorigin *o, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->file = o->file;
	loc->line = o->line;
	loc->col = o->col;
	loc->field = o->field;
}

void hd_daemon_loc(const struct hd_daemon_spec *d, enum hd_dopt o, struct hd_loc *loc)
{
	if (d->opt[o].set) {
		hd_dorigin_loc(&d->opt[o].at, loc);
		return;
	}
	memset(loc, 0, sizeof(*loc));
	if (d->config_present)
		loc->file = d->config_file;
	else if (d->unit_files.n)
		loc->file = d->unit_files.v[0];
	else
		loc->file = d->config_file;
	loc->field = hd_dopt_table[o].json;
}

const char *hd_daemon_opt_name(const struct hd_daemon_spec *d, enum hd_dopt o)
{
	if (d->opt[o].set && d->opt[o].src == HD_DSRC_ARGS && d->opt[o].at.field)
		return d->opt[o].at.field;
	return hd_dopt_table[o].json;
}

bool hd_daemon_listens_tcp(const struct hd_daemon_spec *d)
{
	const struct hd_dsetting *s = &d->opt[HD_DOPT_HOSTS];
	size_t i;

	for (i = 0; s->set && i < s->n_items; i++) {
		const char *h = s->items[i].value;

		if (hd_starts_with(h, "tcp://"))
			return true;
		/* dockerd reads "host:port" and ":port" without a scheme as TCP. */
		if (!strstr(h, "://") && strchr(h, ':'))
			return true;
	}
	return false;
}
