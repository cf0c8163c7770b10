//! `chancery fetch`: FRUS TEI volumes from the HistoryAtState/frus repository, resumed when a
//! download breaks, and checked whole (parsed in full) before they go into place and are ingested.

use std::fs::{self, OpenOptions};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use chancery_archive::Archive;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use ureq::Agent;

use crate::config::Config;
use crate::{ingest, output};

/// Where volumes come from unless `--base-url` or `fetch_base_url` says otherwise.
pub const DEFAULT_BASE_URL: &str =
    "https://raw.githubusercontent.com/HistoryAtState/frus/master/volumes/";

/// The list of volumes for the default base URL: the GitHub contents API's listing of the
/// repository's `volumes` folder (JSON, at most 1,000 entries; names ending in `.xml` are volumes).
pub const GITHUB_LIST_URL: &str =
    "https://api.github.com/repos/HistoryAtState/frus/contents/volumes";

/// How often one run resumes a download whose connection broke.
const RETRIES: u32 = 5;

/// The largest list of volumes read.
const LIST_LIMIT: u64 = 64 << 20;

/// Arguments of `chancery fetch`.
#[derive(clap::Args)]
#[command(
    after_help = "The volume list: --list-url, or `fetch_list_url` in the config file; for \
the default base URL the GitHub contents API (https://api.github.com/repos/HistoryAtState/frus/\
contents/volumes), otherwise BASE-URL/index.txt (one id per line)."
)]
pub struct FetchArgs {
    /// Volume ids, as the files in HistoryAtState/frus are named (frus1894Nicaragua)
    #[arg(required_unless_present_any = ["all", "list"])]
    ids: Vec<String>,
    /// Fetch every volume in the list, skipping those already present and whole
    #[arg(long, conflicts_with = "ids")]
    all: bool,
    /// Print the ids in the list of volumes, one per line, and fetch nothing
    #[arg(long, conflicts_with_all = ["ids", "all"])]
    list: bool,
    /// Where volumes are downloaded from, as URL/ID.xml [default: `fetch_base_url` in the
    /// config file, or HistoryAtState/frus on GitHub]
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The list of volumes: one id per line, or a GitHub contents-API listing (JSON)
    #[arg(long, value_name = "URL")]
    list_url: Option<String>,
    /// Folder the volumes are saved in [default: DATA/volumes]
    #[arg(long, value_name = "DIR")]
    dest: Option<PathBuf>,
    /// Ingest the fetched volumes into the archive (`--ingest=false` only downloads)
    #[arg(
        long,
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    ingest: bool,
    /// Only download, as `--ingest=false`
    #[arg(long)]
    no_ingest: bool,
}

/// Why a volume was not fetched.
enum Failure {
    /// This volume failed; the others may still come.
    Volume(anyhow::Error),
    /// The network or the disk failed: stop fetching.
    Stop(anyhow::Error),
}

/// Why one request did not give the whole file.
enum Get {
    /// The transfer broke off and may be resumed.
    Broken(String),
    /// Resuming will not help.
    Failed(Failure),
}

