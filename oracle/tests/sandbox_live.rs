//! Live parity for the sandbox track: proptest draws configurations and paths over the fixture
//! tree (`..`, `.`, `//`, every kind of link, `/proc` and `/dev/fd` tricks, blocked paths),
//! manager policies, shell lines built from quotes, substitutions, separators, wrappers and
//! escalation, and URLs from odd schemes, hosts, ports and credentials; each goes to
//! `accel-sandbox` and, through `oracle/js/serve.mjs`, to the JS reference. Decisions, reasons
//! and construction errors must be identical. At least 1,000 paths, 1,000 commands and 1,000
//! URLs per run. Needs Node on PATH: without it these tests fail, they never pass silently.

mod sandbox_engine;

use std::sync::OnceLock;

use accel_sandbox::{strict_policy, workspace_policy};
use oracle::contracts::sandbox::{
    check_command_request, check_file_request, check_network_request, evaluate_request, Fixture,
    FixtureLayout,
};
use oracle::live::{self, cases_or, Request};
use oracle::{JsValue, Outcome};
use proptest::prelude::*;

/// Requests per proptest case (a batch): cases x BATCH >= 1,000 per kind.
const BATCH: usize = 25;

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let layout = live::shared()
            .call(FixtureLayout::request())
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|err| panic!("fixtureLayout threw: {err}"));
        let layout = FixtureLayout::from_js(&layout).unwrap_or_else(|err| panic!("{err}"));
        Fixture::build(&layout, "live").expect("build the fixture tree")
    })
}

/// Sends `requests` to the reference, runs each on the engine, and lists every difference.
fn compare(requests: Vec<Request>) -> Result<(), TestCaseError> {
    let expected = live::ask_batch(&requests);
    for (request, expected) in requests.iter().zip(expected) {
        let actual: Outcome = sandbox_engine::run(&request.op, &request.args)
            .unwrap_or_else(|err| panic!("{}: {err}", request.op));
        let same = match (&expected, &actual) {
            (Ok(e), Ok(a)) => e.canonical_json() == a.canonical_json(),
            (Err(e), Err(a)) => e == a,
            _ => false,
        };
        prop_assert!(
            same,
            "{} {}\n  reference {:?}\n  engine    {:?}",
            request.op,
            JsValue::Array(request.args.iter().skip(1).cloned().collect()).canonical_json(),
            expected.map(|v| v.canonical_json()),
            actual.map(|v| v.canonical_json())
        );
    }
    Ok(())
}

const PATH_PARTS: &[&str] = &[
    ".",
    "..",
    "",
    "w",
    "src",
    "deep",
    "main.rs",
    "notes.txt",
    ".env",
    ".git",
    "config",
    "out",
    "secret.txt",
    "extra",
    "home",
    ".ssh",
    "id_rsa",
    ".aws",
    "tmp",
    "scratch",
    "link-out",
    "link-abs-out",
    "link-in",
    "link-file",
    "link-up",
    "link-root",
    "link-ssh",
    "link-key",
    "link-proc-root",
    "link-proc-cwd",
    "link-dev-fd",
    "loop-a",
    "loop-b",
    "dangling",
    "dangling-out",
    "link-tmp",
    "link-extra",
    "link-dotdot",
    "link-home-ssh",
    "proc",
    "self",
    "thread-self",
    "1",
    "root",
    "cwd",
    "fd",
    "0",
    "dev",
    "stdin",
    "etc",
    "passwd",
    "shadow",
    "ünï",
    "a b",
    "new",
];

/// A path: relative, absolute from `/`, or absolute in the fixture.
fn path() -> impl Strategy<Value = String> {
    (
        0..4u8,
        prop::collection::vec(prop::sample::select(PATH_PARTS), 0..7),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(anchor, parts, trailing_slash)| {
            let body = parts.join("/");
            let mut path = match anchor {
                0 | 1 => body,
                2 => format!("/{body}"),
                _ => fixture().with_root(&format!("@/{body}")),
            };
            if trailing_slash {
                path.push('/');
            }
            path
        })
}

