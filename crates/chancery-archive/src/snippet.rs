//! Snippets: the passage of a hit's body that best shows why it matched.
//!
//! The passage is the window of at most `max` bytes that holds the greatest summed weight of
//! the query's terms (a term weighs `1 / (1 + document frequency)`, so rare words count most),
//! the earliest on a tie, widened with the words around it. Its score is never lower than that
//! of the best fragment tantivy's `SnippetGenerator` would cut (any such fragment fits in the
//! window that starts at its first match), and it costs far less: the terms are found with one
//! SIMD-accelerated multi-pattern search (ASCII, case-insensitive), checked for word
//! boundaries, and only the words with accented Latin letters — where a folded term such as
//! `ecole` stands for `École` — go through the analyzer, as they were indexed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, Term};

use crate::search::Snippet;
use crate::Result;

/// The longest snippet, in bytes.
pub(crate) const SNIPPET_BYTES: usize = 220;

/// Tokens this long or longer are dropped by the analyzer (`RemoveLongFilter::limit(40)`).
const LONG_TOKEN: usize = 40;

/// Cuts snippets for one query.
pub(crate) struct Snippets {
    /// The query's terms on the body field that occur in the index, with their weights.
    terms: Vec<(String, Score)>,
    /// Finds the terms in ASCII text, case-insensitively.
    matcher: Option<AhoCorasick>,
    analyzer: TextAnalyzer,
    max: usize,
}

/// A term found in the text: byte range and weight.
type Found = (usize, usize, Score);

impl Snippets {
    /// Snippets for the terms of `query` on `field`, weighted by their document frequency.
    pub(crate) fn create(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        analyzer: TextAnalyzer,
        max: usize,
    ) -> Result<Snippets> {
        let mut found: Vec<Term> = Vec::new();
        query.query_terms(&mut |t, _| {
            if t.field() == field {
                found.push(t.clone());
            }
        });
        found.sort();
        found.dedup();
        let mut terms = Vec::new();
        for t in &found {
            let value = t.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(t)?;
            if df > 0 {
                terms.push((text.to_string(), 1.0 / (1.0 + df as Score)));
            }
        }
        Ok(Snippets::new(terms, analyzer, max))
    }

