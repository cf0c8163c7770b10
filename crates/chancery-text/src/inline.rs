//! Footnote markers and inline content: candidates glued to words, the choice of the real
//! markers, and lines turned into nodes with page breaks, notes and corrections in place.

use std::collections::HashMap;

use chancery_model::{Inline, InlineKind, Node, PageBreak};

use crate::scan;

/// A number or sign glued to the preceding word that may be a footnote marker.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Index of the line in the file.
    pub line: usize,
    /// Byte span in the line.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// Its numeric value (`None` for `*`, `†`).
    pub value: Option<u64>,
    /// False when it may as well be part of a number (`1936.15`) or a code (`B29`).
    pub strong: bool,
    /// Cut from the end of a longer number (`19245`): used only to fill a gap in the numbering.
    pub split: bool,
}

impl Candidate {
    /// The marker as printed.
    pub fn mark<'a>(&self, line: &'a str) -> &'a str {
        &line[self.start..self.end]
    }
}

const SIGNS: [char; 4] = ['*', '†', '‡', '§'];

/// Superscript digits `⁰` … `⁹`: the writer's form of a marker that plain digits would leave
/// in doubt (`October 15¹⁸`, `$3,000,000²`).
const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// A marker written in superscript digits (`18` gives `¹⁸`, `41a` gives `⁴¹a`); `None` unless
/// digits with at most one lower-case letter after them.
pub(crate) fn superscript(mark: &str) -> Option<String> {
    let digits = mark.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let ok = !digits.is_empty()
        && mark.len() - digits.len() <= 1
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| {
        digits
            .bytes()
            .map(|b| SUPERSCRIPTS[usize::from(b - b'0')])
            .chain(mark[digits.len()..].chars())
            .collect()
    })
}

/// Whether a marker is written in superscript digits.
pub(crate) fn is_superscript(mark: &str) -> bool {
    mark.starts_with(SUPERSCRIPTS)
}

/// A marker as printed, superscript digits read as digits.
pub(crate) fn plain_mark(mark: &str) -> String {
    mark.chars()
        .map(|c| match SUPERSCRIPTS.iter().position(|&s| s == c) {
            Some(d) => char::from(b'0' + d as u8),
            None => c,
        })
        .collect()
}

/// Whether `mark`, glued to the end of `before`, is read back as a certain marker.
pub(crate) fn reads_as_marker(before: &str, mark: &str) -> bool {
    let probe = format!("{before}{mark} ");
    let mut found = Vec::new();
    candidates(&probe, 0, &mut found, false);
    found
        .iter()
        .any(|c| c.start == before.len() && c.end == before.len() + mark.len() && c.strong)
}

