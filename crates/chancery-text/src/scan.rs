//! Recognisers for single lines: source notes and file numbers, page markers, enclosure labels,
//! numbers, datelines and dates, salutations, closers, signatures and heading names.

use chancery_model::{DateNode, FileNumber, Heading, MentionKind, Name, SourceNote};

/// A source note line: `861.00B/680`, `793.94/11936: Telegram`, `Source: …`.
pub(crate) fn source_note(line: &str) -> Option<SourceNote> {
    let t = line.trim();
    if t.starts_with("Source:") {
        return Some(SourceNote {
            text: t.to_string(),
            file_numbers: file_numbers_in(t),
            channel: None,
        });
    }
    let b = t.as_bytes();
    if b.len() < 4 || !b[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if t.len() > 400 {
        return None;
    }
    let (numbers, channel) = match t.find(": ") {
        Some(p) => (&t[..p], Some(t[p + 2..].trim())),
        None => (t.strip_suffix(':').unwrap_or(t), None),
    };
    if numbers.len() > 160 || channel.is_some_and(|c| c.is_empty() || c.len() > 60) {
        return None;
    }
    let parts: Vec<&str> = numbers
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || !parts.iter().all(|p| looks_like_file_number(p)) {
        return None;
    }
    Some(SourceNote {
        text: t.to_string(),
        file_numbers: parts.iter().map(|p| file_number(p)).collect(),
        channel: channel.map(|c| c.trim_end_matches('.').to_string()),
    })
}

/// `861.00B/680`, `884.001 Selassie I/123`, `800.00 Waivers 13—`.
fn looks_like_file_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) {
        return false;
    }
    match s.split_once('/') {
        Some((key, item)) => {
            !item.is_empty()
                && !item.contains(' ')
                && item.chars().any(|c| c.is_alphanumeric())
                && key.split_whitespace().count() <= 6
        }
        None => {
            let mut ws = s.split_whitespace();
            let first = ws.next().unwrap_or("");
            let class = first.split_once('.').is_some_and(|(a, b)| {
                a.len() == 3 && !b.is_empty() && b.chars().all(|c| c.is_ascii_alphanumeric())
            });
            let subject = ws.next().is_some_and(|w| w.starts_with(char::is_uppercase));
            s.len() <= 40 && class && subject && s.split_whitespace().count() <= 4
        }
    }
}

fn file_number(s: &str) -> FileNumber {
    let (key, item) = match s.split_once('/') {
        Some((k, i)) => (k, Some(i.to_string())),
        None => (s, None),
    };
    FileNumber {
        text: s.to_string(),
        key: key.trim().replace(['–', '—'], "-"),
        item,
        gloss: Vec::new(),
    }
}

/// File numbers anywhere in a line (`… Central Files, 714.00/1–2654. Secret.`).
fn file_numbers_in(t: &str) -> Vec<FileNumber> {
    t.split([' ', ';', ','])
        .map(|w| w.trim_end_matches(['.', ')']))
        .filter(|w| {
            w.len() > 4
                && w.as_bytes()[..3].iter().all(u8::is_ascii_digit)
                && w.contains('/')
                && looks_like_file_number(w)
        })
        .map(file_number)
        .collect()
}

/// The page of a `[Page N]` line or marker starting at `s`, with the marker's byte length.
pub(crate) fn page_marker(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix("[Page ")?;
    // The page number may itself be bracketed: `[Page [530]]`.
    let end = if rest.starts_with('[') {
        rest.find(']').map(|p| p + 1)?
    } else {
        rest.find(']')?
    };
    let n = &rest[..end];
    if n.is_empty() || n.len() > 20 || n.contains(char::is_whitespace) {
        return None;
    }
    rest[end..].starts_with(']').then_some((n, 6 + end + 1))
}

/// A line holding only `[Page N]`.
pub(crate) fn page_line(line: &str) -> Option<&str> {
    let t = line.trim();
    page_marker(t).and_then(|(n, len)| (len == t.len()).then_some(n))
}

