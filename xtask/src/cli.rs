//! Command-line parsing for `cargo xtask <cmd> [flags]`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Setup { bench: bool },
    Test,
    Record { check: bool },
    Bench { quick: bool },
    Gate { update_baseline: bool, quick: bool },
    Report,
    Help,
}

pub const USAGE: &str = "\
usage: cargo xtask <command> [flags]

commands:
  setup [--bench]     install what a fresh clone needs (npm ci, corpora, debug builds);
                      --bench also installs iai-callgrind-runner 0.16.1 and checks valgrind
  test                setup, every Rust and node test, then `record --check`
  record [--check]    re-record the oracle (--check: fail when a recording is stale)
  bench [--quick]     run criterion, callgrind and node benches into target/ku0-bench/results.json
  gate [--update-baseline] [--quick]
                      parity + benches + budgets + callgrind regression; writes reports/<platform>/
  report              re-render reports/<platform>/ from target/ku0-bench/results.json
  help                this text";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n\n{USAGE}", self.0)
    }
}

impl std::error::Error for CliError {}

pub fn parse<I, S>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let args: Vec<String> = args.into_iter().map(|s| s.as_ref().to_string()).collect();
    let Some((name, flags)) = args.split_first() else {
        return Ok(Command::Help);
    };
    let allowed: &[&str] = match name.as_str() {
        "setup" => &["--bench"],
        "record" => &["--check"],
        "bench" => &["--quick"],
        "gate" => &["--update-baseline", "--quick"],
        "test" | "report" | "help" | "--help" | "-h" => &[],
        other => return Err(CliError(format!("unknown command `{other}`"))),
    };
    for flag in flags {
        if !allowed.contains(&flag.as_str()) {
            return Err(CliError(format!("unknown flag `{flag}` for `{name}`")));
        }
    }
    let has = |flag: &str| flags.iter().any(|f| f == flag);
    Ok(match name.as_str() {
        "setup" => Command::Setup {
            bench: has("--bench"),
        },
        "test" => Command::Test,
        "record" => Command::Record {
            check: has("--check"),
        },
        "bench" => Command::Bench {
            quick: has("--quick"),
        },
        "gate" => Command::Gate {
            update_baseline: has("--update-baseline"),
            quick: has("--quick"),
        },
        "report" => Command::Report,
        _ => Command::Help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_command_and_flag() {
        assert_eq!(parse(["setup"]), Ok(Command::Setup { bench: false }));
        assert_eq!(
            parse(["setup", "--bench"]),
            Ok(Command::Setup { bench: true })
        );
        assert_eq!(parse(["test"]), Ok(Command::Test));
        assert_eq!(
            parse(["record", "--check"]),
            Ok(Command::Record { check: true })
        );
        assert_eq!(
            parse(["bench", "--quick"]),
            Ok(Command::Bench { quick: true })
        );
        assert_eq!(
            parse(["gate", "--update-baseline"]),
            Ok(Command::Gate {
                update_baseline: true,
                quick: false
            })
        );
        assert_eq!(parse(["report"]), Ok(Command::Report));
        assert_eq!(parse(Vec::<String>::new()), Ok(Command::Help));
    }

    #[test]
    fn rejects_unknown_commands_and_flags_by_name() {
        let err = parse(["benchh"]).unwrap_err().to_string();
        assert!(err.contains("unknown command `benchh`"), "{err}");
        let err = parse(["test", "--check"]).unwrap_err().to_string();
        assert!(err.contains("unknown flag `--check` for `test`"), "{err}");
    }
}
