/* The port interface: everything the portable kernel needs from a port,
 * and its only way to the CPU. Every port (kernel/arch/<port>/, the host
 * port included) is compiled against this file: kernel.h includes it
 * between the port's port.h and its port_impl.h, and the port's C files
 * include kernel.h. A definition that differs from its declaration here
 * does not compile; a missing one does not link or, for an inline one,
 * does not compile either (-Werror: used but never defined).
 *
 * The port's port.h defines, before this file:
 *   struct cmrx_port_context     a thread's saved context, first in its TCB
 *   struct cmrx_port_frame       the port's part of an RPC call frame
 *   CMRX_PORT_THUMB              1 if code addresses carry the Thumb bit
 *   CMRX_PORT_IRQ_COUNT          number of interrupt lines
 *   CMRX_PORT_PROCESS_MPU_WORDS  words of a process's MPU image
 *   CMRX_PORT_HOT                linkage of the context operations:
 *                                `static inline` where port_impl.h defines
 *                                them, empty where port.c does
 * Interrupt and atomic operations are inline in every port.
 */
#ifndef CMRX_PORT_API_H
#define CMRX_PORT_API_H

#include <stdbool.h>
#include <stdint.h>

#include <cmrx/thread.h>

#if !defined(CMRX_PORT_THUMB) || !defined(CMRX_PORT_IRQ_COUNT) ||                                  \
    !defined(CMRX_PORT_PROCESS_MPU_WORDS) || !defined(CMRX_PORT_HOT)
#error "the port's port.h must define every CMRX_PORT_ constant listed in port_api.h"
#endif

struct cmrx_thread;
struct cmrx_process;

/** Configure exception priorities, fault enables, static MPU regions and the tick. */
void port_init(void);

/** Prepare @p t to start in @p entry(@p arg) on the given stack, in process @p p. */
void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size);

/** Enter the first thread; never returns. */
__attribute__((noreturn)) void port_start_first(struct cmrx_thread *t);

/** A fingerprint of the firmware's kernel image (its code and read-only
 *  data, the process table included), the same at every boot of the same
 *  build: a crash record is decoded only by the firmware that wrote it. */
uint32_t port_image_stamp(void);

/** Microseconds since the current tick began (>= one tick if a tick is pending). */
uint32_t port_tick_phase_us(void);

#if CMRX_TRACE_EVENTS
/** A free-running count of the tick timer's clock (wraps at 2^32): the
 *  kernel trace's timestamps. */
uint32_t port_trace_clock(void);
/** How many counts of port_trace_clock() make a second. */
uint32_t port_trace_hz(void);
#endif

/** Unmask / mask interrupt line @p irq. */
void port_irq_enable(unsigned irq);
void port_irq_disable(unsigned irq);

/** Zero [@p from, @p to), both multiples of 32: what one protection
 *  domain left on a thread's stack, before another sees it, and a
 *  restarting process's memory (a block store per 32 bytes where the
 *  port has them). */
void stack_scrub(uintptr_t from, uintptr_t to);

/** Copy the 32-byte blocks [@p from, @p end) to @p to, all three word
 *  aligned: a restarting process's .data and .shared from their load
 *  images (a block load and store per 32 bytes where the port has them). */
void block_copy(uintptr_t to, uintptr_t from, uintptr_t end);

/** Ask for a context switch to cmrx_sched.next once the kernel is left. */
static inline void port_request_switch(void);

/** Is a context switch asked for and not yet done (an interrupt handler
 * woke a thread while the kernel works)? Long kernel work in slices stops
 * at it. */
static inline bool port_switch_pending(void);

/* Atomic operations on words shared between interrupt handlers and the
 * kernel. Each returns the old value; cas whether it stored. */
static inline uint32_t port_atomic_or(volatile uint32_t *p, uint32_t v);
static inline uint32_t port_atomic_and(volatile uint32_t *p, uint32_t v);
static inline uint32_t port_atomic_xchg(volatile uint32_t *p, uint32_t v);
static inline bool port_atomic_cas(volatile uint32_t *p, uint32_t expect, uint32_t desired);

/* The context operations work on a thread whose context is saved in its
 * TCB: any thread but the one running, or the running one inside a
 * context system call or a fault. */

/** Make its pending system call return @p value. */
CMRX_PORT_HOT void port_set_return(struct cmrx_thread *t, int32_t value);

/** Argument @p i of its pending system call: 0..3, and 4..5 for an RPC
 *  call (on Cortex-M all six are in the exception frame: r0-r3, r12, lr,
 *  which the library's stub loads). */
CMRX_PORT_HOT uintptr_t port_syscall_arg(const struct cmrx_thread *t, unsigned i);

/** Its stack pointer (its exception frame). */
CMRX_PORT_HOT uintptr_t port_thread_sp(const struct cmrx_thread *t);

/** Base of its stack slot. */
CMRX_PORT_HOT uint8_t *port_thread_stack(const struct cmrx_thread *t);

/** Make it run fn(args[0..3]) on a fresh frame just below @p sp, returning
 *  to @p lr, with r4-r11 zeroed and no FP state. */
CMRX_PORT_HOT void port_ctx_call(struct cmrx_thread *t, uintptr_t sp, uintptr_t fn,
                                 const uintptr_t args[4], uintptr_t lr);

/** Copy a saved context (an RPC call frame keeps one). The copy may leave
 *  out what the context does not use: a Cortex-M context without FP state
 *  leaves its FP registers behind, as nothing will load them. */
CMRX_PORT_HOT void port_ctx_copy(struct cmrx_port_context *dst,
                                 const struct cmrx_port_context *src);

/** The highest address <= @p at where the MPU can bound its stack region. */
CMRX_PORT_HOT uintptr_t port_stack_boundary(const struct cmrx_thread *t, uintptr_t at);

/** Let it use only [@p base, @p limit) of its stack slot (both boundaries). */
CMRX_PORT_HOT void port_stack_limit(struct cmrx_thread *t, uintptr_t base, uintptr_t limit);

/** Its memory map for an RPC call into @p callee: the callee's regions plus
 *  the caller's .shared (the call frame is pushed already). */
CMRX_PORT_HOT void port_rpc_map(struct cmrx_thread *t, const struct cmrx_process *callee,
                                const struct cmrx_process *caller);

#endif
