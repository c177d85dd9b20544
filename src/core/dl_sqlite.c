/*
 * libsqlite3, loaded when first used (core/dl.h): the vulnerability
 * database.  None of sqlite's variadic functions (the printf family,
 * sqlite3_config, sqlite3_db_config) is used; one that is gets a
 * trampoline to its va_list twin here.
 */
#include "core/common.h"

#include <sqlite3.h>

#define HD_DL_NAME sqlite
#define HD_DL_SONAME "libsqlite3.so.0"
#define HD_DL_PACKAGE "libsqlite3-0"
#define HD_DL_WHAT "the vulnerability database"
#define HD_DL_FUNCS(F, V, S)                                                                                   \
	F(int, sqlite3_open_v2, (const char *name, sqlite3 **db, int flags, const char *vfs),                  \
	  (name, db, flags, vfs))                                                                              \
	F(int, sqlite3_close, (sqlite3 * db), (db))                                                            \
	F(int, sqlite3_busy_timeout, (sqlite3 * db, int ms), (db, ms))                                         \
	F(int, sqlite3_deserialize,                                                                            \
	  (sqlite3 * db, const char *schema, unsigned char *data, sqlite3_int64 size, sqlite3_int64 cap,       \
	   unsigned flags),                                                                                    \
	  (db, schema, data, size, cap, flags))                                                                \
	F(int, sqlite3_exec,                                                                                   \
	  (sqlite3 * db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **err),     \
	  (db, sql, cb, arg, err))                                                                             \
	F(int, sqlite3_errcode, (sqlite3 * db), (db))                                                          \
	F(const char *, sqlite3_errmsg, (sqlite3 * db), (db))                                                  \
	F(sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 * db), (db))                                      \
	F(int, sqlite3_prepare_v2,                                                                             \
	  (sqlite3 * db, const char *sql, int n, sqlite3_stmt **stmt, const char **tail),                      \
	  (db, sql, n, stmt, tail))                                                                            \
	F(int, sqlite3_step, (sqlite3_stmt * s), (s))                                                          \
	F(int, sqlite3_reset, (sqlite3_stmt * s), (s))                                                         \
	F(int, sqlite3_clear_bindings, (sqlite3_stmt * s), (s))                                                \
	F(int, sqlite3_finalize, (sqlite3_stmt * s), (s))                                                      \
	F(int, sqlite3_bind_null, (sqlite3_stmt * s, int i), (s, i))                                           \
	F(int, sqlite3_bind_int, (sqlite3_stmt * s, int i, int v), (s, i, v))                                  \
	F(int, sqlite3_bind_int64, (sqlite3_stmt * s, int i, sqlite3_int64 v), (s, i, v))                      \
	F(int, sqlite3_bind_double, (sqlite3_stmt * s, int i, double v), (s, i, v))                            \
	F(int, sqlite3_bind_text, (sqlite3_stmt * s, int i, const char *v, int n, void (*del)(void *)),        \
	  (s, i, v, n, del))                                                                                   \
	F(int, sqlite3_column_int, (sqlite3_stmt * s, int i), (s, i))                                          \
	F(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt * s, int i), (s, i))                              \
	F(double, sqlite3_column_double, (sqlite3_stmt * s, int i), (s, i))                                    \
	F(const unsigned char *, sqlite3_column_text, (sqlite3_stmt * s, int i), (s, i))                       \
	F(const void *, sqlite3_column_blob, (sqlite3_stmt * s, int i), (s, i))                                \
	F(int, sqlite3_column_bytes, (sqlite3_stmt * s, int i), (s, i))                                        \
	F(void *, sqlite3_malloc64, (sqlite3_uint64 n), (n))                                                   \
	V(sqlite3_free, (void *p), (p))
#include "core/dl_impl.h"
