//! Reading `hsg/people` and `hsg/pocom` and merging them into one person per identity.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::names::{self, fold};
use crate::xml::{self, Element};
use crate::{Directory, FrusEntry, PeopleError, Person, Post, PostKind};

/// What a load read, merged and skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// `hsg/people` records read.
    pub hsg_records: usize,
    /// `hsg/pocom/people` records read.
    pub pocom_people: usize,
    /// Chief-of-mission and principal-officer appointments read.
    pub posts: usize,
    /// People records merged into a pocom person through a `departmenthistory/people/<slug>`
    /// source url.
    pub merged_by_url: usize,
    /// People records merged into a pocom person by surname, forenames and compatible years.
    pub merged_by_name: usize,
    /// People in the directory.
    pub people: usize,
    /// Appointments naming a person pocom does not have (`person-id`, file).
    pub unknown_holders: Vec<String>,
    /// Records that could not be read, each with its file and position; skipped.
    pub skipped: Vec<String>,
}

/// One `hsg/people` record.
struct HsgRecord {
    number: u32,
    preferred: String,
    names: Vec<String>,
    birth: Option<i32>,
    death: Option<i32>,
    remarks: Vec<String>,
    frus: Vec<FrusEntry>,
    slugs: Vec<String>,
}

/// One `pocom/people` record.
struct PocomPerson {
    id: String,
    old_ids: Vec<String>,
    surname: String,
    forenames: String,
    gen_name: Option<String>,
    altnames: Vec<String>,
    birth: Option<i32>,
    death: Option<i32>,
}

impl Directory {
    /// Reads the people records (`hsg/people`, the folder holding `data/`) and the pocom data
    /// (`hsg/pocom`), either of them optional, and merges them: one person per identity.
    ///
    /// A folder that cannot be read is an error; a record that cannot be read is skipped and
    /// listed in the report with its file and position.
    pub fn load(
        people_dir: Option<&Path>,
        pocom_dir: Option<&Path>,
    ) -> Result<(Directory, LoadReport), PeopleError> {
        let mut report = LoadReport::default();
        let hsg = match people_dir {
            Some(dir) => {
                let data = dir.join("data");
                let root = if data.is_dir() {
                    data
                } else {
                    dir.to_path_buf()
                };
                let mut files = Vec::new();
                walk(&root, &mut files)?;
                files.sort();
                parallel(&files, &mut report, hsg_record)
            }
            None => Vec::new(),
        };
        report.hsg_records = hsg.len();
        let (pocom, posts, positions) = match pocom_dir {
            Some(dir) => read_pocom(dir, &mut report)?,
            None => (Vec::new(), HashMap::new(), Vec::new()),
        };
        report.pocom_people = pocom.len();
        let people = merge(hsg, pocom, posts, &mut report);
        report.people = people.len();
        Ok((Directory::new(people, positions), report))
    }
}

/// Every `*.xml` file under `dir`, recursively.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PeopleError> {
    let io = |source| PeopleError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "xml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads and parses files on all cores, in order; records that fail go to the report.
