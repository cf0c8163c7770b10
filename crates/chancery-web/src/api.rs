//! The JSON API under `/api`: search, documents, volumes, pages, persons, and its OpenAPI
//! description. Errors are `{"error": "..."}` with a 4xx or 5xx status.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::error::WebError;
use crate::pages::{
    check_id, load_document, load_document_links, page_documents, path_error, person_data,
};
use crate::params::{self, SearchParams};
use crate::render::segment;
use crate::AppState;

type St = State<Arc<AppState>>;
type ApiResult = Result<Response, WebError>;

/// The hand-written OpenAPI 3 description of the API.
const OPENAPI: &str = include_str!("../static/openapi.json");

/// The API's routes (state still to be given).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/openapi.json", get(openapi))
        .route("/health", get(crate::admin::health))
        .route("/admin/sync", axum::routing::post(crate::admin::sync))
        .route("/admin/reindex", axum::routing::post(crate::admin::reindex))
        .route("/search", get(search))
        .route("/volumes", get(volumes))
        .route("/volumes/{volume}", get(volume))
        .route("/documents/{volume}/{id}", get(document))
        .route("/documents/{volume}/{id}/links", get(document_links))
        .route("/pages/{volume}/{page}", get(page))
        .route("/persons", get(persons))
        .route("/persons/{id}", get(person))
        .route("/people", get(crate::people::api_index))
        .route("/people/{id}", get(crate::people::api_page))
        .fallback(not_found)
}

async fn index() -> Json<serde_json::Value> {
    Json(json!({
        "openapi": "/api/openapi.json",
        "endpoints": [
            "/api/health", "/api/search", "/api/volumes", "/api/volumes/{volume}",
            "/api/documents/{volume}/{id}", "/api/documents/{volume}/{id}/links",
            "/api/pages/{volume}/{page}",
            "/api/persons", "/api/persons/{id}", "/api/people?q=NAME", "/api/people/{id}"
        ]
    }))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> WebError {
    WebError::not_found("no such API endpoint; see /api/openapi.json")
}

async fn search(State(state): St, RawQuery(raw): RawQuery) -> ApiResult {
    let p: SearchParams = params::parse::<SearchParams>(raw.as_deref())?.normalized();
    let req = p.request(true)?;
    let (offset, limit) = (req.offset, req.limit);
    let results = state.search(req).await?;
    let next = (offset + results.hits.len() < results.total
        && offset + limit <= chancery_archive::MAX_OFFSET)
        .then(|| {
            let mut q = p.clone();
            q.offset = Some((offset + limit).to_string());
            format!("/api/search?{}", q.query_string())
        });
    let hits: Vec<serde_json::Value> = results
        .hits
        .iter()
        .map(|h| {
            let mut v = serde_json::to_value(h).unwrap_or_default();
            v["url"] = format!("/{}/{}", segment(&h.volume), segment(&h.id)).into();
            v["api"] = format!("/api/documents/{}/{}", segment(&h.volume), segment(&h.id)).into();
            v
        })
        .collect();
    Ok(Json(json!({
        "query": p,
        "total": results.total,
        "offset": offset,
        "limit": limit,
        "hits": hits,
        "facets": results.facets,
        "next": next,
    }))
    .into_response())
}

async fn volumes(State(state): St) -> ApiResult {
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    Ok(Json(&cat.summaries).into_response())
}

async fn volume(State(state): St, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let Path(volume) = path.map_err(path_error)?;
    check_id("volume", &volume)?;
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    let info = cat
        .volume(&volume)
        .ok_or_else(|| WebError::not_found(format!("there is no volume '{volume}'")))?;
    Ok(Json(&info.volume).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FormatParam {
    format: Option<String>,
}

async fn document(
    State(state): St,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let Path((volume, id)) = path.map_err(path_error)?;
    check_id("volume", &volume)?;
    check_id("document", &id)?;
    let f: FormatParam = params::parse(raw.as_deref())?;
    let text = match f.format.as_deref() {
        None | Some("json") => false,
        Some("text") => true,
        Some("tei") => {
            let tei = crate::pages::load_tei(&state, volume, id).await?;
            return Ok((
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                tei,
            )
                .into_response());
        }
        Some(other) => {
            return Err(WebError::bad_request(format!(
                "format must be json, text or tei, not '{}'",
                other.chars().take(40).collect::<String>()
            )))
        }
    };
    let (doc, _) = load_document(&state, volume, id).await?;
    Ok(if text {
        (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            chancery_text::write(&doc),
        )
            .into_response()
    } else {
        Json(&doc).into_response()
    })
}

/// `/api/documents/{volume}/{id}/links`: citations (resolved), referenced-by, thread.
async fn document_links(
    State(state): St,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult {
    let Path((volume, id)) = path.map_err(path_error)?;
    check_id("volume", &volume)?;
    check_id("document", &id)?;
    let (doc, _, links) = load_document_links(&state, volume, id).await?;
    let key = doc.key();
    Ok(Json(json!({
        "key": key,
        "message": doc.message,
        "people": doc.people,
        "citations": links.citations,
        "cited_by": links.cited_by,
        "answers": links.thread.answers,
        "answered_by": links.thread.answered_by,
    }))
    .into_response())
}

async fn page(State(state): St, path: Result<Path<(String, String)>, PathRejection>) -> ApiResult {
    let Path((volume, page)) = path.map_err(path_error)?;
    check_id("volume", &volume)?;
    let page = page.strip_prefix("pg_").unwrap_or(&page).to_string();
    let (_, docs) = page_documents(&state, volume.clone(), page.clone()).await?;
    let v = segment(&volume);
    let documents: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "n": d.n, "heading": d.head, "date": d.date,
                "url": format!("/{v}/{}#pg_{}", segment(&d.id), segment(&page)),
                "api": format!("/api/documents/{v}/{}", segment(&d.id)),
            })
        })
        .collect();
    Ok(Json(json!({ "volume": volume, "page": page, "documents": documents })).into_response())
}

async fn persons(State(state): St) -> ApiResult {
    let cat = state.blocking(|s| s.catalog.get(&s.archive)).await?;
    Ok(Json(&cat.persons).into_response())
}

async fn person(State(state): St, path: Result<Path<String>, PathRejection>) -> ApiResult {
    let Path(slug) = path.map_err(path_error)?;
    let (name, volumes) = person_data(&state, slug.clone()).await?;
    Ok(Json(json!({ "id": slug, "name": name, "volumes": volumes })).into_response())
}
