/*
 * What the container rule files (container.c, container_config.c) share: the
 * one way they report a finding at a setting's origin, and the fully
 * hardened run line their good examples start from.
 */
#ifndef HD_RULES_CONTAINER_INT_H
#define HD_RULES_CONTAINER_INT_H

#include <stdarg.h>

#include "core/finding.h"
#include "model/container.h"

/*
 * Appends a finding at origin o of container c (NULL: the container itself)
 * with severity sev (HD_SEV_NONE: the rule's).  0 or a negative HD_E*.
 */
int hd_ctr_emit(struct hd_check *out, const struct hd_container_spec *c, const struct hd_origin *o,
		enum hd_severity sev, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int hd_ctr_vemit(struct hd_check *out, const struct hd_container_spec *c, const struct hd_origin *o,
		 enum hd_severity sev, const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* The same fully hardened run line serves as every rule's good example unless one needs more. */
#define HD_CTR_GOOD_RUN(extra) \
	"docker run --read-only --cap-drop ALL --security-opt no-new-privileges " \
	"--user 1000:1000 --memory 256m --cpus 0.5 --pids-limit 100 " \
	"--restart on-failure:5 --health-cmd 'wget -q -O- http://localhost:8080/' " \
	"-p 127.0.0.1:8080:8080 " extra "registry.example.com/app:1.2@sha256:" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

#endif
