//! Citations: every form of `ref` target and written reference, real notes of the shared corpus
//! and the seed, and every document of the corpus.

use std::collections::BTreeMap;

use chancery_enrich::citations::{find, report, target, Place, Scanner};
use chancery_enrich::enrich;
use chancery_model::{Citation, CitationOrigin, Document, Node};

/// `(volume, page, document)` of each citation.
type Cited = (String, Option<String>, Option<String>);

fn cited(c: &Citation) -> Cited {
    (c.volume.clone(), c.page.clone(), c.document.clone())
}

fn v(volume: &str, page: Option<&str>, document: Option<&str>) -> Cited {
    (
        volume.to_string(),
        page.map(str::to_string),
        document.map(str::to_string),
    )
}

/// The text citations in one note of a volume's document, read with a fresh scanner.
fn scan(volume: &str, numbered: bool, text: &str) -> Vec<(String, Cited)> {
    Scanner::new(volume, numbered)
        .scan(text, Place::Note)
        .into_iter()
        .map(|h| {
            assert_eq!(&text[h.span.clone()], h.citation.text);
            assert_eq!(h.citation.origin, CitationOrigin::Text);
            (h.citation.text.clone(), cited(&h.citation))
        })
        .collect()
}

fn one(volume: &str, text: &str) -> (String, Cited) {
    let found = scan(volume, true, text);
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn ref_targets() {
    let own = "frus1936v03";
    let cases: [(&str, Option<Cited>); 14] = [
        (
            "frus1937v03#pg_847",
            Some(v("frus1937v03", Some("847"), None)),
        ),
        ("#d12", Some(v(own, None, Some("d12")))),
        ("#pg_377", Some(v(own, Some("377"), None))),
        ("#pg_XXIII", Some(v(own, Some("XXIII"), None))),
        ("frus1931-41v01", Some(v("frus1931-41v01", None, None))),
        ("frus1936v02#", Some(v("frus1936v02", None, None))),
        (
            "frus1952-54v04#d13",
            Some(v("frus1952-54v04", None, Some("d13"))),
        ),
        (
            "https://history.state.gov/historicaldocuments/frus1969-76v17/d12",
            Some(v("frus1969-76v17", None, Some("d12"))),
        ),
        (
            "http://history.state.gov/historicaldocuments/frus1945Berlinv01",
            Some(v("frus1945Berlinv01", None, None)),
        ),
        ("#d5fn3", None),
        ("#persons", None),
        ("#p_HCW1", None),
        ("#in12", None),
        ("../chapter-8#fn31", None),
    ];
    for (t, want) in cases {
        let got = target(t, own);
        assert_eq!(got.as_ref().map(cited), want, "{t}");
        if let Some(c) = got {
            assert_eq!(c.text, t);
            assert_eq!(c.origin, CitationOrigin::Ref);
        }
    }
    for t in [
        "#ch3",
        "#t_UN1",
        "1957-03-21-kennan-to-leopold",
        "https://example.org/frus1936v03",
        "",
    ] {
        assert_eq!(target(t, own), None, "{t}");
    }
}

#[test]
fn written_forms() {
    let cases: [(&str, &str, Cited); 21] = [
        (
            "Dr. Glennon on Foreign Relations 1961-1963, vol. III, Vietnam, 1963.",
            "Foreign Relations 1961-1963, vol. III",
            v("frus1961-63v03", None, None),
        ),
        (
            "Review of Foreign Relations, 1942, Volume I. 3.",
            "Foreign Relations, 1942, Volume I",
            v("frus1942v01", None, None),
        ),
        (
            "Foreign Relations 1942, China, period",
            "Foreign Relations 1942, China",
            v("frus1942China", None, None),
        ),
        (
            "Foreign Relations, 1955-1957, III.",
            "Foreign Relations, 1955-1957, III",
            v("frus1955-57v03", None, None),
        ),
        (
            "See Foreign Relations, 1919, Russia, pp. 750 ff.",
            "Foreign Relations, 1919, Russia, pp. 750 ff.",
            v("frus1919Russia", Some("750"), None),
        ),
        (
            "Foreign Relations, 1920, vol. iii, pp. 571 ff.",
            "Foreign Relations, 1920, vol. iii, pp. 571 ff.",
            v("frus1920v03", Some("571"), None),
        ),
        (
            "Foreign Relations, 1918, Russia, vol. ii, pp. 435 ff.",
            "Foreign Relations, 1918, Russia, vol. ii, pp. 435 ff.",
            v("frus1918Russiav02", Some("435"), None),
        ),
        (
            "Foreign Relations, 1955–1957, vol. XXIV, p. 12.",
            "Foreign Relations, 1955–1957, vol. XXIV, p. 12",
            v("frus1955-57v24", Some("12"), None),
        ),
        (
            "Foreign Relations, Japan, 1931–1941, vol. i, p. 76.",
            "Foreign Relations, Japan, 1931–1941, vol. i, p. 76",
            v("frus1931-41v01", Some("76"), None),
        ),
        (
            "Foreign Relations, 1917, Supplement 2, vol. i, p. 5",
            "Foreign Relations, 1917, Supplement 2, vol. i, p. 5",
            v("frus1917Supp02v01", Some("5"), None),
        ),
        (
            "Foreign Relations, 1914, Supplement, p. 20",
            "Foreign Relations, 1914, Supplement, p. 20",
            v("frus1914Supp", Some("20"), None),
        ),
        (
            "Foreign Relations, The Paris Peace Conference, 1919, vol. xiii, p. 328.",
            "Foreign Relations, The Paris Peace Conference, 1919, vol. xiii, p. 328",
            v("frus1919Parisv13", Some("328"), None),
        ),
        (
            "Foreign Relations, 1919, Paris Peace Conference, vol. xi, p. 1",
            "Foreign Relations, 1919, Paris Peace Conference, vol. xi, p. 1",
            v("frus1919Parisv11", Some("1"), None),
        ),
        (
            "Foreign Relations, 1936, vol. iii, p. 1",
            "Foreign Relations, 1936, vol. iii, p. 1",
            v("frus1936v03", Some("1"), None),
        ),
        (
            "Convention, Foreign Relations, 1907, pt. 2, p. 1204.",
            "Foreign Relations, 1907, pt. 2, p. 1204",
            v("frus1907p2", Some("1204"), None),
        ),
        (
            "Foreign Relations, 1903, p. 375.",
            "Foreign Relations, 1903, p. 375",
            v("frus1903", Some("375"), None),
        ),
        (
            "see Foreign Relations, 1952–1954, vol. IV, pp. 1056-1057 (Document 13).",
            "Foreign Relations, 1952–1954, vol. IV, pp. 1056-1057 (Document 13)",
            v("frus1952-54v04", Some("1056"), Some("d13")),
        ),
        (
            "Foreign Relations of the United States, 1948, vol. V, Part 1, p. 7",
            "Foreign Relations of the United States, 1948, vol. V, Part 1, p. 7",
            v("frus1948v05p1", Some("7"), None),
        ),
        (
            "Foreign Relations, 1969–1976, vol. E–5, Part 1, Document 12",
            "Foreign Relations, 1969–1976, vol. E–5, Part 1, Document 12",
            v("frus1969-76ve05p1", None, Some("d12")),
        ),
        (
            "Foreign Relations, 1961–1963, vol. X, Cuba, 1961–1962, Document 12.",
            "Foreign Relations, 1961–1963, vol. X, Cuba, 1961–1962, Document 12",
            v("frus1961-63v10", None, Some("d12")),
        ),
        (
            "Foreign Relations, The Conferences at Malta and Yalta, 1945, p. 3",
            "Foreign Relations, The Conferences at Malta and Yalta, 1945, p. 3",
            v("frus1945Malta", Some("3"), None),
        ),
    ];
    for (text, written, want) in cases {
        assert_eq!(
            one("frus1958-60v01", text),
            (written.to_string(), want),
            "{text}"
        );
    }
}

#[test]
fn ibid_and_bare_volumes_carry_the_citation_before() {
    // ibid. carries the series; a bare volume carries the year; both within one note.
    let text = "See Foreign Relations, 1918, Russia, vol. ii, pp. 435 ff.; ibid., 1919, Russia, \
                pp. 195 ff.; Foreign Relations, 1920, vol. iii, pp. 527 ff.; vol. ii, p. 435; \
                ibid., p. 440.";
    let got: Vec<Cited> = scan("frus1938v01", false, text)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(
        got,
        [
            v("frus1918Russiav02", Some("435"), None),
            v("frus1919Russia", Some("195"), None),
            v("frus1920v03", Some("527"), None),
            v("frus1920v02", Some("435"), None),
            v("frus1920v02", Some("440"), None),
        ]
    );
    // Across passages given to one scanner (the notes of a document, in order).
    let mut s = Scanner::new("frus1936v03", false);
    s.scan("Foreign Relations, 1935, vol. i, p. 555.", Place::Note);
    let hits = s.scan("Ibid., p. 563.", Place::Note);
    assert_eq!(
        cited(&hits[0].citation),
        v("frus1935v01", Some("563"), None)
    );
    assert_eq!(hits[0].citation.text, "Ibid., p. 563");
    // A bare volume with nothing before: the citing volume's own year.
    assert_eq!(
        one("frus1936v03", "Vol. i, p. 322.").1,
        v("frus1936v01", Some("322"), None)
    );
}

#[test]
fn same_volume_pages_and_documents() {
    assert_eq!(
        one("frus1936v03", "Ante, p. 61.").1,
        v("frus1936v03", Some("61"), None)
    );
    assert_eq!(
        one("frus1936v03", "Post, p. 305.").1,
        v("frus1936v03", Some("305"), None)
    );
    assert_eq!(
        one("frus1936v03", "See p. 377.").1,
        v("frus1936v03", Some("377"), None)
    );
    assert_eq!(
        one("frus1936v03", "The treaty, supra, p. xiv.").1,
        v("frus1936v03", Some("xiv"), None)
    );
    assert_eq!(
        one("frus1952-54Guat", "See document 12.").1,
        v("frus1952-54Guat", None, Some("d12"))
    );
    let both: Vec<Cited> = scan(
        "frus1952-54Guat",
        true,
        "See footnote 2, Document 40, and Document 54.",
    )
    .into_iter()
    .map(|(_, c)| c)
    .collect();
    assert_eq!(
        both,
        [
            v("frus1952-54Guat", None, Some("d40")),
            v("frus1952-54Guat", None, Some("d54"))
        ]
    );
    // Not a same-volume reference: a page alone, another work's page, a volume without
    // numbered documents, a Senate document.
    for (volume, numbered, text) in [
        ("frus1936v03", true, "p. 377"),
        ("frus1936v03", true, "See p. 5 of the pamphlet."),
        ("frus1936v03", false, "See document 12."),
        ("frus1952-54Guat", true, "Senate Document 12."),
    ] {
        assert_eq!(scan(volume, numbered, text), [], "{text}");
    }
}

#[test]
fn other_works_are_not_foreign_relations() {
    for text in [
        "Congressional Record, vol. 80, pt. 1, p. 27.",
        "Malloy, Treaties, 1776–1909, vol. i, p. 1061.",
        "League of Nations Treaty Series, vol. cxxiii, p. 77; ibid., p. 80.",
        "Legislation of Palestine, 1918–1925, vol. ii, p. 66.",
        "Not printed. (Ibid., Box 13, Folder 8)",
        "For text of Italian note, dated March 8, 1936, see ibid., April 1936, p. 395.",
        "referred to the Committee on Foreign Relations, 1894, and ordered to be printed",
        "Ministry of Foreign Relations, Managua, October 9, 1894.",
        "a memorandum “Foreign Relations of the United States,” November 7, 1958.",
        "Foreign Relations, Mr. Gardner congratulated the Office on its volume for 1948",
        "Foreign Relations of the United States, resumed publication in 1984",
    ] {
        assert_eq!(scan("frus1936v03", false, text), [], "{text}");
    }
    // The body of a document: only headed forms, never a bare volume.
    let mut s = Scanner::new("frus1938v02", false);
    assert_eq!(
        s.scan("(Volume XXIV, p. 122) and vol. ii, p. 3", Place::Body),
        []
    );
    assert_eq!(s.scan("Ante, p. 3; Document 12", Place::Body), []);
    assert_eq!(
        s.scan("Foreign Relations, 1920, vol. iii", Place::Body)
            .len(),
        1
    );
}

#[test]
fn unmapped_series_are_unparsed_never_guessed() {
    let mut s = Scanner::new("frus1950v01", false);
    let text =
        "Foreign Relations, The Conferences at Washington, 1941–1942, and Casablanca, 1943, \
                p. 5; Foreign Relations, 1936, The American Republics, vol. v, p. 3; \
                Foreign Relations, 1935, vol. i, p. 9.";
    let hits = s.scan(text, Place::Note);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(cited(&hits[0].citation), v("frus1935v01", Some("9"), None));
    assert_eq!(s.unparsed().len(), 2, "{:?}", s.unparsed());
    assert!(s.unparsed()[0].starts_with("Foreign Relations, The Conferences at Washington"));
    assert!(s.unparsed()[1].starts_with("Foreign Relations, 1936, The American Republics"));
    // Not a citation's shape: not unparsed either.
    let mut s = Scanner::new("frus1950v01", false);
    for text in [
        "a memorandum “Foreign Relations of the United States,” November 7, 1958.",
        "Foreign Relations, Mr. Gardner congratulated the Office on its volume for 1948",
        "Foreign Relations of the United States, resumed publication in 1984",
        "the Committee on Foreign Relations, 1894",
    ] {
        assert_eq!(s.scan(text, Place::Note), [], "{text}");
    }
    assert_eq!(s.unparsed(), [] as [String; 0]);
}

#[test]
fn bad_input_is_flagged_never_a_crash() {
    let note = |text: &str, id: &str| {
        Node::Note(chancery_model::Note {
            kind: chancery_model::NoteKind::Footnote,
            n: None,
            id: Some(id.to_string()),
            rend: None,
            children: vec![Node::text(text)],
        })
    };
    let mut doc: Document = serde_json::from_value(serde_json::json!({
        "volume": "frus1952-54Guat", "id": "d12", "n": "12", "first_page": "40", "paper": {}
    }))
    .unwrap();
    doc.paper.content = vec![
        Node::PageBreak(chancery_model::PageBreak {
            n: "41".into(),
            id: None,
            facs: None,
        }),
        note("See Document 12.", "d12fn1"),
        note(
            "Ante, p. 41; see p. 0; Foreign Relations, 1952–1954, vol. IV, p. 99999.",
            "d12fn2",
        ),
        note("Post, p. 600.", "d12fn3"),
    ];
    let f = find(&doc);
    let got: Vec<(&str, Option<&str>, Option<&str>)> = f
        .citations
        .iter()
        .map(|c| (c.text.as_str(), c.note.as_deref(), c.flag.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Document 12", Some("d12fn1"), Some("cites itself")),
            ("Ante, p. 41", Some("d12fn2"), Some("cites itself")),
            ("see p. 0", Some("d12fn2"), Some("page out of range")),
            (
                "Foreign Relations, 1952–1954, vol. IV, p. 99999",
                Some("d12fn2"),
                Some("page out of range")
            ),
            ("Post, p. 600", Some("d12fn3"), None),
        ]
    );
    // Odd text never panics.
    let mut s = Scanner::new("frus1936v03", true);
    for text in [
        "Foreign Relations,",
        "ibid.,",
        "vol.",
        "Foreign Relations, 1999999, vol. MMMMMMMMMMMMMMMM, p.",
        "Document",
        "Foreign Relations, 1919–",
        "Ibid., vol. ii, p. ",
        "p. ﬀ",
    ] {
        s.scan(text, Place::Note);
    }
}

fn volume(name: &str) -> Option<Vec<Document>> {
    let corpus = chancery_testdata::corpus()?;
    let bytes = std::fs::read(corpus.join("frus").join(format!("{name}.xml"))).unwrap();
    Some(chancery_tei::read(&bytes, name).unwrap().documents)
}

fn text_of(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text { text } => out.push_str(text),
            other => text_of(other.children(), out),
        }
    }
}

