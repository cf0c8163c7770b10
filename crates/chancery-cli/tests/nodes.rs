//! Several `chancery serve` nodes over one PostgreSQL primary and its streaming standby, with
//! faults: a node killed under a steady load of searches and documents, the primary restarted
//! during an ingest, a node following the standby.
//!
//! Needs `CHANCERY_PG_URL` (the primary), `CHANCERY_PG_STANDBY_URL` (its standby) and
//! `CHANCERY_PG_PRIMARY_CLUSTER` (`VERSION NAME`, for `pg_ctlcluster`), as `.ci/postgres.sh`
//! exports them. Without them the tests say so and return, except under CI (`CI` set), where
//! they fail. Each test makes its own database; they run one at a time because one of them
//! restarts the primary. Every wait has a deadline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chancery_testdata::{corpus, database_name, pg_env, with_database};

mod common;
use common::{chancery_db as chancery, json_ok as json, s, stderr, volume_documents};

/// One test at a time: restarting the primary would break the others.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Processes the tests started (servers, ingests), for the watchdog to end.
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn track(child: &Child) {
    CHILDREN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(child.id());
}

/// Ends the test process (and the processes it started) when a test runs past `limit`: a hung
/// server, ingest or database must fail the run, not hold it forever. Dropping the guard
/// disarms it.
struct Watchdog(Arc<AtomicBool>);

