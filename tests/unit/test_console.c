/* The kernel console when the UART is full: the console system call and
 * the drain of kernel messages put out only what the UART takes now
 * (bsp_console_put(), here the fixture's, taking fx_console_room bytes a
 * call) and never wait for the line; the rest comes with the next call,
 * with nothing lost, doubled or mixed with another thread's line. */
#include "fixture.h"

#include <string.h>

static void a_full_uart_makes_a_write_short_and_the_rest_follows(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *u = fx_spawn(FX_ALPHA, 10);
    (void)fx_log(); /* the boot's messages out */
    fx_console_len = 0;
    char *text = (char *)fx_alpha_ram;
    memcpy(text, "hello world\n", 12);

    fx_run(t);
    fx_console_room = 5;
    assert_int_equal(sys_console_write(text, 12), 5);
    assert_string_equal(fx_console, "hello");
    fx_console_room = 0; /* full: nothing taken, nothing waited for */
    assert_int_equal(sys_console_write(text + 5, 7), 0);
    assert_string_equal(fx_console, "hello");
    assert_int_equal(t->state, CMRX_T_READY);

    /* The line is t's until its end: u waits and writes nothing. */
    fx_console_room = SIZE_MAX;
    fx_run(u);
    (void)sys_console_write(text, 12);
    assert_int_equal(u->state, CMRX_T_WAITING);
    assert_string_equal(fx_console, "hello");

    fx_run(t);
    assert_int_equal(sys_console_write(text + 5, 7), 7);
    assert_string_equal(fx_console, "hello world\n");
    assert_int_equal(u->state, CMRX_T_READY); /* handed the console */
}

static void kernel_messages_resume_where_the_uart_stopped(void **state)
{
    (void)state;
    fx_boot();
    (void)fx_log();
    fx_console_len = 0;
    fx_console[0] = '\0';
    kprintf("restart of %s in %u ms\n", "alpha", 12345u);
    kprintf("second\n");
    fx_run(fx_idle());

    fx_console_room = 0;
    assert_int_equal(sys_idle_work(), 1); /* queued still, none lost */
    assert_string_equal(fx_console, "");

    fx_console_room = 3;
    fx_console_calls = 0;
    unsigned calls = 0;
    while (sys_idle_work() > 0 && calls < 200) {
        calls++;
    }
    assert_true(calls < 200);
    assert_true(fx_console_calls > 10); /* it did come back, 3 bytes at a time */
    assert_string_equal(fx_console, "[cmrx] restart of alpha in 12345 ms\n[cmrx] second\n");
    assert_int_equal(sys_idle_work(), 0);
}

/* A thread's text waits while a kernel message is half out: the message
 * is finished first, not cut by the thread's bytes. */
static void a_half_written_message_is_finished_before_a_thread_writes(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    (void)fx_log();
    fx_console_len = 0;
    fx_console[0] = '\0';
    kprintf("kernel says\n");
    fx_run(fx_idle());
    fx_console_room = 4;
    assert_int_equal(sys_idle_work(), 1); /* formats a chunk, puts out nothing */
    assert_string_equal(fx_console, "");
    assert_int_equal(sys_idle_work(), 1); /* puts out what the UART takes */
    assert_string_equal(fx_console, "[cmr");

    char *text = (char *)fx_alpha_ram;
    memcpy(text, "thread\n", 7);
    fx_run(t);
    fx_console_room = SIZE_MAX;
    assert_int_equal(sys_console_write(text, 7), 0); /* the message first */
    assert_int_equal(sys_console_write(text, 7), 7);
    assert_string_equal(fx_console, "[cmrx] kernel says\nthread\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_full_uart_makes_a_write_short_and_the_rest_follows),
        cmocka_unit_test(kernel_messages_resume_where_the_uart_stopped),
        cmocka_unit_test(a_half_written_message_is_finished_before_a_thread_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
