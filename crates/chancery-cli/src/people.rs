//! `chancery people NAME`: people of the directory by name, with their posts and documents.

use std::process::ExitCode;

use anyhow::{Context, Result};
use chancery_archive::{Archive, SearchRequest, Sort};

use crate::output;

/// Arguments of `chancery people`.
#[derive(clap::Args)]
pub struct PeopleArgs {
    /// A name or part of one (`Henderson`, `Loy W. Henderson`), or a person id
    /// (`henderson-loy-wesley`)
    name: String,
    /// People to list at most
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Runs `chancery people`.
pub fn run(archive: &Archive, args: &PeopleArgs) -> Result<ExitCode> {
    let (directory, _) = archive.people()?.context(
        "this archive has no people directory: ingest ../shared/corpus/hsg/people and ../shared/corpus/hsg/pocom",
    )?;
    // A person id names one person; a name, those of the directory named like it, the people
    // this archive has documents of first.
    let found: Vec<&chancery_people::Person> = match directory.get(args.name.trim()) {
        Some(p) => vec![p],
        None => archive
            .find_people(&directory, &args.name, args.limit)?
            .into_iter()
            .map(|(p, _)| p)
            .collect(),
    };
    let mut rows = Vec::with_capacity(found.len());
    for p in &found {
        let docs = archive.search(&SearchRequest {
            person: Some(p.id.clone()),
            sort: Sort::Date,
            limit: 5,
            ..SearchRequest::default()
        })?;
        rows.push((p, docs));
    }
    if args.json {
        let out: Vec<serde_json::Value> = rows
            .iter()
            .map(|(p, docs)| {
                serde_json::json!({
                    "person": p,
                    "documents": docs.total,
                    "first_documents": docs.hits.iter().map(|h| &h.key).collect::<Vec<_>>(),
                })
            })
            .collect();
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!(
            "No one in the directory is named like '{}'; try the surname alone.",
            args.name
        );
        return Ok(ExitCode::from(1));
    }
    for (p, docs) in &rows {
        let years = p.years().map(|y| format!(" ({y})")).unwrap_or_default();
        println!("{}{years}  [{}]", p.name, p.id);
        for post in &p.posts {
            println!(
                "    {} — {}, {} to {}",
                post.title,
                post.at,
                post.started
                    .as_deref()
                    .or(post.appointed.as_deref())
                    .unwrap_or("?"),
                post.ended.as_deref().unwrap_or("?")
            );
        }
        if docs.total > 0 {
            println!("    {} documents in this archive, first:", docs.total);
            for h in &docs.hits {
                let date = h
                    .date
                    .as_deref()
                    .map_or("undated", |d| &d[..d.len().min(10)]);
                println!("      {}  {date}  {}", h.key, h.heading);
            }
        }
        println!();
    }
    println!("Search a person's documents with `chancery search --person ID`.");
    Ok(ExitCode::SUCCESS)
}
