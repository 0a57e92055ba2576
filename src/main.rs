//! The `towngov` command line: parse, call the library, print errors once, exit with a
//! documented code (0 success, 2 bad input, 1 anything else, 130 a signal, 141 a reader that
//! closed standard output).

mod cli;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

/// Exit code when whoever reads standard output closed it early (`towngov params | head`):
/// 128 + SIGPIPE, as a shell reports a program killed by it.
const EXIT_CLOSED_PIPE: u8 = 141;

/// Set when a print met a closed pipe.
static PIPE_CLOSED: AtomicBool = AtomicBool::new(false);

/// A reader that closes standard output (or error) early ends the command quietly with
/// [`EXIT_CLOSED_PIPE`], instead of the panic `println!` raises on a broken pipe: the panic is
/// not printed, it unwinds (so every unfinished output removes its partial file, as on any
/// error) and `main` turns it into the exit code.
fn end_quietly_on_a_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            PIPE_CLOSED.store(true, Ordering::SeqCst);
            return;
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    end_quietly_on_a_closed_pipe();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                cli::EXIT_BAD_INPUT
            } else {
                0
            });
        }
    };
    let result = catch_unwind(AssertUnwindSafe(|| cli::dispatch(args)));
    if PIPE_CLOSED.load(Ordering::SeqCst) {
        // Whatever the command did after its reader left, it ends quietly.
        return ExitCode::from(EXIT_CLOSED_PIPE);
    }
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(failure)) => {
            // A closed standard error must not turn the failure into a panic either.
            let _ = catch_unwind(|| cli::print_error(&failure.error));
            ExitCode::from(failure.code)
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
