//! The TEI reader over the real shared corpus: nothing lost, real values recognised.

use std::path::Path;

use chancery_model::{text_content, Document, MentionKind, Node, NoteKind};
use chancery_testdata::{corpus, xml_files};
use quick_xml::events::Event;

/// Text content of every `div type="document"`, in order, with its id, computed straight from the XML events
/// (independently of the reader), with whitespace removed.
fn xml_document_texts(src: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(src);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(String, usize, String)> = None;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) => {
                depth += 1;
                if current.is_none() && e.local_name().as_ref() == "div" {
                    let mut id = None;
                    let mut is_doc = false;
                    for a in e.attributes().flatten() {
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned();
                        match a.key.as_ref() {
                            "type" => is_doc = v == "document",
                            "xml:id" => id = Some(v),
                            _ => {}
                        }
                    }
                    if is_doc {
                        current = Some((id.unwrap_or_default(), depth, String::new()));
                    }
                }
            }
            Event::End(_) => {
                if let Some((_, d, _)) = &current {
                    if *d == depth {
                        let (id, _, text) = current.take().unwrap();
                        out.push((id, text));
                    }
                }
                depth -= 1;
            }
            Event::Text(t) => {
                if let Some((_, _, text)) = &mut current {
                    text.extend(t.xml10_content().chars().filter(|c| !c.is_whitespace()));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, text)) = &mut current {
                    let c = match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                            .unwrap()
                            .to_string(),
                    };
                    text.extend(c.chars().filter(|c| !c.is_whitespace()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn read(path: &Path) -> chancery_tei::Reading {
    let bytes = std::fs::read(path).unwrap();
    let stem = path.file_stem().unwrap().to_string_lossy();
    chancery_tei::read(&bytes, &stem).unwrap_or_else(|e| panic!("{}:{e}", path.display()))
}

#[test]
fn nothing_is_lost_in_any_shared_document() {
    let Some(corpus) = corpus() else { return };
    let mut files = xml_files(&corpus.join("frus"));
    files.extend(xml_files(&corpus.join("frus-history/documents")));
    assert!(files.len() >= 60, "corpus too small: {}", files.len());
    let mut checked = 0;
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        let expected = xml_document_texts(&src);
        let reading = read(&path);
        assert_eq!(
            reading.documents.len(),
            expected.len(),
            "{}: document count",
            path.display()
        );
        for (doc, (id, want)) in reading.documents.iter().zip(&expected) {
            if !id.is_empty() {
                assert_eq!(&doc.id, id, "{}: document order", path.display());
            }
            let mut got = String::new();
            text_content(&doc.paper.content, &mut got);
            assert!(
                no_space(&got) == *want,
                "{}#{}: model text differs from the TEI div's text content",
                path.display(),
                doc.id
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} documents checked");
}

fn doc<'a>(r: &'a chancery_tei::Reading, id: &str) -> &'a Document {
    r.documents.iter().find(|d| d.id == id).unwrap()
}

#[test]
fn frus1936v03_is_read_in_full() {
    let Some(corpus) = corpus() else { return };
    let r = read(&corpus.join("frus/frus1936v03.xml"));
    assert_eq!(r.volume.id, "frus1936v03");
    assert_eq!(
        r.volume.titles.volume.as_deref(),
        Some("The Near East and Africa")
    );
    assert_eq!(r.volume.titles.volume_number.as_deref(), Some("Volume III"));
    assert_eq!(r.volume.titles.subseries.as_deref(), Some("1936"));
    assert_eq!(r.volume.published.as_deref(), Some("1953"));
    assert_eq!(r.documents.len(), 586);

    let d1 = doc(&r, "d1");
    assert_eq!(d1.n.as_deref(), Some("1"));
    assert_eq!(d1.paper.source_note.as_ref().unwrap().text, "711.90H/41");
    let h = d1.paper.heading.as_ref().unwrap();
    assert_eq!(
        h.text,
        "The Secretary of State to the Chargé in France (Marriner)"
    );
    assert_eq!(h.senders[0].text, "Secretary of State");
    assert_eq!(h.senders[0].kind, MentionKind::Gloss);
    assert_eq!(h.addressees[0].text, "Marriner");
    assert_eq!(h.addressees[0].office.as_deref(), Some("Chargé in France"));
    assert_eq!(d1.paper.number.as_deref(), Some("1198"));
    let dl = d1.paper.dateline.as_ref().unwrap();
    assert_eq!(dl.place.as_deref(), Some("Washington"));
    assert_eq!(
        dl.date.as_ref().unwrap().when.as_deref(),
        Some("1936-02-13")
    );
    assert_eq!(d1.dates.min.as_deref(), Some("1936-02-13"));
    assert_eq!(d1.paper.salutation.as_deref(), Some("Sir"));
    assert_eq!(d1.paper.signed, vec!["William Phillips".to_string()]);
    assert_eq!(
        d1.paper.closer.as_deref(),
        Some("For the Secretary of State:")
    );
    assert_eq!(d1.first_page.as_deref(), Some("1"));
    assert_eq!(d1.pages(), vec!["1", "2", "3"]);
    assert_eq!(
        d1.chapter
            .iter()
            .map(|c| c.id.as_deref().unwrap())
            .collect::<Vec<_>>(),
        vec!["comp1", "ch1"]
    );
    assert_eq!(d1.chapter[0].head, "Afghanistan:");

    // Footnotes at their anchors, with their references.
    let notes: Vec<_> = footnotes(&d1.paper.content);
    assert_eq!(notes.len(), 7);
    assert_eq!(notes[0].0.as_deref(), Some("2"));
    assert!(notes[0].1.contains("frus1935v01#pg_563"));

    let d2 = doc(&r, "d2");
    assert_eq!(d2.first_page.as_deref(), Some("4"));
    let h = d2.paper.heading.as_ref().unwrap();
    assert_eq!(h.senders[0].text, "Straus");
    assert_eq!(h.senders[0].office.as_deref(), Some("Ambassador in France"));
    assert_eq!(h.addressees[0].text, "Secretary of State");
    let dl = d2.paper.dateline.as_ref().unwrap();
    assert_eq!(dl.received.as_deref(), Some("Received March 7."));
    assert_eq!(d2.paper.number.as_deref(), Some("2570"));

    let d294 = doc(&r, "d294");
    assert_eq!(
        d294.paper.source_note.as_ref().unwrap().text,
        "124.84/75a: Telegram"
    );
    // Bracketed page numbers in the front matter do not leak into documents.
    assert!(r.documents.iter().all(|d| d.first_page.is_some()));
    // The back-of-book index and front matter are not documents; the contents tree has
    // compilations at its root.
    assert!(r.volume.contents.len() > 5);
}

fn footnotes(nodes: &[Node]) -> Vec<(Option<String>, String)> {
    fn walk(nodes: &[Node], out: &mut Vec<(Option<String>, String)>) {
        for n in nodes {
            if let Node::Note(note) = n {
                if note.kind == NoteKind::Footnote {
                    out.push((note.n.clone(), format!("{:?}", note.children)));
                }
            }
            walk(n.children(), out);
        }
    }
    let mut out = Vec::new();
    walk(nodes, &mut out);
    out
}

#[test]
fn guatemala_persons_terms_and_source_notes_in_heads() {
    let Some(corpus) = corpus() else { return };
    let r = read(&corpus.join("frus/frus1952-54Guat.xml"));
    assert_eq!(r.documents.len(), 287);
    assert_eq!(r.volume.persons.len(), 67);
    let acheson = r.volume.persons.iter().find(|p| p.id == "p_ADG1").unwrap();
    assert_eq!(acheson.name, "Acheson, Dean G.");
    assert_eq!(
        acheson.description,
        "Secretary of State January 19, 1949–January 20, 1953"
    );
    assert!(r.volume.terms.iter().any(|t| t.id == "t_CIA1"));
    assert_eq!(r.volume.editors.len(), 2);
    assert_eq!(r.volume.editors[0].name, "Susan Holly");

    let d5 = doc(&r, "d5");
    let sn = d5.paper.source_note.as_ref().unwrap();
    assert!(sn
        .text
        .starts_with("Source: Central Intelligence Agency, Job 79–01025A"));
    let h = d5.paper.heading.as_ref().unwrap();
    assert!(h
        .text
        .starts_with("5. Telegram From the Central Intelligence Agency"));
    assert!(
        !h.text.contains("Source:"),
        "the source note is not part of the heading"
    );
    assert_eq!(h.senders[0].text, "Central Intelligence Agency");
    assert_eq!(h.addressees[0].text, "CIA Station");
    assert_eq!(d5.dates.min.as_deref(), Some("1952-01-26T19:38:00"));
    let with_source = r
        .documents
        .iter()
        .filter(|d| d.paper.source_note.is_some())
        .count();
    assert_eq!(with_source, 273);
}

#[test]
fn nicaragua_enclosures_and_bracketed_pages() {
    let Some(corpus) = corpus() else { return };
    let r = read(&corpus.join("frus/frus1894Nicaragua.xml"));
    assert_eq!(r.documents.len(), 138);
    let d2 = doc(&r, "d2");
    assert_eq!(d2.dates.min.as_deref(), Some("1894-02-01T00:00:00-05:00"));
    let atts = d2.paper.attachments();
    assert_eq!(atts.len(), 1);
    let a = atts[0];
    assert_eq!(a.label.as_deref(), Some("[Inclosure in No. 2.]"));
    let h = a.heading.as_ref().unwrap();
    assert_eq!(h.senders[0].text, "Herbert");
    assert_eq!(h.addressees[0].text, "Gresham");
    assert_eq!(
        a.signed,
        vec!["H. A. Herbert, Secretary of the Navy.".to_string()]
    );
    assert_eq!(
        a.dateline.as_ref().unwrap().place.as_deref(),
        Some("Navy Department, Washington")
    );
    assert_eq!(d2.pages(), vec!["9", "10"]);
}

#[test]
fn frus_history_documents_without_volume_ids() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join("frus-history/documents/1957-03-21-kennan-to-leopold.xml");
    let r = read(&path);
    assert_eq!(r.volume.id, "1957-03-21-kennan-to-leopold");
    assert_eq!(
        r.volume.titles.complete.as_deref(),
        Some("Correspondence Between Richard Leopold and George Kennan, February-March 1957")
    );
    let d = doc(&r, "leopold-to-kennan");
    let h = d.paper.heading.as_ref().unwrap();
    assert_eq!(h.senders[0].text, "Richard W. Leopold");
    assert_eq!(h.addressees[0].text, "George F. Kennan");
    assert_eq!(d.paper.dateline.as_ref().unwrap().text, "3 February 1957");
}

#[test]
fn document_spans_are_the_published_divs() {
    let Some(corpus) = corpus() else { return };
    let bytes = std::fs::read(corpus.join("frus/frus1936v03.xml")).unwrap();
    let span = chancery_tei::document_span(&bytes, "d2").unwrap();
    let tei = std::str::from_utf8(&bytes[span]).unwrap();
    assert!(
        tei.starts_with("<div type=\"document\" xml:id=\"d2\" n=\"2\">"),
        "{tei}"
    );
    assert!(tei.ends_with("</div>"));
    assert!(tei.contains("711.90H/48"));
    assert!(!tei.contains("xml:id=\"d3\""));
    assert!(chancery_tei::document_span(&bytes, "d9999").is_none());
    // Without xml:id, by position.
    let path = corpus.join("frus-history/documents/1958-11-03-noble-to-osborne.xml");
    let bytes = std::fs::read(path).unwrap();
    let span = chancery_tei::document_span(&bytes, "d1").unwrap();
    assert!(bytes[span].starts_with(b"<div type=\"document\">"));
}