/// An enclosure label line: `[Enclosure 1—Translation]`, `[Inclosures in No. 39.]`, also as
/// misprinted (`[Incloaure 2 in No. 58.]`).
pub(crate) fn label(line: &str) -> bool {
    // A footnote marker may follow the bracket: `[Inclosure in No. 73.]1`.
    let t = line.trim().trim_end_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '*' | '†' | '‡' | '§' | '⁰' | '¹' | '²' | '³' | '⁴'..='⁹')
    });
    let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return false;
    };
    let word = inner
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let enclosure = ["Inclo", "Enclo", "Subinclo", "Subenclo"]
        .iter()
        .any(|p| word.starts_with(p))
        && word.len() <= 14
        && word.ends_with(['e', 's']);
    t.len() <= 200 && (enclosure || matches!(word, "Annex" | "Attachment" | "Appendix" | "Tab"))
}

/// The line the writer puts before an enclosure that has no label of its own.
pub(crate) const UNLABELED: &str = "[Unlabeled enclosure]";

/// Whether a line is [`UNLABELED`]: an enclosure begins here, without a label.
pub(crate) fn unlabeled(line: &str) -> bool {
    line.trim() == UNLABELED
}

pub(crate) use chancery_model::number_line;

const MONTHS: [(&str, u32); 12] = [
    ("January", 1),
    ("February", 2),
    ("March", 3),
    ("April", 4),
    ("May", 5),
    ("June", 6),
    ("July", 7),
    ("August", 8),
    ("September", 9),
    ("October", 10),
    ("November", 11),
    ("December", 12),
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(',');
    let (w, abbr) = match w.strip_suffix('.') {
        Some(x) => (x, true),
        None => (w, false),
    };
    MONTHS.iter().find_map(|(name, m)| {
        (w == *name || ((abbr || w.len() == 3) && w.len() >= 3 && name.starts_with(w)))
            .then_some(*m)
    })
}

/// A date found in a line: its byte span and ISO value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub when: String,
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn day(s: &str) -> Option<u32> {
    let s = s.trim_end_matches(',');
    let s = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|x| s.strip_suffix(x))
        .unwrap_or(s);
    digits(s).filter(|d| (1..=31).contains(d))
}

fn year(s: &str) -> Option<u32> {
    let s = s.trim_end_matches([',', '.', '”', '"', '’']);
    (s.len() == 4).then(|| digits(s)).flatten()
}

/// Words of `s` with their byte spans.
fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || c == '—' {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// The first full date in `s` (`February 14, 1938`, `12th February, 1894`, `18.1.38`), with a
/// time that follows it (`—2 p.m.`, `, 1938Z`, `, 6:31 p.m.`, `—noon`).
pub(crate) fn find_date(s: &str) -> Option<FoundDate> {
    let w = words(s);
    for i in 0..w.len() {
        let (start, word) = w[i];
        let found = if let Some(m) = month(word) {
            // Month D, YYYY; Month D [E], YYYY (a corrected day); Month D–E, YYYY (a range)
            let d = w
                .get(i + 1)
                .and_then(|x| day(x.1).or_else(|| day_range(x.1)));
            let corrected = w.get(i + 2).is_some_and(|x| correction_word(x.1));
            let at = i + 2 + usize::from(corrected);
            let y = w.get(at).and_then(|x| year(x.1));
            match (d, y) {
                (Some(d), Some(y)) => Some((y, m, d, at)),
                _ => None,
            }
        } else if let Some(d) = day(word) {
            // D Month YYYY, Dth Month, YYYY
            let m = w.get(i + 1).and_then(|x| month(x.1));
            let y = w.get(i + 2).and_then(|x| year(x.1));
            match (m, y) {
                (Some(m), Some(y)) => Some((y, m, d, i + 2)),
                _ => None,
            }
        } else {
            numeric_date(word).map(|(y, m, d)| (y, m, d, i))
        };
        let Some((y, m, d, last)) = found else {
            continue;
        };
        let (ls, lw) = w[last];
        let core = lw.trim_end_matches(|c: char| !c.is_ascii_digit());
        let mut end = ls + core.len();
        let mut when = format!("{y:04}-{m:02}-{d:02}");
        if let Some((t, len)) = time_after(&s[end..]) {
            when.push_str(&t);
            end += len;
        }
        return Some(FoundDate { start, end, when });
    }
    None
}

/// The first day of a range `29-30,`.
fn day_range(s: &str) -> Option<u32> {
    let (a, b) = s.trim_end_matches(',').split_once(['-', '–'])?;
    day(b)?;
    day(a)
}

/// An editorial correction between day and year: `[12],`.
fn correction_word(s: &str) -> bool {
    s.trim_end_matches(',')
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|r| digits(r).is_some())
}

