/* Wait queues: notify/wait on words, wake order, timeouts, the
 * interrupt-side ring, and IRQ delivery's deferred half. */
#include "fixture.h"

#include <cmrx/wait.h>
#include <string.h>

static volatile uint32_t *word(void)
{
    return (volatile uint32_t *)(void *)fx_alpha_ram; /* alpha's .data */
}

static void wait_on(struct cmrx_thread *t, uint32_t expect, uint32_t timeout_us, int32_t rc)
{
    fx_run(t);
    assert_int_equal(sys_wait(word(), expect, timeout_us), rc);
}

static void value_mismatch_and_zero_timeout_do_not_block(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    *word() = 5;
    wait_on(t, 4, CMRX_FOREVER, CMRX_EAGAIN);
    wait_on(t, 5, 0, CMRX_ETIMEDOUT);
    assert_int_equal(t->state, CMRX_T_READY);
}

static void notify_wakes_highest_priority_then_fifo(void **state)
{
    (void)state;
    fx_boot();
    *word() = 0;
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 14);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 11);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 11);
    struct cmrx_thread *n = fx_spawn(FX_BETA, 20);
    wait_on(a, 0, CMRX_FOREVER, CMRX_OK);
    wait_on(b, 0, CMRX_FOREVER, CMRX_OK);
    wait_on(c, 0, CMRX_FOREVER, CMRX_OK);
    assert_int_equal(a->state, CMRX_T_WAITING);
    fx_run(a); /* any thread that can see the word may notify it */
    a->state = CMRX_T_WAITING;
    /* b and c share priority 11: b waited first. */
    assert_int_equal(wait_notify((const void *)word(), 1, CMRX_OK), 1);
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(b->ctx.retval, CMRX_OK);
    assert_int_equal(c->state, CMRX_T_WAITING);
    assert_int_equal(wait_notify((const void *)word(), 5, CMRX_OK), 2);
    assert_int_equal(c->state, CMRX_T_READY);
    assert_int_equal(a->state, CMRX_T_READY);
    assert_int_equal(wait_notify((const void *)word(), 5, CMRX_OK), 0);
    (void)n;
}

static void waiters_of_a_word_sharing_a_bucket_stay(void **state)
{
    (void)state;
    fx_boot();
    *word() = 0;
    /* 0x24 bytes apart in the 256-aligned RAM: the same bucket of the wait
     * table (the test holds for any bucket, this makes it walk past). */
    volatile uint32_t *other = (volatile uint32_t *)(void *)(fx_alpha_ram + 0x24);
    *other = 0;
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_ALPHA, 12);
    struct cmrx_thread *c = fx_spawn(FX_ALPHA, 14);
    fx_run(a);
    assert_int_equal(sys_wait(other, 0, CMRX_FOREVER), CMRX_OK);
    wait_on(b, 0, CMRX_FOREVER, CMRX_OK);
    fx_run(c);
    assert_int_equal(sys_wait(other, 0, CMRX_FOREVER), CMRX_OK);
    assert_int_equal(wait_notify((const void *)word(), 5, CMRX_OK), 1);
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(a->state, CMRX_T_WAITING);
    assert_int_equal(c->state, CMRX_T_WAITING);
    /* a's priority lowered while it waits: c now comes first. */
    fx_run(b);
    assert_int_equal(sys_thread_set_priority(thread_id(a), 15), CMRX_OK);
    assert_int_equal(wait_notify((const void *)other, 1, CMRX_OK), 1);
    assert_int_equal(c->state, CMRX_T_READY);
    assert_int_equal(a->state, CMRX_T_WAITING);
    assert_int_equal(wait_notify((const void *)other, 1, CMRX_OK), 1);
    assert_int_equal(a->state, CMRX_T_READY);
}

static void other_words_are_not_woken(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    volatile uint32_t *other = (volatile uint32_t *)(void *)(fx_alpha_ram + 8);
    *other = 0;
    fx_run(a);
    assert_int_equal(sys_wait(other, 0, CMRX_FOREVER), CMRX_OK);
    assert_int_equal(wait_notify((const void *)word(), 1, CMRX_OK), 0);
    assert_int_equal(a->state, CMRX_T_WAITING);
}

