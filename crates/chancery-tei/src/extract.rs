//! Recognising the parts of a paper in its node tree: source note, heading with senders and
//! addressees, number, dateline, salutation, closer and signatures.

use chancery_model::{
    plain_line, BlockKind, Crumb, DateBounds, DateSource, Dateline, Document, Entry, Heading,
    Mention, MentionKind, Name, Node, NoteKind, Paper, Role, SourceNote,
};

/// Plain text of a heading, its notes left out.
pub(crate) fn head_text(children: &[Node]) -> String {
    plain_line(children)
}

/// The entries of a persons or terms list: each `item` whose first mention defines an id.
pub(crate) fn entries(children: &[Node]) -> Vec<Entry> {
    let mut out = Vec::new();
    collect_entries(children, &mut out);
    out
}

fn collect_entries(nodes: &[Node], out: &mut Vec<Entry>) {
    for node in nodes {
        match node {
            Node::Block(b) if b.kind == BlockKind::Item => {
                if let Some(m) = find(&b.children, &|n| match n {
                    Node::Mention(m) if m.id.is_some() => Some(m),
                    _ => None,
                }) {
                    let name = plain_line(&m.children);
                    let whole = plain_line(&b.children);
                    let rest = whole.strip_prefix(name.as_str()).unwrap_or(&whole);
                    let description = rest
                        .trim_start_matches(|c: char| c == ',' || c == ';' || c.is_whitespace())
                        .to_string();
                    out.push(Entry {
                        id: m.id.clone().unwrap_or_default(),
                        name,
                        description,
                        person: None,
                    });
                } else {
                    collect_entries(&b.children, out);
                }
            }
            other => collect_entries(other.children(), out),
        }
    }
}

/// Depth-first search for the first node `f` accepts; does not enter enclosures.
fn find<'a, T>(nodes: &'a [Node], f: &dyn Fn(&'a Node) -> Option<T>) -> Option<T> {
    for node in nodes {
        if let Some(t) = f(node) {
            return Some(t);
        }
        if let Some(t) = find(node.children(), f) {
            return Some(t);
        }
    }
    None
}

fn top_blocks(nodes: &[Node], kind: BlockKind) -> impl Iterator<Item = &[Node]> {
    nodes.iter().filter_map(move |n| match n {
        Node::Block(b) if b.kind == kind => Some(b.children.as_slice()),
        _ => None,
    })
}

/// Builds a paper from its content, recognising its parts.
pub(crate) fn paper(content: Vec<Node>) -> Paper {
    let mut p = Paper {
        content,
        ..Paper::default()
    };
    let nodes = &p.content;

    p.source_note = source_note(nodes);
    p.heading = top_blocks(nodes, BlockKind::Head).next().map(heading);
    p.label = label(nodes);

    let openers: Vec<&[Node]> = top_blocks(nodes, BlockKind::Opener).collect();
    // The label line (`[Inclosure in No. 2.]`) names the parent's number, not this paper's.
    p.number = openers
        .iter()
        .map(|o| plain_line(o))
        .filter(|t| p.label.as_ref() != Some(t))
        .find_map(|t| number(&t))
        .or_else(|| {
            top_blocks(nodes, BlockKind::Paragraph)
                .next()
                .and_then(|b| chancery_model::number_line(&plain_line(b)))
        });

    let dateline_nodes = top_blocks(nodes, BlockKind::Dateline).next().or_else(|| {
        openers
            .iter()
            .chain(
                top_blocks(nodes, BlockKind::Closer)
                    .collect::<Vec<_>>()
                    .iter(),
            )
            .find_map(|o| top_blocks(o, BlockKind::Dateline).next())
    });
    p.dateline = dateline_nodes.map(dateline);

    p.salutation = top_blocks(nodes, BlockKind::Salutation)
        .next()
        .or_else(|| {
            openers
                .iter()
                .find_map(|o| top_blocks(o, BlockKind::Salutation).next())
        })
        .map(plain_line)
        .or_else(|| salutation(nodes));

    let closers: Vec<&[Node]> = top_blocks(nodes, BlockKind::Closer).collect();
    p.closer = closers.iter().find_map(|c| {
        let own: Vec<Node> = c
            .iter()
            .filter(|n| {
                !matches!(n, Node::Block(b) if matches!(b.kind, BlockKind::Signed | BlockKind::Dateline))
            })
            .cloned()
            .collect();
        Some(plain_line(&own)).filter(|t| !t.is_empty())
    });
    if p.closer.is_none() && !closers.is_empty() {
        p.closer = closing_paragraph(nodes);
    }
    p.signed = top_blocks(nodes, BlockKind::Signed)
        .chain(
            closers
                .iter()
                .flat_map(|c| top_blocks(c, BlockKind::Signed)),
        )
        .map(plain_line)
        .filter(|s| !s.is_empty())
        .collect();
    p
}

