/*
 * The secret scanner (see scan.h): pattern tables, the allowlist, name
 * classes and the vectorscan streams.
 */
#include "core/common.h"
#include "image/scan.h"

#include <hs/hs.h>
#include <pthread.h>

/* Name classes: credential files whose content decides. */
enum {
	NC_AWS = 1u << 0,
	NC_NETRC = 1u << 1,
	NC_PGPASS = 1u << 2,
	NC_DOCKERCFG = 1u << 3,
	NC_NPMRC = 1u << 4,
	NC_PYPIRC = 1u << 5,
	NC_KUBECONFIG = 1u << 6,
	NC_GITCRED = 1u << 7,
	NC_ENV = 1u << 8,
};

struct pat {
	const char *re;
	unsigned flags;
	unsigned name_class; /* 0: the generic database; else the credential one */
	struct hd_secret_pattern info;
};

#define ML HS_FLAG_MULTILINE
#define CL HS_FLAG_CASELESS

/* Content patterns; ids are their indexes.  Keep PAT_AWS_ID in step. */
static const struct pat pats[] = {
	{ "-----BEGIN ([A-Z0-9]+ ){0,3}PRIVATE KEY( BLOCK)?-----(\\r?\\n|\\\\n)"
	  "([A-Za-z0-9-]+: [^\\n]*(\\r?\\n|\\\\n))*(\\r?\\n|\\\\n)?[A-Za-z0-9+/=]{40}",
	  0, 0, { HD_SECRET_PRIVATE_KEY, "a PEM private key" } },
	{ "PuTTY-User-Key-File-[23]: [a-z0-9-]+\\r?\\n", 0, 0, { HD_SECRET_PRIVATE_KEY, "a PuTTY private key" } },
#define PAT_AWS_ID 2
	{ "\\b(AKIA|ASIA)[A-Z2-7]{16}\\b", 0, 0, { HD_SECRET_TOKEN, "an AWS access key id" } },
	{ "aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+]{40}\\b", CL, 0, { HD_SECRET_TOKEN,
	  "an AWS secret access key" } },
	{ "\\bgh[pousr]_[A-Za-z0-9]{36}\\b", 0, 0, { HD_SECRET_TOKEN, "a GitHub token" } },
	{ "\\bgithub_pat_[A-Za-z0-9_]{82}\\b", 0, 0, { HD_SECRET_TOKEN, "a GitHub token" } },
	{ "\\bgl(pat|rt|dt|ptt|oas)-[A-Za-z0-9_-]{20}", 0, 0, { HD_SECRET_TOKEN, "a GitLab token" } },
	{ "\\bxox[abposr]-[0-9]{8,}-[0-9A-Za-z-]{8,}", 0, 0, { HD_SECRET_TOKEN, "a Slack token" } },
	{ "https://hooks\\.slack\\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{20,}", 0, 0,
	  { HD_SECRET_TOKEN, "a Slack webhook URL" } },
	{ "\\b[rs]k_live_[0-9A-Za-z]{24,}", 0, 0, { HD_SECRET_TOKEN, "a Stripe live key" } },
	{ "\\bAIza[0-9A-Za-z_-]{35}", 0, 0, { HD_SECRET_TOKEN, "a Google API key" } },
	{ "\"type\"\\s*:\\s*\"service_account\"", 0, 0, { HD_SECRET_CREDENTIAL,
	  "a Google service account key file" } },
	{ "\\bnpm_[A-Za-z0-9]{36}\\b", 0, 0, { HD_SECRET_TOKEN, "an npm token" } },
	{ "\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", 0, 0, { HD_SECRET_TOKEN, "a PyPI token" } },
	{ "\\bdckr_pat_[A-Za-z0-9_-]{27}", 0, 0, { HD_SECRET_TOKEN, "a Docker Hub access token" } },
	{ "\\bSG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", 0, 0, { HD_SECRET_TOKEN, "a SendGrid API key" } },
	{ "AccountKey=[A-Za-z0-9+/]{86}==", 0, 0, { HD_SECRET_TOKEN, "an Azure storage account key" } },
	{ "\\bhvs\\.[A-Za-z0-9_-]{90,}", 0, 0, { HD_SECRET_TOKEN, "a HashiCorp Vault token" } },
	{ "\\bsk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}", 0, 0, { HD_SECRET_TOKEN,
	  "an OpenAI API key" } },
	/* Credential files recognised by name; their content decides. */
	{ "aws_secret_access_key\\s*=\\s*\\S", CL, NC_AWS, { HD_SECRET_CREDENTIAL,
	  "an AWS credentials file with a secret key" } },
	{ "\\bpassword\\s+\\S", CL, NC_NETRC, { HD_SECRET_CREDENTIAL, "a .netrc file with a password" } },
	{ "^[^#\\s][^:\\n]*:[^:\\n]*:[^:\\n]*:[^:\\n]*:[^\\n]", ML, NC_PGPASS, { HD_SECRET_CREDENTIAL,
	  "a .pgpass file with a password" } },
	{ "\"(auth|identitytoken)\"\\s*:\\s*\"[A-Za-z0-9+/=._-]{4,}\"", 0, NC_DOCKERCFG, { HD_SECRET_CREDENTIAL,
	  "a docker config.json with registry credentials (auths)" } },
	{ "(_authToken|_auth|_password)\\s*=\\s*\\S", 0, NC_NPMRC, { HD_SECRET_CREDENTIAL,
	  "an .npmrc with a registry token" } },
	{ "^\\s*password\\s*[:=]\\s*\\S", ML | CL, NC_PYPIRC, { HD_SECRET_CREDENTIAL,
	  "a .pypirc with a password" } },
	{ "(client-key-data|token|password)\\s*:\\s*[\"']?[A-Za-z0-9]", 0, NC_KUBECONFIG,
	  { HD_SECRET_CREDENTIAL, "a kubeconfig with credentials" } },
	{ "[a-z]+://[^:/\\s]+:[^@\\s]+@", 0, NC_GITCRED, { HD_SECRET_CREDENTIAL,
	  "a .git-credentials file with a password" } },
	{ "^\\s*(export\\s+)?[A-Za-z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|"
	  "ACCESS_KEY)[A-Za-z0-9_]*\\s*=\\s*[\"']?[^\\s\"'$]",
	  ML | CL, NC_ENV, { HD_SECRET_CREDENTIAL, "an .env file with a secret" } },
};

