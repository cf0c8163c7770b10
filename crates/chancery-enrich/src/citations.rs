//! Citations of FRUS volumes, pages and documents: TEI `ref` targets and references written as
//! text in notes and body.
//!
//! * [`target`] reads a `ref` target: `frus1937v03#pg_847`, `#d12`, `#pg_377`, `frus1931-41v01`,
//!   or a history.state.gov address; persons, terms, index, chapter and footnote targets are
//!   not citations.
//! * [`Scanner`] reads text: `Foreign Relations, 1919, Russia, pp. 750 ff.`, `ibid., 1919,
//!   Russia, pp. 195 ff.`, `Foreign Relations, 1920, vol. iii, pp. 571 ff.`, and in notes `vol.
//!   ii, p. 435` (the year of the citation before, or the volume's own), `Document 12` (in
//!   volumes that number their documents as their ids) and `Ante, p. 377` (same volume).
//!   Volume ids are computed with the FRUS scheme (`frus1918Russiav02`, `frus1955-57v24`,
//!   `frus1917Supp02v01`, `frus1919Parisv11`, `frus1907p2`); series words it cannot map give no
//!   citation and are counted as unparsed, never guessed.
//! * [`find`] walks a document in reading order; [`report`] counts per volume.
//!
//! The scan is linear: text is split into tokens once and every parse looks a bounded number of
//! tokens ahead.

use std::collections::BTreeMap;
use std::ops::Range;

use chancery_model::{Citation, CitationOrigin, Document, Node};
use serde::Serialize;

/// Pages above this are not FRUS pages: such citations are kept and flagged.
const MAX_PAGE: u32 = 5000;

/// How many unparsed fragments a [`VolumeCitations`] keeps as examples.
const EXAMPLES: usize = 5;

/// The citation a TEI `ref` target makes, with `text` the target as written; `volume` is the
/// citing document's volume, used for same-volume targets (`#d12`, `#pg_377`).
pub fn target(target: &str, volume: &str) -> Option<Citation> {
    let t = target.trim();
    let (vol, frag) = if let Some(rest) = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
    {
        let path = rest.split_once("/historicaldocuments/")?.1;
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        (parts.next()?, parts.next().unwrap_or_default())
    } else {
        match t.split_once('#') {
            Some(("", frag)) => (volume, frag),
            Some((vol, frag)) => (vol, frag),
            None => (t, ""),
        }
    };
    let own = vol == volume;
    if !own && !is_frus_id(vol) {
        return None;
    }
    let (page, document) = if frag.is_empty() {
        if own {
            return None;
        }
        (None, None)
    } else if let Some(p) = frag.strip_prefix("pg_").filter(|p| !p.is_empty()) {
        (Some(p.to_string()), None)
    } else if is_document_id(frag) {
        (None, Some(frag.to_string()))
    } else {
        return None;
    };
    Some(Citation {
        text: target.to_string(),
        origin: CitationOrigin::Ref,
        volume: vol.to_string(),
        page,
        document,
        note: None,
        flag: None,
    })
}

/// `frus` and a year: `frus1936v03`, `frus1952-54Guat`, `frus1889`.
fn is_frus_id(id: &str) -> bool {
    id.strip_prefix("frus").is_some_and(|rest| {
        rest.len() >= 4
            && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// A document id: `d12`, `d710a` (not a footnote, `d5fn3`).
fn is_document_id(frag: &str) -> bool {
    frag.strip_prefix('d').is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !rest.contains("fn")
    })
}

/// Where a passage stands: the editors' notes (and editorial notes), or a document's own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A note, or an editorial note's text: every form is read.
    Note,
    /// A document's own text: only `Foreign Relations, …` and `ibid., …` forms are read.
    Body,
}

/// What a citation is read against: its volume, the series it continues, what was unparsed.
#[derive(Debug, Clone)]
pub struct Scanner {
    volume: String,
    own: Option<Base>,
    numbered: bool,
    last: Option<Last>,
    /// Whether another publication was cited since the last FRUS citation.
    other: bool,
    unparsed: Vec<String>,
}

/// A volume id without its volume and part: `frus` + years + series.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Base {
    years: String,
    series: String,
}

impl Base {
    fn id(&self, vol: &Vol) -> String {
        let mut id = format!("frus{}{}", self.years, self.series);
        match (vol.part, &vol.number) {
            (Some((p, true)), Some(v)) => {
                id.push_str(&format!("p{p}v{}", v.trim_start_matches('0')));
            }
            (part, number) => {
                if let Some(v) = number {
                    id.push('v');
                    id.push_str(v);
                }
                if let Some((p, _)) = part {
                    id.push_str(&format!("p{p}"));
                }
            }
        }
        id
    }
}

