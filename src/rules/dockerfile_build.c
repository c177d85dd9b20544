/*
 * Dockerfile rules on instructions and stages: the user and health check of
 * the final stage, WORKDIR, EXPOSE, ADD and COPY, the stage graph (names,
 * --from references), CMD/ENTRYPOINT form and repetition, ONBUILD, ENV, and
 * the deprecated MAINTAINER; plus the helpers every dockerfile_build* rule
 * shares.  Each check is one pass over the instructions and allocates
 * nothing but its findings.
 */
#include "core/common.h"
#include "model/user.h"
#include "rules/dockerfile_build.h"

/* ---- shared helpers --------------------------------------------------- */

const struct hd_stage *dfb_final_stage(const struct hd_dockerfile *df)
{
	size_t i;

	for (i = 0; i < df->n_stages; i++) {
		if (df->stages[i].is_final)
			return &df->stages[i];
	}
	return df->n_stages ? &df->stages[df->n_stages - 1] : NULL;
}

struct hd_span dfb_arg_span(const struct hd_instr *in, size_t i)
{
	if (i < in->n_args && in->args[i].span.line)
		return in->args[i].span;
	return in->span;
}

struct hd_span dfb_stage_image_span(const struct hd_dockerfile *df, const struct hd_stage *st)
{
	if (st->from >= df->n_instrs)
		return (struct hd_span){ 0 };
	return dfb_arg_span(&df->instrs[st->from], 0);
}

bool dfb_stage_feeds_final(const struct hd_dockerfile *df, const struct hd_stage *st)
{
	const struct hd_stage *f = dfb_final_stage(df);
	size_t hops = 0;

	while (f && hops++ <= df->n_stages) {
		if (f == st)
			return true;
		if (f->base_stage < 0 || (uint32_t)f->base_stage >= f->index)
			return false;
		f = &df->stages[f->base_stage];
	}
	return false;
}