/// Every note of a document (at any depth): id and plain text.
fn notes(nodes: &[Node], out: &mut Vec<(String, String)>) {
    for n in nodes {
        match n {
            Node::Note(note) => {
                let mut t = String::new();
                text_of(&note.children, &mut t);
                out.push((note.id.clone().unwrap_or_default(), t));
            }
            Node::Attachment(p) => notes(&p.content, out),
            other => notes(other.children(), out),
        }
    }
}

#[test]
fn frus1936v03_notes() {
    let Some(docs) = volume("frus1936v03") else {
        return;
    };
    let by_id: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    // (document, note, what the ref cites, what the note's text says, as the scanner reads it)
    let cases: [(&str, &str, Cited, &str); 10] = [
        (
            "d1",
            "d1fn4",
            v("frus1935v01", Some("556"), None),
            "Foreign Relations, 1935, vol. i, p. 556",
        ),
        (
            "d4",
            "d4fn14",
            v("frus1935v01", Some("561"), None),
            "Foreign Relations, 1935, vol. i, p. 561",
        ),
        (
            "d41",
            "d41fn2",
            v("frus1922v01", Some("267"), None),
            "Ibid., 1922, vol. i, p. 267",
        ),
        (
            "d101",
            "d101fn70",
            v("frus1907p2", Some("1204"), None),
            "Foreign Relations, 1907, pt. 2, p. 1204",
        ),
        (
            "d122",
            "d122fn8",
            v("frus1919Parisv13", Some("328"), None),
            "Foreign Relations, The Paris Peace Conference, 1919, vol. xiii, p. 328",
        ),
        (
            "d432",
            "d432fn5",
            v("frus1934v01", Some("449"), None),
            "Foreign Relations, 1934, vol. i, pp. 449 ff.",
        ),
        (
            "d559",
            "d559fn50",
            v("frus1903", Some("375"), None),
            "Foreign Relations, 1903, p. 375",
        ),
        (
            "d559",
            "d559fn48",
            v("frus1932v02", Some("672"), None),
            "ibid, 1932, vol. ii, pp. 672 ff.",
        ),
        (
            "d259",
            "d259fn12",
            v("frus1936v01", Some("322"), None),
            "Vol. i, p. 322",
        ),
        (
            "d331",
            "d331fn50",
            v("frus1936v03", Some("61"), None),
            "Ante, p. 61",
        ),
    ];
    for (id, note, want, written) in cases {
        let doc = by_id[id];
        let found = find(doc);
        let in_note: Vec<&Citation> = found
            .citations
            .iter()
            .filter(|c| c.note.as_deref() == Some(note))
            .collect();
        assert_eq!(in_note.len(), 1, "{note}: {in_note:?}");
        assert_eq!(in_note[0].origin, CitationOrigin::Ref, "{note}");
        assert_eq!(cited(in_note[0]), want, "{note}");
        assert_eq!(in_note[0].flag, None, "{note}");
        // The text the ref links says the same, read on its own.
        let mut ns = Vec::new();
        notes(&doc.paper.content, &mut ns);
        let text = &ns.iter().find(|(n, _)| n == note).unwrap().1;
        assert_eq!(
            scan(&doc.volume, false, text),
            [(written.to_string(), want)],
            "{note}"
        );
    }
    // A volume cited without a page; a same-volume page printed inside the citing document.
    let d264 = find(by_id["d264"]);
    let c = d264
        .citations
        .iter()
        .find(|c| c.note.as_deref() == Some("d264fn16"))
        .unwrap();
    assert_eq!(
        (cited(c), c.text.as_str()),
        (v("frus1936v02", None, None), "frus1936v02")
    );
    let d507 = find(by_id["d507"]);
    let c = d507
        .citations
        .iter()
        .find(|c| c.note.as_deref() == Some("d507fn21"))
        .unwrap();
    assert_eq!(cited(c), v("frus1936v03", Some("422"), None));
    assert!(by_id["d507"].pages().contains(&"422".to_string()));
    assert_eq!(c.flag.as_deref(), Some("cites itself"));
}

