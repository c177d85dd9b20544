/*
 * `hardock db update|import|status`: the local vulnerability database
 * (src/vuln/db.h), and `hardock image --rootfs DIR`: the package catalogue
 * of an unpacked root filesystem as an SBOM, and its vulnerabilities
 * through the rule image/vulnerable-package; and the helpers of
 * cli/vulnscan.h that `hardock image` and `hardock audit --vulns` share.
 *
 * The database lives in --db DIR, else $HARDOCK_DB, else
 * ~/.cache/hardock/db.  Only `db update` uses the network.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/finding.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/vulnscan.h"
#include "model/image.h"
#include "vuln/catalog.h"
#include "vuln/db.h"
#include "vuln/fetch.h"
#include "vuln/match.h"
#include "vuln/sbom.h"

#include <jansson.h>
#include <time.h>


static const char db_usage[] =
	"usage: hardock db update [--db DIR] [--feed URL]... [--timeout SECONDS]\n"
	"       hardock db import [--db DIR] FILE|DIR...\n"
	"       hardock db status [--db DIR] [--format text|json]\n"
	"\n"
	"The local vulnerability database that scans read (they never use the network).\n"
	"  update   fetches the feeds (default: the Debian Security Tracker, Alpine's\n"
	"           secdb for v3.18-v3.21, OSV's npm, PyPI, Go and Maven exports) and\n"
	"           imports them; --feed URL replaces the defaults (repeatable)\n"
	"  import   imports feed files fetched elsewhere (or every file under DIR): the\n"
	"           Debian tracker JSON, Alpine secdb JSON or YAML, OSV records (JSON)\n"
	"           or an OSV all.zip, told apart by their content\n"
	"  status   lists each source with its record count and age\n"
	"An update or import is one transaction: a feed that cannot be read leaves the\n"
	"database as it was.  Importing a feed replaces what the same source gave\n"
	"before; single OSV records replace the record of the same id.\n"
	"\n"
	"options:\n"
	"      --db DIR          the database directory (default: $HARDOCK_DB, else\n"
	"                        ~/.cache/hardock/db)\n"
	"      --feed URL        a feed to fetch instead of the defaults (repeatable)\n"
	"      --timeout SECONDS the time allowed for each download (default 600)\n"
	"  -f, --format FMT      status as text (default) or json\n"
	"  -h, --help            show this help\n";

static const char image_usage[] =
	"usage: hardock image --rootfs DIR [--sbom cyclonedx|spdx] [--vulns] [options]\n"
	"\n"
	"Catalogues the packages of the root filesystem unpacked in DIR: dpkg, apk and\n"
	"rpm packages with their source package, npm, Python, Go and Java packages\n"
	"(those whose files an OS package owns are not listed twice).  Symbolic links\n"
	"are never followed.\n"
	"  --sbom FORMAT   writes an SBOM to -o FILE, else standard output; its\n"
	"                  timestamp is SOURCE_DATE_EPOCH when set\n"
	"  --vulns         reports the packages' known vulnerabilities from the local\n"
	"                  database (rule image/vulnerable-package); with --sbom, -o\n"
	"                  FILE is required (for the SBOM) and the report goes to\n"
	"                  standard output\n"
	"Without either, lists the packages one a line.\n"
	"\n"
	"options:\n"
	"      --rootfs DIR          the root filesystem to catalogue\n"
	"      --sbom FORMAT         cyclonedx (CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON)\n"
	"      --vulns               match the packages against the vulnerability database\n"
	"      --db DIR              the database directory (default: $HARDOCK_DB, else\n"
	"                            ~/.cache/hardock/db)\n"
	"      --ignore-unfixed      hide vulnerabilities that have no fix yet\n"
	"      --show-minor          show what the distribution judges minor (Debian's\n"
	"                            unimportant, ignored and postponed issues)\n"
	"      --max-db-age DAYS     warn when the database is older (default 7)\n"
	"      --fail-on-stale-db    make an older database an error (exit 2)\n";

/* --name VALUE or --name=VALUE; 1 matched, 0 not, -1 missing value. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n])
		return 0;
	if (*i + 1 >= argc) {
		hd_cli_error("option '%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

char *hd_vuln_db_dir(const char *opt)
{
	const char *env = getenv("HARDOCK_DB"), *home = getenv("HOME");

	if (opt)
		return hd_strdup(opt);
	if (env && *env)
		return hd_strdup(env);
	return hd_asprintf("%s/.cache/hardock/db", home && *home ? home : ".");
}

static void print_diag(const char *what, int r, const struct hd_diag *d)
{
	if (d->msg && d->file && d->line)
		hd_cli_error("%s: %s:%u: %s", what, d->file, d->line, d->msg);
	else if (d->msg && d->file)
		hd_cli_error("%s: %s: %s", what, d->file, d->msg);
	else if (d->msg)
		hd_cli_error("%s: %s", what, d->msg);
	else
		hd_cli_error("%s: %s", what, hd_strerror(r));
}

static int open_db(const char *dir, bool create, struct hd_vdb **db)
{
	struct hd_diag d = { 0 };
	int r = hd_vdb_open(dir, create, db, &d);

	if (r == -HD_ENOENT)
		hd_cli_error("no vulnerability database in '%s': run 'hardock db update', or 'hardock db import "
			     "FILE' with feeds fetched elsewhere", dir);
	else if (r < 0)
		print_diag("cannot open the vulnerability database", r, &d);
	hd_diag_release(&d);
	return r;
}

static void format_age(int64_t s, char *buf, size_t n)
{
	if (s < 0)
		snprintf(buf, n, "unknown");
	else if (s < 3600)
		snprintf(buf, n, "%" PRId64 " minutes", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, n, "%" PRId64 " hours", s / 3600);
	else
		snprintf(buf, n, "%" PRId64 " days", s / 86400);
}

/* ---- db import / update ------------------------------------------------ */