fn config() -> impl Strategy<Value = JsValue> {
    let root_choices = vec![
        "@/w",
        "@/extra",
        "src",
        "@/tmp",
        "@/w/link-in",
        "@/w/link-out",
    ];
    (
        prop::sample::select(vec!["none", "workspace", "temp", "full"]),
        prop::sample::subsequence(root_choices, 0..3),
        prop::bool::weighted(0.85),
        prop::sample::subsequence(
            vec!["deep", "~/.bashrc", "@/extra/data.txt", "/etc", "~"],
            0..2,
        ),
    )
        .prop_map(|(mode, roots, with_wd, blocked)| {
            let list =
                |items: Vec<&str>| JsValue::Array(items.into_iter().map(JsValue::string).collect());
            let mut members = vec![
                ("networkAccess", JsValue::string("none")),
                ("fsIsolation", JsValue::string(mode)),
                ("allowedRoots", list(roots)),
                ("homeDirectory", JsValue::string("@/home")),
                ("tempDirectory", JsValue::string("@/tmp")),
                ("blockedPaths", list(blocked)),
            ];
            if with_wd {
                members.push(("workingDirectory", JsValue::string("@/w")));
            }
            fixture().substitute(&JsValue::object(members))
        })
}

fn intent() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "read", "write", "create", "delete", "rename", "move", "read", "write", "execute",
    ])
}

/// A manager policy: a preset with its switches flipped at random.
fn policy() -> impl Strategy<Value = JsValue> {
    (
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 10),
        0..3u8,
    )
        .prop_map(|(strict, flips, mode)| {
            use accel_sandbox::policy::{CommandMode, FilesystemMode};
            let mut policy = if strict {
                strict_policy()
            } else {
                workspace_policy()
            };
            policy.filesystem.mode = [
                FilesystemMode::Strict,
                FilesystemMode::Workspace,
                FilesystemMode::Permissive,
            ][mode as usize];
            policy.filesystem.allow_symlinks = flips[0];
            policy.filesystem.allow_hidden_files = flips[1];
            if flips[2] {
                policy.filesystem.allowed_paths = vec!["@/extra".into(), "src".into()];
                policy.filesystem.blocked_paths.push("@/out".into());
            }
            policy.network.enabled = flips[3] || !strict;
            policy.network.allow_localhost = flips[4];
            policy.network.allow_http = flips[5];
            policy.network.allow_https = !flips[6];
            if flips[7] {
                policy.network.allowed_domains = vec![
                    "github.com".into(),
                    "*.npmjs.org".into(),
                    "[::2]".into(),
                    "10.0.0.1".into(),
                ];
                policy
                    .network
                    .blocked_domains
                    .push("evil.github.com".into());
            }
            policy.commands.allow_sudo = flips[8];
            if flips[9] {
                policy.commands.mode = if strict {
                    CommandMode::Blacklist
                } else {
                    CommandMode::Whitelist
                };
                policy.commands.allowed_commands =
                    vec!["ls".into(), "cat".into(), "bash".into(), "git".into()];
                policy.commands.blocked_commands = vec!["rm".into(), "su".into(), "curl".into()];
            }
            fixture().substitute(&sandbox_engine::policy_to_js(&policy))
        })
}

const COMMAND_TOKENS: &[&str] = &[
    "ls",
    "rm",
    "cat",
    "git",
    "curl",
    "sudo",
    "/usr/bin/sudo",
    "su",
    "doas",
    "pkexec",
    "env",
    "nice",
    "-n",
    "5",
    "nohup",
    "timeout",
    "-s",
    "KILL",
    "10",
    "xargs",
    "-I",
    "{}",
    "command",
    "exec",
    "-a",
    "builtin",
    "time",
    "stdbuf",
    "-o0",
    "setsid",
    "bash",
    "sh",
    "-c",
    "-lc",
    "-o",
    "eval",
    "-S",
    "--split-string=rm",
    "-u",
    "A=1",
    "B=x y",
    "$X",
    "${Y}",
    "$'\\x72m'",
    "`",
    "$(",
    ")",
    "(",
    "'",
    "\"",
    "\\",
    ";",
    "&&",
    "||",
    "|",
    "&",
    "|&",
    "\n",
    "#",
    ">",
    ">>",
    "2>&1",
    "<",
    "<<",
    "<(",
    "*",
    "?",
    "[",
    "]",
    "{",
    "}",
    "if",
    "then",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "!",
    "--",
    "-",
    "ünï",
    "/bin/rm",
    "./x",
    "''",
    "\"\"",
    "r\"m\"",
    "s'u'do",
    "s\\udo",
    "$((",
    "))",
];

