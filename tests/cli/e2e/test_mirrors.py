"""Mirrors: upstream git URLs that the user's configuration maps to local
mirrors (docs/registry.md, Mirrors). The upstream URLs here do not exist
(the .invalid domain never resolves), so a package can only come through
its mirror; cmrx.yaml and cmrx.lock keep the upstream URL all the same.
The last test fetches littlefs from the SDK's shared mirror of it
(../shared/mirrors/littlefs.git beside this checkout) and skips, saying
so, where that folder is absent."""
import json
import os
import shutil
import unittest

from harness import (LITTLEFS_UPSTREAM, SDK, SHARED_MIRRORS, WorldTest, git, snapshot, tree,
                     write)

UPSTREAM = "https://git.invalid/upstream/comp.git"


class Mirrors(WorldTest):
    def setUp(self):
        super().setUp()
        w = self.w
        # The mirror: a bare repository on this machine, as `git clone --mirror` makes.
        self.mirror = w.component_repo("comp", [("1.0.0", {"comp.c": "int comp = 100;\n"}),
                                                ("1.1.0", {"comp.c": "int comp = 110;\n"})])
        w.add_component("comp", UPSTREAM, [{"version": "1.0.0"}, {"version": "1.1.0"}])
        # The user's own configuration file, where cmrx looks without CMRX_CONFIG.
        self.user_config = os.path.join(w.home, ".config", "cmrx", "config.yaml")
        self.p = w.new_project()

    def configure(self, text, path=None):
        write(path or self.user_config, text)
        return path or self.user_config

    def read(self, project, rel):
        with open(os.path.join(project, rel)) as f:
            return f.read()

    def fresh_cache(self, name):
        """The environment of another machine: an empty cache."""
        return {"XDG_CACHE_HOME": os.path.join(self.w.root, name)}

    def test_add_and_fetch_through_a_mirror_keep_the_upstream_url(self):
        w, p = self.w, self.p
        cfg = self.configure(f"# my mirrors\nmirrors:\n  {UPSTREAM}: {self.mirror}\n")
        r = self.ok(w.cmrx("add", "comp", cwd=p))
        self.assertIn(f"Replacing {UPSTREAM} with {self.mirror} (mirror from {cfg}:3)", r.err)
        self.assertIn("Adding comp 1.1.0", r.err)
        self.assertEqual(self.read(p, "packages/comp/comp.c"), "int comp = 110;\n")
        lock = self.lock(p)
        self.assertIn(f"git: {UPSTREAM}\n", lock)
        self.assertIn("commit: " + git("rev-parse", "1.1.0^{commit}", cwd=self.mirror), lock)
        for name in ("cmrx.lock", "cmrx.yaml"):
            self.assertNotIn(self.mirror, self.read(p, name))
            self.assertNotIn("remotes", self.read(p, name))

        # Another machine with the same mirror: fetch goes through it.
        w.commit_project(p)
        copy = w.clone_project(p, "copy")
        r = self.ok(w.cmrx("fetch", cwd=copy, env=self.fresh_cache("cache2")))
        self.assertIn(f"Replacing {UPSTREAM} with {self.mirror}", r.err)
        self.assertEqual(self.read(copy, "packages/comp/comp.c"), "int comp = 110;\n")
        self.assertEqual(self.lock(copy), lock)
        # A warm cache needs no remote, and so no mirror: nothing is replaced.
        shutil.rmtree(os.path.join(copy, "packages"))
        r = self.ok(w.cmrx("fetch", cwd=copy, env=self.fresh_cache("cache2")))
        self.assertNotIn("Replacing", r.err)

        # Without the mapping, the upstream URL is what cmrx contacts, and it
        # does not exist: a clear error that points to the configuration.
        os.remove(cfg)
        bare = w.clone_project(p, "bare")
        before = snapshot(bare)
        r = self.fails(w.cmrx("fetch", cwd=bare, env=self.fresh_cache("cache3")),
                       f"cannot fetch from git remote '{UPSTREAM}' (comp)",
                       f"map the URL to a local mirror in {cfg}")
        self.assertNotIn("Replacing", r.err)
        self.assertUnchanged(bare, before)
        # update contacts the remote of every package it may move: it fails too.
        before = snapshot(p)
        self.fails(w.cmrx("update", cwd=p), f"cannot fetch from git remote '{UPSTREAM}'")
        self.assertUnchanged(p, before)

    def test_longest_prefix_wins_and_relative_paths_follow_the_file(self):
        w, p = self.w, self.p
        remotes = os.path.dirname(self.mirror)
        # CMRX_CONFIG replaces the user's file (which maps to nowhere here);
        # a relative mirror path is relative to the file's own folder.
        self.configure(f"mirrors:\n  {UPSTREAM}: /nowhere/comp.git\n")
        ci = self.configure("mirrors:\n"
                            "  https://git.invalid/: /nowhere\n"
                            "  https://git.invalid/upstream/: ../remotes/\n"
                            "  https://git.invalid/up: /nowhere/either\n",
                            os.path.join(w.root, "ci", "config.yaml"))
        r = self.ok(w.cmrx("add", "comp@1.0.0", cwd=p, env={"CMRX_CONFIG": ci}))
        self.assertIn(f"Replacing {UPSTREAM} with {remotes}/comp.git (mirror from {ci}:3)", r.err)
        self.assertEqual(self.read(p, "packages/comp/comp.c"), "int comp = 100;\n")
        self.assertIn(f"git: {UPSTREAM}\n", self.lock(p))

    def test_a_registry_served_by_git_url_comes_through_its_mirror(self):
        w = self.w
        git("add", "-A", cwd=w.sdk)
        git("commit", "-q", "-m", "comp", cwd=w.sdk)
        url = "https://git.invalid/org/registry.git"
        self.configure(f"mirrors:\n  {url}: {w.sdk}\n")
        # --json: stdout stays pure JSON; the replacement is said on stderr.
        r = self.ok(w.cmrx("search", "comp", "--json", "--registry", url))
        self.assertEqual([x["name"] for x in json.loads(r.out)], ["comp"])
        self.assertIn(f"Replacing {url} with {w.sdk}", r.err)

    def test_bad_mirrors_and_configuration_leave_the_project_as_it_was(self):
        w, p = self.w, self.p
        empty = os.path.join(w.root, "empty")
        os.makedirs(empty)
        before = snapshot(p)
        cases = [
            (f"mirrors:\n  {UPSTREAM}: {w.root}/gone.git\n",
             [f"the mirror of {UPSTREAM} is {w.root}/gone.git, which does not exist "
              f"({self.user_config}:2, key '{UPSTREAM}' of 'mirrors')",
              f"hint: make the mirror there (`git clone --mirror {UPSTREAM} {w.root}/gone.git`"]),
            (f"mirrors:\n  https://git.invalid/: {empty}\n",
             [f"the mirror of {UPSTREAM} is {empty}/upstream/comp.git, which does not exist"]),
            (f"mirrors:\n\n  {UPSTREAM}: {empty}\n",
             [f"is {empty}, which is not a git repository ({self.user_config}:3, key"]),
            (f"mirrors:\n  {UPSTREAM}: [{empty}\n", [f"{self.user_config}:3:1: invalid YAML"]),
            (f"mirror:\n  {UPSTREAM}: {self.mirror}\n",
             [f"{self.user_config}:1: unknown key 'mirror'", "hint: known keys: mirrors"]),
            (f"mirrors:\n  {UPSTREAM}:\n    path: {self.mirror}\n",
             [f"{self.user_config}:3: 'mirrors.\"{UPSTREAM}\"' must be a non-empty string"]),
            (f"mirrors:\n  {UPSTREAM}: a\n  {UPSTREAM}: b\n",
             [f"{self.user_config}:3: 'mirrors': '{UPSTREAM}' appears twice (first on line 2)"]),
            (f"mirrors: {self.mirror}\n",
             [f"{self.user_config}:1: 'mirrors' must be a mapping of upstream URLs to mirrors"]),
        ]
        for text, parts in cases:
            with self.subTest(config=text):
                self.configure(text)
                self.fails(w.cmrx("add", "comp", cwd=p), *parts)
                self.assertUnchanged(p, before)
        # A fetch into a copy whose packages are missing changes nothing either.
        self.configure(f"mirrors:\n  {UPSTREAM}: {self.mirror}\n")
        self.ok(w.cmrx("add", "comp", cwd=p))
        w.commit_project(p)
        copy = w.clone_project(p, "copy")
        self.configure(f"mirrors:\n  {UPSTREAM}: {empty}\n")
        before = snapshot(copy)
        self.fails(w.cmrx("fetch", cwd=copy, env=self.fresh_cache("cache2")),
                   "which is not a git repository")
        self.assertUnchanged(copy, before)
        # CMRX_CONFIG must name a file that exists.
        missing = os.path.join(w.root, "no-such-config.yaml")
        self.fails(w.cmrx("fetch", cwd=copy, env=dict(self.fresh_cache("cache3"),
                                                      CMRX_CONFIG=missing)),
                   f"CMRX_CONFIG names {missing}, which does not exist")
        self.assertUnchanged(copy, before)

    def test_doctor_shows_the_mapping(self):
        w = self.w
        cfg = self.configure(f"mirrors:\n  {UPSTREAM}: {self.mirror}\n"
                             f"  https://git.invalid/gone/: {w.root}/gone\n")
        r = w.cmrx("doctor")
        self.assertIn(f"CONFIG  {cfg}: read, 2 mirrors\n", r.out)
        self.assertRegex(r.out, rf"(?m)^{UPSTREAM} +ok +{self.mirror}: git repository$")
        self.assertRegex(r.out, rf"(?m)^https://git.invalid/gone/ +MISSING +{w.root}/gone: "
                         "does not exist$")
        self.fails(r, "hint: ", f"remove its key from {cfg}")
        checks = {c["tool"]: c for c in json.loads(w.cmrx("doctor", "--json").out)}
        self.assertTrue(checks[f"mirror of {UPSTREAM}"]["ok"])
        self.assertEqual(checks[f"mirror of {UPSTREAM}"]["path"], self.mirror)
        self.assertFalse(checks["mirror of https://git.invalid/gone/"]["ok"])
        self.assertEqual(checks["config"]["path"], cfg)
        # $XDG_CONFIG_HOME moves the file; CMRX_CONFIG beats both.
        xdg = os.path.join(w.root, "xdg")
        r = w.cmrx("doctor", env={"XDG_CONFIG_HOME": xdg})
        self.assertIn(f"CONFIG  {xdg}/cmrx/config.yaml: no such file, 0 mirrors\n", r.out)
        r = w.cmrx("doctor", env={"XDG_CONFIG_HOME": xdg, "CMRX_CONFIG": "/dev/null"})
        self.assertIn("CONFIG  /dev/null: read, 0 mirrors (from CMRX_CONFIG)\n", r.out)
        # A broken file is a failed check naming its line.
        self.configure("mirrors:\n  - a\n")
        r = w.cmrx("doctor")
        self.assertIn(f"CONFIG  BROKEN: {cfg}:2: 'mirrors' must be a mapping", r.out)
        self.assertEqual(r.code, 1, r)


