//! The structure of plain-text documents: documents split at their source notes, the notes
//! list, heading, papers split at enclosure labels, opener, body and closer of each paper.

use std::collections::BTreeMap;

use chancery_model::{
    plain_line, Block, BlockKind, DateBounds, DateSource, Dateline, Document, Inline, InlineKind,
    Mention, MentionKind, Node, Note, NoteKind, Paper, TocEntry, Volume,
};

use crate::inline::{self, Candidate, Placed};
use crate::{decode, scan, TextError, TextReading, Warning};

/// Paragraph lines at least this long end a paragraph even without a blank line after them.
const LONG_LINE: usize = 100;

pub(crate) fn read(bytes: &[u8], id: &str) -> Result<TextReading, TextError> {
    let mut warnings = Vec::new();
    let text = decode::decode(bytes, &mut warnings)?;
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut volume = Volume {
        id: id.to_string(),
        ..Volume::default()
    };
    let mut documents = Vec::new();
    for (start, end) in split_documents(&lines) {
        let doc_id = format!("d{}", documents.len() + 1);
        let mut r = DocReader {
            lines: &lines,
            warnings: &mut warnings,
            markers: BTreeMap::new(),
            notes: Vec::new(),
        };
        if let Some(doc) = r.document(start, end, id, doc_id) {
            documents.push(doc);
        }
    }
    if documents.is_empty() {
        return Err(TextError::NoText);
    }
    volume.contents = documents
        .iter()
        .map(|d: &Document| TocEntry::Document {
            id: d.id.clone(),
            n: d.n.clone(),
            head: d
                .paper
                .heading
                .as_ref()
                .map(|h| h.text.clone())
                .unwrap_or_default(),
            date: d.dates.min.clone(),
        })
        .collect();
    Ok(TextReading {
        volume,
        documents,
        warnings,
    })
}

/// Line ranges of the documents: each source-note line that follows a blank line (or the start)
/// begins one.
fn split_documents(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut prev_blank = true;
    for (i, l) in lines.iter().enumerate() {
        let blank = l.trim().is_empty();
        if !blank && prev_blank && i > 0 && scan::source_note(l).is_some() {
            let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
            if next.is_some_and(|n| scan::source_note(n).is_none()) {
                starts.push(i);
            }
        }
        prev_blank = blank;
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(lines.len());
        if lines[s..e].iter().any(|l| !l.trim().is_empty()) {
            out.push((s, e));
        }
    }
    out
}

/// One line of a paper, classified.
#[derive(Clone, Copy)]
enum Item<'a> {
    Blank,
    Page(&'a str),
    Text(usize, &'a str),
}

struct DocReader<'a, 'w> {
    lines: &'a [&'a str],
    warnings: &'w mut Vec<Warning>,
    /// Footnotes to place, by line, in order of their markers.
    markers: BTreeMap<usize, Vec<Placed>>,
    /// The notes list items, taken as their markers are placed.
    notes: Vec<Option<Vec<Node>>>,
}

