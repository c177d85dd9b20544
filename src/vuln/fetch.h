/*
 * Fetching a feed over HTTP(S) for `hardock db update` (libcurl): the body
 * into a bounded buffer, with the server's Last-Modified time.  Only this
 * command touches the network; scans never do.
 */
#ifndef HD_VULN_FETCH_H
#define HD_VULN_FETCH_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* The default feeds: Debian's tracker, Alpine's secdb branches and the OSV exports. */
extern const char *const hd_default_feeds[];

/*
 * GETs url into out (capped at out->max) within timeout_s seconds.  Returns
 * 0 with *mtime the Last-Modified time (0 unknown), or -HD_ECONNECT,
 * -HD_ETIMEOUT, -HD_EPROTO (an HTTP error status), -HD_ETOOBIG; diag says
 * which and why.
 */
int hd_fetch(const char *url, struct hd_buf *out, int64_t *mtime, long timeout_s, struct hd_diag *diag);

#endif
