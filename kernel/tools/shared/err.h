/* Error reports of the host tools, cmrx and cmrx-sdk alike: what went wrong
 * (naming the file, line or key) and what to do next. Functions that can
 * fail take a struct err * and return -1 after filling it, so the message
 * is composed where the context is known; callers add context in front
 * with err_prefix(). This is the one error convention of the host side. */
#ifndef CMRX_SHARED_ERR_H
#define CMRX_SHARED_ERR_H

#include <stdbool.h>

struct err {
    char msg[2048];  /**< the problem, e.g. "cmrx.yaml:4: unknown key 'boad'" */
    char hint[1024]; /**< what to do next; may be empty */
    bool usage;      /**< true: the command line was wrong (exit code 2) */
    int status;      /**< if not 0: the exit status instead of 1 (a firmware's own verdict) */
};

/** Set the message (printf format). @return -1, for `return err_set(...)`. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Set the hint (printf format). @return -1. */
int err_hint(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Set a usage error message (exit code 2). @return -1. */
int err_usage(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Put context in front of the message already set: "<prefix><old message>". @return -1. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
