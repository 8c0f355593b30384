/* The kernel's check of a process image (update.c), through the boot path
 * that uses it: a sound image is taken, and each field a hostile updater
 * or a cut transfer could get wrong makes the kernel refuse the slot and
 * say why. What cmrx_update_info() tells an updater. Commit, switch and a
 * refusal's text for the updater are tested in QEMU (update_process). */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "sha256.h"

#define SLOT 1024u
#define RAM  256u

static _Alignas(8) uint8_t slots[2][SLOT];
static _Alignas(8) uint8_t ram[RAM];
static struct cmrx_process_state st;
static const struct cmrx_update_decl decl = {
    {(const struct cmrx_image *)(void *)slots[0], (const struct cmrx_image *)(void *)slots[1]},
    SLOT};
static const struct cmrx_process proc = {
    .name = "svc",
    .data_start = ram,
    .bss_end = ram + RAM,
    .state = &st,
    .max_threads = 2,
    .max_timers = 1,
    .update = &decl,
};

/* Where things go in an image: header, .data image, vtable, its
 * descriptor, the interface's name, an empty autostart table, the table
 * of the objects it calls (empty unless calls() fills it) and a name. */
#define OFF_DATA     sizeof(struct cmrx_image)
#define OFF_VT       (OFF_DATA + 16u)
#define OFF_DESC     (OFF_VT + 2u * sizeof(void *))
#define OFF_IFACE    (OFF_DESC + sizeof(struct cmrx_vtable_desc))
#define OFF_AUTO     ((OFF_IFACE + 16u + 7u) & ~(size_t)7u)
#define OFF_CALL     (OFF_AUTO + 8u)
#define OFF_CALLNAME (OFF_CALL + sizeof(struct cmrx_call_desc))
#define IMAGE_SIZE   ((OFF_CALLNAME + 24u + 7u) & ~(size_t)7u)

static struct cmrx_image *hdr(unsigned n)
{
    return (struct cmrx_image *)(void *)slots[n];
}

static void seal(unsigned n)
{
    struct cmrx_image *h = hdr(n);
    struct cmrx_sha256 s;
    memset(h->sha256, 0, sizeof(h->sha256));
    cmrx_sha256_init(&s);
    cmrx_sha256_update(&s, slots[n], h->size);
    cmrx_sha256_final(&s, h->sha256);
}

/* A sound image of version `version` in slot n. */
static void build(unsigned n, uint32_t version)
{
    uint8_t *b = slots[n];
    memset(b, 0xFF, SLOT);
    struct cmrx_image *h = hdr(n);
    memset(h, 0, sizeof(*h));
    h->magic = CMRX_IMAGE_MAGIC;
    h->format = CMRX_IMAGE_FORMAT;
    h->header_size = sizeof(*h);
    h->size = IMAGE_SIZE;
    h->version = version;
    strcpy(h->name, "svc");
    strcpy(h->board, cmrx_firmware_board);
    strcpy(h->cpu, cmrx_firmware_cpu);
    h->slot = (uintptr_t)b;
    h->ram_base = (uintptr_t)ram;
    h->ram_size = RAM;
    h->data_start = ram;
    h->data_end = ram + 16;
    h->data_load = b + OFF_DATA;
    h->bss_start = ram + 16;
    h->bss_end = ram + 64;
    h->exports = ram;
    h->exports_end = ram + 8;
    memset(b + OFF_VT, 0, 2 * sizeof(void *));
    struct cmrx_vtable_desc *d = (struct cmrx_vtable_desc *)(void *)(b + OFF_DESC);
    d->vtable = b + OFF_VT;
    d->methods = 2;
    d->iface = (const char *)(b + OFF_IFACE);
    strcpy((char *)(b + OFF_IFACE), "struct svc_vt");
    h->vtables = d;
    h->vtables_end = d + 1;
    h->autostart = (const struct cmrx_autostart *)(void *)(b + OFF_AUTO);
    h->autostart_end = h->autostart;
    h->calls = h->calls_end = (const struct cmrx_call_desc *)(void *)(b + OFF_CALL);
    h->threads = 1;
    seal(n);
}

