//! `chancery bench`: search latency over a fixed list of queries (see `bench/queries.jsonl`),
//! and the readers' throughput.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use chancery_archive::{Archive, SearchRequest, Sort};
use serde::{Deserialize, Serialize};

use crate::output;

/// What `chancery bench` measures.
#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Search latency over a fixed list of queries
    Search(BenchArgs),
    /// Reader throughput: TEI (.xml) and plain-text (.txt) files parsed in memory
    Parse(ParseBenchArgs),
    /// Enrichment cost beside the TEI reader's: file numbers, citations, threads and dates,
    /// then linking to the people directory
    Enrich(EnrichBenchArgs),
}

/// Arguments of `chancery bench enrich`.
#[derive(clap::Args)]
pub struct EnrichBenchArgs {
    /// TEI files to read (read into memory first)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The hsg/people folder, to time linking people
    #[arg(long)]
    people: Option<PathBuf>,
    /// The hsg/pocom folder, to time linking people
    #[arg(long)]
    pocom: Option<PathBuf>,
    /// Passes over the files
    #[arg(long, default_value_t = 3)]
    repeat: usize,
}

/// Runs `chancery bench enrich`: seconds spent reading, enriching and linking the same files,
/// so that enrichment's share of an ingest can be read off.
pub fn enrich(args: &EnrichBenchArgs) -> Result<()> {
    let mut inputs = Vec::new();
    for f in &args.files {
        inputs.push(std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?);
    }
    let people = if args.people.is_some() || args.pocom.is_some() {
        let start = Instant::now();
        let (d, report) =
            chancery_people::Directory::load(args.people.as_deref(), args.pocom.as_deref())?;
        println!(
            "people directory: {} people loaded in {:.2} s (once per ingest that reads it)",
            report.people,
            start.elapsed().as_secs_f64()
        );
        Some(d)
    } else {
        None
    };
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let (mut read, mut enrich, mut link, mut docs) = (0.0, 0.0, 0.0, 0usize);
    for _ in 0..args.repeat.max(1) {
        for b in &inputs {
            let t = Instant::now();
            let Ok(mut r) = chancery_tei::read(b, "bench") else {
                continue;
            };
            read += t.elapsed().as_secs_f64();
            let t = Instant::now();
            for d in &mut r.documents {
                chancery_enrich::enrich(d);
            }
            chancery_enrich::enrich_volume(&mut r.documents);
            enrich += t.elapsed().as_secs_f64();
            if let Some(p) = &people {
                let t = Instant::now();
                p.link_all(&mut r.volume, &mut r.documents);
                link += t.elapsed().as_secs_f64();
            }
            docs += r.documents.len();
        }
    }
    let mb = (bytes * args.repeat.max(1)) as f64 / 1e6;
    println!(
        "{} files, {:.1} MB × {}, {docs} documents",
        inputs.len(),
        bytes as f64 / 1e6,
        args.repeat.max(1)
    );
    println!(
        "  TEI reader   {read:.3} s ({:.1} MB/s)",
        mb / read.max(1e-9)
    );
    println!(
        "  enrichment   {enrich:.3} s ({:.0} % of reading)",
        100.0 * enrich / read.max(1e-9)
    );
    if people.is_some() {
        println!(
            "  people links {link:.3} s ({:.0} % of reading)",
            100.0 * link / read.max(1e-9)
        );
    }
    Ok(())
}

/// Arguments of `chancery bench parse`.
#[derive(clap::Args)]
pub struct ParseBenchArgs {
    /// Files to read (read into memory first; folders are not walked)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Passes over the files
    #[arg(long, default_value_t = 3)]
    repeat: usize,
}

