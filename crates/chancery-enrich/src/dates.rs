//! Dates written in datelines: `February 13, 1936`, `3 February 1957`, `January 1, 1938—10
//! p.m.`, `February 1957`, `18.1.38` (with the century from context).

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

fn month(word: &str) -> Option<u32> {
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

fn day(year: i32, month: u32, day: u32) -> Option<String> {
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
