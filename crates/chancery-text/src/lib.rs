//! Plain-text FRUS documents: read copies such as history.state.gov's text renderings into the
//! Chancery document model, and write any document back in that form.
//!
//! The form: the source note line (`861.00B/680`, `793.94/11936: Telegram`), a blank line, the
//! heading (`The Chargé in the Soviet Union (Henderson) to the Secretary of State`), opener lines
//! (`No. 971`, a dateline with `[Received …]`, `Sir:`), paragraphs separated by blank lines with
//! `[Page N]` markers where the printed page turns, the closer and signatures, enclosures
//! introduced by their label line (`[Enclosure 1—Translation]`) and title, footnote markers
//! glued to the word they follow (`Denikin16`), and at the end the indented notes list
//! (`  1. Omission indicated in the original.`), numbered again from 1. Several documents in one
//! file each begin with their source-note line.
//!
//! What the writer adds where the seed form would be ambiguous, and the reader understands: an
//! enclosure without a label of its own begins with `[Unlabeled enclosure]`; a document whose
//! markers plain digits would leave in doubt (`October 1518`, `$3,000,0002`, a note opening a
//! paragraph) has every marker in superscript digits (`October 15¹⁸`); a list label opens its
//! item's line (`4. Advise.`).
//!
//! Reading is linear in the input and never panics: bad input is an error or a warning with its
//! line and column.

mod decode;
mod inline;
mod reader;
mod scan;
mod writer;

use std::path::Path;

use chancery_model::{Document, SourceNote, Volume};

/// The longest line the reader accepts, in bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What the reader made of one text file.
#[derive(Debug, Clone)]
pub struct TextReading {
    /// The volume holding the file's documents (its id is the one the caller gave).
    pub volume: Volume,
    /// The documents, in order, with ids `d1`, `d2` …
    pub documents: Vec<Document>,
    /// What the reader had to guess or could not resolve.
    pub warnings: Vec<Warning>,
}

pub use chancery_model::Warning;

/// Why a text file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The file is empty or holds only whitespace.
    #[error("the file is empty")]
    Empty,
    /// The file is not text (NUL bytes, control characters, broken UTF-16).
    #[error("{line}:{column}: not a text file ({detail})")]
    NotText {
        /// Line of the first bad byte.
        line: usize,
        /// Column of the first bad byte.
        column: usize,
        /// What was found.
        detail: String,
    },
    /// A line is longer than [`MAX_LINE_BYTES`].
    #[error("{line}:{column}: line longer than {limit} bytes: not a document in text form")]
    LineTooLong {
        /// The line.
        line: usize,
        /// Where the limit was passed.
        column: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The file holds no document text, only page markers, note numbers or brackets.
    #[error("no document text: only markers or blank lines")]
    NoText,
}

impl TextError {
    /// The line and column the error points at, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            TextError::NotText { line, column, .. }
            | TextError::LineTooLong { line, column, .. } => Some((*line, *column)),
            TextError::Empty | TextError::NoText => None,
        }
    }
}

/// Reads a plain-text file of one or more documents; `id` becomes the volume id (see
/// [`volume_id`]).
pub fn read(bytes: &[u8], id: &str) -> Result<TextReading, TextError> {
    reader::read(bytes, id)
}

/// Writes a document, TEI-born or text-born, in the plain-text form.
pub fn write(doc: &Document) -> String {
    writer::write(doc)
}

/// Recognises a source-note line (`861.00B/680`, `793.94/11936: Telegram`, `Source: …`): its
/// file numbers and channel.
pub fn parse_source_note(line: &str) -> Option<SourceNote> {
    scan::source_note(line)
}

/// A stable volume id for a text file, from its name: the file stem with anything but letters,
/// digits, `.`, `_` and `-` replaced by `-` (`000_36a440fcf6bbd698.txt` gives
/// `000_36a440fcf6bbd698`).
pub fn volume_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "text".to_string()
    } else {
        id
    }
}
