//! Correspondence threads: a document's own place in a numbered series of messages, and the
//! earlier messages it refers to by number (`My 128, December 31, 4 p.m.`, `Department's
//! instruction No. 1198, February 13th, 1936`, `your despatch No. 962 [963], February 18, 1938`).
//!
//! Posts are keyed by a lower-case country or place ([`post_key`]): `the Soviet Union`,
//! `Russia`, `U.S.S.R.` and `Moscow` are all `soviet union`. The same key is used for headings,
//! datelines and references, so a reference and the message it names meet in
//! [`MessageId::key`].

use std::collections::HashMap;
use std::sync::LazyLock;

use chancery_model::{
    BlockKind, Document, MessageId, MessageRef, Name, Node, NoteKind, Paper, Series,
};
use regex::{Captures, Regex};
use serde::Serialize;

use crate::dates;

/// Who writes a document, as far as numbered series go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Writer {
    /// The post the correspondence is with.
    post: Option<String>,
    /// `Some(true)` when the writer is at the post, `Some(false)` when the Department writes
    /// to it.
    at_post: Option<bool>,
}

/// Sets a document's own message id and its references to earlier messages, from its heading,
/// dateline, number, kind and text. Run after the kind is set.
pub fn enrich(doc: &mut Document) {
    let writer = writer(doc);
    apply(doc, &writer);
}

fn apply(doc: &mut Document, writer: &Writer) {
    doc.message = own_message(doc, writer);
    doc.messages = references(doc, writer);
}

/// Aliases of posts, lower-case, to the one key used everywhere.
const ALIASES: [(&str, &str); 22] = [
    ("russia", "soviet union"),
    ("u.s.s.r.", "soviet union"),
    ("u. s. s. r.", "soviet union"),
    ("ussr", "soviet union"),
    ("union of soviet socialist republics", "soviet union"),
    ("moscow", "soviet union"),
    ("great britain", "united kingdom"),
    ("england", "united kingdom"),
    ("london", "united kingdom"),
    ("paris", "france"),
    ("rome", "italy"),
    ("berlin", "germany"),
    ("tokyo", "japan"),
    ("cairo", "egypt"),
    ("managua", "nicaragua"),
    ("addis ababa", "ethiopia"),
    ("baghdad", "iraq"),
    ("teheran", "iran"),
    ("tehran", "iran"),
    ("persia", "iran"),
    ("kabul", "afghanistan"),
    ("guatemala city", "guatemala"),
];

/// The post key of a country or place as written: lower case, without a leading `the` or
/// trailing punctuation, aliases folded (`the Soviet Union`, `Russia`, `U.S.S.R.`, `Moscow`
/// are `soviet union`; `Great Britain` and `London` are `united kingdom`).
pub fn post_key(place: &str) -> Option<String> {
    let p = place
        .trim()
        .trim_end_matches([',', ';', ':', ')', '.'])
        .trim();
    let lower = p.to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower).trim();
    if lower.is_empty() || !lower.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let with_dots = place.trim().to_lowercase();
    let with_dots = with_dots.strip_prefix("the ").unwrap_or(&with_dots);
    let key = ALIASES
        .iter()
        .find(|(a, _)| *a == lower || *a == with_dots)
        .map_or(lower, |(_, k)| k);
    Some(key.to_string())
}

/// `… in the Soviet Union (Henderson)`, `… at Jerusalem`: the place of an office.
static OFFICE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:in|at|(?:Ambassador|Minister|Representative|Mission|Delegation)\s+to)\s+(?:the\s+)?((?:U\.\s?S\.\s?S\.\s?R\.|[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|of|del|de|la))*)",
    )
    .expect("office place pattern")
});

/// The post named in an office (`Chargé in the Soviet Union` is `soviet union`).
fn office_post(office: &str) -> Option<String> {
    let caps = OFFICE_PLACE.captures_iter(office).last()?;
    post_key(caps[1].trim_end_matches(" of"))
}

fn is_department(side: &str) -> bool {
    [
        "Secretary of State",
        "Department of State",
        "Under Secretary",
    ]
    .iter()
    .any(|d| side.contains(d))
        || side.trim().trim_start_matches("the ") == "Department"
}

