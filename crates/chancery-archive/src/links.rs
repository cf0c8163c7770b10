//! Links between documents, resolved against what the archive holds now: citations of volumes,
//! pages and documents, "referenced by", and correspondence threads (what a message answers and
//! what answered it).
//!
//! Documents store computed targets (see `chancery_model::Citation` and `MessageId`); the index
//! holds them as terms (`cites`, `message`, `answers`), so resolving is a few term lookups and
//! a volume added later resolves the citations made to it without touching the citing documents.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use chancery_model::{Citation, Document, MessageRef};

use crate::{Archive, Result};

/// The most documents listed as citing or answering one document.
const MAX_LINKS: usize = 500;

/// A document as a link shows it: key, heading and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// `volume/id`.
    pub key: String,
    /// Heading.
    pub heading: String,
    /// Earliest date, as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// What a citation points at in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// A document of the archive.
    Document,
    /// A printed page of a volume of the archive (the documents on it are the targets).
    Page,
    /// A volume of the archive.
    Volume,
    /// The volume is in the archive but not the page or document cited.
    Missing,
    /// The volume is not in the archive; the citation keeps its computed id.
    NotInArchive,
}

/// A citation with what it resolves to.
#[derive(Debug, Clone, Serialize)]
pub struct CitationLink {
    /// The citation as recorded.
    pub citation: Citation,
    /// What it points at.
    pub resolution: Resolution,
    /// The documents it points at (one for a document, those on the page for a page).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// A reference to an earlier message with the document it names, when found.
#[derive(Debug, Clone, Serialize)]
pub struct MessageLink {
    /// The reference as recorded.
    pub reference: MessageRef,
    /// The document it names: same series, same number, date consistent; `None` when no such
    /// document is in the archive or several fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<DocRef>,
    /// How many documents of the archive carry that series and number.
    pub candidates: usize,
}

/// A document's place in its correspondence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Thread {
    /// The earlier messages it refers to, resolved where possible.
    pub answers: Vec<MessageLink>,
    /// Later documents that refer to it by its number.
    pub answered_by: Vec<DocRef>,
}

/// The day part (`YYYY-MM-DD`) of an ISO date, when it has one.
fn day(date: &str) -> Option<&str> {
    date.get(..10).filter(|d| d.get(4..5) == Some("-"))
}

/// Days since an arbitrary epoch, for "within a year" checks.
fn day_number(date: &str) -> Option<i64> {
    let d = day(date)?;
    let y: i64 = d[..4].parse().ok()?;
    let m: i64 = d[5..7].parse().ok()?;
    let dd: i64 = d[8..10].parse().ok()?;
    Some(y * 372 + m * 31 + dd)
}

impl Archive {
    fn term_query(&self, field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    /// Whether the index holds any document with this term.
    fn has_term(&self, field: Field, value: &str) -> Result<bool> {
        Ok(self
            .reader
            .searcher()
            .doc_freq(&Term::from_field_text(field, value))?
            > 0)
    }

    /// The documents matching `query`, oldest first.
    fn doc_refs(&self, query: &dyn Query) -> Result<Vec<DocRef>> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(MAX_LINKS)
            .order_by_fast_field::<i64>("date_min", tantivy::Order::Asc);
        let hits = searcher.search(query, &top)?;
        let mut out = Vec::with_capacity(hits.len());
        for (_, addr) in hits {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            out.push(DocRef {
                key: get(self.fields.key).unwrap_or_default(),
                heading: get(self.fields.heading).unwrap_or_default(),
                date: get(self.fields.date),
            });
        }
        Ok(out)
    }

    /// Resolves each of a document's citations against the archive.
    pub fn resolve_citations(&self, doc: &Document) -> Result<Vec<CitationLink>> {
        let mut out = Vec::with_capacity(doc.citations.len());
        for c in &doc.citations {
            let (resolution, targets) = if !self.has_term(self.fields.volume, &c.volume)? {
                (Resolution::NotInArchive, Vec::new())
            } else if let Some(id) = &c.document {
                let key = format!("{}/{id}", c.volume);
                if self.has_term(self.fields.key, &key)? {
                    (Resolution::Document, vec![key])
                } else {
                    (Resolution::Missing, Vec::new())
                }
            } else if let Some(page) = &c.page {
                let on = self.documents_on_page(&c.volume, page)?;
                if on.is_empty() {
                    (Resolution::Missing, Vec::new())
                } else {
                    let keys = on.iter().map(|id| format!("{}/{id}", c.volume)).collect();
                    (Resolution::Page, keys)
                }
            } else {
                (Resolution::Volume, Vec::new())
            };
            out.push(CitationLink {
                citation: c.clone(),
                resolution,
                targets,
            });
        }
        Ok(out)
    }

