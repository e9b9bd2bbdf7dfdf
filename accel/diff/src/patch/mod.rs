//! The patch side of jsdiff 9: `parsePatch`, `applyPatch` (default options), `reversePatch` and
//! `formatPatch`, with the results and error messages of `bindings/diff-rs/fallback.js`.
//!
//! Everything works on code units ([`Unit`]) so the N-API binding can pass UTF-16; the `&str`
//! functions are conveniences over UTF-8 bytes. jsdiff's arithmetic on hunk positions is kept
//! in `f64`, because malformed headers make it NaN or huge and jsdiff computes on regardless.

mod apply;
mod error;
mod format_parsed;
mod git_header;
mod js_number;
mod js_text;
mod line_endings;
mod line_types;
mod model;
mod parse;
mod quoted;
mod reverse;
mod search;

use crate::unit::Unit;

pub use apply::apply_structured_patch;
pub use error::PatchError;
pub use format_parsed::format_patches;
pub use model::{PatchHunk, PatchLine, PatchLineKind, StructuredPatch};
pub use parse::parse_patch;
pub use reverse::reverse_patches;

/// `applyPatch(original, patch)` of the fallback: jsdiff's `applyPatch` with default options,
/// and an error where jsdiff returns `false` or throws.
pub fn apply_patch_units<T: Unit>(original: &[T], patch: &[T]) -> Result<Vec<T>, PatchError> {
    let mut patches = parse_patch(patch)?;
    if patches.len() > 1 {
        return Err(PatchError::new(
            "applyPatch only works with a single input.",
        ));
    }
    match patches.pop() {
        Some(index) => apply_structured_patch(original, &index),
        None => Ok(original.to_vec()),
    }
}

/// `reversePatch(patch)` of the fallback:
/// `formatPatch(reversePatch(parsePatch(patch)))`.
pub fn reverse_patch_units<T: Unit>(patch: &[T]) -> Result<Vec<T>, PatchError> {
    format_patches(&reverse_patches(parse_patch(patch)?))
}

/// [`apply_patch_units`] for Rust strings.
pub fn apply_patch(original: &str, patch: &str) -> Result<String, PatchError> {
    apply_patch_units(original.as_bytes(), patch.as_bytes()).map(utf8)
}

/// [`reverse_patch_units`] for Rust strings.
pub fn reverse_patch(patch: &str) -> Result<String, PatchError> {
    reverse_patch_units(patch.as_bytes()).map(utf8)
}

/// Results are cut from the inputs at ASCII units and joined with ASCII, so they are valid
/// UTF-8 when the inputs are.
fn utf8(units: Vec<u8>) -> String {
    String::from_utf8(units)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}
