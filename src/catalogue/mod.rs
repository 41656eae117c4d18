//! The domain: entries, the reference lists, loading and validation. Nothing here prints; every
//! function returns data for the command line to render.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod adoption;
pub mod author;
pub mod changes;
pub mod codeowners;
pub mod config;
pub mod credentials;
pub mod diagnostic;
pub mod diff;
pub mod durable;
pub mod editing;
pub mod entry;
pub mod export;
pub mod format;
pub mod gate;
pub mod git;
pub mod handle;
pub mod history;
pub mod load;
pub mod lookup;
pub mod migrate;
pub mod overlaps;
pub mod private_files;
pub mod publish;
pub mod reference;
pub mod request;
pub mod resemblance;
pub mod review;
pub mod schema;
pub mod search;
pub mod staged_folder;
pub mod stale;
pub mod stats;
pub mod suggest;
pub mod validate;
pub mod yaml;

pub use handle::Catalogue;
