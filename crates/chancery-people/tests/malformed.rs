//! Bad input: malformed records are reported with their file and position and skipped; a
//! missing folder is an error; nothing panics.

use std::fs;
use std::path::Path;

use chancery_people::{Directory, PeopleError};

const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<person>
    <id>100001</id>
    <names>
        <preferred><name>Doe, John Q.</name></preferred>
        <alternates/>
        <originals>
            <original>
                <name>Doe, John</name>
                <source-url>https://history.state.gov/historicaldocuments/frus1951v05/persons#p_DJ1</source-url>
            </original>
        </originals>
    </names>
    <birth-year>1900</birth-year>
    <death-year/>
    <remarks/>
</person>
"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn bad_records_are_skipped_with_their_position() {
    let tmp = tempfile::tempdir().unwrap();
    let people = tmp.path().join("people");
    let data = people.join("data/100000/1/0/0/0");
    write(&data, "100001.xml", GOOD.as_bytes());
    // Truncated in the middle of a record.
    write(&data, "100002.xml", &GOOD.as_bytes()[..GOOD.len() / 2]);
    // Not UTF-8 on line 3.
    write(
        &data,
        "100003.xml",
        b"<?xml version=\"1.0\"?>\n<person>\n<id>1000\xff03</id></person>",
    );
    // Well-formed, but no name.
    write(&data, "100004.xml", b"<person><id>100004</id></person>");
    // Mismatched end tag.
    write(
        &data,
        "100005.xml",
        b"<person>\n  <id>100005</idx>\n</person>",
    );
    let (dir, report) = Directory::load(Some(&people), None).unwrap();
    assert_eq!(dir.people().len(), 1);
    assert_eq!(dir.people()[0].id, "hsg-100001");
    assert_eq!(dir.by_entry("frus1951v05", "p_DJ1")[0].name, "Doe, John Q.");
    assert_eq!(report.hsg_records, 1);
    assert_eq!(report.skipped.len(), 4, "{:?}", report.skipped);
    let skipped = |file: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.contains(file))
            .unwrap_or_else(|| panic!("{file}: {:?}", report.skipped))
            .clone()
    };
    let truncated = skipped("100002.xml");
    assert!(truncated.contains("truncated"), "{truncated}");
    let utf8 = skipped("100003.xml");
    assert!(utf8.contains("100003.xml:3:9: not UTF-8"), "{utf8}");
    assert!(skipped("100004.xml").contains("no preferred name"));
    let mismatched = skipped("100005.xml");
    assert!(mismatched.contains("100005.xml:2:"), "{mismatched}");
}

#[test]
fn bad_pocom_files_are_skipped_and_missing_folders_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let pocom = tmp.path().join("pocom");
    write(
        &pocom.join("people/d"),
        "doe-john-quincy.xml",
        b"<person><id>doe-john-quincy</id><persName><surname>Doe</surname>\
          <forename>John Quincy</forename></persName><birth>1900</birth><death/></person>",
    );
    write(
        &pocom.join("missions-countries"),
        "egypt.xml",
        b"<country-mission><territory-id>egypt</territory-id><chiefs><chief>\
          <id>x</id><person-id>doe-john-quincy</person-id>",
    );
    let (dir, report) = Directory::load(None, Some(&pocom)).unwrap();
    assert_eq!(dir.get("doe-john-quincy").unwrap().name, "Doe, John Quincy");
    assert_eq!(report.skipped.len(), 1);
    assert!(
        report.skipped[0].contains("egypt.xml:1:"),
        "{:?}",
        report.skipped
    );
    let missing = tmp.path().join("nowhere");
    let err = Directory::load(Some(&missing), None).unwrap_err();
    assert!(matches!(err, PeopleError::Io { .. }));
    assert!(err.to_string().contains("nowhere"), "{err}");
}

fn hsg(number: u32, name: &str, birth: &str, url: &str) -> String {
    format!(
        r#"<person><id>{number}</id><names><preferred><name>{name}</name></preferred>
        <alternates/><originals><original><name>{name}</name><source-url>{url}</source-url>
        </original></originals></names><birth-year>{birth}</birth-year><death-year/>
        <remarks/></person>"#
    )
}

fn pocom_person(id: &str, surname: &str, forename: &str, birth: &str) -> String {
    format!(
        "<person><id>{id}</id><persName><surname>{surname}</surname>\
         <forename>{forename}</forename></persName><birth>{birth}</birth><death/></person>"
    )
}

#[test]
fn merging_by_url_and_by_name_never_guesses() {
    let tmp = tempfile::tempdir().unwrap();
    let people = tmp.path().join("people");
    let data = people.join("data");
    let pocom = tmp.path().join("pocom");
    let url = "https://history.state.gov/historicaldocuments/frus1951v05/persons#p_";
    // By the departmenthistory url, under an old id.
    write(
        &data,
        "100001.xml",
        hsg(
            100001,
            "Roe, Ann",
            "",
            "https://history.state.gov/departmenthistory/people/roe-ann-b",
        )
        .as_bytes(),
    );
    // By surname + forenames with compatible years.
    write(
        &data,
        "100002.xml",
        hsg(100002, "Poe, Ed", "1900", &format!("{url}PE1")).as_bytes(),
    );
    // Same name, other birth year: kept apart.
    write(
        &data,
        "100003.xml",
        hsg(100003, "Moe, Al", "1901", &format!("{url}MA1")).as_bytes(),
    );
    // Two records of one name: which one is the pocom person is not known, so neither.
    write(
        &data,
        "100004.xml",
        hsg(100004, "Lo, Li", "", &format!("{url}LL1")).as_bytes(),
    );
    write(
        &data,
        "100005.xml",
        hsg(100005, "Lo, Li", "", &format!("{url}LL2")).as_bytes(),
    );
    let p = pocom.join("people/x");
    write(
        &p,
        "roe-ann-bee.xml",
        b"<person><id>roe-ann-bee</id><old-ids><old-id>roe-ann-b</old-id></old-ids>\
          <persName><surname>Roe</surname><forename>Ann Bee</forename></persName>\
          <birth/><death/></person>",
    );
    write(
        &p,
        "poe-ed.xml",
        pocom_person("poe-ed", "Poe", "Ed", "").as_bytes(),
    );
    write(
        &p,
        "moe-al.xml",
        pocom_person("moe-al", "Moe", "Al", "1900").as_bytes(),
    );
    write(
        &p,
        "lo-li.xml",
        pocom_person("lo-li", "Lo", "Li", "").as_bytes(),
    );
    let (dir, report) = Directory::load(Some(&people), Some(&pocom)).unwrap();
    assert_eq!((report.merged_by_url, report.merged_by_name), (1, 1));
    assert_eq!(dir.get("roe-ann-bee").unwrap().hsg, [100001]);
    let poe = dir.get("poe-ed").unwrap();
    assert_eq!((poe.hsg.as_slice(), poe.birth), (&[100002][..], Some(1900)));
    assert_eq!(dir.by_entry("frus1951v05", "p_PE1")[0].id, "poe-ed");
    assert!(dir.get("moe-al").unwrap().hsg.is_empty());
    assert_eq!(dir.by_entry("frus1951v05", "p_MA1")[0].id, "hsg-100003");
    assert!(dir.get("lo-li").unwrap().hsg.is_empty());
    assert_eq!(dir.people().len(), 4 + 3);
}