/// The volume and part a citation names: `v03` as `03`, e-volumes as `e05`; a part before the
/// volume (`pt. 2, vol. ii`, nineteenth-century style) is marked `true`.
#[derive(Debug, Clone, Default)]
struct Vol {
    number: Option<String>,
    part: Option<(u32, bool)>,
}

/// The citation that `ibid.` and a bare `vol.` continue.
#[derive(Debug, Clone)]
struct Last {
    base: Base,
    volume: String,
}

/// A citation found in text, with its byte range in the passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Where it stands in the passage.
    pub span: Range<usize>,
    /// What it cites (origin [`CitationOrigin::Text`], `text` the passage's slice).
    pub citation: Citation,
}

impl Scanner {
    /// A scanner for passages of `volume`. `numbered`: the volume's documents have the ids of
    /// their printed numbers (`Document 12` is `d12`).
    pub fn new(volume: &str, numbered: bool) -> Scanner {
        Scanner {
            volume: volume.to_string(),
            own: own_base(volume),
            numbered,
            last: None,
            other: false,
            unparsed: Vec::new(),
        }
    }

    /// The fragments read so far that looked like citations (`Foreign Relations, 1944, …`) but
    /// could not be understood.
    pub fn unparsed(&self) -> &[String] {
        &self.unparsed
    }

    /// The citations in one passage, in order. The citation before (`ibid.`) carries over from
    /// earlier passages given to the same scanner.
    pub fn scan(&mut self, text: &str, place: Place) -> Vec<Hit> {
        let toks = lex(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let p = Parser {
                text,
                toks: &toks,
                scanner: self,
            };
            let found = p
                .foreign_relations(i)
                .or_else(|| p.ibid(i))
                .or_else(|| match place {
                    Place::Note => p.bare(i),
                    Place::Body => None,
                });
            match found {
                Some(Found::Cites(cites, end)) => {
                    let span = toks[i].start..toks[end - 1].end;
                    for c in cites {
                        if c.last.is_some() {
                            self.last = c.last.clone();
                            self.other = false;
                        }
                        out.push(Hit {
                            span: span.clone(),
                            citation: Citation {
                                text: text[span.clone()].to_string(),
                                origin: CitationOrigin::Text,
                                volume: c.volume,
                                page: c.page,
                                document: c.document,
                                note: None,
                                flag: None,
                            },
                        });
                    }
                    i = end;
                }
                Some(Found::Unparsed(end)) => {
                    let span = toks[i].start..toks[end - 1].end;
                    self.unparsed.push(text[span].to_string());
                    self.last = None;
                    self.other = true;
                    i = end;
                }
                None if p.word(i, "ibid") => {
                    // An `ibid.` not understood: its locator says nothing of other works.
                    let j = p.dot(i + 1);
                    let j = if p.punct(j, ",") { j + 1 } else { j };
                    i = if p.locator_word(j) { j + 1 } else { i + 1 };
                }
                None => {
                    if p.locator_word(i) {
                        // Another publication's volume or page: `ibid.` no longer means FRUS.
                        self.last = None;
                        self.other = true;
                    }
                    i += 1;
                }
            }
        }
        out
    }
}