fn source_note(nodes: &[Node]) -> Option<SourceNote> {
    let heads_and_top = nodes.iter().flat_map(|n| match n {
        Node::Block(b) if b.kind == BlockKind::Head => b.children.iter().collect::<Vec<_>>(),
        other => vec![other],
    });
    for node in heads_and_top {
        let found = match node {
            Node::Note(note) if note.kind == NoteKind::Source => Some(note),
            other => find(other.children(), &|n| match n {
                Node::Note(note) if note.kind == NoteKind::Source => Some(note),
                _ => None,
            }),
        };
        if let Some(note) = found {
            return Some(SourceNote {
                text: plain_line(&note.children),
                ..SourceNote::default()
            });
        }
    }
    None
}

fn label(nodes: &[Node]) -> Option<String> {
    for node in nodes {
        match node {
            Node::Block(b) if b.kind == BlockKind::Head => return None,
            Node::Block(b) if matches!(b.kind, BlockKind::Opener | BlockKind::Paragraph) => {
                let t = plain_line(&b.children);
                if t.starts_with('[') && t.ends_with(']') {
                    return Some(t);
                }
            }
            _ => {}
        }
    }
    None
}

fn heading(children: &[Node]) -> Heading {
    let text = head_text(children);
    let mut h = Heading {
        text: text.clone(),
        ..Heading::default()
    };
    collect_names(children, &text, &mut h);
    if h.senders.is_empty() && h.addressees.is_empty() {
        names_from_text(&text, &mut h);
    }
    h
}

fn collect_names(nodes: &[Node], text: &str, h: &mut Heading) {
    for node in nodes {
        match node {
            Node::Note(_) => {}
            Node::Mention(m) if m.role.is_some() => {
                let name = mention_name(m, text);
                match m.role {
                    Some(Role::From) => h.senders.push(name),
                    _ => h.addressees.push(name),
                }
            }
            other => collect_names(other.children(), text, h),
        }
    }
}

fn mention_name(m: &Mention, heading: &str) -> Name {
    let text = plain_line(&m.children);
    let office = if m.kind == MentionKind::Person {
        office_before(heading, &text, m.role == Some(Role::To))
    } else {
        None
    };
    Name {
        text,
        kind: m.kind,
        target: m.target.clone(),
        office,
        person: None,
    }
}

/// The office printed before `(Surname)` in a heading: `The Chargé in the Soviet Union
/// (Henderson) to …` gives `Chargé in the Soviet Union`. It begins after the kind of paper
/// (`Memorandum From the …`, `Memorandum by the …`, `… Between the …`) or after the previous
/// party (`… (Henderson) to the …`, `… (Holland) and the …`); for an addressee `to` says so, and
/// an unmarked sender before it ends at the first ` to `.
pub(crate) fn office_before(heading: &str, surname: &str, to: bool) -> Option<String> {
    let at = heading.find(&format!("({surname})"))?;
    let before = &heading[..at];
    let last = |seps: &[&str]| {
        seps.iter()
            .filter_map(|sep| before.rfind(sep).map(|p| p + sep.len()))
            .max()
    };
    let party = last(&[") to ", "), to ", ") and "]);
    let kind = last(&[" From ", " by the ", " Between the "]).unwrap_or(0);
    let start = match party {
        Some(p) if p > kind => p,
        // An addressee after an unmarked sender: after the first ` to ` that follows the kind.
        _ if to => before[kind..].find(" to ").map_or(kind, |p| kind + p + 4),
        _ => kind,
    };
    let mut office = before[start..].trim();
    office = office
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    for prefix in ["The ", "the "] {
        office = office.strip_prefix(prefix).unwrap_or(office);
    }
    let office = office.trim_end_matches(',').trim();
    (!office.is_empty()).then(|| office.to_string())
}

