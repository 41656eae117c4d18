//! What of nsi's own making shapes the search index, hashed when nsi is built: the source of
//! every file that decides what an index holds or how its bytes are laid out (this folder,
//! the ranking definition in it included, and the reader of entries), the versions of the
//! crates that fold text, parse YAML and encode the index, and nsi's version. The cache key
//! starts from this hash (`super::key`), so a cache written by a build that indexed, ranked or
//! encoded differently is never read.
//!
//! `build.rs` includes this file to compute the hash; the crate includes it too, so that a test
//! can compute the hash again from the sources it is compiled from and compare.

use std::path::{Path, PathBuf};

/// The files and folders, relative to the crate root, whose source shapes the index.
pub const SHAPING_SOURCES: &[&str] = &[
    "src/catalogue/search",
    "src/catalogue/entry.rs",
    "src/catalogue/load.rs",
    "src/catalogue/lookup.rs",
    "src/catalogue/yaml",
];

/// The crates whose behaviour shapes the index, with the versions `Cargo.lock` gives them.
pub const SHAPING_CRATES: &[&str] = &[
    "postcard",
    "saphyr-parser",
    "serde",
    "serde_derive",
    "serde_json",
    "unicode-normalization",
];

/// The hash of what shapes the index, and what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildKey {
    /// xxh3-64 of the inputs.
    pub hash: u64,
    /// The source files hashed, relative to the crate root with `/` separators, sorted.
    pub files: Vec<String>,
    /// `name version` of each shaping crate found in `Cargo.lock`.
    pub crates: Vec<String>,
}

/// The `.rs` files of [`SHAPING_SOURCES`] under `crate_root`, relative and sorted.
pub fn shaping_files(crate_root: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    for source in SHAPING_SOURCES {
        collect(crate_root, &crate_root.join(source), &mut files)?;
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect(crate_root: &Path, path: &Path, files: &mut Vec<String>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(crate_root, &entry?.path(), files)?;
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        let relative: PathBuf = path.strip_prefix(crate_root).unwrap_or(path).to_path_buf();
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push(parts.join("/"));
    }
    Ok(())
}

/// The `name version` of each of [`SHAPING_CRATES`] in the text of a `Cargo.lock`.
pub fn shaping_crates(lock: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut name: Option<&str> = None;
    for line in lock.lines() {
        let value = |key: &str| {
            line.strip_prefix(key)
                .and_then(|rest| rest.trim().strip_prefix('='))
                .map(|v| v.trim().trim_matches('"'))
        };
        if line.starts_with("[[package]]") {
            name = None;
        } else if let Some(n) = value("name ") {
            name = Some(n);
        } else if let (Some(n), Some(version)) = (name, value("version ")) {
            if SHAPING_CRATES.contains(&n) {
                found.push(format!("{n} {version}"));
            }
            name = None;
        }
    }
    found.sort();
    found
}

/// Hash what shapes the index for the crate at `crate_root` (its `Cargo.lock` read when there
/// is one) at `version`.
pub fn build_key(crate_root: &Path, version: &str) -> std::io::Result<BuildKey> {
    let files = shaping_files(crate_root)?;
    let crates = std::fs::read_to_string(crate_root.join("Cargo.lock"))
        .map(|lock| shaping_crates(&lock))
        .unwrap_or_default();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(b"nsi search build key 1");
    for file in &files {
        field(file.as_bytes());
        field(&std::fs::read(crate_root.join(file))?);
    }
    for krate in &crates {
        field(krate.as_bytes());
    }
    field(version.as_bytes());
    Ok(BuildKey {
        hash: hasher.digest(),
        files,
        crates,
    })
}
