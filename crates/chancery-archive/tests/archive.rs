//! The archive over real volumes: ingest, search, replace, recover, check.

use std::path::Path;

use chancery_archive::{Archive, Outcome, SearchRequest, Sort, Source};
use chancery_testdata::{corpus, xml_files};

fn put_file(archive: &Archive, path: &Path) -> Outcome {
    let bytes = std::fs::read(path).unwrap();
    let r = chancery_tei::read(&bytes, &path.file_stem().unwrap().to_string_lossy()).unwrap();
    let mut w = archive.ingest().unwrap();
    let out = w
        .put(&r.volume, r.documents, Some(&Source::of(path, &bytes)))
        .unwrap();
    w.commit().unwrap();
    out
}

fn search(archive: &Archive, q: &str) -> chancery_archive::SearchResults {
    archive
        .search(&SearchRequest {
            query: q.into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .unwrap()
}

#[test]
fn ingest_search_and_check_the_shared_volumes() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    for f in xml_files(&corpus.join("frus")) {
        assert_eq!(put_file(&archive, &f), Outcome::Added);
    }
    let stats = archive.stats().unwrap();
    assert_eq!(stats.volumes, 3);
    assert_eq!(stats.documents, 138 + 586 + 287);
    assert_eq!(stats.indexed, stats.documents);
    assert_eq!(stats.persons, 67);

    // Words, ranked: the Afghan agreement documents come first.
    let r = search(&archive, "Afghanistan most-favored-nation");
    assert!(r.total >= 2, "{}", r.total);
    assert!(r.hits.iter().all(|h| h.volume == "frus1936v03"));
    assert!(r.hits.iter().any(|h| h.key == "frus1936v03/d1"));
    assert!(!r.hits[0].snippet.highlights.is_empty());

    // Phrases are exact; stems match inflections.
    let phrase = search(&archive, "\"Mosquito Reservation\"");
    assert!(phrase.total > 10);
    assert!(phrase.hits.iter().all(|h| h.volume == "frus1894Nicaragua"));
    let plural = search(&archive, "telegrams").total;
    assert!(plural > search(&archive, "\"telegrams sent\"").total);

    // Boolean and prefix.
    let both = search(&archive, "Guatemala AND Arbenz").total;
    let either = search(&archive, "Guatemala OR Arbenz").total;
    let not = search(&archive, "Guatemala -Arbenz").total;
    assert!(both > 0 && either >= both && not > 0);
    assert_eq!(both + not, search(&archive, "Guatemala").total);
    assert!(search(&archive, "Bluef*").total > 0);

    // Accents fold: Chargé matches charge.
    assert_eq!(
        search(&archive, "Chargé").total,
        search(&archive, "charge").total
    );

    // Filters: volume, dates, author, recipient; date order.
    let req = SearchRequest {
        query: "oil".into(),
        volume: Some("frus1936v03".into()),
        from: Some("1936-03".into()),
        to: Some("1936-06-30".into()),
        sort: Sort::Date,
        limit: 50,
        facets: true,
        ..SearchRequest::default()
    };
    let r = archive.search(&req).unwrap();
    assert!(r.total > 0);
    let dates: Vec<&str> = r.hits.iter().map(|h| h.date.as_deref().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(dates.iter().all(|d| ("1936-03".."1936-07").contains(d)));
    let facets = r.facets.unwrap();
    assert_eq!(facets.year, vec![("1936".to_string(), r.total as u64)]);
    assert_eq!(facets.volume[0].0, "frus1936v03");

    let by_straus = archive
        .search(&SearchRequest {
            author: Some("Straus".into()),
            limit: 100,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(by_straus.total > 0);
    for h in &by_straus.hits {
        assert!(h.heading.contains("Straus"), "{}", h.heading);
    }
    let to_marriner = archive
        .search(&SearchRequest {
            recipient: Some("Marriner".into()),
            limit: 5,
            ..SearchRequest::default()
        })
        .unwrap();
    // Without words, hits come in date order.
    let keys: Vec<&str> = to_marriner.hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "frus1936v03/d537",
            "frus1936v03/d1",
            "frus1936v03/d547",
            "frus1936v03/d562"
        ]
    );

    // Bad queries get clear errors, not panics.
    let err = archive
        .search(&SearchRequest {
            query: "\"unbalanced".into(),
            limit: 10,
            ..SearchRequest::default()
        })
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("unbalanced") || err.contains("syntax"),
        "{err}"
    );
    assert!(archive
        .search(&SearchRequest {
            from: Some("last tuesday".into()),
            ..SearchRequest::default()
        })
        .is_err());

    // Documents by key, and by id when unambiguous.
    let d1 = archive.document("frus1936v03/d1").unwrap().unwrap();
    assert_eq!(d1.paper.number.as_deref(), Some("1198"));
    assert!(archive.document("d1").is_err(), "d1 is in three volumes");
    assert!(archive.document("frus1936v03/d9999").unwrap().is_none());

    let check = archive.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    assert_eq!(check.documents, stats.documents);
}

#[test]
fn unchanged_replaced_and_interrupted_ingests() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let nic = corpus.join("frus/frus1894Nicaragua.xml");
    let bytes = std::fs::read(&nic).unwrap();
    {
        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(put_file(&archive, &nic), Outcome::Added);
        assert!(archive.is_unchanged(&Source::of(&nic, &bytes)).unwrap());
        assert_eq!(put_file(&archive, &nic), Outcome::Replaced);
        assert_eq!(archive.stats().unwrap().indexed, 138);
    }

    // An edited copy replaces the volume's documents as a whole.
    let edited_dir = tempfile::tempdir().unwrap();
    let edited = edited_dir.path().join("frus1894Nicaragua.xml");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let cut = text
        .find("<div frus:doc-dateTime-max=\"1894-02-09")
        .unwrap();
    let end = text[cut..].find("</div>").unwrap() + cut + "</div>".len();
    std::fs::write(&edited, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    {
        let archive = Archive::open(dir.path()).unwrap();
        assert!(!archive
            .is_unchanged(&Source::of(&edited, &std::fs::read(&edited).unwrap()))
            .unwrap());
        assert_eq!(put_file(&archive, &edited), Outcome::Replaced);
        let s = archive.stats().unwrap();
        assert_eq!((s.documents, s.indexed), (137, 137));
        assert!(archive.document("frus1894Nicaragua/d3").unwrap().is_none());
    }

    // A writer that dies after the catalog commit but before the index commit: the next
    // opener catches the index up.
    {
        let archive = Archive::open(dir.path()).unwrap();
        let r = chancery_tei::read(&bytes, "x").unwrap();
        let mut w = archive.ingest().unwrap();
        w.put(&r.volume, r.documents, None).unwrap();
        std::mem::forget(w); // no commit, no cleanup: as if killed
    }
    std::fs::remove_file(dir.path().join("index/.tantivy-writer.lock")).ok();
    let archive = Archive::open(dir.path()).unwrap();
    assert!(archive.index_lag().unwrap() > 0);
    archive.catch_up().unwrap();
    assert_eq!(archive.index_lag().unwrap(), 0);
    let s = archive.stats().unwrap();
    assert_eq!((s.documents, s.indexed), (138, 138));
    assert!(archive.check().unwrap().problems.is_empty());
}

#[test]
fn frus_history_documents_are_searchable() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let files = xml_files(&corpus.join("frus-history/documents"));
    let mut w = archive.ingest().unwrap();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let r = chancery_tei::read(&bytes, &f.file_stem().unwrap().to_string_lossy()).unwrap();
        w.put(&r.volume, r.documents, None).unwrap();
    }
    w.commit().unwrap();
    let s = archive.stats().unwrap();
    assert_eq!(s.volumes, files.len() as u64);
    assert_eq!(s.documents, 73);
    let r = search(&archive, "Kennan");
    assert!(r
        .hits
        .iter()
        .any(|h| h.volume == "1957-03-21-kennan-to-leopold"));
}

