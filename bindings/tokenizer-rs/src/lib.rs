//! N-API glue for `@ku0/tokenizer-rs`: read strings, call `accel-tokenizer`, hand back counts;
//! zstd in and out of Buffers. Model names, argument checks, JSON serialization and context
//! compression live in JavaScript (models.js, args.js, context.js, payload.js), shared with the
//! fallback; the binding receives encoding names. A panic here becomes a JS exception
//! (`catch_unwind`), never an abort.

mod payload;
mod text;

use accel_tokenizer::Encoding;
use napi::bindgen_prelude::{Buffer, Uint32Array};
use napi::{Error, Result, Status};
use napi_derive::napi;

use text::{JsText, JsTextArray};

// Every call borrows a pooled text buffer and the batch path allocates its result; mimalloc keeps
// the engine's small per-piece allocations and those buffers off the system allocator's locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The package version this binary was built for; the loader rejects a mismatch.
#[napi]
pub fn binding_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The Unicode version of the engine's character classes, generated from Node's own regexes; a
/// test checks it equals `process.versions.unicode`.
#[napi]
pub fn unicode_version() -> &'static str {
    accel_tokenizer::UNICODE_VERSION
}

fn encoding(name: &str) -> Result<Encoding> {
    Encoding::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Encoding::ALL.iter().map(|e| e.name()).collect();
        Error::new(
            Status::InvalidArg,
            format!(
                "unknown encoding `{name}` (expected one of {})",
                known.join(", ")
            ),
        )
    })
}

fn js_count(count: usize) -> u32 {
    // A V8 string holds fewer than 2^30 code units, so a count always fits.
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Tokens of `text` in `encoding` (`o200k_base`, `cl100k_base`, `p50k_base`, `r50k_base`),
/// special-token strings counted as ordinary text.
#[napi(catch_unwind)]
pub fn count_tokens(text: JsText, encoding: String) -> Result<u32> {
    let encoding = self::encoding(&encoding)?;
    Ok(js_count(accel_tokenizer::count_tokens(encoding, &text)))
}

/// `countTokens` of each text, in one crossing; other cores count the first texts while later
/// ones are still being read.
#[napi(catch_unwind)]
pub fn count_tokens_batch(texts: JsTextArray, encoding: String) -> Result<Uint32Array> {
    let encoding = self::encoding(&encoding)?;
    let counts = accel_tokenizer::count_tokens_streamed(encoding, texts.len(), |index, text| {
        texts.read_into(index, text)
    })?;
    Ok(counts
        .into_iter()
        .map(js_count)
        .collect::<Vec<u32>>()
        .into())
}

/// One zstd frame of `data` at `level` (1..=22; `index.js` checks it first, with a RangeError).
#[napi(catch_unwind)]
pub fn zstd_compress(data: &[u8], level: i32) -> Result<Buffer> {
    if !payload::LEVELS.contains(&level) {
        return Err(Error::new(
            Status::InvalidArg,
            format!("zstd level must be from 1 to 22, got {level}"),
        ));
    }
    payload::compress(data, level)
        .map(Buffer::from)
        .map_err(|error| Error::new(Status::GenericFailure, format!("zstd: {error}")))
}

/// The bytes `data` decompresses to, or null when it is not valid zstd or its content would
/// exceed `maxBytes`.
#[napi(catch_unwind)]
pub fn zstd_decompress(data: &[u8], max_bytes: f64) -> Option<Buffer> {
    let max_bytes = if max_bytes.is_finite() && max_bytes >= 0.0 {
        max_bytes as usize
    } else {
        0
    };
    payload::decompress(data, max_bytes).map(Buffer::from)
}

/// Reads `text` as the counting calls do and returns its UTF-8 length: the cost of crossing the
/// boundary with a string, which the node bench reports beside the counts.
#[napi(catch_unwind)]
pub fn text_probe(text: JsText) -> u32 {
    js_count(text.len())
}
