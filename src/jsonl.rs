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
    /// The value under `key`, and whether the object has the key more than once.
    fn get(&self, key: &str) -> Option<(&'a RawValue, bool)> {
        let mut found = self.0.iter().filter(|(k, _)| k.0 == key).map(|(_, v)| *v);
        let first = found.next()?;
        Some((first, found.next().is_some()))
    }

    /// The value under `key`, which must appear once: readers disagree on a repeated key
    /// (Python's `json` and serde's `Value` keep the last, a streaming reader sees the first).
    fn only(&self, key: &str, path: &[String]) -> Result<Option<&'a RawValue>, FieldError> {
        match self.get(key) {
            Some((_, true)) => Err(FieldError::Ambiguous(path.join("."))),
            Some((v, false)) => Ok(Some(v)),
            None => Ok(None),
        }
    }

    /// The last value under `key`, as JSON readers take it.
    fn last(&self, key: &str) -> Option<&'a RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k.0 == key)
            .map(|(_, v)| *v)
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
    /// The field is a string holding an escaped UTF-16 surrogate without its pair (`"\ud800"`,
    /// as Python's `json.dumps` writes for a lone surrogate), which is no Unicode character.
    LoneSurrogate(String, u16),
    /// The field (or an object on its path) appears more than once in its object.
    Ambiguous(String),
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Json(e) => write!(f, "malformed JSON: {e}"),
            FieldError::Missing(p) => write!(f, "no field {p:?}"),
            FieldError::NotString(p) => write!(f, "field {p:?} is not a string"),
            FieldError::LoneSurrogate(p, code) => write!(
                f,
                "field {p:?} holds a lone surrogate escape (\\u{code:04x}), which is no Unicode character (--lossy replaces it with U+FFFD)"
            ),
            FieldError::Ambiguous(p) => write!(
                f,
                "field {p:?} appears more than once in the record: ambiguous (JSON readers disagree on which one counts)"
            ),
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
    /// The raw value at `path` (dotted, already split); every key on it must appear once.
    fn value(&self, path: &[String]) -> Result<&'a RawValue, FieldError> {
        let missing = || FieldError::Missing(path.join("."));
        let (first, rest) = path.split_first().ok_or_else(missing)?;
        let mut raw = self.fields.only(first, path)?.ok_or_else(missing)?;
        for key in rest {
            let inner: Fields<'a> = serde_json::from_str(raw.get()).map_err(|_| missing())?;
            raw = inner.only(key, path)?.ok_or_else(missing)?;
        }
        Ok(raw)
    }

    /// The string at `path`, decoded, and where its JSON value lies in the line. With `lossy`,
    /// a lone surrogate escape becomes U+FFFD.
    ///
    /// # Errors
    /// A missing or repeated field, a non-object on the path, a value that is not a string, or
    /// (unless `lossy`) a string holding a lone surrogate escape.
    pub fn text(&self, path: &[String], lossy: bool) -> Result<(String, Range<usize>), FieldError> {
        let raw = self.value(path)?;
        let text = match serde_json::from_str::<String>(raw.get()) {
            Ok(t) => t,
            Err(_) if raw.get().starts_with('"') => unescape(raw.get(), lossy)
                .map_err(|code| FieldError::LoneSurrogate(path.join("."), code))?,
            Err(_) => return Err(FieldError::NotString(path.join("."))),
        };
        let start = offset(self.line, raw.get());
        Ok((text, start..start + raw.get().len()))
    }

    /// The record's id at `path`: a string decoded, any other value as written (numeric ids
    /// are common); `None` when there is none.
    pub fn id(&self, path: &[String]) -> Option<String> {
        // As JSON readers do, the last of a repeated key counts.
        let (first, rest) = path.split_first()?;
        let mut raw = self.fields.last(first)?;
        for key in rest {
            let inner: Fields<'a> = serde_json::from_str(raw.get()).ok()?;
            raw = inner.last(key)?;
        }
        Some(serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_string()))
    }

    /// Where a top-level field `key` goes in the line: the range of its value when the record
    /// has one, else an empty range just before the closing brace.
    ///
    /// # Errors
    /// [`FieldError::Ambiguous`] when the record has `key` more than once.
    pub fn slot(&self, key: &str) -> Result<Slot, FieldError> {
        if let Some(raw) = self.fields.only(key, &[key.to_string()])? {
            let start = offset(self.line, raw.get());
            return Ok(Slot::Value(start..start + raw.get().len()));
        }
        let end = self.line.trim_end().len();
        Ok(Slot::Append(end.saturating_sub(1)))
    }
}

