/* Peer of mem_own: owns a .shared variable, and has no MMIO: touching
 * mem_own's device range kills its thread. */
#include <cmrx/cmrx.h>

#include <stdint.h>

CMRX_EXPORT CMRX_SHARED volatile int mem_peer_shared = 5;

static int poke_device(void *arg)
{
    (void)arg;
    mem_peer_shared++;
    return (int)*(volatile uint32_t *)(uintptr_t)MMIO_BASE;
}

CMRX_THREAD(poke_device, NULL);
