/* The ARMv6-M port's fault decoder: what a Thumb-1 instruction accesses.
 * Encodings are those arm-none-eabi-as produces for the instruction in
 * the comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "thumb_decode.h"

/* r0..r7 = 0x1000, 0x2000, ... 0x8000; sp = 0x20000100; pc = 0x10000202. */
static struct thumb_regs regs(void)
{
    struct thumb_regs r;
    for (unsigned i = 0; i < 8; i++) {
        r.r[i] = 0x1000u * (i + 1u);
    }
    r.sp = 0x20000100u;
    r.pc = 0x10000202u;
    return r;
}

static void expect(uint16_t hw1, enum thumb_kind kind, uint32_t addr, uint32_t len, uint32_t size)
{
    struct thumb_regs r = regs();
    struct thumb_access a = {0, 0, 0};
    assert_int_equal(thumb_decode(hw1, 0, &r, &a), kind);
    assert_int_equal(a.addr, addr);
    assert_int_equal(a.len, len);
    assert_int_equal(a.size, size);
}

static void immediate_offsets(void **state)
{
    (void)state;
    expect(0x6888, THUMB_LOAD, 0x2000 + 8, 4, 4);    /* ldr r0, [r1, #8] */
    expect(0x67DA, THUMB_STORE, 0x4000 + 124, 4, 4); /* str r2, [r3, #124] */
    expect(0x7FEC, THUMB_LOAD, 0x6000 + 31, 1, 1);   /* ldrb r4, [r5, #31] */
    expect(0x703E, THUMB_STORE, 0x8000, 1, 1);       /* strb r6, [r7] */
    expect(0x8FF8, THUMB_LOAD, 0x8000 + 62, 2, 2);   /* ldrh r0, [r7, #62] */
    expect(0x8051, THUMB_STORE, 0x3000 + 2, 2, 2);   /* strh r1, [r2, #2] */
}

static void register_offsets(void **state)
{
    (void)state;
    expect(0x5888, THUMB_LOAD, 0x2000 + 0x3000, 4, 4);  /* ldr r0, [r1, r2] */
    expect(0x5363, THUMB_STORE, 0x5000 + 0x6000, 2, 2); /* strh r3, [r4, r5] */
    expect(0x563E, THUMB_LOAD, 0x8000 + 0x1000, 1, 1);  /* ldrsb r6, [r7, r0] */
    expect(0x5ED1, THUMB_LOAD, 0x3000 + 0x4000, 2, 2);  /* ldrsh r1, [r2, r3] */
    expect(0x55F5, THUMB_STORE, 0x7000 + 0x8000, 1, 1); /* strb r5, [r6, r7] */
    expect(0x5C40, THUMB_LOAD, 0x1000 + 0x2000, 1, 1);  /* ldrb r0, [r0, r1] */
}

static void stack_and_literal(void **state)
{
    (void)state;
    expect(0x9BFF, THUMB_LOAD, 0x20000100 + 1020, 4, 4); /* ldr r3, [sp, #1020] */
    expect(0x9401, THUMB_STORE, 0x20000100 + 4, 4, 4);   /* str r4, [sp, #4] */
    expect(0xB5F0, THUMB_STORE, 0x20000100 - 20, 20, 4); /* push {r4-r7, lr} */
    expect(0xBD03, THUMB_LOAD, 0x20000100, 12, 4);       /* pop {r0, r1, pc} */
    expect(0x4A04, THUMB_LOAD, 0x10000204 + 16, 4, 4);   /* ldr r2, [pc, #16] at ...202 */
}

static void multiple(void **state)
{
    (void)state;
    expect(0xC00E, THUMB_STORE, 0x1000, 12, 4); /* stmia r0!, {r1, r2, r3} */
    expect(0xCC0F, THUMB_LOAD, 0x5000, 16, 4);  /* ldmia r4!, {r0-r3} */
}

static void kind_only(uint16_t hw1, uint16_t hw2, enum thumb_kind kind)
{
    struct thumb_regs r = regs();
    struct thumb_access a;
    assert_int_equal(thumb_decode(hw1, hw2, &r, &a), kind);
}

static void traps_and_others(void **state)
{
    (void)state;
    kind_only(0xBE01, 0, THUMB_BKPT);       /* bkpt 1 */
    kind_only(0xDE00, 0, THUMB_UNDEFINED);  /* udf #0 */
    kind_only(0xDF03, 0, THUMB_OTHER);      /* svc 3 */
    kind_only(0x1888, 0, THUMB_OTHER);      /* adds r0, r1, r2 */
    kind_only(0xBF00, 0, THUMB_OTHER);      /* nop */
    kind_only(0xF7FF, 0xFFFE, THUMB_OTHER); /* bl */
    kind_only(0xF3BF, 0x8F4F, THUMB_OTHER); /* dsb sy */
    kind_only(0xF380, 0x8808, THUMB_OTHER); /* msr msp, r0 */
    kind_only(0xF3EF, 0x8009, THUMB_OTHER); /* mrs r0, psp */
    /* ARMv7-M only: undefined on ARMv6-M */
    kind_only(0xB108, 0, THUMB_UNDEFINED);      /* cbz r0, +4 */
    kind_only(0xB908, 0, THUMB_UNDEFINED);      /* cbnz r0, +4 */
    kind_only(0xBF08, 0, THUMB_UNDEFINED);      /* it eq */
    kind_only(0xF8D1, 0x0008, THUMB_UNDEFINED); /* ldr.w r0, [r1, #8] */
    kind_only(0xF7F0, 0xA000, THUMB_UNDEFINED); /* udf.w #0 */
    assert_true(thumb_is_32bit(0xF7FF));
    assert_true(thumb_is_32bit(0xE800));
    assert_false(thumb_is_32bit(0xE7FE)); /* b . */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(immediate_offsets), cmocka_unit_test(register_offsets),
        cmocka_unit_test(stack_and_literal), cmocka_unit_test(multiple),
        cmocka_unit_test(traps_and_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
