/*
 * libFuzzer target for the shell splitter: the input is split as shell
 * text, and every command and word is checked against the input (offsets in
 * range and ordered, depth bounded) and run through the command helpers.
 */
#include "core/common.h"
#include "model/shell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_word(const struct hd_word *w, size_t size)
{
	if (!w->text || w->off > w->end || w->end > size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_shell sh;
	size_t i, j;

	if (hd_shell_split((const char *)data, size, &sh) < 0)
		return 0;
	for (i = 0; i < sh.n_cmds; i++) {
		const struct hd_cmd *c = &sh.cmds[i];

		if (c->depth > HD_MAX_SHELL_DEPTH || c->off > size || c->end > size)
			abort();
		if ((unsigned)c->sep > HD_SEP_BG)
			abort();
		for (j = 0; j < c->argc; j++)
			check_word(&c->argv[j], size);
		for (j = 0; j < c->n_assigns; j++)
			check_word(&c->assigns[j], size);
		for (j = 0; j < c->n_redirs; j++) {
			if (!c->redirs[j].op)
				abort();
			check_word(&c->redirs[j].target, size);
		}
		(void)hd_cmd_name(c);
		(void)hd_cmd_has_arg(c, "-y");
		(void)hd_cmd_has_opt(c, 'y', "yes");
	}
	if (sh.incomplete && (!sh.error || sh.error_off > size))
		abort();
	hd_shell_release(&sh);
	return 0;
}