/// Openings that precede the sender in later headings (`Telegram From the Embassy in …`).
static HEADING_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:No\.\s*)?\d+[A-Za-z]?\.\s*|\[\d+\]\s*)?(?:(?:Circular\s+)?(?:Telegram|Despatch|Dispatch|Airgram|Instruction|Letter|Cablegram)\s+(?i:from)\s+)?",
    )
    .expect("heading opening pattern")
});

/// What a heading says of one side: the Department, a post, or someone else.
#[derive(Debug, PartialEq)]
enum Side {
    Department,
    Post(String),
    Other,
}

fn side(text: &str, names: &[Name]) -> Side {
    if is_department(text) {
        return Side::Department;
    }
    let offices = names.iter().filter_map(|n| n.office.as_deref());
    let text_post = || {
        let t = text.split('(').next().unwrap_or(text);
        office_post(t)
    };
    match offices.filter_map(office_post).next().or_else(text_post) {
        Some(p) => Side::Post(p),
        None => Side::Other,
    }
}

/// The writer's place in the correspondence: from the heading's two sides, or for headings
/// without offices (`Mr. Baker to Mr. Gresham.`), from the dateline (`Legation of the United
/// States, Managua, Nicaragua` is the post; `Department of State, Washington` the Department).
fn writer(doc: &Document) -> Writer {
    let Some(heading) = doc.paper.heading.as_ref() else {
        return Writer::default();
    };
    let start = HEADING_OPENING.find(&heading.text).map_or(0, |m| m.end());
    let Some((from, to)) = split_heading(&heading.text[start..]) else {
        return Writer::default();
    };
    let (sender, addressee) = (side(from, &heading.senders), side(to, &heading.addressees));
    match (sender, addressee) {
        (Side::Post(p), Side::Department) => Writer {
            post: Some(p),
            at_post: Some(true),
        },
        (Side::Department, Side::Post(p)) => Writer {
            post: Some(p),
            at_post: Some(false),
        },
        (Side::Other, Side::Other) => match dateline_side(doc) {
            Some(Side::Post(p)) => Writer {
                post: Some(p),
                at_post: Some(true),
            },
            Some(Side::Department) => Writer {
                post: None,
                at_post: Some(false),
            },
            _ => Writer::default(),
        },
        _ => Writer::default(),
    }
}

/// A heading's sender and addressee, split at the first ` to ` that does not name an office
/// (`the Ambassador to Guatemala (Schoenfeld) to the Secretary …`).
fn split_heading(text: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(at) = text[from..].find(" to ").map(|i| i + from) {
        let before = text[..at].trim_end();
        let office = [
            "Ambassador",
            "Minister",
            "Representative",
            "Mission",
            "Delegation",
        ]
        .iter()
        .any(|o| before.ends_with(o));
        if !office {
            return Some((&text[..at], &text[at + 4..]));
        }
        from = at + 4;
    }
    None
}

/// A dateline's side: the Department (`Department of State, Washington`) or an American post
/// (`Legation of the United States, Managua, Nicaragua`, `United States Consulate, San Juan del
/// Norte`).
fn dateline_side(doc: &Document) -> Option<Side> {
    let place = doc.paper.dateline.as_ref()?.place.as_deref()?;
    if place.trim_start().starts_with("Department of State") {
        return Some(Side::Department);
    }
    let american = place.contains("United States") || place.contains("American");
    if !american || place.contains("Legation of the Republic") {
        return Some(Side::Other);
    }
    let last = place
        .split(',')
        .map(str::trim)
        .rfind(|p| !p.is_empty() && !p.contains("United States") && !p.contains("American"))?;
    post_key(last).map(Side::Post)
}

/// The channel a document's kind gives its own series.
fn own_channel(kind: Option<&str>, from_post: bool) -> Option<String> {
    match kind? {
        "telegram" | "airgram" | "note" | "letter" => kind.map(str::to_string),
        "despatch" | "instruction" => {
            Some(if from_post { "despatch" } else { "instruction" }.to_string())
        }
        _ => None,
    }
}

/// A telegram's number at the start of its first paragraph (`182. Referring to …`).
static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,5})\.\s").expect("leading number pattern"));

