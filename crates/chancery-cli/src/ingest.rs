//! `chancery ingest`: files and folders into the archive, read in parallel, written in order.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::{anyhow, Result};
use chancery_archive::{Archive, Outcome, Prepared, Source};
use chancery_model::{Document, Volume};
use chancery_people::Directory;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::output;

/// Arguments of `chancery ingest`.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// TEI (.xml) and plain-text (.txt) files, and folders searched recursively; the Office of
    /// the Historian's people and pocom folders (hsg/people, hsg/pocom) are read as the people
    /// directory, and every volume is linked to it
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the readers' report: elements not modeled, and every warning
    #[arg(long)]
    report: bool,
    /// Read files again even when they have not changed since the last ingest
    #[arg(long)]
    force: bool,
    /// Threads that read files [default: the number of cores]
    #[arg(long)]
    jobs: Option<usize>,
    /// Volume id for a single plain-text file [default: from the file name]
    #[arg(long)]
    id: Option<String>,
    /// Print the summary as JSON
    #[arg(long)]
    json: bool,
}

impl IngestArgs {
    /// Ingest `paths` with the default settings, as `chancery ingest PATHS…` does.
    pub fn files(paths: Vec<PathBuf>) -> IngestArgs {
        IngestArgs {
            paths,
            report: false,
            force: false,
            jobs: None,
            id: None,
            json: false,
        }
    }
}

/// One file read into the model, whichever reader read it.
pub struct FileReading {
    /// The volume.
    pub volume: Volume,
    /// Its documents, enriched.
    pub documents: Vec<Document>,
    /// Warnings, as `line:column: message`.
    pub warnings: Vec<String>,
    /// Elements the reader kept without modeling them, by name.
    pub unmodeled: BTreeMap<String, usize>,
}

/// Reads a TEI or plain-text file and enriches its documents.
pub fn read_file(path: &Path, id: Option<&str>) -> Result<FileReading> {
    let bytes = std::fs::read(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    read_bytes(path, &bytes, id, None)
}

fn read_bytes(
    path: &Path,
    bytes: &[u8],
    id: Option<&str>,
    people: Option<&Directory>,
) -> Result<FileReading> {
    let name = id
        .map(str::to_string)
        .unwrap_or_else(|| chancery_text::volume_id(path));
    let mut reading = if is_text(path) {
        let r = chancery_text::read(bytes, &name).map_err(|e| anyhow!("{}:{e}", path.display()))?;
        FileReading {
            volume: r.volume,
            documents: r.documents,
            warnings: r.warnings.iter().map(ToString::to_string).collect(),
            unmodeled: BTreeMap::new(),
        }
    } else {
        let r = chancery_tei::read(bytes, &name).map_err(|e| match e.location() {
            Some(_) => anyhow!("{}:{e}", path.display()),
            None => anyhow!("{}: {e}", path.display()),
        })?;
        FileReading {
            volume: r.volume,
            documents: r.documents,
            warnings: r.report.warnings.iter().map(ToString::to_string).collect(),
            unmodeled: r.report.unmodeled,
        }
    };
    for d in &mut reading.documents {
        chancery_enrich::enrich(d);
    }
    chancery_enrich::enrich_volume(&mut reading.documents);
    if let Some(people) = people {
        people.link_all(&mut reading.volume, &mut reading.documents);
    }
    Ok(reading)
}

/// The people folders among the paths to ingest: `hsg/people` (holding `data/`) and
/// `hsg/pocom` (holding `missions-countries/`); the other paths are returned as they are.
fn people_folders(paths: &[PathBuf]) -> (Vec<PathBuf>, Option<PathBuf>, Option<PathBuf>) {
    let (mut rest, mut people, mut pocom) = (Vec::new(), None, None);
    for p in paths {
        if p.join("missions-countries").is_dir() {
            pocom = Some(p.clone());
        } else if p.join("data").is_dir()
            && p.file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("people"))
        {
            people = Some(p.clone());
        } else {
            rest.push(p.clone());
        }
    }
    (rest, people, pocom)
}

fn is_text(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

fn wanted(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("txt"))
}

/// Every file to read under `paths`, folders walked recursively, in a stable order.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if wanted(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| anyhow!("{}: {e}", p.display()))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(anyhow!(
                "{}: no such file or folder (give TEI .xml or plain-text .txt files, or folders of them)",
                p.display()
            ));
        }
    }
    Ok(out)
}

enum Read {
    Unchanged,
    Parsed {
        source: Source,
        prepared: Box<Prepared>,
        documents: usize,
        warnings: Vec<String>,
        unmodeled: BTreeMap<String, usize>,
    },
    Failed(String),
}

/// The ingest summary.
#[derive(Default, Serialize)]
struct Summary {
    files: usize,
    unchanged: usize,
    added: usize,
    replaced: usize,
    failed: usize,
    documents: usize,
    warnings: usize,
    bytes: u64,
    /// People in the directory read by this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    people: Option<usize>,
    /// Volumes already in the archive linked anew to a new people directory.
    relinked: usize,
    seconds: f64,
    mb_per_second: f64,
    documents_per_second: f64,
    errors: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    unmodeled: BTreeMap<String, usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warning_list: Vec<String>,
}

