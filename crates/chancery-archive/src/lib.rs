//! The Chancery archive: one data folder holding an SQLite catalog and a tantivy index.
//!
//! ```text
//! DATA/
//!   catalog.sqlite   volumes, documents (model as JSON), pages, sources, change log
//!   index/           tantivy full-text index, derived from the catalog
//! ```
//!
//! Invariants:
//! - The catalog is the source of truth. Each volume is replaced in one SQLite transaction,
//!   so a volume is always either wholly old or wholly new.
//! - The index is derived. Its commits record the last catalog change they include; whoever
//!   opens the archive for writing first re-indexes the volumes changed since, so a crash at any
//!   point leaves an archive that opens, answers, and completes on the next run.

mod catalog;
mod facets;
mod index;
mod links;
pub use links::{CitationLink, DocRef, MessageLink, Resolution, Thread};
pub use chancery_query as query;
mod search;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chancery_model::{Document, Node, NoteKind, Volume};
use rusqlite::Connection;
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

pub use catalog::{Source, VolumeSummary, SCHEMA_VERSION};
pub use index::{facet_name, ANALYZER};
pub use search::{
    Facets, Hit, SearchRequest, SearchResults, Snippet, Sort, MAX_LIMIT, MAX_OFFSET,
    MAX_QUERY_BYTES,
};

/// What can go wrong in the archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The catalog database failed.
    #[error("catalog: {0}")]
    Catalog(#[from] rusqlite::Error),
    /// The full-text index failed.
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder could not be opened.
    #[error("index folder: {0}")]
    IndexDir(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A stored document could not be decoded.
    #[error("stored document: {0}")]
    Json(#[from] serde_json::Error),
    /// A file system error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The query could not be understood.
    #[error("query '{query}': {message}")]
    Query {
        /// The offending query or filter.
        query: String,
        /// What is wrong with it.
        message: String,
    },
    /// The archive was written by a newer Chancery.
    #[error("the catalog has schema version {found}, newer than this chancery supports ({supported}); upgrade chancery")]
    NewerSchema {
        /// Version found.
        found: i64,
        /// Newest version this build reads.
        supported: i64,
    },
    /// Another process is writing to the archive.
    #[error("another chancery process is writing to this archive (the index is locked); wait for it to finish")]
    Busy,
    /// A document key matched several documents.
    #[error("'{key}' is ambiguous: it is in {}; use VOLUME/ID", .volumes.join(", "))]
    Ambiguous {
        /// The key asked for.
        key: String,
        /// Volumes holding a document of that id.
        volumes: Vec<String>,
    },
}

/// Results of archive operations.
pub type Result<T, E = ArchiveError> = std::result::Result<T, E>;

/// An open archive.
pub struct Archive {
    dir: PathBuf,
    conn: Mutex<Connection>,
    index: Index,
    fields: index::Fields,
    reader: IndexReader,
}

/// What a data folder holds.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Volumes.
    pub volumes: u64,
    /// Documents.
    pub documents: u64,
    /// Printed pages covered by documents.
    pub pages: u64,
    /// Notes (footnotes and source notes).
    pub notes: u64,
    /// Entries of the volumes' persons lists.
    pub persons: u64,
    /// Documents in the full-text index.
    pub indexed: u64,
    /// Size of the index on disk, in bytes.
    pub index_bytes: u64,
    /// Size of the catalog on disk, in bytes.
    pub catalog_bytes: u64,
}

/// A node of the decimal-file class tree and how many documents are filed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileClass {
    /// The key (`8`, `861`, `861.00B`).
    pub key: String,
    /// Documents filed under it or below it.
    pub documents: u64,
}

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Volumes checked.
    pub volumes: u64,
    /// Documents checked.
    pub documents: u64,
    /// Problems found; empty when catalog and index agree.
    pub problems: Vec<String>,
}

/// What happened to a volume put into the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A new volume.
    Added,
    /// A volume that was there before, replaced.
    Replaced,
}