const char *dfb_stage_desc(const struct hd_dockerfile *df, const struct hd_stage *st, char *buf,
			   size_t size)
{
	const char *kind = st->is_final ? "the final stage"
			   : dfb_stage_feeds_final(df, st) ? "stage"
							   : "intermediate stage";
	const char *tail = !st->is_final && *kind == 's' ? " (the base of the final stage)" : "";
	int n;

	if (st->name)
		n = snprintf(buf, size, "%s '%s'%s", kind, st->name, tail);
	else if (st->is_final)
		n = snprintf(buf, size, "%s", kind);
	else
		n = snprintf(buf, size, "%s %" PRIu32 "%s", kind, st->index, tail);
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

const struct hd_stage *dfb_root_stage(const struct hd_dockerfile *df, const struct hd_stage *st)
{
	size_t hops = 0;

	while (st->base_stage >= 0 && (uint32_t)st->base_stage < st->index && hops++ < df->n_stages)
		st = &df->stages[st->base_stage];
	return st;
}

bool dfb_stage_is_windows(const struct hd_dockerfile *df, const struct hd_stage *st)
{
	const struct hd_image_ref *b = &dfb_root_stage(df, st)->base;

	if (b->repository && (strstr(b->repository, "windows") || strstr(b->repository, "nanoserver")))
		return true;
	return b->tag && (strstr(b->tag, "windowsservercore") || strstr(b->tag, "nanoserver") ||
			  strstr(b->tag, "ltsc20"));
}

const struct hd_stage *dfb_stage_by_name(const struct hd_dockerfile *df, const char *name,
					 size_t before)
{
	size_t i;

	for (i = 0; i < before && i < df->n_stages; i++) {
		if (df->stages[i].name && strcasecmp(df->stages[i].name, name) == 0)
			return &df->stages[i];
	}
	return NULL;
}

bool dfb_is_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

bool dfb_path_is_absolute(const char *p)
{
	if (p[0] == '/' || p[0] == '\\')
		return true;
	return isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/' || !p[2]);
}

bool dfb_is_url(const char *s)
{
	const char *p = s;

	if (hd_starts_with(s, "git@"))
		return true;
	while (isalpha((unsigned char)*p) || *p == '+')
		p++;
	return p > s && hd_starts_with(p, "://");
}

const char *dfb_basename(const char *p, char *buf, size_t size)
{
	size_t n = strlen(p), start;

	while (n > 1 && (p[n - 1] == '/' || p[n - 1] == '\\'))
		n--;
	start = n;
	while (start > 0 && p[start - 1] != '/' && p[start - 1] != '\\')
		start--;
	n -= start;
	if (n >= size)
		n = size - 1;
	memcpy(buf, p + start, n);
	buf[n] = '\0';
	return buf;
}

bool dfb_is_falsy(const char *v)
{
	static const char *const falsy[] = { "0", "false", "no", "off", NULL };

	return !*v || dfr_in_list_n(v, strlen(v), falsy);
}

/*
 * True if instruction i of df is preceded by a WORKDIR in its stage or the
 * stages it builds on.  For an ONBUILD, an earlier ONBUILD WORKDIR counts
 * too: the triggers run in order in the child build, after this image's
 * own WORKDIR.
 */
static bool has_workdir_before(const struct hd_dockerfile *df, size_t i)
{
	uint32_t s = df->instrs[i].stage;
	bool onbuild = df->instrs[i].kind == HD_I_ONBUILD;
	size_t hops = 0;
	size_t k = i;

	if (s == DFB_NO_STAGE || s >= df->n_stages) {
		while (k > 0) {
			const struct hd_instr *p = &df->instrs[--k];

			if (p->kind == HD_I_WORKDIR || (onbuild && dfb_instr(df, k)->kind == HD_I_WORKDIR))
				return true;
		}
		return false;
	}
	for (;;) {
		const struct hd_stage *st = &df->stages[s];

		while (k > st->first) {
			k--;
			if (df->instrs[k].kind == HD_I_WORKDIR ||
			    (onbuild && dfb_instr(df, k)->kind == HD_I_WORKDIR))
				return true;
		}
		if (st->base_stage < 0 || (uint32_t)st->base_stage >= s || ++hops > df->n_stages)
			return false;
		s = (uint32_t)st->base_stage;
		k = df->stages[s].last + 1;
		onbuild = false; /* a base stage's ONBUILD runs in its children, not in this build */
	}
}

/* ---- inline suppressions (DL1001) ------------------------------------- */

static hd_check_fn check_inline_ignore;
static int check_inline_ignore(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_suppressions *s = &m->df->suppress;
	size_t i;
	int ret;

	for (i = 0; i < s->n; i++) {
		struct hd_span at = { s->v[i].comment_line, 1, s->v[i].comment_line, 1 };

		ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
				 "inline comment suppresses '%s'%s", s->v[i].ids ? s->v[i].ids : "",
				 s->v[i].from_line == 0 && s->v[i].to_line == 0 ? " for the whole file" : "");
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_inline_ignore = {
	.id = "dockerfile/inline-ignore",
	.title = "Inline comment suppresses checks",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.flags = HD_RULE_DEFAULT_OFF,
	.hadolint = "DL1001",
	.rationale = "A `# hardock ignore=` or `# hadolint ignore=` comment silences a finding where "
		     "the reviewer of a policy cannot see it. hadolint's pragmas are read with hadolint's "
		     "grammar: `# hadolint ignore=DL3008, DL3015 # reason` for the instruction on the "
		     "next line, `global ignore=` for the file, `stage ignore=` for the stage a FROM right "
		     "after it starts, `shell=pwsh`; a list holding an id that is no rule code "
		     "(`ignore=crazy,DL3002`) is no pragma at all. Organisations that want every exception "
		     "recorded in one reviewed place (the config's ignore list) enable this rule; it is "
		     "off by default, like hadolint's DL1001. Findings of this rule point at the comment, "
		     "which a suppression never covers, so it cannot silence itself.",
	.remediation = "Move the exception into .hardock.yaml (`ignored: [DL3008]`) with a reason, "
		       "or fix the finding and delete the comment.",
	.bad_example = "# hadolint ignore=DL3007\n"
		       "FROM alpine:latest\n"
		       "USER 10001\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
		       "CMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_inline_ignore,
};

/* ---- WORKDIR (DL3000) ------------------------------------------------- */

static hd_check_fn check_workdir_relative;
static int check_workdir_relative(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		const struct hd_arg *a;
		bool prev;

		if (in->kind != HD_I_WORKDIR || in->n_args == 0)
			continue;
		a = &in->args[0];
		if (a->unresolved || !*a->value || dfb_path_is_absolute(a->value) ||
		    dfb_path_is_absolute(a->raw))
			continue;
		prev = has_workdir_before(df, i);
		ret = dfb_report(m, r, out, &a->span, prev ? HD_SEV_INFO : HD_SEV_NONE,
				 prev ? "WORKDIR '%s' is relative: it resolves against the previous "
					"WORKDIR; write the absolute path"
				      : "WORKDIR '%s' is relative: it resolves against the base image's "
					"working directory, which this file does not control",
				 a->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_workdir_relative = {
	.id = "dockerfile/workdir-relative",
	.title = "WORKDIR path is relative",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3000",
	.rationale = "A relative WORKDIR resolves against whatever working directory the base image "
		     "set, so a base image update can silently move where files are written and what "
		     "the process runs from. Paths given through a variable that cannot be resolved are "
		     "left alone (hadolint exempts every `$`; hardock expands ARG/ENV first and judges "
		     "the result). After an earlier absolute WORKDIR the result is known, so that case "
		     "is reported at info only. ONBUILD WORKDIR is judged like WORKDIR, and Windows paths "
		     "(`C:\\`, `C:/`) are absolute.",
	.remediation = "Give the absolute path: `WORKDIR /app` instead of `WORKDIR app`.",
	.bad_example = DFB_GOOD_FROM "WORKDIR app\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "WORKDIR /app\n" DFB_GOOD_TAIL,
	.check = check_workdir_relative,
};

/* ---- EXPOSE (DL3011, SSH) --------------------------------------------- */

struct port_spec {
	long lo, hi;
	bool tcp;
};

/* Parses up to 6 digits at *p; returns -1 when there are none or too many. */
static long parse_port_num(const char **p)
{
	long v = 0;
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (++n > 6)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n ? v : -1;
}

/*
 * Parses an EXPOSE word, port[-port][/protocol].  Returns NULL when it is
 * valid, else a static phrase saying what is wrong.
 */
static const char *parse_expose(const char *s, struct port_spec *ps)
{
	static const char *const protos[] = { "tcp", "udp", "sctp", NULL };
	const char *p = s;

	ps->tcp = true;
	if (strchr(s, ':'))
		return "maps a host port, which EXPOSE cannot do (publish with `docker run -p`)";
	ps->lo = parse_port_num(&p);
	if (ps->lo < 0)
		return "is not a port number";
	ps->hi = ps->lo;
	if (*p == '-') {
		p++;
		ps->hi = parse_port_num(&p);
		if (ps->hi < 0)
			return "is not a port range";
	}
	if (*p == '/') {
		p++;
		if (!dfr_in_list_n(p, strlen(p), protos))
			return "has an unknown protocol (tcp, udp or sctp)";
		ps->tcp = strcasecmp(p, "tcp") == 0;
	} else if (*p) {
		return "is not a port number";
	}
	if (ps->lo < 1 || ps->lo > 65535 || ps->hi < 1 || ps->hi > 65535)
		return "is out of range (1-65535)";
	if (ps->hi < ps->lo)
		return "is a range that ends before it starts";
	return NULL;
}

static hd_check_fn check_expose_invalid;
static int check_expose_invalid(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_EXPOSE)
			continue;
		for (k = 0; k < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];
			struct port_spec ps;
			const char *why;

			if (a->unresolved || !*a->value)
				continue;
			why = parse_expose(a->value, &ps);
			if (!why)
				continue;
			ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE, "EXPOSE '%s' %s", a->value, why);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_expose_invalid_port = {
	.id = "dockerfile/expose-invalid-port",
	.title = "EXPOSE names an invalid port",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3011",
	.rationale = "A port outside 1-65535, a malformed range, an unknown protocol or a host mapping "
		     "(`8080:80`) makes the build fail or documents a port nothing can reach. Port 0 is "
		     "reported too: no client can connect to it (hadolint accepts it). Ranges and "
		     "`/tcp`, `/udp`, `/sctp` suffixes are understood; ports given by an unresolvable "
		     "variable are left alone.",
	.remediation = "Expose the container port the service listens on: `EXPOSE 8080/tcp`, and "
		       "publish it at run time with `docker run -p 80:8080`.",
	.bad_example = DFB_GOOD_FROM "EXPOSE 80800\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "EXPOSE 8080/tcp\n" DFB_GOOD_TAIL,
	.check = check_expose_invalid,
};

static hd_check_fn check_expose_ssh;
static int check_expose_ssh(const struct hd_model *m, const struct hd_rule *r,
			    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_EXPOSE)
			continue;
		for (k = 0; k < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];
			struct port_spec ps;

			if (a->unresolved || parse_expose(a->value, &ps) || !ps.tcp)
				continue;
			if (ps.lo > 22 || ps.hi < 22)
				continue;
			ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
					 ps.lo == ps.hi ? "EXPOSE '%s' publishes the SSH port 22"
							: "EXPOSE '%s' includes the SSH port 22",
					 a->value);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_expose_ssh = {
	.id = "dockerfile/expose-ssh",
	.title = "EXPOSE publishes the SSH port 22",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D03,D04",
	.other = "dockle:DKL-LI-0003 checkov:CKV_DOCKER_1 trivy:DS004",
	.rationale = "An SSH server in a container is a second way in with its own keys and "
		     "passwords to manage, and one more long-running process beside the application. "
		     "`docker exec` (or `kubectl exec`) gives shell access without it, audited by the "
		     "engine. Ranges that include 22 are reported too; 22/udp is not SSH.",
	.remediation = "Remove `EXPOSE 22` and the SSH server; debug with "
		       "`docker exec -it <container> sh` instead.",
	.bad_example = DFB_GOOD_FROM "EXPOSE 22\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "EXPOSE 8080\n" DFB_GOOD_TAIL,
	.check = check_expose_ssh,
};

/* ---- several CMD / ENTRYPOINT / HEALTHCHECK in a stage (DL4003, DL4004, DL3012) ---- */

static int check_repeated(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out,
			  enum hd_instr_kind kind)
{
	const struct hd_dockerfile *df = m->df;
	uint32_t stage = DFB_NO_STAGE;
	size_t first = 0, i;
	bool seen = false;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->stage != stage) {
			stage = in->stage;
			seen = false;
		}
		if (in->kind != kind || stage == DFB_NO_STAGE)
			continue;
		if (!seen) {
			seen = true;
			first = i;
			continue;
		}
		ret = dfb_report(m, r, out, &in->span, HD_SEV_NONE,
				 "%s at line %" PRIu32 " is overridden by this one: only the last %s "
				 "of a stage takes effect",
				 hd_instr_name(kind), df->instrs[first].span.line, hd_instr_name(kind));
		if (ret < 0)
			return ret;
		first = i;
	}
	return 0;
}