    /// The documents that cite `doc`: by its key or by a printed page it covers; oldest first,
    /// `doc` itself left out.
    pub fn cited_by(&self, doc: &Document) -> Result<Vec<DocRef>> {
        let f = self.fields.cites;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, self.term_query(f, &doc.key()))];
        for page in doc.pages() {
            clauses.push((
                Occur::Should,
                self.term_query(f, &format!("{}/pg_{page}", doc.volume)),
            ));
        }
        let key = doc.key();
        Ok(self
            .doc_refs(&BooleanQuery::new(clauses))?
            .into_iter()
            .filter(|d| d.key != key)
            .collect())
    }

    /// The documents that cite a volume (anywhere in it), oldest first.
    pub fn volume_cited_by(&self, volume: &str) -> Result<Vec<DocRef>> {
        Ok(self
            .doc_refs(&*self.term_query(self.fields.cites, volume))?
            .into_iter()
            .filter(|d| !d.key.starts_with(&format!("{volume}/")))
            .collect())
    }

    /// A document's correspondence thread: what it answers ([`Archive::answers`]) and what
    /// answered it ([`Archive::answered_by`]).
    pub fn thread(&self, doc: &Document) -> Result<Thread> {
        Ok(Thread {
            answers: self.answers(doc)?,
            answered_by: self.answered_by(doc)?,
        })
    }

    /// The messages a document refers to by number, each with the document that is that
    /// message when the archive holds exactly one that fits (same series and number; the date
    /// it gives, or within the year before).
    pub fn answers(&self, doc: &Document) -> Result<Vec<MessageLink>> {
        let latest = doc.dates.max.as_deref().or(doc.dates.min.as_deref());
        let mut answers = Vec::with_capacity(doc.messages.len());
        for r in &doc.messages {
            if r.message.series.post.is_empty() {
                // A message of an unknown post: nothing to look for.
                answers.push(MessageLink {
                    reference: r.clone(),
                    target: None,
                    candidates: 0,
                });
                continue;
            }
            let candidates = self
                .doc_refs(&*self.term_query(self.fields.message, &r.message.key()))?
                .into_iter()
                .filter(|c| c.key != doc.key())
                .collect::<Vec<_>>();
            let n = candidates.len();
            let fits: Vec<DocRef> = candidates
                .into_iter()
                .filter(|c| message_fits(c.date.as_deref(), r.date.as_deref(), latest))
                .collect();
            answers.push(MessageLink {
                reference: r.clone(),
                target: (fits.len() == 1).then(|| fits.into_iter().next()).flatten(),
                candidates: n,
            });
        }
        Ok(answers)
    }

    /// The later documents that refer to a document by its series and number, with a date
    /// that fits it; oldest first.
    pub fn answered_by(&self, doc: &Document) -> Result<Vec<DocRef>> {
        let mut answered_by = Vec::new();
        if let Some(own) = &doc.message {
            let keys = [own.key(), crate::index::any_channel(own).key()];
            let own_date = doc.dates.min.as_deref();
            let query = BooleanQuery::new(
                keys.iter()
                    .map(|k| (Occur::Should, self.term_query(self.fields.answers, k)))
                    .collect(),
            );
            for later in self.doc_refs(&query)? {
                if later.key == doc.key() {
                    continue;
                }
                let Some(citing) = self.document(&later.key)? else {
                    continue;
                };
                let citing_latest = citing.dates.max.as_deref().or(citing.dates.min.as_deref());
                let refers = citing.messages.iter().any(|r| {
                    keys.contains(&r.message.key())
                        && message_fits(own_date, r.date.as_deref(), citing_latest)
                });
                if refers {
                    answered_by.push(later);
                }
            }
        }
        Ok(answered_by)
    }
}

/// Whether a message dated `candidate` can be the one a reference names: on the day the
/// reference gives, else within the year before the citing document; never after it.
fn message_fits(candidate: Option<&str>, given: Option<&str>, citing_latest: Option<&str>) -> bool {
    let Some(cand) = candidate.and_then(day_number) else {
        return false;
    };
    if let Some(latest) = citing_latest.and_then(day_number) {
        if cand > latest {
            return false;
        }
    }
    match given.and_then(day) {
        Some(g) => candidate.and_then(day) == Some(g),
        None => citing_latest
            .and_then(day_number)
            .is_none_or(|latest| latest - cand <= 372),
    }
}

#[cfg(test)]
mod tests {
    use super::message_fits;

    #[test]
    fn messages_fit_by_day_or_within_the_year_before() {
        let at = Some("1938-02-20");
        assert!(message_fits(Some("1938-02-18"), Some("1938-02-18"), at));
        assert!(!message_fits(Some("1938-02-17"), Some("1938-02-18"), at));
        assert!(message_fits(Some("1937-12-31T16:00:00-05:00"), None, at));
        assert!(!message_fits(Some("1936-12-31"), None, at));
        assert!(
            !message_fits(Some("1938-03-01"), None, at),
            "not after the citing document"
        );
        assert!(
            !message_fits(None, None, at),
            "an undated candidate cannot be checked"
        );
    }
}
