//! The catalog: an SQLite database that is the archive's source of truth.
//!
//! Every volume is written in one transaction together with a row of the change log; the
//! full-text index is derived from the catalog and follows the change log (see `index`).

use std::path::Path;

use chancery_model::{Document, Volume};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{ArchiveError, Result};

/// The catalog schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS volumes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    json BLOB NOT NULL,
    documents INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    notes INTEGER NOT NULL,
    source_path TEXT,
    source_hash TEXT,
    source_bytes INTEGER,
    ingested_at TEXT NOT NULL,
    rev INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    volume TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    heading TEXT NOT NULL,
    date_min TEXT,
    date_max TEXT,
    first_page TEXT,
    json BLOB NOT NULL,
    PRIMARY KEY (volume, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_seq ON documents (volume, seq);
CREATE TABLE IF NOT EXISTS pages (
    volume TEXT NOT NULL,
    page TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (volume, page, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    volume TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    volume TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL
);
";

/// zstd's frame magic: stored documents that start with it are compressed JSON.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Encodes a document for storage: JSON, compressed with zstd.
pub(crate) fn encode(doc: &Document) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(doc)?;
    Ok(zstd::bulk::compress(&json, 1)?)
}

/// Decodes a stored document: zstd-compressed JSON, or plain JSON as older archives hold it.
fn decode<T: serde::de::DeserializeOwned>(stored: &[u8]) -> Result<T> {
    if stored.starts_with(&ZSTD_MAGIC) {
        let json = zstd::stream::decode_all(stored)?;
        Ok(serde_json::from_slice(&json)?)
    } else {
        Ok(serde_json::from_slice(stored)?)
    }
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

pub(crate) fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(SCHEMA)?;
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match version.map(|v| v.parse::<i64>().unwrap_or(i64::MAX)) {
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                [SCHEMA_VERSION.to_string()],
            )?;
        }
        Some(v) if v > SCHEMA_VERSION => {
            return Err(ArchiveError::NewerSchema {
                found: v,
                supported: SCHEMA_VERSION,
            })
        }
        Some(_) => {}
    }
    Ok(conn)
}

/// A value of the `meta` table.
pub(crate) fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Sets a value of the `meta` table.
pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
        [key, value],
    )?;
    Ok(())
}

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

/// Whether `source` was already ingested with the same content.
pub(crate) fn unchanged(conn: &Connection, source: &Source) -> Result<bool> {
    let hash: Option<String> = conn
        .query_row(
            "SELECT s.hash FROM sources s JOIN volumes v ON v.id = s.volume WHERE s.path = ?1",
            [&source.path],
            |r| r.get(0),
        )
        .optional()?;
    Ok(hash.as_deref() == Some(source.hash.as_str()))
}

/// A document ready for the catalog: the model, its JSON, and the pages it covers.
pub(crate) struct Encoded {
    pub doc: Document,
    pub json: Vec<u8>,
    pub pages: Vec<String>,
}

/// Counts of what a volume holds, for the catalog row.
pub(crate) struct Counts {
    pub pages: u64,
    pub notes: u64,
}

/// Replaces a volume and its documents in one transaction; returns the change-log sequence.
pub(crate) fn put_volume(
    conn: &mut Connection,
    volume: &Volume,
    documents: &[Encoded],
    counts: &Counts,
    source: Option<&Source>,
) -> Result<i64> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM documents WHERE volume = ?1", [&volume.id])?;
    tx.execute("DELETE FROM pages WHERE volume = ?1", [&volume.id])?;
    let at = now();
    tx.execute(
        "INSERT OR REPLACE INTO volumes
         (id, title, json, documents, pages, notes, source_path, source_hash, source_bytes, ingested_at, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
        params![
            volume.id,
            volume.display_title(),
            serde_json::to_vec(volume)?,
            documents.len() as i64,
            counts.pages as i64,
            counts.notes as i64,
            source.map(|s| s.path.as_str()),
            source.map(|s| s.hash.as_str()),
            source.map(|s| s.bytes as i64),
            at,
        ],
    )?;
    {
        let mut doc_stmt = tx.prepare(
            "INSERT OR REPLACE INTO documents (volume, id, seq, heading, date_min, date_max, first_page, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut page_stmt =
            tx.prepare("INSERT OR IGNORE INTO pages (volume, page, doc) VALUES (?1, ?2, ?3)")?;
        for (seq, Encoded { doc, json, pages }) in documents.iter().enumerate() {
            doc_stmt.execute(params![
                volume.id,
                doc.id,
                seq as i64,
                doc.paper
                    .heading
                    .as_ref()
                    .map(|h| h.text.as_str())
                    .unwrap_or(""),
                doc.dates.min,
                doc.dates.max,
                doc.first_page,
                json,
            ])?;
            for page in pages {
                page_stmt.execute(params![volume.id, page, doc.id])?;
            }
        }
    }
    if let Some(s) = source {
        tx.execute(
            "DELETE FROM sources WHERE volume = ?1 AND path <> ?2",
            params![volume.id, s.path],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO sources (path, hash, volume) VALUES (?1, ?2, ?3)",
            params![s.path, s.hash, volume.id],
        )?;
    }
    tx.execute(
        "INSERT INTO changes (volume, op, at) VALUES (?1, 'put', ?2)",
        params![volume.id, at],
    )?;
    let seq = tx.last_insert_rowid();
    tx.execute(
        "UPDATE volumes SET rev = ?1 WHERE id = ?2",
        params![seq, volume.id],
    )?;
    tx.commit()?;
    Ok(seq)
}

/// The highest change-log sequence.
pub(crate) fn last_change(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })?,
    )
}

