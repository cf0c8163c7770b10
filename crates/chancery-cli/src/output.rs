//! Printing results for people and for programs.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;
use chancery_archive::{Archive, DocRef, Resolution, SearchRequest, SearchResults, Stats};
use chancery_model::Document;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    use std::io::Write;
    writeln!(out)?;
    Ok(())
}

/// Prints search results for a reader: id, date, heading, and a highlighted snippet.
pub fn search(req: &SearchRequest, r: &SearchResults) {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    let first = req.offset + 1;
    let last = req.offset + r.hits.len();
    if r.total == 0 {
        println!("No documents match.");
        if !req.query.is_empty() {
            println!("Try fewer words, OR between alternatives, or prefix* forms; drop filters such as --from/--to or --volume.");
        }
    } else {
        println!("{} documents match; showing {first}–{last}.\n", r.total);
    }
    for h in &r.hits {
        let date = h
            .date
            .as_deref()
            .map(|d| &d[..d.len().min(10)])
            .unwrap_or("undated");
        println!("{}  {}  {}", h.key, date, h.heading);
        if !h.source.is_empty() {
            println!("    [{}]", h.source);
        }
        let snippet = h.snippet.marked(open, close).replace('\n', " ");
        if !snippet.trim().is_empty() {
            println!("    {}", snippet.trim());
        }
        println!();
    }
    if let Some(f) = &r.facets {
        let groups = [
            ("year", &f.year),
            ("volume", &f.volume),
            ("author", &f.author),
            ("recipient", &f.recipient),
            ("kind", &f.kind),
            ("file class", &f.file),
            ("country", &f.country),
            ("person", &f.person),
        ];
        for (name, counts) in groups {
            if counts.is_empty() {
                continue;
            }
            let list: Vec<String> = counts.iter().map(|(k, n)| format!("{k} ({n})")).collect();
            println!("{name}: {}", list.join(", "));
        }
    }
}

/// Prints archive statistics.
pub fn stats(data: &Path, s: &Stats) {
    println!("archive    {}", data.display());
    println!("volumes    {}", s.volumes);
    println!("documents  {} ({} in the index)", s.documents, s.indexed);
    println!("pages      {}", s.pages);
    println!("notes      {}", s.notes);
    println!("persons    {}", s.persons);
    println!("index      {}", human_bytes(s.index_bytes));
    println!("catalog    {}", human_bytes(s.catalog_bytes));
}

/// `1.5 MB` and the like.
pub fn human_bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} kB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// Prints what a document cites, what cites it and its correspondence thread, resolved against
/// the archive (nothing when it has none of these).
pub fn links(archive: &Archive, doc: &Document) -> Result<()> {
    let citations = archive.resolve_citations(doc)?;
    let cited_by = archive.cited_by(doc)?;
    let thread = archive.thread(doc)?;
    let doc_line = |d: &DocRef| {
        let date = d
            .date
            .as_deref()
            .map_or("undated", |d| &d[..d.len().min(10)]);
        format!("  {}  {}  {}", d.key, date, d.heading)
    };
    if citations.is_empty()
        && cited_by.is_empty()
        && thread.answers.is_empty()
        && thread.answered_by.is_empty()
        && doc.message.is_none()
        && doc.people.is_empty()
        && doc.dates.source != Some(chancery_model::DateSource::Inferred)
    {
        return Ok(());
    }
    println!("\n———");
    if let Some(m) = &doc.message {
        println!("Series: {}", m.key());
    }
    if doc.dates.source == Some(chancery_model::DateSource::Inferred) {
        println!(
            "Date: inferred, {} to {}",
            doc.dates.min.as_deref().unwrap_or("?"),
            doc.dates.max.as_deref().unwrap_or("?")
        );
    }
    if !doc.people.is_empty() {
        let people: Vec<String> = doc
            .people
            .iter()
            .map(|p| format!("{} ({:?})", p.person, p.role).to_lowercase())
            .collect();
        println!("People: {}", people.join(", "));
    }
    if !citations.is_empty() {
        println!("Cites:");
        for l in &citations {
            let c = &l.citation;
            let to = match l.resolution {
                Resolution::Document | Resolution::Page => l.targets.join(", "),
                Resolution::Volume => c.volume.clone(),
                Resolution::Missing => format!(
                    "{} (not in this archive's copy of the volume)",
                    c.target_key()
                ),
                Resolution::NotInArchive => {
                    format!("{} (volume not in this archive)", c.target_key())
                }
            };
            let flag = c
                .flag
                .as_deref()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            println!("  {} → {to}{flag}", c.text);
        }
    }
    if !cited_by.is_empty() {
        println!("Referenced by:");
        for d in &cited_by {
            println!("{}", doc_line(d));
        }
    }
    if !thread.answers.is_empty() {
        println!("Refers to:");
        for a in &thread.answers {
            let to = match &a.target {
                Some(t) => t.key.clone(),
                None if a.candidates == 0 => "not in this archive".to_string(),
                None => format!(
                    "unresolved: {} candidates, none or several fit the date",
                    a.candidates
                ),
            };
            println!(
                "  {} ({}) → {to}",
                a.reference.text,
                a.reference.message.key()
            );
        }
    }
    if !thread.answered_by.is_empty() {
        println!("Answered or cited by number in:");
        for d in &thread.answered_by {
            println!("{}", doc_line(d));
        }
    }
    Ok(())
}
