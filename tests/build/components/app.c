/* Uses every component the board has, so that their client libraries and
 * services are linked into the firmware. */
#include <cmrx/cmrx.h>

#include "queue_server.h"
#include "supervisor.h"
#ifdef HAVE_GPIO
#include "gpio.h"
#endif
#ifdef HAVE_UART_CONSOLE
#include "uart_console.h"
#endif
#ifdef HAVE_FS
#include "fs.h"
#endif

static CMRX_SHARED uint32_t word;

static int app_main(void *arg)
{
    (void)arg;
    supervisor_watch(1000000, 3, 10000);
    queue_create(0, 4, sizeof(word));
#ifdef HAVE_FS
    /* The board's flash (flashdev), formatted when blank: a boot counter. */
    if (fs_mount() == FS_ENOFS) {
        fs_format(FS_FORMAT_CONFIRM);
    }
    int h = fs_open("boots", FS_O_RDWR | FS_O_CREAT);
    if (h > 0 && fs_read(h, &word, sizeof(word)) == (int)sizeof(word)) {
        word++;
        fs_seek(h, 0, FS_SEEK_SET);
        fs_write(h, &word, sizeof(word));
    }
    fs_close(h);
#endif
#ifdef HAVE_GPIO
    gpio_output(13, 1); /* nRF52840 DK: LED1 */
#endif
    for (unsigned n = 0;; n++) {
        word = n;
        queue_send(0, &word, sizeof(word), 0);
        queue_receive(0, &word, sizeof(word), CMRX_FOREVER);
#ifdef HAVE_GPIO
        gpio_toggle(13);
#endif
#ifdef HAVE_UART_CONSOLE
        console_printf("app: round %u\n", (unsigned)word);
#else
        cmrx_printf("app: round %u\n", (unsigned)word);
#endif
        supervisor_beat();
        cmrx_usleep(500000);
    }
    return 0;
}

CMRX_THREAD(app_main, NULL);
