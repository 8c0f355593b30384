#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmrx/update.h>

#include "fsutil.h"

/* Each file is composed in memory and written whole (write_file_atomic),
 * so a failed run never leaves a half-written input for the next step. */
struct out {
    FILE *fp;
    char *text;
    size_t len;
    char *path;
};

static void out_open(struct out *o, const char *dir, const char *name)
{
    o->path = path_join(dir, name);
    o->text = NULL;
    o->fp = xmemstream(&o->text, &o->len);
}

static int out_close(struct out *o, struct err *e)
{
    fclose(o->fp);
    int rc = write_file_atomic(o->path, o->text, o->len, e);
    free(o->text);
    free(o->path);
    return rc;
}

static int make_dir(const char *dir, struct err *e)
{
    return mkdir_p(dir) == 0 ? 0 : err_set(e, "cannot create %s: %s", dir, strerror(errno));
}

/* The symbols of cmrx_ram.ld and firmware.ld a process's table entry points
 * at, by field (the symbol is __cmrx_p_NAME_FIELD). */
static const struct {
    const char *sym, *type;
    bool fixed; /* the same for every version of an updatable process */
} syms[] = {
    {"data_start", "uint8_t", true},
    {"data_end", "uint8_t", false},
    {"data_load", "const uint8_t", false},
    {"bss_start", "uint8_t", false},
    {"bss_end", "uint8_t", false},
    {"shared_start", "uint8_t", true},
    {"shared_end", "uint8_t", true},
    {"shared_load", "const uint8_t", true},
    {"autostart", "const struct cmrx_autostart", false},
    {"autostart_end", "const struct cmrx_autostart", false},
    {"vtables", "const struct cmrx_vtable_desc", false},
    {"vtables_end", "const struct cmrx_vtable_desc", false},
};

/* An updatable process's slots (kernel flash), and the
 * header of the image this link makes, which goes first in its slot
 * (docs/updating.md); cmrx-sdk seal fills in its hash. */
static void emit_update(FILE *f, const struct firmware *fw, const struct process_decl *p)
{
    const char *n = p->name;
    fprintf(f,
            "extern uint8_t __cmrx_p_%s_ram_end[], __cmrx_p_%s_exports[], "
            "__cmrx_p_%s_exports_end[];\n",
            n, n, n);
    fprintf(f, "extern const uint8_t __cmrx_p_%s_slot[], __cmrx_p_%s_image_size[];\n", n, n);
    fprintf(f, "extern const struct cmrx_call_desc __cmrx_p_%s_calls[], __cmrx_p_%s_calls_end[];\n",
            n, n);
    fprintf(f,
            "static const struct cmrx_update_decl cmrx_update_%s = {\n"
            "    {(const struct cmrx_image *)0x%08xu, (const struct cmrx_image *)0x%08xu},\n"
            "    %uu};\n",
            n, fw_slot_addr(fw, p, 0), fw_slot_addr(fw, p, 1), p->flash_reserve);
    fprintf(f, "__attribute__((section(\".cmrx.image.%s\"), used))\n", n);
    fprintf(f, "static const struct cmrx_image cmrx_image_%s = {\n", n);
    fprintf(f, "    .magic = CMRX_IMAGE_MAGIC,\n    .format = CMRX_IMAGE_FORMAT,\n");
    fprintf(f, "    .header_size = sizeof(struct cmrx_image),\n");
    fprintf(f, "    .size = (uint32_t)__cmrx_p_%s_image_size,\n", n);
    fprintf(f, "    .version = %uu,\n", p->version);
    fprintf(f, "    .name = \"%s\",\n    .board = \"%s\",\n    .cpu = \"%s\",\n", n,
            fw->board ? fw->board : "", fw->cpu ? fw->cpu : "");
    fprintf(f, "    .slot = (uintptr_t)__cmrx_p_%s_slot,\n", n);
    fprintf(f, "    .ram_base = (uintptr_t)__cmrx_p_%s_data_start,\n", n);
    fprintf(f, "    .ram_size = %uu,\n", p->ram_reserve);
    static const char *const fields[] = {"data_start",    "data_end", "data_load",   "bss_start",
                                         "bss_end",       "exports",  "exports_end", "autostart",
                                         "autostart_end", "vtables",  "vtables_end", "calls",
                                         "calls_end"};
    for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
        fprintf(f, "    .%s = __cmrx_p_%s_%s,\n", fields[k], n, fields[k]);
    }
    fprintf(f, "    .threads = %u,\n    .timers = %u,\n};\n", p->threads, p->timers);
}

static void emit_tables(FILE *f, const char *n);

/* A method's stack budget on the host, scaled as stacks are
 * (layout_stack_slot): the field holds at most 65535. */
static uint32_t host_rpc_stack(uint32_t bytes)
{
    uint32_t s = bytes * LIMIT_HOST_STACK_SCALE;
    return s > 0xFFF0u ? 0xFFF0u : s;
}

/* The processes process i serves (kernel.h `callers`), a bit per index:
 * itself and those of its callers this firmware has (firmware.c checked
 * there is one). */
