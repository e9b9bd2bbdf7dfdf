//! The live jsdiff oracle for the patch tests: one `node` process per test binary running
//! `bindings/diff-rs/fallback.js`, fed JSON lines on stdin.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};

const SCRIPT: &str = r#"
import { pathToFileURL } from 'node:url';
import readline from 'node:readline';
const fallback = await import(pathToFileURL(process.argv[1]).href);
const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of input) {
  const req = JSON.parse(line);
  let res;
  try {
    if (req.op === 'apply') res = { ok: fallback.applyPatch(req.original, req.patch) };
    else if (req.op === 'reverse') res = { ok: fallback.reversePatch(req.patch) };
    else if (req.op === 'create') res = { ok: fallback.createTwoFilesPatch(req.oldName, req.newName,
      req.old, req.new, req.oldHeader ?? undefined, req.newHeader ?? undefined, { context: req.context }) };
    else res = { err: 'unknown op ' + req.op };
  } catch (e) {
    res = { err: String(e && e.message) };
  }
  process.stdout.write(JSON.stringify(res) + '\n');
}
"#;

/// jsdiff loops for hours on some inputs (a huge hunk start); a stuck oracle fails the test.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
}

pub type Answer = Result<String, String>;

pub fn oracle() -> MutexGuard<'static, Oracle> {
    static ORACLE: OnceLock<Mutex<Oracle>> = OnceLock::new();
    ORACLE
        .get_or_init(|| Mutex::new(Oracle::spawn()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Oracle {
    fn spawn() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let fallback = root.join("bindings/diff-rs/fallback.js");
        assert!(
            fallback.is_file(),
            "{} is missing: the patch parity tests compare with the JS fallback",
            fallback.display()
        );
        assert!(
            root.join("node_modules/diff/package.json").is_file(),
            "node_modules/diff is missing: run `npm install` at the repo root (`cargo xtask setup` does it)"
        );
        let mut child = Command::new("node")
            .args(["--input-type=module", "-e", SCRIPT])
            .arg(&fallback)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot run `node` ({err}): the patch parity tests need Node 20 on PATH to \
                     compare with jsdiff (see /work/shared/TOOLCHAIN.md; `cargo xtask setup`)"
                )
            });
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Oracle {
            child,
            stdin,
            answers,
        }
    }

    fn call(&mut self, request: Value) -> Answer {
        let mut line = serde_json::to_string(&request).expect("request serializes");
        line.push('\n');
        self.stdin
            .write_all(line.as_bytes())
            .and_then(|()| self.stdin.flush())
            .expect("node oracle stopped reading (did it crash? run the script by hand)");
        let answer = match self.answers.recv_timeout(ANSWER_TIMEOUT) {
            Ok(answer) => answer,
            Err(err) => {
                let _ = self.child.kill();
                panic!("node oracle gave no answer ({err}) to {line}");
            }
        };
        let answer: Value = serde_json::from_str(&answer).expect("node oracle answers JSON");
        match (&answer["ok"], &answer["err"]) {
            (Value::String(ok), _) => Ok(ok.clone()),
            (_, Value::String(err)) => Err(err.clone()),
            _ => panic!("unexpected oracle answer {answer} to {line}"),
        }
    }

    pub fn apply(&mut self, original: &str, patch: &str) -> Answer {
        self.call(json!({ "op": "apply", "original": original, "patch": patch }))
    }

    pub fn reverse(&mut self, patch: &str) -> Answer {
        self.call(json!({ "op": "reverse", "patch": patch }))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &mut self,
        old_name: &str,
        new_name: &str,
        old: &str,
        new: &str,
        old_header: Option<&str>,
        new_header: Option<&str>,
        context: usize,
    ) -> String {
        self.call(json!({
            "op": "create", "oldName": old_name, "newName": new_name, "old": old, "new": new,
            "oldHeader": old_header, "newHeader": new_header, "context": context,
        }))
        .expect("createTwoFilesPatch succeeds")
    }
}

/// Our answer through both code-unit widths; they must agree with each other.
pub fn ours_apply(original: &str, patch: &str) -> Answer {
    let utf8 = accel_diff::patch::apply_patch(original, patch).map_err(|e| e.to_string());
    let utf16 = accel_diff::patch::apply_patch_units(&utf16(original), &utf16(patch))
        .map(|units| String::from_utf16(&units).expect("valid UTF-16 out of valid UTF-16 in"))
        .map_err(|e| e.to_string());
    assert_eq!(
        utf8, utf16,
        "u8 and u16 disagree applying {patch:?} to {original:?}"
    );
    utf8
}

pub fn ours_reverse(patch: &str) -> Answer {
    let utf8 = accel_diff::patch::reverse_patch(patch).map_err(|e| e.to_string());
    let utf16 = accel_diff::patch::reverse_patch_units(&utf16(patch))
        .map(|units| String::from_utf16(&units).expect("valid UTF-16 out of valid UTF-16 in"))
        .map_err(|e| e.to_string());
    assert_eq!(utf8, utf16, "u8 and u16 disagree reversing {patch:?}");
    utf8
}

pub fn utf16(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}
