"""All or nothing: commands killed midway (while checking out, while
cloning into the cache) leave the project byte-identical; a change killed
after its commit point is finished by the next run; two cmrx runs in one
project take turns."""
import glob
import os
import shutil
import signal
import tempfile
import time
import unittest

from harness import WorldTest, make_repo, snapshot, tree, write

# Enough files that checking the package out takes a while to interrupt.
BIG_FILES = 800


class Atomicity(WorldTest):
    @classmethod
    def setUpClass(cls):
        # Files are slow to create: one big repository serves every test.
        cls.shared = tempfile.mkdtemp(prefix="cmrx-e2e-big-")
        cls.addClassCleanup(shutil.rmtree, cls.shared, True)
        files = {f"src/d{i // 100}/f{i}.c": f"int f{i};\n" * 20 for i in range(BIG_FILES)}
        cls.big = make_repo(cls.shared, "big", [("1.0.0", files)])

    def setUp(self):
        super().setUp()
        w = self.w
        w.add_component("big", self.big, [{"version": "1.0.0"}])
        small = w.component_repo("small", [("1.0.0", {"s.c": "1.0\n"}),
                                           ("1.1.0", {"s.c": "1.1\n"})])
        w.add_component("small", small, [{"version": "1.0.0"}, {"version": "1.1.0"}])
        self.p = w.new_project()

    def kill_when(self, proc, condition, what):
        """SIGKILL proc as soon as condition() holds; fail if it ends first."""
        deadline = time.monotonic() + 30
        while not condition():
            if proc.poll() is not None:
                out, err = proc.communicate()
                self.fail(f"cmrx ended (exit {proc.returncode}) before {what}: {err.decode()}")
            if time.monotonic() > deadline:
                proc.kill()
                self.fail(f"timed out waiting for {what}")
            time.sleep(0.0005)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        self.assertEqual(proc.returncode, -signal.SIGKILL, f"cmrx was not killed {what}")

    def staged(self, name):
        return lambda: os.path.isdir(os.path.join(self.p, ".cmrx/txn/new", name))

    def test_fetch_killed_midway(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "big", "small", cwd=p))
        complete = tree(os.path.join(p, "packages"))
        shutil.rmtree(os.path.join(p, "packages/big"))
        before = snapshot(p)
        self.kill_when(w.spawn("fetch", cwd=p), self.staged("big"), "while checking out")
        self.assertEqual(snapshot(p), before)
        self.assertFalse(os.path.exists(os.path.join(p, ".cmrx/txn/journal")))
        # The next run discards the leftovers and does the whole job.
        self.ok(w.cmrx("fetch", cwd=p))
        self.assertEqual(tree(os.path.join(p, "packages")), complete)
        self.assertFalse(os.path.exists(os.path.join(p, ".cmrx/txn")))

    def test_add_killed_midway(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "small@1.0.0", cwd=p))
        before = snapshot(p)
        self.kill_when(w.spawn("add", "big", "small@1.1.0", cwd=p), self.staged("big"),
                       "while checking out")
        self.assertEqual(snapshot(p), before)
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertEqual(snapshot(p), before)
        self.assertIn("0 unpacked", r.err)

    def test_clone_into_the_cache_killed_midway(self):
        w, p = self.w, self.p
        before = snapshot(p)
        cache_git = os.path.join(w.cache, "cmrx/git")
        self.kill_when(w.spawn("add", "big", cwd=p),
                       lambda: glob.glob(os.path.join(cache_git, "big-*.git.new")),
                       "while cloning into the cache")
        self.assertEqual(snapshot(p), before)
        self.assertEqual(glob.glob(os.path.join(cache_git, "big-*.git")), [])
        self.ok(w.cmrx("add", "big", cwd=p))
        self.assertEqual(glob.glob(os.path.join(cache_git, "big-*.git.new")), [])
        self.assertTrue(os.path.isfile(os.path.join(p, f"packages/big/src/d7/f{BIG_FILES - 1}.c")))

    def test_a_committed_change_is_finished_by_the_next_run(self):
        w, p = self.w, self.p
        self.ok(w.cmrx("add", "small@1.0.0", cwd=p))
        # What `cmrx add small@1.1.0` makes, done in a copy.
        done = os.path.join(w.root, "done")
        shutil.copytree(p, done, symlinks=True)
        self.ok(w.cmrx("add", "small@1.1.0", cwd=done))
        after = snapshot(done)
        self.assertNotEqual(snapshot(p), after)
        # The state right after the commit point, with the first step (moving
        # the old package aside) already done: only the journal says what to do.
        txn = os.path.join(p, ".cmrx/txn")
        os.makedirs(os.path.join(txn, "old"))
        shutil.copytree(os.path.join(done, "packages/small"), os.path.join(txn, "new/small"))
        os.rename(os.path.join(p, "packages/small"), os.path.join(txn, "old/small"))
        for f in ("cmrx.yaml", "cmrx.lock"):
            shutil.copy(os.path.join(done, f), os.path.join(txn, f))
        write(os.path.join(txn, "journal"), "install small\nfile cmrx.yaml\nfile cmrx.lock\n")
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertIn("finished a change", r.err)
        self.assertEqual(snapshot(p), after)
        self.assertFalse(os.path.exists(txn))

    def test_an_uncommitted_change_is_discarded(self):
        w, p = self.w, self.p
        before = snapshot(p)
        txn = os.path.join(p, ".cmrx/txn")
        write(os.path.join(txn, "new/small/s.c"), "half\n")
        write(os.path.join(txn, "cmrx.lock"), "garbage")
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertNotIn("finished a change", r.err)
        self.assertEqual(snapshot(p), before)
        self.assertFalse(os.path.exists(txn))

    def test_two_runs_in_one_project_take_turns(self):
        w, p = self.w, self.p
        a = w.spawn("add", "big", cwd=p)
        b = w.spawn("add", "small", cwd=p)
        for proc in (a, b):
            out, err = proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, 0, err.decode())
        with open(os.path.join(p, "cmrx.yaml")) as f:
            yaml = f.read()
        self.assertIn("  big: ^1.0.0\n", yaml)
        self.assertIn("  small: ^1.1.0\n", yaml)
        self.assertEqual(sorted(os.listdir(os.path.join(p, "packages"))),
                         ["big", "kernel", "qemu-mps2-an385", "small"])


if __name__ == "__main__":
    unittest.main()
