/*
 * Container rules on what the container's own configuration gives away,
 * whatever the source (compose service, `docker run` line, live container,
 * create request): authentication that an environment variable turns off
 * (POSTGRES_HOST_AUTH_METHOD=trust, MYSQL_ALLOW_EMPTY_PASSWORD, the
 * *_NO_PASSWORD switches; rules/secrets.h judges the variable), and secrets
 * written on the container's command
 * line (compose `command:`/`entrypoint:`, the words after the image of a run
 * line, the engine's Path and Args).
 *
 * Kept apart from container.c, which holds the CIS section 5 settings.  The
 * command-line judgement is the one of rules/secrets.h, shared with the
 * Dockerfile rule dockerfile/secret-on-command-line; secrets are never
 * echoed into messages.
 */
#include "core/common.h"
#include "core/finding.h"
#include "core/rule.h"
#include "model/container.h"
#include "model/shell.h"
#include "model/wrappers.h"
#include "rules/container_int.h"
#include "rules/secrets.h"

#define GOOD_RUN(extra) HD_CTR_GOOD_RUN(extra)

/* ---- authentication turned off by configuration ------------------------------------ */

static bool loopback(const char *ip)
{
	return ip && (hd_starts_with(ip, "127.") || !strcmp(ip, "::1") || !strcmp(ip, "[::1]") ||
		      !strcmp(ip, "localhost"));
}

/*
 * Where the container's ports can be reached from: "on all host interfaces
 * (port 5432)", "on the host's network", NULL when no port is published
 * beyond loopback.
 */
static const char *reachable(const struct hd_container_spec *c, char *buf, size_t n)
{
	size_t i;

	if (c->network.mode == HD_NS_HOST && !c->network.unknown)
		return "on the host's network (network mode host)";
	if (c->publish_all.set && c->publish_all.value && !c->publish_all.unknown)
		return "on every port its image exposes (publish-all)";
	for (i = 0; i < c->n_ports; i++) {
		const struct hd_port *p = &c->ports[i];

		if (!p->published || p->unknown || loopback(p->host_ip))
			continue;
		if (p->host_port_lo)
			snprintf(buf, n, "on host port %" PRIu32 "%s%s", p->host_port_lo,
				 p->host_ip && *p->host_ip ? " of " : "", p->host_ip ? p->host_ip : "");
		else
			snprintf(buf, n, "on a random host port%s%s", p->host_ip && *p->host_ip ? " of " : "",
				 p->host_ip ? p->host_ip : "");
		return buf;
	}
	return NULL;
}

