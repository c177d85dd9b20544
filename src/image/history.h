/*
 * An image's history as Dockerfile instructions.  Builders record each step
 * in the config's history[].created_by: the classic builder as
 * "/bin/sh -c #(nop)  CMD [\"sh\"]" or "|2 A=1 B=2 /bin/sh -c make",
 * BuildKit as "RUN /bin/sh -c apt-get update # buildkit", kaniko and buildah
 * in similar shapes.  Turned back into instructions, the steps are judged by
 * the Dockerfile rules at their layer.  Build arguments recorded with a RUN
 * become ARG lines, so a secret passed as a build argument is seen.
 *
 * The display form is what messages may print: shortened, build-argument
 * values dropped, secret-looking words masked.
 */
#ifndef HD_IMAGE_HISTORY_H
#define HD_IMAGE_HISTORY_H

#include <stddef.h>

struct hd_image_spec;

/*
 * The instruction a created_by records ("RUN apt-get update", "COPY . /app"),
 * as a new string, or NULL when it records none (another builder's comment);
 * *args gets the "ARG k=v" lines of its build arguments (new string or NULL).
 */
char *hd_history_instruction(const char *created_by, char **args);

/* A created_by for messages: at most max bytes, masked; a new string or NULL on OOM. */
char *hd_history_display(const char *created_by, size_t max);

/*
 * A Dockerfile of the history's steps: "FROM scratch" then, per step, its
 * ARG lines and its instruction on one line each.  step_of_line[l] is the
 * history index of line l (1-based; -1 for lines of no step), n_lines the
 * count.  skip_step (or -1) is left out: the base image's root file system.
 * Returns 0 or -HD_ENOMEM; the caller frees *text and *step_of_line.
 */
int hd_history_dockerfile(const struct hd_image_spec *img, long skip_step, char **text, long **step_of_line,
			  size_t *n_lines);

#endif
