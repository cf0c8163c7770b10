//! People: one identity per person across FRUS volumes.
//!
//! [`Directory::load`] reads the Office of the Historian's person records (`hsg/people`: names,
//! remarks, the FRUS persons-list entries each person is known under) and its Principal
//! Officers and Chiefs of Mission data (`hsg/pocom`: people, chiefs of mission by country and
//! organisation, principal officers, with dates), merging a pocom person with the people
//! records that are the same person. [`Directory::link_volume`] and
//! [`Directory::link_document`] set the cross-volume person ids of persons-list entries and
//! heading names; [`persons_of`] lists who a document involves. Ambiguous cases stay unlinked
//! and are listed in the [`LinkReport`], never guessed.

mod dates;
mod link;
mod load;
mod names;
mod offices;
mod xml;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use link::{persons_of, Case, LinkReport, Method, Outcome, Tally};
pub use load::LoadReport;
pub use offices::aliases as country_aliases;

/// An error reading the people data: the file and, for XML errors, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// A file or folder could not be read.
    #[error("{path}: {source}", path = path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not well-formed XML (or not UTF-8).
    #[error("{path}:{line}:{column}: {message}", path = path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// The line (1-based).
        line: usize,
        /// The column in characters (1-based).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A well-formed record lacks what makes it a record (its id or name).
    #[error("{path}: {message}", path = path.display())]
    Record {
        /// The file.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
}

/// A person: one identity across volumes, with names, dates, remarks, FRUS entries and posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The stable id: the pocom slug (`henderson-loy-wesley`) for people in pocom, else
    /// `hsg-<number>` (`hsg-103362`).
    pub id: String,
    /// The preferred name, surname first (`Henderson, Loy Wesley`).
    pub name: String,
    /// The surname (`Henderson`).
    pub surname: String,
    /// The forenames (`Loy Wesley`), empty when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub forenames: String,
    /// Other forms of the name, as printed in the sources (`Loy W. Henderson`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// The year of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<i32>,
    /// The year of death.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death: Option<i32>,
    /// What the sources say of the person, each text once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// The FRUS persons-list entries the person is known under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frus: Vec<FrusEntry>,
    /// Posts held, from pocom, in order of start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    /// The numbers of the `hsg/people` records merged into this person.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hsg: Vec<u32>,
}

impl Person {
    /// The years of birth and death as shown beside a name (`1875–1943`, `1949–`), when known.
    pub fn years(&self) -> Option<String> {
        match (self.birth, self.death) {
            (None, None) => None,
            (b, d) => Some(format!(
                "{}–{}",
                b.map(|y| y.to_string()).unwrap_or_default(),
                d.map(|y| y.to_string()).unwrap_or_default()
            )),
        }
    }
}

/// A FRUS persons-list entry: volume id and entry id (`frus1945v01`, `p_DLCL1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FrusEntry {
    /// The volume id.
    pub volume: String,
    /// The entry's `xml:id` in the volume's persons list.
    pub entry: String,
}

/// What kind of post a [`Post`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// Chief of mission to a country (`missions-countries`).
    Chief,
    /// Chief of mission to an international organisation (`missions-orgs`).
    Organization,
    /// A principal officer of the Department (`positions-principals`).
    Principal,
}

/// A post held, with its dates (ISO 8601, possibly partial: `1936`, `1936-05`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Chief of mission to a country or organisation, or principal officer.
    pub kind: PostKind,
    /// Where or what: the pocom territory id (`egypt`), organisation id or position id
    /// (`secretary`).
    pub at: String,
    /// The role title (`Envoy Extraordinary and Minister Plenipotentiary`, `Secretary of
    /// State`).
    pub title: String,
    /// Date of appointment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointed: Option<String>,
    /// Date the post was taken up (credentials presented, oath taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Date it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    /// How it ended (`Left post on`), when the data says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_note: Option<String>,
}

/// The people, with lookup tables built on load and on deserialisation.
///
/// Serialised, it is only the list of people (the tables are derived), sorted by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Directory {
    people: Vec<Person>,
    /// Principal positions: folded singular name (`secretary of state`) → position ids.
    positions: Vec<(String, String)>,
    #[serde(skip)]
    index: Index,
}

/// The serialised form.
#[derive(Deserialize)]
struct Stored {
    people: Vec<Person>,
    #[serde(default)]
    positions: Vec<(String, String)>,
}

impl From<Stored> for Directory {
    fn from(s: Stored) -> Directory {
        Directory::new(s.people, s.positions)
    }
}

