//! N-API glue for `@ku0/diff-rs`: convert, call `accel-diff`, convert back. Text crosses as UTF-16
//! code units so that lone surrogates survive exactly as JavaScript holds them. Argument types
//! and option routing are checked in `index.js`; a panic here becomes a JS exception
//! (`catch_unwind`), never an abort.

use accel_diff::patch::{apply_patch_units, reverse_patch_units, PatchError};
use accel_diff::{FileHeaders, LineDiff, LineKind};
use napi::bindgen_prelude::{AsyncTask, Either, Uint32Array, Utf16String};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

// Every call converts its texts into fresh multi-megabyte buffers. With the system allocator
// those come from mmap and go back on free, and faulting the pages in again on every call cost
// more than the diff itself (about 1 ms a 10k-line pair here); mimalloc keeps them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Outputs are copied into V8 (`Utf16String`). External strings (napi10) would save the copy,
// which for a 400 KB result is half of applyPatch's time, but on Node 20 their finalizers never
// ran in our test: 3,000 calls grew RSS by 2.8 GB even after forced collections. The
// "repeated calls do not grow memory" test in test/edge-cases.test.mjs guards this.

/// The package version this binary was built for; the loader rejects a mismatch.
#[napi]
pub fn binding_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The file names and headers of a two-file patch.
pub struct PatchNames {
    old_file_name: String,
    new_file_name: String,
    old_header: Option<String>,
    new_header: Option<String>,
}

impl PatchNames {
    fn new(
        old_file_name: String,
        new_file_name: String,
        old_header: Option<String>,
        new_header: Option<String>,
    ) -> Self {
        PatchNames {
            old_file_name,
            new_file_name,
            old_header,
            new_header,
        }
    }

    fn headers(&self) -> FileHeaders<'_> {
        FileHeaders {
            old_file_name: Some(&self.old_file_name),
            new_file_name: Some(&self.new_file_name),
            old_header: self.old_header.as_deref(),
            new_header: self.new_header.as_deref(),
        }
    }
}

fn create_patch(names: &PatchNames, old: &[u16], new: &[u16], context: u32) -> Vec<u16> {
    LineDiff::new(old, new).patch(&names.headers(), context as usize)
}

/// jsdiff's `createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, { context })`.
#[napi(catch_unwind)]
pub fn create_two_files_patch(
    old_file_name: String,
    new_file_name: String,
    old_str: Utf16String,
    new_str: Utf16String,
    old_header: Option<String>,
    new_header: Option<String>,
    context: u32,
) -> Utf16String {
    let names = PatchNames::new(old_file_name, new_file_name, old_header, new_header);
    create_patch(&names, &old_str, &new_str, context).into()
}

/// `createTwoFilesPatch("original", "modified", oldText, newText, undefined, undefined, { context })`.
#[napi(catch_unwind)]
pub fn diff_unified(old_text: Utf16String, new_text: Utf16String, context: u32) -> Utf16String {
    create_patch(&unified_names(), &old_text, &new_text, context).into()
}

fn unified_names() -> PatchNames {
    PatchNames::new("original".to_owned(), "modified".to_owned(), None, None)
}

/// Runs `work` off the JS thread; a panic there becomes a rejected promise, not an abort.
fn off_thread<R>(work: impl FnOnce() -> Result<R>) -> Result<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(Error::new(
            Status::GenericFailure,
            "internal error: the diff engine panicked",
        ))
    })
}

pub struct CreatePatchTask {
    names: PatchNames,
    old: Utf16String,
    new: Utf16String,
    context: u32,
}

#[napi]
impl Task for CreatePatchTask {
    type Output = Vec<u16>;
    type JsValue = Utf16String;

    fn compute(&mut self) -> Result<Vec<u16>> {
        off_thread(|| {
            Ok(create_patch(
                &self.names,
                &self.old,
                &self.new,
                self.context,
            ))
        })
    }

    fn resolve(&mut self, _env: Env, output: Vec<u16>) -> Result<Utf16String> {
        Ok(output.into())
    }
}

