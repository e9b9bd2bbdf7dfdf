use std::fmt;

use crate::unit::Unit;

/// Why a patch could not be parsed, applied or reversed. The message is exactly the one the
/// JavaScript fallback throws for the same input, kept as UTF-16 so that input it quotes (a bad
/// line, a file name) survives even when it holds a lone surrogate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    message: Vec<u16>,
}

impl PatchError {
    pub fn new(message: impl AsRef<str>) -> Self {
        PatchError {
            message: message.as_ref().encode_utf16().collect(),
        }
    }

    /// `prefix`, then input text as it was given, then `suffix`.
    pub fn quoting<T: Unit>(prefix: &str, quoted: &[T], suffix: &str) -> Self {
        let mut message: Vec<u16> = prefix.encode_utf16().collect();
        message.extend(T::to_utf16(quoted));
        message.extend(suffix.encode_utf16());
        PatchError { message }
    }

    /// The message as JavaScript holds it.
    pub fn message_utf16(&self) -> &[u16] {
        &self.message
    }

    /// The message as Rust text (a lone surrogate, which only UTF-16 input can quote, shows as U+FFFD).
    pub fn message(&self) -> String {
        String::from_utf16_lossy(&self.message)
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PatchError {}
