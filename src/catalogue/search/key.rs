//! The cache key: what an index depends on, hashed, written in its header and its phrase
//! file's name. A cache is read only when its key is the one the catalogue and this build of
//! nsi give now; any difference means a rebuild.

use std::hash::{DefaultHasher, Hash, Hasher};

use super::format::FORMAT_VERSION;
use super::ranking::SearchableNames;
use crate::catalogue::load::EntryFile;

/// A hash of the index's source, so that any change to how the index is built or laid out
/// invalidates caches written by other builds, even of the same version.
const SOURCE_HASH: u64 = xxhash_rust::const_xxh3::xxh3_64(include_bytes!("index.rs"));

/// What the index depends on: every entry file's path, size and modification time, the
/// names it indexes, the format and the tool version.
pub fn cache_key(files: &[EntryFile], names: &SearchableNames) -> u64 {
    let mut hasher = DefaultHasher::new();
    FORMAT_VERSION.hash(&mut hasher);
    SOURCE_HASH.hash(&mut hasher);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    names.forces.hash(&mut hasher);
    names.categories.hash(&mut hasher);
    for file in files {
        file.display.hash(&mut hasher);
        file.stamp.hash(&mut hasher);
    }
    hasher.finish()
}
