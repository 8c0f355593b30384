/* Telling a process by its name: the library side of cmrx_process_name(),
 * for services that keep a number (a queue, a port) for one process. */
#include <cmrx/cmrx.h>

#include <string.h>

int cmrx_process_is(unsigned pid, const char *name)
{
    char got[CMRX_PROCESS_NAME_MAX + 1u];
    int n = cmrx_process_name(pid, got, sizeof(got));
    return n >= 0 && (size_t)n < sizeof(got) && strcmp(got, name) == 0;
}

int cmrx_owner_check(const char *owners, uint32_t id, unsigned pid)
{
    /* The list comes from the build, which checked its form (cmrx.cmake,
     * type `owners`); were it malformed, every id would be refused rather
     * than a kept one given away. */
    for (const char *s = owners; s != NULL && *s != '\0';) {
        uint32_t n = 0;
        while (*s >= '0' && *s <= '9') {
            n = n * 10u + (uint32_t)(*s++ - '0');
        }
        if (*s++ != ':') {
            return CMRX_EPERM; /* not the build's form: keep everything */
        }
        size_t len = strcspn(s, ",");
        if (n == id) {
            char name[CMRX_PROCESS_NAME_MAX + 1u];
            if (len >= sizeof(name)) {
                return CMRX_EPERM;
            }
            memcpy(name, s, len);
            name[len] = '\0';
            return cmrx_process_is(pid, name) ? CMRX_OK : CMRX_EPERM;
        }
        s += len;
        if (*s == ',') {
            s++;
        }
    }
    return CMRX_OK;
}
