//! The store contract, run against both backends (SQLite, and PostgreSQL at `CHANCERY_PG_URL`),
//! migrations of older catalogs and the refusal of newer ones, and an archive that follows a
//! PostgreSQL catalog into its data folder.
//!
//! PostgreSQL tests each make their own database on the server at `CHANCERY_PG_URL`, so they run
//! in parallel. Without the variable they note it and return, except under CI (`CI` set), where
//! they fail.

use std::path::Path;

use chancery_archive::store::{
    Change, PgStore, SqliteStore, Store, VolumeRecord, OP_DIRECTORY, OP_PUT,
};
use chancery_archive::{Archive, ArchiveError, SearchRequest, Source, SCHEMA_VERSION};
use chancery_testdata::{database_name, pg_env, with_database};

/// A new, empty database of its own for one test; its URL.
fn fresh_pg(tag: &str) -> Option<String> {
    let server = pg_env("CHANCERY_PG_URL")?;
    let url = with_database(&server, &database_name(&format!("t_{tag}")));
    PgStore::create_database(&url).unwrap();
    Some(url)
}

fn tei(title: &str, word: &str, docs: usize) -> String {
    let mut body = String::new();
    for i in 1..=docs {
        body.push_str(&format!(
            "<div type=\"document\" xml:id=\"d{i}\" n=\"{i}\"><pb n=\"{i}\" xml:id=\"pg_{i}\"/>\
             <head>Document {i} on {word}</head><p>The {word} question, part {i}.</p>\
             <pb n=\"{}\" xml:id=\"pg_{}\"/><p>More on {word}.</p></div>\n",
            i + 1,
            i + 1
        ));
    }
    format!(
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt>\
         <title>{title}</title></titleStmt></fileDesc></teiHeader><text><body>\n{body}</body></text></TEI>\n"
    )
}

fn read(id: &str, xml: &str) -> (chancery_model::Volume, Vec<chancery_model::Document>) {
    let r = chancery_tei::read(xml.as_bytes(), id).unwrap();
    (r.volume, r.documents)
}

fn record(id: &str, word: &str, docs: usize, source: Option<(&str, &str)>) -> VolumeRecord {
    let (volume, documents) = read(id, &tei(&format!("Volume {id}"), word, docs));
    let mut r = VolumeRecord::new(&volume, &documents, docs as u64 + 1, 0).unwrap();
    r.source = source.map(|(path, hash)| Source {
        path: path.into(),
        hash: hash.into(),
        bytes: 100,
    });
    r
}

fn source(path: &str, hash: &str) -> Source {
    Source {
        path: path.into(),
        hash: hash.into(),
        bytes: 100,
    }
}

