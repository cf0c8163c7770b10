//! People of the directory (one identity across volumes, see `chancery_people`): `/people`
//! finds them by name, `/people/{id}` shows one with posts, FRUS entries and documents.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use minijinja::context;
use serde::{Deserialize, Serialize};

use chancery_archive::{SearchRequest, Sort};
use chancery_people::Person;

use crate::catalog::Catalog;
use crate::error::WebError;
use crate::pages::{check_id, path_error, render_html, site};
use crate::params;
use crate::render::segment;
use crate::AppState;

type St = State<Arc<AppState>>;

/// The most people a name search lists.
const MAX_FOUND: usize = 100;
/// The most documents listed on a person's page.
const MAX_DOCUMENTS: usize = 200;

#[derive(Deserialize, Default)]
#[serde(default)]
struct FindParams {
    q: String,
}

/// A person found by name, as listed.
#[derive(Serialize)]
struct Found {
    id: String,
    name: String,
    years: Option<String>,
    posts: usize,
    documents: usize,
    href: String,
}

fn directory(cat: &Catalog) -> Result<&chancery_people::Directory, WebError> {
    cat.people.as_deref().ok_or_else(|| {
        WebError::not_found(
            "this archive has no people directory: ingest hsg/people and hsg/pocom (see the README)",
        )
    })
}

async fn find(
    state: &Arc<AppState>,
    raw: Option<String>,
) -> Result<(String, Vec<Found>), WebError> {
    let p: FindParams = params::parse(raw.as_deref())?;
    if p.q.len() > 200 {
        return Err(WebError::bad_request("the name is longer than 200 bytes"));
    }
    let q = p.q.trim().to_string();
    state
        .blocking(move |s| {
            let cat = s.catalog.get(&s.archive)?;
            let dir = directory(&cat)?;
            let mut found = Vec::new();
            if !q.is_empty() {
                for (p, documents) in s.archive.find_people(dir, &q, MAX_FOUND)? {
                    found.push(Found {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        years: p.years(),
                        posts: p.posts.len(),
                        documents,
                        href: format!("/people/{}", segment(&p.id)),
                    });
                }
            }
            Ok((q, found))
        })
        .await
}

/// `/people?q=NAME`: people of the directory whose names match.
pub async fn index(State(state): St, RawQuery(raw): RawQuery) -> Result<Response, WebError> {
    let (q, found) = find(&state, raw).await?;
    Ok(render_html(
        "people.html",
        context! { site => site(&state), q, found },
    ))
}

/// `/api/people?q=NAME`.
pub async fn api_index(State(state): St, RawQuery(raw): RawQuery) -> Result<Response, WebError> {
    let (q, found) = find(&state, raw).await?;
    Ok(Json(serde_json::json!({ "q": q, "people": found })).into_response())
}

/// A person with the documents that involve them.
async fn person_data(
    state: &Arc<AppState>,
    id: String,
) -> Result<(Person, Arc<Catalog>, Arc<chancery_archive::SearchResults>), WebError> {
    check_id("person", &id)?;
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let person = directory(&cat)?.get(&id).cloned().ok_or_else(|| {
        WebError::not_found(format!("there is no person '{id}' in the directory"))
    })?;
    let results = state
        .search(SearchRequest {
            person: Some(id),
            sort: Sort::Date,
            limit: MAX_DOCUMENTS,
            facets: true,
            ..SearchRequest::default()
        })
        .await?;
    Ok((person, cat, results))
}

/// `/people/{id}`: names, years, remarks, posts, FRUS persons-list entries and documents.
pub async fn page(
    State(state): St,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let Path(id) = path.map_err(path_error)?;
    let (person, cat, results) = person_data(&state, id).await?;
    let entries: Vec<serde_json::Value> = person
        .frus
        .iter()
        .map(|e| {
            let here = cat.volume(&e.volume).is_some();
            serde_json::json!({
                "volume": e.volume,
                "entry": e.entry,
                "href": here.then(|| format!("/{}#{}", segment(&e.volume), segment(&e.entry))),
            })
        })
        .collect();
    let documents: Vec<serde_json::Value> = results
        .hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "href": format!("/{}/{}", segment(&h.volume), segment(&h.id)),
                "head": h.heading,
                "date": h.date,
                "id": h.id,
            })
        })
        .collect();
    Ok(render_html(
        "people_person.html",
        context! {
            site => site(&state),
            years => person.years(),
            person,
            entries,
            documents,
            total => results.total,
        },
    ))
}

/// `/api/people/{id}`.
pub async fn api_page(
    State(state): St,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, WebError> {
    let Path(id) = path.map_err(path_error)?;
    let (person, _, results) = person_data(&state, id).await?;
    let documents: Vec<serde_json::Value> = results
        .hits
        .iter()
        .map(|h| serde_json::json!({ "key": h.key, "heading": h.heading, "date": h.date }))
        .collect();
    Ok(Json(serde_json::json!({
        "person": person,
        "documents": documents,
        "total": results.total,
    }))
    .into_response())
}
