//! The class bits of a character at a byte offset of valid UTF-8, from the Node-generated tables.

use crate::unicode_classes::{BLOCKS, BLOCK_BITS, BLOCK_INDEX, BLOCK_SIZE};
pub(crate) use crate::unicode_classes::{LETTER, LOWERISH, NUMBER, UPPERISH, WHITESPACE};

#[inline]
fn class_of(code_point: u32) -> u8 {
    let block = BLOCK_INDEX[(code_point >> BLOCK_BITS) as usize] as usize;
    BLOCKS[block * BLOCK_SIZE + (code_point as usize & (BLOCK_SIZE - 1))]
}

/// `[^\s\p{L}\p{N}]`
#[inline]
pub(crate) fn is_other(class: u8) -> bool {
    class & (LETTER | NUMBER | WHITESPACE) == 0
}

/// The class of the character starting at `at` and its length in bytes. `bytes` is valid UTF-8
/// (it comes from a `&str`) and `at` is a character boundary.
#[inline(always)]
pub(crate) fn class_at(bytes: &[u8], at: usize) -> (u8, usize) {
    let lead = bytes[at];
    if lead < 0x80 {
        return (BLOCKS[lead as usize], 1);
    }
    let continuation = |offset: usize| u32::from(bytes[at + offset] & 0x3F);
    let (code_point, len) = if lead < 0xE0 {
        ((u32::from(lead & 0x1F) << 6) | continuation(1), 2)
    } else if lead < 0xF0 {
        (
            (u32::from(lead & 0x0F) << 12) | (continuation(1) << 6) | continuation(2),
            3,
        )
    } else {
        (
            (u32::from(lead & 0x07) << 18)
                | (continuation(1) << 12)
                | (continuation(2) << 6)
                | continuation(3),
            4,
        )
    };
    (class_of(code_point), len)
}
