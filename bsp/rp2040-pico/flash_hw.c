/* Flash driver (flash_hw.h) of the Raspberry Pi Pico's QSPI flash
 * (W25Q16JV), for the block-device service and the updater. The RP2040
 * executes in place from this flash, and erasing or programming it stops
 * that for the whole chip: this process cannot do it itself. It asks the
 * kernel (cmrx_flash_op(), with the right `flash` its process is declared
 * with), which runs the boot ROM's flash functions from RAM with
 * interrupts masked (flash_rom.c): one 4 KiB sector erase or one piece of
 * a 256-byte page per call, so that no call masks interrupts longer than
 * that. Reads are plain loads through XIP (the storage range granted). */
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>
#include <cmrx/flash.h>

#include "flash_hw.h"

#define PAGE 256u

/* 4 KiB sectors; the flash programs pages of 256 bytes. The service may
 * hand a page in parts (64 bytes at a time): each part is programmed as
 * it comes, the rest of the page staying as it is. */
const struct flash_hw_geometry flash_hw_geometry = {4096u, PAGE};

int flash_hw_erase(uint32_t addr)
{
    return cmrx_flash_op(CMRX_FLASH_ERASE, addr, NULL, 0) == CMRX_OK ? 0 : -1;
}

int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words)
{
    /* One call per page the words touch. */
    for (uint32_t done = 0; done < n_words;) {
        uint32_t at = addr + done * 4u;
        uint32_t room = (PAGE - at % PAGE) / 4u;
        uint32_t n = n_words - done < room ? n_words - done : room;
        if (cmrx_flash_op(CMRX_FLASH_PROGRAM, at, words + done, n * 4u) != CMRX_OK) {
            return -1;
        }
        done += n;
    }
    return 0;
}
