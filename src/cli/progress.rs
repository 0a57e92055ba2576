//! Progress bars for long work, on stderr: runs done, rate and time left. indicatif hides the
//! bar when stderr is not a terminal, so logs and pipes stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use towngov::experiment::runner::Progress;

pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar labelled `what`; hidden with `quiet` or when stderr is not a terminal.
    pub fn new(what: &str, quiet: bool) -> Bar {
        let bar = ProgressBar::hidden();
        if !quiet {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} runs  {per_sec}  {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(what.to_string());
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }

    fn resize(&self, total: u64) {
        self.bar.set_length(total);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