/// The base of a volume whose bare `vol. ii` means another volume of its own year or block:
/// `frus1936v03` → `frus1936`, `frus1955-57v24` → `frus1955-57`.
fn own_base(volume: &str) -> Option<Base> {
    let rest = volume.strip_prefix("frus")?;
    let years_len = if rest.as_bytes().get(4) == Some(&b'-') {
        7
    } else {
        4
    };
    let years = rest.get(..years_len)?;
    let tail = &rest[years_len..];
    let numbered = tail.strip_prefix('v').is_some_and(|v| {
        let digits = v.trim_start_matches(|c: char| c.is_ascii_digit());
        digits.len() < v.len() && (digits.is_empty() || digits.starts_with('p'))
    });
    (years.bytes().filter(u8::is_ascii_digit).count() == years_len - usize::from(years_len == 7)
        && numbered)
        .then(|| Base {
            years: years.to_string(),
            series: String::new(),
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Words (letters), numbers (ASCII digits) and single other characters; white space separates.
fn lex(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        let kind = if c.is_alphabetic() {
            Kind::Word
        } else if c.is_ascii_digit() {
            Kind::Num
        } else if c.is_whitespace() {
            continue;
        } else {
            toks.push(Tok {
                kind: Kind::Punct,
                start,
                end: start + c.len_utf8(),
            });
            continue;
        };
        let mut end = start + c.len_utf8();
        while let Some(&(at, d)) = it.peek() {
            let same = match kind {
                Kind::Word => d.is_alphabetic(),
                _ => d.is_ascii_digit(),
            };
            if !same {
                break;
            }
            end = at + d.len_utf8();
            it.next();
        }
        toks.push(Tok { kind, start, end });
    }
    toks
}

/// One understood citation before it becomes a [`Citation`].
#[derive(Debug, Clone)]
struct Cite {
    volume: String,
    page: Option<String>,
    document: Option<String>,
    last: Option<Last>,
}

enum Found {
    /// Citations and the token after them.
    Cites(Vec<Cite>, usize),
    /// A citation-like fragment not understood, and the token after it.
    Unparsed(usize),
}

/// Series words and the part of the volume id they give. Before or after the year.
const SERIES: &[(&[&str], &str)] = &[
    (&["russia"], "Russia"),
    (&["china"], "China"),
    (&["japan"], ""),
    (&["the", "soviet", "union"], ""),
    (&["soviet", "union"], ""),
    (&["the", "lansing", "papers"], ""),
    (&["lansing", "papers"], ""),
    (&["diplomatic", "papers"], ""),
    (&["the", "paris", "peace", "conference"], "Paris"),
    (&["paris", "peace", "conference"], "Paris"),
    (
        &["the", "conferences", "at", "cairo", "and", "tehran"],
        "CairoTehran",
    ),
    (
        &["conferences", "at", "cairo", "and", "tehran"],
        "CairoTehran",
    ),
    (
        &["the", "conferences", "at", "malta", "and", "yalta"],
        "Malta",
    ),
    (&["conferences", "at", "malta", "and", "yalta"], "Malta"),
    (&["the", "conference", "at", "quebec"], "Quebec"),
    (&["conference", "at", "quebec"], "Quebec"),
    (&["the", "conference", "of", "berlin"], "Berlin"),
    (&["conference", "of", "berlin"], "Berlin"),
];

/// Words that open a same-volume page reference: `Ante, p. 29`, `See p. 377`.
const SAME_VOLUME: &[&str] = &["ante", "post", "supra", "infra", "see"];

/// Words that may stand before a bare `vol. ii, p. 435` in a note.
const CLAUSE_OPENERS: &[&str] = &["see", "also", "and", "in", "cf", "printed", "or"];

/// Words before `Foreign Relations` that may make it a name (`Committee on …`, `Ministry of …`):
/// then only a citation naming a volume or page is taken, and nothing counts as unparsed.
const NAME_BEFORE_HEAD: &[&str] = &["of", "on", "for"];

struct Parser<'a> {
    text: &'a str,
    toks: &'a [Tok],
    scanner: &'a Scanner,
}

impl Parser<'_> {
    fn s(&self, i: usize) -> Option<&str> {
        self.toks.get(i).map(|t| &self.text[t.start..t.end])
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn word(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Some(Kind::Word) && self.s(i).is_some_and(|s| s.eq_ignore_ascii_case(w))
    }

    fn punct(&self, i: usize, c: &str) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.s(i) == Some(c)
    }

    fn dash(&self, i: usize) -> bool {
        ["-", "–", "—", "‑"].iter().any(|d| self.punct(i, d))
    }

    /// Skips an abbreviation's period.
    fn dot(&self, i: usize) -> usize {
        if self.punct(i, ".") {
            i + 1
        } else {
            i
        }
    }

    /// Whether the token at `i` opens a volume or page locator of some publication.
    fn locator_word(&self, i: usize) -> bool {
        ["vol", "vols", "volume", "p", "pp", "page", "pages"]
            .iter()
            .any(|w| self.word(i, w))
            && matches!(self.kind(self.dot(i + 1)), Some(Kind::Num | Kind::Word))
    }

    /// The lower-case word before `i`, when a word stands directly there (commas skipped).
    fn word_before(&self, i: usize) -> Option<String> {
        let mut j = i.checked_sub(1)?;
        if self.punct(j, ",") {
            j = j.checked_sub(1)?;
        }
        (self.kind(j) == Some(Kind::Word)).then(|| self.s(j).unwrap_or_default().to_lowercase())
    }

    /// A four-digit year (1776–2099) and an optional end year: `1931–1941` → `1931-41`.
    fn years(&self, i: usize) -> Option<(String, usize)> {
        let y = self.s(i).filter(|_| self.kind(i) == Some(Kind::Num))?;
        let year: u32 = y.parse().ok().filter(|_| y.len() == 4)?;
        if !(1776..=2099).contains(&year) {
            return None;
        }
        if self.dash(i + 1) && self.kind(i + 2) == Some(Kind::Num) {
            let e = self.s(i + 2)?;
            let end: u32 = match e.len() {
                2 => year / 100 * 100 + e.parse::<u32>().ok()?,
                4 => e.parse().ok()?,
                _ => return Some((y.to_string(), i + 1)),
            };
            if end > year && end - year < 20 {
                return Some((format!("{y}-{:02}", end % 100), i + 3));
            }
        }
        Some((y.to_string(), i + 1))
    }

    /// The series words at `i` (a [`SERIES`] entry), and the token after them.
    fn series(&self, i: usize) -> Option<(&'static str, usize)> {
        SERIES.iter().find_map(|(words, id)| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(i + k, w))
                .then(|| (*id, i + words.len()))
        })
    }

    /// A number written in Roman or Arabic figures (`iii`, `XXIV`, `3`), at most 99.
    fn number(&self, i: usize) -> Option<u32> {
        let s = self.s(i)?;
        let n = match self.kind(i)? {
            Kind::Num => s.parse().ok()?,
            Kind::Word => roman(s)?,
            Kind::Punct => return None,
        };
        (1..=99).contains(&n).then_some(n)
    }

    /// `vol. iii`, `Volume IV`, `vol. E–5` → the volume's id part (`03`, `e05`).
    fn vol(&self, i: usize) -> Option<(String, usize)> {
        if !["vol", "volume"].iter().any(|w| self.word(i, w)) {
            return None;
        }
        let mut j = i + 1;
        if self.punct(j, ".") || self.punct(j, ",") {
            j += 1;
        }
        if self.word(j, "e") && self.kind(j + 1) == Some(Kind::Num) {
            let n = self.number(j + 1)?;
            return Some((format!("e{n:02}"), j + 2));
        }
        if self.word(j, "e") && self.dash(j + 1) {
            let n = self.number(j + 2)?;
            return Some((format!("e{n:02}"), j + 3));
        }
        let n = self.number(j)?;
        Some((format!("{n:02}"), j + 1))
    }

    /// `pt. 2`, `Part II` → the part number.
    fn part(&self, i: usize) -> Option<(u32, usize)> {
        if !["pt", "part"].iter().any(|w| self.word(i, w)) {
            return None;
        }
        let j = self.dot(i + 1);
        Some((self.number(j)?, j + 1))
    }

    /// `Supplement`, `Supplement 2`, `Supp. 1` → `Supp`, `Supp02`.
    fn supplement(&self, i: usize) -> Option<(String, usize)> {
        if !["supplement", "supp"].iter().any(|w| self.word(i, w)) {
            return None;
        }
        let j = self.dot(i + 1);
        Some(match self.number(j) {
            Some(n) => (format!("Supp{n:02}"), j + 1),
            None => ("Supp".to_string(), j),
        })
    }

    /// `Appendix I` → `app1`.
    fn appendix(&self, i: usize) -> Option<(String, usize)> {
        if !self.word(i, "appendix") {
            return None;
        }
        Some((format!("app{}", self.number(i + 1)?), i + 2))
    }

    /// `p. 435`, `pp. 750 ff.`, `pp. 1056-1057`, `p. xiv` → the first page, as written, and the
    /// token after the locator.
    fn page(&self, i: usize) -> Option<(String, usize)> {
        if !["p", "pp", "page", "pages"].iter().any(|w| self.word(i, w)) {
            return None;
        }
        let j = self.dot(i + 1);
        let page = match self.kind(j)? {
            Kind::Num => self.s(j)?.to_string(),
            Kind::Word => {
                let s = self.s(j)?;
                roman(s)?;
                s.to_string()
            }
            Kind::Punct => return None,
        };
        let mut end = j + 1;
        if self.dash(end) && self.kind(end + 1) == Some(self.kind(j)?) {
            end += 2;
        }
        if self.word(end, "ff") || self.word(end, "f") {
            end = self.dot(end + 1);
        } else if self.word(end, "et") && self.word(end + 1, "seq") {
            end = self.dot(end + 2);
        }
        Some((page, end))
    }

    /// `Document 12`, `document 12`, `doc. 12` → `d12`.
    fn document(&self, i: usize) -> Option<(String, usize)> {
        if !["document", "doc"].iter().any(|w| self.word(i, w)) {
            return None;
        }
        let j = self.dot(i + 1);
        let n = self.s(j).filter(|_| self.kind(j) == Some(Kind::Num))?;
        Some((format!("d{}", n.trim_start_matches('0')), j + 1))
    }

    /// `Foreign Relations[ of the United States], …`.
    fn foreign_relations(&self, i: usize) -> Option<Found> {
        if !(self.word(i, "foreign") && self.word(i + 1, "relations")) {
            return None;
        }
        let name = self
            .word_before(i)
            .is_some_and(|w| NAME_BEFORE_HEAD.contains(&w.as_str()));
        let mut j = i + 2;
        if ["of", "the", "united", "states"]
            .iter()
            .enumerate()
            .all(|(k, w)| self.word(j + k, w))
        {
            j += 4;
        }
        if self.punct(j, ",") || self.punct(j, ":") {
            j += 1;
        } else if self.years(j).is_none() {
            // `Foreign Relations 1942, China`: a year may follow without a comma.
            return None;
        }
        // Series words before the year: `Japan, 1931–1941`, `The Paris Peace Conference, 1919`.
        let mut series = String::new();
        let mut k = j;
        for _ in 0..3 {
            let Some((id, next)) = self.series(k) else {
                break;
            };
            series.push_str(id);
            k = if self.punct(next, ",") {
                next + 1
            } else {
                next
            };
        }
        let looks_like = self.looks_like(j).filter(|_| !name);
        let Some((years, next)) = self.years(k) else {
            return looks_like.map(Found::Unparsed);
        };
        let year_only = format!("frus{years}");
        match self.rest(next, Base { years, series }, None) {
            Some((cite, end))
                if !name
                    || cite.page.is_some()
                    || cite.document.is_some()
                    || cite.volume != year_only =>
            {
                Some(Found::Cites(vec![cite], end))
            }
            _ => looks_like.map(Found::Unparsed),
        }
    }

    /// Whether `Foreign Relations,` has a citation's shape: a year, after nothing but series
    /// words (capitalised, or `at`, `and`, `of`, `the`) and commas; the end of the fragment to
    /// report when it is not understood.
    fn looks_like(&self, j: usize) -> Option<usize> {
        let limit = (j + 16).min(self.toks.len());
        let year = (j..(j + 10).min(limit)).find(|&k| {
            self.years(k).is_some()
                || !(self.punct(k, ",")
                    || self.s(k).is_some_and(|w| {
                        self.kind(k) == Some(Kind::Word)
                            && (w.starts_with(char::is_uppercase)
                                || ["at", "and", "of", "the"].contains(&w))
                    }))
        })?;
        self.years(year)?;
        let stop = (year..limit)
            .find(|&k| self.punct(k, ";") || self.punct(k, "("))
            .unwrap_or(limit);
        Some(stop)
    }

    /// After the year: series, supplement, appendix, volume and part, then a page or document.
    /// `base` has the years and series so far; `vol` a volume already read (bare `vol.`).
    /// `None` when an item before the volume cannot be mapped: nothing is guessed.
    fn rest(&self, mut i: usize, mut base: Base, vol: Option<Vol>) -> Option<(Cite, usize)> {
        let mut v = vol.unwrap_or_default();
        let mut end = i;
        let mut page = None;
        let mut document = None;
        let mut skipped = 0;
        // At most a dozen items: a citation is short, and the scan stays linear.
        for _ in 0..12 {
            if !self.punct(i, ",") {
                break;
            }
            let j = i + 1;
            let free = v.number.is_none();
            if let Some((n, next)) = self.vol(j).filter(|_| free) {
                v.number = Some(n);
                end = next;
            } else if let Some((p, next)) = self.part(j).filter(|_| v.part.is_none()) {
                v.part = Some((p, free));
                end = next;
            } else if let Some((s, next)) = self.supplement(j).filter(|_| free) {
                base.series.push_str(&s);
                end = next;
            } else if let Some((s, next)) = self.appendix(j).filter(|_| free) {
                base.series.push_str(&s);
                end = next;
            } else if let Some((s, next)) = self.series(j).filter(|_| free) {
                base.series.push_str(s);
                end = next;
            } else if let Some((p, next)) = self.page(j) {
                page = Some(p);
                end = next;
                if self.punct(end, "(") {
                    if let Some((d, next)) = self.document(end + 1) {
                        if self.punct(next, ")") {
                            document = Some(d);
                            end = next + 1;
                        }
                    }
                }
                break;
            } else if let Some((d, next)) = self.document(j) {
                document = Some(d);
                end = next;
                break;
            } else if let Some(n) = self
                .number(j)
                .filter(|_| free && self.kind(j) == Some(Kind::Word))
                .filter(|_| self.s(j).is_some_and(|w| w.chars().all(char::is_uppercase)))
                .filter(|_| !self.kind(j + 1).is_some_and(|k| k != Kind::Punct))
            {
                // `Foreign Relations, 1955–1957, III`: the volume without `vol.`.
                v.number = Some(format!("{n:02}"));
                end = j + 1;
            } else if free
                && (v.number.is_some() || !base.series.is_empty())
                && self.s(j).is_some_and(|w| w.starts_with(char::is_lowercase))
            {
                // Prose after a volume named by its series (`1942, China, period`).
                break;
            } else if free {
                return None;
            } else {
                // A title after the volume (`vol. X, Cuba, 1961–1962, Document 12`): passed
                // over when a page or document follows in the same clause.
                let mut k = j;
                while k < self.toks.len()
                    && skipped < 12
                    && ![",", ";", ".", ")"].iter().any(|c| self.punct(k, c))
                {
                    skipped += 1;
                    k += 1;
                }
                if k == j || !self.punct(k, ",") {
                    break;
                }
                i = k;
                continue;
            }
            i = end;
        }
        let volume = base.id(&v);
        let last = Last {
            base,
            volume: volume.clone(),
        };
        Some((
            Cite {
                volume,
                page,
                document,
                last: Some(last),
            },
            end,
        ))
    }

    /// `ibid., 1919, Russia, pp. 195 ff.`, `Ibid., vol. ii, p. 5`, `ibid., p. 563`: the series
    /// of the citation before.
    fn ibid(&self, i: usize) -> Option<Found> {
        if !self.word(i, "ibid") {
            return None;
        }
        let j = self.dot(i + 1);
        if !self.punct(j, ",") {
            return None;
        }
        // `ibid., 1922, vol. i` names its year: FRUS unless another work was cited last.
        if let Some((years, next)) = self.years(j + 1).filter(|_| !self.scanner.other) {
            let base = Base {
                years,
                series: String::new(),
            };
            return self
                .rest(next, base, None)
                .map(|(c, end)| Found::Cites(vec![c], end));
        }
        if let Some((n, next)) = self.vol(j + 1) {
            let vol = Vol {
                number: Some(n),
                part: None,
            };
            let base = self.scanner.last.as_ref()?.base.clone();
            return self
                .rest(next, base, Some(vol))
                .map(|(c, end)| Found::Cites(vec![c], end));
        }
        let last = self.scanner.last.as_ref()?;
        let (page, document, end) = if let Some((p, end)) = self.page(j + 1) {
            (Some(p), None, end)
        } else if let Some((d, end)) = self.document(j + 1) {
            (None, Some(d), end)
        } else {
            return None;
        };
        Some(Found::Cites(
            vec![Cite {
                volume: last.volume.clone(),
                page,
                document,
                last: Some(last.clone()),
            }],
            end,
        ))
    }

    /// The forms without a head, read in notes only: `vol. ii, p. 435`, `Ante, p. 29`,
    /// `Document 12`.
    fn bare(&self, i: usize) -> Option<Found> {
        const TRIGGERS: &[&str] = &[
            "vol",
            "volume",
            "ante",
            "post",
            "supra",
            "infra",
            "see",
            "document",
            "documents",
        ];
        if self.kind(i) != Some(Kind::Word) || !TRIGGERS.iter().any(|w| self.word(i, w)) {
            return None;
        }
        let before = self.word_before(i);
        let opens = i == 0
            || before
                .as_deref()
                .is_some_and(|w| CLAUSE_OPENERS.contains(&w))
            || (before.is_none() && !self.punct(i - 1, ","));
        if let Some((n, next)) = self.vol(i).filter(|_| opens) {
            let base = self
                .scanner
                .last
                .as_ref()
                .map(|l| l.base.clone())
                .or_else(|| self.scanner.own.clone())?;
            let vol = Vol {
                number: Some(n),
                part: None,
            };
            return self
                .rest(next, base, Some(vol))
                .map(|(c, end)| Found::Cites(vec![c], end));
        }
        if SAME_VOLUME.iter().any(|w| self.word(i, w)) {
            let j = if self.punct(i + 1, ",") { i + 2 } else { i + 1 };
            let (page, end) = self.page(j)?;
            if self.word(end, "of") {
                return None;
            }
            let volume = self.scanner.volume.clone();
            let last = self.scanner.own.clone().map(|base| Last {
                base,
                volume: volume.clone(),
            });
            return Some(Found::Cites(
                vec![Cite {
                    volume,
                    page: Some(page),
                    document: None,
                    last,
                }],
                end,
            ));
        }
        if self.scanner.numbered
            && (self.word(i, "document") || self.word(i, "documents"))
            && self.s(i).is_some_and(|s| s.starts_with(['D', 'd']))
        {
            // `see Document 12`, `footnote 2, Document 241`; not `Senate Document 12`.
            let free = i == 0
                || self.kind(i - 1) == Some(Kind::Punct)
                || self.s(i - 1).is_some_and(|w| {
                    w.starts_with(char::is_lowercase)
                        || CLAUSE_OPENERS.contains(&w.to_lowercase().as_str())
                });
            if !free {
                return None;
            }
            let mut cites = Vec::new();
            let mut j = i + 1;
            while let Some(n) = self.s(j).filter(|_| self.kind(j) == Some(Kind::Num)) {
                cites.push(Cite {
                    volume: self.scanner.volume.clone(),
                    page: None,
                    document: Some(format!("d{}", n.trim_start_matches('0'))),
                    last: None,
                });
                j += 1;
                let num = |k: usize| self.kind(k) == Some(Kind::Num);
                if (self.punct(j, ",") || self.word(j, "and")) && num(j + 1) {
                    j += 1;
                } else if self.punct(j, ",") && self.word(j + 1, "and") && num(j + 2) {
                    j += 2;
                } else {
                    break;
                }
            }
            if cites.is_empty() || self.word(j, "of") {
                return None;
            }
            return Some(Found::Cites(cites, j));
        }
        None
    }
}