SHARED = SHARED_MIRRORS


class SharedMirror(WorldTest):
    def test_add_fs_fetches_littlefs_from_the_shared_mirror(self):
        """`cmrx add fs` in a fresh project: the fs component with littlefs,
        a library of the registry from its upstream URL, locked at the tag's
        real commit; `cmrx fetch` on a fresh clone reproduces packages/ byte
        for byte."""
        mirror = os.path.join(SHARED, "littlefs.git")
        if not os.path.isdir(mirror):
            self.skipTest(f"the shared mirror {mirror} is absent (a machine with the network "
                          "reaches littlefs upstream instead)")
        w = self.w
        # The SDK's own entries for fs, blockdev and littlefs, over copies of
        # the components in this world's SDK repository.
        with open(os.path.join(SDK, "registry", "index.json")) as f:
            real = {p["name"]: p for p in json.load(f)["packages"]}
        for name in ("blockdev", "fs"):
            shutil.copytree(os.path.join(SDK, "components", name),
                            os.path.join(w.sdk, "components", name))
        git("add", "-A", cwd=w.sdk)
        git("commit", "-q", "-m", "fs", cwd=w.sdk)
        w.packages += [real["littlefs"], real["blockdev"], real["fs"]]
        w.write_index()
        # As CI maps it: a file of its own, named by CMRX_CONFIG.
        cfg = os.path.join(w.root, "ci", "config.yaml")
        write(cfg, f"mirrors:\n  {LITTLEFS_UPSTREAM}: {mirror}\n")
        w.env["CMRX_CONFIG"] = cfg
        p = w.new_project()
        r = self.ok(w.cmrx("add", "fs", cwd=p))
        self.assertIn(f"Replacing {LITTLEFS_UPSTREAM} with {mirror}", r.err)
        self.assertIn("Adding littlefs 2.9.3", r.err)
        commit = git("rev-parse", "v2.9.3^{commit}", cwd=mirror)
        self.assertEqual(commit, "d01280e64934a09ba16cac60cf9d3a37e228bb66")
        lock = self.lock(p)
        self.assertIn(f"git: {LITTLEFS_UPSTREAM}\n", lock)
        self.assertIn(f"tag: v2.9.3\n  commit: {commit}\n", lock)
        self.assertIn("checksum: " + git("rev-parse", "v2.9.3^{tree}", cwd=mirror), lock)
        self.assertIn("kind: library", lock)
        self.assertTrue(os.path.isfile(os.path.join(p, "packages", "littlefs", "lfs.c")))
        self.assertTrue(os.path.isfile(os.path.join(p, "packages", "fs", "component.cmake")))
        # The older release, by constraint.
        r = self.ok(w.cmrx("add", "littlefs@~2.8", cwd=p))
        self.assertIn("tag: v2.8.2\n  commit: 3513ff1afc1d67adb2e6f492f0b9bc0d798fcb0d\n",
                      self.lock(p))
        # A fresh clone on a machine with an empty cache fetches it the same.
        w.commit_project(p)
        copy = w.clone_project(p, "copy")
        self.ok(w.cmrx("fetch", cwd=copy, env={"XDG_CACHE_HOME": os.path.join(w.root, "c2")}))
        self.assertEqual(tree(os.path.join(copy, "packages")), tree(os.path.join(p, "packages")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
