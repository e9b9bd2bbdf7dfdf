//! The accel-tokenizer engine, called as the binding calls it: with the UTF-8 text N-API hands
//! over (lone surrogates already U+FFFD).

use accel_tokenizer::Encoding;
use oracle::contracts::tokenizer::CountCall;

pub fn encoding(call: &CountCall) -> Encoding {
    Encoding::from_name(call.encoding)
        .unwrap_or_else(|| panic!("accel-tokenizer has no encoding {}", call.encoding))
}

pub fn count(call: &CountCall) -> usize {
    accel_tokenizer::count_tokens(encoding(call), &call.engine_text())
}
