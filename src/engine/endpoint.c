/*
 * Endpoint selection: --host, DOCKER_HOST, contexts and TLS files, in the
 * docker CLI's order (see endpoint.h).  Nothing here connects; it only reads
 * the environment, config.json and the context store.
 */
#include "core/common.h"
#include "core/buf.h"
#include "engine/endpoint.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/var/run/docker.sock"
#define MAX_CONFIG_JSON (4u * 1024 * 1024)

void hd_engine_opts_init(struct hd_engine_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->tls = -1;
	o->tlsverify = -1;
}

void hd_engine_endpoint_release(struct hd_engine_endpoint *ep)
{
	if (!ep)
		return;
	hd_free(ep->host);
	hd_free(ep->socket_path);
	hd_free(ep->base_url);
	hd_free(ep->hostname);
	hd_free(ep->ca);
	hd_free(ep->cert);
	hd_free(ep->key);
	hd_free(ep->context);
	hd_free(ep->source);
	memset(ep, 0, sizeof(*ep));
}

static const char *env_get(const struct hd_engine_opts *o, const char *name)
{
	const char *v = o->getenv ? o->getenv(name, o->getenv_ctx) : getenv(name);

	return v && *v ? v : NULL;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* True for "localhost", 127.0.0.0/8 and ::1: the engine runs on this machine. */
static bool is_loopback(const char *h)
{
	return !*h || !strcmp(h, "localhost") || hd_starts_with(h, "127.") || !strcmp(h, "::1") ||
	       hd_ends_with(h, ".localhost");
}

int hd_engine_parse_host(const char *host, bool tls, struct hd_engine_endpoint *ep)
{
	const char *rest, *hs, *he, *port = NULL, *path;
	size_t plen = 0;
	char *h = NULL;

	if (hd_starts_with(host, "unix://")) {
		rest = host + 7;
		if (!*rest)
			rest = DEFAULT_SOCKET;
		if (*rest != '/')
			return -HD_EINVAL;
		ep->transport = HD_TRANSPORT_UNIX;
		ep->socket_path = hd_strdup(rest);
		ep->host = hd_asprintf("unix://%s", rest);
		ep->base_url = hd_strdup("http://localhost");
		ep->tls = false;
		ep->local = true;
		if (!ep->socket_path || !ep->host || !ep->base_url)
			return -HD_ENOMEM;
		return 0;
	}
	if (hd_starts_with(host, "tcp://"))
		rest = host + 6;
	else if (hd_starts_with(host, "http://")) {
		rest = host + 7;
		tls = false;
	} else if (hd_starts_with(host, "https://")) {
		rest = host + 8;
		tls = true;
	} else
		return -HD_EINVAL;

	/* host part: [v6]:port, name:port, name */
	if (*rest == '[') {
		hs = rest + 1;
		he = strchr(hs, ']');
		if (!he)
			return -HD_EINVAL;
		if (he[1] == ':')
			port = he + 2;
		else if (he[1] && he[1] != '/')
			return -HD_EINVAL;
		path = strchr(he, '/');
	} else {
		hs = rest;
		he = hs + strcspn(hs, ":/");
		if (*he == ':')
			port = he + 1;
		path = strchr(he, '/');
	}
	if (port) {
		const char *pe = port + strspn(port, "0123456789");
		uint64_t pv;

		plen = (size_t)(pe - port);
		if ((*pe && *pe != '/') || hd_parse_u64_n(port, plen, 65535, &pv) < 0 || pv == 0)
			return -HD_EINVAL;
	}
	if (path && !strcmp(path, "/"))
		path = NULL;
	h = hd_strndup(hs, (size_t)(he - hs));
	if (!h)
		return -HD_ENOMEM;
	if (strpbrk(h, "@?#% ")) {
		hd_free(h);
		return -HD_EINVAL;
	}
	ep->transport = HD_TRANSPORT_TCP;
	ep->tls = tls;
	ep->local = is_loopback(h);
	ep->hostname = *h ? h : hd_strdup("localhost");
	if (!*h)
		hd_free(h);
	if (!ep->hostname)
		return -HD_ENOMEM;
	{
		bool v6 = strchr(ep->hostname, ':') != NULL;
		const char *lb = v6 ? "[" : "", *rb = v6 ? "]" : "";
		const char *pdef = tls ? "2376" : "2375";
		int pl = port ? (int)plen : 4;
		const char *p = port ? port : pdef;

		ep->host = hd_asprintf("tcp://%s%s%s:%.*s%s", lb, ep->hostname, rb, pl, p,
				       path ? path : "");
		ep->base_url = hd_asprintf("%s://%s%s%s:%.*s%s", tls ? "https" : "http", lb,
					   ep->hostname, rb, pl, p, path ? path : "");
	}
	if (!ep->host || !ep->base_url)
		return -HD_ENOMEM;
	return 0;
}

/* Fills d (when given) and returns err, or -HD_ENOMEM. */
static int fail(struct hd_diag *d, int err, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct hd_diag *d, int err, const char *file, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	if (!d)
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return hd_diag_set(d, file, 0, 0, "%s", msg) == -HD_ENOMEM ? -HD_ENOMEM : err;
}

static int host_error(const char *host, const char *what, struct hd_diag *d)
{
	if (hd_starts_with(host, "ssh://"))
		return fail(d, -HD_EINVAL, NULL,
			    "%s '%s': ssh:// engines are not supported; forward the socket "
			    "(ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock HOST) and use "
			    "unix:///tmp/docker.sock", what, host);
	if (hd_starts_with(host, "npipe://") || hd_starts_with(host, "fd://"))
		return fail(d, -HD_EINVAL, NULL, "%s '%s': this transport is not supported here",
			    what, host);
	return fail(d, -HD_EINVAL, NULL, "%s '%s': expected unix:///PATH or tcp://HOST[:PORT]",
		    what, host);
}

/* The docker CLI's config dir: --docker-config, DOCKER_CONFIG, ~/.docker. */
static char *config_dir(const struct hd_engine_opts *o)
{
	const char *d = o->config_dir ? o->config_dir : env_get(o, "DOCKER_CONFIG");
	const char *home;

	if (d)
		return hd_strdup(d);
	home = env_get(o, "HOME");
	if (!home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw && pw->pw_dir ? pw->pw_dir : "/";
	}
	return hd_asprintf("%s/.docker", home);
}

/* Reads a JSON file; a missing file gives *ret = NULL and 0. */
static int read_json(const char *path, json_t **ret, struct hd_diag *d)
{
	struct hd_buf b = HD_BUF_INIT(MAX_CONFIG_JSON);
	json_error_t je;
	json_t *j;
	int r;

	*ret = NULL;
	r = hd_buf_read_file(&b, path);
	if (r == -HD_ENOENT)
		return 0;
	if (r < 0) {
		hd_buf_release(&b);
		return fail(d, r, path, "cannot read '%s': %s", path, hd_strerror(r));
	}
	j = json_loadb(b.buf, b.len, 0, &je);
	hd_buf_release(&b);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		if (!d)
			return -HD_EPARSE;
		r = hd_diag_set(d, path, j ? 1 : (unsigned)je.line, j ? 1 : (unsigned)je.column,
				"cannot parse '%s': %s", path, j ? "expected a JSON object" : je.text);
		return r == -HD_ENOMEM ? r : -HD_EPARSE;
	}
	*ret = j;
	return 0;
}

