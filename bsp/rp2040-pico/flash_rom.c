/* Kernel side of the Pico's flash driver: erasing and programming the
 * QSPI flash: for cmrx_flash_op() (kernel/src/flash.c has checked the
 * caller's right, the range, the alignment and that the data is its RAM)
 * and for process slots and the commit log (update.c, commit_log.c).
 *
 * The RP2040 executes in place from that flash: while the flash is being
 * erased or programmed nothing can be fetched from it, not the kernel,
 * not a handler, not a process. So the operation runs with interrupts
 * masked, in a routine that lives in RAM (kernel .data, copied there at
 * boot) and calls only the boot ROM's flash functions, found through the
 * ROM's lookup table (datasheet 2.8.3): connect_internal_flash,
 * flash_exit_xip, flash_range_erase or flash_range_program,
 * flash_flush_cache; then it sets the SSI up for XIP again as boot2 does
 * (xip_ssi.h). One call is one 4 KiB sector erase or one 256-byte page
 * program, so interrupts wait at most that long (the W25Q16JV: sector
 * erase 45 ms typical, 400 ms max; page program 0.4 ms typical, 3 ms max;
 * docs/performance.md). The kernel's tick is caught up afterwards from
 * the free-running microsecond TIMER (datasheet 4.6), which board.c
 * starts. The test suite checks the RAM routine's placement statically
 * (tests/build/ram_code.py); QEMU does not emulate the RP2040.
 *
 * Core 1 is not used by CMRX (it sleeps in the boot ROM), and no DMA
 * reads flash: nothing else can touch the flash meanwhile. */
#include <stddef.h>
#include <stdint.h>

#include <cmrx/flash.h>

#include "bsp_config.h"
#include "kernel.h"
#include "xip_ssi.h"

#define SECTOR 4096u
#define PAGE   256u
/* flash_range_erase() erases 64 KiB blocks with command D8h where a range
 * allows, 4 KiB sectors (20h) elsewhere: one sector here. */
#define BLOCK_SIZE      65536u
#define BLOCK_ERASE_CMD 0xd8u

#define TIMER_RAWL (*(volatile uint32_t *)0x40054028u) /* µs, low word, not latched */

const struct bsp_flash bsp_flash = {CMRX_BSP_STORAGE_BASE, CMRX_BSP_STORAGE_SIZE, SECTOR, PAGE};
_Static_assert(SECTOR == CMRX_BSP_FLASH_ERASE_SIZE, "bsp.yaml memory.flash.erase_size is a sector");

/* The boot ROM's flash functions (datasheet 2.8.3.1.3). */
struct rom_flash {
    void (*connect)(void);
    void (*exit_xip)(void);
    void (*erase)(uint32_t off, size_t count, uint32_t block_size, uint8_t block_cmd);
    void (*program)(uint32_t off, const uint8_t *data, size_t count);
    void (*flush)(void);
};

typedef void *(*rom_lookup_fn)(const uint16_t *table, uint32_t code);

/* A ROM function by its two-letter code: the ROM keeps, as 16-bit pointers,
 * its function table at 0x14 and the lookup function at 0x18. */
static void *rom_func(char c1, char c2)
{
    uintptr_t at = 0x14u;
    /* An address the compiler cannot see through: it takes constant
     * addresses in the first page for null pointers. */
    __asm volatile("" : "+r"(at));
    const volatile uint16_t *rom = (const volatile uint16_t *)at;
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t)rom[2];
    return lookup((const uint16_t *)(uintptr_t)rom[0],
                  (uint32_t)(uint8_t)c1 | (uint32_t)(uint8_t)c2 << 8);
}

/* The page to program, padded with 0xFF (which programming leaves as it
 * is): the ROM programs whole pages. Kernel RAM, so the routine below can
 * read it while flash cannot be read. */
static uint8_t page[PAGE] __attribute__((aligned(4)));

/* Runs from RAM with interrupts masked; touches no flash: it calls only
 * through the ROM pointers it is given and keeps its literals next to its
 * code. */
__attribute__((section(".data.cmrx_ram_code.flash_in_ram"), noinline, long_call)) static void
flash_in_ram(const struct rom_flash *rom, uint32_t op, uint32_t off)
{
    rom->connect();
    rom->exit_xip();
    if (op == CMRX_FLASH_ERASE) {
        rom->erase(off, SECTOR, BLOCK_SIZE, BLOCK_ERASE_CMD);
    } else {
        rom->program(off, page, PAGE);
    }
    rom->flush();
    /* Back to execute in place, configured as boot2 configured it. */
    volatile uint32_t *ssi = (volatile uint32_t *)SSI_BASE;
    ssi[SSI_SSIENR / 4] = 0u;
    ssi[SSI_CTRLR1 / 4] = 0u;
    ssi[SSI_BAUDR / 4] = SCK_DIVIDER;
    ssi[SSI_CTRLR0 / 4] = CTRLR0_XIP;
    ssi[SSI_SPI_CTRLR0 / 4] = SPI_CTRLR0_READ;
    ssi[SSI_RX_SAMPLE_DLY / 4] = RX_DELAY;
    ssi[SSI_SER / 4] = 1u;
    ssi[SSI_SSIENR / 4] = 1u;
}

/* One operation, everything it needs looked up and copied while flash can
 * still be read. */
static int32_t flash_op(uint32_t op, uint32_t off)
{
    struct rom_flash rom = {
        (void (*)(void))rom_func('I', 'F'),
        (void (*)(void))rom_func('E', 'X'),
        (void (*)(uint32_t, size_t, uint32_t, uint8_t))rom_func('R', 'E'),
        (void (*)(uint32_t, const uint8_t *, size_t))rom_func('R', 'P'),
        (void (*)(void))rom_func('F', 'C'),
    };
    uint32_t primask = irq_save();
    uint32_t phase = port_tick_phase_us();
    uint32_t t0 = TIMER_RAWL;
    flash_in_ram(&rom, op, off);
    time_masked(phase, TIMER_RAWL - t0);
    irq_restore(primask);
    return CMRX_OK;
}

int32_t bsp_flash_erase(uintptr_t addr)
{
    return flash_op(CMRX_FLASH_ERASE, (uint32_t)addr - XIP_BASE);
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    uint32_t off = (uint32_t)addr - XIP_BASE;
    uint32_t *w = (uint32_t *)(void *)page;
    for (uint32_t i = 0; i < PAGE / 4u; i++) {
        w[i] = 0xffffffffu;
    }
    const uint32_t *s = src; /* word-aligned, within one page: the kernel's callers say so */
    for (uint32_t i = 0; i < len / 4u; i++) {
        w[(off % PAGE) / 4u + i] = s[i];
    }
    return flash_op(CMRX_FLASH_PROGRAM, off - off % PAGE);
}