    fn new(terms: Vec<(String, Score)>, analyzer: TextAnalyzer, max: usize) -> Snippets {
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms.iter().map(|(t, _)| t.as_str()))
            .ok();
        Snippets {
            terms,
            matcher,
            analyzer,
            max,
        }
    }

    /// The snippet of `text`, or `None` when no term occurs in it.
    pub(crate) fn snippet(&self, text: &str) -> Option<Snippet> {
        if self.terms.is_empty() {
            return None;
        }
        let Some(matcher) = &self.matcher else {
            return self.best_window(text, &self.find_words(text));
        };
        let mut found = self.find_ascii(matcher, text);
        // Words with accented Latin letters (U+00C0–U+017F begin with these bytes) may be
        // folded forms of the terms (`École` for `ecole`): each is read as the indexer read it.
        let accented = self.find_accented(text);
        if !accented.is_empty() {
            found.extend(accented);
            found.sort_unstable_by_key(|f| f.0);
        }
        self.best_window(text, &found)
    }

    /// The terms in `text` by the multi-pattern search, at word boundaries.
    fn find_ascii(&self, matcher: &AhoCorasick, text: &str) -> Vec<Found> {
        matcher
            .find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .map(|m| (m.start(), m.end(), self.terms[m.pattern().as_usize()].1))
            .collect()
    }

    /// The terms among the words of `text` that hold an accented Latin letter.
    fn find_accented(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut done = 0;
        // These bytes only ever begin a character, so each is a character boundary.
        for i in memchr::memchr3_iter(0xC3, 0xC4, 0xC5, text.as_bytes()) {
            if i < done {
                continue;
            }
            let start = text[..i]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphanumeric())
                .last()
                .map_or(i, |(k, _)| k);
            let end = text[i..]
                .char_indices()
                .find(|&(_, c)| !c.is_alphanumeric())
                .map_or(text.len(), |(k, _)| i + k);
            done = end.max(i + 1);
            if end > start && end - start < LONG_TOKEN {
                if let Some(w) = self.weight(&text[start..end]) {
                    found.push((start, end, w));
                }
            }
        }
        found
    }

    /// The terms in `text`, word by word (a word is a maximal run of alphanumeric characters).
    fn find_words(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut from = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (c.is_alphanumeric(), from) {
                (true, None) => from = Some(i),
                (false, Some(f)) => {
                    from = None;
                    if i - f < LONG_TOKEN {
                        if let Some(w) = self.weight(&text[f..i]) {
                            found.push((f, i, w));
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// The weight of a word, if it is one of the terms as the indexer saw it (lower-cased and
    /// folded; one word in, one token out).
    fn weight(&self, word: &str) -> Option<Score> {
        if word.is_ascii() {
            return self
                .terms
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(word))
                .map(|&(_, w)| w);
        }
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(word);
        let mut weight = None;
        stream.process(&mut |tok| {
            weight = self
                .terms
                .iter()
                .find(|(t, _)| *t == tok.text)
                .map(|&(_, w)| w);
        });
        weight
    }

    /// The best window over the terms found (in text order), widened with context.
    fn best_window(&self, text: &str, found: &[Found]) -> Option<Snippet> {
        if found.is_empty() {
            return None;
        }
        // Two pointers: for each first match i, the matches i..j that end within `max` bytes.
        let (mut best, mut best_i, mut best_j) = (0.0, 0, 0);
        let (mut j, mut sum) = (0, 0.0);
        for i in 0..found.len() {
            if j < i {
                (j, sum) = (i, 0.0);
            }
            while j < found.len() && found[j].1 - found[i].0 <= self.max {
                sum += found[j].2;
                j += 1;
            }
            if sum > best {
                (best, best_i, best_j) = (sum, i, j);
            }
            if j > i {
                sum -= found[i].2;
            }
        }
        if best_j == 0 {
            // A single match longer than the window: show it alone.
            best_j = best_i + 1;
        }
        let (first, last) = (found[best_i].0, found[best_j - 1].1);
        let room = self.max.saturating_sub(last - first);
        let start = word_start(text, first.saturating_sub(room / 3), first);
        let end = word_end(text, (start + self.max).max(last), last);
        Some(Snippet {
            text: text[start..end].to_string(),
            highlights: found[best_i..best_j]
                .iter()
                .map(|&(a, b, _)| (a - start, b - start))
                .collect(),
        })
    }
}

/// The start of the first whole token (a run without whitespace) at or after `at`, but not
/// after `limit`: a snippet opens neither in the middle of a word nor on the punctuation glued
/// to the word before.
fn word_start(text: &str, at: usize, limit: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    let rest = &text[i..limit];
    let glued = !text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_whitespace);
    let mut k = if glued {
        rest.find(char::is_whitespace).unwrap_or(rest.len())
    } else {
        0
    };
    k += rest[k..]
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(rest.len() - k);
    (i + k).min(limit)
}

/// The end of the last whole token at or before `at`, but not before `limit`.
fn word_end(text: &str, at: usize, limit: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    if !text[i..].starts_with(char::is_whitespace) {
        i = text[..i].rfind(char::is_whitespace).unwrap_or(0);
    }
    text[..i].trim_end().len().max(limit)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::snippet::SnippetGenerator;

    use super::*;

    /// Sum of the weights of the highlighted words of a passage.
    fn score(text: &str, highlights: &[(usize, usize)], terms: &[(&str, Score)]) -> Score {
        let analyzer = crate::index::analyzer();
        highlights
            .iter()
            .map(|&(a, b)| {
                let mut an = analyzer.clone();
                let mut stream = an.token_stream(&text[a..b]);
                let mut w = 0.0;
                stream.process(&mut |t| {
                    w = terms
                        .iter()
                        .find(|(x, _)| *x == t.text)
                        .map_or(0.0, |&(_, w)| w);
                });
                w
            })
            .sum()
    }

    /// Our passages score at least as high as the fragments tantivy's `SnippetGenerator` cuts,
    /// fit the budget, highlight only terms, and exist exactly when tantivy finds a term.
    #[test]
    fn snippets_are_at_least_as_good_as_tantivy() {
        let terms = [("secretary", 0.25), ("state", 0.125), ("ecole", 0.5)];
        let ours = Snippets::new(
            terms.iter().map(|&(t, w)| (t.to_string(), w)).collect(),
            crate::index::analyzer(),
            SNIPPET_BYTES,
        );
        let theirs = SnippetGenerator::new(
            terms
                .iter()
                .map(|&(t, w)| (t.to_string(), w))
                .collect::<BTreeMap<_, _>>(),
            crate::index::analyzer(),
            Field::from_field_id(0),
            SNIPPET_BYTES,
        );
        let long = "x".repeat(45);
        let filler =
            "The Minister called on the Ambassador at noon to discuss the loan. ".repeat(6);
        let texts = [
            String::new(),
            "nothing to see here".to_string(),
            "The Secretary of State".to_string(),
            format!("{filler}The SECRETARY saw the state of affairs. {filler}"),
            format!("{filler}Secretary {filler} state state secretary {filler}"),
            format!("École de Paris — l’École, Ecole; Straße, naïve {long} secretary {filler}"),
            format!("{long}{filler}{long} secretary state {long} ecole"),
            format!("secretary{filler}state"),
            "½ secretary² Ⅻ state_secretary STATE’s".to_string(),
            format!("“Secretary” — {filler} the Secretary’s “state”"),
            "Under Secretaryship, statesman, secretarys; not words".to_string(),
        ];
        for text in &texts {
            let t = theirs.snippet(text);
            let got = ours.snippet(text);
            assert_eq!(got.is_some(), !t.fragment().is_empty(), "text: {text}");
            let Some(got) = got else { continue };
            assert!(got.text.len() <= SNIPPET_BYTES, "{}", got.text);
            assert!(text.contains(&got.text));
            let theirs_hl: Vec<(usize, usize)> =
                t.highlighted().iter().map(|r| (r.start, r.end)).collect();
            let (s_ours, s_theirs) = (
                score(&got.text, &got.highlights, &terms),
                score(t.fragment(), &theirs_hl, &terms),
            );
            assert!(
                s_ours >= s_theirs,
                "{s_ours} < {s_theirs} for {text}: {got:?}"
            );
            for &(a, b) in &got.highlights {
                assert!(
                    score(&got.text, &[(a, b)], &terms) > 0.0,
                    "{:?}",
                    &got.text[a..b]
                );
            }
        }
    }

    #[test]
    fn windows_take_context_and_keep_whole_words() {
        let terms = vec![("oil".to_string(), 0.5)];
        let s = Snippets::new(terms, crate::index::analyzer(), 60);
        let text = "The Minister of Foreign Affairs said this morning that the oil concession \
                    granted last year to the company would stand until the end of the decade.";
        let got = s.snippet(text).unwrap();
        assert!(got.text.len() <= 60);
        assert!(
            got.text.starts_with("morning") || got.text.starts_with("that"),
            "{got:?}"
        );
        assert!(!got.text.ends_with(' '));
        let (a, b) = got.highlights[0];
        assert_eq!(&got.text[a..b], "oil");
        // Each word whole.
        assert!(text
            .split(' ')
            .any(|w| got.text.ends_with(w.trim_end_matches('.'))));

        // Never open on punctuation glued to the word before (`’s telegram`), for any budget.
        let terms = vec![("telegram".to_string(), 0.5)];
        let text =
            "The Minister reported on Egypt’s telegram No. 20 of yesterday, 5 p.m.] and more";
        for max in 12..60 {
            let s = Snippets::new(terms.clone(), crate::index::analyzer(), max);
            let got = s.snippet(text).unwrap();
            let first = got.text.chars().next().unwrap();
            assert!(first.is_alphanumeric(), "{max}: {:?}", got.text);
            assert!(got.text.contains("telegram"));
        }
    }
}