impl Archive {
    /// Opens the archive in `dir`, creating it when absent.
    pub fn open(dir: &Path) -> Result<Archive> {
        std::fs::create_dir_all(dir)?;
        let conn = catalog::open(&dir.join("catalog.sqlite"))?;
        let index_dir = dir.join("index");
        if catalog::meta(&conn, "index_version")?.as_deref() != Some(index::INDEX_VERSION) {
            // An index of another layout (or none): start it afresh; the first writer rebuilds
            // it from the catalog through the change log.
            if index_dir.exists() {
                tracing::info!("index layout changed: rebuilding the index from the catalog");
                std::fs::remove_dir_all(&index_dir)?;
            }
            catalog::set_meta(&conn, "index_version", index::INDEX_VERSION)?;
        }
        let (index, fields) = index::open(&index_dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            conn: Mutex::new(conn),
            index,
            fields,
            reader,
        })
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        match self
            .index
            .writer_with_num_threads(threads, 96_000_000 * threads)
        {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(ArchiveError::Busy),
            Err(e) => Err(e.into()),
        }
    }

    /// How many catalog changes the index has not yet taken in.
    pub fn index_lag(&self) -> Result<i64> {
        let committed = index::committed_seq(&self.index)?;
        let conn = self.conn();
        Ok(catalog::changed_since(&conn, committed)?.len() as i64)
    }

    /// Starts writing: takes the index lock and brings the index up to date with the catalog.
    pub fn ingest(&self) -> Result<Ingest<'_>> {
        let mut writer = self.writer()?;
        let seq = self.catch_up_with(&mut writer)?;
        Ok(Ingest {
            archive: self,
            writer,
            seq,
            uncommitted: 0,
        })
    }

    /// Re-indexes volumes the index missed; returns how many.
    fn catch_up_with(&self, writer: &mut IndexWriter) -> Result<i64> {
        let committed = index::committed_seq(&self.index)?;
        let (volumes, last) = {
            let conn = self.conn();
            (
                catalog::changed_since(&conn, committed)?,
                catalog::last_change(&conn)?,
            )
        };
        if volumes.is_empty() {
            return Ok(last);
        }
        tracing::info!(
            volumes = volumes.len(),
            "index is behind the catalog: re-indexing"
        );
        for v in &volumes {
            self.index_volume(writer, v)?;
        }
        index::commit(writer, last)?;
        self.reader.reload()?;
        Ok(last)
    }

    fn index_volume(&self, writer: &IndexWriter, volume: &str) -> Result<()> {
        index::delete_volume(writer, &self.fields, volume);
        let docs = catalog::volume_documents(&self.conn(), volume)?;
        for d in &docs {
            writer.add_document(index::to_index_doc(&self.fields, d))?;
        }
        Ok(())
    }

    /// Brings the index up to date when it lags the catalog and no one else is writing.
    pub fn catch_up(&self) -> Result<()> {
        if self.index_lag()? == 0 {
            return Ok(());
        }
        match self.writer() {
            Ok(mut w) => {
                self.catch_up_with(&mut w)?;
                Ok(())
            }
            Err(ArchiveError::Busy) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Rebuilds the whole index from the catalog; returns the documents indexed.
    pub fn reindex(&self) -> Result<u64> {
        let mut writer = self.writer()?;
        writer.delete_all_documents()?;
        let (ids, last) = {
            let conn = self.conn();
            (catalog::volume_ids(&conn)?, catalog::last_change(&conn)?)
        };
        let mut n = 0;
        for v in &ids {
            let docs = catalog::volume_documents(&self.conn(), v)?;
            for d in &docs {
                writer.add_document(index::to_index_doc(&self.fields, d))?;
            }
            n += docs.len() as u64;
        }
        index::commit(&mut writer, last)?;
        self.reader.reload()?;
        Ok(n)
    }

    /// Searches the archive.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        search::Searching {
            index: &self.index,
            fields: &self.fields,
            searcher: self.reader.searcher(),
        }
        .run(req)
    }

    /// A number that changes whenever searches may give other results (each time the index is
    /// reopened after a commit); results of equal requests under one generation are equal.
    pub fn index_generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// The decimal-file class tree below `parent` (its top level when `None`): each child key
    /// with the number of documents filed under it, in key order.
    pub fn file_tree(&self, parent: Option<&str>) -> Result<Vec<FileClass>> {
        let searcher = self.reader.searcher();
        let mut keys = std::collections::BTreeSet::new();
        let start = parent.unwrap_or("");
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.file)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(start.as_bytes())
                .into_stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !term.starts_with(start) {
                    break;
                }
                if term.contains('/') {
                    continue;
                }
                let chain = chancery_enrich::file_number::file_class_prefixes(term);
                let child = match parent {
                    None => chain.len() == 1,
                    Some(p) => chain.len() >= 2 && chain[chain.len() - 2] == p,
                };
                if child && chain.last().is_some_and(|l| l == term) {
                    keys.insert(term.to_string());
                }
            }
        }
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let q = tantivy::query::TermQuery::new(
                tantivy::Term::from_field_text(self.fields.file, &key),
                tantivy::schema::IndexRecordOption::Basic,
            );
            let documents = searcher.search(&q, &tantivy::collector::Count)? as u64;
            if documents > 0 {
                out.push(FileClass { key, documents });
            }
        }
        Ok(out)
    }

    /// A document by `VOLUME/ID`, or by `ID` alone when only one volume has it.
    pub fn document(&self, key: &str) -> Result<Option<Document>> {
        let conn = self.conn();
        if let Some((v, id)) = key.split_once('/') {
            return catalog::document(&conn, v, id);
        }
        let volumes = catalog::volumes_with_document(&conn, key)?;
        match volumes.as_slice() {
            [] => Ok(None),
            [v] => catalog::document(&conn, v, key),
            _ => Err(ArchiveError::Ambiguous {
                key: key.to_string(),
                volumes,
            }),
        }
    }

    /// Every document of a volume, in order; `None` when there is no such volume.
    pub fn volume_documents(&self, id: &str) -> Result<Option<Vec<Document>>> {
        if !self.volume_exists(id)? {
            return Ok(None);
        }
        catalog::volume_documents(&self.conn(), id).map(Some)
    }

    /// The file a volume was read from (path, content hash, size), when it came from a file.
    pub fn volume_source(&self, id: &str) -> Result<Option<Source>> {
        catalog::volume_source(&self.conn(), id)
    }

    /// A volume by id.
    pub fn volume(&self, id: &str) -> Result<Option<Volume>> {
        catalog::volume(&self.conn(), id)
    }

    /// The documents of `volume` that cover printed page `page` (as printed: `387`, `[II]`),
    /// by id in document order; empty when no document is on that page.
    pub fn documents_on_page(&self, volume: &str, page: &str) -> Result<Vec<String>> {
        catalog::documents_on_page(&self.conn(), volume, page)
    }

    /// Summaries of every volume.
    pub fn volumes(&self) -> Result<Vec<VolumeSummary>> {
        catalog::volumes(&self.conn())
    }

    /// Whether `source` is already in the archive with the same content.
    pub fn is_unchanged(&self, source: &Source) -> Result<bool> {
        catalog::unchanged(&self.conn(), source)
    }

    /// Counts of what the archive holds.
    pub fn stats(&self) -> Result<Stats> {
        let (volumes, documents, pages, notes) = catalog::totals(&self.conn())?;
        let mut persons = 0;
        let ids = catalog::volume_ids(&self.conn())?;
        for v in ids {
            if let Some(vol) = self.volume(&v)? {
                persons += vol.persons.len() as u64;
            }
        }
        Ok(Stats {
            volumes,
            documents,
            pages,
            notes,
            persons,
            indexed: self.reader.searcher().num_docs(),
            index_bytes: dir_size(&self.dir.join("index")),
            catalog_bytes: ["catalog.sqlite", "catalog.sqlite-wal"]
                .iter()
                .map(|f| std::fs::metadata(self.dir.join(f)).map_or(0, |m| m.len()))
                .sum(),
        })
    }

    /// Verifies that catalog and index agree, document by document.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        for problem in catalog::integrity(&self.conn())? {
            report.problems.push(format!("catalog: {problem}"));
        }
        let lag = self.index_lag()?;
        if lag > 0 {
            report.problems.push(format!(
                "index: {lag} volume(s) changed in the catalog are not yet indexed (run `chancery reindex`)"
            ));
        }
        let searcher = self.reader.searcher();
        let mut indexed = std::collections::HashMap::<String, u32>::new();
        for segment in searcher.segment_readers() {
            let store = match segment.get_store_reader(64) {
                Ok(s) => s,
                Err(e) => {
                    report
                        .problems
                        .push(format!("index: unreadable segment: {e}"));
                    continue;
                }
            };
            let alive = segment.alive_bitset();
            for doc_id in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc_id)) {
                    continue;
                }
                match store.get::<TantivyDocument>(doc_id) {
                    Ok(d) => {
                        let key = d
                            .get_first(self.fields.key)
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string();
                        *indexed.entry(key).or_default() += 1;
                    }
                    Err(e) => report
                        .problems
                        .push(format!("index: unreadable stored document: {e}")),
                }
            }
        }
        let ids = catalog::volume_ids(&self.conn())?;
        for v in &ids {
            report.volumes += 1;
            let doc_ids = catalog::document_ids(&self.conn(), v)?;
            for id in doc_ids {
                report.documents += 1;
                let key = format!("{v}/{id}");
                match indexed.remove(&key) {
                    Some(1) => {}
                    Some(n) => report.problems.push(format!("{key}: indexed {n} times")),
                    None => report
                        .problems
                        .push(format!("{key}: in the catalog, not in the index")),
                }
            }
        }
        let mut extra: Vec<_> = indexed.into_keys().collect();
        extra.sort();
        for key in extra {
            report
                .problems
                .push(format!("{key}: in the index, not in the catalog"));
        }
        Ok(report)
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// A writing session: volumes put into the catalog at once, into the index on commit.
pub struct Ingest<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    seq: i64,
    uncommitted: usize,
}

