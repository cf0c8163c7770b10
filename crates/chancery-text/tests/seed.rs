//! The seed document: everything issue 3 lists, read from the plain text and written back.

use chancery_model::{plain_line, BlockKind, Document, InlineKind, MentionKind, Node, NoteKind};
use chancery_testdata::seed;

/// The seed's footnote markers, glued to the word or punctuation before them.
const MARKERS: [&str; 6] = [
    "…15",
    "Denikin16",
    "Kolchak17",
    "Osoaviakhim.18",
    "…19",
    "Prishibaev,20",
];

fn read_seed() -> Option<(String, Document)> {
    let path = seed()?;
    let text = std::fs::read_to_string(&path).unwrap();
    let reading = chancery_text::read(text.as_bytes(), &chancery_text::volume_id(&path)).unwrap();
    assert_eq!(reading.volume.id, "000_36a440fcf6bbd698");
    assert!(reading.warnings.is_empty(), "{:?}", reading.warnings);
    assert_eq!(reading.documents.len(), 1);
    Some((text, reading.documents.into_iter().next().unwrap()))
}

/// (page, paragraph text) for every paragraph, enclosures included.
fn paragraphs(doc: &Document) -> Vec<(String, String)> {
    fn walk(nodes: &[Node], page: &mut String, out: &mut Vec<(String, String)>) {
        for n in nodes {
            match n {
                Node::PageBreak(p) => *page = p.n.clone(),
                Node::Attachment(p) => walk(&p.content, page, out),
                Node::Block(b) if b.kind == BlockKind::Paragraph => {
                    out.push((page.clone(), plain_line(&b.children)));
                    walk(&b.children, page, &mut Vec::new());
                }
                other => walk(other.children(), page, out),
            }
        }
    }
    let mut page = doc.first_page.clone().unwrap_or_default();
    let mut out = Vec::new();
    walk(&doc.paper.content, &mut page, &mut out);
    out
}

