/* RPC test service: arithmetic, access to the caller's memory, and a method
 * that breaks the calling convention on purpose. */
#include "calc.h"
#include "check.h"

static int sum4(struct calc *self, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    self->calls++;
    return (int)(a + 10u * b + 100u * c + 1000u * d);
}

static int negate(struct calc *self, int v)
{
    self->calls++;
    return -v;
}

static int fill(struct calc *self, uint8_t *buf, uint32_t len, uint32_t value)
{
    self->calls++;
    for (uint32_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(value + i);
    }
    return (int)len;
}

static int peek(struct calc *self, const volatile uint32_t *p)
{
    self->calls++;
    return (int)*p;
}

static uint8_t *volatile kept;

static int keep(struct calc *self, uint8_t *buf)
{
    self->calls++;
    kept = buf;
    return 0;
}

/* Returns 1 if it received any of r4-r11 non-zero (a leak of the caller's
 * registers), then clobbers them all and returns without restoring them. */
__attribute__((naked)) static int regs(struct calc *self)
{
    (void)self;
    __asm volatile("orr r0, r4, r5\n\t"
                   "orr r0, r0, r6\n\t"
                   "orr r0, r0, r7\n\t"
                   "orr r0, r0, r8\n\t"
                   "orr r0, r0, r9\n\t"
                   "orr r0, r0, r10\n\t"
                   "orr r0, r0, r11\n\t"
                   "cmp r0, #0\n\t"
                   "ite ne\n\t"
                   "movne r0, #1\n\t"
                   "moveq r0, #0\n\t"
                   "ldr r4, =0xBAD0BAD0\n\t"
                   "mov r5, r4\n\t"
                   "mov r6, r4\n\t"
                   "mov r7, r4\n\t"
                   "mov r8, r4\n\t"
                   "mov r9, r4\n\t"
                   "mov r10, r4\n\t"
                   "mov r11, r4\n\t"
                   "bx lr\n\t"
                   ".ltorg");
}

CMRX_VTABLE(struct calc_vtable, calc_vt) = {sum4, negate, fill, peek, keep, regs};
CMRX_EXPORT struct calc calc_service = {&calc_vt, 0};

/* Outside any call, try to use the buffer a caller once lent: its .shared
 * memory is visible only during the call, so this must fault. */
static int late_user(void *arg)
{
    (void)arg;
    while (kept == NULL) {
        cmrx_usleep(1000);
    }
    cmrx_printf("rpc_srv: touching the kept buffer outside the call\n");
    kept[0] = 0xEE;
    cmrx_printf("CHECK FAILED: rpc_srv wrote a caller's shared memory outside a call\n");
    return 0;
}

CMRX_THREAD(late_user, NULL);
