//! JSONL records: one JSON object per line → its text field, and back.
//!
//! Every field keeps its original bytes (serde_json's `RawValue`) and its place; only the text
//! field is replaced, and an optional annotation field is appended. Keys are written back with
//! JSON escaping, so a key comes out equal as a JSON string. The text field may be nested: a
//! dotted path such as `content.body` walks objects.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A JSON object with its fields in order and their values as raw JSON.
#[derive(Debug)]
pub struct Object(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((k, v));
                }
                Ok(Object(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// Why a record's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// The line is not a JSON object.
    Json(String),
    /// The field (or an object on its path) is missing.
    Missing(String),
    /// The field is there but is not a string.
    NotString(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Json(e) => write!(f, "malformed JSON: {e}"),
            FieldError::Missing(p) => write!(f, "no field {p:?}"),
            FieldError::NotString(p) => write!(f, "field {p:?} is not a string"),
        }
    }
}

/// Parses a line as a JSON object.
///
/// # Errors
/// [`FieldError::Json`] when the line is not a JSON object.
pub fn parse(line: &str) -> Result<Object, FieldError> {
    serde_json::from_str(line).map_err(|e| FieldError::Json(e.to_string()))
}

fn find<'o>(obj: &'o Object, key: &str) -> Option<&'o RawValue> {
    obj.0
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_ref())
}

/// Reads the string at `path` (dotted) inside `obj`.
///
/// # Errors
/// Missing field, a non-object on the path, or a non-string value.
pub fn get_text(obj: &Object, path: &[String]) -> Result<String, FieldError> {
    let joined = || path.join(".");
    get_in(obj, path).map_err(|e| match e {
        FieldError::Missing(_) => FieldError::Missing(joined()),
        FieldError::NotString(_) => FieldError::NotString(joined()),
        other => other,
    })
}

fn get_in(obj: &Object, path: &[String]) -> Result<String, FieldError> {
    let missing = || FieldError::Missing(String::new());
    let (first, rest) = path.split_first().ok_or_else(missing)?;
    let raw = find(obj, first).ok_or_else(missing)?;
    if rest.is_empty() {
        return serde_json::from_str::<String>(raw.get())
            .map_err(|_| FieldError::NotString(String::new()));
    }
    let inner: Object = serde_json::from_str(raw.get()).map_err(|_| missing())?;
    get_in(&inner, rest)
}

/// Writes `obj` as one JSON line (without line terminator) into `out`.
pub fn write(obj: &Object, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in obj.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).unwrap_or_else(|_| "\"\"".into()));
        out.push(':');
        out.push_str(v.get());
    }
    out.push('}');
}

fn raw(json: String) -> Box<RawValue> {
    // The JSON comes from serde_json itself, so it is valid.
    RawValue::from_string(json).unwrap_or_else(|_| {
        RawValue::from_string("null".into()).unwrap_or_else(|_| unreachable_raw())
    })
}

#[expect(clippy::panic, reason = "\"null\" is always valid JSON")]
fn unreachable_raw() -> Box<RawValue> {
    panic!("serde_json rejected the literal null")
}

/// Replaces the string at `path` with `text`.
///
/// # Errors
/// As [`get_text`].
pub fn set_text(obj: &mut Object, path: &[String], text: &str) -> Result<(), FieldError> {
    let joined = path.join(".");
    let Some((first, rest)) = path.split_first() else {
        return Err(FieldError::Missing(joined));
    };
    let slot = obj
        .0
        .iter_mut()
        .find(|(k, _)| k == first)
        .ok_or_else(|| FieldError::Missing(joined.clone()))?;
    if rest.is_empty() {
        slot.1 = raw(serde_json::to_string(text).map_err(|e| FieldError::Json(e.to_string()))?);
        return Ok(());
    }
    let mut inner: Object =
        serde_json::from_str(slot.1.get()).map_err(|_| FieldError::Missing(joined.clone()))?;
    set_text(&mut inner, rest, text)?;
    let mut s = String::new();
    write(&inner, &mut s);
    slot.1 = raw(s);
    Ok(())
}

/// Appends (or replaces) a field with a serializable value.
pub fn put<T: serde::Serialize>(obj: &mut Object, key: &str, value: &T) {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let v = raw(json);
    match obj.0.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = v,
        None => obj.0.push((key.to_string(), v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn round_trip_keeps_other_fields_byte_for_byte() {
        let line = r#"{"id": 7,"text":"a\nb","meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#;
        let mut o = parse(line).unwrap();
        assert_eq!(get_text(&o, &path("text")).unwrap(), "a\nb");
        set_text(&mut o, &path("text"), "a").unwrap();
        let mut out = String::new();
        write(&o, &mut out);
        assert_eq!(
            out,
            r#"{"id":7,"text":"a","meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#
        );
    }

    #[test]
    fn nested_path() {
        let mut o = parse(r#"{"content":{"body":"x y","n":1},"id":"a"}"#).unwrap();
        assert_eq!(get_text(&o, &path("content.body")).unwrap(), "x y");
        set_text(&mut o, &path("content.body"), "x").unwrap();
        let mut out = String::new();
        write(&o, &mut out);
        assert_eq!(out, r#"{"content":{"body":"x","n":1},"id":"a"}"#);
    }

    #[test]
    fn errors() {
        assert!(matches!(parse("{"), Err(FieldError::Json(_))));
        assert!(matches!(parse("[1]"), Err(FieldError::Json(_))));
        let o = parse(r#"{"text": 3}"#).unwrap();
        assert_eq!(
            get_text(&o, &path("text")),
            Err(FieldError::NotString("text".into()))
        );
        assert_eq!(
            get_text(&o, &path("body")),
            Err(FieldError::Missing("body".into()))
        );
    }
}