/// `18.1.38` or `18.1.1938`: day, month, year.
fn numeric_date(word: &str) -> Option<(u32, u32, u32)> {
    let w = word.trim_matches(|c: char| !c.is_ascii_digit());
    let mut it = w.split('.');
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let (d, m) = (digits(d)?, digits(m)?);
    let y = match y.len() {
        2 => 1900 + digits(y)?,
        4 => digits(y)?,
        _ => return None,
    };
    ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some((y, m, d))
}

/// A time right after a date: `—2 p.m.`, `—10:30 a.m.`, `—noon`, `, 1938Z`, `, 6:31 p.m.`, a
/// time the editors supplied (` [—5 p.m.]`), a span (`, 9:40 a.m.-12:10 p.m.`, its start).
fn time_after(rest: &str) -> Option<(String, usize)> {
    if let Some(inner) = rest.strip_prefix(" [") {
        let close = inner.find(']')?;
        let (t, len) = time_after(&inner[..close])?;
        return (len == close).then_some((t, close + 3));
    }
    let (t, len) = clock(rest)?;
    let tail = &rest[len..];
    let span = ['-', '–']
        .iter()
        .find_map(|&sep| {
            let r = tail.strip_prefix(sep)?;
            let (_, l) = clock(&format!("—{r}"))?;
            Some(sep.len_utf8() + l - '—'.len_utf8())
        })
        .unwrap_or(0);
    Some((t, len + span))
}

/// One time after its separator (`—2 p.m.`, `, 1938Z`).
fn clock(rest: &str) -> Option<(String, usize)> {
    let body = rest.strip_prefix('—').or_else(|| rest.strip_prefix(", "))?;
    let skip = rest.len() - body.len();
    for (word, h) in [("noon", 12), ("midnight", 0)] {
        if body.starts_with(word) {
            return Some((format!("T{h:02}:00:00"), skip + word.len()));
        }
    }
    let num_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(body.len());
    let num = &body[..num_len];
    let after = &body[num_len..];
    if num.len() == 4 && !num.contains(':') && after.starts_with('Z') {
        let (h, m) = (digits(&num[..2])?, digits(&num[2..])?);
        return (h < 24 && m < 60).then(|| (format!("T{h:02}:{m:02}:00"), skip + 5));
    }
    let (h, m) = match num.split_once(':') {
        Some((h, m)) => (digits(h)?, digits(m)?),
        None => (digits(num)?, 0),
    };
    let (pm, len) = if after.starts_with(" p.m.") {
        (true, 5)
    } else if after.starts_with(" a.m.") {
        (false, 5)
    } else {
        return None;
    };
    if !(1..=12).contains(&h) || m >= 60 {
        return None;
    }
    let h = match (pm, h) {
        (true, 12) => 12,
        (true, h) => h + 12,
        (false, 12) => 0,
        (false, h) => h,
    };
    Some((format!("T{h:02}:{m:02}:00"), skip + num_len + len))
}

