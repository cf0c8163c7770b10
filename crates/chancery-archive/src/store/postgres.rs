//! The PostgreSQL catalog: one database shared by several nodes, the source of truth when
//! configured (`--database postgres://…`).
//!
//! Volumes go in with binary `COPY` inside one transaction each. The change log's sequences are
//! taken under a transaction-level advisory lock held to commit, so they grow in commit order and
//! a follower reading `seq > N` never skips a change that commits late. Connections are made on
//! first use and made again after a failure, so a store outlives a database restart.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, IsolationLevel, NoTls};

use super::{
    new_database_id, Change, Directory, DocumentRow, Source, Store, VolumeRecord, OP_DIRECTORY,
    OP_PUT, SCHEMA_VERSION,
};
use crate::{ArchiveError, Result};

/// Version 1: the tables of the SQLite catalog's version 1, in PostgreSQL's types.
const V1: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS volumes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    json BYTEA NOT NULL,
    documents BIGINT NOT NULL,
    pages BIGINT NOT NULL,
    notes BIGINT NOT NULL,
    source_path TEXT,
    source_hash TEXT,
    source_bytes BIGINT,
    ingested_at TEXT NOT NULL,
    rev BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    volume TEXT NOT NULL,
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    heading TEXT NOT NULL,
    date_min TEXT,
    date_max TEXT,
    first_page TEXT,
    json BYTEA NOT NULL,
    PRIMARY KEY (volume, id)
);
ALTER TABLE documents ALTER COLUMN json SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS documents_seq ON documents (volume, seq);
CREATE TABLE IF NOT EXISTS pages (
    volume TEXT NOT NULL,
    page TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (volume, page, doc)
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    volume TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    seq BIGSERIAL PRIMARY KEY,
    volume TEXT NOT NULL,
    op TEXT NOT NULL,
    at TEXT NOT NULL
);
";

/// Version 2: generic directories (the people directory), and the catalog's id.
const V2: &str = "
CREATE TABLE IF NOT EXISTS directories (
    name TEXT PRIMARY KEY,
    data BYTEA NOT NULL,
    rev BIGINT NOT NULL
);
";

/// Version 3: sources found by volume (a put replaces its volume's sources without a scan);
/// no index on document order (a volume's documents are read whole and sorted).
const V3: &str = "
CREATE INDEX IF NOT EXISTS sources_volume ON sources (volume);
DROP INDEX IF EXISTS documents_seq;
";

/// The migrations, in order: step `i` brings the database to version `i + 1`.
const MIGRATIONS: [&str; 3] = [V1, V2, V3];

/// Advisory lock key taken while migrating.
const MIGRATION_LOCK: i64 = 0x6368_616e_6301;
/// Advisory lock key taken (to commit) before a change-log row is appended.
const CHANGE_LOCK: i64 = 0x6368_616e_6302;

/// A PostgreSQL catalog.
pub struct PgStore {
    config: postgres::Config,
    target: String,
    version: i64,
    writer: Mutex<Option<Client>>,
    reader: Mutex<Option<Client>>,
}

impl PgStore {
    /// A store for the database at `url` (`postgres://user:password@host:port/database`).
    ///
    /// Nothing is connected yet: the first call connects and migrates the database to
    /// [`SCHEMA_VERSION`] (an older chancery refuses a newer database with
    /// [`ArchiveError::NewerSchema`]).
    pub fn new(url: &str) -> Result<PgStore> {
        Self::new_at_version(url, SCHEMA_VERSION)
    }

