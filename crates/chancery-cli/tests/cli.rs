//! The `chancery` binary, run as a user would, over the shared corpus and hostile files.

use chancery_testdata::corpus;

mod common;
use common::{chancery, json, s, stderr, stdout};

#[test]
fn ingest_search_show_stats_check() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let frus = corpus.join("frus");
    let history = corpus.join("frus-history/documents");

    let o = chancery(d, &["ingest", "--json", s(&frus), s(&history)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = json(&o);
    assert_eq!(summary["files"], 66);
    assert_eq!(summary["added"], 66);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["documents"], 138 + 586 + 287 + 73);

    // Unchanged files are not read again.
    let o = chancery(d, &["ingest", "--json", s(&frus)]);
    assert_eq!(json(&o)["unchanged"], 3);

    let o = chancery(
        d,
        &[
            "search",
            "--json",
            "--facets",
            "\"most-favored-nation\" Afghanistan",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["total"], 2);
    assert_eq!(r["hits"][0]["key"], "frus1936v03/d1");
    assert_eq!(r["facets"]["year"][0][0], "1936");

    // Decimal-file class filter: every hit is filed under 711.
    let o = chancery(d, &["search", "--json", "--limit", "50", "--file", "711"]);
    let r = json(&o);
    assert!(r["total"].as_u64().unwrap() > 5);
    for h in r["hits"].as_array().unwrap() {
        assert!(h["source"].as_str().unwrap().starts_with("711."), "{h}");
    }

    // The class tree: each node counts what `search --file` finds under it.
    let o = chancery(d, &["files", "--json", "711"]);
    let tree = json(&o);
    let children = tree.as_array().unwrap();
    assert!(children.iter().any(|c| c["key"] == "711.90"), "{tree}");
    for c in children {
        let key = c["key"].as_str().unwrap();
        assert!(key.starts_with("711."), "{key}");
        let o = chancery(d, &["search", "--json", "--limit", "1", "--file", key]);
        assert_eq!(json(&o)["total"], c["documents"], "{key}");
    }
    let o = chancery(d, &["files", "--json"]);
    let top = json(&o);
    assert!(
        top.as_array().unwrap().iter().any(|c| c["key"] == "7"),
        "{top}"
    );

    // Readable text for people.
    let o = chancery(d, &["search", "Mosquito Reservation", "--limit", "2"]);
    let out = stdout(&o);
    assert!(out.contains("documents match"), "{out}");
    assert!(out.contains("frus1894Nicaragua/"), "{out}");

    let o = chancery(d, &["show", "frus1936v03/d1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("711.90H/41\n"), "{text}");
    assert!(text.contains("The Secretary of State to the Chargé in France (Marriner)"));
    assert!(text.contains("[Page 2]") && text.contains("[Page 3]"));
    assert!(text.contains("Omissions indicated in the original."));

    let o = chancery(d, &["show", "frus1936v03/d1", "--format", "json"]);
    assert_eq!(json(&o)["paper"]["number"], "1198");

    let o = chancery(d, &["show", "d1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ambiguous"), "{}", stderr(&o));

    let o = chancery(d, &["stats", "--json"]);
    let st = json(&o);
    assert_eq!(st["volumes"], 66);
    assert_eq!(st["documents"], st["indexed"]);

    let o = chancery(d, &["check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("catalog and index agree"));

    // Query errors are explained, with a non-zero exit.
    let o = chancery(d, &["search", "\"unbalanced"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("column 1"), "{}", stderr(&o));
}

/// Hostile and broken files: each is reported with its location, the good file still goes in.
#[test]
fn bad_files_are_reported_and_skipped() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("in");
    std::fs::create_dir(&files).unwrap();
    let good = std::fs::read(corpus.join("frus/frus1894Nicaragua.xml")).unwrap();
    std::fs::write(files.join("good.xml"), &good).unwrap();
    std::fs::write(files.join("truncated.xml"), &good[..good.len() / 2]).unwrap();
    std::fs::write(files.join("empty.xml"), b"").unwrap();
    std::fs::write(
        files.join("binary.xml"),
        [0x89, b'P', b'N', b'G', 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(
        files.join("not-tei.xml"),
        "<?xml version=\"1.0\"?>\n<html><body/></html>\n",
    )
    .unwrap();
    std::fs::write(
        files.join("laughs.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<TEI><text><body><p>&lol2;</p></body></text></TEI>\n",
    )
    .unwrap();
    std::fs::write(
        files.join("deep.xml"),
        format!("<TEI><text>{}</text></TEI>", "<div>".repeat(10_000)),
    )
    .unwrap();
    std::fs::write(
        files.join("latin1.xml"),
        b"<TEI><text><body><p>Caf\xe9</p></body></text></TEI>".as_slice(),
    )
    .unwrap();

    let data = dir.path().join("data");
    let o = chancery(&data, &["ingest", s(&files)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let expect = [
        ("truncated.xml:", "malformed XML"),
        ("empty.xml", "empty"),
        ("binary.xml:1:5", "binary"),
        ("not-tei.xml:2:1", "root element is <html>"),
        ("laughs.xml:3:", "undefined entity &lol2;"),
        ("deep.xml:1:", "nested deeper"),
        ("latin1.xml:1:24", "not UTF-8"),
    ];
    for (place, what) in expect {
        let line = err
            .lines()
            .find(|l| l.contains(place))
            .unwrap_or_else(|| panic!("no error for {place}:\n{err}"));
        assert!(line.contains(what), "{line}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&o).contains("1 added"), "{}", stdout(&o));
    let o = chancery(&data, &["stats", "--json"]);
    assert_eq!(json(&o)["documents"], 138);
    let o = chancery(&data, &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));

    let o = chancery(&data, &["ingest", s(&dir.path().join("missing"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file or folder"));
}

/// The seed, a plain-text copy, goes in like any TEI document and comes back out as it was.
#[test]
fn plain_text_documents_in_and_out() {
    let Some(seed) = chancery_testdata::seed() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = chancery(&data, &["ingest", "--json", s(&seed)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["documents"], 1);

    let o = chancery(&data, &["search", "--json", "Osoaviakhim"]);
    let r = json(&o);
    assert_eq!(r["total"], 1);
    assert_eq!(r["hits"][0]["key"], "000_36a440fcf6bbd698/d1");
    assert_eq!(r["hits"][0]["source"], "861.00B/680");

    let o = chancery(&data, &["search", "--json", "--file", "861.00B"]);
    assert_eq!(json(&o)["total"], 1);

    let o = chancery(
        &data,
        &["show", "000_36a440fcf6bbd698/d1", "--format", "plain"],
    );
    let shown = stdout(&o);
    let original = std::fs::read_to_string(&seed).unwrap();
    let trim = |t: &str| {
        t.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string()
    };
    assert_eq!(trim(&shown), trim(&original));

    let out = dir.path().join("export");
    let o = chancery(&data, &["export", "--format", "text", "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let exported = std::fs::read_to_string(out.join("000_36a440fcf6bbd698/d1.txt")).unwrap();
    assert_eq!(trim(&exported), trim(&original));

    let o = chancery(&data, &["export"]);
    let line: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(line["paper"]["number"], "971");

    let o = chancery(&data, &["ingest", "--id", "moscow-971", s(&seed), s(&seed)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--id"));
}