/// Runs `chancery fetch`; `open` opens the archive when there is something to ingest.
pub fn run(
    args: &FetchArgs,
    config: &Config,
    data: &Path,
    open: impl FnOnce() -> Result<Archive>,
) -> Result<ExitCode> {
    let base = with_slash(
        args.base_url
            .clone()
            .or_else(|| config.fetch_base_url.clone())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
    );
    let agent = agent();
    let ids = if args.list || args.all {
        let url = args
            .list_url
            .clone()
            .or_else(|| config.fetch_list_url.clone())
            .unwrap_or_else(|| list_url(&base));
        let ids = list(&agent, &url)?;
        if args.list {
            for id in &ids {
                println!("{id}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        ids
    } else {
        for id in &args.ids {
            if !valid_id(id) {
                anyhow::bail!(
                    "'{id}' is not a volume id (letters, digits, '-', '_' and '.', as in frus1894Nicaragua)"
                );
            }
        }
        args.ids.clone()
    };

    let dest = args.dest.clone().unwrap_or_else(|| data.join("volumes"));
    fs::create_dir_all(&dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let (mut downloaded, mut present, mut failed) = (0usize, 0usize, 0usize);
    let mut ready = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match fetch_one(&agent, &base, id, &dest) {
            Ok((path, Some(bytes))) => {
                println!(
                    "{id}: downloaded {} to {}",
                    output::human_bytes(bytes),
                    path.display()
                );
                downloaded += 1;
                ready.push(path);
            }
            Ok((path, None)) => {
                println!("{id}: already present in {}", path.display());
                present += 1;
                ready.push(path);
            }
            Err(Failure::Volume(e)) => {
                eprintln!("error: {e:#}");
                failed += 1;
            }
            Err(Failure::Stop(e)) => {
                eprintln!("error: {e:#}");
                failed += ids.len() - i;
                break;
            }
        }
    }
    if ids.len() > 1 {
        println!(
            "{} volumes: {downloaded} downloaded, {present} already present, {failed} failed",
            ids.len()
        );
    }
    let code = if args.ingest && !args.no_ingest && !ready.is_empty() {
        ingest::run(&open()?, &ingest::IngestArgs::files(ready))?
    } else {
        ExitCode::SUCCESS
    };
    Ok(if failed > 0 { ExitCode::from(1) } else { code })
}

/// The list URL for a base URL: the GitHub contents API for the default, `index.txt` otherwise.
fn list_url(base: &str) -> String {
    if base == DEFAULT_BASE_URL {
        GITHUB_LIST_URL.to_string()
    } else {
        format!("{base}index.txt")
    }
}

fn with_slash(mut url: String) -> String {
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// A volume id that is safe as a file name and in a URL.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        // Byte ranges must count the file's own bytes, not a compressed form.
        .accept_encoding("identity")
        .user_agent(concat!("chancery/", env!("CARGO_PKG_VERSION")))
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// What to check when a request got no answer.
fn unreachable(url: &str, e: &ureq::Error) -> anyhow::Error {
    let hint = match e {
        ureq::Error::HostNotFound => "check the host name in the URL and the network connection",
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "nothing answers at that host and port: check the URL"
        }
        ureq::Error::Timeout(_) => {
            "the server did not answer in time: check the network connection, or try again later"
        }
        ureq::Error::BadUri(_) => "check the URL (--base-url, --list-url or the config file)",
        _ => "check the URL (--base-url, --list-url or the config file) and the network connection",
    };
    anyhow!("cannot reach {url}: {e}; {hint}")
}

/// The ids in the list of volumes at `url`.
fn list(agent: &Agent, url: &str) -> Result<Vec<String>> {
    let mut resp = agent.get(url).call().map_err(|e| unreachable(url, &e))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(LIST_LIMIT)
        .lossy_utf8(true)
        .read_to_string()
        .map_err(|e| anyhow!("cannot read the list of volumes from {url}: {e}"))?;
    match status {
        200 => parse_list(&text).with_context(|| format!("the list of volumes at {url}")),
        404 => Err(anyhow!(
            "no list of volumes at {url}: give one with --list-url (a file with one id per line)"
        )),
        _ => Err(anyhow!(
            "the list of volumes at {url}: HTTP {status}: {}",
            text.chars().take(200).collect::<String>().trim()
        )),
    }
}

/// Volume ids from a list: one per line (`#` comments, `.xml` optional), or a GitHub
/// contents-API listing, where the entries named `*.xml` are the volumes.
fn parse_list(text: &str) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
    }
    let names: Vec<String> = if text.trim_start().starts_with('[') {
        let entries: Vec<Entry> =
            serde_json::from_str(text).map_err(|e| anyhow!("not a GitHub listing: {e}"))?;
        entries
            .into_iter()
            .filter_map(|e| e.name.strip_suffix(".xml").map(str::to_string))
            .collect()
    } else {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.strip_suffix(".xml").unwrap_or(l).to_string())
            .collect()
    };
    let mut ids = Vec::with_capacity(names.len());
    for id in names {
        if !valid_id(&id) {
            anyhow::bail!("'{id}' is not a volume id");
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Reads `path` in full as the TEI volume `id`: `Err` says where and why it is not whole.
fn check(path: &Path, id: &str) -> std::result::Result<(), String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = format!("{id}.xml");
    let reading = chancery_tei::read(&bytes, id).map_err(|e| match e.location() {
        Some(_) => format!("{name}:{e}"),
        None => format!("{name}: {e}"),
    })?;
    if reading.volume.id != id {
        return Err(format!(
            "{name} holds volume {}, not {id}",
            reading.volume.id
        ));
    }
    Ok(())
}

/// Fetches volume `id` into `dest` unless it is there and whole: its path, and the bytes
/// downloaded (`None` when it was already present).
fn fetch_one(
    agent: &Agent,
    base: &str,
    id: &str,
    dest: &Path,
) -> std::result::Result<(PathBuf, Option<u64>), Failure> {
    let path = dest.join(format!("{id}.xml"));
    if path.is_file() && check(&path, id).is_ok() {
        return Ok((path, None));
    }
    let url = format!("{base}{id}.xml");
    let part = dest.join(format!("{id}.xml.part"));
    let bytes = download(agent, &url, id, &part)?;
    if let Err(e) = check(&part, id) {
        // Never keep a broken file: the next run starts afresh.
        let _ = fs::remove_file(&part);
        return Err(Failure::Volume(anyhow!(
            "{id}: {url} did not give a whole TEI volume: {e}; the download was removed and not ingested"
        )));
    }
    fs::rename(&part, &path).map_err(|e| {
        Failure::Stop(anyhow!(
            "cannot move {} to {}: {e}",
            part.display(),
            path.display()
        ))
    })?;
    Ok((path, Some(bytes)))
}

/// Downloads `url` into `part`, resuming from what `part` already holds, also when the
/// connection breaks on the way; returns the file's size.
fn download(agent: &Agent, url: &str, id: &str, part: &Path) -> std::result::Result<u64, Failure> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(id.to_string());
    let mut attempt = 0;
    let result = loop {
        let have = fs::metadata(part).map_or(0, |m| m.len());
        match get(agent, url, id, part, have, &bar) {
            Ok(n) => break Ok(n),
            Err(Get::Broken(e)) if attempt < RETRIES => {
                attempt += 1;
                let now = fs::metadata(part).map_or(0, |m| m.len());
                tracing::info!("{id}: {e}; resuming at byte {now} (attempt {attempt})");
                bar.suspend(|| eprintln!("{id}: the download broke off ({e}); resuming"));
                std::thread::sleep(Duration::from_millis(250 * u64::from(attempt)));
            }
            Err(Get::Broken(e)) => {
                break Err(Failure::Stop(anyhow!(
                    "{id}: the download from {url} broke off {} times (last: {e}); check the network connection and run the command again to resume it from {}",
                    RETRIES + 1,
                    part.display()
                )))
            }
            Err(Get::Failed(f)) => break Err(f),
        }
    };
    bar.finish_and_clear();
    result
}

/// One request for `url` from byte `have` on, appended to `part`.
fn get(
    agent: &Agent,
    url: &str,
    id: &str,
    part: &Path,
    have: u64,
    bar: &ProgressBar,
) -> std::result::Result<u64, Get> {
    let mut req = agent.get(url);
    if have > 0 {
        req = req.header("Range", format!("bytes={have}-"));
    }
    let resp = req
        .call()
        .map_err(|e| Get::Failed(Failure::Stop(unreachable(url, &e))))?;
    let status = resp.status().as_u16();
    let start = match status {
        200 => 0,
        206 => match content_range_start(&resp) {
            Some(s) if s == have => have,
            _ => {
                // Not the range asked for: start again from the beginning.
                let _ = fs::remove_file(part);
                return Err(Get::Broken(format!("{url} sent an unexpected byte range")));
            }
        },
        // The part file already holds the whole file; the check will tell.
        416 if have > 0 => return Ok(have),
        404 | 410 => {
            return Err(Get::Failed(Failure::Volume(anyhow!(
                "no volume {id} at {url} (see `chancery fetch --list`)"
            ))))
        }
        500..=599 => return Err(Get::Broken(format!("HTTP {status} from {url}"))),
        _ => {
            return Err(Get::Failed(Failure::Volume(anyhow!(
                "{id}: HTTP {status} from {url}"
            ))))
        }
    };
    let length = resp.body().content_length();
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(start > 0)
        .truncate(start == 0)
        .open(part)
        .map_err(|e| Get::Failed(Failure::Stop(anyhow!("{}: {e}", part.display()))))?;
    bar.set_length(length.map_or(0, |n| start + n));
    bar.set_position(start);
    let mut body = resp.into_body().into_reader();
    let mut buf = vec![0u8; 64 << 10];
    let mut at = start;
    loop {
        match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                file.write_all(&buf[..n])
                    .map_err(|e| Get::Failed(Failure::Stop(anyhow!("{}: {e}", part.display()))))?;
                at += n as u64;
                bar.set_position(at);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                let _ = file.flush();
                return Err(Get::Broken(e.to_string()));
            }
        }
    }
    file.flush()
        .map_err(|e| Get::Failed(Failure::Stop(anyhow!("{}: {e}", part.display()))))?;
    Ok(at)
}