fn first_paragraph(nodes: &[Node]) -> Option<String> {
    for n in nodes {
        match n {
            Node::Block(b) if b.kind == BlockKind::Paragraph => {
                let mut s = String::new();
                plain(&b.children, &mut s);
                return Some(s);
            }
            Node::Attachment(_) | Node::Note(_) => {}
            other => {
                if let Some(p) = first_paragraph(other.children()) {
                    return Some(p);
                }
            }
        }
    }
    None
}

fn plain(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text { text } => out.push_str(text),
            Node::LineBreak => out.push(' '),
            Node::Note(_) | Node::Attachment(_) | Node::PageBreak(_) => {}
            other => plain(other.children(), out),
        }
    }
}

/// The document's own number: `paper.number`, or for a telegram the number that opens its
/// first paragraph.
fn own_number(doc: &Document) -> Option<String> {
    if let Some(n) = doc.paper.number.as_deref() {
        return n.split_whitespace().next().map(str::to_string);
    }
    if doc.kind.as_deref() != Some("telegram") {
        return None;
    }
    let p = first_paragraph(&doc.paper.content)?;
    LEADING_NUMBER.captures(&p).map(|c| c[1].to_string())
}

fn own_message(doc: &Document, writer: &Writer) -> Option<MessageId> {
    let post = writer.post.clone()?;
    let from_post = writer.at_post?;
    Some(MessageId {
        series: Series {
            post,
            from_post,
            channel: own_channel(doc.kind.as_deref(), from_post),
        },
        number: own_number(doc)?,
    })
}

/// The text of a paper in which references are sought: the body (headings, openers and
/// enclosures left out) and each footnote apart, with its id.
fn segments(paper: &Paper) -> Vec<(Option<String>, String)> {
    fn walk(nodes: &[Node], seg: usize, body: bool, out: &mut Vec<(Option<String>, String)>) {
        for n in nodes {
            match n {
                Node::Text { text } if body => out[seg].1.push_str(text),
                Node::LineBreak if body => out[seg].1.push(' '),
                Node::Note(note) if note.kind != NoteKind::Source => {
                    out.push((note.id.clone(), String::new()));
                    let at = out.len() - 1;
                    walk(&note.children, at, true, out);
                }
                Node::Block(b) => {
                    let keep = body
                        && !matches!(
                            b.kind,
                            BlockKind::Head | BlockKind::Opener | BlockKind::Dateline
                        );
                    out[seg].1.push(' ');
                    walk(&b.children, seg, keep, out);
                    out[seg].1.push(' ');
                }
                Node::Attachment(_) | Node::Note(_) => {}
                other => walk(other.children(), seg, body, out),
            }
        }
    }
    let mut out = vec![(None, String::new())];
    walk(&paper.content, 0, true, &mut out);
    out
}

const WHO: &str = r"(?P<who>my|our|your|his|its|(?:the\s+)?(?:Department|Embassy|Legation|Consulate(?:[\s-]General)?|Mission|Consul(?:[\s-]General)?|Minister|Ambassador|Chargé)[’']s)";
const ADJ: &str = r"(?P<adj>(?:(?:own|circular|confidential|strictly\s+confidential|secret|mail|telegraphic|urgent|personal)\s+)*)";
const CHANNEL: &str = r"(?P<ch>telegrams?|cablegrams?|cables?|despatch(?:es)?|dispatch(?:es)?|instructions?|notes?|airgrams?|letters?)";
const NUMBER: &str = r"(?P<no>Nos?\.\s*)?(?P<num>\d{1,5})(?-u:\b)(?:\s*\[\d{1,5}\])?";

/// The start of a reference: who numbered it, the channel, the number.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?:{WHO}\s+{ADJ}(?:{CHANNEL}\s+)?|{}{}\s+){NUMBER}",
        ADJ.replace("?P<adj>", "?P<adj2>"),
        CHANNEL.replace("?P<ch>", "?P<ch2>"),
    ))
    .expect("reference pattern")
});

/// A further number in a list (`… and No. 227`, `, 262, and 264`).
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){NUMBER}"
    ))
    .expect("continuation pattern")
});