/// The value of a Roman numeral (`xiii` → 13), when the word is one.
fn roman(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    for c in s.chars().rev() {
        let v = match c.to_ascii_lowercase() {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            'c' => 100,
            'd' => 500,
            'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

/// What [`find`] found in a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Its citations, in reading order, flagged where doubtful.
    pub citations: Vec<Citation>,
    /// The fragments that looked like citations but were not understood.
    pub unparsed: Vec<String>,
}

/// The citations of a document, in reading order: its `ref` targets and the references in its
/// notes and text, each with the note it stands in. A `ref` stands for the text it links (its
/// own words are not read again as a text citation). Flags: `cites itself` (its own id, or a
/// page it is printed on), `page out of range` (0, or above 5000).
pub fn find(doc: &Document) -> Findings {
    let own_year = doc
        .volume
        .strip_prefix("frus")
        .and_then(|v| v.get(..4))
        .and_then(|y| y.parse::<u32>().ok());
    let numbered = own_year.is_some_and(|y| y >= 1952)
        && doc
            .n
            .as_deref()
            .is_none_or(|n| doc.id == format!("d{}", n.trim()));
    let editorial = doc.subtype.as_deref() == Some("editorial-note");
    let mut walk = Walk {
        doc: doc.id.clone(),
        scanner: Scanner::new(&doc.volume, numbered),
        body: if editorial {
            Some(Place::Note)
        } else {
            hot(&doc.paper.content).then_some(Place::Body)
        },
        out: Vec::new(),
    };
    let mut seg = Segment::default();
    walk.nodes(&doc.paper.content, &mut seg);
    walk.flush(&mut seg);
    let own_page = |c: &Citation| c.volume == doc.volume && c.page.is_some();
    let pages = if walk.out.iter().any(own_page) {
        doc.pages()
    } else {
        Vec::new()
    };
    for c in &mut walk.out {
        c.flag = flag(c, doc, &pages);
    }
    Findings {
        citations: walk.out,
        unparsed: walk.scanner.unparsed,
    }
}

fn flag(c: &Citation, doc: &Document, pages: &[String]) -> Option<String> {
    let own = c.volume == doc.volume;
    if own && c.document.as_deref() == Some(doc.id.as_str()) {
        return Some("cites itself".to_string());
    }
    if let Some(p) = &c.page {
        if own && c.document.is_none() && pages.iter().any(|q| q.trim_matches(['[', ']']) == p) {
            return Some("cites itself".to_string());
        }
        if p.parse::<u64>()
            .is_ok_and(|n| n == 0 || n > u64::from(MAX_PAGE))
        {
            return Some("page out of range".to_string());
        }
    }
    None
}

/// Whether a paper's own text or its enclosures' (outside notes) name `Foreign Relations`, the
/// head every citation in body text has: one pass, so that other documents cost no copying.
fn hot(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| match n {
        Node::Text { text } => {
            // A search for one character is a `memchr`: the fastest pass over every text.
            text.match_indices('R')
                .any(|(at, _)| text[at..].starts_with("Relations"))
        }
        Node::Note(_) => false,
        Node::Attachment(p) => hot(&p.content),
        other => hot(other.children()),
    })
}

/// A passage being gathered: its text, the `ref`s in it and the note it belongs to.
#[derive(Default)]
struct Segment {
    text: String,
    refs: Vec<(Range<usize>, Citation)>,
    note: Option<String>,
    in_note: bool,
}

struct Walk {
    doc: String,
    scanner: Scanner,
    /// How body text is read: `None` when it holds no citation.
    body: Option<Place>,
    out: Vec<Citation>,
}

impl Walk {
    fn nodes(&mut self, nodes: &[Node], seg: &mut Segment) {
        for node in nodes {
            match node {
                Node::Text { text } => seg.text.push_str(text),
                Node::LineBreak => seg.text.push('\n'),
                Node::Note(note) => {
                    if !seg.in_note {
                        self.flush(seg);
                    }
                    // A note without an id (text-born) is named as TEI names it: `d1fn16`.
                    let id = note.id.clone().or_else(|| {
                        let n = note.n.as_deref()?.trim();
                        (!n.is_empty()).then(|| format!("{}fn{n}", self.doc))
                    });
                    let mut inner = Segment {
                        note: id,
                        in_note: true,
                        ..Segment::default()
                    };
                    self.nodes(&note.children, &mut inner);
                    self.flush(&mut inner);
                }
                Node::Attachment(paper) => {
                    self.flush(seg);
                    self.nodes(&paper.content, seg);
                    self.flush(seg);
                }
                Node::Block(b) => {
                    if seg.in_note {
                        seg.text.push(' ');
                        self.nodes(&b.children, seg);
                        seg.text.push(' ');
                    } else {
                        self.flush(seg);
                        if self.body.is_none() {
                            self.cold(&b.children);
                        } else {
                            self.nodes(&b.children, seg);
                            self.flush(seg);
                        }
                    }
                }
                Node::Ref(r) => {
                    let start = seg.text.len();
                    self.nodes(&r.children, seg);
                    if let Some(c) = target(&r.target, &self.scanner.volume) {
                        seg.refs.push((start..seg.text.len(), c));
                    }
                }
                other => self.nodes(other.children(), seg),
            }
        }
    }

    /// A block of body text without a head word (`Foreign Relations`, `ibid.`): only its notes,
    /// refs and enclosures are read, and its text is not copied.
    fn cold(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::Note(_) | Node::Attachment(_) => {
                    let mut seg = Segment::default();
                    self.nodes(std::slice::from_ref(node), &mut seg);
                    self.flush(&mut seg);
                }
                Node::Ref(r) => {
                    self.out.extend(target(&r.target, &self.scanner.volume));
                    self.cold(&r.children);
                }
                other => self.cold(other.children()),
            }
        }
    }

    /// Reads the gathered passage and empties it.
    fn flush(&mut self, seg: &mut Segment) {
        let place = if seg.in_note {
            Some(Place::Note)
        } else {
            self.body
        };
        let hits = match place {
            Some(place) if !seg.text.is_empty() => self.scanner.scan(&seg.text, place),
            _ => Vec::new(),
        };
        let refs = std::mem::take(&mut seg.refs);
        // The text a ref links is the ref's citation: not counted again.
        let mut found: Vec<(usize, Citation)> = hits
            .into_iter()
            .filter(|h| {
                !refs
                    .iter()
                    .any(|(r, _)| h.span.start < r.end && r.start < h.span.end)
            })
            .map(|h| (h.span.start, h.citation))
            .collect();
        found.extend(refs.into_iter().map(|(r, c)| (r.start, c)));
        found.sort_by_key(|(start, _)| *start);
        for (_, mut c) in found {
            c.note = seg.note.clone();
            self.out.push(c);
        }
        seg.text.clear();
    }
}

