/*
 * The one secret classifier, shared by every rule that meets environment
 * variables or command lines: Dockerfile ENV/ARG/LABEL, compose
 * `environment:`, `docker run -e`, an image's Env, RUN commands, compose
 * command/entrypoint and run lines.
 *
 * A variable is judged by its name AND its value: the name must say it
 * holds a secret (DB_PASSWORD, GITHUB_TOKEN, API_KEY, dbPassword) and not be
 * about one (PASSWORD_FILE, TOKEN_AUTH_URL, JWT_TOKEN_AUTH_MODULE,
 * SE_VNC_NO_PASSWORD, *_LENGTH), and the value must be able to be one (not a
 * boolean, a path, a URL without credentials, a reference to another
 * variable, a placeholder).  A value with a known credential shape (cloud
 * keys, tokens, private keys, JWTs, URLs with a password) is a secret
 * whatever the name.
 *
 * Also: secrets passed on a command line (`--password X`, `mysql -pX`,
 * `curl -u user:pass`, `redis-server --requirepass X`) and environment
 * variables that turn TLS certificate verification off
 * (NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, GIT_SSL_NO_VERIFY,
 * *_DISABLE_HOSTNAME_VERIFICATION=true, *_SKIP_VERIFY=true), and variables
 * that turn a service's authentication off (POSTGRES_HOST_AUTH_METHOD=trust).
 *
 * Pure string tests; nothing is allocated; results borrow from the input
 * or are static text.
 */
#ifndef HD_RULES_SECRETS_H
#define HD_RULES_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

enum hd_secret_class {
	HD_SECRET_NONE,        /* not a secret */
	HD_SECRET_SHAPED,      /* the value has a known credential shape (verdict.kind says which) */
	HD_SECRET_LITERAL,     /* the name says secret and the value is a literal that can be one */
	HD_SECRET_REFERENCE,   /* the name says secret and the value comes from a variable ($X, ${X}) */
	HD_SECRET_PASSTHROUGH, /* the name says secret and no value is given (compose `- VAR`, `-e VAR`) */
};

struct hd_secret_verdict {
	enum hd_secret_class cls;
	const char *kind;   /* HD_SECRET_SHAPED: "an AWS access key id", "a private key", ... */
	const char *word;   /* the part of the name that says secret ("PASSWORD"), not NUL-terminated */
	size_t word_len;
};

/*
 * Judges a variable by name and value (value NULL when none is given).
 * Returns v->cls.
 */
enum hd_secret_class hd_secret_classify(const char *name, const char *value, struct hd_secret_verdict *v);

/*
 * True when a variable's name says it holds a secret (and is not about one:
 * PASSWORD_FILE, TOKEN_AUTH_URL, ALLOW_EMPTY_PASSWORD).
 */
bool hd_secret_name(const char *name);
/*
 * False when no name within s[0..len) can be a secret's (none holds "pass",
 * "secret", "token", "key", "cred" or "bearer", in any case): a quick test
 * before looking for names in a longer text.
 */
bool hd_secret_name_possible(const char *s, size_t len);
/* The same; word and word_len (may be NULL) get the part of the name that says so. */
bool hd_secret_name_word(const char *name, const char **word, size_t *word_len);
/*
 * True when value is a plausible secret for a secret-named variable: a
 * literal the classifier does not take for harmless (see below).
 */
bool hd_secret_value_plausible(const char *value);
/*
 * True when a value cannot be a secret whatever its name says: empty, a
 * boolean or switch word, a number meant as a switch (0/1), a path, a file
 * name, a URL without credentials, a reference to another variable, a
 * placeholder (<...>).
 */
bool hd_secret_value_harmless(const char *value);
/*
 * What a value looks like when it has a known secret shape ("an AWS access
 * key id", "a private key", ...), or NULL.
 */
const char *hd_secret_value_kind(const char *value);

/* A secret found on a command line. */
struct hd_cmdline_secret {
	size_t at;          /* index of the word that holds it */
	size_t value_off;   /* where the secret starts in that word (after --password=, -p, user:) */
	const char *what;   /* "the password of --requirepass" */
};
/*
 * Finds a secret given on the command line words[a0..n) (words[a0] is the
 * command, already unwrapped of sudo/env/...): an element is `stride` bytes
 * and starts with its `const char *text` (struct hd_word and struct
 * hd_run_word do).  Words that are expansions ($X, $(cat /run/secrets/x))
 * are not secrets: skip them by passing is_expansion (may be NULL), which
 * is asked for word i.  Returns true and fills *hit for the first one.
 */
bool hd_cmdline_secret(const void *words, size_t stride, size_t n, size_t a0,
		       bool (*is_expansion)(const void *words, size_t i), struct hd_cmdline_secret *hit);

/*
 * True when setting variable `name` to `value` turns TLS certificate (or
 * host name) verification off for some program; *what (may be NULL) gets a
 * short description ("Node.js accepts any certificate").
 */
bool hd_env_disables_tls(const char *name, const char *value, const char **what);

/*
 * True when setting variable `name` to `value` turns a service's
 * authentication off (POSTGRES_HOST_AUTH_METHOD=trust,
 * MYSQL_ALLOW_EMPTY_PASSWORD, *_ALLOW_EMPTY_PASSWORD=yes, *_NO_PASSWORD=true,
 * ALLOW_ANONYMOUS_LOGIN=yes, *_DISABLE_AUTH=true, GF_AUTH_ANONYMOUS_ENABLED=true,
 * xpack.security.enabled=false, ...).  *what gets a short description ("PostgreSQL
 * accepts every connection without a password"); *odd_value (may be NULL) is set
 * when the value does not look like "on" but the program still reads it so
 * (the official MySQL and MariaDB entrypoints take any non-empty value, "no"
 * included).
 */
bool hd_env_disables_auth(const char *name, const char *value, const char **what, bool *odd_value);

#endif