static int check_auth_disabled(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	char where[128];
	const char *pub = reachable(c, where, sizeof(where));
	size_t i;
	int ret;

	for (i = 0; i < c->n_env; i++) {
		const struct hd_env *e = &c->env[i];
		const char *what;
		bool any;

		if (!e->value || !*e->value || strchr(e->value, '$'))
			continue; /* passed through or from a variable: its value is not known here */
		if (!hd_env_disables_auth(e->name, e->value, &what, &any))
			continue;
		ret = hd_ctr_emit(out, c, &e->at, pub ? HD_SEV_HIGH : HD_SEV_NONE,
			   "%s=%s turns authentication off in container '%s': %s%s%s%s", e->name, e->value,
			   c->name, what, any ? " (any non-empty value does, even this one)" : "",
			   pub ? ", and it is published " : "", pub ? pub : "");
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_container_auth_disabled = {
	.id = "container/auth-disabled",
	.title = "Do not turn authentication off by configuration",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D04,D03",
	.rationale = "Database and service images let one environment variable switch their login "
		     "off: POSTGRES_HOST_AUTH_METHOD=trust, MYSQL_ALLOW_EMPTY_PASSWORD (the official "
		     "entrypoint takes any non-empty value, even 'no'), MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, "
		     "Bitnami's ALLOW_EMPTY_PASSWORD=yes and ALLOW_ANONYMOUS_LOGIN=yes, *_NO_PASSWORD=true "
		     "(Selenium's VNC), *_DISABLE_AUTH=true, GF_AUTH_ANONYMOUS_ENABLED=true, "
		     "xpack.security.enabled=false. Anyone who reaches the port then owns the data; "
		     "other containers on the same network always can. The finding is high when the "
		     "container's ports are published beyond loopback (or it uses the host's network).",
	.remediation = "Set a password from a secret instead: `POSTGRES_PASSWORD_FILE="
		       "/run/secrets/db_password` with compose `secrets:`, or "
		       "`MYSQL_RANDOM_ROOT_PASSWORD=yes`; publish database ports on 127.0.0.1 only, or "
		       "not at all.",
	.bad_example = "docker run -e POSTGRES_HOST_AUTH_METHOD=trust -p 5432:5432 postgres:16",
	.good_example = GOOD_RUN("-e POSTGRES_PASSWORD_FILE=/run/secrets/db_password "),
	.check = check_auth_disabled,
};

/* ---- secrets on the container's command line ---------------------------------------- */

static bool item_is_expansion(const void *words, size_t i)
{
	return strchr(((const struct hd_item *)words)[i].value, '$') != NULL;
}

static bool shell_word_is_expansion(const void *words, size_t i)
{
	return (((const struct hd_word *)words)[i].flags & HD_WORD_EXPANSION) != 0;
}

/* True for a shell that runs its -c operand: sh, bash, dash, ash, zsh, ksh, busybox sh. */
static bool is_shell(const char *name)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh" };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(shells); i++)
		if (!strcmp(name, shells[i]))
			return true;
	return false;
}

/* The index of the script of `sh [-opts] -c SCRIPT` in words[a0..n), or n. */
static size_t shell_script(const struct hd_item *w, size_t n, size_t a0)
{
	size_t i;

	for (i = a0 + 1; i < n; i++) {
		const char *a = w[i].value;

		if (a[0] != '-' || !a[1])
			return n;
		if (a[1] != '-' && strchr(a + 1, 'c'))
			return i + 1 < n ? i + 1 : n;
	}
	return n;
}

#define CMDLINE_MSG \
	"'%s' in the command of container '%s' gets a secret on its command line (%s): `docker " \
	"inspect`, `docker ps --no-trunc` and every process listing on the host show it"

/*
 * Reports a secret in the shell script held by item `at` (the operand of
 * `sh -c`).  Returns 1 when one was reported, 0 when none, or a negative
 * HD_E* value.
 */
static int script_secret(struct hd_check *out, const struct hd_container_spec *c, const struct hd_item *at)
{
	struct hd_shell sh;
	size_t k;
	int ret;

	memset(&sh, 0, sizeof(sh));
	ret = hd_shell_split(at->value, strlen(at->value), &sh);
	if (ret < 0) {
		hd_shell_release(&sh);
		return ret == -HD_ENOMEM ? ret : 0; /* too big to split: not judged */
	}
	for (k = 0; k < sh.n_cmds; k++) {
		const struct hd_cmd *cm = &sh.cmds[k];
		struct hd_cmdline_secret hit;

		if (cm->a0 >= cm->argc ||
		    !hd_cmdline_secret(cm->argv, sizeof(cm->argv[0]), cm->argc, cm->a0, shell_word_is_expansion, &hit))
			continue;
		ret = hd_ctr_emit(out, c, &at->at, HD_SEV_NONE, CMDLINE_MSG, cm->name, c->name, hit.what);
		ret = ret < 0 ? ret : 1;
		break;
	}
	hd_shell_release(&sh);
	return ret;
}

static bool ptr_is_expansion(const void *words, size_t i)
{
	return strchr(((const char *const *)words)[i], '$') != NULL;
}

/*
 * A command that starts with an option (`command: ["--requirepass", "x"]`) is
 * the arguments of the image's entrypoint: judged as the operands of an
 * unnamed command.  Returns 1 with *at set to the word holding the secret, 0
 * when there is none, -HD_ENOMEM.
 */
static int args_secret(const struct hd_item *w, size_t n, size_t *at, const char **what)
{
	const char **v = hd_calloc(n + 1, sizeof(*v));
	struct hd_cmdline_secret hit;
	size_t i;
	bool found;

	if (!v)
		return -HD_ENOMEM;
	v[0] = "";
	for (i = 0; i < n; i++)
		v[i + 1] = w[i].value;
	found = hd_cmdline_secret(v, sizeof(*v), n + 1, 0, ptr_is_expansion, &hit);
	hd_free(v);
	if (!found)
		return 0;
	*at = hit.at - 1;
	*what = hit.what;
	return 1;
}

static int check_cmdline_secret(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_container_spec *c = m->ctr;
	const struct hd_item *w = c->command.v;
	size_t n = c->command.n, from, script;
	struct hd_cmdline_secret hit;
	struct hd_unwrap u;
	int ret;

	(void)r;
	if (n && w[0].value[0] == '-') {
		size_t at;
		const char *what;

		ret = args_secret(w, n, &at, &what);
		if (ret <= 0)
			return ret;
		return hd_ctr_emit(out, c, &w[at].at, HD_SEV_NONE,
				   "the command of container '%s' gives the image's entrypoint a secret on its "
				   "command line (%s): `docker inspect`, `docker ps --no-trunc` and every "
				   "process listing on the host show it", c->name, what);
	}
	if (!n || !hd_unwrap(w, sizeof(w[0]), n, 0, &u))
		return 0;
	from = u.cmd;
	if (is_shell(u.name) && (script = shell_script(w, n, u.cmd)) < n) {
		ret = script_secret(out, c, &w[script]);
		if (ret != 0)
			return ret < 0 ? ret : 0;
		/* The words after the script are its $0, $1, ...: on the command line too. */
		from = script + 1;
	}
	if (from >= n || !hd_cmdline_secret(w, sizeof(w[0]), n, from, item_is_expansion, &hit))
		return 0;
	return hd_ctr_emit(out, c, &w[hit.at].at, HD_SEV_NONE, CMDLINE_MSG, u.name, c->name, hit.what);
}

const struct hd_rule hd_rule_container_secret_on_command_line = {
	.id = "container/secret-on-command-line",
	.title = "Secret passed on the container's command line",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_CONTAINER,
	.owasp = "D06",
	.rationale = "The command a container runs is stored in its configuration and shown by "
		     "`docker inspect`, `docker ps --no-trunc` and the engine API to anyone who may "
		     "query it, and while it runs every user of the host sees it in `ps`. The "
		     "command is judged as dockerfile/secret-on-command-line judges RUN: "
		     "`redis-server --requirepass X`, `mysql -pX`, `curl -u user:pass`, `--password X`, "
		     "`-Dsome.password=X`, URLs with a password, also inside `sh -c '...'` and in a "
		     "command that only passes options to the image's entrypoint "
		     "(`command: [\"--requirepass\", \"X\"]`); values "
		     "taken from a variable or a file are not reported.",
	.remediation = "Read the secret from a file the program is given: compose `secrets:` mounted "
		       "under /run/secrets, then `command: [\"sh\", \"-c\", \"exec redis-server "
		       "--requirepass \\\"$$(cat /run/secrets/redis_pw)\\\"\"]`, or the program's own "
		       "*_FILE setting.",
	.bad_example = "docker run redis:7 redis-server --requirepass s3cr3t-Passw0rd",
	.good_example = GOOD_RUN(""),
	.check = check_cmdline_secret,
};