static int finish_import(struct hd_vdb *db, struct hd_vdb_import *im, const char *dir)
{
	struct hd_diag d = { 0 };
	char *const *skipped;
	size_t ns, nr, nk, i;
	int r;

	hd_vdb_import_counts(im, &ns, &nr);
	hd_vdb_import_skipped(im, &skipped, &nk);
	for (i = 0; i < nk; i++)
		fprintf(stderr, "hardock: skipped '%s': not a feed this version reads\n", skipped[i]);
	r = hd_vdb_import_commit(im, &d);
	if (r < 0) {
		print_diag("import failed; the database is unchanged", r, &d);
		hd_diag_release(&d);
		return HD_EXIT_ERROR;
	}
	fprintf(stderr, "hardock: imported %zu records from %zu sources into '%s/%s'\n", nr, ns, dir, HD_VDB_FILE);
	(void)db;
	return HD_EXIT_OK;
}

/* One item of an import: a path (import) or a URL (update). */
static int import_one(struct hd_vdb_import *im, const char *item, bool fetch, long timeout, struct hd_diag *d)
{
	struct hd_buf b = HD_BUF_INIT(HD_MAX_FEED_FILE);
	int64_t mtime = 0;
	int r;

	if (!fetch)
		return hd_vdb_import_path(im, item, d);
	fprintf(stderr, "hardock: fetching %s\n", item);
	r = hd_fetch(item, &b, &mtime, timeout, d);
	if (r == 0)
		r = hd_vdb_import_bytes(im, item, b.buf, b.len, mtime ? mtime : (int64_t)time(NULL), d);
	hd_buf_release(&b);
	return r;
}

/* Imports every item in one transaction: all of them, or nothing. */
static int db_import(const char *dir, const char *const *items, size_t n, bool fetch, long timeout)
{
	struct hd_vdb *db = NULL;
	struct hd_vdb_import *im = NULL;
	struct hd_diag d = { 0 };
	size_t i;
	int r, code = HD_EXIT_ERROR;

	if (n == 0) {
		hd_cli_error("db import: name the feed files or directories to import");
		return HD_EXIT_ERROR;
	}
	if (open_db(dir, true, &db) < 0)
		return HD_EXIT_ERROR;
	r = hd_vdb_import_begin(db, &im);
	for (i = 0; r == 0 && i < n; i++)
		r = import_one(im, items[i], fetch, timeout, &d);
	if (r < 0) {
		print_diag(fetch ? "update failed; the database is unchanged" : "import failed; the database is unchanged",
			   r, &d);
		hd_vdb_import_abort(im);
	} else {
		code = finish_import(db, im, dir);
	}
	hd_diag_release(&d);
	hd_vdb_close(db);
	return code;
}