static hd_check_fn check_multiple_cmd;
static int check_multiple_cmd(const struct hd_model *m, const struct hd_rule *r,
			      struct hd_check *out)
{
	return check_repeated(m, r, out, HD_I_CMD);
}

static hd_check_fn check_multiple_entrypoint;
static int check_multiple_entrypoint(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	return check_repeated(m, r, out, HD_I_ENTRYPOINT);
}

static hd_check_fn check_multiple_healthcheck;
static int check_multiple_healthcheck(const struct hd_model *m, const struct hd_rule *r,
				      struct hd_check *out)
{
	return check_repeated(m, r, out, HD_I_HEALTHCHECK);
}

const struct hd_rule hd_rule_df_multiple_cmd = {
	.id = "dockerfile/multiple-cmd",
	.title = "Several CMD instructions in one stage",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL4003",
	.rationale = "Only the last CMD of a stage takes effect; the earlier ones are dead code that "
		     "misleads a reader about what the container runs. Each stage is judged on its "
		     "own: a CMD in a build stage and another in the final stage are fine.",
	.remediation = "Keep one CMD per stage, the last one: `CMD [\"/app\", \"serve\"]`.",
	.bad_example = DFB_GOOD_FROM "USER 10001\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
		       "CMD [\"/app\", \"migrate\"]\n"
		       "CMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_multiple_cmd,
};

const struct hd_rule hd_rule_df_multiple_entrypoint = {
	.id = "dockerfile/multiple-entrypoint",
	.title = "Several ENTRYPOINT instructions in one stage",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL4004",
	.rationale = "Only the last ENTRYPOINT of a stage takes effect, so an earlier one (often a "
		     "wrapper that drops privileges or sets up the environment) is silently not run.",
	.remediation = "Keep a single ENTRYPOINT per stage and chain set-up steps in one script: "
		       "`ENTRYPOINT [\"/entrypoint.sh\"]`.",
	.bad_example = DFB_GOOD_FROM "USER 10001\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
		       "ENTRYPOINT [\"/init\"]\n"
		       "ENTRYPOINT [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM "USER 10001\n"
			"HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
			"ENTRYPOINT [\"/app\"]\n",
	.check = check_multiple_entrypoint,
};

const struct hd_rule hd_rule_df_multiple_healthcheck = {
	.id = "dockerfile/multiple-healthcheck",
	.title = "Several HEALTHCHECK instructions in one stage",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3012",
	.rationale = "Only the last HEALTHCHECK of a stage takes effect; an earlier one is dead code, "
		     "and the orchestrator probes something other than what the reader expects.",
	.remediation = "Keep one HEALTHCHECK, e.g. "
		       "`HEALTHCHECK --interval=30s CMD [\"/app\", \"--health\"]`.",
	.bad_example = DFB_GOOD_FROM "USER 10001\n"
		       "HEALTHCHECK CMD [\"/app\", \"--ping\"]\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
		       "CMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_multiple_healthcheck,
};

/* ---- ADD (DL3020, CIS 4.9) -------------------------------------------- */

/*
 * True if ADD may extract a local file of this name: a tar archive,
 * possibly compressed, or a compressed file that may hold one (ADD looks at
 * the content, so file.gz or file.xz may well be a tar: hadolint's list).
 */
static bool is_tar_archive(const char *p)
{
	static const char *const exts[] = {
		".tar", ".tgz", ".tbz", ".tbz2", ".tb2", ".txz", ".tzst", ".tlz", ".tpz", ".tZ", ".taz",
		".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".Z",
	};
	size_t i, n = strlen(p);

	while (n && (p[n - 1] == '"' || p[n - 1] == '\''))
		n--;
	for (i = 0; i < HD_ARRAY_SIZE(exts); i++) {
		size_t m = strlen(exts[i]);

		if (n >= m && strncasecmp(p + n - m, exts[i], m) == 0)
			return true;
	}
	return false;
}

static bool is_git_source(const char *s)
{
	return hd_starts_with(s, "git@") || hd_starts_with(s, "git://") || strstr(s, ".git#") ||
	       hd_ends_with(s, ".git");
}

static hd_check_fn check_add_instead_of_copy;
static int check_add_instead_of_copy(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_ADD || in->n_args < 2)
			continue;
		for (k = 0; k + 1 < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];
			/* A source from an unknown variable is judged as written, like a literal one. */
			const char *v = a->unresolved || strchr(a->value, '$') ? a->raw : a->value;

			if (dfb_is_url(v) || is_tar_archive(v))
				continue;
			if (hd_starts_with(a->raw, "<<"))
				ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
						 "ADD of a heredoc where COPY would do");
			else
				ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
						 "ADD of local '%s' where COPY would do", v);
			if (ret < 0)
				return ret;
			break;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_add_instead_of_copy = {
	.id = "dockerfile/add-instead-of-copy",
	.title = "ADD used where COPY would do",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.9",
	.owasp = "D09",
	.hadolint = "DL3020",
	.other = "checkov:CKV_DOCKER_4 trivy:DS005",
	.rationale = "ADD has magic COPY lacks: it fetches URLs and unpacks local archives. Used for a "
		     "plain file it does what COPY does, but a reader (and a later edit that renames "
		     "the file to .tar.gz) gets behaviour nobody asked for. As in hadolint, sources that "
		     "ADD may unpack (tar archives and compressed files: .tar, .tgz, .gz, .bz2, .xz, ...; "
		     ".zip is not unpacked) and URLs are not reported; URLs have their own rule "
		     "(dockerfile/add-remote-without-checksum). A source given by a variable without a "
		     "known value is judged as written (`ADD ${JAR_FILE} app.jar` is reported). ONBUILD "
		     "ADD is judged too.",
	.remediation = "Use COPY for local files and directories: `COPY app.py /app/`.",
	.bad_example = DFB_GOOD_FROM "ADD app.conf /etc/app/\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "COPY app.conf /etc/app/\n" DFB_GOOD_TAIL,
	.check = check_add_instead_of_copy,
};

/* True if s is n hex digits exactly. */
static bool is_hex_n(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return s[n] == '\0' || s[n] == ':';
}

