/* Child processes: finding programs on PATH, starting them, waiting for
 * them with a time limit while Ctrl-C reaches the child (not cmrx), and
 * printing command lines the way a shell would take them back. cmrx runs
 * CMake, Ninja, QEMU, pyOCD and gdb this way; it never goes through a shell. */
#ifndef CMRX_CLI_SPAWN_H
#define CMRX_CLI_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "err.h"
#include "fsutil.h"

/** @return the absolute path of @p prog found on $PATH (a new string), or NULL. */
char *spawn_find(const char *prog);

struct spawn_opts {
    const char *cwd; /**< working folder of the child; NULL: ours */
    int out_fd;      /**< the child's stdout: this descriptor; -1: ours */
    int err_fd;      /**< the child's stderr: this descriptor; -1: ours */
    bool null_stdin; /**< stdin from /dev/null */
    bool own_group;  /**< a process group of its own: Ctrl-C on the terminal does not reach it */
};

/**
 * Start @p argv[0] (searched on $PATH) with @p argv.
 * @return the child's pid, or -1 with a message naming the program when it
 * cannot be started (not found, not executable).
 */
pid_t spawn_start(char *const argv[], const struct spawn_opts *o, struct err *e);

struct spawn_result {
    int code;         /**< exit status, or spawn_signal_status() when killed by a signal */
    int signal;       /**< the signal that killed it, 0 if it exited */
    bool timed_out;   /**< the time limit passed and the child was stopped */
    int stop_signal;  /**< Ctrl-C (SIGINT), SIGTERM or SIGHUP that arrived while
                           waiting (the last of them), 0 if none */
    bool reader_gone; /**< the reader of the watched pipe went away and the child was stopped */
};

/**
 * Wait for child @p pid. SIGINT is not fatal to cmrx meanwhile (the child,
 * in the same foreground process group, receives it from the terminal and
 * decides; one sent by kill() to cmrx alone is passed on); SIGTERM and
 * SIGHUP are passed on to the child. With
 * @p timeout_s > 0 the child gets SIGTERM after that many seconds (SIGKILL
 * two seconds later). With @p watch_fd >= 0, the write end of a pipe or a
 * socket the child writes to (e.g. `cmrx run | head`), the child is stopped
 * the same way once nobody reads that pipe any more: a program that never
 * ends by itself would otherwise run on, writing to nobody.
 */
void spawn_wait(pid_t pid, double timeout_s, int watch_fd, struct spawn_result *r);

/** spawn_start() and spawn_wait() without a time limit. @return 0, or -1 if it could not start. */
int spawn_run(char *const argv[], const struct spawn_opts *o, struct spawn_result *r,
              struct err *e);

struct capture_opts {
    const char *cwd;       /**< working folder of the child; NULL: ours */
    int relay_fd;          /**< -1: keep its stdout, drop its stderr; else keep both, and copy
                                them to this descriptor as they come */
};

/**
 * Run @p argv (options @p o; NULL: keep stdout only) and keep what it
 * prints in a new string.
 * @return 0 with *out set (even if the program failed: see @p r), or -1.
 */
int spawn_capture(char *const argv[], const struct capture_opts *o, char **out,
                  struct spawn_result *r, struct err *e);

/**
 * Start a filter: a child of cmrx (a fork, not a program) that runs
 * @p fn(in, @p out_fd, @p ctx) on what is written to *@p write_fd, which
 * the caller hands to the program whose output is filtered, and closes
 * once that program ended; the filter ends when it reads the end. Ctrl-C
 * does not stop it, so nothing written before is lost.
 * @return its pid (wait for it with spawn_wait()), or -1 with a message.
 */
pid_t spawn_filter(int out_fd, void (*fn)(int in_fd, int out_fd, void *ctx), void *ctx,
                   int *write_fd, struct err *e);

/**
 * Wait for filter @p *pid (from spawn_filter(); nothing if it is not
 * positive) to pass on what it holds and end; then set it to -1.
 */
void spawn_filter_end(pid_t *pid);

/**
 * A filter for spawn_filter(): copies the lines it reads to @p out_fd, but
 * those that contain @p ctx (a string).
 */
void spawn_drop_lines(int in_fd, int out_fd, void *ctx);

/** Stop child @p pid (its whole group if it has its own): SIGTERM, then SIGKILL; reap it. */
void spawn_stop(pid_t pid);

/** For a wait that a signal stopped (@p r->stop_signal): what stopped it,
 * as a word for messages ("interrupted" for Ctrl-C, "terminated", "hung
 * up"). Its exit status is spawn_signal_status(r->stop_signal). */
const char *spawn_stop_word(const struct spawn_result *r);

/** The exit status a shell shows for a program signal @p sig ended
 * (130 for Ctrl-C, 143 for SIGTERM, 141 for a closed pipe). */
static inline int spawn_signal_status(int sig)
{
    return 128 + sig;
}

/** Print @p argv on one line, each word quoted for a POSIX shell when it needs it. */
void spawn_print(FILE *out, char *const argv[]);

#endif
