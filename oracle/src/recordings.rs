//! Loading the recordings that `oracle/js/record.mjs` writes to `oracle/recordings/<track>/`
//! (the format is described at the top of that script), and resolving their inputs: generated
//! corpus files (checked against the recorded sha256) and fixture strings.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::compare::{sha256_hex, Expected};
use crate::paths::{recordings_dir, repo_root, RECORD_COMMAND, SETUP_COMMAND};
use crate::text::Text;
use crate::value::{JsError, JsValue};

pub const FORMAT: &str = "ku0-oracle-recording/1";

/// Something wrong with the recordings or their inputs; the message says which command fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingError(pub String);

impl fmt::Display for RecordingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RecordingError {}

fn error(message: impl Into<String>) -> RecordingError {
    RecordingError(message.into())
}

/// One recording file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recording {
    #[serde(skip)]
    pub path: PathBuf,
    pub format: String,
    pub track: String,
    /// The reference implementation that produced it, e.g. `diff@9.0.0 through ...`.
    pub reference: String,
    /// Fixture file (repo-relative) -> sha256 of its bytes when recorded.
    #[serde(default)]
    pub fixture_files: BTreeMap<String, String>,
    pub subjects: Vec<Subject>,
}

/// A set of inputs and the calls recorded on them.
#[derive(Debug, Deserialize)]
pub struct Subject {
    pub id: String,
    #[serde(default)]
    pub description: String,
    pub inputs: BTreeMap<String, InputSource>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum InputSource {
    /// A generated corpus file, relative to the repo root.
    CorpusFile { path: String, sha256: String },
    /// The string `field` of the case `case` of a fixture file.
    Fixture {
        fixture: String,
        case: String,
        field: String,
    },
}

/// One recorded call.
#[derive(Debug, Deserialize)]
pub struct Entry {
    pub id: String,
    pub op: String,
    /// May hold `{"$input": name}` and `{"$result": entry id}` references.
    pub args: Vec<JsValue>,
    pub expect: JsValue,
}

/// Why an entry's arguments cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// It needs the value of an earlier entry that has none to give (it failed to match).
    MissingResult(String),
    /// The recording is malformed.
    Invalid(String),
}

impl Entry {
    /// The arguments with `$input` / `$result` references replaced by their values.
    pub fn resolve_args(
        &self,
        inputs: &BTreeMap<String, Text>,
        results: &HashMap<String, JsValue>,
    ) -> Result<Vec<JsValue>, Unresolved> {
        self.args
            .iter()
            .map(|arg| resolve(arg, inputs, results))
            .collect()
    }
}

fn resolve(
    value: &JsValue,
    inputs: &BTreeMap<String, Text>,
    results: &HashMap<String, JsValue>,
) -> Result<JsValue, Unresolved> {
    match value.marker() {
        Some(("$input", JsValue::String(name))) => {
            let name = name.to_string_lossless_escaped();
            inputs
                .get(&name)
                .cloned()
                .map(JsValue::String)
                .ok_or_else(|| Unresolved::Invalid(format!("no input named {name}")))
        }
        Some(("$result", JsValue::String(id))) => {
            let id = id.to_string_lossless_escaped();
            results
                .get(&id)
                .cloned()
                .ok_or(Unresolved::MissingResult(id))
        }
        _ => match value {
            JsValue::Array(items) => items
                .iter()
                .map(|item| resolve(item, inputs, results))
                .collect::<Result<_, _>>()
                .map(JsValue::Array),
            JsValue::Object(members) => members
                .iter()
                .map(|(k, v)| resolve(v, inputs, results).map(|v| (k.clone(), v)))
                .collect::<Result<_, _>>()
                .map(JsValue::Object),
            other => Ok(other.clone()),
        },
    }
}

