//! What the server knows of the archive's volumes: loaded once, refreshed when the catalog
//! changes, shared by every request.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chancery_archive::{Archive, SearchRequest, SearchResults, VolumeSummary};
use chancery_model::{Node, Role, TocEntry, Volume};

use crate::error::WebError;

/// How long a loaded catalog is trusted before the catalog's change log is asked again: the
/// longest a page may lag the folder (on top of the follower's own interval).
const FRESH_FOR: Duration = Duration::from_millis(250);

/// The loaded catalog, refreshed on demand.
#[derive(Default)]
pub struct Cache {
    /// When it was last checked, the catalog change it reflects, and the catalog.
    inner: Mutex<Option<(Instant, i64, Arc<Catalog>)>>,
}

impl Cache {
    /// The current catalog when it is fresh, without touching the archive.
    pub fn fresh(&self) -> Option<Arc<Catalog>> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .filter(|(at, _, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, _, c)| Arc::clone(c))
    }

    /// The current catalog (blocking: may read the archive). Checking costs one question to
    /// the catalog (its last change); the volumes are read again only when that moved.
    pub fn get(&self, archive: &Archive) -> Result<Arc<Catalog>, WebError> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, _, cat)) = guard.as_ref() {
            if at.elapsed() < FRESH_FOR {
                return Ok(Arc::clone(cat));
            }
        }
        let seq = archive.last_change()?;
        if let Some((_, seen, cat)) = guard.as_ref() {
            if *seen == seq {
                let cat = Arc::clone(cat);
                *guard = Some((Instant::now(), seq, Arc::clone(&cat)));
                return Ok(cat);
            }
        }
        // Volumes, or the people directory, changed.
        let cat = Arc::new(Catalog::load(archive, archive.volumes()?)?);
        *guard = Some((Instant::now(), seq, Arc::clone(&cat)));
        Ok(cat)
    }
}

/// A document's line in a volume's table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TocDoc {
    /// Document id.
    pub id: String,
    /// Number as printed.
    pub n: Option<String>,
    /// Heading.
    pub head: String,
    /// Earliest date.
    pub date: Option<String>,
}

/// A volume with its lookups.
pub struct VolumeInfo {
    /// The volume.
    pub volume: Volume,
    /// Its documents in order.
    pub docs: Vec<TocDoc>,
    /// Position of each document in `docs`.
    pub doc_pos: HashMap<String, usize>,
    /// Persons-list entries by id.
    pub persons: HashMap<String, usize>,
    /// Terms-list entries by id.
    pub terms: HashMap<String, usize>,
}

impl VolumeInfo {
    fn new(volume: Volume) -> VolumeInfo {
        let mut docs = Vec::new();
        flatten(&volume.contents, &mut docs);
        let doc_pos = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let persons = volume
            .persons
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let terms = volume
            .terms
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        VolumeInfo {
            volume,
            docs,
            doc_pos,
            persons,
            terms,
        }
    }

    /// The persons- or terms-list entry a `#id` target names.
    pub fn entry(&self, target: &str) -> Option<(&chancery_model::Entry, bool)> {
        let id = target.trim_start_matches('#');
        if let Some(&i) = self.persons.get(id) {
            return Some((&self.volume.persons[i], true));
        }
        self.terms.get(id).map(|&i| (&self.volume.terms[i], false))
    }
}

fn flatten(entries: &[TocEntry], out: &mut Vec<TocDoc>) {
    for e in entries {
        match e {
            TocEntry::Division { entries, .. } => flatten(entries, out),
            TocEntry::Document { id, n, head, date } => out.push(TocDoc {
                id: id.clone(),
                n: n.clone(),
                head: head.clone(),
                date: date.clone(),
            }),
        }
    }
}

/// One entry of a volume's persons list, as part of a person.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonEntry {
    /// The volume.
    pub volume: String,
    /// The entry id in that volume's list (`p_ADG1`).
    pub id: String,
    /// The name as printed there.
    pub name: String,
    /// What the editors say.
    pub description: String,
}

/// A person: the persons-list entries of every volume under one name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    /// Stable URL id, from the name (`acheson-dean-g`).
    pub slug: String,
    /// The name as printed.
    pub name: String,
    /// The entries, one per volume.
    pub entries: Vec<PersonEntry>,
}

