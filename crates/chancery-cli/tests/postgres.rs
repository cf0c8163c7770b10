//! `chancery --database postgres://…`: ingest through the primary, read through a node that
//! follows the streaming standby from an empty data folder, and the same answers as the
//! embedded archive; an unreachable database leaves reads working and ingest clean.
//!
//! Needs `CHANCERY_PG_URL` (the primary) and `CHANCERY_PG_STANDBY_URL` (its standby), as
//! `.ci/postgres.sh` exports them; without them the tests note it and return, except under CI
//! (`CI` set), where they fail. Each test makes its own database, so they run in parallel.

use std::process::Output;
use std::time::{Duration, Instant};

use chancery_archive::store::Store;
use chancery_archive::PgStore;
use chancery_testdata::{corpus, database_name, pg_env, with_database};

mod common;
use common::{chancery_db as chancery, json_ok as json, s, stderr};

/// A URL no database answers at (nothing listens on port 1 of loopback).
const DOWN: &str = "postgres://chancery:chancery@127.0.0.1:1/chancery";

/// A fresh database of the test's own on the primary; its name and URL.
fn fresh_database(primary: &str, tag: &str) -> (String, String) {
    let name = database_name(&format!("cli_{tag}"));
    let url = with_database(primary, &name);
    PgStore::create_database(&url).unwrap();
    (name, url)
}

/// What a search answers, independent of the order of equally scored hits (queries whose
/// equal scores straddle the limit are asked with a limit above their total: which of them
/// make the cut depends on where each node's index put them).
fn answer(v: &serde_json::Value) -> (serde_json::Value, Vec<String>, serde_json::Value) {
    let mut keys: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    (v["total"].clone(), keys, v["facets"].clone())
}

/// The volumes a folder holds: id, documents, pages, notes (not when or from where).
fn volumes(o: &Output) -> Vec<(String, u64, u64, u64)> {
    json(o)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["documents"].as_u64().unwrap(),
                v["pages"].as_u64().unwrap(),
                v["notes"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Waits (bounded) until the standby has replayed the primary's change log up to `last`.
fn wait_for_standby(standby: &str, last: i64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let store = PgStore::new(standby).unwrap();
    loop {
        match store.last_change() {
            Ok(seq) if seq >= last => return,
            other => {
                assert!(
                    Instant::now() < deadline,
                    "the standby did not replay up to change {last}: {other:?}"
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

const QUERIES: [&[&str]; 6] = [
    &["Afghanistan most-favored-nation"],
    &["\"Mosquito Reservation\""],
    &["Guatemala -Arbenz", "--limit", "50"],
    &[
        "oil", "--from", "1936-03", "--to", "1936-06", "--sort", "date",
    ],
    &["telegram*", "--facets", "--limit", "1000"],
    &["", "--volume", "frus1894Nicaragua", "--limit", "1000"],
];

#[test]
fn a_node_on_the_standby_answers_as_the_embedded_archive() {
    let Some(corpus) = corpus() else { return };
    let (Some(primary), Some(standby)) =
        (pg_env("CHANCERY_PG_URL"), pg_env("CHANCERY_PG_STANDBY_URL"))
    else {
        return;
    };
    let (name, primary) = fresh_database(&primary, "standby");
    let standby = with_database(&standby, &name);
    let frus = corpus.join("frus");
    let history = corpus.join("frus-history/documents");
    let (a, b, e) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );

    // Ingest through the primary with folder A, and into an embedded archive E.
    let ingest = ["ingest", "--json", s(&frus), s(&history)];
    let through_pg = json(&chancery(a.path(), Some(&primary), &ingest));
    assert_eq!(
        (&through_pg["added"], &through_pg["failed"]),
        (&66.into(), &0.into())
    );
    let embedded = json(&chancery(e.path(), None, &ingest));
    assert_eq!(through_pg["documents"], embedded["documents"]);

    // The unchanged check asks the database: a new, empty folder finds every file there.
    let c = tempfile::tempdir().unwrap();
    let again = json(&chancery(c.path(), Some(&primary), &ingest));
    assert_eq!(again["unchanged"], 66, "{again}");

    // A node with an empty folder B, pointed at the standby, answers as E does.
    let last = PgStore::new(&primary).unwrap().last_change().unwrap();
    assert!(last >= 66);
    wait_for_standby(&standby, last);
    for q in QUERIES {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(q);
        let from_standby = json(&chancery(b.path(), Some(&standby), &args));
        let from_embedded = json(&chancery(e.path(), None, &args));
        assert!(from_embedded["total"].as_u64().unwrap() > 0, "{q:?}");
        assert_eq!(answer(&from_standby), answer(&from_embedded), "{q:?}");
    }
    assert_eq!(
        volumes(&chancery(b.path(), Some(&standby), &["volumes", "--json"])),
        volumes(&chancery(e.path(), None, &["volumes", "--json"]))
    );
    for key in ["frus1936v03/d1", "frus1894Nicaragua/d10"] {
        let shown = chancery(b.path(), Some(&standby), &["show", key]);
        assert!(shown.status.success(), "{}", stderr(&shown));
        assert_eq!(
            shown.stdout,
            chancery(e.path(), None, &["show", key]).stdout
        );
    }
    let check = chancery(b.path(), None, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // Through the standby, files already there are found unchanged; writes fail cleanly.
    let o = json(&chancery(
        b.path(),
        Some(&standby),
        &["ingest", "--json", s(&frus)],
    ));
    assert_eq!(o["unchanged"], 3);
    let o = chancery(b.path(), Some(&standby), &["ingest", "--force", s(&frus)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
}

#[test]
fn an_unreachable_database_keeps_reads_and_fails_ingest_cleanly() {
    let Some(corpus) = corpus() else { return };
    let Some(primary) = pg_env("CHANCERY_PG_URL") else {
        return;
    };
    let (_, primary) = fresh_database(&primary, "down");
    let frus = corpus.join("frus");
    let history = corpus.join("frus-history/documents");
    let a = tempfile::tempdir().unwrap();
    let o = json(&chancery(
        a.path(),
        Some(&primary),
        &["ingest", "--json", s(&frus)],
    ));
    assert_eq!(o["added"], 3);
    let last = PgStore::new(&primary).unwrap().last_change().unwrap();
    let up = json(&chancery(
        a.path(),
        Some(&primary),
        &["search", "--json", "oil"],
    ));

    // Reads answer from the synced folder, with a warning.
    let o = chancery(a.path(), Some(DOWN), &["search", "--json", "oil"]);
    assert!(
        stderr(&o).contains("answering from the local copy"),
        "{}",
        stderr(&o)
    );
    assert_eq!(answer(&json(&o)), answer(&up));
    let shown = chancery(a.path(), Some(DOWN), &["show", "frus1936v03/d1"]);
    assert!(shown.status.success(), "{}", stderr(&shown));

    // Ingest fails with a message naming the database, and writes nothing anywhere.
    let o = chancery(a.path(), Some(DOWN), &["ingest", s(&history)]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("PostgreSQL") && err.contains("127.0.0.1:1"),
        "{err}"
    );
    assert_eq!(
        volumes(&chancery(a.path(), Some(DOWN), &["volumes", "--json"])).len(),
        3
    );
    assert_eq!(PgStore::new(&primary).unwrap().last_change().unwrap(), last);
    let check = chancery(a.path(), None, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // Once the database is back, the same ingest completes.
    let o = json(&chancery(
        a.path(),
        Some(&primary),
        &["ingest", "--json", s(&frus), s(&history)],
    ));
    assert_eq!((&o["added"], &o["unchanged"]), (&63.into(), &3.into()));
}
