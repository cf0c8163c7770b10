//! Linking persons-list entries and heading names to people, and listing who a document
//! involves.

use std::collections::{BTreeMap, BTreeSet};

use chancery_model::{
    Document, MentionKind, Name, Node, Paper, PersonRef, PersonRole, Role, Volume,
};
use serde::{Deserialize, Serialize};

use crate::names::{self, fold};
use crate::offices::{self, Office};
use crate::{dates, Directory, Person, PostKind};

/// How a link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A person record names this persons-list entry in its source urls.
    SourceUrl,
    /// The entry's name (`Truman, Harry S.`) is exactly one person's name.
    EntryName,
    /// The heading name points (`#p_…`) at a linked persons-list entry.
    Target,
    /// Office + date (+ surname): the one holder of that post then, from pocom.
    Office,
    /// The paper's signature (`Loy W. Henderson`) names exactly one person with the surname.
    Signature,
    /// Exactly one person with the surname is linked from the volume's persons list.
    PersonsList,
    /// The heading gives no office pocom knows (`Mr. Baker to Mr. Gresham`) and exactly one
    /// person with the surname held a pocom post on the date: a principal office, or chief of mission to
    /// a country the volume's title, the document's chapters or its place name.
    PostHeld,
    /// Exactly one person with the surname, not then at a post elsewhere, held a post in the
    /// office's country within 15 years of the date.
    CountryPost,
    /// Exactly one person with the surname, not then at a post elsewhere, is in the persons
    /// list of a FRUS volume within 3 years of the date.
    Active,
    /// The heading gives a full name (`William H. Hornibrook`) that exactly one person has.
    FullName,
}

/// Counts for one kind of link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Considered.
    pub total: usize,
    /// Linked.
    pub linked: usize,
    /// Left unlinked: several people could be meant.
    pub ambiguous: usize,
    /// Left unlinked: nobody in the directory fits.
    pub unlinked: usize,
    /// Links by method.
    pub by: BTreeMap<Method, usize>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.total += other.total;
        self.linked += other.linked;
        self.ambiguous += other.ambiguous;
        self.unlinked += other.unlinked;
        for (m, n) in &other.by {
            *self.by.entry(*m).or_default() += n;
        }
    }

    fn link(&mut self, m: Method) {
        self.total += 1;
        self.linked += 1;
        *self.by.entry(m).or_default() += 1;
    }
}

/// Why a name or entry stayed unlinked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Outcome {
    /// Several people could be meant (the first 20 ids) and nothing decides.
    Ambiguous {
        /// Candidate person ids.
        candidates: Vec<String>,
        /// How many candidates there were in all.
        count: usize,
    },
    /// Nobody in the directory fits.
    Unlinked,
}

/// One persons-list entry or heading name left unlinked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// `volume/document` for heading names, `volume#entry` for persons-list entries.
    pub at: String,
    /// Sender or addressee, for heading names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<PersonRole>,
    /// The name as written.
    pub name: String,
    /// The office, when the heading gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// The document's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Ambiguous or unlinked.
    pub outcome: Outcome,
}

/// What a linking pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkReport {
    /// Persons-list entries.
    pub entries: Tally,
    /// Heading senders and addressees that name a person or an office.
    pub names: Tally,
    /// Heading names that are not people (`Central Intelligence Agency`), not counted above.
    pub not_persons: usize,
    /// Every ambiguous or unlinked entry and name.
    pub cases: Vec<Case>,
}

impl LinkReport {
    /// Adds another report's counts and cases to this one.
    pub fn add(&mut self, other: LinkReport) {
        self.entries.add(&other.entries);
        self.names.add(&other.names);
        self.not_persons += other.not_persons;
        self.cases.extend(other.cases);
    }

    fn miss(&mut self, names: bool, case: Case) {
        let t = if names {
            &mut self.names
        } else {
            &mut self.entries
        };
        t.total += 1;
        match case.outcome {
            Outcome::Ambiguous { .. } => t.ambiguous += 1,
            Outcome::Unlinked => t.unlinked += 1,
        }
        self.cases.push(case);
    }
}

/// The result of resolving one name.
enum Resolved {
    NotPerson,
    Linked(usize, Method),
    Ambiguous(Vec<usize>),
    Unlinked,
}

impl Resolved {
    /// One candidate links, several are ambiguous, none is unlinked.
    fn of(mut v: Vec<usize>, m: Method) -> Resolved {
        v.sort_unstable();
        v.dedup();
        match v.len() {
            0 => Resolved::Unlinked,
            1 => Resolved::Linked(v[0], m),
            _ => Resolved::Ambiguous(v),
        }
    }
}