static int db_status(const char *dir, bool json)
{
	struct hd_vdb *db = NULL;
	struct hd_vdb_source *v = NULL;
	size_t n = 0, i;
	int64_t now = (int64_t)time(NULL);
	int code = HD_EXIT_OK;

	if (open_db(dir, false, &db) < 0)
		return HD_EXIT_ERROR;
	if (hd_vdb_sources(db, &v, &n) < 0) {
		hd_cli_error("cannot read the vulnerability database in '%s'", dir);
		hd_vdb_close(db);
		return HD_EXIT_ERROR;
	}
	if (json) {
		json_t *a = json_array();

		for (i = 0; a && i < n; i++) {
			int64_t t = v[i].feed_time ? v[i].feed_time : v[i].imported_at;

			json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:I, s:I, s:I, s:I}", "name", v[i].name,
							   "format", v[i].format, "origin", v[i].origin, "records",
							   (json_int_t)v[i].records, "imported_at",
							   (json_int_t)v[i].imported_at, "feed_time", (json_int_t)v[i].feed_time,
							   "age_seconds", (json_int_t)(now > t ? now - t : 0)));
		}
		if (!a || json_dumpf(a, stdout, JSON_INDENT(2)) != 0)
			code = HD_EXIT_ERROR;
		putchar('\n');
		json_decref(a);
	} else {
		printf("%s/%s\n", dir, HD_VDB_FILE);
		printf("%-32s %10s  %-12s %s\n", "SOURCE", "RECORDS", "AGE", "ORIGIN");
		for (i = 0; i < n; i++) {
			char age[64];
			int64_t t = v[i].feed_time ? v[i].feed_time : v[i].imported_at;

			format_age(now > t ? now - t : 0, age, sizeof(age));
			printf("%-32s %10" PRId64 "  %-12s %s\n", v[i].name, v[i].records, age,
			       v[i].origin ? v[i].origin : "");
		}
		if (n == 0)
			printf("(empty: run 'hardock db update' or 'hardock db import FILE')\n");
	}
	hd_vdb_sources_free(v, n);
	hd_vdb_close(db);
	return code;
}

int hd_cmd_db(int argc, char **argv)
{
	const char *dbopt = NULL, *v, *format = "text", *sub;
	const char **feeds = NULL;
	char **paths = NULL, *dir;
	size_t n_feeds = 0, n_paths = 0, alloc_f = 0, alloc_p = 0;
	int64_t timeout = 600;
	int i, m, code = HD_EXIT_ERROR;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(db_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HD_EXIT_ERROR : HD_EXIT_OK;
	}
	sub = argv[1];
	if (strcmp(sub, "update") && strcmp(sub, "import") && strcmp(sub, "status")) {
		hd_cli_error("unknown db command '%s': expected update, import or status", sub);
		return HD_EXIT_ERROR;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(db_usage, stdout);
			code = HD_EXIT_OK;
			goto out;
		}
		if ((m = opt_value(argc, argv, &i, "--db", &v)) != 0) {
			if (m < 0)
				goto out;
			dbopt = v;
		} else if (!strcmp(sub, "update") && (m = opt_value(argc, argv, &i, "--feed", &v)) != 0) {
			if (m < 0 || HD_GROW(feeds, alloc_f, n_feeds + 1) < 0)
				goto out;
			feeds[n_feeds++] = v;
		} else if (!strcmp(sub, "update") && (m = opt_value(argc, argv, &i, "--timeout", &v)) != 0) {
			if (m < 0)
				goto out;
			if (hd_parse_i64(v, 1, 86400, &timeout) < 0) {
				hd_cli_error("--timeout expects seconds from 1 to 86400, got '%s'", v);
				goto out;
			}
		} else if (!strcmp(sub, "status") && ((m = opt_value(argc, argv, &i, "--format", &v)) != 0 ||
						      (m = opt_value(argc, argv, &i, "-f", &v)) != 0)) {
			if (m < 0)
				goto out;
			if (strcmp(v, "text") && strcmp(v, "json")) {
				hd_cli_error("unknown format '%s' for db status: expected text or json", v);
				goto out;
			}
			format = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			hd_cli_error("unknown option '%s' for db %s; see 'hardock db --help'", argv[i], sub);
			goto out;
		} else if (!strcmp(sub, "import")) {
			if (HD_GROW(paths, alloc_p, n_paths + 1) < 0)
				goto out;
			paths[n_paths++] = argv[i];
		} else {
			hd_cli_error("db %s takes no argument '%s'", sub, argv[i]);
			goto out;
		}
	}
	dir = hd_vuln_db_dir(dbopt);
	if (!dir) {
		hd_cli_error("%s", hd_strerror(-HD_ENOMEM));
		goto out;
	}
	if (!strcmp(sub, "import")) {
		code = db_import(dir, (const char *const *)paths, n_paths, false, 0);
	} else if (!strcmp(sub, "update")) {
		if (n_feeds == 0) {
			while (hd_default_feeds[n_feeds])
				n_feeds++;
			code = db_import(dir, hd_default_feeds, n_feeds, true, (long)timeout);
		} else {
			code = db_import(dir, feeds, n_feeds, true, (long)timeout);
		}
	}
	else {
		code = db_status(dir, !strcmp(format, "json"));
	}
	hd_free(dir);
