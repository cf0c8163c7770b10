//! Where Chancery's tests find real data.
//!
//! The corpus lives outside the repository, at `$CHANCERY_CORPUS` (default `../shared/corpus`
//! beside the workspace). When it is missing, tests skip with a note, except under CI (`CI` set),
//! where a missing corpus is an error: CI must never pass by testing nothing.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crate lives two levels below the workspace")
        .to_path_buf()
}

/// The shared corpus folder, or `None` (after printing why) when it is absent outside CI.
///
/// # Panics
/// When `CI` is set and the corpus is missing.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("CHANCERY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    present(dir, "CHANCERY_CORPUS")
}

/// The seed document (`shared/seed/000_36a440fcf6bbd698.txt`), or `None` outside CI when absent.
///
/// # Panics
/// When `CI` is set and the seed is missing.
pub fn seed() -> Option<PathBuf> {
    let file = std::env::var_os("CHANCERY_SEED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/seed/000_36a440fcf6bbd698.txt"));
    present(file, "CHANCERY_SEED")
}

fn present(path: PathBuf, var: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let msg = format!("{} not found (set {var})", path.display());
    if std::env::var_os("CI").is_some() {
        panic!("{msg}: under CI the shared data must be present");
    }
    eprintln!("skipping: {msg}");
    None
}

/// Every `*.xml` file directly in `dir`, sorted.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    v
}

/// A PostgreSQL setting for tests from the environment variable `var`, as `.ci/postgres.sh`
/// exports them (`CHANCERY_PG_URL` for the primary's URL, `CHANCERY_PG_STANDBY_URL` for its
/// streaming standby's, `CHANCERY_PG_PRIMARY_CLUSTER` for `pg_ctlcluster`), or `None` (after a
/// note) outside CI.
///
/// # Panics
/// When `CI` is set and the variable is missing.
pub fn pg_env(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{var} is not set: under CI the PostgreSQL tests must run (see .ci/postgres.sh)")
        }
        _ => {
            eprintln!("skipping: {var} not set (run `eval \"$(.ci/postgres.sh)\"`)");
            None
        }
    }
}

/// `url` naming database `db` instead (`postgres://u:p@h:5432/x?opt` → `…/db?opt`).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..authority_end])
}

/// A database name no other test or test run uses: `chancery_{tag}_{pid}_{nanos}`.
pub fn database_name(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("chancery_{tag}_{}_{nanos}", std::process::id())
}
