/* RPC: call frames pushed and popped, the callee's view, depth limit,
 * every validation error, unwinding on faults and process death. */
#include "fixture.h"

#include <cmrx/wait.h>

#include <string.h>

/* A service object of beta's, declared at the start of beta's .data. */
static void **beta_obj(void)
{
    void **obj = (void **)(void *)fx_beta_ram;
    obj[0] = (void *)(uintptr_t)fx_beta_vtable;
    return obj;
}

/* Thread t makes the system call "call method m of svc" with arguments
 * 11, 22, 33, 44. */
static void load_call(struct cmrx_thread *t, const void *svc, uintptr_t m)
{
    uintptr_t args[6] = {(uintptr_t)svc, m, 11, 22, 33, 44};
    memcpy(t->ctx.args, args, sizeof(args));
}

static void call(struct cmrx_thread *t, const void *svc, uintptr_t m)
{
    load_call(t, svc, m);
    ctx_rpc_call(t);
}

/* Thread t (in a callee) returns `value` from the method. */
static void ret(struct cmrx_thread *t, int32_t value)
{
    t->ctx.args[0] = (uintptr_t)(uint32_t)value;
    ctx_rpc_return(t);
}

static void call_enters_callee_with_clean_state(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    for (int i = 0; i < 8; i++) {
        t->ctx.regs[i] = 0x1000u + (uint32_t)i; /* the caller's r4-r11 */
    }
    void **svc = beta_obj();
    load_call(t, svc, 1);
    struct cmrx_port_context before = t->ctx;
    ctx_rpc_call(t);

    struct cmrx_call_frame *f = t->frames;
    assert_non_null(f);
    assert_int_equal(f->kind, CMRX_FRAME_RPC);
    assert_int_equal(f->depth, 1);
    assert_ptr_equal(f->callee, &cmrx_processes[FX_BETA]);
    assert_memory_equal(&f->saved, &before, sizeof(before));
    /* The frame is on the caller's stack, below its stack pointer. */
    assert_true((uintptr_t)f < before.sp);
    assert_true((uintptr_t)f >= (uintptr_t)fx_alpha_stacks[0]);

    /* The thread now runs beta's method in beta's memory map. */
    assert_ptr_equal(thread_active(t), &cmrx_processes[FX_BETA]);
    assert_ptr_equal(t->ctx.rpc_caller, &cmrx_processes[FX_ALPHA]);
    assert_int_equal(t->ctx.pc, fx_beta_vtable[1]);
    assert_int_equal(t->ctx.lr, (uintptr_t)cmrx_rpc_return_trampoline);
    assert_int_equal(t->ctx.call_args[0], (uintptr_t)svc);
    assert_int_equal(t->ctx.call_args[1], 11);
    assert_int_equal(t->ctx.call_args[3], 33);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(t->ctx.regs[i], 0); /* nothing of the caller's */
    }
    /* Its stack ends below the frame; the fifth argument sits on it. */
    assert_int_equal(t->ctx.stack_limit, f->limit);
    assert_true(f->limit <= (uintptr_t)f);
    assert_int_equal(*(uint32_t *)(t->ctx.sp + 32u), 44);
}

static void return_restores_the_caller_exactly(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    t->ctx.regs[3] = 0xCAFE;
    load_call(t, beta_obj(), 0);
    struct cmrx_port_context before = t->ctx;
    ctx_rpc_call(t);
    ret(t, -77);
    assert_null(t->frames);
    assert_int_equal(t->ctx.retval, -77);
    before.retval = -77;
    assert_memory_equal(&t->ctx, &before, sizeof(before));
    assert_ptr_equal(thread_active(t), &cmrx_processes[FX_ALPHA]);
}

static void callee_sees_caller_shared_not_caller_data(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    uintptr_t caller_sp = t->ctx.sp;
    call(t, beta_obj(), 0);
    assert_true(access_ok(t, fx_alpha_shared, 64, true));      /* caller's .shared */
    assert_false(access_ok(t, fx_alpha_ram, 4, false));        /* caller's .data */
    assert_true(access_ok(t, fx_beta_ram, 64, true));          /* callee's own */
    assert_false(access_ok(t, (void *)(caller_sp), 4, false)); /* caller's frame */
    assert_false(access_ok(t, t->frames, 4, false));           /* the kernel's frame */
    assert_true(access_ok(t, fx_alpha_stacks[0], 64, true));   /* its own stack part */
    ret(t, 0);
    assert_false(access_ok(t, fx_beta_ram, 4, false));
    assert_true(access_ok(t, (void *)caller_sp, 4, false));
}