fn command() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(COMMAND_TOKENS),
            prop::bool::weighted(0.8),
        ),
        0..12,
    )
    .prop_map(|tokens| {
        tokens
            .into_iter()
            .map(|(token, spaced)| {
                if spaced {
                    format!("{token} ")
                } else {
                    token.to_owned()
                }
            })
            .collect()
    })
}

const SCHEMES: &[&str] = &[
    "https", "http", "HTTPS", "ws", "wss", "ftp", "file", "", "1x", "h+t.t-p",
];
const HOSTS: &[&str] = &[
    "github.com",
    "api.github.com",
    "evil.github.com",
    "GitHub.COM.",
    "registry.npmjs.org",
    "npmjs.org",
    "notgithub.com",
    "localhost",
    "app.localhost",
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "0.0.0.0",
    "10.0.0.1",
    "256.1.1.1",
    "1.2.3",
    "[::1]",
    "[::]",
    "[::2]",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[1::2::3]",
    "[fe80::1%25x]",
    "[::1",
    "",
    ".",
    "a..b",
    "ex%61mple.com",
    "ünï.com",
    "exa_mple.com",
    "-x-.com",
    "169.254.169.254",
    "metadata.google.internal",
    "a b",
];

fn url() -> impl Strategy<Value = String> {
    (
        prop::sample::select(SCHEMES),
        prop::sample::select(vec!["://", "://", "://", ":", ":/", ""]),
        prop::sample::select(vec!["", "", "", "user@", "user:pw@", "@"]),
        prop::sample::select(HOSTS),
        prop::sample::select(vec!["", "", ":443", ":8080", ":", ":99999", ":x", ":0"]),
        prop::sample::select(vec!["", "/", "/path?q=1#f", "?x", "#y", "/a@b", "\n"]),
    )
        .prop_map(|(scheme, sep, user, host, port, rest)| {
            format!("{scheme}{sep}{user}{host}{port}{rest}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases_or(48)))]

    #[test]
    fn evaluate_file_action_matches_the_reference(
        config in config(),
        calls in prop::collection::vec((path(), intent()), BATCH),
    ) {
        compare(calls.iter().map(|(path, intent)| evaluate_request(config.clone(), path, intent)).collect())?;
    }

    #[test]
    fn check_file_access_matches_the_reference(
        policy in policy(),
        calls in prop::collection::vec((path(), prop::sample::select(vec!["read", "list", "execute", "write", "create", "delete", "rename", "move", "chmod"])), BATCH),
    ) {
        let root = fixture().with_root("@/w");
        let home = fixture().with_root("@/home");
        compare(calls.iter().map(|(path, op)| check_file_request(policy.clone(), &root, &home, path, op)).collect())?;
    }

    #[test]
    fn check_command_matches_the_reference(
        policy in policy(),
        commands in prop::collection::vec(command(), BATCH),
    ) {
        compare(commands.iter().map(|command| check_command_request(policy.clone(), command)).collect())?;
    }

    #[test]
    fn check_network_request_matches_the_reference(
        policy in policy(),
        urls in prop::collection::vec(url(), BATCH),
    ) {
        compare(urls.iter().map(|url| check_network_request(policy.clone(), url, "GET")).collect())?;
    }
}

#[test]
fn the_presets_are_the_references() {
    let expected = live::shared()
        .call(Request::new("sandbox", "presets", Vec::new()))
        .unwrap_or_else(|err| panic!("{err}"))
        .unwrap_or_else(|err| panic!("presets threw: {err}"));
    assert_eq!(
        expected.canonical_json(),
        sandbox_engine::presets().canonical_json()
    );
}
