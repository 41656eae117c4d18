//! Build script: hashes what shapes the search index (`src/catalogue/search/build_key.rs`) into
//! `NSI_INDEX_BUILD_KEY`, the constant the index cache's key starts from.

#[path = "src/catalogue/search/build_key.rs"]
mod build_key;

fn main() {
    let root = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let key = build_key::build_key(&root, &version).expect("the index's sources are readable");
    for source in build_key::SHAPING_SOURCES {
        println!("cargo::rerun-if-changed={source}");
    }
    println!("cargo::rerun-if-changed=Cargo.lock");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-env=NSI_INDEX_BUILD_KEY={:016x}", key.hash);
}