/* Secrets by name alone; their ids follow the content patterns. */
enum { NAME_GCLOUD, NAME_AZURE, NAME_SSH_KEY, NAME_SSH_HOST_KEY, NAME_MAX };
static const struct hd_secret_pattern name_pats[NAME_MAX] = {
	[NAME_GCLOUD] = { HD_SECRET_CREDENTIAL, "Google Cloud SDK credentials" },
	[NAME_AZURE] = { HD_SECRET_CREDENTIAL, "Azure CLI tokens" },
	[NAME_SSH_KEY] = { HD_SECRET_PRIVATE_KEY, "an SSH private key file (by its name)" },
	[NAME_SSH_HOST_KEY] = { HD_SECRET_SSH_HOST_KEY, "an SSH host private key" },
};

#define N_PATS HD_ARRAY_SIZE(pats)

const size_t hd_secret_pattern_count = N_PATS + NAME_MAX;

const struct hd_secret_pattern *hd_secret_pattern(unsigned id)
{
	if (id < N_PATS)
		return &pats[id].info;
	return id < N_PATS + NAME_MAX ? &name_pats[id - N_PATS] : NULL;
}

/* ---- paths ------------------------------------------------------------------- */

static bool has_prefix(const char *p, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && memcmp(p, pre, k) == 0;
}

static bool has_suffix(const char *p, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(p + n - k, suf, k) == 0 && (n == k || p[n - k - 1] == '/' || suf[0] == '/');
}

static const char *base_of(const char *p, size_t n, size_t *bn)
{
	const char *b = p + n;

	while (b > p && b[-1] != '/')
		b--;
	*bn = (size_t)(p + n - b);
	return b;
}

static bool base_is(const char *b, size_t bn, const char *name)
{
	return bn == strlen(name) && memcmp(b, name, bn) == 0;
}

/* True when a component of p[0..n) equals one of the NULL-terminated names. */
static bool has_component(const char *p, size_t n, const char *const *names)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && p[j] != '/')
			j++;
		for (const char *const *w = names; *w; w++) {
			if (j - i == strlen(*w) && memcmp(p + i, *w, j - i) == 0)
				return true;
		}
		i = j + 1;
	}
	return false;
}

bool hd_scan_allowlisted(const char *p, size_t n)
{
	static const char *const docs[] = {
		"usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
		"usr/share/i18n/", "usr/share/zoneinfo/", "usr/share/common-licenses/", "usr/share/help/",
		"usr/share/gtk-doc/", "usr/share/javadoc/", "usr/local/share/doc/", "usr/local/share/man/",
	};
	static const char *const tests[] = { "test", "tests", "__tests__", "testing", "test-data",
					     "test_data", "fixtures", NULL };
	static const char *const libtrees[] = { "node_modules", "site-packages", "dist-packages", "gems",
						"vendor", "mod", "registry", NULL };
	static const char *const testdata[] = { "testdata", NULL };
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(docs); i++) {
		if (has_prefix(p, n, docs[i]))
			return true;
	}
	if (has_component(p, n, testdata))
		return true;
	/* Test suites shipped by OS packages and language package managers. */
	if ((has_prefix(p, n, "usr/") || has_component(p, n, libtrees)) && has_component(p, n, tests))
		return true;
	return false;
}