/// Every footnote: (mark, the 30 characters before it, its text).
fn footnotes(doc: &Document) -> Vec<(String, String, String)> {
    fn walk(nodes: &[Node], before: &mut String, out: &mut Vec<(String, String, String)>) {
        for n in nodes {
            match n {
                Node::Text { text } => before.push_str(text),
                Node::Note(note) if note.kind == NoteKind::Footnote => {
                    let tail: String = before.chars().rev().take(30).collect();
                    out.push((
                        note.n.clone().unwrap_or_default(),
                        tail.chars().rev().collect(),
                        plain_line(&note.children),
                    ));
                }
                Node::Note(_) => {}
                Node::Attachment(p) => walk(&p.content, before, out),
                other => walk(other.children(), before, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.paper.content, &mut String::new(), &mut out);
    out
}

#[test]
fn seed_structure() {
    let Some((_, doc)) = read_seed() else { return };
    let p = &doc.paper;
    assert_eq!(doc.id, "d1");
    let sn = p.source_note.as_ref().unwrap();
    assert_eq!(sn.text, "861.00B/680");
    assert_eq!(sn.file_numbers[0].text, "861.00B/680");
    assert_eq!(sn.file_numbers[0].key, "861.00B");
    assert_eq!(sn.file_numbers[0].item.as_deref(), Some("680"));
    let h = p.heading.as_ref().unwrap();
    assert_eq!(
        h.text,
        "The Chargé in the Soviet Union (Henderson) to the Secretary of State"
    );
    assert_eq!(h.senders.len(), 1);
    assert_eq!(h.senders[0].text, "Henderson");
    assert_eq!(h.senders[0].kind, MentionKind::Person);
    assert_eq!(
        h.senders[0].office.as_deref(),
        Some("Chargé in the Soviet Union")
    );
    assert_eq!(h.addressees[0].text, "Secretary of State");
    assert_eq!(p.number.as_deref(), Some("971"));
    assert_eq!(p.salutation.as_deref(), Some("Sir"));
    assert_eq!(p.closer.as_deref(), Some("Respectfully yours,"));
    assert_eq!(p.signed, ["Loy W. Henderson"]);

    let enc = p.attachments();
    assert_eq!(enc.len(), 2);
    assert_eq!(enc[0].label.as_deref(), Some("[Enclosure 1—Translation]"));
    assert_eq!(
        enc[0].heading.as_ref().unwrap().text,
        "Letter of Comrade Ivanov"
    );
    assert_eq!(enc[0].signed, ["I. Ivanov"]);
    let dl = enc[0].dateline.as_ref().unwrap();
    assert_eq!(
        dl.date.as_ref().unwrap().when.as_deref(),
        Some("1938-01-18")
    );
    assert_eq!(enc[1].label.as_deref(), Some("[Enclosure 2—Translation]"));
    assert_eq!(
        enc[1].heading.as_ref().unwrap().text,
        "Answer of Comrade Stalin"
    );
    assert_eq!(enc[1].signed, ["I. Stalin"]);
    assert!(enc[0]
        .text_content()
        .contains("Dear Comrade Stalin, I earnestly request"));
    assert!(enc[1]
        .text_content()
        .contains("But unfortunately these, unpleasant things continue to exist."));
}

#[test]
fn seed_pages() {
    let Some((_, doc)) = read_seed() else { return };
    let pages: Vec<String> = (520..=527).map(|n| n.to_string()).collect();
    assert_eq!(doc.pages(), pages);
    let paras = paragraphs(&doc);
    let page_of = |start: &str| {
        paras
            .iter()
            .find(|(_, t)| t.starts_with(start))
            .unwrap_or_else(|| panic!("no paragraph {start}"))
            .0
            .clone()
    };
    assert_eq!(page_of("Sir: I have the honor"), "520");
    assert_eq!(page_of("Most foreign observers"), "520");
    assert_eq!(page_of("With reference to Stalin’s statement"), "521");
    assert_eq!(page_of("Dear Comrade Stalin"), "521");
    assert_eq!(page_of("“Being at a seminar"), "522");
    assert_eq!(page_of("“You are of course right"), "522");
    // The page turns inside this paragraph: it starts on 522.
    assert_eq!(page_of("“The first side of the question"), "522");
    assert_eq!(
        page_of("“Such are the problems connected with the first"),
        "523"
    );
    assert_eq!(
        page_of("“Leninism answers these problems negatively"),
        "524"
    );
    assert_eq!(page_of("“Indeed it would be ridiculous"), "525");
    assert_eq!(page_of("“From your letter"), "526");
    assert_eq!(page_of("“Now you can judge"), "527");
    // Mid-sentence page turns sit exactly where the marker stood.
    let stalin = doc.paper.attachments()[1].text_content();
    assert!(stalin.contains("with our peasantry and arrange an alliance"));
    let mut before_523 = String::new();
    fn upto(nodes: &[Node], page: &str, out: &mut String) -> bool {
        for n in nodes {
            match n {
                Node::PageBreak(p) if p.n == page => return true,
                Node::Text { text } => out.push_str(text),
                Node::Attachment(p) => {
                    if upto(&p.content, page, out) {
                        return true;
                    }
                }
                other => {
                    if upto(other.children(), page, out) {
                        return true;
                    }
                }
            }
        }
        false
    }
    assert!(upto(&doc.paper.content, "523", &mut before_523));
    assert!(before_523.ends_with("overcome the differences with our peasantry "));
}

#[test]
fn seed_footnotes_and_correction() {
    let Some((_, doc)) = read_seed() else { return };
    let notes = footnotes(&doc);
    let marks: Vec<&str> = notes.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(marks, ["15", "16", "17", "18", "19", "20"]);
    assert!(
        notes[0].1.ends_with("not yet have it? …"),
        "{:?}",
        notes[0].1
    );
    assert_eq!(notes[0].2, "Omission indicated in the original.");
    assert!(notes[1].1.ends_with("Did not Denikin"));
    assert!(notes[1]
        .2
        .starts_with("See Foreign Relations, 1919, Russia, pp. 750 ff."));
    assert!(notes[2].1.ends_with(" and Kolchak"));
    assert!(notes[2]
        .2
        .starts_with("See Foreign Relations, 1918, Russia, vol. ii"));
    assert!(notes[3].1.ends_with("Air Force, Osoaviakhim."));
    assert!(notes[3]
        .2
        .starts_with("Society for Air and Chemical Defense"));
    assert!(notes[4].1.ends_with("catch us unawares …"));
    assert_eq!(notes[4].2, "Omission indicated in the original.");
    assert!(notes[5].1.ends_with("Unter-Offitser Prishibaev,"));
    assert!(notes[5]
        .2
        .starts_with("Title of a story written by Anton Pavlovich Chekhov"));

    // No marker left in the running text, and no number of the text taken for one.
    let text = doc.paper.text_content();
    for gone in MARKERS {
        assert!(!text.contains(gone), "{gone} left in the text");
    }
    for kept in [
        "1938",
        "p. 122",
        "18.1.38",
        "7th World Congress",
        "(Volume XXVII, p. 117)",
    ] {
        assert!(text.contains(kept), "{kept} lost");
    }
    assert!(!text.contains("[Page"));
    assert!(!text.contains("  1. Omission"));

    // The correction `962 [963]`.
    fn corrections(nodes: &[Node], out: &mut Vec<String>) {
        for n in nodes {
            match n {
                Node::Inline(i) if i.kind == InlineKind::Correction => {
                    out.push(plain_line(&i.children))
                }
                Node::Attachment(p) => corrections(&p.content, out),
                other => corrections(other.children(), out),
            }
        }
    }
    let mut c = Vec::new();
    corrections(&doc.paper.content, &mut c);
    assert_eq!(c, ["[963]"]);
    assert!(text.contains("despatch No. 962 [963], February 18, 1938."));
}

#[test]
fn seed_text_is_kept() {
    let Some((text, doc)) = read_seed() else {
        return;
    };
    // Every character of the seed but the markers, the list numbering and `[Page N]` is in the
    // model, in order.
    let model = doc.paper.text_content();
    let mut expected = text.clone();
    for m in MARKERS {
        expected = expected.replace(m, &m[..m.len() - 2]);
    }
    let expected: String = expected
        .lines()
        .map(|l| {
            let mut l = l.to_string();
            while let Some(at) = l.find("[Page ") {
                let end = l[at..].find(']').unwrap() + at + 1;
                l.replace_range(at..end, "");
            }
            match l.trim_start().split_once(". ") {
                Some((n, rest)) if l.starts_with("  ") && n.parse::<u32>().is_ok() => {
                    rest.to_string()
                }
                _ => l,
            }
        })
        .collect();
    let count = |s: &str| {
        let mut m = std::collections::BTreeMap::new();
        for c in s.chars().filter(|c| !c.is_whitespace()) {
            *m.entry(c).or_insert(0) += 1;
        }
        m
    };
    let (got, want) = (count(&model), count(&expected));
    let diff: Vec<_> = want
        .keys()
        .chain(got.keys())
        .filter(|c| got.get(c) != want.get(c))
        .map(|c| (c, want.get(c), got.get(c)))
        .collect();
    assert!(diff.is_empty(), "characters (want, got): {diff:?}");
}

#[test]
fn seed_written_back_is_the_seed() {
    let Some((text, doc)) = read_seed() else {
        return;
    };
    let trim = |s: &str| {
        s.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_string()
    };
    assert_eq!(trim(&chancery_text::write(&doc)), trim(&text));
    // And reading the written text gives the same model.
    let again = chancery_text::read(chancery_text::write(&doc).as_bytes(), &doc.volume).unwrap();
    assert_eq!(again.documents[0], doc);
}