/// Citations of one volume, by origin, for `chancery enrich-report`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VolumeCitations {
    /// The volume's id.
    pub volume: String,
    /// Documents read.
    pub documents: usize,
    /// Citations from `ref` targets.
    pub refs: usize,
    /// Citations from text.
    pub text: usize,
    /// Citations of other volumes (both origins).
    pub other_volumes: usize,
    /// Citations flagged (`cites itself`, `page out of range`).
    pub flagged: usize,
    /// Fragments that looked like citations (`Foreign Relations, 1944, …`) but were not
    /// understood.
    pub unparsed: usize,
    /// The first few of them, as written.
    pub unparsed_examples: Vec<String>,
}

/// Citations per volume over a set of documents (recomputed with [`find`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CitationReport {
    /// One entry per volume, by id.
    pub volumes: Vec<VolumeCitations>,
}

/// Counts the citations of `docs` per volume, by origin, with the unparsed fragments.
pub fn report(docs: &[Document]) -> CitationReport {
    let mut by: BTreeMap<&str, VolumeCitations> = BTreeMap::new();
    for doc in docs {
        let f = find(doc);
        let v = by
            .entry(doc.volume.as_str())
            .or_insert_with(|| VolumeCitations {
                volume: doc.volume.clone(),
                ..VolumeCitations::default()
            });
        v.documents += 1;
        for c in &f.citations {
            match c.origin {
                CitationOrigin::Ref => v.refs += 1,
                CitationOrigin::Text => v.text += 1,
            }
            v.other_volumes += usize::from(c.volume != doc.volume);
            v.flagged += usize::from(c.flag.is_some());
        }
        v.unparsed += f.unparsed.len();
        let room = EXAMPLES.saturating_sub(v.unparsed_examples.len());
        v.unparsed_examples
            .extend(f.unparsed.into_iter().take(room));
    }
    CitationReport {
        volumes: by.into_values().collect(),
    }
}
