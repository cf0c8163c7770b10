//! The SQLite catalog: the embedded archive's source of truth, and every node's local copy.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use chancery_model::{Document, Volume};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{
    decode, new_database_id, Change, Directory, DocumentRow, Source, Store, VolumeRecord,
    VolumeSummary, OP_DIRECTORY, OP_PUT, SCHEMA_VERSION,
};
use crate::{ArchiveError, Result};

/// Version 1: the catalog as the first releases wrote it.
const V1: &str = "
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

/// Version 2: generic directories (the people directory), and the catalog's id.
const V2: &str = "
CREATE TABLE IF NOT EXISTS directories (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    rev INTEGER NOT NULL
);
";

/// Version 3: sources found by volume (a put replaces its volume's sources without a scan).
const V3: &str = "CREATE INDEX IF NOT EXISTS sources_volume ON sources (volume);";

/// The migrations, in order: step `i` brings the catalog to version `i + 1`.
const MIGRATIONS: [&str; 3] = [V1, V2, V3];

/// The SQLite catalog (`catalog.sqlite` in the data folder).
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating when absent) the catalog at `path` and migrates it to [`SCHEMA_VERSION`].
    ///
    /// Fails with [`ArchiveError::NewerSchema`] when a newer chancery wrote it.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        Self::open_at_version(path, SCHEMA_VERSION)
    }

    /// Opens the catalog, migrating it no further than `version` (for upgrade tests).
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: i64) -> Result<SqliteStore> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        migrate(&mut conn, version)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, for the archive's reads.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A value of the `meta` table.
    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        meta(&self.conn(), key)
    }

    /// Sets a value of the `meta` table.
    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn(), key, value)
    }

    /// Copies a volume from the upstream catalog and records `upstream_seq`, in one transaction.
    pub(crate) fn copy_volume(&self, record: &VolumeRecord, upstream_seq: i64) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = put_volume_tx(&tx, record)?;
        set_meta(&tx, "upstream_seq", &upstream_seq.to_string())?;
        tx.commit()?;
        Ok(seq)
    }

    /// Copies a directory from the upstream catalog and records `upstream_seq`, in one
    /// transaction (`data` `None`: the upstream no longer has it; nothing is copied).
    pub(crate) fn copy_directory(
        &self,
        name: &str,
        data: Option<&[u8]>,
        upstream_seq: i64,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(data) = data {
            put_directory_tx(&tx, name, data)?;
        }
        set_meta(&tx, "upstream_seq", &upstream_seq.to_string())?;
        tx.commit()?;
        Ok(())
    }
}

fn version(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.map_or(0, |v| v.parse::<i64>().unwrap_or(i64::MAX)))
}

fn migrate(conn: &mut Connection, target: i64) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )?;
    let found = version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(ArchiveError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(());
    }
    // One writer migrates; others wait for it and find the work done.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut v = version(&tx)?;
    while v < target {
        if v > 0 {
            tracing::info!(from = v, to = v + 1, "upgrading the SQLite catalog");
        }
        tx.execute_batch(MIGRATIONS[v as usize])?;
        if v + 1 == 2 {
            tx.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?1)",
                [new_database_id()],
            )?;
        }
        v += 1;
        set_meta(&tx, "schema_version", &v.to_string())?;
    }
    tx.commit()?;
    Ok(())
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

