/* Flash programmed by the kernel, for a driver that cannot do it alone.
 *
 * On some boards programming the flash stops the CPU from executing out of
 * it (the RP2040 executes in place from its QSPI flash: the kernel, every
 * handler and every process would stop). There the board's kernel code
 * erases and programs on behalf of a process declared with the right
 * `flash: true` (cmrx_add_process FLASH), one bounded operation per call,
 * within the flash the board's bsp.yaml names as storage. Boards whose
 * flash a driver process programs through its controller (flash_hw.h)
 * answer CMRX_ENOSYS. docs/storage.md says what each call costs.
 */
#ifndef CMRX_FLASH_H
#define CMRX_FLASH_H

#include <stdint.h>

#define CMRX_FLASH_ERASE   0u /**< erase one sector at addr; data NULL, len 0 */
#define CMRX_FLASH_PROGRAM 1u /**< program len bytes from data at addr, within one page */

/**
 * Erase or program the board's storage flash.
 *
 * CMRX_FLASH_ERASE erases the sector (the board's erase unit, 4 KiB on the
 * RP2040) at @p addr, aligned to it, to 0xFF. CMRX_FLASH_PROGRAM programs
 * @p len bytes (a multiple of 4, 4..page size) at @p addr (4-aligned) from
 * @p data, all within one page (256 bytes on the RP2040); programming only
 * clears bits, the rest of the page is left as it is. @p data must be RAM
 * the calling process may write (not flash: it cannot be read meanwhile).
 * Returns when the flash is done; interrupts wait meanwhile (the board's
 * latency, docs/performance.md), and the kernel's clock stays right.
 *
 * @return CMRX_OK; CMRX_EPERM when the calling process lacks the right;
 *         CMRX_EINVAL for an unknown op, an address outside the storage
 *         range or misaligned, a bad length; CMRX_EFAULT when @p data is not
 *         the caller's RAM or not word-aligned; CMRX_ENOSYS on a board whose kernel does not
 *         program flash.
 */
int cmrx_flash_op(uint32_t op, uint32_t addr, const void *data, uint32_t len);

#endif