    /// A store that migrates the database no further than `version` (for upgrade tests).
    #[doc(hidden)]
    pub fn new_at_version(url: &str, version: i64) -> Result<PgStore> {
        let mut config = postgres::Config::from_str(url).map_err(|e| {
            ArchiveError::Postgres(format!(
                "invalid database URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE): {e}"
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_application_name().is_none() {
            config.application_name("chancery");
        }
        Ok(PgStore {
            target: describe(&config),
            config,
            version,
            writer: Mutex::new(None),
            reader: Mutex::new(None),
        })
    }

    /// Where the store points, without credentials (`host:port/database`).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Creates the database named by `url` when absent (connecting to the server's `postgres`
    /// database with the same credentials; the role needs `CREATEDB`).
    pub fn create_database(url: &str) -> Result<()> {
        let mut config = postgres::Config::from_str(url)
            .map_err(|e| ArchiveError::Postgres(format!("invalid database URL: {e}")))?;
        let name = config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or("postgres")
            .to_string();
        config.dbname("postgres");
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        let target = describe(&config);
        let mut client = config.connect(NoTls).map_err(|e| pg_error(&target, e))?;
        let exists = client
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .map_err(|e| pg_error(&target, e))?
            .is_some();
        if !exists {
            let sql = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
            client
                .batch_execute(&sql)
                .map_err(|e| pg_error(&target, e))?;
        }
        Ok(())
    }

    fn connect(&self) -> Result<Client> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|e| pg_error(&self.target, e))?;
        migrate(&mut client, self.version).map_err(|e| match e {
            ArchiveError::Postgres(m) => ArchiveError::Postgres(format!("{}: {m}", self.target)),
            e => e,
        })?;
        Ok(client)
    }

    /// Runs `f` on a connection (made when there is none or it broke); a connection that failed
    /// is dropped so the next call connects again.
    fn with<T>(
        &self,
        slot: &Mutex<Option<Client>>,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut guard: MutexGuard<'_, Option<Client>> =
            slot.lock().unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_none_or(|c| c.is_closed()) {
            *guard = None;
            *guard = Some(self.connect()?);
        }
        let client = guard.as_mut().expect("connected above");
        match f(client) {
            Ok(v) => Ok(v),
            Err(e) => {
                if e.as_db_error().is_none() || client.is_closed() {
                    *guard = None;
                }
                Err(pg_error(&self.target, e))
            }
        }
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        self.with(&self.writer, f)
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        self.with(&self.reader, f)
    }
}

fn describe(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("postgres://{host}:{port}/{db}")
}

/// A PostgreSQL error as a message that names the database and says what the server said.
fn pg_error(target: &str, e: postgres::Error) -> ArchiveError {
    let message = match e.as_db_error() {
        Some(db) => {
            let mut m = format!("{}: {}", db.severity(), db.message());
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            m
        }
        None => {
            let mut m = e.to_string();
            if let Some(src) = std::error::Error::source(&e) {
                let s = src.to_string();
                if !m.contains(&s) {
                    m.push_str(&format!(": {s}"));
                }
            }
            m
        }
    };
    ArchiveError::Postgres(format!("{target}: {message}"))
}

fn version(client: &mut impl GenericClient) -> std::result::Result<i64, postgres::Error> {
    let has_meta: bool = client
        .query_one("SELECT to_regclass('meta') IS NOT NULL", &[])?
        .get(0);
    if !has_meta {
        return Ok(0);
    }
    let v: Option<String> = client
        .query_opt("SELECT value FROM meta WHERE key = 'schema_version'", &[])?
        .map(|r| r.get(0));
    Ok(v.map_or(0, |v| v.parse::<i64>().unwrap_or(i64::MAX)))
}

fn migrate(client: &mut Client, target: i64) -> Result<()> {
    let err = |e: postgres::Error| pg_error("migration", e);
    let found = version(client).map_err(err)?;
    if found > SCHEMA_VERSION {
        return Err(ArchiveError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found >= target {
        return Ok(());
    }
    let mut tx = client.transaction().map_err(err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(err)?;
    let mut v = version(&mut tx).map_err(err)?;
    while v < target {
        if v > 0 {
            tracing::info!(from = v, to = v + 1, "upgrading the PostgreSQL catalog");
        }
        tx.batch_execute(MIGRATIONS[v as usize]).map_err(err)?;
        if v + 1 == 2 {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('database_id', $1) ON CONFLICT DO NOTHING",
                &[&new_database_id()],
            )
            .map_err(err)?;
        }
        v += 1;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&v.to_string()],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(())
}

/// Text PostgreSQL can hold: without NUL characters.
fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn opt_text(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(text)
}

fn put_volume_tx(
    tx: &mut postgres::Transaction<'_>,
    r: &VolumeRecord,
) -> std::result::Result<i64, postgres::Error> {
    let id = text(&r.id);
    let id: &str = &id;
    tx.execute("DELETE FROM documents WHERE volume = $1", &[&id])?;
    tx.execute("DELETE FROM pages WHERE volume = $1", &[&id])?;
    let source = r.source.as_ref();
    tx.execute(
        "INSERT INTO volumes
         (id, title, json, documents, pages, notes, source_path, source_hash, source_bytes, ingested_at, rev)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, json = EXCLUDED.json,
           documents = EXCLUDED.documents, pages = EXCLUDED.pages, notes = EXCLUDED.notes,
           source_path = EXCLUDED.source_path, source_hash = EXCLUDED.source_hash,
           source_bytes = EXCLUDED.source_bytes, ingested_at = EXCLUDED.ingested_at, rev = 0",
        &[
            &id,
            &text(&r.title).as_ref(),
            &r.json,
            &r.documents,
            &r.pages,
            &r.notes,
            &source.map(|s| text(&s.path).into_owned()),
            &source.map(|s| s.hash.as_str()),
            &source.map(|s| s.bytes as i64),
            &r.ingested_at,
        ],
    )?;
    {
        let sink = tx.copy_in(
            "COPY documents (volume, id, seq, heading, date_min, date_max, first_page, json)
             FROM STDIN (FORMAT binary)",
        )?;
        let types = [
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::BYTEA,
        ];
        let mut w = BinaryCopyInWriter::new(sink, &types);
        for d in &r.rows {
            let (doc_id, heading) = (text(&d.id), text(&d.heading));
            let (min, max, first) = (
                opt_text(&d.date_min),
                opt_text(&d.date_max),
                opt_text(&d.first_page),
            );
            let row: [&(dyn ToSql + Sync); 8] = [
                &id,
                &doc_id.as_ref(),
                &d.seq,
                &heading.as_ref(),
                &min.as_deref(),
                &max.as_deref(),
                &first.as_deref(),
                &d.json,
            ];
            w.write(&row)?;
        }
        w.finish()?;
    }
    {
        let sink = tx.copy_in("COPY pages (volume, page, doc) FROM STDIN (FORMAT binary)")?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT, Type::TEXT, Type::TEXT]);
        let mut seen = std::collections::HashSet::new();
        for d in &r.rows {
            let doc_id = text(&d.id);
            for page in &d.pages {
                let page = text(page);
                if seen.insert((page.clone(), doc_id.clone())) {
                    w.write(&[&id, &page.as_ref(), &doc_id.as_ref()])?;
                }
            }
        }
        w.finish()?;
    }
    if let Some(s) = source {
        let path = text(&s.path);
        let path: &str = &path;
        tx.execute(
            "DELETE FROM sources WHERE volume = $1 AND path <> $2",
            &[&id, &path],
        )?;
        tx.execute(
            "INSERT INTO sources (path, hash, volume) VALUES ($1, $2, $3)
             ON CONFLICT (path) DO UPDATE SET hash = EXCLUDED.hash, volume = EXCLUDED.volume",
            &[&path, &s.hash, &id],
        )?;
    }
    let seq = append_change(tx, id, OP_PUT, &r.ingested_at)?;
    tx.execute("UPDATE volumes SET rev = $1 WHERE id = $2", &[&seq, &id])?;
    Ok(seq)
}

/// Appends a change under the change lock, held to commit: sequences follow commit order.
fn append_change(
    tx: &mut postgres::Transaction<'_>,
    name: &str,
    op: &str,
    at: &str,
) -> std::result::Result<i64, postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHANGE_LOCK])?;
    Ok(tx
        .query_one(
            "INSERT INTO changes (volume, op, at) VALUES ($1, $2, $3) RETURNING seq",
            &[&name, &op, &at],
        )?
        .get(0))
}