fn parallel<T: Send>(
    files: &[PathBuf],
    report: &mut LoadReport,
    parse: fn(&Element, &Path) -> Result<T, PeopleError>,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Vec<Result<T, PeopleError>>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|path| {
                            let bytes = std::fs::read(path).map_err(|source| PeopleError::Io {
                                path: path.clone(),
                                source,
                            })?;
                            parse(&xml::parse(&bytes, path)?, path)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut out = Vec::with_capacity(files.len());
    for r in results.into_iter().flatten() {
        match r {
            Ok(t) => out.push(t),
            Err(e) => report.skipped.push(e.to_string()),
        }
    }
    out
}

fn year(s: Option<String>) -> Option<i32> {
    s.and_then(|s| s.get(..4).and_then(|y| y.parse().ok()))
}

fn missing(path: &Path, what: &str) -> PeopleError {
    PeopleError::Record {
        path: path.to_path_buf(),
        message: format!("no {what}"),
    }
}

/// Reads one `hsg/people` record.
fn hsg_record(root: &Element, path: &Path) -> Result<HsgRecord, PeopleError> {
    if root.name != "person" {
        return Err(missing(path, "<person> root"));
    }
    let number: u32 = root
        .text_at(&["id"])
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| missing(path, "numeric <id>"))?;
    let names_el = root.child("names");
    let preferred = names_el
        .and_then(|n| n.text_at(&["preferred", "name"]))
        .ok_or_else(|| missing(path, "preferred name"))?;
    let mut names = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    if let Some(n) = names_el {
        for alt in n
            .child("alternates")
            .into_iter()
            .flat_map(|a| a.all("name"))
        {
            names.push(xml::collapse(&alt.text));
        }
        for orig in n
            .child("originals")
            .into_iter()
            .flat_map(|o| o.all("original"))
        {
            if let Some(name) = orig.text_at(&["name"]) {
                names.push(name);
            }
            urls.extend(orig.all("source-url").map(|u| xml::collapse(&u.text)));
        }
    }
    let mut remarks = Vec::new();
    for r in root
        .child("remarks")
        .into_iter()
        .flat_map(|r| r.all("remark"))
    {
        let text = r
            .all("p")
            .map(Element::deep_text)
            .collect::<Vec<_>>()
            .join(" ");
        if !text.is_empty() && !remarks.contains(&text) {
            remarks.push(text);
        }
        urls.extend(r.all("source-url").map(|u| xml::collapse(&u.text)));
    }
    let mut frus = BTreeSet::new();
    let mut slugs = Vec::new();
    for u in &urls {
        if let Some(e) = frus_entry(u) {
            frus.insert(e);
        } else if let Some((_, slug)) = u.split_once("/departmenthistory/people/") {
            let slug = slug.trim_end_matches('/').to_string();
            if !slug.is_empty() && !slugs.contains(&slug) {
                slugs.push(slug);
            }
        }
    }
    Ok(HsgRecord {
        number,
        preferred,
        names,
        birth: year(root.text_at(&["birth-year"])),
        death: year(root.text_at(&["death-year"])),
        remarks,
        frus: frus.into_iter().collect(),
        slugs,
    })
}

/// The persons-list entry a source url names:
/// `https://history.state.gov/historicaldocuments/frus1945v01/persons#p_DLCL1`.
fn frus_entry(url: &str) -> Option<FrusEntry> {
    let (_, rest) = url.split_once("/historicaldocuments/")?;
    let (volume, rest) = rest.split_once('/')?;
    let entry = rest.strip_prefix("persons#")?;
    (!volume.is_empty() && !entry.is_empty()).then(|| FrusEntry {
        volume: volume.to_string(),
        entry: entry.to_string(),
    })
}

/// Reads one `pocom/people` record.
fn pocom_person(root: &Element, path: &Path) -> Result<PocomPerson, PeopleError> {
    let id = root.text_at(&["id"]).ok_or_else(|| missing(path, "<id>"))?;
    let surname = root
        .text_at(&["persName", "surname"])
        .ok_or_else(|| missing(path, "<surname>"))?;
    let pn = root.child("persName");
    Ok(PocomPerson {
        id,
        old_ids: root
            .child("old-ids")
            .into_iter()
            .flat_map(|o| o.all("old-id"))
            .map(|o| xml::collapse(&o.text))
            .filter(|s| !s.is_empty())
            .collect(),
        surname,
        forenames: root.text_at(&["persName", "forename"]).unwrap_or_default(),
        gen_name: root.text_at(&["persName", "genName"]),
        altnames: pn
            .into_iter()
            .flat_map(|p| p.all("altname"))
            .map(|a| xml::collapse(&a.text))
            .filter(|s| !s.is_empty())
            .collect(),
        birth: year(root.text_at(&["birth"])),
        death: year(root.text_at(&["death"])),
    })
}

/// A mission or position file: where (territory, organisation or position id), its name,
/// and its appointments as (person id, role title id, post without title).
struct Appointments {
    kind: PostKind,
    name: Option<String>,
    list: Vec<(String, String, Post)>,
}