static void timeout_wakes_with_etimedout(void **state)
{
    (void)state;
    fx_boot();
    *word() = 0;
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    wait_on(a, 0, 2500, CMRX_OK); /* 2500 us from phase 0: tick 3 */
    cmrx_kernel_tick();
    cmrx_kernel_tick();
    assert_int_equal(a->state, CMRX_T_WAITING);
    cmrx_kernel_tick();
    assert_int_equal(a->state, CMRX_T_READY);
    assert_int_equal(a->ctx.retval, CMRX_ETIMEDOUT);
    /* It left the wait list: a notify finds nobody. */
    assert_int_equal(wait_notify((const void *)word(), 1, CMRX_OK), 0);
}

static void bad_words(void **state)
{
    (void)state;
    fx_boot();
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_wait((volatile uint32_t *)(void *)cmrx_threads, 0, 1), CMRX_EFAULT);
    assert_int_equal(sys_wait((volatile uint32_t *)(void *)(fx_alpha_ram + 1), 0, 1), CMRX_EFAULT);
    assert_int_equal(sys_wait((volatile uint32_t *)(void *)fx_beta_ram, 0, 1), CMRX_EFAULT);
    assert_int_equal(sys_notify((volatile uint32_t *)(void *)cmrx_threads, 1), CMRX_EFAULT);
    assert_int_equal(sys_notify((volatile uint32_t *)(void *)(fx_beta_ram + 2), 1), CMRX_EFAULT);
    assert_int_equal(sys_notify(NULL, 1), CMRX_EFAULT);
    /* Another process's word: a doorbell may be rung (nobody waits here). */
    assert_int_equal(sys_notify((volatile uint32_t *)(void *)fx_beta_ram, 1), 0);
}

/* Notify remembers the last word it found in a process's memory, which
 * never moves. Only such a word: one a thread may ring because it is on
 * its own stack is no doorbell for another process. */
static void notify_remembers_only_process_memory(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(a);
    volatile uint32_t *bell = (volatile uint32_t *)(void *)fx_beta_ram;
    assert_int_equal(sys_notify(bell, 1), 0);
    assert_int_equal(sys_notify(bell, 1), 0);
    /* Refusals stand after it. */
    assert_int_equal(sys_notify((volatile uint32_t *)(void *)cmrx_threads, 1), CMRX_EFAULT);
    assert_int_equal(sys_notify(NULL, 1), CMRX_EFAULT);
    assert_int_equal(sys_notify((volatile uint32_t *)(void *)(fx_beta_ram + 2), 1), CMRX_EFAULT);
    /* A's own stack: A may ring it, B may not, even right after A. */
    volatile uint32_t *own = (volatile uint32_t *)(void *)(fx_alpha_stacks[0] + 64);
    assert_int_equal(sys_notify(own, 1), 0);
    fx_run(b);
    assert_int_equal(sys_notify(own, 1), CMRX_EFAULT);
    assert_int_equal(sys_notify(bell, 1), 0);
}

static void notify_rings_another_process_doorbell(void **state)
{
    (void)state;
    fx_boot();
    volatile uint32_t *bell = (volatile uint32_t *)(void *)fx_beta_ram;
    *bell = 0;
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    assert_int_equal(sys_wait(bell, 0, CMRX_FOREVER), CMRX_OK);
    fx_run(fx_spawn(FX_ALPHA, 12));
    assert_int_equal(sys_notify(bell, 1), 1);
    assert_int_equal(b->state, CMRX_T_READY);
}