/// What every store must do.
fn contract(store: &dyn Store) {
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(!store.database_id().unwrap().is_empty());
    assert_eq!(store.last_change().unwrap(), 0);
    assert!(store.changes_since(0, 10).unwrap().is_empty());
    assert!(store.volume_record("a").unwrap().is_none());
    assert!(!store.volume_exists("a").unwrap());

    // Put: everything comes back as it went in.
    let a = record("a", "alpha", 2, Some(("/files/a.xml", "h1")));
    let s1 = store.put_volume(&a).unwrap();
    assert!(s1 > 0);
    let got = store.volume_record("a").unwrap().unwrap();
    assert_eq!(got.rev, s1);
    assert_eq!(
        VolumeRecord {
            rev: 0,
            ..got.clone()
        },
        a
    );
    assert_eq!(got.rows.len(), 2);
    assert_eq!(got.rows[1].pages, vec!["2".to_string(), "3".to_string()]);
    let docs = got.decode_documents().unwrap();
    assert_eq!(docs[0].id, "d1");
    assert_eq!(got.volume().unwrap().id, "a");
    assert!(store.volume_exists("a").unwrap());

    // The unchanged check: same path and hash only.
    assert!(store.unchanged(&source("/files/a.xml", "h1")).unwrap());
    assert!(!store.unchanged(&source("/files/a.xml", "h2")).unwrap());
    assert!(!store.unchanged(&source("/files/b.xml", "h1")).unwrap());

    let b = record("b", "beta", 1, None);
    let s2 = store.put_volume(&b).unwrap();
    assert!(s2 > s1);

    // Replace: the old documents and pages go, the new source counts.
    let a2 = record("a", "gamma", 3, Some(("/files/a.xml", "h2")));
    let s3 = store.put_volume(&a2).unwrap();
    assert!(s3 > s2);
    let got = store.volume_record("a").unwrap().unwrap();
    assert_eq!(
        VolumeRecord {
            rev: 0,
            ..got.clone()
        },
        a2
    );
    assert!(got.rows.iter().all(|r| r.heading.contains("gamma")));
    assert!(!store.unchanged(&source("/files/a.xml", "h1")).unwrap());
    assert!(store.unchanged(&source("/files/a.xml", "h2")).unwrap());

    // Documents repeating an id keep the last one.
    let (volume, documents) = read("c", &tei("C", "delta", 1));
    let twice: Vec<_> = documents.iter().chain(documents.iter()).cloned().collect();
    let c = VolumeRecord::new(&volume, &twice, 2, 0).unwrap();
    assert_eq!((c.documents, c.rows.len(), c.rows[0].seq), (2, 1, 1));
    store.put_volume(&c).unwrap();
    assert_eq!(store.volume_record("c").unwrap().unwrap().rows.len(), 1);
    let s4 = store.last_change().unwrap();

    // Directories: put, replace, get; each put is a change.
    assert!(store.directory("people").unwrap().is_none());
    let d1 = store.put_directory("people", b"first").unwrap();
    assert!(d1 > s4);
    let d2 = store
        .put_directory("people", &vec![7u8; 3_000_000])
        .unwrap();
    let dir = store.directory("people").unwrap().unwrap();
    assert_eq!((dir.data.len(), dir.rev), (3_000_000, d2));

    // The change log: every write, in order.
    let log = store.changes_since(0, 100).unwrap();
    let ops: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.name.as_str(), c.op.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("a", OP_PUT),
            ("b", OP_PUT),
            ("a", OP_PUT),
            ("c", OP_PUT),
            ("people", OP_DIRECTORY),
            ("people", OP_DIRECTORY)
        ]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(log[0].seq, s1);
    assert_eq!(
        store.changes_since(s2, 2).unwrap(),
        vec![
            Change {
                seq: s3,
                name: "a".into(),
                op: OP_PUT.into()
            },
            log[3].clone()
        ]
    );
    assert_eq!(store.last_change().unwrap(), d2);
    assert_eq!(d1, log[4].seq);
}

#[test]
fn sqlite_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("catalog.sqlite")).unwrap();
    contract(&store);
}

#[test]
fn postgres_store_contract() {
    let Some(url) = fresh_pg("contract") else {
        return;
    };
    let store = PgStore::new(&url).unwrap();
    assert_eq!(store.backend(), "postgres");
    contract(&store);
}

