//! # nsi — the National Solutions Index
//!
//! A git-backed catalogue in which UK police forces list the technology solutions they have
//! built, so that other forces can find them, see what it takes to reuse them, and contact the
//! people who built them.
//!
//! The crate has two rooms:
//! - [`catalogue`] is the domain: entries, reference lists, loading, validation. It returns data
//!   and never prints.
//! - [`cli`] is the command line: arguments, rendering, exit codes. It decides nothing.

pub mod catalogue;
pub mod cli;