static void emit_callers(FILE *f, const struct firmware *fw, size_t i)
{
    const struct process_decl *p = &fw->procs[i];
    size_t words = (fw->n_procs + 31u) / 32u;
    uint32_t *bits = xcalloc(words, sizeof(*bits));
    bits[i / 32u] |= 1u << (i % 32u);
    fprintf(f, "/* serves itself");
    for (size_t k = 0; k < p->n_callers; k++) {
        int j = fw_process_index(fw, p->callers[k]);
        if (j >= 0) {
            bits[(size_t)j / 32u] |= 1u << ((size_t)j % 32u);
            fprintf(f, ", %s", p->callers[k]);
        }
    }
    fprintf(f, " */\nstatic const uint32_t cmrx_callers_%s[%zu] = {", p->name, words);
    for (size_t w = 0; w < words; w++) {
        fprintf(f, "%s0x%08xu", w ? ", " : "", bits[w]);
    }
    fprintf(f, "};\n");
    free(bits);
}

static void emit_config(FILE *f, const struct firmware *fw, const uint32_t (*mmio)[4])
{
    bool sim = fw->arch == MPU_SIM; /* board host: no MPU, pages (kernel/arch/sim) */
    uint32_t stat[4] = {0, 0, 0, 0};
    if (!sim) {
        plan_static_mpu(fw, stat);
    }
    fprintf(f, "/* Process table of firmware '%s', generated by cmrx-sdk. Do not edit. */\n",
            fw->name);
    fprintf(f, "#include <cmrx/thread.h>\n\n#include \"kernel.h\"\n\n");
    /* The numbers this table was checked against (limits.h) must be the
     * kernel's: a kernel that changed them fails here, not at run time. */
    fprintf(f,
            "_Static_assert(CMRX_IDLE_PRIORITY == %uu && CMRX_PRIO_LOWEST == %uu,\n"
            "               \"the kernel's priorities differ from the SDK's limits.h\");\n"
            "_Static_assert(CMRX_PROCESS_NAME_MAX == %uu,\n"
            "               \"the kernel's name limit differs from the SDK's limits.h\");\n\n",
            LIMIT_PRIO_IDLE, LIMIT_PRIO_LOWEST, LIMIT_PROCESS_NAME);
    /* The update code is linked only where a process is updatable. */
    if (fw_log_size(fw) != 0) {
        fprintf(f, "const struct cmrx_updater *const cmrx_updater = &cmrx_update_impl;\n");
        fprintf(f, "const struct cmrx_commit_log cmrx_commit_log = {0x%08xu, %uu};\n",
                fw_log_addr(fw), fw->flash_erase_size);
        fprintf(f, "const char cmrx_firmware_board[] = \"%s\";\n", fw->board ? fw->board : "");
        fprintf(f, "const char cmrx_firmware_cpu[] = \"%s\";\n\n", fw->cpu ? fw->cpu : "");
    } else {
        fprintf(f, "const struct cmrx_updater *const cmrx_updater = NULL;\n\n");
    }
    fprintf(f, "/* Static regions: flash, null guard. */\n");
    fprintf(f, "const uint32_t cmrx_mpu_static[4] = {0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu};\n\n",
            stat[0], stat[1], stat[2], stat[3]);

    unsigned slot = 0, timer = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        const char *n = p->name;
        fprintf(f, "/* process %s */\n", n);
        for (unsigned r = 0; r < 4; r++) {
            fprintf(f, "extern const char __cmrx_p_%s_mpu%u[];\n", n, r);
        }
        for (size_t k = 0; k < sizeof(syms) / sizeof(syms[0]); k++) {
            fprintf(f, "extern %s __cmrx_p_%s_%s[];\n", syms[k].type, n, syms[k].sym);
        }
        if (p->flash_reserve != 0) {
            emit_update(f, fw, p);
        }
        if (p->n_irqs > 0) {
            fprintf(f, "static const uint16_t cmrx_irqs_%s[] = {", n);
            for (size_t k = 0; k < p->n_irqs; k++) {
                fprintf(f, "%s%u", k ? ", " : "", p->irqs[k]);
            }
            fprintf(f, "};\n");
        }
        if (p->callers != NULL) {
            emit_callers(f, fw, i);
        }
        if (p->threads > 0) {
            fprintf(f,
                    "static uint8_t cmrx_stack_%s[%u][%u] "
                    "__attribute__((section(\".cmrx.stack.%s\"), aligned(%u)));\n",
                    n, p->threads, fw_stack_slot(fw, p), n, sim ? 4096u : 8u);
        }
        fprintf(f, "\n");
    }

    fprintf(f, "struct cmrx_process_state cmrx_process_state[%zu];\n\n",
            fw->n_procs ? fw->n_procs : 1u);
    fprintf(f, "const struct cmrx_process cmrx_processes[%zu] = {\n",
            fw->n_procs ? fw->n_procs : 1u);
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        const char *n = p->name;
        uint32_t sslot = fw_stack_slot(fw, p);
        fprintf(f, "    {\n");
        if (sim) { /* the sim port maps by the table's addresses */
            fprintf(f, "        .mpu = {0},\n");
        } else {
            fprintf(f,
                    "        .mpu = {(uint32_t)__cmrx_p_%s_mpu0, (uint32_t)__cmrx_p_%s_mpu1, "
                    "(uint32_t)__cmrx_p_%s_mpu2, (uint32_t)__cmrx_p_%s_mpu3,\n"
                    "                0x%08xu, 0x%08xu, 0x%08xu, 0x%08xu},\n",
                    n, n, n, n, mmio[i][0], mmio[i][1], mmio[i][2], mmio[i][3]);
        }
        fprintf(f, "        .name = \"%s\",\n", n);
        for (size_t k = 0; k < sizeof(syms) / sizeof(syms[0]); k++) {
            /* Nothing outside an updatable process's slot points into it:
             * the kernel takes the rest from the image it runs. */
            if (p->flash_reserve != 0 && !syms[k].fixed) {
                continue;
            }
            fprintf(f, "        .%s = __cmrx_p_%s_%s,\n", syms[k].sym, n, syms[k].sym);
        }
        if (p->flash_reserve != 0) {
            fprintf(f, "        .bss_end = __cmrx_p_%s_ram_end,\n", n);
            fprintf(f, "        .update = &cmrx_update_%s,\n", n);
        }
        if (p->n_irqs > 0) {
            fprintf(f, "        .irqs = cmrx_irqs_%s,\n", n);
            fprintf(f, "        .n_irqs = %zu,\n", p->n_irqs);
        }
        if (p->callers != NULL) {
            fprintf(f, "        .callers = cmrx_callers_%s,\n", n);
        }
        fprintf(f, "        .policy = %s,\n", fault_policy_kernel(p->fault_policy));
        if (p->threads > 0) {
            fprintf(f, "        .stack_base = &cmrx_stack_%s[0][0],\n", n);
        }
        fprintf(f, "        .state = &cmrx_process_state[%zu],\n", i);
        fprintf(f, "        .stack_size = %uu,\n", sslot);
        fprintf(f, "        .stack_mpu_attr = 0x%08xu,\n",
                sslot && !sim ? plan_stack_attr(fw, sslot) : 0);
        fprintf(f, "        .first_timer = %u,\n", timer);
        fprintf(f, "        .max_timers = %u,\n", p->timers);
        fprintf(f, "        .first_thread = %u,\n", slot);
        fprintf(f, "        .max_threads = %u,\n", p->threads);
        fprintf(f, "        .priority = %u,\n", p->priority);
        fprintf(f, "        .max_priority = %u,\n", p->max_priority);
        fprintf(f, "        .rpc_stack = %u,\n", sim ? host_rpc_stack(p->rpc_stack) : p->rpc_stack);
        /* The rights it was declared with (kernel.h CMRX_PROC_*). */
        fprintf(f, "        .flags = 0%s%s%s,\n", p->system ? " | CMRX_PROC_SYSTEM" : "",
                p->updater ? " | CMRX_PROC_UPDATER" : "", p->flash ? " | CMRX_PROC_FLASH" : "");
        fprintf(f, "    },\n");
        slot += p->threads;
        timer += p->timers;
    }
    fprintf(f, "};\n");
    fprintf(f, "const uint8_t cmrx_process_count = %zu;\n\n", fw->n_procs);
    /* Who owns each interrupt line, up to the highest owned one: the
     * kernel finds a line's owner in one step. */
    unsigned lines = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        for (size_t k = 0; k < fw->procs[i].n_irqs; k++) {
            if (fw->procs[i].irqs[k] + 1u > lines) {
                lines = fw->procs[i].irqs[k] + 1u;
            }
        }
    }
    fprintf(f, "/* Owner of each interrupt line: process index + 1, 0 for none. */\n");
    fprintf(f, "const uint8_t cmrx_irq_owner[%u] = {", lines ? lines : 1u);
    for (unsigned irq = 0; irq < (lines ? lines : 1u); irq++) {
        unsigned owner = 0;
        for (size_t i = 0; i < fw->n_procs; i++) {
            for (size_t k = 0; k < fw->procs[i].n_irqs; k++) {
                if (fw->procs[i].irqs[k] == irq) {
                    owner = (unsigned)i + 1u;
                }
            }
        }
        fprintf(f, "%s%u", irq ? ", " : "", owner);
    }
    fprintf(f, "};\n");
    fprintf(f, "const uint16_t cmrx_irq_lines = %u;\n\n", lines);
    fprintf(f, "/* %u thread slots and the idle thread. */\n", slot);
    fprintf(f, "struct cmrx_thread cmrx_threads[%u];\n", slot + 1u);
    fprintf(f, "struct cmrx_timer cmrx_timers[%u];\n", timer ? timer : 1u);
    fprintf(f, "const uint8_t cmrx_thread_count = %u;\n\n", slot + 1u);

    uint32_t idle_off[8] = {0};
    uint32_t idle_stack = LIMIT_IDLE_STACK;
    if (sim) {
        idle_stack = layout_stack_slot(fw->arch, LIMIT_IDLE_STACK);
        fprintf(f,
                "uint8_t cmrx_idle_stack[%u] "
                "__attribute__((section(\".cmrx.stack.idle\"), aligned(4096)));\n",
                idle_stack);
    } else {
        for (unsigned r = 0; r < 4; r++) {
            mpu_encode_disabled(fw->arch, 2u + r, idle_off + 2 * r);
        }
        fprintf(f, "uint8_t cmrx_idle_stack[%u] __attribute__((aligned(%u)));\n", LIMIT_IDLE_STACK,
                LIMIT_IDLE_STACK);
    }
    fprintf(f, "const uint32_t cmrx_idle_stack_size = %u;\n", idle_stack);
    fprintf(f, "const struct cmrx_process cmrx_idle_process = {\n");
    fprintf(f, "    .mpu = {");
    for (unsigned r = 0; r < 8; r++) {
        fprintf(f, "0x%08xu%s", idle_off[r], r < 7 ? ", " : "},\n");
    }
    fprintf(f, "    .name = \"idle\",\n");
    fprintf(f, "    .stack_base = cmrx_idle_stack,\n");
    fprintf(f, "    .stack_size = %u,\n", idle_stack);
    fprintf(f, "    .stack_mpu_attr = 0x%08xu,\n",
            sim ? 0u : plan_stack_attr(fw, LIMIT_IDLE_STACK));
    fprintf(f, "    .first_thread = %u,\n", slot);
    fprintf(f, "    .max_threads = 1,\n");
    fprintf(f, "    .priority = %u,\n", LIMIT_PRIO_IDLE);
    fprintf(f, "};\n");
}

