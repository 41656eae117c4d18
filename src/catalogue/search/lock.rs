//! The lock a build of the index holds in the cache folder, so that one build runs at a time.

use std::fs;
use std::path::Path;

use crate::catalogue::private_files;

/// The name of the lock a build of the index holds, in the cache folder.
pub const LOCK_FILE: &str = "index.lock";

/// Open the lock a build holds while it runs, in the cache folder `cache_dir` of the
/// catalogue under `root` (created if needed, never through a link; a lock that is a link is
/// replaced, so it never makes nsi create a file where it points).
pub fn open_build_lock(root: &Path, cache_dir: &Path) -> std::io::Result<fs::File> {
    private_files::create_dir(root, cache_dir)?;
    private_files::open_lock(&cache_dir.join(LOCK_FILE))
}
