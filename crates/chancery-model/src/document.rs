//! Documents and the papers they carry: the document itself and its enclosures.

use serde::{Deserialize, Serialize};

use crate::links::{Citation, MessageId, MessageRef, PersonRef};
use crate::node::{DateNode, MentionKind, Node};

/// One document of a volume: a despatch, telegram, memorandum, letter …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The volume's id (`frus1936v03`).
    pub volume: String,
    /// The document's id within its volume (`d1`).
    pub id: String,
    /// The document number as printed (`1`, `[3]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// The TEI `subtype` (`historical-document`, `editorial-note` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// What kind of paper this is: `telegram`, `despatch`, `memorandum`, `letter` … when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The earliest and latest moment the document can date from.
    #[serde(default)]
    pub dates: DateBounds,
    /// Where it was written, from the dateline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The chapters and compilations that contain it, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapter: Vec<Crumb>,
    /// The printed page on which the document begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<String>,
    /// The document's own paper: heading, opener, body, closer, and enclosures in its content.
    pub paper: Paper,
    /// The message's place in its numbered series (`No. 971` from the Embassy in Moscow), when
    /// its heading and number tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageId>,
    /// The FRUS volumes, pages and documents it cites, in reading order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// The earlier messages it refers to by number, in reading order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageRef>,
    /// The people it involves (senders, addressees, persons named), by cross-volume id, each
    /// person and role once, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonRef>,
}

impl Document {
    /// The archive-wide key: `volume/id`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.volume, self.id)
    }
}

/// A step in a document's chapter path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    /// The division's id (`ch1`, `comp1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its heading, as plain text.
    pub head: String,
}

/// A paper: a document's own text or one of its enclosures, with its parts recognised.
///
/// `content` holds everything in reading order; the other fields are what the reader
/// recognised in it, as plain text, for search, display and linking.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Paper {
    /// An enclosure's label line: `[Enclosure 1—Translation]`, `[Inclosure in No. 2.]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The source note: where the original is filed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_note: Option<SourceNote>,
    /// The heading with its senders and addressees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<Heading>,
    /// The despatch, instruction or telegram number (`971` from `No. 971`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Place, date and receipt line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<Dateline>,
    /// The salutation (`Sir`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    /// The complimentary close (`Respectfully yours,`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closer: Option<String>,
    /// The signatures (`Loy W. Henderson`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed: Vec<String>,
    /// Everything, in reading order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Node>,
}

impl Paper {
    /// The enclosures directly inside this paper, in order.
    pub fn attachments(&self) -> Vec<&Paper> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Paper>) {
            for n in nodes {
                match n {
                    Node::Attachment(p) => out.push(p),
                    other => walk(other.children(), out),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.content, &mut out);
        out
    }
}

/// A source note and what was recognised in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceNote {
    /// The note as plain text (`861.00B/680`, `793.94/11936: Telegram`).
    pub text: String,
    /// The State Department file numbers in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_numbers: Vec<FileNumber>,
    /// The channel, when the note names one (`Telegram`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// A State Department file number, exactly as written and as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileNumber {
    /// Exactly as written: `751G.5–MSP/1–2458`.
    pub text: String,
    /// The subject key before the slash, dashes normalised: `751G.5-MSP`, `POL 27 VIET S`.
    pub key: String,
    /// The item after the slash: `680`, `287½`, `1-2458`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// What the key means, broadest first (class, country, subject), when decoded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gloss: Vec<String>,
}

/// A heading and the people and offices in it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Heading {
    /// The heading as plain text.
    pub text: String,
    /// Who sent it (`persName`/`gloss type="from"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub senders: Vec<Name>,
    /// To whom (`persName`/`gloss type="to"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addressees: Vec<Name>,
}

/// A name as written, with what it links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The name as written (`Henderson`, `Secretary of State`).
    pub text: String,
    /// Person, office (gloss), organisation …
    pub kind: MentionKind,
    /// The persons- or terms-list entry it links to (`#p_THS1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The office held, when the heading gives one (`Chargé in the Soviet Union`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// The cross-volume person id (`henderson-loy-wesley`), when the name was linked to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// A dateline: place, date and the `[Received …]` line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dateline {
    /// The whole dateline as plain text.
    pub text: String,
    /// The place (`Moscow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The date, with its attributes; its `children` hold the date as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateNode>,
    /// The receipt line (`Received March 7.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<String>,
}

/// Where a document's date bounds come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The volume's `frus:doc-dateTime-min/max` attributes.
    Attributes,
    /// The dateline's `date` element or text.
    Dateline,
    /// Inferred from citations or neighbours.
    Inferred,
}

/// The earliest and latest moment a document can date from, as ISO 8601 strings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateBounds {
    /// Earliest (`1936-02-13`, `1894-02-09T00:00:00-05:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// Where the bounds come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DateSource>,
    /// Why the dateline gives no date, when it says why (`undated`, `impossible date:
    /// February 30`); the dateline itself stays as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}