/// The date after a number: `, March 10, noon`, `, February 13th, 1936`, `of the 8th instant`.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^,?\s*(?:(?:of|dated|sent)\s+)?(?:(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s*(?P<day>\d{1,2})(?:st|nd|rd|th|d)?(?-u:\b)(?:,?\s*(?P<year>1[6-9]\d\d|20\d\d)(?-u:\b))?(?:(?:,\s*|\s*[—–-]\s*)(?P<time>\d{1,2}(?:[:.]\d{2})?\s*[ap]\.\s?m\.|noon|midnight))?|(?:the\s+)?(?P<rday>\d{1,2})(?:st|nd|rd|th|d)\s+(?P<rel>instant|inst(?-u:\b)|ultimo|ult(?-u:\b)))",
    )
    .expect("date tail pattern")
});

/// `from the Chargé in the United Kingdom`, `to the Ambassador in Japan` after a reference.
static DIRECTION_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[,.]?\s*(?P<dir>from|to)\s+(?:the\s+)?(?:American\s+)?(?P<office>(?:[\w’'.-]+\s+){0,5}?)(?:in|at)\s+(?:the\s+)?(?P<place>(?:U\.\s?S\.\s?S\.\s?R\.|[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'-]*|of))*)",
    )
    .expect("direction tail pattern")
});

/// `the Chargé in Italy in his despatch`, `to the Minister Resident in Ethiopia as
/// Department's telegram`: the last office with a place before a reference.
static OFFICE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:Ambassador|Minister(?:\s+Resident)?|Chargé(?:\s+d’Affaires)?|Consul(?:\s+General)?|Embassy|Legation|Consulate(?:\s+General)?|Agent)\s+(?:in|at)\s+(?:the\s+)?((?:U\.\s?S\.\s?S\.\s?R\.|[A-Z][\w’'.-]*)(?:\s+[A-Z][\w’'-]*)*)",
    )
    .expect("office before pattern")
});

/// Who a reference says numbered the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Mine,
    Yours,
    Department,
    Post,
    Third,
    Unsaid,
}

fn who(word: Option<&str>) -> Who {
    let Some(w) = word else { return Who::Unsaid };
    let w = w.to_lowercase();
    match w.as_str() {
        "my" | "our" => Who::Mine,
        "your" => Who::Yours,
        "his" | "its" => Who::Third,
        _ if w.contains("department") => Who::Department,
        _ => Who::Post,
    }
}

fn channel_word(word: &str, adjectives: &str) -> String {
    let w = word.to_lowercase();
    if adjectives.to_lowercase().contains("telegraphic") || w.starts_with("cable") {
        return "telegram".into();
    }
    for (stem, channel) in [
        ("telegram", "telegram"),
        ("despatch", "despatch"),
        ("dispatch", "despatch"),
        ("instruction", "instruction"),
        ("note", "note"),
        ("airgram", "airgram"),
        ("letter", "letter"),
    ] {
        if w.starts_with(stem) {
            return channel.into();
        }
    }
    w
}

/// A calendar day as `(year, month, day)`, from the first ten characters of an ISO date.
pub(crate) fn ymd(iso: &str) -> Option<(i32, u32, u32)> {
    let d = iso.get(..10)?;
    let y = d.get(..4)?.parse().ok()?;
    let m = d.get(5..7)?.parse().ok()?;
    let dd = d.get(8..10)?.parse().ok()?;
    Some((y, m, dd))
}

/// The ISO day a reference's date names, the year taken from the citing document when the
/// reference gives none (a year earlier when the month is later than the citing month).
fn tail_date(c: &Captures, citing: Option<(i32, u32, u32)>) -> Option<String> {
    if let Some(mon) = c.name("mon") {
        let m = dates::month(mon.as_str())?;
        let d: u32 = c.name("day")?.as_str().parse().ok()?;
        let y = match c.name("year") {
            Some(y) => y.as_str().parse().ok()?,
            None => {
                let (cy, cm, _) = citing?;
                if m > cm {
                    cy - 1
                } else {
                    cy
                }
            }
        };
        return dates::day(y, m, d);
    }
    let d: u32 = c.name("rday")?.as_str().parse().ok()?;
    let (cy, cm, _) = citing?;
    let ultimo = c.name("rel")?.as_str().to_lowercase().starts_with("ult");
    let (y, m) = match (ultimo, cm) {
        (false, _) => (cy, cm),
        (true, 1) => (cy - 1, 12),
        (true, _) => (cy, cm - 1),
    };
    dates::day(y, m, d)
}

