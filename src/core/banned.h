/*
 * Functions that must not be used in hardock (after git's banned.h).  They
 * either overflow buffers, hide errors, or bypass the allocation wrappers.
 * Included last by every source file through core/common.h.
 */
#ifndef HD_BANNED_H
#define HD_BANNED_H

#define HD_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) HD_BANNED(strcpy)
#undef strcat
#define strcat(x, y) HD_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) HD_BANNED(strncpy)
#undef sprintf
#define sprintf(...) HD_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) HD_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) HD_BANNED(strtok)
#undef atoi
#define atoi(x) HD_BANNED(atoi)
#undef gets
#define gets(x) HD_BANNED(gets)
#undef malloc
#define malloc(x) HD_BANNED(malloc)
#undef realloc
#define realloc(x, y) HD_BANNED(realloc)

#endif
