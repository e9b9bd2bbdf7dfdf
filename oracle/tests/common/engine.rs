//! Runs a [`DiffCall`] on the accel-diff engine and shapes the result as JavaScript would see it,
//! through either of the engine's two paths: `&str` (UTF-8) and UTF-16 code units (what the N-API
//! binding uses; the only one that can carry lone surrogates).

use accel_diff::patch::{apply_patch_units, reverse_patch_units};
use accel_diff::{FileHeaders, LineDiff, LineKind, DEFAULT_CONTEXT};
use oracle::contracts::diff::{diff_hunk, diff_line, DiffCall, HunkRange, LineType};
use oracle::{JsError, JsValue, Outcome, Text};

/// The engine path a call went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    Str,
    Utf16,
}

/// The paths that can take `call`: both when every text is well-formed, else UTF-16 only.
pub fn paths_for(call: &DiffCall) -> Vec<Path> {
    if call.texts().iter().all(|text| text.is_well_formed()) {
        vec![Path::Str, Path::Utf16]
    } else {
        vec![Path::Utf16]
    }
}

pub fn run(call: &DiffCall, path: Path) -> Outcome {
    match path {
        Path::Str => run_str(call),
        Path::Utf16 => run_utf16(call),
    }
}

fn patch_error(error: accel_diff::PatchError) -> JsError {
    let message = Text::from_units(error.message_utf16().to_vec());
    JsError::new("Error", message.to_string_lossless_escaped())
}

fn str_of(text: &Text) -> String {
    text.to_string_checked()
        .expect("the &str path is only used for well-formed text")
}

fn text_value(text: String) -> JsValue {
    JsValue::string(text)
}

fn units_value(units: Vec<u16>) -> JsValue {
    JsValue::String(Text::from_units(units))
}

fn run_str(call: &DiffCall) -> Outcome {
    match call {
        DiffCall::DiffUnified { old, new, context } => Ok(text_value(accel_diff::diff_unified(
            &str_of(old),
            &str_of(new),
            context.unwrap_or(DEFAULT_CONTEXT),
        ))),
        DiffCall::CreateTwoFilesPatch {
            old_name,
            new_name,
            old,
            new,
            old_header,
            new_header,
            context,
        } => {
            let old_header = old_header.as_ref().map(str_of);
            let new_header = new_header.as_ref().map(str_of);
            Ok(text_value(accel_diff::create_two_files_patch(
                &str_of(old_name),
                &str_of(new_name),
                &str_of(old),
                &str_of(new),
                old_header.as_deref(),
                new_header.as_deref(),
                context.unwrap_or(DEFAULT_CONTEXT),
            )))
        }
        DiffCall::DiffLines { old, new } => {
            let hunks = accel_diff::diff_hunks(&str_of(old), &str_of(new), DEFAULT_CONTEXT);
            Ok(JsValue::Array(
                hunks
                    .into_iter()
                    .map(|hunk| {
                        let hunk_range = range(&hunk);
                        let lines = hunk
                            .lines
                            .into_iter()
                            .map(|line| {
                                diff_line(
                                    line_type(line.kind),
                                    Text::from(line.content),
                                    line.old_line_no,
                                    line.new_line_no,
                                )
                            })
                            .collect();
                        diff_hunk(hunk_range, Text::from(hunk.header), lines)
                    })
                    .collect(),
            ))
        }
        DiffCall::ApplyPatch { original, patch } => {
            accel_diff::apply_patch(&str_of(original), &str_of(patch))
                .map(text_value)
                .map_err(patch_error)
        }
        DiffCall::ReversePatch { patch } => accel_diff::reverse_patch(&str_of(patch))
            .map(text_value)
            .map_err(patch_error),
    }
}

fn run_utf16(call: &DiffCall) -> Outcome {
    match call {
        DiffCall::DiffUnified { old, new, context } => {
            let headers = FileHeaders {
                old_file_name: Some("original"),
                new_file_name: Some("modified"),
                old_header: None,
                new_header: None,
            };
            let diff = LineDiff::new(old.units(), new.units());
            Ok(units_value(
                diff.patch(&headers, context.unwrap_or(DEFAULT_CONTEXT)),
            ))
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
            // File names and headers are Rust strings in the engine; the binding converts them.
            let names = [
                Some(old_name),
                Some(new_name),
                old_header.as_ref(),
                new_header.as_ref(),
            ]
            .map(|text| {
                text.map(|text| {
                    text.to_string_checked()
                        .expect("file names and headers are well-formed")
                })
            });
            let headers = FileHeaders {
                old_file_name: names[0].as_deref(),
                new_file_name: names[1].as_deref(),
                old_header: names[2].as_deref(),
                new_header: names[3].as_deref(),
            };
            let diff = LineDiff::new(old.units(), new.units());
            Ok(units_value(
                diff.patch(&headers, context.unwrap_or(DEFAULT_CONTEXT)),
            ))
        }
        DiffCall::DiffLines { old, new } => {
            let diff = LineDiff::new(old.units(), new.units());
            Ok(JsValue::Array(
                diff.diff_hunks(DEFAULT_CONTEXT)
                    .into_iter()
                    .map(|hunk| {
                        let lines = hunk
                            .lines
                            .iter()
                            .map(|line| {
                                diff_line(
                                    line_type(line.kind),
                                    Text::from_units(line.content.to_vec()),
                                    line.old_line_no,
                                    line.new_line_no,
                                )
                            })
                            .collect();
                        diff_hunk(range(&hunk), Text::from(hunk.header.as_str()), lines)
                    })
                    .collect(),
            ))
        }
        DiffCall::ApplyPatch { original, patch } => {
            apply_patch_units(original.units(), patch.units())
                .map(units_value)
                .map_err(patch_error)
        }
        DiffCall::ReversePatch { patch } => reverse_patch_units(patch.units())
            .map(units_value)
            .map_err(patch_error),
    }
}

fn range<S>(hunk: &accel_diff::DiffHunk<S>) -> HunkRange {
    HunkRange {
        old_start: hunk.old_start,
        old_lines: hunk.old_lines,
        new_start: hunk.new_start,
        new_lines: hunk.new_lines,
    }
}

fn line_type(kind: LineKind) -> LineType {
    match kind {
        LineKind::Context => LineType::Context,
        LineKind::Add => LineType::Add,
        LineKind::Remove => LineType::Remove,
    }
}

/// Runs `call` on every engine path it fits and compares each result with `expected` (what the
/// oracle answered). Returns one message per path that differs; an engine panic is a difference.
pub fn differences(call: &DiffCall, expected: &Outcome) -> Vec<String> {
    let expected = match expected {
        Ok(value) => oracle::Expected::Value(value.clone()),
        Err(error) => oracle::Expected::Error(error.clone()),
    };
    paths_for(call)
        .into_iter()
        .filter_map(|path| {
            let actual = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(call, path)))
                .unwrap_or_else(|payload| Err(JsError::new("EnginePanic", panic_message(payload))));
            expected
                .check(&actual)
                .err()
                .map(|message| format!("[{path:?} path] {}\n  {message}", call.describe()))
        })
        .collect()
}

pub fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(non-string panic)".to_owned())
}
