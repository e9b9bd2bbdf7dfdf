//! zstd for `compressPayloadZstd` / `decompressPayloadZstd`. Levels are checked in JavaScript
//! (`args.js`); here a bad level or corrupt data is an error or `None`, never a panic or an abort.

use std::io::Read;
use std::ops::RangeInclusive;

/// The compression levels the package accepts (zstd would clamp others silently).
pub const LEVELS: RangeInclusive<i32> = 1..=22;

/// One zstd frame of `data` at `level`, its content size recorded in the header and a checksum
/// of the content at its end, so that a corrupted frame is refused rather than decoded to other
/// bytes. (zstd-wasm's one-shot API cannot add the checksum: frames the fallback writes have none,
/// and a changed literal byte in them goes unnoticed by either decoder.)
pub fn compress(data: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    let mut compressor = zstd::bulk::Compressor::new(level)?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))?;
    compressor.compress(data)
}

/// The bytes `data` decompresses to, or `None` when it is not valid zstd or would exceed
/// `max_bytes`. A frame that declares its content size is decompressed into exactly that many
/// bytes (so a declared size above the cap is refused before anything is allocated, and trailing
/// frames do not fit); one that does not is streamed, stopping at the cap. The fallback
/// (payload.js over zstd-wasm) follows the same two rules, so both paths give the same answer.
pub fn decompress(data: &[u8], max_bytes: usize) -> Option<Vec<u8>> {
    match zstd::zstd_safe::get_frame_content_size(data) {
        Err(_) => None,
        Ok(Some(declared)) => {
            let declared = usize::try_from(declared).ok().filter(|&n| n <= max_bytes)?;
            let out = zstd::bulk::decompress(data, declared).ok()?;
            (out.len() == declared).then_some(out)
        }
        Ok(None) => decompress_streaming(data, max_bytes),
    }
}

fn decompress_streaming(data: &[u8], max_bytes: usize) -> Option<Vec<u8>> {
    let decoder = zstd::stream::read::Decoder::with_buffer(data).ok()?;
    let mut out = Vec::new();
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    decoder.take(limit).read_to_end(&mut out).ok()?;
    (out.len() <= max_bytes).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_it_cannot_trust() {
        let text = b"the same words, the same words, the same words".repeat(100);
        let packed = compress(&text, 3).unwrap();
        assert_eq!(decompress(&packed, 1 << 20).as_deref(), Some(&text[..]));
        assert_eq!(decompress(&packed, text.len() - 1), None, "over the cap");
        assert_eq!(
            decompress(&packed[..packed.len() - 3], 1 << 20),
            None,
            "truncated"
        );
        assert_eq!(decompress(b"not zstd at all", 1 << 20), None);
        assert_eq!(decompress(&[], 1 << 20), None);
    }

    #[test]
    fn a_huge_declared_size_is_refused_without_allocating_it() {
        // Magic, then a descriptor with an 8-byte content size and single segment, then 2^60.
        let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
        frame.extend_from_slice(&(1u64 << 60).to_le_bytes());
        frame.extend_from_slice(&[1, 0, 0]);
        assert_eq!(decompress(&frame, 1 << 20), None);
    }

    #[test]
    fn an_undeclared_size_streams_up_to_the_cap() {
        let text = vec![b'z'; 10_000];
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        std::io::Write::write_all(&mut encoder, &text).unwrap();
        let packed = encoder.finish().unwrap();
        assert_eq!(
            zstd::zstd_safe::get_frame_content_size(&packed).unwrap(),
            None
        );
        assert_eq!(decompress(&packed, 10_000).as_deref(), Some(&text[..]));
        assert_eq!(decompress(&packed, 9_999), None);
    }
}
