//! Turning domain data into text: diagnostics, errors, and terminal-safe text.

pub mod atom;
pub mod azure;
pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod entry;
pub mod error;
pub mod export;
pub mod history;
pub mod html;
pub mod json;
pub mod migrate;
pub mod output;
pub mod overlaps;
pub mod progress;
pub mod publish;
pub mod review;
pub mod sarif;
pub mod search;
pub mod stale;
pub mod stats;
pub mod text;