impl<'a> DocReader<'a, '_> {
    fn warn(&mut self, line: usize, column: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line: line + 1,
            column,
            message: message.into(),
        });
    }

    fn document(&mut self, start: usize, end: usize, volume: &str, id: String) -> Option<Document> {
        let lines = self.lines;
        let list_start = self.notes_list(start, end);
        let mut i = start;
        let next_nonblank = |mut i: usize| {
            while i < list_start && lines[i].trim().is_empty() {
                i += 1;
            }
            i
        };
        let mut content = Vec::new();
        let mut paper = Paper::default();
        i = next_nonblank(i);
        if i < list_start {
            if let Some(sn) = scan::source_note(lines[i]) {
                content.push(Node::Note(Note {
                    kind: NoteKind::Source,
                    n: None,
                    id: None,
                    rend: None,
                    children: vec![Node::text(lines[i].trim())],
                }));
                paper.source_note = Some(sn);
                i = next_nonblank(i + 1);
            }
        }
        while i < list_start {
            match scan::page_line(lines[i]) {
                Some(n) => {
                    content.push(page(n));
                    i = next_nonblank(i + 1);
                }
                None => break,
            }
        }
        // The heading: the first line, unless it is part of the opener or the body.
        let mut heading_line = None;
        if i < list_start {
            let l = lines[i].trim();
            let more = next_nonblank(i + 1) < list_start;
            let openerish = scan::number_line(l).is_some()
                || scan::is_dateline(l)
                || scan::salutation_line(l)
                || chancery_model::salutation_prefix(l).is_some()
                || scan::label(l);
            if more && !openerish && l.len() <= 300 {
                heading_line = Some(i);
                i += 1;
            }
        }

        // Markers: every content line but the source note and the notes list.
        let collect = |splits: bool| {
            let mut cands: Vec<Candidate> = Vec::new();
            let content = heading_line.into_iter().chain(i..list_start);
            for n in content {
                if scan::page_line(lines[n]).is_none() {
                    inline::candidates(lines[n], n, &mut cands, splits);
                }
            }
            cands
        };
        let mut cands = collect(false);
        if !inline::certain(&cands, self.notes.len()) {
            cands = collect(true);
        }
        // Superscript markers (`¹⁸`) mean plain digits are the text's own.
        if cands
            .iter()
            .any(|c| inline::is_superscript(c.mark(lines[c.line])))
        {
            cands.retain(|c| {
                let m = c.mark(lines[c.line]);
                inline::is_superscript(m) || c.value.is_none()
            });
        }
        self.place_markers(&cands, list_start);

        if let Some(h) = heading_line {
            let children = self.line_nodes(h);
            let text = plain_line(&children);
            paper.heading = Some(scan::heading(&text));
            content.push(block(BlockKind::Head, children));
        }

        // Papers: the document's own, then one per enclosure label (or unlabeled-enclosure line).
        let mut segments: Vec<(Option<usize>, Vec<Item<'a>>)> = vec![(None, Vec::new())];
        for (n, &l) in lines.iter().enumerate().take(list_start).skip(i) {
            let item = if l.trim().is_empty() {
                Item::Blank
            } else if let Some(p) = scan::page_line(l) {
                Item::Page(p)
            } else if scan::label(l) || scan::unlabeled(l) {
                segments.push((Some(n), Vec::new()));
                continue;
            } else {
                Item::Text(n, l.trim())
            };
            segments.last_mut().expect("one segment").1.push(item);
        }
        let mut segments = segments.into_iter();
        let (_, own) = segments.next().expect("one segment");
        self.paper_body(&own, &mut paper, &mut content);
        for (start, items) in segments {
            let start = start.expect("enclosures have a first line");
            let mut att = Paper::default();
            let mut att_content = Vec::new();
            if !scan::unlabeled(lines[start]) {
                let children = self.line_nodes(start);
                att.label = Some(plain_line(&children));
                att_content.push(block(BlockKind::Label, children));
            }
            let rest = self.title(&items, &mut att, &mut att_content);
            self.paper_body(rest, &mut att, &mut att_content);
            att.content = att_content;
            content.push(Node::Attachment(Box::new(att)));
        }
        if chancery_model::plain(&content).is_empty() {
            self.warn(
                start,
                1,
                "no document text here (only markers or blank lines)",
            );
            return None;
        }
        // Notes whose markers were not found: kept at the end, unanchored.
        for (k, note) in std::mem::take(&mut self.notes).into_iter().enumerate() {
            if let Some(children) = note {
                content.push(Node::Note(Note {
                    kind: NoteKind::Footnote,
                    n: None,
                    id: None,
                    rend: None,
                    children,
                }));
                self.warn(
                    list_start,
                    1,
                    format!("note {} of the list has no marker in the text", k + 1),
                );
            }
        }
        paper.content = content;
        if paper.content.is_empty() || paper.text_content().trim().is_empty() {
            self.warn(
                start,
                1,
                "no document text here (only markers or blank lines)",
            );
            return None;
        }
        let first_page = infer_first_page(&paper.content);
        let when = paper
            .dateline
            .as_ref()
            .and_then(|d| d.date.as_ref())
            .and_then(|d| d.when.clone());
        Some(Document {
            volume: volume.to_string(),
            id,
            n: None,
            subtype: None,
            kind: paper
                .source_note
                .as_ref()
                .and_then(|s| s.channel.as_ref())
                .map(|c| c.split_whitespace().next().unwrap_or(c).to_lowercase()),
            dates: DateBounds {
                min: when.clone(),
                max: when.clone(),
                source: when.map(|_| DateSource::Dateline),
                flag: None,
            },
            place: paper.dateline.as_ref().and_then(|d| d.place.clone()),
            chapter: Vec::new(),
            first_page,
            paper,
            message: None,
            citations: Vec::new(),
            messages: Vec::new(),
            people: Vec::new(),
        })
    }

    /// Finds the trailing indented notes list `  1. …`, stores its items and returns the line
    /// where it begins (`end` when there is none).
    fn notes_list(&mut self, start: usize, end: usize) -> usize {
        let lines = self.lines;
        let indented = |l: &str| l.starts_with([' ', '\t']) && !l.trim().is_empty();
        let mut i = end;
        while i > start && (lines[i - 1].trim().is_empty() || indented(lines[i - 1])) {
            i -= 1;
        }
        let Some(first) = (i..end).find(|&n| item_number(lines[n]) == Some(1)) else {
            return end;
        };
        let mut items: Vec<Vec<&str>> = Vec::new();
        for (n, l) in lines.iter().enumerate().take(end).skip(first) {
            let t = l.trim();
            if t.is_empty() {
                continue;
            }
            match item_number(l) {
                Some(k) => {
                    if k != items.len() as u64 + 1 {
                        self.warn(
                            n,
                            l.len() - l.trim_start().len() + 1,
                            format!("notes list item {k} where {} was expected", items.len() + 1),
                        );
                    }
                    let body = t.split_once('.').map_or("", |(_, b)| b).trim();
                    items.push(vec![body]);
                }
                None => items.last_mut().expect("item 1 comes first").push(t),
            }
        }
        self.notes = items
            .into_iter()
            .map(|parts| {
                Some(if parts.len() == 1 {
                    text_nodes(parts[0])
                } else {
                    parts
                        .into_iter()
                        .map(|p| block(BlockKind::Paragraph, text_nodes(p)))
                        .collect()
                })
            })
            .collect();
        first
    }

    fn place_markers(&mut self, cands: &[Candidate], list_start: usize) {
        let (chosen, why) = inline::select(cands, self.notes.len());
        if let Some(why) = why {
            let (line, col) = cands
                .get(*chosen.last().unwrap_or(&0))
                .map_or((list_start, 1), |c| (c.line, c.start + 1));
            self.warn(line, col, why);
        }
        for (k, &ci) in chosen.iter().enumerate() {
            let c = &cands[ci];
            let children = self.notes[k].take().unwrap_or_default();
            let note = Node::Note(Note {
                kind: NoteKind::Footnote,
                n: Some(inline::plain_mark(c.mark(self.lines[c.line]))),
                id: None,
                rend: None,
                children,
            });
            self.markers.entry(c.line).or_default().push(Placed {
                start: c.start,
                end: c.end,
                note,
            });
        }
    }

    /// The nodes of line `n` (trimmed), with its footnotes placed.
    fn line_nodes(&mut self, n: usize) -> Vec<Node> {
        let raw = self.lines[n];
        let lead = raw.len() - raw.trim_start().len();
        let mut placed = self.markers.remove(&n).unwrap_or_default();
        placed.sort_by_key(|p| p.start);
        for p in &mut placed {
            p.start -= lead;
            p.end -= lead;
        }
        inline::nodes(raw.trim(), placed)
    }

    /// An enclosure's title line: the first line after the label, when it is short and not
    /// part of the opener.
    fn title<'i>(
        &mut self,
        items: &'i [Item<'a>],
        paper: &mut Paper,
        content: &mut Vec<Node>,
    ) -> &'i [Item<'a>] {
        let mut k = 0;
        while k < items.len() {
            match items[k] {
                Item::Blank => k += 1,
                Item::Page(n) => {
                    content.push(page(n));
                    k += 1;
                }
                Item::Text(n, t) => {
                    let rest_has_text = items[k + 1..].iter().any(|i| matches!(i, Item::Text(..)));
                    let numbered = t.split_once(". ").is_some_and(|(n, _)| {
                        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                    });
                    let bracketed = t.starts_with('[') && t.ends_with(']');
                    let title = rest_has_text
                        && t.len() <= 200
                        && !numbered
                        && !bracketed
                        && !t.ends_with([',', ':'])
                        && scan::number_line(t).is_none()
                        && !scan::is_dateline(t)
                        && chancery_model::salutation_prefix(t).is_none()
                        && !scan::closer_line(t);
                    if !title {
                        return &items[k..];
                    }
                    let children = self.line_nodes(n);
                    paper.heading = Some(scan::heading(&plain_line(&children)));
                    content.push(block(BlockKind::Head, children));
                    return &items[k + 1..];
                }
            }
        }
        &items[k..]
    }

    /// Opener, body paragraphs and closer of a paper, and editorial notes or a postscript
    /// after the closer.
    fn paper_body(&mut self, items: &[Item<'a>], paper: &mut Paper, content: &mut Vec<Node>) {
        let (open_end, opener) = self.opener(items, paper);
        let after = after_closer(items, open_end);
        let mut close_start = closer_start(&items[..after], open_end);
        let after = if close_start < text_end(&items[..after], open_end) {
            after
        } else {
            close_start = closer_start(items, open_end);
            items.len()
        };
        if !opener.is_empty() {
            content.push(block(BlockKind::Opener, opener));
        }
        let mut first_paragraph = true;
        self.paragraphs(
            &items[open_end..close_start],
            paper,
            content,
            &mut first_paragraph,
        );
        self.closer(&items[close_start..after], paper, content);
        self.paragraphs(&items[after..], paper, content, &mut first_paragraph);
    }

    /// Paragraphs and page breaks; the first paragraph may open with a salutation.
    fn paragraphs(
        &mut self,
        body: &[Item<'a>],
        paper: &mut Paper,
        content: &mut Vec<Node>,
        first_paragraph: &mut bool,
    ) {
        let mut k = 0;
        while k < body.len() {
            match body[k] {
                Item::Blank => k += 1,
                Item::Page(n) => {
                    content.push(page(n));
                    k += 1;
                }
                Item::Text(..) => {
                    let chunk = chunk_len(&body[k..]);
                    for para in split_paragraphs(&body[k..k + chunk]) {
                        let children = self.lines_nodes(para);
                        if *first_paragraph && paper.salutation.is_none() {
                            let text = plain_line(&children);
                            paper.salutation =
                                chancery_model::salutation_prefix(&text).map(str::to_string);
                        }
                        *first_paragraph = false;
                        content.push(block(BlockKind::Paragraph, children));
                    }
                    k += chunk;
                }
            }
        }
    }

    /// The nodes of consecutive lines joined by line breaks.
    fn lines_nodes(&mut self, lines: &[Item<'a>]) -> Vec<Node> {
        let mut out = Vec::new();
        for (j, item) in lines.iter().enumerate() {
            if let Item::Text(n, _) = *item {
                if j > 0 {
                    out.push(Node::LineBreak);
                }
                out.extend(self.line_nodes(n));
            }
        }
        out
    }

    /// The opener: number, dateline with receipt line, bracketed notes such as `[Telegram.]`,
    /// and a salutation line. Returns where the body begins and the opener's nodes.
    fn opener(&mut self, items: &[Item<'a>], paper: &mut Paper) -> (usize, Vec<Node>) {
        let mut out = Vec::new();
        let mut k = 0;
        while k < items.len() {
            match items[k] {
                Item::Blank => k += 1,
                Item::Page(n) => {
                    out.push(page(n));
                    k += 1;
                }
                Item::Text(n, t) => {
                    if paper.number.is_none() {
                        if let Some(num) = scan::number_line(t) {
                            paper.number = Some(num);
                            let children = self.line_nodes(n);
                            push_seg(&mut out, children);
                            k += 1;
                            continue;
                        }
                    }
                    if paper.dateline.is_none() {
                        if let Some(len) = self.dateline(&items[k..], paper, &mut out) {
                            k += len;
                            continue;
                        }
                    }
                    if scan::salutation_line(t) && paper.salutation.is_none() {
                        let children = self.line_nodes(n);
                        let text = plain_line(&children);
                        paper.salutation = Some(text.trim_end_matches([':', ',']).to_string());
                        out.push(block(BlockKind::Salutation, children));
                        k += 1;
                        break;
                    }
                    // A bracketed note (`[Telegram.]`); a long one only before the dateline.
                    let dateline_next = paper.dateline.is_none()
                        && text_of(&items[k + 1..])
                            .first()
                            .is_some_and(|t| scan::is_dateline(t));
                    let bracketed = t.starts_with('[')
                        && t.ends_with(']')
                        && (t.len() <= 60 || (t.len() <= 300 && dateline_next));
                    if bracketed && items[k + 1..].iter().any(|i| matches!(i, Item::Text(..))) {
                        let children = self.line_nodes(n);
                        push_seg(&mut out, children);
                        k += 1;
                        continue;
                    }
                    break;
                }
            }
        }
        // Page breaks met after the last opener line belong to the body.
        while k > 0 && matches!(items[k - 1], Item::Page(_) | Item::Blank) {
            if matches!(items[k - 1], Item::Page(_)) {
                out.pop();
            }
            k -= 1;
        }
        (k, out)
    }

    /// A dateline at the start of `items`: the whole chunk, or its first line with a receipt
    /// line after it. Returns how many items it took.
    fn dateline(
        &mut self,
        items: &[Item<'a>],
        paper: &mut Paper,
        out: &mut Vec<Node>,
    ) -> Option<usize> {
        let chunk = chunk_len(items);
        let texts: Vec<&str> = items[..chunk]
            .iter()
            .filter_map(|i| match i {
                Item::Text(_, t) => Some(*t),
                _ => None,
            })
            .collect();
        let without_receipt = |ts: &[&str]| {
            let joined = ts.join(" ");
            match scan::received(&joined) {
                Some((at, _)) => joined[..at].trim_end().to_string(),
                None => joined,
            }
        };
        let take = if chunk <= 4 && scan::is_dateline(&without_receipt(&texts)) {
            chunk
        } else if scan::is_dateline(&without_receipt(&texts[..1])) {
            let receipt = texts.get(1).is_some_and(|t| {
                (t.starts_with("[Received") || t.starts_with("(Received"))
                    && scan::received(t).is_some()
            });
            1 + usize::from(receipt)
        } else {
            return None;
        };
        let node = self.dateline_block(&items[..take], paper);
        out.push(node);
        Some(take)
    }

    /// Builds the dateline block of `items` and records it in `paper`.
    fn dateline_block(&mut self, items: &[Item<'a>], paper: &mut Paper) -> Node {
        let mut children = Vec::new();
        let mut found = None;
        let mut earlier = String::new();
        for (j, item) in items.iter().enumerate() {
            let Item::Text(n, t) = *item else { continue };
            if j > 0 {
                children.push(Node::LineBreak);
            }
            let d = if found.is_none() && !self.markers.contains_key(&n) {
                let main = scan::received(t).map_or(t, |(at, _)| &t[..at]);
                scan::find_date(main)
            } else {
                None
            };
            match d {
                Some(d) => {
                    let before = &t[..d.start];
                    let place = scan::place(&format!("{earlier}{before}"));
                    match place
                        .as_deref()
                        .and_then(|p| before.find(p).map(|at| (p, at)))
                    {
                        Some((p, at)) => {
                            push_text(&mut children, &before[..at]);
                            children.push(Node::Mention(Mention {
                                kind: MentionKind::Place,
                                role: None,
                                target: None,
                                id: None,
                                children: vec![Node::text(p)],
                            }));
                            push_text(&mut children, &before[at + p.len()..]);
                        }
                        None => push_text(&mut children, before),
                    }
                    children.push(Node::Date(scan::date_node(t, &d)));
                    children.extend(inline::nodes(&t[d.end..], Vec::new()));
                    found = Some((place, scan::date_node(t, &d)));
                }
                None => {
                    children.extend(self.line_nodes(n));
                    earlier.push_str(t);
                    earlier.push(' ');
                }
            }
        }
        let text = plain_line(&children);
        let (place, date) = match found {
            Some((p, d)) => (p, Some(d)),
            None => {
                // An undated dateline: the place is what stands before `undated`.
                let main = scan::received(&text).map_or(text.as_str(), |(at, _)| &text[..at]);
                let place = scan::undated_at(main)
                    .and_then(|at| scan::place(main[..at].trim_end_matches('.')));
                (place, None)
            }
        };
        paper.dateline = Some(Dateline {
            received: scan::received(&text).map(|r| r.1),
            text,
            place,
            date,
        });
        block(BlockKind::Dateline, children)
    }

    /// The closer: complimentary close, signatures and a closing dateline.
    fn closer(&mut self, items: &[Item<'a>], paper: &mut Paper, content: &mut Vec<Node>) {
        let mut children = Vec::new();
        let mut k = 0;
        while k < items.len() {
            match items[k] {
                Item::Blank => k += 1,
                Item::Page(n) => {
                    children.push(page(n));
                    k += 1;
                }
                Item::Text(n, t) => {
                    let chunk = chunk_len(&items[k..]);
                    if scan::closer_line(t) && paper.closer.is_none() && paper.signed.is_empty() {
                        let nodes = self.line_nodes(n);
                        paper.closer = Some(plain_line(&nodes));
                        children.extend(nodes);
                        k += 1;
                        continue;
                    }
                    let texts: Vec<&str> = text_of(&items[k..k + chunk]);
                    let closing = !paper.signed.is_empty() || paper.closer.is_some();
                    if closing && paper.dateline.is_none() && scan::is_dateline(&texts.join(" ")) {
                        let node = self.dateline_block(&items[k..k + chunk], paper);
                        children.push(node);
                        k += chunk;
                        continue;
                    }
                    let nodes = self.lines_nodes(&items[k..k + chunk]);
                    if !paper.signed.is_empty() && texts.iter().all(|t| scan::title_line(t)) {
                        // The signer's title (`Chief, WHD`, `CWH`): closer text, not a signature.
                        children.push(Node::LineBreak);
                        children.extend(nodes);
                        k += chunk;
                        continue;
                    }
                    let text = plain_line(&nodes);
                    if !text.is_empty() {
                        paper.signed.push(text);
                    }
                    children.push(block(BlockKind::Signed, nodes));
                    k += chunk;
                }
            }
        }
        // Page breaks after the last closer line stand after the closer.
        let mut trailing = Vec::new();
        while matches!(children.last(), Some(Node::PageBreak(_))) {
            trailing.push(children.pop().expect("last"));
        }
        if !children.is_empty() {
            content.push(block(BlockKind::Closer, children));
        }
        content.extend(trailing.into_iter().rev());
    }
}

/// Where the text of `items` (after `from`) ends: blank lines and page breaks at the end left
/// out.
fn text_end(items: &[Item], from: usize) -> usize {
    let mut k = items.len();
    while k > from && matches!(items[k - 1], Item::Blank | Item::Page(_)) {
        k -= 1;
    }
    k
}

/// Where the chunks that may follow a closer begin: editorial notes in brackets (`[For text of
/// the agreement, see …]`) and a postscript (`P. S.—…`) at the end of a paper.
fn after_closer(items: &[Item], from: usize) -> usize {
    let mut start = items.len();
    let mut k = text_end(items, from);
    while k > from {
        let mut s = k;
        while s > from && matches!(items[s - 1], Item::Text(..)) {
            s -= 1;
        }
        let texts = text_of(&items[s..k]);
        let (Some(first), Some(last)) = (texts.first(), texts.last()) else {
            break;
        };
        let note = first.starts_with('[') && last.ends_with(']');
        let postscript = first.starts_with("P. S.") || first.starts_with("P.S.");
        if !(note || postscript) {
            break;
        }
        start = s;
        k = text_end(&items[..s], from);
    }
    start
}

/// Where the closer of `items` begins (at or after `from`): signatures at the end, a closing
/// dateline after them, and a complimentary close before them.
fn closer_start(items: &[Item], from: usize) -> usize {
    let mut k = items.len();
    let skip_back = |mut k: usize| {
        while k > from && matches!(items[k - 1], Item::Blank | Item::Page(_)) {
            k -= 1;
        }
        k
    };
    let chunk_back = |k: usize| {
        let mut s = k;
        while s > from && matches!(items[s - 1], Item::Text(..)) {
            s -= 1;
        }
        s
    };
    k = skip_back(k);
    let end = k;
    // A closing dateline (`18.1.38”.`) after signatures.
    let s = chunk_back(k);
    if s < k && scan::is_dateline(&text_of(&items[s..k]).join(" ")) {
        k = skip_back(s);
    }
    let mut signatures = 0;
    let mut lines = 0;
    let mut closer = None;
    while k > from {
        let s = chunk_back(k);
        let texts = text_of(&items[s..k]);
        if let Some(c) = texts.iter().position(|t| scan::closer_line(t)) {
            if texts[c + 1..].iter().all(|t| scan::signature_line(t)) {
                closer = Some(s + c);
            }
            break;
        }
        if texts.len() > 3 || !texts.iter().all(|t| scan::signature_line(t)) || signatures == 3 {
            break;
        }
        signatures += 1;
        lines += texts.len();
        k = skip_back(s);
    }
    let body_before = |at: usize| items[from..at].iter().any(|i| matches!(i, Item::Text(..)));
    match closer {
        Some(c) => c,
        None if signatures > 0 && lines <= 4 && body_before(k) => {
            // the first signature chunk
            let mut s = k;
            while s < end && !matches!(items[s], Item::Text(..)) {
                s += 1;
            }
            s
        }
        None => end,
    }
}

/// The lines of a chunk: consecutive text items.
fn chunk_len(items: &[Item]) -> usize {
    items
        .iter()
        .position(|i| !matches!(i, Item::Text(..)))
        .unwrap_or(items.len())
}

fn text_of<'a>(items: &[Item<'a>]) -> Vec<&'a str> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Text(_, t) => Some(*t),
            _ => None,
        })
        .collect()
}

/// Splits a chunk into paragraphs where blank lines are missing: after a long line that ends
/// a sentence.
fn split_paragraphs<'i, 'a>(chunk: &'i [Item<'a>]) -> Vec<&'i [Item<'a>]> {
    let mut out = Vec::new();
    let mut s = 0;
    for (j, item) in chunk.iter().enumerate() {
        if let Item::Text(_, t) = item {
            let ends = t.ends_with(['.', '!', '?', ':', '”', '"', '’', ')']);
            if j + 1 < chunk.len() && t.chars().count() >= LONG_LINE && ends {
                out.push(&chunk[s..=j]);
                s = j + 1;
            }
        }
    }
    out.push(&chunk[s..]);
    out
}

