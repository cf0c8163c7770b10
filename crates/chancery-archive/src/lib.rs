//! The Chancery archive: one data folder holding an SQLite catalog and a tantivy index.
//!
//! ```text
//! DATA/
//!   catalog.sqlite   volumes, documents (model as JSON), pages, sources, change log
//!   index/           tantivy full-text index, derived from the catalog
//! ```
//!
//! With a PostgreSQL database (`Archive::open_with`), the database is the source of truth and
//! the data folder is a derived copy: [`Archive::sync`] follows the database's change log into
//! `catalog.sqlite`, and every read goes to the folder (see the `store` module).
//!
//! Invariants:
//! - The catalog is the source of truth. Each volume is replaced in one transaction, so a
//!   volume is always either wholly old or wholly new.
//! - The index is derived. Its commits record the last catalog change they include; whoever
//!   opens the archive for writing first re-indexes the volumes changed since, so a crash at any
//!   point leaves an archive that opens, answers, and completes on the next run.

pub mod store;
use store::sqlite as catalog;
mod facets;
mod index;
mod links;
mod people;
pub use chancery_query as query;
pub use links::{CitationLink, DocRef, MessageLink, Resolution, Thread};
mod search;
mod snippet;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use chancery_model::{Document, Node, NoteKind, Volume};
use rusqlite::Connection;
use serde::Serialize;
use store::{SqliteStore, Store, VolumeRecord};
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

pub use index::{facet_name, ANALYZER};
pub use search::{
    Facets, Hit, SearchRequest, SearchResults, Snippet, Sort, MAX_LIMIT, MAX_OFFSET,
    MAX_QUERY_BYTES,
};
pub use store::{Directory, PgStore, Source, VolumeSummary, SCHEMA_VERSION};

/// What can go wrong in the archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The catalog database failed.
    #[error("catalog: {0}")]
    Catalog(#[from] rusqlite::Error),
    /// The PostgreSQL database failed or could not be reached.
    #[error("PostgreSQL {0}")]
    Postgres(String),
    /// The data folder follows another catalog than the one given.
    #[error("{0}")]
    Upstream(String),
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
    local: SqliteStore,
    upstream: Option<Box<dyn Store>>,
    database: Option<String>,
    index: Index,
    fields: index::Fields,
    reader: IndexReader,
    sync_lock: Mutex<()>,
    status: Mutex<SyncStatus>,
}

/// How far the data folder is from its catalog: what `/api/health` shows.
///
/// For an embedded archive the folder is the catalog (`backend` `sqlite`, always in step).
/// With PostgreSQL, `upstream_seq` is the database's last change seen, `local_seq` the last one
/// copied into the folder, and `lag` the difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// `sqlite` (embedded) or `postgres`.
    pub backend: String,
    /// Whether the folder has been copied whole at least once and its index holds it all, so
    /// the node can serve (perhaps behind the database by `lag` changes).
    pub ready: bool,
    /// The database's last change-log sequence, as last seen.
    pub upstream_seq: i64,
    /// The database's last change copied into the folder.
    pub local_seq: i64,
    /// Changes not yet copied: `upstream_seq - local_seq` (0 when embedded).
    pub lag: i64,
    /// Volumes copied into the folder's catalog but not yet into its index.
    pub index_lag: i64,
    /// The last sync's error, when it failed; cleared by the next success.
    pub last_error: Option<String>,
    /// When a sync last succeeded (UTC, RFC 3339).
    pub last_success: Option<String>,
    /// Seconds since a sync last succeeded.
    pub seconds_since_success: Option<u64>,
    #[serde(skip)]
    success_at: Option<SystemTime>,
}