#[test]
fn frus1952_54guat_documents() {
    let Some(docs) = volume("frus1952-54Guat") else {
        return;
    };
    let by_id: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    assert!(docs
        .iter()
        .all(|d| d.n.as_deref().is_none_or(|n| d.id == format!("d{n}"))));
    let cases: [(&str, &str, CitationOrigin, &str, Cited); 5] = [
        (
            "d49",
            "d49fn2",
            CitationOrigin::Ref,
            "frus1952-54v04#d13",
            v("frus1952-54v04", None, Some("d13")),
        ),
        (
            "d188",
            "d188fn3",
            CitationOrigin::Ref,
            "#d186",
            v("frus1952-54Guat", None, Some("d186")),
        ),
        (
            "d73",
            "d73fn2",
            CitationOrigin::Text,
            "Document 72",
            v("frus1952-54Guat", None, Some("d72")),
        ),
        (
            "d243",
            "d243fn2",
            CitationOrigin::Text,
            "Document 241",
            v("frus1952-54Guat", None, Some("d241")),
        ),
        (
            "d35",
            "d35fn2",
            CitationOrigin::Ref,
            "frus1952-54v04#pg_1056",
            v("frus1952-54v04", Some("1056"), None),
        ),
    ];
    for (id, note, origin, text, want) in cases {
        let found = find(by_id[id]);
        let c = found
            .citations
            .iter()
            .find(|c| c.note.as_deref() == Some(note) && c.text == text)
            .unwrap_or_else(|| panic!("{note}: {:?}", found.citations));
        assert_eq!((c.origin, cited(c)), (origin, want), "{note}");
    }
    let own = find(by_id["d249"]);
    let c = own
        .citations
        .iter()
        .find(|c| c.document.as_deref() == Some("d249"))
        .unwrap();
    assert_eq!(
        (c.text.as_str(), c.flag.as_deref()),
        ("Document 249", Some("cites itself"))
    );
}

