//! The full-text index: a tantivy index derived from the catalog.
//!
//! Each commit carries the catalog change-log sequence it includes as its payload, so an index
//! that missed changes (a crash between the catalog's commit and the index's) catches up by
//! re-indexing the volumes changed since.

use std::path::Path;

use chancery_model::{day_key, Document, IndexText, MentionKind, Name};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::Result;

/// The analyzer used for all full-text fields: words, lower-cased, accents folded.
///
/// Words are not stemmed, so phrases and prefixes match exactly; queries add inflections.
pub const ANALYZER: &str = "chancery";

/// The index's fields.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub volume: Field,
    pub id: Field,
    pub heading: Field,
    pub body: Field,
    pub notes: Field,
    pub source: Field,
    pub author: Field,
    pub recipient: Field,
    pub date: Field,
    pub date_min: Field,
    pub date_max: Field,
    pub file: Field,
    pub kind: Field,
    pub f_author: Field,
    pub f_recipient: Field,
    pub f_file: Field,
    pub cites: Field,
    pub message: Field,
    pub answers: Field,
    pub person: Field,
    pub country: Field,
    pub tie: Field,
}

/// The version of the index layout; an index of another version is rebuilt from the catalog.
pub(crate) const INDEX_VERSION: &str = "5";

/// String fast fields counted as facets, in the order `Facets` lists them (years come last).
pub(crate) const FACET_FIELDS: [&str; 7] = [
    "volume",
    "f_author",
    "f_recipient",
    "kind",
    "f_file",
    "person",
    "country",
];

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let date = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        volume: b.add_text_field("volume", STRING | STORED | FAST),
        id: b.add_text_field("id", STORED),
        heading: b.add_text_field("heading", text(true)),
        body: b.add_text_field("body", text(true)),
        notes: b.add_text_field("notes", text(false)),
        source: b.add_text_field("source", text(true)),
        author: b.add_text_field("author", text(false)),
        recipient: b.add_text_field("recipient", text(false)),
        date: b.add_text_field("date", STORED),
        date_min: b.add_i64_field("date_min", date.clone()),
        date_max: b.add_i64_field("date_max", date),
        file: b.add_text_field("file", STRING),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        f_author: b.add_text_field("f_author", FAST),
        f_recipient: b.add_text_field("f_recipient", FAST),
        f_file: b.add_text_field("f_file", FAST),
        cites: b.add_text_field("cites", STRING),
        message: b.add_text_field("message", STRING),
        answers: b.add_text_field("answers", STRING),
        person: b.add_text_field("person", STRING | FAST),
        country: b.add_text_field("country", STRING | FAST),
        tie: b.add_u64_field("tie", FAST),
    };
    (b.build(), fields)
}

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Opens the index in `dir`, creating it when absent.
pub(crate) fn open(dir: &Path) -> Result<(Index, Fields)> {
    std::fs::create_dir_all(dir)?;
    let (schema, fields) = schema();
    let mmap = tantivy::directory::MmapDirectory::open(dir)?;
    let index = Index::open_or_create(mmap, schema)?;
    index.tokenizers().register(ANALYZER, analyzer());
    Ok((index, fields))
}

/// The catalog change-log sequence the last commit included.
pub(crate) fn committed_seq(index: &Index) -> Result<i64> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .and_then(|p| p.strip_prefix("seq=").and_then(|s| s.parse().ok()))
        .unwrap_or(0))
}

/// Commits the writer, recording the catalog sequence included.
pub(crate) fn commit(writer: &mut IndexWriter, seq: i64) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&format!("seq={seq}"));
    prepared.commit()?;
    Ok(())
}

/// Removes a volume's documents from the index.
pub(crate) fn delete_volume(writer: &IndexWriter, fields: &Fields, volume: &str) {
    writer.delete_term(Term::from_field_text(fields.volume, volume));
}

