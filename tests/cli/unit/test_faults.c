/* Fault reports decoded (cli/src/build/faults.c), with a stand-in for
 * arm-none-eabi-addr2line that knows three addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faults.h"
#include "fsutil.h"

static char dir[] = "/tmp/cmrx-faults-XXXXXX";

/* addr2line -f -e ELF ADDR: two lines per address, as binutils prints them. */
static const char stub[] = "#!/bin/sh\n"
                           "case \"$4\" in\n"
                           "0x00002000) printf 'poke\\n/proj/src/c.c:8 (discriminator 1)\\n' ;;\n"
                           "0x00002010|0x0000200f) printf 'store\\n/proj/src/c.c:14\\n' ;;\n"
                           "0x00002020) printf 'relay\\n/elsewhere/b.c:6\\n' ;;\n"
                           "0x00002030) printf 'nameless\\n??:?\\n' ;;\n"
                           "*) printf '??\\n??:0\\n' ;;\n"
                           "esac\n";

static int setup(void **state)
{
    struct fault_decoder *d = calloc(1, sizeof(*d));
    assert_non_null(mkdtemp(dir));
    char *path = path_join(dir, "addr2line");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(stub, f);
    fclose(f);
    chmod(path, 0755);
    fault_decoder_init(d, "/proj/fw.elf", "/proj");
    free(d->addr2line);
    d->addr2line = path;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct fault_decoder *d = *state;
    unlink(d->addr2line);
    rmdir(dir);
    fault_decoder_free(d);
    free(d);
    return 0;
}

static char *decode(struct fault_decoder *d, const char *text)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = xmemstream(&out, &n);
    fault_decode_text(d, text, f);
    fclose(f);
    return out;
}

static void a_report_becomes_source_lines(void **state)
{
    char *out = decode(*state, "boot\n"
                               "[cmrx] FAULT process=c thread=256 pc=0x00002000 addr=0x20000800 "
                               "cause=\"x\" action=kill-thread\n"
                               "[cmrx]   lr=0x00002011\n"
                               "[cmrx]   rpc 2: b -> c method=0x00002011\n"
                               "[cmrx]   rpc 1: a -> b method=0x00002021\n"
                               "after\n");
    assert_string_equal(out, "boot\n"
                             "[cmrx] FAULT process=c thread=256 pc=0x00002000 addr=0x20000800 "
                             "cause=\"x\" action=kill-thread\n"
                             "[cmrx]   pc 0x00002000 in poke (src/c.c:8)\n"
                             "[cmrx]   lr 0x00002011 in store (src/c.c:14)\n"
                             "[cmrx]   rpc 2: b -> c.store (src/c.c:14)\n"
                             "[cmrx]   rpc 1: a -> b.relay (/elsewhere/b.c:6)\n"
                             "after\n");
    free(out);
}

static void what_the_elf_does_not_place_stays_as_printed(void **state)
{
    const char *in = "[cmrx] FAULT process=c thread=1 pc=0x00009000 addr=? cause=\"x\" "
                     "action=kill-thread\n"
                     "[cmrx]   lr=0x00009001\n"
                     "[cmrx]   rpc 1: a -> b method=0x00009001\n";
    char *out = decode(*state, in);
    assert_string_equal(out, in);
    free(out);
    /* A function without a line: its name alone. */
    out = decode(*state, "[cmrx]   rpc 1: a -> b method=0x00002031\n");
    assert_string_equal(out, "[cmrx]   rpc 1: a -> b.nameless\n");
    free(out);
}

static void a_pc_the_kernel_could_not_read_is_not_invented(void **state)
{
    /* pc=? (a stacking error): the kernel prints no lr line then; one
     * after it all the same is decoded without a pc line. */
    char *out = decode(*state, "[cmrx] FAULT process=c thread=1 pc=? addr=0x20000000 cause=\"x\" "
                               "action=kill-thread\n"
                               "[cmrx]   lr=0x00002011\n");
    assert_null(strstr(out, "pc 0x"));
    assert_non_null(strstr(out, "[cmrx]   lr 0x00002011 in store (src/c.c:14)\n"));
    free(out);
}

static void without_addr2line_nothing_changes(void **state)
{
    (void)state;
    struct fault_decoder d;
    fault_decoder_init(&d, "/proj/fw.elf", "/proj");
    free(d.addr2line);
    d.addr2line = NULL;
    const char *in = "[cmrx] FAULT process=c thread=1 pc=0x00002000 addr=? cause=\"x\" "
                     "action=kill-thread\n[cmrx]   lr=0x00002011\npartial";
    char *out = decode(&d, in);
    assert_string_equal(out, in);
    free(out);
    fault_decoder_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_report_becomes_source_lines),
        cmocka_unit_test(what_the_elf_does_not_place_stays_as_printed),
        cmocka_unit_test(a_pc_the_kernel_could_not_read_is_not_invented),
        cmocka_unit_test(without_addr2line_nothing_changes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