/// Two archives holding the same volumes, put in different orders (so in other segments),
/// give the same pages of hits: ties in score or date are broken by the document key.
#[test]
fn equal_archives_give_equal_pages() {
    let Some(corpus) = corpus() else { return };
    let files = xml_files(&corpus.join("frus"));
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (
        Archive::open(a.path()).unwrap(),
        Archive::open(b.path()).unwrap(),
    );
    for f in &files {
        put_file(&first, f);
    }
    for f in files.iter().rev() {
        put_file(&second, f);
    }
    for (q, sort) in [
        ("telegram*", Sort::Relevance),
        ("Secretary", Sort::Relevance),
        ("", Sort::Date),
        ("", Sort::DateDesc),
        ("Minister", Sort::Date),
    ] {
        for offset in [0, 20, 40] {
            let req = SearchRequest {
                query: q.into(),
                sort,
                limit: 20,
                offset,
                ..SearchRequest::default()
            };
            let keys = |arch: &Archive| -> Vec<String> {
                arch.search(&req)
                    .unwrap()
                    .hits
                    .into_iter()
                    .map(|h| h.key)
                    .collect()
            };
            let got = keys(&first);
            assert_eq!(got.len(), 20, "{q}");
            assert_eq!(got, keys(&second), "{q} {sort:?} offset {offset}");
        }
    }
}
