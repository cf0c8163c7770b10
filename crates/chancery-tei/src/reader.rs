//! The event loop: TEI structure on a stack of frames, document content built as node trees.

use chancery_model::{
    plain, Block, BlockKind, DateNode, Document, Editor, Inline, InlineKind, Mention, MentionKind,
    Node, Note, NoteKind, Other, PageBreak, Ref, Role, TocEntry, Volume,
};
use quick_xml::events::{BytesStart, Event};

use chancery_model::line_col;

use crate::{extract, Reading, Report, TeiError, Warning, MAX_DEPTH};

/// How an element met inside captured content becomes a node.
enum Make {
    Block(BlockKind, Option<String>),
    Inline(InlineKind, Option<String>),
    Note(Note),
    Ref(String),
    Mention(Mention),
    Date(DateNode),
    Attachment,
    Other(String),
}

/// Why a region of the header or front matter is captured.
enum Purpose {
    /// A `title type=…` in the title statement.
    Title(String),
    /// An `editor` with its role.
    Editor(Option<String>),
    /// The publication date.
    Published(Option<String>),
    /// The `head` of a compilation or chapter.
    DivHead,
    /// The persons list.
    Persons,
    /// The terms list.
    Terms,
}

/// A document being read.
struct DocFrame {
    id: String,
    n: Option<String>,
    subtype: Option<String>,
    date_min: Option<String>,
    date_max: Option<String>,
    first_page: Option<String>,
    seen_text: bool,
    children: Vec<Node>,
}

/// A compilation, chapter or other division of the volume.
struct DivFrame {
    id: Option<String>,
    kind: Option<String>,
    head: String,
    entries: Vec<TocEntry>,
}

enum Frame {
    /// Structure we walk through without keeping (TEI, text, body, front …).
    Pass {
        header: bool,
    },
    Div(DivFrame),
    Document(DocFrame),
    Capture(Purpose, Vec<Node>),
    Element(Make, Vec<Node>),
}

impl Frame {
    fn children_mut(&mut self) -> Option<&mut Vec<Node>> {
        match self {
            Frame::Document(d) => Some(&mut d.children),
            Frame::Capture(_, c) | Frame::Element(_, c) => Some(c),
            Frame::Pass { .. } | Frame::Div(_) => None,
        }
    }

    /// Whether whitespace-only text directly inside this frame is insignificant.
    fn element_only(&self) -> bool {
        match self {
            Frame::Document(_) | Frame::Capture(..) => true,
            Frame::Element(make, _) => matches!(
                make,
                Make::Attachment
                    | Make::Block(
                        BlockKind::List
                            | BlockKind::Table
                            | BlockKind::Row
                            | BlockKind::Division
                            | BlockKind::Opener
                            | BlockKind::Figure,
                        _
                    )
            ),
            _ => true,
        }
    }
}

struct State<'a> {
    src: &'a str,
    volume: Volume,
    documents: Vec<Document>,
    report: Report,
    page: Option<String>,
    stack: Vec<Frame>,
    root_entries: Vec<TocEntry>,
    seen_text_element: bool,
}

pub(crate) fn read(bytes: &[u8], name: &str) -> Result<Reading, TeiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TeiError::Empty);
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_col(bytes, pos);
        return Err(TeiError::NotText {
            line,
            column,
            detail: "a NUL byte: this looks like a binary file".into(),
        });
    }
    let src = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        TeiError::NotText {
            line,
            column,
            detail: format!("invalid byte 0x{:02X}", bytes[e.valid_up_to()]),
        }
    })?;
    let mut state = State {
        src,
        volume: Volume {
            id: name.to_string(),
            ..Volume::default()
        },
        documents: Vec::new(),
        report: Report::default(),
        page: None,
        stack: Vec::new(),
        root_entries: Vec::new(),
        seen_text_element: false,
    };
    state.run()?;
    if !state.seen_text_element {
        return Err(TeiError::NoText);
    }
    state.volume.contents = std::mem::take(&mut state.root_entries);
    Ok(Reading {
        volume: state.volume,
        documents: state.documents,
        report: state.report,
    })
}

fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(p) => &name[p + 1..],
        None => name,
    }
}

/// The attributes of a start tag, unescaped, by full name.
struct Attrs(Vec<(String, String)>);

