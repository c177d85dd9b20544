/*
 * Who a user specification runs as: one judgement for every place a user is
 * given (Dockerfile USER, `docker run --user`, compose `user:`, the engine's
 * Config.User, podman's --user).
 *
 * dockerd resolves "user[:group]" through runc's user lookup: the user part
 * is matched against /etc/passwd by name, or parsed as a number with Go's
 * strconv.Atoi, which accepts an optional sign and leading zeros.  So "0",
 * "00", "-0" and "+0:wheel" are all uid 0, root, as is the name "root".
 * Windows containers name their administrator ContainerAdministrator.
 *
 * Pure string functions; nothing is allocated.
 */
#ifndef HD_MODEL_USER_H
#define HD_MODEL_USER_H

#include <stdbool.h>
#include <stdint.h>

enum hd_user_kind {
	HD_USER_UNKNOWN,  /* empty (the image decides) or holds an unexpanded variable ($UID) */
	HD_USER_ROOT,     /* uid 0: "root", "0", "-0", "+00", "root:x", "ContainerAdministrator" */
	HD_USER_NOT_ROOT, /* another name or number */
};

/*
 * Judges a user specification "user[:group]" (surrounding blanks ignored).
 * Never fails: anything that is not root and not unknown is HD_USER_NOT_ROOT.
 */
enum hd_user_kind hd_user_kind(const char *spec);
static inline bool hd_user_is_root(const char *spec)
{
	return hd_user_kind(spec) == HD_USER_ROOT;
}

/*
 * The user part of spec as a number the way Go's strconv.Atoi reads it
 * (optional + or -, decimal digits, no blanks): true and *uid when it is
 * one that fits in 64 bits, false for a name.
 */
bool hd_user_numeric(const char *spec, int64_t *uid);

struct hd_image_ref;
/*
 * The user an image runs as when nothing sets one, when it is well known:
 * HD_USER_ROOT for the official base and language images (debian, alpine,
 * ubuntu, python, node, nginx, postgres, ...; Windows servercore),
 * HD_USER_NOT_ROOT for images built to run unprivileged (bitnami/..,
 * nginxinc/nginx-unprivileged, selenium/.., chainguard, distroless :nonroot,
 * Red Hat's s2i language images, Windows nanoserver, ...), HD_USER_UNKNOWN
 * for any other image.  *what (may be NULL) gets a short reason for
 * messages.  scratch is not judged here (it has no users at all).
 */
enum hd_user_kind hd_image_default_user(const struct hd_image_ref *ref, const char **what);

#endif