fn appointments(root: &Element, path: &Path) -> Result<Appointments, PeopleError> {
    let (kind, at, list_name, item) = match root.name.as_str() {
        "country-mission" => (
            PostKind::Chief,
            root.text_at(&["territory-id"]),
            "chiefs",
            "chief",
        ),
        "org-mission" => (
            PostKind::Organization,
            root.text_at(&["id"]),
            "chiefs",
            "chief",
        ),
        "principal-position" => (
            PostKind::Principal,
            root.text_at(&["id"]),
            "principals",
            "principal",
        ),
        other => {
            return Err(PeopleError::Record {
                path: path.to_path_buf(),
                message: format!("unexpected root <{other}>"),
            })
        }
    };
    let at = at.ok_or_else(|| missing(path, "territory or position id"))?;
    let mut list = Vec::new();
    for c in root.child(list_name).into_iter().flat_map(|l| l.all(item)) {
        let (Some(person), Some(role)) = (c.text_at(&["person-id"]), c.text_at(&["role-title-id"]))
        else {
            continue;
        };
        list.push((
            person,
            role,
            Post {
                kind,
                at: at.clone(),
                title: String::new(),
                appointed: c.text_at(&["appointed", "date"]),
                started: c.text_at(&["started", "date"]),
                ended: c.text_at(&["ended", "date"]),
                ended_note: c.text_at(&["ended", "note"]),
            },
        ));
    }
    Ok(Appointments {
        kind,
        name: root.text_at(&["names", "singular"]),
        list,
    })
}

/// A role file: its id and singular title.
fn role(root: &Element, path: &Path) -> Result<(String, String), PeopleError> {
    let id = root.text_at(&["id"]).ok_or_else(|| missing(path, "<id>"))?;
    let title = root
        .text_at(&["names", "singular"])
        .ok_or_else(|| missing(path, "<singular>"))?;
    Ok((id, title))
}

type PocomData = (
    Vec<PocomPerson>,
    HashMap<String, Vec<Post>>,
    Vec<(String, String)>,
);

/// Reads pocom: people, their posts by person id, and principal positions by folded name.
fn read_pocom(dir: &Path, report: &mut LoadReport) -> Result<PocomData, PeopleError> {
    let list = |sub: &str| -> Result<Vec<PathBuf>, PeopleError> {
        let mut files = Vec::new();
        let d = dir.join(sub);
        if d.is_dir() {
            walk(&d, &mut files)?;
        }
        files.sort();
        Ok(files)
    };
    let people = parallel(&list("people")?, report, pocom_person);
    let roles: HashMap<String, String> = parallel(&list("roles-country-chiefs")?, report, role)
        .into_iter()
        .collect();
    let mut files = list("missions-countries")?;
    files.extend(list("missions-orgs")?);
    files.extend(list("positions-principals")?);
    let known: BTreeSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
    let mut posts: HashMap<String, Vec<Post>> = HashMap::new();
    let mut positions = Vec::new();
    for a in parallel(&files, report, appointments) {
        let Appointments { kind, name, list } = a;
        if let (PostKind::Principal, Some(name), Some((_, _, first))) = (kind, &name, list.first())
        {
            positions.push((fold(name), first.at.clone()));
        }
        for (person, role_id, mut post) in list {
            post.title = match kind {
                PostKind::Chief => roles.get(&role_id).cloned().unwrap_or(role_id),
                _ => name.clone().unwrap_or(role_id),
            };
            if !known.contains(person.as_str()) {
                report
                    .unknown_holders
                    .push(format!("{person} ({})", post.at));
                continue;
            }
            report.posts += 1;
            posts.entry(person).or_default().push(post);
        }
    }
    for list in posts.values_mut() {
        list.sort_by(|a, b| {
            let key = |p: &Post| {
                p.started
                    .clone()
                    .or(p.appointed.clone())
                    .unwrap_or_default()
            };
            key(a).cmp(&key(b))
        });
    }
    positions.sort();
    Ok((people, posts, positions))
}