out:
	hd_free(feeds);
	hd_free(paths);
	return code;
}

/* ---- image --rootfs ---------------------------------------------------- */

/* SOURCE_DATE_EPOCH (reproducible builds) or the current time. */
static int64_t sbom_time(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	int64_t t;

	if (s && hd_parse_i64(s, 0, INT64_C(253402300799), &t) == 0)
		return t;
	return (int64_t)time(NULL);
}

static int write_list(FILE *out, const struct hd_packages *pk)
{
	size_t i;

	for (i = 0; i < pk->n; i++) {
		const struct hd_package *p = &pk->v[i];

		fprintf(out, "%-7s %-40s %-30s %s\n", hd_eco_name(p->eco), p->name, p->version, p->path);
	}
	return ferror(out) ? -HD_EIO : 0;
}

struct image_opts {
	const char *rootfs, *sbom;
	bool vulns;
	struct hd_vuln_cli v;
};

#define V(field) HD_OFF(struct hd_vuln_cli, field)
const struct hd_option hd_vuln_options[] = {
	HD_OPT_STRING(0, "db", "DIR", V(db), "the vulnerability database (default: $HARDOCK_DB, else ~/.cache/hardock/db)"),
	HD_OPT_FLAG(0, "ignore-unfixed", V(ignore_unfixed), "hide vulnerabilities that have no fix yet"),
	HD_OPT_FLAG(0, "show-minor", V(show_minor),
		    "show what the distribution judges minor (Debian's unimportant, ignored and postponed issues)"),
	HD_OPT_LONG(0, "max-db-age", "DAYS", V(max_age_days), 0, 100000, "warn when the database is older (default 7)"),
	HD_OPT_FLAG(0, "fail-on-stale-db", V(fail_stale), "make an older database an error (exit 2)"),
	HD_OPT_END(),
};
#undef V

void hd_vuln_cli_init(struct hd_vuln_cli *v)
{
	memset(v, 0, sizeof(*v));
	v->max_age_days = HD_DEFAULT_MAX_DB_AGE_DAYS;
}

int hd_vuln_cli_open(struct hd_vuln_cli *v)
{
	char age_text[64];
	int64_t age;

	v->now = (int64_t)time(NULL);
	v->dir = hd_vuln_db_dir(v->db);
	if (!v->dir) {
		hd_cli_error("%s", hd_strerror(-HD_ENOMEM));
		return -1;
	}
	if (open_db(v->dir, false, &v->vdb) < 0)
		return -1;
	age = hd_vdb_age(v->vdb, v->now);
	format_age(age, age_text, sizeof(age_text));
	if (age < 0) {
		hd_cli_error("the vulnerability database in '%s' is empty: run 'hardock db update' or 'hardock db "
			     "import FILE'", v->dir);
		return -1;
	}
	fprintf(stderr, "hardock: vulnerability database '%s/%s': data %s old\n", v->dir, HD_VDB_FILE, age_text);
	if (age > (int64_t)v->max_age_days * 86400) {
		hd_cli_error("%s: the vulnerability database is %s old, more than --max-db-age %ld days: "
			     "run 'hardock db update'", v->fail_stale ? "error" : "warning", age_text, v->max_age_days);
		if (v->fail_stale)
			return -1;
	}
	return 0;
}

