//! The `towngov` command line: parse, call the library, print errors once, exit with a
//! documented code (0 success, 2 bad input, 1 anything else, 130 a signal, 141 a reader that
//! closed standard output).

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Exit code when whoever reads standard output closed it early (`towngov params | head`):
/// 128 + SIGPIPE, as a shell reports a program killed by it.
const EXIT_CLOSED_PIPE: i32 = 141;

/// A reader that closes standard output early ends the command quietly with
/// [`EXIT_CLOSED_PIPE`], instead of the panic `println!` raises on a broken pipe.
fn end_quietly_on_a_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(EXIT_CLOSED_PIPE);
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
    match cli::dispatch(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            cli::print_error(&failure.error);
            ExitCode::from(failure.code)
        }
    }
}
