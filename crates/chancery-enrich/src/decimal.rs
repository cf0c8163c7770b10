//! Reading decimal-file numbers (1910–1963) with the Department's own code tables.
//!
//! The tables in `data/decimal-file/` (see its README) are compiled into the binary and parsed
//! once, on first use. A key is glossed only with the schedule that governs the document's own
//! year: 1910–1949, 1950–1959 or 1960–1963. Without a year, or outside 1910–1963, nothing is
//! glossed, because a schedule from the wrong era gives answers that look right and are wrong
//! (`761.00` is Soviet internal politics after 1950 but a relations file before).

use std::collections::HashMap;
use std::sync::LazyLock;

use chancery_model::FileNumber;

const SCHEDULES: &str = include_str!("../data/decimal-file/schedules.tsv");
const CLASSES: &str = include_str!("../data/decimal-file/classes.tsv");
const COUNTRIES: &str = include_str!("../data/decimal-file/countries.tsv");
const SUBJECTS: &str = include_str!("../data/decimal-file/subjects.tsv");
const SOURCES: &str = include_str!("../data/decimal-file/sources.tsv");

/// One classification schedule and the manuals it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// `1910-1949`, `1950-1959` or `1960-1963`.
    pub id: &'static str,
    /// First year it governs.
    pub start_year: i32,
    /// Last year it governs.
    pub end_year: i32,
    /// The classification manual behind its classes and subjects.
    pub source: &'static str,
    /// The table behind its country numbers.
    pub countries_source: &'static str,
    country_arranged: Vec<u8>,
    relations: Vec<u8>,
}

/// A code of a file number and what it means in the governing schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// The code as written in the number (`8`, `61`, `65D`, `00B`).
    pub code: String,
    /// Its label, exactly as the schedule gives it.
    pub label: &'static str,
    /// Other names the schedule lists for a country (`Russia` for 61 before 1950).
    pub alternates: Vec<&'static str>,
}

impl Code {
    /// `code label`, the form used in glosses (`61 Union of Soviet Socialist Republics`).
    pub fn gloss(&self) -> String {
        format!("{} {}", self.code, self.label)
    }
}

/// What a decimal-file key means under the schedule of the document's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The governing schedule.
    pub schedule: &'static Schedule,
    /// The class (first digit).
    pub class: Code,
    /// The country after the class digit, in country-arranged classes, when the table has it.
    pub country: Option<Code>,
    /// The second country after the point, in relations classes (and in pre-1950 class 6
    /// outside its `00` stem).
    pub second_country: Option<Code>,
    /// The subject: the longest code in the subject table that begins the suffix (`.0513` is
    /// glossed by `05`, since longer codes subdivide shorter ones).
    pub subject: Option<Code>,
    /// Everything after the point, dashes normalised (`00B`, `94`, `5-MSP`).
    pub suffix: Option<String>,
    /// The item after the slash.
    pub item: Option<String>,
}

impl Decoded {
    /// The gloss, broadest first, each code beside its label: `8 Internal Affairs of States`,
    /// `61 Union of Soviet Socialist Republics`, `00B Bolshevism. Communism. Communistic
    /// activities`.
    pub fn gloss(&self) -> Vec<String> {
        std::iter::once(&self.class)
            .chain(&self.country)
            .chain(&self.second_country)
            .chain(&self.subject)
            .map(Code::gloss)
            .collect()
    }
}

/// The schedule that governs `year`, if any (1910–1963).
pub fn schedule(year: i32) -> Option<&'static Schedule> {
    TABLES
        .schedules
        .iter()
        .find(|s| (s.start_year..=s.end_year).contains(&year))
}

/// Decodes a decimal-file number with the schedule that governs `year`, the year of the
/// document it labels.
///
/// `None` without a year, for years outside 1910–1963, for subject-numeric keys and for keys
/// whose class the schedule does not have. Parts the tables do not cover (a class-1 subject, an
/// unlisted country such as `01` in `701.6511`) are left out rather than guessed; nothing after
/// an unknown country is glossed.
pub fn decode(fnum: &FileNumber, year: Option<i32>) -> Option<Decoded> {
    let tables = &*TABLES;
    let schedule = schedule(year?)?;
    let stem_end = fnum.key.find([' ', '(']).unwrap_or(fnum.key.len());
    let stem = &fnum.key[..stem_end];
    let bytes = stem.as_bytes();
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) || !stem.is_ascii() {
        return None;
    }
    let digit = bytes[0] - b'0';
    let class = Code {
        code: stem[..1].to_string(),
        label: tables.classes.get(&(schedule.id, digit))?,
        alternates: Vec::new(),
    };
    let (head, suffix) = match stem.split_once('.') {
        Some((h, s)) => (h, Some(s)),
        None => (stem, None),
    };
    let mut decoded = Decoded {
        schedule,
        class,
        country: None,
        second_country: None,
        subject: None,
        suffix: suffix.map(str::to_string),
        item: fnum.item.clone(),
    };
    if !schedule.country_arranged.contains(&digit) {
        return Some(decoded);
    }
    let Some(country) = tables.country(schedule.id, &head[1..]) else {
        return Some(decoded);
    };
    decoded.country = Some(country);
    let Some(suffix) = suffix else {
        return Some(decoded);
    };
    let code = suffix.split('-').next().unwrap_or("");
    if schedule.relations.contains(&digit) {
        decoded.second_country = tables.country_prefix(schedule.id, code);
    } else {
        decoded.subject = tables.subject(schedule.id, digit, code);
        // Before 1950, class 6 lists only its `00` stem; its other subdivisions name a second
        // country, as in the relations class (README: "Coverage gaps").
        if decoded.subject.is_none() && schedule.id == "1910-1949" && digit == 6 {
            decoded.second_country = tables.country_prefix(schedule.id, code);
        }
    }
    Some(decoded)
}

