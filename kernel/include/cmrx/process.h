/* Declarations a process makes about itself in its own sources.
 *
 * The process itself (name, stack size, thread slots, MMIO ranges, fault
 * policy) is declared in the build (cmrx_add_process() in CMake, or
 * cmrx.yaml); these macros add what belongs with the code.
 */
#ifndef CMRX_PROCESS_H
#define CMRX_PROCESS_H

#include <cmrx/thread.h>
#include <stddef.h>
#include <stdint.h>

/** Autostart record, placed by the linker in the owning process's table. */
struct cmrx_autostart {
    cmrx_thread_entry_t entry;
    void *arg;
    uint8_t priority; /**< CMRX_PRIO_PROCESS_DEFAULT = the process's priority */
};

#define CMRX_PRIO_PROCESS_DEFAULT 0xFFu

#define CMRX_CONCAT_(a, b) a##b
#define CMRX_CONCAT(a, b)  CMRX_CONCAT_(a, b)

/* An entry of a table the linker gathers in section @p sect, which the
 * kernel walks as an array: aligned as its type only, so that no compiler
 * pads between entries (x86-64 GCC aligns larger objects more). */
#define CMRX_TABLE_ENTRY(sect, type)                                                               \
    __attribute__((section(sect), used, aligned(__alignof__(type)))) static const type

/**
 * Start @p entry(@p arg) when the process starts (at boot and on restart),
 * at priority @p prio.
 */
#define CMRX_THREAD_PRIO(entry, arg, prio)                                                         \
    CMRX_TABLE_ENTRY(".cmrx.autostart", struct cmrx_autostart)                                     \
    CMRX_CONCAT(cmrx_autostart_, __LINE__) = {(entry), (arg), (prio)}

/** Start @p entry(@p arg) when the process starts, at the process's priority. */
#define CMRX_THREAD(entry, arg) CMRX_THREAD_PRIO(entry, arg, CMRX_PRIO_PROCESS_DEFAULT)

/** @return the index of the calling thread's process (its active process during an RPC call). */
int cmrx_process_self(void);

/**
 * @return how many times process @p pid was restarted by its fault policy,
 *         or CMRX_EINVAL for an unknown process.
 */
int cmrx_process_restarts(unsigned pid);

/** Characters of a process name at most (the build refuses longer ones). */
#define CMRX_PROCESS_NAME_MAX 32u

/**
 * Copy the name of process @p pid into @p buf of @p size bytes, cut to
 * @p size - 1 characters and always NUL-terminated. Names are those the
 * build gave the processes (cmrx.yaml, cmrx_add_process()); they are
 * fixed for a firmware, so a service may tell who calls it by name.
 * @return the name's length (more than @p size - 1 if it was cut);
 *         CMRX_EINVAL (no such process, @p size 0), CMRX_EFAULT (@p buf
 *         is not memory the caller may write).
 */
int cmrx_process_name(unsigned pid, char *buf, size_t size);

/** @return 1 if process @p pid is called @p name, else 0 (also for no such process). */
int cmrx_process_is(unsigned pid, const char *name);

/**
 * Whether a component setting of type `names` that says who may do
 * something lets process @p pid do it: @p names is the setting as a
 * NULL-terminated array of process names (empty: nobody was named).
 * @return 1 if @p names is empty (every process may) or names @p pid, else 0.
 */
int cmrx_names_allow(const char *const *names, unsigned pid);

/**
 * The pid of the process called @p name: a search over the processes, one
 * system call each, for a service to do once (pids do not change while the
 * firmware runs). @return the pid, or CMRX_ESRCH (no such process).
 */
int cmrx_process_find(const char *name);

/**
 * Whether process @p pid may take number @p id (a queue, a port) that a
 * service keeps for named processes. @p owners is the service's setting
 * of type `owners` as the build passes it: "ID:name,ID:name..." (e.g.
 * "80:web,53:dns"; empty or NULL: nothing is kept). An id it lists belongs
 * to that process alone, whether the process runs or not.
 * @return CMRX_OK (@p id not listed, or listed for @p pid), CMRX_EPERM.
 */
int cmrx_owner_check(const char *owners, uint32_t id, unsigned pid);

/**
 * Read one entry of a list of "KEY:name" entries (a component setting of
 * type `owners`, `counts` or `dirs`, as the build passes it:
 * "KEY:name,KEY:name...") at @p s: where its key starts into @p key, the
 * key's length (it holds neither ':' nor ',') into @p key_len, and its
 * process name into @p name. The one reader of such lists: the others
 * below read their entries with it.
 * @return where the next entry starts (the list's end, "", after the
 *         last); NULL at the end of the list, or at an entry not of that
 *         form (then @p s is not "").
 */
const char *cmrx_entry_next(const char *s, const char **key, size_t *key_len,
                            char name[CMRX_PROCESS_NAME_MAX + 1u]);

/**
 * Read one entry of a list of "N:name" entries (a component setting of type
 * `owners` or `counts`, as the build passes it) at @p s: its number into
 * @p n and its process name into @p name (cmrx_entry_next(), the key
 * read as a whole number).
 * @return as cmrx_entry_next(); NULL also at a key that is not digits.
 */
const char *cmrx_owners_next(const char *s, uint32_t *n, char name[CMRX_PROCESS_NAME_MAX + 1u]);