/// What one [`Archive::sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Volumes copied from the database.
    pub volumes: u64,
    /// Directories copied from the database.
    pub directories: u64,
    /// The database's last change-log sequence, now copied.
    pub upstream_seq: i64,
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
    /// Opens the embedded archive in `dir` (its SQLite catalog is the truth), creating it when
    /// absent.
    pub fn open(dir: &Path) -> Result<Archive> {
        Self::open_with(dir, None)
    }

    /// Opens the archive in `dir`; with `database` (a `postgres://` URL) the database is the
    /// truth and `dir` a local copy of it, brought up to date by [`Archive::sync`].
    ///
    /// Opening does not connect to the database: reads work from the folder while the
    /// database is away. Call [`Archive::sync`] before reading to be current, and from time to
    /// time in a long-running server.
    pub fn open_with(dir: &Path, database: Option<&str>) -> Result<Archive> {
        std::fs::create_dir_all(dir)?;
        let local = SqliteStore::open(&dir.join("catalog.sqlite"))?;
        let upstream: Option<Box<dyn Store>> = match database {
            Some(url) => Some(Box::new(PgStore::new(url)?)),
            None => None,
        };
        let conn = local.conn();
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
        drop(conn);
        let archive = Archive {
            dir: dir.to_path_buf(),
            local,
            upstream,
            database: database.map(str::to_string),
            index,
            fields,
            reader,
            sync_lock: Mutex::new(()),
            status: Mutex::new(SyncStatus {
                backend: String::new(),
                ready: false,
                upstream_seq: 0,
                local_seq: 0,
                lag: 0,
                index_lag: 0,
                last_error: None,
                last_success: None,
                seconds_since_success: None,
                success_at: None,
            }),
        };
        archive.init_status()?;
        Ok(archive)
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.local.conn()
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

    /// Starts writing: brings the folder up to date with the database (when there is one),
    /// takes the index lock and brings the index up to date with the catalog.
    ///
    /// Fails when the database cannot be reached (nothing is written then), and when the folder
    /// is a copy of a database that was not given.
    pub fn ingest(&self) -> Result<Ingest<'_>> {
        self.check_writable()?;
        if self.upstream.is_some() {
            self.sync()?;
        }
        let mut writer = self.writer()?;
        let seq = self.catch_up_with(&mut writer)?;
        Ok(Ingest {
            archive: self,
            writer,
            seq,
            upstream_seq: self.copied_seq()?,
            uncommitted: 0,
            pipeline: match &self.database {
                Some(url) => Some(store::pipeline::Pipeline::start(url, PG_WRITERS)?),
                None => None,
            },
            own: std::collections::BTreeSet::new(),
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

    /// Moves the index folder of the data folder `dir` aside (to `index.broken-SECONDS`), for
    /// an index too damaged to open; the next [`Archive::open`] starts an empty one, which
    /// [`Archive::reindex`] fills from the catalog. Returns where it went.
    pub fn set_index_aside(dir: &Path) -> Result<PathBuf> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let to = dir.join(format!("index.broken-{secs}"));
        std::fs::rename(dir.join("index"), &to)?;
        Ok(to)
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

    /// Whether `source` is already in the archive with the same content (asked of the
    /// database when there is one).
    pub fn is_unchanged(&self, source: &Source) -> Result<bool> {
        match &self.upstream {
            Some(up) => up.unchanged(source),
            None => catalog::unchanged(&self.conn(), source),
        }
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
        // The index's own files: present, and whole by their checksums.
        match self.index.load_metas() {
            Ok(metas) => {
                let mut missing: Vec<PathBuf> = metas
                    .segments
                    .iter()
                    .flat_map(|s| {
                        use tantivy::index::SegmentComponent as C;
                        let mut parts = vec![
                            C::Postings,
                            C::Positions,
                            C::FastFields,
                            C::FieldNorms,
                            C::Terms,
                            C::Store,
                        ];
                        if s.has_deletes() {
                            parts.push(C::Delete);
                        }
                        parts
                            .into_iter()
                            .map(|c| s.relative_path(c))
                            .collect::<Vec<_>>()
                    })
                    .filter(|f| !self.dir.join("index").join(f).exists())
                    .collect();
                missing.sort();
                for f in missing {
                    report.problems.push(format!(
                        "index: file {} is missing (run `chancery reindex`)",
                        f.display()
                    ));
                }
            }
            Err(e) => report.problems.push(format!(
                "index: unreadable meta.json: {e} (run `chancery reindex`)"
            )),
        }
        match self.index.validate_checksum() {
            Ok(damaged) => {
                let mut damaged: Vec<PathBuf> = damaged.into_iter().collect();
                damaged.sort();
                for f in damaged {
                    report.problems.push(format!(
                        "index: file {} is damaged (its checksum does not match; run `chancery reindex`)",
                        f.display()
                    ));
                }
            }
            Err(e) => report.problems.push(format!(
                "index: cannot verify its files: {e} (run `chancery reindex`)"
            )),
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
    upstream_seq: i64,
    uncommitted: usize,
    pipeline: Option<store::pipeline::Pipeline<Vec<TantivyDocument>>>,
    own: std::collections::BTreeSet<i64>,
}

/// Documents indexed between index commits during a long ingest.
const COMMIT_EVERY: usize = 50_000;

/// Connections an ingest writes to PostgreSQL on at once.
const PG_WRITERS: usize = 3;

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
    /// commit (or, after a crash, after the next writer catches up). With a database, the
    /// volume is written there in one transaction on one of a few connections while the next
    /// volumes are prepared, and copied into the folder once committed: the catalog holds it
    /// after a later put or [`Ingest::commit`], which also report its failure.
    pub fn put_prepared(&mut self, prepared: Prepared, source: Option<&Source>) -> Result<Outcome> {
        let Prepared {
            mut record,
            index_docs,
        } = prepared;
        record.source = source.cloned();
        record.ingested_at = store::now();
        let archive = self.archive;
        let existed = match (&archive.upstream, &mut self.pipeline) {
            (Some(up), Some(pipeline)) => {
                let existed = up.volume_exists(&record.id)?;
                let finished = pipeline.send(record, index_docs)?;
                self.apply(finished)?;
                existed
            }
            _ => {
                let existed = archive.local.volume_exists(&record.id)?;
                self.seq = archive.local.put_volume(&record)?;
                self.index(&record.id, index_docs)?;
                existed
            }
        };
        Ok(if existed {
            Outcome::Replaced
        } else {
            Outcome::Added
        })
    }

    /// Takes volumes the database has committed (or refused) into the folder and the index;
    /// returns the first failure after taking in every success.
    fn apply(
        &mut self,
        finished: Vec<store::pipeline::Finished<Vec<TantivyDocument>>>,
    ) -> Result<()> {
        let mut first_error = None;
        let before = self.upstream_seq;
        for (record, index_docs, result) in finished {
            let useq = match result {
                Ok(useq) => useq,
                Err(e) => {
                    first_error.get_or_insert(e);
                    continue;
                }
            };
            self.seq = self.archive.local.put_volume(&record)?;
            self.own.insert(useq);
            self.index(&record.id, index_docs)?;
        }
        // The folder records the database's sequence up to where every change is one of ours
        // (copied now); the next sync copies the others' changes, and ours after them again.
        while self.own.remove(&(self.upstream_seq + 1)) {
            self.upstream_seq += 1;
        }
        if self.upstream_seq != before {
            self.archive
                .local
                .set_meta("upstream_seq", &self.upstream_seq.to_string())?;
        }
        first_error.map_or(Ok(()), Err)
    }

    fn index(&mut self, volume: &str, index_docs: Vec<TantivyDocument>) -> Result<()> {
        index::delete_volume(&self.writer, &self.archive.fields, volume);
        let n = index_docs.len();
        for d in index_docs {
            self.writer.add_document(d)?;
        }
        self.uncommitted += n;
        if self.uncommitted >= COMMIT_EVERY {
            self.commit_now()?;
        }
        Ok(())
    }

    fn commit_now(&mut self) -> Result<()> {
        index::commit(&mut self.writer, self.seq)?;
        self.uncommitted = 0;
        Ok(())
    }

    /// Commits the index and makes the new documents searchable.
    ///
    /// With a database, first waits for the volumes still being written there.
    pub fn commit(mut self) -> Result<()> {
        if let Some(pipeline) = self.pipeline.as_mut() {
            let finished = pipeline.finish()?;
            let applied = self.apply(finished);
            if applied.is_err() {
                self.commit_now()?;
                return applied;
            }
        }
        self.commit_now()?;
        self.writer.wait_merging_threads()?;
        self.archive.reader.reload()?;
        Ok(())
    }
}

/// A volume encoded for the catalog and the index, ready to be put; preparing is the costly
/// part of a put and can run on any thread.
pub struct Prepared {
    record: VolumeRecord,
    index_docs: Vec<TantivyDocument>,
}

impl Archive {
    /// Encodes a volume and its documents for [`Ingest::put_prepared`].
    pub fn prepare(&self, volume: Volume, documents: Vec<Document>) -> Result<Prepared> {
        let mut pages = std::collections::HashSet::new();
        let mut notes = 0u64;
        let mut rows = Vec::with_capacity(documents.len());
        let mut index_docs = Vec::with_capacity(documents.len());
        let count = documents.len() as i64;
        for (seq, doc) in documents.into_iter().enumerate() {
            notes += count_notes(&doc.paper.content);
            index_docs.push(index::to_index_doc(&self.fields, &doc));
            let row = store::DocumentRow::new(&doc, seq as i64, store::encode(&doc)?);
            pages.extend(row.pages.iter().cloned());
            rows.push(row);
        }
        let record = VolumeRecord::from_rows(&volume, rows, count, pages.len() as u64, notes)?;
        Ok(Prepared { record, index_docs })
    }

    fn volume_exists(&self, id: &str) -> Result<bool> {
        self.local.volume_exists(id)
    }

    /// Stores the directory `name` (such as the people directory): in the database when there
    /// is one (and then in the folder's copy), else in the folder's catalog.
    pub fn put_directory(&self, name: &str, data: &[u8]) -> Result<()> {
        self.check_writable()?;
        match &self.upstream {
            None => {
                self.local.put_directory(name, data)?;
            }
            Some(up) => {
                self.check_follows(up.as_ref())?;
                let before = self.copied_seq()?;
                let useq = up.put_directory(name, data)?;
                if useq == before + 1 {
                    self.local.copy_directory(name, Some(data), useq)?;
                } else {
                    self.local.put_directory(name, data)?;
                }
            }
        }
        Ok(())
    }

    /// The directory `name` as the folder holds it (see [`Archive::put_directory`]).
    pub fn directory(&self, name: &str) -> Result<Option<Directory>> {
        self.local.directory(name)
    }

    /// The catalog change-log sequence of the folder: it grows with every change copied or
    /// written, so it keys caches of what the catalog holds.
    pub fn last_change(&self) -> Result<i64> {
        self.local.last_change()
    }

    /// The database this archive writes to and follows, when it has one.
    pub fn database(&self) -> Option<&dyn Store> {
        self.upstream.as_deref()
    }

    /// The last database change copied into the folder (0 when none).
    fn copied_seq(&self) -> Result<i64> {
        Ok(self
            .local
            .meta("upstream_seq")?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0))
    }

    /// Refuses writes to a folder that is the copy of a database when no database was given.
    fn check_writable(&self) -> Result<()> {
        if self.upstream.is_none() {
            if let Some(id) = self.local.meta("upstream_id")? {
                return Err(ArchiveError::Upstream(format!(
                    "{} is a copy of a PostgreSQL catalog (id {id}); write through it with --database URL",
                    self.dir.display()
                )));
            }
        }
        Ok(())
    }

    fn init_status(&self) -> Result<()> {
        let index_lag = self.index_lag()?;
        let local_seq = self.copied_seq()?;
        let synced = self.local.meta("upstream_synced")?.is_some();
        let mut st = self.status.lock().unwrap_or_else(|e| e.into_inner());
        st.index_lag = index_lag;
        match &self.upstream {
            None => {
                st.backend = "sqlite".into();
                let last = self.local.last_change()?;
                st.upstream_seq = last;
                st.local_seq = last;
                st.ready = index_lag == 0;
            }
            Some(up) => {
                st.backend = up.backend().into();
                st.upstream_seq = local_seq;
                st.local_seq = local_seq;
                st.ready = synced && index_lag == 0;
            }
        }
        Ok(())
    }

    /// How far the folder is from the database, as of the last [`Archive::sync`]; cheap (no
    /// database or disk access), for health checks.
    pub fn sync_status(&self) -> SyncStatus {
        let mut st = self
            .status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        st.seconds_since_success = st
            .success_at
            .and_then(|t| t.elapsed().ok())
            .map(|d| d.as_secs());
        st
    }

    /// Brings the folder up to date with the database: copies each volume and directory
    /// changed since the last copied change (each in one local transaction that records the
    /// database's sequence), then indexes the copied volumes. Without a database it only
    /// brings the index up to date.
    ///
    /// On failure the folder keeps what it had (reads go on working) and the error is kept in
    /// [`Archive::sync_status`]; call again later. Safe to call from a background thread every
    /// few hundred milliseconds: when nothing changed it asks the database one question.
    pub fn sync(&self) -> Result<SyncReport> {
        let Some(up) = self.upstream.as_deref() else {
            self.catch_up()?;
            // Another process (an ingest beside a server) may have committed to the index.
            self.refresh()?;
            let mut st = self.status.lock().unwrap_or_else(|e| e.into_inner());
            st.index_lag = self.index_lag()?;
            st.local_seq = self.local.last_change()?;
            st.upstream_seq = st.local_seq;
            st.ready = st.index_lag == 0;
            return Ok(SyncReport {
                upstream_seq: st.local_seq,
                ..SyncReport::default()
            });
        };
        let _one = self.sync_lock.lock().unwrap_or_else(|e| e.into_inner());
        let result = self.sync_from(up);
        let index_lag = self.index_lag();
        let copied = self.copied_seq();
        let mut st = self.status.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(lag) = index_lag {
            st.index_lag = lag;
        }
        if let Ok(c) = copied {
            st.local_seq = c;
        }
        match &result {
            Ok(report) => {
                st.upstream_seq = report.upstream_seq;
                st.last_error = None;
                st.last_success = Some(store::now());
                st.success_at = Some(SystemTime::now());
                st.ready = st.index_lag == 0;
            }
            Err(e) => {
                st.last_error = Some(e.to_string());
                st.upstream_seq = st.upstream_seq.max(st.local_seq);
                if matches!(
                    e,
                    ArchiveError::Upstream(_) | ArchiveError::NewerSchema { .. }
                ) {
                    st.ready = false;
                }
            }
        }
        st.lag = (st.upstream_seq - st.local_seq).max(0);
        result
    }

    /// Starts a thread that calls [`Archive::sync`] every `every` for as long as the archive
    /// lives (a long-running server's follower); a failure is logged once, and again when it
    /// changes, until a sync succeeds.
    pub fn follow(
        archive: &std::sync::Arc<Archive>,
        every: std::time::Duration,
    ) -> std::io::Result<std::thread::JoinHandle<()>> {
        let weak = std::sync::Arc::downgrade(archive);
        std::thread::Builder::new()
            .name("chancery-sync".into())
            .spawn(move || {
                let mut failing: Option<String> = None;
                loop {
                    let Some(archive) = weak.upgrade() else {
                        return;
                    };
                    match archive.sync() {
                        Ok(r) => {
                            if failing.take().is_some() {
                                tracing::info!(upstream_seq = r.upstream_seq, "sync recovered");
                            }
                        }
                        Err(e) => {
                            let msg = e.to_string();
                            if failing.as_deref() != Some(msg.as_str()) {
                                tracing::warn!("sync failed (serving the local copy): {msg}");
                                failing = Some(msg);
                            }
                        }
                    }
                    drop(archive);
                    std::thread::sleep(every);
                }
            })
    }

    /// Checks that the folder is a copy of `up` (or empty, and then makes it one).
    fn check_follows(&self, up: &dyn Store) -> Result<()> {
        let id = up.database_id()?;
        match self.local.meta("upstream_id")? {
            Some(mine) if mine == id => {}
            Some(mine) => {
                return Err(ArchiveError::Upstream(format!(
                    "{} is a copy of another catalog (id {mine}, the database's is {id}); use an empty data folder",
                    self.dir.display()
                )))
            }
            None => {
                if self.local.last_change()? > 0 {
                    return Err(ArchiveError::Upstream(format!(
                        "{} holds an embedded archive; a node of a PostgreSQL catalog needs an empty data folder",
                        self.dir.display()
                    )));
                }
                self.local.set_meta("upstream_id", &id)?;
            }
        }
        Ok(())
    }

    /// Shows a sync in progress in the status: the database is at `upstream`, the folder at
    /// `local`.
    fn note_progress(&self, upstream: i64, local: i64) {
        let mut st = self.status.lock().unwrap_or_else(|e| e.into_inner());
        st.upstream_seq = upstream.max(local);
        st.local_seq = local;
        st.lag = (st.upstream_seq - local).max(0);
    }

    fn sync_from(&self, up: &dyn Store) -> Result<SyncReport> {
        self.check_follows(up)?;
        let mut report = SyncReport::default();
        let mut from = self.copied_seq()?;
        let last = up.last_change()?;
        self.note_progress(last, from);
        if last < from {
            // A standby still replaying, or a database restored from a backup: the folder
            // waits for it (and serves what it has).
            tracing::warn!(
                database = last,
                folder = from,
                "the database's change log is behind this folder's copy"
            );
        }
        while from < last {
            let changes = up.changes_since(from, 1000)?;
            let Some(end) = changes.last().map(|c| c.seq) else {
                break;
            };
            // Each name once, at its last change, in order: every change up to a copied one is
            // then either copied or superseded by a later one still to come.
            let mut latest = std::collections::HashMap::new();
            for c in &changes {
                latest.insert((c.op.as_str(), c.name.as_str()), c.seq);
            }
            let mut todo: Vec<_> = latest.into_iter().collect();
            todo.sort_by_key(|(_, seq)| *seq);
            for ((op, name), seq) in todo {
                match op {
                    store::OP_PUT => match up.volume_record(name)? {
                        Some(record) => {
                            self.local.copy_volume(&record, seq)?;
                            report.volumes += 1;
                        }
                        None => self.local.set_meta("upstream_seq", &seq.to_string())?,
                    },
                    store::OP_DIRECTORY => {
                        let dir = up.directory(name)?;
                        self.local
                            .copy_directory(name, dir.as_ref().map(|d| &d.data[..]), seq)?;
                        report.directories += 1;
                    }
                    _ => self.local.set_meta("upstream_seq", &seq.to_string())?,
                }
            }
            self.local.set_meta("upstream_seq", &end.to_string())?;
            from = end;
            self.note_progress(last, from);
        }
        if report.volumes + report.directories > 0 {
            tracing::info!(
                volumes = report.volumes,
                directories = report.directories,
                "copied from the database"
            );
        }
        if self.local.meta("upstream_synced")?.is_none() {
            self.local.set_meta("upstream_synced", &store::now())?;
        }
        self.catch_up()?;
        report.upstream_seq = from.max(last);
        Ok(report)
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

impl Prepared {
    /// The id of the volume prepared.
    pub fn volume_id(&self) -> &str {
        &self.record.id
    }
}

impl Archive {
    /// Makes searches see index commits made by other processes (an ingest beside a server);
    /// does nothing, and keeps [`Archive::index_generation`], when there are none.
    pub fn refresh(&self) -> Result<()> {
        let metas = self.index.load_metas()?;
        let mut committed: Vec<(tantivy::index::SegmentId, u32)> = metas
            .segments
            .iter()
            .map(|s| (s.id(), s.num_deleted_docs()))
            .collect();
        let searcher = self.reader.searcher();
        let mut open: Vec<(tantivy::index::SegmentId, u32)> = searcher
            .segment_readers()
            .iter()
            .map(|s| (s.segment_id(), s.num_deleted_docs()))
            .collect();
        committed.sort();
        open.sort();
        if committed != open {
            self.reader.reload()?;
        }
        Ok(())
    }
}
