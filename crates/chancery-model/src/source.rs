//! Places in a source file, and the warnings readers attach to them.

use std::fmt;

/// A problem a reader noticed at a place in its source, without stopping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// 1-based column (in characters) of byte offset `at` on the line starting at `line_start`.
pub fn column(bytes: &[u8], line_start: usize, at: usize) -> usize {
    let at = at.min(bytes.len());
    String::from_utf8_lossy(&bytes[line_start.min(at)..at])
        .chars()
        .count()
        + 1
}

/// 1-based line and column (in characters) of byte offset `pos`.
pub fn line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(bytes.len());
    let before = &bytes[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, column(bytes, start, pos))
}

/// The number of a paragraph or line that holds nothing else but it: `No. 971` gives `971`,
/// `No. 00–B–57327` gives `00–B–57327`; a sentence that starts with `No.` gives nothing.
pub fn number_line(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t.strip_prefix("No.")?.trim_start();
    let token = rest.trim_end_matches(['.', ',']);
    (t.len() <= 30
        && !token.is_empty()
        && !token.contains(char::is_whitespace)
        && token.chars().any(|c| c.is_ascii_digit()))
    .then(|| token.to_string())
}

/// A salutation opening a paragraph: `Sir: I have the honor …` gives `Sir`. Only forms of
/// address count: `Summary:` or `I. General:` open sections, not letters.
pub fn salutation_prefix(text: &str) -> Option<&str> {
    let colon = text.find(':').filter(|&p| p > 0 && p <= 60)?;
    let candidate = text[..colon].trim();
    let known = [
        "Sir",
        "Madam",
        "Excellency",
        "Your Excellency",
        "Gentlemen",
        "Mr. ",
        "My dear",
        "My Dear",
        "Dear ",
    ]
    .iter()
    .any(|k| candidate.starts_with(k));
    (known && candidate.split_whitespace().count() <= 6).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_salutations() {
        assert_eq!(line_col("ab\ncdéf".as_bytes(), 7), (2, 4));
        assert_eq!(line_col(b"", 5), (1, 1));
        assert_eq!(salutation_prefix("Sir: I have the honor"), Some("Sir"));
        assert_eq!(salutation_prefix("Summary: the Embassy"), None);
    }
}