/// A version-1 catalog (as the first releases wrote it) with one volume, upgraded on open.
fn upgrade(old: &dyn Store, open_new: impl Fn() -> Box<dyn Store>) {
    assert_eq!(old.schema_version().unwrap(), 1);
    let a = record("a", "alpha", 2, Some(("/files/a.xml", "h1")));
    let seq = old.put_volume(&a).unwrap();
    let new = open_new();
    assert_eq!(new.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(new.volume_record("a").unwrap().unwrap().rev, seq);
    assert!(new.unchanged(&source("/files/a.xml", "h1")).unwrap());
    assert!(!new.database_id().unwrap().is_empty());
    let d = new.put_directory("people", b"x").unwrap();
    assert!(d > seq);
    assert_eq!(new.directory("people").unwrap().unwrap().data, b"x");
}

#[test]
fn sqlite_version_1_catalog_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.sqlite");
    let old = SqliteStore::open_at_version(&path, 1).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let tables: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'directories'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "version 1 has no directories");
    }
    upgrade(&old, || Box::new(SqliteStore::open(&path).unwrap()));
    drop(old);

    // The whole archive opens over it, builds its index from the catalog, and answers.
    let archive = Archive::open(dir.path()).unwrap();
    archive.sync().unwrap();
    assert_eq!(archive.volumes().unwrap().len(), 1);
    let r = archive
        .search(&SearchRequest {
            query: "alpha".into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(r.total, 2);
    assert!(archive.check().unwrap().problems.is_empty());
}

#[test]
fn postgres_version_1_database_is_upgraded() {
    let Some(url) = fresh_pg("upgrade") else {
        return;
    };
    let old = PgStore::new_at_version(&url, 1).unwrap();
    upgrade(&old, || Box::new(PgStore::new(&url).unwrap()));
}

fn assert_newer(e: ArchiveError) {
    assert!(
        matches!(e, ArchiveError::NewerSchema { found: 999, supported } if supported == SCHEMA_VERSION),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("999") && msg.contains("upgrade chancery"),
        "{msg}"
    );
}

#[test]
fn sqlite_newer_catalog_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.sqlite");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '999' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    assert_newer(SqliteStore::open(&path).err().unwrap());
    assert_newer(Archive::open(dir.path()).err().unwrap());
}

#[test]
fn postgres_newer_database_is_refused() {
    let Some(url) = fresh_pg("newer") else {
        return;
    };
    PgStore::new(&url).unwrap().last_change().unwrap();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute(
            "UPDATE meta SET value = '999' WHERE key = 'schema_version'",
            &[],
        )
        .unwrap();
    let store = PgStore::new(&url).unwrap();
    assert_newer(store.last_change().err().unwrap());
    // An archive over it still opens (reads come from the folder) but will not follow it.
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open_with(dir.path(), Some(&url)).unwrap();
    assert_newer(archive.sync().err().unwrap());
    assert!(archive.ingest().is_err());
}