fn name_text(n: &Name) -> String {
    match &n.office {
        Some(o) => format!("{} {}", n.text, o),
        None => n.text.clone(),
    }
}

/// The name under which a sender or addressee is counted in facets.
pub fn facet_name(n: &Name) -> String {
    if n.kind == MentionKind::Person {
        n.text.clone()
    } else {
        n.text
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .to_string()
    }
}

/// A number fixed by a document's key, that orders hits of equal score or date the same way
/// on every node, whatever the segments the documents landed in.
pub(crate) fn tie_breaker(key: &str) -> u64 {
    let hash = blake3::hash(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The same message with its channel unknown, as a reference naming no channel keys it.
pub(crate) fn any_channel(m: &chancery_model::MessageId) -> chancery_model::MessageId {
    let mut m = m.clone();
    m.series.channel = None;
    m
}

/// The tantivy document for a model document.
pub(crate) fn to_index_doc(fields: &Fields, doc: &Document) -> TantivyDocument {
    let t = IndexText::of(doc);
    let f = fields;
    let mut d = TantivyDocument::default();
    d.add_text(f.key, doc.key());
    d.add_u64(f.tie, tie_breaker(&doc.key()));
    d.add_text(f.volume, &doc.volume);
    d.add_text(f.id, &doc.id);
    d.add_text(f.heading, &t.heading);
    d.add_text(f.body, &t.body);
    d.add_text(f.notes, &t.notes);
    d.add_text(f.source, &t.source);
    if let Some(h) = &doc.paper.heading {
        for s in &h.senders {
            d.add_text(f.author, name_text(s));
            d.add_text(f.f_author, facet_name(s));
        }
        for a in &h.addressees {
            d.add_text(f.recipient, name_text(a));
            d.add_text(f.f_recipient, facet_name(a));
        }
    }
    if let Some(min) = &doc.dates.min {
        d.add_text(f.date, min);
        if let Some(k) = day_key(min, false) {
            d.add_i64(f.date_min, k);
        }
    }
    if let Some(k) = doc.dates.max.as_deref().and_then(|m| day_key(m, true)) {
        d.add_i64(f.date_max, k);
    }
    if let Some(kind) = &doc.kind {
        d.add_text(f.kind, kind);
    }
    let year = chancery_enrich::document_year(doc);
    let mut countries = Vec::new();
    if let Some(sn) = &doc.paper.source_note {
        for fnum in &sn.file_numbers {
            if let Some(decoded) = chancery_enrich::decode(fnum, year) {
                for c in decoded.country.iter().chain(&decoded.second_country) {
                    if !countries.contains(&c.label) {
                        countries.push(c.label);
                    }
                }
            }
            let prefixes = chancery_enrich::file_number::file_class_prefixes(&fnum.key);
            if let Some(item) = &fnum.item {
                d.add_text(f.file, format!("{}/{}", fnum.key, item));
            }
            for p in &prefixes {
                d.add_text(f.file, p);
            }
            if let Some(class) = prefixes.first() {
                d.add_text(f.f_file, class);
            }
        }
    }
    for c in countries {
        d.add_text(f.country, c);
    }
    for c in &doc.citations {
        d.add_text(f.cites, c.target_key());
        if c.document.is_some() || c.page.is_some() {
            d.add_text(f.cites, &c.volume);
        }
    }
    if let Some(m) = doc.message.as_ref().filter(|m| !m.series.post.is_empty()) {
        d.add_text(f.message, m.key());
        // References that name no channel (`my No. 282`) ask for any channel.
        if m.series.channel.is_some() {
            d.add_text(f.message, any_channel(m).key());
        }
    }
    for m in doc
        .messages
        .iter()
        .filter(|m| !m.message.series.post.is_empty())
    {
        d.add_text(f.answers, m.message.key());
    }
    let mut people: Vec<&str> = doc.people.iter().map(|p| p.person.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    for p in people {
        d.add_text(f.person, p);
    }
    d
}