/// Appends the marker candidates of `text` (line `line`). With `splits`, a marker glued to a
/// number (`19245` for `1924` and note 5) is also considered, as a weak candidate.
pub(crate) fn candidates(text: &str, line: usize, out: &mut Vec<Candidate>, splits: bool) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if SUPERSCRIPTS.contains(&c) {
            let mut j = i;
            while j < chars.len() && SUPERSCRIPTS.contains(&chars[j].1) {
                j += 1;
            }
            let digits_end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            // A letter suffix (`⁴¹a`), not the start of a word.
            if chars.get(j).is_some_and(|&(_, c)| c.is_ascii_lowercase())
                && chars.get(j + 1).is_none_or(|&(_, c)| !c.is_alphanumeric())
            {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            out.push(Candidate {
                line,
                start,
                end,
                value: plain_mark(&text[start..digits_end]).parse().ok(),
                strong: true,
                split: false,
            });
            i = j;
            continue;
        }
        let is_sign = SIGNS.contains(&c);
        if !(c.is_ascii_digit() || is_sign) || i == 0 {
            i += 1;
            continue;
        }
        let prev = chars[i - 1].1;
        if prev.is_ascii_digit() || (is_sign && SIGNS.contains(&prev)) {
            i += 1;
            continue;
        }
        let at = i;
        let mut j = i;
        while j < chars.len()
            && (if is_sign {
                SIGNS.contains(&chars[j].1)
            } else {
                chars[j].1.is_ascii_digit()
            })
        {
            j += 1;
        }
        let run = j - i;
        // An optional letter suffix (`18a`), not the start of a word (`7th`).
        if !is_sign
            && j < chars.len()
            && chars[j].1.is_ascii_lowercase()
            && chars.get(j + 1).is_none_or(|&(_, c)| !c.is_alphanumeric())
            && run <= 3
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        let next = chars.get(j).map(|&(_, c)| c);
        let after_next = chars.get(j + 1).map(|&(_, c)| c);
        i = j;
        let next_ok = match next {
            None => true,
            Some(c) if c.is_whitespace() => true,
            Some('.' | ',') => after_next.is_none_or(|c| !c.is_ascii_digit()),
            Some(c) => matches!(
                c,
                ';' | ':' | ')' | ']' | '”' | '’' | '"' | '\'' | '—' | '–' | '…' | '!' | '?'
            ),
        };
        if splits && !is_sign && (3..=8).contains(&run) && next_ok {
            // The last one to three digits of a longer number, in order of position.
            for len in (1..=3.min(run - 1)).rev() {
                let s = chars[j - len].0;
                if chars[j - len].1 != '0' {
                    out.push(Candidate {
                        line,
                        start: s,
                        end,
                        value: text[s..end].parse().ok(),
                        strong: false,
                        split: true,
                    });
                }
            }
        }
        if run > 4 || (is_sign && run > 3) {
            continue;
        }
        let glued = !prev.is_whitespace()
            && !matches!(
                prev,
                '(' | '['
                    | '{'
                    | '/'
                    | '-'
                    | '–'
                    | '—'
                    | ':'
                    | '#'
                    | '$'
                    | '£'
                    | '%'
                    | '+'
                    | '='
                    | '&'
                    | '@'
                    | '§'
                    | '“'
                    | '‘'
                    | '<'
                    | '^'
                    | '~'
                    | '_'
                    | '|'
                    | '×'
            );
        if !glued || !next_ok {
            continue;
        }
        let before = chars[..at].iter().rev().map(|&(_, c)| c);
        let strong = if is_sign {
            true
        } else if matches!(prev, '"' | '\'') {
            // A straight quote may open as well as close.
            false
        } else if matches!(prev, '.' | ',') {
            // `18.1.38`, `1,000`: part of a number unless a word precedes.
            !chars[..at - 1]
                .last()
                .is_some_and(|&(_, c)| c.is_ascii_digit())
        } else if prev.is_alphabetic() {
            // `B29`, `G2`: an upper-case code; `Denikin16`: a word.
            let word: Vec<char> = before.take_while(|c| c.is_alphabetic()).collect();
            !(word.len() <= 2 || word.iter().all(|c| c.is_uppercase()))
        } else {
            true
        };
        out.push(Candidate {
            line,
            start,
            end,
            value: (!is_sign)
                .then(|| text[start..end].trim_end_matches(|c: char| c.is_ascii_lowercase()))
                .and_then(|v| v.parse().ok()),
            strong,
            split: false,
        });
    }
}

/// Which candidates are the markers of `k` notes, in order. Returns their indices and, when
/// the choice is not certain, why.
pub(crate) fn select(cands: &[Candidate], k: usize) -> (Vec<usize>, Option<String>) {
    if k == 0 {
        return (Vec::new(), None);
    }
    if let Some(strong) = strong_run(cands, k) {
        return (strong, None);
    }
    let chain = longest_chain(cands);
    if chain.len() == k {
        return (chain, None);
    }
    if let Some(run) = numbered_run(cands, &chain, k) {
        let why = (chain.len() > k).then(|| {
            format!(
                "{k} notes in the list but {} markers found in the text",
                chain.len()
            )
        });
        return (run, why);
    }
    let strong: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].strong && !cands[i].split)
        .collect();
    if strong.len() == k {
        return (strong, None);
    }
    let signs: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].value.is_none() && !cands[i].split)
        .collect();
    if signs.len() == k {
        return (signs, None);
    }
    let mut best = if chain.len() >= signs.len() {
        chain
    } else {
        signs
    };
    let found = best.len();
    best.truncate(k);
    let why = format!("{k} notes in the list but {found} markers found in the text");
    (best, Some(why))
}