int hd_vuln_cli_match(struct hd_vuln_cli *v, const char *what, const struct hd_packages *pk,
		      const struct hd_config *cfg, struct hd_vuln_result *res)
{
	struct hd_vuln_opts vo = { v->ignore_unfixed, v->show_minor, cfg, v->now };
	size_t i;
	int r;

	r = hd_vuln_match(v->vdb, pk, &vo, res);
	if (r < 0) {
		hd_cli_error("cannot match the packages of '%s': %s", what, hd_strerror(r));
		return -1;
	}
	for (i = 0; i < pk->n_notes; i++)
		fprintf(stderr, "hardock: note: %s: %s\n", what, pk->notes[i]);
	for (i = 0; i < res->n_notes; i++)
		fprintf(stderr, "hardock: note: %s: %s\n", what, res->notes[i]);
	if (res->hidden_minor || res->hidden_unfixed || res->hidden_ignored)
		fprintf(stderr, "hardock: %s: hidden: %zu judged minor by the distribution (--show-minor), %zu "
			"without a fix (--ignore-unfixed), %zu in ignore-vulnerabilities\n", what, res->hidden_minor,
			res->hidden_unfixed, res->hidden_ignored);
	return 0;
}

void hd_vuln_cli_close(struct hd_vuln_cli *v)
{
	hd_vdb_close(v->vdb);
	hd_free(v->dir);
	v->vdb = NULL;
	v->dir = NULL;
}

int hd_sbom_cli_format(const char *name)
{
	int fmt = hd_sbom_format_from_name(name);

	if (fmt < 0)
		hd_cli_error("unknown SBOM format '%s': expected cyclonedx or spdx", name);
	return fmt;
}

