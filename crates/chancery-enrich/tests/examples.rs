//! The worked examples and every form of file number, through the public API.

use chancery_enrich::{decode, enrich, file_class_prefixes, item_date, parse};
use chancery_model::{
    Block, BlockKind, DateBounds, Document, FileNumber, Heading, Node, Paper, SourceNote,
};

fn only(text: &str) -> FileNumber {
    let found = parse(text);
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn every_form() {
    let cases: [(&str, &str, &str, Option<&str>); 14] = [
        ("861.00B/680", "861.00B/680", "861.00B", Some("680")),
        ("793.94/11936: Telegram", "793.94/11936", "793.94", Some("11936")),
        ("711.61/287½", "711.61/287½", "711.61", Some("287½")),
        ("462.11/3–2345", "462.11/3–2345", "462.11", Some("3-2345")),
        ("462.11/3-2345", "462.11/3-2345", "462.11", Some("3-2345")),
        ("751G.5–MSP/1–2458", "751G.5–MSP/1–2458", "751G.5-MSP", Some("1-2458")),
        ("124.84/75a: Telegram", "124.84/75a", "124.84", Some("75a")),
        ("711.90H/49: Telegram", "711.90H/49", "711.90H", Some("49")),
        (
            "Source: Department of State, Central Files, 396.1 GE/7–854. Secret; Nodis.",
            "396.1 GE/7–854",
            "396.1-GE",
            Some("7-854"),
        ),
        (
            "740.0011 European War 1939/12345: Telegram",
            "740.0011 European War 1939/12345",
            "740.0011 European War 1939",
            Some("12345"),
        ),
        ("File No. 861.00/1234", "861.00/1234", "861.00", Some("1234")),
        (
            "Source: National Archives, RG 59, Central Files 1964–66, POL 27 VIET S. Secret; Immediate.",
            "POL 27 VIET S",
            "POL 27 VIET S",
            None,
        ),
        ("Central Files 1967–69, POL 15–1 US. Confidential.", "POL 15–1 US", "POL 15-1 US", None),
        ("Central Files 1964–66, DEF 1 EUR W. Secret.", "DEF 1 EUR W", "DEF 1 EUR W", None),
    ];
    for (note, text, key, item) in cases {
        let f = only(note);
        assert_eq!(f.text, text, "{note}");
        assert_eq!(f.key, key, "{note}");
        assert_eq!(f.item.as_deref(), item, "{note}");
        assert!(f.gloss.is_empty(), "parse alone never glosses");
    }
}

#[test]
fn several_numbers_in_one_note() {
    let found = parse("800.51W89 France/123; 851.51/456");
    let got: Vec<(&str, &str, Option<&str>)> = found
        .iter()
        .map(|f| (f.text.as_str(), f.key.as_str(), f.item.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("800.51W89 France/123", "800.51W89 France", Some("123")),
            ("851.51/456", "851.51", Some("456")),
        ]
    );
}

#[test]
fn channel_after_the_number() {
    use chancery_enrich::channel;
    assert_eq!(channel("711.90H/49: Telegram").as_deref(), Some("Telegram"));
    assert_eq!(
        channel("793.94/11936: Telegram").as_deref(),
        Some("Telegram")
    );
    assert_eq!(channel("711.00/12: Airgram").as_deref(), Some("Airgram"));
    assert_eq!(channel("711.00/12: Despatch").as_deref(), Some("Despatch"));
    assert_eq!(channel("711.00/12: Dispatch").as_deref(), Some("Dispatch"));
    assert_eq!(
        channel("711.00/12: Memorandum").as_deref(),
        Some("Memorandum")
    );
    assert_eq!(channel("711.00/12. Note the date."), None);
    assert_eq!(channel("711.90H/41"), None);
}

#[test]
fn item_dates_follow_the_era() {
    assert_eq!(
        item_date("3–2345", Some(1945)).as_deref(),
        Some("1945-03-23")
    );
    assert_eq!(item_date("1–2458", None).as_deref(), Some("1958-01-24"));
    assert_eq!(item_date("3–2345", Some(1952)), None);
    assert_eq!(item_date("11936", Some(1937)), None);
}

#[test]
fn worked_example_861_00b() {
    let f = only("861.00B/680");
    let d = decode(&f, Some(1938)).expect("1938 is governed by 1910-1949");
    assert_eq!(d.schedule.id, "1910-1949");
    assert_eq!(d.class.code, "8");
    assert_eq!(d.class.label, "Internal Affairs of States");
    let country = d.country.as_ref().unwrap();
    assert_eq!(country.code, "61");
    assert_eq!(country.label, "Union of Soviet Socialist Republics");
    assert_eq!(country.alternates, ["Russia"]);
    let subject = d.subject.as_ref().unwrap();
    assert_eq!(subject.code, "00B");
    assert_eq!(
        subject.label,
        "Bolshevism. Communism. Communistic activities"
    );
    assert_eq!(d.item.as_deref(), Some("680"));
    assert_eq!(
        d.gloss(),
        [
            "8 Internal Affairs of States",
            "61 Union of Soviet Socialist Republics",
            "00B Bolshevism. Communism. Communistic activities",
        ]
    );
}

#[test]
fn worked_example_793_94() {
    let f = only("793.94/11936: Telegram");
    let d = decode(&f, Some(1937)).unwrap();
    assert_eq!(
        d.class.label,
        "Political Relations of States. Bi-lateral Treaties"
    );
    assert_eq!(d.country.as_ref().unwrap().label, "China");
    assert_eq!(d.second_country.as_ref().unwrap().label, "Japan");
    assert_eq!(d.subject, None);
    assert_eq!(d.item.as_deref(), Some("11936"));
    assert_eq!(
        d.gloss(),
        [
            "7 Political Relations of States. Bi-lateral Treaties",
            "93 China",
            "94 Japan",
        ]
    );
}

#[test]
fn wrong_era_is_refused_or_read_in_its_own_schedule() {
    let f = only("761.00/274");
    let before = decode(&f, Some(1938)).unwrap();
    assert_eq!(
        before.class.label,
        "Political Relations of States. Bi-lateral Treaties"
    );
    assert_eq!(
        before.country.as_ref().unwrap().label,
        "Union of Soviet Socialist Republics"
    );
    assert_eq!(
        before.second_country.as_ref().unwrap().gloss(),
        "00 World, The"
    );
    let after = decode(&f, Some(1952)).unwrap();
    assert_eq!(after.schedule.id, "1950-1959");
    assert_eq!(
        after.class.label,
        "Internal Political and National Defense Affairs"
    );
    assert_eq!(
        after.second_country, None,
        "class 7 is no relations class after 1950"
    );
    assert_ne!(before.gloss(), after.gloss());
    // `48` is a country after 1950 and British Africa before; a subject in pre-1950 class 8.
    let poland = decode(&only("748.00/5"), Some(1955)).unwrap();
    assert_eq!(poland.country.unwrap().label, "Poland");
    let calamities = decode(&only("891.48 Mehabad/1"), Some(1936)).unwrap();
    assert_eq!(
        calamities.subject.unwrap().gloss(),
        "48 Calamities. Disasters"
    );
    // No year, or a year no schedule governs: the bare parse only.
    for year in [None, Some(1909), Some(1964), Some(1894)] {
        assert!(decode(&f, year).is_none(), "{year:?}");
    }
}

#[test]
fn malformed_numbers_are_kept_as_written() {
    let f = only("861.00B/");
    assert_eq!(
        (f.text.as_str(), f.key.as_str(), f.item),
        ("861.00B/", "861.00B", None)
    );
    assert!(parse("/680").is_empty());
    assert!(parse("8x1.00/5").is_empty());
    assert!(parse("").is_empty());
    assert!(parse("////").is_empty());
    assert!(parse("1.00/5 and 86.00/5").is_empty());
    let f = only("811.11101 Waivers 81—");
    assert_eq!(f.text, "811.11101 Waivers 81—");
    assert_eq!(f.item, None);
}

#[test]
fn huge_inputs_are_safe() {
    let note = "861.00B/680; Central Files, 611.14. 793.94/11936: Telegram. ";
    let big = note.repeat(20_000);
    let found = parse(&big);
    assert_eq!(found.len(), 20_000 * 3);
    let digits = "1234567890./–".repeat(100_000);
    let _ = parse(&digits);
    let long_key = format!("861.{}/680", "0".repeat(100_000));
    let f = only(&long_key);
    assert!(decode(&f, Some(1936)).is_some());
    let prefixes = file_class_prefixes(&f.key);
    assert_eq!(prefixes[..3], ["8", "861", "861.00"]);
    assert!(
        prefixes.len() <= 12,
        "levels are bounded: {}",
        prefixes.len()
    );
}

/// A small deterministic generator (xorshift), so the fuzz test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_text_never_panics() {
    let alphabet: Vec<char> =
        "0123456789./–—-½:; ()ABDGHMPSOLVIETUWabcz\u{a0}é中🦀\u{301}\r\n,Source Central Files POL DEF"
            .chars()
            .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = (rng.next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        for f in parse(&text) {
            assert!(text.contains(&f.text), "{text:?} {f:?}");
            assert!(!f.key.is_empty(), "{text:?} {f:?}");
            for year in [None, Some(1936), Some(1955), Some(1961)] {
                if let Some(d) = decode(&f, year) {
                    assert!(!d.gloss().is_empty());
                }
            }
            let _ = file_class_prefixes(&f.key);
            if let Some(item) = &f.item {
                let _ = item_date(item, Some(1950));
            }
        }
        let _ = chancery_enrich::channel(&text);
        let _ = file_class_prefixes(&text);
        let _ = item_date(&text, None);
    }
}

