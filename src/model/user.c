/*
 * Who a user specification runs as (see user.h): the user part parsed like
 * Go's strconv.Atoi, the names root and ContainerAdministrator, and a
 * variable left unexpanded treated as unknown.
 */
#include "core/common.h"
#include "model/image_ref.h"
#include "model/user.h"

/* The user part of spec: [*b, *e) without surrounding blanks, up to ':'. */
static void user_part(const char *spec, const char **b, const char **e)
{
	const char *p = spec, *q;

	while (*p == ' ' || *p == '\t')
		p++;
	q = p + strcspn(p, ":");
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	*b = p;
	*e = q;
}

bool hd_user_numeric(const char *spec, int64_t *uid)
{
	const char *p, *e;
	bool neg = false;
	uint64_t v = 0;

	if (!spec)
		return false;
	user_part(spec, &p, &e);
	if (p < e && (*p == '+' || *p == '-')) {
		neg = *p == '-';
		p++;
	}
	if (p >= e)
		return false;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (UINT64_C(1) << 62))
			return false; /* out of Atoi's range: runc takes it for a name */
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*uid = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

enum hd_user_kind hd_user_kind(const char *spec)
{
	const char *p, *e;
	int64_t uid;
	size_t n;

	if (!spec)
		return HD_USER_UNKNOWN;
	user_part(spec, &p, &e);
	n = (size_t)(e - p);
	if (!n)
		return HD_USER_UNKNOWN;
	if (memchr(p, '$', n))
		return HD_USER_UNKNOWN;
	if (hd_user_numeric(spec, &uid))
		return uid == 0 ? HD_USER_ROOT : HD_USER_NOT_ROOT;
	if ((n == 4 && !memcmp(p, "root", 4)) || (n == 22 && !strncasecmp(p, "ContainerAdministrator", 22)))
		return HD_USER_ROOT;
	return HD_USER_NOT_ROOT;
}

/* Images whose default user is known: by registry and repository ("x/..." patterns match below x/). */
static const struct {
	const char *registry;
	const char *repo;
	enum hd_user_kind kind;
	const char *what;
} image_users[] = {
	/* Built to run unprivileged. */
	{ "docker.io", "bitnami/*", HD_USER_NOT_ROOT, "Bitnami images run as uid 1001" },
	{ "docker.io", "nginxinc/nginx-unprivileged", HD_USER_NOT_ROOT, "runs as nginx (uid 101)" },
	{ "docker.io", "selenium/*", HD_USER_NOT_ROOT, "runs as seluser" },
	{ "docker.io", "jenkins/*", HD_USER_NOT_ROOT, "runs as jenkins" },
	{ "docker.io", "grafana/*", HD_USER_NOT_ROOT, "runs as uid 472" },
	{ "docker.io", "prom/*", HD_USER_NOT_ROOT, "runs as nobody" },
	{ "docker.io", "library/haproxy", HD_USER_NOT_ROOT, "runs as haproxy" },
	{ "docker.io", "library/memcached", HD_USER_NOT_ROOT, "runs as memcache" },
	{ "docker.io", "library/elasticsearch", HD_USER_NOT_ROOT, "runs as uid 1000" },
	{ "docker.io", "library/jetty", HD_USER_NOT_ROOT, "runs as jetty" },
	{ "docker.io", "library/sonarqube", HD_USER_NOT_ROOT, "runs as sonarqube" },
	{ "cgr.dev", "chainguard/*", HD_USER_NOT_ROOT, "Chainguard images run as nonroot" },
	{ "quay.io", "sclorg/*", HD_USER_NOT_ROOT, "s2i images run as uid 1001" },
	{ "mcr.microsoft.com", "windows/nanoserver", HD_USER_NOT_ROOT, "runs as ContainerUser" },
	{ "mcr.microsoft.com", "powershell", HD_USER_UNKNOWN, NULL },
	/* Official images that run as root unless told otherwise. */
	{ "mcr.microsoft.com", "windows/servercore", HD_USER_ROOT, "runs as ContainerAdministrator" },
	{ "mcr.microsoft.com", "windows/server", HD_USER_ROOT, "runs as ContainerAdministrator" },
	{ "mcr.microsoft.com", "windows", HD_USER_ROOT, "runs as ContainerAdministrator" },
	{ "mcr.microsoft.com", "dotnet/*", HD_USER_ROOT, NULL },
	{ "gcr.io", "distroless/*", HD_USER_ROOT, NULL }, /* :nonroot tags are caught before */
	{ "docker.io", "opensuse/*", HD_USER_ROOT, NULL },
};

