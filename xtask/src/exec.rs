//! Running external commands: every command is printed before it runs, and a failure becomes
//! an error that names the command and its exit status.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// A command line to run, with the extra environment it needs.
#[derive(Debug, Clone)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(String, OsString)>,
    dir: Option<PathBuf>,
}

impl Cmd {
    pub fn new(program: impl Into<OsString>) -> Self {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            envs: Vec::new(),
            dir: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: impl Into<OsString>) -> Self {
        self.envs.push((key.to_string(), value.into()));
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// The command as a shell-like line, environment first, for logs and error messages.
    pub fn display(&self) -> String {
        let mut parts: Vec<String> = self
            .envs
            .iter()
            .map(|(k, v)| format!("{k}={}", quote(&v.to_string_lossy())))
            .collect();
        parts.push(quote(&self.program.to_string_lossy()));
        parts.extend(self.args.iter().map(|a| quote(&a.to_string_lossy())));
        parts.join(" ")
    }

    fn build(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        for (k, v) in &self.envs {
            command.env(k, v);
        }
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command
    }

    /// Runs with inherited stdio; a non-zero exit is an error.
    pub fn run(&self) -> Result<()> {
        eprintln!("$ {}", self.display());
        let status = self.build().status().with_context(|| {
            format!(
                "could not start `{}`: is it installed and on PATH?",
                self.display()
            )
        })?;
        if !status.success() {
            bail!("`{}` failed ({status})", self.display());
        }
        Ok(())
    }

    /// Runs quietly and returns trimmed stdout; `None` when the program is missing or fails.
    /// For probes such as `tool --version`, so it does not print the command.
    pub fn probe(&self) -> Option<String> {
        let output = self.build().output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    /// Like `probe`, but returns stdout and stderr whatever the exit status: for tools that
    /// print their version only inside an error (iai-callgrind-runner). `None` when missing.
    pub fn probe_any_output(&self) -> Option<String> {
        let output = self.build().output().ok()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        Some(
            format!("{}\n{}", stdout.trim(), stderr.trim())
                .trim()
                .to_string(),
        )
    }
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_what_needs_quoting() {
        let cmd = Cmd::new("node")
            .arg("--test")
            .arg("a b.mjs")
            .env("X", "/p/lib.so");
        assert_eq!(cmd.display(), "X=/p/lib.so node --test 'a b.mjs'");
    }

    #[test]
    fn failing_command_is_an_error_naming_it() {
        let err = Cmd::new("false").run().unwrap_err().to_string();
        assert!(err.contains("`false` failed"), "{err}");
    }

    #[test]
    fn probe_any_output_keeps_stderr_of_a_failing_program() {
        let out = Cmd::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 1"])
            .probe_any_output();
        assert_eq!(out.as_deref(), Some("out\nerr"));
    }

    #[test]
    fn missing_program_is_an_error_not_a_panic() {
        let err = Cmd::new("ku0-no-such-program")
            .run()
            .unwrap_err()
            .to_string();
        assert!(err.contains("could not start"), "{err}");
        assert_eq!(Cmd::new("ku0-no-such-program").probe(), None);
        assert_eq!(Cmd::new("ku0-no-such-program").probe_any_output(), None);
    }
}