static void emit_script(FILE *f, const struct firmware *fw)
{
    uint32_t guard = fw_guard_size(fw);
    fprintf(f,
            "/* Linker script of firmware '%s' (board %s), generated by cmrx-sdk.\n"
            " * The RAM of processes comes from cmrx_ram.ld: a measuring layout on\n"
            " * the first link, the MPU-aligned layout on the second. */\n\n",
            fw->name, fw->board ? fw->board : "?");
    fprintf(f, "MEMORY\n{\n");
    fprintf(f, "    FLASH (rx) : ORIGIN = 0x%08x, LENGTH = 0x%08x\n", fw->flash_base,
            fw->flash_size - fw_slots_size(fw));
    if (fw_log_size(fw) != 0) {
        fprintf(f, "    COMMIT_LOG (r) : ORIGIN = 0x%08x, LENGTH = 0x%x\n", fw_log_addr(fw),
                fw_log_size(fw));
    }
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        if (p->flash_reserve != 0) {
            fprintf(f, "    SLOT_%s (rx) : ORIGIN = 0x%08x, LENGTH = 0x%08x /* slot %c */\n",
                    p->name, fw_slot_addr(fw, p, fw->image_slot), p->flash_reserve,
                    fw->image_slot ? 'B' : 'A');
        }
    }
    fprintf(f, "    RAM (rw)   : ORIGIN = 0x%08x, LENGTH = 0x%08x\n", fw->ram_base, fw->ram_size);
    fprintf(f, "}\n\nENTRY(cmrx_port_reset)\nINCLUDE cmrx_symbols.ld\n\nSECTIONS\n{\n");
    if (fw->boot_size) {
        /* The boot ROM reads the header from the start of flash and finds
         * the vector table right after it. */
        fprintf(f, "    /* The board's boot header (bsp.yaml boot:), read by its boot ROM. */\n");
        fprintf(f, "    .cmrx.boot :\n    {\n        KEEP(*(.cmrx.boot))\n    } > FLASH\n");
        fprintf(f,
                "    ASSERT(SIZEOF(.cmrx.boot) == 0x%x, \"cmrx: the board's boot header is missing "
                "or not %u bytes\")\n",
                fw->boot_size, fw->boot_size);
    }
    fprintf(f, "    /* Vectors and kernel first: the null guard covers them. */\n");
    fprintf(f, "    .cmrx.kernel.text :\n    {\n");
    fprintf(f, "        KEEP(*(.vectors))\n");
    /* Sorted by alignment, so that no padding goes between the pieces. */
    static const char sorted[] = "(SORT_BY_ALIGNMENT(.text) SORT_BY_ALIGNMENT(.text.*) "
                                 "SORT_BY_ALIGNMENT(.rodata) SORT_BY_ALIGNMENT(.rodata.*))";
    fprintf(f, "        *libcmrx_kernel.a:*%s\n", sorted);
    fprintf(f, "        *libcmrx_bsp.a:*%s\n", sorted);
    fprintf(f, "        . = ALIGN(4);\n");
    if (guard) {
        /* '.' counts from the start of this section, after the boot header. */
        fprintf(f, "        . = MAX(., 0x%x);\n", guard - fw->boot_size);
    }
    fprintf(f, "    } > FLASH\n");
    if (fw->boot_size) {
        fprintf(f,
                "    ASSERT(cmrx_vectors == 0x%08x, \"cmrx: the vector table must follow the "
                "boot header\")\n",
                fw->flash_base + fw->boot_size);
    }
    fprintf(f, "    __cmrx_user_flash_start = ADDR(.cmrx.kernel.text) + "
               "SIZEOF(.cmrx.kernel.text);\n\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        const char *n = fw->procs[i].name;
        if (fw->procs[i].flash_reserve != 0) {
            /* The image: header, code and constants (its library code
             * included), tables; its .data image follows (cmrx_ram.ld). */
            fprintf(f, "    .cmrx.slot.%s :\n    {\n", n);
            fprintf(f, "        __cmrx_p_%s_slot = .;\n", n);
            fprintf(f, "        KEEP(*(.cmrx.image.%s))\n", n);
            fprintf(f, "        */cmrxproc_%s.o(.text .text.* .rodata .rodata.*)\n", n);
            fprintf(f, "        . = ALIGN(4);\n");
            emit_tables(f, n);
            /* The objects of other processes it calls (CMRX_CALLS). */
            fprintf(f, "        __cmrx_p_%s_calls = .;\n", n);
            fprintf(f, "        KEEP(*/cmrxproc_%s.o(.cmrx.calls))\n", n);
            fprintf(f, "        __cmrx_p_%s_calls_end = .;\n", n);
            fprintf(f, "        . = ALIGN(8);\n");
            fprintf(f, "    } > SLOT_%s\n", n);
            /* An input section aligned beyond the slot's own alignment
             * would move the image off the address it is known by. */
            fprintf(f,
                    "    ASSERT(__cmrx_p_%s_slot == ORIGIN(SLOT_%s), \"cmrx: the image of %s "
                    "does not start its slot (an input section aligned to more than 256 "
                    "bytes?)\")\n",
                    n, n, n);
            continue;
        }
        fprintf(f, "    .cmrx.p.%s.text : ALIGN(4)\n    {\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.text .text.* .rodata .rodata.*)\n", n);
        fprintf(f, "    } > FLASH\n");
    }
    fprintf(f, "\n    .text : ALIGN(4)\n    {\n        __cmrx_ktext_start = .;\n");
    fprintf(f, "        *(.text .text.*)\n        *(.rodata .rodata.*)\n");
    fprintf(f, "        . = ALIGN(4);\n        __cmrx_ktext_end = .;\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        if (fw->procs[i].flash_reserve == 0) {
            emit_tables(f, fw->procs[i].name);
        }
    }
    fprintf(f, "    } > FLASH\n");
    if (fw_log_size(fw) != 0) {
        fprintf(f, "    /* The commit log (commit_log.c): never in an image, so that flashing\n"
                   "     * the firmware again keeps the updates. */\n");
        fprintf(f, "    .cmrx.commit_log 0x%08x (NOLOAD) :\n    {\n        . = . + 0x%x;\n",
                fw_log_addr(fw), fw_log_size(fw));
        fprintf(f, "    } > COMMIT_LOG\n");
    }
    fprintf(f, "    .ARM.extab : { *(.ARM.extab* .gnu.linkonce.armextab.*) } > FLASH\n");
    fprintf(f, "    .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > FLASH\n\n");
    fprintf(f, "    /* Process RAM, one MPU region per item. */\n");
    fprintf(f, "    INCLUDE cmrx_ram.ld\n\n");
    fprintf(f, "    /* Kernel RAM: no unprivileged region covers it. */\n");
    fprintf(f, "    .data : ALIGN(8)\n    {\n        __cmrx_kdata_start = .;\n");
    fprintf(f, "        *(.data .data.*)\n        . = ALIGN(4);\n");
    fprintf(f, "        __cmrx_kdata_end = .;\n    } > RAM AT> FLASH\n");
    fprintf(f, "    __cmrx_kdata_load = LOADADDR(.data);\n");
    fprintf(f, "    .bss (NOLOAD) : ALIGN(8)\n    {\n        __cmrx_kbss_start = .;\n");
    fprintf(f, "        *(.bss .bss.* COMMON)\n        . = ALIGN(4);\n");
    /* After the zeroed part: the crash record outlives a reset (fault.c). */
    fprintf(f, "        __cmrx_kbss_end = .;\n        KEEP(*(.cmrx.noinit))\n    } > RAM\n");
    fprintf(f, "    .cmrx.msp (NOLOAD) : ALIGN(8)\n    {\n        __cmrx_msp_bottom = .;\n");
    fprintf(f, "        . = . + 0x%x;\n", fw->kernel_stack);
    fprintf(f, "        __cmrx_msp_top = .;\n    } > RAM\n");
    fprintf(f, "    __cmrx_user_flash_end = 0x%08x; /* the slots included */\n",
            fw->flash_base + fw->flash_size);
    /* A process that is not updatable needs no table of what it calls. */
    fprintf(f, "    /DISCARD/ : { *(.init_array* .fini_array* .preinit_array*) *(.cmrx.calls) }\n");
    fprintf(f, "}\n");
}

