//! Reads TEI into the Chancery document model.
//!
//! Two flavours are read by the same reader: whole FRUS volumes (`<TEI xml:id="frus1936v03">`,
//! documents as `div type="document"` inside compilations and chapters, persons and terms lists
//! in the front matter) and single-document TEI files such as the frus-history documents (a plain
//! TEI body holding one or more `div type="document"`).
//!
//! The reader is a single pass over [`quick_xml`] events. It never expands DTD entities (an
//! undefined entity is an error), bounds element nesting, and reports every problem with its
//! line and column. Elements it does not model are kept as [`chancery_model::Node::Other`] and
//! counted in the [`Report`].

mod extract;
mod reader;

use std::collections::BTreeMap;

pub use chancery_model::Warning;
use chancery_model::{Document, Volume};

/// The deepest element nesting the reader accepts.
pub const MAX_DEPTH: usize = 256;

/// What the reader made of one TEI file.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The volume: titles, editors, contents, persons and terms.
    pub volume: Volume,
    /// Its documents, in order.
    pub documents: Vec<Document>,
    /// Unmodeled elements and warnings.
    pub report: Report,
}

/// What the reader noticed but did not stop for.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Elements inside documents that the model keeps only as `Other`, by name, with counts.
    pub unmodeled: BTreeMap<String, usize>,
    /// Problems that did not stop the reading.
    pub warnings: Vec<Warning>,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeiError {
    /// The file is empty or holds only whitespace.
    #[error("the file is empty")]
    Empty,
    /// The file is not text: it has NUL bytes or is not UTF-8.
    #[error("{line}:{column}: not UTF-8 text ({detail}); TEI files must be UTF-8 XML")]
    NotText {
        /// Line of the first bad byte.
        line: usize,
        /// Column of the first bad byte.
        column: usize,
        /// What was found.
        detail: String,
    },
    /// The XML is malformed or truncated.
    #[error("{line}:{column}: malformed XML: {message}")]
    Xml {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The root element is not `TEI`.
    #[error("{line}:{column}: not a TEI file: the root element is <{found}>, expected <TEI>")]
    NotTei {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The root element found.
        found: String,
    },
    /// Elements are nested deeper than [`MAX_DEPTH`].
    #[error("{line}:{column}: elements nested deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
    },
    /// An entity reference that XML does not predefine (entities are never expanded).
    #[error("{line}:{column}: undefined entity &{name}; (DTD entities are not expanded)")]
    UndefinedEntity {
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The entity's name.
        name: String,
    },
    /// The file holds no TEI `text`, so no documents.
    #[error("no <text> element: the TEI file holds no documents")]
    NoText,
}

impl TeiError {
    /// The line and column the error points at, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            TeiError::NotText { line, column, .. }
            | TeiError::Xml { line, column, .. }
            | TeiError::NotTei { line, column, .. }
            | TeiError::TooDeep { line, column }
            | TeiError::UndefinedEntity { line, column, .. } => Some((*line, *column)),
            TeiError::Empty | TeiError::NoText => None,
        }
    }
}

/// Reads one TEI file.
///
/// `name` is the file's stem; it becomes the volume id when the TEI root has no `xml:id`.
pub fn read(bytes: &[u8], name: &str) -> Result<Reading, TeiError> {
    reader::read(bytes, name)
}
