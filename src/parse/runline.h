/*
 * The `docker run` line parser: turns the words of one `docker run|create`,
 * `docker container run|create`, `docker service create` or `podman
 * run|create` command into a container_spec, with the flag grammar of the
 * docker CLI (pflag): `--flag=value`, `--flag value`, short bundles (`-itd`,
 * `-dp 80:80`), attached short values (`-m128m`), booleans with `=false`,
 * repeated flags, `--` and the first positional word as the image.
 *
 * The words come from the shell splitter (model/shell.h) with their file
 * positions already mapped by the caller, so every setting's origin points
 * at the word that set it.  Words holding a variable or a substitution are
 * kept as written and marked unknown in the spec: the parser never guesses a
 * value it cannot know.  Unknown flags and values docker would refuse go to
 * the spec's unknown_options / invalid_options for the rules to report; the
 * parser itself never fails on input.
 *
 * Ownership: words are borrowed for the duration of the call; the spec owns
 * what the parser adds to it.
 */
#ifndef HD_PARSE_RUNLINE_H
#define HD_PARSE_RUNLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/container.h"

/* One shell word of a command, after quote removal, with its place in the file. */
struct hd_run_word {
	const char *text;
	uint32_t line, col; /* 1-based position of the word's first byte in the file */
	unsigned flags;     /* enum hd_word_flags of model/shell.h */
};

enum hd_run_tool { HD_RUN_TOOL_DOCKER, HD_RUN_TOOL_PODMAN };

enum hd_run_verb {
	HD_RUN_VERB_RUN,            /* docker run, docker container run, podman run */
	HD_RUN_VERB_CREATE,         /* docker create, docker container create, podman create */
	HD_RUN_VERB_SERVICE_CREATE, /* docker service create */
};

struct hd_run_match {
	enum hd_run_tool tool;
	enum hd_run_verb verb;
	size_t tool_at; /* index of the docker/podman word */
	size_t verb_at; /* index of the verb word ("run", "create") */
	size_t args_at; /* index of the first word after the verb */
};

/*
 * Recognises a container-creating invocation in w[0..n): wrappers are
 * skipped (sudo and doas with their options, env with its options and
 * NAME=value words, command, exec, nohup, nice, ionice, time, timeout,
 * stdbuf, setsid, chronic), then docker or podman (any directory, or a
 * variable named like $DOCKER / ${PODMAN_BIN}) with its global options, then
 * the verb.  Fills *m and returns true on a match.
 */
bool hd_runline_match(const struct hd_run_word *w, size_t n, struct hd_run_match *m);

/*
 * Parses the options, image and command of a matched invocation into c
 * (created by the caller with its name and file; c->at is set to the
 * docker word when the caller left it at line 0).  Returns 0, or
 * -HD_ENOMEM; bad input never fails.
 */
int hd_runline_parse(const struct hd_run_word *w, size_t n, const struct hd_run_match *m,
		     struct hd_container_spec *c);

/* The verb as a phrase for names and messages: "docker run", "podman create", ... */
const char *hd_run_verb_name(const struct hd_run_match *m);

#endif
