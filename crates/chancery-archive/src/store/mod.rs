//! The catalog stores: where volumes, documents, pages, sources, directories and the change log
//! live.
//!
//! [`Store`] is one trait with two implementations: [`SqliteStore`] (the embedded catalog in the
//! data folder, and the local copy every node keeps) and [`PgStore`] (a PostgreSQL database shared
//! by several nodes, the source of truth when configured). Both hold the same schema and apply
//! the same numbered migrations on open (`schema_version` in `meta`).
//!
//! Every write appends to the change log (`changes`) in the same transaction, and change-log
//! sequences grow in commit order, so a follower that copies the changes after the last one it
//! copied never misses one.

pub(crate) mod pipeline;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::path::Path;

use chancery_model::{Document, Volume};

pub use self::postgres::PgStore;
pub use self::sqlite::SqliteStore;
use crate::Result;

/// The catalog schema version this build writes and reads (both backends).
pub const SCHEMA_VERSION: i64 = 3;

/// A catalog: the archive's durable state, written one volume (or directory) per transaction.
///
/// Object safe; implementations are shared between threads.
pub trait Store: Send + Sync {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    /// The schema version the catalog holds (after migrations: [`SCHEMA_VERSION`]).
    fn schema_version(&self) -> Result<i64>;
    /// An id given to the catalog when it was created; copies and standbys share it.
    fn database_id(&self) -> Result<String>;
    /// Replaces (or adds) a volume with its documents, pages and source in one transaction that
    /// also appends a `put` change; returns the change's sequence.
    fn put_volume(&self, record: &VolumeRecord) -> Result<i64>;
    /// A volume with everything stored for it, read in one consistent snapshot.
    fn volume_record(&self, id: &str) -> Result<Option<VolumeRecord>>;
    /// Whether a volume of this id is stored.
    fn volume_exists(&self, id: &str) -> Result<bool>;
    /// Whether `source` was already stored with the same content.
    fn unchanged(&self, source: &Source) -> Result<bool>;
    /// The highest change-log sequence (0 when empty).
    fn last_change(&self) -> Result<i64>;
    /// Up to `limit` changes after `seq`, in sequence order.
    fn changes_since(&self, seq: i64, limit: usize) -> Result<Vec<Change>>;
    /// Replaces the directory `name` (and appends a `directory` change); returns the sequence.
    fn put_directory(&self, name: &str, data: &[u8]) -> Result<i64>;
    /// The directory `name`, when stored.
    fn directory(&self, name: &str) -> Result<Option<Directory>>;
}

/// One row of the change log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Its sequence: grows in commit order.
    pub seq: i64,
    /// What changed: a volume id, or a directory name.
    pub name: String,
    /// `put` (a volume) or `directory`.
    pub op: String,
}

/// Change-log operation of a volume put.
pub const OP_PUT: &str = "put";
/// Change-log operation of a directory put.
pub const OP_DIRECTORY: &str = "directory";

/// A stored directory: a named blob (such as the people directory) and the change that wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    /// Its bytes, as put.
    pub data: Vec<u8>,
    /// The change-log sequence of the put that wrote it.
    pub rev: i64,
}

/// A volume as the catalog stores it: the row, its documents and the pages they cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRecord {
    /// Volume id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// The volume model as JSON.
    pub json: Vec<u8>,
    /// Number of documents.
    pub documents: i64,
    /// Number of printed pages covered.
    pub pages: i64,
    /// Number of notes.
    pub notes: i64,
    /// The file it was read from.
    pub source: Option<Source>,
    /// When it was ingested (UTC, RFC 3339).
    pub ingested_at: String,
    /// The change-log sequence that wrote it (set by the store; ignored by puts).
    pub rev: i64,
    /// Its documents, in order.
    pub rows: Vec<DocumentRow>,
}

/// A document as the catalog stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Document id (unique in its volume).
    pub id: String,
    /// Position in the volume.
    pub seq: i64,
    /// Heading text.
    pub heading: String,
    /// Earliest date, ISO.
    pub date_min: Option<String>,
    /// Latest date, ISO.
    pub date_max: Option<String>,
    /// First printed page.
    pub first_page: Option<String>,
    /// The document model, zstd-compressed JSON.
    pub json: Vec<u8>,
    /// Printed pages it covers (distinct).
    pub pages: Vec<String>,
}

impl VolumeRecord {
    /// The record of `volume` and its `documents` (encoded here), ingested now.
    ///
    /// Documents repeating an id keep the last one, in its place, as a replace would.
    pub fn new(volume: &Volume, documents: &[Document], pages: u64, notes: u64) -> Result<Self> {
        let mut rows = Vec::with_capacity(documents.len());
        for (seq, doc) in documents.iter().enumerate() {
            rows.push(DocumentRow::new(doc, seq as i64, encode(doc)?));
        }
        Self::from_rows(volume, rows, documents.len() as i64, pages, notes)
    }

