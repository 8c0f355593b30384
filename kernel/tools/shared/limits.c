#include "limits.h"

#include <stddef.h>
#include <stdlib.h>

#include "fsutil.h"
#include <string.h>

static const struct {
    const char *name, *kernel;
} policies[FAULT_POLICIES] = {
    [FAULT_KILL_THREAD] = {"kill-thread", "CMRX_POLICY_KILL_THREAD"},
    [FAULT_KILL_PROCESS] = {"kill-process", "CMRX_POLICY_KILL_PROCESS"},
    [FAULT_RESTART] = {"restart", "CMRX_POLICY_RESTART"},
};

const char *fault_policy_name(enum fault_policy p)
{
    return policies[p].name;
}

const char *fault_policy_kernel(enum fault_policy p)
{
    return policies[p].kernel;
}

int fault_policy_parse(const char *s, enum fault_policy *out)
{
    for (int i = 0; s != NULL && i < FAULT_POLICIES; i++) {
        if (strcmp(s, policies[i].name) == 0) {
            *out = (enum fault_policy)i;
            return 0;
        }
    }
    return -1;
}

/* "a, b or c" (or "a, b, c") of @p n names, one every @p stride bytes from
 * @p first; made once, kept for the program's life. */
static const char *names_of(char **out, const char *const *first, size_t stride, size_t n, bool or)
{
    for (size_t i = 0; *out == NULL || (i > 0 && i < n); i++) {
        const char *name = *(const char *const *)((const char *)first + i * stride);
        if (or &&i > 0 && i + 1 == n) {
            char *joined = xasprintf("%s or %s", *out, name);
            free(*out);
            *out = joined;
        } else {
            list_add(out, name);
        }
    }
    return *out;
}

const char *fault_policy_list(void)
{
    static char *list;
    return names_of(&list, &policies[0].name, sizeof(policies[0]), FAULT_POLICIES, true);
}

static const char *const arch_names[] = {"armv6m", "armv7m", "armv8m", "sim"};

const char *mpu_arch_name(enum mpu_arch arch)
{
    return arch_names[arch];
}

int mpu_arch_parse(const char *s, enum mpu_arch *out)
{
    for (unsigned i = 0; s != NULL && i < sizeof(arch_names) / sizeof(arch_names[0]); i++) {
        if (strcmp(s, arch_names[i]) == 0) {
            *out = (enum mpu_arch)i;
            return 0;
        }
    }
    return -1;
}

static const struct cpu_info cpus[] = {
    {"cortex-m0plus", MPU_ARMV6M, {"none"}},
    {"cortex-m3", MPU_ARMV7M, {"none"}},
    {"cortex-m4", MPU_ARMV7M, {"none", "fpv4-sp"}},
    {"cortex-m7", MPU_ARMV7M, {"none", "fpv5-sp", "fpv5-dp"}},
    {"cortex-m33", MPU_ARMV8M, {"none", "fpv5-sp"}},
    {"host", MPU_SIM, {"none"}}, /* this Linux machine: the host simulation */
};

const struct cpu_info *cpu_find(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(cpus) / sizeof(cpus[0]); i++) {
        if (strcmp(cpus[i].name, name) == 0) {
            return &cpus[i];
        }
    }
    return NULL;
}

const char *cpu_list(void)
{
    static char *list;
    return names_of(&list, &cpus[0].name, sizeof(cpus[0]), sizeof(cpus) / sizeof(cpus[0]), false);
}

bool cpu_has_fpu(const struct cpu_info *cpu, const char *fpu)
{
    for (size_t i = 0; cpu->fpus[i] != NULL; i++) {
        if (strcmp(cpu->fpus[i], fpu) == 0) {
            return true;
        }
    }
    return false;
}

static const struct {
    const char *fpu, *flags;
} fpus[] = {
    {"none", "-mfloat-abi=soft"},
    {"fpv4-sp", "-mfloat-abi=hard -mfpu=fpv4-sp-d16"},
    {"fpv5-sp", "-mfloat-abi=hard -mfpu=fpv5-sp-d16"},
    {"fpv5-dp", "-mfloat-abi=hard -mfpu=fpv5-d16"},
};

const char *fpu_flags(const char *fpu)
{
    for (size_t i = 0; i < sizeof(fpus) / sizeof(fpus[0]); i++) {
        if (strcmp(fpus[i].fpu, fpu) == 0) {
            return fpus[i].flags;
        }
    }
    return NULL;
}