/// Runs `chancery bench parse`: MB/s of the readers alone, no archive involved.
pub fn parse(args: &ParseBenchArgs) -> Result<()> {
    let mut inputs = Vec::new();
    for f in &args.files {
        let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        let text = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        inputs.push((text, bytes));
    }
    for text_files in [false, true] {
        let set: Vec<&Vec<u8>> = inputs
            .iter()
            .filter(|(t, _)| *t == text_files)
            .map(|(_, b)| b)
            .collect();
        if set.is_empty() {
            continue;
        }
        let bytes: usize = set.iter().map(|b| b.len()).sum();
        let mut docs = 0;
        let start = Instant::now();
        for _ in 0..args.repeat {
            for b in &set {
                docs += if text_files {
                    chancery_text::read(b, "bench").map_or(0, |r| r.documents.len())
                } else {
                    chancery_tei::read(b, "bench").map_or(0, |r| r.documents.len())
                };
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{} reader: {} files, {:.1} MB × {}: {:.1} MB/s, {:.0} documents/s",
            if text_files { "text" } else { "TEI" },
            set.len(),
            bytes as f64 / 1e6,
            args.repeat,
            (bytes * args.repeat) as f64 / 1e6 / secs,
            docs as f64 / secs
        );
    }
    Ok(())
}

/// Arguments of `chancery bench search`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// A JSON-lines file of queries: {"q", "volume", "from", "to", "sort", "facets"}
    queries: PathBuf,
    /// Timed passes over the list
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Untimed passes first, to warm caches
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// List this many of the slowest queries
    #[arg(long, default_value_t = 5)]
    slowest: usize,
    /// Print the summary as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Query {
    q: String,
    volume: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    #[serde(default)]
    facets: bool,
}

#[derive(Serialize)]
struct Summary {
    queries: usize,
    timed_runs: usize,
    errors: usize,
    empty: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    max_ms: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Runs `chancery bench search`.
pub fn run(archive: &Archive, args: &BenchArgs) -> Result<()> {
    let file = std::fs::File::open(&args.queries)
        .with_context(|| format!("cannot read {}", args.queries.display()))?;
    let mut requests = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let q: Query = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a query object", args.queries.display(), i + 1))?;
        requests.push(SearchRequest {
            query: q.q,
            volume: q.volume,
            from: q.from,
            to: q.to,
            sort: if q.sort.as_deref() == Some("date") {
                Sort::Date
            } else {
                Sort::Relevance
            },
            limit: 10,
            facets: q.facets,
            ..SearchRequest::default()
        });
    }
    let (mut errors, mut empty) = (0, 0);
    for _ in 0..args.warmup {
        for r in &requests {
            match archive.search(r) {
                Ok(res) if res.total == 0 => empty += 1,
                Ok(_) => {}
                Err(e) => {
                    errors += 1;
                    eprintln!("error: {e}");
                }
            }
        }
    }
    let mut times = Vec::with_capacity(requests.len() * args.repeat);
    let mut worst = vec![0f64; requests.len()];
    for _ in 0..args.repeat {
        for (i, r) in requests.iter().enumerate() {
            let t = Instant::now();
            let _ = archive.search(r);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            worst[i] = worst[i].max(ms);
            times.push(ms);
        }
    }
    let mut slowest: Vec<(f64, &SearchRequest)> = worst.into_iter().zip(&requests).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    times.sort_by(f64::total_cmp);
    let summary = Summary {
        queries: requests.len(),
        timed_runs: times.len(),
        errors: errors / args.warmup.max(1),
        empty: empty / args.warmup.max(1),
        p50_ms: percentile(&times, 50.0),
        p95_ms: percentile(&times, 95.0),
        p99_ms: percentile(&times, 99.0),
        mean_ms: times.iter().sum::<f64>() / times.len().max(1) as f64,
        max_ms: times.last().copied().unwrap_or(0.0),
    };
    if args.json {
        output::json(&summary)?;
    } else {
        println!(
            "{} queries × {}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, mean {:.2} ms, max {:.2} ms; {} errors, {} with no hits",
            summary.queries,
            args.repeat,
            summary.p50_ms,
            summary.p95_ms,
            summary.p99_ms,
            summary.mean_ms,
            summary.max_ms,
            summary.errors,
            summary.empty
        );
        println!("slowest:");
        for (ms, r) in slowest.iter().take(args.slowest) {
            println!(
                "  {ms:8.2} ms  {:?}{}{}",
                r.query,
                if r.facets { " +facets" } else { "" },
                if r.sort == Sort::Date { " by date" } else { "" }
            );
        }
    }
    Ok(())
}
