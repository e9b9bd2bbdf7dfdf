//! Commands that run another command (`env`, `nice`, `sudo`, ...): where their own options end
//! and the wrapped command begins. Options are read as getopt does: a short-option cluster whose
//! last letter takes a value consumes the next word; `--long value` likewise for the listed names.

use super::parse::Word;

pub struct OptionSpec {
    /// Short options that take a value.
    pub short_with_value: &'static str,
    /// Long options that take a value (as `--name value` or `--name=value`).
    pub long_with_value: &'static [&'static str],
    /// Operands before the command (`timeout`'s duration).
    pub operands: usize,
    /// `NAME=value` words may follow the options.
    pub assignments: bool,
    /// A lone `-` is an option (`env -`).
    pub dash_is_option: bool,
    /// The option whose value is a command line of its own (`env -S`).
    pub split_short: Option<char>,
    pub split_long: Option<&'static str>,
}

const fn spec(
    short_with_value: &'static str,
    long_with_value: &'static [&'static str],
) -> OptionSpec {
    OptionSpec {
        short_with_value,
        long_with_value,
        operands: 0,
        assignments: false,
        dash_is_option: false,
        split_short: None,
        split_long: None,
    }
}

/// Runs its operand as a command and adds nothing else of interest.
pub fn transparent_wrapper(name: &str) -> Option<OptionSpec> {
    Some(match name {
        "env" => OptionSpec {
            assignments: true,
            dash_is_option: true,
            split_short: Some('S'),
            split_long: Some("--split-string"),
            ..spec("uCS", &["--unset", "--chdir", "--split-string"])
        },
        "nice" => spec("n", &["--adjustment"]),
        "nohup" | "builtin" | "setsid" | "command" => spec("", &[]),
        "timeout" => OptionSpec {
            operands: 1,
            ..spec("sk", &["--signal", "--kill-after"])
        },
        "xargs" => spec(
            "ILnPsdEa",
            &[
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--process-slot-var",
            ],
        ),
        "exec" => spec("a", &[]),
        "time" => spec("fo", &["--format", "--output"]),
        "stdbuf" => spec("ioe", &["--input", "--output", "--error"]),
        _ => return None,
    })
}

/// Privilege escalation that runs its operand as a command.
pub fn escalating_wrapper(name: &str) -> Option<OptionSpec> {
    Some(match name {
        "sudo" => OptionSpec {
            assignments: true,
            ..spec(
                "CDgpRrtTUu",
                &[
                    "--close-from",
                    "--chdir",
                    "--group",
                    "--host",
                    "--prompt",
                    "--chroot",
                    "--role",
                    "--type",
                    "--command-timeout",
                    "--other-user",
                    "--user",
                ],
            )
        },
        "doas" => spec("uC", &[]),
        "pkexec" => spec("", &["--user"]),
        _ => return None,
    })
}

pub const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"];

/// Where the wrapped command starts, and a command line given as an option value (`env -S`).
pub struct Skipped<'w> {
    pub next: usize,
    pub split: Option<SplitString<'w>>,
}

/// A command line inside a word: its text from byte `offset` on.
pub struct SplitString<'w> {
    pub word: &'w Word,
    pub offset: usize,
}

pub fn skip_options<'w>(words: &'w [Word], mut i: usize, spec: &OptionSpec) -> Skipped<'w> {
    while i < words.len() {
        let word = &words[i];
        if !word.literal {
            break;
        }
        let text = word.text.as_str();
        if text == "--" {
            i += 1;
            break;
        }
        if text == "-" {
            if spec.dash_is_option {
                i += 1;
                continue;
            }
            break;
        }
        if text.starts_with("--") {
            let (name, has_value) = match text.find('=') {
                Some(eq) => (&text[..eq], true),
                None => (text, false),
            };
            if spec.split_long == Some(name) {
                return Skipped {
                    next: words.len(),
                    split: if has_value {
                        Some(SplitString {
                            word,
                            offset: name.len() + 1,
                        })
                    } else {
                        words.get(i + 1).map(|word| SplitString { word, offset: 0 })
                    },
                };
            }
            i += if !has_value && spec.long_with_value.contains(&name) {
                2
            } else {
                1
            };
            continue;
        }
        if let Some(cluster) = text.strip_prefix('-') {
            let mut consumed = 1;
            for (at, letter) in cluster.char_indices() {
                if !spec.short_with_value.contains(letter) {
                    continue;
                }
                let attached = at + letter.len_utf8() < cluster.len();
                if spec.split_short == Some(letter) {
                    return Skipped {
                        next: words.len(),
                        split: if attached {
                            Some(SplitString {
                                word,
                                offset: 1 + at + letter.len_utf8(),
                            })
                        } else {
                            words.get(i + 1).map(|word| SplitString { word, offset: 0 })
                        },
                    };
                }
                if !attached {
                    consumed = 2;
                }
                break;
            }
            i += consumed;
            continue;
        }
        break;
    }
    i = (i + spec.operands).min(words.len().max(i));
    if spec.assignments {
        while i < words.len() && words[i].assignment {
            i += 1;
        }
    }
    Skipped {
        next: i,
        split: None,
    }
}

/// The command string of `sh -c`, `bash -lc`, ...: the first operand after the options, when a
/// short-option cluster holds `c`. Clusters ending in `o`/`O` take the next word as a value.
pub fn shell_command_string(words: &[Word], start: usize) -> Option<&Word> {
    let mut has_c = false;
    let mut i = start;
    while i < words.len() {
        let text = words[i].text.as_str();
        if text == "--" {
            i += 1;
            break;
        }
        if text.starts_with("--") {
            i += 1;
            continue;
        }
        if text.len() > 1 && (text.starts_with('-') || text.starts_with('+')) {
            let cluster = &text[1..];
            has_c |= cluster.contains('c');
            i += if cluster.ends_with('o') || cluster.ends_with('O') {
                2
            } else {
                1
            };
            continue;
        }
        break;
    }
    if has_c {
        words.get(i)
    } else {
        None
    }
}

/// The command string of `su -c CMD` / `su --command=CMD` / `su -lc CMD`.
pub fn su_command_string(words: &[Word], start: usize) -> Option<SplitString<'_>> {
    let mut i = start;
    while i < words.len() {
        let word = &words[i];
        let text = word.text.as_str();
        if text.starts_with("--command=") {
            return Some(SplitString {
                word,
                offset: "--command=".len(),
            });
        }
        if text == "--command"
            || (text.starts_with('-') && !text.starts_with("--") && text.ends_with('c'))
        {
            return words.get(i + 1).map(|word| SplitString { word, offset: 0 });
        }
        i += 1;
    }
    None
}
