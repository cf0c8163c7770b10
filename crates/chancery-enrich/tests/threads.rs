//! Correspondence threads over real data: the seed, hand-checked links in frus1936v03, and
//! every document of the shared corpus.

use std::path::Path;

use chancery_enrich::threads::{report, resolve_within};
use chancery_enrich::{enrich, enrich_volume};
use chancery_model::{DateSource, Document};

fn enriched(mut docs: Vec<Document>) -> Vec<Document> {
    for d in &mut docs {
        enrich(d);
    }
    enrich_volume(&mut docs);
    docs
}

fn volume(path: &Path) -> Vec<Document> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let reading = chancery_tei::read(&bytes, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
    enriched(reading.documents)
}

fn frus1936v03() -> Option<Vec<Document>> {
    let corpus = chancery_testdata::corpus()?;
    Some(volume(&corpus.join("frus/frus1936v03.xml")))
}

fn doc<'a>(docs: &'a [Document], id: &str) -> &'a Document {
    docs.iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn the_seed_and_the_despatch_it_cites() {
    let Some(seed) = chancery_testdata::seed() else {
        return;
    };
    let bytes = std::fs::read(&seed).unwrap();
    let docs = enriched(chancery_text::read(&bytes, "seed").unwrap().documents);
    let d = &docs[0];
    let own = d.message.as_ref().expect("the seed's own number");
    assert_eq!(own.series.post, "soviet union");
    assert!(own.series.from_post);
    assert_eq!(own.series.channel.as_deref(), Some("despatch"));
    assert_eq!(own.number, "971");
    assert_eq!(own.key(), "soviet union>dept:despatch:971");
    assert_eq!(d.messages.len(), 1, "{:?}", d.messages);
    let r = &d.messages[0];
    assert_eq!(r.text, "despatch No. 962 [963], February 18, 1938");
    assert_eq!(r.message.key(), "soviet union>dept:despatch:962");
    assert_eq!(r.date.as_deref(), Some("1938-02-18"));
    assert_eq!(r.note, None);
    // Undated in this copy: not earlier than the despatch it cites.
    assert_eq!(d.dates.min.as_deref(), Some("1938-02-18"));
    assert_eq!(d.dates.max, None);
    assert_eq!(d.dates.source, Some(DateSource::Inferred));
}

#[test]
fn own_messages_in_frus1936v03() {
    let Some(docs) = frus1936v03() else { return };
    for (id, key) in [
        ("d1", "dept>france:instruction:1198"),
        ("d2", "france>dept:despatch:2570"),
        ("d3", "france>dept:telegram:182"),
        ("d4", "dept>france:telegram:98"),
        ("d12", "dept>egypt:telegram:19"),
        ("d13", "egypt>dept:despatch:701"),
        ("d332", "ethiopia>dept:telegram:298"),
        ("d464", "iran>dept:despatch:795"),
        ("d580", "turkey>dept:telegram:26"),
    ] {
        let m = doc(&docs, id).message.as_ref();
        assert_eq!(m.map(|m| m.key()).as_deref(), Some(key), "{id}");
    }
    // A memorandum has no place in a series.
    assert_eq!(doc(&docs, "d6").message, None);
}