/// Every recording of `track`, in file-name order. Fails when there are none.
pub fn load_track(track: &str) -> Result<Vec<Recording>, RecordingError> {
    let dir = recordings_dir(track);
    let listing = fs::read_dir(&dir).map_err(|err| {
        error(format!(
            "cannot read the {track} recordings in {}: {err}; create them with `{RECORD_COMMAND}`",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(error(format!(
            "no {track} recordings in {}; create them with `{RECORD_COMMAND}`",
            dir.display()
        )));
    }
    paths
        .iter()
        .map(|path| Recording::load(path, track))
        .collect()
}

impl Recording {
    pub fn load(path: &Path, track: &str) -> Result<Self, RecordingError> {
        let json = fs::read_to_string(path)
            .map_err(|err| error(format!("cannot read recording {}: {err}", path.display())))?;
        let mut recording: Recording = serde_json::from_str(&json).map_err(|err| {
            error(format!(
                "recording {} is malformed ({err}); re-record with `{RECORD_COMMAND}`",
                path.display()
            ))
        })?;
        if recording.format != FORMAT || recording.track != track {
            return Err(error(format!(
                "recording {} is format {:?} for track {:?}, expected {FORMAT:?} for {track:?}; re-record with `{RECORD_COMMAND}`",
                path.display(),
                recording.format,
                recording.track
            )));
        }
        recording.path = path.to_path_buf();
        Ok(recording)
    }

    /// A short name for messages: the file name.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The subject's inputs, read and checked against what was recorded.
    pub fn load_inputs(&self, subject: &Subject) -> Result<BTreeMap<String, Text>, RecordingError> {
        let mut fixtures = FixtureCache::default();
        subject
            .inputs
            .iter()
            .map(|(name, source)| {
                let text = match source {
                    InputSource::CorpusFile { path, sha256 } => load_corpus_file(path, sha256)?,
                    InputSource::Fixture {
                        fixture,
                        case,
                        field,
                    } => {
                        let recorded_sha = self.fixture_files.get(fixture).ok_or_else(|| {
                            error(format!(
                                "{}: fixture file {fixture} has no recorded sha256",
                                self.name()
                            ))
                        })?;
                        fixtures.field(fixture, recorded_sha, case, field)?
                    }
                };
                Ok((name.clone(), text))
            })
            .collect()
    }

    /// What `entry` must give, with file and input references resolved.
    pub fn expected(
        &self,
        entry: &Entry,
        inputs: &BTreeMap<String, Text>,
    ) -> Result<Expected, RecordingError> {
        let malformed = || {
            error(format!(
                "{}: entry {} has an unknown expectation {}",
                self.name(),
                entry.id,
                entry.expect.canonical_json()
            ))
        };
        let (key, payload) = match &entry.expect {
            JsValue::Object(members) if members.len() == 1 => {
                (members[0].0.as_str(), &members[0].1)
            }
            JsValue::Object(members) if members.len() == 2 => {
                let sha256 = entry
                    .expect
                    .get("textSha256")
                    .or(entry.expect.get("jsonSha256"));
                let length = entry.expect.get("length").and_then(JsValue::as_u64);
                let (Some(JsValue::String(sha256)), Some(length)) = (sha256, length) else {
                    return Err(malformed());
                };
                let (sha256, length) = (sha256.to_string_lossless_escaped(), length as usize);
                return Ok(if members.iter().any(|(k, _)| k == "textSha256") {
                    Expected::TextSha256 { sha256, length }
                } else {
                    Expected::JsonSha256 { sha256, length }
                });
            }
            _ => return Err(malformed()),
        };
        match (key, payload) {
            ("value", value) => Ok(Expected::Value(value.clone())),
            ("error", error_value) => {
                let field = |name: &str| {
                    error_value
                        .get(name)
                        .and_then(JsValue::as_text)
                        .map(Text::to_string_lossless_escaped)
                };
                match (field("name"), field("message")) {
                    (Some(name), Some(message)) => Ok(Expected::Error(JsError { name, message })),
                    _ => Err(malformed()),
                }
            }
            ("input", JsValue::String(name)) => {
                let name = name.to_string_lossless_escaped();
                inputs
                    .get(&name)
                    .map(|text| Expected::Value(JsValue::String(text.clone())))
                    .ok_or_else(|| {
                        error(format!(
                            "{}: entry {} names no input {name}",
                            self.name(),
                            entry.id
                        ))
                    })
            }
            ("file", JsValue::String(file)) => {
                let path = self.path.with_file_name(file.to_string_lossless_escaped());
                let text = fs::read_to_string(&path).map_err(|err| {
                    error(format!(
                        "cannot read {} (recorded output of {} / {}): {err}; re-record with `{RECORD_COMMAND}`",
                        path.display(),
                        self.name(),
                        entry.id
                    ))
                })?;
                Ok(Expected::Value(JsValue::string(text)))
            }
            _ => Err(malformed()),
        }
    }
}

fn load_corpus_file(path: &str, recorded_sha: &str) -> Result<Text, RecordingError> {
    let full = repo_root().join(path);
    let bytes = fs::read(&full).map_err(|err| {
        let generator = path
            .strip_prefix("corpora/")
            .and_then(|rest| rest.split('/').next())
            .map(|track| format!(" (it runs `node corpora/{track}/generate.mjs`)"))
            .unwrap_or_default();
        error(format!(
            "corpus file {path} is missing or unreadable ({err}); generate the corpora with `{SETUP_COMMAND}`{generator}"
        ))
    })?;
    let sha = sha256_hex(&bytes);
    if sha != recorded_sha {
        return Err(error(format!(
            "corpus file {path} is not the one recorded (sha256 {sha}, recorded {recorded_sha}); regenerate it with \
             `{SETUP_COMMAND}`, or if the generator changed on purpose re-record with `{RECORD_COMMAND}`"
        )));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| error(format!("corpus file {path} is not UTF-8")))?;
    Ok(Text::from(text))
}

/// Fixture files parsed once per subject, checked against their recorded sha256.
#[derive(Default)]
struct FixtureCache {
    files: HashMap<String, JsValue>,
}

impl FixtureCache {
    fn field(
        &mut self,
        fixture: &str,
        recorded_sha: &str,
        case: &str,
        field: &str,
    ) -> Result<Text, RecordingError> {
        if !self.files.contains_key(fixture) {
            let bytes = fs::read(repo_root().join(fixture))
                .map_err(|err| error(format!("cannot read fixture file {fixture}: {err}")))?;
            let sha = sha256_hex(&bytes);
            if sha != recorded_sha {
                return Err(error(format!(
                    "fixture file {fixture} changed since it was recorded (sha256 {sha}, recorded {recorded_sha}); \
                     re-record with `{RECORD_COMMAND}`"
                )));
            }
            let json = String::from_utf8(bytes)
                .map_err(|_| error(format!("fixture file {fixture} is not UTF-8")))?;
            let parsed = JsValue::from_json(&json)
                .map_err(|err| error(format!("fixture file {fixture} is not valid JSON: {err}")))?;
            self.files.insert(fixture.to_owned(), parsed);
        }
        let Some(JsValue::Array(cases)) = self.files[fixture].get("cases") else {
            return Err(error(format!(
                "fixture file {fixture} has no \"cases\" array"
            )));
        };
        let found = cases
            .iter()
            .find(|c| c.get("id").and_then(JsValue::as_text) == Some(&Text::from(case)));
        found
            .and_then(|c| c.get(field))
            .and_then(JsValue::as_text)
            .cloned()
            .ok_or_else(|| {
                error(format!(
                    "fixture file {fixture} has no string {field:?} in case {case:?}"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(args: &str) -> Entry {
        Entry {
            id: "e".into(),
            op: "op".into(),
            args: match JsValue::from_json(args).unwrap() {
                JsValue::Array(items) => items,
                _ => unreachable!(),
            },
            expect: JsValue::Null,
        }
    }

    #[test]
    fn resolves_inputs_results_and_nested_literals() {
        let inputs = BTreeMap::from([("old".to_owned(), Text::from("a\n"))]);
        let results = HashMap::from([("p".to_owned(), JsValue::string("patch"))]);
        let args = entry(r#"[{"$input":"old"},{"$result":"p"},{"context":2},{"$undefined":true}]"#)
            .resolve_args(&inputs, &results)
            .unwrap();
        assert_eq!(args[0], JsValue::string("a\n"));
        assert_eq!(args[1], JsValue::string("patch"));
        assert_eq!(args[2].get("context").and_then(JsValue::as_u64), Some(2));
        assert_eq!(args[3], JsValue::Undefined);
        assert_eq!(
            entry(r#"[{"$result":"gone"}]"#).resolve_args(&inputs, &results),
            Err(Unresolved::MissingResult("gone".into()))
        );
        assert!(matches!(
            entry(r#"[{"$input":"nope"}]"#).resolve_args(&inputs, &results),
            Err(Unresolved::Invalid(_))
        ));
    }

    #[test]
    fn a_missing_corpus_file_names_the_setup_command() {
        let err =
            load_corpus_file("corpora/diff/generated/does-not-exist.old.txt", "00").unwrap_err();
        assert!(err.0.contains(SETUP_COMMAND), "{err}");
    }

    #[test]
    fn a_stale_corpus_file_names_both_commands() {
        let err = load_corpus_file("oracle/Cargo.toml", "00").unwrap_err();
        assert!(
            err.0.contains(SETUP_COMMAND) && err.0.contains(RECORD_COMMAND),
            "{err}"
        );
    }
}
