//! The storage track's contract (see `oracle/CONTRACTS.md`): a sequence of operations on one store
//! gives the same observable results (values, and errors with their messages) on the engine
//! `accel-storage` and on the JS reference engine of `@ku0/storage-engine-rs/reference`, which the
//! live oracle (`oracle/js/storage-ops.mjs`) holds by handle.
//!
//! On the wire, bytes are lowercase hex, sequence-number arguments decimal strings (u64 values
//! past 2^53 survive) and results plain JSON numbers; an operation's first argument is the
//! handle `open` returned. No answer is `null` (the live client reads a null value as a missing
//! one): saves, reopens and closes answer `true`, and a load that finds nothing answers `false`.

use crate::compare::Outcome;
use crate::live::Request;
use crate::value::JsValue;

pub const TRACK: &str = "storage";
/// The longest valid checkpoint id, in UTF-8 bytes.
pub const MAX_CHECKPOINT_ID_BYTES: usize = 200;

/// One operation on an open store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageOp {
    AppendEvent(Vec<u8>),
    AppendEvents(Vec<Vec<u8>>),
    ReplayEvents {
        from: u64,
        limit: Option<u64>,
    },
    PruneEvents {
        before: u64,
    },
    SaveCheckpoint {
        id: String,
        data: Vec<u8>,
    },
    LoadCheckpoint {
        id: String,
    },
    DeleteCheckpoint {
        id: String,
    },
    /// The store's next sequence number and low-water mark.
    State,
    /// Open a second engine on the store's root directory while it is open (an error naming the
    /// holder's pid, which both sides write as `<pid>`: see [`PID_PLACEHOLDER`]).
    OpenAgain,
    /// Close the store, then open the same root directory again.
    Reopen,
}

/// What stands for the process id in error messages (`process <pid>`): the reference runs in
/// Node, the engine in the test, so each side writes its own pid so before messages are compared.
pub const PID_PLACEHOLDER: &str = "<pid>";

/// What an operation gave, in the form both sides are reduced to before they are compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    /// An append's sequence number (a batch's first).
    Sequence(u64),
    Events(Vec<Vec<u8>>),
    /// How many events a prune made unavailable.
    Pruned(u64),
    /// A save, reopen or second open that succeeded.
    Done,
    State {
        next_sequence: u64,
        low_water_mark: u64,
    },
    Checkpoint(Option<Vec<u8>>),
    Deleted(bool),
    /// An error, by its message.
    Failed(String),
}

/// `open(rootDir)`: answered with a handle.
pub fn open_request(root_dir: &str) -> Request {
    Request::new(TRACK, "open", vec![JsValue::string(root_dir)])
}

/// `close(handle)`: the oracle forgets the handle.
pub fn close_request(handle: u64) -> Request {
    Request::new(TRACK, "close", vec![JsValue::uint(handle)])
}

/// The handle in the oracle's answer to [`open_request`].
pub fn handle_from_js(outcome: &Outcome) -> Result<u64, String> {
    match outcome {
        Ok(value) => value.as_u64().ok_or_else(|| {
            format!(
                "a handle must be an integer, got {}",
                value.canonical_json()
            )
        }),
        Err(err) => Err(format!("the reference engine did not open: {err}")),
    }
}

impl StorageOp {
    /// The live oracle's request for this operation on the store `handle`.
    pub fn to_request(&self, handle: u64) -> Request {
        let handle = JsValue::uint(handle);
        let (op, args) = match self {
            StorageOp::AppendEvent(data) => ("appendEvent", vec![handle, hex_value(data)]),
            StorageOp::AppendEvents(events) => (
                "appendEvents",
                vec![
                    handle,
                    JsValue::Array(events.iter().map(|e| hex_value(e)).collect()),
                ],
            ),
            StorageOp::ReplayEvents { from, limit } => (
                "replayEvents",
                vec![
                    handle,
                    u64_value(*from),
                    limit.map_or(JsValue::Null, u64_value),
                ],
            ),
            StorageOp::PruneEvents { before } => ("pruneEvents", vec![handle, u64_value(*before)]),
            StorageOp::SaveCheckpoint { id, data } => (
                "saveCheckpoint",
                vec![handle, JsValue::string(id.as_str()), hex_value(data)],
            ),
            StorageOp::LoadCheckpoint { id } => {
                ("loadCheckpoint", vec![handle, JsValue::string(id.as_str())])
            }
            StorageOp::DeleteCheckpoint { id } => (
                "deleteCheckpoint",
                vec![handle, JsValue::string(id.as_str())],
            ),
            StorageOp::State => ("state", vec![handle]),
            StorageOp::OpenAgain => ("openAgain", vec![handle]),
            StorageOp::Reopen => ("reopen", vec![handle]),
        };
        Request::new(TRACK, op, args)
    }