/// Links checked by hand in the XML: the citing document, the reference as printed, and the
/// earlier document of the volume that it names.
#[test]
fn hand_checked_links_in_frus1936v03() {
    let Some(docs) = frus1936v03() else { return };
    let resolved = resolve_within(&docs);
    let target = |citing: &str, text: &str| -> Option<String> {
        let i = docs.iter().position(|d| d.id == citing).unwrap();
        let j = docs[i]
            .messages
            .iter()
            .position(|r| r.text == text)
            .unwrap_or_else(|| panic!("{citing}: no {text:?} in {:#?}", docs[i].messages));
        resolved
            .iter()
            .find(|(c, r, _)| (*c, *r) == (i, j))
            .and_then(|(_, _, t)| t.map(|t| docs[t].id.clone()))
    };
    for (citing, text, to) in [
        // Straus, Paris, 182 of March 10, noon; the Department answers with its 98.
        ("d4", "Your telegrams No. 182, March 10, noon", "d3"),
        ("d4", "your despatch No. 2570 of February 26, 1936", "d2"),
        // 182 itself cites the Department's instruction 1198 of February 13.
        (
            "d3",
            "Department’s instruction No. 1198, February 13th, 1936",
            "d1",
        ),
        (
            "d13",
            "the Legation’s telegram No. 35 of June 23, 5 p.m.",
            "d11",
        ),
        ("d13", "the Department’s telegram No. 19 of June 25", "d12"),
        ("d60", "my 14, January 7, noon", "d42"),
        ("d99", "my No. 9, January 17, 3 p.m.", "d98"),
        ("d197", "my 161, May 15, 4 p.m.", "d193"),
        ("d333", "My 298, May 6, 11 a.m.", "d332"),
        ("d430", "Your 2, January 7, 11 a.m.", "d429"),
        ("d466", "my despatch No. 795 of May 15, 1936", "d464"),
        (
            "d544",
            "the Department’s Instruction No. 1173 of January 17, 1936",
            "d543",
        ),
        ("d561", "your despatch 3021, August 27", "d560"),
        ("d583", "Embassy’s 26, June 26, 3 p.m.", "d580"),
    ] {
        assert_eq!(
            target(citing, text).as_deref(),
            Some(to),
            "{citing}: {text}"
        );
    }
    // Telegram 227 of March 16 was not printed: named, not resolved.
    assert_eq!(target("d4", "No. 227, March 16, 7:00 p.m."), None);
    // `my 208, December 5, 10 p.m.` (1935, not printed), then `my 208` again: the same
    // telegram, not the 208 of April 10, 1936 (d124) in the new year's numbering.
    assert_eq!(target("d60", "my 208"), None);
    let again = doc(&docs, "d60")
        .messages
        .iter()
        .find(|r| r.text == "my 208")
        .unwrap();
    assert_eq!(again.date.as_deref(), Some("1935-12-05"));
}

#[test]
fn references_read_in_frus1936v03() {
    let Some(docs) = frus1936v03() else { return };
    let refs = &doc(&docs, "d4").messages;
    let r = &refs[0];
    assert_eq!(r.message.key(), "france>dept:telegram:182");
    assert_eq!(r.date.as_deref(), Some("1936-03-10"));
    let r = &refs[1];
    assert_eq!(r.text, "No. 227, March 16, 7:00 p.m.");
    assert_eq!(r.message.key(), "france>dept:telegram:227");
    // A year earlier when the month is later than the citing document's.
    let r = doc(&docs, "d60")
        .messages
        .iter()
        .find(|r| r.text == "my 208, December 5, 10 p.m.")
        .unwrap();
    assert_eq!(r.date.as_deref(), Some("1935-12-05"));
    assert_eq!(r.message.key(), "ethiopia>dept:telegram:208");
    // In a note, with the sender named after it.
    let r = doc(&docs, "d171")
        .messages
        .iter()
        .find(|r| r.note.as_deref() == Some("d171fn90"))
        .unwrap();
    assert_eq!(r.text, "telegram No. 315, June 18, 6 p.m.");
    assert_eq!(r.message.key(), "united kingdom>dept:telegram:315");
    // The Department's telegram to a post.
    let r = doc(&docs, "d16")
        .messages
        .iter()
        .find(|r| r.text.starts_with("Department’s telegram No. 25"))
        .unwrap();
    assert_eq!(r.message.key(), "dept>egypt:telegram:25");
    assert_eq!(r.date.as_deref(), Some("1936-07-09"));
}

#[test]
fn report_of_frus1936v03() {
    let Some(docs) = frus1936v03() else { return };
    let r = report(&docs);
    println!("frus1936v03 {r:?}");
    assert_eq!(r.documents, 586);
    assert!(r.with_message >= 480, "{r:?}");
    assert!((520..=620).contains(&r.references), "{r:?}");
    assert!(r.with_series * 100 >= r.references * 90, "{r:?}");
    assert!(r.resolved_within >= 300, "{r:?}");
    assert!(r.resolved_within <= r.with_series, "{r:?}");
    assert_eq!(r.inferred_dates, 9);
}

#[test]
fn every_document_of_the_corpus() {
    let Some(corpus) = chancery_testdata::corpus() else {
        return;
    };
    let mut files = chancery_testdata::xml_files(&corpus.join("frus"));
    files.extend(chancery_testdata::xml_files(
        &corpus.join("frus-history/documents"),
    ));
    assert!(files.len() > 3, "corpus files");
    let mut references = 0;
    for path in files {
        let docs = volume(&path);
        let r = report(&docs);
        println!("{} {r:?}", path.file_stem().unwrap().to_string_lossy());
        references += r.references;
        for d in &docs {
            for m in &d.messages {
                assert!(!m.text.is_empty() && !m.message.number.is_empty());
                assert!(d.key().contains('/'));
            }
        }
    }
    assert!(references > 600, "{references}");
}