/// `createTwoFilesPatch` on the libuv thread pool, for large texts.
#[napi]
pub fn create_two_files_patch_async(
    old_file_name: String,
    new_file_name: String,
    old_str: Utf16String,
    new_str: Utf16String,
    old_header: Option<String>,
    new_header: Option<String>,
    context: u32,
) -> AsyncTask<CreatePatchTask> {
    AsyncTask::new(CreatePatchTask {
        names: PatchNames::new(old_file_name, new_file_name, old_header, new_header),
        old: old_str,
        new: new_str,
        context,
    })
}

/// `diffUnified` on the libuv thread pool, for large texts.
#[napi]
pub fn diff_unified_async(
    old_text: Utf16String,
    new_text: Utf16String,
    context: u32,
) -> AsyncTask<CreatePatchTask> {
    AsyncTask::new(CreatePatchTask {
        names: unified_names(),
        old: old_text,
        new: new_text,
        context,
    })
}

/// `diffLines` as numbers for `index.js` to expand: `[hunkCount]`, then per hunk `oldStart,
/// oldLines, newStart, newLines, lineCount`, then per line `kind (0 context, 1 remove, 2 add),
/// start, end`: the line's place in the old (remove) or new text, without its `\n`.
///
/// Building the objects in JavaScript from slices of the caller's own strings is cheap; through
/// N-API each object and property cost about 450 ns a line (0.82 -> 0.4 ms for a 10k-line pair).
#[napi(catch_unwind)]
pub fn diff_lines_compact(
    old_text: Utf16String,
    new_text: Utf16String,
    context: u32,
) -> Uint32Array {
    let diff = LineDiff::new(&old_text, &new_text);
    let hunks = diff.hunks(context as usize);
    let line_count: usize = hunks.iter().map(|hunk| hunk.lines.len()).sum();
    let mut out = Vec::with_capacity(1 + 5 * hunks.len() + 3 * line_count);
    out.push(js_count(hunks.len()));
    for hunk in &hunks {
        out.extend(
            [
                hunk.old_start,
                hunk.old_lines,
                hunk.new_start,
                hunk.new_lines,
                hunk.lines.len(),
            ]
            .map(js_count),
        );
        for line in &hunk.lines {
            let (kind, span, text) = match line.kind {
                LineKind::Context => (0, diff.new_line_span(line.index), diff.new_line(line.index)),
                LineKind::Remove => (1, diff.old_line_span(line.index), diff.old_line(line.index)),
                LineKind::Add => (2, diff.new_line_span(line.index), diff.new_line(line.index)),
            };
            let newline = usize::from(text.last() == Some(&u16::from(b'\n')));
            out.extend([kind, js_count(span.start), js_count(span.end - newline)]);
        }
    }
    out.into()
}

/// Counts and offsets of a JS string fit in u32: V8 strings hold fewer than 2^30 units.
fn js_count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A patch that could not be parsed or applied. Returned rather than thrown: a napi error message
/// is a Rust `String`, which cannot carry the lone surrogates jsdiff's messages may quote.
#[napi(object, object_from_js = false)]
pub struct PatchFailure {
    pub message: Utf16String,
}

fn patch_outcome(
    result: std::result::Result<Vec<u16>, PatchError>,
) -> Either<Utf16String, PatchFailure> {
    match result {
        Ok(text) => Either::A(text.into()),
        Err(error) => Either::B(PatchFailure {
            message: error.message_utf16().to_vec().into(),
        }),
    }
}

/// jsdiff's `applyPatch(original, patch)`, or the failure naming the first hunk that does not apply.
#[napi(catch_unwind)]
pub fn apply_patch(original: Utf16String, patch: Utf16String) -> Either<Utf16String, PatchFailure> {
    patch_outcome(apply_patch_units(&original, &patch))
}

/// `formatPatch(reversePatch(parsePatch(patch)))`: a patch that undoes `patch`, or why it cannot.
#[napi(catch_unwind)]
pub fn reverse_patch(patch: Utf16String) -> Either<Utf16String, PatchFailure> {
    patch_outcome(reverse_patch_units(&patch))
}
