//! `chancery report`: what enrichment understood, volume by volume: file numbers parsed and
//! decoded, citations found and resolved, message references found and resolved, people linked.

use std::process::ExitCode;

use anyhow::Result;
use chancery_archive::{Archive, Resolution};
use chancery_model::{Document, Name, Paper};
use serde::Serialize;

use crate::output;

/// Arguments of `chancery report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Only these volumes [default: all]
    volumes: Vec<String>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Enrichment figures of one volume.
#[derive(Debug, Default, Serialize)]
struct VolumeReport {
    volume: String,
    documents: usize,
    /// Source notes (of documents and enclosures).
    source_notes: usize,
    /// Source notes with at least one file number parsed.
    file_numbers_parsed: usize,
    /// Source notes with at least one file number decoded with the tables.
    file_numbers_decoded: usize,
    /// Citations of FRUS volumes, pages and documents found (TEI refs and text).
    citations: usize,
    /// Citations that resolve to a document, page or volume of this archive.
    citations_resolved: usize,
    /// Citations flagged as doubtful (self references, absurd pages).
    citations_flagged: usize,
    /// Documents whose own series and number are known.
    messages_numbered: usize,
    /// References to earlier messages by number.
    message_refs: usize,
    /// References resolved to the document that is that message.
    message_refs_resolved: usize,
    /// Documents that inferred their date bounds.
    dates_inferred: usize,
    /// Documents still undated.
    undated: usize,
    /// Documents whose dateline says why it gives no date (`undated`, an impossible date).
    dates_flagged: usize,
    /// Senders and addressees in headings naming a person (not an office alone).
    heading_people: usize,
    /// Those linked to a person of the directory.
    heading_people_linked: usize,
    /// Persons-list entries.
    persons_list: usize,
    /// Persons-list entries linked to a person of the directory.
    persons_list_linked: usize,
}

fn source_notes(paper: &Paper, r: &mut VolumeReport) {
    if let Some(n) = &paper.source_note {
        r.source_notes += 1;
        if !n.file_numbers.is_empty() {
            r.file_numbers_parsed += 1;
        }
        if n.file_numbers.iter().any(|f| !f.gloss.is_empty()) {
            r.file_numbers_decoded += 1;
        }
    }
    for a in paper.attachments() {
        source_notes(a, r);
    }
}

fn heading_people(names: &[Name], r: &mut VolumeReport) {
    for n in names {
        if n.kind == chancery_model::MentionKind::Person {
            r.heading_people += 1;
            if n.person.is_some() {
                r.heading_people_linked += 1;
            }
        }
    }
}

fn document(archive: &Archive, d: &Document, r: &mut VolumeReport) -> Result<()> {
    r.documents += 1;
    source_notes(&d.paper, r);
    for l in archive.resolve_citations(d)? {
        r.citations += 1;
        if matches!(
            l.resolution,
            Resolution::Document | Resolution::Page | Resolution::Volume
        ) {
            r.citations_resolved += 1;
        }
        if l.citation.flag.is_some() {
            r.citations_flagged += 1;
        }
    }
    r.messages_numbered += usize::from(d.message.is_some());
    let answers = archive.answers(d)?;
    r.message_refs += answers.len();
    r.message_refs_resolved += answers.iter().filter(|a| a.target.is_some()).count();
    r.dates_flagged += usize::from(d.dates.flag.is_some());
    match d.dates.source {
        Some(chancery_model::DateSource::Inferred) => r.dates_inferred += 1,
        None if d.dates.min.is_none() && d.dates.max.is_none() => r.undated += 1,
        _ => {}
    }
    if let Some(h) = &d.paper.heading {
        heading_people(&h.senders, r);
        heading_people(&h.addressees, r);
    }
    Ok(())
}

/// Runs `chancery report`.
pub fn run(archive: &Archive, args: &ReportArgs) -> Result<ExitCode> {
    let ids: Vec<String> = if args.volumes.is_empty() {
        archive.volumes()?.into_iter().map(|v| v.id).collect()
    } else {
        args.volumes.clone()
    };
    let mut reports = Vec::with_capacity(ids.len());
    for id in &ids {
        let (Some(volume), Some(docs)) = (archive.volume(id)?, archive.volume_documents(id)?)
        else {
            anyhow::bail!("no volume '{id}' in this archive (see `chancery volumes`)");
        };
        let mut r = VolumeReport {
            volume: id.clone(),
            persons_list: volume.persons.len(),
            persons_list_linked: volume.persons.iter().filter(|e| e.person.is_some()).count(),
            ..VolumeReport::default()
        };
        for d in &docs {
            document(archive, d, &mut r)?;
        }
        reports.push(r);
    }
    if args.json {
        output::json(&reports)?;
        return Ok(ExitCode::SUCCESS);
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "–".to_string()
        } else {
            format!("{:.0} %", 100.0 * a as f64 / b as f64)
        }
    };
    for r in &reports {
        println!("{} ({} documents)", r.volume, r.documents);
        println!(
            "  file numbers   {} of {} source notes parsed ({}), {} decoded ({})",
            r.file_numbers_parsed,
            r.source_notes,
            pct(r.file_numbers_parsed, r.source_notes),
            r.file_numbers_decoded,
            pct(r.file_numbers_decoded, r.source_notes)
        );
        println!(
            "  citations      {} found, {} resolved in this archive ({}), {} flagged",
            r.citations,
            r.citations_resolved,
            pct(r.citations_resolved, r.citations),
            r.citations_flagged
        );
        println!(
            "  threads        {} documents numbered; {} references, {} resolved ({})",
            r.messages_numbered,
            r.message_refs,
            r.message_refs_resolved,
            pct(r.message_refs_resolved, r.message_refs)
        );
        println!(
            "  dates          {} inferred, {} undated, {} datelines flagged",
            r.dates_inferred, r.undated, r.dates_flagged
        );
        println!(
            "  people         {} of {} heading names linked ({}); {} of {} persons-list entries ({})",
            r.heading_people_linked,
            r.heading_people,
            pct(r.heading_people_linked, r.heading_people),
            r.persons_list_linked,
            r.persons_list,
            pct(r.persons_list_linked, r.persons_list)
        );
    }
    Ok(ExitCode::SUCCESS)
}