/// The document's date and what follows from it.
struct When<'a> {
    /// The volume's titles, the document's chapter headings and place, folded.
    context: String,
    date: Option<&'a str>,
    day: Option<i64>,
    year: Option<i32>,
}

/// The years a FRUS volume id covers (`frus1952-54Guat` → 1952–1954, `frus1936v03` → 1936).
fn volume_years(id: &str) -> Option<(i32, i32)> {
    let rest = id.strip_prefix("frus")?;
    let y1: i32 = rest.get(..4)?.parse().ok()?;
    let tail = &rest[4..];
    let y2 = tail
        .strip_prefix('-')
        .and_then(|t| {
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            match digits.len() {
                2 => digits.parse::<i32>().ok().map(|d| y1 / 100 * 100 + d),
                4 => digits.parse().ok(),
                _ => None,
            }
        })
        .unwrap_or(y1);
    Some((y1, y2.max(y1)))
}

/// Mutable children of a node, for walking into attachments.
fn children_mut(n: &mut Node) -> Option<&mut Vec<Node>> {
    match n {
        Node::Block(b) => Some(&mut b.children),
        Node::Inline(i) => Some(&mut i.children),
        Node::Note(x) => Some(&mut x.children),
        Node::Ref(r) => Some(&mut r.children),
        Node::Mention(m) => Some(&mut m.children),
        Node::Date(d) => Some(&mut d.children),
        Node::Other(o) => Some(&mut o.children),
        Node::Text { .. } | Node::LineBreak | Node::PageBreak(_) | Node::Attachment(_) => None,
    }
}

/// Calls `f` on a paper and every enclosure inside it, outermost first.
fn each_paper_mut(paper: &mut Paper, f: &mut impl FnMut(&mut Paper)) {
    f(paper);
    fn walk(nodes: &mut [Node], f: &mut impl FnMut(&mut Paper)) {
        for n in nodes {
            if let Node::Attachment(p) = n {
                each_paper_mut(p, f);
            } else if let Some(c) = children_mut(n) {
                walk(c, f);
            }
        }
    }
    walk(&mut paper.content, f);
}

/// The person id a `#p_…` target names through the volume's persons list.
fn target_person<'v>(volume: &'v Volume, target: Option<&str>) -> Option<&'v str> {
    let id = target?.strip_prefix('#')?;
    volume
        .persons
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.person.as_deref())
}

impl Directory {
    /// Sets `Entry.person` for the volume's persons-list entries: by the source urls of the
    /// person records (volume id + entry id), else by the entry's name (`Truman, Harry S.`)
    /// when exactly one person has it. Ambiguous and unknown entries are left (or made)
    /// unlinked and listed, so linking again with another directory leaves no stale link.
    pub fn link_volume(&self, volume: &mut Volume) -> LinkReport {
        let mut report = LinkReport::default();
        let vid = volume.id.clone();
        for entry in &mut volume.persons {
            entry.person = None;
            let by_url = self
                .index
                .by_entry
                .get(&(vid.clone(), entry.id.clone()))
                .cloned()
                .unwrap_or_default();
            let resolved = if !by_url.is_empty() {
                Resolved::of(by_url, Method::SourceUrl)
            } else {
                let key = names::split_inverted(&entry.name).map(|s| s.key());
                let found = key
                    .and_then(|k| self.index.by_name.get(&k).cloned())
                    .unwrap_or_default();
                Resolved::of(found, Method::EntryName)
            };
            let outcome = match resolved {
                Resolved::Linked(i, m) => {
                    entry.person = Some(self.people[i].id.clone());
                    report.entries.link(m);
                    continue;
                }
                Resolved::Ambiguous(v) => self.ambiguous(&v),
                Resolved::Unlinked | Resolved::NotPerson => Outcome::Unlinked,
            };
            report.miss(
                false,
                Case {
                    at: format!("{vid}#{}", entry.id),
                    role: None,
                    name: entry.name.clone(),
                    office: None,
                    date: None,
                    outcome,
                },
            );
        }
        report
    }

    /// Links a volume and all its documents: [`Directory::link_volume`], then
    /// [`Directory::link_document`] for each.
    pub fn link_all(&self, volume: &mut Volume, documents: &mut [Document]) -> LinkReport {
        let mut report = self.link_volume(volume);
        for d in documents {
            report.add(self.link_document(d, volume));
        }
        report
    }

