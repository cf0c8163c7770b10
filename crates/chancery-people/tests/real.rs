//! The directory over the real hsg data, and linking over the shared FRUS volumes and the seed.

use std::path::PathBuf;
use std::sync::OnceLock;

use chancery_model::{Document, PersonRole, Volume};
use chancery_people::{Directory, LinkReport, LoadReport, Method, Outcome, PostKind};

fn corpus() -> Option<PathBuf> {
    chancery_testdata::corpus()
}

/// The directory, loaded once for all tests (`None` outside CI without the corpus).
fn directory() -> Option<&'static (Directory, LoadReport)> {
    static DIR: OnceLock<Option<(Directory, LoadReport)>> = OnceLock::new();
    DIR.get_or_init(|| {
        let c = corpus()?;
        let start = std::time::Instant::now();
        let loaded =
            Directory::load(Some(&c.join("hsg/people")), Some(&c.join("hsg/pocom"))).expect("load");
        eprintln!("loaded in {:?}", start.elapsed());
        Some(loaded)
    })
    .as_ref()
}

/// A FRUS volume read and enriched, its persons list linked, every document linked.
fn linked(name: &str) -> Option<(Volume, Vec<Document>, LinkReport)> {
    let (dir, _) = directory()?;
    let path = corpus()?.join("frus").join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut reading = chancery_tei::read(&bytes, name).unwrap();
    let mut report = dir.link_volume(&mut reading.volume);
    for d in &mut reading.documents {
        chancery_enrich::enrich(d);
        report.add(dir.link_document(d, &reading.volume));
    }
    Some((reading.volume, reading.documents, report))
}

fn heading_person<'a>(docs: &'a [Document], id: &str, sender: bool) -> Vec<Option<&'a str>> {
    let d = docs.iter().find(|d| d.id == id).unwrap();
    let h = d.paper.heading.as_ref().unwrap();
    let list = if sender { &h.senders } else { &h.addressees };
    list.iter().map(|n| n.person.as_deref()).collect()
}

#[test]
fn load_counts() {
    let Some((dir, report)) = directory() else {
        return;
    };
    eprintln!(
        "{report:?}",
        report = LoadReport {
            unknown_holders: Vec::new(),
            ..report.clone()
        }
    );
    assert_eq!(report.hsg_records, 16_312);
    assert_eq!(report.pocom_people, 4_261);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(
        report.unknown_holders,
        ["wilson-huntington-francis-mairs-huntington-wilson (third-assistant-secretary)"]
    );
    // Every hsg record is one person, merged or not; pocom people without a record add.
    assert!(dir.people().len() >= 16_000, "{}", dir.people().len());
    assert_eq!(
        dir.people().len(),
        report.hsg_records - report.merged_by_url - report.merged_by_name
            + report.pocom_people
            // pocom people that took more than one record
            + dir
                .people()
                .iter()
                .filter(|p| !p.id.starts_with("hsg-"))
                .map(|p| p.hsg.len().saturating_sub(1))
                .sum::<usize>()
    );
    assert!(report.merged_by_url >= 3_900, "{}", report.merged_by_url);
}

#[test]
fn henderson() {
    let Some((dir, _)) = directory() else {
        return;
    };
    let h = dir.get("henderson-loy-wesley").unwrap();
    assert_eq!(h.name, "Henderson, Loy Wesley");
    assert_eq!((h.birth, h.death), (Some(1892), Some(1986)));
    assert_eq!(h.hsg, [105798]);
    assert!(h.names.iter().any(|n| n == "Loy W. Henderson"));
    assert!(h
        .frus
        .iter()
        .any(|e| e.volume == "frus1951v05" && e.entry == "p_HLW1"));
    let chiefs: Vec<(&str, Option<&str>, Option<&str>)> = h
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Chief)
        .map(|p| (p.at.as_str(), p.started.as_deref(), p.ended.as_deref()))
        .collect();
    eprintln!("{chiefs:?}");
    for at in ["india", "iran", "iraq", "nepal"] {
        assert!(chiefs.iter().any(|c| c.0 == at), "{at}: {chiefs:?}");
    }
    let iran = h.posts.iter().find(|p| p.at == "iran").unwrap();
    assert_eq!(iran.title, "Ambassador Extraordinary and Plenipotentiary");
    assert_eq!(
        (iran.started.as_deref(), iran.ended.as_deref()),
        (Some("1951-09-29"), Some("1954-12-30"))
    );
    let iraq = h.posts.iter().find(|p| p.at == "iraq").unwrap();
    assert_eq!(
        iraq.title,
        "Envoy Extraordinary and Minister Plenipotentiary"
    );
    // find: exact surname first, accents and case ignored.
    let found = dir.find("henderson");
    assert!(found.len() >= 9);
    assert!(found.iter().take(9).all(|p| p.surname == "Henderson"));
    assert_eq!(found[0].id, "henderson-loy-wesley");
    assert_eq!(dir.find("LOY W")[0].id, "henderson-loy-wesley");
    let arbenz = dir.find("arbenz guzman");
    assert!(
        arbenz.iter().any(|p| p.name.starts_with("Arbenz Guzmán")),
        "{arbenz:?}"
    );
}

