//! File numbers over the real FRUS volumes in the shared corpus (`$CHANCERY_CORPUS/frus/`).
//!
//! Every volume there is read, not a fixed list. Two measures per volume are printed (run with
//! `--nocapture`): the share of source notes in which a file number parsed (from the raw
//! `note type="source"` texts, read here by plain string scanning, independent of the TEI
//! reader), and the share whose numbers were decoded once the TEI reader and [`enrich`] have
//! run with each document's own date.

use std::path::{Path, PathBuf};

use chancery_enrich::{enrich, parse};

fn volumes() -> Option<Vec<PathBuf>> {
    let corpus = chancery_testdata::corpus()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("frus"))
        .expect("corpus frus/ folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no volumes in the corpus");
    Some(files)
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// The plain text of every `<note … type="source" …>` in a TEI file, tags stripped, entities
/// decoded, white space collapsed.
fn source_notes(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<note") {
        let tag_end = at + rest[at..].find('>').expect("note tag ends");
        let tag = &rest[at..=tag_end];
        rest = &rest[tag_end + 1..];
        if !(tag.contains("type=\"source\"") || tag.contains("type='source'"))
            || tag.ends_with("/>")
        {
            continue;
        }
        let mut depth = 1;
        let mut pos = 0;
        while depth > 0 {
            let next_open = rest[pos..].find("<note").map(|p| p + pos);
            let next_close = rest[pos..].find("</note>").expect("note closes") + pos;
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    pos = o + 5;
                }
                _ => {
                    depth -= 1;
                    pos = next_close + 7;
                }
            }
        }
        out.push(plain(&rest[..pos - 7]));
        rest = &rest[pos..];
    }
    out
}

fn plain(xml: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let Some(semi) = rest[amp..].find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[amp + 1..];
            continue;
        };
        let name = &rest[amp + 1..amp + semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[amp..=amp + semi]),
        }
        rest = &rest[amp + semi + 1..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

#[test]
fn source_notes_yield_file_numbers() {
    let Some(files) = volumes() else { return };
    for path in files {
        let volume = stem(&path);
        let xml = std::fs::read_to_string(&path).expect("volume is UTF-8");
        let notes = source_notes(&xml);
        let mut with_number = 0;
        let mut numbers = 0;
        let mut without = Vec::new();
        for note in &notes {
            let found = parse(note);
            for f in &found {
                assert!(note.contains(&f.text), "{volume}: {f:?} not in {note:?}");
                assert!(
                    !f.key.is_empty() && !f.key.contains(['–', '—']),
                    "{volume}: {f:?}"
                );
            }
            numbers += found.len();
            if found.is_empty() {
                without.push(note.as_str());
            } else {
                with_number += 1;
            }
        }
        println!(
            "{volume}: {} source notes, {with_number} with a file number ({:.1}%), {numbers} numbers",
            notes.len(),
            share(with_number, notes.len()),
        );
        for note in without.iter().take(5) {
            println!(
                "  no file number: {}",
                note.chars().take(120).collect::<String>()
            );
        }
        match volume.as_str() {
            // Every 1936 source note is a decimal-file number.
            "frus1936v03" => {
                assert_eq!(notes.len(), 586);
                assert!(
                    share(with_number, notes.len()) >= 99.0,
                    "{with_number}/{} parsed",
                    notes.len()
                );
            }
            // The Guatemala volume cites CIA jobs, boxes and folders, never a State file.
            "frus1952-54Guat" => {
                assert_eq!(notes.len(), 273);
                assert_eq!(numbers, 0, "false file numbers in {volume}");
            }
            _ => {}
        }
    }
}

#[test]
fn enriched_volumes_are_decoded_with_their_own_schedule() {
    let Some(files) = volumes() else { return };
    for path in files {
        let volume = stem(&path);
        let bytes = std::fs::read(&path).expect("volume");
        let reading = chancery_tei::read(&bytes, &volume).expect("volume reads");
        let (mut notes, mut parsed, mut decoded, mut kinds) = (0, 0, 0, 0);
        let mut undecoded = Vec::new();
        let mut kindless = Vec::new();
        for mut doc in reading.documents {
            enrich(&mut doc);
            match &doc.kind {
                Some(_) => kinds += 1,
                None => kindless.push(doc.paper.heading.as_ref().map(|h| h.text.clone())),
            }
            let papers = std::iter::once(&doc.paper).chain(doc.paper.attachments());
            for note in papers.filter_map(|p| p.source_note.as_ref()) {
                notes += 1;
                if note.file_numbers.is_empty() {
                    continue;
                }
                parsed += 1;
                if note.file_numbers.iter().all(|f| !f.gloss.is_empty()) {
                    decoded += 1;
                } else {
                    undecoded.push(format!("{} ({:?})", note.text, doc.dates.min));
                }
            }
        }
        println!(
            "{volume}: {notes} source notes, {parsed} parsed ({:.1}%), {decoded} decoded ({:.1}% of \
             notes, {:.1}% of parsed); {kinds} documents with a kind",
            share(parsed, notes),
            share(decoded, notes),
            share(decoded, parsed),
        );
        for u in undecoded.iter().take(5) {
            println!("  not decoded: {u}");
        }
        for h in kindless.iter().take(5) {
            println!("  no kind: {h:?}");
        }
        if volume == "frus1936v03" {
            assert!(share(parsed, notes) >= 99.0);
            // 1936 is governed by the 1910–1949 schedule, whose classes cover every number.
            assert!(share(decoded, parsed) >= 99.0, "{decoded}/{parsed} decoded");
            assert!(kinds >= 500, "{kinds} kinds");
        }
    }
}
