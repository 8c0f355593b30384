/* Lines of different threads do not mix on the console, though each goes
 * out in pieces: two equal-priority writers build their lines slowly, so
 * that the time slice switches between them mid-line, and a higher-priority
 * one wakes every tick and writes into whatever is under way. The runner
 * rejects any line holding two writers' characters. */
#include "check.h"

#define LINES  20
#define PIECES 20

static void spin(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++) {
    }
}

static int writer(void *arg)
{
    const char *piece = arg; /* 5 characters */
    for (int i = 0; i < LINES; i++) {
        for (int k = 0; k < PIECES; k++) {
            CHECK_EQ(cmrx_console_write(piece, 5), 5);
            spin(2000); /* a slow formatter */
        }
        CHECK_EQ(cmrx_console_write("\n", 1), 1);
    }
    cmrx_printf("writer %c done\n", piece[0]);
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    static const char eq[] = "============================================================";
    cmrx_tid_t a = cmrx_thread_create(writer, (void *)"<<<<<", 12);
    cmrx_tid_t b = cmrx_thread_create(writer, (void *)">>>>>", 12);
    CHECK(a >= 0 && b >= 0);
    for (int i = 0; i < 40; i++) {
        cmrx_usleep(1000);
        CHECK_EQ(cmrx_printf("%s\n", eq), 61);
    }
    CHECK_EQ(cmrx_thread_join(a, NULL), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(b, NULL), CMRX_OK);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
