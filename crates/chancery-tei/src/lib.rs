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

/// The byte range of document `id`'s `div type="document"` in a TEI file, start tag to end
/// tag, for showing a document's TEI as published. Documents without an `xml:id` are found by
/// the id the reader gives them (`d1`, `d2` … by position). `None` when there is no such
/// document or the file is not well-formed up to its end.
pub fn document_span(bytes: &[u8], id: &str) -> Option<std::ops::Range<usize>> {
    use quick_xml::events::Event;
    let src = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let offset = bytes.len() - src.len();
    let mut xml = quick_xml::Reader::from_str(src);
    let (mut depth, mut documents) = (0usize, 0usize);
    let mut open: Option<(usize, usize)> = None;
    loop {
        let before = xml.buffer_position() as usize;
        match xml.read_event().ok()? {
            Event::Start(e) => {
                depth += 1;
                if open.is_none() && e.local_name().as_ref() == "div" {
                    let attr = |name: &str| {
                        e.attributes().flatten().find_map(|a| {
                            (a.key.as_ref() == name).then(|| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map(|v| v.into_owned())
                                    .unwrap_or_default()
                            })
                        })
                    };
                    if attr("type").as_deref() == Some("document") {
                        documents += 1;
                        let own = attr("xml:id").unwrap_or_else(|| format!("d{documents}"));
                        if own == id {
                            open = Some((before, depth));
                        }
                    }
                }
            }
            Event::End(_) => {
                if let Some((start, d)) = open {
                    if d == depth {
                        let end = xml.buffer_position() as usize;
                        return Some(offset + start..offset + end);
                    }
                }
                depth = depth.checked_sub(1)?;
            }
            Event::Empty(e)
                if e.local_name().as_ref() == "div"
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "type" && &*a.value == "document") =>
            {
                documents += 1;
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}