    /// Sets `Name.person` for the senders and addressees in the headings of a document and
    /// its enclosures, then `doc.people` (see [`persons_of`]). Link the volume first
    /// ([`Directory::link_volume`]): names pointing into its persons list take the entry's
    /// person. Otherwise office + surname + the document's date name the pocom holder of the
    /// post then; failing that, the signature, the volume's persons list, or a unique person
    /// with that surname known to be in that country or active then. Anything else is left
    /// (or made) unlinked and listed.
    pub fn link_document(&self, doc: &mut Document, volume: &Volume) -> LinkReport {
        let mut report = LinkReport::default();
        let date = doc.dates.min.clone().or(doc.dates.max.clone());
        let mut context = String::new();
        for t in [&volume.titles.complete, &volume.titles.volume, &doc.place]
            .into_iter()
            .flatten()
            .chain(doc.chapter.iter().map(|c| &c.head))
        {
            context.push(' ');
            context.push_str(&fold(t));
        }
        context.push(' ');
        let when = When {
            context,
            date: date.as_deref(),
            day: date.as_deref().and_then(dates::day),
            year: date
                .as_deref()
                .and_then(dates::year)
                .or_else(|| volume_years(&volume.id).map(|(a, _)| a)),
        };
        let key = doc.key();
        each_paper_mut(&mut doc.paper, &mut |paper| {
            let signed = paper.signed.clone();
            let Some(heading) = paper.heading.as_mut() else {
                return;
            };
            for (role, list) in [
                (PersonRole::Sender, &mut heading.senders),
                (PersonRole::Addressee, &mut heading.addressees),
            ] {
                for name in list.iter_mut() {
                    let sig: &[String] = if role == PersonRole::Sender {
                        &signed
                    } else {
                        &[]
                    };
                    name.person = None;
                    let outcome = match self.resolve(name, sig, volume, &when) {
                        Resolved::NotPerson => {
                            report.not_persons += 1;
                            continue;
                        }
                        Resolved::Linked(i, m) => {
                            name.person = Some(self.people[i].id.clone());
                            report.names.link(m);
                            continue;
                        }
                        Resolved::Ambiguous(v) => self.ambiguous(&v),
                        Resolved::Unlinked => Outcome::Unlinked,
                    };
                    report.miss(
                        true,
                        Case {
                            at: key.clone(),
                            role: Some(role),
                            name: name.text.clone(),
                            office: name.office.clone(),
                            date: when.date.map(str::to_string),
                            outcome,
                        },
                    );
                }
            }
        });
        doc.people = persons_of(doc, volume);
        report
    }

    fn ambiguous(&self, v: &[usize]) -> Outcome {
        Outcome::Ambiguous {
            candidates: v
                .iter()
                .take(20)
                .map(|&i| self.people[i].id.clone())
                .collect(),
            count: v.len(),
        }
    }

    /// Whether a person's surname keys include this folded surname.
    fn has_surname(&self, i: usize, surname: &str) -> bool {
        self.index.splits[i]
            .iter()
            .any(|s| names::surname_keys(&s.surname).iter().any(|k| k == surname))
    }

    /// Whether the person can be meant in that year: alive and adult by the birth and death
    /// years; without either, some post or FRUS persons entry within 30 years of it (when the
    /// person has any).
    fn plausible(p: &Person, year: Option<i32>) -> bool {
        let Some(y) = year else {
            return true;
        };
        if p.birth.is_some() || p.death.is_some() {
            return p.birth.is_none_or(|b| b + 16 <= y) && p.death.is_none_or(|d| d >= y);
        }
        let mut years = p
            .posts
            .iter()
            .filter_map(|post| post.started.as_deref().or(post.appointed.as_deref()))
            .filter_map(dates::year)
            .chain(
                p.frus
                    .iter()
                    .filter_map(|e| volume_years(&e.volume).map(|(a, _)| a)),
            )
            .peekable();
        years.peek().is_none() || years.any(|py| (py - y).abs() <= 30)
    }

    /// Holders of an office on the day (with `slack` days around the post's dates).
    fn office_holders(&self, office: &Office, day: i64, slack: i64) -> Vec<(usize, usize)> {
        let ats: &[String] = match office {
            Office::Principal { positions, .. } => positions,
            Office::Mission { territories, .. } => territories,
        };
        ats.iter()
            .flat_map(|at| self.index.holders.get(at).into_iter().flatten())
            .filter(|&&(i, j)| dates::held(&self.people[i].posts[j], day, slack))
            .copied()
            .collect()
    }

