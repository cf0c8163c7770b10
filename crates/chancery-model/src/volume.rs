//! Volumes: titles, editors, the chapter tree, and the persons and terms lists.

use serde::{Deserialize, Serialize};

/// A volume: a FRUS volume, another TEI file, or a collection of plain-text documents.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Volume {
    /// The volume id (`frus1936v03`).
    pub id: String,
    /// Its titles.
    #[serde(default)]
    pub titles: Titles,
    /// Its editors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<Editor>,
    /// The year of publication, as printed (`1953`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The chapters, compilations and documents, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<TocEntry>,
    /// The persons list (`div xml:id="persons"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Entry>,
    /// The terms and abbreviations list (`div xml:id="terms"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Entry>,
}

impl Volume {
    /// The best title to show: the complete title, else the volume title, else the id.
    pub fn display_title(&self) -> &str {
        self.titles
            .complete
            .as_deref()
            .or(self.titles.volume.as_deref())
            .unwrap_or(&self.id)
    }
}

/// The titles of a volume (`title type=…` in the TEI header).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Titles {
    /// `complete`: the full title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete: Option<String>,
    /// `series`: Foreign Relations of the United States …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// `subseries`: the years (`1936`, `1952–1954`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subseries: Option<String>,
    /// `volumenumber`: `Volume III`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_number: Option<String>,
    /// `volume`: the volume's own title (`The Near East and Africa`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// `short`: a short title, where one is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
}

/// An editor of a volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editor {
    /// The editor's name.
    pub name: String,
    /// Their role (`primary`, `general`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// An entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum TocEntry {
    /// A compilation, chapter or section with its own entries.
    Division {
        /// The division's id (`ch1`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The TEI div type (`compilation`, `chapter`, `section`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        /// The heading, as plain text.
        head: String,
        /// What it contains.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        entries: Vec<TocEntry>,
    },
    /// A document.
    Document {
        /// The document's id (`d1`).
        id: String,
        /// Its number as printed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        n: Option<String>,
        /// Its heading, as plain text.
        head: String,
        /// Its earliest date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
    },
}

/// An entry of a persons or terms list: an id, the name or term, and its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's id (`p_THS1`, `t_CIA1`).
    pub id: String,
    /// The name or term as printed (`Truman, Harry S.`, `CIA`).
    pub name: String,
    /// What the editors say of it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The cross-volume person id (`henderson-loy-wesley`), for persons-list entries linked
    /// to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}
