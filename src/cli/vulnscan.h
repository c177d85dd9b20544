/*
 * What `hardock image` (archives, layouts, engine images, --rootfs) and
 * `hardock audit --vulns` share about packages and vulnerabilities: the
 * database location (--db, else $HARDOCK_DB, else ~/.cache/hardock/db), its
 * age stated on every scan (--max-db-age warns, --fail-on-stale-db fails),
 * matching with the notes said on stderr, and writing an SBOM.  Implemented
 * in cmd_db.c; these functions print their own errors (they are CLI code).
 */
#ifndef HD_CLI_VULNSCAN_H
#define HD_CLI_VULNSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "model/package.h"

struct hd_config;
struct hd_vdb;
struct hd_vuln_result;

#define HD_DEFAULT_MAX_DB_AGE_DAYS 7

struct hd_vuln_cli {
	const char *db;          /* --db DIR, or NULL */
	bool ignore_unfixed, show_minor, fail_stale;
	long max_age_days;       /* --max-db-age (set by hd_vuln_cli_init) */
	struct hd_vdb *vdb;      /* open after hd_vuln_cli_open() */
	char *dir;               /* the database directory */
	int64_t now;
};

void hd_vuln_cli_init(struct hd_vuln_cli *v);
/* --db, --ignore-unfixed, --show-minor, --max-db-age, --fail-on-stale-db: include at a struct hd_vuln_cli. */
struct hd_option;
extern const struct hd_option hd_vuln_options[];
/* Opens the database and says its age on stderr; -1 after printing why it cannot be used. */
int hd_vuln_cli_open(struct hd_vuln_cli *v);
/*
 * Matches pk (named what in notes) under cfg's ignore list into res
 * (zeroed by the caller); the notes (expired ignore entries, ecosystems
 * without data) and what was hidden go to stderr.  -1 after printing an error.
 */
int hd_vuln_cli_match(struct hd_vuln_cli *v, const char *what, const struct hd_packages *pk,
		      const struct hd_config *cfg, struct hd_vuln_result *res);
void hd_vuln_cli_close(struct hd_vuln_cli *v);

/* --db, else $HARDOCK_DB, else ~/.cache/hardock/db (a new string; NULL on OOM). */
char *hd_vuln_db_dir(const char *opt);

/* The SBOM format of a name (cyclonedx, spdx); prints the error and returns -1 when unknown. */
int hd_sbom_cli_format(const char *name);
/*
 * Writes pk's SBOM in format fmt (hd_sbom_cli_format) to path, or standard
 * output when path is NULL; name is the subject.  -1 after printing an error.
 */
int hd_sbom_cli_write(int fmt, const char *path, const struct hd_packages *pk, const char *name);

#endif
