/* Attack: use the rights of the process whose thread runs our method.
 *
 * priv_client (SYSTEM and UPDATER) calls our `lure`. Its thread runs our
 * method, so the kernel sees a SYSTEM, UPDATER thread: if a right went
 * with the thread rather than with the code it runs, the method could
 * learn what the updater may, read the crash record, kill the victim and
 * end the system. Each must be CMRX_EPERM. */
#include "attack.h"

#include <cmrx/process.h>
#include <cmrx/update.h>

static volatile int tried;

static int log_call(struct lure *self, uint32_t value)
{
    (void)self;
    (void)value;
    if (tried) {
        return 0;
    }
    tried = 1;
    static struct cmrx_update_info info;
    static struct cmrx_crash_info crash;
    int upd = cmrx_update_info(0, &info);
    int rec = cmrx_crash_record(&crash);
    int kill = cmrx_process_control(1, CMRX_PROC_KILL); /* 1: the victim */
    int down = cmrx_shutdown(0);
    cmrx_printf("attack_rights: in a SYSTEM, UPDATER caller's thread: update info %d, crash "
                "record %d, kill %d, shutdown %d\n",
                upd, rec, kill, down);
    if (upd != CMRX_EPERM || rec != CMRX_EPERM || kill != CMRX_EPERM || down != CMRX_EPERM) {
        ATTACK_SUCCEEDED("a method used its caller's rights");
    }
    attack_done(4);
    return 0;
}

CMRX_VTABLE(struct lure_vtable, lure_vt) = {log_call};
CMRX_EXPORT struct lure lure = {&lure_vt};
