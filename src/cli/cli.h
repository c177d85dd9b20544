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
#include "core/status.h"
#include "cli/options.h"
#include "report/report.h"

enum { HD_EXIT_OK = 0, HD_EXIT_FINDINGS = 1, HD_EXIT_ERROR = 2 };

enum hd_cmd_flags {
	HD_CMD_NEED_CONFIG = 1u << 0, /* load .hardock.yaml before running */
	HD_CMD_NEED_ENGINE = 1u << 1,
};

struct hd_cmd_doc;

struct hd_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned flags;
	const char *summary;            /* one line for `hardock help` */
	const struct hd_cmd_doc *doc;   /* usage, description and option table (cli/options.h):
					 * --help, `hardock help CMD` and the man page come from it */
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
	struct hd_config cli;  /* the command-line settings alone (filled by hd_out_opts_load_config),
				* applied over every directory's config files by commands that
				* find them per directory (lint) */
	const char *config_from; /* directory the config is looked for from upward; NULL: "." */
	char *docs_url;        /* --docs-url, ending in '/' (owned), or NULL: HD_DOCS_BASE */
	char **inputs;         /* what the command reads, for the report's provenance (borrowed) */
	size_t n_inputs;
	/* For formats that label by object or export the run (prometheus); borrowed, optional. */
	const struct hd_report_object *objects;
	size_t n_objects;
	const struct hd_report_run *run;
};

/*
 * The output options' table (cli/options.h), included by the option table
 * of every command that reports findings:
 *   HD_OPT_INCLUDE(hd_out_options, HD_OFF(struct my_args, out)),
 */
extern const struct hd_option hd_out_options[];

void hd_out_opts_init(struct hd_out_opts *o);
void hd_out_opts_release(struct hd_out_opts *o);
/*
 * For a command that still parses by hand: parses the output option at
 * argv[*i]; returns 1 if it consumed it (and maybe its argument, advancing
 * *i), 0 if unknown, -1 on a usage error (message printed).
 */
int hd_out_opt_parse(struct hd_out_opts *o, int argc, char **argv, int *i);
/*
 * The engine options as the docker CLI takes them (-H, --context, --tls*),
 * over a struct hd_engine_opts: HD_OPT_INCLUDE(hd_engine_options, off).
 * hd_engine_opts_given() says whether any was given.
 */
struct hd_engine_opts;
extern const struct hd_option hd_engine_options[];
bool hd_engine_opts_given(const struct hd_engine_opts *e);

/* Loads --config or discovers .hardock.yaml; prints errors; 0 or HD_EXIT_ERROR. */
int hd_out_opts_load_config(struct hd_out_opts *o);
/* The output options' help text, for a command that prints its help by hand. */
extern const char hd_out_opts_help[];

/*
 * The one exit-code policy of every command that reports findings: 2 when
 * the run failed (st->failed: unreadable explicit input, unreachable engine,
 * internal error) or a finding has severity error (input that could not be
 * parsed), 1 when a finding is at or above fail_on (never for "none"), else
 * 0.
 */
int hd_cli_exit_code(const struct hd_run_status *st, enum hd_severity fail_on);

/*
 * A report streamed to --output (or standard output) in --format, as the
 * findings arrive: begin, add (any number of times; findings in the order
 * they are to appear), checks (audits, once), end.  begin and end print
 * their errors and return 0 or HD_EXIT_ERROR; end also counts into
 * st->counts what was reported.
 */
struct hd_cli_report {
	struct hd_out_opts *o;
	struct hd_output *rep;
	FILE *out;
	char *tmp;             /* the temporary file renamed over --output at the end, or NULL */
};
int hd_cli_report_begin(struct hd_cli_report *cr, struct hd_out_opts *o, const char *command,
			bool checks);
/* Returns 0 or a negative HD_E* (a write error: stop adding, end reports it). */
int hd_cli_report_add(struct hd_cli_report *cr, const struct hd_findings *f);
int hd_cli_report_checks(struct hd_cli_report *cr, const struct hd_check_result *c, size_t n,
			 const struct hd_findings *all);
int hd_cli_report_end(struct hd_cli_report *cr, size_t files_scanned);

/*
 * All at once: sorts f, writes the report, and returns the exit code
 * (hd_cli_exit_code over f; `failed` as st->failed).
 */
int hd_cli_report(struct hd_out_opts *o, const char *command, struct hd_findings *f,
		  const struct hd_check_result *checks, size_t n_checks, size_t files_scanned);

/* Prints "hardock: <msg>" to stderr. */
void hd_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