fn put_volume_tx(tx: &Transaction<'_>, r: &VolumeRecord) -> Result<i64> {
    tx.execute("DELETE FROM documents WHERE volume = ?1", [&r.id])?;
    tx.execute("DELETE FROM pages WHERE volume = ?1", [&r.id])?;
    let source = r.source.as_ref();
    tx.execute(
        "INSERT OR REPLACE INTO volumes
         (id, title, json, documents, pages, notes, source_path, source_hash, source_bytes, ingested_at, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
        params![
            r.id,
            r.title,
            r.json,
            r.documents,
            r.pages,
            r.notes,
            source.map(|s| s.path.as_str()),
            source.map(|s| s.hash.as_str()),
            source.map(|s| s.bytes as i64),
            r.ingested_at,
        ],
    )?;
    {
        let mut doc_stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO documents (volume, id, seq, heading, date_min, date_max, first_page, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut page_stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO pages (volume, page, doc) VALUES (?1, ?2, ?3)",
        )?;
        for d in &r.rows {
            doc_stmt.execute(params![
                r.id,
                d.id,
                d.seq,
                d.heading,
                d.date_min,
                d.date_max,
                d.first_page,
                d.json,
            ])?;
            for page in &d.pages {
                page_stmt.execute(params![r.id, page, d.id])?;
            }
        }
    }
    if let Some(s) = source {
        tx.execute(
            "DELETE FROM sources WHERE volume = ?1 AND path <> ?2",
            params![r.id, s.path],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO sources (path, hash, volume) VALUES (?1, ?2, ?3)",
            params![s.path, s.hash, r.id],
        )?;
    }
    tx.execute(
        "INSERT INTO changes (volume, op, at) VALUES (?1, ?2, ?3)",
        params![r.id, OP_PUT, r.ingested_at],
    )?;
    let seq = tx.last_insert_rowid();
    tx.execute(
        "UPDATE volumes SET rev = ?1 WHERE id = ?2",
        params![seq, r.id],
    )?;
    Ok(seq)
}

fn put_directory_tx(tx: &Transaction<'_>, name: &str, data: &[u8]) -> Result<i64> {
    tx.execute(
        "INSERT INTO changes (volume, op, at) VALUES (?1, ?2, ?3)",
        params![name, OP_DIRECTORY, super::now()],
    )?;
    let seq = tx.last_insert_rowid();
    tx.execute(
        "INSERT OR REPLACE INTO directories (name, data, rev) VALUES (?1, ?2, ?3)",
        params![name, data, seq],
    )?;
    Ok(seq)
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn schema_version(&self) -> Result<i64> {
        version(&self.conn())
    }

    fn database_id(&self) -> Result<String> {
        Ok(self.meta("database_id")?.unwrap_or_default())
    }

    fn put_volume(&self, record: &VolumeRecord) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = put_volume_tx(&tx, record)?;
        tx.commit()?;
        Ok(seq)
    }

    fn volume_record(&self, id: &str) -> Result<Option<VolumeRecord>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let row = tx
            .query_row(
                "SELECT title, json, documents, pages, notes, source_path, source_hash, source_bytes,
                        ingested_at, rev FROM volumes WHERE id = ?1",
                [id],
                |r| {
                    let source = match (r.get::<_, Option<String>>(5)?, r.get::<_, Option<String>>(6)?, r.get::<_, Option<i64>>(7)?) {
                        (Some(path), Some(hash), Some(bytes)) => Some(Source { path, hash, bytes: bytes as u64 }),
                        _ => None,
                    };
                    Ok(VolumeRecord {
                        id: id.to_string(),
                        title: r.get(0)?,
                        json: r.get(1)?,
                        documents: r.get(2)?,
                        pages: r.get(3)?,
                        notes: r.get(4)?,
                        source,
                        ingested_at: r.get(8)?,
                        rev: r.get(9)?,
                        rows: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut record) = row else {
            return Ok(None);
        };
        let mut pages = std::collections::HashMap::<String, Vec<String>>::new();
        {
            let mut stmt = tx.prepare("SELECT doc, page FROM pages WHERE volume = ?1")?;
            let rows = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
            for row in rows {
                let (doc, page) = row?;
                pages.entry(doc).or_default().push(page);
            }
            let mut stmt = tx.prepare(
                "SELECT id, seq, heading, date_min, date_max, first_page, json FROM documents
                 WHERE volume = ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(DocumentRow {
                    id: r.get(0)?,
                    seq: r.get(1)?,
                    heading: r.get(2)?,
                    date_min: r.get(3)?,
                    date_max: r.get(4)?,
                    first_page: r.get(5)?,
                    json: r.get(6)?,
                    pages: Vec::new(),
                })
            })?;
            for row in rows {
                let mut row = row?;
                row.pages = pages.remove(&row.id).unwrap_or_default();
                record.rows.push(row);
            }
        }
        tx.commit()?;
        Ok(Some(record))
    }

    fn volume_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM volumes WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn unchanged(&self, source: &Source) -> Result<bool> {
        unchanged(&self.conn(), source)
    }

    fn last_change(&self) -> Result<i64> {
        last_change(&self.conn())
    }

    fn changes_since(&self, seq: i64, limit: usize) -> Result<Vec<Change>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT seq, volume, op FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![seq, limit as i64], |r| {
            Ok(Change {
                seq: r.get(0)?,
                name: r.get(1)?,
                op: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_directory(&self, name: &str, data: &[u8]) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = put_directory_tx(&tx, name, data)?;
        tx.commit()?;
        Ok(seq)
    }

    fn directory(&self, name: &str) -> Result<Option<Directory>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT data, rev FROM directories WHERE name = ?1",
                [name],
                |r| {
                    Ok(Directory {
                        data: r.get(0)?,
                        rev: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }
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

/// The highest change-log sequence.
pub(crate) fn last_change(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })?,
    )
}

/// Volumes put after `seq`, each once, in order of their last change.
pub(crate) fn changed_since(conn: &Connection, seq: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT volume, MAX(seq) AS s FROM changes WHERE seq > ?1 AND op = 'put'
         GROUP BY volume ORDER BY s",
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