/// Lookup tables over [`Directory::people`], by index into it.
#[derive(Debug, Clone, Default)]
struct Index {
    by_id: HashMap<String, usize>,
    by_entry: HashMap<(String, String), Vec<usize>>,
    by_surname: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    /// Territory, organisation or position id → (person, post) pairs.
    holders: HashMap<String, Vec<(usize, usize)>>,
    /// Per person, every name folded, surname first and without commas.
    folded: Vec<Vec<String>>,
    /// Per person, every name split into surname and forenames.
    splits: Vec<Vec<names::Split>>,
}

impl Directory {
    /// Builds a directory (and its tables) from people and the principal-position names.
    fn new(mut people: Vec<Person>, positions: Vec<(String, String)>) -> Directory {
        people.sort_by(|a, b| a.id.cmp(&b.id));
        let mut index = Index::default();
        for (i, p) in people.iter().enumerate() {
            index.by_id.insert(p.id.clone(), i);
            for e in &p.frus {
                index
                    .by_entry
                    .entry((e.volume.clone(), e.entry.clone()))
                    .or_default()
                    .push(i);
            }
            let splits = person_splits(p);
            let mut surnames: Vec<String> = Vec::new();
            for s in &splits {
                for k in names::surname_keys(&s.surname) {
                    if !surnames.contains(&k) {
                        surnames.push(k);
                    }
                }
                let list = index.by_name.entry(s.key()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            for k in surnames {
                index.by_surname.entry(k).or_default().push(i);
            }
            for (j, post) in p.posts.iter().enumerate() {
                index
                    .holders
                    .entry(post.at.clone())
                    .or_default()
                    .push((i, j));
            }
            let mut folded: Vec<String> = std::iter::once(&p.name)
                .chain(&p.names)
                .map(|n| names::fold(n))
                .collect();
            folded.dedup();
            index.folded.push(folded);
            index.splits.push(splits);
        }
        Directory {
            people,
            positions,
            index,
        }
    }

    /// Every person, sorted by id.
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The person with this id.
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.index.by_id.get(id).map(|&i| &self.people[i])
    }

    /// The people known under this FRUS persons-list entry (normally one).
    pub fn by_entry(&self, volume: &str, entry: &str) -> Vec<&Person> {
        self.index
            .by_entry
            .get(&(volume.to_string(), entry.to_string()))
            .map(|v| v.iter().map(|&i| &self.people[i]).collect())
            .unwrap_or_default()
    }

    /// Who held a post at `at` (territory, organisation or position id) on `date`
    /// (`1936-05-01`), by the post's start (or appointment) and end dates.
    pub fn holders(&self, at: &str, date: &str) -> Vec<(&Person, &Post)> {
        let Some(day) = dates::day(date) else {
            return Vec::new();
        };
        self.index
            .holders
            .get(at)
            .into_iter()
            .flatten()
            .map(|&(i, j)| (&self.people[i], &self.people[i].posts[j]))
            .filter(|(_, post)| dates::held(post, day, 0))
            .collect()
    }

    /// The pocom territory ids a country name in FRUS office wording can mean (`the Soviet
    /// Union` → `russia`, `Persia` → `iran`, `Yugoslavia` → `serbia`, `yugoslavia`).
    pub fn territories(&self, country: &str) -> Vec<String> {
        offices::country_territories(country, |id| self.index.holders.contains_key(id))
    }

    /// People whose names match `query`, ignoring case and accents: those whose surname is
    /// the query first, then those with a name word starting with each query word, then
    /// those with a name containing the query; better-known people first within each rank.
    pub fn find(&self, query: &str) -> Vec<&Person> {
        let q = names::fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let words: Vec<&str> = q.split(' ').collect();
        let mut hits: Vec<(u8, std::cmp::Reverse<usize>, usize)> = Vec::new();
        for (i, p) in self.people.iter().enumerate() {
            let exact = self.index.splits[i].iter().any(|s| s.surname == q);
            let rank = if exact {
                0
            } else if self.index.folded[i]
                .iter()
                .any(|n| words.iter().all(|w| n.split(' ').any(|t| t.starts_with(w))))
            {
                1
            } else if self.index.folded[i].iter().any(|n| n.contains(&q)) {
                2
            } else {
                continue;
            };
            let weight = p.frus.len() + 10 * p.posts.len();
            hits.push((rank, std::cmp::Reverse(weight), i));
        }
        hits.sort();
        hits.into_iter().map(|(_, _, i)| &self.people[i]).collect()
    }
}

/// Every name of a person split into surname and forenames: the preferred name and every
/// inverted (`Surname, Forenames`) variant; a preferred name without a comma (`Phan Huy
/// Quat`) is taken as the surname alone.
fn person_splits(p: &Person) -> Vec<names::Split> {
    let mut out: Vec<names::Split> =
        names::split_inverted(&format!("{}, {}", p.surname, p.forenames))
            .into_iter()
            .collect();
    for n in &p.names {
        if let Some(s) = names::split_inverted(n) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out.retain(|s| !s.surname.is_empty());
    out
}
