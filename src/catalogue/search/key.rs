//! The cache key: what an index depends on, hashed, written in its header and its phrase
//! file's name. A cache is read only when its key is the one the catalogue and this build of
//! nsi give now; any difference means a rebuild.
//!
//! The key is xxh3-64 (stable across platforms, Rust releases and runs, unlike the standard
//! library's `DefaultHasher`) over, each field length-prefixed:
//!
//! 1. [`BUILD_KEY`]: what of nsi's own making shapes the index (`super::build_key`: the source
//!    of `src/catalogue/search/`, the ranking definition included, and of the reader of
//!    entries; the versions of the crates that fold, parse and encode; nsi's version), hashed
//!    by `build.rs`;
//! 2. [`FORMAT_VERSION`];
//! 3. the names of forces and categories the index makes searchable;
//! 4. every entry file's path, size and modification time.

use super::format::FORMAT_VERSION;
use super::ranking::SearchableNames;
use crate::catalogue::load::EntryFile;

/// The hash of what of nsi's own making shapes the index, computed by `build.rs`.
pub const BUILD_KEY: u64 = match u64::from_str_radix(env!("NSI_INDEX_BUILD_KEY"), 16) {
    Ok(key) => key,
    Err(_) => panic!("build.rs writes NSI_INDEX_BUILD_KEY in hexadecimal"),
};

/// The key of an index of `files` with `names`, built by this build of nsi.
pub fn cache_key(files: &[EntryFile], names: &SearchableNames) -> u64 {
    key_with(BUILD_KEY, files, names)
}

/// The key of an index of `files` with `names`, built by a build whose [`BUILD_KEY`] is
/// `build`.
pub fn key_with(build: u64, files: &[EntryFile], names: &SearchableNames) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(&build.to_le_bytes());
    field(&FORMAT_VERSION.to_le_bytes());
    for map in [&names.forces, &names.categories] {
        field(&(map.len() as u64).to_le_bytes());
        for (slug, name) in map {
            field(slug.as_bytes());
            field(name.as_bytes());
        }
    }
    field(&(files.len() as u64).to_le_bytes());
    for file in files {
        field(file.display.as_os_str().as_encoded_bytes());
        field(&file.stamp.len.to_le_bytes());
        field(&file.stamp.modified_ns.to_le_bytes());
    }
    hasher.digest()
}

#[cfg(test)]
mod tests {
    use super::super::build_key::build_key;
    use super::*;
    use crate::catalogue::load::FileStamp;

    fn files() -> Vec<EntryFile> {
        let mut file = EntryFile::new(
            "/somewhere/catalogue/kent/redaction-studio.yaml",
            "catalogue/kent/redaction-studio.yaml",
        );
        file.stamp = FileStamp {
            len: 2048,
            modified_ns: 1_764_000_000_123_456_789,
        };
        vec![file]
    }

    fn names() -> SearchableNames {
        SearchableNames {
            forces: [("kent".to_owned(), "Kent Police".to_owned())].into(),
            categories: [("redaction".to_owned(), "Redaction".to_owned())].into(),
        }
    }

    /// The key of given inputs is this very number, on every platform and with every Rust: a
    /// change here is a change of the key's definition (and every cache is rebuilt once).
    #[test]
    fn the_key_of_given_inputs_is_fixed() {
        assert_eq!(
            key_with(0x0123_4567_89AB_CDEF, &files(), &names()),
            0x8D7A_CBD0_B234_42F1
        );
    }

    /// Everything the key covers changes it.
    #[test]
    fn every_input_changes_the_key() {
        let base = key_with(1, &files(), &names());
        assert_ne!(base, key_with(2, &files(), &names()), "the build");
        let mut renamed = names();
        renamed.forces.insert("kent".to_owned(), "Kent".to_owned());
        assert_ne!(base, key_with(1, &files(), &renamed), "a force's name");
        let mut touched = files();
        touched[0].stamp.modified_ns += 1;
        assert_ne!(base, key_with(1, &touched, &names()), "a modification time");
        let mut grown = files();
        grown[0].stamp.len += 1;
        assert_ne!(base, key_with(1, &grown, &names()), "a size");
        assert_ne!(base, key_with(1, &[], &names()), "a file fewer");
        // Fields are length-prefixed: moving a byte from one to the next is a change.
        let shifted = SearchableNames {
            forces: [("ken".to_owned(), "tKent Police".to_owned())].into(),
            ..names()
        };
        assert_ne!(base, key_with(1, &files(), &shifted));
    }

    /// The build key compiled in is the hash of the sources this crate is compiled from, and
    /// covers every file of the search engine, the ranking definition among them: a change to
    /// any of them changes every cache key.
    #[test]
    fn the_build_key_covers_every_file_of_the_search_engine() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let now = build_key(root, env!("CARGO_PKG_VERSION")).expect("sources readable");
        assert_eq!(now.hash, BUILD_KEY, "build.rs hashed these very sources");
        let engine: Vec<String> = std::fs::read_dir(root.join("src/catalogue/search"))
            .expect("search folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| {
                std::path::Path::new(name)
                    .extension()
                    .is_some_and(|e| e == "rs")
            })
            .map(|name| format!("src/catalogue/search/{name}"))
            .collect();
        assert!(engine.len() >= 10, "{engine:?}");
        for file in engine.iter().chain(&["src/catalogue/entry.rs".to_owned()]) {
            assert!(
                now.files.contains(file),
                "{file} is not hashed: {:?}",
                now.files
            );
        }
        assert!(
            now.files
                .contains(&"src/catalogue/search/ranking.rs".to_owned())
        );
        let crates: Vec<&str> = now
            .crates
            .iter()
            .filter_map(|c| c.split(' ').next())
            .collect();
        for shaping in ["postcard", "unicode-normalization", "saphyr-parser"] {
            assert!(crates.contains(&shaping), "{shaping}: {crates:?}");
        }
    }
}
