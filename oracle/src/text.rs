//! JavaScript strings on the Rust side: sequences of UTF-16 code units, which may hold lone
//! surrogates that a Rust `String` cannot. JSON from Node writes those as `\udXXX` escapes, which
//! serde_json refuses to decode, so string literals are decoded here by hand.

use std::fmt;

/// A JavaScript string: UTF-16 code units, not necessarily well-formed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Text(Vec<u16>);

impl Text {
    pub fn from_units(units: Vec<u16>) -> Self {
        Text(units)
    }

    pub fn units(&self) -> &[u16] {
        &self.0
    }

    pub fn into_units(self) -> Vec<u16> {
        self.0
    }

    /// Length in UTF-16 code units, as JavaScript's `length`.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when there is no lone surrogate, i.e. the text fits in a Rust `String`.
    pub fn is_well_formed(&self) -> bool {
        char::decode_utf16(self.0.iter().copied()).all(|c| c.is_ok())
    }

    /// The text as a Rust `String`, or `None` when it holds a lone surrogate.
    pub fn to_string_checked(&self) -> Option<String> {
        String::from_utf16(&self.0).ok()
    }

    /// For messages: lone surrogates shown as `\u{d800}`.
    pub fn to_string_lossless_escaped(&self) -> String {
        char::decode_utf16(self.0.iter().copied())
            .map(|c| match c {
                Ok(c) => c.to_string(),
                Err(err) => format!("\\u{{{:x}}}", err.unpaired_surrogate()),
            })
            .collect()
    }

    /// The JSON string literal `JSON.stringify` writes for this text (quotes included).
    pub fn to_js_json(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 2);
        out.push('"');
        for unit in char::decode_utf16(self.0.iter().copied()) {
            match unit {
                Ok('"') => out.push_str("\\\""),
                Ok('\\') => out.push_str("\\\\"),
                Ok('\u{8}') => out.push_str("\\b"),
                Ok('\u{c}') => out.push_str("\\f"),
                Ok('\n') => out.push_str("\\n"),
                Ok('\r') => out.push_str("\\r"),
                Ok('\t') => out.push_str("\\t"),
                Ok(c) if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                Ok(c) => out.push(c),
                Err(err) => out.push_str(&format!("\\u{:04x}", err.unpaired_surrogate())),
            }
        }
        out.push('"');
        out
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text(text.encode_utf16().collect())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::from(text.as_str())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::from(text.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_js_json())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossless_escaped())
    }
}

/// Decodes a JSON string literal (with its quotes) to UTF-16 code units, accepting escapes of
/// lone surrogates as JavaScript does.
pub fn decode_json_string(literal: &str) -> Result<Text, String> {
    let inner = literal
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or_else(|| format!("not a JSON string literal: {}", preview(literal)))?;
    let mut units = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buffer = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buffer));
            continue;
        }
        let escaped = chars
            .next()
            .ok_or_else(|| format!("dangling backslash in {}", preview(literal)))?;
        let unit = match escaped {
            '"' => 0x22,
            '\\' => 0x5c,
            '/' => 0x2f,
            'b' => 0x08,
            'f' => 0x0c,
            'n' => 0x0a,
            'r' => 0x0d,
            't' => 0x09,
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                if hex.len() != 4 {
                    return Err(format!("short \\u escape in {}", preview(literal)));
                }
                u16::from_str_radix(&hex, 16)
                    .map_err(|_| format!("bad \\u escape \\u{hex} in {}", preview(literal)))?
            }
            other => return Err(format!("bad escape \\{other} in {}", preview(literal))),
        };
        units.push(unit);
    }
    Ok(Text(units))
}

fn preview(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        format!("{cut}...")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_including_lone_surrogates() {
        let text = decode_json_string(r#""a\n\ud800\"\\\u00e9é😀\udc00""#).unwrap();
        let mut expected: Vec<u16> = "a\n".encode_utf16().collect();
        expected.push(0xd800);
        expected.extend("\"\\éé😀".encode_utf16());
        expected.push(0xdc00);
        assert_eq!(text.units(), expected.as_slice());
        assert!(!text.is_well_formed());
        assert_eq!(text.to_string_checked(), None);
    }

    #[test]
    fn rejects_malformed_literals() {
        assert!(decode_json_string("abc").is_err());
        assert!(decode_json_string(r#""\x""#).is_err());
        assert!(decode_json_string(r#""\u12""#).is_err());
    }

    #[test]
    fn writes_json_as_javascript_does() {
        let mut units: Vec<u16> = "q\"\\\u{1}\u{1b}\t\u{7f}é\u{2028}".encode_utf16().collect();
        units.push(0xdbff);
        assert_eq!(
            Text::from_units(units).to_js_json(),
            "\"q\\\"\\\\\\u0001\\u001b\\t\u{7f}é\u{2028}\\udbff\""
        );
    }

    #[test]
    fn round_trips_through_js_json() {
        let mut units: Vec<u16> = "x\r\n\u{0}😀".encode_utf16().collect();
        units.extend([0xd83d, 0x41, 0xde00]);
        let text = Text::from_units(units);
        assert_eq!(decode_json_string(&text.to_js_json()).unwrap(), text);
    }
}
