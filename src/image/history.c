/*
 * History steps back to Dockerfile instructions, and their display form
 * (see history.h).
 */
#include "core/common.h"
#include "core/buf.h"
#include "image/history.h"
#include "model/image.h"
#include "rules/secrets.h"

#define MAX_LINE (256u * 1024)

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool word_is(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\0' || s[n] == '\n');
}

/* The Dockerfile keywords BuildKit writes at the start of created_by. */
static bool is_keyword(const char *s)
{
	static const char *const kw[] = { "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER", "EXPOSE",
					   "LABEL", "CMD", "ENTRYPOINT", "VOLUME", "SHELL", "STOPSIGNAL",
					   "ONBUILD", "MAINTAINER", "HEALTHCHECK" };

	for (size_t i = 0; i < HD_ARRAY_SIZE(kw); i++) {
		if (word_is(s, kw[i]))
			return true;
	}
	return false;
}

/*
 * Skips "|N k=v ..." (the build arguments of a RUN) at *s, appending
 * "ARG k=v\n" lines to args when given.  False when malformed.
 */
static bool take_args(const char **s, struct hd_buf *args)
{
	const char *p = *s;
	unsigned long n = 0, i;

	if (*p != '|')
		return true;
	p++;
	while (isdigit((unsigned char)*p) && n < 100000)
		n = n * 10 + (unsigned long)(*p++ - '0');
	if (*p != ' ')
		return false;
	for (i = 0; i < n; i++) {
		const char *w = skip_ws(p), *e = w;

		while (*e && *e != ' ')
			e++;
		if (e == w || !memchr(w, '=', (size_t)(e - w)))
			return false;
		if (args && (hd_buf_addstr(args, "ARG ") < 0 || hd_buf_add(args, w, (size_t)(e - w)) < 0 ||
			     hd_buf_addch(args, '\n') < 0))
			return false;
		p = e;
	}
	*s = skip_ws(p);
	return true;
}

/* "ADD file:abc in /dst " -> "ADD file:abc /dst"; EXPOSE map[80/tcp:{}] -> EXPOSE 80/tcp. */
static int tidy(struct hd_buf *out, const char *ins)
{
	const char *in_kw;

	if ((word_is(ins, "ADD") || word_is(ins, "COPY")) && (in_kw = strstr(ins, " in ")) != NULL) {
		const char *src = skip_ws(ins + (word_is(ins, "ADD") ? 3 : 4));

		if (hd_starts_with(src, "file:") || hd_starts_with(src, "dir:") || hd_starts_with(src, "multi:") ||
		    strstr(src, "://"))
			return hd_buf_add(out, ins, (size_t)(in_kw - ins)) < 0 ||
					       hd_buf_addch(out, ' ') < 0 || hd_buf_addstr(out, skip_ws(in_kw + 4)) < 0
				       ? -HD_ENOMEM
				       : 0;
	}
	if (word_is(ins, "EXPOSE") && strstr(ins, "map[")) {
		const char *p = strstr(ins, "map[") + 4;
		int r = hd_buf_addstr(out, "EXPOSE");

		while (r >= 0 && *p && *p != ']') {
			const char *e = strstr(p, ":{}");

			if (!e)
				break;
			r = hd_buf_addch(out, ' ');
			if (r >= 0)
				r = hd_buf_add(out, p, (size_t)(e - p));
			p = skip_ws(e + 3);
		}
		return r;
	}
	if (word_is(ins, "VOLUME") && strchr(ins, '[') && !strchr(ins, '"')) {
		/* "VOLUME [/data /logs]" */
		const char *p = strchr(ins, '[') + 1, *e = strchr(p, ']');

		return hd_buf_addstr(out, "VOLUME ") < 0 || hd_buf_add(out, p, e ? (size_t)(e - p) : strlen(p)) < 0
			       ? -HD_ENOMEM
			       : 0;
	}
	return hd_buf_addstr(out, ins);
}

char *hd_history_instruction(const char *cb, char **args_out)
{
	struct hd_buf out = HD_BUF_INIT(MAX_LINE), args = HD_BUF_INIT(MAX_LINE);
	const char *s = skip_ws(cb ? cb : "");
	char *tmp = NULL, *hash;
	int r = 0;

	*args_out = NULL;
	if (!take_args(&s, &args))
		goto none;
	if (hd_starts_with(s, "/bin/sh -c #(nop)")) {
		s = skip_ws(s + 17);
		if (!is_keyword(s) || word_is(s, "HEALTHCHECK"))
			goto none;
		r = tidy(&out, s);
	} else if (hd_starts_with(s, "/bin/sh -c ") || hd_starts_with(s, "cmd /S /C ")) {
		r = hd_buf_addstr(&out, "RUN ");
		if (r >= 0)
			r = hd_buf_addstr(&out, skip_ws(s + (s[0] == '/' ? 11 : 10)));
	} else if (is_keyword(s) && !word_is(s, "HEALTHCHECK")) {
		/* BuildKit: "RUN |1 A=b /bin/sh -c cmd # buildkit", "COPY /x /y # buildkit". */
		tmp = hd_strdup(s);
		if (!tmp)
			goto oom;
		hash = strstr(tmp, " # buildkit");
		if (hash && hash[11] == '\0')
			*hash = '\0';
		if (word_is(tmp, "RUN")) {
			const char *c = skip_ws(tmp + 3);

			if (!take_args(&c, &args))
				goto none;
			if (hd_starts_with(c, "/bin/sh -c "))
				c = skip_ws(c + 11);
			r = hd_buf_addstr(&out, "RUN ");
			if (r >= 0)
				r = hd_buf_addstr(&out, c);
		} else
			r = tidy(&out, tmp);
	} else
		goto none;
	if (r < 0)
		goto oom;
	/* One instruction, one line: newlines (heredocs, long commands) become spaces. */
	for (size_t i = 0; i < out.len; i++) {
		if (out.buf[i] == '\n' || out.buf[i] == '\r')
			out.buf[i] = ' ';
	}
	while (out.len && isspace((unsigned char)out.buf[out.len - 1]))
		out.buf[--out.len] = '\0';
	hd_free(tmp);
	if (args.len && !(*args_out = hd_buf_detach(&args, NULL))) {
		hd_buf_release(&out);
		return NULL;
	}
	hd_buf_release(&args);
	return hd_buf_detach(&out, NULL);
none:
oom:
	hd_free(tmp);
	hd_buf_release(&out);
	hd_buf_release(&args);
	return NULL;
}

