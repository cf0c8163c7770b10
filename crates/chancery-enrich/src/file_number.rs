//! Finding State Department file numbers in source notes.
//!
//! Every era's form is recognised:
//!
//! * decimal file, 1910–1963: `861.00B/680`, `793.94/11936`, `711.61/287½`, `124.84/75a`,
//!   `665D.006/A`, date items `462.11/3–2345`, programme suffixes `751G.5–MSP/1–2458` (also spelt
//!   `751G.5 MSP/…`), words inside the key `800.51W89 France/123`,
//!   `740.0011 Mutual Guarantee (Locarno)/507`, `123 EN 3/435`;
//! * subject-numeric file, 1963 on: `POL 27 VIET S`, `POL 15-1 US`, `DEF 1 EUR W`,
//!   `AID (US) 8 VIET S`.
//!
//! A number with an item (`…/680`) is recognised anywhere in a note. A bare key without an item
//! (`611.14`, `POL US-USSR`) is taken only where the note says it is a file: at the very start
//! of the note (`811.11101 Waivers 81—`, the 1930s form) or in the clause after `Central Files`,
//! `Decimal File`, `File No.` and the like. Archive references that look numeric (`Job
//! 79–01025A, Box 145, Folder 12`, `Lot 60 D 627`, `RG 59`, `NSC 5412`, page numbers, dates) are
//! never taken for file numbers.

use std::ops::Range;
use std::sync::LazyLock;

use chancery_model::FileNumber;
use regex::Regex;

/// The dashes that print in file numbers; keys and items normalise them to `-`.
const DASHES: [char; 6] = ['-', '–', '—', '‑', '‐', '−'];

/// A decimal-file stem: class digit and two more digits (`861`), an optional country letter or
/// name code (`865D`, `123EN3`, `123H875`), a subject or second-country suffix after the point
/// (`.00B`, `.51W89`), an optional qualifier in parentheses and dash suffixes (`–MSP`).
const STEM: &str = r"[0-9]{3}(?:[A-Za-z]{1,3}[0-9]*)?(?:\.[0-9A-Za-z]+)?(?:\([0-9A-Za-z]{1,6}\))?(?:[-–—‑][0-9A-Za-z]+)*";

/// Words that can follow a stem inside a key (`World Program`, `Mutual Guarantee (Locarno)`,
/// `European War 1939`, `EN 3`, `Grew, Joseph C.`): each starts with a capital, a digit or `(`.
const WORD: &str = r"[ \u{a0}]+[A-Z0-9(][A-Za-z0-9().,'’&\-–—‑]*";

/// Word boundaries in these patterns are ASCII (`(?-u:\b)`): file numbers are ASCII, and it
/// keeps matching on the fast engines; letters before a number are checked in `free_before`.
///
/// An item: a running number with an optional letter or half (`680`, `75a`, `287½`), a date
/// (`3–2345`), or a single capital (`A`).
const ITEM: &str = r"[0-9]+(?:[-–—‑][0-9]+)?(?:½|[a-z]{1,2})?|[A-Z](?-u:\b)";

/// Primary subjects of the 1963 subject-numeric file that FRUS source notes cite.
const SUBJECTS: &str = "AE|AGR|AID|AV|CON|CSM|CUL|DEF|E|ECIN|EDU|EDX|FN|FSE|FT|INCO|INT|LAB|LEG|\
ORG|PER|PET|POL|POP|PPB|PPT|PR|PS|REF|SCI|SOC|SP|STR|TEL|TRV|UN|XMB";

/// `KEY/ITEM`, the item optional so that a truncated `861.00B/` is kept as written.
static WITH_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<key>(?P<stem>{STEM})(?:{WORD}){{0,6}}?)[ \u{{a0}}]?/(?P<item>{ITEM})?"
    ))
    .expect("file-number pattern")
});

