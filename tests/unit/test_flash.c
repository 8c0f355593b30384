/* cmrx_flash_op(): the kernel's checks before a board programs flash for a
 * process (flash.c), and the tick caught up after interrupts were masked
 * (time_masked()). The board here is a fake with a 64 KiB window of 4 KiB
 * sectors and 256-byte pages; it records what it is asked. */
#include <string.h>

#include <cmrx/flash.h>

#include "fixture.h"

#define BASE 0x10100000u
#define SIZE 0x10000u

const struct bsp_flash bsp_flash = {BASE, SIZE, 4096u, 256u};

static struct {
    int calls;
    uint32_t op, addr, len;
    const void *data;
} asked;

static int32_t ask(uint32_t op, uintptr_t addr, const void *data, size_t len)
{
    asked.calls++;
    asked.op = op;
    asked.addr = (uint32_t)addr;
    asked.data = data;
    asked.len = (uint32_t)len;
    return CMRX_OK;
}

int32_t bsp_flash_erase(uintptr_t addr)
{
    return ask(CMRX_FLASH_ERASE, addr, NULL, 0);
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    return ask(CMRX_FLASH_PROGRAM, addr, src, len);
}

static struct cmrx_thread *running(int proc)
{
    fx_boot();
    memset(&asked, 0, sizeof(asked));
    struct cmrx_thread *t = fx_spawn(proc, 10);
    fx_run(t);
    return t;
}

static void only_a_process_with_the_right(void **state)
{
    (void)state;
    running(FX_BETA);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE, NULL, 0), CMRX_EPERM);
    assert_int_equal(asked.calls, 0);
    running(FX_ALPHA);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE, NULL, 0), CMRX_OK);
    assert_int_equal(asked.calls, 1);
    assert_int_equal(asked.op, CMRX_FLASH_ERASE);
    assert_int_equal(asked.addr, BASE);
}

static void erase_of_one_whole_sector_in_the_window(void **state)
{
    (void)state;
    running(FX_ALPHA);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE + SIZE - 4096u, NULL, 0), CMRX_OK);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE + SIZE, NULL, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE - 4096u, NULL, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE + 256u, NULL, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, 0xfffff000u, NULL, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE, fx_alpha_ram, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_ERASE, BASE, NULL, 4096u), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(7u, BASE, NULL, 0), CMRX_EINVAL);
    assert_int_equal(asked.calls, 1);
}

static void program_within_one_page_from_the_callers_ram(void **state)
{
    (void)state;
    running(FX_ALPHA);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE + 192u, fx_alpha_ram, 64u), CMRX_OK);
    assert_int_equal(asked.calls, 1);
    assert_ptr_equal(asked.data, fx_alpha_ram);
    assert_int_equal(asked.len, 64u);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_alpha_shared, 64u), CMRX_OK);
    /* Across a page, misaligned, empty, ragged, outside the window. */
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE + 224u, fx_alpha_ram, 64u), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE + 2u, fx_alpha_ram, 4u), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_alpha_ram, 0), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_alpha_ram, 6u), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE + SIZE, fx_alpha_ram, 4u), CMRX_EINVAL);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE - 4u, fx_alpha_ram, 4u), CMRX_EINVAL);
    /* Data that is not the caller's RAM: flash, another process's memory. */
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_flash, 64u), CMRX_EFAULT);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_beta_ram, 64u), CMRX_EFAULT);
    /* Misaligned data would fault in the board's driver (ARMv6-M). */
    int calls = asked.calls;
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_alpha_ram + 2, 64u), CMRX_EFAULT);
    assert_int_equal(asked.calls, calls);
    assert_int_equal(sys_flash_op(CMRX_FLASH_PROGRAM, BASE, fx_alpha_ram + 96, 64u),
                     CMRX_EFAULT); /* runs past its .bss */
    assert_int_equal(asked.calls, 2);
}

static void ticks_missed_while_masked_are_counted(void **state)
{
    (void)state;
    fx_boot();
    uint32_t t0 = time_ticks();
    time_masked(0, 999u); /* no tick passed */
    assert_int_equal(time_ticks(), t0);
    time_masked(1200u, 0); /* one was pending already: its interrupt counts it */
    assert_int_equal(time_ticks(), t0);
    time_masked(200u, 45000u); /* 45 ticks passed, one interrupt pending */
    assert_int_equal(time_ticks(), t0 + 44u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_a_process_with_the_right),
        cmocka_unit_test(erase_of_one_whole_sector_in_the_window),
        cmocka_unit_test(program_within_one_page_from_the_callers_ram),
        cmocka_unit_test(ticks_missed_while_masked_are_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
