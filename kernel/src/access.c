/* Validation of what a thread hands the kernel: pointers that system calls
 * dereference on its behalf, and the stack pointer the kernel builds frames
 * below.
 *
 * A thread may touch the memory of its active process (.data/.bss and
 * .shared), its stack window (the part of its own stack slot below its
 * innermost RPC or signal frame: thread_window_top()), and during an RPC
 * call its caller's .shared memory; it may also read (and run) the user
 * part of flash. The kernel runs privileged, so it checks every user
 * pointer against exactly that set before using it: a forged pointer gets
 * CMRX_EFAULT, not kernel memory, and never a frame the kernel keeps.
 */
#include "kernel.h"

/* Bounds of the flash that unprivileged code may read and execute; defined
 * by the firmware's linker script. */
extern const uint8_t __cmrx_user_flash_start[];
extern const uint8_t __cmrx_user_flash_end[];

static bool within(uintptr_t a, size_t len, uintptr_t s, uintptr_t e)
{
    return a >= s && a <= e && len <= e - a;
}

static bool in_process(uintptr_t a, size_t len, const struct cmrx_process *p, bool data)
{
    return (data && within(a, len, (uintptr_t)p->data_start, (uintptr_t)p->bss_end)) ||
           within(a, len, (uintptr_t)p->shared_start, (uintptr_t)p->shared_end);
}

bool access_ok(const struct cmrx_thread *t, const void *addr, size_t len, bool write)
{
    uintptr_t a = (uintptr_t)addr;
    if (len == 0) {
        return true; /* nothing is dereferenced */
    }
    if (thread_in_method(t)) {
        /* A method also sees its caller's .shared memory. */
        const struct cmrx_process *caller =
            (const struct cmrx_process *)(const void *)t->frames->saved.mpu_image;
        if (in_process(a, len, caller, false)) {
            return true;
        }
    }
    if (in_process(a, len, thread_active(t), true) ||
        within(a, len, thread_window_base(t), thread_window_top(t))) {
        return true;
    }
    return !write && within(a, len, (uintptr_t)__cmrx_user_flash_start,
                            (uintptr_t)__cmrx_user_flash_end);
}

bool access_out_ok(const struct cmrx_thread *t, const void *addr, size_t len)
{
    /* The kernel stores words (and copies structures with multi-word
     * stores): misaligned, they fault in the kernel, on every Cortex-M. */
    return ((uintptr_t)addr & 3u) == 0 && access_ok(t, addr, len, true);
}

bool access_code_ok(const void *fn)
{
    uintptr_t a = (uintptr_t)fn;
    /* Thumb-only CPUs need bit 0 set in every code pointer. */
    if (CMRX_PORT_THUMB && (a & 1u) == 0) {
        return false;
    }
    a &= ~(uintptr_t)1;
    return within(a, 2, (uintptr_t)__cmrx_user_flash_start, (uintptr_t)__cmrx_user_flash_end);
}