/// A bare decimal stem, for keys without an item.
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<stem>{STEM})(?P<words>(?:{WORD}){{0,6}})"
    ))
    .expect("bare stem pattern")
});

/// A subject-numeric key: primary subject, optional qualifier, number, designators.
static SUBJECT_NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?P<code>{SUBJECTS})(?:-[A-Z]{{2,12}})?(?: \([A-Z]{{1,6}}\))?(?: (?P<num>[0-9]{{1,3}}(?:[-–—‑][0-9]{{1,3}}){{0,3}}))?(?P<desig>(?: [A-Z][A-Z&]{{0,11}}(?:[-–—‑/][A-Z][A-Z&]{{0,11}})*){{0,4}})(?-u:\b)"
    ))
    .expect("subject-numeric pattern")
});

/// Phrases that announce a file: `Central Files`, `Decimal File`, `File No.`, `filed`.
static FILE_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)file[sd]?(?-u:\b)").expect("file-context pattern"));

/// What may stand before a note's first file number: `Source:`, `File No.`.
static NOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s\[(]*(?:source:\s*)?(?:file\s+no\.?\s*)?$").expect("note-start pattern")
});

/// A channel named after a file number: `: Telegram`, `. Telegram.`, `-Telegram`.
static CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*[:.,;\-–—]?\s*(?P<channel>circular\s+(?:telegram|airgram|instruction|note)|telegram|airgram|despatch|dispatch|memorandum|instruction|letter|note|aide-m[ée]moire|cablegram|radiogram|cable|report)(?:\s*[(.,;:]|\s*$)",
    )
    .expect("channel pattern")
});

/// The deepest subject level [`file_class_prefixes`] lists (the longest code in the tables has
/// seven characters); a longer suffix is listed whole, after its first levels.
const MAX_LEVELS: usize = 8;

/// Words that introduce other archive references: a number after them is not a file number.
const NOT_AFTER: [&str; 19] = [
    "box", "boxes", "folder", "folders", "job", "lot", "d", "r", "p.", "pp.", "vol.", "rg", "reel",
    "frame", "roll", "nsc", "nie", "snie", "jcs",
];

/// A file number found in a text, with where it stands.
struct Found {
    span: Range<usize>,
    number: FileNumber,
}

/// Every State Department file number in a source note, in order of appearance.
///
/// `text` of each number is exactly as written; `key` has its dashes normalised to `-` (and a
/// programme suffix written with a space joined with one: `751G.5 MSP` → `751G.5-MSP`); `item`
/// is what follows the slash. `gloss` is left empty: see [`crate::decimal::decode`]. Never
/// panics, whatever the input; a truncated number (`861.00B/`) is kept as written, without item.
pub fn parse(text: &str) -> Vec<FileNumber> {
    scan(text).into_iter().map(|f| f.number).collect()
}

/// The channel a source note names right after a file number (`793.94/11936: Telegram` gives
/// `Telegram`), as written; `None` when it names none.
pub fn channel(text: &str) -> Option<String> {
    channel_after(text, &scan(text))
}

/// The file numbers in a note and the channel it names, from one scan.
pub(crate) fn read(text: &str) -> (Vec<FileNumber>, Option<String>) {
    let found = scan(text);
    let channel = channel_after(text, &found);
    (found.into_iter().map(|f| f.number).collect(), channel)
}

