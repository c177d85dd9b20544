/*
 * Image rules: judge one image_spec (an image's config as the engine or an
 * archive holds it) — CIS Docker Benchmark 4.x and 6.1.  The examples are
 * image inspect documents; tests/unit/test-image-rules.c checks that each bad
 * example fires its rule and each good example fires no image rule (with
 * the audit's time set to 2025-01-01).
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/image.h"
#include "rules/secrets.h"

/* Images older than this are reported as not rebuilt (CIS 4.4). */
#define OLD_IMAGE_DAYS 180
/* Created dates before this are placeholders of reproducible builds (1970, 1980). */
#define REPRODUCIBLE_EPOCH 347155200 /* 1981-01-01 */

#define GOOD_IMAGE                                                                                 \
	"{\"Id\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\","    \
	"\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","                 \
	"\"Config\":{\"User\":\"10001:10001\",\"Env\":[\"PATH=/usr/bin\",\"DB_PASSWORD_FILE=/run/secrets/db\"]," \
	"\"ExposedPorts\":{\"8080/tcp\":{}},"                                                      \
	"\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"],\"Interval\":30000000000}}}"

/* ---- image/root-user -------------------------------------------------------- */

static hd_check_fn check_root_user;
const struct hd_rule hd_rule_image_root_user = {
	.id = "image/root-user",
	.title = "Image runs as root by default",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_IMAGE,
	.cis = "4.1",
	.owasp = "D01",
	.other = "dockle:CIS-DI-0001 docker-bench:4.1",
	.rationale = "A container started from this image without --user runs its process as root. "
		     "Root in a container is root on the host's kernel, kept in check only by "
		     "capabilities, seccomp and namespaces; one escape bug away from the host.",
	.remediation = "Create a user in the Dockerfile and switch to it: `RUN useradd -r -u 10001 app` "
		       "then `USER 10001`.",
	.bad_example = "{\"Id\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"\",\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_root_user,
};

static int check_root_user(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	struct hd_loc loc;

	if (!hd_image_user_is_root(img->user.set ? img->user.value : NULL))
		return 0;
	hd_image_loc(img, img->user.set ? &img->user.at : NULL, &loc);
	if (!loc.field)
		loc.field = "Config.User";
	if (img->user.set)
		return hd_report(out, &loc, "image '%s' runs as '%s' by default", img->name,
				       img->user.value);
	return hd_report(out, &loc, "image '%s' sets no USER, so its containers run as root",
			       img->name);
}

/* ---- image/no-healthcheck ----------------------------------------------------- */

static hd_check_fn check_no_healthcheck;
const struct hd_rule hd_rule_image_no_healthcheck = {
	.id = "image/no-healthcheck",
	.title = "Image has no HEALTHCHECK",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE,
	.cis = "4.6",
	.owasp = "D04",
	.other = "dockle:CIS-DI-0006 docker-bench:4.6",
	.rationale = "Without a health check the engine and orchestrators only know that the process "
		     "exists, not that it works; a hung service keeps receiving traffic.",
	.remediation = "Add a HEALTHCHECK to the Dockerfile: `HEALTHCHECK --interval=30s CMD "
		       "[\"/app/health\"]`.",
	.bad_example = "{\"Id\":\"sha256:3333333333333333333333333333333333333333333333333333333333333333\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\"}}",
	.good_example = GOOD_IMAGE,
	.check = check_no_healthcheck,
};

static int check_no_healthcheck(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	struct hd_loc loc;

	if (img->healthcheck.set && !img->healthcheck.disabled)
		return 0;
	hd_image_loc(img, NULL, &loc);
	loc.field = "Config.Healthcheck";
	if (img->healthcheck.disabled)
		return hd_report(out, &loc, "image '%s' disables its health check (HEALTHCHECK NONE)",
				       img->name);
	return hd_report(out, &loc, "image '%s' defines no HEALTHCHECK", img->name);
}

/* ---- image/secret-in-env ------------------------------------------------------- */

