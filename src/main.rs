//! The `towngov` command line: parse, call the library, print errors once, exit with a
//! documented code (0 success, 2 bad input, 1 anything else).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
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
