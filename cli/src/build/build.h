/* The CMake driver behind `cmrx build`: from cmrx.yaml, cmrx.lock and
 * packages/ to firmware. cmrx writes a CMakeLists.txt that calls the
 * kernel's CMake SDK (packages/kernel/cmake/cmrx.cmake) into the build
 * folder, never into the sources, configures CMake only when that file
 * changes (cmrx.yaml or cmrx.lock changed; CMake itself notices a changed
 * component.cmake), and runs Ninja. The layout:
 *
 *   build/BOARD/PROFILE/            the CMake build tree (PROFILE: debug, release)
 *   build/BOARD/PROFILE/cmrx/       the generated CMakeLists.txt
 *   build/BOARD/PROFILE/NAME.elf    and NAME.hex, NAME.bin, NAME.map, NAME.size.json
 *   build/BOARD/packages/           the board package when building for another
 *                                   board than cmrx.yaml's (--board)
 */
#ifndef CMRX_CLI_BUILD_H
#define CMRX_CLI_BUILD_H

#include <stdbool.h>

#include "bsp.h"
#include "err.h"
#include "fsutil.h"
#include "lock.h"
#include "project.h"
#include "qemu.h"

struct manifest;
struct project;

struct build {
    const char *profile; /**< "debug" or "release" */
    char *root;          /**< the project folder */
    char *name;          /**< the firmware's name: the project's */
    char *board;         /**< the board built for */
    bool other_board;    /**< not cmrx.yaml's board (--board) */
    char *board_dir;     /**< its package folder */
    char *bsp_path;      /**< its bsp.yaml, for messages */
    struct bsp bsp;      /**< its bsp.yaml */
    bool has_bsp;
    char *dir;                         /**< build/BOARD/PROFILE */
    char *elf, *hex, *bin, *size_json; /**< the outputs */
    struct lock lock; /**< the packages built from: cmrx.lock, or its variant for --board */
    char **pkg_dirs;  /**< the folder of each lock.pkgs[i] */
    bool testing;     /**< the build of the tests (build_tests()), not of the firmware */
    bool trace;       /**< the firmware with the kernel trace on (build_trace()) */
    char **tests;     /**< target tests: NAME of each tests/target/NAME.c */
    size_t n_tests;
    char **host_tests; /**< host tests: NAME of each tests/host/NAME.c */
    size_t n_host_tests;
    struct qemu_uart *uarts; /**< UARTs QEMU offers on local ports (build_uarts_open()) */
    size_t n_uarts;
};

/**
 * Describe the build of project @p p for @p board (@p other_board: not
 * cmrx.yaml's) and @p profile ("debug", "release") from @p lock, whose
 * packages are in @p dirs (the build takes both over): reads the board's
 * bsp.yaml and names the outputs. Builds nothing (session_build() chooses
 * the packages).
 * @return 0, or -1 with a message.
 */
int build_open(struct build *b, const struct project *p, const char *board, bool other_board,
               const char *profile, struct lock *lock, char **dirs, struct err *e);

/** Is @p b for board host, the host simulation (the sim port: the firmware
 *  is a Linux program, run as it is, no QEMU)? */
static inline bool build_is_host(const struct build *b)
{
    return b->bsp.mpu_arch == MPU_SIM;
}

/**
 * Make @p b the build of the firmware with the kernel trace on (CMRX_TRACE,
 * kernel/src/trace.c), in build/BOARD/trace: the firmware's own build stays
 * as it is. build_qemu() then runs it with -icount (a virtual nanosecond
 * per instruction), so its timestamps are the same whatever the host's speed.
 */
void build_trace(struct build *b);

/** Where a project's tests are: one test per NAME.c. */
#define BUILD_TESTS_DIR      "tests/target"
#define BUILD_HOST_TESTS_DIR "tests/host"