fn paper(note: &str, heading: &str) -> Paper {
    Paper {
        source_note: Some(SourceNote {
            text: note.to_string(),
            ..SourceNote::default()
        }),
        heading: Some(Heading {
            text: heading.to_string(),
            ..Heading::default()
        }),
        ..Paper::default()
    }
}

fn document(min: Option<&str>, paper: Paper) -> Document {
    Document {
        volume: "frus1938v01".into(),
        id: "d1".into(),
        n: None,
        subtype: Some("historical-document".into()),
        kind: None,
        dates: DateBounds {
            min: min.map(str::to_string),
            ..DateBounds::default()
        },
        place: None,
        chapter: Vec::new(),
        first_page: None,
        paper,
        message: None,
        citations: Vec::new(),
        messages: Vec::new(),
        people: Vec::new(),
    }
}

#[test]
fn enrich_fills_notes_enclosures_and_kind() {
    let mut main = paper(
        "861.00B/680: Telegram",
        "The Chargé in the Soviet Union (Henderson) to the Secretary of State",
    );
    let inner = paper("793.94/11936", "Memorandum by the Ambassador");
    let mut outer = paper("800.51W89 France/123; 851.51/456: Despatch", "Enclosure");
    outer.content.push(Node::Block(Block {
        kind: BlockKind::Paragraph,
        rend: None,
        children: vec![Node::Attachment(Box::new(inner))],
    }));
    main.content.push(Node::Attachment(Box::new(outer)));
    let mut doc = document(Some("1938-01-01T00:00:00-05:00"), main);
    enrich(&mut doc);

    assert_eq!(doc.kind.as_deref(), Some("telegram"));
    let note = doc.paper.source_note.as_ref().unwrap();
    assert_eq!(note.channel.as_deref(), Some("Telegram"));
    assert_eq!(note.file_numbers.len(), 1);
    assert_eq!(
        note.file_numbers[0].gloss,
        [
            "8 Internal Affairs of States",
            "61 Union of Soviet Socialist Republics",
            "00B Bolshevism. Communism. Communistic activities",
        ]
    );
    let outer = doc.paper.attachments()[0];
    let outer_note = outer.source_note.as_ref().unwrap();
    assert_eq!(outer_note.file_numbers.len(), 2);
    assert_eq!(outer_note.channel.as_deref(), Some("Despatch"));
    let inner = outer.attachments()[0];
    let inner_note = inner.source_note.as_ref().unwrap();
    assert_eq!(inner_note.file_numbers[0].gloss[1], "93 China");

    let once = doc.clone();
    enrich(&mut doc);
    assert_eq!(doc, once, "enrich is idempotent");
}