    fn resolve(&self, name: &Name, signed: &[String], volume: &Volume, when: &When) -> Resolved {
        if let Some(pid) = target_person(volume, name.target.as_deref()) {
            if let Some(&i) = self.index.by_id.get(pid) {
                return Resolved::Linked(i, Method::Target);
            }
        }
        let exists = |id: &str| self.index.holders.contains_key(id);
        let (surname, office_text) = match name.kind {
            MentionKind::Person => (Some(fold(&name.text)), name.office.as_deref()),
            MentionKind::Gloss => (None, Some(name.text.as_str())),
            _ => return Resolved::NotPerson,
        };
        // `[name not declassified]` and the like.
        let surname = surname.filter(|s| !s.is_empty() && !name.text.starts_with('['));
        let office = office_text.and_then(|o| offices::parse(o, &self.positions, exists));
        if surname.is_none() && office.is_none() {
            return Resolved::NotPerson;
        }
        if let (Some(office), Some(day)) = (&office, when.day) {
            let slack = if surname.is_some() { 45 } else { 0 };
            let holders = self.office_holders(office, day, slack);
            let found: Vec<usize> = match &surname {
                Some(s) => holders
                    .iter()
                    .filter(|&&(i, _)| self.has_surname(i, s))
                    .map(|&(i, _)| i)
                    .collect(),
                None => holders
                    .iter()
                    .filter(|&&(i, j)| office.title_fits(&self.people[i].posts[j].title))
                    .map(|&(i, _)| i)
                    .collect(),
            };
            match Resolved::of(found, Method::Office) {
                Resolved::Unlinked if surname.is_some() => {}
                r => return r,
            }
        }
        let Some(surname) = surname else {
            // An office without a surname (`Acting Secretary of State`): the signature alone.
            return signed
                .iter()
                .filter_map(|s| names::split_direct(s))
                .map(|sig| self.by_signature(&sig, &self.pool(&sig.surname, when)))
                .find(|r| matches!(r, Resolved::Linked(..)))
                .unwrap_or(Resolved::Unlinked);
        };
        let pool = self.pool(&surname, when);
        if pool.is_empty() {
            // A full name (`William H. Hornibrook`): surname and forenames.
            if let Some(full) = names::split_direct(&name.text).filter(|s| !s.forenames.is_empty())
            {
                let r = self.by_signature(&full, &self.pool(&full.surname, when));
                if let Resolved::Linked(i, _) = r {
                    return Resolved::Linked(i, Method::FullName);
                }
                return r;
            }
            return Resolved::Unlinked;
        }
        self.by_surname(&surname, &pool, office.as_ref(), signed, volume, when)
    }

    /// People with this folded surname who can be meant in the year.
    fn pool(&self, surname: &str, when: &When) -> Vec<usize> {
        self.index
            .by_surname
            .get(surname)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| Self::plausible(&self.people[i], when.year))
            .collect()
    }

    /// The one person of the pool whose forenames fit a full name's (`Loy W.`), if one.
    fn by_signature(&self, sig: &names::Split, pool: &[usize]) -> Resolved {
        if sig.forenames.is_empty() {
            return Resolved::Unlinked;
        }
        let found: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| {
                self.index.splits[i]
                    .iter()
                    .any(|sp| names::forenames_compatible(&sig.forenames, &sp.forenames))
            })
            .collect();
        Resolved::of(found, Method::Signature)
    }

    /// Whether the person held a post outside these territories on the day: then they were
    /// not the one writing from (or to) there.
    fn busy_elsewhere(&self, i: usize, day: Option<i64>, office: Option<&Office>) -> bool {
        let Some(day) = day else {
            return false;
        };
        let here: &[String] = match office {
            Some(Office::Mission { territories, .. }) => territories,
            _ => &[],
        };
        self.people[i]
            .posts
            .iter()
            .any(|p| dates::held(p, day, 0) && !here.contains(&p.at))
    }

    /// The fallback for a surname the office did not resolve: the signature, the volume's
    /// persons list, a post held on the date (when the office is not a pocom one), a post in the office's
    /// country, a FRUS persons entry of those years.
    fn by_surname(
        &self,
        surname: &str,
        pool: &[usize],
        office: Option<&Office>,
        signed: &[String],
        volume: &Volume,
        when: &When,
    ) -> Resolved {
        for sig in signed.iter().filter_map(|s| names::split_direct(s)) {
            if sig.surname == surname {
                if let r @ Resolved::Linked(..) = self.by_signature(&sig, pool) {
                    return r;
                }
            }
        }
        let listed: BTreeSet<&str> = volume
            .persons
            .iter()
            .filter_map(|e| e.person.as_deref())
            .collect();
        let found: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| listed.contains(self.people[i].id.as_str()))
            .collect();
        if let r @ Resolved::Linked(..) = Resolved::of(found, Method::PersonsList) {
            return r;
        }
        if let (None, Some(day)) = (office, when.day) {
            let found: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&i| {
                    self.people[i].posts.iter().any(|p| {
                        dates::held(p, day, 0)
                            && (p.kind == PostKind::Principal
                                || offices::named_in(&p.at, &when.context))
                    })
                })
                .collect();
            if let r @ Resolved::Linked(..) = Resolved::of(found, Method::PostHeld) {
                return r;
            }
        }
        let free: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| !self.busy_elsewhere(i, when.day, office))
            .collect();
        if let (Some(Office::Mission { territories, .. }), Some(y)) = (office, when.year) {
            let found: Vec<usize> = free
                .iter()
                .copied()
                .filter(|&i| {
                    self.people[i]
                        .posts
                        .iter()
                        .any(|p| territories.contains(&p.at) && post_near(p, y, 15))
                })
                .collect();
            if let r @ Resolved::Linked(..) = Resolved::of(found, Method::CountryPost) {
                return r;
            }
        }
        if let Some(y) = when.year {
            let found: Vec<usize> = free
                .iter()
                .copied()
                .filter(|&i| {
                    self.people[i].frus.iter().any(|e| {
                        volume_years(&e.volume).is_some_and(|(a, b)| a - 3 <= y && y <= b + 3)
                    })
                })
                .collect();
            match Resolved::of(found, Method::Active) {
                r @ Resolved::Linked(..) => return r,
                Resolved::Ambiguous(v) => return Resolved::Ambiguous(v),
                _ => {}
            }
        }
        Resolved::Ambiguous(pool.to_vec())
    }
}

