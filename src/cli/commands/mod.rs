//! One module per subcommand: an `Args` struct (its doc comment is the help) and `run()`.

pub mod validate;
