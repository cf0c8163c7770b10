//! Writes a document in the plain-text form: source note, heading, opener, paragraphs with
//! `[Page N]` markers, closer, enclosures, footnote markers and the trailing notes list.

use chancery_model::{BlockKind, Document, Node, Note, NoteKind, Paper};

use crate::{inline, reader, scan};

/// What a chunk of output is, for the separator after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Signed,
}

#[derive(Default)]
struct Writer<'d> {
    chunks: Vec<(Kind, String)>,
    buf: String,
    /// Drop the leading space of the next text (after an inline page marker).
    skip_space: bool,
    /// A marker was just written at this byte of `buf`: keep it apart from a word that follows.
    after_marker: Option<usize>,
    notes: Vec<&'d Note>,
    /// Write every numeric marker in superscript digits.
    superscript: bool,
    /// Plain digits would not read back as this document's markers.
    ambiguous: bool,
    /// Markers written in plain digits.
    plain_markers: usize,
    /// A list label was just written: its item goes on the same line.
    label_pending: bool,
}

pub(crate) fn write(doc: &Document) -> String {
    let plain = Writer::document(doc, false);
    if plain.ambiguous || plain.false_markers() {
        Writer::document(doc, true).finish()
    } else {
        plain.finish()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'d> Writer<'d> {
    /// Writes the document's chunks and notes; `superscript` puts every marker in superscript
    /// digits (`¹⁸`).
    fn document(doc: &'d Document, superscript: bool) -> Writer<'d> {
        let mut w = Writer {
            superscript,
            ..Writer::default()
        };
        let p = &doc.paper;
        if let Some(sn) = &p.source_note {
            w.chunks.push((Kind::Text, one_line(&sn.text)));
        }
        if let Some(fp) = &doc.first_page {
            if reader::infer_first_page(&p.content).as_ref() != Some(fp) {
                w.chunks.push((Kind::Text, format!("[Page {fp}]")));
            }
        }
        w.paper(p, true);
        w.flush(Kind::Text);
        w
    }

    /// Whether the text holds numbers a reader would take for markers besides the markers
    /// written in plain digits.
    fn false_markers(&self) -> bool {
        let mut cands = Vec::new();
        for (i, (_, chunk)) in self.chunks.iter().enumerate() {
            for line in chunk.split('\n') {
                if scan::page_line(line).is_none() && !(i == 0 && scan::source_note(line).is_some())
                {
                    inline::candidates(line, i, &mut cands, false);
                }
            }
        }
        cands.iter().filter(|c| c.strong && !c.split).count() != self.plain_markers
    }

    fn paper(&mut self, p: &'d Paper, top: bool) {
        let has_head = p
            .content
            .iter()
            .any(|n| matches!(n, Node::Block(b) if b.kind == BlockKind::Head));
        if !top && p.label.is_none() {
            self.chunks.push((Kind::Text, scan::UNLABELED.to_string()));
        }
        if let (Some(h), false) = (&p.heading, has_head) {
            self.chunks.push((Kind::Text, one_line(&h.text)));
        }
        self.walk(&p.content, None, top);
        self.flush(Kind::Text);
    }

    fn walk(&mut self, nodes: &'d [Node], parent: Option<BlockKind>, top: bool) {
        for node in nodes {
            match node {
                Node::Text { text } => self.text(text),
                Node::LineBreak => {
                    if parent == Some(BlockKind::Head) {
                        self.text(" ");
                    } else if !self.buf.trim().is_empty() {
                        self.buf.truncate(self.buf.trim_end().len());
                        self.buf.push('\n');
                    }
                }
                Node::PageBreak(pb) => self.page(&pb.n),
                Node::Note(note) if note.kind == NoteKind::Source && top => {}
                Node::Note(note) => self.marker(note),
                Node::Attachment(paper) => {
                    self.flush(Kind::Text);
                    self.paper(paper, false);
                }
                Node::Block(b) => match b.kind {
                    BlockKind::Label if parent == Some(BlockKind::List) => {
                        // `4. Advise.`: the label opens its item's line.
                        self.flush(Kind::Text);
                        self.walk(&b.children, Some(b.kind), top);
                        self.text(" ");
                        self.label_pending = true;
                    }
                    BlockKind::Cell => {
                        self.walk(&b.children, Some(b.kind), top);
                        self.text(" ");
                    }
                    kind => {
                        if !std::mem::take(&mut self.label_pending) {
                            self.flush(Kind::Text);
                        }
                        self.walk(&b.children, Some(kind), top);
                        let k = if kind == BlockKind::Signed {
                            Kind::Signed
                        } else {
                            Kind::Text
                        };
                        self.flush(k);
                    }
                },
                Node::Inline(_)
                | Node::Ref(_)
                | Node::Mention(_)
                | Node::Date(_)
                | Node::Other(_) => self.walk(node.children(), parent, top),
            }
        }
    }

    fn text(&mut self, text: &str) {
        let mut t = text;
        if self.skip_space {
            t = t.trim_start_matches(' ');
            if !t.is_empty() {
                self.skip_space = false;
            }
        }
        if self.buf.is_empty() {
            t = t.trim_start();
        }
        if let Some(at) = self.after_marker.take() {
            if t.starts_with(char::is_alphanumeric) {
                // `1954,²Stephen`: only a superscript marker may touch the next word.
                match inline::superscript(&self.buf[at..]).filter(|_| self.superscript) {
                    Some(sup) => {
                        self.buf.truncate(at);
                        self.buf.push_str(&sup);
                    }
                    None => {
                        self.ambiguous = true;
                        self.buf.push(' ');
                    }
                }
            }
        }
        // Runs of whitespace (and stray newlines) become one space: one line per paragraph.
        let mut space = self.buf.ends_with([' ', '\n']);
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !space {
                    self.buf.push(' ');
                    space = true;
                }
            } else {
                self.buf.push(c);
                space = false;
            }
        }
    }

    fn page(&mut self, n: &str) {
        if self.buf.trim().is_empty() {
            self.flush(Kind::Text);
            self.chunks.push((Kind::Text, format!("[Page {n}]")));
        } else if self.buf.ends_with(' ') {
            self.buf.push_str(&format!("[Page {n}] "));
            self.skip_space = true;
        } else {
            self.buf.push_str(&format!("[Page {n}]"));
        }
    }

    fn marker(&mut self, note: &'d Note) {
        self.notes.push(note);
        let k = self.notes.len().to_string();
        let mark = note
            .n
            .as_deref()
            .filter(|m| !m.is_empty() && !m.contains(char::is_whitespace))
            .unwrap_or(&k)
            .to_string();
        let sup = inline::superscript(&mark);
        if self.buf.trim().is_empty() {
            if let Some(sup) = sup.filter(|_| self.superscript) {
                // A note at the start of a block: its marker opens the block.
                self.buf.clear();
                self.buf.push_str(&sup);
                return;
            }
            // Nothing to glue to in this block: the marker follows the previous line.
            self.ambiguous = true;
            if let Some((_, last)) = self.chunks.last_mut() {
                last.push_str(&mark);
            }
            return;
        }
        let trail = self.buf.len() - self.buf.trim_end_matches(' ').len();
        self.buf.truncate(self.buf.len() - trail);
        let at = self.buf.len();
        match sup {
            Some(sup) if self.superscript => self.buf.push_str(&sup),
            _ => {
                // Plain digits only where they read back as a marker (`Denikin16`).
                if sup.is_some() && !inline::reads_as_marker(&self.buf, &mark) {
                    self.ambiguous = true;
                }
                self.plain_markers += 1;
                self.buf.push_str(&mark);
            }
        }
        if trail > 0 {
            self.buf.push(' ');
            self.skip_space = true;
        } else {
            self.after_marker = Some(at);
        }
    }

    fn flush(&mut self, kind: Kind) {
        self.skip_space = false;
        self.after_marker = None;
        let text: Vec<&str> = self
            .buf
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !text.is_empty() {
            self.chunks.push((kind, text.join("\n")));
        }
        self.buf.clear();
    }

    fn finish(mut self) -> String {
        self.flush(Kind::Text);
        let mut out = String::new();
        for (i, (_, text)) in self.chunks.iter().enumerate() {
            if i > 0 {
                // A signature runs straight into the label of the enclosure after it.
                let tight = self.chunks[i - 1].0 == Kind::Signed
                    && (scan::label(text) || scan::unlabeled(text));
                out.push_str(if tight { "\n" } else { "\n\n" });
            }
            out.push_str(text);
        }
        let notes = std::mem::take(&mut self.notes);
        if !notes.is_empty() {
            out.push_str("\n\n");
            for (k, note) in notes.iter().enumerate() {
                let mut w = Writer::default();
                w.walk(&note.children, None, false);
                w.flush(Kind::Text);
                let paras: Vec<String> = w.chunks.iter().map(|(_, t)| one_line(t)).collect();
                let mut item = format!("  {}.", k + 1);
                for (j, p) in paras.iter().enumerate() {
                    item.push_str(if j == 0 { " " } else { "\n     " });
                    item.push_str(p);
                }
                out.push_str(&item);
                out.push('\n');
            }
        } else {
            out.push('\n');
        }
        out
    }
}