/// The server's view of the archive's volumes.
pub struct Catalog {
    /// A number that changes whenever the catalog is loaded anew.
    pub generation: u64,
    /// The catalog rows, by id.
    pub summaries: Vec<VolumeSummary>,
    /// Every volume, by id.
    pub volumes: HashMap<String, Arc<VolumeInfo>>,
    /// Everyone in the persons lists, sorted by name.
    pub persons: Vec<Person>,
    /// Position in `persons` by slug.
    pub person_pos: HashMap<String, usize>,
    /// Slug by `(volume, entry id)`.
    pub person_slug: HashMap<(String, String), String>,
    /// Years covered, with document counts.
    pub years: Vec<(String, u64)>,
    /// Names of cross-volume persons, by person id, as the persons lists print them.
    pub person_names: HashMap<String, String>,
    /// The people directory, when one was ingested.
    pub people: Option<Arc<chancery_people::Directory>>,
    /// Per-volume mention index, built when first needed.
    mentions: Mutex<HashMap<String, Arc<MentionIndex>>>,
}

/// Which documents of a volume name each persons-list entry: `entry id → [(doc id, role)]`.
pub type MentionIndex = HashMap<String, Vec<(String, &'static str)>>;

impl Catalog {
    fn load(archive: &Archive, summaries: Vec<VolumeSummary>) -> Result<Catalog, WebError> {
        let mut volumes = HashMap::new();
        let mut by_name: BTreeMap<String, Person> = BTreeMap::new();
        let mut person_slug = HashMap::new();
        let mut person_names = HashMap::new();
        for s in &summaries {
            let Some(v) = archive.volume(&s.id)? else {
                continue;
            };
            for e in &v.persons {
                if let Some(id) = &e.person {
                    person_names
                        .entry(id.clone())
                        .or_insert_with(|| e.name.clone());
                }
                let slug = slug(&e.name);
                if slug.is_empty() {
                    continue;
                }
                person_slug.insert((v.id.clone(), e.id.clone()), slug.clone());
                let p = by_name.entry(slug.clone()).or_insert_with(|| Person {
                    slug,
                    name: e.name.clone(),
                    entries: Vec::new(),
                });
                p.entries.push(PersonEntry {
                    volume: v.id.clone(),
                    id: e.id.clone(),
                    name: e.name.clone(),
                    description: e.description.clone(),
                });
            }
            volumes.insert(s.id.clone(), Arc::new(VolumeInfo::new(v)));
        }
        let persons: Vec<Person> = by_name.into_values().collect();
        let person_pos = persons
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        let years = archive
            .search(&chancery_archive::SearchRequest {
                limit: 1,
                facets: true,
                ..Default::default()
            })?
            .facets
            .map(|f| f.year)
            .unwrap_or_default();
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(Catalog {
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
            summaries,
            volumes,
            persons,
            person_pos,
            person_slug,
            years,
            person_names,
            people: archive.people()?.map(|(p, _)| Arc::new(p)),
            mentions: Mutex::new(HashMap::new()),
        })
    }

    /// A volume by id.
    pub fn volume(&self, id: &str) -> Option<&Arc<VolumeInfo>> {
        self.volumes.get(id)
    }

    /// The name to show for a cross-volume person id: as the people directory or a persons list
    /// gives it, else the id.
    pub fn person_name(&self, id: &str) -> String {
        if let Some(p) = self.people.as_ref().and_then(|d| d.get(id)) {
            return p.name.clone();
        }
        self.person_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// A person by slug.
    pub fn person(&self, slug: &str) -> Option<&Person> {
        self.person_pos.get(slug).map(|&i| &self.persons[i])
    }

    /// Which documents of `volume` send to, are sent by, or mention each persons-list entry
    /// (blocking: reads every document of the volume the first time).
    pub fn mentions(&self, archive: &Archive, volume: &str) -> Result<Arc<MentionIndex>, WebError> {
        if let Some(m) = self
            .mentions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(volume)
        {
            return Ok(Arc::clone(m));
        }
        let mut index = MentionIndex::new();
        if let Some(info) = self.volume(volume) {
            for d in &info.docs {
                let Some(doc) = archive.document(&format!("{volume}/{}", d.id))? else {
                    continue;
                };
                let mut found: Vec<(String, &'static str)> = Vec::new();
                collect_mentions(&doc.paper.content, &mut found);
                if let Some(h) = &doc.paper.heading {
                    for (names, role) in [(&h.senders, "from"), (&h.addressees, "to")] {
                        for n in names {
                            if let Some(t) = &n.target {
                                found.push((t.trim_start_matches('#').to_string(), role));
                            }
                        }
                    }
                }
                let mut roles: BTreeMap<String, &'static str> = BTreeMap::new();
                for (entry, role) in found {
                    let r = roles.entry(entry).or_insert(role);
                    if *r == "mention" {
                        *r = role;
                    }
                }
                for (entry, role) in roles {
                    index.entry(entry).or_default().push((d.id.clone(), role));
                }
            }
        }
        let index = Arc::new(index);
        self.mentions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(volume.to_string(), Arc::clone(&index));
        Ok(index)
    }
}

fn collect_mentions(nodes: &[Node], out: &mut Vec<(String, &'static str)>) {
    for n in nodes {
        match n {
            Node::Mention(m) => {
                if let Some(t) = &m.target {
                    let role = match m.role {
                        Some(Role::From) => "from",
                        Some(Role::To) => "to",
                        None => "mention",
                    };
                    out.push((t.trim_start_matches('#').to_string(), role));
                }
                collect_mentions(&m.children, out);
            }
            Node::Attachment(p) => collect_mentions(&p.content, out),
            other => collect_mentions(other.children(), out),
        }
    }
}

/// A URL id from a name: lower-case letters and digits joined by `-` (`Acheson, Dean G.` →
/// `acheson-dean-g`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The most rendered pages kept.
const RENDERED_MAX: usize = 4096;

/// The most rendered search pages kept (they are bigger than most documents: ~40 kB).
pub const SEARCH_PAGES_MAX: usize = 256;

/// Rendered pages, valid for one catalog generation.
pub struct Rendered {
    pages: Mutex<HashMap<String, (u64, bytes::Bytes)>>,
    max: usize,
}

impl Default for Rendered {
    fn default() -> Self {
        Rendered::bounded(RENDERED_MAX)
    }
}

impl Rendered {
    /// A store of at most `max` pages.
    pub fn bounded(max: usize) -> Rendered {
        Rendered {
            pages: Mutex::default(),
            max: max.max(1),
        }
    }

    /// The page rendered under `key` for catalog `generation`, if kept.
    pub fn get(&self, key: &str, generation: u64) -> Option<bytes::Bytes> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, html)| html.clone())
    }

    /// Keeps a rendered page (forgetting all when full).
    pub fn put(&self, key: String, generation: u64, html: bytes::Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= self.max {
            pages.clear();
        }
        pages.insert(key, (generation, html));
    }
}

/// The most search results kept.
const SEARCHES_MAX: usize = 512;

/// The most hits a kept search may hold (bigger API pages are not kept).
pub const SEARCH_KEEP_LIMIT: usize = 100;

/// Results of recent searches, valid for one index generation
/// ([`Archive::index_generation`]): a page of results asked for again (a reload, the back
/// button, a shared link, the same facet click) is not searched again.
#[derive(Default)]
pub struct Searches {
    results: Mutex<HashMap<SearchRequest, (u64, Arc<SearchResults>)>>,
}

impl Searches {
    /// The results kept for `req` under index `generation`.
    pub fn get(&self, req: &SearchRequest, generation: u64) -> Option<Arc<SearchResults>> {
        let results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        results
            .get(req)
            .filter(|(g, _)| *g == generation)
            .map(|(_, r)| Arc::clone(r))
    }

    /// Keeps the results of `req` (forgetting all when full).
    pub fn put(&self, req: SearchRequest, generation: u64, found: Arc<SearchResults>) {
        if req.limit > SEARCH_KEEP_LIMIT {
            return;
        }
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        if results.len() >= SEARCHES_MAX {
            results.clear();
        }
        results.insert(req, (generation, found));
    }
}
