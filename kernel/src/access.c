/* Validation of pointers that system calls dereference on a thread's behalf.
 *
 * A thread may touch its process's .data/.bss and .shared and its own stack;
 * it may also read (and run) the user part of flash. The kernel runs
 * privileged, so it checks every user pointer against exactly that set
 * before using it: a forged pointer gets CMRX_EFAULT, not kernel memory.
 */
#include "kernel.h"

/* Bounds of the flash that unprivileged code may read and execute; defined
 * by the firmware's linker script. */
extern const uint8_t __cmrx_user_flash_start[];
extern const uint8_t __cmrx_user_flash_end[];

static bool within(uintptr_t a, size_t len, const void *start, const void *end)
{
    uintptr_t s = (uintptr_t)start;
    uintptr_t e = (uintptr_t)end;
    return a >= s && a <= e && len <= e - a;
}

bool access_ok(const struct cmrx_thread *t, const void *addr, size_t len, bool write)
{
    const struct cmrx_process *p = t->process;
    uintptr_t a = (uintptr_t)addr;
    if (len == 0) {
        return true; /* nothing is dereferenced */
    }
    unsigned i = (unsigned)(t - cmrx_threads) - p->first_thread;
    const uint8_t *stack = p->stack_base + (size_t)i * p->stack_size;

    if (within(a, len, p->data_start, p->bss_end) ||
        within(a, len, p->shared_start, p->shared_end) ||
        within(a, len, stack, stack + p->stack_size)) {
        return true;
    }
    if (!write && within(a, len, __cmrx_user_flash_start, __cmrx_user_flash_end)) {
        return true;
    }
    return false;
}

bool access_code_ok(const void *fn)
{
    uintptr_t a = (uintptr_t)fn;
    /* Thumb-only CPUs need bit 0 set in every code pointer. */
    if (CMRX_PORT_THUMB && (a & 1u) == 0) {
        return false;
    }
    a &= ~(uintptr_t)1;
    return within(a, 2, __cmrx_user_flash_start, __cmrx_user_flash_end);
}
