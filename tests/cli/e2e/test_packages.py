"""Adding, updating, removing and fetching packages from throw-away git
repositories: the issue's main scenario, transitive dependencies, comments
kept in cmrx.yaml, and byte-for-byte reproduction from cmrx.lock."""
import os
import shutil
import unittest

from harness import WorldTest, git, snapshot, tree


class Packages(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        # lib: a dependency of comp 1.1.0 and later.
        lib = w.component_repo("lib", [("1.0.0", {"lib.h": "lib 1.0\n"}),
                                       ("1.3.0", {"lib.h": "lib 1.3\n"})])
        w.add_component("lib", lib, [{"version": "1.0.0"}, {"version": "1.3.0"}])
        # comp: tags 1.0.0, 1.1.0 and 2.0.0 (a script, to check modes survive).
        self.comp = w.component_repo("comp", [
            ("1.0.0", {"comp.c": "int comp = 100;\n", "tool.sh": ("exec", "#!/bin/sh\necho 1.0\n")}),
            ("1.1.0", {"comp.c": "int comp = 110;\n"}),
            ("2.0.0", {"comp.c": "int comp = 200;\n", "tool.sh": None}),
        ])
        w.add_component("comp", self.comp, [
            {"version": "1.0.0"},
            {"version": "1.1.0", "requires": {"kernel": "^0.1", "dependencies": {"lib": "^1"}}},
            {"version": "2.0.0", "requires": {"dependencies": {"lib": "^1.3"}}},
        ])
        self.p = w.new_project()

    def read(self, rel):
        with open(os.path.join(self.p, rel)) as f:
            return f.read()

    def test_add_caret_locks_newest_compatible_then_update_stays_below_2(self):
        w, p = self.w, self.p
        r = self.ok(w.cmrx("add", "comp@^1", cwd=p))
        self.assertIn("Adding comp 1.1.0", r.err)
        self.assertIn("Adding lib 1.3.0", r.err)  # a dependency of a dependency
        self.assertEqual(self.locked_version(p, "comp"), "1.1.0")
        self.assertIn("  comp: ^1\n", self.read("cmrx.yaml"))
        self.assertEqual(self.read("packages/comp/comp.c"), "int comp = 110;\n")
        self.assertEqual(self.read("packages/lib/lib.h"), "lib 1.3\n")
        commit = git("rev-parse", "1.1.0^{commit}", cwd=self.comp)
        self.assertIn(f"commit: {commit}", self.lock(p))
        tree_id = git("rev-parse", "1.1.0^{tree}", cwd=self.comp)
        self.assertIn(f"checksum: {tree_id}", self.lock(p))
        # Comments of the template survive the edit.
        self.assertIn("# demo: made from the test template\n", self.read("cmrx.yaml"))
        self.assertIn("  - name: app # the one\n", self.read("cmrx.yaml"))

        # 1.2.0 is published: update moves to it, and not to 2.0.0.
        w.publish("comp", "1.2.0", {"comp.c": "int comp = 120;\n"},
                  {"requires": {"dependencies": {"lib": "^1"}}})
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn("Updating comp 1.1.0 -> 1.2.0", r.err)
        self.assertEqual(self.locked_version(p, "comp"), "1.2.0")
        self.assertEqual(self.read("packages/comp/comp.c"), "int comp = 120;\n")
        self.assertIn("  comp: ^1\n", self.read("cmrx.yaml"))
        # Nothing new: update changes nothing.
        before = snapshot(p)
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn("up to date", r.err)
        self.assertEqual(snapshot(p), before)

    def test_add_without_constraint_writes_a_caret_of_the_newest(self):
        r = self.ok(self.w.cmrx("add", "comp", cwd=self.p))
        self.assertIn("Adding comp 2.0.0", r.err)
        self.assertIn("  comp: ^2.0.0\n", self.read("cmrx.yaml"))
        self.assertFalse(os.path.exists(os.path.join(self.p, "packages/comp/tool.sh")))

    def test_exact_and_range_constraints(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@1.0.0", cwd=p))
        self.assertEqual(self.locked_version(p, "comp"), "1.0.0")
        self.assertIsNone(self.locked_version(p, "lib"))  # 1.0.0 needs no lib
        self.assertEqual(os.stat(os.path.join(p, "packages/comp/tool.sh")).st_mode & 0o111, 0o111)
        # Changing the constraint moves the package; a range gets quoted in YAML.
        self.ok(w.cmrx("add", "comp@>=1.1, <2", cwd=p))
        self.assertEqual(self.locked_version(p, "comp"), "1.1.0")
        self.assertIn('  comp: ">=1.1, <2"\n', self.read("cmrx.yaml"))
        self.ok(w.cmrx("add", "comp@~1.0", cwd=p))
        self.assertEqual(self.locked_version(p, "comp"), "1.0.0")

    def test_update_one_package_leaves_the_others(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@^1", "lib@^1", cwd=p))
        w.publish("comp", "1.2.0", {"comp.c": "int comp = 120;\n"})
        w.publish("lib", "1.4.0", {"lib.h": "lib 1.4\n"})
        self.ok(w.cmrx("update", "comp", cwd=p))
        self.assertEqual(self.locked_version(p, "comp"), "1.2.0")
        self.assertEqual(self.locked_version(p, "lib"), "1.3.0")
        r = w.cmrx("update", "nothing", cwd=p)
        self.fails(r, "'nothing' is not in cmrx.lock")

    def test_remove_drops_what_nothing_needs(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@^1", cwd=p))
        self.assertTrue(os.path.isdir(os.path.join(p, "packages/lib")))
        # A package named twice is removed once, not refused as missing.
        r = self.ok(w.cmrx("remove", "comp", "comp", cwd=p))
        self.assertIn("Removing comp 1.1.0", r.err)
        self.assertIn("Removing lib 1.3.0", r.err)
        self.assertNotIn("comp", self.read("cmrx.yaml").split("processes:")[0].split("kernel:")[1])
        self.assertNotIn("name: comp", self.lock(p))
        self.assertEqual(sorted(os.listdir(os.path.join(p, "packages"))),
                         ["kernel", "qemu-mps2-an385"])
        self.assertIn("# demo: made from the test template\n", self.read("cmrx.yaml"))
        r = w.cmrx("remove", "comp", cwd=p)
        self.fails(r, "cmrx.yaml has no dependency 'comp'")

    def test_fetch_on_a_fresh_clone_reproduces_packages_byte_for_byte(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@1.0.0", "lib", cwd=p))
        os.symlink("comp.c", os.path.join(p, "packages/comp/link"))  # tampering, to be undone
        shutil.rmtree(os.path.join(p, "packages/comp"))
        self.ok(w.cmrx("fetch", cwd=p))
        original = tree(os.path.join(p, "packages"))
        self.assertIn("comp/tool.sh", original)
        w.commit_project(p)
        # A clone with the warm cache, then one with a cold cache.
        for name, cache in (("clone1", w.cache), ("clone2", os.path.join(w.root, "cache2"))):
            c = w.clone_project(p, name)
            self.assertFalse(os.path.exists(os.path.join(c, "packages")))
            r = self.ok(w.cmrx("fetch", cwd=c, env={"XDG_CACHE_HOME": cache}))
            self.assertIn("4 packages, 4 unpacked", r.err)
            self.assertEqual(tree(os.path.join(c, "packages")), original)
            with open(os.path.join(c, "cmrx.lock")) as a, open(os.path.join(p, "cmrx.lock")) as b:
                self.assertEqual(a.read(), b.read())

    def test_fetch_repairs_local_changes_and_removes_strays(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@1.0.0", cwd=p))
        good = tree(os.path.join(p, "packages"))
        with open(os.path.join(p, "packages/comp/comp.c"), "a") as f:
            f.write("/* local edit */\n")
        os.chmod(os.path.join(p, "packages/comp/tool.sh"), 0o644)
        os.makedirs(os.path.join(p, "packages/stray"))
        open(os.path.join(p, "packages/stray/x"), "w").close()
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertIn("1 unpacked, 1 removed", r.err)
        self.assertEqual(tree(os.path.join(p, "packages")), good)
        # A link to an identical copy is not the package either.
        copy = os.path.join(w.root, "copy")
        shutil.move(os.path.join(p, "packages/comp"), copy)
        os.symlink(copy, os.path.join(p, "packages/comp"))
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertIn("1 unpacked", r.err)
        self.assertEqual(tree(os.path.join(p, "packages")), good)
        self.assertTrue(os.path.isdir(copy))

    def test_offline_uses_the_cache_only(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "comp@^1", cwd=p))
        shutil.rmtree(os.path.join(p, "packages"))
        self.ok(w.cmrx("fetch", "--offline", cwd=p))
        self.assertEqual(self.read("packages/comp/comp.c"), "int comp = 110;\n")
        shutil.rmtree(os.path.join(p, "packages"))
        r = w.cmrx("fetch", "--offline", cwd=p, env={"XDG_CACHE_HOME": os.path.join(w.root, "c3")})
        self.fails(r, "is not in the cache, and --offline forbids fetching it",
                   "without --offline")
        self.assertFalse(os.path.exists(os.path.join(p, "packages")))

    def test_branch_packages_follow_on_update_only(self):
        w, p = self.w, self.p
        old = git("rev-parse", "HEAD", cwd=w.sdk)
        with open(os.path.join(w.sdk, "kernel/src/sched.c"), "a") as f:
            f.write("int sched2;\n")
        git("commit", "-q", "-am", "kernel change", cwd=w.sdk)
        new = git("rev-parse", "HEAD", cwd=w.sdk)
        # Adding something else keeps the locked kernel commit...
        self.ok(w.cmrx("add", "lib", cwd=p))
        self.assertIn(f"commit: {old}", self.lock(p))
        self.assertEqual(self.read("packages/kernel/src/sched.c"), "int sched;\n")
        # ...update follows the branch to its new commit.
        r = self.ok(w.cmrx("update", "kernel", cwd=p))
        self.assertIn(f"Updating kernel 0.1.0 (commit {old[:12]} -> {new[:12]})", r.err)
        self.assertEqual(self.read("packages/kernel/src/sched.c"), "int sched;\nint sched2;\n")
        self.assertIn("checksum: " + git("rev-parse", "HEAD:kernel", cwd=w.sdk), self.lock(p))

    def test_kernel_constraint_and_a_missing_lock(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "kernel@~0.1.0", cwd=p))
        self.assertIn("\nkernel: ~0.1.0\n", self.read("cmrx.yaml"))
        os.remove(os.path.join(p, "cmrx.lock"))
        self.fails(w.cmrx("fetch", cwd=p), "no cmrx.lock yet", "cmrx update")
        self.ok(w.cmrx("update", cwd=p))
        self.assertEqual(self.locked_version(p, "kernel"), "0.1.0")

    def test_registry_flag_and_file_url(self):
        w, p = self.w, self.p
        # The index can name a repository by file:// URL.
        w.package("comp")["versions"] = [dict(v, git="file://" + self.comp)
                                         for v in w.package("comp")["versions"]]
        w.write_index()
        self.ok(w.cmrx("add", "comp@1.0.0", cwd=p))
        self.assertIn(f"git: file://{self.comp}", self.lock(p))
        # $CMRX_REGISTRY replaces the default registry; a missing one is an error.
        r = w.cmrx("search", cwd=p, env={"CMRX_REGISTRY": "/nonexistent"})
        self.fails(r, "registry '/nonexistent' does not exist")
        # --registry naming the default registry adds nothing to cmrx.yaml.
        before = self.read("cmrx.yaml")
        self.ok(w.cmrx("add", "comp@1.0.0", "--registry", "../sdk", cwd=p))
        self.assertEqual(self.read("cmrx.yaml"), before)
        self.assertIn(f"registry: {w.sdk}\n", self.lock(p))

    def test_registry_served_from_a_git_url(self):
        w, p = self.w, self.p
        git("add", "-A", cwd=w.sdk)
        git("commit", "-q", "-m", "index", cwd=w.sdk)
        url = "file://" + w.sdk
        r = self.ok(w.cmrx("add", "comp@^1", "--registry", url, cwd=p))
        # The registry is stacked on the default one and listed in cmrx.yaml;
        # comp, which both list, comes from the first (the default).
        self.assertIn(f"registries:\n  - {url}\n", self.read("cmrx.yaml"))
        self.assertIn("'comp' is listed by", r.err)
        self.assertNotIn("registry: file://", self.lock(p))
        self.assertNotIn("git: .\n", self.lock(p))
        shutil.rmtree(os.path.join(p, "packages"))
        # The lock names every repository, so it fetches with no registry at all.
        self.ok(w.cmrx("fetch", cwd=p, env={"CMRX_REGISTRY": "/nonexistent"}))
        self.assertEqual(self.read("packages/comp/comp.c"), "int comp = 110;\n")
        r = self.ok(w.cmrx("search", "comp", "--registry", url, "--offline", cwd=p))
        self.assertIn("comp", r.out)


if __name__ == "__main__":
    unittest.main()
