//! Real-world variation and bad input: read, not rejected; never a panic.

use chancery_model::{plain_line, Document, Node, NoteKind};
use chancery_text::{read, write, TextError};

const DESPATCH: &str = "793.94/11936: Telegram

The Ambassador in China (Johnson) to the Secretary of State

Hankow, January 1, 1938—10 p.m.
[Received January 1—9:15 p.m.]

Sir: The Japanese advance continued today.1 Nothing in 1938 changes this.

[Page 12]

The Minister said “we shall hold”2 and left.

Johnson

  1. See telegram No. 5.
  2. Not printed.
";

fn one(text: &str) -> Document {
    let r = read(text.as_bytes(), "v").unwrap();
    assert_eq!(r.documents.len(), 1, "{:?}", r.warnings);
    r.documents.into_iter().next().unwrap()
}

fn notes(doc: &Document) -> Vec<(Option<String>, String)> {
    fn walk(nodes: &[Node], out: &mut Vec<(Option<String>, String)>) {
        for n in nodes {
            match n {
                Node::Note(note) if note.kind == NoteKind::Footnote => {
                    out.push((note.n.clone(), plain_line(&note.children)))
                }
                Node::Attachment(p) => walk(&p.content, out),
                other => walk(other.children(), out),
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.paper.content, &mut out);
    out
}

#[test]
fn telegram_fields() {
    let d = one(DESPATCH);
    let p = &d.paper;
    let sn = p.source_note.as_ref().unwrap();
    assert_eq!(sn.channel.as_deref(), Some("Telegram"));
    assert_eq!(d.kind.as_deref(), Some("telegram"));
    let dl = p.dateline.as_ref().unwrap();
    assert_eq!(dl.place.as_deref(), Some("Hankow"));
    assert_eq!(
        dl.date.as_ref().unwrap().when.as_deref(),
        Some("1938-01-01T22:00:00")
    );
    assert_eq!(dl.received.as_deref(), Some("Received January 1—9:15 p.m."));
    assert_eq!(p.salutation.as_deref(), Some("Sir"));
    assert_eq!(p.signed, ["Johnson"]);
    assert_eq!(d.first_page.as_deref(), Some("11"));
    assert_eq!(
        notes(&d),
        [
            (Some("1".into()), "See telegram No. 5.".into()),
            (Some("2".into()), "Not printed.".into())
        ]
    );
    assert!(p.text_content().contains("Nothing in 1938 changes this."));
    // Written back, read again: the same document.
    assert_eq!(one(&write(&d)), d);
}

#[test]
fn crlf_bom_and_latin1() {
    let base = one(DESPATCH);
    let crlf = format!("\u{FEFF}{}", DESPATCH.replace('\n', "\r\n"));
    assert_eq!(one(&crlf), base);
    // Windows-1252: curly quotes and the em dash as single bytes.
    let cp1252: Vec<u8> = DESPATCH
        .chars()
        .map(|c| match c {
            '“' => 0x93,
            '”' => 0x94,
            '—' => 0x97,
            c => c as u8,
        })
        .collect();
    let r = read(&cp1252, "v").unwrap();
    assert_eq!(r.documents[0], base);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.message.contains("Windows-1252")));
}

#[test]
fn straight_quotes_and_blank_lines() {
    let text = DESPATCH.replace(['“', '”'], "\"").replace("\n\n", "\n\n\n");
    let d = one(&text);
    assert_eq!(notes(&d).len(), 2);
    assert!(chancery_model::plain(&d.paper.content).contains("\"we shall hold\" and left."));
    assert_eq!(d.paper.signed, ["Johnson"]);
}

#[test]
fn missing_blank_lines_between_long_paragraphs() {
    let long = "This paragraph is long enough to be a paragraph of its own, as any despatch paragraph would be in a real volume of the series.";
    let text = format!("The Consul at Geneva (Gilbert) to the Secretary of State\n\n{long}\n{long}\n{long}\n\nGilbert\n");
    let d = one(&text);
    let paragraphs = d
        .paper
        .content
        .iter()
        .filter(|n| matches!(n, Node::Block(b) if b.kind == chancery_model::BlockKind::Paragraph))
        .count();
    assert_eq!(paragraphs, 3);
    assert!(d.paper.source_note.is_none());
    assert_eq!(d.paper.heading.as_ref().unwrap().senders[0].text, "Gilbert");
}