/**
 * Find the project's tests and make @p b the build of its target tests
 * instead of its firmware: in build/BOARD/test, one firmware per file
 * tests/target/NAME.c, each of them the test's own process NAME (one
 * thread, may end the firmware), every process of cmrx.yaml that is not
 * `system: true` (those drive the firmware; in a test, the test does) and
 * the components'. Its ELF is build_test_elf(). Host tests are the files
 * tests/host/NAME.c (build_host_test()). Names that are not C identifiers,
 * or a target test named like a process of cmrx.yaml, are errors.
 * @return 0, or -1 with a message (no test at all included).
 */
int build_tests(struct build *b, const struct manifest *m, struct err *e);

/**
 * The compiler command for host test @p i of build_tests() into @a, and
 * the program it makes in *@p exe (a new string, in build/host-test/): the
 * test with CMRX_HOST_UNIT defined (cmrx/host.h) and the macros the firmware
 * gives the process the test is named after (NAME_... tests process NAME;
 * else the board's), from the tree build_configure() made; the headers of src/,
 * include/, tests/host/ and the processes' include_dirs, the kernel's
 * stand-in for the userspace API and CMocka, with AddressSanitizer and UBSan.
 * @return 0, or -1 with a message (no host compiler).
 */
int build_host_test(const struct build *b, const struct manifest *m, size_t i, char **exe,
                    struct argv *a, struct err *e);

/** The ELF of test @p i of build_tests() (a new string). */
char *build_test_elf(const struct build *b, size_t i);

struct build_opts {
    bool verbose;  /**< show CMake's output and Ninja's command lines */
    const char *target; /**< also build this Ninja target (one not in the default set) */
    int out_fd;    /**< where CMake's and Ninja's output goes; -1: stdout */
    bool quiet;    /**< a step of run, flash or debug: only messages, no progress or no-op line */
    unsigned jobs; /**< Ninja's -j; 0: its default */
};

/**
 * Configure the build tree of @p b when cmrx.yaml, the lock or the SDK's
 * CMake input changed (or it has none yet): the generated CMakeLists.txt,
 * then CMake, which also writes the macros of every process for host
 * tests (build_host_test()). @return 0, or -1 with a message.
 */
int build_configure(const struct build *b, const struct manifest *m, const struct build_opts *o,
                    struct err *e);

/**
 * Configure (when needed) and build. Compiler messages pass through as
 * they are. @p relinked is set when the firmware was linked anew (the SDK
 * then printed its memory table).
 * @return 0, or -1 with a message (e->status 130 for Ctrl-C, 128 + N for signal N).
 */
int build_run(struct build *b, const struct manifest *m, const struct build_opts *o, bool *relinked,
              struct err *e);

/**
 * Whether project @p p was built for @p board (@p other_board: not
 * cmrx.yaml's) and @p profile: its build tree exists. Asks nothing of the
 * packages, so a command that reads the last build can say there is none
 * before it fetches anything. @return 0, or -1 with a message and a hint.
 */
int build_need_tree(const struct project *p, const char *board, bool other_board,
                    const char *profile, struct err *e);

/** Say that board host has no memory table, built or not. @return -1. */
int build_host_no_table(struct err *e);

/** Print the memory table of the last build on stdout (the SDK helper's report). @return 0/-1. */
int build_report(const struct build *b, struct err *e);

/** The network of `cmrx run --net`: port forwards "tcp:HOST:BOARD" (HOST 0: a free port). */
struct build_net {
    char *const *forwards;
    size_t n;
};

/**
 * The QEMU command (qemu.h) that boots @p b's ELF (or @p elf if not NULL)
 * on its board's machine (on board host, the host simulation: that ELF, a
 * Linux program, which has no network card nor storage to give);
 * with @p gdb_port not 0, the CPU waits at reset for gdb on that TCP port;
 * with @p net, the board's network card (qemu_nic()) is on QEMU's user
 * network with those forwards from 127.0.0.1, each said on stderr. A board
 * with storage (bsp.yaml qemu.storage) gets it backed by the file @p image
 * (NULL: build/BOARD/storage.img); build_image_ready() makes it.
 * @return 0, or -1 when the board has no QEMU machine (the message points
 * to `cmrx flash` and to the emulated boards), no network card for @p net
 * or no storage for @p image.
 */
