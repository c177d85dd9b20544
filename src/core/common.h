/*
 * Included first by every hardock source file: the standard headers we use
 * everywhere, then the project's basics, then banned.h so that later code
 * cannot call the functions it bans.
 */
#ifndef HD_COMMON_H
#define HD_COMMON_H

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

#define HD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HD_UNUSED __attribute__((unused))
#define HD_ASSERT(c) do { if (!(c)) hd_bug(__FILE__, __LINE__, #c); } while (0)
#define HD_BUG(msg) hd_bug(__FILE__, __LINE__, (msg))
_Noreturn void hd_bug(const char *file, int line, const char *what);

#include "core/banned.h"

#endif
