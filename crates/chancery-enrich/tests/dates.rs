//! Dates: every dateline form the corpus uses, receipt lines, doubtful datelines, and bounds
//! inferred for the undated documents of the shared corpus.

use std::path::Path;

use chancery_enrich::dates::{find, flag, infer_dates, received};
use chancery_enrich::{enrich, enrich_volume};
use chancery_model::{DateSource, Document};

fn day(text: &str, century: Option<i32>) -> Option<String> {
    find(text, century).map(|f| {
        assert_eq!(f.min, f.max, "{text}");
        f.min
    })
}

#[test]
fn dateline_forms() {
    for (text, century, want) in [
        ("Hankow, January 1, 1938—10 p.m.", None, "1938-01-01"),
        (
            "Paris, February 26, 1936. [Received March 7.]",
            None,
            "1936-02-26",
        ),
        ("18.1.38", Some(1900), "1938-01-18"),
        ("18.1.38”.", Some(1900), "1938-01-18"),
        ("3 February 1957", None, "1957-02-03"),
        (
            "Bluefields, Nicaragua, January 25, 1894.",
            None,
            "1894-01-25",
        ),
        ("Washington, Sept. 3, 1957", None, "1957-09-03"),
    ] {
        assert_eq!(day(text, century).as_deref(), Some(want), "{text}");
    }
    assert_eq!(find("Washington, undated.", None), None);
    assert_eq!(find("February 30, 1938", None), None);
    assert_eq!(find("Moscow, February 29, 1937", None), None);
    assert_eq!(
        day("February 29, 1936", None).as_deref(),
        Some("1936-02-29")
    );
}

#[test]
fn receipt_lines() {
    let sent = (1936, 3, 10);
    assert_eq!(
        received("Received March 10—9:40 a.m.", sent).as_deref(),
        Some("1936-03-10")
    );
    assert_eq!(
        received("[Received January 1—9:15 p.m.]", (1937, 12, 31)).as_deref(),
        Some("1938-01-01")
    );
    assert_eq!(
        received("Received 1:50 p.m.", sent).as_deref(),
        Some("1936-03-10")
    );
    assert_eq!(
        received("(Received March 5.)", (1894, 2, 9)).as_deref(),
        Some("1894-03-05")
    );
    assert_eq!(received("Received February 30.", sent), None);
    assert_eq!(received("Received.", sent), None);
}

#[test]
fn doubtful_datelines_are_flagged() {
    assert_eq!(flag("Washington, undated.").as_deref(), Some("undated"));
    assert_eq!(flag("Paris [undated.]").as_deref(), Some("undated"));
    assert_eq!(
        flag("Moscow, February 30, 1938.").as_deref(),
        Some("impossible date: February 30")
    );
    assert_eq!(
        flag("April 31").as_deref(),
        Some("impossible date: April 31")
    );
    assert_eq!(flag("February 29, 1936"), None);
    assert_eq!(flag("Washington, February 13, 1936."), None);
    for junk in [
        "",
        "—",
        "May",
        "May 99999999999999999999",
        "31.31.31",
        "\u{0}",
    ] {
        let _ = flag(junk);
        let _ = find(junk, Some(1900));
        let _ = received(junk, (1936, 1, 1));
    }
}

/// A document whose dateline gives an impossible date keeps the dateline as written, gets no
/// date from it, and says why.
#[test]
fn an_impossible_dateline_is_kept_and_flagged() {
    let tei = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frus1938v02"><teiHeader/>
<text><body><div type="document" xml:id="d1" n="1"><head>The Chargé in the Soviet Union
(Henderson) to the Secretary of State</head><opener><dateline>Moscow, February 30,
1938.</dateline></opener><p>Text.</p></div></body></text></TEI>"#;
    let mut r = chancery_tei::read(tei.as_bytes(), "frus1938v02").unwrap();
    let d = &mut r.documents[0];
    enrich(d);
    assert_eq!(d.dates.min, None);
    assert_eq!(
        d.dates.flag.as_deref(),
        Some("impossible date: February 30")
    );
    assert!(d
        .paper
        .dateline
        .as_ref()
        .unwrap()
        .text
        .contains("February 30"));
}

fn volume(path: &Path) -> Vec<Document> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let mut docs = chancery_tei::read(&bytes, &name).unwrap().documents;
    for d in &mut docs {
        enrich(d);
    }
    enrich_volume(&mut docs);
    docs
}

fn bounds<'a>(docs: &'a [Document], id: &str) -> (Option<&'a str>, Option<&'a str>) {
    let d = docs.iter().find(|d| d.id == id).unwrap();
    assert_eq!(d.dates.source, Some(DateSource::Inferred), "{id}");
    (d.dates.min.as_deref(), d.dates.max.as_deref())
}

#[test]
fn undated_documents_get_inferred_bounds() {
    let Some(corpus) = chancery_testdata::corpus() else {
        return;
    };
    let inferred = |docs: &[Document]| {
        docs.iter()
            .filter(|d| d.dates.source == Some(DateSource::Inferred))
            .count()
    };
    let v36 = volume(&corpus.join("frus/frus1936v03.xml"));
    assert_eq!(inferred(&v36), 9);
    // The Italian decree of May 9, between its dated neighbours of May 8 and May 10.
    assert_eq!(
        bounds(&v36, "d226"),
        (Some("1936-05-08"), Some("1936-05-10"))
    );
    // The Legal Adviser's memorandum, between June 18 and June 20.
    assert_eq!(
        bounds(&v36, "d209"),
        (Some("1936-06-18"), Some("1936-06-20"))
    );
    // `Paris [undated.]`: not earlier than the note of August 19, 1935 it cites, nor than
    // its neighbour of October 26; not later than the despatch of November 9 that follows.
    assert_eq!(
        bounds(&v36, "d539"),
        (Some("1935-10-26"), Some("1935-11-09"))
    );
    let guat = volume(&corpus.join("frus/frus1952-54Guat.xml"));
    assert_eq!(inferred(&guat), 14);
    // The first document: an editorial note before the first dated one.
    assert_eq!(bounds(&guat, "d1"), (None, Some("1952-01-11")));
    assert_eq!(
        bounds(&guat, "d281"),
        (Some("1954-07-27"), Some("1954-08-09"))
    );
    let nicaragua = volume(&corpus.join("frus/frus1894Nicaragua.xml"));
    assert_eq!(inferred(&nicaragua), 0);
    // Dated documents keep their own bounds.
    let d3 = v36.iter().find(|d| d.id == "d3").unwrap();
    assert_eq!(d3.dates.min.as_deref(), Some("1936-03-10T12:00:00"));
    assert_ne!(d3.dates.source, Some(DateSource::Inferred));
}

#[test]
fn inference_runs_twice_to_the_same_result() {
    let Some(corpus) = chancery_testdata::corpus() else {
        return;
    };
    let once = volume(&corpus.join("frus/frus1952-54Guat.xml"));
    let mut twice = once.clone();
    infer_dates(&mut twice);
    enrich_volume(&mut twice);
    assert_eq!(once, twice);
}