/* A process's autostart and RPC tables, with the symbols the kernel or
 * its image header finds them by. */
static void emit_tables(FILE *f, const char *n)
{
    fprintf(f, "        __cmrx_p_%s_autostart = .;\n", n);
    fprintf(f, "        KEEP(*/cmrxproc_%s.o(.cmrx.autostart))\n", n);
    fprintf(f, "        __cmrx_p_%s_autostart_end = .;\n", n);
    fprintf(f, "        __cmrx_p_%s_vtables = .;\n", n);
    fprintf(f, "        KEEP(*/cmrxproc_%s.o(.cmrx.vtables))\n", n);
    fprintf(f, "        __cmrx_p_%s_vtables_end = .;\n", n);
}

static void at_addr(char *at, size_t len, const uint32_t *base)
{
    at[0] = '\0';
    if (base) {
        snprintf(at, len, " 0x%08x", *base);
    }
}

/* The RAM sections of one layout item. With base == NULL they follow the
 * previous section (measuring link); otherwise they start at base. */
static void emit_item(FILE *f, const struct process_decl *p, const char *what, const uint32_t *base,
                      const uint32_t *bss_base)
{
    char at[32];
    const char *n = p->name;
    at_addr(at, sizeof(at), base);
    if (strcmp(what, "data") == 0) {
        char load[64];
        snprintf(load, sizeof(load), p->flash_reserve ? "SLOT_%s" : "FLASH", n);
        fprintf(f, "    .cmrx.p.%s.data%s : ALIGN(8)\n    {\n", n, at);
        fprintf(f, "        __cmrx_p_%s_data_start = .;\n", n);
        /* Service objects first: where every version keeps them. */
        fprintf(f, "        __cmrx_p_%s_exports = .;\n", n);
        fprintf(f, "        KEEP(*/cmrxproc_%s.o(.cmrx.export))\n", n);
        fprintf(f, "        __cmrx_p_%s_exports_end = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.data .data.*)\n        . = ALIGN(4);\n", n);
        fprintf(f, "        __cmrx_p_%s_data_end = .;\n    } > RAM AT> %s\n", n, load);
        fprintf(f, "    __cmrx_p_%s_data_load = LOADADDR(.cmrx.p.%s.data);\n", n, n);
        /* .bss gets its own address too: ld does not move on past an
         * empty .data placed at an explicit address. */
        at_addr(at, sizeof(at), bss_base);
        fprintf(f, "    .cmrx.p.%s.bss%s (NOLOAD) : ALIGN(4)\n    {\n", n, at);
        fprintf(f, "        __cmrx_p_%s_bss_start = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.bss .bss.* COMMON)\n        . = ALIGN(4);\n", n);
        fprintf(f, "        __cmrx_p_%s_bss_end = .;\n    } > RAM\n", n);
        if (p->flash_reserve != 0) {
            fprintf(f, "    __cmrx_p_%s_ram_end = __cmrx_p_%s_data_start + 0x%x;\n", n, n,
                    p->ram_reserve);
            fprintf(f,
                    "    __cmrx_p_%s_image_size = LOADADDR(.cmrx.p.%s.data) + "
                    "SIZEOF(.cmrx.p.%s.data) - __cmrx_p_%s_slot;\n",
                    n, n, n, n);
        }
    } else if (strcmp(what, "shared") == 0) {
        fprintf(f, "    .cmrx.p.%s.shared%s : ALIGN(8)\n    {\n", n, at);
        fprintf(f, "        __cmrx_p_%s_shared_start = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.shared .shared.*)\n        . = ALIGN(4);\n", n);
        fprintf(f, "        __cmrx_p_%s_shared_end = .;\n    } > RAM AT> FLASH\n", n);
        fprintf(f, "    __cmrx_p_%s_shared_load = LOADADDR(.cmrx.p.%s.shared);\n", n, n);
    } else {
        fprintf(f, "    .cmrx.p.%s.stack%s (NOLOAD) : ALIGN(8)\n    {\n", n, at);
        fprintf(f, "        KEEP(*(.cmrx.stack.%s))\n    } > RAM\n", n);
    }
}