/// Decodes a JSON string literal that `serde_json` refused for a lone surrogate escape: with
/// `lossy` each lone surrogate becomes U+FFFD, otherwise the first one is the error.
fn unescape(raw: &str, lossy: bool) -> Result<String, u16> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut high: Option<u16> = None;
    let lone = |code: u16, out: &mut String| {
        if lossy {
            out.push(char::REPLACEMENT_CHARACTER);
            Ok(())
        } else {
            Err(code)
        }
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        let decoded = if c == '\\' {
            match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u16::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                    match code {
                        0xd800..=0xdbff => {
                            if let Some(h) = high.replace(code) {
                                lone(h, &mut out)?;
                            }
                            continue;
                        }
                        0xdc00..=0xdfff => {
                            match high.take() {
                                Some(h) => {
                                    let c = 0x10000
                                        + ((u32::from(h) - 0xd800) << 10)
                                        + (u32::from(code) - 0xdc00);
                                    out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                                }
                                None => lone(code, &mut out)?,
                            }
                            continue;
                        }
                        _ => char::from_u32(u32::from(code)).unwrap_or('\u{fffd}'),
                    }
                }
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('b') => '\u{8}',
                Some('f') => '\u{c}',
                Some(other) => other,
                None => break,
            }
        } else {
            c
        };
        if let Some(h) = high.take() {
            lone(h, &mut out)?;
        }
        out.push(decoded);
    }
    if let Some(h) = high {
        lone(h, &mut out)?;
    }
    Ok(out)
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
        let (_, span) = r.text(&path(p), false).unwrap();
        let mut s = Splice::default();
        s.value(span, new).unwrap();
        String::from_utf8(s.apply(line.as_bytes())).unwrap()
    }

    #[test]
    fn splice_keeps_every_other_byte() {
        let line = r#"{"id": 7, "text" :"a\nb", "meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#;
        let r = parse(line).unwrap();
        assert_eq!(r.text(&path("text"), false).unwrap().0, "a\nb");
        assert_eq!(
            replaced(line, "text", "a"),
            r#"{"id": 7, "text" :"a", "meta":{"x":[1, 2.50,"\u00e9"]},"url":null}"#
        );
    }

    #[test]
    fn nested_path_and_escaped_keys() {
        let line = r#"{"content":{"body":"x y","n":1},"i\u0064":"a"}"#;
        let r = parse(line).unwrap();
        assert_eq!(r.text(&path("content.body"), false).unwrap().0, "x y");
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
        s.field(r.slot("note").unwrap(), "note", &[1, 2]).unwrap();
        assert_eq!(s.apply(line.as_bytes()), br#"{"text":"t" ,"note":[1,2]}"#);
        let line = r#"{"note": 0, "text":"t"}"#;
        let r = parse(line).unwrap();
        let mut s = Splice::default();
        s.field(r.slot("note").unwrap(), "note", "n").unwrap();
        s.value(r.text(&path("text"), false).unwrap().1, "u")
            .unwrap();
        assert_eq!(s.apply(line.as_bytes()), br#"{"note": "n", "text":"u"}"#);
    }

    #[test]
    fn ids_and_errors() {
        let r = parse(r#"{"id": 12, "text": 3}"#).unwrap();
        assert_eq!(r.id(&path("id")).as_deref(), Some("12"));
        assert_eq!(r.id(&path("nope")), None);
        assert_eq!(
            r.text(&path("text"), false).map(|t| t.0),
            Err(FieldError::NotString("text".into()))
        );
        assert_eq!(
            r.text(&path("body"), false).map(|t| t.0),
            Err(FieldError::Missing("body".into()))
        );
        assert!(matches!(parse("{"), Err(FieldError::Json(_))));
        assert!(matches!(parse("[1]"), Err(FieldError::Json(_))));
        assert!(matches!(parse("{} x"), Err(FieldError::Json(_))));
    }

    #[test]
    fn repeated_keys_are_ambiguous_for_the_text_and_the_last_for_the_id() {
        let r = parse(r#"{"id":1,"text":"a","c":{"b":"x","b":"y"},"text":"b","id":2}"#).unwrap();
        assert_eq!(
            r.text(&path("text"), false).map(|t| t.0),
            Err(FieldError::Ambiguous("text".into()))
        );
        assert_eq!(
            r.text(&path("c.b"), false).map(|t| t.0),
            Err(FieldError::Ambiguous("c.b".into()))
        );
        assert_eq!(r.id(&path("id")).as_deref(), Some("2"));
        assert!(matches!(r.slot("id"), Err(FieldError::Ambiguous(_))));
        assert!(matches!(r.slot("c"), Ok(Slot::Value(_))));
    }

    #[test]
    fn lone_surrogates_are_named_or_replaced() {
        let r = parse(r#"{"text":"a\ud800b \ud83d\ude00 \udc00\n\u00e9\"\\"}"#).unwrap();
        assert_eq!(
            r.text(&path("text"), false).map(|t| t.0),
            Err(FieldError::LoneSurrogate("text".into(), 0xd800))
        );
        assert_eq!(
            r.text(&path("text"), true).unwrap().0,
            "a\u{fffd}b \u{1f600} \u{fffd}\n\u{e9}\"\\"
        );
        let e = r.text(&path("text"), false).unwrap_err().to_string();
        assert!(e.contains("lone surrogate escape (\\ud800)"), "{e}");
        assert!(e.contains("--lossy"), "{e}");
        // A high surrogate at the very end, and two in a row.
        let r = parse(r#"{"text":"x\ud800\ud800"}"#).unwrap();
        assert_eq!(r.text(&path("text"), true).unwrap().0, "x\u{fffd}\u{fffd}");
    }
}
