//! `clean_batch`: many documents cleaned in parallel on a thread pool, without the interpreter.
//!
//! Two inputs: Python strings ([`clean_texts`]), and the buffers of pyarrow string arrays
//! ([`clean_arrow`]: `paradedup/_arrow.py` hands over each chunk's offsets, data and validity
//! bitmap as `bytes`, so no Python string is made per document). Documents run as one parallel
//! loop (rayon keeps the output in input order); each is cleaned exactly as `Deduper.clean`
//! cleans it, and a panic on one is caught there and names it.

use paradedup_engine::Deduper;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use rayon::prelude::*;

use crate::errors::{guard, Failure};

/// The clean text of each of `texts`, in order.
///
/// # Errors
/// [`Failure::Panic`] when the engine panics on a document (the first one, in input order).
pub fn clean_texts(deduper: &Deduper, texts: &[PyBackedStr]) -> Result<Vec<String>, Failure> {
    texts
        .par_iter()
        .enumerate()
        .map(|(i, t)| guard(|| format!("document {i}"), || deduper.clean(t).text()))
        .collect()
}

/// One chunk of a pyarrow `string` or `large_string` array, as `paradedup._arrow.split` gives
/// it: `offsets` holds the `length + 1` offsets of the chunk's documents (native-endian `i32`, or
/// `i64` for `large_string`) into `data`, starting anywhere (the first is subtracted); `validity`
/// is the array's null bitmap (bit `bit_offset + i` for document `i`), or `None` without nulls.
pub struct Chunk {
    /// The offsets.
    pub offsets: PyBackedBytes,
    /// The string bytes.
    pub data: PyBackedBytes,
    /// The validity bitmap (LSB first), if the chunk has nulls.
    pub validity: Option<PyBackedBytes>,
    /// The chunk's offset into its validity bitmap.
    pub bit_offset: usize,
    /// Number of documents.
    pub length: usize,
}

/// A chunk's clean documents, ready for `pyarrow.Array.from_buffers`: `bit_offset` zero offsets,
/// then `length + 1` offsets into `data` (so the array keeps its input's validity bitmap and
/// offset).
pub struct ChunkOut {
    /// Offsets, native-endian, of the input's width.
    pub offsets: Vec<u8>,
    /// The clean documents, one after the other.
    pub data: Vec<u8>,
}

/// Cleans every document of `chunks` (`large`: 64-bit offsets), in one parallel loop.
///
/// # Errors
/// [`Failure::Input`] for offsets that do not fit the data, a validity bitmap too short, or a
/// document that is not UTF-8; [`Failure::Panic`] as for [`clean_texts`].
pub fn clean_arrow(
    deduper: &Deduper,
    chunks: &[Chunk],
    large: bool,
) -> Result<Vec<ChunkOut>, Failure> {
    let width = if large { 8 } else { 4 };
    let mut docs: Vec<Option<&[u8]>> = Vec::new();
    for (c, chunk) in chunks.iter().enumerate() {
        documents(chunk, width, &mut docs)
            .map_err(|e| Failure::Input(format!("pyarrow chunk {c}: {e}")))?;
    }
    let clean: Vec<Option<String>> = docs
        .par_iter()
        .enumerate()
        .map(|(i, doc)| {
            let Some(bytes) = doc else { return Ok(None) };
            let text = std::str::from_utf8(bytes).map_err(|e| {
                Failure::Input(format!(
                    "document {i} is not valid UTF-8 (byte offset {})",
                    e.valid_up_to()
                ))
            })?;
            guard(
                || format!("document {i}"),
                || Some(deduper.clean(text).text()),
            )
        })
        .collect::<Result<_, _>>()?;
    let mut clean = clean.into_iter();
    let mut out = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let mut offsets = vec![0u8; chunk.bit_offset * width];
        let mut data = Vec::new();
        push_offset(&mut offsets, 0, large)?;
        for doc in clean.by_ref().take(chunk.length) {
            data.extend_from_slice(doc.as_deref().unwrap_or_default().as_bytes());
            push_offset(&mut offsets, data.len(), large)?;
        }
        out.push(ChunkOut { offsets, data });
    }
    Ok(out)
}

/// Appends `chunk`'s documents (`None` for a null) to `docs`.
fn documents<'a>(
    chunk: &'a Chunk,
    width: usize,
    docs: &mut Vec<Option<&'a [u8]>>,
) -> Result<(), String> {
    if chunk.offsets.len() != (chunk.length + 1) * width {
        return Err(format!(
            "{} bytes of offsets for {} strings",
            chunk.offsets.len(),
            chunk.length
        ));
    }
    let offsets: Vec<i64> = chunk
        .offsets
        .chunks_exact(width)
        .map(|b| match *b {
            [a, b, c, d] => i64::from(i32::from_ne_bytes([a, b, c, d])),
            [a, b, c, d, e, f, g, h] => i64::from_ne_bytes([a, b, c, d, e, f, g, h]),
            _ => -1,
        })
        .collect();
    let base = offsets.first().copied().unwrap_or(0);
    for (i, pair) in offsets.windows(2).enumerate() {
        let valid = match &chunk.validity {
            None => true,
            Some(bits) => {
                let k = chunk.bit_offset + i;
                let byte = bits
                    .get(k / 8)
                    .ok_or_else(|| format!("validity bitmap too short for string {i}"))?;
                byte & (1 << (k % 8)) != 0
            }
        };
        if !valid {
            docs.push(None);
            continue;
        }
        let range = usize::try_from(pair[0] - base)
            .ok()
            .zip(usize::try_from(pair[1] - base).ok())
            .filter(|(s, e)| s <= e && *e <= chunk.data.len())
            .ok_or_else(|| {
                format!(
                    "string {i}: offsets {}..{} outside the {} data bytes",
                    pair[0],
                    pair[1],
                    chunk.data.len()
                )
            })?;
        docs.push(chunk.data.get(range.0..range.1));
    }
    Ok(())
}

/// Appends `offset` to `offsets` as a native-endian `i32` (or `i64` when `large`).
fn push_offset(offsets: &mut Vec<u8>, offset: usize, large: bool) -> Result<(), Failure> {
    let too_big = || {
        Failure::Input(
            "the clean strings are over 2 GiB: pass a large_string array instead".to_string(),
        )
    };
    if large {
        let v = i64::try_from(offset).map_err(|_| too_big())?;
        offsets.extend_from_slice(&v.to_ne_bytes());
    } else {
        let v = i32::try_from(offset).map_err(|_| too_big())?;
        offsets.extend_from_slice(&v.to_ne_bytes());
    }
    Ok(())
}
