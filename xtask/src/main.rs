//! `cargo xtask <cmd>`: the workspace's automation (see `cargo xtask help`).

mod bench;
mod budgets;
mod cli;
mod cross;
mod exec;
mod gate;
mod history;
mod numfmt;
mod record;
mod report;
mod results;
mod setup;
mod stats;
mod steps;
mod test;
mod tracks;
mod workspace;

use std::process::ExitCode;

use cli::Command;

fn main() -> ExitCode {
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome: anyhow::Result<bool> = match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(true)
        }
        Command::Setup { bench } => setup::run(setup::SetupOptions { bench }).map(|()| true),
        Command::Record { check } => record::run(check).map(|()| true),
        Command::Bench { quick } => bench::run(quick).map(|_| true),
        Command::Test => {
            // The summary's `N passed, N failed` must be the very last line: print nothing after it.
            let steps = test::run();
            steps.print_summary();
            return if steps.failed() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Command::Gate {
            update_baseline,
            quick,
        } => gate::run(gate::GateOptions {
            update_baseline,
            quick,
        }),
        Command::Report => gate::report().map(|_| true),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: the gate failed (each failure is listed above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
