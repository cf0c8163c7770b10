//! The reader's pages, rendered on the server.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chancery_model::{Document, Name};
use minijinja::context;
use serde::Serialize;

use crate::catalog::{Catalog, TocDoc};
use crate::cite::Citation;
use crate::error::WebError;
use crate::params::{self, SearchParams, PAGE_SIZE};
use crate::render::{self, segment, Renderer};
use crate::templates::{ENV, STATIC};
use crate::AppState;

type St = State<Arc<AppState>>;

/// A page error: rendered as an HTML page with its status.
pub struct PageError(WebError);

impl From<WebError> for PageError {
    fn from(e: WebError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.0)
    }
}

type PageResult = Result<Response, PageError>;

/// An HTML page for an error.
pub fn error_page(err: &WebError) -> Response {
    let title = err.status.canonical_reason().unwrap_or("Error").to_string();
    let mut r = render_html(
        "error.html",
        context! { title, status => err.status.as_u16(), message => err.message },
    );
    *r.status_mut() = err.status;
    r
}

fn render_string(name: &str, ctx: minijinja::Value) -> Result<String, WebError> {
    ENV.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| WebError::internal(format!("template {name}: {e:#}")))
}

fn html_response(html: impl Into<axum::body::Body>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html.into(),
    )
        .into_response()
}

/// A page rendered from template `name`, or a plain 500 when the template fails.
pub fn render_html(name: &str, ctx: minijinja::Value) -> Response {
    match render_string(name, ctx) {
        Ok(html) => html_response(html),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "internal error: a page template failed",
        )
            .into_response(),
    }
}

/// Checks a volume, document or person id from the path: letters, digits, `-_.`, no leading
/// dot, at most 200 bytes.
pub fn check_id(what: &str, id: &str) -> Result<(), WebError> {
    let ok = !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(WebError::bad_request(format!(
            "'{}' is not a valid {what} id (letters, digits, '-', '_' and '.' only)",
            id.chars().take(60).collect::<String>()
        )))
    }
}

/// A path rejection as a 400 with axum's message.
pub fn path_error(e: PathRejection) -> WebError {
    WebError::bad_request(format!("bad path: {}", e.body_text()))
}

/// The base URL for permalinks: the configured one or `http://HOST`.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(b) = &state.options.base_url {
        return b.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() < 256
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The site's name, as pages show it.
pub fn site(state: &AppState) -> &str {
    &state.options.site_name
}

#[derive(Serialize)]
struct VolumeRow {
    id: String,
    title: String,
    documents: u64,
    pages: u64,
    ingested_at: String,
}

fn volume_rows(cat: &Catalog) -> Vec<VolumeRow> {
    cat.summaries
        .iter()
        .map(|s| VolumeRow {
            id: s.id.clone(),
            title: s.title.clone(),
            documents: s.documents,
            pages: s.pages,
            ingested_at: s.ingested_at.clone(),
        })
        .collect()
}

/// `/`: the search box, what the archive holds, the volumes.
pub async fn home(State(state): St) -> PageResult {
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let volumes = volume_rows(&cat);
    let mut recent: Vec<&VolumeRow> = volumes.iter().collect();
    recent.sort_by(|a, b| b.ingested_at.cmp(&a.ingested_at).then(a.id.cmp(&b.id)));
    recent.truncate(5);
    let documents: u64 = volumes.iter().map(|v| v.documents).sum();
    let pages: u64 = volumes.iter().map(|v| v.pages).sum();
    let first_year = cat.years.first().map(|y| y.0.clone());
    let last_year = cat.years.last().map(|y| y.0.clone());
    Ok(render_html(
        "home.html",
        context! {
            site => site(&state),
            volumes,
            recent,
            documents,
            pages,
            persons => cat.persons.len(),
            first_year,
            last_year,
        },
    ))
}