/// The channel named right after one of the numbers `found` in `text`.
fn channel_after(text: &str, found: &[Found]) -> Option<String> {
    found.iter().find_map(|f| {
        CHANNEL.captures(&text[f.span.end..]).map(|c| {
            c["channel"]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
    })
}

/// The date an item of the 1940s–1963 form stands for, as `YYYY-MM-DD`: `3–2345` is 23 March
/// 1945, `12–154` is 1 December 1954 (month, dash, day, two-digit year).
///
/// The year is read within 1940–1963, when the Department wrote items this way; with the
/// document's `year`, the item must also fall within a year of it (a file date can trail the
/// document by a little). Anything else (running numbers, impossible dates) gives `None`.
pub fn item_date(item: &str, year: Option<i32>) -> Option<String> {
    let item = normalise_dashes(item.trim());
    let (month, rest) = item.split_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(month) || month.len() > 2 || !all_digits(rest) || !(3..=4).contains(&rest.len())
    {
        return None;
    }
    let month: u32 = month.parse().ok()?;
    let (day, yy) = rest.split_at(rest.len() - 2);
    let day: u32 = day.parse().ok()?;
    let full_year = 1900 + yy.parse::<i32>().ok()?;
    if !(1940..=1963).contains(&full_year) || year.is_some_and(|y| (full_year - y).abs() > 1) {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(full_year, month) {
        return None;
    }
    Some(format!("{full_year:04}-{month:02}-{day:02}"))
}

/// The hierarchical prefixes of a file key, broadest first, for prefix search on the class
/// tree: `861.00B` gives `8`, `861`, `861.00`, `861.00B`; `751G.5-MSP` gives `7`, `751`, `751G`,
/// `751G.5`, `751G.5-MSP`; `POL 15-1 US` gives `POL`, `POL 15`, `POL 15-1`, `POL 15-1 US`.
/// A key of no known shape gives itself; an empty key nothing.
pub fn file_class_prefixes(key: &str) -> Vec<String> {
    let key = key.trim();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        if !s.is_empty() && out.last().is_none_or(|l| l != s) {
            out.push(s.to_string());
        }
    };
    let bytes = key.as_bytes();
    if bytes.len() >= 3 && bytes[..3].iter().all(u8::is_ascii_digit) {
        let stem_end = key.find([' ', '(']).unwrap_or(key.len());
        let stem = &key[..stem_end];
        let head_end = stem.find(['.', '-']).unwrap_or(stem.len());
        push(&key[..1]);
        push(&key[..3]);
        push(&stem[..head_end]);
        if stem[head_end..].starts_with('.') {
            let suffix = &stem[head_end + 1..];
            let alnum = suffix
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(suffix.len());
            for n in alnum.min(2)..=alnum.min(MAX_LEVELS) {
                push(&stem[..head_end + 1 + n]);
            }
        }
        push(stem);
    } else if key.starts_with(|c: char| c.is_ascii_uppercase()) {
        let mut acc = String::new();
        for token in key.split(' ').filter(|t| !t.is_empty()) {
            let numeric = token.bytes().all(|b| b.is_ascii_digit() || b == b'-');
            let leading = acc.is_empty() || token.starts_with('(');
            if !(numeric || leading) {
                break;
            }
            if numeric {
                let base = acc.clone();
                for (i, part) in token.split('-').enumerate() {
                    acc = if i == 0 {
                        format!("{base} {part}")
                    } else {
                        format!("{acc}-{part}")
                    };
                    push(&acc);
                }
            } else {
                acc = if acc.is_empty() {
                    token.to_string()
                } else {
                    format!("{acc} {token}")
                };
                push(&acc);
            }
        }
    }
    push(key);
    out
}

/// Finds the file numbers in `text`, in order, without overlaps.
///
/// Three passes, each yielding non-overlapping matches in order: numbers with an item, then
/// subject-numeric keys, then bare decimal keys; a later pass never takes text an earlier one
/// took. Every check looks only at a bounded neighbourhood, so a huge text costs linear time.
fn scan(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();

    for c in WITH_ITEM.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let key = c.name("key").expect("key");
        let stem = c.name("stem").expect("stem").as_str();
        if !free_before(text, whole.start()) {
            continue;
        }
        let item = c.name("item").map(|m| m.as_str());
        // A slash with nothing after it is a truncated number only after a full dotted stem
        // (`861.00B/`); `123 US/UK` is prose.
        if item.is_none() && (key.as_str() != stem || !stem.contains('.')) {
            continue;
        }
        // Three bare digits (`320/2–1157`, `123 EN 3/435`) must carry a date item or stand
        // where a file is announced.
        if stem.bytes().all(|b| b.is_ascii_digit())
            && item.is_none_or(|i| item_date(i, None).is_none())
            && !announced(text, whole.start())
            && !at_note_start(text, whole.start())
        {
            continue;
        }
        found.push(Found {
            span: whole.range(),
            number: FileNumber {
                text: whole.as_str().to_string(),
                key: decimal_key(key.as_str()),
                item: item.map(normalise_dashes),
                gloss: Vec::new(),
            },
        });
    }

    let taken = spans(&found);
    let mut more = Vec::new();
    for c in SUBJECT_NUMERIC.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let code = &c["code"];
        let has_num = c.name("num").is_some();
        let has_desig = !c["desig"].is_empty();
        let needs_context = !has_num || code == "E" || (code.len() == 2 && !has_desig);
        if !(has_num || has_desig)
            || (needs_context && !announced(text, whole.start()))
            || overlaps(&taken, &whole.range())
        {
            continue;
        }
        more.push(Found {
            span: whole.range(),
            number: FileNumber {
                text: whole.as_str().to_string(),
                key: normalise_key(whole.as_str()),
                item: None,
                gloss: Vec::new(),
            },
        });
    }
    found.append(&mut more);
    found.sort_by_key(|f| f.span.start);

    let taken = spans(&found);
    for c in BARE.captures_iter(text) {
        let stem = c.name("stem").expect("stem");
        let at_start = at_note_start(text, stem.start());
        if !stem.as_str().contains('.')
            || !free_before(text, stem.start())
            || overlaps(&taken, &stem.range())
            || !(at_start || announced(text, stem.start()))
        {
            continue;
        }
        // At the start of a note the whole head is the number (`811.11101 Waivers 81—`);
        // elsewhere only the stem, since prose may follow it.
        let mut span = stem.range();
        if at_start {
            let whole = c.get(0).expect("match");
            let mut end = whole.end();
            end += text[end..]
                .chars()
                .take_while(|ch| DASHES.contains(ch))
                .map(char::len_utf8)
                .sum::<usize>();
            let rest = text[end..].trim_start();
            if (rest.is_empty() || rest.starts_with([':', ';', ',']) || rest.starts_with(". "))
                && !overlaps(&taken, &(whole.start()..end))
            {
                span = whole.start()..end;
            }
        }
        let written = text[span.clone()].trim_end_matches(['.', ',']);
        more.push(Found {
            span: span.start..span.start + written.len(),
            number: FileNumber {
                text: written.to_string(),
                key: decimal_key(written),
                item: None,
                gloss: Vec::new(),
            },
        });
    }
    found.append(&mut more);
    found.sort_by_key(|f| f.span.start);
    found
}

