/*
 * `hardock image`: analyse images — docker save archives (both layouts), OCI
 * image layouts and their tars, and images of the engine the docker CLI
 * would talk to, streamed from it — and report what the image, file and
 * history rules find.  Each target is read in one pass and reported as soon
 * as it is judged, so memory does not grow with the number of targets.
 */
#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/vulnscan.h"
#include "core/status.h"
#include "engine/client.h"
#include "engine/endpoint.h"
#include "image/image.h"
#include "model/image.h"
#include "vuln/match.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct image_args {
	struct hd_out_opts out;
	struct hd_image_opts io;
	struct hd_engine_opts eng;
	bool no_secrets;
	const char *rootfs;  /* handled by hd_cmd_image_rootfs(); listed here for --help */
	const char *sbom;
	bool vulns;
	struct hd_vuln_cli v;
	unsigned threads;
	long max_path, max_files, max_ratio; /* 0: the default */
};

static int parse_size(const char *opt, const char *v, uint64_t min, uint64_t *ret)
{
	char num[32];
	size_t n = strlen(v);
	uint64_t mul = 1;
	int64_t x;

	if (n && strchr("kKmMgG", v[n - 1])) {
		mul = (v[n - 1] == 'k' || v[n - 1] == 'K') ? 1024 : (v[n - 1] == 'm' || v[n - 1] == 'M') ? 1u << 20 : 1u << 30;
		n--;
	}
	if (n == 0 || n >= sizeof(num)) {
		hd_cli_error("%s expects a size such as 512M, not '%s'", opt, v);
		return -1;
	}
	memcpy(num, v, n);
	num[n] = '\0';
	if (hd_parse_i64(num, 1, INT64_MAX / (int64_t)mul, &x) < 0 || (uint64_t)x * mul < min) {
		hd_cli_error("%s expects a size such as 512M (at least %" PRIu64 " bytes), not '%s'", opt, min, v);
		return -1;
	}
	*ret = (uint64_t)x * mul;
	return 0;
}

static int set_platform(void *args, const struct hd_option *opt, const char *v)
{
	struct image_args *a = args;

	(void)opt;
	if (hd_platform_check(v) < 0) {
		hd_cli_error("--platform expects os/arch or os/arch/variant (linux/arm64/v8), not '%s'", v);
		return -1;
	}
	a->io.platform = v;
	return 0;
}

static int set_max_bytes(void *args, const struct hd_option *opt, const char *v)
{
	(void)opt;
	return parse_size("--max-bytes", v, 1024, &((struct image_args *)args)->io.lim.max_bytes);
}

static int set_secret_max(void *args, const struct hd_option *opt, const char *v)
{
	(void)opt;
	return parse_size("--secret-max-size", v, 1, &((struct image_args *)args)->io.lim.max_secret_file);
}

static int set_tlsverify(void *args, const struct hd_option *opt, const char *v)
{
	struct image_args *a = args;

	(void)opt;
	if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
		a->eng.tlsverify = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		a->eng.tlsverify = 0;
	else {
		hd_cli_error("--tlsverify takes true or false, not '%s'", v);
		return -1;
	}
	return 0;
}

static int set_sbom(void *args, const struct hd_option *opt, const char *v)
{
	(void)opt;
	if (hd_sbom_cli_format(v) < 0)
		return -1;
	((struct image_args *)args)->sbom = v;
	return 0;
}

