//! The live oracle client: spawns `node oracle/js/serve.mjs` once and exchanges JSON lines with
//! it. Requests in a batch are written by a second thread while responses are read, so a large
//! batch cannot deadlock on full pipes.
//!
//! Node missing, or the oracle failing to start, is an error with a message saying what to
//! install or run; [`shared`] turns it into a panic. It never passes silently.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread;

use crate::compare::Outcome;
use crate::paths::{live_oracle_script, repo_root, SETUP_COMMAND};
use crate::value::{JsError, JsValue};

/// The Node executable; `ORACLE_NODE` overrides `node` from `PATH`.
fn node_program() -> String {
    std::env::var("ORACLE_NODE").unwrap_or_else(|_| "node".to_owned())
}

#[derive(Debug)]
pub enum LiveError {
    /// `node` could not be started.
    NodeMissing(String),
    /// The oracle process died or its pipes failed; carries what it wrote to stderr.
    Io(String),
    /// The oracle answered something that is not a valid response to what was sent.
    Protocol(String),
    /// The oracle says the request was malformed (a bug in the caller).
    BadRequest(String),
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::NodeMissing(m) => write!(f, "live oracle unavailable: {m}"),
            LiveError::Io(m) => write!(f, "live oracle failed: {m}"),
            LiveError::Protocol(m) => write!(f, "live oracle protocol error: {m}"),
            LiveError::BadRequest(m) => write!(f, "live oracle rejected a request: {m}"),
        }
    }
}

impl std::error::Error for LiveError {}

/// One call: `op` of `track` with `args`.
#[derive(Clone, Debug)]
pub struct Request {
    pub track: &'static str,
    pub op: String,
    pub args: Vec<JsValue>,
}

impl Request {
    pub fn new(track: &'static str, op: impl Into<String>, args: Vec<JsValue>) -> Self {
        Request {
            track,
            op: op.into(),
            args,
        }
    }
}

pub struct LiveOracle {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<String>>,
    next_id: u64,
    utf16_transport: bool,
    /// Set when responses stopped matching requests: later calls fail instead of misreading.
    broken: Option<String>,
}

#[derive(Deserialize)]
struct Response {
    id: Option<u64>,
    ok: bool,
    value: Option<Box<RawValue>>,
    error: Option<JsError>,
}

impl LiveOracle {
    /// Starts `node oracle/js/serve.mjs` and checks that it answers.
    pub fn spawn() -> Result<Self, LiveError> {
        let script = live_oracle_script();
        let program = node_program();
        let mut child = Command::new(&program)
            .arg(&script)
            .current_dir(repo_root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| {
                LiveError::NodeMissing(format!(
                    "cannot run `{program} {}` ({err}). The live parity tests need Node.js >= 20 on PATH \
                     (or ORACLE_NODE=/path/to/node) and the npm workspace installed (`{SETUP_COMMAND}`)",
                    script.display()
                ))
            })?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = child_stderr.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let mut oracle = LiveOracle {
            stdin: BufWriter::new(child.stdin.take().expect("stdin is piped")),
            stdout: BufReader::new(child.stdout.take().expect("stdout is piped")),
            child,
            stderr,
            next_id: 1,
            utf16_transport: false,
            broken: None,
        };
        oracle.describe()?;
        Ok(oracle)
    }

    /// Sends every string as `{"$utf16": [...]}` and asks for strings back the same way. The
    /// default transport (JSON strings with `\udXXX` escapes) is just as exact; this one exists
    /// to prove it.
    pub fn set_utf16_transport(&mut self, on: bool) {
        self.utf16_transport = on;
    }

    /// `{ node, tracks: { diff: [ops] }, references: { diff: "diff@9.0.0" } }`.
    pub fn describe(&mut self) -> Result<JsValue, LiveError> {
        let outcome = self.call(Request::new("oracle", "describe", Vec::new()))?;
        outcome.map_err(|err| LiveError::Protocol(format!("describe failed: {err}")))
    }

    pub fn call(&mut self, request: Request) -> Result<Outcome, LiveError> {
        Ok(self.call_batch(std::slice::from_ref(&request))?.remove(0))
    }

