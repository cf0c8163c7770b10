//! Dates as day numbers: ISO 8601 dates, possibly partial (`1936`, `1936-05`), as the first
//! or last day they can mean.

use crate::Post;

/// The day number (days since 1970-01-01) of a civil date.
fn civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of an ISO date's first 10 characters; missing parts are `None`.
fn parts(s: &str) -> Option<(i64, Option<i64>, Option<i64>)> {
    let s = s.trim();
    let mut it = s.get(..s.len().min(10))?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m = it
        .next()
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let d = it
        .next()
        .and_then(|d| d.parse().ok())
        .filter(|d| (1..=31).contains(d));
    Some((y, m, d))
}

/// The first day a date can mean (`1936-05` → May 1).
pub fn day(s: &str) -> Option<i64> {
    let (y, m, d) = parts(s)?;
    Some(civil(y, m.unwrap_or(1), d.unwrap_or(1)))
}

/// The last day a date can mean (`1936-05` → May 31).
pub fn last_day(s: &str) -> Option<i64> {
    let (y, m, d) = parts(s)?;
    match (m, d) {
        (Some(m), Some(d)) => Some(civil(y, m, d)),
        (Some(m), None) => Some(civil(if m == 12 { y + 1 } else { y }, m % 12 + 1, 1) - 1),
        _ => Some(civil(y, 12, 31)),
    }
}

/// The year of a date.
pub fn year(s: &str) -> Option<i32> {
    parts(s).map(|(y, _, _)| y as i32)
}

/// Whether `post` was held on `day`, give or take `slack` days: from its start (or, with
/// slack, its appointment) to its end (open when it has none).
pub fn held(post: &Post, day: i64, slack: i64) -> bool {
    let start = if slack > 0 {
        post.appointed
            .as_deref()
            .and_then(self::day)
            .into_iter()
            .chain(post.started.as_deref().and_then(self::day))
            .min()
    } else {
        post.started
            .as_deref()
            .or(post.appointed.as_deref())
            .and_then(self::day)
    };
    let Some(start) = start else {
        return false;
    };
    let end = post.ended.as_deref().and_then(last_day).unwrap_or(i64::MAX);
    start <= day && day <= end.saturating_add(slack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(day("1970-01-01"), Some(0));
        assert_eq!(day("1936-05"), day("1936-05-01"));
        assert_eq!(last_day("1936-02"), day("1936-02-29"));
        assert_eq!(last_day("1936"), day("1936-12-31"));
        assert_eq!(day("1894-02-09T00:00:00-05:00"), day("1894-02-09"));
        assert_eq!(year("1938-02-18"), Some(1938));
        assert_eq!(day("n.d."), None);
    }
}
