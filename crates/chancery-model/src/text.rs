//! Text views of the model: the exact text content, and the fields a search index needs.

use crate::document::{Document, Paper};
use crate::node::{BlockKind, Node, NoteKind};

/// Appends every character of `nodes` in reading order, notes and enclosures included,
/// with nothing added: the model's counterpart of an XML element's text content.
pub fn text_content(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text { text } => out.push_str(text),
            Node::Attachment(paper) => text_content(&paper.content, out),
            other => text_content(other.children(), out),
        }
    }
}

/// Appends readable text: blocks on their own lines, line breaks as newlines, notes left out.
pub fn readable_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text { text } => push_collapsed(out, text),
            Node::LineBreak => out.push('\n'),
            Node::Note(_) | Node::PageBreak(_) => {}
            Node::Attachment(paper) => {
                newline(out);
                readable_text(&paper.content, out);
                newline(out);
            }
            Node::Block(b) => {
                newline(out);
                readable_text(&b.children, out);
                if matches!(b.kind, BlockKind::Cell | BlockKind::Label) {
                    out.push(' ');
                } else {
                    newline(out);
                }
            }
            other => readable_text(other.children(), out),
        }
    }
}

/// Plain readable text of `nodes`, trimmed.
pub fn plain(nodes: &[Node]) -> String {
    let mut s = String::new();
    readable_text(nodes, &mut s);
    let t = s.trim();
    if t.len() == s.len() {
        s
    } else {
        t.to_string()
    }
}

/// Plain text of `nodes` on one line: line breaks and block boundaries become spaces.
pub fn plain_line(nodes: &[Node]) -> String {
    let s = plain(nodes);
    if s.contains('\n') {
        s.split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s
    }
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        while out.ends_with(' ') {
            out.pop();
        }
        out.push('\n');
    }
}

/// Pushes `text` with runs of ASCII whitespace collapsed to one space (no space at a line start).
fn push_collapsed(out: &mut String, text: &str) {
    let at_break = out.is_empty() || out.ends_with(' ') || out.ends_with('\n');
    let needs_work = (text.starts_with(' ') && at_break)
        || text.contains("  ")
        || text
            .bytes()
            .any(|b| matches!(b, b'\n' | b'\t' | b'\r' | b'\x0c'));
    if !needs_work {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            out.push_str(&text[start..i]);
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[start..]);
}

/// A document's text split the way a search index weighs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexText {
    /// The document's heading.
    pub heading: String,
    /// Its source note(s).
    pub source: String,
    /// Everything else except notes: opener, body, closer, enclosures.
    pub body: String,
    /// The footnotes' text.
    pub notes: String,
}

impl IndexText {
    /// Splits a document's text into index fields.
    pub fn of(doc: &Document) -> IndexText {
        let mut t = IndexText::default();
        if let Some(h) = &doc.paper.heading {
            t.heading.push_str(&h.text);
        }
        t.walk(&doc.paper.content, true);
        t
    }

    fn walk(&mut self, nodes: &[Node], top: bool) {
        for node in nodes {
            match node {
                Node::Note(note) => {
                    let target = match note.kind {
                        NoteKind::Source => &mut self.source,
                        _ => &mut self.notes,
                    };
                    newline(target);
                    readable_text(&note.children, target);
                }
                // The main heading is already in `heading`; its notes still count.
                Node::Block(b) if top && b.kind == BlockKind::Head => self.notes_only(&b.children),
                Node::Attachment(paper) => {
                    newline(&mut self.body);
                    self.walk(&paper.content, false);
                }
                Node::Block(b) => {
                    newline(&mut self.body);
                    self.walk(&b.children, false);
                    newline(&mut self.body);
                }
                Node::Text { text } => push_collapsed(&mut self.body, text),
                Node::LineBreak => self.body.push('\n'),
                other => self.walk(other.children(), false),
            }
        }
    }

    fn notes_only(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Note(_) => self.walk(std::slice::from_ref(node), false),
                other => self.notes_only(other.children()),
            }
        }
    }
}

impl Paper {
    /// Every character of the paper in reading order (see [`text_content`]).
    pub fn text_content(&self) -> String {
        let mut s = String::new();
        text_content(&self.content, &mut s);
        s
    }
}

impl Document {
    /// The printed pages the document covers, in order, starting with the page it begins on.
    pub fn pages(&self) -> Vec<String> {
        fn walk(nodes: &[Node], out: &mut Vec<String>) {
            for n in nodes {
                match n {
                    Node::PageBreak(pb) => {
                        if out.last() != Some(&pb.n) {
                            out.push(pb.n.clone())
                        }
                    }
                    Node::Attachment(p) => walk(&p.content, out),
                    other => walk(other.children(), out),
                }
            }
        }
        let mut out: Vec<String> = self.first_page.iter().cloned().collect();
        walk(&self.paper.content, &mut out);
        out
    }
}

/// The sortable day number `YYYYMMDD` of an ISO 8601 date or date-time (`1936-02-13`,
/// `1894-02-09T00:00:00-05:00`, `1952`, `1952-03`). A year or month alone gives its first day,
/// or its last when `end` is true.
pub fn day_key(iso: &str, end: bool) -> Option<i64> {
    let s = iso.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let date = s.split('T').next()?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: Option<i64> = parts
        .next()
        .map(|p| p.parse().ok())
        .unwrap_or(Some(0))?
        .into();
    let d: Option<i64> = parts
        .next()
        .map(|p| p.parse().ok())
        .unwrap_or(Some(0))?
        .into();
    let (m, d) = (m.unwrap_or(0), d.unwrap_or(0));
    if !(0..=12).contains(&m) || !(0..=31).contains(&d) || y > 9999 {
        return None;
    }
    let m = if m == 0 {
        if end {
            12
        } else {
            1
        }
    } else {
        m
    };
    let d = if d == 0 {
        if end {
            31
        } else {
            1
        }
    } else {
        d
    };
    let y = if neg { -y } else { y };
    Some(y * 10_000 + m * 100 + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_keys() {
        assert_eq!(day_key("1936-02-13", false), Some(19360213));
        assert_eq!(day_key("1894-02-09T00:00:00-05:00", false), Some(18940209));
        assert_eq!(day_key("1952", false), Some(19520101));
        assert_eq!(day_key("1952", true), Some(19521231));
        assert_eq!(day_key("1952-03", true), Some(19520331));
        assert_eq!(day_key("March 1952", false), None);
        assert_eq!(day_key("1952-13-01", false), None);
    }
}
