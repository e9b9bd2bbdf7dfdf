//! JSON values as JavaScript sees them: strings are [`Text`] (UTF-16, lone surrogates allowed),
//! object keys keep their order, and `undefined` exists. Parsed from JSON through serde_json's
//! `RawValue` so that `\ud800` escapes survive; the `{"$utf16": [...]}` and `{"$undefined": true}`
//! markers of `oracle/js/values.mjs` are decoded on the way in.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Number;
use std::fmt;

use crate::text::{decode_json_string, Text};

#[derive(Clone, Debug, PartialEq)]
pub enum JsValue {
    Undefined,
    Null,
    Bool(bool),
    Number(Number),
    String(Text),
    Array(Vec<JsValue>),
    /// Members in source order.
    Object(Vec<(String, JsValue)>),
}

impl JsValue {
    pub fn string(text: impl Into<Text>) -> Self {
        JsValue::String(text.into())
    }

    pub fn uint(n: u64) -> Self {
        JsValue::Number(Number::from(n))
    }

    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, JsValue)>) -> Self {
        JsValue::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Parses JSON text (one value).
    pub fn from_json(json: &str) -> Result<Self, String> {
        let raw: Box<RawValue> = serde_json::from_str(json).map_err(|err| err.to_string())?;
        Self::from_raw(&raw)
    }

    pub fn from_raw(raw: &RawValue) -> Result<Self, String> {
        let json = raw.get().trim();
        match json.as_bytes().first() {
            Some(b'"') => decode_json_string(json).map(JsValue::String),
            Some(b'[') => {
                let items: Vec<Box<RawValue>> =
                    serde_json::from_str(json).map_err(|err| err.to_string())?;
                items
                    .iter()
                    .map(|item| Self::from_raw(item))
                    .collect::<Result<_, _>>()
                    .map(JsValue::Array)
            }
            Some(b'{') => {
                let OrderedMembers(members) =
                    serde_json::from_str(json).map_err(|err| err.to_string())?;
                let mut object = Vec::with_capacity(members.len());
                for (key, value) in members {
                    object.push((key, Self::from_raw(&value)?));
                }
                Ok(Self::decode_marker(object)?)
            }
            Some(b't') | Some(b'f') => serde_json::from_str(json)
                .map(JsValue::Bool)
                .map_err(|err| err.to_string()),
            Some(b'n') => Ok(JsValue::Null),
            _ => serde_json::from_str(json)
                .map(JsValue::Number)
                .map_err(|err| err.to_string()),
        }
    }

    fn decode_marker(members: Vec<(String, JsValue)>) -> Result<Self, String> {
        if let [(key, payload)] = members.as_slice() {
            match key.as_str() {
                "$undefined" => return Ok(JsValue::Undefined),
                "$utf16" => {
                    return utf16_units(payload)
                        .map(|units| JsValue::String(Text::from_units(units)))
                }
                _ => {}
            }
        }
        Ok(JsValue::Object(members))
    }

    pub fn as_text(&self) -> Option<&Text> {
        match self {
            JsValue::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            JsValue::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&JsValue> {
        match self {
            JsValue::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The one key of a `{"$...": payload}` marker object.
    pub fn marker(&self) -> Option<(&str, &JsValue)> {
        match self {
            JsValue::Object(members) => match members.as_slice() {
                [(key, payload)] if key.starts_with('$') => Some((key.as_str(), payload)),
                _ => None,
            },
            _ => None,
        }
    }

    /// JSON for a request to the live oracle: like `JSON.stringify`, lone surrogates escaped,
    /// `undefined` as a `{"$undefined": true}` marker. With `utf16`, strings go as code units.
    pub fn to_request_json(&self, utf16: bool) -> String {
        let mut out = String::new();
        self.write_json(&mut out, false, utf16);
        out
    }

    /// JSON with object keys sorted and no whitespace: what `canonicalJson` in
    /// `oracle/js/values.mjs` writes, so the two can be compared by hash.
    pub fn canonical_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out, true, false);
        out
    }

    fn write_json(&self, out: &mut String, sorted: bool, utf16: bool) {
        match self {
            JsValue::Undefined => out.push_str("{\"$undefined\":true}"),
            JsValue::Null => out.push_str("null"),
            JsValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JsValue::Number(n) => out.push_str(&n.to_string()),
            JsValue::String(text) if utf16 => {
                out.push_str("{\"$utf16\":");
                out.push_str(&serde_json::to_string(text.units()).expect("u16 array serializes"));
                out.push('}');
            }
            JsValue::String(text) => out.push_str(&text.to_js_json()),
            JsValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out, sorted, utf16);
                }
                out.push(']');
            }
            JsValue::Object(members) => {
                let mut members: Vec<&(String, JsValue)> = members.iter().collect();
                if sorted {
                    members.retain(|(_, v)| *v != JsValue::Undefined);
                    members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
                }
                out.push('{');
                for (i, (key, value)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Text::from(key.as_str()).to_js_json());
                    out.push(':');
                    value.write_json(out, sorted, utf16);
                }
                out.push('}');
            }
        }
    }
}

