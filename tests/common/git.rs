//! Real git repositories for the tests: a temporary clone-like repository holding a catalogue,
//! commits with fixed authors and dates, and bare `file://` remotes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::{REPO, copy_dir};

/// A temporary git repository whose work tree is a catalogue root.
pub struct GitRepo {
    /// The folder (work tree and catalogue root).
    pub dir: TempDir,
    /// How many commits `commit` has made, to give each a distinct fixed date.
    commits: std::cell::Cell<u32>,
}

/// Run git in `dir` with a fixed, isolated environment; panics with git's output on failure.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir, args).output().expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A git command in `dir`, isolated from the user's configuration.
pub fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("HOME", dir);
    command
}

impl GitRepo {
    /// A repository on branch `main` holding the shipped catalogue and schema in one commit by
    /// "Ada Admin" on 2026-01-01.
    pub fn shipped() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(REPO).join("catalogue"),
            &dir.path().join("catalogue"),
        );
        copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
        let repo = GitRepo {
            dir,
            commits: std::cell::Cell::new(0),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test Publisher"]);
        repo.git(&["config", "user.email", "publisher@force.police.example"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.commit_all("Initial catalogue", "Ada Admin", "ada@nsi.police.example");
        repo
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run git here.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    /// Stage everything and commit as `author`, on a fixed date a day after the last commit.
    pub fn commit_all(&self, message: &str, author: &str, email: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_staged(message, author, email)
    }

    /// Commit what is staged as `author`, on a fixed date a day after the last commit.
    pub fn commit_staged(&self, message: &str, author: &str, email: &str) -> String {
        let n = self.commits.get() + 1;
        self.commits.set(n);
        let date = format!("2026-01-{:02}T10:00:00+00:00", n.min(28));
        let output = git_command(self.path(), &["commit", "-q", "-m", message])
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_COMMITTER_EMAIL", email)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git commit");
        assert!(
            output.status.success(),
            "commit failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// The path of a file in the work tree.
    pub fn file(&self, relative: &str) -> PathBuf {
        self.path().join(relative)
    }

    /// Read a work-tree file.
    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.file(relative)).expect("read file")
    }

    /// Write a work-tree file (creating folders).
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.file(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write file");
    }

    /// Replace `from` with `to` in a work-tree file, asserting `from` is there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// A bare repository in a new temporary folder, added as remote `name` by `file://` URL,
    /// with `main` pushed to it.
    pub fn add_bare_remote(&self, name: &str) -> TempDir {
        let bare = tempfile::tempdir().expect("temp dir");
        git_in(bare.path(), &["init", "-q", "--bare", "-b", "main"]);
        let url = format!("file://{}", bare.path().display());
        self.git(&["remote", "add", name, &url]);
        self.git(&["push", "-q", name, "main"]);
        self.git(&["fetch", "-q", name]);
        bare
    }
}
