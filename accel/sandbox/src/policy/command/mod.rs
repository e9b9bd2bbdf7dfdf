//! `check_command`: every command a shell line would run, seen through chaining, substitutions,
//! quoting, wrappers and absolute paths, checked against the command rules.

mod parse;
mod wrappers;

pub use parse::{parse, ParseError, SimpleCommand, Word, MAX_DEPTH};

use wrappers::{
    escalating_wrapper, shell_command_string, skip_options, su_command_string, transparent_wrapper,
    SplitString, SHELLS,
};

/// What a simple command turned out to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    /// A command, by basename.
    Command(String),
    /// `sudo`, `doas`, `pkexec`, `su`.
    Escalation(String),
    /// A command name that expansion would decide, as written.
    NotLiteral(String),
    EmptyName,
}

/// Words that open or close a compound command, never a command themselves.
const KEYWORDS: &[&str] = &[
    "!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "time",
];

/// Everything `line` would run, in order. Parse errors are reported as such.
pub fn invocations(line: &str) -> Result<Vec<Invocation>, ParseError> {
    let mut out = Vec::new();
    invocations_into(line, 0, &mut out)?;
    Ok(out)
}

fn invocations_into(line: &str, depth: usize, out: &mut Vec<Invocation>) -> Result<(), ParseError> {
    for command in parse(line, depth)? {
        analyze(&command, depth, out)?;
    }
    Ok(())
}

fn basename(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

fn analyze(words: &[Word], depth: usize, out: &mut Vec<Invocation>) -> Result<(), ParseError> {
    let mut i = 0;
    while i < words.len() && (KEYWORDS.contains(&words[i].raw.as_str()) || words[i].assignment) {
        i += 1;
    }
    if words
        .get(i)
        .is_some_and(|word| word.raw == "for" || word.raw == "select")
    {
        return Ok(());
    }
    let mut pending_wrapper: Option<&str> = None;
    loop {
        let Some(word) = words.get(i) else {
            if let Some(wrapper) = pending_wrapper {
                out.push(Invocation::Command(wrapper.to_owned()));
            }
            return Ok(());
        };
        if !word.literal {
            out.push(Invocation::NotLiteral(word.raw.clone()));
            return Ok(());
        }
        let name = basename(&word.text);
        if name.is_empty() {
            out.push(Invocation::EmptyName);
            return Ok(());
        }
        if let Some(spec) = escalating_wrapper(name) {
            out.push(Invocation::Escalation(name.to_owned()));
            pending_wrapper = None;
            i = skip_options(words, i + 1, &spec).next;
            continue;
        }
        if name == "su" {
            out.push(Invocation::Escalation(name.to_owned()));
            return match su_command_string(words, i + 1) {
                Some(split) => reparse(&split, depth, out),
                None => Ok(()),
            };
        }
        if let Some(spec) = transparent_wrapper(name) {
            let skipped = skip_options(words, i + 1, &spec);
            if let Some(split) = skipped.split {
                return reparse(&split, depth, out);
            }
            pending_wrapper = Some(name);
            i = skipped.next;
            continue;
        }
        if SHELLS.contains(&name) {
            out.push(Invocation::Command(name.to_owned()));
            return match shell_command_string(words, i + 1) {
                Some(word) => reparse(&SplitString { word, offset: 0 }, depth, out),
                None => Ok(()),
            };
        }
        if name == "eval" {
            let rest = &words[i + 1..];
            if let Some(word) = rest.iter().find(|word| !word.literal) {
                out.push(Invocation::NotLiteral(word.raw.clone()));
                return Ok(());
            }
            let line: Vec<&str> = rest.iter().map(|word| word.text.as_str()).collect();
            return invocations_into(&line.join(" "), depth + 1, out);
        }
        out.push(Invocation::Command(name.to_owned()));
        return Ok(());
    }
}

/// Parses a command line held in a word (`sh -c`, `env -S`, `su -c`).
fn reparse(
    split: &SplitString<'_>,
    depth: usize,
    out: &mut Vec<Invocation>,
) -> Result<(), ParseError> {
    if !split.word.literal {
        out.push(Invocation::NotLiteral(split.word.raw.clone()));
        return Ok(());
    }
    let text = split.word.text.get(split.offset..).unwrap_or("");
    invocations_into(text, depth + 1, out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CommandMode {
    Whitelist,
    #[default]
    Blacklist,
}

/// The command part of a manager policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandRules {
    pub mode: CommandMode,
    pub allowed_commands: Vec<String>,
    pub blocked_commands: Vec<String>,
    pub allow_sudo: bool,
}

impl CommandRules {
    /// `Ok` when everything `line` runs may run, else the first reason it may not.
    pub fn check(&self, line: &str) -> Result<(), String> {
        let found = invocations(line).map_err(|err| err.reason())?;
        if found.is_empty() {
            return Err("empty command".to_owned());
        }
        found
            .iter()
            .try_for_each(|invocation| self.check_one(invocation))
    }

    fn check_one(&self, invocation: &Invocation) -> Result<(), String> {
        let blocked = |name: &str| self.blocked_commands.iter().any(|entry| entry == name);
        match invocation {
            Invocation::NotLiteral(raw) => Err(format!("command name is not literal: {raw}")),
            Invocation::EmptyName => Err("empty command name".to_owned()),
            Invocation::Escalation(name) if !self.allow_sudo => {
                Err(format!("{name}: privilege escalation is not allowed"))
            }
            Invocation::Escalation(name) | Invocation::Command(name) if blocked(name) => {
                Err(format!("{name}: blocked command"))
            }
            Invocation::Escalation(_) => Ok(()),
            Invocation::Command(name) => {
                if self.mode == CommandMode::Whitelist
                    && !self.allowed_commands.iter().any(|entry| entry == name)
                {
                    Err(format!("{name}: not in the allowed commands"))
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
