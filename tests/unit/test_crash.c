/* The crash record (fault.c): the last fault report kept across a reset,
 * reported at the next boot once, and only by the firmware that wrote it. */
#include "fixture.h"

#include <string.h>

/* Alpha's .bss: memory the SYSTEM process alpha may hand the kernel. */
#define INFO ((struct cmrx_crash_info *)(void *)(fx_alpha_ram + 64))

/* A reset: the kernel's state starts again (the record's RAM is left as
 * it was), and its boot reports what the last run left. */
static const char *reset(void)
{
    fx_boot();
    fault_boot();
    return fx_log();
}

/* Beta's thread faults outside any call; alpha's is left running. */
static struct cmrx_thread *fault_in_beta(void)
{
    reset(); /* whatever an earlier test left */
    struct cmrx_thread *main = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *v = fx_spawn(FX_BETA, 5);
    fx_run(v);
    struct cmrx_fault f = {.kind = "MemManage",
                           .cause = "data access violation (DACCVIOL)",
                           .pc = 0x1234,
                           .lr = 0x2001,
                           .addr = 0x20000000,
                           .pc_valid = true,
                           .addr_valid = true};
    cmrx_fault_current(&f);
    return main;
}

static void reported_at_the_next_boot_once(void **state)
{
    (void)state;
    fault_in_beta();
    const char *live = strstr(fx_log(), "[cmrx] FAULT process=beta");
    assert_non_null(live);
    char line[256];
    size_t n = strcspn(live, "\n");
    assert_true(n < sizeof(line));
    memcpy(line, live, n);
    line[n] = '\0';

    const char *log = reset();
    const char *at = strstr(log, "the last fault before this reset:\n");
    assert_non_null(at);
    /* The same lines as at the fault, which cmrx decodes. */
    assert_non_null(strstr(at, line));
    assert_non_null(strstr(at, "[cmrx]   lr=0x00002001\n"));
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_crash_record(INFO), CMRX_OK);
    assert_int_equal(INFO->process, FX_BETA);
    assert_int_equal(INFO->pc, 0x1234);
    assert_int_equal(INFO->lr, 0x2001);
    assert_int_equal(INFO->addr, 0x20000000);
    assert_int_equal(INFO->flags, CMRX_CRASH_PC_VALID | CMRX_CRASH_ADDR_VALID);
    assert_int_equal(INFO->depth, 0);

    /* Reported once: the boot after has nothing. */
    log = reset();
    assert_null(strstr(log, "before this reset"));
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_crash_record(INFO), CMRX_ESRCH);
}

static void another_firmware_is_not_decoded(void **state)
{
    (void)state;
    fault_in_beta();
    host_image_stamp = 2; /* reflashed with another build */
    const char *log = reset();
    host_image_stamp = 1;
    assert_null(strstr(log, "the last fault before this reset"));
    assert_non_null(strstr(log, "a fault before this reset, of another firmware: pc=0x00001234 "
                                "addr=0x20000000\n"));
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_crash_record(INFO), CMRX_ESRCH);
}

static void a_kernel_panic_is_kept_too(void **state)
{
    (void)state;
    reset();
    fx_shutdown_armed = 1;
    if (setjmp(fx_shutdown_jmp) == 0) {
        cmrx_panic("HardFault", "in the kernel", 0x4321, 0);
    }
    assert_int_equal(fx_shutdown_code, CMRX_PANIC_EXIT);
    const char *log = reset();
    assert_non_null(strstr(log, "the last fault before this reset:\n[cmrx] KERNEL PANIC: "
                                "HardFault: in the kernel pc=0x00004321"));
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_crash_record(INFO), CMRX_OK);
    assert_int_equal(INFO->process, -1);
    assert_int_equal(INFO->pc, 0x4321);
}

static void only_a_system_process_reads_it(void **state)
{
    (void)state;
    fault_in_beta();
    reset();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 5);
    fx_run(b);
    assert_int_equal(sys_crash_record((struct cmrx_crash_info *)(void *)fx_beta_ram), CMRX_EPERM);
    fx_run(fx_spawn(FX_ALPHA, 10));
    /* Not alpha's memory: beta's RAM, the kernel's. */
    assert_int_equal(sys_crash_record((struct cmrx_crash_info *)(void *)fx_beta_ram), CMRX_EFAULT);
    assert_int_equal(sys_crash_record((struct cmrx_crash_info *)(void *)cmrx_threads), CMRX_EFAULT);
    assert_int_equal(sys_crash_record(INFO), CMRX_OK);
}

static void reboot_resets_and_only_for_system(void **state)
{
    (void)state;
    reset();
    fx_run(fx_spawn(FX_BETA, 5));
    assert_int_equal(sys_shutdown(CMRX_SHUTDOWN_REBOOT), CMRX_EPERM);
    fx_run(fx_spawn(FX_ALPHA, 10));
    fx_shutdown_armed = 1;
    if (setjmp(fx_shutdown_jmp) == 0) {
        sys_shutdown(CMRX_SHUTDOWN_REBOOT);
    }
    assert_int_equal(fx_shutdown_code, FX_REBOOT);
    assert_non_null(strstr(fx_log(), "[cmrx] reboot by process alpha\n"));
}

/* The idle thread's background-work call is the idle process's only. */
static void idle_work_is_the_idle_threads(void **state)
{
    (void)state;
    reset();
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_idle_work(), CMRX_EPERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reported_at_the_next_boot_once),
        cmocka_unit_test(another_firmware_is_not_decoded),
        cmocka_unit_test(a_kernel_panic_is_kept_too),
        cmocka_unit_test(only_a_system_process_reads_it),
        cmocka_unit_test(reboot_resets_and_only_for_system),
        cmocka_unit_test(idle_work_is_the_idle_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
