"""Every kind of bad input: a clear error naming the file, line or key and
what to do, exit status 1 (2 for usage errors), and the project left
byte-identical with no staging leftovers."""
import json
import os
import shutil
import unittest

from harness import ProjectTest, git, snapshot, write


class BadInput(ProjectTest):
    def edit(self, rel, old, new):
        path = os.path.join(self.p, rel)
        with open(path) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
        self.before = snapshot(self.p)

    # --- cmrx.yaml ---------------------------------------------------------
    def test_malformed_yaml(self):
        self.edit("cmrx.yaml", "board: qemu-mps2-an385\n", "board: [qemu\n")
        for cmd in (("add", "comp"), ("fetch",), ("update",), ("remove", "comp")):
            self.run_bad(*cmd, parts=("cmrx.yaml:", "invalid YAML", "hint:"))

    def test_unknown_key(self):
        self.edit("cmrx.yaml", "board:", "boad: x\nboard:")
        self.run_bad("fetch", parts=("cmrx.yaml:3: unknown key 'boad'", "known keys: name"))
        self.run_bad("add", "comp", parts=("cmrx.yaml:3: unknown key 'boad'",))

    def test_wrong_types(self):
        self.edit("cmrx.yaml", "    sources: [src/app.c]\n",
                  "    sources: [src/app.c]\n    stack_size: [1024]\n")
        self.run_bad("update", parts=("cmrx.yaml:10: 'processes[0].stack_size' must be a number",))
        self.setUp_fresh()
        self.edit("cmrx.yaml", "kernel: ^0.1", "kernel: {version: 1}")
        self.run_bad("fetch", parts=("cmrx.yaml:4: 'kernel' must be a non-empty string",))

    def test_peripherals(self):
        # A device the board does not name, with the line of cmrx.yaml and
        # what the board has; nothing in the project changes.
        self.edit("cmrx.yaml", "    sources: [src/app.c]\n",
                  "    sources: [src/app.c]\n    peripherals: [eth0, uart9]\n")
        self.run_bad("build", parts=("cmrx.yaml:8: process 'app' asks for peripheral 'uart9', "
                                     "which board qemu-mps2-an385 does not have",
                                     "hint: its bsp.yaml names timer0, timer1, eth0"))
        # Two processes asking for the same one: refused by every command.
        self.setUp_fresh()
        self.edit("cmrx.yaml", "    sources: [src/app.c]\n",
                  "    sources: [src/app.c]\n    peripherals: [eth0]\n"
                  "  - name: other\n    sources: [src/app.c]\n    peripherals: [timer0, eth0]\n")
        for cmd in (("build",), ("update",), ("add", "comp")):
            self.run_bad(*cmd, parts=("cmrx.yaml:11: processes 'app' (line 8) and 'other' both ask "
                                      "for peripheral 'eth0'", "hint: a peripheral belongs to one"))
        # Settings for a package the project does not have, or of a wrong kind.
        self.setUp_fresh()
        self.edit("cmrx.yaml", "dependencies:", "settings:\n  netstack: { sockets: 4 }\ndependencies:")
        self.run_bad("build", parts=("cmrx.yaml:6: 'settings.netstack' is for a package this "
                                     "project does not use", "hint: add it with `cmrx add netstack`"))
        self.setUp_fresh()
        self.edit("cmrx.yaml", "dependencies:", "settings:\n  comp: { depth: \"$(rm)\" }\ndependencies:")
        self.run_bad("fetch", parts=("cmrx.yaml:6: 'settings.comp.depth' must be a number, a word",))

    def setUp_fresh(self):
        self.doCleanups()
        self.setUp()

    def test_sources_escaping_the_project(self):
        self.edit("cmrx.yaml", "[src/app.c]", "[../../etc/passwd]")
        self.run_bad("fetch", parts=("cmrx.yaml:9: 'processes[0].sources': '../../etc/passwd' is "
                                     "not a path inside the project",))
        # A ';' would split CMake's list of sources into one more, from anywhere.
        self.edit("cmrx.yaml", "[../../etc/passwd]", "[src/app.c;/etc/passwd]")
        self.run_bad("fetch", parts=("cmrx.yaml:9: 'processes[0].sources': 'src/app.c;/etc/passwd' "
                                     "holds a ';', '$' or line break",))

    def test_dependency_name_escaping(self):
        self.run_bad("add", "../evil", parts=("'../evil' is not a package name",), code=2)
        self.run_bad("add", "/etc/passwd", parts=("'/etc/passwd' is not a package name",), code=2)
        self.edit("cmrx.yaml", "  comp: ^1\n", "  comp: ^1\n  ../evil: ^1\n")
        self.run_bad("update", parts=("cmrx.yaml:7: 'dependencies': '../evil' is not a package "
                                      "name",))

    def test_lock_out_of_date_with_the_manifest(self):
        self.edit("cmrx.yaml", "  comp: ^1\n", "  comp: ^2\n")
        self.run_bad("fetch", parts=("cmrx.lock does not match cmrx.yaml",
                                     "locked comp 1.1.0 does not match the constraint of "
                                     "cmrx.yaml:6", "cmrx update"))

    # --- index.json --------------------------------------------------------
    def test_malformed_index(self):
        index = os.path.join(self.w.sdk, "index.json")
        with open(index) as f:
            text = f.read()
        self.w.write_index(text.replace('"schema": 1,', '"schema": 1', 1))
        self.run_bad("add", "comp@1.0.0", parts=("index.json:3:3: invalid JSON", "--registry"))
        self.run_bad("search", parts=("invalid JSON",))

    def test_invalid_index(self):
        self.w.package("comp")["kind"] = "plugin"
        self.w.write_index()
        self.run_bad("update", parts=("index.json:61: 'packages[4] (comp).kind' must be kernel, "
                                      "bsp, component, template or library",))
        self.w.package("comp")["kind"] = "component"
        self.w.package("comp")["versions"][0]["sha"] = "x"
        self.w.write_index()
        self.run_bad("update", parts=("unknown key 'packages[4] (comp).versions[0].sha'",
                                      "known keys of packages[4] (comp).versions[0]: version"))

    def test_index_names_escaping(self):
        self.w.package("comp")["name"] = "../comp"
        self.w.write_index()
        self.run_bad("add", "comp", parts=("'name' '../comp' is not a valid package name",))
        self.w.package("../comp")["name"] = "comp"
        self.w.package("comp")["versions"][1]["subdir"] = "../../.."
        self.w.write_index()
        self.run_bad("update", parts=("packages[4] (comp).versions[1]: 'subdir' is '../../..'",))
        self.w.package("comp")["versions"][1]["subdir"] = "/etc"
        self.w.write_index()
        self.run_bad("update", parts=("'subdir' is '/etc'",))

    # --- resolution ----------------------------------------------------------
    def test_unknown_package(self):
        self.run_bad("add", "compp", parts=("unknown package 'compp'", "similar names: comp"))
        self.run_bad("info", "nothing-like-it", parts=("unknown package 'nothing-like-it'",))

    def test_no_satisfying_version(self):
        self.run_bad("add", "comp@^3", parts=("no version of 'comp' matches ^3 (required by "
                                              "cmrx.yaml:6); available: 2.0.0, 1.1.0, 1.0.0",))
        self.run_bad("add", "comp@^one", parts=("invalid version constraint",), code=2)

    def test_conflicting_constraints(self):
        w = self.w
        for name, req in (("alpha", "^1"), ("beta", "^2")):
            repo = w.component_repo(name, [("1.0.0", {"x": name})])
            w.add_component(name, repo, [{"version": "1.0.0",
                                          "requires": {"dependencies": {"comp": req}}}])
        self.run_bad("add", "alpha", "beta", parts=(
            "conflicting requirements on 'comp'", "(required by alpha 1.0.0)",
            "(required by beta 1.0.0)", "^1", "^2"))

    def test_kernel_requirement(self):
        w = self.w
        repo = w.component_repo("future", [("1.0.0", {"x": "y"})])
        w.add_component("future", repo, [{"version": "1.0.0", "requires": {"kernel": "^0.2"}}])
        self.run_bad("add", "future", parts=("no version of 'kernel' matches ^0.2 (required by "
                                             "future 1.0.0)",))

    def test_cpu_incompatible(self):
        w = self.w
        repo = w.component_repo("m33only", [("1.0.0", {"x": "y"})])
        w.add_component("m33only", repo, [{"version": "1.0.0",
                                           "requires": {"cpus": ["cortex-m33"]}}])
        self.run_bad("add", "m33only", parts=(
            "'m33only' does not support cortex-m3, the CPU of board 'qemu-mps2-an385'",
            "1.0.0 supports cortex-m33"))
        # On the M33 board it is fine.
        p2 = w.new_project("m33proj", board="m33-board")
        self.ok(w.cmrx("add", "m33only", cwd=p2))

    def test_wrong_kinds(self):
        self.run_bad("add", "qemu-mps2-an385", parts=("is a board, not a component",))
        self.run_bad("add", "app", parts=("is a project template, not a component",))

    # --- git -------------------------------------------------------------------
    def test_unreachable_remote(self):
        w = self.w
        for url in ("/nonexistent/comp.git", "file:///nonexistent/comp.git",
                    "https://127.0.0.1:9/comp.git"):
            w.add_component("gone", url, [{"version": "1.0.0"}])
            self.run_bad("add", "gone", parts=(f"cannot fetch from git remote '{url}' (gone)",
                                               "hint:"))

    def test_missing_tag(self):
        w = self.w
        w.package("comp")["versions"].append({"version": "1.5.0", "git": self.comp})
        w.write_index()
        self.run_bad("update", parts=("package 'comp' 1.5.0: tag '1.5.0' does not exist in",))

    def test_moved_tag(self):
        w, p = self.w, self.p
        work = os.path.join(w.root, "src", "comp")
        git("checkout", "-q", "1.0.0", cwd=work)
        write(os.path.join(work, "comp.c"), "not 1.1 any more\n")
        git("commit", "-q", "-am", "sneaky", cwd=work)
        git("tag", "-f", "1.1.0", cwd=work)
        git("push", "-q", "-f", self.comp, "refs/tags/1.1.0", cwd=work)
        # A fresh clone of the project with a cold cache sees the moved tag.
        w.commit_project(p)
        self.before = snapshot(p)
        c = w.clone_project(p, "clone")
        clone_before = snapshot(c)
        r = w.cmrx("fetch", cwd=c, env={"XDG_CACHE_HOME": os.path.join(w.root, "cold")})
        self.fails(r, "package 'comp' 1.1.0: tag '1.1.0' of", "now points to commit",
                   "but cmrx.lock has", "cmrx remove comp")
        self.assertEqual(snapshot(c), clone_before)
        # Updating with the warm cache sees it too, since it fetches again.
        self.run_bad("update", "comp", parts=("tag '1.1.0'", "now points to commit"))

    def test_index_commit_and_checksum_mismatch(self):
        w = self.w
        v = w.package("comp")["versions"][0]
        v["checksum"] = "0" * 40
        w.write_index()
        self.run_bad("add", "comp@1.0.0", parts=(
            "package 'comp' 1.0.0: checksum mismatch: the registry index says 0000", "tree id"))
        v.pop("checksum")
        # The index pins tag 1.0.0 to a commit, but the tag names another one.
        v["tag"] = "1.0.0"
        v["commit"] = git("rev-parse", "2.0.0^{commit}", cwd=self.comp)
        w.write_index()
        self.run_bad("add", "comp@1.0.0", parts=("tag '1.0.0'", "but the registry index has"))
        # A version pinned by commit alone is taken as it is.
        v.pop("tag")
        v["commit"] = git("rev-parse", "1.0.0^{commit}", cwd=self.comp)
        w.write_index()
        self.ok(self.w.cmrx("add", "comp@1.0.0", cwd=self.p))
        self.assertIn("commit: " + v["commit"], self.lock(self.p))

    def test_lock_checksum_mismatch(self):
        good = git("rev-parse", "1.1.0^{tree}", cwd=self.comp)
        self.edit("cmrx.lock", good, "1" * 40)
        shutil.rmtree(os.path.join(self.p, "packages/comp"))
        self.before = snapshot(self.p)
        self.run_bad("fetch", parts=("package 'comp' 1.1.0: checksum mismatch: cmrx.lock says "
                                     "1111", good, "restore it from version control"))

    def test_lock_escaping(self):
        lock = os.path.join(self.p, "cmrx.lock")
        with open(lock) as f:
            text = f.read()
        for old, new, msg in (("- name: comp", "- name: ../comp", "package name '../comp' is not"),
                              ("  subdir: kernel", "  subdir: ../../..", "'subdir' is '../../..'"),
                              ("  subdir: kernel", "  subdir: /etc", "'subdir' is '/etc'"),
                              ("lock_format: 1", "lock_format: [1", "invalid YAML")):
            with open(lock, "w") as f:
                f.write(text.replace(old, new, 1))
            self.before = snapshot(self.p)
            self.run_bad("fetch", parts=("cmrx.lock:", msg))

    def test_symlink_out_of_a_package(self):
        w = self.w
        repo = w.component_repo("evil", [("1.0.0", {"ok.c": "x", "sub/passwd":
                                                    ("link", "../../../../etc/passwd")})])
        w.add_component("evil", repo, [{"version": "1.0.0"}])
        self.run_bad("add", "evil", parts=("symbolic link 'sub/passwd' points outside the package",))
        repo = w.component_repo("fine", [("1.0.0", {"a.c": "x", "sub/a": ("link", "../a.c")})])
        w.add_component("fine", repo, [{"version": "1.0.0"}])
        self.ok(w.cmrx("add", "fine", cwd=self.p))
        self.assertEqual(os.readlink(os.path.join(self.p, "packages/fine/sub/a")), "../a.c")

    def test_broken_board_package(self):
        w = self.w
        bsp = os.path.join(w.sdk, "bsp/qemu-mps2-an385/bsp.yaml")
        with open(bsp) as f:
            text = f.read()
        write(bsp, text.replace("cpu: cortex-m3", "cpu: cortex-m4"))
        git("commit", "-q", "-am", "wrong cpu", cwd=w.sdk)
        self.run_bad("update", parts=("board package 'qemu-mps2-an385' 0.1.0: its bsp.yaml says "
                                      "cpu cortex-m4, but the registry index says cortex-m3",))

    def test_packages_is_not_a_folder(self):
        shutil.rmtree(os.path.join(self.p, "packages"))
        write(os.path.join(self.p, "packages"), "mine\n")
        self.before = snapshot(self.p)
        self.run_bad("fetch", parts=("packages is not a folder", "move that file away"))
        # A link (to a folder elsewhere) is named as what it is.
        os.remove(os.path.join(self.p, "packages"))
        os.symlink(self.w.root, os.path.join(self.p, "packages"))
        self.before = snapshot(self.p)
        self.run_bad("fetch", parts=("packages is a symbolic link, not a folder",
                                     "remove the link"))

    def test_configuration_and_registry_that_are_not_files(self):
        # A named pipe with no writer, or a device that never ends, named by
        # CMRX_CONFIG or CMRX_REGISTRY: an error at once, not a hang or all
        # of memory. /dev/null stays an empty file (an empty configuration).
        w = self.w
        fifo = os.path.join(w.root, "fifo")
        os.mkfifo(fifo)
        for var in ("CMRX_CONFIG", "CMRX_REGISTRY"):
            for path, why in ((fifo, "it is a named pipe, not a file"),
                              ("/dev/zero", "it is a device that does not end")):
                r = w.cmrx("add", "comp@^2", cwd=self.p, env={var: path}, timeout=10)
                self.fails(r, f"{path}: cannot read: {why}")
                self.assertUnchanged(self.p, self.before)
        # A file the system will not read: the hint names the variable.
        r = w.cmrx("add", "comp@^2", cwd=self.p, env={"CMRX_CONFIG": "/proc/self/mem"})
        self.fails(r, "/proc/self/mem: cannot read: ",
                   "hint: CMRX_CONFIG names it: point it at a readable YAML file, or unset it")
        self.ok(w.cmrx("add", "comp@^2", cwd=self.p, env={"CMRX_CONFIG": "/dev/null"}))

    # --- the command line -------------------------------------------------------
    def test_usage_errors(self):
        self.assertEqual(self.w.cmrx("add", cwd=self.p).code, 2)
        self.assertEqual(self.w.cmrx("add", "x", "--bogus", cwd=self.p).code, 2)
        r = self.w.cmrx("fetch", "--board", "b", cwd=self.p)
        self.assertEqual(r.code, 2)
        self.assertIn("does not take --board", r.err)
        self.assertUnchanged(self.p, self.before)
        r = self.w.cmrx("fetch", cwd=self.w.root)
        self.fails(r, "no cmrx.yaml in", "cmrx new NAME")
        # -C to a folder without a project, and to one that is not there.
        r = self.w.cmrx("fetch", "-C", self.w.root)
        self.fails(r, f"{os.path.realpath(self.w.root)} holds no cmrx.yaml")
        missing = os.path.join(self.w.root, "nowhere")
        r = self.w.cmrx("fetch", "-C", missing)
        self.fails(r, f"{os.path.realpath(self.w.root)}/nowhere does not exist", "-C names")


if __name__ == "__main__":
    unittest.main()