/// Whether a block of text (lines joined by spaces, receipt line removed) is a dateline: a
/// short text ending with a date (and time).
pub(crate) fn dateline_date(text: &str) -> Option<FoundDate> {
    if text.len() > 250 || text.is_empty() {
        return None;
    }
    let d = find_date(text)?;
    let tail = text[d.end..].trim();
    let tail_ok = tail
        .chars()
        .all(|c| matches!(c, '.' | ',' | '”' | '"' | '’' | ')' | ']' | ' '));
    let head = &text[..d.start];
    let head_ok = (!head.contains(". ") || head.len() < 80) && !head.contains(['“', '"']);
    (tail_ok && head_ok && head.split_whitespace().count() <= 12).then_some(d)
}

/// The span of a receipt line `[Received …]` / `(Received …)` in `text`, and its inner text.
pub(crate) fn received(text: &str) -> Option<(usize, String)> {
    ["[Received", "(Received"].iter().find_map(|open| {
        let at = text.find(open)?;
        let close = if open.starts_with('[') { ']' } else { ')' };
        let inner = &text[at + 1..];
        let end = inner.find(close).unwrap_or(inner.len());
        Some((at, inner[..end].trim().to_string()))
    })
}

/// The place of a dateline: the text before its date, without the brackets of a place the
/// editors supplied (`[Washington,]`) and trailing commas; a declassification gap (`[place not
/// declassified]`) stays as printed.
pub(crate) fn place(before_date: &str) -> Option<String> {
    let t = before_date.trim().trim_end_matches(',').trim_end();
    let p = if gap(t) {
        t.to_string()
    } else {
        t.trim_start_matches('[').replace(",]", "").replace(']', "")
    };
    let p = p.trim().trim_end_matches(',').trim();
    (!p.is_empty() && p.len() < 120).then(|| p.to_string())
}

/// Where an undated dateline's `undated` begins (`Washington, undated.`, `Addis Ababa
/// [undated].`, `Paris [undated.]`): the byte offset of the separator before it.
pub(crate) fn undated_at(text: &str) -> Option<usize> {
    let t = text.trim_end();
    let core = t.trim_end_matches(['.', ']', ' ']);
    let head = core.strip_suffix("undated")?;
    let head = head.strip_suffix('[').unwrap_or(head);
    let head = head.trim_end();
    let head = head.strip_suffix(',').unwrap_or(head);
    (t.len() <= 200 && !head.trim().is_empty() && head.split_whitespace().count() <= 12)
        .then_some(head.len())
}

/// Whether a text (receipt line removed) is a dateline, dated or undated.
pub(crate) fn is_dateline(text: &str) -> bool {
    dateline_date(text).is_some() || undated_at(text).is_some()
}

/// A date node for a found date.
pub(crate) fn date_node(text: &str, d: &FoundDate) -> DateNode {
    DateNode {
        when: Some(d.when.clone()),
        children: vec![chancery_model::Node::text(&text[d.start..d.end])],
        ..DateNode::default()
    }
}

/// A line that is a salutation by itself: `Sir:`, `My dear Mr. Secretary:`.
pub(crate) fn salutation_line(line: &str) -> bool {
    let t = line.trim();
    t.len() <= 60
        && (t.ends_with(':') || t.ends_with(','))
        && chancery_model::salutation_prefix(&format!("{}:", &t[..t.len() - 1])).is_some()
}