/* The image in slot n calls @p object through @p iface of @p methods. */
static void calls(unsigned n, const void *object, uint32_t methods, const char *iface)
{
    struct cmrx_call_desc *c = (struct cmrx_call_desc *)(void *)(slots[n] + OFF_CALL);
    c->object = object;
    c->methods = methods;
    c->iface = (const char *)(slots[n] + OFF_CALLNAME);
    strcpy((char *)(slots[n] + OFF_CALLNAME), iface);
    hdr(n)->calls_end = c + 1;
    seal(n);
}

static int setup(void **state)
{
    (void)state;
    fx_reset();
    fx_console_len = 0;
    fx_console[0] = '\0';
    st.log_slot = 0; /* the commit log names slot A (commit_log.c, test_commit_log) */
    process_order_init(); /* for process_of(): the owners of called objects */
    memset(slots, 0, sizeof(slots));
    build(0, 1);
    return 0;
}

static void sound_image_boots(void **state)
{
    (void)state;
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
    assert_null(strstr(fx_log(), "svc"));
}

static void log_picks_slot_b(void **state)
{
    (void)state;
    build(1, 2);
    assert_ptr_equal(update_boot_image(&proc), slots[0]); /* the log names A */
    st.log_slot = 1;
    assert_ptr_equal(update_boot_image(&proc), slots[1]);
    st.log_slot = 0;
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
}

/* After the firmware is flashed again, slot A holds what it was built
 * with: an update left in slot B boots only if it is newer and serves
 * what A serves. */
static void slot_b_must_be_newer_and_compatible(void **state)
{
    (void)state;
    st.log_slot = 1;
    build(1, 1);
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
    assert_non_null(strstr(fx_log(), "process svc: slot B: the image is not newer than slot A's; "
                                     "trying slot A"));
    build(1, 2);
    ((struct cmrx_vtable_desc *)(void *)(slots[1] + OFF_DESC))->methods = 1;
    seal(1);
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
    assert_non_null(strstr(fx_log(), "slot B: the image serves fewer methods of an interface than "
                                     "its clients use; trying slot A"));
    build(1, 2);
    assert_ptr_equal(update_boot_image(&proc), slots[1]);
}

static void unsound_slot_falls_back(void **state)
{
    (void)state;
    build(1, 2);
    slots[1][OFF_DATA + 3] ^= 0x10u; /* a bit of its .data image */
    st.log_slot = 1;
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
    assert_non_null(strstr(fx_log(), "process svc: slot B: the image's SHA-256 does not match "
                                     "(corrupt or incomplete); trying slot A"));
}

static void neither_slot_sound(void **state)
{
    (void)state;
    hdr(0)->magic ^= 1u;
    assert_null(update_boot_image(&proc));
    assert_non_null(strstr(fx_log(), "slot B: no image header of format 2; not started"));
}

/* Slot A's image with one thing changed (and sealed again, so that only
 * the check of that thing can catch it): refused for `why`. */
static void refused(void (*change)(struct cmrx_image *h, uint8_t *b), bool reseal, const char *why)
{
    setup(NULL);
    change(hdr(0), slots[0]);
    if (reseal) {
        seal(0);
    }
    assert_null(update_boot_image(&proc));
    char want[160];
    snprintf(want, sizeof(want), "process svc: slot A: %s; trying slot B", why);
    if (strstr(fx_log(), want) == NULL) {
        fail_msg("expected '%s' in:\n%s", want, fx_log());
    }
}