#define A(field) HD_OFF(struct image_args, field)
static const struct hd_option image_options[] = {
	HD_OPT_CALLBACK(0, "platform", "OS/ARCH[/VARIANT]", set_platform,
			"the image of a multi-platform index to analyse (default: this machine's)"),
	HD_OPT_CALLBACK(0, "max-bytes", "SIZE", set_max_bytes,
			"uncompressed layer bytes per target (default 64G)"),
	HD_OPT_LONG(0, "max-files", "N", A(max_files), 1, INT32_MAX, "layer entries per target (default 2000000)"),
	HD_OPT_LONG(0, "max-path", "N", A(max_path), 64, 1 << 20, "bytes of one entry name (default 4096)"),
	HD_OPT_LONG(0, "max-ratio", "N", A(max_ratio), 1, INT32_MAX,
		    "largest decompressed:compressed ratio of a layer beyond 64M, against decompression bombs (default 1000)"),
	HD_OPT_CALLBACK(0, "secret-max-size", "SIZE", set_secret_max,
			"files scanned for secrets up to this size (default 8M)"),
	HD_OPT_FLAG(0, "no-secrets", A(no_secrets), "do not scan file contents for secrets"),
	HD_OPT_UNSIGNED('j', "threads", "N", A(threads), 1, 2,
			"1: decompress and analyse in one thread; 2 (default): on two"),
	HD_OPT_GROUP("packages and vulnerabilities"),
	HD_OPT_CALLBACK(0, "sbom", "FORMAT", set_sbom,
			"write the image's SBOM: cyclonedx (CycloneDX 1.6 JSON) or spdx (SPDX 2.3 JSON), to -o FILE "
			"(the report then goes to standard output), else alone to standard output"),
	HD_OPT_FLAG(0, "vulns", A(vulns),
		    "match the image's packages against the local vulnerability database (rule image/vulnerable-package)"),
	HD_OPT_INCLUDE(hd_vuln_options, A(v)),
	HD_OPT_STRING(0, "rootfs", "DIR", A(rootfs),
		      "catalogue an unpacked root filesystem instead of images (see 'hardock image --rootfs . --help')"),
	HD_OPT_GROUP("engine options (as the docker CLI; only for engine images)"),
	HD_OPT_STRING('H', "host", "HOST", A(eng.host), "unix:///path or tcp://host:port"),
	HD_OPT_STRING(0, "context", "NAME", A(eng.context), "a docker CLI context"),
	HD_OPT_STRING(0, "docker-config", "DIR", A(eng.config_dir), "the docker CLI's config folder (default ~/.docker)"),
	HD_OPT_SET_INT(0, "tls", A(eng.tls), 1, "use TLS"),
	HD_OPT_CALLBACK_F(0, "tlsverify", "BOOL", set_tlsverify, HD_OPT_OPTARG, "use TLS and verify the engine"),
	HD_OPT_STRING(0, "tlscacert", "FILE", A(eng.tlscacert), "the CA that signed the engine's certificate"),
	HD_OPT_STRING(0, "tlscert", "FILE", A(eng.tlscert), "the client certificate"),
	HD_OPT_STRING(0, "tlskey", "FILE", A(eng.tlskey), "the client key"),
	HD_OPT_INCLUDE(hd_out_options, A(out)),
	HD_OPT_END(),
};
#undef A

const struct hd_cmd_doc hd_image_doc = {
	.usage = "hardock image [options] TARGET...",
	.about = "Analyses container images in one streaming pass, never extracting them: the\n"
		 "config (user, health check, environment, ports, volumes, tags), the history\n"
		 "as Dockerfile instructions, and every file of every layer: setuid and setgid\n"
		 "files, file capabilities, world-writable files, accounts, private keys,\n"
		 "credentials and tokens (also in files a later layer deletes), left-over files,\n"
		 "and broken or crafted layers. Every blob's digest is checked.\n"
		 "\n"
		 "TARGET is one of:\n"
		 "\n"
		 "  FILE             a docker save archive (before and since Docker 25) or the\n"
		 "                   tar of an OCI image layout, possibly compressed\n"
		 "  DIR              an OCI image layout directory (skopeo, umoci, buildx)\n"
		 "  -                such a tar on standard input\n"
		 "  NAME[:TAG] | ID  an image of the engine the docker CLI would use, streamed\n"
		 "                   from GET /images/{id}/get (never written to disk)\n"
		 "  docker:REF, docker-archive:PATH, oci:PATH, oci-archive:PATH  say which",
	.options = image_options,
	.more = "With --sbom or --vulns, the packages of the final tree are catalogued in the\n"
		"same pass: dpkg (status, status.d), apk and rpm (rpmdb.sqlite) with their\n"
		"source packages; npm, Python, Go binaries and jars, except what an OS package\n"
		"installed. Every scan states the database's age; matching never uses the\n"
		"network. With --rootfs DIR, an unpacked root filesystem is catalogued instead.\n"
		"\n"
		"SIZE takes a suffix k, M or G (powers of 1024). A target that cannot be read\n"
		"exits 2; an archive that is damaged, a missing blob or a digest mismatch is an\n"
		"image/unreadable finding (severity error, exit 2), reported with what could be read.",
};

enum target_kind { T_PATH, T_STDIN, T_ENGINE };

/* What a target names: a path that exists (or is written as one), standard input, or an engine image. */
static enum target_kind classify(const char *t, const char **rest)
{
	static const char *const path_prefixes[] = { "docker-archive:", "oci:", "oci-archive:" };
	struct stat st;
	size_t i;

