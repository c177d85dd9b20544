/*
 * Building a struct audit_rule_data as auditctl sends it to the kernel and
 * the kernel returns it for AUDIT_LIST_RULES: numeric fields, and string
 * fields (path, dir, key) whose value is their length in the buffer that
 * follows the structure.  For the tests of parse/auditrules.c (decoding)
 * and audit/kernel_audit.c (a round trip through the kernel).
 */
#ifndef HD_TEST_AUDIT_RULE_BUILD_H
#define HD_TEST_AUDIT_RULE_BUILD_H

#include <linux/audit.h>
#include <stdint.h>
#include <string.h>

struct rule_image {
	union {
		struct audit_rule_data r;
		unsigned char bytes[sizeof(struct audit_rule_data) + 1024];
	} u;
	size_t len;
};

static inline void rule_init(struct rule_image *m, uint32_t list, uint32_t action)
{
	memset(m, 0, sizeof(*m));
	m->u.r.flags = list;
	m->u.r.action = action;
	for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
		m->u.r.mask[i] = ~0u;
	m->len = sizeof(struct audit_rule_data);
}

static inline void rule_num(struct rule_image *m, uint32_t field, uint32_t value)
{
	m->u.r.fields[m->u.r.field_count] = field;
	m->u.r.values[m->u.r.field_count] = value;
	m->u.r.fieldflags[m->u.r.field_count] = AUDIT_EQUAL;
	m->u.r.field_count++;
}

static inline void rule_str(struct rule_image *m, uint32_t field, const char *s)
{
	size_t n = strlen(s);

	rule_num(m, field, (uint32_t)n);
	memcpy(m->u.bytes + m->len, s, n);
	m->u.r.buflen += (uint32_t)n;
	m->len += n;
}

#endif