/// Senders and addressees from an unmarked heading such as `Richard W. Leopold to George F.
/// Kennan` or `Memorandum From A to B`.
fn names_from_text(text: &str, h: &mut Heading) {
    let mut t = text.trim().trim_end_matches('.');
    if let Some(p) = t.find(". ") {
        if t[..p].chars().all(|c| c.is_ascii_digit()) {
            t = &t[p + 2..];
        }
    }
    let lower = t.to_lowercase();
    let from = lower.find("from ").filter(|&p| p < 40);
    let body = match from {
        Some(p) => &t[p + 5..],
        None => t,
    };
    let parts: Vec<&str> = body.split(" to ").collect();
    if parts.len() != 2 || parts.iter().any(|p| p.trim().is_empty() || p.len() > 120) {
        return;
    }
    if from.is_none() && lower.split_whitespace().count() > 16 {
        return;
    }
    let name = |s: &str| {
        let s = s.trim();
        // `the Chief of the … Division (King)`: the surname, with the office before it.
        if let Some(open) = s.rfind(" (").filter(|_| s.ends_with(')')) {
            let surname = &s[open + 2..s.len() - 1];
            if !surname.is_empty() && !surname.contains(['(', '[']) {
                let office = s[..open].trim();
                let office = office
                    .strip_prefix("the ")
                    .or_else(|| office.strip_prefix("The "))
                    .unwrap_or(office);
                return Name {
                    text: surname.to_string(),
                    kind: MentionKind::Person,
                    target: None,
                    office: (!office.is_empty()).then(|| office.to_string()),
                    person: None,
                };
            }
        }
        let kind = if s.starts_with("the ") || s.starts_with("The ") {
            MentionKind::Gloss
        } else {
            MentionKind::Person
        };
        Name {
            text: s.to_string(),
            kind,
            target: None,
            office: None,
            person: None,
        }
    };
    h.senders.push(name(parts[0]));
    h.addressees.push(name(parts[1]));
}

/// The number in an opener's `No. 971`.
pub(crate) fn number(text: &str) -> Option<String> {
    let at = text.find("No.")?;
    let rest = text[at + 3..].trim_start();
    let token: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '[' | ']' | '-' | '–' | '/'))
        .collect();
    let token = token.trim_end_matches(['.', ',']);
    (!token.is_empty() && token.chars().any(|c| c.is_ascii_digit())).then(|| token.to_string())
}

fn dateline(children: &[Node]) -> Dateline {
    let text = plain_line(children);
    let place = find(children, &|n| match n {
        Node::Mention(m) if m.kind == MentionKind::Place => Some(plain_line(&m.children)),
        _ => None,
    })
    .or_else(|| {
        text.split_once(',')
            .map(|(p, _)| p.trim().to_string())
            .filter(|p| !p.is_empty() && !p.chars().any(|c| c.is_ascii_digit()) && p.len() < 60)
    });
    let date = find(children, &|n| match n {
        Node::Date(d) => Some(d.clone()),
        _ => None,
    });
    let received = ["[Received", "(Received"].iter().find_map(|open| {
        let at = text.find(open)?;
        let close = if open.starts_with('[') { ']' } else { ')' };
        let inner = &text[at + 1..];
        let end = inner.find(close).unwrap_or(inner.len());
        Some(inner[..end].trim().to_string())
    });
    Dateline {
        text,
        place,
        date,
        received,
    }
}

fn salutation(nodes: &[Node]) -> Option<String> {
    let first = nodes.iter().find_map(|n| match n {
        Node::Block(b) if b.kind == BlockKind::Paragraph => Some(b),
        _ => None,
    })?;
    let text = plain_line(&first.children);
    chancery_model::salutation_prefix(&text).map(str::to_string)
}

fn closing_paragraph(nodes: &[Node]) -> Option<String> {
    let last = nodes.iter().rev().find_map(|n| match n {
        Node::Block(b) if b.kind == BlockKind::Paragraph => Some(plain_line(&b.children)),
        _ => None,
    })?;
    (last.len() < 80 && last.ends_with(',') && last.to_lowercase().contains("yours"))
        .then_some(last)
}