#[test]
fn enrich_without_a_year_parses_but_does_not_gloss() {
    let mut doc = document(None, paper("861.00B/680", "Memorandum of Conversation"));
    doc.volume = "frus1945-50Intel".into();
    enrich(&mut doc);
    let f = &doc.paper.source_note.as_ref().unwrap().file_numbers[0];
    assert_eq!(f.key, "861.00B");
    assert!(f.gloss.is_empty());
    assert_eq!(doc.kind.as_deref(), Some("memorandum"));

    let mut doc = document(Some("garbage"), paper("861.00B/680", "Heading"));
    doc.volume = "frus1969-76v01".into();
    enrich(&mut doc);
    assert!(doc.paper.source_note.as_ref().unwrap().file_numbers[0]
        .gloss
        .is_empty());
    assert_eq!(doc.kind, None, "no evidence, no kind");
}

#[test]
fn enrich_keeps_what_is_already_known() {
    let mut p = paper("793.94/11936: Telegram", "Heading");
    p.source_note.as_mut().unwrap().channel = Some("Radiogram".into());
    let mut doc = document(Some("1937-07-30"), p);
    doc.kind = Some("letter".into());
    enrich(&mut doc);
    assert_eq!(doc.kind.as_deref(), Some("letter"));
    let note = doc.paper.source_note.as_ref().unwrap();
    assert_eq!(note.channel.as_deref(), Some("Radiogram"));
    assert_eq!(note.file_numbers[0].gloss.len(), 3);
}