    /// Sends all requests, then returns their outcomes in order.
    pub fn call_batch(&mut self, requests: &[Request]) -> Result<Vec<Outcome>, LiveError> {
        if let Some(reason) = &self.broken {
            return Err(LiveError::Protocol(format!(
                "the conversation broke earlier: {reason}"
            )));
        }
        let first_id = self.next_id;
        self.next_id += requests.len() as u64;
        let utf16 = self.utf16_transport;
        let LiveOracle { stdin, stdout, .. } = self;
        let (written, responses) = thread::scope(|scope| {
            let writer = scope.spawn(move || -> io::Result<()> {
                for (offset, request) in requests.iter().enumerate() {
                    let args = JsValue::Array(request.args.clone()).to_request_json(utf16);
                    writeln!(
                        stdin,
                        "{{\"id\":{},\"track\":{},\"op\":{},\"args\":{args},\"utf16\":{utf16}}}",
                        first_id + offset as u64,
                        serde_json::to_string(request.track).expect("a str serializes"),
                        serde_json::to_string(&request.op).expect("a str serializes"),
                    )?;
                }
                stdin.flush()
            });
            let mut responses = Vec::with_capacity(requests.len());
            let mut line = String::new();
            for offset in 0..requests.len() {
                line.clear();
                match stdout.read_line(&mut line) {
                    Ok(0) => {
                        responses.push(Err(LiveError::Io(
                            "the oracle closed its output".to_owned(),
                        )));
                        break;
                    }
                    Ok(_) => responses.push(parse_response(&line, first_id + offset as u64)),
                    Err(err) => {
                        responses.push(Err(LiveError::Io(format!(
                            "reading the oracle's output: {err}"
                        ))));
                        break;
                    }
                }
            }
            (
                writer.join().expect("the writer thread does not panic"),
                responses,
            )
        });
        let mut outcomes = Vec::with_capacity(requests.len());
        let mut rejected = None;
        for response in responses {
            match response {
                Ok(outcome) => outcomes.push(outcome),
                Err(LiveError::Io(message)) => return Err(self.died(&message)),
                Err(LiveError::BadRequest(message)) => rejected = rejected.or(Some(message)),
                Err(other) => {
                    self.broken = Some(other.to_string());
                    return Err(other);
                }
            }
        }
        if let Err(err) = written {
            return Err(self.died(&format!("writing requests failed ({err})")));
        }
        match rejected {
            Some(message) => Err(LiveError::BadRequest(message)),
            None => Ok(outcomes),
        }
    }

    fn died(&mut self, what: &str) -> LiveError {
        let status = match self.child.try_wait() {
            Ok(Some(status)) => format!("exited with {status}"),
            Ok(None) => "still running".to_owned(),
            Err(err) => format!("status unknown: {err}"),
        };
        let stderr = self
            .stderr
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        LiveError::Io(format!(
            "{what}; `node oracle/js/serve.mjs` {status}. Its stderr:\n{stderr}\n\
             (if a module is missing, install the npm workspace with `{SETUP_COMMAND}`)"
        ))
    }
}

fn parse_response(line: &str, expected_id: u64) -> Result<Outcome, LiveError> {
    let response: Response = serde_json::from_str(line)
        .map_err(|err| LiveError::Protocol(format!("unreadable response ({err}): {line}")))?;
    if response.id != Some(expected_id) {
        return Err(LiveError::Protocol(format!(
            "response id {:?} where {expected_id} was expected: {line}",
            response.id
        )));
    }
    if response.ok {
        let raw = response
            .value
            .ok_or_else(|| LiveError::Protocol(format!("ok response without a value: {line}")))?;
        return JsValue::from_raw(&raw)
            .map(Ok)
            .map_err(|err| LiveError::Protocol(format!("unreadable value ({err}): {line}")));
    }
    let error = response
        .error
        .ok_or_else(|| LiveError::Protocol(format!("error response without an error: {line}")))?;
    if error.name == "BadRequest" {
        return Err(LiveError::BadRequest(error.message));
    }
    Ok(Err(error))
}

impl Drop for LiveOracle {
    fn drop(&mut self) {
        // Closing stdin ends the oracle; kill it if it does not go.
        let _ = self.stdin.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static SHARED: OnceLock<Mutex<Option<LiveOracle>>> = OnceLock::new();

/// The process-wide oracle, spawned on first use. Panics with the reason when it cannot start.
/// A test that panicked while holding it leaves it to be respawned, not reused mid-conversation.
pub fn shared() -> SharedOracle {
    let slot = SHARED.get_or_init(|| Mutex::new(None));
    let mut guard = match slot.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            let mut guard = poisoned.into_inner();
            *guard = None;
            guard
        }
    };
    if guard.as_ref().is_some_and(|oracle| oracle.broken.is_some()) {
        *guard = None;
    }
    if guard.is_none() {
        match LiveOracle::spawn() {
            Ok(oracle) => *guard = Some(oracle),
            Err(err) => panic!("{err}"),
        }
    }
    SharedOracle(guard)
}

pub struct SharedOracle(MutexGuard<'static, Option<LiveOracle>>);

impl std::ops::Deref for SharedOracle {
    type Target = LiveOracle;
    fn deref(&self) -> &LiveOracle {
        self.0.as_ref().expect("spawned in shared()")
    }
}

impl std::ops::DerefMut for SharedOracle {
    fn deref_mut(&mut self) -> &mut LiveOracle {
        self.0.as_mut().expect("spawned in shared()")
    }
}

/// Sends `requests` to the shared oracle in one batch: one outcome per request, in order. An oracle
/// that cannot answer panics with the reason (a live test has nothing to compare against).
pub fn ask_batch(requests: &[Request]) -> Vec<Outcome> {
    shared()
        .call_batch(requests)
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The proptest configuration of a live test: `cases_or(default_cases)` cases; a failure's shrunk
/// counterexample is printed, nothing is written next to the sources.
pub fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: cases_or(default_cases),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// How many cases a live property test runs: `default`, unless `PROPTEST_CASES` asks for a
/// longer (or shorter) hunt.
pub fn cases_or(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}