/* Appends one word, masked when it holds a secret: "***", or "NAME=***". */
static int add_word(struct hd_buf *b, const char *w, size_t n)
{
	char *c = hd_strndup(w, n), *eq;
	int r;

	if (!c)
		return -HD_ENOMEM;
	eq = strchr(c, '=');
	if (hd_secret_value_kind(c))
		r = hd_buf_addstr(b, "***");
	else if (eq && eq > c) {
		bool mask;

		*eq = '\0';
		mask = hd_secret_value_kind(eq + 1) || (hd_secret_name(c) && hd_secret_value_plausible(eq + 1));
		*eq = '=';
		r = mask ? hd_buf_add(b, c, (size_t)(eq - c) + 1) : hd_buf_add(b, c, n);
		if (r >= 0 && mask)
			r = hd_buf_addstr(b, "***");
	} else
		r = hd_buf_add(b, c, n);
	hd_free(c);
	return r;
}

char *hd_history_display(const char *cb, size_t max)
{
	struct hd_buf b = HD_BUF_INIT(MAX_LINE);
	char *args = NULL, *ins = hd_history_instruction(cb, &args), *out;
	const char *s = ins ? ins : skip_ws(cb ? cb : "");
	size_t len;
	int r = 0;

	hd_free(args);
	if (strstr(s, "PRIVATE KEY")) {
		/* Everything after the marker could be the key. */
		r = hd_buf_add(&b, s, (size_t)(strstr(s, "PRIVATE KEY") - s));
		if (r >= 0)
			r = hd_buf_addstr(&b, "***");
	} else {
		while (*s && r >= 0) {
			const char *e;

			if (isspace((unsigned char)*s)) {
				while (isspace((unsigned char)*s))
					s++;
				r = hd_buf_addch(&b, ' ');
				continue;
			}
			for (e = s; *e && !isspace((unsigned char)*e); e++)
				;
			r = add_word(&b, s, (size_t)(e - s));
			s = e;
		}
	}
	hd_free(ins);
	if (r < 0) {
		hd_buf_release(&b);
		return NULL;
	}
	out = hd_buf_detach(&b, &len);
	if (out && len > max && max > 3) {
		size_t cut = max - 3;

		/* Not in the middle of a UTF-8 sequence. */
		while (cut > 0 && ((unsigned char)out[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(out + cut, "...", 4);
	}
	return out;
}

int hd_history_dockerfile(const struct hd_image_spec *img, long skip_step, char **text, long **step_of_line,
			  size_t *n_lines)
{
	struct hd_buf b = HD_BUF_INIT(64u << 20);
	long *map = NULL;
	size_t lines = 1, alloc = 0, i;
	int r;

	*text = NULL;
	*step_of_line = NULL;
	*n_lines = 0;
	r = hd_buf_addstr(&b, "FROM scratch\n");
	if (r < 0 || HD_GROW(map, alloc, 2) < 0)
		goto oom;
	map[0] = map[1] = -1;
	for (i = 0; i < img->n_history; i++) {
		char *args = NULL, *ins;

		if ((long)i == skip_step)
			continue;
		ins = hd_history_instruction(img->history[i].created_by, &args);
		if (!ins) {
			hd_free(args);
			continue;
		}
		for (const char *p = args; p && *p; p = strchr(p, '\n') + 1) {
			if (HD_GROW(map, alloc, lines + 2) < 0)
				goto oom_ins;
			map[++lines] = (long)i;
			if (!strchr(p, '\n'))
				break;
		}
		if (HD_GROW(map, alloc, lines + 2) < 0)
			goto oom_ins;
		map[++lines] = (long)i;
		if ((args && hd_buf_addstr(&b, args) < 0) || hd_buf_addstr(&b, ins) < 0 || hd_buf_addch(&b, '\n') < 0) {
oom_ins:
			hd_free(args);
			hd_free(ins);
			goto oom;
		}
		hd_free(args);
		hd_free(ins);
	}
	*text = hd_buf_detach(&b, NULL);
	if (!*text)
		goto oom;
	*step_of_line = map;
	*n_lines = lines;
	return 0;
oom:
	hd_buf_release(&b);
	hd_free(map);
	return -HD_ENOMEM;
}
