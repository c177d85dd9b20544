/*
 * Listening sockets for hardock's servers: an address as a user writes it
 * ("127.0.0.1:9701", "[::1]:9701", "localhost:9701", "unix:/run/x.sock"),
 * whether it stays on this machine, and a socket bound to it.
 *
 * Host names other than "localhost" are refused: a server binds what the
 * user wrote, never what a resolver answers.  A unix socket is created with
 * mode 0660; a stale one (nothing answers) is replaced, a live one refused
 * with -HD_EBUSY, and anything else at the path is left alone.
 *
 * Ownership: struct hd_listen_addr owns its path; hd_listen_addr_release()
 * frees it.
 */
#ifndef HD_CORE_LISTEN_H
#define HD_CORE_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>

struct hd_listen_addr {
	bool is_unix;
	char *path;                  /* unix: the socket's path */
	struct sockaddr_storage sa;  /* tcp */
	socklen_t sa_len;
	bool loopback;               /* tcp on 127.0.0.0/8 or ::1; unix sockets are local too */
	char text[128];              /* for messages: "127.0.0.1:9701", "[::1]:9701", "unix:/x" */
};

/*
 * Parses spec.  Returns 0, -HD_EINVAL with *why (a static sentence) saying
 * what was expected, or -HD_ENOMEM.
 */
int hd_listen_parse(const char *spec, struct hd_listen_addr *ret, const char **why);
void hd_listen_addr_release(struct hd_listen_addr *a);

/*
 * Binds and listens (close-on-exec, SO_REUSEADDR for TCP).  For a unix
 * socket *ret_st receives what was created, for hd_listen_unlink_own().
 * Returns 0 and *ret_fd, -HD_EBUSY (a live server holds the unix path),
 * -HD_EINVAL (something else than a socket is there) or -HD_EIO with errno
 * set.
 */
int hd_listen_bind(const struct hd_listen_addr *a, int backlog, int *ret_fd, struct stat *ret_st);

/*
 * The unix half of hd_listen_bind(): binds and listens on path with mode
 * 0660, replacing a stale socket.  Same returns (-HD_EINVAL also for a path
 * too long for a socket address).
 */
int hd_listen_unix(const char *path, int backlog, int *ret_fd, struct stat *ret_st);

/* Removes path if it is still the socket described by own. */
void hd_listen_unlink_own(const char *path, const struct stat *own);

#endif