#[test]
fn seed_notes() {
    let Some(path) = chancery_testdata::seed() else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let reading = chancery_text::read(&bytes, &chancery_text::volume_id(&path)).unwrap();
    let mut doc = reading.documents.into_iter().next().unwrap();
    enrich(&mut doc);
    let got: Vec<(&str, Cited)> = doc
        .citations
        .iter()
        .map(|c| {
            assert_eq!(c.origin, CitationOrigin::Text);
            assert_eq!(c.flag, None);
            (c.text.as_str(), cited(c))
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Foreign Relations, 1919, Russia, pp. 750 ff.",
                v("frus1919Russia", Some("750"), None)
            ),
            (
                "Foreign Relations, 1920, vol. iii, pp. 571 ff.",
                v("frus1920v03", Some("571"), None)
            ),
            (
                "Foreign Relations, 1918, Russia, vol. ii, pp. 435 ff.",
                v("frus1918Russiav02", Some("435"), None)
            ),
            (
                "ibid., 1919, Russia, pp. 195 ff.",
                v("frus1919Russia", Some("195"), None)
            ),
            (
                "Foreign Relations, 1920, vol. iii, pp. 527 ff.",
                v("frus1920v03", Some("527"), None)
            ),
        ]
    );
    // The seed's notes have no ids: named by the document and mark, as in TEI (`d1fn15`).
    let notes: Vec<Option<&str>> = doc.citations.iter().map(|c| c.note.as_deref()).collect();
    assert_eq!(
        notes,
        [
            Some("d1fn16"),
            Some("d1fn16"),
            Some("d1fn17"),
            Some("d1fn17"),
            Some("d1fn17")
        ]
    );
    // Enrichment twice gives the same document.
    let once = doc.clone();
    enrich(&mut doc);
    assert_eq!(doc, once);
}