/// Whether two optional years can be the same (equal, or one unknown).
fn years_fit(a: Option<i32>, b: Option<i32>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Merges people records into pocom people (by slug url, then by exact name with compatible
/// years when unique both ways) and makes one [`Person`] per identity.
fn merge(
    hsg: Vec<HsgRecord>,
    pocom: Vec<PocomPerson>,
    mut posts: HashMap<String, Vec<Post>>,
    report: &mut LoadReport,
) -> Vec<Person> {
    let mut slug_to: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pocom.iter().enumerate() {
        slug_to.insert(&p.id, i);
        for o in &p.old_ids {
            slug_to.entry(o).or_insert(i);
        }
    }
    // hsg record index → pocom person index.
    let mut owner: Vec<Option<usize>> = vec![None; hsg.len()];
    for (h, r) in hsg.iter().enumerate() {
        let targets: BTreeSet<usize> = r
            .slugs
            .iter()
            .filter_map(|s| slug_to.get(s.as_str()).copied())
            .collect();
        if targets.len() == 1 {
            owner[h] = targets.into_iter().next();
            report.merged_by_url += 1;
        }
    }
    // Name keys of the records left, and of pocom people without a record.
    let key_of = |surname: &str, forenames: &str| {
        names::split_inverted(&format!("{surname}, {forenames}")).map(|s| s.key())
    };
    let has_record: BTreeSet<usize> = owner.iter().flatten().copied().collect();
    let mut hsg_by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (h, r) in hsg.iter().enumerate() {
        if owner[h].is_none() {
            if let Some(k) = names::split_inverted(&r.preferred).map(|s| s.key()) {
                hsg_by_key.entry(k).or_default().push(h);
            }
        }
    }
    let mut pocom_by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in pocom.iter().enumerate() {
        if !has_record.contains(&i) {
            if let Some(k) = key_of(&p.surname, &p.forenames) {
                pocom_by_key.entry(k).or_default().push(i);
            }
        }
    }
    for (k, ps) in &pocom_by_key {
        let Some(hs) = hsg_by_key.get(k) else {
            continue;
        };
        if let ([i], [h]) = (ps.as_slice(), hs.as_slice()) {
            let (p, r) = (&pocom[*i], &hsg[*h]);
            if years_fit(p.birth, r.birth) && years_fit(p.death, r.death) {
                owner[*h] = Some(*i);
                report.merged_by_name += 1;
            }
        }
    }
    // Build the people.
    let mut records_of: Vec<Vec<HsgRecord>> = (0..pocom.len()).map(|_| Vec::new()).collect();
    let mut out = Vec::with_capacity(hsg.len() + pocom.len());
    for (h, r) in hsg.into_iter().enumerate() {
        match owner[h] {
            Some(i) => records_of[i].push(r),
            None => {
                let (surname, forenames) = match r.preferred.split_once(',') {
                    Some((s, f)) => (s.trim().to_string(), f.trim().to_string()),
                    None => (r.preferred.clone(), String::new()),
                };
                let mut p = Person {
                    id: format!("hsg-{}", r.number),
                    name: r.preferred.clone(),
                    surname,
                    forenames,
                    names: Vec::new(),
                    birth: r.birth,
                    death: r.death,
                    remarks: Vec::new(),
                    frus: Vec::new(),
                    posts: Vec::new(),
                    hsg: Vec::new(),
                };
                absorb(&mut p, r);
                out.push(p);
            }
        }
    }
    for (p, records) in pocom.into_iter().zip(records_of) {
        let mut name = format!("{}, {}", p.surname, p.forenames);
        if let Some(g) = &p.gen_name {
            name = format!("{name}, {g}");
        }
        let mut person = Person {
            id: p.id.clone(),
            name: name.trim_end_matches([',', ' ']).to_string(),
            surname: p.surname,
            forenames: p.forenames,
            names: Vec::new(),
            birth: p.birth,
            death: p.death,
            remarks: Vec::new(),
            frus: Vec::new(),
            posts: posts.remove(&p.id).unwrap_or_default(),
            hsg: Vec::new(),
        };
        for a in p.altnames {
            if a != person.name && !person.names.contains(&a) {
                person.names.push(a);
            }
        }
        for r in records {
            person.birth = person.birth.or(r.birth);
            person.death = person.death.or(r.death);
            absorb(&mut person, r);
        }
        out.push(person);
    }
    out
}

/// Adds a people record's names, remarks, entries and number to a person.
fn absorb(p: &mut Person, r: HsgRecord) {
    for n in std::iter::once(r.preferred).chain(r.names) {
        if n != p.name && !p.names.contains(&n) {
            p.names.push(n);
        }
    }
    for t in r.remarks {
        if !p.remarks.contains(&t) {
            p.remarks.push(t);
        }
    }
    for e in r.frus {
        if !p.frus.contains(&e) {
            p.frus.push(e);
        }
    }
    p.frus.sort();
    p.hsg.push(r.number);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_from_urls() {
        let e =
            frus_entry("https://history.state.gov/historicaldocuments/frus1945v01/persons#p_DLCL1")
                .unwrap();
        assert_eq!(
            (e.volume.as_str(), e.entry.as_str()),
            ("frus1945v01", "p_DLCL1")
        );
        assert!(
            frus_entry("https://history.state.gov/historicaldocuments/frus1945v01/d12").is_none()
        );
        assert!(frus_entry("https://history.state.gov/departmenthistory/people/x").is_none());
    }
}
