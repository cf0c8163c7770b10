//! Citations of a document: Chicago style, BibTeX, RIS and CSL-JSON.

use chancery_model::{Document, Volume};

use crate::render::long_date;

/// What a citation needs to know.
pub struct Citation<'a> {
    /// The document.
    pub doc: &'a Document,
    /// Its volume, when in the archive.
    pub volume: Option<&'a Volume>,
    /// The document's permalink.
    pub url: String,
}

impl Citation<'_> {
    fn title(&self) -> String {
        self.doc
            .paper
            .heading
            .as_ref()
            .map(|h| h.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| self.doc.key())
    }

    fn container(&self) -> String {
        self.volume
            .map(|v| v.display_title().to_string())
            .unwrap_or_else(|| self.doc.volume.clone())
    }

    fn editors(&self) -> Vec<String> {
        self.volume
            .map(|v| v.editors.iter().map(|e| e.name.clone()).collect())
            .unwrap_or_default()
    }

    fn published(&self) -> Option<String> {
        self.volume.and_then(|v| v.published.clone())
    }

    fn date(&self) -> Option<String> {
        self.doc.dates.min.as_deref().map(long_date)
    }

    fn is_frus(&self) -> bool {
        self.doc.volume.starts_with("frus")
    }

    /// The citation in Chicago style (notes and bibliography), as plain text.
    pub fn chicago(&self) -> String {
        let mut s = format!("“{}", self.title());
        if let Some(d) = self.date() {
            s.push_str(&format!(", {d}"));
        }
        s.push_str(&format!(",” in {}", self.container()));
        let editors = self.editors();
        if !editors.is_empty() {
            s.push_str(&format!(", ed. {}", join_and(&editors)));
        }
        let place = if self.is_frus() {
            "Washington: Government Printing Office"
        } else {
            "Washington: Office of the Historian"
        };
        match self.published() {
            Some(y) => s.push_str(&format!(" ({place}, {y})")),
            None => s.push_str(&format!(" ({place})")),
        }
        if let Some(n) = &self.doc.n {
            s.push_str(&format!(", Document {n}"));
        }
        if let Some(p) = &self.doc.first_page {
            s.push_str(&format!(", p. {p}"));
        }
        s.push_str(&format!(", {}.", self.url));
        s
    }

    fn key(&self) -> String {
        self.doc
            .key()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    }

    /// A BibTeX `@incollection` entry.
    pub fn bibtex(&self) -> String {
        let mut s = format!("@incollection{{{},\n", self.key());
        let mut field = |k: &str, v: &str| {
            s.push_str(&format!("  {k} = {{{}}},\n", bib_escape(v)));
        };
        field("title", &self.title());
        field("booktitle", &self.container());
        let editors = self.editors();
        if !editors.is_empty() {
            field("editor", &editors.join(" and "));
        }
        if let Some(y) = self.published() {
            field("year", &y);
        }
        if let Some(d) = &self.doc.dates.min {
            field("date", d);
        }
        if let Some(n) = &self.doc.n {
            field("number", n);
        }
        if let Some(p) = &self.doc.first_page {
            field("pages", p);
        }
        field("url", &self.url);
        s.push_str("}\n");
        s
    }

    /// An RIS record (`TY  - CHAP`).
    pub fn ris(&self) -> String {
        let mut s = String::from("TY  - CHAP\r\n");
        let mut line = |tag: &str, v: &str| {
            let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            s.push_str(&format!("{tag}  - {v}\r\n"));
        };
        line("TI", &self.title());
        line("T2", &self.container());
        for e in self.editors() {
            line("ED", &e);
        }
        if let Some(y) = self.published() {
            line("PY", &y);
        }
        if let Some(d) = &self.doc.dates.min {
            line("DA", d);
        }
        if let Some(p) = &self.doc.first_page {
            line("SP", p);
        }
        if let Some(n) = &self.doc.n {
            line("M1", n);
        }
        line("UR", &self.url);
        s.push_str("ER  - \r\n");
        s
    }

    /// A CSL-JSON item list with one item.
    pub fn csl(&self) -> serde_json::Value {
        let mut item = serde_json::json!({
            "id": self.doc.key(),
            "type": "chapter",
            "title": self.title(),
            "container-title": self.container(),
            "URL": self.url,
        });
        let editors = self.editors();
        if !editors.is_empty() {
            item["editor"] = editors
                .iter()
                .map(|e| serde_json::json!({ "literal": e }))
                .collect();
        }
        if let Some(parts) = self.doc.dates.min.as_deref().and_then(date_parts) {
            item["issued"] = serde_json::json!({ "date-parts": [parts] });
        }
        if let Some(n) = &self.doc.n {
            item["number"] = n.clone().into();
        }
        if let Some(p) = &self.doc.first_page {
            item["page"] = p.clone().into();
        }
        serde_json::json!([item])
    }
}

fn date_parts(iso: &str) -> Option<Vec<i64>> {
    let date = iso.split('T').next()?;
    let parts: Vec<i64> = date
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (!parts.is_empty() && parts.len() <= 3).then_some(parts)
}

fn join_and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '\\' => {}
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