    /// The oracle's answer to this operation as an [`Observed`]; an answer of the wrong shape is
    /// an error (a bug in the oracle or the reference, not a divergence).
    pub fn observed_from_js(&self, outcome: Outcome) -> Result<Observed, String> {
        let value = match outcome {
            Ok(value) => value,
            Err(err) => return Ok(Observed::Failed(err.message)),
        };
        let shape_error = |expected: &str| {
            format!(
                "{} answered {}, expected {expected}",
                self.describe(),
                value.canonical_json()
            )
        };
        match self {
            StorageOp::AppendEvent(_) | StorageOp::AppendEvents(_) => value
                .as_u64()
                .map(Observed::Sequence)
                .ok_or_else(|| shape_error("a sequence number")),
            StorageOp::PruneEvents { .. } => value
                .as_u64()
                .map(Observed::Pruned)
                .ok_or_else(|| shape_error("a count")),
            StorageOp::ReplayEvents { .. } => match &value {
                JsValue::Array(items) => items
                    .iter()
                    .map(bytes_from_hex_value)
                    .collect::<Option<Vec<_>>>()
                    .map(Observed::Events)
                    .ok_or_else(|| shape_error("an array of hex strings")),
                _ => Err(shape_error("an array of hex strings")),
            },
            StorageOp::State => {
                let field = |key: &str| value.get(key).and_then(JsValue::as_u64);
                match (field("nextSequence"), field("lowWaterMark")) {
                    (Some(next_sequence), Some(low_water_mark)) => Ok(Observed::State {
                        next_sequence,
                        low_water_mark,
                    }),
                    _ => Err(shape_error("{ nextSequence, lowWaterMark }")),
                }
            }
            StorageOp::SaveCheckpoint { .. } | StorageOp::Reopen | StorageOp::OpenAgain => {
                match value {
                    JsValue::Bool(true) => Ok(Observed::Done),
                    _ => Err(shape_error("true")),
                }
            }
            StorageOp::LoadCheckpoint { .. } => match &value {
                JsValue::Bool(false) => Ok(Observed::Checkpoint(None)),
                other => bytes_from_hex_value(other)
                    .map(|data| Observed::Checkpoint(Some(data)))
                    .ok_or_else(|| shape_error("false or a hex string")),
            },
            StorageOp::DeleteCheckpoint { .. } => match value {
                JsValue::Bool(deleted) => Ok(Observed::Deleted(deleted)),
                _ => Err(shape_error("a boolean")),
            },
        }
    }

    /// The operation in a few words (payload sizes, not payloads), for failure messages.
    pub fn describe(&self) -> String {
        match self {
            StorageOp::AppendEvent(data) => format!("appendEvent({} bytes)", data.len()),
            StorageOp::AppendEvents(events) => format!(
                "appendEvents([{}] bytes)",
                events
                    .iter()
                    .map(|e| e.len().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            StorageOp::ReplayEvents { from, limit } => format!("replayEvents({from}, {limit:?})"),
            StorageOp::PruneEvents { before } => format!("pruneEvents({before})"),
            StorageOp::SaveCheckpoint { id, data } => {
                format!("saveCheckpoint({id:?}, {} bytes)", data.len())
            }
            StorageOp::LoadCheckpoint { id } => format!("loadCheckpoint({id:?})"),
            StorageOp::DeleteCheckpoint { id } => format!("deleteCheckpoint({id:?})"),
            StorageOp::State => "state()".to_owned(),
            StorageOp::OpenAgain => "openAgain()".to_owned(),
            StorageOp::Reopen => "reopen()".to_owned(),
        }
    }
}

impl Observed {
    /// `Ok` when `actual` (the engine's) is exactly `self` (the reference's); otherwise a message
    /// saying how they differ, without dumping whole payloads.
    pub fn check(&self, actual: &Observed) -> Result<(), String> {
        if self == actual {
            return Ok(());
        }
        Err(format!(
            "expected (reference) {}\n  actual (engine)      {}",
            self.summary(),
            actual.summary()
        ))
    }

    fn summary(&self) -> String {
        let bytes = |data: &[u8]| {
            let shown = &data[..data.len().min(16)];
            let more = if data.len() > 16 { "…" } else { "" };
            format!("{}B:{}{more}", data.len(), hex(shown))
        };
        match self {
            Observed::Events(events) => format!(
                "Events[{}] ({} events)",
                events
                    .iter()
                    .take(8)
                    .map(|e| bytes(e))
                    .collect::<Vec<_>>()
                    .join(", "),
                events.len()
            ),
            Observed::Checkpoint(Some(data)) => format!("Checkpoint({})", bytes(data)),
            other => format!("{other:?}"),
        }
    }
}

/// Ids the rules accept, beside the long ones (100 two-byte characters) built where used.
pub const VALID_CHECKPOINT_IDS: &[&str] = &[
    "a", "state-1", "a.b", "a b", "x.y", "COM0", "CONX", "xCON", "日本",
];

/// Ids the rules reject: empty, dots, separators, drive letters, control characters, trailing
/// dot or space, reserved device names with or without extensions.
pub const INVALID_CHECKPOINT_IDS: &[&str] = &[
    "",
    ".",
    "..",
    ".hidden",
    "a/b",
    "a\\b",
    "c:",
    "a\0",
    "\u{1f}",
    "a\u{1f}",
    "\u{7f}",
    "a.",
    "a ",
    "CON",
    "con.txt",
    "Lpt9",
    "COM1.",
    "nul.tar.gz",
];

/// Why `id` is not a valid checkpoint id, or `None` when it is: the rules of `oracle/CONTRACTS.md`,
/// written out independently of both engines as a third opinion.
pub fn checkpoint_id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("empty");
    }
    if id.len() > MAX_CHECKPOINT_ID_BYTES {
        return Some("too long");
    }
    if id.starts_with('.') {
        return Some("starts with '.'");
    }
    if id
        .chars()
        .any(|c| matches!(c, '/' | '\\' | ':') || c <= '\u{1f}' || c == '\u{7f}')
    {
        return Some("holds a separator, ':' or a control character");
    }
    if id.ends_with('.') || id.ends_with(' ') {
        return Some("ends with '.' or ' '");
    }
    let stem = id.split('.').next().unwrap_or(id).to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && matches!(stem.as_bytes()[3], b'1'..=b'9'));
    if device {
        return Some("a Windows device name");
    }
    None
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Lowercase (or uppercase) hex to bytes; `None` for anything else.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// A u64 argument as a decimal string: JSON numbers lose precision past 2^53 in JavaScript.
fn u64_value(n: u64) -> JsValue {
    JsValue::string(n.to_string().as_str())
}

