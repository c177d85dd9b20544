/*
 * Listening addresses and sockets (listen.h).
 */
#include "core/common.h"
#include "core/listen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

void hd_listen_addr_release(struct hd_listen_addr *a)
{
	if (!a)
		return;
	hd_free(a->path);
	a->path = NULL;
}

static bool parse_port(const char *s, unsigned *port)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return false;
	}
	*port = (unsigned)v;
	return true;
}

int hd_listen_parse(const char *spec, struct hd_listen_addr *ret, const char **why)
{
	char host[64];
	const char *colon, *h, *p;
	unsigned port;
	size_t hn;

	memset(ret, 0, sizeof(*ret));
	*why = NULL;
	if (hd_starts_with(spec, "unix:")) {
		struct sockaddr_un sa;
		const char *path = spec + 5;

		/* unix:///run/x.sock as the docker CLI writes it, and unix:/run/x.sock. */
		if (hd_starts_with(path, "//"))
			path += 2;
		if (*path != '/') {
			*why = "expected unix:/absolute/path";
			return -HD_EINVAL;
		}
		if (strlen(path) >= sizeof(sa.sun_path)) {
			*why = "the socket path is too long";
			return -HD_EINVAL;
		}
		ret->is_unix = true;
		ret->loopback = true;
		ret->path = hd_strdup(path);
		if (!ret->path)
			return -HD_ENOMEM;
		snprintf(ret->text, sizeof(ret->text), "unix:%.120s", path);
		return 0;
	}
	if (*spec == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':') {
			*why = "expected [IPv6]:PORT";
			return -HD_EINVAL;
		}
		h = spec + 1;
		hn = (size_t)(close - h);
		p = close + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || strchr(spec, ':') != colon) {
			*why = "expected ADDRESS:PORT, [IPv6]:PORT or unix:PATH";
			return -HD_EINVAL;
		}
		h = spec;
		hn = (size_t)(colon - spec);
		p = colon + 1;
	}
	if (!parse_port(p, &port)) {
		*why = "the port must be a number from 0 to 65535";
		return -HD_EINVAL;
	}
	if (hn >= sizeof(host)) {
		*why = "the address is too long";
		return -HD_EINVAL;
	}
	memcpy(host, h, hn);
	host[hn] = '\0';
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (!*host) {
		*why = "give the address to listen on (0.0.0.0 for every IPv4 interface)";
		return -HD_EINVAL;
	}
	if (spec[0] != '[') {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ret->sa;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
			*why = "the address must be an IPv4 address, [an IPv6 address] or localhost "
			       "(host names are not resolved)";
			return -HD_EINVAL;
		}
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		ret->sa_len = sizeof(*sin);
		ret->loopback = (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
		snprintf(ret->text, sizeof(ret->text), "%s:%u", host, port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ret->sa;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1) {
			*why = "the address in brackets must be an IPv6 address";
			return -HD_EINVAL;
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		ret->sa_len = sizeof(*sin6);
		ret->loopback = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
				(IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && sin6->sin6_addr.s6_addr[12] == 127);
		snprintf(ret->text, sizeof(ret->text), "[%s]:%u", host, port);
	}
	return 0;
}

/* Is a server answering on path?  0 no (stale or absent), 1 yes, negative on error. */
static int live_server(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -HD_EIO;
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (r == 0) {
		close(fd);
		return 1;
	}
	r = errno;
	close(fd);
	if (r == ECONNREFUSED || r == ENOENT)
		return 0;
	/* EAGAIN: a full backlog is a live server too. */
	return r == EAGAIN ? 1 : -HD_EIO;
}

int hd_listen_unix(const char *path, int backlog, int *ret_fd, struct stat *ret_st)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -HD_EINVAL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			errno = EEXIST;
			return -HD_EINVAL;
		}
		r = live_server(path);
		if (r < 0)
			return r;
		if (r > 0)
			return -HD_EBUSY;
		if (unlink(path) < 0)
			return -HD_EIO;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -HD_EIO;
	old = umask(0117);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, 0660) < 0 || listen(fd, backlog) < 0 || stat(path, ret_st) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -HD_EIO;
	}
	*ret_fd = fd;
	return 0;
}

int hd_listen_bind(const struct hd_listen_addr *a, int backlog, int *ret_fd, struct stat *ret_st)
{
	int fd, one = 1;

	memset(ret_st, 0, sizeof(*ret_st));
	if (a->is_unix)
		return hd_listen_unix(a->path, backlog, ret_fd, ret_st);
	fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -HD_EIO;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (a->sa.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, (const struct sockaddr *)&a->sa, a->sa_len) < 0 || listen(fd, backlog) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -HD_EIO;
	}
	*ret_fd = fd;
	return 0;
}

void hd_listen_unlink_own(const char *path, const struct stat *own)
{
	struct stat st;

	if (path && lstat(path, &st) == 0 && st.st_dev == own->st_dev && st.st_ino == own->st_ino)
		unlink(path);
}
