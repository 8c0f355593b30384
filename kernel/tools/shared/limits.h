/* The one table of what a CMRX firmware may declare: the numbers of a
 * process with their ranges and defaults, the fault policies, the CPUs the
 * SDK builds for (with their MPU and FPUs and the compiler flags of each),
 * and the kernel's fixed sizes. cmrx (cmrx.yaml), cmrx-sdk (the firmware
 * description of the CMake SDK and the generated process table) and the
 * CMake SDK (through the settings cmrx-sdk writes for it) all take them
 * from here; the generated process table checks the kernel's own
 * constants against them when it is compiled. */
#ifndef CMRX_SHARED_LIMITS_H
#define CMRX_SHARED_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

/* Scheduling priorities: 0 is the highest; the idle thread runs below the
 * lowest a thread may have. */
#define LIMIT_PRIO_HIGHEST 0u
#define LIMIT_PRIO_LOWEST  30u
#define LIMIT_PRIO_IDLE    31u

#define LIMIT_THREADS              254u /* thread slots of a firmware, the idle thread's excluded */
#define LIMIT_TIMERS               254u /* periodic timers of a firmware */
#define LIMIT_MMIO                 2u  /* MMIO ranges of a process: two MPU regions on every port */
#define LIMIT_PROC_IRQS            16u /* interrupt lines of a process */
#define LIMIT_IRQ_LINES            496u /* external interrupts of a Cortex-M (NVIC) */
#define LIMIT_MMIO_MIN             32u  /* the smallest MPU region */
#define LIMIT_PROCESS_NAME         32u  /* characters of a process name (a C identifier) */
#define LIMIT_IDLE_STACK           128u /* the idle thread's stack */
#define LIMIT_HOST_STACK_SCALE     16u  /* host simulation: stacks are this many times larger */
#define LIMIT_HOST_STACK_MIN       32768u /* and at least this (board host) */
#define LIMIT_MPU_REGIONS_MIN      8u   /* MPU regions the kernel's memory map uses */
#define LIMIT_MPU_REGIONS_MAX      16u
#define LIMIT_KERNEL_STACK_MIN     256u
#define LIMIT_KERNEL_STACK_DEFAULT 1024u

#define LIMIT_RPC_STACK_MIN 128u /* a method's stack budget, if it has one */

/*
 * The numbers of a process declaration: X(key, min, max, default, step),
 * step being what the value must be a multiple of. The key is the one of
 * cmrx.yaml and of the firmware description; the CMake SDK's argument is
 * the key in upper case (STACK_SIZE). Rules between numbers are in
 * process.c: max_priority (the ceiling of its threads' priorities) is at
 * most priority and defaults to it; rpc_stack (the stack its methods get
 * on a caller's thread) is 0 (all the caller has left) or at least
 * LIMIT_RPC_STACK_MIN. flash_reserve (bytes of each of its two flash slots)
 * makes a process updatable (docs/updating.md); then ram_reserve is its
 * .data/.bss region whatever a version measures, and version its image's
 * version.
 */
#define LIMIT_PROCESS_NUMBERS(X)                                                                   \
    X(stack_size, 256u, 0x100000u, 1024u, 8u)                                                      \
    X(threads, 0u, LIMIT_THREADS, 1u, 1u)                                                          \
    X(timers, 0u, 64u, 0u, 1u)                                                                     \
    X(priority, LIMIT_PRIO_HIGHEST, LIMIT_PRIO_LOWEST, 16u, 1u)                                    \
    X(max_priority, LIMIT_PRIO_HIGHEST, LIMIT_PRIO_LOWEST, 16u, 1u)                                \
    X(rpc_stack, 0u, 0xFFFFu, 0u, 1u)                                                              \
    X(flash_reserve, 0u, 0x1000000u, 0u, 256u)                                                     \
    X(ram_reserve, 0u, 0x100000u, 0u, 32u)                                                         \
    X(version, 0u, 0x7FFFFFFFu, 1u, 1u)

/* What a fault of one of its threads costs a process. */
enum fault_policy {
    FAULT_KILL_THREAD, /**< the default */
    FAULT_KILL_PROCESS,
    FAULT_RESTART, /**< re-initialise the process and restart its threads */
    FAULT_POLICIES
};

/** @return the name of @p p as written in cmrx.yaml and the CMake SDK ("kill-thread"). */
const char *fault_policy_name(enum fault_policy p);

/** @return the kernel's constant for @p p ("CMRX_POLICY_KILL_THREAD"). */
const char *fault_policy_kernel(enum fault_policy p);

/** Parse a policy name. @return 0 or -1. */
int fault_policy_parse(const char *s, enum fault_policy *out);

/** @return the policy names, "kill-thread, kill-process or restart". */
const char *fault_policy_list(void);

/* The MPU of a CPU, which names the kernel's port. */
enum mpu_arch {
    MPU_ARMV6M,
    MPU_ARMV7M,
    MPU_ARMV8M,
    MPU_SIM, /* board `host`: pages and mprotect() (kernel/arch/sim) */
};

/** @return the name of @p arch as written in bsp.yaml ("armv7m", ...). */
const char *mpu_arch_name(enum mpu_arch arch);

/** Parse "armv6m" / "armv7m" / "armv8m" / "sim". @return 0 or -1. */
int mpu_arch_parse(const char *s, enum mpu_arch *out);

/** A CPU the SDK builds for. */
struct cpu_info {
    const char *name;    /**< as bsp.yaml and the registry write it: "cortex-m4" */
    enum mpu_arch mpu;   /**< its MPU */
    const char *fpus[4]; /**< FPUs it may have, "none" first; NULL-terminated */
};

/** @return the CPU called @p name, or NULL. */
const struct cpu_info *cpu_find(const char *name);

/** @return the CPU names, "cortex-m0plus, cortex-m3, ...". */
const char *cpu_list(void);

/** @return whether @p cpu may have FPU @p fpu ("none" included). */
bool cpu_has_fpu(const struct cpu_info *cpu, const char *fpu);

/** @return the compiler flags of FPU @p fpu ("-mfloat-abi=hard -mfpu=fpv4-sp-d16"), or NULL. */
const char *fpu_flags(const char *fpu);

#endif