/// One reference as read, before its series is worked out.
struct Raw {
    text: String,
    who: Who,
    channel: Option<String>,
    number: String,
    date: Option<String>,
    timed: bool,
    explicit: Option<(String, bool)>,
    before: Option<String>,
}

/// Reads the references in one text.
fn scan(text: &str, citing: Option<(i32, u32, u32)>) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = REFERENCE.captures_at(text, at) {
        let whole = c.get(0).expect("match");
        at = whole.end();
        let w = who(c.name("who").map(|m| m.as_str()));
        let ch = c.name("ch").or_else(|| c.name("ch2"));
        let adjectives = c
            .name("adj")
            .or_else(|| c.name("adj2"))
            .map_or("", |m| m.as_str());
        if ch.is_none() && matches!(w, Who::Third) {
            continue;
        }
        // Without a possessive, notes and letters need their `No.` (`Notes 1` is a heading).
        let numbered = c.name("no").is_some();
        if w == Who::Unsaid
            && !numbered
            && ch.is_some_and(|m| {
                let word = m.as_str().to_lowercase();
                word.starts_with("note") || word.starts_with("letter")
            })
        {
            continue;
        }
        let plural = ch.is_some_and(|m| m.as_str().to_lowercase().ends_with('s'))
            || c.name("no")
                .is_some_and(|m| m.as_str().to_lowercase().starts_with("nos"));
        let channel = ch.map(|m| channel_word(m.as_str(), adjectives));
        let before = {
            let mut s = whole.start().saturating_sub(160);
            while !text.is_char_boundary(s) {
                s += 1;
            }
            OFFICE_BEFORE
                .captures_iter(&text[s..whole.start()])
                .last()
                .and_then(|b| post_key(&b[1]))
        };
        let first = out.len();
        let mut start = whole.start();
        let mut number = c["num"].to_string();
        loop {
            let (date, timed, end) = match DATE_TAIL.captures(&text[at..]) {
                Some(d) => (
                    tail_date(&d, citing),
                    d.name("time").is_some(),
                    at + d.get(0).expect("match").end(),
                ),
                None => (None, false, at),
            };
            // A bare possessive (`my 45`) must be followed by a date or end its phrase.
            let bare = ch.is_none() && c.name("no").is_none();
            let ends_phrase = text[end..]
                .trim_start()
                .chars()
                .next()
                .is_none_or(|ch| matches!(ch, ',' | '.' | ';' | ':' | ')' | '(' | '—'))
                || text[end..].trim_start().starts_with("and ");
            if first == out.len() && bare && date.is_none() && !ends_phrase {
                break;
            }
            let dated = end > at;
            at = end;
            out.push(Raw {
                text: text[start..end].trim_end_matches([',', ' ']).to_string(),
                who: w,
                channel: channel.clone(),
                number,
                date,
                timed,
                explicit: None,
                before: before.clone(),
            });
            match CONTINUATION.captures(&text[at..]) {
                // After a date, a bare number is a day (`871, April 12, 14, and 23`).
                Some(k) if (plural && !dated) || k.name("no").is_some() => {
                    let num = k.name("num").expect("number");
                    start = at + num.start() - k.name("no").map_or(0, |n| n.len());
                    number = num.as_str().to_string();
                    at += k.get(0).expect("match").end();
                }
                _ => break,
            }
        }
        if let Some(d) = DIRECTION_TAIL.captures(&text[at..]) {
            if let Some(post) = post_key(&d["place"]) {
                let from_post = d["dir"].eq_ignore_ascii_case("from");
                for r in &mut out[first..] {
                    r.explicit = Some((post.clone(), from_post));
                }
            }
        }
    }
    out
}

