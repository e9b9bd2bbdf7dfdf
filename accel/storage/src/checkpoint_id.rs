//! Which strings may name a checkpoint: ones that stay a single plain file name inside
//! `rootDir/checkpoints` on every OS. The reasons match the JS reference engine word for word.

use crate::error::StorageError;

const MAX_ID_BYTES: usize = 200;
const DEVICE_NAMES: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];

pub(crate) fn check_checkpoint_id(id: &str) -> Result<(), StorageError> {
    match problem(id) {
        None => Ok(()),
        Some(reason) => Err(StorageError::InvalidCheckpointId {
            id: id.to_string(),
            reason,
        }),
    }
}

fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if id.len() > MAX_ID_BYTES {
        return Some(format!(
            "it is {} bytes long, over the limit of {MAX_ID_BYTES}",
            id.len()
        ));
    }
    if id.starts_with('.') {
        return Some("it starts with '.'".into());
    }
    for char in id.chars() {
        if matches!(char, '/' | '\\' | ':') {
            return Some(format!("it contains '{char}'"));
        }
        if char < '\u{20}' || char == '\u{7f}' {
            return Some(format!(
                "it contains the control character U+{:04X}",
                char as u32
            ));
        }
    }
    if let Some(last @ ('.' | ' ')) = id.chars().last() {
        return Some(format!("it ends with '{last}'"));
    }
    let stem = id.split('.').next().unwrap_or_default().to_uppercase();
    if is_device_name(&stem) {
        return Some(format!("{stem} is a reserved device name on Windows"));
    }
    None
}

fn is_device_name(upper: &str) -> bool {
    if DEVICE_NAMES.contains(&upper) {
        return true;
    }
    let bytes = upper.as_bytes();
    bytes.len() == 4
        && (upper.starts_with("COM") || upper.starts_with("LPT"))
        && (b'1'..=b'9').contains(&bytes[3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reason(id: &str) -> String {
        problem(id).unwrap_or_else(|| panic!("{id:?} should be rejected"))
    }

    #[test]
    fn ordinary_ids_are_accepted() {
        for id in [
            "a",
            "session-1",
            "x.y",
            "CONSOLE",
            "COM0",
            "COM10",
            "LPT",
            "NULL.txt",
            "日本語",
            "a b",
            "a..b",
        ] {
            assert_eq!(problem(id), None, "{id:?}");
        }
        assert_eq!(problem(&"x".repeat(200)), None);
    }

    #[test]
    fn each_rule_has_its_reason() {
        assert_eq!(reason(""), "it is empty");
        assert_eq!(
            reason(&"é".repeat(101)),
            "it is 202 bytes long, over the limit of 200"
        );
        assert_eq!(reason(".hidden"), "it starts with '.'");
        assert_eq!(reason(".."), "it starts with '.'");
        assert_eq!(reason("a/b"), "it contains '/'");
        assert_eq!(reason("a\\b"), "it contains '\\'");
        assert_eq!(reason("c:x"), "it contains ':'");
        assert_eq!(reason("a\0b"), "it contains the control character U+0000");
        assert_eq!(
            reason("a\u{1f}"),
            "it contains the control character U+001F"
        );
        assert_eq!(
            reason("a\u{7f}"),
            "it contains the control character U+007F"
        );
        assert_eq!(reason("a."), "it ends with '.'");
        assert_eq!(reason("a "), "it ends with ' '");
        assert_eq!(reason("con"), "CON is a reserved device name on Windows");
        assert_eq!(
            reason("Lpt9.log"),
            "LPT9 is a reserved device name on Windows"
        );
        assert_eq!(
            reason("nul.tar.gz"),
            "NUL is a reserved device name on Windows"
        );
        let error = check_checkpoint_id("a/b").unwrap_err().to_string();
        assert_eq!(error, "invalid checkpoint id \"a/b\": it contains '/'");
    }

    proptest! {
        #[test]
        fn accepted_ids_are_single_plain_file_names(id in "\\PC{1,40}") {
            if problem(&id).is_none() {
                let path = std::path::Path::new(&id);
                prop_assert_eq!(path.components().count(), 1);
                prop_assert!(matches!(path.components().next(), Some(std::path::Component::Normal(_))));
                prop_assert!(!id.contains('\0'));
            }
        }
    }
}
