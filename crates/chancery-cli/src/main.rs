//! `chancery`: ingest, search, read and check diplomatic archives from the command line.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod config;
mod fetch;
mod ingest;
mod output;
mod people;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chancery_archive::{Archive, ArchiveError, SearchRequest, Sort};
use clap::{Parser, Subcommand, ValueEnum};

/// Chancery: an engine for diplomatic archives.
///
/// Reads FRUS TEI volumes, other TEI documents and plain-text copies into one archive (an SQLite
/// catalog and a tantivy index in one data folder) and finds anything in it.
#[derive(Parser)]
#[command(name = "chancery", version, propagate_version = true)]
#[command(after_help = "Examples:
  chancery ingest ../shared/corpus/frus
  chancery search '\"most-favored-nation\" Afghanistan' --facets
  chancery search telegram --from 1936-02 --to 1936-03 --sort date
  chancery show frus1936v03/d1")]
struct Cli {
    /// The data folder [default: ./chancery-data, or `data` in the config file]
    #[arg(long, global = true, env = "CHANCERY_DATA")]
    data: Option<PathBuf>,
    /// A PostgreSQL catalog (postgres://USER:PASSWORD@HOST:PORT/DATABASE): the source of truth,
    /// which the data folder then copies and follows [default: `database` in the config file;
    /// none: the data folder's SQLite catalog]
    #[arg(long, global = true, env = "CHANCERY_DATABASE")]
    database: Option<String>,
    /// A config file [default: ./chancery.toml if present]
    #[arg(long, global = true, env = "CHANCERY_CONFIG")]
    config: Option<PathBuf>,
    /// More log output (-v info, -vv debug); RUST_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read TEI (.xml) and plain-text (.txt) files and folders into the archive
    Ingest(ingest::IngestArgs),
    /// Download FRUS TEI volumes from HistoryAtState/frus, check them and ingest them
    Fetch(fetch::FetchArgs),
    /// Search the archive
    Search(SearchArgs),
    /// Print a document
    Show(ShowArgs),
    /// Read one file and print the recovered model as JSON, without storing it
    Parse(ParseArgs),
    /// Write documents out in bulk: as text files, or as JSON lines
    Export(ExportArgs),
    /// Serve the web reader and the JSON API
    Serve(ServeArgs),
    /// Browse the decimal-file class tree with document counts (e.g. `files 861`)
    Files(FilesArgs),
    /// Find people of the directory by name: their posts and documents (e.g. `people Henderson`)
    People(people::PeopleArgs),
    /// What enrichment understood, per volume: file numbers, citations, threads, dates, people
    Report(report::ReportArgs),
    /// List the volumes in the archive
    Volumes(JsonFlag),
    /// Count what the archive holds
    Stats(JsonFlag),
    /// Verify that catalog and index agree, document by document
    Check(JsonFlag),
    /// Rebuild the full-text index from the catalog
    Reindex,
    /// Measure search latency (bench/queries.jsonl) or reader throughput
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

#[derive(clap::Args)]
struct JsonFlag {
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// Words, "exact phrases", AND / OR / NOT, -word, prefix*, field:value (heading, body,
    /// notes, source, author, recipient). Empty lists everything that passes the filters.
    #[arg(default_value = "")]
    query: String,
    /// Only this volume (e.g. frus1936v03)
    #[arg(long)]
    volume: Option<String>,
    /// Only documents dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long)]
    from: Option<String>,
    /// Only documents dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long)]
    to: Option<String>,
    /// Only documents sent by someone matching these words (e.g. Henderson)
    #[arg(long)]
    author: Option<String>,
    /// Only documents addressed to someone matching these words
    #[arg(long)]
    recipient: Option<String>,
    /// Only documents filed under this decimal-file class (e.g. 861.00B)
    #[arg(long)]
    file: Option<String>,
    /// Only documents of this kind (telegram, despatch, instruction, memorandum …)
    #[arg(long)]
    kind: Option<String>,
    /// Only documents involving this person (id from `chancery people`, e.g. hull-cordell)
    #[arg(long)]
    person: Option<String>,
    /// Only documents filed under a file number of this country (e.g. Egypt)
    #[arg(long)]
    country: Option<String>,
    /// Only documents citing this volume, page or document (frus1919Russia, frus1936v03/pg_387)
    #[arg(long)]
    cites: Option<String>,
    /// Order of hits
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Hits to show [default: 10, or `limit` in the config file]
    #[arg(long)]
    limit: Option<usize>,
    /// Hits to skip
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Count matches by year, volume, author, recipient, kind, file class, country and person
    #[arg(long)]
    facets: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    /// Best match first
    Relevance,
    /// Oldest first
    Date,
    /// Newest first
    DateDesc,
}

#[derive(clap::Args)]
struct ShowArgs {
    /// VOLUME/ID (frus1936v03/d1), or ID alone when only one volume has it
    id: String,
    /// Output form
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Readable text: heading, source note, dateline, body with [Page N] markers, notes, then
    /// what it cites, what cites it, its correspondence thread and its people
    Text,
    /// Exactly the plain-text form (as `export --format text` writes it, and `ingest` reads it)
    Plain,
    /// The document model as JSON
    Json,
}

#[derive(clap::Args)]
struct FilesArgs {
    /// The class to open (`8`, `861`, `861.00`); the top level when absent
    parent: Option<String>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080, or `listen` in the config file]
    #[arg(long)]
    listen: Option<std::net::SocketAddr>,
    /// Public base URL for permalinks and citations (e.g. https://frus.example.org)
    #[arg(long)]
    base_url: Option<String>,
    /// Seconds one request may take before it gets 503
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Token that opens the admin endpoints (POST /api/admin/sync, /api/admin/reindex) to
    /// requests sending `Authorization: Bearer TOKEN` [default: `admin_token` in the config
    /// file; none: the server is read-only]
    #[arg(long, env = "CHANCERY_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Milliseconds between checks for changes made elsewhere (the database, another
    /// process's ingest); 0: never
    #[arg(long, default_value_t = 500)]
    follow_ms: u64,
    /// Keep no search results or rendered pages: every request does all its work (for
    /// measuring that work)
    #[arg(long)]
    no_cache: bool,
}

