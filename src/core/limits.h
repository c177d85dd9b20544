/*
 * Every size and count limit of hardock, in one place.  Inputs beyond these
 * limits produce a clear error (HD_ETOOBIG) instead of unbounded memory use.
 */
#ifndef HD_LIMITS_H
#define HD_LIMITS_H

#define HD_MAX_FILE_SIZE        (64u * 1024 * 1024) /* any one input file */
#define HD_MAX_DOCKERFILE_LINES (4u * 1024 * 1024)
#define HD_MAX_INSTRUCTIONS     (1u * 1024 * 1024)
#define HD_MAX_SHELL_DEPTH      64u                 /* nested $( ( { */
#define HD_MAX_SHELL_WORDS      (1u * 1024 * 1024)
#define HD_MAX_VAR_EXPANSION    (1u * 1024 * 1024)  /* bytes after ARG/ENV expansion */
#define HD_MAX_YAML_DEPTH       256u
#define HD_MAX_YAML_NODES       (2u * 1024 * 1024)
#define HD_MAX_ENGINE_RESPONSE  (256u * 1024 * 1024)
/* An AuthZReq: dockerd forwards request bodies under 1 MiB, base64-encoded (1.37 MiB), plus headers. */
#define HD_MAX_AUTHZ_BODY       (2u * 1024 * 1024)
#define HD_MAX_AUTHZ_NAMES      64u /* names (t=) one build request may give its image */
#define HD_MAX_FINDINGS         (10u * 1000 * 1000) /* per run */
#define HD_MAX_WALK_DEPTH       128u
#define HD_MAX_MESSAGE          4096u
#define HD_MAX_EXTENDS_DEPTH    32u
#define HD_MAX_PACKAGES         (1u * 1000 * 1000) /* in one catalogue */
#define HD_MAX_CATALOG_FILE     (64u * 1024 * 1024) /* a file the catalogue reads whole (rpmdb.sqlite) */
#define HD_MAX_IMAGE_RPMDB      (32u * 1024 * 1024) /* rpmdb.sqlite read whole by the image pass (owners of files) */
#define HD_MAX_CATALOG_NOTES    1000u
#define HD_MAX_OWNED_FILES      (10u * 1000 * 1000) /* files listed by OS package databases */
#define HD_MAX_JAR_SIZE         (256u * 1024 * 1024) /* a jar read for its Maven metadata */
#define HD_MAX_JAR_DEPTH        4u                  /* jars nested in jars */
#define HD_MAX_JAR_ENTRIES      100000u             /* entries of one jar */
#define HD_MAX_JAR_INFLATED     (512u * 1024 * 1024) /* bytes inflated from one jar and what it nests */
#define HD_MAX_GO_BINARY        (2048ull * 1024 * 1024) /* a binary scanned for Go build info */
#define HD_MAX_VULN_IMAGES      10000u              /* images one vulnerability scan of an engine catalogues */
#define HD_MAX_VULN_HITS        100000u             /* database records for one package */
#define HD_MAX_FEED_ENTRY       (64u * 1024 * 1024) /* one zip entry or one JSON member of a feed */
#define HD_MAX_FEED_TOTAL       (8ull * 1024 * 1024 * 1024) /* bytes inflated from one feed zip */
#define HD_MAX_FEED_FILE        (1024ull * 1024 * 1024) /* a feed file read for import */
#define HD_MAX_FEED_RECORDS     (5u * 1000 * 1000)  /* records of one import */
#define HD_MAX_FEED_STRING      (1024u * 1024)      /* a summary or description */
#define HD_MAX_FEED_ID          256u                /* an advisory id, alias or package name */
#define HD_MAX_VERSION_LEN      256u                /* a package version (Maven compares longer ones bytewise) */
#define HD_MAX_JSON_DEPTH       1000u               /* nested arrays and objects */
#define HD_MAX_JSON_NODES       (16u * 1024 * 1024) /* values in one document */
#define HD_MAX_PROCS            (4u * 1024 * 1024)  /* processes one /proc pass records (pid_max at most) */
#define HD_MAX_METRIC_SERIES    (1u * 1000 * 1000)  /* series of one Prometheus exposition */
#define HD_MAX_LABEL_VALUE      1024u               /* bytes of one label value (longer ones are cut) */
#define HD_MAX_EVENT_LINE       (64u * 1024)        /* one event of the engine's /events stream */

#endif
