//! Dates written in datelines: `February 13, 1936`, `3 February 1957`, `January 1, 1938—10
//! p.m.`, `February 1957`, `18.1.38` (with the century from context); receipt lines
//! (`[Received January 1—9:15 p.m.]`), which bound a document's date from above; what makes a
//! dateline doubtful (`undated`, `February 30`); and the inference of bounds for undated
//! documents from what they cite and from their neighbours ([`infer_dates`]).

use chancery_model::{DateBounds, DateSource, Document};

use crate::threads::ymd;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names (`February`, `Feb.`, `Sept.`), 1–12.
pub(crate) fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() >= 3 && m.starts_with(&w) && (w.len() == 3 || w == "sept"))
        })
        .map(|i| i as u32 + 1)
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date found in text: ISO bounds, earliest and latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Earliest day, `YYYY-MM-DD`.
    pub min: String,
    /// Latest day, `YYYY-MM-DD`.
    pub max: String,
}

/// `YYYY-MM-DD`, when the day exists.
pub(crate) fn day(year: i32, month: u32, day: u32) -> Option<String> {
    (1..=12).contains(&month).then_some(())?;
    (1..=days_in(year, month)).contains(&day).then_some(())?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

fn year_of(token: &str) -> Option<i32> {
    let t = token.trim_matches(|c: char| !c.is_ascii_digit());
    (t.len() == 4)
        .then(|| t.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1700..=2100).contains(y))
}

/// The first date written in `text`. `century` gives the century for two-digit years
/// (`18.1.38` with 1900 is 18 January 1938). Impossible dates (`February 30`) are not dates.
pub fn find(text: &str, century: Option<i32>) -> Option<Found> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '—' || c == '–')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(m) = month(w) {
            // Month Day, Year — or Month Year.
            let next = words.get(i + 1).copied().unwrap_or("");
            let d: Option<u32> = next
                .trim_end_matches(['.', ','])
                .trim_end_matches("th")
                .trim_end_matches("st")
                .trim_end_matches("nd")
                .trim_end_matches("rd")
                .parse()
                .ok();
            if let Some(d) = d.filter(|d| (1..=31).contains(d)) {
                if let Some(y) = words.get(i + 2).and_then(|t| year_of(t)) {
                    let s = day(y, m, d)?;
                    return Some(Found {
                        min: s.clone(),
                        max: s,
                    });
                }
            }
            if let Some(y) = year_of(next) {
                // Day Month Year, or Month Year.
                let before: Option<u32> = i
                    .checked_sub(1)
                    .and_then(|j| words.get(j))
                    .and_then(|t| t.trim_end_matches('.').parse().ok());
                if let Some(d) = before.filter(|d| (1..=31).contains(d)) {
                    let s = day(y, m, d)?;
                    return Some(Found {
                        min: s.clone(),
                        max: s,
                    });
                }
                return Some(Found {
                    min: format!("{y:04}-{m:02}-01"),
                    max: format!("{y:04}-{m:02}-{:02}", days_in(y, m)),
                });
            }
        }
        // 18.1.38 or 18.1.1938
        let parts: Vec<&str> = w.trim_end_matches(['.', '”', '"']).split('.').collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let (d, m) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
            let y: i32 = match parts[2].len() {
                4 => parts[2].parse().ok()?,
                2 => century? + parts[2].parse::<i32>().ok()?,
                _ => continue,
            };
            if let Some(s) = day(y, m, d) {
                return Some(Found {
                    min: s.clone(),
                    max: s,
                });
            }
        }
    }
    None
}