/* Official Docker Hub images (library/X) that run as root by default. */
static const char *const root_official[] = {
	"almalinux", "alpine", "amazoncorretto", "amazonlinux", "archlinux", "bash", "buildpack-deps", "busybox",
	"caddy", "centos", "clearlinux", "clojure", "composer", "dart", "debian", "docker", "drupal",
	"eclipse-temurin", "elixir", "erlang", "fedora", "gcc", "ghost", "golang", "gradle", "haskell", "httpd",
	"ibm-semeru-runtimes", "ibmjava", "joomla", "julia", "mageia", "mariadb", "maven", "mongo", "mono",
	"mysql", "nextcloud", "nginx", "node", "openjdk", "oraclelinux", "percona", "perl", "photon", "php",
	"postgres", "pypy", "python", "r-base", "rabbitmq", "redis", "redmine", "registry", "rockylinux",
	"ruby", "rust", "sapmachine", "swift", "tomcat", "traefik", "ubuntu", "wordpress",
};

static bool repo_matches(const char *pat, const char *repo)
{
	size_t n = strlen(pat);

	if (n >= 2 && pat[n - 1] == '*' && pat[n - 2] == '/')
		return strncmp(repo, pat, n - 1) == 0;
	return strcmp(repo, pat) == 0;
}

/* True for a Red Hat registry. */
static bool redhat_registry(const char *r)
{
	return !strcmp(r, "registry.access.redhat.com") || !strcmp(r, "registry.redhat.io");
}

enum hd_user_kind hd_image_default_user(const struct hd_image_ref *ref, const char **what)
{
	const char *reg, *repo, *w = NULL;
	size_t i;

	if (what)
		*what = NULL;
	if (!ref || !ref->repository || ref->has_unresolved_var || ref->is_scratch)
		return HD_USER_UNKNOWN;
	reg = ref->registry ? ref->registry : "docker.io";
	repo = ref->repository;
	if (ref->tag && (strstr(ref->tag, "nonroot") || strstr(ref->tag, "rootless"))) {
		if (what)
			*what = "its tag says it runs as a non-root user";
		return HD_USER_NOT_ROOT;
	}
	if (redhat_registry(reg)) {
		/* ubi8/ubi, ubi9/ubi-minimal, ...: root; the s2i language images (ubi9/python-311): 1001. */
		const char *slash = strchr(repo, '/');

		if (!strncmp(repo, "ubi", 3) && slash) {
			if (!strcmp(slash + 1, "ubi") || hd_starts_with(slash + 1, "ubi-"))
				return HD_USER_ROOT;
			if (what)
				*what = "Red Hat's language images run as uid 1001";
			return HD_USER_NOT_ROOT;
		}
		return HD_USER_UNKNOWN;
	}
	/* First characters first: most references match none of these. */
	for (i = 0; i < HD_ARRAY_SIZE(image_users); i++) {
		if (image_users[i].repo[0] != repo[0] || image_users[i].registry[0] != reg[0] ||
		    strcmp(image_users[i].registry, reg) != 0 || !repo_matches(image_users[i].repo, repo))
			continue;
		w = image_users[i].what;
		if (what)
			*what = w;
		return image_users[i].kind;
	}
	if (strcmp(reg, "docker.io") != 0 || strncmp(repo, "library/", 8) != 0)
		return HD_USER_UNKNOWN;
	for (i = 0; i < HD_ARRAY_SIZE(root_official); i++) {
		if (root_official[i][0] == repo[8] && !strcmp(repo + 8, root_official[i]))
			return HD_USER_ROOT;
	}
	return HD_USER_UNKNOWN;
}
