/*
 * dockerd's command line (from a unit's ExecStart, /etc/default/docker or a
 * running process) into the command-line settings of a daemon_spec, parsed
 * the way dockerd's flag library (spf13/pflag) does: --name=value,
 * --name value, -H value, -Hvalue, -D, repeatable list flags, booleans only
 * with '=' (--icc=false), "--" ending the flags.  Unknown flags, missing
 * values, bad booleans or integers, and positional arguments (dockerd takes
 * none) are recorded as problems at the word that caused them.
 */
#ifndef HD_PARSE_DOCKERD_ARGS_H
#define HD_PARSE_DOCKERD_ARGS_H

#include "model/daemon.h"
#include "parse/unit.h"

/*
 * Reads argv->v[first..n) into d.  *ret_config_file gets the value of
 * --config-file (owned by the caller) or NULL.  Returns 0 or -HD_ENOMEM.
 */
int hd_dockerd_args_read(struct hd_daemon_spec *d, const struct hd_uwords *argv, size_t first,
			 char **ret_config_file);

/* Go's strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False. */
int hd_parse_go_bool(const char *s, bool *ret);

#endif