/// A complimentary close: `Respectfully yours,`, `I have, etc.`, `Very respectfully, etc.`.
pub(crate) fn closer_line(line: &str) -> bool {
    let t = line.trim();
    if t.len() > 120 || t.is_empty() {
        return false;
    }
    let lower = t.to_lowercase();
    let ends = t.ends_with(',') || lower.ends_with("etc.") || lower.ends_with("etc.,");
    ends && [
        "yours",
        "respect",
        "sincerely",
        "faithfully",
        "i have, etc",
        "i am, etc",
        "accept",
        "believe me",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// First words of a signer's title.
const TITLE_WORDS: [&str; 20] = [
    "Chief",
    "Acting",
    "Counselor",
    "Under",
    "Assistant",
    "First",
    "Second",
    "Third",
    "Deputy",
    "Director",
    "Secretary",
    "Minister",
    "Ambassador",
    "Consul",
    "Vice",
    "Special",
    "Lt.",
    "Gen.",
    "Col.",
    "Capt.",
];

/// Whether a line after a signature is the signer's title: `Chief, Division of Near Eastern
/// Affairs`, `Counselor of Embassy`, `CWH`, `CPM/PBSUCCESS`.
pub(crate) fn title_line(line: &str) -> bool {
    let t = line.trim();
    let first = t
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(',');
    let acronym = first.chars().filter(char::is_ascii_uppercase).count() >= 2
        && !first.contains(|c: char| c.is_lowercase() || c == '.');
    t.len() <= 80 && (TITLE_WORDS.contains(&first) || acronym)
}

const PARTICLES: [&str; 14] = [
    "of", "the", "and", "de", "da", "del", "van", "von", "for", "y", "la", "le", "du", "in",
];

/// Whether a line looks like a signature: a few capitalised words (`Loy W. Henderson`,
/// `H. A. Herbert,`, `Secretary of the Navy.`).
pub(crate) fn signature_line(line: &str) -> bool {
    let t = line.trim();
    let ws: Vec<&str> = t.split_whitespace().collect();
    if ws.is_empty()
        || ws.len() > 10
        || t.len() > 100
        || t.ends_with(':')
        || t.ends_with('?')
        || t.matches(',').count() > 2
    {
        return false;
    }
    ws.iter().all(|w| {
        let w = w.trim_start_matches(['(', '“', '"', '[']);
        match w.chars().next() {
            Some(c) if c.is_uppercase() => true,
            Some(c) if c.is_alphabetic() => PARTICLES.contains(&w.trim_end_matches([',', '.'])),
            Some(_) => w.chars().all(|c| !c.is_alphanumeric()),
            None => true,
        }
    })
}

/// Senders and addressees of a heading, from its text: `The Chargé in the Soviet Union
/// (Henderson) to the Secretary of State`, `No. 2. Mr. Gresham to Mr. Baker.`, `5. Telegram From
/// the Central Intelligence Agency to the CIA Station in Guatemala`, `Memorandum by the Chief of
/// the Division … (Murray) to …`, `Memorandum of Conversation Between A (X) and B (Y)`.
pub(crate) fn heading(text: &str) -> Heading {
    let mut h = Heading {
        text: text.to_string(),
        ..Heading::default()
    };
    let mut t = text.trim().trim_end_matches('.');
    // Leading numbers: `No. 2.`, `5.`
    for _ in 0..2 {
        let s = t.strip_prefix("No. ").unwrap_or(t);
        if let Some(p) = s.find(". ") {
            if p > 0 && s[..p].chars().all(|c| c.is_ascii_digit()) {
                t = &s[p + 2..];
            }
        }
    }
    let lower = t.to_lowercase();
    let kind_end = [(" between the ", 9), ("from ", 5), (" by the ", 4)]
        .iter()
        .find_map(|(w, skip)| lower.find(w).filter(|&p| p < 60).map(|p| (p + skip, *w)));
    let body = kind_end.map_or(t, |(p, _)| &t[p..]);
    let sep = match kind_end {
        Some((_, " between the ")) => " and ",
        _ => " to ",
    };
    let Some((a, b)) = split_parties(body, sep) else {
        return h;
    };
    if kind_end.is_none() && !a.ends_with(')') && t.split_whitespace().count() > 16 {
        return h;
    }
    h.senders.push(name(a));
    h.addressees.push(name(b));
    h
}

/// Splits the parties at `sep` (` to `, ` and `) outside parentheses and brackets: right after a
/// party's `(Surname)` when there is one, else at the first.
fn split_parties<'s>(s: &'s str, sep: &str) -> Option<(&'s str, &'s str)> {
    let mut depth = 0i32;
    let mut first = None;
    let mut after_paren = None;
    for (i, c) in s.bytes().enumerate() {
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b' ' if depth == 0 && s[i..].starts_with(sep) => {
                first.get_or_insert(i);
                if after_paren.is_none() && s[..i].ends_with(')') {
                    after_paren = Some(i);
                }
            }
            _ => {}
        }
    }
    let i = after_paren.or(first)?;
    let (x, y) = (s[..i].trim(), s[i + sep.len()..].trim());
    (!x.is_empty() && !y.is_empty() && x.len() <= 120 && y.len() <= 120).then_some((x, y))
}

