/* Host port: the portable kernel built for Linux, for unit tests.
 *
 * Nothing runs concurrently here: a "context switch" is the test calling
 * host_port_switch(), which does what PendSV does on a Cortex-M.
 */
#ifndef CMRX_PORT_H
#define CMRX_PORT_H

#include <cmrx/thread.h>
#include <stdint.h>

struct cmrx_thread;
struct cmrx_process;

#define CMRX_PORT_THUMB             0
#define CMRX_PORT_PROCESS_MPU_WORDS 8

struct cmrx_port_context {
    int32_t retval; /* what the thread's pending system call returns */
    cmrx_thread_entry_t entry;
    void *arg;
    uint8_t *stack;
    uint32_t stack_size;
    const uint32_t *mpu_image;
};

/** Number of context switches requested since the last host_port_reset(). */
extern unsigned host_switch_requests;
/** What port_tick_phase_us() returns. */
extern uint32_t host_tick_phase;

void port_init(void);
void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size);
void port_set_return(struct cmrx_thread *t, int32_t value);
uint32_t port_tick_phase_us(void);
__attribute__((noreturn)) void port_start_first(struct cmrx_thread *t);

static inline void port_request_switch(void)
{
    host_switch_requests++;
}

/** Perform the pending switch: cmrx_sched.current = cmrx_sched.next. */
void host_port_switch(void);

/** Forget recorded switch requests. */
void host_port_reset(void);

#endif
