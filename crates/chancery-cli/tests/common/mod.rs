//! Running the `chancery` binary from the integration tests, and reading what it prints.
//!
//! Each test file is its own crate and uses a part of these.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// `chancery --data DATA ARGS…` on the embedded archive, run to its end.
pub fn chancery(data: &Path, args: &[&str]) -> Output {
    chancery_db(data, None, args)
}

/// `chancery --data DATA [--database URL] ARGS…`, run to its end (a `CHANCERY_DATABASE` in the
/// test's environment is not passed on).
pub fn chancery_db(data: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chancery"));
    c.arg("--data").arg(data);
    if let Some(db) = database {
        c.arg("--database").arg(db);
    }
    c.args(args)
        .env_remove("CHANCERY_DATABASE")
        .output()
        .expect("chancery runs")
}

/// What it printed on standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What it printed on standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Its standard output as JSON, whatever its exit status.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

/// Its standard output as JSON, after checking that it succeeded.
pub fn json_ok(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    json(o)
}

/// Document count of each volume, from the JSON of `chancery volumes --json`.
pub fn volume_documents(o: &Output) -> BTreeMap<String, u64> {
    json_ok(o)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["documents"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