/// The spans of numbers found, in order.
fn spans(found: &[Found]) -> Vec<Range<usize>> {
    found.iter().map(|f| f.span.clone()).collect()
}

/// Whether `span` overlaps one of `taken` (ordered, non-overlapping).
fn overlaps(taken: &[Range<usize>], span: &Range<usize>) -> bool {
    let after = taken.partition_point(|t| t.start < span.end);
    after > 0 && taken[after - 1].end > span.start
}

/// Whether `at` is where a note's first number stands: after nothing but `Source:` or
/// `File No.` (the 1930s notes are the number itself).
fn at_note_start(text: &str, at: usize) -> bool {
    at <= 64 && NOTE_START.is_match(&text[..at])
}

/// The text before `at`, at most about `max` bytes of it, cut at a character boundary.
fn window(text: &str, at: usize, max: usize) -> &str {
    let mut from = at.saturating_sub(max);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    &text[from..at]
}

/// Whether a number may start at `at`: not glued to a preceding number, letter or slash, and
/// not after a word that introduces another kind of reference (`Box`, `Lot`, `p.`, `RG` …).
fn free_before(text: &str, at: usize) -> bool {
    let before = window(text, at, 64);
    if before.chars().next_back().is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, '.' | '/' | '$' | '§' | '#') || DASHES.contains(&c)
    }) {
        return false;
    }
    let word = before
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .next()
        .unwrap_or("")
        .to_lowercase();
    !NOT_AFTER.contains(&word.as_str())
}

