//! The document model as HTML: blocks, emphasis, page anchors, footnotes, references,
//! mentions and enclosures. Every text is escaped here; the result is trusted by templates.

use std::collections::HashSet;
use std::fmt::Write;

use chancery_model::{
    Block, BlockKind, Inline, InlineKind, Mention, MentionKind, Node, Note, NoteKind, Paper,
};

use crate::catalog::{Catalog, VolumeInfo};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped for HTML.
pub fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A footnote for the numbered list at the end.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Footnote {
    /// The anchor of the note (`fn-d1fn2`).
    pub anchor: String,
    /// The anchor of its mark in the text (`fnref-d1fn2`).
    pub back: String,
    /// The mark as printed (`2`).
    pub label: String,
    /// The note's content as HTML.
    pub html: String,
}

/// A document rendered.
pub struct Rendered {
    /// The main heading as HTML (emphasis, mentions and note marks kept).
    pub head: Option<String>,
    /// The body as HTML.
    pub body: String,
    /// Footnotes in order.
    pub notes: Vec<Footnote>,
}

/// Renders documents of one volume with links resolved against the catalog.
pub struct Renderer<'a> {
    volume: &'a str,
    catalog: &'a Catalog,
    info: Option<&'a VolumeInfo>,
    notes: Vec<Footnote>,
    ids: HashSet<String>,
    /// Citations written as text, to link where they stand; each is linked once.
    citations: Vec<TextCitation>,
}

/// A citation written as text, with where it leads when its target is in the archive.
#[derive(Debug, Clone)]
pub struct TextCitation {
    /// The citation exactly as written.
    pub text: String,
    /// Where it leads, when its target is in the archive.
    pub href: Option<String>,
    /// What it points at (`frus1919Russia, p. 750`), for the tooltip.
    pub target: String,
    used: bool,
}

impl TextCitation {
    /// A citation to link.
    pub fn new(text: String, href: Option<String>, target: String) -> TextCitation {
        TextCitation {
            text,
            href,
            target,
            used: false,
        }
    }

    /// The forms to look for in one text node: the whole citation, else what follows a
    /// `Foreign Relations` printed apart (in italics, say).
    fn forms(&self) -> impl Iterator<Item = &str> {
        let t = self.text.trim();
        let rest = t
            .find("Foreign Relations")
            .map(|i| t[i + "Foreign Relations".len()..].trim_start_matches([',', ' ']))
            .filter(|r| r.len() >= 4);
        std::iter::once(t).chain(rest)
    }
}