/// The markers numbered `s`, `s + 1` … `s + k - 1` in order of position, for the start `s`
/// that uses the most whole-word candidates; a number cut from a longer one (`19245`) stands in
/// only where no whole candidate of that value comes before the next marker.
fn numbered_run(cands: &[Candidate], chain: &[usize], k: usize) -> Option<Vec<usize>> {
    let first = cands[*chain.first()?].value?;
    let mut by_value: HashMap<(u64, bool), Vec<usize>> = HashMap::new();
    for (i, c) in cands.iter().enumerate() {
        if let Some(v) = c.value {
            by_value.entry((v, c.split)).or_default().push(i);
        }
    }
    let next_after = |v: u64, split: bool, after: Option<usize>| {
        let list = by_value.get(&(v, split))?;
        let at = list.partition_point(|&i| after.is_some_and(|a| i <= a));
        list.get(at).copied()
    };
    let mut best: Option<(usize, Vec<usize>)> = None;
    let slack = (k - chain.len().min(k)) as u64;
    for s in first.saturating_sub(slack)..=first {
        let mut run = Vec::with_capacity(k);
        let mut whole = 0;
        let mut pos = None;
        for v in s..s + k as u64 {
            let normal = next_after(v, false, pos);
            let cut = next_after(v, true, pos);
            let limit = next_after(v + 1, false, pos);
            let pick = match (normal, cut) {
                (Some(n), _) if limit.is_none_or(|l| n < l) => Some((n, true)),
                (_, Some(c)) if limit.is_none_or(|l| c < l) => Some((c, false)),
                (Some(n), _) => Some((n, true)),
                _ => None,
            };
            let Some((i, is_whole)) = pick else { break };
            whole += usize::from(is_whole);
            run.push(i);
            pos = Some(i);
        }
        if run.len() == k && best.as_ref().is_none_or(|(w, _)| whole > *w) {
            best = Some((whole, run));
        }
    }
    best.map(|(_, run)| run)
}

/// Whether the plain candidates already give the markers of `k` notes without doubt.
pub(crate) fn certain(cands: &[Candidate], k: usize) -> bool {
    k == 0 || strong_run(cands, k).is_some() || longest_chain(cands).len() == k
}

/// The strong candidates, when there are exactly `k` and their numbers run on by one (or
/// repeat): the markers without doubt, whatever weak candidates stand between them.
fn strong_run(cands: &[Candidate], k: usize) -> Option<Vec<usize>> {
    let strong: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].strong && !cands[i].split)
        .collect();
    let values: Option<Vec<u64>> = strong.iter().map(|&i| cands[i].value).collect();
    let runs = values.is_some_and(|v| v.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1));
    (strong.len() == k && runs).then_some(strong)
}

/// The longest run of candidates whose numbers go up by one (or repeat: `29`, `29`, `30`),
/// preferring strong candidates; linear in the number of candidates.
fn longest_chain(cands: &[Candidate]) -> Vec<usize> {
    // value -> (length, strong count, index) of the best chain ending with that value
    let mut best: HashMap<u64, (usize, usize, usize)> = HashMap::new();
    let mut pred: Vec<Option<usize>> = vec![None; cands.len()];
    let mut top: Option<(usize, usize, usize)> = None;
    for (i, c) in cands.iter().enumerate() {
        let Some(v) = c.value.filter(|_| !c.split) else {
            continue;
        };
        let from = [v.checked_sub(1), Some(v)]
            .into_iter()
            .flatten()
            .filter_map(|x| best.get(&x).copied())
            .max_by_key(|&(l, s, _)| (l, s));
        let (len, strong) = from.map_or((0, 0), |(l, s, _)| (l, s));
        let me = (len + 1, strong + usize::from(c.strong), i);
        pred[i] = from.map(|(_, _, idx)| idx);
        let slot = best.entry(v).or_insert(me);
        if (me.0, me.1) > (slot.0, slot.1) {
            *slot = me;
        }
        if top.is_none_or(|t| (me.0, me.1) > (t.0, t.1)) {
            top = Some(me);
        }
    }
    let mut out = Vec::new();
    let mut at = top.map(|t| t.2);
    while let Some(i) = at {
        out.push(i);
        at = pred[i];
    }
    out.reverse();
    out
}

/// A footnote to put at a marker: its printed mark and content.
pub(crate) struct Placed {
    /// Byte span of the marker in the line.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// The note node.
    pub note: Node,
}

/// The nodes of one line: text with page breaks, footnotes and corrections in place.
pub(crate) fn nodes(text: &str, placed: Vec<Placed>) -> Vec<Node> {
    let mut out = Vec::new();
    let mut placed = placed.into_iter().peekable();
    let bytes = text.as_bytes();
    let mut seg = 0;
    let mut i = 0;
    while i < bytes.len() {
        if placed.peek().is_some_and(|p| p.start == i) {
            let p = placed.next().expect("peeked");
            push_text(&mut out, &text[seg..i]);
            out.push(p.note);
            i = p.end;
            seg = i;
            continue;
        }
        if bytes[i] == b'[' {
            if let Some((n, len)) = scan::page_marker(&text[i..]) {
                push_text(&mut out, &text[seg..i]);
                out.push(Node::PageBreak(PageBreak {
                    n: n.to_string(),
                    id: None,
                    facs: None,
                }));
                let spaced_before = i > 0 && bytes[i - 1] == b' ';
                i += len;
                if spaced_before && bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                seg = i;
                continue;
            }
            if let Some(len) = correction(text, i) {
                push_text(&mut out, &text[seg..i]);
                out.push(Node::Inline(Inline {
                    kind: InlineKind::Correction,
                    rend: None,
                    children: vec![Node::text(&text[i..i + len])],
                }));
                i += len;
                seg = i;
                continue;
            }
        }
        i += 1;
    }
    push_text(&mut out, &text[seg..]);
    out
}