static void isr_notify_is_deferred_and_bounded(void **state)
{
    (void)state;
    fx_boot();
    *word() = 0;
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10);
    wait_on(a, 0, CMRX_FOREVER, CMRX_OK);
    host_switch_requests = 0;
    assert_int_equal(cmrx_isr_notify((const void *)word()), 0);
    assert_int_equal(a->state, CMRX_T_WAITING); /* nothing touched from the ISR */
    assert_true(host_switch_requests > 0);      /* PendSV requested */
    cmrx_kernel_deferred();
    assert_int_equal(a->state, CMRX_T_READY);
    /* The ring holds 4; the fifth is refused, not written over. */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(cmrx_isr_notify(fx_alpha_ram + 4 * i), 0);
    }
    assert_int_equal(cmrx_isr_notify(fx_alpha_ram), -1);
    cmrx_kernel_deferred();
    assert_int_equal(cmrx_isr_notify((const void *)word()), 0);
    wait_on(a, 0, CMRX_FOREVER, CMRX_OK);
    /* The ring was drained: the old entries do not wake a again... */
    cmrx_kernel_deferred();
    assert_int_equal(a->state, CMRX_T_READY); /* ...but the one for word() did */
}

static void irq_fires_masked_and_wakes_the_owner(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *drv = fx_spawn(FX_BETA, 10);
    fx_run(drv);
    assert_int_equal(sys_irq_wait(FX_BETA_IRQ, CMRX_FOREVER), CMRX_OK);
    assert_int_equal(drv->state, CMRX_T_WAITING);
    assert_true(host_irq_enabled & (1u << FX_BETA_IRQ)); /* unmasked to wait */
    cmrx_irq_isr(FX_BETA_IRQ);
    assert_false(host_irq_enabled & (1u << FX_BETA_IRQ)); /* masked by the ISR */
    assert_int_equal(drv->state, CMRX_T_WAITING);
    cmrx_kernel_deferred();
    assert_int_equal(drv->state, CMRX_T_READY);
    assert_int_equal(drv->ctx.retval, CMRX_OK);
    /* Fired while nobody waited: the next wait returns at once. */
    cmrx_irq_isr(FX_BETA_IRQ);
    cmrx_kernel_deferred();
    fx_run(drv);
    assert_int_equal(sys_irq_wait(FX_BETA_IRQ, CMRX_FOREVER), CMRX_OK);
    assert_int_equal(drv->state, CMRX_T_READY);
    assert_int_equal(sys_irq_wait(FX_BETA_IRQ, 0), CMRX_ETIMEDOUT);
}

static void irq_calls_check_ownership(void **state)
{
    (void)state;
    fx_boot();
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_irq_enable(FX_BETA_IRQ), CMRX_EPERM);
    assert_int_equal(sys_irq_wait(FX_BETA_IRQ, 10), CMRX_EPERM);
    assert_int_equal(sys_irq_disable(CMRX_PORT_IRQ_COUNT), CMRX_EINVAL);
    fx_run(fx_spawn(FX_BETA, 10));
    assert_int_equal(sys_irq_enable(FX_BETA_IRQ), CMRX_OK);
    assert_true(host_irq_enabled & (1u << FX_BETA_IRQ));
    assert_int_equal(sys_irq_disable(FX_BETA_IRQ), CMRX_OK);
    assert_int_equal(host_irq_enabled, 0);
    /* An interrupt nobody owns is reported and stays masked: nobody may
     * unmask it again, so it cannot fire (and be reported) twice. */
    cmrx_irq_isr(5);
    cmrx_kernel_deferred();
    assert_non_null(strstr(fx_log(), "IRQ 5 has no owner"));
    assert_false(host_irq_enabled & (1u << 5));
    assert_int_equal(sys_irq_enable(5), CMRX_EPERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(value_mismatch_and_zero_timeout_do_not_block),
        cmocka_unit_test(notify_wakes_highest_priority_then_fifo),
        cmocka_unit_test(waiters_of_a_word_sharing_a_bucket_stay),
        cmocka_unit_test(other_words_are_not_woken),
        cmocka_unit_test(timeout_wakes_with_etimedout),
        cmocka_unit_test(bad_words),
        cmocka_unit_test(notify_remembers_only_process_memory),
        cmocka_unit_test(notify_rings_another_process_doorbell),
        cmocka_unit_test(isr_notify_is_deferred_and_bounded),
        cmocka_unit_test(irq_fires_masked_and_wakes_the_owner),
        cmocka_unit_test(irq_calls_check_ownership),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
