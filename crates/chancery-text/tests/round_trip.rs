//! Round trip over the shared FRUS corpus: every TEI document written as text and read back
//! must keep its source note, file numbers, heading, senders, addressees, number, dateline,
//! salutation, signatures, enclosures, the page of every paragraph, every footnote with its
//! anchor and text, and its plain text.

use std::collections::{BTreeMap, HashMap};

use chancery_model::{plain_line, BlockKind, Document, Name, Node, NoteKind, Paper};
use chancery_testdata::{corpus, xml_files};

/// Whitespace runs as single spaces, trimmed.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every paper of a document, enclosures (nested ones too) after it.
fn papers(p: &Paper) -> Vec<&Paper> {
    let mut out = vec![p];
    for a in p.attachments() {
        out.extend(papers(a));
    }
    out
}

fn names(ns: &[Name]) -> String {
    ns.iter()
        .map(|n| format!("{}|{}", n.text, n.office.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the walk over a document collects: paragraphs with their pages, footnotes with their
/// anchors, and the plain text.
#[derive(Default)]
struct Walk {
    page: String,
    unit: String,
    unit_page: String,
    units: Vec<String>,
    notes: Vec<String>,
    text: String,
    /// A list label was just read: its item continues the unit.
    label: bool,
}

impl Walk {
    fn of(doc: &Document) -> Walk {
        let mut w = Walk {
            page: doc.first_page.clone().unwrap_or_default(),
            ..Walk::default()
        };
        w.nodes(&doc.paper.content);
        w.flush();
        w
    }

    fn flush(&mut self) {
        let u = norm(&self.unit);
        if !u.is_empty()
            && !u
                .chars()
                .all(|c| c == '⟨' || c == '⟩' || c.is_ascii_digit())
        {
            self.units.push(format!("p{} {u}", self.unit_page));
        }
        self.unit.clear();
    }

    fn push(&mut self, s: &str) {
        if self.unit.trim().is_empty() {
            self.unit_page = self.page.clone();
        }
        self.unit.push_str(s);
        self.text.push_str(s);
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            match n {
                Node::Text { text } => self.push(text),
                Node::LineBreak => self.push(" "),
                Node::PageBreak(pb) => {
                    self.page = pb.n.clone();
                    if !self.unit.trim().is_empty() {
                        self.unit.push_str(&format!(" ⟨{}⟩ ", pb.n));
                    }
                }
                Node::Note(note) if note.kind == NoteKind::Source => {}
                Node::Note(note) => {
                    let anchor: String = norm(&self.unit)
                        .chars()
                        .rev()
                        .take(30)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let text = norm(&plain_line(&note.children));
                    self.notes.push(format!(
                        "{} @{anchor} = {text}",
                        note.n.as_deref().unwrap_or("")
                    ));
                }
                Node::Attachment(p) => {
                    self.flush();
                    self.text.push(' ');
                    self.nodes(&p.content);
                    self.flush();
                }
                // A table row is one line of text, and one unit: its cells are not paragraphs;
                // a list label (`4.`) opens its item's line and unit.
                Node::Block(b) if b.kind == BlockKind::Cell => {
                    self.push(" ");
                    self.nodes(&b.children);
                    self.push(" ");
                }
                Node::Block(b) if b.kind == BlockKind::List => {
                    self.flush();
                    self.text.push(' ');
                    for item in &b.children {
                        match item {
                            Node::Block(l) if l.kind == BlockKind::Label => {
                                self.flush();
                                self.push(" ");
                                self.nodes(&l.children);
                                self.push(" ");
                                self.label = true;
                            }
                            Node::Block(i) if std::mem::take(&mut self.label) => {
                                self.nodes(&i.children);
                                self.push(" ");
                                self.flush();
                            }
                            other => self.nodes(std::slice::from_ref(other)),
                        }
                    }
                    self.text.push(' ');
                    self.flush();
                }
                Node::Block(b) => {
                    self.flush();
                    self.text.push(' ');
                    self.nodes(&b.children);
                    self.text.push(' ');
                    self.flush();
                }
                other => self.nodes(other.children()),
            }
        }
    }
}

/// The compared fields of one document, by name; list fields are compared item by item.
fn fields(doc: &Document) -> BTreeMap<&'static str, Vec<String>> {
    let p = &doc.paper;
    let mut f: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let one = |v: Option<String>| v.into_iter().map(|s| norm(&s)).collect::<Vec<_>>();
    let sn = p.source_note.as_ref();
    f.insert("source note", one(sn.map(|s| s.text.clone())));
    f.insert(
        "file numbers",
        one(sn
            .and_then(|s| chancery_text::parse_source_note(&norm(&s.text)))
            .map(|s| {
                s.file_numbers
                    .iter()
                    .map(|n| format!("{} / {:?}", n.key, n.item))
                    .collect::<Vec<_>>()
                    .join(", ")
            })),
    );
    let h = p.heading.as_ref();
    f.insert("heading", one(h.map(|h| h.text.clone())));
    f.insert(
        "senders",
        one(h.map(|h| names(&h.senders)).filter(|s| !s.is_empty())),
    );
    f.insert(
        "addressees",
        one(h.map(|h| names(&h.addressees)).filter(|s| !s.is_empty())),
    );
    f.insert("number", one(p.number.clone()));
    let dl = p.dateline.as_ref();
    f.insert("dateline place", one(dl.and_then(|d| d.place.clone())));
    f.insert(
        "dateline date",
        one(dl.and_then(|d| d.date.as_ref()).map(|d| {
            format!(
                "{:?} {:?} {:?} {:?} {:?}",
                d.when, d.from, d.to, d.not_before, d.not_after
            )
        })),
    );
    f.insert(
        "dateline received",
        one(dl.and_then(|d| d.received.clone())),
    );
    f.insert("salutation", one(p.salutation.clone()));
    f.insert(
        "signature",
        one(Some(p.signed.join(" / ")).filter(|s| !s.is_empty())),
    );
    f.insert(
        "enclosures",
        papers(p)[1..]
            .iter()
            .map(|a| {
                format!(
                    "{} :: {}",
                    a.label.as_deref().unwrap_or(""),
                    a.heading.as_ref().map_or("", |h| h.text.as_str())
                )
            })
            .collect(),
    );
    let w = Walk::of(doc);
    f.insert("page of paragraph", w.units);
    f.insert("footnotes", w.notes);
    f.insert("plain text", vec![norm(&w.text)]);
    f
}

#[derive(Default)]
struct Tally {
    total: usize,
    ok: usize,
    misses: Vec<String>,
}

/// The target: at least 99% on every field.
#[test]
fn round_trip_reaches_99_percent() {
    let Some(acc) = accuracy() else { return };
    let low: Vec<String> = acc
        .iter()
        .filter(|(_, a)| **a < 99.0)
        .map(|(f, a)| format!("{f}: {a:.2}%"))
        .collect();
    assert!(low.is_empty(), "below 99%: {low:?}");
}

/// Runs the round trip over every FRUS volume of the corpus and prints per-field accuracy (in
/// percent); `ROUND_TRIP_SHOW=field` also prints that field's misses.
fn accuracy() -> Option<BTreeMap<&'static str, f64>> {
    let corpus = corpus()?;
    let files = xml_files(&corpus.join("frus"));
    assert!(!files.is_empty(), "no FRUS volumes in {}", corpus.display());
    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut docs = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let reading = chancery_tei::read(&bytes, "vol").unwrap();
        for doc in &reading.documents {
            docs += 1;
            let text = chancery_text::write(doc);
            let back = match chancery_text::read(text.as_bytes(), &doc.volume) {
                Ok(r) => r,
                Err(e) => panic!("{}: {e}\n{text}", doc.key()),
            };
            assert_eq!(back.documents.len(), 1, "{}: split\n{text}", doc.key());
            let (want, got) = (fields(doc), fields(&back.documents[0]));
            for (name, w) in &want {
                let g = &got[name];
                let t = tallies.entry(name).or_default();
                // Items compared as multisets, so one lost paragraph costs one, not all after.
                let mut pool: HashMap<&String, usize> = HashMap::new();
                for x in g {
                    *pool.entry(x).or_default() += 1;
                }
                let n = w.len().max(g.len());
                let mut ok = 0;
                for x in w {
                    if let Some(c) = pool.get_mut(x).filter(|c| **c > 0) {
                        *c -= 1;
                        ok += 1;
                    } else if *name == "plain text" {
                        let g = &g[0];
                        let at = x.chars().zip(g.chars()).take_while(|(a, b)| a == b).count();
                        let from = at.saturating_sub(60);
                        let clip = |s: &str| s.chars().skip(from).take(140).collect::<String>();
                        t.misses.push(format!(
                            "{}: want …{}\n      got …{}",
                            doc.key(),
                            clip(x),
                            clip(g)
                        ));
                    } else if t.misses.len() < 400 {
                        let near: Vec<&String> =
                            g.iter().filter(|y| !w.contains(y)).take(1).collect();
                        t.misses
                            .push(format!("{}: want {x:?}\n      got {near:?}", doc.key()));
                    }
                }
                if w.is_empty() && !g.is_empty() && t.misses.len() < 400 {
                    t.misses
                        .push(format!("{}: want nothing, got {g:?}", doc.key()));
                }
                t.total += n;
                t.ok += ok;
            }
        }
    }
    println!(
        "round trip over {docs} documents in {} volumes",
        files.len()
    );
    println!(
        "{:<20} {:>7} {:>7} {:>8}",
        "field", "ok", "total", "accuracy"
    );
    let mut out = BTreeMap::new();
    for (name, t) in &tallies {
        let acc = if t.total == 0 {
            1.0
        } else {
            t.ok as f64 / t.total as f64
        };
        println!(
            "{name:<20} {:>7} {:>7} {:>7.2}%",
            t.ok,
            t.total,
            acc * 100.0
        );
        out.insert(*name, acc * 100.0);
    }
    if let Ok(field) = std::env::var("ROUND_TRIP_SHOW") {
        for m in tallies
            .get(field.as_str())
            .map_or(&[][..], |t| &t.misses[..])
        {
            println!("  {m}");
        }
    }
    Some(out)
}