static void nesting_stops_at_the_depth_limit(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    void **svc = beta_obj();
    for (unsigned d = 1; d <= CMRX_RPC_MAX_DEPTH; d++) {
        call(t, svc, 0);
        assert_int_equal(t->frames->depth, d);
    }
    struct cmrx_call_frame *top = t->frames;
    t->ctx.retval = 1234;
    call(t, svc, 0);
    assert_ptr_equal(t->frames, top); /* refused, nothing pushed */
    assert_int_equal(t->ctx.retval, CMRX_ERPC_DEPTH);
    for (unsigned d = CMRX_RPC_MAX_DEPTH; d > 0; d--) {
        ret(t, (int32_t)d);
    }
    assert_null(t->frames);
    assert_int_equal(t->ctx.retval, 1);
}

static void validation_errors(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    void **svc = beta_obj();
    struct {
        const void *svc;
        uintptr_t method;
        int32_t expect;
    } cases[] = {
        {cmrx_threads, 0, CMRX_ERPC_FORGED}, /* kernel memory */
        {fx_flash, 0, CMRX_ERPC_FORGED},     /* flash */
        {NULL, 0, CMRX_ERPC_FORGED},
        {(const uint8_t *)svc + 1, 0, CMRX_ERPC_FORGED}, /* misaligned */
        {fx_beta_ram + 16, 0, CMRX_ERPC_VTABLE},         /* beta data, not a service */
        {svc, 3, CMRX_ERPC_METHOD},                      /* beta has 3 methods */
        {svc, 0xFFFFFFFFu, CMRX_ERPC_METHOD},
    };
    memset(fx_beta_ram + 16, 0x5A, 8);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        call(t, cases[i].svc, cases[i].method);
        assert_null(t->frames);
        assert_int_equal(t->ctx.retval, cases[i].expect);
    }
    /* An object in beta's memory with alpha's vtable. */
    void **fake = (void **)(void *)(fx_beta_ram + 32);
    fake[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(t, fake, 0);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_FOREIGN);
    /* A killed process serves nothing. */
    cmrx_process_state[FX_BETA].dead = 1;
    call(t, svc, 0);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_DEAD);
    assert_null(t->frames);
}

/* The kernel keeps the last two objects called at each depth with their
 * processes: calls that alternate between objects, revisit them or go to a
 * third must each reach the process whose memory holds their object, and
 * a forged object must stay forged, whatever the cache holds. */
static void cached_objects_reach_their_own_process(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    void **beta = beta_obj();
    void **fake = (void **)(void *)(fx_beta_ram + 32); /* beta's memory, alpha's vtable */
    fake[0] = (void *)(uintptr_t)fx_alpha_vtable;
    const void *alpha = FX_ALPHA_SERVICE;
    const struct {
        const void *svc;
        const struct cmrx_process *callee; /* NULL: refused with `expect` */
        int32_t expect;
    } seq[] = {
        {beta, &cmrx_processes[FX_BETA], 0},   {alpha, &cmrx_processes[FX_ALPHA], 0},
        {beta, &cmrx_processes[FX_BETA], 0},   {alpha, &cmrx_processes[FX_ALPHA], 0},
        {fake, NULL, CMRX_ERPC_FOREIGN},       {alpha, &cmrx_processes[FX_ALPHA], 0},
        {beta, &cmrx_processes[FX_BETA], 0},   {cmrx_threads, NULL, CMRX_ERPC_FORGED},
        {fake, NULL, CMRX_ERPC_FOREIGN},       {beta, &cmrx_processes[FX_BETA], 0},
        {alpha, &cmrx_processes[FX_ALPHA], 0},
    };
    for (unsigned round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
            call(t, seq[i].svc, 0);
            if (seq[i].callee == NULL) {
                assert_null(t->frames);
                assert_int_equal(t->ctx.retval, seq[i].expect);
                continue;
            }
            assert_non_null(t->frames);
            assert_ptr_equal(t->frames->callee, seq[i].callee);
            assert_ptr_equal(thread_active(t), seq[i].callee);
            ret(t, (int32_t)i);
            assert_null(t->frames);
            assert_int_equal(t->ctx.retval, (int32_t)i);
        }
    }
}

static void stray_return_is_refused(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    ret(t, 5);
    assert_int_equal(t->ctx.retval, CMRX_EINVAL);
    assert_null(t->frames);
}

