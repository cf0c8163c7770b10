//! The Chancery document model.
//!
//! One model for every source: FRUS TEI volumes, other TEI documents and plain-text copies all
//! become [`Volume`]s of [`Document`]s. A document's [`Paper`] keeps its full content as a tree of
//! [`Node`]s in reading order — page breaks, footnotes, references and mentions stay exactly where
//! they stand — beside what readers and enrichers recognised in it: source note and file
//! numbers, heading with senders and addressees, number, dateline, salutation, signatures.
//!
//! Invariant: the model loses no text. [`text_content`] of a document returns every character
//! its source carried, in order (up to whitespace between blocks).

mod document;
mod links;
mod node;
mod source;
mod text;
mod volume;

pub use document::{
    Crumb, DateBounds, DateSource, Dateline, Document, FileNumber, Heading, Name, Paper, SourceNote,
};
pub use links::{Citation, CitationOrigin, MessageId, MessageRef, PersonRef, PersonRole, Series};
pub use node::{
    Block, BlockKind, DateNode, Inline, InlineKind, Mention, MentionKind, Node, Note, NoteKind,
    Other, PageBreak, Ref, Role,
};
pub use source::{column, line_col, number_line, salutation_prefix, Warning};
pub use text::{day_key, plain, plain_line, readable_text, text_content, IndexText};
pub use volume::{Editor, Entry, Titles, TocEntry, Volume};