static void c_format(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->format = 1; /* the header without the table of calls */
}
static void c_name(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    strcpy(h->name, "other");
}
static void c_name_unterminated(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    memset(h->name, 's', sizeof(h->name));
}
static void c_board(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    strcpy(h->board, "qemu-mps2-an385");
}
static void c_cpu(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    strcpy(h->cpu, "cortex-m0plus");
}
static void c_size(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->size = SLOT + 4u;
}
static void c_size_small(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->size = 8;
}
static void c_slot(struct cmrx_image *h, uint8_t *b)
{
    h->slot = (uintptr_t)(b + 256);
}
static void c_ram(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->ram_size = RAM * 2u;
}
static void c_threads(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->threads = 3;
}
static void c_timers(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->timers = 2;
}
static void c_data_load(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->data_load = (const uint8_t *)fx_flash; /* the kernel's or another's flash */
}
static void c_data_long(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->data_end = ram + RAM; /* its image would run past the slot's end */
    h->bss_start = h->bss_end = ram + RAM;
    h->data_load = b + h->size - 8;
}
static void c_bss(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->bss_end = ram + RAM + 64; /* beyond the reserve: another's memory */
}
static void c_exports(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->exports_end = ram + 32; /* past .data */
}
static void c_tables(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->vtables_end = h->vtables + 100;
}
static void c_tables_misaligned(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->autostart = (const struct cmrx_autostart *)(const void *)((const uint8_t *)h->autostart + 1);
}
static void c_hash(struct cmrx_image *h, uint8_t *b)
{
    (void)h;
    b[OFF_VT] ^= 1u;
}
static void c_methods(struct cmrx_image *h, uint8_t *b)
{
    (void)h;
    ((struct cmrx_vtable_desc *)(void *)(b + OFF_DESC))->methods = 1000;
}
static void c_iface(struct cmrx_image *h, uint8_t *b)
{
    (void)h;
    ((struct cmrx_vtable_desc *)(void *)(b + OFF_DESC))->iface = "outside";
}
static void c_autostart(struct cmrx_image *h, uint8_t *b)
{
    /* One thread, starting in fx_flash: user flash, but not the image's. */
    struct cmrx_autostart *a = (struct cmrx_autostart *)(void *)(b + OFF_AUTO);
    memset(a, 0, sizeof(*a));
    a->entry = fx_entry();
    h->autostart_end = h->autostart + 1;
    h->size = (uint32_t)(OFF_AUTO + sizeof(*a));
}

static void c_too_many_ifaces(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->size = SLOT; /* room for 9 table entries: only their count is wrong */
    h->vtables_end = h->vtables + CMRX_UPDATE_MAX_INTERFACES + 1u;
}
static void c_iface_long(struct cmrx_image *h, uint8_t *b)
{
    /* A name of CMRX_UPDATE_IFACE_NAME_MAX bytes without its NUL, inside the image. */
    memset(b + OFF_IFACE, 'x', CMRX_UPDATE_IFACE_NAME_MAX);
    b[OFF_IFACE + CMRX_UPDATE_IFACE_NAME_MAX] = '\0';
    h->autostart_end = h->autostart = (const struct cmrx_autostart *)(void *)(b + OFF_DATA);
    h->size = (uint32_t)(OFF_IFACE + CMRX_UPDATE_IFACE_NAME_MAX + 8u);
}