impl<'a> Renderer<'a> {
    /// A renderer for documents of `volume`.
    pub fn new(volume: &'a str, catalog: &'a Catalog) -> Renderer<'a> {
        Renderer {
            volume,
            catalog,
            info: catalog.volume(volume).map(|v| &**v),
            notes: Vec::new(),
            ids: HashSet::new(),
            citations: Vec::new(),
        }
    }

    /// Links these citations where their text stands.
    pub fn with_citations(mut self, citations: Vec<TextCitation>) -> Renderer<'a> {
        self.citations = citations;
        self
    }

    /// Text, with the first unlinked citation it holds (if any) made a link, and so on.
    fn text(&mut self, out: &mut String, text: &str) {
        let mut rest = text;
        loop {
            let found = self
                .citations
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.used)
                .filter_map(|(i, c)| {
                    c.forms()
                        .find_map(|f| rest.find(f).map(|at| (at, f.len())))
                        .map(|(at, len)| (at, len, i))
                })
                .min();
            let Some((at, len, i)) = found else {
                push_escaped(out, rest);
                return;
            };
            push_escaped(out, &rest[..at]);
            let c = &mut self.citations[i];
            c.used = true;
            let cited = &rest[at..at + len];
            match &c.href {
                Some(href) => {
                    let _ = write!(
                        out,
                        "<a class=\"ref\" href=\"{}\" title=\"{}\">",
                        escape(href),
                        escape(&c.target)
                    );
                    push_escaped(out, cited);
                    out.push_str("</a>");
                }
                None => {
                    let _ = write!(
                        out,
                        "<span class=\"ref ref-missing\" title=\"Not in this archive: {}\">",
                        escape(&c.target)
                    );
                    push_escaped(out, cited);
                    out.push_str("</span>");
                }
            }
            rest = &rest[at + len..];
        }
    }

    /// Renders a document's paper: its first heading apart, the rest as the body. When the
    /// content holds no page break for `first_page`, an anchor for it opens the body.
    pub fn document(mut self, paper: &Paper, first_page: Option<&str>) -> Rendered {
        let mut head = None;
        let mut body = String::new();
        if let Some(p) = first_page {
            let anchor = format!("pg_{}", p.trim_matches(|c| c == '[' || c == ']'));
            if !has_page(&paper.content, &anchor) {
                self.page_break(&mut body, p, &anchor);
            }
        }
        for node in &paper.content {
            match node {
                Node::Block(b) if b.kind == BlockKind::Head && head.is_none() => {
                    let mut h = String::new();
                    self.nodes(&mut h, &b.children, false);
                    head = Some(h);
                }
                // The top-level source note is shown in the header.
                Node::Note(n) if n.kind == NoteKind::Source && n.n.is_none() => {}
                other => self.node(&mut body, other, false),
            }
        }
        Rendered {
            head,
            body,
            notes: self.notes,
        }
    }

    fn nodes(&mut self, out: &mut String, nodes: &[Node], in_attachment: bool) {
        for n in nodes {
            self.node(out, n, in_attachment);
        }
    }

    fn node(&mut self, out: &mut String, node: &Node, att: bool) {
        match node {
            Node::Text { text } if self.citations.is_empty() => push_escaped(out, text),
            Node::Text { text } => self.text(out, text),
            Node::LineBreak => out.push_str("<br>"),
            Node::Block(b) => self.block(out, b, att),
            Node::Inline(i) => self.inline(out, i, att),
            Node::PageBreak(pb) => {
                let anchor = pb.anchor();
                self.page_break(out, &pb.n, &anchor);
            }
            Node::Note(n) => self.note(out, n, att),
            Node::Ref(r) => match self.ref_href(&r.target) {
                Some(href) => {
                    let external = href.starts_with("http");
                    let _ = write!(out, "<a class=\"ref\" href=\"{}\"", escape(&href));
                    if external {
                        out.push_str(" rel=\"noopener noreferrer external\"");
                    }
                    out.push('>');
                    self.nodes(out, &r.children, att);
                    out.push_str("</a>");
                }
                None => {
                    let _ = write!(
                        out,
                        "<span class=\"ref ref-missing\" title=\"Not in this archive: {}\">",
                        escape(&r.target)
                    );
                    self.nodes(out, &r.children, att);
                    out.push_str("</span>");
                }
            },
            Node::Mention(m) => self.mention(out, m, att),
            Node::Date(d) => {
                let when = d
                    .when
                    .as_deref()
                    .or(d.from.as_deref())
                    .or(d.not_before.as_deref());
                match when.filter(|w| chancery_model::day_key(w, false).is_some()) {
                    Some(w) => {
                        let _ = write!(out, "<time datetime=\"{}\">", escape(w));
                        self.nodes(out, &d.children, att);
                        out.push_str("</time>");
                    }
                    None => self.nodes(out, &d.children, att),
                }
            }
            Node::Attachment(p) => {
                out.push_str("<section class=\"enclosure\" aria-label=\"Enclosure\">");
                // The label line, unless the content opens with it already.
                let opens_with_label = |label: &str| {
                    p.content.first().is_some_and(|n| {
                        chancery_model::plain_line(std::slice::from_ref(n)).contains(label.trim())
                    })
                };
                if let Some(label) = p.label.as_deref().filter(|l| !opens_with_label(l)) {
                    out.push_str("<p class=\"enclosure-label\">");
                    push_escaped(out, label);
                    out.push_str("</p>");
                }
                for n in &p.content {
                    self.node(out, n, true);
                }
                out.push_str("</section>");
            }
            Node::Other(o) => {
                out.push_str("<span class=\"other\">");
                self.nodes(out, &o.children, att);
                out.push_str("</span>");
            }
        }
    }

    fn page_break(&mut self, out: &mut String, n: &str, anchor: &str) {
        let page = n.trim_matches(|c| c == '[' || c == ']');
        let href = format!("/{}/pg_{}", segment(self.volume), segment(page));
        if self.ids.insert(anchor.to_string()) {
            let _ = write!(
                out,
                "<a class=\"pb\" id=\"{}\" href=\"{}\" title=\"Printed page {}\">[Page {}]</a>",
                escape(anchor),
                escape(&href),
                escape(n),
                escape(n)
            );
        } else {
            let _ = write!(
                out,
                "<a class=\"pb\" href=\"{}\">[Page {}]</a>",
                escape(&href),
                escape(n)
            );
        }
    }

    fn block(&mut self, out: &mut String, b: &Block, att: bool) {
        let rend = b.rend.as_deref().unwrap_or("").trim_start_matches('#');
        let class = |base: &str| {
            if rend.is_empty() {
                base.to_string()
            } else {
                format!("{base} r-{}", css_token(rend))
            }
        };
        let has_block = b.children.iter().any(Node::is_block);
        let (open, close): (String, &str) = match b.kind {
            BlockKind::Paragraph if has_block => {
                (format!("<div class=\"{}\">", class("p")), "</div>")
            }
            BlockKind::Paragraph => (format!("<p class=\"{}\">", class("p")), "</p>"),
            BlockKind::Head => (format!("<h3 class=\"{}\">", class("subhead")), "</h3>"),
            BlockKind::Opener => (format!("<div class=\"{}\">", class("opener")), "</div>"),
            BlockKind::Closer => (format!("<div class=\"{}\">", class("closer")), "</div>"),
            BlockKind::Dateline => (format!("<p class=\"{}\">", class("dateline")), "</p>"),
            BlockKind::Salutation => (format!("<p class=\"{}\">", class("salute")), "</p>"),
            BlockKind::Signed => (format!("<p class=\"{}\">", class("signed")), "</p>"),
            BlockKind::Postscript => (format!("<div class=\"{}\">", class("postscript")), "</div>"),
            BlockKind::Quote => (
                format!("<blockquote class=\"{}\">", class("quote")),
                "</blockquote>",
            ),
            BlockKind::List => {
                let ordered = matches!(rend, "ordered" | "numbered" | "arabic" | "decimal");
                if ordered {
                    (format!("<ol class=\"{}\">", class("list")), "</ol>")
                } else {
                    (format!("<ul class=\"{}\">", class("list")), "</ul>")
                }
            }
            BlockKind::Item => ("<li>".to_string(), "</li>"),
            BlockKind::Label => (format!("<span class=\"{}\">", class("label")), "</span> "),
            BlockKind::Table => (
                format!(
                    "<div class=\"table-wrap\"><table class=\"{}\">",
                    class("table")
                ),
                "</table></div>",
            ),
            BlockKind::Row => ("<tr>".to_string(), "</tr>"),
            BlockKind::Cell => (format!("<td class=\"{}\">", class("cell")), "</td>"),
            BlockKind::Division => (
                format!("<section class=\"{}\">", class("div")),
                "</section>",
            ),
            BlockKind::Figure => (
                format!("<figure class=\"{}\">", class("figure")),
                "</figure>",
            ),
        };
        // A label directly inside a list stands in an item of its own.
        out.push_str(&open);
        if b.kind == BlockKind::List {
            for child in &b.children {
                match child {
                    Node::Block(c) if c.kind == BlockKind::Item => self.block(out, c, att),
                    Node::Block(c) if c.kind == BlockKind::Head => {
                        out.push_str("<li class=\"list-head\">");
                        self.nodes(out, &c.children, att);
                        out.push_str("</li>");
                    }
                    Node::Block(c) if c.kind == BlockKind::Label => {
                        out.push_str("<li class=\"list-label\">");
                        self.nodes(out, &c.children, att);
                        out.push_str("</li>");
                    }
                    Node::Text { text } if text.trim().is_empty() => {}
                    other => {
                        out.push_str("<li class=\"list-other\">");
                        self.node(out, other, att);
                        out.push_str("</li>");
                    }
                }
            }
        } else {
            self.nodes(out, &b.children, att);
        }
        out.push_str(close);
    }

    fn inline(&mut self, out: &mut String, i: &Inline, att: bool) {
        let rend = i.rend.as_deref().unwrap_or("").trim_start_matches('#');
        let (open, close): (String, &str) = match i.kind {
            InlineKind::Emphasis => match rend {
                "italic" | "italics" => ("<em>".into(), "</em>"),
                "strong" | "bold" => ("<strong>".into(), "</strong>"),
                "smallcaps" => ("<span class=\"sc\">".into(), "</span>"),
                "underline" => ("<u>".into(), "</u>"),
                "superscript" => ("<sup>".into(), "</sup>"),
                "subscript" => ("<sub>".into(), "</sub>"),
                "strikethrough" => ("<s>".into(), "</s>"),
                "" => ("<em>".into(), "</em>"),
                other => (
                    format!("<span class=\"hi r-{}\">", css_token(other)),
                    "</span>",
                ),
            },
            InlineKind::Segment if rend.is_empty() => ("<span class=\"seg\">".into(), "</span>"),
            InlineKind::Segment => (
                format!("<span class=\"seg r-{}\">", css_token(rend)),
                "</span>",
            ),
            InlineKind::Foreign => ("<i class=\"foreign\">".into(), "</i>"),
            InlineKind::Gap => ("<span class=\"gap\">".into(), "</span>"),
            InlineKind::Correction => ("<span class=\"corr\">".into(), "</span>"),
        };
        out.push_str(&open);
        self.nodes(out, &i.children, att);
        out.push_str(close);
    }

    fn note(&mut self, out: &mut String, n: &Note, att: bool) {
        match (&n.kind, &n.n) {
            (NoteKind::Source, None) => {
                out.push_str("<p class=\"source-note\">");
                self.nodes(out, &n.children, att);
                out.push_str("</p>");
            }
            (_, label) => {
                let seq = self.notes.len() + 1;
                let base =
                    n.id.clone()
                        .filter(|id| !self.ids.contains(&format!("fn-{id}")))
                        .unwrap_or_else(|| format!("note{seq}"));
                let anchor = format!("fn-{base}");
                let back = format!("fnref-{base}");
                self.ids.insert(anchor.clone());
                let label = label.clone().unwrap_or_else(|| seq.to_string());
                let _ = write!(
                    out,
                    "<a class=\"fnref\" id=\"{}\" href=\"#{}\" role=\"doc-noteref\" aria-label=\"Note {}\">{}</a>",
                    escape(&back),
                    escape(&anchor),
                    escape(&label),
                    escape(&label)
                );
                let slot = self.notes.len();
                self.notes.push(Footnote {
                    anchor,
                    back,
                    label,
                    html: String::new(),
                });
                let mut html = String::new();
                self.nodes(&mut html, &n.children, att);
                self.notes[slot].html = html;
            }
        }
    }

    fn mention(&mut self, out: &mut String, m: &Mention, att: bool) {
        let kind = match m.kind {
            MentionKind::Person => "person",
            MentionKind::Gloss => "gloss",
            MentionKind::Term => "term",
            MentionKind::Place => "place",
            MentionKind::Organization => "org",
        };
        let entry = m
            .target
            .as_deref()
            .and_then(|t| self.info.and_then(|i| i.entry(t)));
        match entry {
            Some((e, true)) => {
                let slug = self
                    .catalog
                    .person_slug
                    .get(&(self.volume.to_string(), e.id.clone()));
                let title = describe(&e.name, &e.description);
                match slug {
                    Some(s) => {
                        let _ = write!(
                            out,
                            "<a class=\"mention {kind}\" href=\"/persons/{}\" title=\"{}\">",
                            segment(s),
                            escape(&title)
                        );
                        self.nodes(out, &m.children, att);
                        out.push_str("</a>");
                    }
                    None => {
                        let _ = write!(
                            out,
                            "<span class=\"mention {kind}\" title=\"{}\">",
                            escape(&title)
                        );
                        self.nodes(out, &m.children, att);
                        out.push_str("</span>");
                    }
                }
            }
            Some((e, false)) => {
                let _ = write!(
                    out,
                    "<abbr class=\"mention {kind}\" title=\"{}\">",
                    escape(&describe(&e.name, &e.description))
                );
                self.nodes(out, &m.children, att);
                out.push_str("</abbr>");
            }
            None => {
                let _ = write!(out, "<span class=\"mention {kind}\">");
                self.nodes(out, &m.children, att);
                out.push_str("</span>");
            }
        }
    }

    /// Where a reference leads, when its target is in the archive (or on the web).
    fn ref_href(&self, target: &str) -> Option<String> {
        let t = target.trim();
        if t.starts_with("https://") || t.starts_with("http://") {
            return Some(t.to_string());
        }
        let (vol, frag) = match t.split_once('#') {
            Some(("", f)) => (self.volume, Some(f)),
            Some((v, f)) => (v, Some(f)),
            None => (t, None),
        };
        let info = self.catalog.volume(vol)?;
        let v = segment(vol);
        Some(match frag {
            None | Some("") => format!("/{v}"),
            Some(f) if f.starts_with("pg_") => format!("/{v}/{}", segment(f)),
            Some(f) if info.doc_pos.contains_key(f) => format!("/{v}/{}", segment(f)),
            Some(f) => match f.split_once("fn") {
                Some((d, _)) if info.doc_pos.contains_key(d) => {
                    format!("/{v}/{}#fn-{}", segment(d), segment(f))
                }
                _ => format!("/{v}#{}", segment(f)),
            },
        })
    }
}

