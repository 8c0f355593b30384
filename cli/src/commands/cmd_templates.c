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
            "each is made for: those its template.yaml lists, 'any' without one, '?' while\n"
            "its repository is not on this machine (nothing is fetched to list them).\n",
    .opts = OPT_JSON | OPT_OFFLINE | OPT_REGISTRY,
    .run = run_templates,
};