static void hostile_headers(void **state)
{
    (void)state;
    refused(c_format, true, "no image header of format 2");
    refused(c_name, true, "the image is of another process");
    refused(c_name_unterminated, true, "the image is of another process");
    refused(c_board, true, "the image is for another board or CPU");
    refused(c_cpu, true, "the image is for another board or CPU");
    refused(c_size, false, "the image is larger than the process's flash reserve");
    refused(c_size_small, false, "the image is larger than the process's flash reserve");
    refused(c_slot, true, "the image is linked for another slot");
    refused(c_ram, true, "the image is linked for another RAM reserve");
    refused(c_threads, true, "the image needs more threads or timers than the process has");
    refused(c_timers, true, "the image needs more threads or timers than the process has");
    refused(c_data_load, true, "the image's memory lies outside its reserve");
    refused(c_data_long, true, "the image's memory lies outside its reserve");
    refused(c_bss, true, "the image's memory lies outside its reserve");
    refused(c_exports, true, "the image's memory lies outside its reserve");
    refused(c_tables, true, "the image's tables lie outside it");
    refused(c_tables_misaligned, true, "the image's tables lie outside it");
    refused(c_hash, false, "the image's SHA-256 does not match (corrupt or incomplete)");
    refused(c_methods, true, "an interface table of the image lies outside it");
    refused(c_iface, true, "an interface table of the image lies outside it");
    refused(c_autostart, true, "an autostart thread of the image starts outside it");
    refused(c_too_many_ifaces, true,
            "the image serves more interfaces than an updatable process may (8)");
    refused(c_iface_long, true, "an interface table of the image lies outside it");
}

/* An image may call an object of another process that serves the
 * interface it was built against with at least its methods. */
static void calls_a_served_interface(void **state)
{
    (void)state;
    calls(0, FX_ALPHA_SERVICE, 1, "alpha_vt");
    assert_ptr_equal(update_boot_image(&proc), slots[0]);
    assert_null(strstr(fx_log(), "svc"));
}

/* Slot A's image calls @p object by @p iface with @p methods: refused,
 * and the kernel says @p why of it (a format of the object's address). */
static void call_refused(const void *object, uint32_t methods, const char *iface, const char *why)
{
    setup(NULL);
    calls(0, object, methods, iface);
    assert_null(update_boot_image(&proc));
    char text[96], want[256];
    snprintf(text, sizeof(text), why, (unsigned long)(uintptr_t)object);
    snprintf(want, sizeof(want),
             "process svc: slot A: the image calls %s (%u methods) at %s; trying", iface,
             (unsigned)methods, text);
    if (strstr(fx_log(), want) == NULL) {
        fail_msg("expected '%s' in:\n%s", want, fx_log());
    }
}

static void c_call_name_outside(struct cmrx_image *h, uint8_t *b)
{
    calls(0, FX_ALPHA_SERVICE, 1, "alpha_vt");
    ((struct cmrx_call_desc *)(void *)(b + OFF_CALL))->iface = "alpha_vt"; /* not in the image */
    (void)h;
}
static void c_calls_outside(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->calls_end = h->calls + 100;
}
static void c_too_many_calls(struct cmrx_image *h, uint8_t *b)
{
    (void)b;
    h->size = SLOT; /* room for 17 entries: only their count is wrong */
    h->calls_end = h->calls + CMRX_UPDATE_MAX_CALLS + 1u;
}

/* What the image calls must be there in the firmware: each way it may
 * not be is refused with the object and the interface named. */
static void calls_checked_against_the_firmware(void **state)
{
    (void)state;
    call_refused(FX_ALPHA_SERVICE, 1, "beta_vt", "0x%08lx, which alpha does not serve there");
    call_refused(FX_ALPHA_SERVICE, 2, "alpha_vt", "0x%08lx, where alpha serves fewer methods");
    call_refused(fx_alpha_ram + 64, 1, "alpha_vt", /* in .bss: no vtable in its initial value */
                 "0x%08lx, which alpha does not serve there");
    call_refused(fx_alpha_ram + 8, 1, "alpha_vt", "0x%08lx, which alpha does not serve there");
    call_refused(fx_beta_ram + 16, 3, "beta_vt", /* past its one object, in .bss */
                 "0x%08lx, which beta does not serve there");
    call_refused(fx_flash, 1, "alpha_vt", "0x%08lx, which is no other process's object");
    call_refused(ram, 1, "svc_vt", "0x%08lx, which is no other process's object"); /* its own */
    call_refused(FX_ALPHA_SERVICE + 1, 1, "alpha_vt",
                 "0x%08lx, which is no other process's object");
    refused(c_call_name_outside, true, "a table of the objects the image calls lies outside it");
    refused(c_calls_outside, true, "the image's tables lie outside it");
    refused(c_too_many_calls, true,
            "the image calls more objects than an updatable process may (16)");
}

