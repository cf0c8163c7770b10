//! The rich-text tree: blocks, inline spans, page breaks, footnotes, references and mentions,
//! kept in document order so that every passage knows its printed page and every footnote its
//! anchor.

use serde::{Deserialize, Serialize};

use crate::Paper;

/// One node of a document's content, in reading order.
///
/// Text is kept exactly as the source has it inside mixed content; whitespace that only
/// separates block-level elements is not kept (renderers put their own separators there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Node {
    /// A run of text.
    Text {
        /// The characters, unescaped.
        text: String,
    },
    /// A block-level element: paragraph, head, list, table, quote, opener, closer …
    Block(Block),
    /// An inline span: emphasis, a segment, an editorial correction.
    Inline(Inline),
    /// A line break inside a block (`lb`).
    LineBreak,
    /// A printed page turns here (`pb`, or `[Page N]` in plain text).
    PageBreak(PageBreak),
    /// A footnote or a source note, anchored where it stands.
    Note(Note),
    /// A reference to another document, page or volume (`ref target`).
    Ref(Ref),
    /// A mention of a person, term, place or organisation.
    Mention(Mention),
    /// A date, with its machine-readable bounds.
    Date(DateNode),
    /// An enclosure or attachment (`frus:attachment`), itself a full paper.
    Attachment(Box<Paper>),
    /// An element the reader does not model: kept with its content, counted in reports.
    Other(Other),
}

impl Node {
    /// A text node.
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text { text: s.into() }
    }

    /// The child nodes of this node (empty for leaves and attachments).
    pub fn children(&self) -> &[Node] {
        match self {
            Node::Block(b) => &b.children,
            Node::Inline(i) => &i.children,
            Node::Note(n) => &n.children,
            Node::Ref(r) => &r.children,
            Node::Mention(m) => &m.children,
            Node::Date(d) => &d.children,
            Node::Other(o) => &o.children,
            Node::Text { .. } | Node::LineBreak | Node::PageBreak(_) | Node::Attachment(_) => &[],
        }
    }

    /// Whether this node starts a new block when rendered as text.
    pub fn is_block(&self) -> bool {
        matches!(self, Node::Block(_) | Node::Attachment(_))
    }
}

/// What kind of block an element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph (`p`).
    Paragraph,
    /// A heading (`head`).
    Head,
    /// The opening lines: number, dateline, salutation (`opener`).
    Opener,
    /// The closing lines: complimentary close and signature (`closer`).
    Closer,
    /// Place and date of writing (`dateline`).
    Dateline,
    /// "Sir:" and the like (`salute`).
    Salutation,
    /// A signature (`signed`).
    Signed,
    /// A postscript (`postscript`).
    Postscript,
    /// A block quotation (`quote`).
    Quote,
    /// A list (`list`).
    List,
    /// A list item (`item`).
    Item,
    /// A list label or a label line (`label`).
    Label,
    /// A table (`table`).
    Table,
    /// A table row (`row`).
    Row,
    /// A table cell (`cell`).
    Cell,
    /// A nested division inside a document (`div`).
    Division,
    /// A figure or graphic (`figure`).
    Figure,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// Which block.
    pub kind: BlockKind,
    /// Rendering hint from the source (`rend`, `rendition`, list `type`, cell `role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rend: Option<String>,
    /// Contents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// What kind of inline span an element is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InlineKind {
    /// Highlighted text: italic, small caps, underline … (`hi`).
    Emphasis,
    /// A segment with its own rendering (`seg`).
    Segment,
    /// Words in another language (`foreign`).
    Foreign,
    /// Material the editors omitted or could not read (`gap`, `[… not declassified]`).
    Gap,
    /// An editorial correction in brackets, such as `[963]` after `962`.
    Correction,
}

/// An inline span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inline {
    /// Which span.
    pub kind: InlineKind,
    /// Rendering hint (`italic`, `smallcaps`, `#left` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rend: Option<String>,
    /// Contents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A page break: the printed page `n` begins here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageBreak {
    /// The printed page number as printed, e.g. `521`, `[II]`.
    pub n: String,
    /// The anchor id, e.g. `pg_521`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The facsimile image, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facs: Option<String>,
}

impl PageBreak {
    /// The page's anchor id: the source's `xml:id`, or `pg_N` built from the number.
    pub fn anchor(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("pg_{}", self.n.trim_matches(|c| c == '[' || c == ']')))
    }
}

/// What a note is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A numbered footnote by the editors.
    Footnote,
    /// The source note: where the original is filed (`note type="source"`).
    Source,
    /// Another kind of note, by its `type`.
    Other(String),
}

/// A note anchored at its position in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Footnote, source note or another kind.
    pub kind: NoteKind,
    /// The mark printed in the volume (`15`, `*`, `†`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// The note's id (`d1fn2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Rendering hint (`inline` for source notes printed before the head).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rend: Option<String>,
    /// The note's own rich text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A reference to a document, a page or a volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ref {
    /// The target as written: `frus1937v03#pg_847`, `#d12`, `#pg_377`, `frus1931-41v01`.
    pub target: String,
    /// The linked text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A person (`persName`).
    Person,
    /// An office or a term glossed by the editors (`gloss`).
    Gloss,
    /// A term (`term`).
    Term,
    /// A place (`placeName`).
    Place,
    /// An organisation (`orgName`).
    Organization,
}

/// The role a mention plays in a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The sender (`type="from"`).
    From,
    /// The addressee (`type="to"`).
    To,
}

/// A mention of a person, term, place or organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// What is mentioned.
    pub kind: MentionKind,
    /// Sender or addressee, in headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The entry it points to (`corresp`/`target`, e.g. `#p_THS1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The entry this mention defines, in persons and terms lists (`xml:id`, e.g. `p_THS1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The mention's text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A date in the text with its machine-readable attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DateNode {
    /// `@when`: the exact date or date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// `@from`: start of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `@to`: end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `@notBefore`: earliest possible date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// `@notAfter`: latest possible date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    /// The date as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// An element the reader does not model, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Other {
    /// The element's name as written (`frus:foo`, `sic`).
    pub name: String,
    /// Its content.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}
