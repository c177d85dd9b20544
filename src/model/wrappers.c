/*
 * The table of wrapper commands and aliases (see wrappers.h) and the one
 * function that skips them.  The table is sorted by name for a binary
 * search; a bitmap of the first two letters of every name rejects most
 * command words (echo, rm, make, ...) before any compare.  The unit test
 * checks both against the table, so an entry cannot be added without them.
 */
#include "core/common.h"
#include "model/wrappers.h"

#define W_OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * Sorted by name (strcmp order).  For each wrapper: the short options and
 * long options that take a value, the options naming the user the command
 * runs as, the options after which nothing is run, and the operands that
 * come before the command.
 */
const struct hd_wrapper hd_wrappers[] = {
	{ .name = "builtin" },
	{ .name = "busybox" }, /* busybox APPLET args: the applet is the command */
	{ .name = "chpst", .short_val = "uUbe/nlLmdofpcrt", .user_short = "uU", .flags = HD_WRAP_USER },
	{ .name = "chronic" },
	{ .name = "chroot", .long_val = W_OPTS("userspec", "groups"), .user_long = W_OPTS("userspec"),
	  .operands = 1, .flags = HD_WRAP_USER },
	{ .name = "command", .no_cmd = "vV" },
	{ .name = "dbus-run-session", .long_val = W_OPTS("config-file", "dbus-daemon") },
	{ .name = "doas", .short_val = "uCa", .user_short = "u", .no_cmd = "CL",
	  .flags = HD_WRAP_USER | HD_WRAP_ROOT },
	{ .name = "dumb-init", .short_val = "r", .long_val = W_OPTS("rewrite") },
	{ .name = "eatmydata" },
	{ .name = "env", .short_val = "uCSa", .long_val = W_OPTS("unset", "chdir", "split-string", "argv0"),
	  .no_cmd = "S", .no_cmd_long = W_OPTS("split-string"), .flags = HD_WRAP_ASSIGNS },
	{ .name = "exec", .short_val = "a" },
	{ .name = "fakeroot", .short_val = "lfsib", .long_val = W_OPTS("lib", "faked") },
	{ .name = "flock", .short_val = "wEc", .long_val = W_OPTS("timeout", "conflict-exit-code", "command"),
	  .no_cmd = "c", .no_cmd_long = W_OPTS("command"), .operands = 1 },
	{ .name = "gosu", .operands = 1, .user_operand = 1, .flags = HD_WRAP_USER },
	{ .name = "ionice", .short_val = "cnpPu", .long_val = W_OPTS("class", "classdata", "pid", "pgid", "uid"),
	  .no_cmd = "pPu", .no_cmd_long = W_OPTS("pid", "pgid", "uid") },
	{ .name = "nice", .short_val = "n", .long_val = W_OPTS("adjustment") },
	{ .name = "nohup" },
	{ .name = "runuser", .short_val = "ugGcsw",
	  .long_val = W_OPTS("user", "group", "supp-group", "shell", "command", "session-command",
			     "whitelist-environment"),
	  .user_short = "u", .user_long = W_OPTS("user"), .no_cmd = "c",
	  .no_cmd_long = W_OPTS("command", "session-command"), .flags = HD_WRAP_USER | HD_WRAP_REQUSER },
	{ .name = "s6-setuidgid", .operands = 1, .user_operand = 1, .flags = HD_WRAP_USER },
	{ .name = "setpriv",
	  .long_val = W_OPTS("reuid", "regid", "ruid", "rgid", "euid", "egid", "groups", "inh-caps", "ambient-caps",
			     "bounding-set", "securebits", "selinux-label", "apparmor-profile", "landlock-access",
			     "landlock-rule", "pdeathsig"),
	  .user_long = W_OPTS("reuid", "ruid", "euid"), .no_cmd = "d", .no_cmd_long = W_OPTS("dump"),
	  .flags = HD_WRAP_USER },
	{ .name = "setsid" },
	{ .name = "stdbuf", .short_val = "ioe", .long_val = W_OPTS("input", "output", "error") },
	{ .name = "su-exec", .operands = 1, .user_operand = 1, .flags = HD_WRAP_USER },
	{ .name = "sudo", .short_val = "CDghpRrTtUu",
	  .long_val = W_OPTS("close-from", "chdir", "group", "host", "prompt", "chroot", "role", "type",
			     "command-timeout", "other-user", "user"),
	  .user_short = "u", .user_long = W_OPTS("user"), .no_cmd = "elvVK",
	  .no_cmd_long = W_OPTS("edit", "list", "validate", "version", "remove-timestamp"),
	  .flags = HD_WRAP_ASSIGNS | HD_WRAP_USER | HD_WRAP_ROOT },
	{ .name = "taskset", .no_cmd = "p", .no_cmd_long = W_OPTS("pid"), .operands = 1 },
	{ .name = "time", .short_val = "fo", .long_val = W_OPTS("format", "output") },
	{ .name = "timeout", .short_val = "sk", .long_val = W_OPTS("signal", "kill-after"), .operands = 1 },
	{ .name = "tini", .short_val = "pe" },
	{ .name = "unbuffer" },
	{ .name = "with-contenv" },
	{ .name = "xargs", .short_val = "adEILnPs",
	  .long_val = W_OPTS("arg-file", "delimiter", "max-lines", "max-args", "max-procs", "max-chars",
			     "process-slot-var") },
	{ .name = "xvfb-run", .short_val = "efnpsw",
	  .long_val = W_OPTS("error-file", "server-num", "xauth-protocol", "server-args", "wait", "auth-file") },
	/* Cross-compilation helpers (tonistiigi/xx): the package manager itself for another platform. */
	{ .name = "xx-apk", .alias = "apk", .flags = HD_WRAP_ALIAS },
	{ .name = "xx-apt", .alias = "apt", .flags = HD_WRAP_ALIAS },
	{ .name = "xx-apt-get", .alias = "apt-get", .flags = HD_WRAP_ALIAS },
	{ .name = "xx-cargo", .alias = "cargo", .flags = HD_WRAP_ALIAS },
	{ .name = "xx-go", .alias = "go", .flags = HD_WRAP_ALIAS },
};
const size_t hd_wrapper_count = HD_ARRAY_SIZE(hd_wrappers);