/* Any process by its index, for an updater (alpha) only, into memory it
 * may write. */
static void info_names_processes(void **state)
{
    (void)state;
    fx_boot();
    struct cmrx_thread *a = fx_spawn(FX_ALPHA, 10), *b = fx_spawn(FX_BETA, 12);
    struct cmrx_update_info *out = (struct cmrx_update_info *)(void *)fx_alpha_ram;
    fx_run(a);
    memset(out, 0xA5, sizeof(*out));
    assert_int_equal(sys_update_info(FX_BETA, out), CMRX_OK);
    assert_string_equal(out->name, "beta");
    assert_int_equal(out->version, 0); /* not updatable */
    assert_int_equal(out->slot_size, 0);
    assert_int_equal(out->slot, 0);
    assert_int_equal(out->busy, 0);
    assert_string_equal(out->refusal, "");
    assert_int_equal(sys_update_info(FX_ALPHA, out), CMRX_OK);
    assert_string_equal(out->name, "alpha");
    assert_int_equal(sys_update_info(cmrx_process_count, out), CMRX_EINVAL);
    assert_int_equal(sys_update_info(0xFFFFFFFFu, out), CMRX_EINVAL);
    /* Another's memory, running over the end of ours, misaligned, flash. */
    assert_int_equal(sys_update_info(FX_BETA, (void *)fx_beta_ram), CMRX_EFAULT);
    assert_int_equal(sys_update_info(FX_BETA, (void *)(fx_alpha_ram + 64)), CMRX_EFAULT);
    assert_int_equal(sys_update_info(FX_BETA, (void *)(fx_alpha_ram + 2)), CMRX_EFAULT);
    assert_int_equal(sys_update_info(FX_BETA, (void *)(uintptr_t)fx_flash), CMRX_EFAULT);
    fx_run(b);
    assert_int_equal(sys_update_info(FX_ALPHA, (void *)fx_beta_ram), CMRX_EPERM);
}

/* An updatable process: the version it runs and its slot, its slots'
 * size, and whether a switch of it is under way. */
static void info_of_updatable(void **state)
{
    (void)state;
    struct cmrx_update_info out;
    build(1, 2);
    memset(&st, 0, sizeof(st));
    memset(&out, 0, sizeof(out));
    st.image = hdr(0);
    assert_string_equal(cmrx_update_impl.info(&proc, &out), ""); /* refused nothing */
    assert_int_equal(out.version, 1);
    assert_int_equal(out.slot, 0);
    assert_int_equal(out.slot_size, SLOT);
    assert_int_equal(out.busy, 0);
    st.image = hdr(1);
    st.updating = 1;
    cmrx_update_impl.info(&proc, &out);
    assert_int_equal(out.version, 2);
    assert_int_equal(out.slot, 1);
    assert_int_equal(out.busy, 1);
    memset(&st, 0, sizeof(st));
    memset(&out, 0, sizeof(out));
    cmrx_update_impl.info(&proc, &out); /* neither slot was sound at boot */
    assert_int_equal(out.version, 0);
    assert_int_equal(out.slot_size, SLOT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sound_image_boots, setup),
        cmocka_unit_test_setup(log_picks_slot_b, setup),
        cmocka_unit_test_setup(slot_b_must_be_newer_and_compatible, setup),
        cmocka_unit_test_setup(unsound_slot_falls_back, setup),
        cmocka_unit_test_setup(neither_slot_sound, setup),
        cmocka_unit_test(hostile_headers),
        cmocka_unit_test_setup(calls_a_served_interface, setup),
        cmocka_unit_test(calls_checked_against_the_firmware),
        cmocka_unit_test_setup(info_names_processes, setup),
        cmocka_unit_test_setup(info_of_updatable, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