/// Titles printed before a surname (`President Roosevelt`, `Director of Central Intelligence
/// Dulles`).
const TITLES: [&str; 10] = [
    "Mr. ",
    "Mrs. ",
    "Dr. ",
    "Señor ",
    "Sir ",
    "President ",
    "Admiral ",
    "Ambassador ",
    "Secretary of State ",
    "Director of Central Intelligence ",
];

/// Words of offices and bodies, never of a person's name.
const OFFICE_WORDS: [&str; 23] = [
    "Chief",
    "Director",
    "Deputy",
    "Acting",
    "Assistant",
    "Secretary",
    "Minister",
    "Ambassador",
    "Consul",
    "Counselor",
    "Officer",
    "Agent",
    "Commander",
    "Representative",
    "President",
    "Division",
    "Station",
    "Agency",
    "Department",
    "Embassy",
    "Legation",
    "Operation",
    "Headquarters",
];

/// Whether `s` is a declassification gap: `[name not declassified]`.
fn gap(s: &str) -> bool {
    s.starts_with('[') && s.ends_with(']') && s.contains("not declassified")
}

fn name(s: &str) -> Name {
    let mut s = s.trim().trim_end_matches(['.', ',']);
    for det in ["the ", "The ", "Certain "] {
        s = s.strip_prefix(det).unwrap_or(s);
    }
    // `… (King) for Jerome C. Dunbar`: the party ends with its surname.
    if let Some(close) = s.find(") for ") {
        s = &s[..=close];
    }
    // `CIA Stations in Guatemala and [place not declassified]`: the gap names nobody.
    if let Some(p) = s.rfind(" and [").filter(|&p| gap(&s[p + 5..])) {
        s = &s[..p];
    }
    // `[name not declassified] of the Central Intelligence Agency`, `C/[title not
    // declassified], Central …`: the body the unnamed person belongs to.
    if let Some(close) = s.find("declassified]") {
        let rest = &s[close + "declassified]".len()..];
        for sep in [" of the ", " of ", ", "] {
            if let Some(r) = rest.strip_prefix(sep).filter(|r| !r.is_empty()) {
                return name(r);
            }
        }
    }
    if let Some(open) = s.rfind(" (") {
        if s.ends_with(')') {
            let surname = &s[open + 2..s.len() - 1];
            let office = s[..open].trim().trim_end_matches(',');
            if gap(surname) {
                // `Acting Chief of the … Division ([name not declassified])`: the office.
                return gloss(office);
            }
            return Name {
                text: surname.to_string(),
                kind: MentionKind::Person,
                target: None,
                office: (!office.is_empty()).then(|| office.to_string()),
                person: None,
            };
        }
    }
    for title in TITLES {
        if let Some(rest) = s.strip_prefix(title) {
            if title.len() <= 6 || !rest.contains(' ') {
                return person(rest);
            }
        }
    }
    // `William Robertson of Operation PBSUCCESS`, `Jerome Dunbar, Operation …`: the person.
    for sep in [" of ", ", "] {
        if let Some((who, _)) = s.split_once(sep) {
            let ws: Vec<&str> = who.split_whitespace().collect();
            let personal = (2..=4).contains(&ws.len())
                && ws.iter().all(|w| {
                    let acronym = w.len() > 4 && !w.contains(char::is_lowercase);
                    w.starts_with(char::is_uppercase)
                        && !OFFICE_WORDS.contains(w)
                        && !OFFICE_WORDS.contains(&w.trim_end_matches('s'))
                        && !w.contains('[')
                        && !acronym
                });
            if personal {
                return person(who);
            }
        }
    }
    let s = match s.find(" in [") {
        Some(p) if s.ends_with(']') => &s[..p],
        _ => s,
    };
    let mut n = gloss(s);
    if s.split_whitespace().count() <= 4
        && s.split_whitespace().all(|w| {
            w.ends_with('.') && w.len() <= 3 || w.chars().next().is_some_and(char::is_uppercase)
        })
        && s.split_whitespace()
            .any(|w| w.ends_with('.') && w.len() <= 3)
    {
        n.kind = MentionKind::Person;
    }
    n
}

