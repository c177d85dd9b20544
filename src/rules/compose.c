/*
 * Compose project rules: what only a whole project shows (all services on
 * one network, how secrets are supplied), plus the rules the compose lint
 * reports for input it could not accept (YAML errors, structural errors
 * against the compose specification, unset required variables, missing
 * files).  The latter have no check: lint/lint_compose.c reports them from
 * the loader's issues.
 */
#include "core/common.h"
#include "core/finding.h"
#include "model/project.h"

/* ---- input problems (reported by the compose lint) ------------------------------- */

const struct hd_rule hd_rule_compose_invalid = {
	.id = "compose/invalid",
	.title = "Compose file does not follow the compose specification",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_PROJECT,
	.other = "dclint:invalid-schema",
	.rationale = "docker compose refuses a file with an unknown key, a value of the wrong type (a "
		     "string where a list is required), a duplicate key or a circular extends, so the "
		     "deployment it describes never happens as written; and a typo such as `privilegd:` "
		     "silently drops the setting in tools that ignore unknown keys. The finding points "
		     "at the key or value and says what the specification expects.",
	.remediation = "Fix the key or value shown, e.g. write `cap_drop: [ALL]` rather than "
		       "`cap_drop: ALL`, and check the spelling of keys against the compose specification.",
	.bad_example = "services:\n  web:\n    image: nginx:1.27\n    cap_drop: ALL\n",
	.good_example = "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n",
};

const struct hd_rule hd_rule_compose_missing_file = {
	.id = "compose/missing-file",
	.title = "File named by the compose file cannot be read",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_PROJECT,
	.rationale = "docker compose stops when an `env_file` (unless `required: false`), an `extends` "
		     "file or an `include`d file is missing, and what those files set (environment "
		     "variables, inherited settings) cannot be checked. Low, because a fresh checkout "
		     "often lacks a gitignored .env or env file that the deployment provides: the run "
		     "still exits 0 or 1 on its other findings, never 2.",
	.remediation = "Create the file, fix the path (relative paths start at the project directory), "
		       "or mark an optional env file `required: false`.",
	.bad_example = NULL,
	.good_example = NULL,
};

const struct hd_rule hd_rule_compose_missing_variable = {
	.id = "compose/missing-variable",
	.title = "Required variable is not set",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_PROJECT,
	.rationale = "`${VAR:?message}` and `${VAR?message}` make docker compose stop when VAR is unset "
		     "(or empty, with the colon). Neither the environment of this run nor the project's "
		     ".env sets it, so the value could not be checked either; a malformed `${...}` also "
		     "stops compose.",
	.remediation = "Set the variable in the environment or in the project's .env file (keep secrets "
		       "out of files under version control), or give a default: `${TAG:-1.27}`.",
	.bad_example = NULL,
	.good_example = NULL,
};

const struct hd_rule hd_rule_compose_parse_error = {
	.id = "compose/parse-error",
	.title = "Compose file is not valid YAML",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_PROJECT,
	.flags = HD_RULE_NO_IGNORE,
	.other = "dclint:invalid-yaml",
	.rationale = "A file that is not YAML (a tab used for indentation, an unclosed quote, a bad "
		     "indent) or that goes beyond the loader's limits (an alias bomb, nesting deeper "
		     "than 256 levels) cannot be run by docker compose nor checked. The finding gives the "
		     "line and column of the error.",
	.remediation = "Fix the YAML at the position shown: indent with spaces, close quotes, and keep "
		       "anchors and aliases small.",
	.bad_example = NULL,
	.good_example = NULL,
};

const struct hd_rule hd_rule_compose_path_outside_project = {
	.id = "compose/path-outside-project",
	.title = "Compose file names a file outside the project",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_PROJECT,
	.owasp = "D04",
	.rationale = "An `env_file`, `include`, `extends` file, build context or Dockerfile given as an "
		     "absolute path (`/etc/shadow`, `/proc/self/environ`), as a `..` path that climbs out of "
		     "the project, or through a symbolic link that leads out of it, makes the deployment "
		     "depend on the host it runs on: an env_file of `/etc/shadow` hands the host's password "
		     "hashes to the container as environment variables. hardock never reads such a file "
		     "(it lints repositories written by others, in CI next to the job's secrets), so what "
		     "it would set is not checked either. The linted tree is the directory given on the "
		     "command line, or the git work tree holding a file given on the command line.",
	.remediation = "Keep the files a project needs inside it and name them relative to the compose "
		       "file: `env_file: ./config/app.env`, `build: ./api`. Host-specific values belong in "
		       "the environment of the deployment, not in a path to a host file.",
	.bad_example = NULL,
	.good_example = NULL,
};