/// Assembles a document from its paper and the div's attributes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn document(
    volume: &str,
    id: String,
    n: Option<String>,
    subtype: Option<String>,
    (min, max): (Option<String>, Option<String>),
    first_page: Option<String>,
    chapter: Vec<Crumb>,
    paper: Paper,
) -> Document {
    let mut dates = DateBounds::default();
    if min.is_some() || max.is_some() {
        dates = DateBounds {
            min: min.clone().or(max.clone()),
            max: max.or(min),
            source: Some(DateSource::Attributes),
            flag: None,
        };
    } else if let Some(d) = paper.dateline.as_ref().and_then(|d| d.date.as_ref()) {
        let lo = d.when.clone().or(d.from.clone()).or(d.not_before.clone());
        let hi = d.when.clone().or(d.to.clone()).or(d.not_after.clone());
        if lo.is_some() || hi.is_some() {
            dates = DateBounds {
                min: lo.clone().or(hi.clone()),
                max: hi.or(lo),
                source: Some(DateSource::Dateline),
                flag: None,
            };
        }
    }
    Document {
        volume: volume.to_string(),
        id,
        n,
        subtype,
        kind: None,
        dates,
        place: paper.dateline.as_ref().and_then(|d| d.place.clone()),
        chapter,
        first_page,
        paper,
        message: None,
        citations: Vec::new(),
        messages: Vec::new(),
        people: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offices() {
        assert_eq!(
            office_before(
                "The Chargé in the Soviet Union (Henderson) to the Secretary of State",
                "Henderson",
                false
            )
            .as_deref(),
            Some("Chargé in the Soviet Union")
        );
        assert_eq!(
            office_before(
                "The Secretary of State to the Chargé in France (Marriner)",
                "Marriner",
                true
            )
            .as_deref(),
            Some("Chargé in France")
        );
        assert_eq!(
            office_before("Mr. Gresham to Mr. Baker.", "Baker", true),
            None
        );
        let h = "34. Letter From the Ambassador to Guatemala (Schoenfeld) to the Secretary of \
                 State’s Special Assistant for Intelligence (Armstrong)";
        assert_eq!(
            office_before(h, "Schoenfeld", false).as_deref(),
            Some("Ambassador to Guatemala")
        );
        assert_eq!(
            office_before(h, "Armstrong", true).as_deref(),
            Some("Secretary of State’s Special Assistant for Intelligence")
        );
        let h = "257. Memorandum of Telephone Conversation Between the Assistant Secretary of \
                 State for Inter-American Affairs (Holland) and the Ambassador to Guatemala \
                 (Peurifoy)";
        assert_eq!(
            office_before(h, "Holland", false).as_deref(),
            Some("Assistant Secretary of State for Inter-American Affairs")
        );
        assert_eq!(
            office_before(h, "Peurifoy", true).as_deref(),
            Some("Ambassador to Guatemala")
        );
        assert_eq!(
            office_before(
                "2. Memorandum From the Chief of the Western Hemisphere Division, Central \
                 Intelligence Agency (King) to Director of Central Intelligence Dulles",
                "King",
                false
            )
            .as_deref(),
            Some("Chief of the Western Hemisphere Division, Central Intelligence Agency")
        );
        assert_eq!(
            office_before(
                "12. Memorandum From [name not declassified] of the Western Hemisphere \
                 Division, Central Intelligence Agency to the Deputy Director for Plans of the \
                 Central Intelligence Agency (Wisner)",
                "Wisner",
                true
            )
            .as_deref(),
            Some("Deputy Director for Plans of the Central Intelligence Agency")
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            chancery_model::number_line("No. 00–B–57327").as_deref(),
            Some("00–B–57327")
        );
        assert_eq!(
            chancery_model::number_line("No. 20 of the series was lost."),
            None
        );
        assert_eq!(number("No. 1198").as_deref(), Some("1198"));
        assert_eq!(number("No. 962 [963]").as_deref(), Some("962"));
        assert_eq!(number("No.").as_deref(), None);
        assert_eq!(
            number("Strictly Confidential No. 17.").as_deref(),
            Some("17")
        );
    }

    #[test]
    fn unmarked_headings() {
        let mut h = Heading::default();
        names_from_text("Richard W. Leopold to George F. Kennan", &mut h);
        assert_eq!(h.senders[0].text, "Richard W. Leopold");
        assert_eq!(h.addressees[0].text, "George F. Kennan");
    }
}