/// An editorial correction `[963]` after `962 `: the length of the bracket.
fn correction(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].strip_suffix(' ')?;
    let prev: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let close = text[at..].find(']')?;
    let inner = &text[at + 1..at + close];
    (!prev.is_empty()
        && !inner.is_empty()
        && inner.len() <= 8
        && inner.bytes().all(|b| b.is_ascii_digit()))
    .then_some(close + 1)
}

fn push_text(out: &mut Vec<Node>, s: &str) {
    if !s.is_empty() {
        out.push(Node::text(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str) -> Vec<(String, bool)> {
        let mut v = Vec::new();
        candidates(text, 0, &mut v, false);
        v.iter()
            .map(|c| (c.mark(text).to_string(), c.strong))
            .collect()
    }

    #[test]
    fn candidates_tell_markers_from_numbers() {
        assert_eq!(
            marks("Did not Denikin16 and Kolchak17 re-establish"),
            [("16".to_string(), true), ("17".to_string(), true)]
        );
        assert_eq!(marks("Osoaviakhim.18 It is"), [("18".to_string(), true)]);
        assert_eq!(marks("have it? …15"), [("15".to_string(), true)]);
        assert_eq!(marks("Prishibaev,20 you may"), [("20".to_string(), true)]);
        assert_eq!(
            marks("in 1938, p. 122, the 7th World Congress, 1st Zasemski"),
            []
        );
        assert_eq!(marks("despatch No. 962 [963], February 18, 1938."), []);
        assert_eq!(marks("18.1.38”."), [("38".to_string(), false)]);
        assert_eq!(marks("at 9:15 p.m. on 1—10 and A-12 (3) $5"), []);
        assert_eq!(marks("a decimal 1936.15 here"), [("15".to_string(), false)]);
        assert_eq!(marks("the B29 plane"), [("29".to_string(), false)]);
        assert_eq!(
            marks("said so.* Then 3.5 and word18a."),
            [
                ("*".to_string(), true),
                ("5".to_string(), false),
                ("18a".to_string(), true)
            ]
        );
        assert_eq!(marks("* * * and ***"), []);
        assert_eq!(
            marks("October 15¹⁸, and 3:¹ here"),
            [("¹⁸".to_string(), true), ("¹".to_string(), true)]
        );
        assert_eq!(superscript("18").as_deref(), Some("¹⁸"));
        assert_eq!(plain_mark("¹⁸"), "18");
        assert_eq!(superscript("41a").as_deref(), Some("⁴¹a"));
        assert_eq!(superscript("*"), None);
        assert_eq!(marks("proposals⁴¹a and"), [("⁴¹a".to_string(), true)]);
        assert!(reads_as_marker("Denikin", "16"));
        assert!(!reads_as_marker("October 15", "18"));
    }

    fn cand(value: u64, strong: bool) -> Candidate {
        Candidate {
            line: 0,
            start: 0,
            end: 0,
            value: Some(value),
            strong,
            split: false,
        }
    }

    #[test]
    fn selection() {
        let c = [
            cand(15, true),
            cand(38, false),
            cand(16, true),
            cand(17, true),
        ];
        assert_eq!(select(&c, 3), (vec![0, 2, 3], None));
        let c = [cand(29, true), cand(29, true), cand(30, true)];
        assert_eq!(select(&c, 3).0, vec![0, 1, 2]);
        let c = [cand(15, true), cand(16, true)];
        let (s, why) = select(&c, 3);
        assert_eq!(s, vec![0, 1]);
        assert!(why.is_some());
        assert_eq!(select(&c, 0).0, Vec::<usize>::new());
    }

    #[test]
    fn inline_nodes() {
        let n = nodes("our peasantry [Page 523] and arrange", Vec::new());
        assert_eq!(n.len(), 3);
        assert_eq!(n[0], Node::text("our peasantry "));
        assert!(matches!(&n[1], Node::PageBreak(p) if p.n == "523"));
        assert_eq!(n[2], Node::text("and arrange"));
        let n = nodes("despatch No. 962 [963], February", Vec::new());
        assert!(matches!(&n[1], Node::Inline(i) if i.kind == InlineKind::Correction));
        assert_eq!(n[2], Node::text(", February"));
        let n = nodes("unbalanced [Page 5 and [", Vec::new());
        assert_eq!(n, vec![Node::text("unbalanced [Page 5 and [")]);
    }
}