/// The tables, parsed once.
static TABLES: LazyLock<Tables> = LazyLock::new(Tables::load);

/// A country's label and alternates.
type Country = (&'static str, Vec<&'static str>);

/// The decimal-file tables, indexed for lookup.
struct Tables {
    schedules: Vec<Schedule>,
    /// (schedule, class digit) → label.
    classes: HashMap<(&'static str, u8), &'static str>,
    /// (schedule, lower-case code) → label and alternates.
    countries: HashMap<(&'static str, String), Country>,
    /// (schedule, class digit, upper-case suffix) → label.
    subjects: HashMap<(&'static str, u8, String), &'static str>,
    /// The longest subject code.
    longest_subject: usize,
}

impl Tables {
    fn load() -> Tables {
        let sources: HashMap<(&str, &str), &str> =
            rows(SOURCES, 3).map(|r| ((r[0], r[1]), r[2])).collect();
        let digits = |list: &str| -> Vec<u8> {
            list.split(',')
                .filter_map(|d| d.trim().parse().ok())
                .collect()
        };
        let schedules = rows(SCHEDULES, 6)
            .filter_map(|r| {
                let mut country_arranged = digits(r[4]);
                // From 1950 class 3 is arranged by conference and organisation (`320` General
                // Assembly, `396.1` conferences of foreign ministers), not by country number,
                // though schedules.tsv lists it: reading `396.1` as the Philippines would be the
                // plausible-looking wrong gloss the README warns about.
                if r[1].parse::<i32>().is_ok_and(|y| y >= 1950) {
                    country_arranged.retain(|&d| d != 3);
                }
                Some(Schedule {
                    id: r[0],
                    start_year: r[1].parse().ok()?,
                    end_year: r[2].parse().ok()?,
                    source: sources.get(&(r[0], "schedule")).copied().unwrap_or(r[3]),
                    countries_source: sources.get(&(r[0], "countries")).copied().unwrap_or(""),
                    country_arranged,
                    relations: digits(r[5]),
                })
            })
            .collect();
        let classes = rows(CLASSES, 3)
            .filter_map(|r| Some(((r[0], r[1].parse().ok()?), r[2])))
            .collect();
        let countries = rows(COUNTRIES, 3)
            .map(|r| {
                let alternates = r
                    .get(3)
                    .map(|a| {
                        a.split(" | ")
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                ((r[0], r[1].to_ascii_lowercase()), (r[2], alternates))
            })
            .collect();
        let subjects: HashMap<_, _> = rows(SUBJECTS, 4)
            .filter_map(|r| Some(((r[0], r[1].parse().ok()?, r[2].to_ascii_uppercase()), r[3])))
            .collect();
        let longest_subject = subjects.keys().map(|k| k.2.len()).max().unwrap_or(0);
        Tables {
            schedules,
            classes,
            countries,
            subjects,
            longest_subject,
        }
    }

    /// The country whose code is exactly `code` (two digits and an optional letter).
    fn country(&self, schedule: &'static str, code: &str) -> Option<Code> {
        let valid = matches!(code.as_bytes(), [a, b] | [a, b, b'a'..=b'z' | b'A'..=b'Z']
            if a.is_ascii_digit() && b.is_ascii_digit());
        if !valid {
            return None;
        }
        let (label, alternates) = self.countries.get(&(schedule, code.to_ascii_lowercase()))?;
        Some(Code {
            code: code.to_string(),
            label,
            alternates: alternates.clone(),
        })
    }

    /// The country that begins `suffix` (`90H` in `90H`, `90G` in `90G2`, `84` in `84116`).
    fn country_prefix(&self, schedule: &'static str, suffix: &str) -> Option<Code> {
        let b = suffix.as_bytes();
        let with_letter = b.len() >= 3 && b[2].is_ascii_alphabetic();
        let len = if with_letter { 3 } else { 2 };
        suffix
            .get(..len)
            .and_then(|code| self.country(schedule, code))
    }

    /// The longest subject code that begins `suffix`.
    fn subject(&self, schedule: &'static str, class: u8, suffix: &str) -> Option<Code> {
        let upper = suffix.to_ascii_uppercase();
        (1..=upper.len().min(self.longest_subject))
            .rev()
            .find_map(|n| {
                let code = upper.get(..n)?;
                let label = self.subjects.get(&(schedule, class, code.to_string()))?;
                Some(Code {
                    code: suffix[..n].to_string(),
                    label,
                    alternates: Vec::new(),
                })
            })
    }
}

/// The data rows of a TSV table with at least `columns` columns (header and blank lines
/// skipped).
fn rows(tsv: &'static str, columns: usize) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(move |r| r.len() >= columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fnum(key: &str, item: Option<&str>) -> FileNumber {
        FileNumber {
            text: key.to_string(),
            key: key.to_string(),
            item: item.map(str::to_string),
            gloss: Vec::new(),
        }
    }

    #[test]
    fn tables_are_complete() {
        let t = &*TABLES;
        assert_eq!(t.schedules.len(), 3);
        assert_eq!(t.classes.len(), 29);
        // 802 rows; two codes repeat within a schedule only as labels, never as codes.
        assert_eq!(t.countries.len(), 287 + 252 + 263);
        assert_eq!(t.subjects.len(), 693);
        for s in &t.schedules {
            assert!(s.source.contains("National Archives"), "{s:?}");
            assert!(s.countries_source.contains("Country Numbers"), "{s:?}");
        }
        assert_eq!(t.schedules[0].country_arranged, [6, 7, 8]);
        assert_eq!(t.schedules[1].country_arranged, [4, 5, 6, 7, 8, 9]);
        assert_eq!(t.schedules[1].relations, [6]);
    }

    #[test]
    fn subject_is_longest_prefix() {
        let d = decode(&fnum("883.0513", None), Some(1936)).unwrap();
        assert_eq!(
            d.subject.unwrap().gloss(),
            "05 Mixed (international) courts"
        );
        let d = decode(&fnum("811.11101 Waivers", None), Some(1936)).unwrap();
        assert_eq!(d.subject.unwrap().gloss(), "11101 Fees");
        let d = decode(&fnum("893.6363", None), Some(1936)).unwrap();
        assert_eq!(d.subject.unwrap().gloss(), "6363 Petroleum");
    }

    #[test]
    fn relations_and_class_six() {
        let d = decode(&fnum("711.90H", Some("41")), Some(1936)).unwrap();
        assert_eq!(
            d.gloss(),
            [
                "7 Political Relations of States. Bi-lateral Treaties",
                "11 United States",
                "90H Afghanistan"
            ]
        );
        let d = decode(&fnum("611.8331", None), Some(1936)).unwrap();
        assert_eq!(d.second_country.unwrap().label, "Egypt");
        let d = decode(&fnum("600.0031 World Program", None), Some(1936)).unwrap();
        assert_eq!(d.subject.unwrap().gloss(), "00 Import trade of country");
        let d = decode(&fnum("611.51", None), Some(1955)).unwrap();
        assert_eq!(
            d.gloss(),
            [
                "6 International Political Relations. Other International Relations",
                "11 United States",
                "51 France"
            ]
        );
    }

    #[test]
    fn country_letters_and_unknown_countries() {
        let d = decode(&fnum("865D.01", None), Some(1936)).unwrap();
        assert_eq!(d.country.unwrap().gloss(), "65D Galla");
        // 701 is diplomatic representation: `01` is no country, so nothing after it is read.
        let d = decode(&fnum("701.6511", None), Some(1936)).unwrap();
        assert_eq!(
            d.gloss(),
            ["7 Political Relations of States. Bi-lateral Treaties"]
        );
        let d = decode(&fnum("751G.5-MSP", Some("1-2458")), Some(1958)).unwrap();
        assert_eq!(
            d.gloss(),
            [
                "7 Internal Political and National Defense Affairs",
                "51G Indo China"
            ]
        );
        assert_eq!(d.suffix.as_deref(), Some("5-MSP"));
    }

    #[test]
    fn classes_without_countries() {
        let d = decode(&fnum("124.84", None), Some(1936)).unwrap();
        assert_eq!(d.gloss(), ["1 Administrations, United States Government"]);
        let d = decode(&fnum("396.1-GE", None), Some(1954)).unwrap();
        assert_eq!(
            d.country, None,
            "class 3 from 1950 is not arranged by country"
        );
        assert_eq!(
            decode(&fnum("911.00", None), Some(1936)),
            None,
            "no class 9 before 1950"
        );
    }

    #[test]
    fn refuses_without_a_governing_schedule() {
        let k = fnum("861.00B", Some("680"));
        assert!(decode(&k, None).is_none());
        assert!(decode(&k, Some(1909)).is_none());
        assert!(decode(&k, Some(1964)).is_none());
        assert!(decode(&fnum("POL 27 VIET S", None), Some(1963)).is_none());
        assert!(decode(&fnum("", None), Some(1936)).is_none());
        assert!(decode(&fnum("8é1.00", None), Some(1936)).is_none());
    }
}
