//! Enrichers: what Chancery understands about a document beyond its text.
//!
//! * [`file_number`]: State Department file numbers in source notes, in every era's form, with
//!   the channel a note names (`: Telegram`), date items (`/3–2345` is 23 March 1945) and the
//!   prefixes of a key's class tree for prefix search.
//! * [`decimal`]: the decimal-file code tables (1910–1963), compiled into the binary, and the
//!   decoding of a key with the schedule of the document's own year.
//! * [`enrich`]: fills a [`Document`]'s source notes (file numbers with glosses, channel) and,
//!   when the evidence names it, its kind.
//!
//! * [`citations`]: citations of FRUS volumes, pages and documents, from `ref` targets and text.
//! * [`dates`]: dates written in datelines, for documents without machine-readable dates.
//! * [`threads`]: a document's own place in a numbered series of messages and its references
//!   to earlier messages by number; [`enrich_volume`] completes them and infers dates.
//!
//! Enrichment only adds: text stays as written, and running it twice gives the same document.

#![warn(missing_docs)]

pub mod citations;
pub mod dates;
pub mod decimal;
pub mod file_number;
mod kind;
pub mod threads;

use chancery_model::{DateBounds, DateSource, Document, Node, Paper};

pub use decimal::{decode, schedule, Code, Decoded, Schedule};
pub use file_number::{channel, file_class_prefixes, item_date, parse};

/// Enriches a document in place.
///
/// For its own paper and every enclosure (at any depth) that has a source note: sets the
/// note's file numbers (each glossed with the schedule of the document's year, see
/// [`document_year`]) and, when unset, its channel. Then sets `kind`, when unset, from the
/// evidence: the TEI subtype (`editorial-note`), the heading (`Telegram From …`, `Memorandum of
/// Conversation`), the channel (`telegram`), or a despatch number with the heading's sender
/// (`instruction` from the Department, `despatch` from a post).
pub fn enrich(doc: &mut Document) {
    if doc.dates.min.is_none() && doc.dates.max.is_none() {
        let century = document_year(doc).map(|y| y / 100 * 100);
        if let Some(f) = doc
            .paper
            .dateline
            .as_ref()
            .and_then(|d| dates::find(&d.text, century))
        {
            doc.dates = DateBounds {
                min: Some(f.min),
                max: Some(f.max),
                source: Some(DateSource::Dateline),
                flag: None,
            };
        } else {
            // Kept as written; the reason it gives no date, when it says one.
            doc.dates.flag = doc
                .paper
                .dateline
                .as_ref()
                .and_then(|d| dates::flag(&d.text));
        }
    }
    let year = document_year(doc);
    enrich_paper(&mut doc.paper, year);
    if doc.kind.is_none() {
        doc.kind = kind::infer(doc).map(str::to_string);
    }
    threads::enrich(doc);
    doc.citations = citations::find(doc).citations;
}

/// Enriches a volume's documents together, after [`enrich`] has run on each: completes
/// correspondence threads with what one document cannot know alone (the post of an addressee
/// named without an office), then infers date bounds for undated documents
/// ([`dates::infer_dates`]) and glosses their file numbers with the schedule of the inferred
/// year.
pub fn enrich_volume(docs: &mut [Document]) {
    threads::complete(docs);
    dates::infer_dates(docs);
    // A date inferred only now decides which schedule glosses the file numbers.
    for d in docs.iter_mut() {
        if d.dates.source == Some(DateSource::Inferred) {
            let year = document_year(d);
            enrich_paper(&mut d.paper, year);
        }
    }
}

/// The year whose schedule glosses a document's file numbers: the first four characters of
/// `dates.min`; for an undated document, the year of its volume (`frus1936v03`, `frus1952-54Guat`)
/// when every year the volume covers falls under one schedule, so that the choice cannot
/// matter; otherwise `None`, and the numbers stay unglossed.
pub fn document_year(doc: &Document) -> Option<i32> {
    let dated = doc
        .dates
        .min
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok());
    dated.or_else(|| {
        let digits = doc.volume.strip_prefix("frus")?;
        let first: i32 = digits.get(..4)?.parse().ok()?;
        let last = match digits[4..].strip_prefix('-') {
            Some(rest) => {
                let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
                match n.len() {
                    2 => first / 100 * 100 + n.parse::<i32>().ok()?,
                    4 => n.parse().ok()?,
                    _ => return None,
                }
            }
            None => first,
        };
        let schedule = |y: i32| decimal::schedule(y).map(|s| s.id);
        (last >= first && schedule(first).is_some() && schedule(first) == schedule(last))
            .then_some(first)
    })
}

/// Fills the source notes of `paper` and of the enclosures inside it.
fn enrich_paper(paper: &mut Paper, year: Option<i32>) {
    if let Some(note) = paper.source_note.as_mut() {
        let (numbers, named) = file_number::read(&note.text);
        note.file_numbers = numbers
            .into_iter()
            .map(|mut f| {
                f.gloss = decode(&f, year).map(|d| d.gloss()).unwrap_or_default();
                f
            })
            .collect();
        if note.channel.is_none() {
            note.channel = named;
        }
    }
    for node in &mut paper.content {
        enrich_node(node, year);
    }
}

/// Finds the enclosures in a node tree and enriches them.
fn enrich_node(node: &mut Node, year: Option<i32>) {
    let children = match node {
        Node::Attachment(paper) => return enrich_paper(paper, year),
        Node::Block(b) => &mut b.children,
        Node::Inline(i) => &mut i.children,
        Node::Note(n) => &mut n.children,
        Node::Ref(r) => &mut r.children,
        Node::Mention(m) => &mut m.children,
        Node::Date(d) => &mut d.children,
        Node::Other(o) => &mut o.children,
        Node::Text { .. } | Node::LineBreak | Node::PageBreak(_) => return,
    };
    for child in children {
        enrich_node(child, year);
    }
}
