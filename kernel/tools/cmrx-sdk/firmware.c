#include "firmware.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_') {
        return false;
    }
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || v > 0xFFFFFFFFull) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* Value of key=... among the tokens, or NULL. */
static const char *kv(char **tok, int n, const char *key)
{
    size_t kl = strlen(key);
    for (int i = 1; i < n; i++) {
        if (strncmp(tok[i], key, kl) == 0 && tok[i][kl] == '=') {
            return tok[i] + kl + 1;
        }
    }
    return NULL;
}

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        int o_ = snprintf(err, errlen, "%s:%u: ", path, line);                                     \
        snprintf(err + o_, errlen - (size_t)o_, __VA_ARGS__);                                      \
        goto fail;                                                                                 \
    } while (0)

int fw_parse(const char *path, struct firmware *fw, char *err, size_t errlen)
{
    memset(fw, 0, sizeof(*fw));
    fw->arch = MPU_ARMV7M;
    fw->msp_size = 1024;
    FILE *fp = fopen(path, "r");
    unsigned line = 0;
    if (fp == NULL) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    char buf[1024];
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        line++;
        char *hash = strchr(buf, '#');
        if (hash) {
            *hash = '\0';
        }
        char *tok[32];
        int n = 0;
        for (char *t = strtok(buf, " \t\r\n"); t && n < 32; t = strtok(NULL, " \t\r\n")) {
            tok[n++] = t;
        }
        if (n == 0) {
            continue;
        }
        if (strcmp(tok[0], "firmware") == 0 && n == 2) {
            free(fw->name);
            fw->name = strdup(tok[1]);
        } else if (strcmp(tok[0], "board") == 0 && n == 2) {
            free(fw->board);
            fw->board = strdup(tok[1]);
        } else if (strcmp(tok[0], "mpu") == 0 && n == 3) {
            uint32_t r;
            if (mpu_arch_parse(tok[1], &fw->arch) != 0) {
                FAIL("unknown MPU kind '%s' (armv6m, armv7m, armv8m)", tok[1]);
            }
            if (parse_u32(tok[2], &r) != 0 || r < 8 || r > 16) {
                FAIL("MPU region count '%s' must be 8..16", tok[2]);
            }
            fw->mpu_regions = r;
        } else if ((strcmp(tok[0], "flash") == 0 || strcmp(tok[0], "ram") == 0) && n == 3) {
            uint32_t b, s;
            if (parse_u32(tok[1], &b) != 0 || parse_u32(tok[2], &s) != 0 || s == 0) {
                FAIL("%s needs a base and a non-zero size", tok[0]);
            }
            if (tok[0][0] == 'f') {
                fw->flash_base = b;
                fw->flash_size = s;
            } else {
                fw->ram_base = b;
                fw->ram_size = s;
            }
        } else if (strcmp(tok[0], "vectors") == 0 && n == 2) {
            if (parse_u32(tok[1], &fw->vectors) != 0 || fw->vectors < 16 || fw->vectors > 512) {
                FAIL("vectors must be 16..512");
            }
        } else if (strcmp(tok[0], "boot") == 0 && n == 2) {
            if (parse_u32(tok[1], &fw->boot_size) != 0 || fw->boot_size % 4 != 0) {
                FAIL("boot (the boot header's size) must be a multiple of 4");
            }
        } else if (strcmp(tok[0], "msp") == 0 && n == 2) {
            if (parse_u32(tok[1], &fw->msp_size) != 0 || fw->msp_size < 256 ||
                fw->msp_size % 8 != 0) {
                FAIL("msp (kernel stack) must be a multiple of 8, at least 256");
            }
        } else if (strcmp(tok[0], "process") == 0) {
            struct fw_process p;
            memset(&p, 0, sizeof(p));
            const char *name = kv(tok, n, "name");
            const char *v;
            if (name == NULL || !is_ident(name)) {
                FAIL("process name '%s' must be a C identifier (letters, digits, '_')",
                     name ? name : "");
            }
            for (size_t i = 0; i < fw->n_procs; i++) {
                if (strcmp(fw->procs[i].name, name) == 0) {
                    FAIL("process '%s' declared twice", name);
                }
            }
            p.priority = 16;
            p.stack_size = 1024;
            p.threads = 1;
            if ((v = kv(tok, n, "stack")) && parse_u32(v, &p.stack_size) != 0) {
                FAIL("process %s: stack '%s' is not a number", name, v);
            }
            if ((v = kv(tok, n, "threads")) && parse_u32(v, &p.threads) != 0) {
                FAIL("process %s: threads '%s' is not a number", name, v);
            }
            if ((v = kv(tok, n, "timers")) && (parse_u32(v, &p.timers) != 0 || p.timers > 64)) {
                FAIL("process %s: timers '%s' must be a number 0..64", name, v);
            }
            if ((v = kv(tok, n, "priority")) &&
                (parse_u32(v, &p.priority) != 0 || p.priority > 30)) {
                FAIL("process %s: priority '%s' must be 0 (highest) .. 30 (lowest)", name, v);
            }
            p.max_priority = p.priority;
            if ((v = kv(tok, n, "max_priority")) &&
                (parse_u32(v, &p.max_priority) != 0 || p.max_priority > p.priority)) {
                FAIL("process %s: max_priority '%s' must be 0 (highest) .. %u (its priority)",
                     name, v, p.priority);
            }
            if ((v = kv(tok, n, "rpc_stack")) &&
                (parse_u32(v, &p.rpc_stack) != 0 ||
                 (p.rpc_stack != 0 && (p.rpc_stack < 128 || p.rpc_stack > 0xFFFF)))) {
                FAIL("process %s: rpc_stack '%s' must be 128 .. 65535 bytes (or 0: all the "
                     "caller has left)",
                     name, v);
            }
            if (p.threads > 0 && (p.stack_size < 256 || p.stack_size > 0x100000)) {
                FAIL("process %s: stack %u must be 256 bytes .. 1 MiB", name, p.stack_size);
            }
            v = kv(tok, n, "policy");
            if (v == NULL) {
                v = "kill-thread";
            }
            if (strcmp(v, "kill-thread") != 0 && strcmp(v, "kill-process") != 0 &&
                strcmp(v, "restart") != 0) {
                FAIL("process %s: fault policy '%s' is unknown (kill-thread, kill-process, "
                     "restart)",
                     name, v);
            }
            p.policy = strdup(v);
            v = kv(tok, n, "system");
            p.system = v != NULL && strcmp(v, "1") == 0;
            if ((v = kv(tok, n, "irqs")) != NULL && *v != '\0') {
                char list[256];
                snprintf(list, sizeof(list), "%s", v);
                for (char *save = NULL, *i = strtok_r(list, ",", &save); i != NULL;
                     i = strtok_r(NULL, ",", &save)) {
                    uint32_t irq;
                    if (p.n_irqs == FW_MAX_IRQS) {
                        free(p.policy);
                        FAIL("process %s: more than %d IRQs", name, FW_MAX_IRQS);
                    }
                    if (parse_u32(i, &irq) != 0 || irq >= 496) {
                        free(p.policy);
                        FAIL("process %s: IRQ '%s' is not a number 0..495", name, i);
                    }
                    p.irqs[p.n_irqs++] = (uint16_t)irq;
                }
            }
            p.name = strdup(name);
            struct fw_process *np = realloc(fw->procs, (fw->n_procs + 1) * sizeof(*np));
            if (np == NULL) {
                free(p.name);
                free(p.policy);
                FAIL("out of memory");
            }
            fw->procs = np;
            fw->procs[fw->n_procs++] = p;
        } else if (strcmp(tok[0], "mmio") == 0) {
            const char *pn = kv(tok, n, "process");
            const char *b = kv(tok, n, "base");
            const char *s = kv(tok, n, "size");
            struct fw_process *p = NULL;
            for (size_t i = 0; pn && i < fw->n_procs; i++) {
                if (strcmp(fw->procs[i].name, pn) == 0) {
                    p = &fw->procs[i];
                }
            }
            if (p == NULL) {
                FAIL("mmio for unknown process '%s'", pn ? pn : "");
            }
            if (p->n_mmio == FW_MAX_MMIO) {
                FAIL("process %s: at most %d MMIO ranges (MPU regions are scarce); merge "
                     "adjacent ranges",
                     p->name, FW_MAX_MMIO);
            }
            struct fw_mmio *m = &p->mmio[p->n_mmio];
            if (b == NULL || s == NULL || parse_u32(b, &m->base) != 0 ||
                parse_u32(s, &m->size) != 0) {
                FAIL("process %s: mmio needs base=ADDR size=BYTES", p->name);
            }
            p->n_mmio++;
        } else {
            FAIL("unrecognised line '%s'", tok[0]);
        }
    }
    fclose(fp);
    fp = NULL;
    line = 0;
    if (fw->name == NULL || fw->mpu_regions == 0 || fw->flash_size == 0 || fw->ram_size == 0 ||
        fw->vectors == 0) {
        FAIL("incomplete: needs firmware, mpu, flash, ram and vectors");
    }
    if (fw->boot_size >= fw->flash_size) {
        FAIL("the boot header (%u bytes) does not leave any flash", fw->boot_size);
    }
    uint32_t total = 0, timers = 0;
    for (size_t i = 0; i < fw->n_procs; i++) {
        const struct fw_process *p = &fw->procs[i];
        total += p->threads;
        timers += p->timers;
        for (unsigned k = 0; k < p->n_irqs; k++) {
            if (p->irqs[k] + 16u >= fw->vectors) {
                FAIL("process %s: IRQ %u does not exist on this board (it has %u)", p->name,
                     p->irqs[k], fw->vectors - 16u);
            }
            for (size_t j = 0; j <= i; j++) {
                const struct fw_process *q = &fw->procs[j];
                for (unsigned l = 0; l < q->n_irqs; l++) {
                    if ((j < i || l < k) && q->irqs[l] == p->irqs[k]) {
                        FAIL("IRQ %u is claimed by both %s and %s; one process owns a line",
                             p->irqs[k], q->name, p->name);
                    }
                }
            }
        }
    }
    if (timers > 254) {
        FAIL("%u timers in total; at most 254", timers);
    }
    if (total > FW_MAX_THREADS) {
        FAIL("%u thread slots in total; at most %u", total, FW_MAX_THREADS);
    }
    return 0;
fail:
    if (fp) {
        fclose(fp);
    }
    fw_free(fw);
    return -1;
}

void fw_free(struct firmware *fw)
{
    for (size_t i = 0; i < fw->n_procs; i++) {
        free(fw->procs[i].name);
        free(fw->procs[i].policy);
    }
    free(fw->procs);
    free(fw->name);
    free(fw->board);
    memset(fw, 0, sizeof(*fw));
}

uint32_t fw_stack_slot(const struct firmware *fw, const struct fw_process *p)
{
    return p->threads ? layout_stack_slot(fw->arch, p->stack_size) : 0;
}

uint32_t fw_guard_size(const struct firmware *fw)
{
    if (fw->flash_base != 0) {
        return 0;
    }
    /* Cover the boot header, the vector table and at least 1 KiB, so that
     * NULL plus a small offset faults in unprivileged code. */
    uint32_t g = 1024;
    while (g < fw->boot_size + fw->vectors * 4u) {
        g <<= 1;
    }
    return g;
}
