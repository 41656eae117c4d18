//! Write the hostile entry files of `shapes.rs`, each as large as an entry may be, into a
//! catalogue root of their own, for `bench/hostile.sh`.
//!
//! ```text
//! cargo run --release --example gen_hostile -- --out /tmp/hostile [--bytes 262144] [--changed]
//! ```
//!
//! Writes `OUT/catalogue/kent/<shape>.yaml` and copies this repository's `schema/` folder to
//! `OUT/schema`. Uses only the standard library.

mod shapes;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
gen_hostile: write hostile entry files as large as an entry may be

USAGE:
    cargo run --release --example gen_hostile -- --out DIR [--bytes N] [--changed]

OPTIONS:
    --out DIR      catalogue root to create (DIR/catalogue/kent/*.yaml and DIR/schema)
    --bytes N      size of each file [default: 262144, the limit for an entry]
    --changed      write the second version of each file (every item changed), as a pull
                   request would change it
    -h, --help     print this help
";

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut bytes = 256 * 1024;
    let mut second = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--bytes" => {
                let Some(n) = args.next().and_then(|n| n.parse().ok()) else {
                    eprintln!("--bytes takes a number\n\n{USAGE}");
                    return ExitCode::from(2);
                };
                bytes = n;
            }
            "--changed" => second = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("--out is required\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kent = out.join("catalogue/kent");
    let files: Vec<(&str, String)> = shapes::shapes(bytes)
        .into_iter()
        .map(|(name, text)| (name, if second { shapes::changed(&text) } else { text }))
        .collect();
    let written = fs::create_dir_all(&kent)
        .and_then(|()| copy_dir(&repo.join("schema"), &out.join("schema")))
        .and_then(|()| {
            files
                .iter()
                .try_for_each(|(name, text)| fs::write(kent.join(format!("{name}.yaml")), text))
        });
    match written {
        Ok(()) => {
            for (name, text) in &files {
                println!("{name}\t{}", text.len());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen_hostile: {error}");
            ExitCode::from(2)
        }
    }
}