/// Works out a reference's series from the writer's point of view.
fn series(raw: &Raw, writer: &Writer, in_note: bool) -> (Option<String>, bool) {
    if let Some((post, from_post)) = &raw.explicit {
        return (Some(post.clone()), *from_post);
    }
    let post = writer.post.clone();
    match raw.who {
        Who::Mine => (post, writer.at_post.unwrap_or(true)),
        Who::Yours => (post, !writer.at_post.unwrap_or(true)),
        Who::Department => (raw.before.clone().or(post), false),
        Who::Post => (raw.before.clone().or(post), true),
        Who::Third => (
            raw.before.clone().or(post),
            raw.channel.as_deref() != Some("instruction"),
        ),
        Who::Unsaid => {
            let from_post = match raw.channel.as_deref() {
                Some("instruction") => false,
                Some("despatch") => true,
                _ => writer.at_post.unwrap_or(true),
            };
            if in_note {
                (raw.before.clone(), from_post)
            } else {
                (post, from_post)
            }
        }
    }
}

fn references(doc: &Document, writer: &Writer) -> Vec<MessageRef> {
    let citing = doc.dates.min.as_deref().and_then(ymd);
    let kind = doc.kind.as_deref();
    let mut out: Vec<MessageRef> = Vec::new();
    for (note, text) in segments(&doc.paper) {
        for raw in scan(&text, citing) {
            let (post, from_post) = series(&raw, writer, note.is_some());
            let channel = raw.channel.clone().or_else(|| {
                if raw.timed || kind == Some("telegram") {
                    Some("telegram".into())
                } else if matches!(kind, Some("despatch" | "instruction")) {
                    Some(if from_post { "despatch" } else { "instruction" }.into())
                } else {
                    None
                }
            });
            let mut message = MessageId {
                series: Series {
                    post: post.unwrap_or_default(),
                    from_post,
                    channel,
                },
                number: raw.number,
            };
            // A note that repeats a number cited before (`Telegram No. 193, June 4 …; not
            // printed.`) names the same message.
            if note.is_some() && raw.who == Who::Unsaid && raw.explicit.is_none() {
                if let Some(prev) = out
                    .iter()
                    .find(|r| r.note.is_none() && r.message.number == message.number)
                {
                    message.series = prev.message.series.clone();
                }
            }
            // Named again without its date (`my 208, December 5 …; my 208`): the same message.
            let date = raw.date.or_else(|| {
                let key = message.key();
                out.iter()
                    .find(|r| r.date.is_some() && r.message.key() == key)
                    .and_then(|r| r.date.clone())
            });
            out.push(MessageRef {
                text: raw.text,
                message,
                date,
                note: note.clone(),
            });
        }
    }
    out
}

/// Fills what a single document cannot know: the post of a Department writer whose heading
/// names the addressee without an office (`Mr. Gresham to Mr. Baker.`), learnt from the
/// addressee's own letters in the volume; then recomputes those documents' threads.
pub(crate) fn complete(docs: &mut [Document]) {
    let mut posts: HashMap<String, String> = HashMap::new();
    let writers: Vec<Writer> = docs.iter().map(writer).collect();
    for (doc, w) in docs.iter().zip(&writers) {
        if let (Some(p), Some(true)) = (&w.post, w.at_post) {
            for s in doc.paper.heading.iter().flat_map(|h| &h.senders) {
                posts.entry(s.text.clone()).or_insert_with(|| p.clone());
            }
        }
    }
    for (doc, w) in docs.iter_mut().zip(writers) {
        if w.post.is_none() && w.at_post == Some(false) {
            let learnt = doc
                .paper
                .heading
                .iter()
                .flat_map(|h| &h.addressees)
                .find_map(|a| posts.get(&a.text).cloned());
            if let Some(post) = learnt {
                let w = Writer {
                    post: Some(post),
                    at_post: Some(false),
                };
                apply(doc, &w);
            }
        }
    }
}

