/* Attack: have the kernel copy memory we may not read into flash we may.
 *
 * An updater stages an image from a buffer of its choice, and the staged
 * slot is flash, which every process reads. With the victim's secret or
 * kernel RAM as the buffer, the kernel would copy it into slot_t1's spare
 * slot for us to read back. */
#include "attack.h"
#include "slot_target.h"

#include <cmrx/update.h>
#include <string.h>

extern const uint8_t __cmrx_p_slot_t1_slot[]; /* its slot A, the one it runs from */
extern uint8_t __cmrx_kbss_start[];

static int attack(void *arg)
{
    (void)arg;
    static struct cmrx_update_info info;
    unsigned t1 = 0;
    while (cmrx_update_info(t1, &info) == CMRX_OK && strcmp(info.name, "slot_t1") != 0) {
        t1++;
    }
    if (strcmp(info.name, "slot_t1") != 0 || info.slot != 0) {
        cmrx_printf("CHECK FAILED attack_slotcopy: slot_t1 not found in slot A\n");
        return 1;
    }
    const volatile uint32_t *spare =
        (const volatile uint32_t *)(const void *)(__cmrx_p_slot_t1_slot + info.slot_size);
    int secret = cmrx_update_write_some(t1, 0, (const void *)victim_secret, 32);
    int kernel = cmrx_update_write_some(t1, 256, __cmrx_kbss_start, 32);
    cmrx_printf("attack_slotcopy: staging from the victim's secret %d, from kernel RAM %d\n",
                secret, kernel);
    unsigned hits = secret_hits(spare, 8);
    if (secret >= 0 || kernel >= 0 || hits > 0) {
        ATTACK_SUCCEEDED("the kernel copied memory we may not read into a slot (%u secret words)",
                         hits);
    }
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