/// The words of a date text, split at spaces, commas and dashes.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '—' || c == '–')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A day number as written after a month (`13`, `13th`, `3d`, `1.`, `7]`).
fn day_number(word: &str) -> Option<u32> {
    let digits: String = word.chars().take_while(char::is_ascii_digit).collect();
    let rest = word[digits.len()..].trim_end_matches(['.', ']', ')', ':', ';']);
    (matches!(rest, "" | "st" | "nd" | "rd" | "th" | "d"))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// The day a receipt line names (`Received March 7.`, `[Received January 1—9:15 p.m.]`): its
/// own year when it gives one, otherwise the first such day not before `sent` (`(year, month,
/// day)`, the date the document was sent or a day known not to be later). A line with a time
/// only (`Received 1:50 p.m.`) names the day `sent`.
pub fn received(text: &str, sent: (i32, u32, u32)) -> Option<String> {
    let w = words(text);
    for (i, word) in w.iter().enumerate() {
        let Some(m) = month(word) else { continue };
        let Some(d) = w.get(i + 1).and_then(|t| day_number(t)) else {
            continue;
        };
        let y = match w.get(i + 2).and_then(|t| year_of(t)) {
            Some(y) => y,
            None if (m, d) < (sent.1, sent.2) => sent.0 + 1,
            None => sent.0,
        };
        return day(y, m, d);
    }
    let timed = text.contains("a.m.") || text.contains("p.m.") || text.contains("noon");
    timed.then(|| day(sent.0, sent.1, sent.2)).flatten()
}

/// Why a dateline gives no date, when it says why: `undated`, or an impossible date as written
/// (`impossible date: February 30`). Never panics; the dateline itself stays as written.
pub fn flag(text: &str) -> Option<String> {
    let w = words(text);
    for (i, word) in w.iter().enumerate() {
        let Some(m) = month(word) else { continue };
        let Some(next) = w.get(i + 1) else { continue };
        let digits: String = next.chars().take_while(char::is_ascii_digit).collect();
        let Ok(d) = digits.parse::<u32>() else {
            continue;
        };
        let year = w.get(i + 2).and_then(|t| year_of(t)).unwrap_or(2000);
        if d == 0 || d > days_in(year, m) {
            return Some(format!("impossible date: {word} {digits}"));
        }
    }
    text.to_lowercase()
        .contains("undated")
        .then(|| "undated".to_string())
}

/// Bounds for the documents of a volume that have none, marked [`DateSource::Inferred`]: not
/// earlier than the latest date of a message they cite, nor than the previous dated document
/// of their chapter; not later than their receipt (`[Received March 7.]`), nor than the next
/// dated document of their chapter. Neighbours only count within the same chapter, and yield
/// to the cited dates and the receipt when they disagree. Dates inferred before are never
/// used as evidence, so running it twice changes nothing.
pub fn infer_dates(docs: &mut [Document]) {
    let known = |d: &Document| {
        d.dates.source != Some(DateSource::Inferred)
            && (d.dates.min.is_some() || d.dates.max.is_some())
    };
    let day = |s: &Option<String>| s.as_deref().and_then(|s| s.get(..10)).map(str::to_string);
    let n = docs.len();
    let mut before: Vec<Option<String>> = vec![None; n];
    let mut after: Vec<Option<String>> = vec![None; n];
    let mut last: Option<String> = None;
    for i in 0..n {
        if i > 0 && docs[i].chapter != docs[i - 1].chapter {
            last = None;
        }
        if known(&docs[i]) {
            last = day(&docs[i].dates.min).or_else(|| day(&docs[i].dates.max));
        } else {
            before[i] = last.clone();
        }
    }
    let mut next: Option<String> = None;
    for i in (0..n).rev() {
        if i + 1 < n && docs[i].chapter != docs[i + 1].chapter {
            next = None;
        }
        if known(&docs[i]) {
            next = day(&docs[i].dates.max).or_else(|| day(&docs[i].dates.min));
        } else {
            after[i] = next.clone();
        }
    }
    for (i, doc) in docs.iter_mut().enumerate() {
        if doc.dates.min.is_some() || doc.dates.max.is_some() {
            continue;
        }
        let cited = doc.messages.iter().filter_map(|r| r.date.clone()).max();
        let soft_lo = before[i].take();
        let lo = cited.clone().max(soft_lo.clone());
        let receipt = lo.as_deref().and_then(ymd).and_then(|from| {
            let line = doc.paper.dateline.as_ref()?.received.as_deref()?;
            received(line, from)
        });
        let soft_hi = after[i].take();
        let mut hi = match (&receipt, &soft_hi) {
            (Some(r), Some(s)) => Some(r.min(s).clone()),
            (r, s) => r.clone().or_else(|| s.clone()),
        };
        let mut lo = lo;
        if let (Some(l), Some(h)) = (&lo, &hi) {
            if l > h {
                // Neighbours out of order: keep what the document itself says.
                lo = cited.or(soft_lo.filter(|s| receipt.as_ref().is_none_or(|r| s <= r)));
                hi = receipt.or(soft_hi.filter(|s| lo.as_ref().is_none_or(|l| l <= s)));
            }
        }
        if lo.is_some() || hi.is_some() {
            doc.dates = DateBounds {
                min: lo,
                max: hi,
                source: Some(DateSource::Inferred),
                flag: doc.dates.flag.take(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str, c: Option<i32>) -> Option<String> {
        find(s, c).map(|f| {
            assert_eq!(f.min, f.max);
            f.min
        })
    }

    #[test]
    fn dateline_forms() {
        assert_eq!(
            one("Washington, February 13, 1936.", None).as_deref(),
            Some("1936-02-13")
        );
        assert_eq!(
            one("Hankow, January 1, 1938—10 p.m.", None).as_deref(),
            Some("1938-01-01")
        );
        assert_eq!(one("3 February 1957", None).as_deref(), Some("1957-02-03"));
        assert_eq!(one("18.1.38", Some(1900)).as_deref(), Some("1938-01-18"));
        assert_eq!(one("18.1.38", None), None);
        assert_eq!(one("Sept. 3, 1957", None).as_deref(), Some("1957-09-03"));
        let m = find("Washington, February 1957", None).unwrap();
        assert_eq!(
            (m.min.as_str(), m.max.as_str()),
            ("1957-02-01", "1957-02-28")
        );
        assert_eq!(find("February 30, 1938", None), None);
        assert_eq!(find("May I say", None), None);
        assert_eq!(find("", None), None);
    }
}
