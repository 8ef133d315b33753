//! The document loop that `clean` and `check` share: the inputs in order, each a text document
//! or a JSONL dump, handed to a [`Sink`].
//!
//! Text documents are read and cleaned in parallel batches, then handed over one by one in
//! input order; a JSONL dump is handed over whole, for the sink to stream record by record
//! (`dump::clean_shard`, `dump::measure_shard`). Whether an input is a dump is decided here,
//! once, by [`Source::is_jsonl`].

use std::io::Write;

use rayon::prelude::*;

use crate::app::{Format, InputConfig};
use crate::compress::Compression;
use crate::error::{Error, Result};
use crate::read::{decode, read_bytes, Input, Source as Origin};
use crate::{dedup_text, DocResult};

/// Text documents read and cleaned together, then handed over in order.
const BATCH: usize = 64;

/// A text document, cleaned on its own (document scope).
pub struct Document {
    /// Where it came from.
    pub input: Input,
    /// How the input was compressed: `--in-place` writes it back the same way.
    pub compression: Compression,
    /// The decoded text.
    pub text: String,
    /// What was decided.
    pub result: DocResult,
}

/// What consumes the documents of a run, in input order.
pub trait Sink {
    /// A text document. `err` takes diagnostics.
    ///
    /// # Errors
    /// The sink's own failure ends the run.
    fn document(&mut self, doc: Document, err: &mut dyn Write) -> Result<()>;

    /// A JSONL dump, to read record by record.
    ///
    /// # Errors
    /// The sink's own failure ends the run.
    fn dump(&mut self, input: &Input) -> Result<()>;
}

/// The inputs of a run and how to read them.
pub struct Source<'a> {
    inputs: &'a [Input],
    format: Format,
    config: &'a InputConfig,
}

impl<'a> Source<'a> {
    /// Inputs read as `format` says, with the reading and matching settings of `config`.
    pub fn new(inputs: &'a [Input], format: Format, config: &'a InputConfig) -> Self {
        Source {
            inputs,
            format,
            config,
        }
    }

    /// Whether `input` is read as a JSONL dump: always with `jsonl`, never with `text`, and by
    /// extension with `auto` (standard input is text).
    pub fn is_jsonl(&self, input: &Input) -> bool {
        match self.format {
            Format::Jsonl => true,
            Format::Text => false,
            Format::Auto => match &input.source {
                Origin::File(p) => crate::dump::is_jsonl_path(p),
                Origin::Stdin => false,
            },
        }
    }

    /// Whether any input is a JSONL dump.
    pub fn any_jsonl(&self) -> bool {
        self.inputs.iter().any(|i| self.is_jsonl(i))
    }

    /// Hands every input to `sink` in order, text documents cleaned in parallel in `pool`.
    /// A file of a folder walk that is binary or UTF-16 is skipped with a warning on `err`.
    ///
    /// # Errors
    /// An unreadable input, the sink's error, or [`Error::NoInput`] when every input was
    /// skipped.
    pub fn run(
        &self,
        pool: &rayon::ThreadPool,
        sink: &mut dyn Sink,
        err: &mut dyn Write,
    ) -> Result<()> {
        let mut read = 0;
        let mut i = 0;
        while i < self.inputs.len() {
            if self.is_jsonl(&self.inputs[i]) {
                sink.dump(&self.inputs[i])?;
                read += 1;
                i += 1;
                continue;
            }
            let mut j = i;
            while j < self.inputs.len() && !self.is_jsonl(&self.inputs[j]) {
                j += 1;
            }
            read += self.texts(pool, &self.inputs[i..j], sink, err)?;
            i = j;
        }
        if read == 0 {
            // As for an empty folder: each skipped file was named in a warning.
            return Err(Error::NoInput(
                "no input files left to read: every file found was skipped".into(),
            ));
        }
        Ok(())
    }

    /// Reads and cleans text inputs batch by batch; returns how many were read.
    fn texts(
        &self,
        pool: &rayon::ThreadPool,
        inputs: &[Input],
        sink: &mut dyn Sink,
        err: &mut dyn Write,
    ) -> Result<usize> {
        let mut count = 0;
        for batch in inputs.chunks(BATCH) {
            // Ok(Err(_)): a file of a folder walk that is skipped (binary, UTF-16), with why.
            let done: Vec<Result<std::result::Result<Document, Error>>> =
                pool.install(|| batch.par_iter().map(|i| self.read(i)).collect());
            for d in done {
                match d? {
                    Ok(d) => {
                        count += 1;
                        sink.document(d, err)?;
                    }
                    Err(why) => {
                        let _ = writeln!(err, "paradedup: warning: {why}: skipped");
                    }
                }
            }
        }
        Ok(count)
    }

    fn read(&self, input: &Input) -> Result<std::result::Result<Document, Error>> {
        let (bytes, compression) = read_bytes(input)?;
        let text = match decode(&input.display(), bytes, self.config.lossy) {
            Ok(t) => t,
            Err(e @ (Error::Binary { .. } | Error::Utf16 { .. })) if input.walked => {
                return Ok(Err(e))
            }
            Err(e) => return Err(e),
        };
        let result = dedup_text(&text, &self.config.options);
        Ok(Ok(Document {
            input: input.clone(),
            compression,
            text,
            result,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(name: &str) -> Input {
        Input {
            source: Origin::File(PathBuf::from(name)),
            relative: PathBuf::from(name),
            walked: false,
        }
    }

    #[test]
    fn the_format_decides_what_is_a_dump() {
        let config = InputConfig {
            paths: Vec::new(),
            globs: Vec::new(),
            lossy: false,
            threads: None,
            options: crate::Options::default(),
        };
        let inputs = [file("a.txt"), file("b.jsonl.gz"), file("c.ndjson")];
        let by = |format| {
            let s = Source::new(&inputs, format, &config);
            inputs.iter().map(|i| s.is_jsonl(i)).collect::<Vec<_>>()
        };
        assert_eq!(by(Format::Auto), [false, true, true]);
        assert_eq!(by(Format::Text), [false, false, false]);
        assert_eq!(by(Format::Jsonl), [true, true, true]);
        let stdin = [Input {
            source: Origin::Stdin,
            relative: PathBuf::from("-"),
            walked: false,
        }];
        assert!(!Source::new(&stdin, Format::Auto, &config).any_jsonl());
        assert!(Source::new(&stdin, Format::Jsonl, &config).any_jsonl());
    }
}
