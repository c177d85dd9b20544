/*
 * Secret shapes shared by the rules that look at environment variables
 * (image config, container env): names that say "secret", and values that
 * look like one whatever their name (cloud keys, tokens, private keys,
 * URLs with a password).  Pure string tests; no allocation.
 */
#ifndef HD_RULES_SECRETS_H
#define HD_RULES_SECRETS_H

#include <stdbool.h>

/*
 * True when an environment variable's name says it holds a secret
 * ("DB_PASSWORD", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY") and is not a
 * reference to one ("PASSWORD_FILE", "TOKEN_PATH").
 */
bool hd_secret_name(const char *name);
/*
 * True when value is a plausible secret for a secret-named variable: not
 * empty, not a file path, not a variable reference ("$X", "${X}").
 */
bool hd_secret_value_plausible(const char *value);
/*
 * What a value looks like when it has a known secret shape ("an AWS access
 * key id", "a private key", ...), or NULL.
 */
const char *hd_secret_value_kind(const char *value);

#endif