/// The first byte of a `206` response's `Content-Range: bytes START-END/TOTAL`.
fn content_range_start(resp: &ureq::http::Response<ureq::Body>) -> Option<u64> {
    let value = resp.headers().get("content-range")?.to_str().ok()?;
    let range = value.trim().strip_prefix("bytes")?.trim_start();
    range.split('-').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_from_text_and_github_json() {
        let text = "# volumes\nfrus1894Nicaragua\n\n frus1936v03.xml \nfrus1894Nicaragua\n";
        assert_eq!(
            parse_list(text).unwrap(),
            ["frus1894Nicaragua", "frus1936v03"]
        );
        let json = r#"[{"name":"frus1894Nicaragua.xml","type":"file"},
                       {"name":"README.md","type":"file"},{"name":"frus1952-54Guat.xml"}]"#;
        assert_eq!(
            parse_list(json).unwrap(),
            ["frus1894Nicaragua", "frus1952-54Guat"]
        );
        assert!(parse_list("../etc/passwd\n").is_err());
    }

    #[test]
    fn ids_and_urls() {
        assert!(valid_id("frus1969-76v01"));
        assert!(!valid_id("a/b") && !valid_id("..") && !valid_id(""));
        assert_eq!(list_url(DEFAULT_BASE_URL), GITHUB_LIST_URL);
        assert_eq!(
            list_url(&with_slash("http://127.0.0.1:9/v".into())),
            "http://127.0.0.1:9/v/index.txt"
        );
    }
}