	*rest = t;
	if (!strcmp(t, "-"))
		return T_STDIN;
	for (i = 0; i < HD_ARRAY_SIZE(path_prefixes); i++) {
		if (hd_starts_with(t, path_prefixes[i])) {
			*rest = t + strlen(path_prefixes[i]);
			return T_PATH;
		}
	}
	if (hd_starts_with(t, "docker:") || hd_starts_with(t, "docker-daemon:")) {
		*rest = strchr(t, ':') + 1;
		return T_ENGINE;
	}
	if (stat(t, &st) == 0)
		return T_PATH;
	if (t[0] == '/' || t[0] == '.' || hd_ends_with(t, ".tar") || hd_ends_with(t, ".tar.gz") ||
	    hd_ends_with(t, ".tgz") || hd_ends_with(t, ".tar.zst"))
		return T_PATH;
	return T_ENGINE;
}

struct engine_conn {
	struct hd_engine_endpoint ep;
	struct hd_engine *e;
	bool tried, ok;
};

static int connect_engine(struct engine_conn *c, const struct hd_engine_opts *eo)
{
	struct hd_diag d = { 0 };
	char *msg = NULL;
	int r;

	if (c->tried)
		return c->ok ? 0 : -1;
	c->tried = true;
	r = hd_engine_endpoint_resolve(eo, &c->ep, &d);
	if (r < 0) {
		hd_cli_error("cannot choose the engine: %s", d.msg ? d.msg : hd_strerror(r));
		hd_diag_release(&d);
		return -1;
	}
	r = hd_engine_open(&c->ep, NULL, &c->e);
	if (r >= 0)
		r = hd_engine_negotiate(c->e, &msg);
	if (r < 0) {
		hd_cli_error("%s", msg ? msg : hd_strerror(r));
		hd_free(msg);
		return -1;
	}
	c->ok = true;
	return 0;
}

/* The SBOM of the one image of a target, to path or standard output; -1 after saying why not. */
static int packages_sbom(const struct hd_image_set *set, const char *t, int fmt, const char *path)
{
	const struct hd_image *im;
	size_t k;

	if (set->n != 1) {
		hd_cli_error("'%s' holds %zu images: --sbom writes the SBOM of one (choose a platform with --platform)",
			     t, set->n);
		return -1;
	}
	im = &set->v[0];
	if (!im->packages) {
		hd_cli_error("no SBOM for '%s': its layers could not be read%s%s", t, im->n_errors ? ": " : "",
			     im->n_errors ? im->errors[0] : "");
		return -1;
	}
	for (k = 0; k < im->packages->n_notes; k++)
		fprintf(stderr, "hardock: note: %s: %s\n", im->name, im->packages->notes[k]);
	return hd_sbom_cli_write(fmt, path, im->packages, im->name ? im->name : t);
}

static void vres_free(struct hd_vuln_result *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		hd_vuln_result_release(&v[i]);
	hd_free(v);
}

/*
 * Matches the packages of every image of a set; each image's spec points at
 * its result (*ret, one per image, freed with vres_free) for the rule
 * image/vulnerable-package.  -1 after printing an error, or -HD_ENOMEM.
 */
static int packages_match(struct hd_vuln_cli *v, struct hd_image_set *set, const struct hd_config *cfg,
			  struct hd_vuln_result **ret)
{
	struct hd_vuln_result *res = hd_calloc(set->n + 1, sizeof(*res));
	size_t j;

	if (!res)
		return -HD_ENOMEM;
	for (j = 0; j < set->n; j++) {
		struct hd_image *im = &set->v[j];

		if (!im->packages || !im->spec)
			continue; /* image/unreadable says why */
		if (hd_vuln_cli_match(v, im->name, im->packages, cfg, &res[j]) < 0) {
			vres_free(res, set->n);
			return -1;
		}
		im->spec->vulns = &res[j];
	}
	*ret = res;
	return 0;
}

