//! Turning domain data into text: diagnostics, errors, and terminal-safe text.

pub mod diagnostics;
pub mod error;
pub mod text;