fn hex_value(bytes: &[u8]) -> JsValue {
    JsValue::string(hex(bytes).as_str())
}

fn bytes_from_hex_value(value: &JsValue) -> Option<Vec<u8>> {
    unhex(&value.as_text()?.to_string_checked()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::JsError;

    #[test]
    fn hex_round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        assert_eq!(unhex(""), Some(Vec::new()));
        for bad in ["0", "0g", "zz", "é1"] {
            assert_eq!(unhex(bad), None, "{bad}");
        }
    }

    #[test]
    fn answers_are_read_by_the_shape_of_their_operation() {
        let replay = StorageOp::ReplayEvents {
            from: 0,
            limit: None,
        };
        let events = JsValue::from_json(r#"["", "00ff"]"#).unwrap();
        assert_eq!(
            replay.observed_from_js(Ok(events)),
            Ok(Observed::Events(vec![vec![], vec![0, 255]]))
        );
        assert!(replay.observed_from_js(Ok(JsValue::uint(3))).is_err());
        let load = StorageOp::LoadCheckpoint { id: "a".into() };
        assert_eq!(
            load.observed_from_js(Ok(JsValue::Bool(false))),
            Ok(Observed::Checkpoint(None))
        );
        assert!(load.observed_from_js(Ok(JsValue::Null)).is_err());
        let prune = StorageOp::PruneEvents { before: 9 };
        assert_eq!(
            prune.observed_from_js(Err(JsError::new("Error", "nope"))),
            Ok(Observed::Failed("nope".into()))
        );
        assert!(StorageOp::AppendEvent(vec![])
            .observed_from_js(Ok(JsValue::string("1")))
            .is_err());
    }

    #[test]
    fn requests_carry_the_handle_first() {
        let request = StorageOp::SaveCheckpoint {
            id: "x".into(),
            data: vec![1, 2],
        }
        .to_request(7);
        assert_eq!(request.op, "saveCheckpoint");
        assert_eq!(
            JsValue::Array(request.args).canonical_json(),
            r#"[7,"x","0102"]"#
        );
        let replay = StorageOp::ReplayEvents {
            from: 3,
            limit: None,
        }
        .to_request(1);
        assert_eq!(
            JsValue::Array(replay.args).canonical_json(),
            r#"[1,"3",null]"#
        );
    }

    #[test]
    fn checkpoint_ids_follow_the_rules() {
        let long_ok = "é".repeat(100);
        let long_bad = "€".repeat(67);
        for valid in VALID_CHECKPOINT_IDS
            .iter()
            .copied()
            .chain([long_ok.as_str()])
        {
            assert_eq!(checkpoint_id_problem(valid), None, "{valid:?}");
        }
        for invalid in INVALID_CHECKPOINT_IDS
            .iter()
            .copied()
            .chain([long_bad.as_str()])
        {
            assert!(checkpoint_id_problem(invalid).is_some(), "{invalid:?}");
        }
    }
}
