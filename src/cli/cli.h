/*
 * The command-line front end: the command table and what commands share
 * (output options, config loading, exit codes).  Only cli/ prints and picks
 * exit codes; the library below never does.
 *
 * Exit codes: 0 no finding at or above the threshold, 1 findings, 2 usage,
 * config or input error (including unparseable input and an unreachable
 * engine when one is required).
 */
#ifndef HD_CLI_H
#define HD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "core/finding.h"
#include "report/report.h"

enum { HD_EXIT_OK = 0, HD_EXIT_FINDINGS = 1, HD_EXIT_ERROR = 2 };

enum hd_cmd_flags {
	HD_CMD_NEED_CONFIG = 1u << 0, /* load .hardock.yaml before running */
	HD_CMD_NEED_ENGINE = 1u << 1,
};

struct hd_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned flags;
	const char *summary; /* one line for `hardock help` */
};

extern const struct hd_cmd hd_commands[];
extern const size_t hd_command_count;

/* Options shared by commands that report findings (lint, audit, image). */
struct hd_out_opts {
	const char *format;    /* text (default), json, sarif, junit, github, gnu */
	const char *output;    /* file or NULL for stdout */
	const char *config;    /* --config FILE */
	int color;             /* -1 auto (TTY and no NO_COLOR), 0 never, 1 always */
	bool quiet;
	struct hd_config cfg;  /* loaded config + command-line overrides */
};

/*
 * Shared option handling.  hd_out_opt_parse() is called for each option a
 * command does not know itself: returns 1 if it consumed the option (and
 * maybe its argument, advancing *i), 0 if unknown, -1 on a usage error
 * (message printed).
 */
void hd_out_opts_init(struct hd_out_opts *o);
void hd_out_opts_release(struct hd_out_opts *o);
int hd_out_opt_parse(struct hd_out_opts *o, int argc, char **argv, int *i);
/* Loads --config or discovers .hardock.yaml; prints errors; 0 or HD_EXIT_ERROR. */
int hd_out_opts_load_config(struct hd_out_opts *o);
/* The shared options' help text (for --help of commands). */
extern const char hd_out_opts_help[];

/*
 * Sorts, writes the report, and returns the exit code: 2 when a finding has
 * severity error, 1 when one is at or above the threshold, else 0.
 */
int hd_cli_report(struct hd_out_opts *o, const char *command, struct hd_findings *f,
		  const struct hd_check_result *checks, size_t n_checks, size_t files_scanned);

/*
 * Streaming reports for the line formats (text, gnu, github): each file's
 * findings are printed as soon as they are known, so memory does not grow
 * with the number of files.  begin returns 0 or HD_EXIT_ERROR; end prints the
 * summary and returns the exit code like hd_cli_report.
 */
struct hd_stream {
	struct hd_out_opts *o;
	const struct hd_reporter *rep;
	FILE *out;
	bool color;
	size_t counts[HD_SEV_MAX];
	int err;
};
bool hd_cli_can_stream(const struct hd_out_opts *o);
int hd_cli_stream_begin(struct hd_stream *s, struct hd_out_opts *o);
int hd_cli_stream_file(struct hd_stream *s, struct hd_findings *f);
int hd_cli_stream_end(struct hd_stream *s, const char *command, size_t files_scanned);

/* Prints "hardock: <msg>" to stderr. */
void hd_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
