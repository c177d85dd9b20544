/*
 * systemd unit files, as far as the daemon audit needs them: a service's
 * ExecStart= (with drop-ins' resets), User=, Environment= and
 * EnvironmentFile=; a socket's ListenStream=, SocketUser=, SocketGroup= and
 * SocketMode=.  Files are applied in order (the unit, then its drop-ins),
 * each overriding or extending what came before, as systemd does.
 *
 * ExecStart= is split into words with systemd's rules (systemd.service(5),
 * "Command lines"): the prefixes @-:+!, double and single quotes anywhere in
 * a word, C-style escapes inside and outside quotes, specifiers (%n, %%, ...),
 * then environment variables: a word that is exactly $NAME becomes the
 * value split at whitespace (zero or more words), ${NAME} anywhere becomes
 * the value as one piece, and $$ is a dollar sign.  Every word keeps the file,
 * line and column it came from.
 *
 * Syntax errors (an unterminated quote, a bad escape, an unknown specifier)
 * are recorded as problems with their position; systemd ignores such a line.
 *
 * Ownership: a unit, a word list and an environment own all their strings;
 * their _release() functions free them.
 */
#ifndef HD_PARSE_UNIT_H
#define HD_PARSE_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

struct hd_uproblem {
	char *message;
	char *file;
	uint32_t line, col;
};

struct hd_uproblems {
	struct hd_uproblem *v;
	size_t n, alloc;
};

/* A word of a command line, or a value, with where it was written. */
struct hd_uword {
	char *s;
	char *file;
	uint32_t line, col;
};

struct hd_uwords {
	struct hd_uword *v;
	size_t n, alloc;
};

/* Environment variables for expansion, later assignments win. */
struct hd_uenv {
	struct hd_uwords vars; /* each s is "NAME=value" */
};

/* Where in the joined value each physical line starts (for columns). */
struct hd_useg {
	size_t off;
	uint32_t line, col;
};

struct hd_unit_value {
	char *value;           /* after joining continuation lines */
	char *file;
	struct hd_useg *segs;
	size_t n_segs;
};

struct hd_unit {
	/* [Service] */
	struct hd_unit_value exec_start; /* the last ExecStart= in effect; value NULL when none */
	size_t n_exec_start;             /* ExecStart= lines in effect after resets */
	struct hd_uword user;            /* User=; s NULL when not set */
	struct hd_uenv environment;      /* Environment= assignments */
	struct hd_uwords env_files;      /* EnvironmentFile= paths; a leading '-' kept */
	/* [Socket] */
	struct hd_uwords listen_streams;
	struct hd_uword socket_user, socket_group, socket_mode;

	struct hd_strlist files;         /* the files applied, in order */
	struct hd_uproblems problems;
};

void hd_unit_init(struct hd_unit *u);
void hd_unit_release(struct hd_unit *u);
void hd_uwords_release(struct hd_uwords *w);
void hd_uenv_release(struct hd_uenv *e);
void hd_uproblems_release(struct hd_uproblems *p);

/*
 * Applies one unit file or drop-in (content data[0..len), named file) to u.
 * Returns 0 (syntax problems go to u->problems) or -HD_ENOMEM.
 */
int hd_unit_parse(struct hd_unit *u, const char *file, const char *data, size_t len);

/*
 * Reads an environment file (EnvironmentFile=, /etc/default/docker) into env.
 * Returns 0 or -HD_ENOMEM; malformed lines go to problems.
 */
int hd_uenv_parse(struct hd_uenv *env, const char *file, const char *data, size_t len,
		  struct hd_uproblems *problems);
/* The value of NAME in env (last assignment), or NULL. */
const char *hd_uenv_get(const struct hd_uenv *env, const char *name, const struct hd_uword **at);

/*
 * Splits a command line value into words (see above), expanding variables
 * from env (may be NULL) and the unit name's specifiers (unit_name like
 * "docker.service").  The prefixes are stripped; *ret_flags gets them
 * ("-", "@", ...) when not NULL.  Returns 0 or -HD_ENOMEM; a syntax error is
 * added to problems and leaves out empty.
 */
int hd_unit_split_exec(const struct hd_unit_value *v, const struct hd_uenv *env,
		       const char *unit_name, struct hd_uwords *out, struct hd_uproblems *problems);

/*
 * Splits a plain value (Environment=, a DOCKER_OPTS string) with the same
 * quoting rules but without specifiers or variables.  origin gives file,
 * line and column of the value's first byte.
 */
int hd_unit_split_words(const char *value, const struct hd_uword *origin, struct hd_uwords *out,
			struct hd_uproblems *problems);

#endif