int hd_sbom_cli_write(int fmt, const char *path, const struct hd_packages *pk, const char *name)
{
	struct hd_sbom_meta meta = { name, sbom_time(), HD_VERSION };
	FILE *out = stdout;
	int r, fr;

	if (path && !(out = fopen(path, "w"))) {
		hd_cli_error("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	r = hd_sbom_write(out, (enum hd_sbom_format)fmt, pk, &meta);
	fr = fflush(out);
	if (out != stdout && fclose(out) != 0)
		fr = EOF;
	if (r < 0 || fr != 0) {
		hd_cli_error("cannot write '%s': %s", path ? path : "standard output", hd_strerror(r < 0 ? r : -HD_EIO));
		return -1;
	}
	return 0;
}

/* Matches pk and reports through the rule; returns the exit code. */
static int report_vulns(struct hd_out_opts *o, struct image_opts *io, const struct hd_packages *pk)
{
	struct hd_vuln_result res = { 0 };
	struct hd_image_spec *img = NULL;
	struct hd_findings f;
	size_t k;
	int r, code = HD_EXIT_ERROR;

	hd_findings_init(&f);
	if (hd_vuln_cli_open(&io->v) < 0 || hd_vuln_cli_match(&io->v, io->rootfs, pk, &o->cfg, &res) < 0)
		goto out;
	img = hd_image_spec_new();
	if (!img || !(img->name = hd_strdup(io->rootfs))) {
		hd_cli_error("%s", hd_strerror(-HD_ENOMEM));
		goto out;
	}
	img->vulns = &res;
	for (k = 0; k < hd_rule_count; k++) {
		if (!strcmp(hd_rules[k]->id, "image/vulnerable-package")) {
			struct hd_model m = { .kind = HD_TARGET_IMAGE, .cfg = &o->cfg, .img = img };
			struct hd_check ck;

			if (!hd_rule_runs_on(&m, k))
				break;
			r = hd_run_rule(&m, k, &f, &ck);
			if (r < 0) {
				hd_cli_error("cannot report: %s", hd_strerror(r));
				goto out;
			}
		}
	}
	code = hd_cli_report(o, "image", &f, NULL, 0, 1);
out:
	hd_findings_release(&f);
	hd_image_spec_free(img);
	hd_vuln_result_release(&res);
	hd_vuln_cli_close(&io->v);
	return code;
}

int hd_cmd_image_rootfs(int argc, char **argv)
{
	struct image_opts io = { 0 };
	struct hd_out_opts o;
	struct hd_catalog *c = NULL;
	struct hd_packages pk;
	const char *v = NULL;
	int64_t days = 0;
	int i, m, r, fmt = -1, code = HD_EXIT_ERROR;
	size_t k;

	hd_out_opts_init(&o);
	hd_packages_init(&pk);
	hd_vuln_cli_init(&io.v);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(image_usage, stdout);
			fputs("\n", stdout);
			fputs(hd_out_opts_help, stdout);
			code = HD_EXIT_OK;
			goto out;
		}
		if ((m = opt_value(argc, argv, &i, "--rootfs", &v)) != 0) {
			io.rootfs = v;
		} else if ((m = opt_value(argc, argv, &i, "--sbom", &v)) != 0) {
			io.sbom = v;
		} else if ((m = opt_value(argc, argv, &i, "--db", &v)) != 0) {
			io.v.db = v;
		} else if ((m = opt_value(argc, argv, &i, "--max-db-age", &v)) != 0) {
			if (m > 0 && hd_parse_i64(v, 0, 100000, &days) < 0) {
				hd_cli_error("--max-db-age expects a number of days, got '%s'", v);
				goto out;
			}
			io.v.max_age_days = (long)days;
		} else if (!strcmp(argv[i], "--vulns")) {
			io.vulns = true;
			m = 1;
		} else if (!strcmp(argv[i], "--ignore-unfixed")) {
			io.v.ignore_unfixed = true;
			m = 1;
		} else if (!strcmp(argv[i], "--show-minor")) {
			io.v.show_minor = true;
			m = 1;
		} else if (!strcmp(argv[i], "--fail-on-stale-db")) {
			io.v.fail_stale = true;
			m = 1;
		} else {
			m = hd_out_opt_parse(&o, argc, argv, &i);
			if (m == 0) {
				hd_cli_error("unknown option '%s' for image; see 'hardock image --help'", argv[i]);
				goto out;
			}
		}
		if (m < 0)
			goto out;
	}
	if (!io.rootfs) {
		hd_cli_error("image: --rootfs needs a directory");
		goto out;
	}
	if (io.sbom && (fmt = hd_sbom_cli_format(io.sbom)) < 0)
		goto out;
	if (fmt >= 0 && io.vulns && !o.output) {
		hd_cli_error("--sbom with --vulns: name the SBOM's file with -o FILE (the report goes to standard output)");
		goto out;
	}
	if (io.vulns && hd_out_opts_load_config(&o) != 0)
		goto out;
	c = hd_catalog_new();
	if (!c) {
		hd_cli_error("image: %s", hd_strerror(-HD_ENOMEM));
		goto out;
	}
	r = hd_catalog_rootfs(c, io.rootfs);
	if (r == 0)
		r = hd_catalog_finish(c, &pk);
	if (r < 0) {
		hd_cli_error("cannot catalogue '%s': %s", io.rootfs, hd_strerror(r));
		goto out;
	}
	if (!io.vulns) {
		for (k = 0; k < pk.n_notes; k++)
			fprintf(stderr, "hardock: note: %s\n", pk.notes[k]);
	}
	if (fmt >= 0) {
		if (hd_sbom_cli_write(fmt, o.output, &pk, io.rootfs) < 0)
			goto out;
	} else if (!io.vulns) {
		FILE *out = o.output ? fopen(o.output, "w") : stdout;

		r = out ? write_list(out, &pk) : -HD_EIO;
		if (out && fflush(out) != 0)
			r = -HD_EIO;
		if (out && out != stdout && fclose(out) != 0)
			r = -HD_EIO;
		if (r < 0) {
			hd_cli_error("cannot write '%s': %s", o.output ? o.output : "standard output",
				     out ? hd_strerror(r) : strerror(errno));
			goto out;
		}
	}
	if (io.vulns) {
		/* The SBOM went to its file: the report goes to standard output. */
		if (fmt >= 0)
			o.output = NULL;
		code = report_vulns(&o, &io, &pk);
	} else {
		code = HD_EXIT_OK;
	}
out:
	hd_catalog_free(c);
	hd_packages_release(&pk);
	hd_out_opts_release(&o);
	return code;
}