/// Every document of every corpus file (FRUS volumes and the frus-history documents), enriched:
/// no panic, and at least the citations measured when this was written.
#[test]
fn whole_corpus() {
    let Some(corpus) = chancery_testdata::corpus() else {
        return;
    };
    let mut files = chancery_testdata::xml_files(&corpus.join("frus"));
    files.extend(chancery_testdata::xml_files(
        &corpus.join("frus-history/documents"),
    ));
    let mut all = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(reading) = chancery_tei::read(&bytes, &name) else {
            continue;
        };
        for mut doc in reading.documents {
            enrich(&mut doc);
            all.push(doc);
        }
    }
    let r = report(&all);
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
    let get = |v: &str| r.volumes.iter().find(|x| x.volume == v).unwrap();
    // Measured: refs / text per volume.
    let floors = [
        ("frus1894Nicaragua", 20, 0),
        ("frus1936v03", 171, 0),
        ("frus1952-54Guat", 133, 13),
    ];
    for (volume, refs, text) in floors {
        let got = get(volume);
        assert!(got.refs >= refs && got.text >= text, "{got:?}");
        assert_eq!(got.unparsed, 0, "{got:?}");
    }
    let stored: usize = all.iter().map(|d| d.citations.len()).sum();
    assert!(stored >= 356, "{stored}");
}

