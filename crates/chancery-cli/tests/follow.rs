//! `chancery serve` on the embedded archive follows an ingest made by another process: the
//! new volume becomes searchable without a restart, and `/api/health` stays ready.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chancery_testdata::corpus;

/// Kills the server when the test ends, whichever way.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn total(agent: &ureq::Agent, base: &str, q: &str) -> Option<u64> {
    let mut r = agent
        .get(format!("{base}/api/search?facets=false&q={q}"))
        .call()
        .ok()?;
    let v: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().ok()?).ok()?;
    v["total"].as_u64()
}

#[test]
fn a_server_follows_another_process_ingest() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_chancery");
    let ingest = |file: &str| {
        let o = Command::new(bin)
            .arg("--data")
            .arg(data.path())
            .args(["ingest", "--json"])
            .arg(corpus.join("frus").join(file))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    ingest("frus1894Nicaragua.xml");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        Command::new(bin)
            .arg("--data")
            .arg(data.path())
            .args(["serve", "--follow-ms", "100", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let deadline = Instant::now() + Duration::from_secs(30);
    while total(&agent, &base, "Mosquito").is_none() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(total(&agent, &base, "Arbenz"), Some(0));

    // Another process ingests a volume while the server runs.
    ingest("frus1952-54Guat.xml");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match total(&agent, &base, "Arbenz") {
            Some(n) if n > 0 => break,
            _ => assert!(
                Instant::now() < deadline,
                "the new volume never became searchable"
            ),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut health = agent.get(format!("{base}/api/health")).call().unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let h: serde_json::Value =
        serde_json::from_str(&health.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(h["status"]["index_lag"], 0, "{h}");
    // The documents of the new volume are served too.
    let page = agent
        .get(format!("{base}/frus1952-54Guat/d1"))
        .call()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
}