fn search(archive: &Archive, q: &str) -> Vec<String> {
    archive
        .search(&SearchRequest {
            query: q.into(),
            limit: 50,
            ..SearchRequest::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.key)
        .collect()
}

/// Hits as a sorted list: equal scores may come in another order on another node.
fn found(archive: &Archive, q: &str) -> Vec<String> {
    let mut v = search(archive, q);
    v.sort();
    v
}

fn put(archive: &Archive, id: &str, word: &str, docs: usize, path: &Path) {
    let xml = tei(&format!("Volume {id}"), word, docs);
    std::fs::write(path, &xml).unwrap();
    let (volume, documents) = read(id, &xml);
    let mut w = archive.ingest().unwrap();
    w.put(&volume, documents, Some(&Source::of(path, xml.as_bytes())))
        .unwrap();
    w.commit().unwrap();
}

#[test]
fn a_folder_follows_the_postgres_catalog() {
    let Some(url) = fresh_pg("follow") else {
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Archive::open_with(dir_a.path(), Some(&url)).unwrap();
    assert!(!a.sync_status().ready);
    put(&a, "v1", "alpha", 3, &files.path().join("v1.xml"));
    put(&a, "v2", "beta", 2, &files.path().join("v2.xml"));
    assert_eq!(search(&a, "alpha").len(), 3);
    assert!(a
        .is_unchanged(&Source::of(
            &files.path().join("v1.xml"),
            tei("Volume v1", "alpha", 3).as_bytes()
        ))
        .unwrap());

    // A new node, empty, copies everything and indexes it.
    let b = Archive::open_with(dir_b.path(), Some(&url)).unwrap();
    let report = b.sync().unwrap();
    assert_eq!((report.volumes, report.directories), (2, 0));
    let status = b.sync_status();
    assert!(status.ready, "{status:?}");
    assert_eq!(status.lag, 0);
    assert_eq!(status.local_seq, status.upstream_seq);
    assert!(status.last_error.is_none() && status.last_success.is_some());
    assert_eq!(found(&b, "alpha"), found(&a, "alpha"));
    assert_eq!(search(&b, "beta").len(), 2);
    assert!(b.check().unwrap().problems.is_empty());

    // Changes through one node reach the other: a replaced volume and a directory.
    put(&a, "v1", "gamma", 4, &files.path().join("v1.xml"));
    a.put_directory("people", b"{\"people\":[]}").unwrap();
    assert_eq!(
        b.sync().unwrap(),
        chancery_archive::SyncReport {
            volumes: 1,
            directories: 1,
            upstream_seq: a.sync_status().upstream_seq.max(4),
        }
    );
    assert!(search(&b, "alpha").is_empty());
    assert_eq!(search(&b, "gamma").len(), 4);
    assert_eq!(
        b.directory("people").unwrap().unwrap().data,
        b"{\"people\":[]}"
    );
    assert_eq!(b.sync().unwrap().volumes, 0, "nothing new");
    assert!(b.check().unwrap().problems.is_empty());

    // The writing node's own folder is current too, without copying its own writes again.
    assert_eq!(a.sync().unwrap().volumes, 0);
    assert_eq!(
        a.directory("people").unwrap().unwrap().data,
        b"{\"people\":[]}"
    );

    // A follower thread keeps the folder current by itself.
    let b = std::sync::Arc::new(b);
    let follower = Archive::follow(&b, std::time::Duration::from_millis(50)).unwrap();
    put(&a, "v3", "epsilon", 2, &files.path().join("v3.xml"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while search(&b, "epsilon").len() < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            b.sync_status()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(b.sync_status().lag, 0);

    // Without the database the folder answers, but refuses writes.
    drop(b);
    follower.join().unwrap();
    let down = Archive::open_with(
        dir_b.path(),
        Some("postgres://chancery:chancery@127.0.0.1:1/chancery"),
    )
    .unwrap();
    assert!(down.sync_status().ready);
    let e = down.sync().unwrap_err();
    assert!(matches!(e, ArchiveError::Postgres(_)), "{e}");
    let status = down.sync_status();
    assert!(status.last_error.is_some() && status.ready, "{status:?}");
    assert_eq!(search(&down, "gamma").len(), 4);
    assert!(down.document("v2/d1").unwrap().is_some());
    assert!(down.ingest().is_err());
    drop(down);
    let embedded = Archive::open(dir_b.path()).unwrap();
    assert_eq!(search(&embedded, "gamma").len(), 4);
    let e = embedded.ingest().err().unwrap();
    assert!(e.to_string().contains("--database"), "{e}");

    // A folder holding an embedded archive does not silently become a copy.
    let dir_e = tempfile::tempdir().unwrap();
    let e = Archive::open(dir_e.path()).unwrap();
    put(&e, "v9", "omega", 1, &files.path().join("v9.xml"));
    drop(e);
    let e = Archive::open_with(dir_e.path(), Some(&url)).unwrap();
    assert!(matches!(e.sync().unwrap_err(), ArchiveError::Upstream(_)));
}

#[test]
fn the_standby_serves_what_the_primary_took() {
    let Some(url) = fresh_pg("standby") else {
        return;
    };
    let Some(standby) = pg_env("CHANCERY_PG_STANDBY_URL") else {
        return;
    };
    let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    let standby = with_database(&standby, db);
    let files = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Archive::open_with(dir_a.path(), Some(&url)).unwrap();
    put(&a, "v1", "alpha", 3, &files.path().join("v1.xml"));
    let last = PgStore::new(&url).unwrap().last_change().unwrap();
    let b = Archive::open_with(dir_b.path(), Some(&standby)).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        match b.sync() {
            Ok(r) if r.upstream_seq >= last => break,
            other => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "standby never caught up: {other:?}"
                );
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    }
    assert_eq!(found(&b, "alpha"), found(&a, "alpha"));
    // Writes through a standby fail cleanly.
    assert!(b
        .ingest()
        .and_then(|mut w| {
            let (v, d) = read("v2", &tei("V2", "beta", 1));
            w.put(&v, d, None)?;
            w.commit()
        })
        .is_err());
    assert!(search(&b, "beta").is_empty());
}
