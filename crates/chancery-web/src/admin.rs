//! Health and administration: `/api/health` for load balancers, and the few writing
//! endpoints, which answer only to the configured admin token (the server is read-only without
//! one).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::WebError;
use crate::AppState;

type St = State<Arc<AppState>>;

/// `/api/health`: whether this node is ready to serve and how far behind its database it is;
/// `200` when ready, `503` when not (still building its index, or never synced).
pub async fn health(State(state): St) -> Response {
    let status = state.archive.sync_status();
    let code = if status.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "ready": status.ready,
        "status": status,
        "index_generation": state.archive.index_generation(),
    });
    (code, Json(body)).into_response()
}

/// Checks the `Authorization: Bearer TOKEN` header against the configured admin token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), WebError> {
    let Some(token) = state.options.admin_token.as_deref() else {
        return Err(WebError::forbidden(
            "this server is read-only: configure admin_token (or CHANCERY_ADMIN_TOKEN) to allow administration",
        ));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compared in constant time, so the token cannot be guessed byte by byte.
    let same = given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(WebError::unauthorized(
            "admin endpoints need the header 'Authorization: Bearer <admin token>'",
        ))
    }
}

/// `POST /api/admin/sync`: brings the node up to date with its database now.
pub async fn sync(State(state): St, headers: HeaderMap) -> Result<Response, WebError> {
    authorize(&state, &headers)?;
    let report = state.blocking(|s| Ok(s.archive.sync()?)).await?;
    Ok(Json(report).into_response())
}

/// `POST /api/admin/reindex`: rebuilds the node's full-text index from its catalog.
pub async fn reindex(State(state): St, headers: HeaderMap) -> Result<Response, WebError> {
    authorize(&state, &headers)?;
    let documents = state.blocking(|s| Ok(s.archive.reindex()?)).await?;
    Ok(Json(serde_json::json!({ "documents": documents })).into_response())
}
