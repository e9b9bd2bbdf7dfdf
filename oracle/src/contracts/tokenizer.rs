//! The tokenizer track's contract (see `oracle/CONTRACTS.md`): `count(encoding, text)` must be
//! js-tiktoken's `getEncoding(encoding).encode(text, [], []).length`, exactly. Recordings and the
//! live oracle (`oracle/js/tokenizer-ops.mjs`) speak the op `count` with the arguments
//! `[encoding name, text]`.

use crate::live::Request;
use crate::text::Text;
use crate::value::JsValue;

pub const TRACK: &str = "tokenizer";
/// The reference implementation the recordings and the live oracle name.
pub const REFERENCE: &str = "js-tiktoken@1.0.21 getEncoding(encoding).encode(text, [], []).length";
/// The encodings of the contract, by their tiktoken names.
pub const ENCODINGS: [&str; 4] = ["o200k_base", "cl100k_base", "p50k_base", "r50k_base"];

/// One token count: `text` (a JavaScript string, lone surrogates allowed) in `encoding`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountCall {
    pub encoding: &'static str,
    pub text: Text,
}

impl CountCall {
    /// A call in one of [`ENCODINGS`]; any other name is an error naming the known ones.
    pub fn new(encoding: &str, text: impl Into<Text>) -> Result<Self, String> {
        let encoding = ENCODINGS
            .into_iter()
            .find(|known| *known == encoding)
            .ok_or_else(|| {
                format!(
                    "unknown encoding {encoding:?}; known: {}",
                    ENCODINGS.join(", ")
                )
            })?;
        Ok(CountCall {
            encoding,
            text: text.into(),
        })
    }

    /// The call a recording entry (or a request) describes: op `count`, args `[encoding, text]`.
    pub fn from_js(op: &str, args: &[JsValue]) -> Result<Self, String> {
        if op != "count" {
            return Err(format!(
                "unknown tokenizer op {op:?} (the only one is \"count\")"
            ));
        }
        match args {
            [JsValue::String(encoding), JsValue::String(text)] => {
                let encoding = encoding.to_string_checked().ok_or_else(|| {
                    format!("the encoding name {encoding:?} holds a lone surrogate")
                })?;
                CountCall::new(&encoding, text.clone())
            }
            _ => Err(format!(
                "count takes [encoding name, text], got {}",
                JsValue::Array(args.to_vec()).canonical_json()
            )),
        }
    }

    /// The same call for the live oracle.
    pub fn to_request(&self) -> Request {
        Request::new(
            TRACK,
            "count",
            vec![
                JsValue::string(self.encoding),
                JsValue::String(self.text.clone()),
            ],
        )
    }

    /// The text as the engine receives it from JavaScript: N-API hands over UTF-8 with every lone
    /// surrogate replaced by U+FFFD, which js-tiktoken's `u`-mode regex classes and its UTF-8
    /// encoder treat exactly as they treat the lone surrogate (same class, same bytes EF BF BD).
    pub fn engine_text(&self) -> String {
        String::from_utf16_lossy(self.text.units())
    }

    /// A recorded or live answer: a token count.
    pub fn count_from_js(value: &JsValue) -> Result<usize, String> {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                format!(
                    "a token count must be a non-negative integer, got {}",
                    value.canonical_json()
                )
            })
    }

    /// The call in a few words, with the text in full when short, for failure messages.
    pub fn describe(&self) -> String {
        const SHOWN: usize = 400;
        let units = self.text.units();
        let shown = Text::from_units(units[..units.len().min(SHOWN)].to_vec());
        let more = if units.len() > SHOWN {
            format!(" … ({} UTF-16 units in all)", units.len())
        } else {
            String::new()
        };
        format!("count({}, {shown:?}{more})", self.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Vec<JsValue> {
        match JsValue::from_json(json).unwrap() {
            JsValue::Array(items) => items,
            other => panic!("not an array: {other:?}"),
        }
    }

    #[test]
    fn reads_recorded_calls_including_lone_surrogates() {
        let call = CountCall::from_js("count", &args(r#"["cl100k_base", "a\ud800b"]"#)).unwrap();
        assert_eq!(call.encoding, "cl100k_base");
        assert_eq!(call.text.units(), [0x61, 0xd800, 0x62]);
        assert_eq!(call.engine_text(), "a\u{fffd}b");
        let marker =
            CountCall::from_js("count", &args(r#"["r50k_base", {"$utf16": [56320]}]"#)).unwrap();
        assert_eq!(marker.engine_text(), "\u{fffd}");
    }

    #[test]
    fn refuses_what_is_not_a_count_call() {
        for (op, json) in [
            ("count", r#"["gpt2", "x"]"#),
            ("count", r#"["cl100k_base"]"#),
            ("count", r#"["cl100k_base", 3]"#),
            ("encode", r#"["cl100k_base", "x"]"#),
        ] {
            assert!(CountCall::from_js(op, &args(json)).is_err(), "{op} {json}");
        }
    }

    #[test]
    fn counts_must_be_non_negative_integers() {
        assert_eq!(CountCall::count_from_js(&JsValue::uint(7)), Ok(7));
        for json in ["-1", "1.5", "\"3\"", "null"] {
            let value = JsValue::from_json(json).unwrap();
            assert!(CountCall::count_from_js(&value).is_err(), "{json}");
        }
    }
}