#[derive(Serialize)]
struct FacetLink {
    label: String,
    count: u64,
    href: String,
    active: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    name: &'static str,
    title: &'static str,
    links: Vec<FacetLink>,
}

#[derive(Serialize)]
struct Loosen {
    label: String,
    href: String,
}

#[derive(Serialize)]
struct HitRow {
    href: String,
    key: String,
    heading: String,
    date: Option<String>,
    kind: Option<String>,
    volume: String,
    volume_title: String,
    source: String,
    snippet: String,
}

fn search_href(p: &SearchParams) -> String {
    let q = p.query_string();
    if q.is_empty() {
        "/search".into()
    } else {
        format!("/search?{q}")
    }
}

/// `/search`: results with facets, sort, pagination and suggestions when nothing matches.
pub async fn search(State(state): St, RawQuery(raw): RawQuery) -> PageResult {
    let p: SearchParams = params::parse::<SearchParams>(raw.as_deref())?.normalized();
    let req = p.request(false)?;
    let page = p.page_number()?;
    // The same page asked for again while neither the catalog nor the index changed: as
    // rendered before (the key holds the normalized parameters and the index generation).
    let key = format!("{}?{}", state.archive.index_generation(), p.query_string());
    if let Some(html) = state
        .catalog
        .fresh()
        .filter(|_| state.options.cache)
        .and_then(|c| state.search_pages.get(&key, c.generation))
    {
        return Ok(html_response(html));
    }
    let results = state.search(req).await?;
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let title_of = |v: &str| {
        cat.volume(v)
            .map(|i| i.volume.display_title().to_string())
            .unwrap_or_else(|| v.to_string())
    };
    let hits: Vec<HitRow> = results
        .hits
        .iter()
        .map(|h| HitRow {
            href: format!("/{}/{}", segment(&h.volume), segment(&h.id)),
            key: h.key.clone(),
            heading: h.heading.clone(),
            date: h.date.clone(),
            kind: h.kind.clone(),
            volume: h.volume.clone(),
            volume_title: title_of(&h.volume),
            source: h.source.clone(),
            snippet: render::snippet(&h.snippet),
        })
        .collect();
    let mut facets = Vec::new();
    if let Some(f) = &results.facets {
        type Setter = fn(&mut SearchParams, &str);
        type Group<'a> = (&'static str, &'static str, &'a Vec<(String, u64)>, Setter);
        let groups: [Group; 8] = [
            ("year", "Year", &f.year, |p, v| {
                p.from = Some(v.to_string());
                p.to = Some(v.to_string());
            }),
            ("volume", "Volume", &f.volume, |p, v| {
                p.volume = Some(v.to_string())
            }),
            ("kind", "Kind", &f.kind, |p, v| p.kind = Some(v.to_string())),
            ("author", "From", &f.author, |p, v| {
                p.author = Some(v.to_string())
            }),
            ("recipient", "To", &f.recipient, |p, v| {
                p.recipient = Some(v.to_string())
            }),
            ("file", "File class", &f.file, |p, v| {
                p.file = Some(v.to_string())
            }),
            ("country", "Country", &f.country, |p, v| {
                p.country = Some(v.to_string())
            }),
            ("person", "Person", &f.person, |p, v| {
                p.person = Some(v.to_string())
            }),
        ];
        for (name, title, values, set) in groups {
            let links: Vec<FacetLink> = values
                .iter()
                .filter(|(v, _)| !v.is_empty())
                .map(|(v, n)| {
                    let target = p.with(|q| set(q, v));
                    FacetLink {
                        label: if name == "volume" {
                            title_of(v)
                        } else if name == "person" {
                            cat.person_name(v)
                        } else {
                            v.clone()
                        },
                        count: *n,
                        active: target == p.clone().with(|_| {}),
                        href: search_href(&target),
                    }
                })
                .collect();
            if !links.is_empty() {
                facets.push(FacetGroup { name, title, links });
            }
        }
    }
    // What to loosen: each active filter, removable.
    let mut loosen = Vec::new();
    for (label, value, clear) in [
        (
            "volume",
            &p.volume,
            (|q: &mut SearchParams| q.volume = None) as fn(&mut SearchParams),
        ),
        ("from", &p.from, |q| q.from = None),
        ("to", &p.to, |q| q.to = None),
        ("from (sender)", &p.author, |q| q.author = None),
        ("to (addressee)", &p.recipient, |q| q.recipient = None),
        ("kind", &p.kind, |q| q.kind = None),
        ("file", &p.file, |q| q.file = None),
        ("person", &p.person, |q| q.person = None),
        ("country", &p.country, |q| q.country = None),
        ("cites", &p.cites, |q| q.cites = None),
    ] {
        if let Some(v) = value {
            loosen.push(Loosen {
                label: format!("{label}: {v}"),
                href: search_href(&p.with(clear)),
            });
        }
    }
    let words: Vec<&str> = p.q.split_whitespace().collect();
    let any_words = (results.total == 0
        && words.len() > 1
        && !p.q.contains('"')
        && !words.iter().any(|w| matches!(*w, "AND" | "OR" | "NOT")))
    .then(|| search_href(&p.with(|q| q.q = words.join(" OR "))));
    let pages = results.total.div_ceil(PAGE_SIZE);
    let last_page = pages.min(chancery_archive::MAX_OFFSET / PAGE_SIZE + 1);
    let page_href = |n: usize| search_href(&p.with(|q| q.page = Some(n.to_string())));
    let prev = (page > 1).then(|| page_href(page - 1));
    let next = (page < last_page).then(|| page_href(page + 1));
    let sort_links: Vec<(String, String, bool)> = [
        ("relevance", "Relevance"),
        ("date", "Oldest first"),
        ("date_desc", "Newest first"),
    ]
    .iter()
    .map(|(k, label)| {
        let target = p.with(|q| q.sort = Some(k.to_string()));
        let active = target.sort == p.sort;
        (label.to_string(), search_href(&target), active)
    })
    .collect();
    let first = (page - 1) * PAGE_SIZE + 1;
    let html = bytes::Bytes::from(render_string(
        "search.html",
        context! {
            site => site(&state),
            p => &p,
            total => results.total,
            hits,
            facets,
            loosen,
            any_words,
            page,
            pages,
            prev,
            next,
            first,
            last => first + results.hits.len().saturating_sub(1),
            sort_links,
            permalink => search_href(&p),
            api => format!("/api/search?{}", p.query_string()),
            volumes => volume_rows(&cat),
        },
    )?);
    if state.options.cache {
        state.search_pages.put(key, cat.generation, html.clone());
    }
    Ok(html_response(html))
}