fn describe(name: &str, description: &str) -> String {
    if description.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {description}")
    }
}

fn css_token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(24)
        .collect()
}

fn has_page(nodes: &[Node], anchor: &str) -> bool {
    nodes.iter().any(|n| match n {
        Node::PageBreak(pb) => pb.anchor() == anchor,
        Node::Attachment(p) => has_page(&p.content, anchor),
        other => has_page(other.children(), anchor),
    })
}

/// A snippet with its highlighted byte ranges wrapped in `<mark>`, everything escaped.
pub fn snippet(s: &chancery_archive::Snippet) -> String {
    let mut out = String::with_capacity(s.text.len() + 32);
    let mut last = 0;
    for &(a, b) in &s.highlights {
        let (Some(before), Some(hit)) = (s.text.get(last..a), s.text.get(a..b)) else {
            continue;
        };
        push_escaped(&mut out, before);
        out.push_str("<mark>");
        push_escaped(&mut out, hit);
        out.push_str("</mark>");
        last = b;
    }
    push_escaped(&mut out, s.text.get(last..).unwrap_or(""));
    out
}

/// `1936-02-13` as `February 13, 1936` (`1936-02` as `February 1936`); other text as it is.
pub fn long_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = iso.split('T').next().unwrap_or(iso);
    let parts: Vec<&str> = date.split('-').collect();
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(|m| MONTHS[m - 1])
    };
    match parts.as_slice() {
        [y, m, d] => match (month(m), d.parse::<u32>()) {
            (Some(m), Ok(d)) => format!("{m} {d}, {y}"),
            _ => iso.to_string(),
        },
        [y, m] => match month(m) {
            Some(m) => format!("{m} {y}"),
            None => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}
