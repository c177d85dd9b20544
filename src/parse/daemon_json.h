/*
 * daemon.json reader: fills the daemon.json settings of a daemon_spec with
 * the position of every key, and records as problems what makes dockerd
 * refuse the file (invalid JSON, a value of the wrong type, an unknown key, a
 * key also given on the command line) or silently ignore part of it (a flag
 * name used as a key, a key given twice).
 *
 * jansson parses and validates; a small scan of the same text finds the
 * line and column of each top-level key and of the items of its value, since
 * jansson keeps no positions for what it parsed.
 */
#ifndef HD_PARSE_DAEMON_JSON_H
#define HD_PARSE_DAEMON_JSON_H

#include <stddef.h>

#include "model/daemon.h"

/*
 * Reads data[0..len) (the content of `file`, used in origins) into d.  Call
 * it after the command line was applied, so conflicts can be found.  Input
 * problems are recorded in d->problems; returns 0, or -HD_ENOMEM.
 */
int hd_daemon_json_read(struct hd_daemon_spec *d, const char *file, const char *data, size_t len);

#endif
