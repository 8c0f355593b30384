/* Host unit tests of ${name}'s greeter, run by `cmrx test` on this
 * machine: a CMocka program built with the greeter's code (included below,
 * so its static functions are at hand) and a stand-in for CMRX's
 * userspace API (docs/testing.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "greeter.c"

/* Callers hand the greeter buffers in their .shared memory... */
CMRX_SHARED static char shared_buf[GREETING_MAX];
/* ...and only those: this one it must refuse. */
static char private_buf[GREETING_MAX];

static int reset(void **state)
{
    (void)state;
    greeter_service.greeted = 0;
    return 0;
}

static void greets_into_the_callers_shared_memory(void **state)
{
    (void)state;
    int len = cmrx_rpc_call(&greeter_service, greet, shared_buf, sizeof(shared_buf), 2);
    assert_string_equal(shared_buf, "hello #2 from the greeter");
    assert_int_equal(len, strlen(shared_buf));
}

static void refuses_memory_that_is_not_shared(void **state)
{
    (void)state;
    assert_int_equal(cmrx_rpc_call(&greeter_service, greet, private_buf, sizeof(private_buf), 1),
                     CMRX_EFAULT);
    assert_int_equal(cmrx_rpc_call(&greeter_service, count), 0);
}

static void counts_greetings(void **state)
{
    (void)state;
    for (unsigned n = 1; n <= 3; n++) {
        cmrx_rpc_call(&greeter_service, greet, shared_buf, sizeof(shared_buf), n);
    }
    assert_int_equal(cmrx_rpc_call(&greeter_service, count), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(greets_into_the_callers_shared_memory, reset),
        cmocka_unit_test_setup(refuses_memory_that_is_not_shared, reset),
        cmocka_unit_test_setup(counts_greetings, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
