//! Search: queries with filters, relevance or date order, snippets and facet counts.

use std::ops::Bound;

use serde::Serialize;
use std::cmp::Reverse;
use tantivy::collector::{Count, MultiCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;

use tantivy::{DocAddress, DocId, Index, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::facets::FacetCounter;
use crate::index::{Fields, ANALYZER, FACET_FIELDS};
use crate::query::{self, Ast, Mode};
use crate::snippet::{Snippets, SNIPPET_BYTES};
use crate::{ArchiveError, Result};

/// The most hits one page of results may ask for.
pub const MAX_LIMIT: usize = 1000;
/// The deepest offset a search may ask for.
pub const MAX_OFFSET: usize = 100_000;
/// The longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Oldest first.
    Date,
    /// Newest first.
    DateDesc,
}

/// A search: a query and its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// Words, `"phrases"`, `AND`/`OR`/`NOT`, `-word`, `prefix*`, `field:value`; empty = all.
    pub query: String,
    /// Only this volume.
    pub volume: Option<String>,
    /// Only documents that may date from this day or later (`1936`, `1936-02`, `1936-02-13`).
    pub from: Option<String>,
    /// Only documents that may date from this day or earlier.
    pub to: Option<String>,
    /// Only documents sent by someone matching these words.
    pub author: Option<String>,
    /// Only documents addressed to someone matching these words.
    pub recipient: Option<String>,
    /// Only documents filed under this decimal-file class or number (`861.00B`).
    pub file: Option<String>,
    /// Only documents of this kind (`telegram`).
    pub kind: Option<String>,
    /// Only documents involving this person (cross-volume id, `hull-cordell`).
    pub person: Option<String>,
    /// Only documents filed under a file number of this country (as the decimal-file tables
    /// name it: `Egypt`).
    pub country: Option<String>,
    /// Only documents citing this volume, page or document (`frus1919Russia`,
    /// `frus1936v03/pg_387`, `frus1936v03/d12`).
    pub cites: Option<String>,
    /// Order of hits (a search without words is always in date order).
    pub sort: Sort,
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Whether to count facets.
    pub facets: bool,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many documents match in all.
    pub total: usize,
    /// This page's hits.
    pub hits: Vec<Hit>,
    /// Facet counts over all matches, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// One matching document.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// `volume/id`.
    pub key: String,
    /// Volume id.
    pub volume: String,
    /// Document id.
    pub id: String,
    /// Heading.
    pub heading: String,
    /// Earliest date, as recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Document kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Source note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// BM25 score (relevance order only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// A passage with the matched words.
    pub snippet: Snippet,
}

/// A passage of text with highlighted byte ranges.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The passage with each match wrapped in `open` … `close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut last = 0;
        for &(a, b) in &self.highlights {
            out.push_str(&self.text[last..a]);
            out.push_str(open);
            out.push_str(&self.text[a..b]);
            out.push_str(close);
            last = b;
        }
        out.push_str(&self.text[last..]);
        out
    }
}

/// Counts of matching documents by facet value, most frequent first (years in order).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By year of the earliest date.
    pub year: Vec<(String, u64)>,
    /// By volume.
    pub volume: Vec<(String, u64)>,
    /// By sender.
    pub author: Vec<(String, u64)>,
    /// By addressee.
    pub recipient: Vec<(String, u64)>,
    /// By document kind.
    pub kind: Vec<(String, u64)>,
    /// By top-level file class (`8`, `7` …).
    pub file: Vec<(String, u64)>,
    /// By person involved (cross-volume id).
    pub person: Vec<(String, u64)>,
    /// By country of the file numbers.
    pub country: Vec<(String, u64)>,
}

const FACET_TOP: usize = 20;

pub(crate) struct Searching<'a> {
    pub index: &'a Index,
    pub fields: &'a Fields,
    pub searcher: Searcher,
}

