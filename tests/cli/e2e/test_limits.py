"""Packages and machines at their limits: names and paths too long to
write, a large file, a full disk, a file size limit. Each is refused with
a clear error, the project left as it was, and a retry works once the cause
is gone. Inputs are made cheaply (trees built with git mktree, files of
zeros that compress to nothing) and removed with the test's world."""
import glob
import hashlib
import os
import pty
import resource
import subprocess
import sys
import unittest
import zlib

from harness import CMRX, ProjectTest, git, write


class Limits(ProjectTest):
    def tag_tree(self, version, tree):
        """Tag a commit of tree `tree` as `version` of package comp and list it."""
        work = os.path.join(self.w.root, "src", "comp")
        git("tag", version, git("commit-tree", "-m", version, tree, cwd=work), cwd=work)
        git("push", "-q", self.comp, f"refs/tags/{version}", cwd=work)
        self.w.package("comp")["versions"].append({"version": version, "git": self.comp})
        self.w.write_index()

    def nested(self, names, files):
        """A tree holding folders names[0]/names[1]/... with `files` (name ->
        blob id) in the last one."""
        work = os.path.join(self.w.root, "src", "comp")
        tree = git("mktree", cwd=work, input="".join(f"100644 blob {b}\t{n}\n"
                                                    for n, b in files.items()))
        for n in reversed(names):
            tree = git("mktree", cwd=work, input=f"040000 tree {tree}\t{n}\n")
        return tree

    def blob(self, text):
        return git("hash-object", "-w", "--stdin", cwd=os.path.join(self.w.root, "src", "comp"),
                   input=text)

    def test_names_and_paths_too_long_to_write(self):
        f = {"f.c": self.blob("x\n")}
        self.tag_tree("3.0.0", self.nested([], {"n" * 256: f["f.c"]}))
        self.run_bad("add", "comp@=3.0.0", parts=(
            "package 'comp' 3.0.0: the package holds a name of 256 bytes ('nnnnnnnn",
            "file systems take names of at most 255 bytes", "tell the package's maintainer"))
        self.tag_tree("3.1.0", self.nested(["d" * 200] * 21, f))
        r = self.run_bad("add", "comp@=3.1.0", parts=(
            "package 'comp' 3.1.0: the package holds a path of ", "bytes ('dddddddd",
            "longer than the 4095 bytes",
            "move the project to a shorter path"))
        self.assertLess(len(r.err), 1000, "the message quotes the whole path")
        # At the limits that fit: a name of 255 bytes, 500 folders deep.
        self.tag_tree("3.2.0", self.nested(["d"] * 500, {"n" * 255: f["f.c"]}))
        self.ok(self.w.cmrx("add", "comp@=3.2.0", cwd=self.p))
        self.ok(self.w.cmrx("fetch", cwd=self.p))
        self.assertTrue(os.path.isfile(os.path.join(self.p, "packages/comp", "d/" * 500,
                                                    "n" * 255)))

    # Names "a", "aa", "aaa"...: each is a prefix of all that follow, and the
    # search for two entries of one name compared every pair, so the work
    # grew with the cube of their number (14 s of CPU for 10,000 names, a
    # 50 KB download). Names too long for any file system are refused first.
    def test_a_tree_of_names_that_prefix_each_other(self):
        work = os.path.join(self.w.root, "src", "comp")
        blob = self.blob("x\n")
        self.tag_tree("3.0.0", git("mktree", cwd=work, input="".join(
            f"100644 blob {blob}\t{'a' * i}\n" for i in range(1, 8001))))
        cpu = lambda: resource.setrlimit(resource.RLIMIT_CPU, (3, 3))
        r = subprocess.run([CMRX, "add", "comp@=3.0.0"], cwd=self.p, env=self.w.env,
                           capture_output=True, text=True, preexec_fn=cpu)
        self.assertEqual(r.returncode, 1, "killed by the CPU time limit" if r.returncode < 0 else r)
        self.assertIn("the package holds a name of 256 bytes", r.stderr)
        self.assertUnchanged(self.p, self.before)

    # Each symbolic link is followed as the file system would, component by
    # component: 1,000 links through 2,000 components each kept cmrx busy
    # for seconds, and a target of 500 KB (a few bytes compressed) for
    # minutes. A target too long for a link, or a check too long, is refused.
    def test_links_too_long_to_follow(self):
        work = os.path.join(self.w.root, "src", "comp")
        a = self.blob("x\n")
        d = git("mktree", cwd=work, input=f"100644 blob {a}\tf\n")
        for v, target, n, msg in (
                ("3.0.0", "d/.." * 1000 + "/a.c", 1000, "the package's symbolic links take more "
                 "than 1000000 steps to follow"),
                ("3.1.0", "d/.." * 2000 + "/a.c", 1, "symbolic link 'l0' has a target of 8004 "
                 "bytes; links hold at most 4095")):
            link = self.blob(target)
            self.tag_tree(v, git("mktree", cwd=work, input=f"100644 blob {a}\ta.c\n"
                                 f"040000 tree {d}\td\n" + "".join(f"120000 blob {link}\tl{i}\n"
                                                                   for i in range(n))))
            cpu = lambda: resource.setrlimit(resource.RLIMIT_CPU, (3, 3))
            r = subprocess.run([CMRX, "add", f"comp@={v}"], cwd=self.p, env=self.w.env,
                               capture_output=True, text=True, preexec_fn=cpu)
            self.assertEqual(r.returncode, 1, "killed by the CPU limit" if r.returncode < 0 else r)
            self.assertIn(msg, r.stderr)
            self.assertUnchanged(self.p, self.before)

    # A tree 20,000 folders deep (40 KB of path): libgit2's walk of a tree
    # recurses, and overflowed the stack (here 1 MB) before any path was
    # found too long. The walk stops at the first path too long.
    def test_a_tree_deeper_than_any_path(self):
        w, p = self.w, self.p
        objects = os.path.join(self.comp, "objects")

        def put(kind, body):  # a loose object; git's own tools crash on such trees
            data = f"{kind} {len(body)}\0".encode() + body
            name = hashlib.sha1(data).hexdigest()
            os.makedirs(os.path.join(objects, name[:2]), exist_ok=True)
            with open(os.path.join(objects, name[:2], name[2:]), "wb") as f:
                f.write(zlib.compress(data, 1))
            return name

        tree = put("tree", b"100644 f.c\0" + bytes.fromhex(put("blob", b"x\n")))
        for _ in range(20000):
            tree = put("tree", b"40000 d\0" + bytes.fromhex(tree))
        commit = put("commit", f"tree {tree}\nauthor T <t@e> 0 +0000\ncommitter T <t@e> 0 "
                               "+0000\n\ndeep\n".encode())
        # In the cache already, as libgit2 could not pack it to fetch it.
        mirror = glob.glob(os.path.join(w.cache, "cmrx", "git", "comp-*.git"))[0]
        write(os.path.join(mirror, "objects", "info", "alternates"), objects + "\n")
        for repo in (self.comp, mirror):
            write(os.path.join(repo, "refs", "tags", "3.0.0"), commit + "\n")
        w.package("comp")["versions"].append({"version": "3.0.0", "git": self.comp})
        w.write_index()
        stack = lambda: resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))
        r = subprocess.run([CMRX, "add", "comp@=3.0.0"], cwd=p, env=w.env, capture_output=True,
                           text=True, preexec_fn=stack)
        self.assertEqual(r.returncode, 1, "crashed" if r.returncode < 0 else r)
        self.assertIn("the package holds a path of ", r.stderr)
        self.assertUnchanged(p, self.before)

    # Writing 50,000 files took seconds with nothing on the terminal after
    # the fetch's bar: the unpacking has a bar of its own.
    def test_unpacking_shows_progress_on_a_terminal(self):
        w, p = self.w, self.p
        work = os.path.join(w.root, "src", "comp")
        stream = ["blob", "mark :1", "data 2", "x", "commit refs/tags/3.0.0",
                  "committer T <t@e> 0 +0000", "data 4", "many"]
        stream += [f"M 100644 :1 d{i // 100}/f{i}.c" for i in range(2000)]
        git("fast-import", "--quiet", cwd=work, input="\n".join(stream) + "\n\n")
        git("push", "-q", self.comp, "refs/tags/3.0.0", cwd=work)
        w.package("comp")["versions"].append({"version": "3.0.0", "git": self.comp})
        w.write_index()
        env = dict(w.env)
        env.pop("NO_COLOR")
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(p)
            os.execve(CMRX, [CMRX, "add", "comp@=3.0.0"], env)
        out = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal closed: cmrx ended
                break
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        text = out.decode(errors="replace")
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, text)
        self.assertRegex(text, r"Unpacking\S* comp +\[=+\] 100% 2000/2000 files\x1b\[K\r\x1b\[K")
        self.assertIn("Updating", text.split("2000/2000 files")[-1])

    def big_file_version(self, version, size, source="/dev/zero"):
        """Version `version` of comp: one file of `size` bytes of `source`."""
        work = os.path.join(self.w.root, "src", "comp")
        blob = subprocess.run(f"head -c {size} {source} | git hash-object -w --stdin", shell=True,
                              cwd=work, capture_output=True, text=True, check=True).stdout.strip()
        self.tag_tree(version, git("mktree", cwd=work, input=f"100644 blob {blob}\tbig.bin\n"))

    def test_checking_a_large_package_takes_little_memory(self):
        w, p = self.w, self.p
        self.big_file_version("3.0.0", 64 << 20)
        self.ok(w.cmrx("add", "comp@=3.0.0", cwd=p))
        # `cmrx fetch` hashes every package folder: the file is read in
        # pieces, not held in memory (twice, it was). Measured from a small
        # process: a child's peak counts its parent's memory at fork.
        probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
                 "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        r = subprocess.run([sys.executable, "-c", probe, CMRX, "fetch"], cwd=p, env=w.env,
                           capture_output=True, text=True)
        code, peak = map(int, r.stdout.split())
        self.assertEqual(code, 0, r.stderr)
        self.assertIn("0 unpacked", r.stderr)
        self.assertLess(peak, 32 << 10, "KiB at peak")
    # A file size limit (ulimit -f) used to kill cmrx (SIGXFSZ) without a
    # word; a full disk blamed the remote. Both now say what filled up.
    def test_a_file_size_limit(self):
        w, p = self.w, self.p
        self.big_file_version("3.0.0", 3 << 20)
        limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        r = subprocess.run([CMRX, "add", "comp@=3.0.0"], cwd=p, env=w.env, capture_output=True,
                           text=True, preexec_fn=limit)
        self.assertEqual(r.returncode, 1, r.stderr)
        for part in ("big.bin': File too large", "a limit on file sizes",
                     "nothing was changed"):
            self.assertIn(part, r.stderr)
        self.assertUnchanged(p, self.before)
        self.ok(w.cmrx("add", "comp@=3.0.0", cwd=p))

    def test_a_full_disk(self):
        w, p = self.w, self.p
        self.big_file_version("3.0.0", 3 << 20, "/dev/urandom")  # 3 MB in the cache too
        # A 1 MB file system in place of the cache, then of the staging
        # folder, in a mount namespace of the test's own.
        for full, where in ((w.cache, "the cache"), (os.path.join(p, ".cmrx"), "the project")):
            r = subprocess.run(["unshare", "-rm", "sh", "-c",
                                'mount -t tmpfs -o size=1m tmpfs "$0" && exec "$@"', full,
                                CMRX, "add", "comp@=3.0.0"],
                               cwd=p, env=w.env, capture_output=True, text=True)
            if "mount" in r.stderr and "error:" not in r.stderr:
                self.skipTest(f"cannot mount a small file system here: {r.stderr}")
            self.assertEqual(r.returncode, 1, r.stderr)
            for part in ("No space left on device", f"the file system holding {where}",
                         "is full"):
                self.assertIn(part, r.stderr)
            self.assertNotIn("check the URL", r.stderr)
            self.assertUnchanged(p, self.before)
        self.ok(w.cmrx("add", "comp@=3.0.0", cwd=p))

    # packages/ a mount point of its own (a container's volume, say): cmrx
    # moves folders between it and .cmrx/ by renaming, which cannot cross
    # file systems. Said before anything is moved, with what to do.
    def test_packages_on_another_file_system(self):
        w, p = self.w, self.p
        pkgs, saved = os.path.join(p, "packages"), os.path.join(w.root, "saved")
        r = subprocess.run(["unshare", "-rm", "sh", "-c",
                            'cp -a "$0" "$1" && mount -t tmpfs tmpfs "$0" && cp -a "$1"/. "$0" && '
                            'shift && exec "$@"', pkgs, saved, CMRX, "add", "comp@^2"],
                           cwd=p, env=w.env, capture_output=True, text=True)
        if "mount" in r.stderr and "error:" not in r.stderr:
            self.skipTest(f"cannot mount a file system here: {r.stderr}")
        self.assertEqual(r.returncode, 1, r.stderr)
        for part in (f"{pkgs} and {p}/.cmrx are on different file systems",
                     "keep the project's packages/ and .cmrx/ on one file system",
                     "nothing was changed"):
            self.assertIn(part, r.stderr)
        self.assertNotIn("undone", r.stderr)
        self.assertUnchanged(p, self.before)


if __name__ == "__main__":
    unittest.main()
