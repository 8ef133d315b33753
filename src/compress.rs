//! Compressed streams: gzip and zstd, for text documents and JSONL shards alike.
//!
//! A file is read and written compressed by its extension (`.gz`, `.zst`); standard input is
//! recognised by its magic bytes; standard output is never compressed. A stream that ends
//! early or is corrupt is an error for the whole input, never a shorter input (issue 10: a
//! gzip shard cut in half must not pass as half a shard).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::read::{Input, Source};

/// How a stream is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (several members are read as one stream, as crawl files need).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// Chosen by the file name's extension (see [`split_name`]).
    pub fn of_path(path: &Path) -> Self {
        path.file_name()
            .and_then(|n| n.to_str())
            .map_or(Compression::None, |n| split_name(n).1)
    }

    /// Chosen by the first bytes of a stream.
    pub fn of_magic(head: &[u8]) -> Self {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// The extensions that name a compression, matched in any case (`.gz`, `.GZ`).
const EXTENSIONS: [(&str, Compression); 4] = [
    (".gz", Compression::Gzip),
    (".gzip", Compression::Gzip),
    (".zst", Compression::Zstd),
    (".zstd", Compression::Zstd),
];

/// A file name split into the name without its compression extension and the compression
/// that extension names (`notes.txt.gz` → `notes.txt`, gzip). The one place that knows the
/// extensions: the globs, the JSONL rule and the reader and writer must agree on them, or a
/// shard the walk selects as `x.jsonl` is read as a text document.
pub fn split_name(name: &str) -> (&str, Compression) {
    EXTENSIONS
        .iter()
        .find_map(|&(ext, kind)| {
            let cut = name.len().checked_sub(ext.len()).filter(|&c| c > 0)?;
            let tail = name.get(cut..)?;
            tail.eq_ignore_ascii_case(ext).then(|| (&name[..cut], kind))
        })
        .unwrap_or((name, Compression::None))
}

/// A file name without its compression extension (`notes.txt.gz` → `notes.txt`), so that the
/// globs and format rules of plain files apply to compressed ones too.
pub fn plain_name(name: &str) -> &str {
    split_name(name).0
}

/// Counts the raw bytes read (before decompression), for the progress bar.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Marks the errors of a decompressor, so that a reader can tell a broken stream (the input is
/// damaged) from a failed read (the device is).
struct Decoding<R> {
    inner: R,
    kind: Compression,
}

/// The message of an error raised while decompressing.
#[derive(Debug)]
pub struct BrokenStream {
    /// The compression of the stream.
    pub kind: Compression,
    /// What the decompressor said.
    pub cause: std::io::Error,
}

impl std::fmt::Display for BrokenStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "truncated or corrupt {} stream: {}",
            self.kind.name(),
            self.cause
        )
    }
}

impl std::error::Error for BrokenStream {}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|cause| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                BrokenStream {
                    kind: self.kind,
                    cause,
                },
            )
        })
    }
}

/// True when `e` comes from a damaged compressed stream (see [`open`]).
pub fn is_broken_stream(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<BrokenStream>())
}

/// Opens an input for reading, decompressing by extension (files) or by magic bytes
/// (standard input, and files whose extension names no compression). `count` receives the raw
/// bytes read.
///
/// # Errors
/// The file cannot be opened or its first bytes read.
pub fn open(input: &Input, count: Arc<AtomicU64>) -> Result<(Box<dyn BufRead>, Compression)> {
    let (raw, by_name): (Box<dyn Read>, Option<Compression>) = match &input.source {
        Source::Stdin => (Box::new(std::io::stdin()), None),
        Source::File(p) => (
            Box::new(File::open(p).map_err(|e| Error::io(p, e))?),
            Some(Compression::of_path(p)),
        ),
    };
    let mut buffered = BufReader::with_capacity(1 << 20, Counting { inner: raw, count });
    let kind = match by_name {
        Some(Compression::None) | None => {
            let head = buffered
                .fill_buf()
                .map_err(|e| Error::io(input.display(), e))?;
            Compression::of_magic(head)
        }
        Some(k) => k,
    };
    let reader: Box<dyn BufRead> = match kind {
        Compression::None => Box::new(buffered),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            1 << 20,
            Decoding {
                inner: flate2::bufread::MultiGzDecoder::new(buffered),
                kind,
            },
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            1 << 20,
            Decoding {
                inner: zstd::stream::read::Decoder::with_buffer(buffered)
                    .map_err(|e| Error::io(input.display(), e))?,
                kind,
            },
        )),
    };
    Ok((reader, kind))
}