/* The host simulation's linker script: added to the host linker's own
 * (INSERT), it gives the kernel's RAM and each piece of RAM a process may
 * use whole pages of their own, which the sim port opens and closes with
 * mprotect(), and each process its tables. */
static void emit_host_script(FILE *f, const struct firmware *fw)
{
    fprintf(f,
            "/* Host linker script of firmware '%s' (board %s), generated by cmrx-sdk.\n"
            " * Added to the linker's own script: each piece of RAM the sim port\n"
            " * protects is whole pages (kernel/arch/sim/port.c). */\n\n",
            fw->name, fw->board ? fw->board : "?");
    /* What threads may read and run: the program's code and constants. */
    fprintf(f, "SECTIONS\n{\n    .cmrx.user_flash_end :\n    {\n"
               "        __cmrx_user_flash_end = .;\n    }\n"
               "    __cmrx_user_flash_start = __executable_start;\n}\nINSERT AFTER .rodata;\n\n");
    fprintf(f, "SECTIONS\n{\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        const char *n = fw->procs[i].name;
        fprintf(f, "    .cmrx.p.%s.data ALIGN(4096) :\n    {\n", n);
        fprintf(f, "        __cmrx_p_%s_data_start = .;\n", n);
        fprintf(f, "        __cmrx_p_%s_exports = .;\n", n);
        fprintf(f, "        KEEP(*/cmrxproc_%s.o(.cmrx.export))\n", n);
        fprintf(f, "        __cmrx_p_%s_exports_end = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.data .data.*)\n", n);
        fprintf(f, "        __cmrx_p_%s_data_end = .;\n", n);
        fprintf(f, "        __cmrx_p_%s_bss_start = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.bss .bss.* COMMON)\n", n);
        fprintf(f, "        __cmrx_p_%s_bss_end = .;\n", n);
        fprintf(f, "        . = ALIGN(4096);\n    }\n");
        fprintf(f, "    .cmrx.p.%s.shared ALIGN(4096) :\n    {\n", n);
        fprintf(f, "        __cmrx_p_%s_shared_start = .;\n", n);
        fprintf(f, "        */cmrxproc_%s.o(.shared .shared.*)\n", n);
        fprintf(f, "        __cmrx_p_%s_shared_end = .;\n", n);
        fprintf(f, "        . = ALIGN(4096);\n    }\n");
        fprintf(f, "    .cmrx.p.%s.stack ALIGN(4096) :\n    {\n", n);
        fprintf(f, "        KEEP(*(.cmrx.stack.%s))\n        . = ALIGN(4096);\n    }\n", n);
        fprintf(f, "    .cmrx.p.%s.tables :\n    {\n", n);
        emit_tables(f, n);
        fprintf(f, "    }\n");
        for (int r = 0; r < 4; r++) {
            fprintf(f, "    __cmrx_p_%s_mpu%d = 0;\n", n, r);
        }
    }
    fprintf(f, "    .cmrx.stack.idle ALIGN(4096) :\n    {\n");
    fprintf(f, "        KEEP(*(.cmrx.stack.idle))\n        . = ALIGN(4096);\n    }\n");
    /* The kernel's RAM, closed while a thread runs, with the copies of the
     * processes' initial .data and .shared that restarts load. */
    fprintf(f, "    .cmrx.kernel.ram ALIGN(4096) :\n    {\n");
    fprintf(f, "        __cmrx_kdata_start = .;\n");
    fprintf(f, "        *libcmrx_kernel.a:*(.data .data.* .bss .bss.* COMMON .cmrx.noinit)\n");
    fprintf(f, "        *cmrx_config.c.o(.data .data.* .bss .bss.* COMMON)\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        const char *n = fw->procs[i].name;
        fprintf(f, "        . = ALIGN(16);\n        __cmrx_p_%s_data_load = .;\n", n);
        fprintf(f, "        . += __cmrx_p_%s_data_end - __cmrx_p_%s_data_start;\n", n, n);
        fprintf(f, "        . = ALIGN(16);\n        __cmrx_p_%s_shared_load = .;\n", n);
        fprintf(f, "        . += __cmrx_p_%s_shared_end - __cmrx_p_%s_shared_start;\n", n, n);
    }
    fprintf(f, "        . = ALIGN(4096);\n        __cmrx_kdata_end = .;\n    }\n");
    /* The name a Cortex-M firmware's script gives the kernel's zeroed RAM. */
    fprintf(f, "    __cmrx_kbss_start = __cmrx_kdata_start;\n");
    fprintf(f, "}\nINSERT AFTER .bss;\n");
}

