//! Faults of the embedded archive, with the real binary: `kill -9` of an ingest at many points,
//! and damaged index files. After each fault the archive opens, `chancery check` says what is
//! wrong (never panics), and a re-run (`ingest` or `reindex`) makes it whole again.
//!
//! Kill points are random within strata of a first timed run; the seed is printed and can be
//! fixed with `CHANCERY_FAULT_SEED`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chancery_testdata::corpus;

mod common;
use common::{chancery, json, stderr, stdout, volume_documents};

fn no_panic(o: &Output, what: &str) {
    let all = format!("{}{}", stdout(o), stderr(o));
    assert!(
        !all.contains("panicked") && o.status.code().is_some_and(|c| c < 100),
        "{what}: the binary panicked or died ({:?}):\n{all}",
        o.status
    );
}

/// Ends the whole test process when a test runs past `limit` (a hung ingest must fail the run,
/// not hold it forever); dropping the guard disarms it.
struct Watchdog(std::sync::Arc<std::sync::atomic::AtomicBool>);

fn watchdog(limit: Duration, what: &'static str) -> Watchdog {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = std::sync::Arc::clone(&done);
    std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < limit {
            if seen.load(std::sync::atomic::Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!("{what}: still running after {limit:?}; ending the test process");
        std::process::exit(101);
    });
    Watchdog(done)
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A small random generator (xorshift64*): no dependency, reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("CHANCERY_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("fault seed: CHANCERY_FAULT_SEED={seed}");
        Rng(seed | 1)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The shared corpus's FRUS volumes and frus-history documents (66 files, 1,084 documents).
fn inputs(corpus: &Path) -> Vec<String> {
    [corpus.join("frus"), corpus.join("frus-history/documents")]
        .iter()
        .map(|p| p.to_str().unwrap().to_string())
        .collect()
}

/// Document count of every volume in the catalog.
fn volume_counts(data: &Path) -> BTreeMap<String, u64> {
    volume_documents(&chancery(data, &["volumes", "--json"]))
}

/// Runs `chancery ingest ARGS` and kills it with SIGKILL after `after`; true when it had
/// already finished by then.
fn ingest_killed_after(data: &Path, args: &[String], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--data")
        .arg(data)
        .arg("ingest")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let finished = child.try_wait().unwrap().is_some();
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    finished
}

/// Wall time of `chancery ingest ARGS` run to the end.
fn timed_ingest(data: &Path, args: &[String]) -> Duration {
    let args: Vec<&str> = std::iter::once("ingest")
        .chain(args.iter().map(String::as_str))
        .collect();
    let t = Instant::now();
    let o = chancery(data, &args);
    let took = t.elapsed();
    assert!(o.status.success(), "{}", stderr(&o));
    took
}

/// `chancery check --json` right after a kill: it may find the index behind the catalog (the
/// kill came between a catalog transaction and the index commit), and nothing else.
fn check_after_kill(data: &Path, at: &str) {
    let o = chancery(data, &["check", "--json"]);
    no_panic(&o, at);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{at}: check: {}",
        stderr(&o)
    );
    let report = json(&o);
    let problems: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let lag = problems
        .iter()
        .any(|p| p.starts_with("index: ") && p.contains("not yet indexed"));
    for p in &problems {
        let lag_line = p.starts_with("index: ") && p.contains("not yet indexed");
        let missing = p.ends_with(": in the catalog, not in the index");
        assert!(
            lag_line || (lag && missing),
            "{at}: check found more than index lag: {p}\n{problems:#?}"
        );
    }
}

/// After any kill: the archive opens and catches its index up, every volume is whole or absent,
/// check passes; then a re-run of the ingest completes it.
fn recover(
    data: &Path,
    inputs: &[String],
    clean: &BTreeMap<String, u64>,
    at: &str,
) -> BTreeMap<String, u64> {
    check_after_kill(data, at);
    // Any read opens the archive and brings its index up to date with the catalog.
    let counts = volume_counts(data);
    for (v, n) in &counts {
        assert_eq!(Some(n), clean.get(v), "{at}: volume {v} is partial");
    }
    let o = chancery(data, &["stats", "--json"]);
    assert!(o.status.success(), "{at}: stats: {}", stderr(&o));
    let st = json(&o);
    assert_eq!(st["documents"], st["indexed"], "{at}: {st}");
    let o = chancery(data, &["check"]);
    no_panic(&o, at);
    assert!(o.status.success(), "{at}: check: {}", stdout(&o));

    let mut args: Vec<&str> = vec!["ingest", "--json"];
    args.extend(inputs.iter().map(String::as_str));
    let o = chancery(data, &args);
    assert!(o.status.success(), "{at}: re-run: {}", stderr(&o));
    assert_eq!(json(&o)["failed"], 0, "{at}");
    assert_eq!(&volume_counts(data), clean, "{at}: after the re-run");
    let o = chancery(data, &["stats", "--json"]);
    let st = json(&o);
    assert_eq!(st["indexed"], st["documents"], "{at}: after the re-run");
    let o = chancery(data, &["check"]);
    assert!(o.status.success(), "{at}: after the re-run: {}", stdout(&o));
    counts
}

/// Queries whose answers must not depend on how the archive was built.
const QUERIES: [&str; 5] = [
    "\"most-favored-nation\" Afghanistan",
    "oil concession",
    "telegram* -Iraq",
    "\"Secretary of State\" AND Nicaragua",
    "Mosquito OR Guatemala",
];

/// Total and the set of keys found, for each of `QUERIES`.
fn answers(data: &Path) -> Vec<(String, u64, BTreeSet<String>)> {
    QUERIES
        .iter()
        .map(|q| {
            let o = chancery(data, &["search", "--json", "--limit", "5000", q]);
            assert!(o.status.success(), "{q}: {}", stderr(&o));
            let r = json(&o);
            let keys = r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["key"].as_str().unwrap().to_string())
                .collect();
            (q.to_string(), r["total"].as_u64().unwrap(), keys)
        })
        .collect()
}