#[test]
fn undated_documents_take_their_volume_year_when_unambiguous() {
    use chancery_enrich::document_year;
    let mut doc = document(None, Paper::default());
    for (volume, year) in [
        ("frus1936v03", Some(1936)),
        ("frus1952-54Guat", Some(1952)),
        ("frus1931-41v01", Some(1931)),
        ("frus1945-50Intel", None),
        ("frus1958-60v01", None),
        ("frus1969-76v01", None),
        ("frus1894Nicaragua", None),
        ("frus", None),
        ("frusé", None),
        ("other1936", None),
    ] {
        doc.volume = volume.into();
        assert_eq!(document_year(&doc), year, "{volume}");
    }
    doc.dates.min = Some("1950-01-01".into());
    assert_eq!(
        document_year(&doc),
        Some(1950),
        "the document's own date wins"
    );
}

#[test]
fn notes_of_the_1950s() {
    let glossed = |note: &str, year: i32| -> Vec<(String, Vec<String>)> {
        parse(note)
            .into_iter()
            .map(|f| {
                let gloss = decode(&f, Some(year))
                    .map(|d| d.gloss())
                    .unwrap_or_default();
                (f.key, gloss)
            })
            .collect()
    };
    let note =
        "Source: Department of State, Central Files, 714.00/1–1454. Secret. Drafted by Leddy.";
    let found = parse(note);
    assert_eq!(found[0].item.as_deref(), Some("1-1454"));
    assert_eq!(
        item_date(found[0].item.as_deref().unwrap(), Some(1954)).as_deref(),
        Some("1954-01-14")
    );
    assert_eq!(
        glossed(note, 1954),
        [(
            "714.00".to_string(),
            vec![
                "7 Internal Political and National Defense Affairs".to_string(),
                "14 Guatemala".to_string()
            ]
        )]
    );
    let note = "Source: Department of State, Central Files, 611.14/2–2354. Confidential.";
    assert_eq!(glossed(note, 1954)[0].1[2], "14 Guatemala");
    let note =
        "Source: Department of State, Central Files, 033.1100–NI/3–1754; and ibid., 611.14/3–1854.";
    let keys: Vec<String> = parse(note).into_iter().map(|f| f.key).collect();
    assert_eq!(keys, ["033.1100-NI", "611.14"]);
    for note in [
        "Source: Department of State, Conference Files: Lot 60 D 627, CF 195. Secret.",
        "Source: Department of State, S/S–NSC Files: Lot 63 D 351, NSC 5412 Series. Top Secret.",
        "Source: Eisenhower Library, Whitman File, NSC Series. Top Secret. Drafted on 5/3/54.",
    ] {
        assert!(parse(note).is_empty(), "{note}: {:?}", parse(note));
    }
}