/* What the host simulation cannot give a process: devices and slots. */
static int check_host(const struct firmware *fw, struct err *e)
{
    for (size_t i = 0; fw->arch == MPU_SIM && i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        const char *what = p->n_mmio > 0            ? "memory-mapped devices (mmio, peripherals)"
                           : p->n_irqs > 0          ? "interrupt lines (irqs, peripherals)"
                           : p->flash_reserve       ? "a flash slot (flash_reserve: live update)"
                           : p->flash || p->updater ? "flash to program (flash, updater)"
                                                    : NULL;
        if (what != NULL) {
            return err_set(e,
                           "process %s: board %s (the host simulation) has no %s; run it on "
                           "an emulated board instead",
                           p->name, fw->board ? fw->board : "host", what);
        }
    }
    return 0;
}

static int cmp_base(const void *a, const void *b)
{
    const struct layout_item *x = *(const struct layout_item *const *)a;
    const struct layout_item *y = *(const struct layout_item *const *)b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* Board host: the process table and the host linker script. */
static int gen_host(const struct firmware *fw, const char *dir, struct err *e)
{
    struct out o;
    if (check_host(fw, e) != 0 || make_dir(dir, e) != 0) {
        return -1;
    }
    out_open(&o, dir, "cmrx_config.c");
    emit_config(o.fp, fw, NULL);
    if (out_close(&o, e) != 0) {
        return -1;
    }
    out_open(&o, dir, "host.ld");
    emit_host_script(o.fp, fw);
    return out_close(&o, e);
}

int gen_firmware(const struct firmware *fw, const char *dir, struct err *e)
{
    if (fw->arch == MPU_SIM) {
        return gen_host(fw, dir, e);
    }
    uint32_t(*mmio)[4] = xcalloc(fw->n_procs + 1, sizeof(*mmio));
    struct out o;
    int rc = -1;
    char *sub = path_join(dir, "measure");
    for (size_t i = 0; i < fw->n_procs; i++) {
        if (plan_mmio_mpu(fw, &fw->procs[i], mmio[i], e) != 0) {
            goto done;
        }
    }
    if (make_dir(sub, e) != 0) {
        goto done;
    }
    out_open(&o, dir, "cmrx_config.c");
    emit_config(o.fp, fw, (const uint32_t(*)[4])mmio);
    if (out_close(&o, e) != 0) {
        goto done;
    }
    out_open(&o, dir, "firmware.ld");
    emit_script(o.fp, fw);
    if (out_close(&o, e) != 0) {
        goto done;
    }
    /* Where the updatable processes' slots and the commit log are, for
     * tools and tests that put an image or a log entry there. */
    out_open(&o, dir, "update.cmake");
    fprintf(o.fp, "# Slots and commit log of firmware '%s'. Generated by cmrx-sdk.\n", fw->name);
    if (fw_log_size(fw) != 0) {
        fprintf(o.fp, "set(COMMIT_LOG 0x%08x)\nset(COMMIT_LOG_UNIT %u)\n", fw_log_addr(fw),
                fw->flash_erase_size);
    }
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct process_decl *p = &fw->procs[i];
        if (p->flash_reserve != 0) {
            /* The first entry of an empty log naming slot A or B, as one
             * little-endian 64-bit value (sequence number, then tag). */
            fprintf(o.fp, "set(%s_SLOT_A 0x%08x)\nset(%s_SLOT_B 0x%08x)\n", p->name,
                    fw_slot_addr(fw, p, 0), p->name, fw_slot_addr(fw, p, 1));
            for (unsigned n = 0; n < 2u; n++) {
                fprintf(o.fp, "set(%s_LOG_%c 0x%08x00000001)\n", p->name, "AB"[n],
                        (unsigned)CMRX_LOG_TAG(i, n));
            }
        }
    }
    if (out_close(&o, e) != 0) {
        goto done;
    }
    out_open(&o, sub, "cmrx_symbols.ld");
    fprintf(o.fp, "/* Measuring link: MPU images are placeholders. */\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        for (int r = 0; r < 4; r++) {
            fprintf(o.fp, "__cmrx_p_%s_mpu%d = 0;\n", fw->procs[i].name, r);
        }
    }
    if (out_close(&o, e) != 0) {
        goto done;
    }
    out_open(&o, sub, "cmrx_ram.ld");
    fprintf(o.fp, "/* Measuring link: process RAM packed without MPU alignment. */\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        emit_item(o.fp, &fw->procs[i], "data", NULL, NULL);
        emit_item(o.fp, &fw->procs[i], "shared", NULL, NULL);
        if (fw->procs[i].threads > 0) {
            emit_item(o.fp, &fw->procs[i], "stacks", NULL, NULL);
        }
    }
    rc = out_close(&o, e);