static hd_check_fn check_add_remote;
static int check_add_remote(const struct hd_model *m, const struct hd_rule *r,
			    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_ADD || in->n_args < 2 || hd_instr_flag(in, "checksum"))
			continue;
		for (k = 0; k + 1 < in->n_args; k++) {
			const struct hd_arg *a = &in->args[k];
			const char *hash;

			if (!dfb_is_url(a->value))
				continue;
			if (is_git_source(a->value)) {
				hash = strchr(a->value, '#');
				if (hash && (is_hex_n(hash + 1, 40) || is_hex_n(hash + 1, 64)))
					continue;
				ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
						 "ADD of git repository '%s' is not pinned to a commit", a->value);
			} else if (hd_istarts_with(a->value, "http://") || hd_istarts_with(a->value, "ftp://")) {
				ret = dfb_report(m, r, out, &a->span, HD_SEV_HIGH,
						 "ADD fetches '%s' over an unencrypted connection without "
						 "--checksum: anyone on the path can replace it", a->value);
			} else {
				ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
						 "ADD fetches '%s' without --checksum", a->value);
			}
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_add_remote_without_checksum = {
	.id = "dockerfile/add-remote-without-checksum",
	.title = "ADD of a remote URL without --checksum",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.9,4.12",
	.owasp = "D08,D09",
	.other = "checkov:CKV_DOCKER_4 trivy:DS005",
	.rationale = "ADD downloads the URL at every uncached build and puts whatever the server "
		     "returns into the image, unverified: a compromised or changed upstream file goes "
		     "straight into production. `ADD --checksum=sha256:...` (Dockerfile 1.6+) makes "
		     "the build fail on any change. Plain http:// and ftp:// are reported as high: "
		     "anyone on the network path can substitute the file. Git sources are accepted when "
		     "pinned to a full commit hash (`#<40 hex>`).",
	.remediation = "Pin the download: `ADD --checksum=sha256:<64 hex> "
		       "https://example.com/tool-1.2.tar.gz /opt/`, or fetch it in a RUN step that "
		       "checks a signature or hash.",
	.bad_example = "# syntax=docker/dockerfile:1.7\n" DFB_GOOD_FROM
		       "ADD https://example.com/tool-1.2.tar.gz /opt/\n" DFB_GOOD_TAIL,
	.good_example = "# syntax=docker/dockerfile:1.7\n" DFB_GOOD_FROM
			"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
			"https://example.com/tool-1.2.tar.gz /opt/\n" DFB_GOOD_TAIL,
	.check = check_add_remote,
};

/* ---- COPY/ADD destinations (DL3021, DL3045) --------------------------- */

