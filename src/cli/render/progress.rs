//! Progress bars on stderr for long runs (validating, importing or indexing hundreds of
//! entries). A bar is drawn only for a person watching a terminal: never when stderr is a pipe
//! or a file, never in CI logs (`CI` set), never with `--quiet`, and only once the work is
//! large enough to take a moment. It is cleared when the work ends, so what remains on screen
//! is the command's output alone.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work on fewer items than this finishes too quickly for a bar to help.
pub const THRESHOLD: usize = 500;

/// Whether a bar may be drawn at all: only on a terminal, outside CI, without `--quiet`.
pub fn allowed(stderr_is_terminal: bool, in_ci: bool, quiet: bool) -> bool {
    stderr_is_terminal && !in_ci && !quiet
}

/// Whether this process may draw a bar: see [`allowed`].
fn allowed_here(quiet: bool) -> bool {
    allowed(
        std::io::stderr().is_terminal(),
        std::env::var_os("CI").is_some(),
        quiet,
    )
}

/// A progress bar that stays hidden until there is enough work and a person to show it to.
/// Its [`Progress::update`] is the `progress(done, total)` callback the domain's long
/// operations take.
pub struct Progress {
    /// `None` when no bar may be drawn in this run.
    bar: Option<ProgressBar>,
    shown: AtomicBool,
}

impl Progress {
    /// A bar labelled `message` (e.g. "validating"), drawn once the work exceeds
    /// [`THRESHOLD`] items, if [`allowed`].
    pub fn new(message: &'static str, quiet: bool) -> Self {
        let bar = allowed_here(quiet).then(|| {
            let style =
                ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
                .with_style(style)
                .with_message(message)
        });
        Progress {
            bar,
            shown: AtomicBool::new(false),
        }
    }

    /// A spinner labelled `message` for work whose size is not known, shown at once when
    /// `large` (the caller's estimate that the work exceeds [`THRESHOLD`]) and [`allowed`].
    pub fn spinner(message: &'static str, quiet: bool, large: bool) -> Self {
        let bar = (large && allowed_here(quiet)).then(|| {
            let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(style)
                .with_message(message);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress {
            shown: AtomicBool::new(bar.is_some()),
            bar,
        }
    }

    /// `done` of `total` items are finished. Safe to call from several threads.
    pub fn update(&self, done: usize, total: usize) {
        let Some(bar) = &self.bar else { return };
        if total <= THRESHOLD {
            return;
        }
        let to_u64 = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        if !self.shown.swap(true, Ordering::AcqRel) {
            bar.set_length(to_u64(total));
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.tick();
        }
        // Items finish on several threads: never move the bar backwards.
        bar.update(|state| {
            if to_u64(done) > state.pos() {
                state.set_pos(to_u64(done));
            }
        });
    }

    /// Run `f` with the bar taken off the screen (and drawn again after), so that what `f`
    /// prints is not mixed into it.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Remove the bar from the screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_only_for_a_person_at_a_terminal() {
        assert!(allowed(true, false, false));
        assert!(!allowed(false, false, false), "a pipe or a file");
        assert!(!allowed(true, true, false), "a CI log");
        assert!(!allowed(true, false, true), "--quiet");
    }
}