unsigned hd_scan_name_class(const char *p, size_t n)
{
	size_t bn;
	const char *b = base_of(p, n, &bn);
	unsigned c = 0;

	if (has_suffix(p, n, ".aws/credentials"))
		c |= NC_AWS;
	if (base_is(b, bn, ".netrc") || base_is(b, bn, "_netrc"))
		c |= NC_NETRC;
	if (base_is(b, bn, ".pgpass"))
		c |= NC_PGPASS;
	if (has_suffix(p, n, ".docker/config.json") || base_is(b, bn, ".dockercfg"))
		c |= NC_DOCKERCFG;
	if (base_is(b, bn, ".npmrc"))
		c |= NC_NPMRC;
	if (base_is(b, bn, ".pypirc"))
		c |= NC_PYPIRC;
	if (has_suffix(p, n, ".kube/config") || base_is(b, bn, "kubeconfig") ||
	    (bn > 11 && memcmp(b + bn - 11, ".kubeconfig", 11) == 0) ||
	    (has_prefix(p, n, "etc/kubernetes/") && bn > 5 && memcmp(b + bn - 5, ".conf", 5) == 0))
		c |= NC_KUBECONFIG;
	if (base_is(b, bn, ".git-credentials"))
		c |= NC_GITCRED;
	if ((base_is(b, bn, ".env") || (bn > 5 && memcmp(b, ".env.", 5) == 0)) &&
	    !base_is(b, bn, ".env.example") && !base_is(b, bn, ".env.sample") &&
	    !base_is(b, bn, ".env.template") && !base_is(b, bn, ".env.dist"))
		c |= NC_ENV;
	return c;
}

int hd_scan_is_ssh_host_key(const char *p, size_t n)
{
	size_t bn;
	const char *b = base_of(p, n, &bn);

	if (has_prefix(p, n, "etc/ssh/") && (size_t)(b - p) == 8 && bn > 13 &&
	    memcmp(b, "ssh_host_", 9) == 0 && memcmp(b + bn - 4, "_key", 4) == 0)
		return (int)(N_PATS + NAME_SSH_HOST_KEY);
	return -1;
}

int hd_scan_name_only(const char *p, size_t n)
{
	static const char *const ssh_keys[] = { "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
						"id_ecdsa_sk", "id_ed25519_sk" };
	size_t bn, i;
	const char *b = base_of(p, n, &bn);
	int k = hd_scan_is_ssh_host_key(p, n);

	if (k >= 0)
		return k;
	if (base_is(b, bn, "application_default_credentials.json") ||
	    has_suffix(p, n, ".config/gcloud/credentials.db") ||
	    has_suffix(p, n, ".config/gcloud/access_tokens.db"))
		return (int)(N_PATS + NAME_GCLOUD);
	if (has_suffix(p, n, ".azure/accessTokens.json") || has_suffix(p, n, ".azure/msal_token_cache.json"))
		return (int)(N_PATS + NAME_AZURE);
	for (i = 0; i < HD_ARRAY_SIZE(ssh_keys); i++) {
		if (base_is(b, bn, ssh_keys[i]))
			return (int)(N_PATS + NAME_SSH_KEY);
	}
	return -1;
}

/* ---- vectorscan ---------------------------------------------------------------- */

static hs_database_t *db_generic, *db_cred;
static char compile_err[256];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static hs_database_t *compile_set(bool cred)
{
	const char *exprs[N_PATS];
	unsigned flags[N_PATS], ids[N_PATS];
	unsigned n = 0, i;
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;

	for (i = 0; i < N_PATS; i++) {
		if ((pats[i].name_class != 0) != cred)
			continue;
		exprs[n] = pats[i].re;
		flags[n] = pats[i].flags;
		ids[n] = i;
		n++;
	}
	if (hs_compile_multi(exprs, flags, ids, n, HS_MODE_STREAM, NULL, &db, &ce) != HS_SUCCESS) {
		snprintf(compile_err, sizeof(compile_err), "secret pattern %d: %s",
			 ce ? ce->expression : -1, ce && ce->message ? ce->message : "compile error");
		hs_free_compile_error(ce);
		return NULL;
	}
	return db;
}

