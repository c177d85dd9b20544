/*
 * Reporters write findings in one output format as they arrive.  They know
 * formats, nothing else: no rule logic, no parsing.  hd_reporters[] is the
 * one table; `--format NAME` picks an entry.
 *
 * A report is written in one pass, and nothing of a finding is kept once it
 * is written (SARIF keeps the set of rules used, bounded by the catalogue),
 * so memory does not grow with the number of findings:
 *
 *   hd_output_begin()    the header
 *   hd_output_add()      any number of times, each with a list of findings
 *                        (one file, one image, one audit...), in the order
 *                        they are to appear: the caller sorts them
 *   hd_output_checks()   at most once, after the last hd_output_add, when
 *                        the report was begun with opts.checks (audit
 *                        verdicts; the findings are passed again, whole)
 *   hd_output_end()      the summary and the trailer; frees the report
 *
 * A reporter is a struct hd_reporter of callbacks (begin, file, finding,
 * checks, end, release) in its own file; adding a format is one file and one line in
 * the table of report.c.
 */
#ifndef HD_REPORT_H
#define HD_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/finding.h"

/* The verdict of one check on one subject, for audit-style reports. */
enum hd_check_status {
	HD_CHECK_PASS,
	HD_CHECK_WARN,
	HD_CHECK_INFO,
	HD_CHECK_NOTE,
	HD_CHECK_SKIP,   /* could not be evaluated (say why in note) */
	HD_CHECK_STATUS_MAX
};

struct hd_check_result {
	const struct hd_rule *rule;
	const char *subject;  /* "host", "daemon", a container name, ... (borrowed) */
	enum hd_check_status status;
	const char *note;     /* borrowed; why SKIP/INFO, or NULL */
};

/*
 * A live object of an audit (a container, an image) as formats that label
 * what they count by object show it (prometheus, with cAdvisor's labels so
 * that queries can join the two): the subject of its verdicts, the object
 * of its findings, and its labels.
 */
struct hd_report_object {
	enum hd_target target; /* HD_TARGET_CONTAINER or HD_TARGET_IMAGE */
	char *subject;         /* its verdicts' subject: "container web (running)", "image busybox:1" */
	char *object;          /* its findings' object (hd_finding.object): "web", "busybox:1" */
	char *id;              /* the engine's id of it */
	char *name;            /* a container's name without the leading slash; "" for an image */
	char *image;           /* a container: the image reference it was created with
				  (Config.Image); an image: its reference */
};

/*
 * Appends an object with copies of the strings (NULL name or image: "").
 * Returns 0 or -HD_ENOMEM.  hd_report_objects_free() frees an array of them.
 */
int hd_report_object_add(struct hd_report_object **v, size_t *n, size_t *alloc, enum hd_target target,
			 const char *subject, const char *object, const char *id, const char *name,
			 const char *image);
void hd_report_objects_free(struct hd_report_object *v, size_t n);

/* One source of a vulnerability database and its age, for formats that export it. */
struct hd_report_db {
	const char *source;
	int64_t age;           /* seconds */
};

/* Vulnerabilities found in one image at one severity, fixable or not. */
struct hd_report_vulns {
	const char *image;
	enum hd_severity severity;
	bool fixable;
	uint64_t count;
};

/* What a run did besides its findings, for formats that export metrics (prometheus). */
struct hd_report_run {
	bool engine_checked;   /* the run used (or tried to use) an engine */
	bool engine_up;        /* ... and the engine answered */
	bool has_time;         /* finished and duration are set */
	double finished;       /* when the audit ended, unix seconds */
	double duration;       /* how long it took, seconds */
	const struct hd_report_db *dbs;       /* vulnerability databases used */
	size_t n_dbs;
	const struct hd_report_vulns *vulns;  /* vulnerability counts per image */
	size_t n_vulns;
};

