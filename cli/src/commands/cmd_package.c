/* cmrx package TAG --registry R: publish the package in this folder (or
 * -C DIR) as version TAG in registry R. */
#include <stdio.h>

#include "cli.h"
#include "fetch.h"
#include "publish.h"
#include "ui.h"

static int run_package(const struct cli *c, struct err *e)
{
    if (c->registry == NULL) {
        err_usage(e, "cmrx package needs --registry: the registry folder (or index file) to "
                     "publish into");
        return err_hint(e, "e.g. `cmrx package 1.0.0 --registry ../my-registry`");
    }
    git_needed();
    struct publish_opts o = {
        .dir = c->dir ? c->dir : ".", .tag = c->args[0], .registry = c->registry};
    struct publish_result r;
    if (publish(&o, &r, e) != 0) {
        return -1;
    }
    if (r.tagged) {
        ui_status("Tagged", "%s at the last commit", c->args[0]);
    }
    if (r.unchanged) {
        ui_status("Unchanged", "%s %s is in %s already, with the same checksum", r.name, r.version,
                  r.index);
    } else {
        ui_status("Published", "%s %s (%s) in %s%s", r.name, r.version, pkg_kind_name(r.kind),
                  r.index, r.committed ? ", committed" : "");
        ui_status("Next", "%s; then `cmrx add %s --registry REGISTRY` in a project",
                  r.committed ? "`git push` the registry (and the tag of the package)"
                              : "`git push` the tag of the package",
                  r.name);
    }
    publish_result_free(&r);
    return 0;
}

const struct command cmd_package = {
    .name = "package",
    .args = "TAG",
    .summary = "publish the package in this folder as version TAG in a registry",
    .help = "Checks the package folder (-C DIR, default: the current folder) — a component\n"
            "(component.cmake), a board (bsp.yaml) or a template (cmrx.yaml) in a git\n"
            "repository with no uncommitted changes — makes tag TAG (1.2.0 or v1.2.0) at\n"
            "the last commit unless it exists, computes the content checksum of the\n"
            "package at the tag, and adds the version to the registry index of --registry\n"
            "(a folder or an index file; a folder without one gets a new index.json). An\n"
            "index in a git repository is committed. A version published before with other\n"
            "content is refused: a published version never changes. Then `git push` the\n"
            "registry and the tag, and `cmrx add NAME --registry R` uses it.\n",
    .opts = OPT_REGISTRY | OPT_DIR,
    .required = OPT_REGISTRY,
    .notes = (const struct opt_note[]){{OPT_REGISTRY,
                                        "the registry to publish into: a folder or an index file"},
                                       {OPT_DIR, "the package folder (default: the current one)"},
                                       {0, NULL}},
    .min_args = 1,
    .max_args = 1,
    .run = run_package,
};