#[test]
fn holders_in_1936_and_1938() {
    let Some((dir, _)) = directory() else {
        return;
    };
    let one = |at: &str, date: &str| -> Vec<String> {
        dir.holders(at, date)
            .into_iter()
            .map(|(p, _)| p.id.clone())
            .collect()
    };
    assert_eq!(one("egypt", "1936-06-01"), ["fish-bert"]);
    let fish = dir.holders("egypt", "1936-06-01")[0].1;
    assert_eq!(
        fish.title,
        "Envoy Extraordinary and Minister Plenipotentiary"
    );
    assert_eq!(fish.started.as_deref(), Some("1933-12-02"));
    assert_eq!(fish.ended.as_deref(), Some("1941-02-28"));
    assert_eq!(one("secretary", "1936-03-01"), ["hull-cordell"]);
    assert_eq!(one("secretary", "1938-02-18"), ["hull-cordell"]);
    // No chief of mission in Moscow between Davies (left June 1938) and Steinhardt.
    assert_eq!(one("russia", "1938-02-18"), ["davies-joseph-edward"]);
    assert!(one("russia", "1938-12-01").is_empty());
    assert_eq!(dir.territories("the Soviet Union"), ["russia"]);
    assert_eq!(dir.territories("Great Britain"), ["united-kingdom"]);
    assert_eq!(dir.territories("the United Kingdom"), ["united-kingdom"]);
    assert_eq!(dir.territories("Persia"), ["iran"]);
    assert_eq!(dir.territories("Ethiopia"), ["ethiopia"]);
    assert_eq!(dir.territories("China"), ["china"]);
    assert_eq!(dir.territories("Saudi Arabia"), ["saudi-arabia"]);
}

#[test]
fn round_trip() {
    let Some((dir, _)) = directory() else {
        return;
    };
    let json = serde_json::to_vec(dir).unwrap();
    let packed = zstd::encode_all(&json[..], 3).unwrap();
    eprintln!("json {} bytes, zstd {} bytes", json.len(), packed.len());
    assert!(packed.len() < 8_000_000, "{}", packed.len());
    let back: Directory = serde_json::from_slice(&json).unwrap();
    assert_eq!(back.people(), dir.people());
    assert_eq!(back.holders("egypt", "1936-06-01")[0].0.id, "fish-bert");
    assert_eq!(back.find("henderson")[0].id, "henderson-loy-wesley");
}

/// How many heading names of the documents are linked to `person`.
fn count_linked(docs: &[Document], person: &str) -> usize {
    docs.iter()
        .flat_map(|d| std::iter::once(&d.paper).chain(d.paper.attachments()))
        .filter_map(|p| p.heading.as_ref())
        .flat_map(|h| h.senders.iter().chain(&h.addressees))
        .filter(|n| n.person.as_deref() == Some(person))
        .count()
}

