//! Nothing lost, nothing half-written: several nsi processes on one catalogue at once, and
//! processes killed in the middle of writing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{REPO, copy_dir, nsi, shipped};

/// The binary as a plain process (for running several at once and killing them).
fn process(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nsi"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("NSI_TODAY", "2026-11-28")
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn entry_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for force in fs::read_dir(root.join("catalogue")).expect("catalogue") {
        for file in fs::read_dir(force.expect("force").path()).expect("force dir") {
            let path = file.expect("file").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A catalogue of `copies` copies of every shipped entry (distinct ids), none of them in
/// canonical form (dates double-quoted), so `nsi fmt` has every file to rewrite.
fn big_uncanonical(copies: usize) -> tempfile::TempDir {
    let dir = shipped();
    for file in entry_files(dir.path()) {
        let text = fs::read_to_string(&file).expect("read");
        let stem = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let uncanonical = |t: &str| {
            t.lines()
                .map(|line| {
                    let trimmed = line.trim_start();
                    let dated = ["valid_until: '", "created: '", "last_reviewed: '"]
                        .iter()
                        .any(|key| trimmed.starts_with(key));
                    if dated && line.ends_with('\'') {
                        line.replace('\'', "\"")
                    } else {
                        line.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        };
        for i in 0..copies {
            let id = format!("{stem}-copy-{i}");
            let copy =
                uncanonical(&text.replacen(&format!("id: {stem}\n"), &format!("id: {id}\n"), 1));
            fs::write(file.with_file_name(format!("{id}.yaml")), copy).expect("write copy");
        }
        fs::write(&file, uncanonical(&text)).expect("rewrite");
    }
    dir
}

#[test]
fn two_adds_of_the_same_entry_at_once_write_one_file_and_refuse_the_other() {
    let dir = shipped();
    let template = fs::read_to_string(
        Path::new(REPO).join("catalogue/avon-and-somerset/drone-flight-log.yaml"),
    )
    .expect("read");
    for round in 0..8 {
        let id = format!("race-entry-{round}");
        let a = template.replace("id: drone-flight-log", &format!("id: {id}"));
        let b = a.replace("title: Drone Unit Flight Log", "title: The Other Writer");
        let (file_a, file_b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&file_a, &a).expect("write a");
        fs::write(&file_b, &b).expect("write b");
        let children: Vec<Child> = [&file_a, &file_b]
            .iter()
            .map(|f| {
                process(
                    dir.path(),
                    &["add", "--yes", "--from", &f.to_string_lossy()],
                )
                .spawn()
                .expect("spawn")
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait"))
            .collect();
        let succeeded = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(
            succeeded, 1,
            "round {round}: exactly one add wins: {outputs:?}"
        );
        let loser = outputs
            .iter()
            .find(|o| !o.status.success())
            .expect("a loser");
        assert_ne!(loser.status.code(), Some(101), "no panic");
        let message = String::from_utf8_lossy(&loser.stderr);
        assert!(message.contains("already"), "round {round}: {message}");
        let written = fs::read_to_string(
            dir.path()
                .join(format!("catalogue/avon-and-somerset/{id}.yaml")),
        )
        .expect("the winner's file");
        assert!(
            written.contains("title: Drone Unit Flight Log")
                || written.contains("title: The Other Writer"),
            "{written}"
        );
    }
    nsi(dir.path()).args(["validate"]).assert().success();
}

#[test]
fn fmt_and_add_running_together_leave_every_file_whole() {
    let dir = big_uncanonical(10);
    let template = fs::read_to_string(
        Path::new(REPO).join("catalogue/avon-and-somerset/drone-flight-log.yaml"),
    )
    .expect("read");
    let fmt = process(dir.path(), &["fmt"]).spawn().expect("spawn fmt");
    let mut adds = Vec::new();
    for i in 0..6 {
        let file = dir.path().join(format!("new-{i}.yaml"));
        fs::write(
            &file,
            template.replace("id: drone-flight-log", &format!("id: added-during-fmt-{i}")),
        )
        .expect("write");
        adds.push(
            process(
                dir.path(),
                &["add", "--yes", "--from", &file.to_string_lossy()],
            )
            .spawn()
            .expect("spawn add"),
        );
    }
    let fmt = fmt.wait_with_output().expect("fmt");
    assert_ne!(fmt.status.code(), Some(101));
    for add in adds {
        let out = add.wait_with_output().expect("add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Every file is whole and valid; a second fmt finishes the job.
    nsi(dir.path()).args(["validate"]).assert().success();
    nsi(dir.path()).args(["fmt"]).assert().success();
    nsi(dir.path()).args(["fmt", "--check"]).assert().success();
}

#[test]
fn killing_fmt_mid_write_leaves_old_or_new_files_never_half_written() {
    let dir = big_uncanonical(15);
    let files = entry_files(dir.path());
    assert!(files.len() > 400, "{}", files.len());
    // What each file may hold after a kill: its old text or its canonical text.
    let old: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(f).expect("read"))
        .collect();
    let canonical_dir = tempfile::tempdir().expect("temp");
    copy_dir(dir.path(), canonical_dir.path());
    nsi(canonical_dir.path()).args(["fmt"]).assert().success();
    let canonical: Vec<String> = files
        .iter()
        .map(|f| {
            let relative = f.strip_prefix(dir.path()).expect("inside");
            fs::read_to_string(canonical_dir.path().join(relative)).expect("read canonical")
        })
        .collect();
    // Kill fmt at spread-out moments, from the very start to near the end of a run.
    let started = Instant::now();
    nsi(canonical_dir.path())
        .args(["fmt", "--check"])
        .assert()
        .success();
    let full_run = started.elapsed().max(Duration::from_millis(40));
    let mut killed_mid_run = 0;
    for round in 0..8u32 {
        let mut child = process(dir.path(), &["fmt"]).spawn().expect("spawn");
        std::thread::sleep(full_run * (round + 1) / 9);
        if child.try_wait().expect("poll").is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        for (i, file) in files.iter().enumerate() {
            let now = fs::read_to_string(file).expect("every file still exists");
            assert!(
                now == old[i] || now == canonical[i],
                "round {round}: {} is neither the old nor the formatted text:\n{now}",
                file.display()
            );
        }
        // Leftover temporary files are hidden from discovery: the catalogue stays valid.
        nsi(dir.path()).args(["validate"]).assert().success();
        // Put the old texts back for the next round.
        for (i, file) in files.iter().enumerate() {
            fs::write(file, &old[i]).expect("restore");
        }
    }
    assert!(killed_mid_run > 0, "no kill landed while fmt was running");
}

#[test]
fn index_builds_racing_searches_agree_and_a_damaged_cache_is_rebuilt() {
    let dir = big_uncanonical(5);
    let search = || process(dir.path(), &["search", "drone", "--format", "ids"]);
    let expected = String::from_utf8(search().output().expect("run").stdout).expect("UTF-8");
    assert!(expected.contains("drone-flight-log"));
    let listing = String::from_utf8(
        process(
            dir.path(),
            &["search", "--phase", "live", "--format", "ids"],
        )
        .output()
        .expect("run")
        .stdout,
    )
    .expect("UTF-8");
    let cache = dir.path().join(".nsi/cache");
    for _ in 0..3 {
        let _ = fs::remove_dir_all(&cache);
        // Locked builds (`nsi index`), unlocked ones (a listing and `nsi stats` build and save
        // the index in the foreground) and searches that read the files, all at once.
        let commands: [&[&str]; 8] = [
            &["index"],
            &["search", "drone", "--format", "ids"],
            &["search", "--phase", "live", "--format", "ids"],
            &["stats", "--format", "json"],
            &["index"],
            &["search", "drone", "--format", "ids"],
            &["search", "--phase", "live", "--format", "ids"],
            &["stats", "--format", "json"],
        ];
        let children: Vec<(&[&str], Child)> = commands
            .iter()
            .map(|args| (*args, process(dir.path(), args).spawn().expect("spawn")))
            .collect();
        for (args, child) in children {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            match args {
                ["search", "drone", ..] => assert_eq!(stdout, expected),
                ["search", ..] => assert_eq!(stdout, listing),
                _ => {}
            }
        }
        let verbose = process(dir.path(), &["search", "drone", "-v"])
            .output()
            .expect("run");
        assert!(
            String::from_utf8_lossy(&verbose.stderr).contains("search index read from"),
            "after the builds, the index is current"
        );
    }
    // Damage every cache file: the next search ignores them and agrees, and the next build
    // replaces them.
    for file in fs::read_dir(&cache).expect("cache dir") {
        let path = file.expect("file").path();
        if path.extension().is_some_and(|e| e == "bin") {
            let bytes = fs::read(&path).expect("read cache");
            fs::write(&path, &bytes[..bytes.len() / 3]).expect("truncate");
        }
    }
    let out = search().output().expect("run");
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let rebuilt = process(dir.path(), &["index"]).output().expect("run");
    assert!(
        String::from_utf8_lossy(&rebuilt.stderr).contains("the search index was built"),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
}

/// `nsi edit` while another writer changes the same file: the other change stays, the edit
/// is refused and kept as a draft, and nothing is half-written.
#[cfg(unix)]
#[test]
fn an_edit_racing_another_writer_is_refused_and_kept_as_a_draft() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = shipped();
    let entry = dir
        .path()
        .join("catalogue/avon-and-somerset/drone-flight-log.yaml");
    // The "editor" makes the user's change in the draft, and meanwhile another process
    // changes the entry file itself.
    let editor = dir.path().join("racing-editor.sh");
    fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^phase: live/phase: beta/' \"$1\"\n\
         sed -i 's/^title: Drone Unit Flight Log/title: Changed Elsewhere/' \"$ENTRY\"\n",
    )
    .expect("script");
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = process(dir.path(), &["edit", "drone-flight-log"])
        .env("EDITOR", &editor)
        .env("ENTRY", &entry)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("changed on disk while you were editing"),
        "{message}"
    );
    let now = fs::read_to_string(&entry).expect("entry");
    assert!(
        now.contains("title: Changed Elsewhere"),
        "the other writer's change is kept"
    );
    assert!(
        now.contains("phase: live"),
        "the refused edit did not reach the file"
    );
    let drafts: Vec<String> = fs::read_dir(dir.path().join(".nsi/drafts"))
        .expect("drafts folder")
        .map(|f| fs::read_to_string(f.expect("draft").path()).expect("read draft"))
        .collect();
    assert!(
        drafts.iter().any(|d| d.contains("phase: beta")),
        "the edit is kept as a draft"
    );
}
