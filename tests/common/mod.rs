//! What the end-to-end tests share: temporary catalogues and the binary run in a cleared,
//! stable environment.

#![allow(dead_code, reason = "each test crate uses a different part")]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

pub mod git;
pub mod http;

/// The repository root.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The keys of a JSON object, in order: the documented shape of an output.
pub fn keys_of(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Copy a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A catalogue root holding the repository's `schema/` and the given entries
/// (`(path under catalogue/, text)`).
pub fn catalogue(entries: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
    fs::create_dir_all(dir.path().join("catalogue")).expect("catalogue dir");
    for (path, text) in entries {
        let file = dir.path().join("catalogue").join(path);
        fs::create_dir_all(file.parent().expect("parent")).expect("force dir");
        fs::write(file, text).expect("write entry");
    }
    dir
}

/// A private copy of the shipped catalogue and schema.
pub fn shipped() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(REPO).join("catalogue"),
        &dir.path().join("catalogue"),
    );
    copy_dir(&Path::new(REPO).join("schema"), &dir.path().join("schema"));
    dir
}

/// The binary, run in `dir` with an environment that makes output stable: no colour, 100
/// columns, a fixed "today", `HOME` in the temporary folder, and no index builds left running
/// in the background (the tests of that build turn it back on).
pub fn nsi(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("nsi").expect("binary");
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("NSI_TODAY", "2026-11-28")
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .current_dir(dir);
    command
}

/// Run `command`, require exit 0 (showing stderr otherwise) and return its stdout.
pub fn stdout_of(command: &mut Command) -> String {
    let output = command.output().expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// A tmux server of our own (a real pseudo-terminal), killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Start `command` in a detached 160×45 session, in `dir`.
    pub fn start(dir: &Path, command: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "nsi-test-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        );
        let status = std::process::Command::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-x",
                "160",
                "-y",
                "45",
                command,
            ])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .status()
            .expect("tmux is installed (scripts/test, the README's test command, installs it)");
        assert!(status.success());
        Tmux { socket }
    }

    /// What the terminal shows.
    pub fn screen(&self) -> String {
        let output = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("capture");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Type `keys` (tmux key names or text), one after the other.
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            let status = std::process::Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", key])
                .status()
                .expect("send-keys");
            assert!(status.success());
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Wait (at most 20 s) until the screen satisfies `done`, and return it.
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = std::time::Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Wait for `prompt` to show, then type `keys`.
    pub fn answer(&self, prompt: &str, keys: &[&str]) {
        self.wait_for(prompt, |screen| screen.contains(prompt));
        self.keys(keys);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Wait (at most 30 s) for another process to create the file `path`.
pub fn wait_until_written(path: &Path) {
    let started = std::time::Instant::now();
    while !path.is_file() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "timed out waiting for {}",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Wait (at most 30 s) for `path` to exist, then return its content.
pub fn wait_for_file(path: &Path) -> String {
    wait_until_written(path);
    std::thread::sleep(std::time::Duration::from_millis(100));
    fs::read_to_string(path).expect("read")
}

/// Run `nsi ARGS` in `dir` in a pseudo-terminal (`script`, from util-linux, which every
/// Debian has), with a cleared environment plus `env`: its exit code and all it wrote, the
/// terminal's `\r\n` turned back into `\n` (a bare `\r` is what a progress bar leaves).
pub fn in_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let binary = assert_cmd::cargo::cargo_bin("nsi");
    let mut command = std::process::Command::new("script");
    command
        .args(["-q", "-e", "-c"])
        .arg(format!("'{}' {args}", binary.display()))
        .arg("/dev/null")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("NSI_TODAY", "2026-11-28")
        .env("TERM", "xterm");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command
        .output()
        .expect("`script` (util-linux) runs the binary in a pseudo-terminal");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    )
}

/// Compare `text` with the snapshot `tests/snapshots/<name>` (e.g. `review/bad.md`): a rendered
/// output whose every character matters, where asserting substrings would let a change slip
/// through. With `UPDATE_SNAPSHOTS=1` the snapshot is written instead; review the diff in git.
pub fn assert_snapshot(name: &str, text: &str) {
    if let Some(difference) = snapshot_differs(name, text) {
        panic!("{difference}");
    }
}

/// What [`assert_snapshot`] would fail with, if anything (for a test that checks many
/// snapshots and reports every one that differs).
pub fn snapshot_differs(name: &str, text: &str) -> Option<String> {
    let text = without_commit_ids(text);
    let path = Path::new(REPO).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        fs::write(&path, &text).expect("write the snapshot");
        return None;
    }
    let on_disk = fs::read_to_string(&path).unwrap_or_default();
    (on_disk != text).then(|| {
        let first = on_disk
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| on_disk.lines().count().min(text.lines().count()));
        format!(
            "{name} differs from tests/snapshots/{name} from line {} (run with \
             UPDATE_SNAPSHOTS=1 if the change is intended); got:\n{text}",
            first + 1
        )
    })
}

/// `text` with each abbreviated commit id in parentheses, e.g. `main (c05d73a)`, written as
/// `(COMMIT)`: ids change whenever the shipped catalogue does, and say nothing of the output.
fn without_commit_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hex = after.chars().take_while(char::is_ascii_hexdigit).count();
        if (7..=40).contains(&hex) && after[hex..].starts_with(')') {
            out.push_str("(COMMIT)");
            rest = &after[hex + 1..];
        } else {
            out.push('(');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}
