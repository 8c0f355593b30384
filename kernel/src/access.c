/* Validation of pointers that system calls dereference on a thread's behalf.
 *
 * A thread may touch the memory of its active process (.data/.bss and
 * .shared), the part of its own stack it may currently use, and during an
 * RPC call its caller's .shared memory; it may also read (and run) the user
 * part of flash. The kernel runs privileged, so it checks every user
 * pointer against exactly that set before using it: a forged pointer gets
 * CMRX_EFAULT, not kernel memory.
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

static bool in_process(uintptr_t a, size_t len, const struct cmrx_process *p, bool data)
{
    return (data && within(a, len, p->data_start, p->bss_end)) ||
           within(a, len, p->shared_start, p->shared_end);
}

bool access_ok(const struct cmrx_thread *t, const void *addr, size_t len, bool write)
{
    uintptr_t a = (uintptr_t)addr;
    if (len == 0) {
        return true; /* nothing is dereferenced */
    }
    uint32_t size;
    const uint8_t *stack = thread_stack(t, &size);
    const uint8_t *top = stack + size;
    const struct cmrx_call_frame *f = t->frames;
    if (f != NULL && f->kind == CMRX_FRAME_RPC) {
        /* A callee sees the stack below its caller's frame, and the
         * caller's .shared memory. */
        top = (const uint8_t *)f->limit;
        const struct cmrx_process *caller =
            (const struct cmrx_process *)(const void *)f->saved.mpu_image;
        if (in_process(a, len, caller, false)) {
            return true;
        }
    }
    if (in_process(a, len, thread_active(t), true) || within(a, len, stack, top)) {
        return true;
    }
    return !write && within(a, len, __cmrx_user_flash_start, __cmrx_user_flash_end);
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
