/* Flash driver (flash_hw.h) of the STM32F405RG's embedded flash, for the
 * kernel's process slots and commit log. From RM0090 (STM32F405/415...),
 * 3.3 to 3.9: one bank of 1 MiB in sectors 0..3 of 16 KiB, 4 of 64 KiB
 * and 5..11 of 128 KiB; bsp.yaml puts the slots in the 128 KiB ones, whose
 * size is the geometry's erase unit. A sector is erased with CR.SER and
 * its number in CR.SNB; words are programmed with CR.PG and a parallelism
 * of 32 bits (CR.PSIZE = 2, for a supply of 2.7 V to 3.6 V as on this
 * board). The bank is the one the code runs from: the CPU stalls on every
 * fetch while the controller works (a 128 KiB sector takes 1 to 2 s). */
#include <stdint.h>

#include "flash_hw.h"

#define FLASH_BASE_REG 0x40023C00u
#define FLASH_KEYR     (*(volatile uint32_t *)(FLASH_BASE_REG + 0x04u))
#define FLASH_SR       (*(volatile uint32_t *)(FLASH_BASE_REG + 0x0Cu))
#define FLASH_CR       (*(volatile uint32_t *)(FLASH_BASE_REG + 0x10u))

#define KEY1 0x45670123u
#define KEY2 0xCDEF89ABu

#define SR_EOP    (1u << 0)
#define SR_BSY    (1u << 16)
#define SR_ERRORS 0xF2u /* PGSERR, PGPERR, PGAERR, WRPERR, OPERR */

#define CR_PG         (1u << 0)
#define CR_SER        (1u << 1)
#define CR_SNB_SHIFT  3u
#define CR_SNB_MASK   (0xFu << CR_SNB_SHIFT)
#define CR_PSIZE_MASK (3u << 8)
#define CR_PSIZE_X32  (2u << 8)
#define CR_STRT       (1u << 16)
#define CR_LOCK       (1u << 31)

#define FLASH_START 0x08000000u

const struct flash_hw_geometry flash_hw_geometry = {128u * 1024u, 4u};

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

/* The sector holding addr: 16 KiB ones below 64 KiB, then one of 64 KiB,
 * then 128 KiB ones. */
static uint32_t sector_of(uint32_t addr)
{
    uint32_t off = addr - FLASH_START;
    if (off < 0x10000u) {
        return off / 0x4000u;
    }
    return off < 0x20000u ? 4u : 4u + off / 0x20000u;
}

int flash_hw_erase(uint32_t addr)
{
    unlock();
    if (finish() != 0) { /* a stale error flag would refuse the start */
        FLASH_SR = SR_ERRORS;
    }
    FLASH_CR = (FLASH_CR & ~(CR_SNB_MASK | CR_PSIZE_MASK | CR_PG)) | CR_SER | CR_PSIZE_X32 |
               (sector_of(addr) << CR_SNB_SHIFT);
    FLASH_CR |= CR_STRT;
    int rc = finish();
    FLASH_CR &= ~(CR_SER | CR_SNB_MASK);
    return rc;
}

int flash_hw_program(uint32_t addr, const uint32_t *words, uint32_t n_words)
{
    int rc = 0;
    unlock();
    (void)finish();
    FLASH_CR = (FLASH_CR & ~(CR_SER | CR_PSIZE_MASK)) | CR_PG | CR_PSIZE_X32;
    for (uint32_t i = 0; rc == 0 && i < n_words; i++) {
        ((volatile uint32_t *)(uintptr_t)addr)[i] = words[i];
        rc = finish();
    }
    FLASH_CR &= ~CR_PG;
    return rc;
}