/// Documents indexed between index commits during a long ingest.
const COMMIT_EVERY: usize = 50_000;

impl Ingest<'_> {
    /// Replaces (or adds) a volume and its documents (see [`Ingest::put_prepared`]).
    pub fn put(
        &mut self,
        volume: &Volume,
        documents: Vec<Document>,
        source: Option<&Source>,
    ) -> Result<Outcome> {
        let prepared = self.archive.prepare(volume.clone(), documents)?;
        self.put_prepared(prepared, source)
    }

    /// Replaces (or adds) a volume prepared by [`Archive::prepare`].
    ///
    /// The catalog holds the new volume when this returns; the index holds it after the next
    /// commit (or, after a crash, after the next writer catches up).
    pub fn put_prepared(&mut self, prepared: Prepared, source: Option<&Source>) -> Result<Outcome> {
        let Prepared {
            volume,
            encoded,
            index_docs,
            counts,
        } = prepared;
        let existed = self.archive.volume_exists(&volume.id)?;
        self.seq =
            catalog::put_volume(&mut self.archive.conn(), &volume, &encoded, &counts, source)?;
        index::delete_volume(&self.writer, &self.archive.fields, &volume.id);
        let n = index_docs.len();
        for d in index_docs {
            self.writer.add_document(d)?;
        }
        self.uncommitted += n;
        if self.uncommitted >= COMMIT_EVERY {
            self.commit_now()?;
        }
        Ok(if existed {
            Outcome::Replaced
        } else {
            Outcome::Added
        })
    }

    fn commit_now(&mut self) -> Result<()> {
        index::commit(&mut self.writer, self.seq)?;
        self.uncommitted = 0;
        Ok(())
    }

    /// Commits the index and makes the new documents searchable.
    pub fn commit(mut self) -> Result<()> {
        self.commit_now()?;
        self.writer.wait_merging_threads()?;
        self.archive.reader.reload()?;
        Ok(())
    }
}