/// Runs `chancery ingest`.
pub fn run(archive: &Archive, args: &IngestArgs) -> Result<ExitCode> {
    let start = Instant::now();
    let (paths, people_dir, pocom_dir) = people_folders(&args.paths);
    let files = collect(&paths)?;
    if args.id.is_some() && files.len() != 1 {
        return Err(anyhow!(
            "--id names the volume of one file, but {} files were given",
            files.len()
        ));
    }
    let total_bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let show = !args.json && std::io::stderr().is_terminal();
    let bar = if show {
        ProgressBar::new(total_bytes)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );

    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let new_people = people_dir.is_some() || pocom_dir.is_some();
    let people = if new_people {
        bar.set_message("reading the people directory…");
        let (people, report) = Directory::load(people_dir.as_deref(), pocom_dir.as_deref())?;
        for skipped in &report.skipped {
            bar.suspend(|| eprintln!("warning: {skipped}"));
        }
        summary.warnings += report.skipped.len();
        summary.people = Some(report.people);
        archive.put_people(&people)?;
        Some(people)
    } else {
        archive.people()?.map(|(p, _)| p)
    };
    let people = people.as_ref();
    let mut read_now = std::collections::HashSet::new();
    let mut writer = archive.ingest()?;
    let next = AtomicUsize::new(0);
    let result: Result<()> = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, Read)>(jobs);
        for _ in 0..jobs {
            let tx = tx.clone();
            let (files, next) = (&files, &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let read = match std::fs::read(path) {
                    Err(e) => Read::Failed(format!("{}: {e}", path.display())),
                    Ok(bytes) => {
                        let source = Source::of(path, &bytes);
                        match archive.is_unchanged(&source) {
                            Ok(true) if !args.force => Read::Unchanged,
                            _ => match read_bytes(path, &bytes, args.id.as_deref(), people)
                                .and_then(|r| {
                                    let documents = r.documents.len();
                                    let prepared = archive.prepare(r.volume, r.documents)?;
                                    Ok(Read::Parsed {
                                        source,
                                        prepared: Box::new(prepared),
                                        documents,
                                        warnings: r.warnings,
                                        unmodeled: r.unmodeled,
                                    })
                                }) {
                                Ok(read) => read,
                                Err(e) => Read::Failed(format!("{e:#}")),
                            },
                        }
                    }
                };
                if tx.send((i, read)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, read) in rx {
            let path = &files[i];
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            match read {
                Read::Unchanged => summary.unchanged += 1,
                Read::Failed(e) => {
                    summary.failed += 1;
                    bar.suspend(|| eprintln!("error: {e}"));
                    summary.errors.push(e);
                }
                Read::Parsed {
                    source,
                    prepared,
                    documents,
                    warnings,
                    unmodeled,
                } => {
                    summary.documents += documents;
                    summary.warnings += warnings.len();
                    for (k, n) in unmodeled {
                        *summary.unmodeled.entry(k).or_default() += n;
                    }
                    if args.report {
                        summary
                            .warning_list
                            .extend(warnings.iter().map(|w| format!("{}:{w}", path.display())));
                    }
                    read_now.insert(prepared.volume_id().to_string());
                    match writer.put_prepared(*prepared, Some(&source))? {
                        Outcome::Added => summary.added += 1,
                        Outcome::Replaced => summary.replaced += 1,
                    }
                }
            }
            summary.bytes += size;
            bar.inc(size);
            bar.set_message(format!(
                "{} files, {} documents",
                summary.added + summary.replaced + summary.unchanged + summary.failed,
                summary.documents
            ));
        }
        Ok(())
    });
    result?;
    if let (true, Some(people)) = (new_people, people) {
        // Volumes read before this directory: linked anew from what the catalog holds.
        for v in archive.volumes()? {
            if read_now.contains(&v.id) {
                continue;
            }
            let (Some(mut volume), Some(mut documents)) =
                (archive.volume(&v.id)?, archive.volume_documents(&v.id)?)
            else {
                continue;
            };
            bar.set_message(format!("linking {} to the people directory…", v.id));
            people.link_all(&mut volume, &mut documents);
            let source = archive.volume_source(&v.id)?;
            writer.put_prepared(archive.prepare(volume, documents)?, source.as_ref())?;
            summary.relinked += 1;
        }
    }
    bar.set_message("committing the index…");
    writer.commit()?;
    bar.finish_and_clear();

    summary.seconds = start.elapsed().as_secs_f64();
    let secs = summary.seconds.max(1e-9);
    summary.mb_per_second = summary.bytes as f64 / 1e6 / secs;
    summary.documents_per_second = summary.documents as f64 / secs;
    if !args.report {
        summary.unmodeled.clear();
    }
    if args.json {
        output::json(&summary)?;
    } else {
        print_summary(&summary, args.report);
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(s: &Summary, report: bool) {
    if report {
        if !s.unmodeled.is_empty() {
            println!("Elements kept but not modeled (inside documents):");
            for (k, n) in &s.unmodeled {
                println!("  {k:<24} {n}");
            }
        }
        for w in &s.warning_list {
            println!("warning: {w}");
        }
    }
    println!(
        "{} files: {} added, {} replaced, {} unchanged, {} failed; {} documents, {} warnings",
        s.files, s.added, s.replaced, s.unchanged, s.failed, s.documents, s.warnings
    );
    println!(
        "{} in {:.2} s ({:.1} MB/s, {:.0} documents/s)",
        output::human_bytes(s.bytes),
        s.seconds,
        s.mb_per_second,
        s.documents_per_second
    );
    if s.warnings > 0 && !report {
        println!("Run with --report to list warnings and unmodeled elements.");
    }
}