#[derive(clap::Args)]
struct ExportArgs {
    /// Only these volumes [default: all]
    #[arg(long)]
    volume: Vec<String>,
    /// Output form
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Folder for text files (VOLUME/ID.txt); JSON lines go to standard output
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// One document model per line, as JSON
    Jsonl,
    /// One text file per document, in the form of the seed
    Text,
}

#[derive(clap::Args)]
struct ParseArgs {
    /// A TEI (.xml) or plain-text (.txt) file
    file: PathBuf,
    /// Volume id for a plain-text file [default: from the file name]
    #[arg(long)]
    id: Option<String>,
}

fn main() -> ExitCode {
    // Output piped into `head` and the like ends quietly when the reader goes away, as other
    // command-line tools do, instead of panicking on the broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let index = e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<ArchiveError>(),
                    Some(ArchiveError::Index(_) | ArchiveError::IndexDir(_))
                )
            });
            if index {
                eprintln!("The full-text index is damaged: `chancery reindex` rebuilds it from the catalog.");
            }
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> Result<ExitCode> {
    let config = config::Config::load(cli.config.as_deref())?;
    let data = cli
        .data
        .or_else(|| config.data.clone())
        .unwrap_or_else(|| PathBuf::from("chancery-data"));
    let database = cli.database.clone().or_else(|| config.database.clone());
    let open = || -> Result<Archive> {
        let archive = Archive::open_with(&data, database.as_deref())
            .with_context(|| format!("cannot open the archive in {}", data.display()))?;
        match archive.sync() {
            Ok(_) => {}
            Err(e @ (ArchiveError::NewerSchema { .. } | ArchiveError::Upstream(_))) => {
                return Err(e).context("cannot follow the database");
            }
            Err(e) if archive.database().is_some() => tracing::warn!(
                "cannot bring {} up to date: {e}; answering from the local copy",
                data.display()
            ),
            Err(e) => return Err(e.into()),
        }
        Ok(archive)
    };
    match cli.command {
        Command::Ingest(args) => ingest::run(&open()?, &args),
        Command::Fetch(args) => fetch::run(&args, &config, &data, open),
        Command::Search(a) => {
            let archive = open()?;
            let req = SearchRequest {
                query: a.query,
                volume: a.volume,
                from: a.from,
                to: a.to,
                author: a.author,
                recipient: a.recipient,
                file: a.file,
                kind: a.kind,
                person: a.person,
                country: a.country,
                cites: a.cites,
                sort: match a.sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::Date,
                    SortArg::DateDesc => Sort::DateDesc,
                },
                limit: a.limit.or(config.limit).unwrap_or(10),
                offset: a.offset,
                facets: a.facets,
            };
            let results = archive.search(&req)?;
            if a.json {
                output::json(&results)?;
            } else {
                output::search(&req, &results);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show(a) => {
            let archive = open()?;
            let doc = archive.document(&a.id)?.with_context(|| {
                format!(
                    "no document '{}' in {} (see `chancery volumes` and `chancery search`)",
                    a.id,
                    data.display()
                )
            })?;
            match a.format {
                Format::Json => output::json(&doc)?,
                Format::Text => {
                    print!("{}", chancery_text::write(&doc));
                    output::links(&archive, &doc)?;
                }
                Format::Plain => print!("{}", chancery_text::write(&doc)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse(a) => {
            let reading = ingest::read_file(&a.file, a.id.as_deref())?;
            output::json(&serde_json::json!({
                "volume": reading.volume,
                "documents": reading.documents,
                "warnings": reading.warnings,
            }))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(a) => {
            let archive = std::sync::Arc::new(open()?);
            let addr = a
                .listen
                .or(config.listen)
                .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
            let options = chancery_web::ServeOptions {
                timeout: std::time::Duration::from_secs(a.timeout.max(1)),
                base_url: a.base_url.or(config.base_url.clone()),
                admin_token: a.admin_token.or(config.admin_token.clone()),
                cache: !a.no_cache,
                follow_every: (a.follow_ms > 0)
                    .then(|| std::time::Duration::from_millis(a.follow_ms)),
                ..chancery_web::ServeOptions::default()
            };
            eprintln!(
                "Chancery is serving {} at http://{addr}/ (Ctrl-C stops)",
                data.display()
            );
            chancery_web::serve_blocking(archive, addr, options)
                .with_context(|| format!("cannot serve on {addr}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(a) => {
            export(&open()?, &a)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::People(a) => people::run(&open()?, &a),
        Command::Report(a) => report::run(&open()?, &a),
        Command::Files(a) => {
            let parent = a
                .parent
                .as_deref()
                .map(|p| p.trim().replace(['–', '—'], "-"));
            let tree = open()?.file_tree(parent.as_deref())?;
            if a.json {
                output::json(&tree)?;
            } else if tree.is_empty() {
                println!(
                    "No documents are filed under {}.",
                    parent.as_deref().unwrap_or("any decimal-file class")
                );
            } else {
                for c in &tree {
                    println!("{:<16} {:>7} documents", c.key, c.documents);
                }
                println!("Open a class with `chancery files KEY`; search it with `chancery search --file KEY`.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Volumes(f) => {
            let vols = open()?.volumes()?;
            if f.json {
                output::json(&vols)?;
            } else {
                for v in &vols {
                    println!("{:<28} {:>5} docs  {}", v.id, v.documents, v.title);
                }
                if vols.is_empty() {
                    println!("The archive is empty: add volumes with `chancery ingest PATH`.");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats(f) => {
            let s = open()?.stats()?;
            if f.json {
                output::json(&s)?;
            } else {
                output::stats(&data, &s);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(f) => {
            let archive = Archive::open(&data)?;
            let report = archive.check()?;
            if f.json {
                output::json(&report)?;
            } else {
                for p in &report.problems {
                    println!("{p}");
                }
                println!(
                    "checked {} volumes, {} documents: {}",
                    report.volumes,
                    report.documents,
                    if report.problems.is_empty() {
                        "catalog and index agree".to_string()
                    } else {
                        format!(
                            "{} problem(s); `chancery reindex` rebuilds the index",
                            report.problems.len()
                        )
                    }
                );
            }
            Ok(if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Bench(bench::BenchCommand::Search(args)) => {
            bench::run(&open()?, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(bench::BenchCommand::Parse(args)) => {
            bench::parse(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(bench::BenchCommand::Enrich(args)) => {
            bench::enrich(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex => {
            let damaged =
                |e: &ArchiveError| matches!(e, ArchiveError::Index(_) | ArchiveError::IndexDir(_));
            let n = match Archive::open(&data).and_then(|a| a.reindex()) {
                Ok(n) => n,
                Err(e) if damaged(&e) => {
                    // Too damaged to open or rewrite: start afresh from the catalog.
                    let aside = Archive::set_index_aside(&data)?;
                    eprintln!(
                        "the index could not be used ({e}); moved it to {} and rebuilding it",
                        aside.display()
                    );
                    Archive::open(&data)?.reindex()?
                }
                Err(e) => return Err(e.into()),
            };
            println!("re-indexed {n} documents from the catalog");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn export(archive: &Archive, a: &ExportArgs) -> Result<()> {
    use std::io::Write;
    let volumes = if a.volume.is_empty() {
        archive.volumes()?.into_iter().map(|v| v.id).collect()
    } else {
        a.volume.clone()
    };
    let out_dir = match (a.format, &a.out) {
        (ExportFormat::Text, Some(d)) => Some(d),
        (ExportFormat::Text, None) => anyhow::bail!("--format text writes files: give --out DIR"),
        (ExportFormat::Jsonl, _) => None,
    };
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    let mut n = 0usize;
    for v in &volumes {
        let docs = archive
            .volume_documents(v)?
            .with_context(|| format!("no volume '{v}' (see `chancery volumes`)"))?;
        for doc in docs {
            match out_dir {
                Some(dir) => {
                    let folder = dir.join(&doc.volume);
                    std::fs::create_dir_all(&folder)
                        .with_context(|| format!("cannot create {}", folder.display()))?;
                    let file = folder.join(format!("{}.txt", doc.id));
                    std::fs::write(&file, chancery_text::write(&doc))
                        .with_context(|| format!("cannot write {}", file.display()))?;
                }
                None => {
                    serde_json::to_writer(&mut lock, &doc)?;
                    writeln!(lock)?;
                }
            }
            n += 1;
        }
    }
    lock.flush()?;
    if let Some(dir) = out_dir {
        eprintln!("wrote {n} documents to {}", dir.display());
    }
    Ok(())
}
