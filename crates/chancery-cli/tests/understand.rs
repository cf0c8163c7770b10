//! What `chancery` understands, run as a user would: the people directory ingested beside the
//! volumes, `people`, `report`, `show` with links, and the person, country and cites filters.

use chancery_testdata::{corpus, seed};

mod common;
use common::{chancery, json, s};

#[test]
fn people_report_links_and_filters() {
    let (Some(corpus), Some(seed)) = (corpus(), seed()) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let frus = corpus.join("frus");
    let (people, pocom) = (corpus.join("hsg/people"), corpus.join("hsg/pocom"));

    // Volumes first, the directory after: the volumes already in are linked anew.
    let o = chancery(d, &["ingest", "--json", s(&frus), s(&seed)]);
    assert!(o.status.success());
    let o = chancery(d, &["ingest", "--json", s(&people), s(&pocom)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = json(&o);
    assert!(summary["people"].as_u64().unwrap() > 16_000, "{summary}");
    assert_eq!(summary["relinked"], 4);

    // `people`: Hull first for "Hull" (the archive has his documents), with his post.
    let o = chancery(d, &["people", "--json", "Hull"]);
    let found = json(&o);
    assert_eq!(found[0]["person"]["id"], "hull-cordell");
    assert_eq!(found[0]["person"]["posts"][0]["at"], "secretary");
    assert!(found[0]["documents"].as_u64().unwrap() > 400);
    let o = chancery(d, &["people", "Nobody-Such-Name"]);
    assert_eq!(o.status.code(), Some(1));

    // Filters on what was understood.
    let total = |args: &[&str]| {
        let mut a = vec!["search", "--json", "--limit", "1"];
        a.extend_from_slice(args);
        json(&chancery(d, &a))["total"].as_u64().unwrap()
    };
    assert_eq!(total(&["--person", "fish-bert", ""]), 23);
    assert!(total(&["--country", "Egypt", ""]) >= 30);
    assert!(total(&["--cites", "frus1924v01", ""]) >= 1);
    assert_eq!(total(&["message:\"dept>egypt:telegram:19\""]), 1);

    // `report`: per-volume figures.
    let o = chancery(d, &["report", "--json", "frus1936v03"]);
    let r = &json(&o)[0];
    assert_eq!(r["source_notes"], 586);
    assert_eq!(r["file_numbers_decoded"], 586);
    assert!(r["message_refs_resolved"].as_u64().unwrap() >= 300, "{r}");
    assert!(r["heading_people_linked"].as_u64().unwrap() >= 400, "{r}");

    // `show`: the seed's citations, kept with their computed ids though their volumes are
    // not here, its own series and the despatch it answers; the sender linked.
    let seed_id = seed.file_stem().unwrap().to_string_lossy().into_owned();
    let o = chancery(d, &["show", &format!("{seed_id}/d1")]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Series: soviet union>dept:despatch:971"),
        "{text}"
    );
    assert!(text.contains(
        "Foreign Relations, 1919, Russia, pp. 750 ff. → frus1919Russia/pg_750 (volume not in this archive)"
    ));
    assert!(text.contains("(soviet union>dept:despatch:962) → not in this archive"));
    assert!(text.contains("henderson-loy-wesley (sender)"));
    // Threads inside a volume resolve.
    let o = chancery(d, &["show", "frus1936v03/d12"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Your 35, June 23, 5 p.m. (egypt>dept:telegram:35) → frus1936v03/d11"));
    assert!(text.contains("frus1936v03/d13  1936-06-29"));
}