/// kill -9 at 24 points of ingests of the shared corpus: 12 into an empty archive, 12 while
/// `--force` replaces every volume of a full one.
#[test]
fn ingest_killed_at_24_points_always_recovers() {
    let Some(corpus) = corpus() else { return };
    let _watchdog = watchdog(Duration::from_secs(480), "ingest_killed_at_24_points");
    let started = Instant::now();
    let mut rng = Rng::from_env();
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(&corpus);

    // A clean ingest: what every recovered archive must equal, and how long an ingest takes.
    let clean_dir = dir.path().join("clean");
    let fresh_took = timed_ingest(&clean_dir, &inputs);
    let clean = volume_counts(&clean_dir);
    assert_eq!(clean.len(), 66);
    assert_eq!(clean.values().sum::<u64>(), 1084);
    let mut force: Vec<String> = vec!["--force".into()];
    force.extend(inputs.iter().cloned());
    let force_took = timed_ingest(&clean_dir, &force);
    let clean_answers = answers(&clean_dir);
    eprintln!("clean ingest {fresh_took:?}, forced re-ingest {force_took:?}");

    const POINTS: usize = 12;
    let mut partial = 0;
    let mut seen = Vec::new();
    // Into an empty archive: each point in its own data folder.
    for k in 0..POINTS {
        let after = fresh_took.mul_f64((k as f64 + rng.unit()) / POINTS as f64);
        let data = dir.path().join(format!("fresh{k}"));
        let finished = ingest_killed_after(&data, &inputs, after);
        let at = format!("fresh ingest killed at {after:?}");
        let counts = recover(&data, &inputs, &clean, &at);
        if !finished && !counts.is_empty() && counts.len() < clean.len() {
            partial += 1;
        }
        seen.push(format!("{}ms:{}", after.as_millis(), counts.len()));
        assert_eq!(answers(&data), clean_answers, "{at}");
        std::fs::remove_dir_all(&data).unwrap();
    }
    // Replacing every volume of a full archive: at every point each volume is whole.
    let data = dir.path().join("replaced");
    timed_ingest(&data, &inputs);
    for k in 0..POINTS {
        let after = force_took.mul_f64((k as f64 + rng.unit()) / POINTS as f64);
        ingest_killed_after(&data, &force, after);
        let at = format!("forced re-ingest killed at {after:?}");
        let counts = recover(&data, &inputs, &clean, &at);
        assert_eq!(counts, clean, "{at}: a replaced volume went missing");
        seen.push(format!("{}ms:force", after.as_millis()));
    }
    assert_eq!(answers(&data), clean_answers);
    eprintln!(
        "{} kill points (ms:volumes present), {partial} partway through a fresh ingest, in {:?}: {}",
        seen.len(),
        started.elapsed(),
        seen.join(" ")
    );
    assert!(
        partial > 0,
        "no kill landed partway through a fresh ingest: {seen:?}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The files of the index's largest segment (by its document store), as `(extension, path)`.
fn largest_segment(index: &Path) -> BTreeMap<String, PathBuf> {
    let stores: Vec<PathBuf> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "store"))
        .collect();
    let store = stores
        .iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .expect("the index has a segment");
    let stem = store.file_stem().unwrap().to_owned();
    std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_stem() == Some(&stem))
        .map(|p| (p.extension().unwrap().to_str().unwrap().to_string(), p))
        .collect()
}