/* What a report is of, fixed when it begins. */
struct hd_output_opts {
	const char *command;  /* "lint", "audit host", ... (borrowed; in headers and suite names) */
	bool color;           /* ANSI colours (text formats; the caller decides: TTY, NO_COLOR) */
	bool quiet;           /* findings only: no summary, no source lines */
	bool checks;          /* hd_output_checks() will be called: an audit-style report */
	/* Provenance, for formats that show it (html); all borrowed, all optional. */
	const char *const *inputs; /* what was linted or audited: paths, images, "host" */
	size_t n_inputs;
	bool has_time;        /* generated_at is set (SOURCE_DATE_EPOCH, or now) */
	int64_t generated_at; /* seconds since the epoch */
	bool has_db_age;      /* db_age is set: a vulnerability database was used */
	int64_t db_age;       /* its age in seconds */
	const char *docs_base;/* URL prefix of the rule pages ("<base><id>.md"); NULL: HD_DOCS_BASE */
	/* Live objects of an audit and the run, for formats that label by object; borrowed. */
	const struct hd_report_object *objects;
	size_t n_objects;
	const struct hd_report_run *run; /* NULL: nothing known of the run */
};

/* Where the rule pages are published: docs/rules/<domain>/<slug>.md of the repository. */
#define HD_DOCS_BASE "https://github.com/hardock/hardock/blob/main/docs/rules/"

struct hd_output;

/* Whether a format shows the source line of a finding (struct hd_finding.snippet). */
enum hd_snippets {
	HD_SNIPPETS_NO,
	HD_SNIPPETS_YES,
	HD_SNIPPETS_UNLESS_QUIET,
};

struct hd_reporter {
	const char *name;
	const char *help;     /* a few words for --help and the man page */
	bool replace_file;    /* -o FILE is written to a temporary file renamed over FILE at the
				 end, so that a reader (node_exporter's textfile collector) never
				 sees half of it */
	enum hd_snippets snippets; /* drivers attach source lines only when the format shows them */
	size_t state_size;    /* bytes of the format's own state, zeroed, at r->state */
	/* Each returns 0 or a negative HD_E*; NULL callbacks are skipped. */
	int (*begin)(struct hd_output *r);
	/* The next n findings are those of `name` (a file, or a live object; NULL: neither). */
	int (*file)(struct hd_output *r, const char *name, size_t n);
	int (*finding)(struct hd_output *r, const struct hd_finding *f);
	/* The verdicts of an audit; `all` is every finding reported before. */
	int (*checks)(struct hd_output *r, const struct hd_check_result *c, size_t n,
		      const struct hd_findings *all);
	int (*end)(struct hd_output *r);
	/* Frees what the state holds; called by hd_output_end even after an error. */
	void (*release)(struct hd_output *r);
};

extern const struct hd_reporter *const hd_reporters[];
extern const size_t hd_reporter_count;
const struct hd_reporter *hd_reporter_find(const char *name);
/* Whether findings written by rep (quiet or not) should carry their source line. */
bool hd_reporter_wants_snippets(const struct hd_reporter *rep, bool quiet);

/*
 * Begins a report in format rep on out (not closed by the report).  The
 * report borrows opts->command.  Returns 0 and *ret, or a negative HD_E*.
 */
int hd_output_begin(const struct hd_reporter *rep, FILE *out, const struct hd_output_opts *opts,
		    struct hd_output **ret);
/*
 * Writes the findings of f in their order.  Formats that group (JUnit's
 * suites) group each run of findings of one file (or object) in this call,
 * so give a file's findings in one call.  0 or the first error of the report.
 */
int hd_output_add(struct hd_output *r, const struct hd_findings *f);
/* Writes an audit's verdicts; `all` holds every finding added before. */
int hd_output_checks(struct hd_output *r, const struct hd_check_result *c, size_t n,
		     const struct hd_findings *all);
/*
 * Writes the summary (files_scanned files, when not 0) and the trailer,
 * flushes, and frees r (NULL is accepted).  Returns 0 or the first error met
 * by any call on the report (-HD_EIO when a write failed).
 */
int hd_output_end(struct hd_output *r, size_t files_scanned);

#endif