/// Volumes changed after `seq`, each once, in order of their last change.
pub(crate) fn changed_since(conn: &Connection, seq: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT volume, MAX(seq) AS s FROM changes WHERE seq > ?1 GROUP BY volume ORDER BY s",
    )?;
    let rows = stmt.query_map([seq], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every document of a volume, in order, as stored JSON.
pub(crate) fn volume_documents(conn: &Connection, volume: &str) -> Result<Vec<Document>> {
    let mut stmt =
        conn.prepare_cached("SELECT json FROM documents WHERE volume = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([volume], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for stored in rows {
        out.push(decode(&stored?)?);
    }
    Ok(out)
}

/// All volume ids.
pub(crate) fn volume_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM volumes ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One document.
pub(crate) fn document(conn: &Connection, volume: &str, id: &str) -> Result<Option<Document>> {
    let json: Option<Vec<u8>> = conn
        .prepare_cached("SELECT json FROM documents WHERE volume = ?1 AND id = ?2")?
        .query_row([volume, id], |r| r.get(0))
        .optional()?;
    json.map(|j| decode(&j)).transpose()
}

/// Volumes holding a document with this id.
pub(crate) fn volumes_with_document(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT volume FROM documents WHERE id = ?1 ORDER BY volume")?;
    let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One volume.
pub(crate) fn volume(conn: &Connection, id: &str) -> Result<Option<Volume>> {
    let json: Option<Vec<u8>> = conn
        .query_row("SELECT json FROM volumes WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    json.map(|j| serde_json::from_slice(&j).map_err(ArchiveError::from))
        .transpose()
}

/// The file a volume was read from, as recorded at ingest.
pub(crate) fn volume_source(conn: &Connection, id: &str) -> Result<Option<Source>> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> = conn
        .query_row(
            "SELECT source_path, source_hash, source_bytes FROM volumes WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        Some((Some(path), Some(hash), Some(bytes))) => Some(Source {
            path,
            hash,
            bytes: bytes as u64,
        }),
        _ => None,
    })
}

/// Summaries of all volumes.
pub(crate) fn volumes(conn: &Connection) -> Result<Vec<VolumeSummary>> {
    let mut stmt = conn.prepare(
        "SELECT id, title, documents, pages, notes, source_path, ingested_at FROM volumes ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(VolumeSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            documents: r.get::<_, i64>(2)? as u64,
            pages: r.get::<_, i64>(3)? as u64,
            notes: r.get::<_, i64>(4)? as u64,
            source_path: r.get(5)?,
            ingested_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids of the documents of `volume` that cover printed page `page`, in document order.
pub(crate) fn documents_on_page(
    conn: &Connection,
    volume: &str,
    page: &str,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.doc FROM pages p JOIN documents d ON d.volume = p.volume AND d.id = p.doc
         WHERE p.volume = ?1 AND p.page = ?2 ORDER BY d.seq",
    )?;
    let rows = stmt.query_map([volume, page], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Document ids of a volume, in order.
pub(crate) fn document_ids(conn: &Connection, volume: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM documents WHERE volume = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([volume], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Totals over the catalog: volumes, documents, pages, notes.
pub(crate) fn totals(conn: &Connection) -> Result<(u64, u64, u64, u64)> {
    Ok(conn.query_row(
        "SELECT COUNT(*), COALESCE(SUM(documents),0), COALESCE(SUM(pages),0), COALESCE(SUM(notes),0) FROM volumes",
        [],
        |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)? as u64,
                r.get::<_, i64>(3)? as u64,
            ))
        },
    )?)
}

/// Runs SQLite's own integrity check.
pub(crate) fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let v: Vec<String> = rows.collect::<rusqlite::Result<_>>()?;
    Ok(v.into_iter().filter(|s| s != "ok").collect())
}