fn overwrite(file: &Path, at_fraction: f64, len: usize) {
    use std::io::{Seek, SeekFrom, Write};
    let size = std::fs::metadata(file).unwrap().len();
    let at = (size as f64 * at_fraction) as u64;
    let mut f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&vec![0xA5; len.min((size - at) as usize)])
        .unwrap();
}

fn truncate(file: &Path, fraction: f64) {
    let size = std::fs::metadata(file).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    f.set_len((size as f64 * fraction) as u64).unwrap();
}

/// Overwritten, truncated and deleted index files: `check` reports them (non-zero exit, naming
/// the index, no panic), `reindex` rebuilds from the catalog, and search answers as before.
#[test]
fn damaged_index_files_are_found_and_rebuilt() {
    let Some(corpus) = corpus() else { return };
    let _watchdog = watchdog(Duration::from_secs(300), "damaged_index_files");
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    timed_ingest(&base, &inputs(&corpus));
    let before = answers(&base);
    let o = chancery(&base, &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));

    type Damage = fn(&Path);
    // (what, damage): `check` finds each (missing files by the segment list, damaged bytes by
    // the files' checksums, unreadable stores by reading them) and `reindex` repairs each,
    // moving aside an index too damaged to open.
    let cases: [(&str, Damage); 10] = [
        ("bytes of a segment's document store overwritten", |i| {
            overwrite(&largest_segment(i)["store"], 0.3, 4096)
        }),
        ("a segment's document store truncated", |i| {
            truncate(&largest_segment(i)["store"], 0.5)
        }),
        ("a segment's postings truncated", |i| {
            truncate(&largest_segment(i)["idx"], 0.5)
        }),
        ("a segment's term dictionary emptied", |i| {
            truncate(&largest_segment(i)["term"], 0.0)
        }),
        ("a segment's fast fields deleted", |i| {
            std::fs::remove_file(&largest_segment(i)["fast"]).unwrap()
        }),
        ("a segment's field norms deleted", |i| {
            std::fs::remove_file(&largest_segment(i)["fieldnorm"]).unwrap()
        }),
        ("meta.json overwritten", |i| {
            overwrite(&i.join("meta.json"), 0.0, 64)
        }),
        ("meta.json deleted", |i| {
            std::fs::remove_file(i.join("meta.json")).unwrap()
        }),
        ("a segment's positions deleted", |i| {
            std::fs::remove_file(&largest_segment(i)["pos"]).unwrap()
        }),
        ("bytes of a segment's postings overwritten", |i| {
            overwrite(&largest_segment(i)["idx"], 0.1, 4096)
        }),
    ];
    for (what, damage) in cases {
        let data = dir.path().join("damaged");
        copy_dir(&base, &data);
        damage(&data.join("index"));

        let o = chancery(&data, &["check"]);
        no_panic(&o, what);
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!o.status.success(), "{what}: check passed: {said}");
        assert!(said.contains("index"), "{what}: {said}");

        let o = chancery(&data, &["reindex"]);
        no_panic(&o, what);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("re-indexed 1084 documents"),
            "{what}: {}",
            stdout(&o)
        );
        let o = chancery(&data, &["check"]);
        assert!(o.status.success(), "{what}: after reindex: {}", stdout(&o));
        assert_eq!(answers(&data), before, "{what}: after reindex");
        std::fs::remove_dir_all(&data).unwrap();
    }
    eprintln!("damaged index cases in {:?}", started.elapsed());
}