impl Attrs {
    fn of(e: &BytesStart) -> Result<Attrs, String> {
        let mut v = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| err.to_string())?;
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| err.to_string())?;
            v.push((key, value.into_owned()));
        }
        Ok(Attrs(v))
    }

    /// The value of the attribute whose full or local name is `name`.
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name || k.rsplit(':').next() == Some(name))
            .map(|(_, v)| v.clone())
    }

    fn id(&self) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == "xml:id")
            .map(|(_, v)| v.clone())
    }

    fn rend(&self) -> Option<String> {
        self.get("rend").or_else(|| self.get("rendition"))
    }
}

impl<'a> State<'a> {
    fn run(&mut self) -> Result<(), TeiError> {
        let mut xml = quick_xml::Reader::from_str(self.src);
        xml.config_mut().check_end_names = true;
        let mut saw_root = false;
        loop {
            let pos = xml.buffer_position() as usize;
            let event = match xml.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    let (line, column) = self.at(xml.error_position() as usize);
                    return Err(TeiError::Xml {
                        line,
                        column,
                        message: e.to_string(),
                    });
                }
            };
            match event {
                Event::Start(e) | Event::Empty(e) if !saw_root => {
                    saw_root = true;
                    if local(e.name().as_ref()) != "TEI" {
                        let (line, column) = self.at(pos);
                        return Err(TeiError::NotTei {
                            line,
                            column,
                            found: e.name().as_ref().to_string(),
                        });
                    }
                    let attrs = self.attrs(&e, pos)?;
                    if let Some(id) = attrs.id() {
                        self.volume.id = id;
                    }
                    self.stack.push(Frame::Pass { header: false });
                }
                Event::Start(e) => {
                    if self.stack.len() >= MAX_DEPTH {
                        let (line, column) = self.at(pos);
                        return Err(TeiError::TooDeep { line, column });
                    }
                    self.start(&e, pos, false)?;
                }
                Event::Empty(e) => self.start(&e, pos, true)?,
                Event::End(_) => self.end(pos),
                Event::Text(t) => {
                    let text = t.xml10_content();
                    self.text(&text);
                }
                Event::CData(t) => {
                    let text = t.xml10_content().into_owned();
                    self.text(&text);
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let name = r.xml10_content().into_owned();
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(s) => s.to_string(),
                                None => {
                                    let (line, column) = self.at(pos);
                                    return Err(TeiError::UndefinedEntity { line, column, name });
                                }
                            }
                        }
                        Err(e) => {
                            let (line, column) = self.at(pos);
                            return Err(TeiError::Xml {
                                line,
                                column,
                                message: e.to_string(),
                            });
                        }
                    };
                    self.text(&resolved);
                }
                Event::DocType(_) => {
                    let (line, column) = self.at(pos);
                    self.report.warnings.push(Warning {
                        line,
                        column,
                        message: "DOCTYPE ignored: DTDs and their entities are not expanded".into(),
                    });
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
        if !saw_root {
            return Err(TeiError::NotTei {
                line: 1,
                column: 1,
                found: "(none)".into(),
            });
        }
        if !self.stack.is_empty() {
            let (line, column) = self.at(self.src.len());
            return Err(TeiError::Xml {
                line,
                column,
                message: "unexpected end of file: elements left open (truncated file?)".into(),
            });
        }
        Ok(())
    }

    fn at(&self, pos: usize) -> (usize, usize) {
        line_col(self.src.as_bytes(), pos)
    }

    fn attrs(&self, e: &BytesStart, pos: usize) -> Result<Attrs, TeiError> {
        Attrs::of(e).map_err(|message| {
            let (line, column) = self.at(pos);
            TeiError::Xml {
                line,
                column,
                message,
            }
        })
    }

    fn warn(&mut self, pos: usize, message: String) {
        let (line, column) = self.at(pos);
        self.report.warnings.push(Warning {
            line,
            column,
            message,
        });
    }

    fn in_capture(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Document(_) | Frame::Capture(..) | Frame::Element(..))
        )
    }

    fn start(&mut self, e: &BytesStart, pos: usize, empty: bool) -> Result<(), TeiError> {
        let qname = e.name();
        let name = local(qname.as_ref());
        let attrs = self.attrs(e, pos)?;

        if name == "pb" {
            let n = attrs.get("n").unwrap_or_default();
            self.page = Some(n.clone());
            if let Some(Frame::Document(d)) = self.stack.last_mut() {
                if !d.seen_text {
                    d.first_page = Some(n.clone());
                }
            }
            if self.in_capture() {
                let pb = Node::PageBreak(PageBreak {
                    n,
                    id: attrs.id(),
                    facs: attrs.get("facs"),
                });
                self.push_node(pb);
            }
            if !empty {
                self.stack.push(Frame::Pass { header: false });
            }
            return Ok(());
        }

        let frame = if self.in_capture() {
            if name == "lb" {
                self.push_node(Node::LineBreak);
                if !empty {
                    self.stack.push(Frame::Pass { header: false });
                }
                return Ok(());
            }
            let full = qname.as_ref().to_string();
            Frame::Element(self.make(name, &full, &attrs), Vec::new())
        } else {
            self.structural(name, &attrs, pos)
        };
        if empty {
            self.stack.push(frame);
            self.end(pos);
        } else {
            self.stack.push(frame);
        }
        Ok(())
    }

    /// Decides what a start tag outside captured content means.
    fn structural(&mut self, name: &str, attrs: &Attrs, pos: usize) -> Frame {
        let header = matches!(self.stack.last(), Some(Frame::Pass { header: true }));
        match name {
            "teiHeader" => Frame::Pass { header: true },
            "text" => {
                self.seen_text_element = true;
                Frame::Pass { header: false }
            }
            "title" if header => Frame::Capture(
                Purpose::Title(attrs.get("type").unwrap_or_else(|| "complete".into())),
                Vec::new(),
            ),
            "editor" if header => Frame::Capture(Purpose::Editor(attrs.get("role")), Vec::new()),
            "date" if header => Frame::Capture(
                Purpose::Published(attrs.get("when").or_else(|| attrs.get("type"))),
                Vec::new(),
            ),
            "div" if attrs.get("type").as_deref() == Some("document") => {
                let id = attrs.id().unwrap_or_else(|| {
                    let id = format!("d{}", self.documents.len() + 1);
                    self.warn(pos, format!("document without xml:id: called it {id}"));
                    id
                });
                Frame::Document(DocFrame {
                    id,
                    n: attrs.get("n"),
                    subtype: attrs.get("subtype"),
                    date_min: attrs.get("doc-dateTime-min"),
                    date_max: attrs.get("doc-dateTime-max"),
                    first_page: self.page.clone(),
                    seen_text: false,
                    children: Vec::new(),
                })
            }
            "div" => match attrs.id().as_deref() {
                Some("persons") => Frame::Capture(Purpose::Persons, Vec::new()),
                Some("terms") => Frame::Capture(Purpose::Terms, Vec::new()),
                _ => Frame::Div(DivFrame {
                    id: attrs.id(),
                    kind: attrs.get("type"),
                    head: String::new(),
                    entries: Vec::new(),
                }),
            },
            "head" if matches!(self.stack.last(), Some(Frame::Div(_))) => {
                Frame::Capture(Purpose::DivHead, Vec::new())
            }
            _ => Frame::Pass { header },
        }
    }

    /// Decides which node an element inside captured content becomes.
    fn make(&mut self, name: &str, full: &str, attrs: &Attrs) -> Make {
        let role = match attrs.get("type").as_deref() {
            Some("from") => Some(Role::From),
            Some("to") => Some(Role::To),
            _ => None,
        };
        let mention = |kind: MentionKind, target: Option<String>| {
            Make::Mention(Mention {
                kind,
                role,
                target,
                id: attrs.id(),
                children: Vec::new(),
            })
        };
        let rend = attrs.rend();
        let list_rend = attrs.get("type").or_else(|| rend.clone());
        let cell_rend = attrs.get("role").or_else(|| rend.clone());
        match name {
            "p" => Make::Block(BlockKind::Paragraph, rend.clone()),
            "head" => Make::Block(BlockKind::Head, rend.clone()),
            "opener" => Make::Block(BlockKind::Opener, rend.clone()),
            "closer" => Make::Block(BlockKind::Closer, rend.clone()),
            "dateline" => Make::Block(BlockKind::Dateline, rend.clone()),
            "salute" => Make::Block(BlockKind::Salutation, rend.clone()),
            "signed" => Make::Block(BlockKind::Signed, rend.clone()),
            "postscript" => Make::Block(BlockKind::Postscript, rend.clone()),
            "quote" => Make::Block(BlockKind::Quote, rend.clone()),
            "list" => Make::Block(BlockKind::List, list_rend.clone()),
            "item" => Make::Block(BlockKind::Item, rend.clone()),
            "label" => Make::Block(BlockKind::Label, rend.clone()),
            "table" => Make::Block(BlockKind::Table, rend.clone()),
            "row" => Make::Block(BlockKind::Row, rend.clone()),
            "cell" => Make::Block(BlockKind::Cell, cell_rend.clone()),
            "div" => Make::Block(BlockKind::Division, rend.clone()),
            "figure" => Make::Block(BlockKind::Figure, rend.clone()),
            "hi" => Make::Inline(InlineKind::Emphasis, rend.clone()),
            "seg" => Make::Inline(InlineKind::Segment, rend.clone()),
            "foreign" => Make::Inline(InlineKind::Foreign, rend.clone()),
            "gap" => Make::Inline(InlineKind::Gap, rend.clone()),
            "note" => Make::Note(Note {
                kind: match attrs.get("type").as_deref() {
                    None => NoteKind::Footnote,
                    Some("source") => NoteKind::Source,
                    Some(other) => NoteKind::Other(other.to_string()),
                },
                n: attrs.get("n"),
                id: attrs.id(),
                rend: attrs.rend(),
                children: Vec::new(),
            }),
            "ref" | "ptr" => Make::Ref(attrs.get("target").unwrap_or_default()),
            "persName" => mention(MentionKind::Person, attrs.get("corresp")),
            "gloss" => mention(
                MentionKind::Gloss,
                attrs.get("target").or_else(|| attrs.get("corresp")),
            ),
            "term" => mention(
                MentionKind::Term,
                attrs.get("target").or_else(|| attrs.get("corresp")),
            ),
            "placeName" => mention(MentionKind::Place, attrs.get("corresp")),
            "orgName" => mention(MentionKind::Organization, attrs.get("corresp")),
            "date" => Make::Date(DateNode {
                when: attrs.get("when"),
                from: attrs.get("from"),
                to: attrs.get("to"),
                not_before: attrs.get("notBefore"),
                not_after: attrs.get("notAfter"),
                children: Vec::new(),
            }),
            "attachment" => Make::Attachment,
            _ => {
                *self.report.unmodeled.entry(full.to_string()).or_default() += 1;
                Make::Other(full.to_string())
            }
        }
    }

    fn text(&mut self, text: &str) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        let blank = text
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if blank && frame.element_only() {
            return;
        }
        if !blank {
            if let Some(Frame::Document(d)) = self
                .stack
                .iter_mut()
                .rev()
                .find(|f| matches!(f, Frame::Document(_)))
            {
                d.seen_text = true;
            }
        }
        let Some(children) = self.stack.last_mut().and_then(Frame::children_mut) else {
            return;
        };
        push_text(children, text);
    }

    fn push_node(&mut self, node: Node) {
        if let Some(children) = self.stack.last_mut().and_then(Frame::children_mut) {
            children.push(node);
        }
    }

    fn end(&mut self, pos: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Pass { .. } => {}
            Frame::Element(make, children) => {
                let node = build(make, children);
                self.push_node(node);
            }
            Frame::Capture(purpose, children) => self.captured(purpose, children),
            Frame::Div(div) => {
                let entry = TocEntry::Division {
                    id: div.id,
                    kind: div.kind,
                    head: div.head,
                    entries: div.entries,
                };
                self.push_entry(entry);
            }
            Frame::Document(d) => self.document(d, pos),
        }
    }

    fn push_entry(&mut self, entry: TocEntry) {
        match self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Div(d) => Some(d),
            _ => None,
        }) {
            Some(div) => div.entries.push(entry),
            None => self.root_entries.push(entry),
        }
    }

    fn captured(&mut self, purpose: Purpose, children: Vec<Node>) {
        match purpose {
            Purpose::Title(kind) => {
                let text = Some(plain(&children)).filter(|t| !t.is_empty());
                let t = &mut self.volume.titles;
                match kind.as_str() {
                    "complete" => t.complete = text,
                    "series" => t.series = text,
                    "subseries" => t.subseries = text,
                    "volumenumber" => t.volume_number = text,
                    "volume" => t.volume = text,
                    "short" => t.short = text,
                    _ => {}
                }
            }
            Purpose::Editor(role) => {
                let name = plain(&children);
                if !name.is_empty() {
                    self.volume.editors.push(Editor { name, role });
                }
            }
            Purpose::Published(when) => {
                if self.volume.published.is_none() {
                    let text = plain(&children);
                    let year = when
                        .filter(|w| w.len() >= 4 && w[..4].bytes().all(|b| b.is_ascii_digit()))
                        .map(|w| w[..4].to_string())
                        .or_else(|| Some(text).filter(|t| !t.is_empty()));
                    self.volume.published = year;
                }
            }
            Purpose::DivHead => {
                let head = extract::head_text(&children);
                if let Some(Frame::Div(div)) = self.stack.last_mut() {
                    if div.head.is_empty() {
                        div.head = head;
                    }
                }
            }
            Purpose::Persons => self.volume.persons.extend(extract::entries(&children)),
            Purpose::Terms => self.volume.terms.extend(extract::entries(&children)),
        }
    }

    fn document(&mut self, d: DocFrame, pos: usize) {
        let paper = extract::paper(d.children);
        let chapter = self
            .stack
            .iter()
            .filter_map(|f| match f {
                Frame::Div(div) => Some(chancery_model::Crumb {
                    id: div.id.clone(),
                    head: div.head.clone(),
                }),
                _ => None,
            })
            .filter(|c| !c.head.is_empty() || c.id.is_some())
            .collect();
        if self.documents.iter().any(|doc| doc.id == d.id) {
            self.warn(pos, format!("duplicate document id {}", d.id));
        }
        let doc = extract::document(
            &self.volume.id,
            d.id,
            d.n,
            d.subtype,
            (d.date_min, d.date_max),
            d.first_page,
            chapter,
            paper,
        );
        let entry = TocEntry::Document {
            id: doc.id.clone(),
            n: doc.n.clone(),
            head: doc
                .paper
                .heading
                .as_ref()
                .map(|h| h.text.clone())
                .unwrap_or_default(),
            date: doc.dates.min.clone(),
        };
        self.push_entry(entry);
        self.documents.push(doc);
    }
}