/// The JSON 404 for `/api/...` paths that no API route took (they would otherwise be read as
/// `/VOLUME/ITEM`).
fn api_miss(volume: &str) -> Option<Response> {
    (volume == "api")
        .then(|| WebError::not_found("no such API endpoint; see /api/openapi.json").into_response())
}

/// `/VOLUME`: titles, editors, contents, persons and terms, search within.
pub async fn volume(State(state): St, path: Result<Path<String>, PathRejection>) -> PageResult {
    let Path(volume) = path.map_err(path_error)?;
    check_id("volume", &volume)?;
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let info = cat.volume(&volume).ok_or_else(|| {
        WebError::not_found(format!("there is no volume '{volume}' in this archive"))
    })?;
    let v = &info.volume;
    let summary = cat.summaries.iter().find(|s| s.id == volume);
    Ok(render_html(
        "volume.html",
        context! {
            site => site(&state),
            v => v,
            title => v.display_title(),
            documents => summary.map(|s| s.documents),
            pages => summary.map(|s| s.pages),
            person_slugs => v.persons.iter().map(|e| {
                cat.person_slug.get(&(v.id.clone(), e.id.clone())).cloned().unwrap_or_default()
            }).collect::<Vec<_>>(),
        },
    ))
}

/// `/VOLUME/ITEM`: a document, or the printed page `pg_N`.
pub async fn item(
    State(state): St,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> PageResult {
    let Path((volume, item)) = path.map_err(path_error)?;
    if let Some(r) = api_miss(&volume) {
        return Ok(r);
    }
    check_id("volume", &volume)?;
    check_id("document", &item)?;
    if let Some(page) = item.strip_prefix("pg_") {
        return printed_page(state, volume, page.to_string()).await;
    }
    let base = base_url(&state, &headers);
    let key = format!("{base}/{volume}/{item}");
    if let Some(html) = state
        .catalog
        .fresh()
        .filter(|_| state.options.cache)
        .and_then(|c| state.rendered.get(&key, c.generation))
    {
        return Ok(html_response(html));
    }
    let (doc, cat, links) = load_document_links(&state, volume, item).await?;
    let html = document_page(&state, &doc, &cat, &links, &base)?;
    if state.options.cache {
        state.rendered.put(key, cat.generation, html.clone());
    }
    Ok(html_response(html))
}

/// A document's TEI exactly as published: its `div` cut from the file its volume was read
/// from, when that file is still there unchanged.
pub async fn load_tei(
    state: &Arc<AppState>,
    volume: String,
    id: String,
) -> Result<String, WebError> {
    state
        .blocking(move |s| {
            let gone = || {
                WebError::not_found(format!(
                    "the TEI of {volume}/{id} is not available: its volume was not read from a TEI file, or the file has moved or changed since it was ingested"
                ))
            };
            let source = s.archive.volume_source(&volume)?.ok_or_else(gone)?;
            if !source.path.ends_with(".xml") {
                return Err(gone());
            }
            let bytes = std::fs::read(&source.path).map_err(|_| gone())?;
            if blake3::hash(&bytes).to_hex().as_str() != source.hash {
                return Err(gone());
            }
            let span = chancery_tei::document_span(&bytes, &id).ok_or_else(|| {
                WebError::not_found(format!("volume {volume} has no document '{id}'"))
            })?;
            Ok(String::from_utf8_lossy(&bytes[span]).into_owned())
        })
        .await
}

/// A document and the catalog, or 404 (blocking).
fn find_document(
    s: &AppState,
    volume: &str,
    id: &str,
) -> Result<(Document, Arc<Catalog>), WebError> {
    let cat = s.catalog.get(&s.archive)?;
    let doc = s
        .archive
        .document(&format!("{volume}/{id}"))?
        .ok_or_else(|| {
            WebError::not_found(if cat.volume(volume).is_some() {
                format!("volume {volume} has no document '{id}'")
            } else {
                format!("there is no volume '{volume}' in this archive")
            })
        })?;
    Ok((doc, cat))
}

/// A document and the catalog, or 404.
pub async fn load_document(
    state: &Arc<AppState>,
    volume: String,
    id: String,
) -> Result<(Document, Arc<Catalog>), WebError> {
    state
        .blocking(move |s| find_document(s, &volume, &id))
        .await
}

/// What a document cites, what cites it, and its correspondence thread, resolved against the
/// archive.
#[derive(Serialize)]
pub struct DocLinks {
    /// Its citations, each with what it resolves to.
    pub citations: Vec<chancery_archive::CitationLink>,
    /// The documents that cite it.
    pub cited_by: Vec<chancery_archive::DocRef>,
    /// The messages it answers and the documents that answer it.
    pub thread: chancery_archive::Thread,
}

/// A document, the catalog and the document's links resolved, or 404: in one trip to the
/// blocking threads.
pub async fn load_document_links(
    state: &Arc<AppState>,
    volume: String,
    id: String,
) -> Result<(Document, Arc<Catalog>, DocLinks), WebError> {
    state
        .blocking(move |s| {
            let (doc, cat) = find_document(s, &volume, &id)?;
            let links = DocLinks {
                citations: s.archive.resolve_citations(&doc)?,
                cited_by: s.archive.cited_by(&doc)?,
                thread: s.archive.thread(&doc)?,
            };
            Ok((doc, cat, links))
        })
        .await
}

/// The href of a document key (`volume/id`).
fn key_href(key: &str) -> String {
    match key.split_once('/') {
        Some((v, id)) => format!("/{}/{}", segment(v), segment(id)),
        None => format!("/{}", segment(key)),
    }
}

/// Rows for the document page's "Cites" list.
fn citation_rows(links: &DocLinks) -> Vec<serde_json::Value> {
    use chancery_archive::Resolution;
    links
        .citations
        .iter()
        .map(|l| {
            let c = &l.citation;
            let href = match l.resolution {
                Resolution::Document => l.targets.first().map(|k| key_href(k)),
                Resolution::Page => Some(format!(
                    "/{}/pg_{}",
                    segment(&c.volume),
                    segment(c.page.as_deref().unwrap_or_default())
                )),
                Resolution::Volume => Some(format!("/{}", segment(&c.volume))),
                Resolution::Missing | Resolution::NotInArchive => None,
            };
            serde_json::json!({
                "text": c.text,
                "target": c.target_key(),
                "href": href,
                "resolution": l.resolution,
                "flag": c.flag,
            })
        })
        .collect()
}

/// Rows for the document page's thread: the messages it answers.
fn answer_rows(links: &DocLinks) -> Vec<serde_json::Value> {
    links
        .thread
        .answers
        .iter()
        .map(|a| {
            serde_json::json!({
                "text": a.reference.text,
                "series": a.reference.message.key(),
                "href": a.target.as_ref().map(|t| key_href(&t.key)),
                "heading": a.target.as_ref().map(|t| t.heading.clone()),
                "candidates": a.candidates,
            })
        })
        .collect()
}

/// Rows for lists of documents (cited by, answered by).
fn doc_rows(refs: &[chancery_archive::DocRef]) -> Vec<serde_json::Value> {
    refs.iter()
        .map(|d| {
            serde_json::json!({
                "href": key_href(&d.key),
                "key": d.key,
                "heading": d.heading,
                "date": d.date,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct NameLink {
    text: String,
    office: Option<String>,
    href: Option<String>,
    title: Option<String>,
}

fn name_links(names: &[Name], volume: &str, cat: &Catalog) -> Vec<NameLink> {
    names
        .iter()
        .map(|n| {
            let entry = n
                .target
                .as_deref()
                .and_then(|t| cat.volume(volume).and_then(|i| i.entry(t)));
            let href = match &n.person {
                Some(id) => Some(format!("/people/{}", segment(id))),
                None => entry.and_then(|(e, _)| {
                    cat.person_slug
                        .get(&(volume.to_string(), e.id.clone()))
                        .map(|s| format!("/persons/{}", segment(s)))
                }),
            };
            NameLink {
                text: n.text.clone(),
                office: n.office.clone(),
                href,
                title: entry.map(|(e, _)| {
                    if e.description.is_empty() {
                        e.name.clone()
                    } else {
                        format!("{}: {}", e.name, e.description)
                    }
                }),
            }
        })
        .collect()
}

fn toc_link(volume: &str, d: &TocDoc) -> serde_json::Value {
    serde_json::json!({
        "href": format!("/{}/{}", segment(volume), segment(&d.id)),
        "head": d.head,
        "n": d.n,
        "date": d.date,
    })
}

fn document_page(
    state: &AppState,
    doc: &Document,
    cat: &Catalog,
    links: &DocLinks,
    base: &str,
) -> Result<bytes::Bytes, WebError> {
    let info = cat.volume(&doc.volume);
    let cites = citation_rows(links);
    let text_citations = links
        .citations
        .iter()
        .zip(&cites)
        .filter(|(l, _)| l.citation.origin == chancery_model::CitationOrigin::Text)
        .map(|(l, row)| {
            render::TextCitation::new(
                l.citation.text.clone(),
                row["href"].as_str().map(str::to_string),
                l.citation.target_key(),
            )
        })
        .chain(links.thread.answers.iter().filter_map(|a| {
            // Earlier messages named by number link where they are named, when found.
            let t = a.target.as_ref()?;
            Some(render::TextCitation::new(
                a.reference.text.clone(),
                Some(key_href(&t.key)),
                format!("{}: {}", t.key, t.heading),
            ))
        }))
        .collect();
    let rendered = Renderer::new(&doc.volume, cat)
        .with_citations(text_citations)
        .document(&doc.paper, doc.first_page.as_deref());
    let path = format!("/{}/{}", segment(&doc.volume), segment(&doc.id));
    let permalink = format!("{base}{path}");
    let citation = Citation {
        doc,
        volume: info.map(|i| &i.volume),
        url: permalink.clone(),
    };
    let pos = info.and_then(|i| i.doc_pos.get(&doc.id).map(|&p| (i, p)));
    let prev = pos.and_then(|(i, p)| p.checked_sub(1).map(|q| toc_link(&doc.volume, &i.docs[q])));
    let next = pos.and_then(|(i, p)| i.docs.get(p + 1).map(|d| toc_link(&doc.volume, d)));
    let heading = doc
        .paper
        .heading
        .as_ref()
        .map(|h| h.text.clone())
        .unwrap_or_else(|| doc.key());
    let (senders, addressees) = doc
        .paper
        .heading
        .as_ref()
        .map(|h| {
            (
                name_links(&h.senders, &doc.volume, cat),
                name_links(&h.addressees, &doc.volume, cat),
            )
        })
        .unwrap_or_default();
    let pages: Vec<(String, String)> = doc
        .pages()
        .into_iter()
        .map(|p| {
            let bare = p.trim_matches(|c| c == '[' || c == ']').to_string();
            (p, format!("pg_{bare}"))
        })
        .collect();
    render_string(
        "document.html",
        context! {
            site => site(state),
            doc => doc,
            path,
            heading,
            head_html => rendered.head,
            body_html => rendered.body,
            notes => rendered.notes,
            volume_title => info.map(|i| i.volume.display_title().to_string()),
            date => doc.dates.min.as_deref().map(render::long_date),
            senders,
            addressees,
            pages,
            prev,
            next,
            permalink,
            chicago => citation.chicago(),
            cites,
            cited_by => doc_rows(&links.cited_by),
            answers => answer_rows(links),
            answered_by => doc_rows(&links.thread.answered_by),
            message => doc.message.as_ref().map(|m| m.key()),
            people => doc.people.iter().map(|p| serde_json::json!({
                "id": p.person,
                "name": cat.person_name(&p.person),
                "role": p.role,
                "href": format!("/people/{}", segment(&p.person)),
            })).collect::<Vec<_>>(),
        },
    )
    .map(bytes::Bytes::from)
}

/// `/VOLUME/ID/FORM`: `json` (the model), `text`, `cite.bib`, `cite.ris`, `cite.json`.
pub async fn document_form(
    State(state): St,
    headers: HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> PageResult {
    let Path((volume, id, form)) = path.map_err(path_error)?;
    if let Some(r) = api_miss(&volume) {
        return Ok(r);
    }
    check_id("volume", &volume)?;
    check_id("document", &id)?;
    if !matches!(
        form.as_str(),
        "json" | "text" | "tei" | "cite.bib" | "cite.ris" | "cite.json"
    ) {
        return Err(WebError::not_found(format!(
            "no form '{}': use json, text, tei, cite.bib, cite.ris or cite.json",
            form.chars().take(40).collect::<String>()
        ))
        .into());
    }
    if form == "tei" {
        let tei = load_tei(&state, volume, id).await?;
        return Ok((
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            tei,
        )
            .into_response());
    }
    let base = base_url(&state, &headers);
    let (doc, cat) = load_document(&state, volume, id).await?;
    let url = format!("{base}/{}/{}", segment(&doc.volume), segment(&doc.id));
    let citation = Citation {
        doc: &doc,
        volume: cat.volume(&doc.volume).map(|i| &i.volume),
        url,
    };
    let file = format!("{}-{}", doc.volume, doc.id);
    let (ctype, body, ext) = match form.as_str() {
        "json" => (
            "application/json",
            serde_json::to_string_pretty(&doc).map_err(|e| WebError::internal(e.to_string()))?,
            None,
        ),
        "text" => (
            "text/plain; charset=utf-8",
            chancery_text::write(&doc),
            None,
        ),
        "cite.bib" => (
            "application/x-bibtex; charset=utf-8",
            citation.bibtex(),
            Some("bib"),
        ),
        "cite.ris" => (
            "application/x-research-info-systems",
            citation.ris(),
            Some("ris"),
        ),
        _ => (
            "application/vnd.citationstyles.csl+json",
            serde_json::to_string_pretty(&citation.csl())
                .map_err(|e| WebError::internal(e.to_string()))?,
            Some("json"),
        ),
    };
    let mut resp = ([(header::CONTENT_TYPE, ctype)], body).into_response();
    if let Some(ext) = ext {
        if let Ok(v) = format!("attachment; filename=\"{file}.{ext}\"").parse() {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(resp)
}

/// Checks a printed page number: letters, digits and `-`, at most 20 characters.
pub fn check_page(page: &str) -> Result<(), WebError> {
    if page.is_empty()
        || page.len() > 20
        || !page.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(WebError::bad_request(format!(
            "'{}' is not a printed page number",
            page.chars().take(40).collect::<String>()
        )));
    }
    Ok(())
}

/// The documents of a volume on printed page `page` (trying `N` and `[N]`), with headings.
pub async fn page_documents(
    state: &Arc<AppState>,
    volume: String,
    page: String,
) -> Result<(Arc<Catalog>, Vec<TocDoc>), WebError> {
    check_page(&page)?;
    state
        .blocking(move |s| {
            let cat = s.catalog.get(&s.archive)?;
            let info = cat.volume(&volume).ok_or_else(|| {
                WebError::not_found(format!("there is no volume '{volume}' in this archive"))
            })?;
            let mut ids = s.archive.documents_on_page(&volume, &page)?;
            if ids.is_empty() {
                ids = s.archive.documents_on_page(&volume, &format!("[{page}]"))?;
            }
            if ids.is_empty() {
                return Err(WebError::not_found(format!(
                    "no document of {volume} is on printed page {page}"
                )));
            }
            let docs = ids
                .into_iter()
                .map(|id| match info.doc_pos.get(&id) {
                    Some(&i) => info.docs[i].clone(),
                    None => TocDoc {
                        id,
                        n: None,
                        head: String::new(),
                        date: None,
                    },
                })
                .collect();
            Ok((Arc::clone(&cat), docs))
        })
        .await
}

async fn printed_page(state: Arc<AppState>, volume: String, page: String) -> PageResult {
    let (cat, docs) = page_documents(&state, volume.clone(), page.clone()).await?;
    let title = cat
        .volume(&volume)
        .map(|i| i.volume.display_title().to_string())
        .unwrap_or_default();
    let (prev, next) = match page.parse::<u64>() {
        Ok(n) => (
            n.checked_sub(1).filter(|&p| p > 0).map(|p| p.to_string()),
            n.checked_add(1).map(|p| p.to_string()),
        ),
        Err(_) => (None, None),
    };
    let v = segment(&volume);
    let links: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| {
            serde_json::json!({
                "href": format!("/{v}/{}#pg_{}", segment(&d.id), segment(&page)),
                "id": d.id, "n": d.n, "head": d.head, "date": d.date,
            })
        })
        .collect();
    Ok(render_html(
        "page.html",
        context! {
            site => site(&state),
            volume, title, page, docs => links,
            prev => prev.map(|p| format!("/{v}/pg_{p}")),
            next => next.map(|p| format!("/{v}/pg_{p}")),
        },
    ))
}

/// `/persons`: everyone in the volumes' persons lists.
pub async fn persons(State(state): St) -> PageResult {
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let mut groups: Vec<(String, Vec<&crate::catalog::Person>)> = Vec::new();
    for p in &cat.persons {
        let letter: String = p
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        match groups.last_mut() {
            Some((l, v)) if *l == letter => v.push(p),
            _ => groups.push((letter, vec![p])),
        }
    }
    Ok(render_html(
        "persons.html",
        context! { site => site(&state), groups, total => cat.persons.len() },
    ))
}

/// One person's documents in one volume, by role.
#[derive(Serialize)]
pub struct PersonDocs {
    /// The volume.
    pub volume: String,
    /// The volume's title.
    pub title: String,
    /// The entry id there.
    pub id: String,
    /// The description there.
    pub description: String,
    /// Documents: href, id, head, date, role (`from`, `to`, `mention`).
    pub documents: Vec<serde_json::Value>,
}

/// A person and the documents that name them.
pub async fn person_data(
    state: &Arc<AppState>,
    slug: String,
) -> Result<(String, Vec<PersonDocs>), WebError> {
    check_id("person", &slug)?;
    state
        .blocking(move |s| {
            let cat = s.catalog.get(&s.archive)?;
            let person = cat
                .person(&slug)
                .ok_or_else(|| WebError::not_found(format!("there is no person '{slug}'")))?;
            let mut out = Vec::new();
            for e in &person.entries {
                let index = cat.mentions(&s.archive, &e.volume)?;
                let info = cat.volume(&e.volume);
                let documents = index
                    .get(&e.id)
                    .map(|docs| {
                        docs.iter()
                            .map(|(id, role)| {
                                let toc = info.and_then(|i| i.doc_pos.get(id).map(|&p| &i.docs[p]));
                                serde_json::json!({
                                    "href": format!("/{}/{}", segment(&e.volume), segment(id)),
                                    "volume": e.volume,
                                    "id": id,
                                    "head": toc.map(|t| t.head.clone()),
                                    "date": toc.and_then(|t| t.date.clone()),
                                    "role": role,
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(PersonDocs {
                    volume: e.volume.clone(),
                    title: info
                        .map(|i| i.volume.display_title().to_string())
                        .unwrap_or_default(),
                    id: e.id.clone(),
                    description: e.description.clone(),
                    documents,
                });
            }
            Ok((person.name.clone(), out))
        })
        .await
}

/// `/persons/ID`: a person's descriptions and documents.
pub async fn person(State(state): St, path: Result<Path<String>, PathRejection>) -> PageResult {
    let Path(slug) = path.map_err(path_error)?;
    let (name, volumes) = person_data(&state, slug.clone()).await?;
    Ok(render_html(
        "person.html",
        context! { site => site(&state), name, slug, volumes },
    ))
}

/// `/static/FILE`: the stylesheet and script.
pub async fn static_file(path: Result<Path<String>, PathRejection>) -> PageResult {
    let Path(file) = path.map_err(path_error)?;
    let (_, ctype, body) = STATIC
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or_else(|| {
            WebError::not_found(format!(
                "no static file '{}'",
                file.chars().take(60).collect::<String>()
            ))
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, *ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        *body,
    )
        .into_response())
}

/// Anything else: 404.
pub async fn not_found() -> PageResult {
    Err(WebError::not_found("there is nothing at this address").into())
}
