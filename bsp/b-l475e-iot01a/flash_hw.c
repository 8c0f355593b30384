/* Flash driver (flash_hw.h) of the STM32L475VG's embedded flash, for the
 * block-device service and the updater. From RM0351 (STM32L4x5/L4x6), 3.3
 * and 3.7: two banks of 512 KiB, 2 KiB pages; programming takes one
 * aligned double word at a time (two 32-bit writes, first word first).
 * bsp.yaml gives the storage range, in bank 2 so that the code (bank 1)
 * keeps running while bank 2 is erased or programmed (read-while-write).
 * Runs unprivileged, with the FLASH registers and the storage range
 * granted. Assumes the banks are not swapped (option bit BFB2 clear). */
#include <stdint.h>

#include "flash_hw.h"

#define FLASH_BASE_REG 0x40022000u
#define FLASH_ACR      (*(volatile uint32_t *)(FLASH_BASE_REG + 0x00u))
#define FLASH_KEYR     (*(volatile uint32_t *)(FLASH_BASE_REG + 0x08u))
#define FLASH_SR       (*(volatile uint32_t *)(FLASH_BASE_REG + 0x10u))
#define FLASH_CR       (*(volatile uint32_t *)(FLASH_BASE_REG + 0x14u))

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

#define SR_EOP (1u << 0)
#define SR_BSY (1u << 16)
/* OPERR, PROGERR, WRPERR, PGAERR, SIZERR, PGSERR, MISERR, FASTERR, RDERR, OPTVERR */
#define SR_ERRORS 0xC3FAu

#define CR_PG        (1u << 0)
#define CR_PER       (1u << 1)
#define CR_PNB_SHIFT 3u
#define CR_PNB_MASK  (0xFFu << CR_PNB_SHIFT)
#define CR_BKER      (1u << 11)
#define CR_STRT      (1u << 16)
#define CR_LOCK      (1u << 31)

#define ACR_DCEN  (1u << 10)
#define ACR_DCRST (1u << 12)

#define BANK2     0x08080000u
#define PAGE_SIZE 2048u

const struct flash_hw_geometry flash_hw_geometry = {PAGE_SIZE, 8u};

static void unlock(void)
{
    if (FLASH_CR & CR_LOCK) {
        FLASH_KEYR = KEY1;
        FLASH_KEYR = KEY2;
    }
}

/* Wait for the operation, clear its flags. @return 0, or -1 on an error flag. */
static int finish(void)
{
    while (FLASH_SR & SR_BSY) {
    }
    uint32_t sr = FLASH_SR;
    FLASH_SR = sr & (SR_ERRORS | SR_EOP); /* write 1 to clear */
    return (sr & SR_ERRORS) ? -1 : 0;
}

/* The data cache may hold what was there before: reset it (it must be off to be reset). */
static void flush_dcache(void)
{
    uint32_t acr = FLASH_ACR;
    if (acr & ACR_DCEN) {
        FLASH_ACR = acr & ~ACR_DCEN;
        FLASH_ACR = (acr & ~ACR_DCEN) | ACR_DCRST;
        FLASH_ACR = acr & ~ACR_DCRST;
    }
}

int flash_hw_erase(uint32_t addr)
{
    uint32_t bank2 = addr >= BANK2;
    uint32_t page = (addr - (bank2 ? BANK2 : 0x08000000u)) / PAGE_SIZE;
    unlock();
    if (finish() != 0) { /* a stale error flag would refuse the start */
        FLASH_SR = SR_ERRORS;
    }
    FLASH_CR = (FLASH_CR & ~(CR_PNB_MASK | CR_BKER | CR_PG)) | CR_PER | (page << CR_PNB_SHIFT) |
               (bank2 ? CR_BKER : 0u);
    FLASH_CR |= CR_STRT;
    int rc = finish();
    FLASH_CR &= ~(CR_PER | CR_PNB_MASK | CR_BKER);
    flush_dcache();
    return rc;
}

int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words)
{
    int rc = 0;
    unlock();
    (void)finish();
    FLASH_CR = (FLASH_CR & ~CR_PER) | CR_PG;
    for (uint32_t i = 0; rc == 0 && i + 1 < n_words; i += 2) {
        volatile uint32_t *dst = (volatile uint32_t *)(uintptr_t)(addr + 4u * i);
        dst[0] = words[i];
        dst[1] = words[i + 1];
        rc = finish();
    }
    FLASH_CR &= ~CR_PG;
    flush_dcache();
    return rc;
}