fn build(make: Make, children: Vec<Node>) -> Node {
    match make {
        Make::Block(kind, rend) => Node::Block(Block {
            kind,
            rend,
            children,
        }),
        Make::Inline(kind, rend) => Node::Inline(Inline {
            kind,
            rend,
            children,
        }),
        Make::Note(mut note) => {
            note.children = children;
            Node::Note(note)
        }
        Make::Ref(target) => Node::Ref(Ref { target, children }),
        Make::Mention(mut m) => {
            m.children = children;
            Node::Mention(m)
        }
        Make::Date(mut d) => {
            d.children = children;
            Node::Date(d)
        }
        Make::Attachment => Node::Attachment(Box::new(extract::paper(children))),
        Make::Other(name) => Node::Other(Other { name, children }),
    }
}

/// Appends text to `children`, merging with a preceding text node and collapsing whitespace.
fn push_text(children: &mut Vec<Node>, text: &str) {
    if let Some(Node::Text { text: last }) = children.last_mut() {
        collapse_into(last, text);
        return;
    }
    let mut s = String::with_capacity(text.len());
    collapse_into(&mut s, text);
    if !s.is_empty() {
        children.push(Node::Text { text: s });
    }
}

/// Appends `text` with each run of XML whitespace (space, tab, CR, LF) made one space.
/// Other spaces (no-break, em, thin …) are typography and are kept as they are.
fn collapse_into(out: &mut String, text: &str) {
    let needs_work = (text.starts_with(' ') && out.ends_with(' '))
        || text.contains("  ")
        || text.bytes().any(|b| matches!(b, b'\t' | b'\r' | b'\n'));
    if !needs_work {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
            let run_start = i;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                i += 1;
            }
            out.push_str(&text[start..run_start]);
            if !out.ends_with(' ') {
                out.push(' ');
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[start..]);
}