    pub(crate) fn from_rows(
        volume: &Volume,
        mut rows: Vec<DocumentRow>,
        count: i64,
        pages: u64,
        notes: u64,
    ) -> Result<Self> {
        let mut seen = std::collections::HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            seen.insert(r.id.clone(), i);
        }
        if seen.len() != rows.len() {
            let mut i = 0;
            rows.retain(|r| {
                let keep = seen[&r.id] == i;
                i += 1;
                keep
            });
        }
        Ok(VolumeRecord {
            id: volume.id.clone(),
            title: volume.display_title().to_string(),
            json: serde_json::to_vec(volume)?,
            documents: count,
            pages: pages as i64,
            notes: notes as i64,
            source: None,
            ingested_at: now(),
            rev: 0,
            rows,
        })
    }

    /// The volume model.
    pub fn volume(&self) -> Result<Volume> {
        Ok(serde_json::from_slice(&self.json)?)
    }

    /// The documents, decoded, in order.
    pub fn decode_documents(&self) -> Result<Vec<Document>> {
        self.rows.iter().map(|r| decode(&r.json)).collect()
    }
}

impl DocumentRow {
    /// The row of `doc` at position `seq`, with its stored form `json` (see [`encode`]).
    pub fn new(doc: &Document, seq: i64, json: Vec<u8>) -> DocumentRow {
        let mut pages = doc.pages();
        let mut seen = std::collections::HashSet::new();
        pages.retain(|p| seen.insert(p.clone()));
        DocumentRow {
            id: doc.id.clone(),
            seq,
            heading: doc
                .paper
                .heading
                .as_ref()
                .map(|h| h.text.clone())
                .unwrap_or_default(),
            date_min: doc.dates.min.clone(),
            date_max: doc.dates.max.clone(),
            first_page: doc.first_page.clone(),
            json,
            pages,
        }
    }
}

/// zstd's frame magic: stored documents that start with it are compressed JSON.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Encodes a document for storage: JSON, compressed with zstd.
pub fn encode(doc: &Document) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(doc)?;
    Ok(zstd::bulk::compress(&json, 1)?)
}

/// The largest decompressed document accepted in one piece (larger frames are streamed).
const MAX_DECODED: u64 = 256 << 20;

thread_local! {
    /// One decompression context per thread: creating one per document costs more than the
    /// decompression (a large zeroed allocation each time).
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Decodes a stored document: zstd-compressed JSON, or plain JSON as older archives hold it.
pub fn decode<T: serde::de::DeserializeOwned>(stored: &[u8]) -> Result<T> {
    if !stored.starts_with(&ZSTD_MAGIC) {
        return Ok(serde_json::from_slice(stored)?);
    }
    let size = zstd::zstd_safe::get_frame_content_size(stored)
        .ok()
        .flatten()
        .filter(|&n| n <= MAX_DECODED);
    let json = match size {
        Some(n) => DECOMPRESSOR.with(|cell| -> std::io::Result<Vec<u8>> {
            let mut cell = cell.borrow_mut();
            if cell.is_none() {
                *cell = Some(zstd::bulk::Decompressor::new()?);
            }
            match cell.as_mut() {
                Some(d) => d.decompress(stored, n as usize),
                None => zstd::stream::decode_all(stored),
            }
        })?,
        None => zstd::stream::decode_all(stored)?,
    };
    Ok(serde_json::from_slice(&json)?)
}

/// Where a volume came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file's path as given (canonicalised when possible).
    pub path: String,
    /// BLAKE3 hash of its bytes, hex.
    pub hash: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl Source {
    /// Describes `bytes` read from `path`.
    pub fn of(path: &Path, bytes: &[u8]) -> Source {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Source {
            path: path.to_string_lossy().into_owned(),
            hash: blake3::hash(bytes).to_hex().to_string(),
            bytes: bytes.len() as u64,
        }
    }
}

/// A volume's row in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VolumeSummary {
    /// Volume id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Number of documents.
    pub documents: u64,
    /// Number of printed pages its documents cover.
    pub pages: u64,
    /// Number of notes.
    pub notes: u64,
    /// The file it was read from.
    pub source_path: Option<String>,
    /// When it was ingested (UTC, RFC 3339).
    pub ingested_at: String,
}

/// A new random-enough catalog id (time, process and a counter, hashed).
pub(crate) fn new_database_id() -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seed = format!("{nanos}:{}:{n}", std::process::id());
    blake3::hash(seed.as_bytes()).to_hex()[..16].to_string()
}

/// The current time, UTC, RFC 3339 to the second.
pub(crate) fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}