/// What JavaScript threw: the error's `name` and `message`. A lone surrogate in a message
/// (from a bad patch line) is kept as the escape `\u{d800}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsError {
    pub name: String,
    pub message: String,
}

impl<'de> Deserialize<'de> for JsError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = JsValue::deserialize(deserializer)?;
        let field = |key: &str| {
            value
                .get(key)
                .and_then(JsValue::as_text)
                .map(Text::to_string_lossless_escaped)
                .ok_or_else(|| de::Error::custom(format!("an error needs a string \"{key}\"")))
        };
        Ok(JsError {
            name: field("name")?,
            message: field("message")?,
        })
    }
}

impl JsError {
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Self {
        JsError {
            name: name.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl From<Text> for JsValue {
    fn from(text: Text) -> Self {
        JsValue::String(text)
    }
}

fn utf16_units(payload: &JsValue) -> Result<Vec<u16>, String> {
    let JsValue::Array(items) = payload else {
        return Err("\"$utf16\" must hold an array of code units".to_owned());
    };
    items
        .iter()
        .map(|item| {
            item.as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(|| "\"$utf16\" code units must be integers in 0..=65535".to_owned())
        })
        .collect()
}

impl<'de> Deserialize<'de> for JsValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        JsValue::from_raw(&raw).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match JsValue::deserialize(deserializer)? {
            JsValue::String(text) => Ok(text),
            other => Err(de::Error::custom(format!(
                "expected a string, found {}",
                other.canonical_json()
            ))),
        }
    }
}

/// An object's members in source order, values still raw.
struct OrderedMembers(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for OrderedMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = OrderedMembers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push((key, value));
                }
                Ok(OrderedMembers(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lone_surrogates_markers_and_order() {
        let value = JsValue::from_json(
            r#"{"z":"\ud800x","a":[1,true,null,{"$undefined":true},{"$utf16":[56320,97]}],"m":{"$input":"old"}}"#,
        )
        .unwrap();
        let JsValue::Object(members) = &value else {
            panic!("not an object")
        };
        assert_eq!(
            members.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["z", "a", "m"]
        );
        assert_eq!(
            value.get("z").unwrap().as_text().unwrap().units(),
            &[0xd800, 0x78]
        );
        let JsValue::Array(items) = value.get("a").unwrap() else {
            panic!("not an array")
        };
        assert_eq!(items[3], JsValue::Undefined);
        assert_eq!(items[4].as_text().unwrap().units(), &[0xdc00, 0x61]);
        assert_eq!(value.get("m").unwrap().marker().unwrap().0, "$input");
    }

    #[test]
    fn canonical_json_sorts_keys_and_drops_undefined() {
        let value = JsValue::from_json(
            r#"{"b":1,"a":"\ud800","c":{"$undefined":true},"d":[{"y":1,"x":2}]}"#,
        )
        .unwrap();
        assert_eq!(
            value.canonical_json(),
            r#"{"a":"\ud800","b":1,"d":[{"x":2,"y":1}]}"#
        );
    }

    #[test]
    fn request_json_round_trips_in_both_transports() {
        let value = JsValue::Array(vec![
            JsValue::String(Text::from_units(vec![0xd800, 0x0a, 0x22])),
            JsValue::Undefined,
            JsValue::uint(3),
        ]);
        for utf16 in [false, true] {
            assert_eq!(
                JsValue::from_json(&value.to_request_json(utf16)).unwrap(),
                value
            );
        }
    }

    #[test]
    fn rejects_bad_utf16_markers() {
        assert!(JsValue::from_json(r#"{"$utf16":[70000]}"#).is_err());
        assert!(JsValue::from_json(r#"{"$utf16":"x"}"#).is_err());
    }
}
