//! JSONL records: one JSON object per line → its text field, and back.
//!
//! A record is parsed borrowed from its line: keys decoded, every value kept as the raw JSON
//! bytes of the line (serde_json's `RawValue`). Writing a record back splices the new text
//! field (and an optional annotation field) into the original line, so every other byte of the
//! line, white space and escapes included, comes out as it went in. The text field may be
//! nested: a dotted path such as `content.body` walks objects.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A key of a JSON object, borrowed from the line unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The fields of a JSON object in order, their values as raw JSON borrowed from the input.
struct Fields<'a>(Vec<(Key<'a>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((k, v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    fields.push((k, v));
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Fields<'a> {
    /// The first value under `key`.
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k.0 == key).map(|(_, v)| *v)
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

/// One JSON object (a record), borrowed from its line.
pub struct Record<'a> {
    line: &'a str,
    fields: Fields<'a>,
}

/// Parses `line` (without its line terminator) as a JSON object.
///
/// # Errors
/// [`FieldError::Json`] when the line is not a JSON object.
pub fn parse(line: &str) -> Result<Record<'_>, FieldError> {
    let fields = serde_json::from_str(line).map_err(|e| FieldError::Json(e.to_string()))?;
    Ok(Record { line, fields })
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

impl<'a> Record<'a> {
    /// The raw value at `path` (dotted, already split).
    fn value(&self, path: &[String]) -> Result<&'a RawValue, FieldError> {
        let missing = || FieldError::Missing(path.join("."));
        let (first, rest) = path.split_first().ok_or_else(missing)?;
        let mut raw = self.fields.get(first).ok_or_else(missing)?;
        for key in rest {
            let inner: Fields<'a> = serde_json::from_str(raw.get()).map_err(|_| missing())?;
            raw = inner.get(key).ok_or_else(missing)?;
        }
        Ok(raw)
    }

    /// The string at `path`, decoded, and where its JSON value lies in the line.
    ///
    /// # Errors
    /// A missing field, a non-object on the path, or a value that is not a string.
    pub fn text(&self, path: &[String]) -> Result<(String, Range<usize>), FieldError> {
        let raw = self.value(path)?;
        let text = serde_json::from_str::<String>(raw.get())
            .map_err(|_| FieldError::NotString(path.join(".")))?;
        let start = offset(self.line, raw.get());
        Ok((text, start..start + raw.get().len()))
    }

    /// The record's id at `path`: a string decoded, any other value as written (numeric ids
    /// are common); `None` when there is none.
    pub fn id(&self, path: &[String]) -> Option<String> {
        let raw = self.value(path).ok()?;
        Some(serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_string()))
    }

    /// Where a top-level field `key` goes in the line: the range of its value when the record
    /// has one, else an empty range just before the closing brace.
    pub fn slot(&self, key: &str) -> Slot {
        if let Some(raw) = self.fields.get(key) {
            let start = offset(self.line, raw.get());
            return Slot::Value(start..start + raw.get().len());
        }
        let end = self.line.trim_end().len();
        Slot::Append(end.saturating_sub(1))
    }
}

/// Where a field is written into a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// Over an existing value.
    Value(Range<usize>),
    /// As a new last field, before the closing brace at this offset.
    Append(usize),
}

/// Edits to one line: byte ranges of the line and what replaces them.
#[derive(Debug, Default)]
pub struct Splice {
    edits: Vec<(Range<usize>, Vec<u8>)>,
}

