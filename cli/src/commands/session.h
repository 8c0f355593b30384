/* What the commands share, between them and the modules beneath: opening
 * the project, the cache and the registry; resolving cmrx.yaml into a lock;
 * choosing the packages a build uses; and the final step that writes the
 * project and reports the changes. */
#ifndef CMRX_CLI_SESSION_H
#define CMRX_CLI_SESSION_H

#include <stdbool.h>

#include "cli.h"
#include "err.h"
#include "fetch.h"
#include "lock.h"
#include "project.h"
#include "registry.h"

struct session {
    struct project p;
    bool has_project;
    struct fetcher *f;
    struct registry reg;
    bool has_reg;
};

/**
 * Updatable process @p name of the session's cmrx.yaml (docs/updating.md),
 * for `cmrx deploy` and `cmrx flash --process`. @return it, or NULL with
 * a message (no such process, or one without flash_reserve).
 */
struct process_decl;
const struct process_decl *session_updatable(const struct session *s, const char *name,
                                             struct err *e);

/** Find and open the project (-C or the nearest cmrx.yaml). @return 0 or -1. */
int session_project(struct session *s, const struct cli *c, struct err *e);

/**
 * Open the cache and load the registry: --registry, else $CMRX_REGISTRY,
 * else the one the project's cmrx.lock was made with, else this SDK's.
 * @return 0 or -1.
 */
int session_registry(struct session *s, const struct cli *c, struct err *e);

/** How session_lock() treats the versions of the project's cmrx.lock. */
struct lock_opts {
    const struct lock *old; /**< current lock: its versions are kept when possible (may be NULL) */
    const char *const *unlock; /**< packages allowed to move */
    size_t n_unlock;
    bool unlock_all; /**< every package may move (`cmrx update`) */
};

/**
 * Resolve @p m (board, kernel, dependencies) against the session's registry
 * (session_registry() first) and pin each chosen version to a commit.
 * Dependencies that are not components are errors naming their line.
 * @return 0 with the new lock in @p out, or -1.
 */
int session_lock(struct session *s, const struct manifest *m, const struct lock_opts *o,
                 struct lock *out, struct err *e);

struct build;

/**
 * Open the project and describe its build: the board (--board, else
 * cmrx.yaml's), the profile (--release) and the packages: cmrx.lock's
 * (missing folders fetched first), or for another board the lock resolved
 * for it, the packages that differ written under build/BOARD/packages/.
 * @return 0, or -1 with a message.
 */
int session_build(struct session *s, const struct cli *c, struct build *b, struct err *e);

/**
 * session_build() for a command that reads the last build (`cmrx size`):
 * when there is none it says so first, having fetched or written nothing.
 * @return 0, or -1 with a message.
 */
int session_last_build(struct session *s, const struct cli *c, struct build *b, struct err *e);

/**
 * Write @p yaml (NULL: unchanged) and @p lock into the project with
 * packages/ to match, in one transaction, then report what changed.
 * @return 0 or -1 (project unchanged).
 */
int session_commit(struct session *s, const char *yaml, size_t yaml_len, const struct lock *lock,
                   bool comments_lost, struct err *e);

struct sync_stats;

/**
 * Make packages/ exactly what cmrx.lock says (`cmrx fetch`), printing each
 * package unpacked if @p verbose. cmrx.yaml and cmrx.lock are not changed.
 * @return 0 or -1 (project unchanged).
 */
int session_fetch(struct session *s, const struct cli *c, bool verbose, struct sync_stats *st,
                  struct err *e);

struct bsp;

/**
 * Read the bsp.yaml of @p board from the board package @p lock pins.
 * @return 0 with @p b filled, 1 if @p lock has no such board, or -1.
 */
int session_board_bsp(struct session *s, const struct lock *lock, const char *board, struct bsp *b,
                      struct err *e);

/**
 * Warn about each of @p vers that lacks peripherals it requires
 * (requires.peripherals) on the board of @p lock: it will not build there.
 * @return 0, or -1 if the board's bsp.yaml cannot be read.
 */
int session_check_board(struct session *s, const struct lock *lock, const char *board,
                        const struct reg_version *const *vers, size_t n, struct err *e);

/** Release everything. */
void session_end(struct session *s);

struct argv;

/**
 * Build what QEMU is to boot and its command into @p a (`cmrx run`'s first
 * step, and `cmrx trace`'s with @p trace: build_trace()). The build's
 * output goes to stderr, so stdout carries only the firmware's console.
 * The project is closed again when it returns.
 * @return 0, or -1 with a message.
 */
int session_qemu(const struct cli *c, bool trace, struct build *b, struct argv *a, struct err *e);

struct spawn_opts;

/**
 * Start what session_qemu() made, @p argv, with options @p so. QEMU's
 * stderr (@p qemu) passes a filter that drops its line about the SIGTERM
 * cmrx stops it with ("terminating on signal 15 from pid N"): cmrx says
 * why itself. Its other errors pass. Once the child ended, wait for
 * *@p filter (-1 when there is none) so that all of them are out.
 * @return the child's pid, or -1 with a message.
 */
pid_t session_qemu_start(char *const argv[], const struct spawn_opts *so, bool qemu, pid_t *filter,
                         struct err *e);

#endif