#[test]
fn frus1936v03() {
    let Some((vol, docs, report)) = linked("frus1936v03.xml") else {
        return;
    };
    assert!(vol.persons.is_empty());
    let n = &report.names;
    eprintln!("frus1936v03: {n:?}, not persons {}", report.not_persons);
    assert_eq!(n.total, n.linked + n.ambiguous + n.unlinked);
    assert_eq!(n.total, 1084);
    assert!(n.linked >= 900, "{n:?}");
    assert!(n.by[&Method::Office] >= 760, "{n:?}");
    assert_eq!(
        report.cases.len(),
        n.ambiguous + n.unlinked,
        "every miss is listed"
    );
    // Hand-checked against pocom and the headings.
    let checks: [(&str, bool, &str); 20] = [
        ("d1", true, "hull-cordell"),          // The Secretary of State
        ("d2", true, "straus-jesse-isidor"),   // Ambassador in France
        ("d8", true, "fish-bert"),             // Minister in Egypt, 1936
        ("d28", true, "bingham-robert-worth"), // Ambassador in the United Kingdom
        ("d47", true, "long-samuel-miller-breckinridge"), // Ambassador in Italy (Long)
        ("d220", true, "phillips-william"),    // Ambassador in Italy from August
        ("d236", true, "long-boaz-walton"),    // Minister in Nicaragua (Long)
        ("d104", true, "wilson-hugh-robert"),  // Minister in Switzerland
        ("d573", true, "wilson-charles-stetson"), // Minister in Yugoslavia
        ("d423", true, "hornibrook-william-harrison"), // Minister in Iran
        ("d438", false, "merriam-gordon-phelps"), // Chargé in Iran, chief of mission
        ("d491", false, "knabenshue-paul"),    // Minister Resident in Iraq
        ("d494", true, "walton-lester-aglar"), // Minister in Liberia
        ("d531", false, "moore-robert-walton"), // Assistant Secretary of State
        ("d565", true, "macmurray-john-van-antwerp"), // Ambassador in Turkey
        ("d571", true, "bullitt-william-christian"), // Ambassador in the Soviet Union
        ("d572", true, "grew-joseph-clark"),   // Ambassador in Japan
        ("d85", true, "murray-wallace-smith"), // signed Wallace Murray
        ("d71", true, "kirk-alexander-comstock"), // Chargé in Italy; later Ambassador there
        ("d46", true, "engert-cornelius-van-hemert"), // Minister Resident in Ethiopia
    ];
    for (id, sender, person) in checks {
        assert!(
            heading_person(&docs, id, sender).contains(&Some(person)),
            "{id}: {:?}",
            heading_person(&docs, id, sender)
        );
    }
    assert_eq!(count_linked(&docs, "hull-cordell"), 494);
    assert_eq!(count_linked(&docs, "fish-bert"), 23);
    // Chargés pocom does not know stay unlinked: Marriner (none in the data), Henderson in
    // Moscow in January 1936 (six Hendersons could be meant then, none with a post or entry near then), Gibson
    // in Honduras (Hugh Gibson was Ambassador in Brazil that day).
    assert_eq!(heading_person(&docs, "d1", false), [None]);
    assert_eq!(heading_person(&docs, "d431", false), [None]);
    assert_eq!(heading_person(&docs, "d233", true), [None]);
    let henderson = report
        .cases
        .iter()
        .find(|c| c.at == "frus1936v03/d431")
        .unwrap();
    assert_eq!(
        henderson.office.as_deref(),
        Some("Chargé in the Soviet Union")
    );
    assert_eq!(henderson.date.as_deref(), Some("1936-01-20T18:00:00"));
    match &henderson.outcome {
        Outcome::Ambiguous { candidates, count } => {
            assert_eq!(*count, 6, "{candidates:?}");
            assert!(candidates.iter().any(|c| c == "henderson-loy-wesley"));
        }
        other => panic!("{other:?}"),
    }
    // Person facets: the sender and addressee of d8.
    let d8 = docs.iter().find(|d| d.id == "d8").unwrap();
    let roles: Vec<(&str, PersonRole)> = d8
        .people
        .iter()
        .map(|r| (r.person.as_str(), r.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("fish-bert", PersonRole::Sender),
            ("hull-cordell", PersonRole::Addressee)
        ]
    );
}

#[test]
fn frus1894_nicaragua() {
    let Some((_, docs, report)) = linked("frus1894Nicaragua.xml") else {
        return;
    };
    let n = &report.names;
    eprintln!(
        "frus1894Nicaragua: {n:?}, not persons {}",
        report.not_persons
    );
    assert_eq!(n.total, 449);
    assert!(n.linked >= 250, "{n:?}");
    // `Mr. Seat to Mr. Gresham`: Gresham was Secretary of State in 1894.
    assert_eq!(
        heading_person(&docs, "d1", false),
        [Some("gresham-walter-quintin")]
    );
    assert!(count_linked(&docs, "gresham-walter-quintin") >= 110);
    // Lewis Baker, Minister to Nicaragua (the country the volume is about).
    assert!(count_linked(&docs, "baker-lewis") >= 100);
    // `Mr. Thomas to Mr. Baker` from the Mosquito Reservation is not W. W. Thomas, Minister
    // to Sweden: a post elsewhere is no evidence.
    assert_eq!(count_linked(&docs, "thomas-william-widgery"), 0);
}