int hd_cmd_image(int argc, char **argv)
{
	struct image_args a;
	struct hd_cli_report cr;
	struct hd_run_status st = { 0 };
	struct engine_conn ec = { 0 };
	const char *sbom_path = NULL;
	bool began = false, sbom_only = false;
	int i, n, r, fmt = -1, code = HD_EXIT_ERROR;

	/* An unpacked root filesystem is catalogued by cmd_db.c (SBOM, vulnerabilities). */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rootfs") || hd_starts_with(argv[i], "--rootfs="))
			return hd_cmd_image_rootfs(argc, argv);
	}
	memset(&a, 0, sizeof(a));
	hd_vuln_cli_init(&a.v);
	hd_out_opts_init(&a.out);
	hd_image_opts_init(&a.io);
	hd_engine_opts_init(&a.eng);
	r = hd_parse_options("image", &hd_image_doc, argc, argv, &a, &n);
	if (r != 0) {
		code = r > 0 ? HD_EXIT_OK : HD_EXIT_ERROR;
		goto out;
	}
	if (a.max_files)
		a.io.lim.max_entries = (uint64_t)a.max_files;
	if (a.max_path)
		a.io.lim.max_path = (uint32_t)a.max_path;
	if (a.max_ratio)
		a.io.lim.max_ratio = (uint64_t)a.max_ratio;
	if (a.threads)
		a.io.threads = a.threads;
	a.io.scan_secrets = !a.no_secrets;
	if (n == 0) {
		hd_cli_error("give an image: an archive, an OCI layout or an image name; see 'hardock image --help'");
		goto out;
	}
	if (a.sbom) {
		fmt = hd_sbom_cli_format(a.sbom);
		if (n != 1) {
			hd_cli_error("--sbom writes the SBOM of one image: give one target, not %d", n);
			goto out;
		}
		if (a.vulns && !a.out.output) {
			hd_cli_error("--sbom with --vulns: name the SBOM's file with -o FILE (the report goes to "
				     "standard output)");
			goto out;
		}
		/* -o names the SBOM's file; the report goes to standard output.  Without -o, the SBOM alone. */
		sbom_path = a.out.output;
		a.out.output = NULL;
		sbom_only = !sbom_path;
	}
	a.io.catalog = a.sbom || a.vulns;
	/* The SBOM alone reports no finding: file contents need not be scanned for secrets. */
	if (sbom_only)
		a.io.scan_secrets = false;
	if (hd_out_opts_load_config(&a.out) != 0)
		goto out;
	if (a.vulns && hd_vuln_cli_open(&a.v) < 0)
		goto out;
	a.out.inputs = argv;
	a.out.n_inputs = (size_t)n;
	a.io.now = (int64_t)time(NULL);
	if (!sbom_only) {
		if (hd_cli_report_begin(&cr, &a.out, "image", false) != 0)
			goto out;
		began = true;
	}
	for (i = 0; i < n; i++) {
		struct hd_image_set set;
		struct hd_vuln_result *vres = NULL;
		struct hd_findings f;
		const char *t;
		char *msg = NULL;

		hd_findings_init(&f);
		switch (classify(argv[i], &t)) {
		case T_STDIN:
			r = hd_image_analyze_fd(0, "-", &a.io, &set);
			break;
		case T_PATH:
			r = hd_image_analyze_path(t, &a.io, &set);
			break;
		default:
			if (connect_engine(&ec, &a.eng) < 0) {
				st.failed = true;
				continue;
			}
			r = hd_image_analyze_engine(ec.e, t, &a.io, &set, &msg);
			break;
		}
		if (r < 0) {
			if (r == -HD_ENOENT && !msg)
				hd_cli_error("cannot read '%s': no such file or directory", t);
			else
				hd_cli_error("cannot analyse '%s': %s", t, msg ? msg : hd_strerror(r));
			hd_free(msg);
			st.failed = true;
			continue;
		}
		if (fmt >= 0 && packages_sbom(&set, t, fmt, sbom_path) < 0)
			st.failed = true;
		if (sbom_only) {
			hd_image_set_release(&set);
			continue;
		}
		if (a.vulns && (r = packages_match(&a.v, &set, &a.out.cfg, &vres)) < 0) {
			if (r != -1)
				hd_cli_error("cannot match '%s': %s", t, hd_strerror(r));
			hd_image_set_release(&set);
			st.failed = true;
			continue;
		}
		r = hd_image_judge(&set, &a.out.cfg, &f);
		vres_free(vres, set.n);
		vres = NULL;
		hd_image_set_release(&set);
		if (r < 0) {
			hd_cli_error("cannot judge '%s': %s", t, hd_strerror(r));
			hd_findings_release(&f);
			st.failed = true;
			continue;
		}
		hd_findings_sort(&f);
		hd_run_status_count(&st, &f);
		st.files++;
		r = hd_cli_report_add(&cr, &f);
		hd_findings_release(&f);
		if (r < 0)
			break;
	}
	if (sbom_only) {
		code = st.failed ? HD_EXIT_ERROR : HD_EXIT_OK;
		goto out;
	}
	began = false;
	if (hd_cli_report_end(&cr, st.files) != 0)
		goto out;
	code = hd_cli_exit_code(&st, a.out.cfg.fail_on);
out:
	hd_vuln_cli_close(&a.v);
	if (began)
		hd_cli_report_end(&cr, st.files);
	hd_engine_close(ec.e);
	if (ec.tried)
		hd_engine_endpoint_release(&ec.ep);
	hd_out_opts_release(&a.out);
	return code;
}
