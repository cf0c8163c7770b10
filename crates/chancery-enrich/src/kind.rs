//! What kind of paper a document is, from the evidence it carries.

use std::sync::LazyLock;

use chancery_model::{Document, Paper};
use regex::Regex;

/// A heading's leading document number: `5. `, `No. 12. `, `[3] `.
static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:No\.\s*)?[0-9]+[A-Za-z]?\.|\[[0-9]+[A-Za-z]?\])\s*")
        .expect("numbering pattern")
});

/// Heading openings that name the kind of paper, most specific first.
const HEADINGS: [(&str, &str); 27] = [
    ("editorial note", "editorial-note"),
    ("circular telegram", "telegram"),
    ("telegram", "telegram"),
    ("cablegram", "telegram"),
    ("circular airgram", "airgram"),
    ("airgram", "airgram"),
    ("despatch", "despatch"),
    ("dispatch", "despatch"),
    ("circular instruction", "instruction"),
    ("instruction", "instruction"),
    ("memorandum", "memorandum"),
    ("letter", "letter"),
    ("note from", "note"),
    ("note by", "note"),
    ("diplomatic note", "note"),
    ("aide-mémoire", "note"),
    ("aide-memoire", "note"),
    ("report", "report"),
    ("contact report", "report"),
    ("intelligence report", "report"),
    ("national intelligence estimate", "report"),
    ("special national intelligence estimate", "report"),
    ("minutes", "other"),
    ("notes", "other"),
    ("paper", "other"),
    ("draft", "other"),
    ("study", "other"),
];

/// The kind, when the evidence names one: the TEI subtype, then the heading, then the source
/// note's channel, then a despatch number with the heading's sender.
pub(crate) fn infer(doc: &Document) -> Option<&'static str> {
    if doc.subtype.as_deref() == Some("editorial-note") {
        return Some("editorial-note");
    }
    let paper = &doc.paper;
    paper
        .heading
        .as_ref()
        .and_then(|h| from_heading(&h.text))
        .or_else(|| {
            paper
                .source_note
                .as_ref()
                .and_then(|n| n.channel.as_deref())
                .and_then(from_channel)
        })
        .or_else(|| from_number(paper))
}

/// Nouns that name a kind when they end a heading's title phrase (`Intermediate Report on …`,
/// `Special Paper Prepared in …`).
const NOUNS: [(&str, &str); 16] = [
    ("telegram", "telegram"),
    ("airgram", "airgram"),
    ("despatch", "despatch"),
    ("dispatch", "despatch"),
    ("instruction", "instruction"),
    ("memorandum", "memorandum"),
    ("letter", "letter"),
    ("aide-mémoire", "note"),
    ("report", "report"),
    ("estimate", "report"),
    ("minutes", "other"),
    ("notes", "other"),
    ("paper", "other"),
    ("chronology", "other"),
    ("study", "other"),
    ("draft", "other"),
];

/// Words that end a heading's title phrase.
const PHRASE_ENDS: [&str; 12] = [
    "from", "by", "to", "of", "on", "for", "prepared", "between", "with", "in", "at", "and",
];

/// The kind a heading names: in its opening words (`Telegram From …`, `Memorandum of
/// Conversation`) or as the last word of its title phrase (`Intermediate Report on …`), after
/// any document number.
fn from_heading(heading: &str) -> Option<&'static str> {
    let start = NUMBERING.find(heading).map_or(0, |m| m.end());
    let text = heading[start..].trim_start().to_lowercase();
    let opening = HEADINGS.iter().find_map(|&(opening, kind)| {
        let rest = text.strip_prefix(opening)?;
        (!rest.starts_with(char::is_alphanumeric)).then_some(kind)
    });
    opening.or_else(|| {
        let phrase: Vec<&str> = text
            .split_whitespace()
            .take_while(|w| !PHRASE_ENDS.contains(w))
            .collect();
        let last = phrase.last()?.trim_matches(|c: char| !c.is_alphanumeric());
        (phrase.len() <= 6)
            .then(|| {
                NOUNS
                    .iter()
                    .find(|(noun, _)| *noun == last)
                    .map(|&(_, kind)| kind)
            })
            .flatten()
    })
}

/// The kind a channel implies (`Telegram` → `telegram`).
fn from_channel(channel: &str) -> Option<&'static str> {
    let c = channel.to_lowercase();
    let has = |w: &str| c.contains(w);
    Some(if has("telegram") || has("cable") || has("radiogram") {
        "telegram"
    } else if has("airgram") {
        "airgram"
    } else if has("despatch") || has("dispatch") {
        "despatch"
    } else if has("instruction") {
        "instruction"
    } else if has("memorandum") {
        "memorandum"
    } else if has("letter") {
        "letter"
    } else if has("note") || has("aide-m") {
        "note"
    } else if has("report") {
        "report"
    } else {
        return None;
    })
}

