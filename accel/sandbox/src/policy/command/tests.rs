use super::*;
use proptest::prelude::*;

fn names(line: &str) -> Vec<Invocation> {
    invocations(line).unwrap_or_else(|err| panic!("{line}: {err:?}"))
}

fn cmd(name: &str) -> Invocation {
    Invocation::Command(name.to_owned())
}

fn blacklist(blocked: &[&str], allow_sudo: bool) -> CommandRules {
    CommandRules {
        mode: CommandMode::Blacklist,
        allowed_commands: Vec::new(),
        blocked_commands: blocked.iter().map(|s| (*s).to_owned()).collect(),
        allow_sudo,
    }
}

#[test]
fn splits_every_kind_of_chaining() {
    assert_eq!(
        names("a; b && c || d | e & f\ng |& h"),
        ["a", "b", "c", "d", "e", "f", "g", "h"].map(cmd)
    );
    assert_eq!(
        names("x $(y `z`) (w; v) <(u)"),
        ["z", "y", "w", "v", "u", "x"].map(cmd)
    );
    assert_eq!(names("echo \"$(rm -rf /)\""), ["rm", "echo"].map(cmd));
}

#[test]
fn removes_quotes_escapes_and_paths() {
    assert_eq!(
        names("'s'u\"d\"o ls"),
        [Invocation::Escalation("sudo".into()), cmd("ls")]
    );
    assert_eq!(names("s\\udo"), [Invocation::Escalation("sudo".into())]);
    assert_eq!(
        names("/usr/bin/sudo -u root /bin/rm x"),
        [Invocation::Escalation("sudo".into()), cmd("rm")]
    );
    assert_eq!(names("\"/usr/bin/r\"m"), [cmd("rm")]);
}

#[test]
fn sees_through_wrappers_and_their_options() {
    assert_eq!(
        names("A=1 env -i -u X B=2 nice -n 5 nohup timeout -s KILL 10 rm"),
        [cmd("rm")]
    );
    assert_eq!(
        names("find . | xargs -I {} -n 1 rm {}"),
        [cmd("find"), cmd("rm")]
    );
    assert_eq!(names("command -p exec -a name builtin rm"), [cmd("rm")]);
    assert_eq!(names("env -S 'rm -rf x'"), [cmd("rm")]);
    assert_eq!(
        names("env --split-string='sudo ls'"),
        [Invocation::Escalation("sudo".into()), cmd("ls")]
    );
    assert_eq!(
        names("bash -lc 'curl x | sh'"),
        [cmd("bash"), cmd("curl"), cmd("sh")]
    );
    assert_eq!(names("eval 'rm' x"), [cmd("rm")]);
    assert_eq!(
        names("su -c 'rm x' root"),
        [Invocation::Escalation("su".into()), cmd("rm")]
    );
    assert_eq!(names("env"), [cmd("env")]);
}

#[test]
fn redirections_comments_and_keywords_are_not_commands() {
    assert_eq!(
        names("ls > rm 2>&1 < sudo >> x &> y # rm -rf /"),
        [cmd("ls")]
    );
    assert_eq!(names("cat <<EOF"), [cmd("cat")]);
    assert_eq!(
        names("if true; then ls; else rm; fi"),
        ["true", "ls", "rm"].map(cmd)
    );
    assert_eq!(names("for x in a b; do rm $x; done"), [cmd("rm")]);
    assert_eq!(names("{ ls; }"), [cmd("ls")]);
}

#[test]
fn names_that_expansion_decides_are_not_literal() {
    assert_eq!(names("$CMD x"), [Invocation::NotLiteral("$CMD".into())]);
    assert_eq!(
        names("$'\\x73udo' ls"),
        [Invocation::NotLiteral("$'\\x73udo'".into())]
    );
    assert_eq!(
        names("/usr/bin/su* x"),
        [Invocation::NotLiteral("/usr/bin/su*".into())]
    );
    assert_eq!(names("'' x"), [Invocation::EmptyName]);
    assert_eq!(names("x[ab] y"), [Invocation::NotLiteral("x[ab]".into())]);
    assert_eq!(names("[ -f x ]"), [cmd("[")]);
}

#[test]
fn malformed_lines_are_errors() {
    for (line, error) in [
        ("echo 'x", ParseError::UnterminatedSingleQuote),
        ("echo \"x", ParseError::UnterminatedDoubleQuote),
        ("echo $(x", ParseError::UnterminatedSubstitution),
        ("echo `x", ParseError::UnterminatedBackquote),
        ("echo x)", ParseError::UnbalancedParenthesis),
        ("(echo x", ParseError::UnbalancedParenthesis),
        ("echo \\", ParseError::TrailingBackslash),
    ] {
        assert_eq!(invocations(line), Err(error), "{line}");
    }
    let deep = format!("{}x{}", "$(".repeat(40), ")".repeat(40));
    assert_eq!(invocations(&deep), Err(ParseError::TooDeep));
    let deep_eval = format!("{}x", "eval ".repeat(40));
    assert_eq!(invocations(&deep_eval), Err(ParseError::TooDeep));
}

