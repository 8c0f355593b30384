/* A process using a component's client library: the library's data is
 * this process's own (a second process linking it has its own copy). */
#include "check.h"
#include "counter_client.h"

static int main_thread(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 5; i++) {
        CHECK_EQ(counter_bump(), i);
    }
    cmrx_usleep(2000); /* comp_service bumps its own copy meanwhile */
    CHECK_EQ(counter_bump(), 6);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
