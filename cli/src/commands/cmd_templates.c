/* cmrx templates: the project templates for cmrx new. */
#include "cli.h"
#include "listing.h"

static int run_templates(const struct cli *c, struct err *e)
{
    return listing_print(c, KIND_TEMPLATE, e);
}

const struct command cmd_templates = {
    .name = "templates",
    .args = "",
    .summary = "list the project templates for cmrx new",
    .help = "Lists every template package (for `cmrx new NAME --template T`) and the boards\n"
            "`cmrx new` accepts for it: those its template.yaml lists (all without one)\n"
            "whose bsp.yaml has the peripherals it requires; 'any' for every board; '?'\n"
            "while a repository to read that from is not on this machine (nothing is\n"
            "fetched to list them).\n",
    .opts = OPT_JSON | OPT_OFFLINE | OPT_REGISTRY,
    .run = run_templates,
};
