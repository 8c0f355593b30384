/* The client: calls the service every millisecond and reports each change
 * of what answers. Only version 1, version 2 and, while the switch is
 * under way, CMRX_ERPC_DEAD may answer. */
#include "check.h"
#include "upd.h"

static int client(void *arg)
{
    (void)arg;
    int last = 0;
    unsigned dead = 0;
    for (;;) {
        int v = cmrx_rpc_call(&upd_service, version);
        if (v == CMRX_ERPC_DEAD) {
            dead++;
        } else if (v != 1 && v != 2) {
            CHECK_FAIL_("unexpected answer %d", v);
        } else if (v != last) {
            int sum = cmrx_rpc_call(&upd_service, add, 40u, 2u);
            cmrx_printf("upd_cli: version %d answers (40 + 2 = %d) after %u refused calls\n", v,
                        sum, dead);
            CHECK(v > last);
            last = v;
        }
        cmrx_usleep(1000);
    }
    return 0;
}

CMRX_THREAD(client, NULL);