/// A volume encoded for the catalog and the index, ready to be put; preparing is the costly
/// part of a put and can run on any thread.
pub struct Prepared {
    volume: Volume,
    encoded: Vec<catalog::Encoded>,
    index_docs: Vec<TantivyDocument>,
    counts: catalog::Counts,
}

impl Archive {
    /// Encodes a volume and its documents for [`Ingest::put_prepared`].
    pub fn prepare(&self, volume: Volume, documents: Vec<Document>) -> Result<Prepared> {
        let mut pages = std::collections::HashSet::new();
        let mut notes = 0u64;
        let mut encoded = Vec::with_capacity(documents.len());
        let mut index_docs = Vec::with_capacity(documents.len());
        for doc in documents {
            let doc_pages = doc.pages();
            pages.extend(doc_pages.iter().cloned());
            notes += count_notes(&doc.paper.content);
            index_docs.push(index::to_index_doc(&self.fields, &doc));
            let json = catalog::encode(&doc)?;
            encoded.push(catalog::Encoded {
                doc,
                json,
                pages: doc_pages,
            });
        }
        Ok(Prepared {
            volume,
            encoded,
            index_docs,
            counts: catalog::Counts {
                pages: pages.len() as u64,
                notes,
            },
        })
    }

    fn volume_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM volumes WHERE id = ?1", [id], |_| Ok(()))
            .map(|_| true)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(false),
                e => Err(e),
            })?)
    }
}

fn count_notes(nodes: &[Node]) -> u64 {
    nodes
        .iter()
        .map(|n| match n {
            Node::Note(note) => {
                u64::from(matches!(note.kind, NoteKind::Footnote | NoteKind::Source))
                    + count_notes(&note.children)
            }
            Node::Attachment(p) => count_notes(&p.content),
            other => count_notes(other.children()),
        })
        .sum()
}