static int sha256_hex(const char *s, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (!EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) || n != 32)
		return -HD_EUNSUPPORTED;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
	return 0;
}

/* Sets *file to dir/name when that file exists (else leaves it NULL). */
static int set_if_exists(char **file, const char *dir, const char *name)
{
	char *p = hd_asprintf("%s/%s", dir, name);

	if (!p)
		return -HD_ENOMEM;
	if (file_exists(p))
		*file = p;
	else
		hd_free(p);
	return 0;
}

static int load_context(const struct hd_engine_opts *o, const char *cfgdir, const char *name,
			struct hd_engine_endpoint *ep, struct hd_diag *d)
{
	char hex[65];
	hd_autofree char *meta = NULL;
	hd_autofree char *tlsdir = NULL;
	json_t *j = NULL, *docker, *host;
	bool skip_verify;
	int r;

	(void)o;
	r = sha256_hex(name, hex);
	if (r < 0)
		return r;
	meta = hd_asprintf("%s/contexts/meta/%s/meta.json", cfgdir, hex);
	tlsdir = hd_asprintf("%s/contexts/tls/%s/docker", cfgdir, hex);
	if (!meta || !tlsdir)
		return -HD_ENOMEM;
	r = read_json(meta, &j, d);
	if (r < 0)
		return r;
	if (!j)
		return fail(d, -HD_EINVAL, NULL, "context '%s' not found: no %s", name, meta);
	docker = json_object_get(json_object_get(j, "Endpoints"), "docker");
	host = json_object_get(docker, "Host");
	if (!json_is_string(host)) {
		json_decref(j);
		return fail(d, -HD_EPARSE, meta, "context '%s' has no docker endpoint in %s",
				name, meta);
	}
	skip_verify = json_is_true(json_object_get(docker, "SkipTLSVerify"));
	r = set_if_exists(&ep->ca, tlsdir, "ca.pem");
	if (r >= 0)
		r = set_if_exists(&ep->cert, tlsdir, "cert.pem");
	if (r >= 0)
		r = set_if_exists(&ep->key, tlsdir, "key.pem");
	if (r < 0) {
		json_decref(j);
		return r;
	}
	r = hd_engine_parse_host(json_string_value(host), ep->ca || ep->cert || skip_verify, ep);
	if (r == -HD_EINVAL) {
		char what[300];

		snprintf(what, sizeof(what), "context '%s': docker host", name);
		r = host_error(json_string_value(host), what, d);
	}
	json_decref(j);
	if (r < 0)
		return r;
	if (ep->transport == HD_TRANSPORT_TCP && (ep->ca || ep->cert || skip_verify))
		ep->tls = true;
	ep->tls_verify = ep->tls && !skip_verify;
	if (ep->transport == HD_TRANSPORT_UNIX) {
		hd_free(ep->ca);
		hd_free(ep->cert);
		hd_free(ep->key);
		ep->ca = ep->cert = ep->key = NULL;
	}
	ep->context = hd_strdup(name);
	ep->source = hd_asprintf("context '%s'", name);
	return ep->context && ep->source ? 0 : -HD_ENOMEM;
}

