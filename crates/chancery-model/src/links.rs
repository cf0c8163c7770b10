//! What a document says about other records: citations of FRUS volumes, pages and documents,
//! and references to earlier messages by number (correspondence threads).
//!
//! Enrichers fill these as they read the text; they hold computed targets, not archive state.
//! Whether a target is in the archive is decided when the document is shown, so adding a
//! volume later resolves citations made to it without touching the citing documents.

use serde::{Deserialize, Serialize};

/// A citation of another FRUS volume, page or document, as written and as understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Exactly as written (`Foreign Relations, 1919, Russia, pp. 750 ff.`, `#pg_377`).
    pub text: String,
    /// Where it was found.
    pub origin: CitationOrigin,
    /// The computed id of the cited volume (`frus1919Russia`), also when it is not in the
    /// archive; the citing document's own volume for same-volume references.
    pub volume: String,
    /// The cited printed page (`750`), when the citation names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The cited document's id (`d12`), when the citation names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The id of the note it stands in (`d5fn3`), when it stands in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why the citation is doubtful (`cites itself`), when it is; kept as written all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

impl Citation {
    /// The archive key the citation points at: `VOLUME/ID`, `VOLUME/pg_N` or `VOLUME`.
    pub fn target_key(&self) -> String {
        match (&self.document, &self.page) {
            (Some(d), _) => format!("{}/{d}", self.volume),
            (None, Some(p)) => format!("{}/pg_{p}", self.volume),
            (None, None) => self.volume.clone(),
        }
    }
}

/// Where a citation was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationOrigin {
    /// A TEI `ref` element's `target`.
    Ref,
    /// Text in a note or the body (`ibid., 1919, Russia, pp. 195 ff.`).
    Text,
}

/// One numbered series of messages: who numbers them, in which direction, by which channel.
///
/// Posts number their telegrams and despatches to the Department in their own series; the
/// Department numbers its telegrams and instructions to each post in a series for that post.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Series {
    /// The post, as a lower-case country or place key (`soviet union`), never the Department.
    pub post: String,
    /// Whether the messages go from the post to the Department (`true`) or the other way.
    pub from_post: bool,
    /// `telegram`, `despatch`, `instruction`, `note` … when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl Series {
    /// A stable key for indexing: `soviet union>dept:telegram`.
    pub fn key(&self) -> String {
        let (from, to) = if self.from_post {
            (self.post.as_str(), "dept")
        } else {
            ("dept", self.post.as_str())
        };
        format!("{from}>{to}:{}", self.channel.as_deref().unwrap_or("any"))
    }
}

/// A message's place in a numbered series: the series and its number there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageId {
    /// The series.
    pub series: Series,
    /// The number as written, without `No.` (`971`, `962 [963]` keeps `962`).
    pub number: String,
}

impl MessageId {
    /// A stable key for indexing: `soviet union>dept:despatch:971`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.series.key(), self.number)
    }
}

/// A reference to an earlier message by number (`My 128, December 31, 4 p.m.`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRef {
    /// Exactly as written.
    pub text: String,
    /// The message it names, as understood.
    pub message: MessageId,
    /// The date it gives for that message, ISO 8601 (`1937-12-31`), when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The id of the note it stands in, when it stands in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A person a document involves, by cross-volume person id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonRef {
    /// The cross-volume person id (`hull-cordell`).
    pub person: String,
    /// How the document involves them.
    pub role: PersonRole,
}

/// How a document involves a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Sent it (heading sender).
    Sender,
    /// Received it (heading addressee).
    Addressee,
    /// Is named in it.
    Mentioned,
}