/// For each reference of each document (`citing`, index in its `messages`): the document of
/// the same volume it names, when there is one: same series key and number, dated the day the
/// reference gives (when it gives one), not later than the citing document, never itself. A
/// reference without a channel matches any channel of its post and direction.
pub fn resolve_within(docs: &[Document]) -> Vec<(usize, usize, Option<usize>)> {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(m) = &d.message {
            by_key.entry(m.key()).or_default().push(i);
            let any = Series {
                channel: None,
                ..m.series.clone()
            };
            by_key
                .entry(format!("{}:{}", any.key(), m.number))
                .or_default()
                .push(i);
        }
    }
    fn day(d: &Document) -> Option<&str> {
        d.dates.min.as_deref().and_then(|s| s.get(..10))
    }
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for (j, r) in d.messages.iter().enumerate() {
            let target = (!r.message.series.post.is_empty())
                .then(|| by_key.get(&r.message.key()))
                .flatten()
                .and_then(|c| {
                    c.iter().copied().rfind(|&t| {
                        t != i
                            && match (day(&docs[t]), day(d)) {
                                (Some(td), Some(cd)) => td <= cd,
                                _ => true,
                            }
                            && match (&r.date, day(&docs[t])) {
                                (Some(rd), Some(td)) => rd == td,
                                (Some(_), None) => false,
                                (None, _) => true,
                            }
                    })
                });
            out.push((i, j, target));
        }
    }
    out
}

/// What was found in a volume's documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThreadReport {
    /// Documents.
    pub documents: usize,
    /// Documents whose own place in a series is known.
    pub with_message: usize,
    /// References to earlier messages by number.
    pub references: usize,
    /// References whose post is known.
    pub with_series: usize,
    /// References that name a document of the same documents ([`resolve_within`]).
    pub resolved_within: usize,
    /// Documents whose date bounds were inferred.
    pub inferred_dates: usize,
}

/// Counts references, series and in-volume resolutions over a volume's documents.
pub fn report(docs: &[Document]) -> ThreadReport {
    let refs = docs.iter().flat_map(|d| &d.messages);
    ThreadReport {
        documents: docs.len(),
        with_message: docs.iter().filter(|d| d.message.is_some()).count(),
        references: refs.clone().count(),
        with_series: refs.filter(|r| !r.message.series.post.is_empty()).count(),
        resolved_within: resolve_within(docs)
            .iter()
            .filter(|(_, _, t)| t.is_some())
            .count(),
        inferred_dates: docs
            .iter()
            .filter(|d| d.dates.source == Some(chancery_model::DateSource::Inferred))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts() {
        for (place, key) in [
            ("the Soviet Union", "soviet union"),
            ("Russia", "soviet union"),
            ("U.S.S.R.", "soviet union"),
            ("Moscow", "soviet union"),
            ("Great Britain", "united kingdom"),
            ("the United Kingdom", "united kingdom"),
            ("Egypt", "egypt"),
        ] {
            assert_eq!(post_key(place).as_deref(), Some(key), "{place}");
        }
        assert_eq!(
            office_post("Chargé in the Soviet Union").as_deref(),
            Some("soviet union")
        );
        assert_eq!(
            office_post("Consul General at Jerusalem").as_deref(),
            Some("jerusalem")
        );
        assert_eq!(post_key(""), None);
    }

    #[test]
    fn reads_references() {
        let refs = scan(
            "98. Your telegrams No. 182, March 10, noon, and No. 227, March 16, 7:00 p.m. You are",
            Some((1936, 3, 23)),
        );
        let got: Vec<_> = refs
            .iter()
            .map(|r| (r.text.as_str(), r.number.as_str(), r.date.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Your telegrams No. 182, March 10, noon",
                    "182",
                    Some("1936-03-10")
                ),
                ("No. 227, March 16, 7:00 p.m.", "227", Some("1936-03-16")),
            ]
        );
        let refs = scan("My 128, December 31, 4 p.m.", Some((1936, 1, 2)));
        assert_eq!(refs[0].date.as_deref(), Some("1935-12-31"));
        assert!(refs[0].timed);
        let refs = scan("in my No. 282 of the 8th instant, and", Some((1894, 6, 20)));
        assert_eq!(refs[0].date.as_deref(), Some("1894-06-08"));
        assert!(scan("my 2 sons and your 3 daughters", None).is_empty());
        assert!(scan("No. 458 not printed.", None).is_empty());
        let refs = scan(
            "See telegram No. 315, June 18, 1936, 6 p.m. from the Chargé in the United Kingdom, p. 158.",
            None,
        );
        assert_eq!(refs[0].explicit, Some(("united kingdom".to_string(), true)));
        let refs = scan("Telegrams Nos. 260, 262, and 264 not printed", None);
        let nums: Vec<_> = refs.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(nums, ["260", "262", "264"]);
    }
}
