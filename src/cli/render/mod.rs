//! Turning domain data into text: diagnostics, errors, and terminal-safe text.

pub mod diagnostics;
pub mod entry;
pub mod error;
pub mod export;
pub mod output;
pub mod search;
pub mod stale;
pub mod stats;
pub mod text;
