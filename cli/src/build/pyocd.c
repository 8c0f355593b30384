#include "pyocd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

int pyocd_find(const struct build *b, const char *purpose, struct pyocd *p, struct err *e)
{
    if (b->bsp.pyocd_target == NULL) {
        err_set(e,
                "board %s has no pyOCD target: its bsp.yaml (%s) has no 'pyocd' section, so "
                "%s cannot program it",
                b->board, build_shown(b, b->bsp_path), purpose);
        if (build_is_host(b)) {
            return err_hint(e, "board host is the host simulation, a program of this machine: "
                               "`cmrx run --board host` runs the firmware, `cmrx debug --board "
                               "host` debugs it; `--board BOARD` builds for a real board");
        }
        if (b->bsp.qemu_machine != NULL) {
            return err_hint(e,
                            "%s is emulated: `cmrx run` boots the firmware in QEMU, `cmrx "
                            "debug` debugs it there",
                            b->board);
        }
        return err_hint(e, "add 'pyocd: { target: NAME }' to the board's bsp.yaml "
                           "(`pyocd list --targets` names the targets)");
    }
    char *found = spawn_find("pyocd");
    p->modern = found != NULL;
    if (found == NULL) {
        found = spawn_find("pyocd-flashtool");
    }
    if (found == NULL) {
        err_set(e,
                "%s needs pyOCD, which is not installed (neither pyocd nor pyocd-flashtool "
                "is on PATH)",
                purpose);
        err_hint(e, "install Debian's python3-pyocd (sudo apt-get install python3-pyocd) or a "
                    "current pyOCD (pip install pyocd)");
    }
    free(found);
    return found == NULL ? -1 : 0;
}

/* The probe option: a current pyOCD's -u UID; Debian's 0.13 takes -b ID (its -u is unlock). */
static void add_probe(const struct pyocd *p, const char *probe, struct argv *a)
{
    if (probe != NULL) {
        argv_add(a, p->modern ? "-u" : "-b", probe, NULL);
    }
}

/* `pyocd SUB -t TARGET [probe]` or, with Debian's 0.13, `LEGACY -t TARGET [probe]`. */
static void start(const struct pyocd *p, const char *sub, const char *legacy, const struct build *b,
                  const char *probe, struct argv *a)
{
    if (p->modern) {
        argv_add(a, "pyocd", sub, NULL);
    } else {
        argv_add(a, legacy, NULL);
    }
    argv_add(a, "-t", b->bsp.pyocd_target, NULL);
    add_probe(p, probe, a);
}

void pyocd_flash_command(const struct pyocd *p, const struct build *b, const char *probe,
                         const char *hex, struct argv *a)
{
    start(p, "flash", "pyocd-flashtool", b, probe, a);
    argv_add(a, hex != NULL ? hex : b->hex, NULL);
}

void pyocd_gdbserver_command(const struct pyocd *p, const struct build *b, const char *probe,
                             unsigned port, struct argv *a)
{
    start(p, "gdbserver", "pyocd-gdbserver", b, probe, a);
    argv_add(a, "-p", NULL);
    argv_take(a, xasprintf("%u", port));
}

/* Case-insensitive strstr. */
static bool says(const char *text, const char *what)
{
    size_t n = strlen(what);
    for (; *text; text++) {
        size_t i = 0;
        while (i < n && tolower((unsigned char)text[i]) == tolower((unsigned char)what[i])) {
            i++;
        }
        if (i == n) {
            return true;
        }
    }
    return false;
}

bool pyocd_no_probe(const char *output)
{
    return says(output, "no connected debug probe") || says(output, "no available debug probe") ||
           says(output, "no debug probe") || says(output, "no matching debug probe") ||
           says(output, "unable to open probe") || says(output, "waiting for a debug probe");
}

int pyocd_failed(const struct build *b, const char *output, int code, struct err *e)
{
    if (pyocd_no_probe(output)) {
        err_set(e, "no debug probe is connected, so board %s cannot be reached", b->board);
        return err_hint(e, "connect the board's debug USB port (or an SWD probe), check that "
                           "`pyocd list` (Debian: pyocd-flashtool -l) shows it, and pick one of "
                           "several with --probe UID");
    }
    if (says(output, "invalid choice") || says(output, "not recognized") ||
        says(output, "unknown target")) {
        err_set(e, "this pyOCD does not know target '%s' of board %s", b->bsp.pyocd_target,
                b->board);
        return err_hint(e,
                        "install the target's support: `pyocd pack install %s` with a current "
                        "pyOCD (pip install pyocd); Debian's 0.13 knows only its built-in "
                        "targets",
                        b->bsp.pyocd_target);
    }
    return err_set(e, "pyOCD failed (exit status %d); its messages are above", code);
}
