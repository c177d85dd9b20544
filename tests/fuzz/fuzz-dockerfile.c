/*
 * libFuzzer target for the Dockerfile parser: the input is parsed as a
 * Dockerfile (no path, so no disk access), then the whole model is walked
 * and its invariants checked: spans inside the file, words mapped back to
 * positions, stage links pointing backwards, variables looked up at every
 * instruction.  Any violation aborts.
 */
#include "core/common.h"
#include "model/dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(const struct hd_dockerfile *df, struct hd_span s)
{
	if (s.line == 0 || s.line > df->n_lines + 1 || s.end_line < s.line || s.end_line > df->n_lines + 1)
		abort();
}

static void walk_instr(const struct hd_dockerfile *df, const struct hd_instr *in, size_t idx)
{
	size_t i, j;

	check_span(df, in->span);
	if ((unsigned)in->kind >= HD_I_MAX || !in->keyword)
		abort();
	for (i = 0; i < in->n_flags; i++) {
		check_span(df, in->flags[i].span);
		if (!in->flags[i].name || (in->flags[i].value && !in->flags[i].expanded))
			abort();
		(void)hd_instr_flag(in, in->flags[i].name);
	}
	for (i = 0; i < in->n_args; i++) {
		check_span(df, in->args[i].span);
		if (!in->args[i].raw || !in->args[i].value)
			abort();
	}
	for (i = 0; i < in->n_kvs; i++) {
		check_span(df, in->kvs[i].span);
		if (!in->kvs[i].key || (in->kvs[i].value && !in->kvs[i].expanded))
			abort();
		(void)hd_dockerfile_var_at(df, idx, in->kvs[i].key);
	}
	for (i = 0; i < in->n_heredocs; i++) {
		if (!in->heredocs[i].delim || !in->heredocs[i].body)
			abort();
	}
	if (in->shell) {
		size_t len = strlen(in->text);

		for (i = 0; i < in->shell->n_cmds; i++) {
			const struct hd_cmd *c = &in->shell->cmds[i];

			if (c->depth > HD_MAX_SHELL_DEPTH)
				abort();
			(void)hd_cmd_name(c);
			for (j = 0; j < c->argc; j++) {
				struct hd_span s;

				if (c->argv[j].off > c->argv[j].end || c->argv[j].end > len)
					abort();
				s = hd_instr_word_span(in, &c->argv[j]);
				check_span(df, s);
			}
		}
	}
	if (in->onbuild)
		walk_instr(df, in->onbuild, idx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_dockerfile *df = NULL;
	size_t i;

	if (hd_dockerfile_parse(NULL, (const char *)data, size, &df) < 0)
		return 0;
	for (i = 0; i < df->n_instrs; i++)
		walk_instr(df, &df->instrs[i], i);
	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *s = &df->stages[i];

		if (s->base_stage >= (int32_t)i || s->first > s->last + 1 || s->from >= df->n_instrs)
			abort();
		if (s->last_user >= (ssize_t)df->n_instrs || s->healthcheck >= (ssize_t)df->n_instrs)
			abort();
	}
	for (i = 0; i < df->n_errors; i++) {
		if (!df->errors[i].msg || df->errors[i].line == 0)
			abort();
	}
	(void)hd_dockerfile_var_at(df, df->n_instrs, "PATH");
	hd_dockerfile_free(df);
	return 0;
}