done:
    free(sub);
    free(mmio);
    return rc;
}

int gen_check(const struct firmware *fw, struct err *e)
{
    if (fw->arch == MPU_SIM) {
        return check_host(fw, e);
    }
    uint32_t mmio[4];
    for (size_t i = 0; i < fw->n_procs; i++) {
        if (plan_mmio_mpu(fw, &fw->procs[i], mmio, e) != 0) {
            return -1;
        }
    }
    return 0;
}

int gen_final_layout(const struct firmware *fw, const struct plan *plan, const char *dir,
                     struct err *e)
{
    struct out o;
    if (make_dir(dir, e) != 0) {
        return -1;
    }
    out_open(&o, dir, "cmrx_symbols.ld");
    fprintf(o.fp, "/* MPU images of the process RAM regions (see cmrx_ram.ld). */\n");
    for (size_t i = 0; i < fw->n_procs; i++) {
        for (int r = 0; r < 4; r++) {
            fprintf(o.fp, "__cmrx_p_%s_mpu%d = 0x%08x;\n", fw->procs[i].name, r,
                    plan->procs[i].mpu_ram[r]);
        }
    }
    if (out_close(&o, e) != 0) {
        return -1;
    }
    out_open(&o, dir, "cmrx_ram.ld");
    fprintf(o.fp, "/* Process RAM placed on MPU boundaries by cmrx-sdk, by address. */\n");
    const struct layout_item **order = xcalloc(plan->n_items + 1, sizeof(*order));
    for (size_t i = 0; i < plan->n_items; i++) {
        order[i] = &plan->items[i];
    }
    qsort(order, plan->n_items, sizeof(*order), cmp_base);
    for (size_t i = 0; i < plan->n_items; i++) {
        const struct layout_item *it = order[i];
        uint32_t limit = it->base + layout_item_footprint(it);
        const struct plan_proc *pp = NULL;
        const struct process_decl *decl = NULL;
        for (size_t k = 0; k < fw->n_procs; k++) {
            if (strcmp(fw->procs[k].name, it->owner) == 0) {
                pp = &plan->procs[k];
                decl = &fw->procs[k];
            }
        }
        if (decl == NULL) {
            continue; /* every item has its process */
        }
        uint32_t bss_base = it->base + (pp != NULL ? pp->bss_offset : 0u);
        emit_item(o.fp, decl, it->what, &it->base, &bss_base);
        if (strcmp(it->what, "data") == 0) {
            fprintf(o.fp,
                    "    ASSERT(__cmrx_p_%s_bss_start == 0x%08x, \"cmrx: process %s .bss moved; "
                    "rebuild from clean\")\n",
                    it->owner, bss_base, it->owner);
            fprintf(o.fp,
                    "    ASSERT(__cmrx_p_%s_bss_end <= 0x%08x, \"cmrx: process %s .data/.bss "
                    "outgrew its MPU region\")\n",
                    it->owner, limit, it->owner);
        } else if (strcmp(it->what, "shared") == 0) {
            fprintf(o.fp,
                    "    ASSERT(__cmrx_p_%s_shared_end <= 0x%08x, \"cmrx: process %s .shared "
                    "outgrew its MPU region\")\n",
                    it->owner, limit, it->owner);
        }
    }
    free(order);
    fprintf(o.fp, "    . = 0x%08x;\n", plan->end);
    return out_close(&o, e);
}
