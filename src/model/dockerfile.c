/*
 * The helpers of the Dockerfile model: names of instructions, mapping
 * offsets of an instruction's text back to the file, flag lookup, the value
 * of a variable at an instruction, and freeing a model.  The parser lives in
 * parse/dockerfile.c.
 */
#include "core/common.h"
#include "core/arena.h"
#include "model/dockerfile.h"

static const char *const instr_names[HD_I_MAX] = {
	[HD_I_FROM] = "FROM",
	[HD_I_RUN] = "RUN",
	[HD_I_CMD] = "CMD",
	[HD_I_LABEL] = "LABEL",
	[HD_I_MAINTAINER] = "MAINTAINER",
	[HD_I_EXPOSE] = "EXPOSE",
	[HD_I_ENV] = "ENV",
	[HD_I_ADD] = "ADD",
	[HD_I_COPY] = "COPY",
	[HD_I_ENTRYPOINT] = "ENTRYPOINT",
	[HD_I_VOLUME] = "VOLUME",
	[HD_I_USER] = "USER",
	[HD_I_WORKDIR] = "WORKDIR",
	[HD_I_ARG] = "ARG",
	[HD_I_ONBUILD] = "ONBUILD",
	[HD_I_STOPSIGNAL] = "STOPSIGNAL",
	[HD_I_HEALTHCHECK] = "HEALTHCHECK",
	[HD_I_SHELL] = "SHELL",
	[HD_I_UNKNOWN] = "UNKNOWN",
};

const char *hd_instr_name(enum hd_instr_kind k)
{
	return (unsigned)k < HD_I_MAX ? instr_names[k] : "UNKNOWN";
}

void hd_instr_offset_pos(const struct hd_instr *in, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi;

	if (!in->n_segs) {
		*line = in->span.line;
		*col = in->span.col;
		return;
	}
	if (in->text && off > in->text_len)
		off = in->text_len;
	hi = in->n_segs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (in->seg_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = in->seg_line[lo];
	*col = in->seg_col[lo] + (uint32_t)(off - in->seg_off[lo]);
}

struct hd_span hd_instr_word_span(const struct hd_instr *in, const struct hd_word *w)
{
	struct hd_span sp;

	hd_instr_offset_pos(in, w->off, &sp.line, &sp.col);
	if (w->end > w->off) {
		hd_instr_offset_pos(in, w->end - 1, &sp.end_line, &sp.end_col);
		sp.end_col++;
	} else {
		sp.end_line = sp.line;
		sp.end_col = sp.col;
	}
	return sp;
}

const struct hd_flag *hd_instr_flag(const struct hd_instr *in, const char *name)
{
	size_t i;

	for (i = 0; in && i < in->n_flags; i++) {
		if (strcmp(in->flags[i].name, name) == 0)
			return &in->flags[i];
	}
	return NULL;
}

const struct hd_stage *hd_dockerfile_stage_of(const struct hd_dockerfile *df, size_t i)
{
	uint32_t st;

	if (!df || i >= df->n_instrs)
		return NULL;
	st = df->instrs[i].stage;
	return st < df->n_stages ? &df->stages[st] : NULL;
}

const struct hd_stage *hd_dockerfile_final_stage(const struct hd_dockerfile *df)
{
	return df && df->n_stages ? &df->stages[df->n_stages - 1] : NULL;
}

/* The latest definition of name in stage st before instruction i (ENV only when env). */
static const struct hd_var *find_def(const struct hd_dockerfile *df, uint32_t st, size_t i,
				     const char *name, bool env)
{
	size_t k = df->n_vars;

	while (k-- > 0) {
		const struct hd_var *v = &df->vars[k];

		if (v->stage != st || v->instr >= i || v->is_env != env)
			continue;
		if (strcmp(v->name, name) == 0)
			return v;
	}
	return NULL;
}

const char *hd_dockerfile_var_at(const struct hd_dockerfile *df, size_t i, const char *name)
{
	const struct hd_var *v;
	uint32_t st;
	size_t guard = 0;

	if (!df || i > df->n_instrs)
		return NULL;
	st = i < df->n_instrs ? df->instrs[i].stage : (df->n_stages ? (uint32_t)df->n_stages - 1 : (uint32_t)-1);
	if (i < df->n_instrs && df->instrs[i].kind == HD_I_FROM)
		st = (uint32_t)-1; /* FROM sees the global ARGs */
	if (st == (uint32_t)-1) {
		v = find_def(df, st, i, name, false);
		return v ? v->value : NULL;
	}
	/* ENV of this stage, then of the stages it is built on. */
	{
		uint32_t s = st;
		size_t upto = i;

		while (guard++ <= df->n_stages) {
			v = find_def(df, s, upto, name, true);
			if (v)
				return v->value;
			if (s >= df->n_stages || df->stages[s].base_stage < 0)
				break;
			s = (uint32_t)df->stages[s].base_stage;
			upto = (size_t)-1;
		}
	}
	v = find_def(df, st, i, name, false);
	return v ? v->value : NULL;
}

void hd_dockerfile_free(struct hd_dockerfile *df)
{
	size_t i;

	if (!df)
		return;
	for (i = 0; i < df->n_stages; i++)
		hd_image_ref_release(&df->stages[i].base);
	hd_suppressions_release(&df->suppress);
	if (df->arena) {
		hd_arena_release(df->arena);
		hd_free(df->arena);
	}
	hd_free(df);
}
