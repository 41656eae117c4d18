//! The search cache and drafts trust nothing a checkout puts in `.nsi/`: a cache file that is
//! a link (to `/dev/zero`, to a file of the user's), a FIFO or far too large is not read and is
//! rebuilt; a lock that is a link makes no file where it points; a cache or drafts folder that
//! is a link is neither read nor written through; and `cache_dir` in `nsi.toml` stays inside
//! the catalogue root.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{nsi, shipped};

/// Every run here must end well within this (a FIFO opened blocking, or `/dev/zero` read
/// whole, would not).
const BOUND: Duration = Duration::from_secs(20);

/// Run `nsi ARGS` in `dir`, killed after [`BOUND`]: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let started = Instant::now();
    let output = nsi(dir).args(args).timeout(BOUND).output().expect("run");
    assert!(
        started.elapsed() < BOUND,
        "nsi {args:?} took {:?}",
        started.elapsed()
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

fn is_regular_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// A search that finds the shipped redaction tool, from whatever cache there is.
fn assert_search_works(dir: &Path) {
    let (code, out, err) = run(dir, &["search", "redaction", "--format", "ids"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cps-evidence-redaction-tool"), "{out}{err}");
}

#[test]
fn a_cache_file_linked_to_dev_zero_or_outside_or_a_fifo_is_not_read_and_is_rebuilt() {
    let outside = tempfile::tempdir().expect("temp dir");
    let users_file = outside.path().join("precious.txt");
    fs::write(&users_file, "the user's own file\n").expect("write");
    for plant in ["dev-zero", "outside", "fifo", "huge"] {
        let dir = shipped();
        let cache = dir.path().join(".nsi/cache");
        fs::create_dir_all(&cache).expect("mkdir");
        let index = cache.join("search-index.bin");
        match plant {
            "dev-zero" => symlink("/dev/zero", &index).expect("symlink"),
            "outside" => symlink(&users_file, &index).expect("symlink"),
            "fifo" => mkfifo(&index),
            // Sparse: 8 GiB that a reader without a cap would try to hold.
            _ => fs::File::create(&index)
                .and_then(|f| f.set_len(8 << 30))
                .expect("a sparse file"),
        }
        assert_search_works(dir.path());
        let (code, _, err) = run(dir.path(), &["index"]);
        assert_eq!(code, 0, "{plant}: {err}");
        assert!(
            is_regular_file(&index),
            "{plant}: replaced by nsi's own cache"
        );
        assert!(
            fs::metadata(&index).expect("stat").len() < 1 << 20,
            "{plant}"
        );
        assert_search_works(dir.path());
    }
    assert_eq!(
        fs::read_to_string(&users_file).expect("read"),
        "the user's own file\n",
        "the file a link pointed to is untouched"
    );
}

#[test]
fn a_phrase_file_that_is_a_fifo_does_not_hang_a_phrase_search() {
    let dir = shipped();
    let (code, _, err) = run(dir.path(), &["index"]);
    assert_eq!(code, 0, "{err}");
    let cache = dir.path().join(".nsi/cache");
    let phrases: Vec<_> = fs::read_dir(&cache)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains("search-phrases-"))
        .collect();
    assert_eq!(phrases.len(), 1, "{phrases:?}");
    fs::remove_file(&phrases[0]).expect("remove");
    mkfifo(&phrases[0]);
    let (code, out, err) = run(
        dir.path(),
        &["search", "\"evidence redaction\"", "--format", "ids"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cps-evidence-redaction-tool"), "{out}{err}");
}

#[test]
fn a_lock_that_is_a_link_makes_no_file_where_it_points() {
    let dir = shipped();
    let outside = tempfile::tempdir().expect("temp dir");
    let target = outside.path().join("made-by-nsi-index");
    let cache = dir.path().join(".nsi/cache");
    fs::create_dir_all(&cache).expect("mkdir");
    let lock = cache.join("index.lock");
    symlink(&target, &lock).expect("symlink");
    let (code, _, err) = run(dir.path(), &["index"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !target.exists(),
        "nsi index created a file where the lock pointed"
    );
    assert!(is_regular_file(&lock), "the lock is nsi's own file now");
    assert!(is_regular_file(&cache.join("search-index.bin")));
}

#[test]
fn a_cache_or_drafts_folder_that_is_a_link_is_neither_read_nor_written() {
    let dir = shipped();
    let outside = tempfile::tempdir().expect("temp dir");
    symlink(outside.path(), dir.path().join(".nsi")).expect("symlink");
    let (code, _, err) = run(dir.path(), &["index"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write the cache folder"), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    // A search still answers, from the files, and writes nothing there either.
    assert_search_works(dir.path());
    let (code, _, err) = run(dir.path(), &["stats"]);
    assert_eq!(code, 0, "{err}");
    // An edit cannot keep its draft there: it stops before the editor opens.
    let (code, _, err) = run(dir.path(), &["edit", "cps-evidence-redaction-tool"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        fs::read_dir(outside.path()).expect("list").count(),
        0,
        "nothing was written through the link"
    );
}

#[test]
fn cache_dir_in_nsi_toml_stays_inside_the_catalogue_root() {
    let parent = tempfile::tempdir().expect("temp dir");
    let root = parent.path().join("repo");
    common::copy_dir(
        &Path::new(common::REPO).join("catalogue"),
        &root.join("catalogue"),
    );
    common::copy_dir(
        &Path::new(common::REPO).join("schema"),
        &root.join("schema"),
    );
    let absolute = parent.path().join("absolute-cache");
    for value in ["../outside-cache", absolute.to_str().expect("utf-8")] {
        fs::write(
            root.join("nsi.toml"),
            format!("# the cache\ncache_dir = \"{value}\"\n"),
        )
        .expect("write");
        for args in [&["index"][..], &["search", "redaction"]] {
            let (code, _, err) = run(&root, args);
            assert_eq!(code, 2, "{value} {args:?}: {err}");
            assert!(err.contains("nsi.toml:2:13"), "{err}");
            assert!(
                err.contains("must be a folder inside the catalogue root"),
                "{err}"
            );
        }
    }
    assert!(!parent.path().join("outside-cache").exists());
    assert!(!absolute.exists());
    // The user's own choice, in the environment, may be anywhere.
    fs::remove_file(root.join("nsi.toml")).expect("remove");
    let output = nsi(&root)
        .arg("index")
        .env("NSI_CACHE_DIR", &absolute)
        .timeout(BOUND)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(absolute.join("search-index.bin").is_file());
}
