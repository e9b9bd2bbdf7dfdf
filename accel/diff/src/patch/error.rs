use std::fmt;

/// Why a patch could not be parsed, applied or reversed. The message is exactly the one the
/// JavaScript fallback throws for the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    message: String,
}

impl PatchError {
    pub fn new(message: impl Into<String>) -> Self {
        PatchError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchError {}
