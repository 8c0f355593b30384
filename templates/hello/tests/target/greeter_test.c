/* A target test of ${name}'s greeter, run by `cmrx test`: booted in QEMU
 * with the greeter (every process of cmrx.yaml but client, which is
 * `system: true`), it calls the service as a client would and ends the
 * firmware with 0 when every check passed. */
#include "greeter.h"

#include <string.h>

CMRX_SHARED static char buf[GREETING_MAX];
/* Not .shared: the greeter must refuse to write here. */
static char private_buf[GREETING_MAX];

/* Print what failed and end the firmware with 1: the test fails. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            cmrx_printf("CHECK FAILED: %s (line %d)\n", #cond, __LINE__);                          \
            cmrx_shutdown(1);                                                                      \
        }                                                                                          \
    } while (0)

static int test_main(void *arg)
{
    (void)arg;
    CHECK(cmrx_rpc_call(&greeter_service, count) == 0);
    int len = cmrx_rpc_call(&greeter_service, greet, buf, sizeof(buf), 7);
    CHECK(len > 0 && strcmp(buf, "hello #7 from the greeter") == 0);
    CHECK(cmrx_rpc_call(&greeter_service, greet, private_buf, sizeof(private_buf), 8) ==
          CMRX_EFAULT);
    CHECK(cmrx_rpc_call(&greeter_service, count) == 1);
    cmrx_printf("greeter_test: passed\n");
    cmrx_shutdown(0);
    return 0;
}

CMRX_THREAD(test_main, NULL);
