/* A host unit test of ${name}'s client with a stand-in for the greeter
 * service it calls: on the host, cmrx_rpc_call() is a plain call through
 * the service object's vtable, so a test defines `greeter_service` with
 * methods of its own and leaves src/greeter.c out (docs/testing.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "client.c"

static unsigned greet_calls;
static int greet_result;

static int fake_greet(struct greeter *self, char *buf, unsigned len, unsigned n)
{
    (void)self;
    greet_calls++;
    return greet_result < 0 ? greet_result : cmrx_format(buf, len, "fake #%u", n);
}

static int fake_count(struct greeter *self)
{
    (void)self;
    return (int)greet_calls;
}

static const struct greeter_vtable fake_vtable = {fake_greet, fake_count};
struct greeter greeter_service = {&fake_vtable, 0};

/* The client ends the firmware: come back here instead of exiting. */
static jmp_buf ended;
static int end_code;

static void on_shutdown(int code)
{
    end_code = code;
    longjmp(ended, 1);
}

static int run_client(void)
{
    greet_calls = 0;
    cmrx_host_shutdown = on_shutdown;
    if (setjmp(ended) == 0) {
        client_main(NULL);
        fail_msg("the client returned without ending the firmware");
    }
    return end_code;
}

static void asks_three_times_and_ends_well(void **state)
{
    (void)state;
    greet_result = 0;
    assert_int_equal(run_client(), 0);
    assert_int_equal(greet_calls, 3);
}

static void a_failing_greeter_ends_the_firmware_with_1(void **state)
{
    (void)state;
    greet_result = CMRX_ERPC_FAULT;
    assert_int_equal(run_client(), 1);
    assert_int_equal(greet_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(asks_three_times_and_ends_well),
        cmocka_unit_test(a_failing_greeter_ends_the_firmware_with_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