impl Searching<'_> {
    fn analyzer(&self) -> TextAnalyzer {
        self.index
            .tokenizers()
            .get(ANALYZER)
            .unwrap_or_else(|| TextAnalyzer::from(tantivy::tokenizer::SimpleTokenizer::default()))
    }

    /// Parses user text into a query over `targets` (field, boost).
    fn user_query(&self, text: &str, targets: &[(Field, f32)]) -> Result<Box<dyn Query>> {
        let ast = query::parse(text).map_err(|e| ArchiveError::Query {
            query: text.to_string(),
            message: e.to_string(),
        })?;
        let mut c = Compiler {
            fields: self.fields,
            analyzer: self.analyzer(),
            targets,
            query: text,
        };
        Ok(c.compile(&ast)?.unwrap_or_else(|| Box::new(AllQuery)))
    }

    pub fn query(&self, req: &SearchRequest) -> Result<Box<dyn Query>> {
        let f = self.fields;
        if req.query.len() > MAX_QUERY_BYTES {
            return Err(ArchiveError::Query {
                query: req.query.chars().take(40).collect::<String>() + "…",
                message: format!("query longer than {MAX_QUERY_BYTES} bytes"),
            });
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let q = req.query.trim();
        if !q.is_empty() {
            let targets = [
                (f.heading, 3.0),
                (f.body, 1.0),
                (f.notes, 0.5),
                (f.source, 1.5),
            ];
            clauses.push((Occur::Must, self.user_query(q, &targets)?));
        }
        if let Some(v) = &req.volume {
            clauses.push((Occur::Must, term(f.volume, v)));
        }
        if let Some(k) = &req.kind {
            clauses.push((Occur::Must, term(f.kind, &k.to_lowercase())));
        }
        for (value, field) in [
            (&req.person, f.person),
            (&req.country, f.country),
            (&req.cites, f.cites),
        ] {
            if let Some(v) = value {
                clauses.push((Occur::Must, term(field, v.trim())));
            }
        }
        if let Some(file) = &req.file {
            let key = file.trim().replace(['–', '—'], "-");
            clauses.push((Occur::Must, term(f.file, &key)));
        }
        for (words, field) in [(&req.author, f.author), (&req.recipient, f.recipient)] {
            if let Some(w) = words {
                clauses.push((Occur::Must, self.user_query(&escape(w), &[(field, 1.0)])?));
            }
        }
        if let Some(from) = &req.from {
            let k = date_arg(from, false)?;
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.date_max, k)),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some(to) = &req.to {
            let k = date_arg(to, true)?;
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.date_min, k)),
                )),
            ));
        }
        Ok(match clauses.len() {
            0 => Box::new(AllQuery),
            1 => clauses
                .pop()
                .map(|(_, q)| q)
                .unwrap_or_else(|| Box::new(AllQuery)),
            _ => Box::new(BooleanQuery::new(clauses)),
        })
    }

    pub fn run(&self, req: &SearchRequest) -> Result<SearchResults> {
        if req.offset > MAX_OFFSET {
            return Err(ArchiveError::Query {
                query: req.query.clone(),
                message: format!("offset {} is beyond the limit of {MAX_OFFSET}", req.offset),
            });
        }
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let query = self.query(req)?;
        let f = self.fields;
        let top = TopDocs::with_limit(limit).and_offset(req.offset);

        let mut multi = MultiCollector::new();
        let count = multi.add_collector(Count);
        let facet_handle = req.facets.then(|| {
            multi.add_collector(FacetCounter {
                fields: FACET_FIELDS.to_vec(),
            })
        });
        // Without words there is nothing to rank: list in date order.
        let sort = if req.query.trim().is_empty() && req.sort == Sort::Relevance {
            Sort::Date
        } else {
            req.sort
        };
        // Hits of equal score or date come in the order of a number fixed by their key, so
        // every node (whatever its segments) gives the same pages.
        let column = |r: &SegmentReader, name: &str| r.fast_fields().u64(name).ok();
        let (addrs, mut fruit): (Vec<(Option<f32>, DocAddress)>, _) = match sort {
            Sort::Relevance => {
                let ranked = top.tweak_score(move |r: &SegmentReader| {
                    let tie = column(r, "tie");
                    move |doc: DocId, score: Score| {
                        let t = tie.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                        (score, Reverse(t))
                    }
                });
                let (hits, fruit) = self.searcher.search(&query, &(ranked, multi))?;
                (
                    hits.into_iter().map(|((s, _), a)| (Some(s), a)).collect(),
                    fruit,
                )
            }
            Sort::Date | Sort::DateDesc => {
                let ascending = sort == Sort::Date;
                let dated = top.order_by(move |r: &SegmentReader| {
                    let tie = column(r, "tie");
                    let dates = r.fast_fields().i64("date_min").ok();
                    move |doc: DocId| {
                        let t = tie.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                        let d = dates.as_ref().and_then(|c| c.first(doc));
                        // Highest key first: dates negated for oldest first (day keys are
                        // small), undated documents last either way.
                        let primary = match d {
                            Some(d) if ascending => -d,
                            Some(d) => d,
                            None => i64::MIN,
                        };
                        (primary, Reverse(t))
                    }
                });
                let (hits, fruit) = self.searcher.search(&query, &(dated, multi))?;
                (hits.into_iter().map(|(_, a)| (None, a)).collect(), fruit)
            }
        };
        let total = count.extract(&mut fruit);
        let facets = facet_handle.map(|h| {
            let mut maps = h.extract(&mut fruit).into_iter().map(|m| {
                let mut v: Vec<(String, u64)> = m.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v
            });
            let mut next = || maps.next().unwrap_or_default();
            let top = |mut v: Vec<(String, u64)>| {
                v.truncate(FACET_TOP);
                v
            };
            let (volume, author, recipient, kind, file) = (next(), next(), next(), next(), next());
            let (person, country) = (next(), next());
            let mut year = next();
            year.sort();
            Facets {
                year,
                volume: top(volume),
                author: top(author),
                recipient: top(recipient),
                kind: top(kind),
                file: top(file),
                person: top(person),
                country: top(country),
            }
        });

        let snippets = if req.query.trim().is_empty() {
            None
        } else {
            Some(Snippets::create(
                &self.searcher,
                &*query,
                f.body,
                self.analyzer(),
                SNIPPET_BYTES,
            )?)
        };
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
            let snippet = match &snippets {
                Some(g) => g.snippet(body).unwrap_or_else(|| lead(body)),
                None => lead(body),
            };
            let date = get(f.date);
            let kind = get(f.kind);
            hits.push(Hit {
                key: get(f.key),
                volume: get(f.volume),
                id: get(f.id),
                heading: get(f.heading),
                date: (!date.is_empty()).then_some(date),
                kind: (!kind.is_empty()).then_some(kind),
                source: get(f.source),
                score,
                snippet,
            });
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The first words of a text, as a snippet without highlights.
fn lead(body: &str) -> Snippet {
    let mut end = body.len().min(200);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let end = if end < body.len() {
        body[..end].rfind(' ').unwrap_or(end)
    } else {
        end
    };
    Snippet {
        text: body[..end].to_string(),
        highlights: Vec::new(),
    }
}

/// Quotes query syntax out of a filter's words so that they are matched as plain words.
fn escape(words: &str) -> String {
    words
        .split_whitespace()
        .map(|w| {
            let clean: String = w
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '’' || *c == '.')
                .collect();
            format!("\"{clean}\"")
        })
        .filter(|w| w.len() > 2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn date_arg(s: &str, end: bool) -> Result<i64> {
    chancery_model::day_key(s, end).ok_or_else(|| ArchiveError::Query {
        query: s.to_string(),
        message: format!("'{s}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    })
}

/// Turns a parsed query into a tantivy query over the targeted fields.
struct Compiler<'a> {
    fields: &'a Fields,
    analyzer: TextAnalyzer,
    targets: &'a [(Field, f32)],
    query: &'a str,
}

impl Compiler<'_> {
    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        stream.process(&mut |t| out.push(t.text.clone()));
        out
    }

    fn error(&self, message: String) -> ArchiveError {
        ArchiveError::Query {
            query: self.query.to_string(),
            message,
        }
    }

    fn compile(&mut self, ast: &Ast) -> Result<Option<Box<dyn Query>>> {
        match ast {
            Ast::Word {
                field,
                text,
                prefix,
            } => self.leaf(field.as_deref(), text, *prefix, None),
            Ast::Phrase { field, text, slop } => {
                self.leaf(field.as_deref(), text, false, Some(*slop))
            }
            Ast::Or(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    if let Some(q) = self.compile(p)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                Ok((!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as _))
            }
            Ast::And(parts) => {
                let mut clauses = Vec::new();
                for (mode, p) in parts {
                    if let Some(q) = self.compile(p)? {
                        let occur = match mode {
                            Mode::Must => Occur::Must,
                            Mode::MustNot => Occur::MustNot,
                        };
                        clauses.push((occur, q));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                if clauses.len() == 1 {
                    return Ok(clauses.pop().map(|(_, q)| q));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
        }
    }

    /// A word, prefix or phrase over the targeted fields (or the one it names).
    fn leaf(
        &mut self,
        field: Option<&str>,
        text: &str,
        prefix: bool,
        phrase: Option<u32>,
    ) -> Result<Option<Box<dyn Query>>> {
        let f = self.fields;
        let named: Vec<(Field, f32)>;
        let targets: &[(Field, f32)] = match field {
            None => self.targets,
            Some("volume") => return Ok(Some(term(f.volume, text))),
            Some("kind") => return Ok(Some(term(f.kind, &text.to_lowercase()))),
            Some("file") => return Ok(Some(term(f.file, &text.replace(['–', '—'], "-")))),
            Some("person") => return Ok(Some(term(f.person, text))),
            Some("country") => return Ok(Some(term(f.country, text))),
            Some("cites") => return Ok(Some(term(f.cites, text))),
            Some("message") => return Ok(Some(term(f.message, text))),
            Some("answers") => return Ok(Some(term(f.answers, text))),
            Some(name) => {
                let field = match name {
                    "heading" => f.heading,
                    "body" => f.body,
                    "notes" => f.notes,
                    "source" => f.source,
                    "author" => f.author,
                    _ => f.recipient,
                };
                named = vec![(field, 1.0)];
                &named
            }
        };
        let tokens = self.tokens(text);
        if tokens.is_empty() {
            return Ok(None);
        }
        if prefix && tokens.last().is_some_and(|t| t.chars().count() < 2) {
            return Err(self.error(format!("'{text}*': a prefix needs at least two letters")));
        }
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in targets {
            let terms: Vec<Term> = tokens
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            let q: Box<dyn Query> = if prefix && tokens.len() == 1 {
                let pattern: String = tokens[0]
                    .chars()
                    .flat_map(|c| {
                        let esc = !c.is_alphanumeric();
                        esc.then_some('\\').into_iter().chain(std::iter::once(c))
                    })
                    .chain(".*".chars())
                    .collect();
                Box::new(
                    RegexQuery::from_pattern(&pattern, field)
                        .map_err(|e| self.error(e.to_string()))?,
                )
            } else if prefix {
                Box::new(PhrasePrefixQuery::new(terms))
            } else if tokens.len() > 1 {
                let mut pq = PhraseQuery::new(terms);
                pq.set_slop(phrase.unwrap_or(0));
                Box::new(pq)
            } else if phrase.is_some() {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                let variants = query::inflections(&tokens[0]);
                if variants.len() == 1 {
                    Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(BooleanQuery::new(
                        variants
                            .iter()
                            .map(|v| {
                                let q: Box<dyn Query> = Box::new(TermQuery::new(
                                    Term::from_field_text(field, v),
                                    IndexRecordOption::WithFreqs,
                                ));
                                (Occur::Should, q)
                            })
                            .collect(),
                    ))
                }
            };
            let q: Box<dyn Query> = if (boost - 1.0).abs() > f32::EPSILON {
                Box::new(BoostQuery::new(q, boost))
            } else {
                q
            };
            per_field.push((Occur::Should, q));
        }
        Ok(Some(if per_field.len() == 1 {
            per_field
                .pop()
                .map(|(_, q)| q)
                .unwrap_or_else(|| Box::new(AllQuery))
        } else {
            Box::new(BooleanQuery::new(per_field))
        }))
    }
}
