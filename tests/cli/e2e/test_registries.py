"""Registries that stack, dependencies straight from git, locks that travel
between machines, and publishing a package with `cmrx package` (issue 13,
points 3 to 5), with their bad input: the project (and the registry) left
byte for byte as they were."""
import json
import os
import shutil
import unittest

from harness import World, WorldTest, git, snapshot, tree, write


def component_files(text):
    return {"component.cmake": "# a component\n", "README.md": "# x\n\nA sensor driver.\n",
            "src/x.c": text}


class Registries(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        # A second registry in a folder: a third-party component, and an
        # impostor of a name the default registry lists.
        self.sensor = w.component_repo("sensor", [("1.0.0", component_files("int s = 1;\n")),
                                                  ("1.1.0", component_files("int s = 2;\n"))])
        self.impostor = w.component_repo("fake-kernel", [("9.0.0", {"k.c": "evil\n"})])
        self.reg2 = os.path.join(w.root, "reg2")
        self.write_reg2([
            {"name": "sensor", "kind": "component", "description": "a sensor",
             "versions": [{"version": "1.0.0", "git": self.sensor},
                          {"version": "1.1.0", "git": self.sensor}]},
            {"name": "kernel", "kind": "kernel", "description": "not the kernel",
             "versions": [{"version": "9.0.0", "git": self.impostor}]},
        ])
        self.p = w.new_project()

    def write_reg2(self, packages):
        write(os.path.join(self.reg2, "index.json"),
              json.dumps({"schema": 1, "packages": packages}, indent=2))

    def read(self, rel):
        with open(os.path.join(self.p, rel)) as f:
            return f.read()

    def test_add_with_a_registry_stacks_it_and_a_fresh_clone_fetches(self):
        w, p = self.w, self.p
        r = self.ok(w.cmrx("add", "sensor", "--registry", self.reg2, cwd=p))
        self.assertIn("Adding sensor 1.1.0", r.err)
        # The registry is remembered in cmrx.yaml, the default one still serves the rest.
        self.assertIn(f"registries:\n  - {self.reg2}\n", self.read("cmrx.yaml"))
        self.assertIn("# demo: made from the test template\n", self.read("cmrx.yaml"))
        self.assertEqual(self.locked_version(p, "kernel"), "0.1.0")
        self.assertEqual(self.read("packages/sensor/src/x.c"), "int s = 2;\n")
        # The impostor 'kernel' of the second registry is not used, and cmrx says why.
        self.assertIn("'kernel' is listed by", r.err)
        self.assertIn("it comes from", r.err)
        self.assertNotIn("evil", self.lock(p))
        # A fresh copy of the project fetches without any flag, and update keeps both registries.
        w.commit_project(p)
        q = w.clone_project(p, "copy")
        self.ok(w.cmrx("fetch", cwd=q))
        self.assertEqual(tree(os.path.join(q, "packages")), tree(os.path.join(p, "packages")))
        r = self.ok(w.cmrx("update", cwd=q))
        self.assertIn("up to date", r.err)
        # search and info see both registries.
        r = self.ok(w.cmrx("search", "sensor", cwd=q))
        self.assertIn("sensor", r.out)

    def test_user_configuration_adds_a_registry(self):
        w, p = self.w, self.p
        cfg = os.path.join(w.root, "config.yaml")
        write(cfg, f"registries:\n  - {self.reg2}\n")
        r = self.ok(w.cmrx("add", "sensor@1.0.0", cwd=p, env={"CMRX_CONFIG": cfg}))
        self.assertIn("Adding sensor 1.0.0", r.err)
        self.assertNotIn("registries:", self.read("cmrx.yaml"))
        # Without the configuration the package is unknown, and nothing changes.
        before = snapshot(p)
        r = w.cmrx("add", "sensor@1.1.0", cwd=p)
        self.fails(r, "unknown package 'sensor'")
        self.assertUnchanged(p, before)

    def test_git_dependency_in_cmrx_yaml(self):
        w, p = self.w, self.p
        text = self.read("cmrx.yaml").replace(
            "dependencies:\n", f"dependencies:\n  sensor: {{git: {self.sensor}, tag: 1.0.0}}\n")
        write(os.path.join(p, "cmrx.yaml"), text)
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn("Adding sensor 1.0.0", r.err)
        commit = git("rev-parse", "1.0.0^{commit}", cwd=self.sensor)
        self.assertIn(f"git: {self.sensor}\n  tag: 1.0.0\n  commit: {commit}\n", self.lock(p))
        self.assertEqual(self.read("packages/sensor/src/x.c"), "int s = 1;\n")
        # A rev pins a commit; a branch follows one; both locked by commit.
        c11 = git("rev-parse", "1.1.0^{commit}", cwd=self.sensor)
        write(os.path.join(p, "cmrx.yaml"), text.replace("tag: 1.0.0", f"rev: {c11}"))
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn(f"commit: {c11}\n", self.lock(p))
        self.assertEqual(self.read("packages/sensor/src/x.c"), "int s = 2;\n")
        # build and fetch agree with the lock (the lock matches cmrx.yaml).
        shutil.rmtree(os.path.join(p, "packages"))
        self.ok(w.cmrx("fetch", cwd=p))
        self.assertEqual(self.read("packages/sensor/src/x.c"), "int s = 2;\n")

    def test_bad_git_dependencies_change_nothing(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("update", cwd=p))
        before = snapshot(p)
        good = self.read("cmrx.yaml").replace("dependencies:\n", "")
        cases = [
            (f"rev: {'0' * 40}", f"commit {'0' * 40} is not in {self.sensor}"),
            ("tag: 7.7.7", "tag '7.7.7' does not exist"),
            ("rev: abc123", "'dependencies.sensor.rev' must be a full 40-digit"),
            ("tag: 1.0.0, branch: main", "give one of 'tag', 'branch' and 'rev'"),
            ("tg: 1.0.0", "unknown key"),
        ]
        for ref, msg in cases:
            text = good + f"dependencies:\n  sensor: {{git: {self.sensor}, {ref}}}\n"
            write(os.path.join(p, "cmrx.yaml"), text)
            with open(os.path.join(p, "cmrx.yaml"), "rb") as f:
                written = f.read()
            r = w.cmrx("update", cwd=p)
            self.fails(r, msg)
            with open(os.path.join(p, "cmrx.yaml"), "rb") as f:
                self.assertEqual(f.read(), written)
            with open(os.path.join(p, "cmrx.lock"), "rb") as f:
                self.assertEqual(f.read(), before["cmrx.lock"])
            self.assertEqual(tree(os.path.join(p, "packages"), "packages"),
                             {k: v for k, v in before.items() if k.startswith("packages")})
        # A relative path would depend on where cmrx runs.
        write(os.path.join(p, "cmrx.yaml"), good + "dependencies:\n  sensor: {git: ../s, tag: 1.0.0}\n")
        self.fails(w.cmrx("update", cwd=p), "give a URL")

    def test_bad_registries(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("update", cwd=p))
        before = snapshot(p)
        # A second registry that is missing, or broken, stops the command.
        r = w.cmrx("add", "sensor", "--registry", os.path.join(w.root, "nowhere"), cwd=p)
        self.fails(r, "does not exist", "--registry")
        self.assertUnchanged(p, before)
        write(os.path.join(self.reg2, "index.json"), "{\"schema\": 1, \"packages\": [}")
        r = w.cmrx("add", "sensor", "--registry", self.reg2, cwd=p)
        self.fails(r, "index.json")
        self.assertUnchanged(p, before)
        # A relative registry in cmrx.yaml, and "default", are refused by line.
        text = self.read("cmrx.yaml")
        for bad, msg in (("registries: [reg2]", "give a git URL or an absolute path"),
                         ("registries: [default]", "the default registry is always used")):
            write(os.path.join(p, "cmrx.yaml"), text + bad + "\n")
            self.fails(w.cmrx("update", cwd=p), msg, "cmrx.yaml:")
        write(os.path.join(p, "cmrx.yaml"), text)
        self.assertUnchanged(p, before)


class LocksTravel(unittest.TestCase):
    """Two machines: each its own SDK checkout (cloned from one upstream), its
    own cache and home. A registry that names its canonical repository makes
    locks that name it too, and each machine serves that URL from its own
    checkout."""

    def setUp(self):
        self.a = World()
        self.addCleanup(self.a.close)
        self.b = World()
        self.addCleanup(self.b.close)
        # Machine A's SDK is the upstream; B clones it.
        a = self.a
        self.url = "https://example.com/cmrx-sdk.git"
        with open(os.path.join(a.sdk, "index.json")) as f:
            index = json.load(f)
        index["repository"] = self.url
        a.write_index(json.dumps(index, indent=2))
        git("commit", "-q", "-am", "canonical", cwd=a.sdk)
        shutil.rmtree(self.b.sdk)
        git("clone", "-q", a.sdk, self.b.sdk)

    def test_a_lock_from_a_clone_with_a_local_commit_fetches_on_another_machine(self):
        a, b = self.a, self.b
        # A commits something of its own outside the packages (not published).
        write(os.path.join(a.sdk, "NOTES.md"), "local\n")
        git("add", "-A", cwd=a.sdk)
        git("commit", "-q", "-m", "local note", cwd=a.sdk)
        p = a.new_project()
        with open(os.path.join(p, "cmrx.lock")) as f:
            lock = f.read()
        self.assertIn(f"git: {self.url}\n", lock)
        self.assertNotIn("git: .", lock)
        self.assertNotIn(f"git: {a.sdk}", lock)
        self.assertNotIn("branch: HEAD", lock)
        # The project goes to machine B, whose SDK lacks A's local commit.
        q = os.path.join(b.root, "demo")
        shutil.copytree(p, q, ignore=shutil.ignore_patterns("packages", ".cmrx"))
        r = b.cmrx("fetch", cwd=q)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(tree(os.path.join(q, "packages")), tree(os.path.join(p, "packages")))
        # Offline too: B's own checkout serves the URL.
        shutil.rmtree(os.path.join(q, "packages"))
        self.assertEqual(b.cmrx("fetch", "--offline", cwd=q).code, 0)

        # Now A changes the kernel locally and locks it: B cannot have that
        # commit, and says so (not "deleted").
        write(os.path.join(a.sdk, "kernel/src/sched.c"), "int sched = 2;\n")
        git("commit", "-q", "-am", "kernel change", cwd=a.sdk)
        r = a.cmrx("update", cwd=p)
        self.assertEqual(r.code, 0, r)
        shutil.copy(os.path.join(p, "cmrx.lock"), os.path.join(q, "cmrx.lock"))
        before = snapshot(q)
        r = b.cmrx("fetch", cwd=q)
        self.assertEqual(r.code, 1, r)
        self.assertIn("which the copy of that repository on this machine", r.err)
        self.assertIn(f"git -C {b.sdk} pull", r.err)
        self.assertNotIn("removed", r.err)
        self.assertEqual(snapshot(q), before)
        # Once B's SDK has the commit, the same lock fetches.
        git("pull", "-q", a.sdk, "main", cwd=b.sdk)
        r = b.cmrx("fetch", cwd=q)
        self.assertEqual(r.code, 0, r)
        with open(os.path.join(q, "packages/kernel/src/sched.c")) as f:
            self.assertEqual(f.read(), "int sched = 2;\n")


class Publishing(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        self.src = os.path.join(w.root, "src", "sensor")
        os.makedirs(self.src)
        git("init", "-q", "-b", "main", cwd=self.src)
        for path, text in component_files("int s = 1;\n").items():
            write(os.path.join(self.src, path), text)
        git("add", "-A", cwd=self.src)
        git("commit", "-q", "-m", "sensor", cwd=self.src)
        # The registry: a git repository of its own.
        self.reg = os.path.join(w.root, "myreg")
        os.makedirs(self.reg)
        git("init", "-q", "-b", "main", cwd=self.reg)

    def index(self):
        with open(os.path.join(self.reg, "index.json")) as f:
            return json.load(f)

    def test_from_a_local_repository_to_cmrx_add_in_two_commands(self):
        w = self.w
        r = self.ok(w.cmrx("package", "v1.0.0", "--registry", self.reg, cwd=self.src))
        self.assertIn("Published sensor 1.0.0 (component)", r.err)
        self.assertIn("committed", r.err)
        v = self.index()["packages"][0]["versions"][0]
        self.assertEqual(v["checksum"], git("rev-parse", "v1.0.0^{tree}", cwd=self.src))
        self.assertEqual(v["commit"], git("rev-parse", "v1.0.0^{commit}", cwd=self.src))
        self.assertEqual(v["tag"], "v1.0.0")
        self.assertEqual(self.index()["packages"][0]["description"], "A sensor driver.")
        self.assertEqual(git("status", "--porcelain", cwd=self.reg), "")
        self.assertIn("Publish sensor 1.0.0", git("log", "-1", "--format=%s", cwd=self.reg))
        # Second command: a project adds it.
        p = w.new_project()
        r = self.ok(w.cmrx("add", "sensor", "--registry", self.reg, cwd=p))
        self.assertIn("Adding sensor 1.0.0", r.err)
        with open(os.path.join(p, "packages/sensor/src/x.c")) as f:
            self.assertEqual(f.read(), "int s = 1;\n")
        # Publishing the same tag again changes nothing.
        before = tree(self.reg)
        r = self.ok(w.cmrx("package", "v1.0.0", "--registry", self.reg, cwd=self.src))
        self.assertIn("Unchanged", r.err)
        self.assertEqual(tree(self.reg), before)
        # A new release: a second version beside the first.
        write(os.path.join(self.src, "src/x.c"), "int s = 2;\n")
        git("commit", "-q", "-am", "two", cwd=self.src)
        self.ok(w.cmrx("package", "v1.1.0", "--registry", self.reg, cwd=self.src))
        self.assertEqual([x["version"] for x in self.index()["packages"][0]["versions"]],
                         ["1.0.0", "1.1.0"])
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn("Updating sensor 1.0.0 -> 1.1.0", r.err)

    def test_a_board_in_a_subfolder_into_a_plain_folder(self):
        w = self.w
        board = os.path.join(self.src, "boards", "my-board")
        shutil.copytree(os.path.join(w.sdk, "bsp", "qemu-mps2-an385"), board)
        with open(os.path.join(board, "bsp.yaml")) as f:
            text = f.read().replace("qemu-mps2-an385", "my-board")
        write(os.path.join(board, "bsp.yaml"), text)
        git("add", "-A", cwd=self.src)
        git("commit", "-q", "-m", "board", cwd=self.src)
        plain = os.path.join(w.root, "plain")
        os.makedirs(plain)
        r = self.ok(w.cmrx("package", "0.2.0", "--registry", plain, cwd=board))
        self.assertIn("Published my-board 0.2.0 (bsp)", r.err)
        with open(os.path.join(plain, "index.json")) as f:
            v = json.load(f)["packages"][0]["versions"][0]
        self.assertEqual(v["subdir"], "boards/my-board")
        self.assertEqual(v["cpu"], "cortex-m3")
        self.assertEqual(v["qemu"], "mps2-an385")
        self.assertEqual(v["checksum"], git("rev-parse", "0.2.0:boards/my-board", cwd=self.src))
        self.assertNotIn("tag", v)  # the tag is the version
        # The board is usable: a project on it.
        r = self.ok(w.cmrx("new", "onboard", "--template", "app", "--board", "my-board",
                           "--registry", plain))
        self.assertIn("Adding my-board 0.2.0", r.err)
        # The project lists the registry, so update finds the board without the flag.
        q = os.path.join(w.root, "onboard")
        with open(os.path.join(q, "cmrx.yaml")) as f:
            self.assertIn(f"registries:\n  - {plain}\n", f.read())
        self.ok(w.cmrx("update", cwd=q))

    def test_bad_input_leaves_the_registry_and_the_repository_as_they_were(self):
        w = self.w
        self.ok(w.cmrx("package", "1.0.0", "--registry", self.reg, cwd=self.src))
        reg_before, src_tags = tree(self.reg), git("tag", cwd=self.src)

        def bad(args, *parts, cwd=None, code=1):
            r = w.cmrx("package", *args, cwd=cwd or self.src)
            self.fails(r, *parts, code=code)
            self.assertEqual(tree(self.reg), reg_before)
            self.assertEqual(git("tag", cwd=self.src), src_tags)

        # A dirty tree: an edit, and a file never committed.
        write(os.path.join(self.src, "src/x.c"), "int s = 3;\n")
        bad(["1.1.0", "--registry", self.reg], "changes that are not committed", "src/x.c")
        git("checkout", "--", "src/x.c", cwd=self.src)
        write(os.path.join(self.src, "new.c"), "\n")
        bad(["1.1.0", "--registry", self.reg], "not committed", "new.c")
        os.remove(os.path.join(self.src, "new.c"))
        # A tag whose content changed after it was published.
        write(os.path.join(self.src, "src/x.c"), "int s = 4;\n")
        git("commit", "-q", "-am", "moved", cwd=self.src)
        git("tag", "-f", "1.0.0", cwd=self.src)
        src_tags = git("tag", cwd=self.src)
        bad(["1.0.0", "--registry", self.reg], "is published in", "a published version never changes")
        # Not a version, not a package, no registry, a remote registry.
        bad(["latest", "--registry", self.reg], "tag 'latest' is not a version")
        empty = os.path.join(w.root, "empty")
        os.makedirs(empty)
        git("init", "-q", "-b", "main", cwd=empty)
        write(os.path.join(empty, "a.c"), "\n")
        git("add", "-A", cwd=empty)
        git("commit", "-q", "-m", "x", cwd=empty)
        bad(["2.0.0", "--registry", self.reg], "is not a package", cwd=empty)
        self.assertEqual(git("tag", cwd=empty), "")  # the tag it made is gone again
        bad(["2.0.0"], "needs --registry", code=2)
        bad(["2.0.0", "--registry", "https://example.com/reg.git"], "it is a remote")
        # A registry whose index has uncommitted edits is not committed over.
        with open(os.path.join(self.reg, "index.json"), "a") as f:
            f.write(" ")
        reg_before = tree(self.reg)
        write(os.path.join(self.src, "src/x.c"), "int s = 5;\n")
        git("commit", "-q", "-am", "five", cwd=self.src)
        bad(["1.2.0", "--registry", self.reg], "has changes that are not committed")


if __name__ == "__main__":
    unittest.main()
