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
