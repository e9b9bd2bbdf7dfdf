//! The diff track's contract (see `oracle/CONTRACTS.md`): the calls the engine must answer
//! exactly as `@ku0/diff-rs/fallback` (jsdiff 9.0.0) does, as typed values that both the
//! recordings and the live oracle turn into, and the shape of `diffLines` results.

use crate::live::Request;
use crate::text::Text;
use crate::value::JsValue;

pub const TRACK: &str = "diff";
/// The reference implementation the live oracle must report.
pub const REFERENCE: &str = "diff@9.0.0";
/// jsdiff's default context, used when a call leaves it out.
pub const DEFAULT_CONTEXT: usize = 4;

/// One call of the diff API, with JavaScript's argument conventions: `None` is `undefined`.
#[derive(Clone, Debug, PartialEq)]
pub enum DiffCall {
    DiffUnified {
        old: Text,
        new: Text,
        context: Option<usize>,
    },
    /// `options` is `undefined` or `{ context }`; any other option is routed to the fallback and
    /// is not part of the engine's contract.
    CreateTwoFilesPatch {
        old_name: Text,
        new_name: Text,
        old: Text,
        new: Text,
        old_header: Option<Text>,
        new_header: Option<Text>,
        context: Option<usize>,
    },
    DiffLines {
        old: Text,
        new: Text,
    },
    ApplyPatch {
        original: Text,
        patch: Text,
    },
    ReversePatch {
        patch: Text,
    },
}

impl DiffCall {
    pub fn op(&self) -> &'static str {
        match self {
            DiffCall::DiffUnified { .. } => "diffUnified",
            DiffCall::CreateTwoFilesPatch { .. } => "createTwoFilesPatch",
            DiffCall::DiffLines { .. } => "diffLines",
            DiffCall::ApplyPatch { .. } => "applyPatch",
            DiffCall::ReversePatch { .. } => "reversePatch",
        }
    }

    /// Reads a recorded call. Fails, naming the argument, for calls outside the engine's API
    /// (non-string text, a negative or fractional context, options other than `context`).
    pub fn from_js(op: &str, args: &[JsValue]) -> Result<Self, String> {
        let arg = |i: usize| args.get(i).unwrap_or(&JsValue::Undefined);
        let text = |i: usize| -> Result<Text, String> {
            arg(i).as_text().cloned().ok_or_else(|| {
                format!(
                    "{op}: argument {i} must be a string, got {}",
                    arg(i).canonical_json()
                )
            })
        };
        let optional_text = |i: usize| -> Result<Option<Text>, String> {
            match arg(i) {
                JsValue::Undefined | JsValue::Null => Ok(None),
                _ => text(i).map(Some),
            }
        };
        let call = match op {
            "diffUnified" => DiffCall::DiffUnified {
                old: text(0)?,
                new: text(1)?,
                context: match arg(2) {
                    JsValue::Undefined => None,
                    value => Some(context_of(value, op)?),
                },
            },
            "createTwoFilesPatch" => DiffCall::CreateTwoFilesPatch {
                old_name: text(0)?,
                new_name: text(1)?,
                old: text(2)?,
                new: text(3)?,
                old_header: optional_text(4)?,
                new_header: optional_text(5)?,
                context: options_context(arg(6))?,
            },
            "diffLines" => DiffCall::DiffLines {
                old: text(0)?,
                new: text(1)?,
            },
            "applyPatch" => DiffCall::ApplyPatch {
                original: text(0)?,
                patch: text(1)?,
            },
            "reversePatch" => DiffCall::ReversePatch { patch: text(0)? },
            other => return Err(format!("unknown diff op {other:?}")),
        };
        Ok(call)
    }

    /// The same call for the live oracle.
    pub fn to_request(&self) -> Request {
        let s = |text: &Text| JsValue::String(text.clone());
        let optional = |text: &Option<Text>| text.as_ref().map_or(JsValue::Undefined, s);
        let args = match self {
            DiffCall::DiffUnified { old, new, context } => {
                let mut args = vec![s(old), s(new)];
                if let Some(context) = context {
                    args.push(JsValue::uint(*context as u64));
                }
                args
            }
            DiffCall::CreateTwoFilesPatch {
                old_name,
                new_name,
                old,
                new,
                old_header,
                new_header,
                context,
            } => {
                let mut args = vec![
                    s(old_name),
                    s(new_name),
                    s(old),
                    s(new),
                    optional(old_header),
                    optional(new_header),
                ];
                if let Some(context) = context {
                    args.push(JsValue::object([(
                        "context",
                        JsValue::uint(*context as u64),
                    )]));
                }
                args
            }
            DiffCall::DiffLines { old, new } => vec![s(old), s(new)],
            DiffCall::ApplyPatch { original, patch } => vec![s(original), s(patch)],
            DiffCall::ReversePatch { patch } => vec![s(patch)],
        };
        Request::new(TRACK, self.op(), args)
    }

    /// Every text argument, for choosing the engine's `&str` or UTF-16 path.
    pub fn texts(&self) -> Vec<&Text> {
        match self {
            DiffCall::DiffUnified { old, new, .. } | DiffCall::DiffLines { old, new } => {
                vec![old, new]
            }
            DiffCall::CreateTwoFilesPatch {
                old_name,
                new_name,
                old,
                new,
                old_header,
                new_header,
                ..
            } => {
                let mut texts = vec![old_name, new_name, old, new];
                texts.extend(old_header.iter().chain(new_header.iter()));
                texts
            }
            DiffCall::ApplyPatch { original, patch } => vec![original, patch],
            DiffCall::ReversePatch { patch } => vec![patch],
        }
    }

    /// The call as JavaScript source, for failure messages (long texts abbreviated).
    pub fn describe(&self) -> String {
        let request = self.to_request();
        let args: Vec<String> = request
            .args
            .iter()
            .map(|arg| match arg {
                JsValue::Undefined => "undefined".to_owned(),
                JsValue::String(text) if text.len() > 300 => {
                    format!(
                        "<string of {} units, {} lines>",
                        text.len(),
                        text.units().iter().filter(|&&u| u == 0x0a).count()
                    )
                }
                other => other.canonical_json(),
            })
            .collect();
        format!("{}({})", self.op(), args.join(", "))
    }
}