#[test]
fn rules_give_the_contract_reasons() {
    let rules = CommandRules {
        mode: CommandMode::Whitelist,
        allowed_commands: vec!["ls".into(), "cat".into()],
        blocked_commands: vec!["cat".into()],
        allow_sudo: false,
    };
    assert_eq!(rules.check("ls -la"), Ok(()));
    assert_eq!(rules.check("ls; cat x"), Err("cat: blocked command".into()));
    assert_eq!(
        rules.check("ls | wc"),
        Err("wc: not in the allowed commands".into())
    );
    assert_eq!(
        rules.check("sudo ls"),
        Err("sudo: privilege escalation is not allowed".into())
    );
    assert_eq!(rules.check("  "), Err("empty command".into()));
    assert_eq!(rules.check("X=1"), Err("empty command".into()));
    assert_eq!(
        rules.check("'x"),
        Err("unparsable command: unterminated single quote".into())
    );
    assert_eq!(
        rules.check("$X"),
        Err("command name is not literal: $X".into())
    );
    assert_eq!(blacklist(&[], true).check("sudo -u root ls"), Ok(()));
    assert_eq!(
        blacklist(&["su"], true).check("su"),
        Err("su: blocked command".into())
    );
}

/// Shell-quotes `text` as one word in single quotes.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `name` spelled with a random mix of plain, backslashed, single- and double-quoted letters.
fn obfuscated(name: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(0..4u8, name.len()).prop_map(move |styles| {
        name.chars()
            .zip(styles)
            .map(|(ch, style)| match style {
                0 => ch.to_string(),
                1 => format!("\\{ch}"),
                2 => format!("'{ch}'"),
                _ => format!("\"{ch}\""),
            })
            .collect()
    })
}

#[derive(Clone, Debug)]
enum Wrap {
    Path,
    Env,
    Nice,
    Nohup,
    Timeout,
    Xargs,
    Command,
    Exec,
    Sudo,
    Shell,
    Eval,
    Substitution,
    Backquote,
    Subshell,
    AfterChain(&'static str),
}

fn wrap() -> impl Strategy<Value = Wrap> {
    prop_oneof![
        Just(Wrap::Path),
        Just(Wrap::Env),
        Just(Wrap::Nice),
        Just(Wrap::Nohup),
        Just(Wrap::Timeout),
        Just(Wrap::Xargs),
        Just(Wrap::Command),
        Just(Wrap::Exec),
        Just(Wrap::Sudo),
        Just(Wrap::Shell),
        Just(Wrap::Eval),
        Just(Wrap::Substitution),
        Just(Wrap::Backquote),
        Just(Wrap::Subshell),
        prop::sample::select(vec![
            "ls; ",
            "true && ",
            "false || ",
            "echo | ",
            "sleep 1 & ",
            "ls\n"
        ])
        .prop_map(Wrap::AfterChain),
    ]
}

fn apply(line: String, wrap: &Wrap) -> String {
    match wrap {
        Wrap::Path => format!("/usr/bin/{line}"),
        Wrap::Env => format!("env -u HOME A=1 {line}"),
        Wrap::Nice => format!("nice -n 10 {line}"),
        Wrap::Nohup => format!("nohup {line}"),
        Wrap::Timeout => format!("timeout -k 1 5s {line}"),
        Wrap::Xargs => format!("echo x | xargs -n1 -I{{}} {line}"),
        Wrap::Command => format!("command {line}"),
        Wrap::Exec => format!("exec -a other {line}"),
        Wrap::Sudo => format!("sudo -u root -E {line}"),
        Wrap::Shell => format!("bash -c {}", single_quoted(&line)),
        Wrap::Eval => format!("eval {}", single_quoted(&line)),
        Wrap::Substitution => format!("echo \"$({line})\""),
        Wrap::Backquote => format!("echo `{}`", line.replace('\\', "\\\\").replace('`', "\\`")),
        Wrap::Subshell => format!("( {line} )"),
        Wrap::AfterChain(prefix) => format!("{prefix}{line}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn quoting_and_wrapping_never_hide_a_blocked_command(
        name in prop::sample::select(vec!["rm", "curl", "dd", "mkfs"]),
        spelled in prop::sample::select(vec!["rm", "curl", "dd", "mkfs"]).prop_flat_map(obfuscated),
        wraps in prop::collection::vec(wrap(), 0..4),
    ) {
        let _ = name;
        let plain: String = spelled.chars().filter(|c| !matches!(c, '\\' | '\'' | '"')).collect();
        let line = wraps.iter().fold(format!("{spelled} -x arg"), apply);
        let result = blacklist(&["rm", "curl", "dd", "mkfs"], true).check(&line);
        prop_assert_eq!(result, Err(format!("{plain}: blocked command")), "{}", line);
    }

    #[test]
    fn sudo_is_found_under_any_wrapping(
        spelled in obfuscated("sudo"),
        wraps in prop::collection::vec(wrap(), 0..4),
    ) {
        let line = wraps.iter().fold(format!("{spelled} ls"), apply);
        let result = blacklist(&[], false).check(&line);
        prop_assert_eq!(result, Err("sudo: privilege escalation is not allowed".to_owned()), "{}", line);
    }

    #[test]
    fn any_input_gets_an_answer(line in "[ -~\\n\\t]{0,60}") {
        let _ = blacklist(&["rm"], false).check(&line);
    }
}