fn watchdog(limit: Duration, what: &'static str) -> Watchdog {
    let done = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&done);
    std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < limit {
            if seen.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!("{what}: still running after {limit:?}; ending the test process");
        for pid in CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
        std::process::exit(101);
    });
    Watchdog(done)
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// `psql` against `url`, one command; its output.
fn psql(url: &str, sql: &str) -> String {
    let o = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs");
    assert!(
        o.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// A database of the test's own on the primary, dropped at the end.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn create(primary: &str, tag: &str) -> Database {
        let name = database_name(&format!("nodes_{tag}"));
        psql(primary, &format!("CREATE DATABASE {name}"));
        Database {
            admin: primary.to_string(),
            url: with_database(primary, &name),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // Nodes are gone by now; WITH (FORCE) ends any connection left.
        let _ = Command::new("psql")
            .args(["-X", "-q", "-d", &self.admin, "-c"])
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .output();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET `path` from the node at `port`: status and body, or the transport error.
fn get(agent: &ureq::Agent, port: u16, path: &str) -> Result<(u16, String), String> {
    let mut resp = agent
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

/// A `chancery serve` node: its own data folder, a loopback port, following `database`.
struct Node {
    name: &'static str,
    data: PathBuf,
    database: String,
    port: u16,
    child: Option<Child>,
    /// How long its last start took until it answered HTTP.
    answering_after: Duration,
}

impl Node {
    fn start(name: &'static str, data: PathBuf, database: &str) -> Node {
        let mut node = Node {
            name,
            data,
            database: database.to_string(),
            port: 0,
            child: None,
            answering_after: Duration::ZERO,
        };
        node.restart();
        node
    }

    /// Starts (again) on a new free port, with the same data folder.
    fn restart(&mut self) {
        assert!(self.child.is_none());
        self.port = free_port();
        let started = Instant::now();
        let log = std::fs::File::create(self.data.with_extension("log")).unwrap();
        std::fs::create_dir_all(&self.data).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_chancery"))
            .arg("--data")
            .arg(&self.data)
            .arg("--database")
            .arg(&self.database)
            .args(["serve", "--listen", &format!("127.0.0.1:{}", self.port)])
            .env_remove("CHANCERY_DATABASE")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("chancery serve starts");
        track(&child);
        self.child = Some(child);
        let agent = agent();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((200, _)) = get(&agent, self.port, "/api") {
                self.answering_after = started.elapsed();
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("node {} exited: {status}\n{}", self.name, self.log());
            }
            assert!(
                Instant::now() < deadline,
                "node {} does not answer after 60 s\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// kill -9.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().ok();
            c.wait().ok();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.data.with_extension("log")).unwrap_or_default()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Queries whose answers the nodes must agree on (and match the embedded archive's totals).
const QUERIES: [&str; 6] = [
    "q=%22most-favored-nation%22+Afghanistan&limit=20",
    "q=oil+concession&limit=20&facets=true",
    "q=telegram*+-Iraq&limit=20",
    "q=Mosquito+OR+Guatemala&limit=20&sort=date",
    "q=memorandum&limit=20&facets=true",
    "q=Kennan&limit=20",
];

/// Documents fetched under load and compared across nodes.
const DOCUMENTS: [&str; 4] = [
    "/api/documents/frus1936v03/d1",
    "/api/documents/frus1894Nicaragua/d42",
    "/api/documents/frus1952-54Guat/d221",
    "/api/documents/frus1936v03/d300",
];

/// What a caught-up node answers: the totals of `QUERIES` and the number of volumes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expect {
    totals: Vec<u64>,
    volumes: usize,
}

/// What an embedded archive of `paths` answers, which a caught-up node must answer too.
fn embedded_totals(dir: &Path, tag: &str, paths: &[&Path]) -> Expect {
    let data = dir.join(format!("embedded-{tag}"));
    let mut args = vec!["ingest", "--json"];
    args.extend(paths.iter().map(|p| s(p)));
    json(&chancery(&data, None, &args));
    expect_of(&data)
}

/// What the embedded archive in `data` answers.
fn expect_of(data: &Path) -> Expect {
    let totals = QUERIES
        .iter()
        .map(|q| {
            let q = q.split('&').next().unwrap().trim_start_matches("q=");
            let q = q.replace("%22", "\"").replace('+', " ");
            let o = chancery(data, None, &["search", "--json", "--limit", "1", &q]);
            json(&o)["total"].as_u64().unwrap()
        })
        .collect();
    let volumes = json(&chancery(data, None, &["volumes", "--json"]))
        .as_array()
        .unwrap()
        .len();
    Expect { totals, volumes }
}

/// The totals a node gives for `QUERIES` now, or why not.
fn node_totals(agent: &ureq::Agent, port: u16) -> Result<Vec<u64>, String> {
    QUERIES
        .iter()
        .map(|q| match get(agent, port, &format!("/api/search?{q}"))? {
            (200, body) => serde_json::from_str::<serde_json::Value>(&body)
                .map_err(|e| e.to_string())?["total"]
                .as_u64()
                .ok_or_else(|| "no total".to_string()),
            (status, body) => Err(format!("{status}: {body}")),
        })
        .collect()
}

/// Whether a `/api/health` answer says ready, with nothing left to copy or index.
fn caught_up(health: &serde_json::Value) -> bool {
    health["ready"] == true && health["status"]["lag"] == 0 && health["status"]["index_lag"] == 0
}

/// Waits (at most `limit`) until the node answers as `expected` (search totals, and the number
/// of volumes its volume list shows) and, when it has `/api/health`, says it is ready with
/// nothing left to copy; returns how long it took.
fn wait_caught_up(node: &Node, expected: &Expect, limit: Duration) -> Duration {
    let agent = agent();
    let started = Instant::now();
    let mut last = String::new();
    loop {
        let health = match get(&agent, node.port, "/api/health") {
            Ok((200, body)) => {
                let h: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                last = body;
                caught_up(&h)
            }
            Ok((404, _)) => true, // no health endpoint in this build: the answers decide
            Ok((status, body)) => {
                last = format!("{status}: {body}");
                false
            }
            Err(e) => {
                last = e;
                false
            }
        };
        if health {
            let volumes = match get(&agent, node.port, "/api/volumes") {
                Ok((200, body)) => serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.as_array().map(Vec::len)),
                _ => None,
            };
            match node_totals(&agent, node.port) {
                Ok(t) if t == expected.totals && volumes == Some(expected.volumes) => {
                    return started.elapsed()
                }
                Ok(t) => {
                    last = format!(
                        "totals {t:?} and {volumes:?} volumes, expected {expected:?}; health {last}"
                    )
                }
                Err(e) => last = e,
            }
        }
        assert!(
            started.elapsed() < limit,
            "node {} not caught up after {limit:?}: {last}\n{}",
            node.name,
            node.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The JSON bodies of `QUERIES` and `DOCUMENTS` from one node.
fn answers(port: u16) -> BTreeMap<String, String> {
    let agent = agent();
    QUERIES
        .iter()
        .map(|q| format!("/api/search?{q}"))
        .chain(DOCUMENTS.iter().map(|d| d.to_string()))
        .chain(["/api/volumes".to_string()])
        .map(|path| {
            let (status, body) = get(&agent, port, &path).unwrap();
            assert_eq!(status, 200, "{path}: {body}");
            (path, body)
        })
        .collect()
}

/// How two answers to the same request differ, in a few words (`None`: byte for byte equal).
fn difference(a: &str, b: &str) -> Option<String> {
    if a == b {
        return None;
    }
    let (Ok(ja), Ok(jb)) = (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) else {
        return Some("bodies differ (not JSON)".into());
    };
    if let (Some(va), Some(vb)) = (ja.as_array(), jb.as_array()) {
        let ids = |v: &Vec<serde_json::Value>| -> std::collections::BTreeSet<String> {
            v.iter().map(|x| x["id"].to_string()).collect()
        };
        let (ia, ib) = (ids(va), ids(vb));
        if ia != ib {
            return Some(format!(
                "{} and {} entries; only in the first: {:?}; only in the second: {:?}",
                va.len(),
                vb.len(),
                ia.difference(&ib).collect::<Vec<_>>(),
                ib.difference(&ia).collect::<Vec<_>>()
            ));
        }
    }
    let hits = |j: &serde_json::Value| -> Vec<String> {
        j["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| format!("{} {}", h["key"], h["score"]))
            .collect()
    };
    let (ha, hb) = (hits(&ja), hits(&jb));
    if ha != hb {
        let at = ha.iter().zip(&hb).position(|(x, y)| x != y).unwrap_or(0);
        return Some(format!(
            "hits differ from #{at}: {:?} against {:?}",
            &ha[at..(at + 3).min(ha.len())],
            &hb[at..(at + 3).min(hb.len())]
        ));
    }
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    let around = |t: &str| {
        t[t.floor_char_boundary(at.saturating_sub(60))..t.floor_char_boundary(at + 60)].to_string()
    };
    Some(format!(
        "bodies differ at byte {at}: …{}… against …{}…",
        around(a),
        around(b)
    ))
}

/// Every node gives the same bytes for `QUERIES` (hits of equal score or date too: search
/// breaks ties by a key, not by a node's own index layout), `DOCUMENTS` and the volume list.
fn assert_same_answers(nodes: &[&Node]) {
    let first = answers(nodes[0].port);
    let mut differences = Vec::new();
    for n in &nodes[1..] {
        let other = answers(n.port);
        for (path, body) in &first {
            let theirs = other.get(path).map_or("", String::as_str);
            if let Some(d) = difference(body, theirs) {
                differences.push(format!("{} and {} on {path}: {d}", nodes[0].name, n.name));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Requests made against one node by the load, and how many failed.
#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    failed: AtomicU64,
    first_failure: Mutex<Option<String>>,
}

/// A node the load sends requests to: its port (it changes on a restart), its tally, and
/// whether it should be answering now.
#[derive(Clone)]
struct Target {
    port: Arc<Mutex<u16>>,
    tally: Arc<Tally>,
    up: Arc<AtomicBool>,
}

impl Target {
    fn new(port: u16) -> Target {
        Target {
            port: Arc::new(Mutex::new(port)),
            tally: Arc::new(Tally::default()),
            up: Arc::new(AtomicBool::new(true)),
        }
    }
}

/// A steady load of searches and documents on some nodes, from a few threads.
struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(targets: Vec<Target>) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let targets = Arc::new(targets);
        let threads = (0..3)
            .map(|t| {
                let stop = Arc::clone(&stop);
                let targets = Arc::clone(&targets);
                std::thread::spawn(move || {
                    let agent = agent();
                    let paths: Vec<String> = QUERIES
                        .iter()
                        .map(|q| format!("/api/search?{q}"))
                        .chain(DOCUMENTS.iter().map(|d| d.to_string()))
                        .collect();
                    let mut i = t;
                    while !stop.load(Ordering::Relaxed) {
                        let Target { port, tally, up } = &targets[i % targets.len()];
                        let path = &paths[(i / targets.len()) % paths.len()];
                        i += 1;
                        if !up.load(Ordering::SeqCst) {
                            continue;
                        }
                        let port = *port.lock().unwrap();
                        match get(&agent, port, path) {
                            Ok((200, _)) => {
                                tally.ok.fetch_add(1, Ordering::Relaxed);
                            }
                            other => {
                                // A node marked down while this request was on its way.
                                if !up.load(Ordering::SeqCst) {
                                    continue;
                                }
                                tally.failed.fetch_add(1, Ordering::Relaxed);
                                tally
                                    .first_failure
                                    .lock()
                                    .unwrap()
                                    .get_or_insert(format!("{path}: {other:?}"));
                            }
                        }
                        std::thread::sleep(Duration::from_millis(2));
                    }
                })
            })
            .collect();
        Load { stop, threads }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads {
            t.join().unwrap();
        }
    }
}

/// Three nodes (two following the primary, one the standby) under a steady load of searches
/// and documents while an ingest goes in; one is killed with SIGKILL, the others answer every
/// request; it is started again, catches up, and all three answer the same bytes.
#[test]
fn nodes_survive_a_killed_node_and_agree() {
    let _serial = serial();
    let _watchdog = watchdog(Duration::from_secs(300), "nodes_survive_a_killed_node");
    let Some(corpus) = corpus() else { return };
    let (Some(primary), Some(standby)) =
        (pg_env("CHANCERY_PG_URL"), pg_env("CHANCERY_PG_STANDBY_URL"))
    else {
        return;
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = Database::create(&primary, "kill");
    let standby_url = with_database(&standby, &db.name);
    let frus = corpus.join("frus");
    let history = chancery_testdata::xml_files(&corpus.join("frus-history/documents"));
    let (early, late) = history.split_at(history.len() / 2);
    let (early, late): (Vec<&Path>, Vec<&Path>) = (
        early.iter().map(PathBuf::as_path).collect(),
        late.iter().map(PathBuf::as_path).collect(),
    );
    let first = embedded_totals(dir.path(), "first", &[&frus]);
    let middle = embedded_totals(
        dir.path(),
        "middle",
        &[&[frus.as_path()], &early[..]].concat(),
    );
    let all = embedded_totals(
        dir.path(),
        "all",
        &[&[frus.as_path()], &early[..], &late[..]].concat(),
    );
    assert!(
        first != middle && middle != all,
        "each ingest must change some answers: {first:?} {middle:?} {all:?}"
    );
    let ingest = |paths: &[&Path]| {
        let mut args = vec!["ingest", "--json"];
        args.extend(paths.iter().map(|p| s(p)));
        json(&chancery(&dir.path().join("writer"), Some(&db.url), &args))
    };

    // Part of the archive goes in before any node runs: nodes start empty and build it all.
    assert_eq!(ingest(&[&frus])["documents"], 1011);
    let mut a = Node::start("a", dir.path().join("a"), &db.url);
    let b = Node::start("b", dir.path().join("b"), &db.url);
    let c = Node::start("c (standby)", dir.path().join("c"), &standby_url);
    for n in [&a, &b, &c] {
        let took = wait_caught_up(n, &first, Duration::from_secs(120));
        eprintln!(
            "node {} built from empty: answering {:?} after it started, caught up {took:?} later",
            n.name, n.answering_after
        );
    }
    assert_same_answers(&[&a, &b, &c]);

    // A steady load on all three, while more goes in through the CLI.
    let (ta, tb, tc) = (
        Target::new(a.port),
        Target::new(b.port),
        Target::new(c.port),
    );
    let load = Load::start(vec![ta.clone(), tb.clone(), tc.clone()]);
    std::thread::sleep(Duration::from_millis(1000));
    ingest(&early);
    for n in [&a, &b, &c] {
        let took = wait_caught_up(n, &middle, Duration::from_secs(60));
        eprintln!("node {} caught up under load in {took:?}", n.name);
    }

    // kill -9 a; the rest goes in while it is down; b and c answer every request.
    ta.up.store(false, Ordering::SeqCst);
    a.kill();
    let killed_ok = ta.tally.ok.load(Ordering::Relaxed);
    ingest(&late);
    for n in [&b, &c] {
        wait_caught_up(n, &all, Duration::from_secs(60));
    }
    std::thread::sleep(Duration::from_millis(1000));

    // a comes back with its folder, catches up with what it missed, and takes requests again.
    a.restart();
    *ta.port.lock().unwrap() = a.port;
    let took = wait_caught_up(&a, &all, Duration::from_secs(60));
    ta.up.store(true, Ordering::SeqCst);
    eprintln!(
        "node a restarted: answering {:?} after it started, caught up {took:?} later",
        a.answering_after
    );
    std::thread::sleep(Duration::from_millis(1000));
    load.stop();

    for (n, t) in [
        ("a", &ta.tally),
        ("b", &tb.tally),
        ("c (standby)", &tc.tally),
    ] {
        let (ok, failed) = (
            t.ok.load(Ordering::Relaxed),
            t.failed.load(Ordering::Relaxed),
        );
        eprintln!("node {n}: {ok} requests answered, {failed} failed");
        assert_eq!(
            failed,
            0,
            "node {n} failed requests while it should answer: {:?}",
            t.first_failure.lock().unwrap()
        );
        assert!(ok > 20, "node {n} answered only {ok} requests");
    }
    assert!(killed_ok > 0, "a answered nothing before it was killed");
    for n in [&a, &b, &c] {
        let (status, body) = get(&agent(), n.port, "/api/health").unwrap();
        let h: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(
            status == 200 && caught_up(&h),
            "node {}: /api/health {status} {body}",
            n.name
        );
    }
    assert_same_answers(&[&a, &b, &c]);
    eprintln!("three nodes, kill and restart: {:?}", started.elapsed());
}

/// Copies of a real volume under new ids, to make an ingest long enough to interrupt.
fn copies(src: &Path, dir: &Path, n: usize) -> PathBuf {
    let text = std::fs::read_to_string(src).unwrap();
    let out = dir.join("copies");
    std::fs::create_dir_all(&out).unwrap();
    for i in 0..n {
        let id = format!("frus1936v03x{i:04}");
        std::fs::write(
            out.join(format!("{id}.xml")),
            text.replacen("xml:id=\"frus1936v03\"", &format!("xml:id=\"{id}\""), 1),
        )
        .unwrap();
    }
    out
}

/// Document count of each volume, as the catalog behind `database` holds it (read through a
/// fresh folder so nothing local is reused).
fn database_volumes(dir: &Path, database: &str) -> BTreeMap<String, u64> {
    let data = tempfile::tempdir_in(dir).unwrap();
    volume_documents(&chancery(
        data.path(),
        Some(database),
        &["volumes", "--json"],
    ))
}

/// `pg_ctlcluster VERSION NAME restart` of the primary while `chancery --database … ingest`
/// runs and a node serves a steady load: the node answers every request through the restart;
/// the ingest fails cleanly or carries on; every volume is then whole or absent (against the
/// embedded archive's counts); a re-run completes it and the node catches up.
#[test]
fn primary_restarted_during_ingest() {
    let _serial = serial();
    let _watchdog = watchdog(Duration::from_secs(300), "primary_restarted_during_ingest");
    let Some(corpus) = corpus() else { return };
    let (Some(primary), Some(cluster)) = (
        pg_env("CHANCERY_PG_URL"),
        pg_env("CHANCERY_PG_PRIMARY_CLUSTER"),
    ) else {
        return;
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = Database::create(&primary, "restart");
    let files = copies(&corpus.join("frus/frus1936v03.xml"), dir.path(), 16);
    let frus = corpus.join("frus");

    // What complete volumes hold, from the embedded archive.
    let before = embedded_totals(dir.path(), "frus", &[&frus]);
    let embedded = dir.path().join("embedded");
    json(&chancery(
        &embedded,
        None,
        &["ingest", "--json", s(&files), s(&frus)],
    ));
    let after = expect_of(&embedded);
    let mut whole = BTreeMap::new();
    for v in json(&chancery(&embedded, None, &["volumes", "--json"]))
        .as_array()
        .unwrap()
    {
        whole.insert(
            v["id"].as_str().unwrap().to_string(),
            v["documents"].as_u64().unwrap(),
        );
    }
    assert_eq!(whole.len(), 19);

    // A timed clean run into a scratch database says when "during" is.
    let scratch = Database::create(&primary, "restart_timing");
    let t = Instant::now();
    json(&chancery(
        &dir.path().join("timing"),
        Some(&scratch.url),
        &["ingest", "--json", s(&files)],
    ));
    let took = t.elapsed();
    drop(scratch);

    // The real volumes first, and a node serving them under a steady load.
    let data = dir.path().join("writer");
    json(&chancery(
        &data,
        Some(&db.url),
        &["ingest", "--json", s(&frus)],
    ));
    let node = Node::start("n", dir.path().join("n"), &db.url);
    wait_caught_up(&node, &before, Duration::from_secs(60));
    let target = Target::new(node.port);
    let load = Load::start(vec![target.clone()]);

    let child = Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--data")
        .arg(&data)
        .arg("--database")
        .arg(&db.url)
        .args(["ingest", "--json", s(&files), s(&frus)])
        .env_remove("CHANCERY_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    track(&child);
    std::thread::sleep(took / 3);
    let mut args: Vec<&str> = cluster.split_whitespace().collect();
    args.extend(["restart", "-m", "fast"]);
    let restart = Command::new("pg_ctlcluster").args(&args).output().unwrap();
    assert!(
        restart.status.success(),
        "pg_ctlcluster {args:?}: {}",
        stderr(&restart)
    );
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    eprintln!(
        "ingest across the restart: {:?}; {}",
        o.status,
        err.lines().last().unwrap_or("")
    );
    if !o.status.success() {
        assert!(
            err.to_lowercase().contains("database") || err.to_lowercase().contains("postgres"),
            "the failure does not say the database failed: {err}"
        );
    }
    std::thread::sleep(Duration::from_millis(1000));
    load.stop();
    let (ok, failed) = (
        target.tally.ok.load(Ordering::Relaxed),
        target.tally.failed.load(Ordering::Relaxed),
    );
    eprintln!("node n through the restart: {ok} requests answered, {failed} failed");
    assert_eq!(
        failed,
        0,
        "the node failed requests while the primary restarted: {:?}",
        target.tally.first_failure.lock().unwrap()
    );
    assert!(ok > 20, "the node answered only {ok} requests");

    // Every volume whole or absent in the database.
    let present = database_volumes(dir.path(), &db.url);
    for (v, n) in &present {
        assert_eq!(
            Some(n),
            whole.get(v),
            "volume {v} is partial in the database"
        );
    }
    eprintln!(
        "after the restart: {} of {} volumes in the database",
        present.len(),
        whole.len()
    );

    // A re-run completes it, and the node follows.
    let o = chancery(
        &data,
        Some(&db.url),
        &["ingest", "--json", s(&files), s(&frus)],
    );
    let summary = json(&o);
    assert_eq!(summary["failed"], 0, "{summary}");
    assert_eq!(database_volumes(dir.path(), &db.url), whole);
    let o = chancery(&data, Some(&db.url), &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let took = wait_caught_up(&node, &after, Duration::from_secs(60));
    eprintln!(
        "node n caught up {took:?} after the re-run; primary restart during ingest: {:?}",
        started.elapsed()
    );
}