static void callee_fault_returns_error_to_caller(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    uintptr_t sp = t->ctx.sp;
    call(t, beta_obj(), 2);
    struct cmrx_fault f = {.kind = "Test", .cause = "test fault"};
    cmrx_fault_current(&f);
    assert_int_equal(t->state, CMRX_T_READY); /* the caller's thread lives */
    assert_null(t->frames);
    assert_int_equal(t->ctx.sp, sp);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_FAULT);
    assert_non_null(strstr(fx_log(), "process=beta"));
    assert_non_null(strstr(fx_log(), "action=abort-rpc,kill-thread"));
}

static void exit_in_callee_only_ends_the_call(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    call(t, beta_obj(), 0);
    fx_exit(t, 9);
    assert_int_equal(t->state, CMRX_T_READY);
    assert_null(t->frames);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_ABORTED);
}

static void killing_the_callee_evicts_blocked_callers(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    struct cmrx_thread *b = fx_spawn(FX_BETA, 12);
    fx_run(t);
    uintptr_t sp = t->ctx.sp;
    call(t, beta_obj(), 0);
    thread_block(t, CMRX_T_SLEEPING, NULL, 100); /* sleeping inside beta */
    process_kill(&cmrx_processes[FX_BETA], false, CMRX_CAUSE_ASKED);
    assert_int_equal(t->state, CMRX_T_READY);
    assert_null(t->frames);
    assert_int_equal(t->ctx.sp, sp);
    assert_int_equal(t->ctx.retval, CMRX_ERPC_DEAD);
    assert_int_equal(b->state, CMRX_T_FREE); /* beta's own thread is gone */
    assert_int_equal(cmrx_process_state[FX_BETA].dead, 1);
}

static void own_thread_serving_elsewhere_dies_on_return(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 12);
    fx_run(b);
    /* beta's thread calls into alpha's interface... */
    void **alpha_obj = (void **)(void *)FX_ALPHA_SERVICE;
    alpha_obj[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(b, alpha_obj, 0);
    assert_ptr_equal(thread_active(b), &cmrx_processes[FX_ALPHA]);
    /* ...when beta is killed: b finishes alpha's method first. */
    process_kill(&cmrx_processes[FX_BETA], false, CMRX_CAUSE_ASKED);
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(cmrx_process_state[FX_BETA].doomed, 1);
    ret(b, 0);
    /* Nobody of beta is left to join it: its slot is free at once. */
    assert_int_equal(b->state, CMRX_T_FREE);
    assert_int_equal(cmrx_process_state[FX_BETA].doomed, 0);
}

/* beta's thread b, blocked (sleeping) inside alpha's method. */
static struct cmrx_thread *beta_thread_blocked_in_alpha(void)
{
    struct cmrx_thread *b = fx_spawn(FX_BETA, 12);
    fx_run(b);
    void **alpha_obj = (void **)(void *)FX_ALPHA_SERVICE;
    alpha_obj[0] = (void *)(uintptr_t)fx_alpha_vtable;
    call(b, alpha_obj, 0);
    thread_block(b, CMRX_T_SLEEPING, NULL, 100);
    return b;
}

static void blocked_doomed_thread_is_woken_and_may_not_block(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = beta_thread_blocked_in_alpha();
    process_kill(&cmrx_processes[FX_BETA], false, CMRX_CAUSE_ASKED);
    /* alpha's method sees its wait fail, still in alpha's memory. */
    assert_int_equal(b->state, CMRX_T_READY);
    assert_int_equal(b->ctx.retval, CMRX_EKILLED);
    assert_ptr_equal(thread_active(b), &cmrx_processes[FX_ALPHA]);
    fx_run(b);
    assert_int_equal(sys_usleep(1000), CMRX_EKILLED);
    /* (The thread's signals are not a method's to wait for at all.) */
    assert_int_equal(sys_signal_wait(1u, CMRX_FOREVER), CMRX_EPERM);
    assert_int_equal(b->state, CMRX_T_READY);
    ret(b, 0);
    assert_int_equal(b->state, CMRX_T_FREE);
}

static void restart_waits_for_doomed_threads(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = beta_thread_blocked_in_alpha();
    process_kill(&cmrx_processes[FX_BETA], true, CMRX_CAUSE_ASKED);
    /* b's slot and stack are in use: beta stays down until b is back. */
    assert_int_equal(cmrx_process_state[FX_BETA].restarts, 0);
    assert_int_equal(cmrx_process_state[FX_BETA].dead, 1);
    assert_non_null(strstr(fx_log(), "process beta restarts when 1 thread(s) return"));
    fx_run(b);
    ret(b, 0);
    assert_int_equal(b->state, CMRX_T_FREE);
    assert_int_equal(cmrx_process_state[FX_BETA].restarts, 1);
    assert_int_equal(cmrx_process_state[FX_BETA].dead, 0);
    assert_non_null(strstr(fx_log(), "process beta restarted (1)"));
}