/**
 * Read one entry of a `counts` list (as cmrx_owners_next()) and find its
 * process: its pid into @p pid, or -1 if the firmware has no process of
 * that name (what is kept for it is then nobody's). A service reads its
 * list once: pids do not change while the firmware runs.
 * @return as cmrx_owners_next().
 */
const char *cmrx_counts_next(const char *s, uint32_t *n, int *pid);

/** Entries a `counts` setting that keeps slots may hold (cmrx.cmake reads it from here). */
#define CMRX_KEPT_MAX 8u

/**
 * Slots of a service's table (sockets, open files) that a `counts`
 * setting keeps for named processes: each may always hold its count,
 * whoever holds the rest. Define one per table with CMRX_KEPT_INIT(); it
 * reads its setting at first use.
 */
struct cmrx_kept {
    const char *setting; /**< "N:name,...", as the build passes it */
    uint8_t n;           /**< entries read */
    uint8_t known;       /**< the setting was read */
    struct {
        int8_t pid; /**< -1: the firmware has no such process: nothing kept */
        uint8_t count;
    } e[CMRX_KEPT_MAX];
};
#define CMRX_KEPT_INIT(setting)                                                                    \
    {                                                                                              \
        (setting), 0, 0,                                                                           \
        {                                                                                          \
            {                                                                                      \
                0, 0                                                                               \
            }                                                                                      \
        }                                                                                          \
    }

/**
 * Whether process @p pid may take one more slot of the table @p k keeps
 * slots of: within what is kept for it, if any is still owed to it;
 * otherwise only while more slots are free than the kept processes are
 * still owed, so that one that takes slots and frees none cannot leave a
 * named process without its own. @p free: free slots now; @p held_by(p):
 * the slots process p holds now.
 * @return 1 if it may, else 0.
 */
int cmrx_kept_may_take(struct cmrx_kept *k, int pid, unsigned free, unsigned (*held_by)(int pid));

#define CMRX_PROC_STATE   0 /**< returns CMRX_PROC_ALIVE, _KILLED or _RESTARTING */
#define CMRX_PROC_KILL    1 /**< kill it (its services answer CMRX_ERPC_DEAD) */
#define CMRX_PROC_RESTART 2 /**< kill it and start it again (counts a restart) */
#define CMRX_PROC_CAUSE   3 /**< why it was last killed or restarted: CMRX_CAUSE_... */

/* What CMRX_PROC_STATE answers. A process the kernel will start again by
 * itself (its restart policy's back-off, a restart waiting for its threads
 * to leave calls, its memory being initialised) is RESTARTING, not KILLED:
 * what it owns in services (pins, queues) must stay its own until it is
 * back, so a service frees such things only for KILLED. */
#define CMRX_PROC_ALIVE      0
#define CMRX_PROC_KILLED     1
#define CMRX_PROC_RESTARTING 2

/* What CMRX_PROC_CAUSE answers: why the process was last killed or
 * restarted, so that a watchdog tells a failure from an operator's or an
 * updater's wish, and obeys that instead of undoing it. */
#define CMRX_CAUSE_NONE   0     /**< neither, since the firmware started */
#define CMRX_CAUSE_FAULT  1     /**< a fault, by its fault policy */
#define CMRX_CAUSE_UPDATE 2     /**< a live update started its new version */
#define CMRX_CAUSE_ASKED  0x100 /**< + pid: CMRX_PROC_KILL or _RESTART by process pid */

/**
 * Say what @p cause (an answer of CMRX_PROC_CAUSE) was, for a log or a
 * status page: "a fault", "an update", or the name of the process that
 * asked, in @p buf of @p size bytes (cut as cmrx_process_name() cuts).
 * @return its length; CMRX_ESRCH for CMRX_CAUSE_NONE (it never ended);
 *         CMRX_EINVAL (no such cause or process, @p size 0).
 */
int cmrx_process_cause_text(int cause, char *buf, size_t size);

/**
 * Query or control process @p pid (as a supervisor does). Killing and
 * restarting are for processes declared SYSTEM.
 * @return CMRX_PROC_STATE: CMRX_PROC_ALIVE (0), _KILLED (1), _RESTARTING (2);
 *         CMRX_PROC_CAUSE: CMRX_CAUSE_NONE, _FAULT, _UPDATE, or
 *         CMRX_CAUSE_ASKED + the pid of the process that asked;
 *         else CMRX_OK; CMRX_EINVAL (no such process or operation),
 *         CMRX_EPERM (not a SYSTEM process).
 */
int cmrx_process_control(unsigned pid, unsigned op);

/**
 * A thread of a killed (or restarting) process that is serving a call in
 * another process gets this long to return before the kernel stops it
 * where it is (docs/concepts.md); service mutexes (cmrx/mutex.h) wait for
 * it before they take over from such a thread.
 */
#define CMRX_DOOMED_GRACE_MS 10u

/**
 * Make a global of this process visible to other processes' code, e.g. a
 * service object its clients call. Everything else a process defines is
 * private to it: another process that names it does not link.
 */
#define CMRX_EXPORT __attribute__((visibility("default")))

/**
 * Place a variable in the process's shared memory: while this process calls
 * another one over RPC, the callee may read and write it. Nothing else can.
 */
#ifdef CMRX_HOST_UNIT /* a name the host's linker marks the start and end of (cmrx/host.h) */
#define CMRX_SHARED __attribute__((section("cmrx_shared")))
#else
#define CMRX_SHARED __attribute__((section(".shared")))
#endif

#endif