/// Whether the clause before `at` announces a file (`Central Files, …`, `File No. …`): the
/// phrase must stand in the same clause, with no `;` or sentence end in between.
fn announced(text: &str, at: usize) -> bool {
    let before = window(text, at, 256);
    let Some(phrase) = FILE_CONTEXT.find_iter(before).last() else {
        return false;
    };
    let gap = &before[phrase.end()..];
    gap.len() <= 200 && !gap.contains(';') && !gap.contains(". ")
}

/// A decimal key: dashes and spaces normalised, and a short programme or conference suffix
/// written after a space joined with a dash (`751G.5 MSP` → `751G.5-MSP`, `396.1 GE` →
/// `396.1-GE`), so that both spellings of one file have one key.
fn decimal_key(raw: &str) -> String {
    let key = normalise_key(raw);
    let mut tokens = key.splitn(3, ' ');
    let (Some(stem), Some(second)) = (tokens.next(), tokens.next()) else {
        return key;
    };
    let rest = tokens.next();
    let code = (2..=5).contains(&second.len()) && second.bytes().all(|b| b.is_ascii_uppercase());
    if stem.contains('.') && code && rest.is_none_or(|r| r.starts_with('(')) {
        match rest {
            Some(r) => format!("{stem}-{second} {r}"),
            None => format!("{stem}-{second}"),
        }
    } else {
        key
    }
}