/// The number of a notes list item line `  3. text` (indented).
fn item_number(line: &str) -> Option<u64> {
    if !line.starts_with([' ', '\t']) {
        return None;
    }
    let t = line.trim_start();
    let digits = t.find(|c: char| !c.is_ascii_digit())?;
    let rest = &t[digits..];
    (digits > 0 && digits <= 4 && (rest == "." || rest.starts_with(". ")))
        .then(|| t[..digits].parse().ok())
        .flatten()
}

/// The first page of a document: the first page break's number when it comes before any
/// text, else the page before it (when numbered).
pub(crate) fn infer_first_page(content: &[Node]) -> Option<String> {
    fn walk(nodes: &[Node], seen_text: &mut bool) -> Option<(String, bool)> {
        for n in nodes {
            match n {
                Node::PageBreak(p) => return Some((p.n.clone(), *seen_text)),
                Node::Text { text } => *seen_text |= !text.trim().is_empty(),
                Node::Note(_) => {}
                Node::Attachment(p) => {
                    if let Some(r) = walk(&p.content, seen_text) {
                        return Some(r);
                    }
                }
                other => {
                    if let Some(r) = walk(other.children(), seen_text) {
                        return Some(r);
                    }
                }
            }
        }
        None
    }
    let (n, after_text) = walk(content, &mut false)?;
    if !after_text {
        return Some(n);
    }
    let bare = n.trim_start_matches('[').trim_end_matches(']');
    let v: u64 = bare.parse().ok()?;
    let prev = v.checked_sub(1)?.to_string();
    (v > 1).then(|| {
        if bare.len() == n.len() {
            prev
        } else {
            format!("[{prev}]")
        }
    })
}

fn page(n: &str) -> Node {
    Node::PageBreak(chancery_model::PageBreak {
        n: n.to_string(),
        id: None,
        facs: None,
    })
}

fn block(kind: BlockKind, children: Vec<Node>) -> Node {
    Node::Block(Block {
        kind,
        rend: None,
        children,
    })
}

/// Appends an opener line as a segment, on its own line.
fn push_seg(out: &mut Vec<Node>, children: Vec<Node>) {
    if matches!(out.last(), Some(Node::Inline(_))) {
        out.push(Node::LineBreak);
    }
    out.push(Node::Inline(Inline {
        kind: InlineKind::Segment,
        rend: None,
        children,
    }));
}

fn text_nodes(s: &str) -> Vec<Node> {
    if s.is_empty() {
        Vec::new()
    } else {
        vec![Node::text(s)]
    }
}

fn push_text(out: &mut Vec<Node>, s: &str) {
    if !s.is_empty() {
        out.push(Node::text(s));
    }
}