#[test]
fn frus1952_54_guatemala() {
    let Some((dir, _)) = directory() else {
        return;
    };
    let Some((vol, docs, report)) = linked("frus1952-54Guat.xml") else {
        return;
    };
    // 64 people records name 67 entries of this volume (pseudonyms share a record).
    let known: Vec<_> = dir
        .people()
        .iter()
        .filter(|p| p.frus.iter().any(|e| e.volume == "frus1952-54Guat"))
        .collect();
    assert_eq!(known.len(), 64);
    assert_eq!(vol.persons.len(), 67);
    assert_eq!(report.entries.total, 67);
    assert_eq!(report.entries.linked, 67);
    assert_eq!(report.entries.by[&Method::SourceUrl], 67);
    let person = |id: &str| {
        vol.persons
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.person.as_deref())
    };
    assert_eq!(person("p_ADG1"), Some("acheson-dean-gooderham"));
    assert_eq!(person("p_DJF1"), Some("dulles-john-foster"));
    assert_eq!(person("p_PJE1"), Some("peurifoy-john-emil"));
    assert_eq!(person("p_BLJ1"), Some("berry-james-lampton"));
    // A pseudonym and the name: one person.
    assert_eq!(person("p_SGWBS1"), Some("smith-walter-bedell"));
    assert_eq!(person("p_STARKE1"), Some("smith-walter-bedell"));
    let n = &report.names;
    eprintln!("frus1952-54Guat: {n:?}, not persons {}", report.not_persons);
    let refs: Vec<_> = docs.iter().flat_map(|d| &d.people).collect();
    let mentioned = refs
        .iter()
        .filter(|r| r.role == PersonRole::Mentioned)
        .count();
    eprintln!(
        "frus1952-54Guat: {} person facets, {mentioned} mentioned",
        refs.len()
    );
    assert!(mentioned >= 790, "{mentioned}");
    assert!(n.linked >= 59, "{n:?}");
    assert!(n.by[&Method::Target] >= 55);
    // d2: King to Wisner, by their persons-list entries; Arbenz named in the text.
    let d2 = docs.iter().find(|d| d.id == "d2").unwrap();
    let has = |p: &str, r: PersonRole| d2.people.iter().any(|x| x.person == p && x.role == r);
    let wisner = person("p_WFHSW1").unwrap();
    assert!(has(wisner, PersonRole::Addressee), "{:?}", d2.people);
    assert!(has(person("p_AGJ1").unwrap(), PersonRole::Mentioned));
    assert_eq!(
        chancery_people::persons_of(d2, &vol),
        d2.people,
        "link_document stores persons_of"
    );
}

#[test]
fn seed_henderson() {
    let Some((dir, _)) = directory() else {
        return;
    };
    let Some(seed) = chancery_testdata::seed() else {
        return;
    };
    let bytes = std::fs::read(&seed).unwrap();
    let reading = chancery_text::read(&bytes, "seed").unwrap();
    let mut doc = reading.documents[0].clone();
    chancery_enrich::enrich(&mut doc);
    let sender = |d: &Document| d.paper.heading.as_ref().unwrap().senders[0].clone();
    let addressee = |d: &Document| d.paper.heading.as_ref().unwrap().addressees[0].clone();
    assert_eq!(
        sender(&doc).office.as_deref(),
        Some("Chargé in the Soviet Union")
    );
    // As read, the seed has no date. Henderson was never chief of mission in Moscow (pocom
    // lists only Davies and Steinhardt around 1938), so the office cannot name him; the
    // signature `Loy W. Henderson` does: one person among the Hendersons has those names.
    let report = dir.link_document(&mut doc, &reading.volume);
    assert_eq!(sender(&doc).person.as_deref(), Some("henderson-loy-wesley"));
    assert_eq!(report.names.by[&Method::Signature], 1);
    // Without a date the Secretary of State cannot be named.
    assert_eq!(addressee(&doc).person, None);
    assert_eq!(report.cases.len(), 1);
    // With the date it cannot be earlier than (February 18, 1938): Hull.
    let mut dated = reading.documents[0].clone();
    dated.dates.min = Some("1938-02-18".into());
    dir.link_document(&mut dated, &reading.volume);
    assert_eq!(
        sender(&dated).person.as_deref(),
        Some("henderson-loy-wesley")
    );
    assert_eq!(addressee(&dated).person.as_deref(), Some("hull-cordell"));
    // Without the signature, the surname alone is ambiguous: no Henderson has a post or a
    // FRUS persons entry near 1938.
    // Linking again forgets the earlier link.
    let mut unsigned = dated.clone();
    unsigned.paper.signed.clear();
    let r = dir.link_document(&mut unsigned, &reading.volume);
    assert_eq!(sender(&unsigned).person, None);
    match &r.cases[0].outcome {
        Outcome::Ambiguous { count, .. } => assert_eq!(*count, 6),
        other => panic!("{other:?}"),
    }
}

#[test]
fn country_aliases_are_pocom_territories() {
    let Some((dir, _)) = directory() else {
        return;
    };
    for (name, ids) in chancery_people::country_aliases() {
        assert_eq!(dir.territories(name), *ids, "{name}");
    }
}