int build_qemu(const struct build *b, const char *elf, unsigned gdb_port, const char *image,
               const struct build_net *net, struct argv *a, struct err *e);

/** The name of the image builds of updatable processes for slot B. */
#define BUILD_SLOT_B "slot_b"

/**
 * The interface level of the CMake SDK (`CMRX_CMAKE_API` in the kernel
 * package's cmake/cmrx.cmake) that the generated CMakeLists.txt needs; a
 * lower one stops the configure step with a hint to update the kernel
 * package. Raised together with cmrx.cmake's whenever the generated file
 * calls something new. 2: cmrx_setting() and cmrx_package_at().
 */
#define BUILD_CMAKE_API 2

/** The Ninja target that builds the slot-B images (a new string). */
char *build_slot_b_target(const struct build *b);

/** The sealed image of updatable process @p proc for slot @p slot (0: A,
 * the firmware's own; 1: B) (a new string). */
char *build_process_image(const struct build *b, const char *proc, unsigned slot);

/** A sealed image of an updatable process, as the build made it. */
struct build_image {
    char *data;
    size_t size;
    uint32_t version; /**< from its header */
};

/**
 * Load build_process_image() of @p proc for @p slot and check that it is a
 * sealed image (magic, size). @return 0 with @p im filled (free im->data),
 * or -1 with a message.
 */
int build_image_load(const struct build *b, const char *proc, unsigned slot,
                     struct build_image *im, struct err *e);

/**
 * Where updatable process @p proc's slots A and B are in @p b's
 * firmware (its update.cmake, which the SDK writes at the build).
 * @return 0, or -1 with a message (not built, or not updatable there).
 */
int build_update_addresses(const struct build *b, const char *proc, uint32_t *slot_a,
                           uint32_t *slot_b, struct err *e);

/** The file in which `cmrx run` of @p b says which TCP port of 127.0.0.1
 * QEMU offers the board's UART @p uart on (a new string). */
char *build_uart_port_file(const struct build *b, const char *uart);

/**
 * Give each UART of @p b's board that has a QEMU serial port (bsp.yaml
 * peripherals' qemu_serial) a free TCP port of 127.0.0.1, for build_qemu()
 * to pass on: for `cmrx run`, whose firmware `cmrx deploy` then reaches.
 * Writes nothing. @return 0 or -1.
 */
int build_uarts_open(struct build *b, struct err *e);

/**
 * Say the ports build_uarts_open() chose, in build_uart_port_file() and on
 * stderr, once the QEMU command line is sound (so that a refused run
 * leaves the project as it was). @return 0 or -1.
 */
int build_uarts_publish(const struct build *b, struct err *e);

/** Remove what build_uarts_open() wrote (QEMU has ended). */
void build_uarts_close(struct build *b);

/** The storage image of @p b's board: @p image, or the default; NULL without storage. */
char *build_image_path(const struct build *b, const char *image);

/**
 * Make the storage image ready before QEMU starts (qemu_image_prepare():
 * created erased when missing, refused when of another size); nothing for
 * a board without storage. @return 0 or -1.
 */
int build_image_ready(const struct build *b, const char *image, struct err *e);

/** @return @p path relative to the project folder if it is inside it (for messages). */
const char *build_shown(const struct build *b, const char *path);

/** The memory table of the last build, parsed from NAME.size.json. @return it, or NULL. */
struct cJSON;
struct cJSON *build_size_json(const struct build *b, struct err *e);

/**
 * The text of the CMakeLists.txt for manifest @p m: the board, the
 * components' component.cmake (their processes join the firmware, their
 * client libraries every process of cmrx.yaml) and one cmrx_add_process()
 * per process, each after a comment naming its line in cmrx.yaml.
 * @return a new string, or NULL with a message (a missing source or
 * component.cmake, no process at all).
 */
struct manifest;
char *build_cmakelists(const struct build *b, const struct manifest *m, struct err *e);

void build_free(struct build *b);

#endif
