//! `chancery fetch` against a real HTTP server on loopback that serves the shared corpus: the
//! download, resume, whole-file check and ingest code all run as they do against GitHub.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use chancery_testdata::corpus;

const NICARAGUA: &str = "frus1894Nicaragua";

/// A small HTTP/1.1 server over `$CHANCERY_CORPUS/frus`.
///
/// Routes: `/index.txt` (the volume ids), `/ID.xml` (with `Range: bytes=N-`), `/cut/ID.xml`
/// (the first request for a file gets half of it and a closed connection), `/truncated/ID.xml`
/// (the first half of the file, served as if whole); anything else is 404.
struct Server {
    port: u16,
    /// Every request as `PATH` or `PATH bytes=N-`.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let cut = Arc::new(Mutex::new(HashSet::new()));
        let server_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log, cut) = (root.clone(), Arc::clone(&server_log), Arc::clone(&cut));
                std::thread::spawn(move || {
                    let _ = handle(stream, &root, &log, &cut);
                });
            }
        });
        Server { port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn handle(
    mut stream: TcpStream,
    root: &Path,
    log: &Mutex<Vec<String>>,
    cut: &Mutex<HashSet<String>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut range = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_string());
            }
        }
    }
    log.lock().unwrap().push(match &range {
        Some(r) => format!("{path} {r}"),
        None => path.clone(),
    });

    let file = |name: &str| {
        name.strip_suffix(".xml")
            .filter(|id| !id.contains('/') && !id.contains(".."))
            .and_then(|_| std::fs::read(root.join(name)).ok())
    };
    if path == "/index.txt" {
        let ids = chancery_testdata::xml_files(root)
            .iter()
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned() + "\n")
            .collect::<String>();
        return respond(&mut stream, "200 OK", &[], ids.as_bytes());
    }
    if let Some(bytes) = path.strip_prefix("/cut/").and_then(file) {
        if cut.lock().unwrap().insert(path.clone()) {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&bytes[..bytes.len() / 2])?;
            stream.flush()?;
            return stream.shutdown(std::net::Shutdown::Both);
        }
        return serve(&mut stream, &bytes, range.as_deref());
    }
    if let Some(bytes) = path.strip_prefix("/truncated/").and_then(file) {
        return respond(&mut stream, "200 OK", &[], &bytes[..bytes.len() / 2]);
    }
    match path.strip_prefix('/').and_then(file) {
        Some(bytes) => serve(&mut stream, &bytes, range.as_deref()),
        None => respond(&mut stream, "404 Not Found", &[], b"not found\n"),
    }
}