fn context_of(value: &JsValue, op: &str) -> Result<usize, String> {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "{op}: context must be a non-negative integer, got {}",
                value.canonical_json()
            )
        })
}

fn options_context(options: &JsValue) -> Result<Option<usize>, String> {
    match options {
        JsValue::Undefined | JsValue::Null => Ok(None),
        JsValue::Object(members) => {
            if let Some((key, _)) = members.iter().find(|(key, _)| key != "context") {
                return Err(format!(
                    "createTwoFilesPatch: option {key:?} is routed to the fallback, not part of the engine's contract"
                ));
            }
            match options.get("context") {
                None | Some(JsValue::Undefined) => Ok(None),
                Some(value) => context_of(value, "createTwoFilesPatch").map(Some),
            }
        }
        other => Err(format!(
            "createTwoFilesPatch: options must be an object, got {}",
            other.canonical_json()
        )),
    }
}

/// `"context" | "add" | "remove"`, the `type` of a `DiffLine`.
pub fn line_type_name(kind: LineType) -> &'static str {
    match kind {
        LineType::Context => "context",
        LineType::Add => "add",
        LineType::Remove => "remove",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineType {
    Context,
    Add,
    Remove,
}

/// A `DiffLine` as `diffLines` returns it (line numbers absent where JS leaves them out).
pub fn diff_line(
    kind: LineType,
    content: Text,
    old_line_no: Option<usize>,
    new_line_no: Option<usize>,
) -> JsValue {
    let mut members = vec![
        ("type".to_owned(), JsValue::string(line_type_name(kind))),
        ("content".to_owned(), JsValue::String(content)),
    ];
    if let Some(n) = old_line_no {
        members.push(("oldLineNo".to_owned(), JsValue::uint(n as u64)));
    }
    if let Some(n) = new_line_no {
        members.push(("newLineNo".to_owned(), JsValue::uint(n as u64)));
    }
    JsValue::Object(members)
}

/// The numbers of a hunk: `@@ -old_start,old_lines +new_start,new_lines @@` as jsdiff stores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HunkRange {
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
}

/// A `DiffHunk` as `diffLines` returns it.
pub fn diff_hunk(range: HunkRange, header: Text, lines: Vec<JsValue>) -> JsValue {
    JsValue::object([
        ("oldStart", JsValue::uint(range.old_start as u64)),
        ("oldLines", JsValue::uint(range.old_lines as u64)),
        ("newStart", JsValue::uint(range.new_start as u64)),
        ("newLines", JsValue::uint(range.new_lines as u64)),
        ("header", JsValue::String(header)),
        ("lines", JsValue::Array(lines)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Vec<JsValue> {
        match JsValue::from_json(json).unwrap() {
            JsValue::Array(items) => items,
            _ => unreachable!(),
        }
    }

    #[test]
    fn reads_recorded_calls() {
        assert_eq!(
            DiffCall::from_js("diffUnified", &args(r#"["a","b"]"#)).unwrap(),
            DiffCall::DiffUnified {
                old: "a".into(),
                new: "b".into(),
                context: None
            }
        );
        let call = DiffCall::from_js(
            "createTwoFilesPatch",
            &args(r#"["x","y","a","b",{"$undefined":true},"h",{"context":2}]"#),
        )
        .unwrap();
        assert_eq!(
            call,
            DiffCall::CreateTwoFilesPatch {
                old_name: "x".into(),
                new_name: "y".into(),
                old: "a".into(),
                new: "b".into(),
                old_header: None,
                new_header: Some("h".into()),
                context: Some(2),
            }
        );
    }

    #[test]
    fn rejects_calls_outside_the_engine_contract() {
        for (op, json) in [
            ("diffUnified", r#"["a","b",-1]"#),
            ("diffUnified", r#"["a","b",1.5]"#),
            ("diffUnified", r#"["a",3]"#),
            (
                "createTwoFilesPatch",
                r#"["x","y","a","b",null,null,{"ignoreWhitespace":true}]"#,
            ),
            ("diffChars", r#"["a","b"]"#),
        ] {
            assert!(DiffCall::from_js(op, &args(json)).is_err(), "{op} {json}");
        }
    }

    #[test]
    fn requests_mirror_the_recorded_arguments() {
        let call = DiffCall::from_js(
            "createTwoFilesPatch",
            &args(r#"["x","y","a","b",null,"h",{"context":2}]"#),
        )
        .unwrap();
        let request = call.to_request();
        assert_eq!(
            JsValue::Array(request.args).to_request_json(false),
            r#"["x","y","a","b",{"$undefined":true},"h",{"context":2}]"#
        );
    }
}