/// The text recogniser against the editors' own links: where a note's `ref` cites another
/// volume, the note's text, read without the link, names the same volume.
#[test]
fn text_agrees_with_refs() {
    let Some(corpus) = chancery_testdata::corpus() else {
        return;
    };
    let (mut agree, mut total) = (0, 0);
    for path in chancery_testdata::xml_files(&corpus.join("frus")) {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        for doc in chancery_tei::read(&bytes, &name).unwrap().documents {
            let mut ns = Vec::new();
            notes(&doc.paper.content, &mut ns);
            let mut s = Scanner::new(&doc.volume, false);
            let hits: Vec<(String, Citation)> = ns
                .iter()
                .flat_map(|(id, t)| {
                    s.scan(t, Place::Note)
                        .into_iter()
                        .map(move |h| (id.clone(), h.citation))
                })
                .collect();
            for c in find(&doc).citations.iter().filter(|c| {
                c.origin == CitationOrigin::Ref && c.volume != doc.volume && c.note.is_some()
            }) {
                total += 1;
                let same = hits
                    .iter()
                    .any(|(id, h)| Some(id) == c.note.as_ref() && h.volume == c.volume);
                if same {
                    agree += 1;
                } else {
                    println!("{}/{} {:?}: {}", doc.volume, doc.id, c.note, c.target_key());
                }
            }
        }
    }
    println!("text agrees with refs: {agree}/{total}");
    assert!(total >= 120 && agree * 100 >= total * 90, "{agree}/{total}");
}
