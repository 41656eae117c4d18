//! The `nsi` binary: everything lives in the library; this only turns the result into an exit code.

fn main() -> std::process::ExitCode {
    nsi::cli::run()
}
