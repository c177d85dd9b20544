/*
 * Secrets in image files: one vectorscan (Hyperscan API) database of token
 * and private-key patterns scanned over every regular file in one streaming
 * pass, a second one for credential files recognised by name (.netrc,
 * .pgpass, .docker/config.json, .npmrc, .pypirc, kubeconfigs, AWS credential
 * files, .env files) whose content decides, and files that are credentials by
 * name alone (cloud SDK token caches, SSH keys by their usual names, SSH host
 * keys).  OS-package documentation and test data are allowlisted.
 *
 * Hits carry a pattern id and the offset of the match's end, never the
 * matched bytes: no secret value leaves the scanner.
 *
 * A scanner is used by one thread at a time (it holds the vectorscan scratch
 * and one reusable stream per database).
 */
#ifndef HD_IMAGE_SCAN_H
#define HD_IMAGE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd_secret_kind {
	HD_SECRET_PRIVATE_KEY,  /* PEM/OpenSSH/PuTTY private key, or a key file by its usual name */
	HD_SECRET_SSH_HOST_KEY, /* /etc/ssh/ssh_host_*_key baked into the image */
	HD_SECRET_CREDENTIAL,   /* a credential file: .netrc with a password, docker auths, ... */
	HD_SECRET_TOKEN,        /* a token by its issuer's pattern: AWS, GitHub, GitLab, Slack, ... */
	HD_SECRET_KIND_MAX
};

struct hd_secret_pattern {
	enum hd_secret_kind kind;
	const char *what;   /* "a PEM private key", "an AWS access key id", ".netrc with a password" */
};

/* Pattern ids: content patterns, then name-only ones; NULL past the last. */
const struct hd_secret_pattern *hd_secret_pattern(unsigned id);
extern const size_t hd_secret_pattern_count;

/* Why a file is skipped: not at all (0), documentation or test data of packages. */
bool hd_scan_allowlisted(const char *path, size_t n);

/* Name classes of a path (bit set), deciding which credential patterns apply. */
unsigned hd_scan_name_class(const char *path, size_t n);
/* The pattern id of a file that is a secret by its name alone, or -1. */
int hd_scan_name_only(const char *path, size_t n);
/* Pattern id of the SSH host key kind (for /etc/ssh/ssh_host_*_key). */
int hd_scan_is_ssh_host_key(const char *path, size_t n);

typedef void hd_scan_hit_fn(void *ctx, unsigned pattern, uint64_t end_offset);

struct hd_scanner;

/* Compiles the databases (once per process) and prepares a scanner; 0 or -HD_E*. */
int hd_scanner_new(struct hd_scanner **ret, char *errbuf, size_t errlen);
void hd_scanner_free(struct hd_scanner *sc);
/* Starts a file of the given name class; hits go to fn (each pattern once per file). */
void hd_scanner_begin(struct hd_scanner *sc, unsigned name_class, hd_scan_hit_fn *fn, void *ctx);
/* Scans the next bytes of the file; 0 or -HD_EINVAL (vectorscan failed). */
int hd_scanner_feed(struct hd_scanner *sc, const void *p, size_t n);
/* Ends the file (end-anchored patterns report now). */
int hd_scanner_end(struct hd_scanner *sc);

#endif