fn volume_record(
    client: &mut Client,
    id: &str,
) -> std::result::Result<Option<VolumeRecord>, postgres::Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let Some(row) = tx.query_opt(
        "SELECT title, json, documents, pages, notes, source_path, source_hash, source_bytes,
                ingested_at, rev FROM volumes WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let source = match (
        row.get::<_, Option<String>>(5),
        row.get::<_, Option<String>>(6),
        row.get::<_, Option<i64>>(7),
    ) {
        (Some(path), Some(hash), Some(bytes)) => Some(Source {
            path,
            hash,
            bytes: bytes as u64,
        }),
        _ => None,
    };
    let mut record = VolumeRecord {
        id: id.to_string(),
        title: row.get(0),
        json: row.get(1),
        documents: row.get(2),
        pages: row.get(3),
        notes: row.get(4),
        source,
        ingested_at: row.get(8),
        rev: row.get(9),
        rows: Vec::new(),
    };
    let mut pages = std::collections::HashMap::<String, Vec<String>>::new();
    for r in tx.query("SELECT doc, page FROM pages WHERE volume = $1", &[&id])? {
        pages.entry(r.get(0)).or_default().push(r.get(1));
    }
    for r in tx.query(
        "SELECT id, seq, heading, date_min, date_max, first_page, json FROM documents
         WHERE volume = $1 ORDER BY seq",
        &[&id],
    )? {
        let doc: String = r.get(0);
        record.rows.push(DocumentRow {
            pages: pages.remove(&doc).unwrap_or_default(),
            id: doc,
            seq: r.get(1),
            heading: r.get(2),
            date_min: r.get(3),
            date_max: r.get(4),
            first_page: r.get(5),
            json: r.get(6),
        });
    }
    tx.commit()?;
    Ok(Some(record))
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn schema_version(&self) -> Result<i64> {
        self.read(version)
    }

    fn database_id(&self) -> Result<String> {
        self.read(|c| {
            Ok(
                c.query_opt("SELECT value FROM meta WHERE key = 'database_id'", &[])?
                    .map(|r| r.get(0))
                    .unwrap_or_default(),
            )
        })
    }

    fn put_volume(&self, record: &VolumeRecord) -> Result<i64> {
        self.write(|c| {
            let mut tx = c.transaction()?;
            let seq = put_volume_tx(&mut tx, record)?;
            tx.commit()?;
            Ok(seq)
        })
    }

    fn volume_record(&self, id: &str) -> Result<Option<VolumeRecord>> {
        self.read(|c| volume_record(c, id))
    }

    fn volume_exists(&self, id: &str) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_opt("SELECT 1 FROM volumes WHERE id = $1", &[&id])?
                .is_some())
        })
    }

    fn unchanged(&self, source: &Source) -> Result<bool> {
        self.read(|c| {
            let hash: Option<String> = c
                .query_opt(
                    "SELECT s.hash FROM sources s JOIN volumes v ON v.id = s.volume WHERE s.path = $1",
                    &[&source.path],
                )?
                .map(|r| r.get(0));
            Ok(hash.as_deref() == Some(source.hash.as_str()))
        })
    }

    fn last_change(&self) -> Result<i64> {
        self.read(|c| {
            Ok(
                c.query_one("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM changes", &[])?
                    .get(0),
            )
        })
    }

    fn changes_since(&self, seq: i64, limit: usize) -> Result<Vec<Change>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT seq, volume, op FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&seq, &(limit as i64)],
            )?
            .iter()
            .map(|r| Change {
                seq: r.get(0),
                name: r.get(1),
                op: r.get(2),
            })
            .collect())
        })
    }

    fn put_directory(&self, name: &str, data: &[u8]) -> Result<i64> {
        self.write(|c| {
            let mut tx = c.transaction()?;
            let seq = append_change(&mut tx, name, OP_DIRECTORY, &super::now())?;
            tx.execute(
                "INSERT INTO directories (name, data, rev) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, rev = EXCLUDED.rev",
                &[&name, &data, &seq],
            )?;
            tx.commit()?;
            Ok(seq)
        })
    }

    fn directory(&self, name: &str) -> Result<Option<Directory>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT data, rev FROM directories WHERE name = $1",
                &[&name],
            )?
            .map(|r| Directory {
                data: r.get(0),
                rev: r.get(1),
            }))
        })
    }
}