/// Dashes to `-`, runs of white space to one space, trimmed.
fn normalise_key(raw: &str) -> String {
    normalise_dashes(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every printed dash as `-`.
fn normalise_dashes(s: &str) -> String {
    s.chars()
        .map(|c| if DASHES.contains(&c) { '-' } else { c })
        .collect()
}

/// Days in a month of the Gregorian calendar.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, Option<String>)> {
        parse(text).into_iter().map(|f| (f.key, f.item)).collect()
    }

    fn one(key: &str, item: Option<&str>) -> Vec<(String, Option<String>)> {
        vec![(key.to_string(), item.map(str::to_string))]
    }

    #[test]
    fn decimal_forms() {
        assert_eq!(keys("861.00B/680"), one("861.00B", Some("680")));
        assert_eq!(keys("793.94/11936: Telegram"), one("793.94", Some("11936")));
        assert_eq!(keys("711.61/287½"), one("711.61", Some("287½")));
        assert_eq!(keys("124.84/75a: Telegram"), one("124.84", Some("75a")));
        assert_eq!(keys("665D.006/A: Telegram"), one("665D.006", Some("A")));
        assert_eq!(keys("462.11/3–2345"), one("462.11", Some("3-2345")));
        assert_eq!(keys("462.11/3-2345"), one("462.11", Some("3-2345")));
        assert_eq!(keys("751G.5–MSP/1–2458"), one("751G.5-MSP", Some("1-2458")));
        assert_eq!(keys("751G.5—MSP/8—1055"), one("751G.5-MSP", Some("8-1055")));
        assert_eq!(
            keys("751G.5 MSP /10–553: Telegram"),
            one("751G.5-MSP", Some("10-553"))
        );
        assert_eq!(keys("123 EN 3/435"), one("123 EN 3", Some("435")));
        assert_eq!(keys("123EN3/490: Telegram"), one("123EN3", Some("490")));
        assert_eq!(
            keys("740.0011 Mutual Guarantee (Locarno)/507: Telegram"),
            one("740.0011 Mutual Guarantee (Locarno)", Some("507"))
        );
        assert_eq!(
            keys("740.00119 EW (39)/2645"),
            one("740.00119-EW (39)", Some("2645"))
        );
        assert_eq!(
            keys("884.001 Selassie I/318: Telegram"),
            one("884.001 Selassie I", Some("318"))
        );
    }

    #[test]
    fn text_is_kept_exactly() {
        let found = parse("Source: Department of State, Central Files, 751G.5–MSP/1–2458. Secret.");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "751G.5–MSP/1–2458");
        assert_eq!(found[0].key, "751G.5-MSP");
        assert_eq!(found[0].item.as_deref(), Some("1-2458"));
    }

    #[test]
    fn several_numbers() {
        assert_eq!(
            keys("800.51W89 France/123; 851.51/456"),
            vec![
                ("800.51W89 France".to_string(), Some("123".to_string())),
                ("851.51".to_string(), Some("456".to_string())),
            ]
        );
        let texts: Vec<String> =
            parse("Central Files, 611.61/1–2355. Secret. See ibid., 033.84A11/10–158.")
                .into_iter()
                .map(|f| f.text)
                .collect();
        assert_eq!(texts, ["611.61/1–2355", "033.84A11/10–158"]);
    }

    #[test]
    fn bare_keys_only_where_announced() {
        assert_eq!(
            keys("811.11101 Waivers 81—"),
            one("811.11101 Waivers 81-", None)
        );
        assert_eq!(
            parse("811.11101 Waivers 81—")[0].text,
            "811.11101 Waivers 81—"
        );
        assert_eq!(
            keys("Source: Department of State, Central Files, 611.14. Secret."),
            one("611.14", None)
        );
        assert_eq!(
            keys("Source: Department of State, Central Files, 320/2–1157. A copy is elsewhere."),
            one("320", Some("2-1157"))
        );
        assert!(parse("Memorandum concerning 861.00 policy").is_empty());
        assert!(parse("Central Files. Secret. Raised 711.00 issues.").is_empty());
    }

    #[test]
    fn subject_numeric() {
        let notes = [
            ("Source: National Archives, RG 59, Central Files 1964–66, POL 27 VIET S. Secret; Immediate.", "POL 27 VIET S"),
            ("Central Files 1967–69, POL 15-1 US. Confidential.", "POL 15-1 US"),
            ("Central Files 1964–66, DEF 1 EUR W. Secret.", "DEF 1 EUR W"),
            ("Central Files 1964–66, POL 27–14 VIET/TRUCE. Secret.", "POL 27-14 VIET/TRUCE"),
            ("Central Files 1964–66, AID (US) 8 VIET S. Secret.", "AID (US) 8 VIET S"),
            ("Central Files 1967–69, POL US–USSR. Secret.", "POL US-USSR"),
        ];
        for (note, key) in notes {
            assert_eq!(keys(note), one(key, None), "{note}");
        }
        assert!(parse("POL US-USSR was discussed").is_empty());
        assert!(parse("Annex E 1 of the report").is_empty());
    }

    #[test]
    fn other_numbers_are_not_file_numbers() {
        for note in [
            "Source: Central Intelligence Agency, Job 79–01025A, Box 145, Folder 12. Secret; Priority.",
            "Source: Department of State, Lot File 96 D 292. Secret.",
            "Source: Department of State, S/S–NSC Files: Lot 63 D 351, NSC 5412 Series. Top Secret.",
            "Source: Eisenhower Library, Dulles Papers, Box 2, A67–28. Transcribed 7/5/54.",
            "Also printed in Foreign Relations, 1952–1954, vol. IV, pp. 1031–1037.",
            "Central Intelligence Agency, Executive Registry, Job 80–R01731R, Box 30, Folder 1011.",
            "Lot 60 D 627/5, RG 59, NIE 84–54, fiscal year 1952/53, $711.50",
            "Resolution 242 US/UK talks, Public Law 480 Title/II, 123/45",
        ] {
            assert!(parse(note).is_empty(), "{note}: {:?}", parse(note));
        }
    }

    #[test]
    fn channels() {
        assert_eq!(
            channel("793.94/11936: Telegram").as_deref(),
            Some("Telegram")
        );
        assert_eq!(
            channel("883.0513/137: Telegram (part air)").as_deref(),
            Some("Telegram")
        );
        assert_eq!(
            channel("763.72112/456. Telegram.").as_deref(),
            Some("Telegram")
        );
        assert_eq!(
            channel("033.1100 CO/4–1053-Telegram").as_deref(),
            Some("Telegram")
        );
        assert_eq!(
            channel("711.00/1: Circular telegram").as_deref(),
            Some("Circular telegram")
        );
        assert_eq!(channel("711.00/1: Despatch").as_deref(), Some("Despatch"));
        assert_eq!(channel("711.90H/41"), None);
        assert_eq!(channel("Telegram, Secret"), None);
        assert_eq!(channel("711.00/1: Telegraphy"), None);
    }

    #[test]
    fn item_dates() {
        assert_eq!(item_date("3–2345", None).as_deref(), Some("1945-03-23"));
        assert_eq!(
            item_date("3-2345", Some(1945)).as_deref(),
            Some("1945-03-23")
        );
        assert_eq!(
            item_date("1–2458", Some(1958)).as_deref(),
            Some("1958-01-24")
        );
        assert_eq!(item_date("12–154", None).as_deref(), Some("1954-12-01"));
        assert_eq!(item_date("2-2952", None).as_deref(), Some("1952-02-29"));
        assert_eq!(item_date("2-2953", None), None, "not a leap year");
        assert_eq!(item_date("2-3045", None), None, "February 30");
        assert_eq!(item_date("13-145", None), None, "month 13");
        assert_eq!(
            item_date("3-2345", Some(1936)),
            None,
            "wrong era for the document"
        );
        assert_eq!(item_date("3-2335", None), None, "before date items");
        assert_eq!(item_date("680", None), None);
        assert_eq!(item_date("75a", None), None);
        assert_eq!(item_date("-", None), None);
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            file_class_prefixes("861.00B"),
            ["8", "861", "861.00", "861.00B"]
        );
        assert_eq!(file_class_prefixes("793.94"), ["7", "793", "793.94"]);
        assert_eq!(
            file_class_prefixes("751G.5-MSP"),
            ["7", "751", "751G", "751G.5", "751G.5-MSP"]
        );
        assert_eq!(
            file_class_prefixes("600.0031 World Program"),
            [
                "6",
                "600",
                "600.00",
                "600.003",
                "600.0031",
                "600.0031 World Program"
            ]
        );
        assert_eq!(file_class_prefixes("123EN3"), ["1", "123", "123EN3"]);
        assert_eq!(file_class_prefixes("320"), ["3", "320"]);
        assert_eq!(
            file_class_prefixes("POL 27 VIET S"),
            ["POL", "POL 27", "POL 27 VIET S"]
        );
        assert_eq!(
            file_class_prefixes("POL 15-1 US"),
            ["POL", "POL 15", "POL 15-1", "POL 15-1 US"]
        );
        assert_eq!(
            file_class_prefixes("AID (US) 8 VIET S"),
            ["AID", "AID (US)", "AID (US) 8", "AID (US) 8 VIET S"]
        );
        assert_eq!(
            file_class_prefixes("DEF 1 EUR W"),
            ["DEF", "DEF 1", "DEF 1 EUR W"]
        );
        assert_eq!(file_class_prefixes("weird"), ["weird"]);
        assert!(file_class_prefixes("  ").is_empty());
        assert_eq!(
            file_class_prefixes("123é.4"),
            ["1", "123", "123é", "123é.4"]
        );
    }
}
