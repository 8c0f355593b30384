/* RPC test client: values round trip; the callee sees our .shared memory
 * during the call only, never our stack; our registers survive a callee
 * that breaks the calling convention; a signal handler can call too. */
#include "calc.h"
#include "check.h"

static CMRX_SHARED uint8_t shared_buf[32];

/* Load r4-r11 with known values, call method `m` of `svc`, and return the
 * method's result, plus 0x100 if any of r4-r11 changed. */
__attribute__((naked)) static int call_checking_regs(const void *svc, unsigned m)
{
    (void)svc, (void)m;
    __asm volatile("push {r4-r11, lr}\n\t"
                   "sub sp, sp, #12\n\t"
                   "movs r2, #0\n\t"
                   "str r2, [sp]\n\t"
                   "str r2, [sp, #4]\n\t"
                   "movs r3, #0\n\t"
                   "ldr r4, =0x44444444\n\t"
                   "ldr r5, =0x55555555\n\t"
                   "ldr r6, =0x66666666\n\t"
                   "ldr r7, =0x77777777\n\t"
                   "ldr r8, =0x88888888\n\t"
                   "ldr r9, =0x99999999\n\t"
                   "ldr r10, =0xAAAAAAAA\n\t"
                   "ldr r11, =0xBBBBBBBB\n\t"
                   "bl _cmrx_rpc_call\n\t"
                   "add sp, sp, #12\n\t"
                   "ldr r1, =0x44444444\n\t"
                   "cmp r4, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0x55555555\n\t"
                   "cmp r5, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0x66666666\n\t"
                   "cmp r6, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0x77777777\n\t"
                   "cmp r7, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0x88888888\n\t"
                   "cmp r8, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0x99999999\n\t"
                   "cmp r9, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0xAAAAAAAA\n\t"
                   "cmp r10, r1\n\t"
                   "bne 1f\n\t"
                   "ldr r1, =0xBBBBBBBB\n\t"
                   "cmp r11, r1\n\t"
                   "beq 2f\n\t"
                   "1: orr r0, r0, #0x100\n\t"
                   "2: pop {r4-r11, pc}\n\t"
                   ".ltorg");
}

/* A signal handler calls the service too, from the stack window of a
 * handler (narrower than the thread's), with all four arguments in place. */
static volatile int from_handler;

static void handler(uint32_t signals)
{
    (void)signals;
    from_handler = cmrx_rpc_call(&calc_service, sum4, 5, 6, 7, 8);
}

static int main_thread(void *arg)
{
    (void)arg;
    /* Values round trip, all four arguments in place. */
    CHECK_EQ(cmrx_rpc_call(&calc_service, sum4, 1, 2, 3, 4), 4321);
    CHECK_EQ(cmrx_rpc_call(&calc_service, negate, 77), -77);
    CHECK_EQ(cmrx_rpc_call(&calc_service, negate, -5), 5);

    /* The callee writes our .shared memory during the call. */
    CHECK_EQ(cmrx_rpc_call(&calc_service, fill, shared_buf, 16, 0x30), 16);
    for (int i = 0; i < 16; i++) {
        CHECK_EQ(shared_buf[i], 0x30 + i);
    }
    CHECK_EQ(shared_buf[16], 0);

    /* Our stack is not the callee's to read: the call fails, we go on. */
    volatile uint32_t on_stack = 0x5EC2E7;
    CHECK_EQ(cmrx_rpc_call(&calc_service, peek, &on_stack), CMRX_ERPC_FAULT);
    CHECK_EQ(on_stack, 0x5EC2E7);

    /* The callee starts with zeroed r4-r11 and cannot change ours. */
    CHECK_EQ(call_checking_regs(&calc_service, 5), 0);

    /* The service counted every call that reached it (the faulting one too). */
    CHECK_EQ(cmrx_rpc_call(&calc_service, sum4, 0, 0, 0, 0), 0);

    /* An RPC call from inside a signal handler. */
    CHECK_EQ(cmrx_signal_handler(handler), CMRX_OK);
    CHECK_EQ(cmrx_signal_send(cmrx_thread_self(), CMRX_SIGUSR1), CMRX_OK);
    cmrx_usleep(1000);
    CHECK_EQ(from_handler, 8765);

    /* Lend the buffer; the service's own thread touching it later faults. */
    CHECK_EQ(cmrx_rpc_call(&calc_service, keep, shared_buf), 0);
    cmrx_usleep(5000);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