/// Whether a post's years come within `margin` years of `year`.
fn post_near(p: &crate::Post, year: i32, margin: i32) -> bool {
    let start = p
        .started
        .as_deref()
        .or(p.appointed.as_deref())
        .and_then(dates::year);
    let end = p.ended.as_deref().and_then(dates::year).or(start);
    match (start, end) {
        (Some(s), Some(e)) => s - margin <= year && year <= e + margin,
        _ => false,
    }
}

/// The people a document involves, by cross-volume id, each person and role once, in order:
/// linked heading senders and addressees of the document and its enclosures, and persons
/// mentioned in the text whose `#p_…` target is a linked persons-list entry (mentions inside
/// headings count as sender or addressee).
pub fn persons_of(doc: &Document, volume: &Volume) -> Vec<PersonRef> {
    let mut out: Vec<PersonRef> = Vec::new();
    let mut push = |person: &str, role: PersonRole| {
        if !out.iter().any(|r| r.person == person && r.role == role) {
            out.push(PersonRef {
                person: person.to_string(),
                role,
            });
        }
    };
    fn papers<'a>(paper: &'a Paper, out: &mut Vec<&'a Paper>) {
        out.push(paper);
        for a in paper.attachments() {
            papers(a, out);
        }
    }
    let mut all = Vec::new();
    papers(&doc.paper, &mut all);
    for paper in &all {
        if let Some(h) = &paper.heading {
            for n in &h.senders {
                if let Some(p) = &n.person {
                    push(p, PersonRole::Sender);
                }
            }
            for n in &h.addressees {
                if let Some(p) = &n.person {
                    push(p, PersonRole::Addressee);
                }
            }
        }
    }
    fn mentions(nodes: &[Node], volume: &Volume, push: &mut impl FnMut(&str, PersonRole)) {
        for n in nodes {
            match n {
                Node::Mention(m) if m.kind == MentionKind::Person => {
                    if let Some(p) = target_person(volume, m.target.as_deref()) {
                        let role = match m.role {
                            Some(Role::From) => PersonRole::Sender,
                            Some(Role::To) => PersonRole::Addressee,
                            _ => PersonRole::Mentioned,
                        };
                        push(p, role);
                    }
                    mentions(&m.children, volume, push);
                }
                Node::Attachment(p) => mentions(&p.content, volume, push),
                other => mentions(other.children(), volume, push),
            }
        }
    }
    mentions(&doc.paper.content, volume, &mut push);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_volumes() {
        assert_eq!(volume_years("frus1952-54Guat"), Some((1952, 1954)));
        assert_eq!(volume_years("frus1936v03"), Some((1936, 1936)));
        assert_eq!(volume_years("frus1969-76v17"), Some((1969, 1976)));
        assert_eq!(volume_years("frus1945Berlinv01"), Some((1945, 1945)));
        assert_eq!(volume_years("000_36a440fcf6bbd698"), None);
    }
}