impl Splice {
    /// Replaces the JSON value at `range` with `value` serialized.
    ///
    /// # Errors
    /// When `value` cannot be serialized.
    pub fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        range: Range<usize>,
        value: &T,
    ) -> Result<(), FieldError> {
        let json = serde_json::to_vec(value).map_err(|e| FieldError::Json(e.to_string()))?;
        self.edits.push((range, json));
        Ok(())
    }

    /// Writes field `key` with `value` at `slot`.
    ///
    /// # Errors
    /// When `value` cannot be serialized.
    pub fn field<T: serde::Serialize + ?Sized>(
        &mut self,
        slot: Slot,
        key: &str,
        value: &T,
    ) -> Result<(), FieldError> {
        match slot {
            Slot::Value(range) => self.value(range, value),
            Slot::Append(at) => {
                let mut json = b",".to_vec();
                serde_json::to_writer(&mut json, key)
                    .and_then(|()| {
                        json.push(b':');
                        serde_json::to_writer(&mut json, value)
                    })
                    .map_err(|e| FieldError::Json(e.to_string()))?;
                self.edits.push((at..at, json));
                Ok(())
            }
        }
    }

    /// `line` with the edits made (edits must not overlap).
    pub fn apply(mut self, line: &[u8]) -> Vec<u8> {
        self.edits.sort_by_key(|(r, _)| r.start);
        let extra: usize = self.edits.iter().map(|(_, b)| b.len()).sum();
        let mut out = Vec::with_capacity(line.len() + extra);
        let mut at = 0;
        for (range, bytes) in &self.edits {
            out.extend_from_slice(line.get(at..range.start).unwrap_or_default());
            out.extend_from_slice(bytes);
            at = range.end.max(at);
        }
        out.extend_from_slice(line.get(at..).unwrap_or_default());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    /// The line with the text at `p` replaced by `new`.
    fn replaced(line: &str, p: &str, new: &str) -> String {
        let r = parse(line).unwrap();
        let (_, span) = r.text(&path(p)).unwrap();
        let mut s = Splice::default();
        s.value(span, new).unwrap();
        String::from_utf8(s.apply(line.as_bytes())).unwrap()
    }

    #[test]
    fn splice_keeps_every_other_byte() {
        let line = r#"{"id": 7, "text" :"a\nb", "meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#;
        let r = parse(line).unwrap();
        assert_eq!(r.text(&path("text")).unwrap().0, "a\nb");
        assert_eq!(
            replaced(line, "text", "a"),
            r#"{"id": 7, "text" :"a", "meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#
        );
    }

    #[test]
    fn nested_path_and_escaped_keys() {
        let line = r#"{"content":{"body":"x y","n":1},"i\u0064":"a"}"#;
        let r = parse(line).unwrap();
        assert_eq!(r.text(&path("content.body")).unwrap().0, "x y");
        assert_eq!(r.id(&path("id")).as_deref(), Some("a"));
        assert_eq!(
            replaced(line, "content.body", "x \"q\""),
            r#"{"content":{"body":"x \"q\"","n":1},"i\u0064":"a"}"#
        );
    }

    #[test]
    fn field_is_appended_or_replaced() {
        let line = r#"{"text":"t" }"#;
        let r = parse(line).unwrap();
        let mut s = Splice::default();
        s.field(r.slot("note"), "note", &[1, 2]).unwrap();
        assert_eq!(s.apply(line.as_bytes()), br#"{"text":"t" ,"note":[1,2]}"#);
        let line = r#"{"note": 0, "text":"t"}"#;
        let r = parse(line).unwrap();
        let mut s = Splice::default();
        s.field(r.slot("note"), "note", "n").unwrap();
        s.value(r.text(&path("text")).unwrap().1, "u").unwrap();
        assert_eq!(s.apply(line.as_bytes()), br#"{"note": "n", "text":"u"}"#);
    }

    #[test]
    fn ids_and_errors() {
        let r = parse(r#"{"id": 12, "text": 3}"#).unwrap();
        assert_eq!(r.id(&path("id")).as_deref(), Some("12"));
        assert_eq!(r.id(&path("nope")), None);
        assert_eq!(
            r.text(&path("text")).map(|t| t.0),
            Err(FieldError::NotString("text".into()))
        );
        assert_eq!(
            r.text(&path("body")).map(|t| t.0),
            Err(FieldError::Missing("body".into()))
        );
        assert!(matches!(parse("{"), Err(FieldError::Json(_))));
        assert!(matches!(parse("[1]"), Err(FieldError::Json(_))));
        assert!(matches!(parse("{} x"), Err(FieldError::Json(_))));
    }
}