static hd_check_fn check_secret_env;
const struct hd_rule hd_rule_image_secret_in_env = {
	.id = "image/secret-in-env",
	.title = "Secret stored in the image's environment",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE,
	.cis = "4.10",
	.owasp = "D06",
	.other = "dockle:CIS-DI-0010",
	.rationale = "ENV values are part of the image config: anyone who can pull the image reads them "
		     "with `docker inspect`, and every container inherits them. A secret baked into an "
		     "image cannot be rotated without rebuilding and redistributing it.",
	.remediation = "Remove the value from the Dockerfile and hand the secret in at run time: a "
		       "swarm or compose `secrets:` file, or `--mount=type=secret` during the build; "
		       "point the program at a file (`DB_PASSWORD_FILE=/run/secrets/db`).",
	.bad_example = "{\"Id\":\"sha256:4444444444444444444444444444444444444444444444444444444444444444\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"Env\":[\"DB_PASSWORD=hunter2\"],"
		       "\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_secret_env,
};

static int check_secret_env(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	size_t i;
	int rc;

	for (i = 0; i < img->n_env; i++) {
		const struct hd_env *e = &img->env[i];
		struct hd_secret_verdict sv;
		struct hd_loc loc;

		hd_image_loc(img, &e->at, &loc);
		/* One classifier, by name and value (rules/secrets.h). */
		hd_secret_classify(e->name, e->value, &sv);
		if (sv.cls == HD_SECRET_SHAPED)
			rc = hd_report(out, &loc, "image '%s' sets %s to what looks like %s",
					     img->name, e->name, sv.kind);
		else if (sv.cls == HD_SECRET_LITERAL)
			rc = hd_report(out, &loc, "image '%s' stores a value in %s, which names a "
					     "secret", img->name, e->name);
		else
			continue;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- image/admin-port-exposed ---------------------------------------------------- */

static const struct {
	uint32_t port;
	const char *what;
} admin_ports[] = {
	{ 22, "SSH" }, { 23, "telnet" }, { 2375, "the Docker API without TLS" },
	{ 2376, "the Docker API" }, { 3389, "RDP" }, { 5900, "VNC" },
};

static hd_check_fn check_admin_port;
const struct hd_rule hd_rule_image_admin_port_exposed = {
	.id = "image/admin-port-exposed",
	.title = "Image exposes a remote administration port",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE,
	.cis = "5.7,5.9",
	.owasp = "D04",
	.rationale = "An image that exposes SSH, telnet, RDP, VNC or the Docker API expects to be "
		     "administered from inside. That is one more service to patch and attack; `docker "
		     "exec` already gives an operator a shell without it.",
	.remediation = "Remove the EXPOSE line and the daemon behind it; use `docker exec` for "
		       "maintenance.",
	.bad_example = "{\"Id\":\"sha256:5555555555555555555555555555555555555555555555555555555555555555\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"ExposedPorts\":{\"22/tcp\":{}},"
		       "\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_admin_port,
};

static int check_admin_port(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	size_t i, j;
	int rc;

	for (i = 0; i < img->n_exposed; i++) {
		const struct hd_port *p = &img->exposed[i];

		for (j = 0; j < HD_ARRAY_SIZE(admin_ports); j++) {
			struct hd_loc loc;

			if (admin_ports[j].port < p->ctr_port_lo || admin_ports[j].port > p->ctr_port_hi ||
			    (p->proto != HD_PROTO_TCP && admin_ports[j].port != 3389))
				continue;
			hd_image_loc(img, &p->at, &loc);
			rc = hd_report(out, &loc, "image '%s' exposes port %u (%s)", img->name,
					     admin_ports[j].port, admin_ports[j].what);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- image/stale ------------------------------------------------------------------ */

static hd_check_fn check_stale;
const struct hd_rule hd_rule_image_stale = {
	.id = "image/stale",
	.title = "Image has not been rebuilt for a long time",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE,
	.cis = "4.4",
	.owasp = "D02",
	.rationale = "An image is a snapshot of its packages on the day it was built. Security fixes "
		     "published since then reach a container only when the image is rebuilt, so an "
		     "image older than six months almost surely carries known vulnerabilities. Images "
		     "dated 1970 or 1980 are reproducible builds with no real date and are not judged.",
	.remediation = "Rebuild the image regularly with `docker build --pull --no-cache` (a scheduled "
		       "CI job) and redeploy; scan it for vulnerabilities before use.",
	.bad_example = "{\"Id\":\"sha256:6666666666666666666666666666666666666666666666666666666666666666\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2023-03-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_stale,
};

static int check_stale(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	struct hd_loc loc;
	int64_t days;

	if (!img->now || img->created < REPRODUCIBLE_EPOCH)
		return HD_RULE_NOT_APPLICABLE;
	days = (img->now - img->created) / 86400;
	if (days <= OLD_IMAGE_DAYS)
		return 0;
	hd_image_loc(img, &img->created_at, &loc);
	return hd_report(out, &loc, "image '%s' was built %" PRId64 " days ago", img->name, days);
}

/* ---- image/dangling ------------------------------------------------------------------ */

static hd_check_fn check_dangling;
const struct hd_rule hd_rule_image_dangling = {
	.id = "image/dangling",
	.title = "Dangling image (no tag)",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE,
	.cis = "6.1",
	.owasp = "D09",
	.other = "docker-bench:6.1",
	.rationale = "An untagged image is usually an old build left behind by a newer one with the "
		     "same tag. Nobody tracks or patches it, yet a container can still be started from "
		     "its id.",
	.remediation = "Remove dangling images: `docker image prune`; keep the ones in use tagged.",
	.bad_example = "{\"Id\":\"sha256:7777777777777777777777777777777777777777777777777777777777777777\","
		       "\"RepoTags\":[],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_dangling,
};

static int check_dangling(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	struct hd_loc loc;

	if (!img->dangling)
		return 0;
	hd_image_loc(img, NULL, &loc);
	loc.field = "RepoTags";
	if (img->usage_known && img->n_containers)
		return hd_report(out, &loc, "image %s has no tag but %zu container%s use%s it",
				       img->name, img->n_containers, img->n_containers == 1 ? "" : "s",
				       img->n_containers == 1 ? "s" : "");
	return hd_report(out, &loc, "image %s has no tag", img->name);
}

/* ---- image/unused ------------------------------------------------------------------- */

static hd_check_fn check_unused;
const struct hd_rule hd_rule_image_unused = {
	.id = "image/unused",
	.title = "Image not used by any container",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_IMAGE,
	.flags = HD_RULE_NEEDS_ENGINE | HD_RULE_LIVE_ONLY,
	.cis = "6.1",
	.owasp = "D09",
	.other = "docker-bench:6.1",
	.rationale = "Images that no container uses are sprawl: they take space, hide which images "
		     "matter, and are one `docker run` away from being used unpatched.",
	.remediation = "Remove what is not needed: `docker image rm IMAGE`, or `docker image prune -a` "
		       "for every unused image.",
	.bad_example = NULL, /* usage comes from the engine's container list, not the image config */
	.good_example = NULL,
	.check = check_unused,
};

static int check_unused(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_image_spec *img = m->img;
	struct hd_loc loc;

	if (!img->usage_known)
		return HD_RULE_NOT_APPLICABLE;
	if (img->n_containers)
		return 0;
	hd_image_loc(img, NULL, &loc);
	return hd_report(out, &loc, "no container uses image %s", img->name);
}

/* ---- image/volume-system-path ---------------------------------------------------------- */

static hd_check_fn check_volume_system;
const struct hd_rule hd_rule_image_volume_system_path = {
	.id = "image/volume-system-path",
	.title = "Image declares a VOLUME on /proc, /sys or /dev",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_IMAGE,
	.owasp = "D04",
	.other = "dockle:DKL-DI-0002",
	.rationale = "A VOLUME makes the engine mount a volume at that path in every container of the "
		     "image. On /proc, /sys or /dev it hides the kernel interfaces the runtime mounted there "
		     "(and their masked and read-only paths) behind a writable volume, or fails the start: "
		     "nothing an image should ask for.",
	.remediation = "Remove the VOLUME instruction; declare volumes on the folders the application "
		       "writes (`VOLUME /var/lib/app`).",
	.bad_example = "{\"Id\":\"sha256:8888888888888888888888888888888888888888888888888888888888888888\","
		       "\"RepoTags\":[\"shop/api:1.4.2\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"Volumes\":{\"/sys\":{}},"
		       "\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_volume_system,
};

static int check_volume_system(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	static const char *const sys[] = { "/proc", "/sys", "/dev" };
	const struct hd_image_spec *img = m->img;
	size_t i, k;
	int rc;

	for (i = 0; i < img->volumes.n; i++) {
		const char *v = img->volumes.v[i].value;
		size_t n = strlen(v);

		while (n > 1 && v[n - 1] == '/')
			n--;
		for (k = 0; k < HD_ARRAY_SIZE(sys); k++) {
			size_t sl = strlen(sys[k]);
			struct hd_loc loc;

			if (n < sl || strncmp(v, sys[k], sl) != 0 || (n > sl && v[sl] != '/'))
				continue;
			hd_image_loc(img, &img->volumes.v[i].at, &loc);
			rc = hd_report(ck, &loc, "image '%s' declares VOLUME %s, over the kernel's %s", img->name, v,
				       sys[k]);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- image/latest-tag ---------------------------------------------------------------------- */

static hd_check_fn check_latest;
const struct hd_rule hd_rule_image_latest_tag = {
	.id = "image/latest-tag",
	.title = "Image is referenced by the latest tag",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_IMAGE,
	.owasp = "D08,D09",
	.other = "dockle:DKL-DI-0006",
	.rationale = "`latest` (also what a name without a tag means) moves with every push: a "
		     "deployment that names it runs whatever was pushed last, and a rollback has nothing "
		     "to return to. An image judged under that tag today is not the one that will run "
		     "tomorrow. Images without any tag are image/dangling.",
	.remediation = "Tag images with a version (`shop/api:1.4.2`) or deploy them by digest "
		       "(`shop/api@sha256:...`), and reference that.",
	.bad_example = "{\"Id\":\"sha256:9999999999999999999999999999999999999999999999999999999999999999\","
		       "\"RepoTags\":[\"shop/api:latest\"],\"Created\":\"2024-12-01T10:00:00Z\","
		       "\"Config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/health\"]}}}",
	.good_example = GOOD_IMAGE,
	.check = check_latest,
};

static int check_latest(const struct hd_model *m, const struct hd_rule *r, struct hd_check *ck)
{
	const struct hd_image_spec *img = m->img;
	size_t i;
	int rc;

	for (i = 0; i < img->repo_tags.n; i++) {
		const char *t = img->repo_tags.v[i].value, *slash = strrchr(t, '/'), *colon;
		struct hd_loc loc;

		colon = strrchr(slash ? slash : t, ':');
		if (colon ? strcmp(colon, ":latest") != 0 : strchr(t, '@') != NULL)
			continue;
		hd_image_loc(img, &img->repo_tags.v[i].at, &loc);
		rc = hd_report(ck, &loc, "image '%s' is referenced as '%s'%s", img->name, t,
			       colon ? "" : ", which means latest");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- image/unreadable ----------------------------------------------------------------------- */

/* Reported by the image reader itself (src/image/), not by a check. */
const struct hd_rule hd_rule_image_unreadable = {
	.id = "image/unreadable",
	.title = "Image archive, layout or layer cannot be read",
	.severity = HD_SEV_ERROR,
	.target = HD_TARGET_IMAGE,
	.flags = HD_RULE_NO_IGNORE,
	.owasp = "D08",
	.rationale = "What could not be read could not be checked, so it is an error that makes the run "
		     "exit 2, never a silent skip. The message says what failed: a truncated archive or "
		     "layer, corrupt gzip or zstd data, a digest that does not match what the manifest or "
		     "the config says (the image was altered or damaged), a blob the manifest names but the "
		     "archive lacks, a platform missing from an index, or a limit (--max-bytes, --max-files, "
		     "--max-path, --max-ratio) that stopped a decompression bomb. Findings on the parts that "
		     "could be read are still reported.",
	.remediation = "Save the image again (`docker save -o app.tar IMAGE`), check the transfer, or raise "
		       "the limit the message names when the image is legitimately that large.",
};
