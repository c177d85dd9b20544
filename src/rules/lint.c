/*
 * Rules reported by the lint driver itself rather than by a check: input that
 * cannot be read or parsed.  They have no check function and cannot be
 * suppressed inline.
 */
#include "core/common.h"
#include "core/rule.h"

const struct hd_rule hd_rule_lint_read_error = {
	.id = "lint/read-error",
	.title = "Input file cannot be read",
	.severity = HD_SEV_ERROR,
	.target = HD_TARGET_DOCKERFILE,
	.flags = HD_RULE_NO_IGNORE,
	.rationale = "A file that cannot be read cannot be checked; a silent skip would hide it "
		     "from the report, so it is an error that makes the run exit 2.",
	.remediation = "Check the path and its permissions, or exclude it with .gitignore.",
};

const struct hd_rule hd_rule_lint_unknown_kind = {
	.id = "lint/unknown-kind",
	.title = "File named for linting is neither a Dockerfile nor a compose file",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.flags = HD_RULE_NO_IGNORE,
	.rationale = "A file named on the command line (or standard input) was not checked: its name "
		     "is not one hardock lints (Dockerfile, Containerfile, *.Dockerfile, compose.yaml, a "
		     "shell script, a Makefile, a workflow, Markdown...), or its content does not open "
		     "like one (a Dockerfile's first instruction, a compose file's services:, include: or "
		     "version: key). Guessing would report dozens of parse errors for a JavaScript or SVG "
		     "file, each quoting a line of it; the file is reported once instead, and none of its "
		     "lines are shown.",
	.remediation = "Name the kind when the file is one: `hardock lint --kind dockerfile build/app.docker`, "
		       "or leave the file out of the command line.",
	.bad_example = NULL,
	.good_example = NULL,
};

const struct hd_rule hd_rule_df_parse_error = {
	.id = "dockerfile/parse-error",
	.title = "Dockerfile cannot be parsed",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.flags = HD_RULE_NO_IGNORE,
	.hadolint = "DL1000",
	.rationale = "BuildKit refuses a Dockerfile with a syntax error, and rules cannot judge what "
		     "could not be read. The finding names the line, the column and what was expected; "
		     "the rest of the file is still checked where it could be parsed. It is a finding "
		     "(high: the run exits 1), not a tool error.",
	.remediation = "Fix the syntax at the position shown, e.g. give FROM an image: `FROM alpine:3.20`.",
	.bad_example = NULL,
	.good_example = NULL,
};
