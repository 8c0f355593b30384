/* cmrx boards: the boards (BSP packages) in the registry. */
#include "cli.h"
#include "listing.h"

static int run_boards(const struct cli *c, struct err *e)
{
    return listing_print(c, KIND_BSP, e);
}

const struct command cmd_boards = {
    .name = "boards",
    .args = "",
    .summary = "list the boards (BSP packages) in the registry",
    .help = "Lists every board package: its name (for `cmrx new --board` and 'board:' in\n"
            "cmrx.yaml), CPU, QEMU machine if it is emulated, pyOCD target if `cmrx flash`\n"
            "can program it, newest version and description.\n",
    .opts = OPT_JSON | OPT_OFFLINE | OPT_REGISTRY,
    .run = run_boards,
};
