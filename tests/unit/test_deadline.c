/* The deadline queue (kernel/src/time.c: deadline_insert/remove/due)
 * against a plain model, a list kept in order by hand: after every one of
 * many random insertions and removals (of the entry due soonest, of any
 * entry, of one not queued), the tree of buckets must hold exactly the
 * model's entries in the model's order (due tick, then the order they
 * were queued), one bucket per tick, every link must agree with its
 * parent pointer and every ring with itself, every balance must be the
 * true height difference and at most 1 (so that the height, and with it
 * every operation, stays O(log n)), and the queue's first entry must be
 * the model's first. Ticks start just before the 32-bit
 * wrap-around, so the order must hold across it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel.h"

#define N 64u

static struct cmrx_deadline e[N];
static struct cmrx_deadline *model[N]; /* the queued entries, in order */
static unsigned queued;
static struct cmrx_deadline_queue q;

static uint32_t rng = 12345u;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

static bool is_queued(const struct cmrx_deadline *d)
{
    for (unsigned i = 0; i < queued; i++) {
        if (model[i] == d) {
            return true;
        }
    }
    return false;
}

/* Check the subtree of buckets at d, its in-order walk (each bucket's
 * ring from its first) against model[*k...]; its height. */
static int check(const struct cmrx_deadline *d, const struct cmrx_deadline *parent, unsigned *k)
{
    if (d == NULL) {
        return 0;
    }
    assert_ptr_equal(d->parent, parent);
    assert_int_equal(d->queued, CMRX_DL_FIRST);
    int l = check(d->link[0], d, k);
    const struct cmrx_deadline *e = d;
    do {
        assert_true(*k < queued);
        assert_ptr_equal(e, model[*k]);
        assert_ptr_equal(e->next->prev, e);
        assert_int_equal(e->due, d->due);
        assert_int_equal(e->queued, e == d ? CMRX_DL_FIRST : CMRX_DL_MEMBER);
        (*k)++;
        e = e->next;
    } while (e != d);
    /* One bucket per tick: the next entry of the model is due later. */
    assert_true(*k == queued || model[*k]->due != d->due);
    int r = check(d->link[1], d, k);
    assert_int_equal(d->balance, r - l);
    assert_true(r - l >= -1 && r - l <= 1);
    return (l > r ? l : r) + 1;
}

/* How many buckets (distinct ticks) the model holds. */
static unsigned buckets(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < queued; i++) {
        n += i == 0 || model[i]->due != model[i - 1u]->due;
    }
    return n;
}

static void check_queue(void)
{
    unsigned k = 0;
    int h = check(q.root, NULL, &k);
    assert_int_equal(k, queued);
    assert_ptr_equal(q.first, queued != 0 ? model[0] : NULL);
    /* Balance keeps the height logarithmic: a tree of height h holds at
     * least F(h) entries, F(h) = F(h - 1) + F(h - 2) + 1 (1.44 log2 n). */
    unsigned f0 = 0, f1 = 1;
    for (int i = 1; i < h; i++) {
        unsigned f2 = f1 + f0 + 1u;
        f0 = f1;
        f1 = f2;
    }
    assert_true(h == 0 || buckets() >= f1);
}

static void model_insert(struct cmrx_deadline *d, uint32_t due)
{
    d->due = due;
    unsigned at = queued;
    while (at > 0 && (int32_t)(due - model[at - 1u]->due) < 0) {
        at--;
    }
    for (unsigned i = queued; i > at; i--) {
        model[i] = model[i - 1u];
    }
    model[at] = d;
    queued++;
    deadline_insert(&q, d);
}

static void model_remove(struct cmrx_deadline *d)
{
    unsigned at = 0;
    while (at < queued && model[at] != d) {
        at++;
    }
    if (at < queued) {
        queued--;
        for (unsigned i = at; i < queued; i++) {
            model[i] = model[i + 1u];
        }
    }
    deadline_remove(&q, d);
}

static int setup(void **state)
{
    (void)state;
    memset(e, 0, sizeof(e));
    memset(&q, 0, sizeof(q));
    queued = 0;
    return 0;
}

static void random_steps_keep_order_links_and_balance(void **state)
{
    (void)state;
    uint32_t now = 0xFFFFFF00u; /* across the wrap-around */
    for (unsigned step = 0; step < 40000u; step++) {
        struct cmrx_deadline *d = &e[rnd(N)];
        unsigned op = rnd(8);
        if (op < 4) {
            if (!is_queued(d)) { /* few distinct ticks: many equal deadlines */
                model_insert(d, now + rnd(op == 0 ? 4u : 40u));
            }
        } else if (op < 6) {
            model_remove(d); /* queued or not: not queued is a no-op */
        } else if (op == 6) {
            struct cmrx_deadline *first = deadline_due(&q, now + 40u);
            assert_ptr_equal(first, queued != 0 ? model[0] : NULL);
            if (first != NULL) {
                model_remove(first); /* the tick's usual removal */
            }
        } else {
            now += rnd(3);
        }
        check_queue();
    }
}

static void due_only_when_its_tick_has_come(void **state)
{
    (void)state;
    model_insert(&e[0], 0xFFFFFFFEu);
    model_insert(&e[1], 3u);
    assert_null(deadline_due(&q, 0xFFFFFFFDu));
    assert_ptr_equal(deadline_due(&q, 0xFFFFFFFEu), &e[0]);
    model_remove(&e[0]);
    assert_null(deadline_due(&q, 2u));
    assert_ptr_equal(deadline_due(&q, 3u), &e[1]);
    check_queue();
}

/* Ascending insertions, the list's worst case, build a tree of height
 * log2: 63 entries due one after another sit 6 levels deep at most. */
static void ascending_insertions_stay_shallow(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 63u; i++) {
        model_insert(&e[i], i);
    }
    check_queue();
    unsigned k = 0;
    assert_int_equal(check(q.root, NULL, &k), 6);
}

/* Entries due at one tick share one node: 16 of them leave the tree one
 * level high, and taking out the first hands the node to the next. */
static void equal_deadlines_share_a_bucket(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 16u; i++) {
        model_insert(&e[i], 7u);
    }
    model_insert(&e[16], 5u);
    check_queue();
    unsigned k = 0;
    assert_int_equal(check(q.root, NULL, &k), 2);
    model_remove(&e[16]);
    model_remove(&e[0]);
    model_remove(&e[9]);
    check_queue();
    assert_ptr_equal(deadline_due(&q, 7u), &e[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(random_steps_keep_order_links_and_balance, setup),
        cmocka_unit_test_setup(due_only_when_its_tick_has_come, setup),
        cmocka_unit_test_setup(ascending_insertions_stay_shallow, setup),
        cmocka_unit_test_setup(equal_deadlines_share_a_bucket, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