static void restart_reinitialises_and_counts(void **state)
{
    (void)state;
    fx_boot();
    fx_spawn(FX_BETA, 12);
    fx_beta_ram[10] = 0x77;
    process_kill(&cmrx_processes[FX_BETA], true, CMRX_CAUSE_ASKED);
    assert_int_equal(cmrx_process_state[FX_BETA].restarts, 1);
    assert_int_equal(cmrx_process_state[FX_BETA].dead, 0);
    assert_int_equal(fx_beta_ram[10], 0); /* .bss zeroed again */
    fx_run(fx_spawn(FX_ALPHA, 10));
    assert_int_equal(sys_process_restarts(FX_BETA), 1);
    assert_int_equal(sys_process_restarts(7), CMRX_EINVAL);
    assert_non_null(strstr(fx_log(), "process beta restarted (1)"));
}

static void names_are_copied_into_the_callers_memory_only(void **state)
{
    (void)state;
    fx_boot();
    fx_run(fx_spawn(FX_ALPHA, 10));
    char *buf = (char *)fx_alpha_ram + 100; /* alpha's .bss */
    assert_int_equal(sys_process_name(FX_BETA, buf, 28), 4);
    assert_string_equal(buf, "beta");
    assert_int_equal(sys_process_name(FX_ALPHA, buf, 3), 5); /* cut, terminated */
    assert_string_equal(buf, "al");
    assert_int_equal(sys_process_name(FX_BETA, buf, 0), CMRX_EINVAL);
    assert_int_equal(sys_process_name(7, buf, 28), CMRX_EINVAL);
    fx_beta_ram[0] = 0x5a;
    assert_int_equal(sys_process_name(FX_BETA, (char *)fx_beta_ram, 8), CMRX_EFAULT);
    assert_int_equal(fx_beta_ram[0], 0x5a);
    assert_int_equal(sys_process_name(FX_BETA, buf, 29), CMRX_EFAULT); /* past its memory */
    assert_int_equal(sys_process_name(FX_BETA, (char *)(uintptr_t)fx_flash, 8), CMRX_EFAULT);
}

static void callee_learns_its_caller_and_checks_buffers(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *t = fx_spawn(FX_ALPHA, 10);
    fx_run(t);
    assert_int_equal(sys_rpc_caller(), CMRX_ESRCH);
    assert_int_equal(sys_rpc_buffer(fx_alpha_shared, 4), CMRX_ESRCH);
    call(t, beta_obj(), 0);
    assert_int_equal(sys_rpc_caller(), FX_ALPHA);
    assert_int_equal(sys_rpc_buffer(fx_alpha_shared, 64), CMRX_OK);
    assert_int_equal(sys_rpc_buffer(fx_alpha_shared + 60, 4), CMRX_OK);
    assert_int_equal(sys_rpc_buffer(fx_alpha_shared + 60, 8), CMRX_EFAULT); /* runs over */
    assert_int_equal(sys_rpc_buffer(fx_alpha_ram, 4), CMRX_EFAULT);         /* caller's .data */
    assert_int_equal(sys_rpc_buffer(fx_beta_ram, 4), CMRX_EFAULT);          /* the callee's own */
    assert_int_equal(sys_rpc_buffer((void *)(uintptr_t)-8, 16), CMRX_EFAULT);
}

/* cmrx_process_control() from the running thread (a context call). */
static int32_t process_control(uint32_t pid, uint32_t op)
{
    struct cmrx_thread *t = cmrx_sched.current;
    t->ctx.args[0] = pid;
    t->ctx.args[1] = op;
    ctx_process_control(t);
    return t->ctx.retval;
}

static void process_control_is_for_system_processes(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *b = fx_spawn(FX_BETA, 10);
    fx_run(b);
    assert_int_equal(process_control(FX_ALPHA, CMRX_PROC_KILL), CMRX_EPERM);
    assert_int_equal(process_control(FX_ALPHA, CMRX_PROC_STATE), 0);
    fx_run(fx_spawn(FX_ALPHA, 10)); /* alpha is SYSTEM */
    assert_int_equal(process_control(7, CMRX_PROC_STATE), CMRX_EINVAL);
    assert_int_equal(process_control(FX_BETA, 9), CMRX_EINVAL);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_KILL), CMRX_OK);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), 1);
    assert_int_equal(b->state, CMRX_T_FREE);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_RESTART), CMRX_OK);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), 0);
    assert_int_equal(sys_process_restarts(FX_BETA), 1);
}

