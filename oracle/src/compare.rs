//! Exact comparison of an outcome with what the oracle says, and messages that show where two
//! outputs part ways.

use sha2::{Digest, Sha256};

use crate::text::Text;
use crate::value::{JsError, JsValue};

/// What a call returned or threw, as JavaScript would see it.
pub type Outcome = Result<JsValue, JsError>;

/// What the oracle says a call must give.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    Value(JsValue),
    Error(JsError),
    /// A string too big to record: sha256 of its UTF-8 and its length in UTF-16 units.
    TextSha256 {
        sha256: String,
        length: usize,
    },
    /// A structure too big to record: sha256 of its canonical JSON, and that JSON's length.
    JsonSha256 {
        sha256: String,
        length: usize,
    },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Expected {
    /// `Ok` when `actual` is exactly what is expected; otherwise a message saying how it differs.
    pub fn check(&self, actual: &Outcome) -> Result<(), String> {
        match (self, actual) {
            (Expected::Error(expected), Err(actual)) if expected == actual => Ok(()),
            (Expected::Error(expected), Err(actual)) => Err(format!(
                "both threw, differently:\n  expected {}: {}\n  actual   {}: {}",
                expected.name, expected.message, actual.name, actual.message
            )),
            (Expected::Error(expected), Ok(value)) => Err(format!(
                "expected an error ({}: {}) but got a value: {}",
                expected.name,
                expected.message,
                abbreviate(&value.canonical_json())
            )),
            (_, Err(actual)) => Err(format!(
                "expected a value but got an error ({}: {})",
                actual.name, actual.message
            )),
            (Expected::Value(expected), Ok(actual)) => compare_values(expected, actual),
            (Expected::TextSha256 { sha256, length }, Ok(actual)) => {
                let Some(text) = actual.as_text() else {
                    return Err(format!(
                        "expected a string, got {}",
                        abbreviate(&actual.canonical_json())
                    ));
                };
                let Some(utf8) = text.to_string_checked() else {
                    return Err(
                        "expected a well-formed string, got one with lone surrogates".to_owned(),
                    );
                };
                check_hash(sha256, *length, &utf8, text.len(), "UTF-8")
            }
            (Expected::JsonSha256 { sha256, length }, Ok(actual)) => {
                let canonical = actual.canonical_json();
                let units = canonical.encode_utf16().count();
                check_hash(sha256, *length, &canonical, units, "canonical JSON")
            }
        }
    }
}

fn check_hash(
    sha256: &str,
    length: usize,
    data: &str,
    units: usize,
    of: &str,
) -> Result<(), String> {
    let actual = sha256_hex(data.as_bytes());
    if actual == sha256 && units == length {
        return Ok(());
    }
    Err(format!(
        "the output differs from the recorded one (recorded sha256 of its {of} {sha256}, length {length}; \
         got sha256 {actual}, length {units}). The recording keeps only a hash of this big output; \
         ask the live oracle (oracle/js/serve.mjs) for the full text to see the difference"
    ))
}

fn compare_values(expected: &JsValue, actual: &JsValue) -> Result<(), String> {
    if let (Some(expected), Some(actual)) = (expected.as_text(), actual.as_text()) {
        return if expected == actual {
            Ok(())
        } else {
            Err(describe_text_difference(expected, actual))
        };
    }
    let (expected, actual) = (expected.canonical_json(), actual.canonical_json());
    if expected == actual {
        return Ok(());
    }
    let at = expected
        .chars()
        .zip(actual.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let from = at.saturating_sub(80);
    let excerpt = |s: &str| s.chars().skip(from).take(240).collect::<String>();
    Err(format!(
        "structured outputs differ at character {at} of their canonical JSON:\n  expected …{}…\n  actual   …{}…",
        excerpt(&expected),
        excerpt(&actual)
    ))
}

/// The first line where two texts differ, with a little context before it.
pub fn describe_text_difference(expected: &Text, actual: &Text) -> String {
    let expected_lines: Vec<&[u16]> = expected.units().split(|&u| u == 0x0a).collect();
    let actual_lines: Vec<&[u16]> = actual.units().split(|&u| u == 0x0a).collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let show = |line: Option<&&[u16]>| match line {
        Some(line) => Text::from_units(line.to_vec()).to_js_json(),
        None => "(no such line)".to_owned(),
    };
    let mut message = format!(
        "texts differ at line {} (expected {} lines / {} units, actual {} lines / {} units)\n",
        first + 1,
        expected_lines.len(),
        expected.len(),
        actual_lines.len(),
        actual.len()
    );
    for line in first.saturating_sub(3)..first {
        message.push_str(&format!(
            "    {:>6}   {}\n",
            line + 1,
            show(expected_lines.get(line))
        ));
    }
    for offset in 0..3 {
        let line = first + offset;
        if line >= expected_lines.len() && line >= actual_lines.len() {
            break;
        }
        message.push_str(&format!(
            "  - {:>6}   {}\n",
            line + 1,
            show(expected_lines.get(line))
        ));
        message.push_str(&format!(
            "  + {:>6}   {}\n",
            line + 1,
            show(actual_lines.get(line))
        ));
    }
    message
}

pub fn abbreviate(text: &str) -> String {
    const LIMIT: usize = 400;
    if text.chars().count() <= LIMIT {
        text.to_owned()
    } else {
        format!(
            "{}… ({} chars)",
            text.chars().take(LIMIT).collect::<String>(),
            text.chars().count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> JsValue {
        JsValue::string(s)
    }

    #[test]
    fn equal_values_and_errors_pass() {
        assert!(Expected::Value(text("a\nb"))
            .check(&Ok(text("a\nb")))
            .is_ok());
        let error = JsError::new("Error", "nope");
        assert!(Expected::Error(error.clone()).check(&Err(error)).is_ok());
    }

    #[test]
    fn differences_are_named() {
        let message = Expected::Value(text("a\nb\nc\n"))
            .check(&Ok(text("a\nB\nc\n")))
            .unwrap_err();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("\"B\""), "{message}");
        let message = Expected::Error(JsError::new("Error", "x"))
            .check(&Ok(text("v")))
            .unwrap_err();
        assert!(message.contains("expected an error"), "{message}");
        let message = Expected::Error(JsError::new("Error", "x"))
            .check(&Err(JsError::new("Error", "y")))
            .unwrap_err();
        assert!(message.contains("differently"), "{message}");
    }

    #[test]
    fn hashes_compare_text_and_json() {
        let value = text("héllo\n");
        let sha256 = sha256_hex("héllo\n".as_bytes());
        assert!(Expected::TextSha256 {
            sha256: sha256.clone(),
            length: 6
        }
        .check(&Ok(value.clone()))
        .is_ok());
        assert!(Expected::TextSha256 { sha256, length: 7 }
            .check(&Ok(value))
            .is_err());
        let hunks = JsValue::from_json(r#"[{"b":1,"a":"x"}]"#).unwrap();
        let canonical = r#"[{"a":"x","b":1}]"#;
        let expected = Expected::JsonSha256 {
            sha256: sha256_hex(canonical.as_bytes()),
            length: canonical.len(),
        };
        assert!(expected.check(&Ok(hunks)).is_ok());
    }
}
