/* Flash the kernel programs for a process (cmrx/flash.h).
 *
 * On a board whose CPU executes in place from the flash it would program
 * (the RP2040), no process can program it: the whole chip stops fetching
 * while it does. The board's kernel code does it instead, for a process
 * declared with the right to (CMRX_PROC_FLASH), one bounded operation per
 * call. This file holds every check made before the board
 * is asked: the right, the operation, the range and alignment against the
 * board's geometry, and that the data is RAM the caller may write (it is
 * read while nothing else runs, and flash cannot be read then). The board's
 * driver (bsp_flash_erase(), bsp_flash_program()) also writes process
 * slots (update.c); a board without one answers CMRX_ENOSYS (bsp_glue.c). */
#include "kernel.h"

#include <cmrx/flash.h>

__attribute__((weak)) const struct bsp_flash bsp_flash = {0u, 0u, 0u, 0u};

/* [addr, addr + len) inside the board's flash window. */
static bool in_window(uint32_t addr, uint32_t len)
{
    return addr >= bsp_flash.base && addr - bsp_flash.base <= bsp_flash.size &&
           len <= bsp_flash.size - (addr - bsp_flash.base);
}

int32_t sys_flash_op(uint32_t op, uint32_t addr, const void *data, uint32_t len)
{
    const struct cmrx_thread *t = cmrx_sched.current;
    /* The right is the running code's process: a method of a driver
     * holding it may, the process that called the driver may not. */
    if ((thread_active(t)->flags & CMRX_PROC_FLASH) == 0) {
        return CMRX_EPERM;
    }
    if (bsp_flash.size == 0) {
        return CMRX_ENOSYS;
    }
    if (op == CMRX_FLASH_ERASE) {
        if (data != NULL || len != 0 || addr % bsp_flash.erase_size != 0 ||
            !in_window(addr, bsp_flash.erase_size)) {
            return CMRX_EINVAL;
        }
    } else if (op == CMRX_FLASH_PROGRAM) {
        if (len == 0 || len % 4u != 0 || addr % 4u != 0 ||
            len > bsp_flash.page_size - addr % bsp_flash.page_size || !in_window(addr, len)) {
            return CMRX_EINVAL;
        }
        /* RAM the caller may write (flash cannot be read while it is
         * programmed), word-aligned (drivers read it by words: an unaligned
         * word faults on ARMv6-M, in the kernel). */
        if (!access_out_ok(t, data, len)) {
            return CMRX_EFAULT;
        }
    } else {
        return CMRX_EINVAL;
    }
    return op == CMRX_FLASH_ERASE ? bsp_flash_erase(addr) : bsp_flash_program(addr, data, len);
}
