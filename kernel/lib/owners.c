/* Telling a process by its name: the library side of cmrx_process_name(),
 * for services that keep a number (a queue, a port), a count (sockets) or
 * a directory (fs) for named processes, and for logs that say who ended a
 * process. */
#include <cmrx/cmrx.h>

#include <string.h>

int cmrx_process_is(unsigned pid, const char *name)
{
    char got[CMRX_PROCESS_NAME_MAX + 1u];
    int n = cmrx_process_name(pid, got, sizeof(got));
    return n >= 0 && (size_t)n < sizeof(got) && strcmp(got, name) == 0;
}

int cmrx_process_find(const char *name)
{
    char got[CMRX_PROCESS_NAME_MAX + 1u];
    int n;
    /* Pids are 0, 1, ...: the first without a name is past the last. */
    for (unsigned pid = 0; (n = cmrx_process_name(pid, got, sizeof(got))) >= 0; pid++) {
        if ((size_t)n < sizeof(got) && strcmp(got, name) == 0) {
            return (int)pid;
        }
    }
    return CMRX_ESRCH;
}

int cmrx_process_cause_text(int cause, char *buf, size_t size)
{
    if (cause >= CMRX_CAUSE_ASKED) {
        return cmrx_process_name((unsigned)(cause - CMRX_CAUSE_ASKED), buf, size);
    }
    const char *text = cause == CMRX_CAUSE_FAULT    ? "a fault"
                       : cause == CMRX_CAUSE_UPDATE ? "an update"
                                                    : NULL;
    if (text == NULL || size == 0) {
        return cause == CMRX_CAUSE_NONE && size != 0 ? CMRX_ESRCH : CMRX_EINVAL;
    }
    size_t n = strlen(text);
    size_t k = n < size - 1u ? n : size - 1u;
    memcpy(buf, text, k);
    buf[k] = '\0';
    return (int)n;
}

int cmrx_names_allow(const char *const *names, unsigned pid)
{
    int anyone = names[0] == NULL;
    for (; *names != NULL; names++) {
        if (cmrx_process_is(pid, *names)) {
            return 1;
        }
    }
    return anyone;
}

const char *cmrx_entry_next(const char *s, const char **key, size_t *key_len,
                            char name[CMRX_PROCESS_NAME_MAX + 1u])
{
    /* The list comes from the build, which checked its form (cmrx.cmake,
     * types `owners`, `counts` and `dirs`); a malformed entry ends it
     * here, and its readers then refuse rather than give a kept one away. */
    if (s == NULL || *s == '\0') {
        return NULL;
    }
    size_t k = strcspn(s, ":,");
    if (s[k] != ':') {
        return NULL;
    }
    const char *n = s + k + 1;
    size_t len = strcspn(n, ",");
    if (len == 0 || len > CMRX_PROCESS_NAME_MAX) {
        return NULL;
    }
    memcpy(name, n, len);
    name[len] = '\0';
    *key = s;
    *key_len = k;
    n += len;
    return *n == ',' ? n + 1 : n;
}

const char *cmrx_owners_next(const char *s, uint32_t *n, char name[CMRX_PROCESS_NAME_MAX + 1u])
{
    const char *key;
    size_t len;
    const char *next = cmrx_entry_next(s, &key, &len, name);
    uint32_t v = 0;
    for (size_t i = 0; next != NULL && i < len; i++) {
        if (key[i] < '0' || key[i] > '9') {
            return NULL;
        }
        v = v * 10u + (uint32_t)(key[i] - '0');
    }
    if (next != NULL) {
        *n = v;
    }
    return next;
}

const char *cmrx_counts_next(const char *s, uint32_t *n, int *pid)
{
    char name[CMRX_PROCESS_NAME_MAX + 1u];
    const char *next = cmrx_owners_next(s, n, name);
    if (next != NULL) {
        int found = cmrx_process_find(name);
        *pid = found >= 0 ? found : -1;
    }
    return next;
}

int cmrx_owner_check(const char *owners, uint32_t id, unsigned pid)
{
    char name[CMRX_PROCESS_NAME_MAX + 1u];
    uint32_t n;
    const char *s = owners;
    for (const char *next; (next = cmrx_owners_next(s, &n, name)) != NULL; s = next) {
        if (n == id) {
            return cmrx_process_is(pid, name) ? CMRX_OK : CMRX_EPERM;
        }
    }
    /* Not listed, unless the walk stopped at an entry it could not read. */
    return s == NULL || *s == '\0' ? CMRX_OK : CMRX_EPERM;
}

int cmrx_kept_may_take(struct cmrx_kept *k, int pid, unsigned free, unsigned (*held_by)(int pid))
{
    if (!k->known) {
        uint32_t n;
        int p;
        const char *e = k->setting;
        while (k->n < CMRX_KEPT_MAX && (e = cmrx_counts_next(e, &n, &p)) != NULL) {
            k->e[k->n].pid = (int8_t)p;
            k->e[k->n++].count = (uint8_t)n;
        }
        k->known = 1;
    }
    unsigned owed = 0;
    for (unsigned i = 0; i < k->n; i++) {
        if (k->e[i].pid < 0) {
            continue;
        }
        unsigned held = held_by(k->e[i].pid);
        if (held >= k->e[i].count) {
            continue;
        }
        if (k->e[i].pid == pid) {
            return free > 0; /* within what is kept for it */
        }
        owed += k->e[i].count - held;
    }
    return free > owed;
}
