//! The progress bar of a long run: on stderr, only when stderr is a terminal outside
//! CI, and only once the run has taken a second, so short runs, piped output and CI
//! logs never see it. Workers advance it with an atomic add; it never prints results.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar that may never be drawn. Cloning shares the bar.
#[derive(Clone, Debug)]
pub struct Progress {
    bar: ProgressBar,
    /// Dropping the sender tells the timer the run is over.
    stop: Arc<Mutex<Option<mpsc::Sender<()>>>>,
}

impl Progress {
    /// A hidden bar; it becomes visible after `DELAY` when stderr is a terminal and
    /// the `CI` variable is unset.
    pub fn start() -> Progress {
        let bar = ProgressBar::hidden();
        let (tx, rx) = mpsc::channel::<()>();
        if std::io::stderr().is_terminal() && !in_ci() {
            let shown = bar.clone();
            std::thread::spawn(move || {
                if rx.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout)
                    && !shown.is_finished()
                {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress {
            bar,
            stop: Arc::new(Mutex::new(Some(tx))),
        }
    }

    /// A history scan lists what `commits` commits add, one by one.
    pub fn commits(&self, commits: u64) {
        self.bar.set_length(commits);
        self.bar.set_style(
            ProgressStyle::with_template(
                "{spinner} reading {bar:20} {pos}/{len} commits ({eta} left)",
            )
            .expect("valid template"),
        );
    }

    /// The walk is done: `files` are to be scanned.
    pub fn scanning(&self, files: u64) {
        self.bar.set_position(0);
        self.bar.set_length(files);
        self.bar.set_style(
            ProgressStyle::with_template(
                // Short enough for an 80-column terminal: a wrapped bar redraws badly.
                "{spinner} scanning {bar:20} {pos}/{len} files ({eta} left)",
            )
            .expect("valid template"),
        );
    }

    /// One more file to scan (found while the scan runs).
    pub fn found(&self) {
        self.bar.inc_length(1);
    }

    /// One more file done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Removes the bar (if it was drawn) before results are written.
    pub fn finish(&self) {
        if let Ok(mut stop) = self.stop.lock() {
            stop.take();
        }
        self.bar.finish_and_clear();
    }
}

/// CI services set `CI`; their logs must not fill with bar redraws even on a pseudo
/// terminal.
fn in_ci() -> bool {
    // The one environment read of shush: whether to draw, never configuration.
    #[allow(clippy::disallowed_methods)]
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}