/// The whole file, or from byte N on for `Range: bytes=N-`.
fn serve(stream: &mut TcpStream, bytes: &[u8], range: Option<&str>) -> std::io::Result<()> {
    let start = range
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    match start {
        None => respond(stream, "200 OK", &[], bytes),
        Some(n) if n >= bytes.len() => respond(
            stream,
            "416 Range Not Satisfiable",
            &[format!("Content-Range: bytes */{}", bytes.len())],
            b"",
        ),
        Some(n) => respond(
            stream,
            "206 Partial Content",
            &[format!(
                "Content-Range: bytes {n}-{}/{}",
                bytes.len() - 1,
                bytes.len()
            )],
            &bytes[n..],
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[String],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

fn chancery(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("CHANCERY_CONFIG")
        .output()
        .expect("chancery runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn documents(data: &Path) -> u64 {
    let o = chancery(data, &["stats", "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    stats["documents"].as_u64().unwrap()
}

fn setup() -> Option<(PathBuf, Server, tempfile::TempDir)> {
    let frus = corpus()?.join("frus");
    let server = Server::start(frus.clone());
    Some((frus, server, tempfile::tempdir().unwrap()))
}

#[test]
fn fetches_checks_and_ingests_a_volume() {
    let Some((frus, server, data)) = setup() else {
        return;
    };
    let d = data.path();
    let base = server.url("");
    let o = chancery(d, &["fetch", "--base-url", &base, NICARAGUA]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let file = d.join("volumes").join(format!("{NICARAGUA}.xml"));
    let want = std::fs::read(frus.join(format!("{NICARAGUA}.xml"))).unwrap();
    assert!(std::fs::read(&file).unwrap() == want, "bytes differ");
    assert!(!d
        .join("volumes")
        .join(format!("{NICARAGUA}.xml.part"))
        .exists());
    assert!(
        text(&o.stdout).contains("1 files: 1 added"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(documents(d), 138);

    // Present and whole: not downloaded again.
    let o = chancery(d, &["fetch", "--base-url", &base, NICARAGUA]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("already present"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
    assert_eq!(documents(d), 138);
}

#[test]
fn resumes_a_broken_download() {
    let Some((frus, server, data)) = setup() else {
        return;
    };
    let want = std::fs::read(frus.join(format!("{NICARAGUA}.xml"))).unwrap();
    let dest = data.path().join("dl");
    let dest_s = dest.to_str().unwrap();

    // The connection is cut halfway through; the same run resumes where it broke off.
    let o = chancery(
        data.path(),
        &[
            "fetch",
            "--no-ingest",
            "--dest",
            dest_s,
            "--base-url",
            &server.url("cut"),
            NICARAGUA,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let file = dest.join(format!("{NICARAGUA}.xml"));
    assert!(std::fs::read(&file).unwrap() == want, "bytes differ");
    let half = want.len() / 2;
    let path = format!("/cut/{NICARAGUA}.xml");
    assert_eq!(
        server.requests(),
        [path.clone(), format!("{path} bytes={half}-")]
    );

    // A part file left by an earlier run is resumed, not started again.
    std::fs::remove_file(&file).unwrap();
    std::fs::write(dest.join(format!("{NICARAGUA}.xml.part")), &want[..1000]).unwrap();
    let o = chancery(
        data.path(),
        &[
            "fetch",
            "--ingest=false",
            "--dest",
            dest_s,
            "--base-url",
            &server.url(""),
            NICARAGUA,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read(&file).unwrap() == want, "bytes differ");
    assert_eq!(
        server.requests().last().unwrap(),
        &format!("/{NICARAGUA}.xml bytes=1000-")
    );
    assert!(
        !data.path().join("catalog.sqlite").exists(),
        "nothing ingested"
    );
}

#[test]
fn rejects_a_truncated_file() {
    let Some((_, server, data)) = setup() else {
        return;
    };
    let d = data.path();
    let o = chancery(
        d,
        &["fetch", "--base-url", &server.url("truncated"), NICARAGUA],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("did not give a whole TEI volume"), "{err}");
    assert!(err.contains("removed and not ingested"), "{err}");
    // The XML error's line:column.
    let at = err
        .split(&format!("{NICARAGUA}.xml:"))
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    let mut parts = at.splitn(3, ':');
    assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{err}");
    assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{err}");
    let volumes = d.join("volumes");
    assert_eq!(
        std::fs::read_dir(&volumes).unwrap().count(),
        0,
        "nothing kept"
    );
    assert_eq!(documents(d), 0);
}

#[test]
fn reports_missing_volumes_and_unreachable_servers() {
    let Some((_, server, data)) = setup() else {
        return;
    };
    let d = data.path();
    let base = server.url("");
    let o = chancery(d, &["fetch", "--base-url", &base, "frus9999Nowhere"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "no volume frus9999Nowhere at {base}frus9999Nowhere.xml"
        )),
        "{err}"
    );

    // A loopback port where nothing listens.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let o = chancery(
        d,
        &[
            "fetch",
            "--base-url",
            &format!("http://127.0.0.1:{port}/"),
            NICARAGUA,
        ],
    );
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(
        err.contains("cannot reach") && err.contains("check the URL"),
        "{err}"
    );

    let o = chancery(d, &["fetch", "../escape"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("not a volume id"));
}

#[test]
fn lists_and_fetches_all() {
    let Some((frus, server, data)) = setup() else {
        return;
    };
    let d = data.path();
    let base = server.url("");
    let ids: Vec<String> = chancery_testdata::xml_files(&frus)
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();

    let o = chancery(d, &["fetch", "--list", "--base-url", &base]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).lines().collect::<Vec<_>>(), ids);

    let o = chancery(d, &["fetch", "--all", "--base-url", &base]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("3 volumes: 3 downloaded, 0 already present, 0 failed"),
        "{}",
        text(&o.stdout)
    );
    for id in &ids {
        let name = format!("{id}.xml");
        assert!(
            std::fs::read(d.join("volumes").join(&name)).unwrap()
                == std::fs::read(frus.join(&name)).unwrap()
        );
    }
    assert_eq!(documents(d), 138 + 586 + 287);

    let before = server.requests().len();
    let o = chancery(d, &["fetch", "--all", "--base-url", &base]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("3 volumes: 0 downloaded, 3 already present, 0 failed"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        text(&o.stdout).contains("3 unchanged"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(server.requests()[before..], ["/index.txt".to_string()]);
}