/* The default context: --host or DOCKER_HOST, TLS from flags and environment. */
static int load_default(const struct hd_engine_opts *o, const char *cfgdir,
			struct hd_engine_endpoint *ep, struct hd_diag *d)
{
	const char *host = o->host, *src = "--host", *certdir;
	bool verify, tls;
	int r;

	if (!host) {
		host = env_get(o, "DOCKER_HOST");
		src = "DOCKER_HOST";
	}
	if (!host) {
		host = "unix://" DEFAULT_SOCKET;
		src = "default";
	}
	verify = o->tlsverify >= 0 ? o->tlsverify == 1 : env_get(o, "DOCKER_TLS_VERIFY") != NULL;
	tls = o->tls == 1 || verify;
	r = hd_engine_parse_host(host, tls, ep);
	if (r == -HD_EINVAL)
		return host_error(host, src, d);
	if (r < 0)
		return r;
	ep->source = hd_strdup(src);
	if (!ep->source)
		return -HD_ENOMEM;
	if (ep->transport == HD_TRANSPORT_UNIX || !ep->tls)
		return 0;
	ep->tls_verify = verify || hd_starts_with(host, "https://");
	certdir = env_get(o, "DOCKER_CERT_PATH");
	if (!certdir)
		certdir = cfgdir;
	if (o->tlscacert) {
		ep->ca = hd_strdup(o->tlscacert);
		if (!ep->ca)
			return -HD_ENOMEM;
	} else if (ep->tls_verify) {
		r = set_if_exists(&ep->ca, certdir, "ca.pem");
		if (r < 0)
			return r;
	}
	if (o->tlscert || o->tlskey) {
		ep->cert = o->tlscert ? hd_strdup(o->tlscert) : NULL;
		ep->key = o->tlskey ? hd_strdup(o->tlskey) : NULL;
		if ((o->tlscert && !ep->cert) || (o->tlskey && !ep->key))
			return -HD_ENOMEM;
	} else {
		r = set_if_exists(&ep->cert, certdir, "cert.pem");
		if (r >= 0)
			r = set_if_exists(&ep->key, certdir, "key.pem");
		if (r < 0)
			return r;
		if (!ep->cert || !ep->key) {
			hd_free(ep->cert);
			hd_free(ep->key);
			ep->cert = ep->key = NULL;
		}
	}
	if ((ep->cert != NULL) != (ep->key != NULL))
		return fail(d, -HD_EINVAL, NULL, "TLS client certificate and key go together: %s%s",
				ep->cert ? "no key for the certificate " : "no certificate for the key ",
				ep->cert ? ep->cert : ep->key);
	return 0;
}

int hd_engine_endpoint_resolve(const struct hd_engine_opts *o, struct hd_engine_endpoint *ret,
			       struct hd_diag *d)
{
	struct hd_engine_endpoint ep;
	hd_autofree char *cfgdir = NULL;
	const char *ctx = NULL;
	char *ctx_owned = NULL;
	int r;

	memset(&ep, 0, sizeof(ep));
	if (o->host && o->context)
		return fail(d, -HD_EINVAL, NULL,
				"conflicting options: give either --host (%s) or --context (%s), not both",
				o->host, o->context);
	cfgdir = config_dir(o);
	if (!cfgdir)
		return -HD_ENOMEM;
	if (o->context)
		ctx = o->context;
	else if (!o->host && !env_get(o, "DOCKER_HOST")) {
		ctx = env_get(o, "DOCKER_CONTEXT");
		if (!ctx) {
			hd_autofree char *cfg = hd_asprintf("%s/config.json", cfgdir);
			json_t *j = NULL, *cur;

			if (!cfg)
				return -HD_ENOMEM;
			r = read_json(cfg, &j, d);
			if (r < 0)
				return r;
			cur = json_object_get(j, "currentContext");
			if (json_is_string(cur) && *json_string_value(cur)) {
				ctx_owned = hd_strdup(json_string_value(cur));
				if (!ctx_owned) {
					json_decref(j);
					return -HD_ENOMEM;
				}
				ctx = ctx_owned;
			}
			json_decref(j);
		}
	}
	if (ctx && strcmp(ctx, "default") != 0)
		r = load_context(o, cfgdir, ctx, &ep, d);
	else
		r = load_default(o, cfgdir, &ep, d);
	hd_free(ctx_owned);
	if (r < 0) {
		hd_engine_endpoint_release(&ep);
		return r;
	}
	*ret = ep;
	return 0;
}