#[test]
fn mismatched_notes_recover_and_warn() {
    // Three notes listed, two markers.
    let text = DESPATCH.replace("  2. Not printed.\n", "  2. Not printed.\n  3. Extra.\n");
    let r = read(text.as_bytes(), "v").unwrap();
    let d = &r.documents[0];
    let n = notes(d);
    assert_eq!(n.len(), 3);
    assert_eq!(n[0], (Some("1".into()), "See telegram No. 5.".into()));
    assert_eq!(n[1], (Some("2".into()), "Not printed.".into()));
    assert_eq!(n[2], (None, "Extra.".into()));
    assert!(r.warnings.iter().any(|w| w.message.contains("no marker")));
    // One note listed, two markers: the first is taken, the rest stays text, with a warning.
    let text = DESPATCH.replace("  2. Not printed.\n", "");
    let r = read(text.as_bytes(), "v").unwrap();
    assert_eq!(notes(&r.documents[0]).len(), 1);
    assert!(!r.warnings.is_empty());
}

#[test]
fn no_notes_no_source_note_no_enclosures() {
    let d = one("Mr. Gresham to Mr. Baker.\n\nSir: I have received your note of 1894.2 on time.\n\nW. Q. Gresham.\n");
    assert!(notes(&d).is_empty());
    assert!(d.paper.text_content().contains("1894.2 on time"));
    assert_eq!(d.paper.signed, ["W. Q. Gresham."]);
    assert!(d.paper.attachments().is_empty());
}

#[test]
fn several_documents_in_one_file() {
    let two = format!(
        "{DESPATCH}\n{}",
        DESPATCH.replace("793.94/11936", "793.94/11937")
    );
    let r = read(two.as_bytes(), "v").unwrap();
    assert_eq!(r.documents.len(), 2);
    assert_eq!(r.documents[1].id, "d2");
    assert_eq!(
        r.documents[1].paper.source_note.as_ref().unwrap().text,
        "793.94/11937: Telegram"
    );
    assert_eq!(notes(&r.documents[1]).len(), 2);
    assert_eq!(r.volume.contents.len(), 2);
}

#[test]
fn bad_input_is_an_error_or_a_warning() {
    assert_eq!(read(b"", "v").unwrap_err(), TextError::Empty);
    assert_eq!(read(b"\n \r\n", "v").unwrap_err(), TextError::Empty);
    let e = read(b"PK\x03\x04\0\0binary", "v").unwrap_err();
    assert_eq!(e.location(), Some((1, 5)));
    let huge = vec![b'x'; chancery_text::MAX_LINE_BYTES + 1];
    assert!(matches!(
        read(&huge, "v").unwrap_err(),
        TextError::LineTooLong { line: 1, .. }
    ));
    assert_eq!(
        read(b"[Page 1]\n[Page 2]\n\n  1. x\n", "v").unwrap_err(),
        TextError::NoText
    );
    // Unbalanced brackets and stray markers are text.
    let d = one("Heading [of sorts\n\nSome [Page 4 text ] with [ and ] and 12 [\n");
    assert!(d
        .paper
        .text_content()
        .contains("Some [Page 4 text ] with [ and ] and 12 ["));
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic generator over the characters that matter to the reader.
    let alphabet: &[&str] = &[
        "\n",
        "\n\n",
        "  1. ",
        "[Page 5]",
        "[",
        "]",
        "15",
        ".",
        ",",
        "…",
        "Sir:",
        "No. 971",
        "861.00B/680",
        "[Enclosure 1]",
        "Respectfully yours,",
        "Loy W. Henderson",
        "word",
        " ",
        "\r",
        "\u{FEFF}",
        "May 5, 1936—2 p.m.",
        "[Received",
        "*",
        "†",
        "\u{0}",
        "\u{93}",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3000 {
        let mut text = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = seed % 60;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        if let Ok(r) = read(text.as_bytes(), "v") {
            for d in &r.documents {
                let again = write(d);
                let _ = read(again.as_bytes(), "v");
            }
        }
        let mut bytes = text.into_bytes();
        bytes.push((seed % 256) as u8);
        let _ = read(&bytes, "v");
    }
}

#[test]
fn long_input_is_read_whole() {
    // 5,000 paragraphs with markers and page breaks, 5,000 notes (its speed is measured by
    // `chancery bench parse`, not here).
    let mut text = String::from("861.00B/680\n\nThe A (B) to the C\n\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "Paragraph {i} of 1938 text, word{}.\n\n[Page {}]\n\n",
            i + 1,
            i + 2
        ));
    }
    for i in 0..5_000 {
        text.push_str(&format!("  {}. Note {i}.\n", i + 1));
    }
    let r = read(text.as_bytes(), "v").unwrap();
    assert_eq!(notes(&r.documents[0]).len(), 5_000);
}

#[test]
fn fuzz_found_page_zero_before_a_marker() {
    // Found by `cargo fuzz run text_reader`: a `[Page 0]` followed by a number made the reader
    // compute the page before page 0.
    let mut bytes = vec![0xFF; 19];
    bytes.extend_from_slice(b"[Page 0]8]&X");
    let _ = chancery_text::read(&bytes, "fuzz");
    let _ = chancery_text::read(b"Heading\n\n[Page 0]8 text\n", "fuzz");
}