/* CMRX_PROC_STATE tells a process the kernel will start again by itself
 * (services keep what it owns) from one killed for good (they free it). */
static void process_state_tells_a_restart_from_a_kill(void **state)
{
    (void)state;
    fx_boot();
    fx_spawn(FX_BETA, 10);
    fx_run(fx_spawn(FX_ALPHA, 10)); /* alpha is SYSTEM */
    const struct cmrx_process *beta = &cmrx_processes[FX_BETA];
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), CMRX_PROC_ALIVE);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_NONE);
    process_kill(beta, true, CMRX_CAUSE_FAULT); /* a fault: restarted at once */
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), CMRX_PROC_ALIVE);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_FAULT);
    process_kill(beta, true, CMRX_CAUSE_FAULT); /* a quick second one: a back-off first */
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), CMRX_PROC_RESTARTING);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_KILL), CMRX_OK);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_STATE), CMRX_PROC_KILLED);
}

/* CMRX_PROC_CAUSE tells a watchdog why a process ended: a fault, an
 * update, or which process asked, so that it does not undo a kill an
 * operator asked for by restarting the process as if it had failed. */
static void process_cause_names_who_asked(void **state)
{
    (void)state;
    fx_boot();
    fx_spawn(FX_BETA, 10);
    fx_run(fx_spawn(FX_ALPHA, 10)); /* alpha is SYSTEM */
    const struct cmrx_process *beta = &cmrx_processes[FX_BETA];
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_RESTART), CMRX_OK);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_ASKED + FX_ALPHA);
    process_kill(beta, true, CMRX_CAUSE_UPDATE);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_UPDATE);
    process_kill(beta, false, CMRX_CAUSE_ASKED + 254); /* the largest pid there can be */
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_ASKED + 254);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_KILL), CMRX_OK);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE), CMRX_CAUSE_ASKED + FX_ALPHA);
    assert_int_equal(process_control(FX_BETA, CMRX_PROC_CAUSE + 1u), CMRX_EINVAL);
}

static void process_of_finds_the_owner_of_every_area(void **state)
{
    (void)state;
    fx_boot();
    const struct cmrx_process *alpha = &cmrx_processes[FX_ALPHA];
    const struct cmrx_process *beta = &cmrx_processes[FX_BETA];
    assert_ptr_equal(process_of(fx_alpha_ram, 4, false), alpha);
    assert_ptr_equal(process_of(fx_alpha_ram + 124, 4, false), alpha);
    assert_null(process_of(fx_alpha_ram + 126, 4, false)); /* runs past its end */
    assert_ptr_equal(process_of(fx_beta_ram, 64, false), beta);
    assert_ptr_equal(process_of(fx_beta_ram + 60, 4, false), beta);
    /* .shared counts only when asked for. */
    assert_null(process_of(fx_alpha_shared, 4, false));
    assert_ptr_equal(process_of(fx_alpha_shared + 60, 4, true), alpha);
    assert_ptr_equal(process_of(fx_beta_ram + 8, 4, true), beta);
    assert_null(process_of(fx_flash, 4, true));
    assert_null(process_of((const void *)(uintptr_t)-2, 4, true)); /* wraps */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(process_of_finds_the_owner_of_every_area),
        cmocka_unit_test(process_state_tells_a_restart_from_a_kill),
        cmocka_unit_test(process_cause_names_who_asked),
        cmocka_unit_test(call_enters_callee_with_clean_state),
        cmocka_unit_test(return_restores_the_caller_exactly),
        cmocka_unit_test(callee_sees_caller_shared_not_caller_data),
        cmocka_unit_test(nesting_stops_at_the_depth_limit),
        cmocka_unit_test(validation_errors),
        cmocka_unit_test(cached_objects_reach_their_own_process),
        cmocka_unit_test(stray_return_is_refused),
        cmocka_unit_test(callee_fault_returns_error_to_caller),
        cmocka_unit_test(exit_in_callee_only_ends_the_call),
        cmocka_unit_test(killing_the_callee_evicts_blocked_callers),
        cmocka_unit_test(own_thread_serving_elsewhere_dies_on_return),
        cmocka_unit_test(blocked_doomed_thread_is_woken_and_may_not_block),
        cmocka_unit_test(restart_waits_for_doomed_threads),
        cmocka_unit_test(restart_reinitialises_and_counts),
        cmocka_unit_test(names_are_copied_into_the_callers_memory_only),
        cmocka_unit_test(callee_learns_its_caller_and_checks_buffers),
        cmocka_unit_test(process_control_is_for_system_processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