static hd_check_fn check_copy_dest_dir;
static int check_copy_dest_dir(const struct hd_model *m, const struct hd_rule *r,
			       struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		const struct hd_arg *dest;
		size_t n;

		if ((in->kind != HD_I_COPY && in->kind != HD_I_ADD) || in->n_args < 3)
			continue;
		dest = &in->args[in->n_args - 1];
		n = strlen(dest->value);
		if (dest->unresolved || !n || dest->value[n - 1] == '/' || dest->value[n - 1] == '\\')
			continue;
		ret = dfb_report(m, r, out, &dest->span, HD_SEV_NONE,
				 "%s of %zu sources to '%s': a destination for several sources must be "
				 "a directory ending in '/'",
				 hd_instr_name(in->kind), in->n_args - 1, dest->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_copy_dest_not_directory = {
	.id = "dockerfile/copy-dest-not-directory",
	.title = "COPY of several sources to a destination not ending in '/'",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3021",
	.rationale = "With more than one source the destination must be a directory, written with a "
		     "trailing slash; otherwise the build fails. ADD follows the same rule and is "
		     "checked too (hadolint checks COPY only).",
	.remediation = "End the destination with a slash: `COPY a.conf b.conf /etc/app/`.",
	.bad_example = DFB_GOOD_FROM "COPY a.conf b.conf /etc/app\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "COPY a.conf b.conf /etc/app/\n" DFB_GOOD_TAIL,
	.check = check_copy_dest_dir,
};

static hd_check_fn check_copy_relative_dest;
static int check_copy_relative_dest(const struct hd_model *m, const struct hd_rule *r,
				    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		const struct hd_arg *dest;

		if ((in->kind != HD_I_COPY && in->kind != HD_I_ADD) || in->n_args < 2)
			continue;
		dest = &in->args[in->n_args - 1];
		if (dest->unresolved || !*dest->value || dfb_path_is_absolute(dest->value) ||
		    dfb_path_is_absolute(dest->raw) || strchr(dest->value, '$'))
			continue;
		if (has_workdir_before(df, i))
			continue;
		ret = dfb_report(m, r, out, &dest->span, HD_SEV_NONE,
				 "%s to relative '%s' with no WORKDIR set: the files land in the base "
				 "image's working directory",
				 hd_instr_name(in->kind), dest->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_copy_relative_dest = {
	.id = "dockerfile/copy-relative-dest",
	.title = "COPY to a relative destination without WORKDIR",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3045",
	.rationale = "A relative destination resolves against the working directory, which without a "
		     "WORKDIR in this stage (or a stage it builds on) is whatever the base image set, "
		     "often `/`: a base image update moves the files. WORKDIR inherited from an "
		     "earlier stage used as base counts, and for ONBUILD COPY an earlier ONBUILD WORKDIR "
		     "too; Windows paths (`c:\\app`, `c:/app`) and variables are absolute or unknown and "
		     "not reported; a COPY before any FROM is judged as well. ADD is checked too "
		     "(hadolint checks COPY only).",
	.remediation = "Set `WORKDIR /app` before the COPY, or give an absolute destination: "
		       "`COPY app.py /app/`.",
	.bad_example = DFB_GOOD_FROM "COPY app.py .\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "WORKDIR /app\nCOPY app.py .\n" DFB_GOOD_TAIL,
	.check = check_copy_relative_dest,
};

/* ---- COPY --from (DL3022, DL3023, DL3067) ----------------------------- */

/* True if a --from value names an image rather than a stage ("nginx:1.25", "ghcr.io/x/y"). */
static bool looks_like_image(const char *v)
{
	return strpbrk(v, ":/@.") != NULL;
}

static hd_check_fn check_copy_from_unknown;
static int check_copy_from_unknown(const struct hd_model *m, const struct hd_rule *r,
				   struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];
		const struct hd_flag *f;
		const struct hd_stage *cur = NULL;
		size_t before;
		const char *v;

		if (in->kind != HD_I_COPY)
			continue;
		f = hd_instr_flag(in, "from");
		if (!f || !f->expanded || f->unresolved || !*f->expanded)
			continue;
		v = f->expanded;
		if (in->stage < df->n_stages)
			cur = &df->stages[in->stage];
		before = cur ? cur->index : 0;
		if (dfb_is_digits(v)) {
			int64_t idx;

			if (hd_parse_i64(v, 0, INT32_MAX, &idx) == 0 && (size_t)idx <= before && cur)
				continue; /* an earlier stage, or its own (dockerfile/copy-from-own-stage) */
			ret = dfb_report(m, r, out, &f->span, HD_SEV_NONE,
					 "COPY --from=%s: there is no earlier stage with that index", v);
		} else if (dfb_stage_by_name(df, v, before) || (cur && cur->name && strcasecmp(cur->name, v) == 0) ||
			   looks_like_image(v)) {
			continue;
		} else if (dfb_stage_by_name(df, v, df->n_stages)) {
			ret = dfb_report(m, r, out, &f->span, HD_SEV_NONE,
					 "COPY --from=%s names a stage defined later in the file", v);
		} else {
			/*
			 * No stage has the name: a build that passes it as a named
			 * context (--build-context NAME=..., bake's contexts) copies
			 * from there; any other pulls the image NAME from Docker Hub.
			 */
			ret = dfb_report(m, r, out, &f->span, HD_SEV_LOW,
					 "COPY --from=%s names no stage: unless the build passes '%s' as a named "
					 "context (--build-context %s=..., bake contexts), BuildKit pulls the image "
					 "'%s' (untagged: latest) from Docker Hub",
					 v, v, v, v);
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_copy_from_unknown_stage = {
	.id = "dockerfile/copy-from-unknown-stage",
	.title = "COPY --from names no earlier stage",
	.severity = HD_SEV_MEDIUM,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D08",
	.hadolint = "DL3022",
	.rationale = "When `--from` names no stage defined earlier, BuildKit treats the word as a named "
		     "build context when the build defines one (`docker buildx build --build-context "
		     "NAME=...`, bake's `contexts`), and otherwise as an image it pulls from Docker Hub, "
		     "untagged: a typo in a stage name quietly copies files out of a stranger's `latest` "
		     "image. A name that is no stage is reported at low, since the build command may "
		     "supply it; a stage defined later in the file and an index of no earlier stage are "
		     "reported at medium. Numeric indexes of earlier stages and explicit image references "
		     "(`--from=nginx:1.25`, `--from=ghcr.io/org/tool`) are valid and not reported.",
	.remediation = "Name the stage with `AS` before it is used: `FROM golang:1.22 AS build` ... "
		       "`COPY --from=build /out/app /app`; for an image give a tag or digest: "
		       "`COPY --from=busybox:1.36 /bin/busybox /bin/`.",
	.bad_example = DFB_GOLANG_AS("build")
		       "COPY main.go /src/\n" DFB_GOOD_FROM
		       "COPY --from=biuld /src/main.go /app\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOLANG_AS("build")
			"COPY main.go /src/\n" DFB_GOOD_FROM
			"COPY --from=build /src/main.go /app\n" DFB_GOOD_TAIL,
	.check = check_copy_from_unknown,
};

static hd_check_fn check_copy_from_self;
static int check_copy_from_self(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];
		const struct hd_flag *f;
		const struct hd_stage *cur;
		int64_t idx;

		if (in->kind != HD_I_COPY || in->stage == DFB_NO_STAGE || in->stage >= df->n_stages)
			continue;
		f = hd_instr_flag(in, "from");
		if (!f || !f->expanded || f->unresolved)
			continue;
		cur = &df->stages[in->stage];
		if (dfb_is_digits(f->expanded)) {
			if (hd_parse_i64(f->expanded, 0, INT32_MAX, &idx) < 0 || idx != cur->index)
				continue;
		} else if (!cur->name || strcasecmp(cur->name, f->expanded) != 0 ||
			   dfb_stage_by_name(df, f->expanded, cur->index)) {
			continue;
		}
		ret = dfb_report(m, r, out, &f->span, HD_SEV_NONE,
				 "COPY --from=%s names the stage it is in", f->expanded);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_copy_from_own_stage = {
	.id = "dockerfile/copy-from-own-stage",
	.title = "COPY --from names its own stage",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3023",
	.rationale = "A stage cannot copy from itself: the build fails with a circular dependency.",
	.remediation = "Copy from the stage that produced the files: `COPY --from=build /out/app /app`.",
	.bad_example = DFB_GOOD_FROM_AS("final")
		       "COPY --from=final /etc/passwd /tmp/\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_copy_from_self,
};

static hd_check_fn check_copy_whole_stage;
static int check_copy_whole_stage(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		const struct hd_flag *f;

		if (in->kind != HD_I_COPY || in->n_args < 2)
			continue;
		f = hd_instr_flag(in, "from");
		if (!f || !f->expanded || strcmp(in->args[in->n_args - 1].value, "/") != 0)
			continue;
		for (k = 0; k + 1 < in->n_args; k++) {
			if (strcmp(in->args[k].value, "/") != 0)
				continue;
			ret = dfb_report(m, r, out, &in->args[k].span, HD_SEV_NONE,
					 "COPY --from=%s / / copies the whole file system of '%s', "
					 "build tools and caches included", f->expanded, f->expanded);
			if (ret < 0)
				return ret;
			break;
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_copy_whole_stage = {
	.id = "dockerfile/copy-whole-stage",
	.title = "COPY --from copies a whole file system",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D04",
	.hadolint = "DL3067",
	.rationale = "`COPY --from=build / /` brings everything of the build stage into the final "
		     "image: compilers, package caches, credentials left in home directories. It "
		     "defeats the purpose of a multi-stage build.",
	.remediation = "Copy only the artefacts: `COPY --from=build /out/app /usr/local/bin/app`.",
	.bad_example = DFB_GOLANG_AS("build")
		       "COPY main.go /src/\n" DFB_GOOD_FROM "COPY --from=build / /\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOLANG_AS("build")
			"COPY main.go /src/\n" DFB_GOOD_FROM "COPY --from=build /src/main.go /app\n"
			DFB_GOOD_TAIL,
	.check = check_copy_whole_stage,
};

/* ---- stage names (DL3024, DL3063) ------------------------------------- */

static hd_check_fn check_duplicate_stage_name;
static int check_duplicate_stage_name(const struct hd_model *m, const struct hd_rule *r,
				      struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i], *prev;

		if (!st->name || !(prev = dfb_stage_by_name(df, st->name, i)))
			continue;
		ret = dfb_report(m, r, out, st->name_span.line ? &st->name_span : &df->instrs[st->from].span,
				 HD_SEV_NONE, "stage name '%s' is already used by the stage at line %" PRIu32,
				 st->name, df->instrs[prev->from].span.line);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_duplicate_stage_name = {
	.id = "dockerfile/duplicate-stage-name",
	.title = "Two stages have the same name",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3024",
	.rationale = "BuildKit refuses duplicate stage names (compared without case), and a reader "
		     "cannot tell which stage `COPY --from` means.",
	.remediation = "Give every stage its own name: `FROM node:20 AS deps` and `FROM node:20 AS build`.",
	.bad_example = DFB_GOLANG_AS("build")
		       "COPY a.go /src/\n"
		       DFB_GOLANG_AS("build")
		       "COPY b.go /src/\n" DFB_GOOD_FROM "COPY --from=build /src/b.go /app\n"
		       DFB_GOOD_TAIL,
	.good_example = DFB_GOLANG_AS("deps")
			"COPY a.go /src/\n"
			DFB_GOLANG_AS("build")
			"COPY --from=deps /src/a.go /src/\n" DFB_GOOD_FROM
			"COPY --from=build /src/a.go /app\n" DFB_GOOD_TAIL,
	.check = check_duplicate_stage_name,
};

static hd_check_fn check_reserved_stage_name;
static int check_reserved_stage_name(const struct hd_model *m, const struct hd_rule *r,
				     struct hd_check *out)
{
	static const char *const reserved[] = { "scratch", "context", NULL };
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_stages; i++) {
		const struct hd_stage *st = &df->stages[i];

		if (!st->name || !dfr_in_list_n(st->name, strlen(st->name), reserved))
			continue;
		ret = dfb_report(m, r, out, st->name_span.line ? &st->name_span : &df->instrs[st->from].span,
				 HD_SEV_NONE, "stage name '%s' is reserved", st->name);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_reserved_stage_name = {
	.id = "dockerfile/reserved-stage-name",
	.title = "Stage name is a reserved word",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3063",
	.rationale = "`scratch` is the empty image and `context` names the build context in "
		     "`COPY --from` and `RUN --mount=from=`: a stage with either name is ambiguous and "
		     "BuildKit rejects or misreads it.",
	.remediation = "Pick another name: `FROM alpine:3.20 AS base`.",
	.bad_example = DFB_GOOD_FROM_AS("context")
"" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_reserved_stage_name,
};

/* ---- CMD / ENTRYPOINT form (DL3025) ----------------------------------- */

static hd_check_fn check_shell_form;
static int check_shell_form(const struct hd_model *m, const struct hd_rule *r,
			    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);
		struct hd_span at;

		if ((in->kind != HD_I_CMD && in->kind != HD_I_ENTRYPOINT) || in->form != HD_FORM_SHELL)
			continue;
		at = dfb_arg_span(in, 0);
		ret = dfb_report(m, r, out, &at, HD_SEV_NONE,
				 "%s in shell form runs under `/bin/sh -c`: the program does not get "
				 "SIGTERM on `docker stop`; use the JSON form",
				 hd_instr_name(in->kind));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_shell_form_command = {
	.id = "dockerfile/shell-form-command",
	.title = "CMD or ENTRYPOINT in shell form",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3025",
	.rationale = "In shell form the container's PID 1 is `/bin/sh -c`, which does not forward "
		     "signals: `docker stop` waits its timeout and then kills the process without a "
		     "clean shutdown. A shell-form ENTRYPOINT also ignores CMD and `docker run` "
		     "arguments.",
	.remediation = "Use the exec (JSON) form: `CMD [\"python\", \"app.py\"]`; when a shell is "
		       "really needed, end the script with `exec \"$@\"`.",
	.bad_example = DFB_GOOD_FROM "USER 10001\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
		       "CMD /app --serve\n",
	.good_example = DFB_GOOD_FROM "USER 10001\n"
			"HEALTHCHECK CMD [\"/app\", \"--health\"]\n"
			"CMD [\"/app\", \"--serve\"]\n",
	.check = check_shell_form,
};

/* ---- ONBUILD (DL3043) ------------------------------------------------- */

static hd_check_fn check_onbuild_invalid;
static int check_onbuild_invalid(const struct hd_model *m, const struct hd_rule *r,
				 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i], *t = in->onbuild;

		if (in->kind != HD_I_ONBUILD || !t)
			continue;
		if (t->kind != HD_I_ONBUILD && t->kind != HD_I_FROM && t->kind != HD_I_MAINTAINER)
			continue;
		ret = dfb_report(m, r, out, t->span.line ? &t->span : &in->span, HD_SEV_NONE,
				 "ONBUILD cannot trigger %s", hd_instr_name(t->kind));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_onbuild_invalid = {
	.id = "dockerfile/onbuild-invalid",
	.title = "ONBUILD triggers ONBUILD, FROM or MAINTAINER",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3043",
	.rationale = "The Dockerfile reference forbids these three as ONBUILD triggers; the build of "
		     "every downstream image fails.",
	.remediation = "Trigger a regular instruction: `ONBUILD COPY . /app/`.",
	.bad_example = DFB_GOOD_FROM "ONBUILD MAINTAINER ops@example.com\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "ONBUILD COPY app.conf /etc/app/\n" DFB_GOOD_TAIL,
	.check = check_onbuild_invalid,
};

/* ---- ENV referring to its own instruction (DL3044) -------------------- */

/*
 * True if the reference at ref (n name bytes after "$" or "${") was written
 * escaped (`\$A`): the expanded value still holds it although every variable
 * was resolved.
 */
static bool escaped_ref(const struct hd_kv *kv, const char *ref, size_t n)
{
	const char *e = kv->expanded, *q;
	size_t len = n + 1 + (ref[1] == '{');

	if (!e || kv->unresolved)
		return false;
	for (q = strchr(e, '$'); q; q = strchr(q + 1, '$')) {
		if (strncmp(q, ref, len) == 0)
			return true;
	}
	return false;
}

static hd_check_fn check_env_self_reference;
static int check_env_self_reference(const struct hd_model *m, const struct hd_rule *r,
				    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i, j, k;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = dfb_instr(df, i);

		if (in->kind != HD_I_ENV || in->n_kvs < 2)
			continue;
		for (j = 1; j < in->n_kvs; j++) {
			const struct hd_kv *kv = &in->kvs[j];
			const char *p = kv->value;
			bool hit = false;

			while (p && (p = strchr(p, '$')) && !hit) {
				const char *name;
				size_t n;

				if (p > kv->value && p[-1] == '\\') {
					p++;
					continue;
				}
				name = p + 1 + (p[1] == '{');
				n = 0;
				while (isalnum((unsigned char)name[n]) || name[n] == '_')
					n++;
				p = name + n;
				if (!n || escaped_ref(kv, name - 1 - (name[-1] == '{'), n))
					continue;
				for (k = 0; k < j && !hit; k++) {
					if (strlen(in->kvs[k].key) == n && strncmp(in->kvs[k].key, name, n) == 0) {
						ret = dfb_report(m, r, out, &kv->value_span, HD_SEV_NONE,
								 "ENV '%s' refers to '%s', set in the same ENV "
								 "instruction: it sees the value from before it",
								 kv->key, in->kvs[k].key);
						if (ret < 0)
							return ret;
						hit = true;
					}
				}
			}
		}
	}
	return 0;
}

const struct hd_rule hd_rule_df_env_same_instruction_reference = {
	.id = "dockerfile/env-same-instruction-reference",
	.title = "ENV uses a variable set in the same ENV instruction",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3044",
	.rationale = "All pairs of one ENV are substituted before any is set, so in "
		     "`ENV A=/opt B=$A/bin` B gets the old A (usually empty). `ENV PATH=/x:$PATH` refers "
		     "to its own earlier value and is fine.",
	.remediation = "Split the instruction: `ENV APP_HOME=/opt/app` then `ENV PATH=$APP_HOME/bin:$PATH`.",
	.bad_example = DFB_GOOD_FROM "ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "ENV APP_HOME=/opt/app\nENV APP_BIN=$APP_HOME/bin\n" DFB_GOOD_TAIL,
	.check = check_env_self_reference,
};

/* ---- instructions before FROM (DL3061) -------------------------------- */

static hd_check_fn check_instruction_before_from;
static int check_instruction_before_from(const struct hd_model *m, const struct hd_rule *r,
					 struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->stage != DFB_NO_STAGE || in->kind == HD_I_ARG || in->kind == HD_I_FROM ||
		    in->kind == HD_I_UNKNOWN)
			continue;
		ret = dfb_report(m, r, out, &in->span, HD_SEV_NONE,
				 df->n_stages ? "%s before the first FROM: only ARG may come first"
					      : "%s in a Dockerfile without FROM",
				 hd_instr_name(in->kind));
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_instruction_before_from = {
	.id = "dockerfile/instruction-before-from",
	.title = "Instruction before the first FROM",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL3061",
	.rationale = "Only ARG (and parser directives and comments) may precede the first FROM; "
		     "anything else makes the build fail.",
	.remediation = "Move the instruction below FROM; keep only `ARG BASE=alpine:3.20` style "
		       "declarations above it.",
	.bad_example = "LABEL org.opencontainers.image.title=app\n" DFB_GOOD_FROM DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.title=app\n" DFB_GOOD_TAIL,
	.check = check_instruction_before_from,
};

/* ---- MAINTAINER (DL4000) ---------------------------------------------- */

static hd_check_fn check_maintainer;
static int check_maintainer(const struct hd_model *m, const struct hd_rule *r,
			    struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t i;
	int ret;

	for (i = 0; i < df->n_instrs; i++) {
		const struct hd_instr *in = &df->instrs[i];

		if (in->kind != HD_I_MAINTAINER)
			continue;
		ret = dfb_report(m, r, out, &in->span, HD_SEV_NONE,
				 "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors");
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_maintainer = {
	.id = "dockerfile/maintainer",
	.title = "MAINTAINER is deprecated",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.hadolint = "DL4000",
	.other = "checkov:CKV_DOCKER_6 trivy:DS022",
	.rationale = "MAINTAINER has been deprecated since Docker 1.13; the OCI label is what "
		     "registries and scanners read.",
	.remediation = "Replace it with `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
	.bad_example = DFB_GOOD_FROM "MAINTAINER team@example.com\n" DFB_GOOD_TAIL,
	.good_example = DFB_GOOD_FROM "LABEL org.opencontainers.image.authors=\"team@example.com\"\n"
			DFB_GOOD_TAIL,
	.check = check_maintainer,
};

/* ---- the user of the final stage (CIS 4.1, DL3002, DL3066) ------------ */

/* True if the stage (or a stage it builds on) sets CMD or ENTRYPOINT: a container would run something. */
static bool stage_runs_something(const struct hd_dockerfile *df, const struct hd_stage *st)
{
	size_t hops = 0, i;

	for (;;) {
		for (i = st->first; i <= st->last && i < df->n_instrs; i++) {
			if (df->instrs[i].kind == HD_I_CMD || df->instrs[i].kind == HD_I_ENTRYPOINT)
				return true;
		}
		if (st->base_stage < 0 || (uint32_t)st->base_stage >= st->index || hops++ > df->n_stages)
			return false;
		st = &df->stages[st->base_stage];
	}
}

/*
 * DL3002: the last USER of a stage names root.  Every stage is judged, as in
 * hadolint; a stage that does not end up in the image (only copied from) is
 * reported at info, since nothing runs as that user.
 */
static hd_check_fn check_root_user;
static int check_root_user(const struct hd_model *m, const struct hd_rule *r,
			   struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	size_t s;
	int ret;

	for (s = 0; s < df->n_stages; s++) {
		const struct hd_stage *st = &df->stages[s];
		const struct hd_instr *in;
		const struct hd_arg *a;
		char desc[160];
		bool ships;

		if (st->last_user < 0 || (size_t)st->last_user >= df->n_instrs)
			continue;
		in = &df->instrs[st->last_user];
		a = in->n_args ? &in->args[0] : NULL;
		if (!a || a->unresolved || hd_user_kind(a->value) != HD_USER_ROOT)
			continue;
		ships = dfb_stage_feeds_final(df, st);
		dfb_stage_desc(df, st, desc, sizeof(desc));
		if (ships)
			ret = dfb_report(m, r, out, &a->span, HD_SEV_NONE,
					 "%s runs as root: its last USER is '%s'", desc, a->value);
		else
			ret = dfb_report(m, r, out, &a->span, HD_SEV_INFO,
					 "%s ends as root with USER '%s' (it is not part of the image, but "
					 "switch back to an unprivileged user at the end of each stage)",
					 desc, a->value);
		if (ret < 0)
			return ret;
	}
	return 0;
}

const struct hd_rule hd_rule_df_root_user = {
	.id = "dockerfile/root-user",
	.title = "Last USER of a stage is root",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.1",
	.owasp = "D01",
	.hadolint = "DL3002",
	.other = "dockle:CIS-DI-0001 checkov:CKV_DOCKER_8 trivy:DS002",
	.rationale = "A process running as root in the container is root on the host's kernel: one "
		     "escape bug, writable mount or added capability away from the host. As hadolint's "
		     "DL3002, every stage whose last USER names root is reported, at that USER; unlike "
		     "hadolint, the value is judged the way dockerd resolves it (ARG/ENV expanded, "
		     "`root`, `0`, `00`, and signed numbers such as `-0` or `+0:wheel`, which Go's "
		     "integer parser reads as uid 0) and the severity says whether the stage ships: the "
		     "final stage and the stages it is built on at high, a build stage that is only "
		     "copied from at info (nothing runs as it). A final stage that sets no USER at all "
		     "is dockerfile/no-user's business.",
	.remediation = "Create an unprivileged user and switch to it after the steps that need root: "
		       "`RUN adduser -D -u 10001 app` then `USER 10001` before CMD.",
	.bad_example = DFB_GOOD_FROM "USER root\nHEALTHCHECK CMD [\"/app\", \"--health\"]\nCMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_root_user,
};

/* CIS 4.1: the final stage sets no USER, so its base image's default user runs it. */
static hd_check_fn check_no_user;
static int check_no_user(const struct hd_model *m, const struct hd_rule *r, struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_stage *st = dfb_final_stage(df), *base;
	const char *what = NULL, *img;
	struct hd_span at;
	char desc[160];

	if (!st)
		return hd_not_applicable(out, "the file has no stage");
	if (st->last_user >= 0 || st->user)
		return 0; /* a USER is set (root is dockerfile/root-user's) */
	base = dfb_root_stage(df, st);
	img = base->base.raw ? base->base.raw : "?";
	dfb_stage_desc(df, st, desc, sizeof(desc));
	at = dfb_stage_image_span(df, st);
	if (base->base.is_scratch) {
		if (!stage_runs_something(df, st))
			return hd_not_applicable(out, "%s is FROM scratch with no CMD or ENTRYPOINT: it holds "
						 "artifacts and runs nothing", desc);
		return dfb_report(m, r, out, &at, HD_SEV_NONE,
				  "%s sets no USER: built FROM scratch, its process runs as uid 0 (root)", desc);
	}
	switch (hd_image_default_user(&base->base, &what)) {
	case HD_USER_NOT_ROOT:
		return 0;
	case HD_USER_ROOT:
		return dfb_report(m, r, out, &at, HD_SEV_NONE,
				  "%s sets no USER, so the container runs as root (the default of base "
				  "image '%s'%s%s)", desc, img, what ? ": " : "", what ? what : "");
	default:
		return dfb_report(m, r, out, &at, HD_SEV_LOW,
				  "%s sets no USER and the default user of base image '%s' is not known "
				  "here: the container runs as root unless that image sets a non-root USER",
				  desc, img);
	}
}

const struct hd_rule hd_rule_df_no_user = {
	.id = "dockerfile/no-user",
	.title = "Final stage sets no USER",
	.severity = HD_SEV_HIGH,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.1",
	.owasp = "D01",
	.other = "dockle:CIS-DI-0001 checkov:CKV_DOCKER_3 trivy:DS002",
	.rationale = "Without a USER in the final stage (or a stage it is built on), the container runs "
		     "as whatever user the base image sets, and the official base and language images "
		     "(debian, alpine, ubuntu, python, node, nginx, postgres, ...) run as root: one escape "
		     "bug, writable mount or added capability away from the host. Images built to run "
		     "unprivileged (bitnami/*, nginxinc/nginx-unprivileged, selenium/*, Chainguard, "
		     "distroless `:nonroot`, Red Hat's language images, Windows nanoserver) are not "
		     "reported; an image whose default user is not known here is reported at low, saying "
		     "so; a final stage FROM scratch that runs nothing (no CMD or ENTRYPOINT: an artifact "
		     "stage for `docker build --output`) is not judged. hadolint has no such rule (its "
		     "DL3002 needs an explicit USER root, see dockerfile/root-user).",
	.remediation = "Create an unprivileged user and switch to it after the steps that need root: "
		       "`RUN adduser -D -u 10001 app` then `USER 10001` before CMD.",
	.bad_example = DFB_GOOD_FROM "HEALTHCHECK CMD [\"/app\", \"--health\"]\nCMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_no_user,
};

/*
 * The USER instruction DL3066 judges: the last USER of the final stage, or
 * the file's last USER when there is no stage at all.
 */
static const struct hd_instr *final_user_instr(const struct hd_dockerfile *df)
{
	const struct hd_stage *st = dfb_final_stage(df);
	size_t i;

	if (st)
		return st->last_user >= 0 && (size_t)st->last_user < df->n_instrs ? &df->instrs[st->last_user] : NULL;
	for (i = df->n_instrs; i > 0; i--) {
		if (df->instrs[i - 1].kind == HD_I_USER)
			return &df->instrs[i - 1];
	}
	return NULL;
}

static hd_check_fn check_user_not_numeric;
static int check_user_not_numeric(const struct hd_model *m, const struct hd_rule *r,
				  struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_stage *st = dfb_final_stage(df);
	const struct hd_instr *in = final_user_instr(df);
	const struct hd_arg *a;
	const char *colon;
	char user[128];
	int64_t id;
	size_t n;

	if (!in || !in->n_args)
		return 0;
	a = &in->args[0];
	if (a->unresolved || !*a->value || hd_user_kind(a->value) != HD_USER_NOT_ROOT)
		return 0;
	/* Windows containers have no numeric UIDs (ContainerUser, ContainerAdministrator). */
	if (hd_istarts_with(a->value, "Container") || (st && dfb_stage_is_windows(df, st)))
		return 0;
	colon = strchr(a->value, ':');
	n = colon ? (size_t)(colon - a->value) : strlen(a->value);
	if (n >= sizeof(user))
		n = sizeof(user) - 1;
	memcpy(user, a->value, n);
	user[n] = '\0';
	if (!hd_user_numeric(user, &id))
		return dfb_report(m, r, out, &a->span, HD_SEV_NONE,
				  "USER '%s' is a name: give the numeric UID so that runAsNonRoot "
				  "policies can verify it",
				  user);
	if (colon && colon[1] && !hd_user_numeric(colon + 1, &id))
		return dfb_report(m, r, out, &a->span, HD_SEV_NONE,
				  "USER '%s' names the group '%s': give the numeric GID", a->value, colon + 1);
	return 0;
}

const struct hd_rule hd_rule_df_user_not_numeric = {
	.id = "dockerfile/user-not-numeric",
	.title = "Final USER is a name, not a numeric UID",
	.severity = HD_SEV_INFO,
	.target = HD_TARGET_DOCKERFILE,
	.owasp = "D01",
	.hadolint = "DL3066",
	.rationale = "Kubernetes' `runAsNonRoot` and admission policies can only verify a numeric "
		     "UID; with a name the kubelet refuses the pod or has to trust /etc/passwd inside "
		     "the image. Only the last USER of the final stage matters (hadolint's behaviour "
		     "since its PR #1239); root is reported by dockerfile/root-user instead, and "
		     "Windows images, whose users have no numeric ids, are left alone.",
	.remediation = "Use the UID (and GID): `USER 10001:10001` instead of `USER app`.",
	.bad_example = DFB_GOOD_FROM "USER app\n"
		       "HEALTHCHECK CMD [\"/app\", \"--health\"]\nCMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_user_not_numeric,
};

/* ---- HEALTHCHECK of the final stage (CIS 4.6, DL3057) ----------------- */

static hd_check_fn check_no_healthcheck;
static int check_no_healthcheck(const struct hd_model *m, const struct hd_rule *r,
				struct hd_check *out)
{
	const struct hd_dockerfile *df = m->df;
	const struct hd_stage *st = dfb_final_stage(df);
	struct hd_span at;
	char desc[160];

	if (!st)
		return 0;
	dfb_stage_desc(df, st, desc, sizeof(desc));
	if (st->healthcheck < 0 && dfb_root_stage(df, st)->base.is_scratch && !stage_runs_something(df, st)) {
		at = dfb_stage_image_span(df, st);
		return dfb_report(m, r, out, &at, HD_SEV_INFO,
				  "%s has no HEALTHCHECK; built FROM scratch with no CMD or ENTRYPOINT it runs "
				  "nothing, so this matters only if a container is started from it",
				  desc);
	}
	if (st->healthcheck >= 0 && (size_t)st->healthcheck < df->n_instrs) {
		const struct hd_instr *in = &df->instrs[st->healthcheck];

		if (!in->healthcheck_none)
			return 0;
		return dfb_report(m, r, out, &in->span, HD_SEV_INFO,
				  "HEALTHCHECK NONE turns the health check of %s off (a deliberate "
				  "opt-out: make sure the orchestrator probes it instead)",
				  desc);
	}
	at = dfb_stage_image_span(df, st);
	return dfb_report(m, r, out, &at, HD_SEV_NONE,
			  "%s has no HEALTHCHECK: the engine cannot tell a hung service from a "
			  "healthy one",
			  desc);
}

const struct hd_rule hd_rule_df_no_healthcheck = {
	.id = "dockerfile/no-healthcheck",
	.title = "Final stage has no HEALTHCHECK",
	.severity = HD_SEV_LOW,
	.target = HD_TARGET_DOCKERFILE,
	.cis = "4.6",
	.owasp = "D04",
	.hadolint = "DL3057",
	.other = "dockle:CIS-DI-0006 checkov:CKV_DOCKER_2",
	.rationale = "Without a health check the engine only knows whether the process exists, not "
		     "whether it serves; a deadlocked service stays 'running' and keeps receiving "
		     "traffic. Only the final stage is judged (hadolint's DL3057 looks at every stage), "
		     "and a HEALTHCHECK inherited from a stage used as base counts. "
		     "`HEALTHCHECK NONE` is a deliberate opt-out, reported at info only.",
	.remediation = "Add a probe of the service: "
		       "`HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"--health\"]`, or "
		       "`HEALTHCHECK CMD wget -q -O /dev/null http://localhost:8080/ || exit 1`.",
	.bad_example = DFB_GOOD_FROM "USER 10001\nCMD [\"/app\"]\n",
	.good_example = DFB_GOOD_FROM DFB_GOOD_TAIL,
	.check = check_no_healthcheck,
};