/*
 * Bit c1 of hd_wrapper_pairs[c0] is set when a name in the table starts with
 * letters c0 c1 (letters a-z as 0-25, '-' as 26, a digit as 27).
 */
#define B(c) (1u << ((c) == '-' ? 26 : (c) >= '0' && (c) <= '9' ? 27 : (c) - 'a'))
const uint32_t hd_wrapper_pairs[26] = {
	['b' - 'a'] = B('u'),
	['c' - 'a'] = B('h') | B('o'),
	['d' - 'a'] = B('b') | B('o') | B('u'),
	['e' - 'a'] = B('a') | B('n') | B('x'),
	['f' - 'a'] = B('a') | B('l'),
	['g' - 'a'] = B('o'),
	['i' - 'a'] = B('o'),
	['n' - 'a'] = B('i') | B('o'),
	['r' - 'a'] = B('u'),
	['s' - 'a'] = B('6') | B('e') | B('t') | B('u'),
	['t' - 'a'] = B('a') | B('i'),
	['u' - 'a'] = B('n'),
	['w' - 'a'] = B('i'),
	['x' - 'a'] = B('a') | B('v') | B('x'),
};
#undef B

const char *hd_word_base(const char *word)
{
	const char *slash = strrchr(word, '/');

	return slash ? slash + 1 : word;
}

static inline bool pair_possible(const char *t)
{
	unsigned c0 = (unsigned char)t[0] - 'a', c1, bit;

	if (c0 >= 26)
		return false; /* also the empty word: t[1] is not read */
	c1 = (unsigned char)t[1];
	if (c1 >= 'a' && c1 <= 'z')
		bit = c1 - 'a';
	else if (c1 == '-')
		bit = 26;
	else if (c1 >= '0' && c1 <= '9')
		bit = 27;
	else
		return false;
	return (hd_wrapper_pairs[c0] >> bit) & 1u;
}