static void compile_all(void)
{
	db_generic = compile_set(false);
	if (db_generic)
		db_cred = compile_set(true);
}

struct hd_scanner {
	hs_scratch_t *scratch;
	hs_stream_t *s_generic, *s_cred;
	bool cred_on;
	unsigned name_class;
	hd_scan_hit_fn *fn;
	void *ctx;
	uint64_t seen[(N_PATS + 63) / 64]; /* patterns reported for this file */
	uint64_t offset;                  /* of the block being scanned */
	const uint8_t *block;
	size_t block_len;
};

int hd_scanner_new(struct hd_scanner **ret, char *errbuf, size_t errlen)
{
	struct hd_scanner *sc;

	pthread_once(&compile_once, compile_all);
	if (!db_generic || !db_cred) {
		snprintf(errbuf, errlen, "cannot compile the secret patterns: %s", compile_err);
		return -HD_EINVAL;
	}
	sc = hd_calloc(1, sizeof(*sc));
	if (!sc)
		return -HD_ENOMEM;
	if (hs_alloc_scratch(db_generic, &sc->scratch) != HS_SUCCESS ||
	    hs_alloc_scratch(db_cred, &sc->scratch) != HS_SUCCESS ||
	    hs_open_stream(db_generic, 0, &sc->s_generic) != HS_SUCCESS ||
	    hs_open_stream(db_cred, 0, &sc->s_cred) != HS_SUCCESS) {
		hd_scanner_free(sc);
		snprintf(errbuf, errlen, "cannot allocate the secret scanner");
		return -HD_ENOMEM;
	}
	*ret = sc;
	return 0;
}

void hd_scanner_free(struct hd_scanner *sc)
{
	if (!sc)
		return;
	if (sc->s_generic)
		hs_close_stream(sc->s_generic, sc->scratch, NULL, NULL);
	if (sc->s_cred)
		hs_close_stream(sc->s_cred, sc->scratch, NULL, NULL);
	if (sc->scratch)
		hs_free_scratch(sc->scratch);
	hd_free(sc);
}

/* Documented example values are not secrets. */
static bool is_example(const struct hd_scanner *sc, unsigned id, unsigned long long to)
{
	if (id == PAT_AWS_ID && to >= sc->offset + 20 && to <= sc->offset + sc->block_len) {
		const uint8_t *p = sc->block + (to - sc->offset) - 20;

		return memcmp(p + 13, "EXAMPLE", 7) == 0;
	}
	return false;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
		    void *ctx)
{
	struct hd_scanner *sc = ctx;

	(void)from;
	(void)flags;
	if (id >= N_PATS || (sc->seen[id / 64] >> (id % 64)) & 1)
		return 0;
	if (pats[id].name_class && !(pats[id].name_class & sc->name_class))
		return 0;
	if (is_example(sc, id, to))
		return 0;
	sc->seen[id / 64] |= (uint64_t)1 << (id % 64);
	sc->fn(sc->ctx, id, (uint64_t)to);
	return 0;
}

void hd_scanner_begin(struct hd_scanner *sc, unsigned name_class, hd_scan_hit_fn *fn, void *ctx)
{
	sc->name_class = name_class;
	sc->cred_on = name_class != 0;
	sc->fn = fn;
	sc->ctx = ctx;
	sc->offset = 0;
	memset(sc->seen, 0, sizeof(sc->seen));
}

int hd_scanner_feed(struct hd_scanner *sc, const void *p, size_t n)
{
	while (n) {
		unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;

		sc->block = p;
		sc->block_len = chunk;
		if (hs_scan_stream(sc->s_generic, p, chunk, 0, sc->scratch, on_match, sc) != HS_SUCCESS)
			return -HD_EINVAL;
		if (sc->cred_on &&
		    hs_scan_stream(sc->s_cred, p, chunk, 0, sc->scratch, on_match, sc) != HS_SUCCESS)
			return -HD_EINVAL;
		sc->offset += chunk;
		p = (const uint8_t *)p + chunk;
		n -= chunk;
	}
	return 0;
}

int hd_scanner_end(struct hd_scanner *sc)
{
	sc->block = NULL;
	sc->block_len = 0;
	if (hs_reset_stream(sc->s_generic, 0, sc->scratch, on_match, sc) != HS_SUCCESS)
		return -HD_EINVAL;
	if (hs_reset_stream(sc->s_cred, 0, sc->scratch, on_match, sc) != HS_SUCCESS)
		return -HD_EINVAL;
	return 0;
}