/* ---- project rules --------------------------------------------------------------------- */

static void project_loc(const struct hd_project *p, const struct hd_origin *o, struct hd_loc *loc)
{
	memset(loc, 0, sizeof(*loc));
	loc->file = o->file ? o->file : p->n_files ? p->files[0].path : NULL;
	loc->line = o->line;
	loc->col = o->col;
	loc->field = o->field;
	loc->object = p->name;
}

/* The single network every service is on, or NULL when they are segmented. */
static const char *shared_network(const struct hd_container_spec *c)
{
	if (c->network.mode != HD_NS_NAMED && c->network.mode != HD_NS_DEFAULT && c->network.mode != HD_NS_BRIDGE)
		return ""; /* host, none, container:X: not on a project network */
	if (c->networks.n > 1)
		return NULL;
	if (c->networks.n == 1)
		return c->networks.v[0].value;
	return c->network.mode == HD_NS_BRIDGE ? "bridge" : "default";
}

static int check_default_network_only(const struct hd_model *m, const struct hd_rule *rule,
				      struct hd_check *out)
{
	const struct hd_project *p = m->project;
	const char *net = NULL;
	size_t i, on = 0;
	struct hd_loc loc;

	for (i = 0; i < p->n_services; i++) {
		const char *n = shared_network(p->services[i]);

		if (!n)
			return 0;
		if (!*n)
			continue;
		if (net && strcmp(net, n) != 0)
			return 0;
		net = n;
		on++;
	}
	/* Two services that talk to each other need one network; three or more can be split. */
	if (on < 3)
		return 0;
	project_loc(p, &p->at, &loc);
	return hd_report(out, &loc,
			       "all %zu services share the network '%s': any compromised service can reach "
			       "every other; put front-end and back-end services on separate networks",
			       on, net);
}

const struct hd_rule hd_rule_compose_default_network_only = {
	.id = "compose/default-network-only",
	.title = "All services share one network",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_PROJECT,
	.owasp = "D03",
	.check = check_default_network_only,
	.rationale = "Without `networks:` every service of a project joins the one default network and "
		     "can reach every port of every other service: a compromised web front end talks "
		     "directly to the database, the cache and the admin tools. OWASP Docker Top 10 D03 "
		     "asks for network segmentation. Projects of two services are not reported, since "
		     "two services that talk to each other need one shared network.",
	.remediation = "Define a front-end and a back-end network and attach each service only to "
		       "the networks it needs; mark back-end networks `internal: true`.",
	.bad_example = "services:\n  web:\n    image: nginx:1.27\n  api:\n    image: api:1.0\n"
		       "  db:\n    image: postgres:16\n",
	.good_example = "services:\n  web:\n    image: nginx:1.27\n    networks: [front]\n"
			"  api:\n    image: api:1.0\n    networks: [front, back]\n"
			"  db:\n    image: postgres:16\n    networks: [back]\n"
			"networks:\n  front: {}\n  back:\n    internal: true\n",
};

static int check_secret_env(const struct hd_model *m, const struct hd_rule *rule, struct hd_check *out)
{
	const struct hd_project *p = m->project;
	size_t i;
	int r;

	for (i = 0; i < p->n_secrets; i++) {
		const struct hd_project_secret *s = &p->secrets[i];
		struct hd_loc loc;

		if (s->is_config || s->source != HD_SECRET_ENVIRONMENT)
			continue;
		project_loc(p, &s->at, &loc);
		r = hd_report(out, &loc,
				    "secret '%s' is taken from the environment variable '%s' of whoever runs compose",
				    s->name, s->value ? s->value : "");
		if (r < 0)
			return r;
	}
	return 0;
}

const struct hd_rule hd_rule_compose_secret_from_environment = {
	.id = "compose/secret-from-environment",
	.title = "Secret taken from an environment variable",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_PROJECT,
	.owasp = "D06",
	.check = check_secret_env,
	.rationale = "A secret with `environment: VAR` takes its value from the environment of the "
		     "process running compose: it passes through shells, CI variables and process "
		     "listings (/proc/PID/environ) before it reaches the container, and often ends up "
		     "in a .env file next to the project.",
	.remediation = "Keep the secret in a file readable only by the deploying user (`file:`) or in "
		       "an external secret store (`external: true`).",
	.bad_example = "services:\n  db:\n    image: postgres:16\n    secrets: [db_pw]\n"
		       "secrets:\n  db_pw:\n    environment: DB_PASSWORD\n",
	.good_example = "services:\n  db:\n    image: postgres:16\n    secrets: [db_pw]\n"
			"secrets:\n  db_pw:\n    file: ./db_password.txt\n",
};