const struct hd_wrapper *hd_wrapper_find(const char *word)
{
	const char *t = word;
	size_t lo = 0, hi = HD_ARRAY_SIZE(hd_wrappers);

	if (t[0] == '/' || t[0] == '.')
		t = hd_word_base(t);
	if (!pair_possible(t))
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t, hd_wrappers[mid].name);

		if (c == 0)
			return &hd_wrappers[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool in_list(const char *const *l, const char *s, size_t n)
{
	for (; l && *l; l++) {
		if (strncmp(*l, s, n) == 0 && (*l)[n] == '\0')
			return true;
	}
	return false;
}

/* NAME=value */
static bool is_assignment(const char *s)
{
	const char *p = s;

	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=' && p > s;
}

/* True when a user value names root: "root", "0", "0:0", "root:wheel". */
static bool user_is_root_spec(const char *u)
{
	size_t n = strcspn(u, ":");

	return (n == 4 && !strncmp(u, "root", 4)) || (n >= 1 && strspn(u, "0") == n);
}

#define WORD(i) (*(const char *const *)((const char *)words + (i) * stride))

/*
 * Skips wrapper wr at words[i] with its options and operands.  Returns the
 * index of the word after them; sets *stop when the wrapper runs nothing.
 */
static size_t skip_one(const void *words, size_t stride, size_t n, size_t i, const struct hd_wrapper *wr,
		       struct hd_unwrap *u, bool *stop)
{
	bool user_named = false;
	unsigned k;

	i++;
	while (i < n) {
		const char *a = WORD(i);

		if (a[0] != '-' || !a[1])
			break;
		if (a[1] == '-') {
			const char *name = a + 2, *eq;
			size_t len;

			if (!*name) {
				i++;
				break; /* -- */
			}
			eq = strchr(name, '=');
			len = eq ? (size_t)(eq - name) : strlen(name);
			if (in_list(wr->no_cmd_long, name, len)) {
				*stop = true;
				return n;
			}
			if (in_list(wr->user_long, name, len)) {
				user_named = true;
				if (eq) {
					u->user = eq + 1;
					u->user_at = i;
				} else if (i + 1 < n) {
					u->user = WORD(i + 1);
					u->user_at = i + 1;
				}
			}
			i += !eq && in_list(wr->long_val, name, len) ? 2 : 1;
			continue;
		}
		/* A bundle of short letters: the first that takes a value ends it (-uapp, -Eu app). */
		{
			const char *p;
			size_t step = 1;

			for (p = a + 1; *p; p++) {
				if (wr->no_cmd && strchr(wr->no_cmd, *p)) {
					*stop = true;
					return n;
				}
				if (wr->short_val && strchr(wr->short_val, *p)) {
					if (wr->user_short && strchr(wr->user_short, *p)) {
						user_named = true;
						if (p[1]) {
							u->user = p + 1;
							u->user_at = i;
						} else if (i + 1 < n) {
							u->user = WORD(i + 1);
							u->user_at = i + 1;
						}
					}
					step = p[1] ? 1 : 2;
					break;
				}
				if (!isalnum((unsigned char)*p))
					break;
			}
			i += step;
		}
	}
	if ((wr->flags & HD_WRAP_REQUSER) && !user_named) {
		*stop = true; /* runuser USER -c '...': a shell string, not a command */
		return n;
	}
	while ((wr->flags & HD_WRAP_ASSIGNS) && i < n && is_assignment(WORD(i)))
		i++;
	for (k = 0; k < wr->operands && i < n; k++, i++) {
		if (wr->user_operand == k + 1) {
			u->user = WORD(i);
			u->user_at = i;
			user_named = true;
		}
	}
	if ((wr->flags & HD_WRAP_ROOT) && (!user_named || (u->user && user_is_root_spec(u->user)))) {
		u->as_root = true;
		if (!user_named)
			u->user = NULL;
	}
	return i;
}

bool hd_unwrap(const void *words, size_t stride, size_t n, size_t from, struct hd_unwrap *u)
{
	size_t i = from;

	memset(u, 0, sizeof(*u));
	u->cmd = n;
	u->name = "";
	u->first_wrapper = from;
	while (i < n) {
		const char *t = WORD(i);
		const struct hd_wrapper *wr = hd_wrapper_find(t);
		bool stop = false;

		if (!wr || (wr->flags & HD_WRAP_ALIAS) || u->n_wrappers >= HD_UNWRAP_MAX) {
			if (u->n_wrappers >= HD_UNWRAP_MAX && wr && !(wr->flags & HD_WRAP_ALIAS))
				return false; /* too deep to follow */
			u->cmd = i;
			u->alias = wr;
			u->name = wr ? wr->alias : hd_word_base(t);
			return true;
		}
		u->n_wrappers++;
		i = skip_one(words, stride, n, i, wr, u, &stop);
		if (stop) {
			u->no_cmd = true;
			return false;
		}
	}
	return false;
}