/// Decompresses a whole stream held in memory.
///
/// # Errors
/// A truncated or corrupt stream (see [`is_broken_stream`]).
pub fn decompress(bytes: &[u8], kind: Compression) -> std::io::Result<Vec<u8>> {
    // Text compresses about four to one; the reservation is capped so that a batch of files
    // read in parallel does not reserve for the worst case at once.
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(64 << 20));
    match kind {
        Compression::None => out.extend_from_slice(bytes),
        Compression::Gzip => {
            Decoding {
                inner: flate2::bufread::MultiGzDecoder::new(bytes),
                kind,
            }
            .read_to_end(&mut out)?;
        }
        Compression::Zstd => {
            Decoding {
                inner: zstd::stream::read::Decoder::with_buffer(bytes)?,
                kind,
            }
            .read_to_end(&mut out)?;
        }
    }
    Ok(out)
}

/// A possibly compressed output stream; [`Sink::finish`] writes the compressed trailer.
pub enum Sink<'w> {
    /// Written as it is.
    Plain(Box<dyn Write + 'w>),
    /// gzip.
    Gzip(flate2::write::GzEncoder<Box<dyn Write + 'w>>),
    /// Zstandard.
    Zstd(zstd::stream::write::Encoder<'static, Box<dyn Write + 'w>>),
}

impl<'w> Sink<'w> {
    /// Wraps `w` in an encoder for `kind`.
    ///
    /// # Errors
    /// The zstd encoder cannot be set up.
    pub fn new(w: Box<dyn Write + 'w>, kind: Compression) -> std::io::Result<Self> {
        Ok(match kind {
            Compression::None => Sink::Plain(w),
            Compression::Gzip => Sink::Gzip(flate2::write::GzEncoder::new(
                w,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Sink::Zstd(zstd::stream::write::Encoder::new(w, 3)?),
        })
    }

    /// Ends the stream (the compressed trailer) and flushes.
    ///
    /// # Errors
    /// The writer's error.
    pub fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Plain(mut w) => w.flush(),
            Sink::Gzip(e) => e.finish()?.flush(),
            Sink::Zstd(e) => e.finish()?.flush(),
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
            Sink::Zstd(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
            Sink::Zstd(w) => w.flush(),
        }
    }
}

/// Writes through `kind`'s encoder: `write` fills it, then the stream is finished.
///
/// # Errors
/// The writer's error.
pub fn write_compressed(
    w: &mut dyn Write,
    kind: Compression,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if kind == Compression::None {
        return write(w);
    }
    let mut sink = Sink::new(Box::new(w), kind)?;
    write(&mut sink)?;
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_name_drops_the_compression_extension_only() {
        assert_eq!(plain_name("notes.txt.gz"), "notes.txt");
        assert_eq!(plain_name("dump.jsonl.zst"), "dump.jsonl");
        assert_eq!(plain_name("notes.txt"), "notes.txt");
        assert_eq!(plain_name(".gz"), ".gz");
        assert_eq!(plain_name("dump.jsonl.zstd"), "dump.jsonl");
        assert_eq!(plain_name("dump.ndjson.gzip"), "dump.ndjson");
        assert_eq!(plain_name("NOTES.TXT.GZ"), "NOTES.TXT");
        assert_eq!(plain_name("é.gz"), "é");
        assert_eq!(plain_name("xé"), "xé");
    }

    #[test]
    fn the_reader_and_the_writer_know_the_same_extensions() {
        for (name, kind) in [
            ("a.txt.gz", Compression::Gzip),
            ("a.txt.GZ", Compression::Gzip),
            ("a.jsonl.gzip", Compression::Gzip),
            ("a.jsonl.Zst", Compression::Zstd),
            ("a.jsonl.zstd", Compression::Zstd),
            ("a.txt", Compression::None),
            (".gz", Compression::None),
        ] {
            assert_eq!(Compression::of_path(Path::new(name)), kind, "{name}");
            assert_eq!(split_name(name).1, kind, "{name}");
        }
    }

    #[test]
    fn a_truncated_gzip_stream_is_a_broken_stream() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&b"one line of text\n".repeat(2000)).unwrap();
        let bytes = gz.finish().unwrap();
        let e = decompress(&bytes[..bytes.len() / 2], Compression::Gzip).unwrap_err();
        assert!(is_broken_stream(&e), "{e}");
        assert!(e
            .to_string()
            .starts_with("truncated or corrupt gzip stream"));
    }
}