/// A numbered paper (`No. 971`) is an instruction when the Department sends it and a despatch
/// when a post abroad does (`The Minister in Egypt (Fish) to …`, or a `[Received …]` line).
fn from_number(paper: &Paper) -> Option<&'static str> {
    paper.number.as_ref()?;
    let heading = &paper.heading.as_ref()?.text;
    let (sender, _) = heading.split_once(" to ")?;
    let dateline = paper.dateline.as_ref();
    let department = [
        "Secretary of State",
        "Department of State",
        "Under Secretary",
    ]
    .iter()
    .any(|d| sender.contains(d))
        || dateline.is_some_and(|d| d.text.trim_start().starts_with("Department of State"));
    if department {
        Some("instruction")
    } else if sender.contains(" in ")
        || sender.contains(" at ")
        || dateline.is_some_and(|d| d.received.is_some())
    {
        Some("despatch")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_model::{Dateline, Heading, SourceNote};

    fn doc(heading: &str, number: Option<&str>, channel: Option<&str>) -> Document {
        Document {
            volume: "v".into(),
            id: "d1".into(),
            n: None,
            subtype: None,
            kind: None,
            dates: Default::default(),
            place: None,
            chapter: Vec::new(),
            first_page: None,
            message: None,
            citations: Vec::new(),
            messages: Vec::new(),
            people: Vec::new(),
            paper: Paper {
                heading: Some(Heading {
                    text: heading.into(),
                    ..Heading::default()
                }),
                number: number.map(str::to_string),
                source_note: channel.map(|c| SourceNote {
                    text: String::new(),
                    file_numbers: Vec::new(),
                    channel: Some(c.into()),
                }),
                ..Paper::default()
            },
        }
    }

    #[test]
    fn headings() {
        for (heading, kind) in [
            (
                "5. Telegram From the Central Intelligence Agency to the CIA Station",
                "telegram",
            ),
            ("Memorandum of Conversation", "memorandum"),
            (
                "Memorandum by the Chief of the Division of Near Eastern Affairs (Murray)",
                "memorandum",
            ),
            (
                "12. Dispatch From Operation PBSUCCESS Headquarters",
                "despatch",
            ),
            ("Letter From the President to the Prime Minister", "letter"),
            ("Note From the British Embassy", "note"),
            ("Contact Report", "report"),
            ("Editorial Note", "editorial-note"),
            ("Notes of a Meeting", "other"),
            (
                "Minutes of a Meeting of the Operations Coordinating Board",
                "other",
            ),
            (
                "Instruction From the Department of State to All Posts",
                "instruction",
            ),
            ("Airgram From the Embassy in Guatemala", "airgram"),
            (
                "16. Intermediate Report on Military Plans for Guatemala",
                "report",
            ),
            (
                "27. Central Intelligence Agency Information Report",
                "report",
            ),
            (
                "37. Special Paper Prepared in the Division of Research",
                "other",
            ),
            (
                "22. Chronology Prepared in the Central Intelligence Agency",
                "other",
            ),
            ("National Intelligence Estimate", "report"),
        ] {
            assert_eq!(infer(&doc(heading, None, None)), Some(kind), "{heading}");
        }
        assert_eq!(infer(&doc("Notification of arrival", None, None)), None);
        assert_eq!(infer(&doc("Letters exchanged", None, None)), None);
        assert_eq!(
            infer(&doc(
                "The Secretary of State to President Roosevelt",
                None,
                None
            )),
            None
        );
        assert_eq!(
            infer(&doc("Italian Royal Decree—Law No. 754", None, None)),
            None
        );
    }

    #[test]
    fn channel_and_number() {
        let heading = "The Ambassador in France (Straus) to the Secretary of State";
        assert_eq!(
            infer(&doc(heading, None, Some("Telegram"))),
            Some("telegram")
        );
        assert_eq!(infer(&doc(heading, Some("2570"), None)), Some("despatch"));
        assert_eq!(infer(&doc(heading, None, None)), None);
        let heading = "The Secretary of State to the Chargé in France (Marriner)";
        assert_eq!(
            infer(&doc(heading, Some("1198"), None)),
            Some("instruction")
        );
        assert_eq!(
            infer(&doc(
                "The Secretary of the Navy to Mr. Gresham",
                Some("5"),
                None
            )),
            None
        );
        let mut d = doc("No. 2. Mr. Gresham to Mr. Baker.", Some("12"), None);
        d.paper.dateline = Some(Dateline {
            text: "Department of State, Washington, February 1, 1894.".into(),
            ..Dateline::default()
        });
        assert_eq!(infer(&d), Some("instruction"));
        d.subtype = Some("editorial-note".into());
        assert_eq!(infer(&d), Some("editorial-note"));
    }
}