fn gloss(s: &str) -> Name {
    Name {
        text: s.to_string(),
        kind: MentionKind::Gloss,
        target: None,
        office: None,
        person: None,
    }
}

fn person(s: &str) -> Name {
    Name {
        text: s.to_string(),
        kind: MentionKind::Person,
        target: None,
        office: None,
        person: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_notes() {
        let s = source_note("861.00B/680").unwrap();
        assert_eq!(s.file_numbers[0].key, "861.00B");
        assert_eq!(s.file_numbers[0].item.as_deref(), Some("680"));
        let s = source_note("793.94/11936: Telegram").unwrap();
        assert_eq!(s.channel.as_deref(), Some("Telegram"));
        assert_eq!(s.file_numbers[0].text, "793.94/11936");
        let s = source_note("884.001 Selassie I/123: Telegram (part air)").unwrap();
        assert_eq!(s.file_numbers[0].key, "884.001 Selassie I");
        let s = source_note("751G.5–MSP/1–2458, 711.90H/41").unwrap();
        assert_eq!(s.file_numbers[0].key, "751G.5-MSP");
        assert_eq!(s.file_numbers.len(), 2);
        assert!(
            source_note("Source: Department of State, Central Files, 714.00/1–2654. Secret.")
                .unwrap()
                .file_numbers[0]
                .text
                .eq("714.00/1–2654")
        );
        assert!(source_note("1938 was a hard year for all of us, said he.").is_none());
        assert!(source_note("No. 971").is_none());
        assert!(source_note("123").is_none());
        assert!(source_note("151.…").is_none());
        assert!(source_note("800.00 Waivers 13—").is_some());
    }

    #[test]
    fn pages_and_labels() {
        assert_eq!(page_line("[Page 521]"), Some("521"));
        assert_eq!(page_line(" [Page [530]] "), Some("[530]"));
        assert_eq!(page_line("[Page 521] text"), None);
        assert_eq!(page_marker("[Page 523] and"), Some(("523", 10)));
        assert_eq!(page_marker("[Page ]"), None);
        assert_eq!(page_marker("[Page 5"), None);
        assert!(label("[Enclosure 1—Translation]"));
        assert!(label("[Inclosure 2 in No. 10.—Translation.]"));
        assert!(!label("[Received March 5.]"));
        assert!(!label("[963]"));
        assert!(label("[Inclosures in No. 39.]"));
        assert!(label("[Incloaure 2 in No. 58.]"));
        assert!(label("[Inclosure in No. 73.]1"));
        assert!(!label("[Inclosed is the note.]"));
    }

    #[test]
    fn numbers() {
        assert_eq!(number_line("No. 971").as_deref(), Some("971"));
        assert_eq!(number_line("No. 156.").as_deref(), Some("156"));
        assert_eq!(number_line("No. one of them"), None);
        assert_eq!(number_line("Now 5"), None);
    }

    #[test]
    fn dates() {
        let when = |s: &str| find_date(s).map(|d| d.when);
        assert_eq!(when("18.1.38”.").as_deref(), Some("1938-01-18"));
        assert_eq!(
            when("Moscow, February 14, 1938.").as_deref(),
            Some("1938-02-14")
        );
        assert_eq!(
            when("Teheran, May 19, 1936—5 p.m.").as_deref(),
            Some("1936-05-19T17:00:00")
        );
        assert_eq!(
            when("Washington, January 26, 1952, 1938Z.").as_deref(),
            Some("1952-01-26T19:38:00")
        );
        assert_eq!(
            when("Washington, June 25, 1954, 6:31 p.m.").as_deref(),
            Some("1954-06-25T18:31:00")
        );
        assert_eq!(
            when("Given in Bluefields, Monday, 12th February, 1894.").as_deref(),
            Some("1894-02-12")
        );
        assert_eq!(when("Sept. 3, 1936").as_deref(), Some("1936-09-03"));
        assert_eq!(
            when("Baghdad, February 17 [12], 1936.").as_deref(),
            Some("1936-02-17")
        );
        assert_eq!(when("January 29-30, 1954.").as_deref(), Some("1954-01-29"));
        let d = dateline_date("Washington, September 1, 1936 [—5 p.m.]").unwrap();
        assert_eq!(d.when, "1936-09-01T17:00:00");
        let d = dateline_date("[place], March 12, 1954, 9:40 a.m.-12:10 p.m.").unwrap();
        assert_eq!(d.when, "1954-03-12T09:40:00");
        assert!(dateline_date("Extract from “El 93,” July 27, 1894.").is_none());
        assert_eq!(undated_at("Washington, undated."), Some(10));
        assert_eq!(undated_at("Addis Ababa [undated]."), Some(11));
        assert_eq!(undated_at("Paris [undated.]"), Some(5));
        assert_eq!(undated_at("undated."), None);
        assert_eq!(
            place("[place not declassified], ").as_deref(),
            Some("[place not declassified]")
        );
        assert_eq!(when("in 1938 there was"), None);
        assert_eq!(when("May I say 5, 1936"), None);
        let d = dateline_date("Hankow, January 1, 1938—10 p.m.").unwrap();
        assert_eq!(d.when, "1938-01-01T22:00:00");
        assert!(dateline_date("On May 5, 1936 I called on the Minister.").is_none());
        assert_eq!(place("[Washington,] ").as_deref(), Some("Washington"));
        assert_eq!(
            received("Rome, June 2. [Received June 2—5:36 p.m.]").map(|r| r.1),
            Some("Received June 2—5:36 p.m.".into())
        );
    }

    #[test]
    fn closers_and_signatures() {
        assert!(closer_line("Respectfully yours,"));
        assert!(closer_line("I have, etc.,"));
        assert!(!closer_line("Yours is the decision."));
        assert!(signature_line("Loy W. Henderson"));
        assert!(signature_line("H. A. Herbert, Secretary of the Navy."));
        assert!(!signature_line("And this is why."));
        assert!(!signature_line("Mailed London, Berlin, Rome, Geneva."));
        assert!(title_line("Chief, Division of Near Eastern Affairs"));
        assert!(title_line("CPM/PBSUCCESS"));
        assert!(!title_line("J.C. King"));
        assert!(!title_line("Edwin Hatch, Acting Vice-Consul."));
        assert!(salutation_line("Sir:"));
        assert!(salutation_line("My dear Mr. Secretary:"));
        assert!(!salutation_line("The facts:"));
        assert_eq!(
            chancery_model::salutation_prefix("Sir: I have the honor"),
            Some("Sir")
        );
    }

    #[test]
    fn headings() {
        let h = heading("The Chargé in the Soviet Union (Henderson) to the Secretary of State");
        assert_eq!(h.senders[0].text, "Henderson");
        assert_eq!(
            h.senders[0].office.as_deref(),
            Some("Chargé in the Soviet Union")
        );
        assert_eq!(h.addressees[0].text, "Secretary of State");
        assert_eq!(h.addressees[0].kind, MentionKind::Gloss);
        let h = heading("No. 2. Mr. Gresham to Mr. Baker.");
        assert_eq!(h.senders[0].text, "Gresham");
        assert_eq!(h.addressees[0].text, "Baker");
        let h = heading("5. Telegram From the Central Intelligence Agency to the CIA Station in [place not declassified]");
        assert_eq!(h.senders[0].text, "Central Intelligence Agency");
        assert_eq!(h.addressees[0].text, "CIA Station");
        assert!(heading("Letter of Comrade Ivanov").senders.is_empty());
    }
}
