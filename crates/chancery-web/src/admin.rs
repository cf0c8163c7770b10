//! Health and administration: `/api/health` for load balancers, the follower loop that keeps a
//! node's folder in step with its database, and the few writing endpoints, which answer only
//! to the configured admin token (the server is read-only without one).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chancery_archive::Archive;

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

/// Follows the database (or, embedded, another process's writes) every `every`, until the
/// process ends; failures are logged once each, and reads go on from the folder meanwhile.
pub async fn follow(archive: Arc<Archive>, every: Duration) {
    let mut last_error: Option<String> = None;
    loop {
        tokio::time::sleep(every).await;
        let a = Arc::clone(&archive);
        let result = tokio::task::spawn_blocking(move || {
            let report = a.sync()?;
            a.refresh()?;
            Ok::<_, chancery_archive::ArchiveError>(report)
        })
        .await;
        match result {
            Ok(Ok(report)) => {
                if last_error.take().is_some() {
                    tracing::info!("following the database again");
                }
                if report.volumes > 0 || report.directories > 0 {
                    tracing::info!(
                        volumes = report.volumes,
                        directories = report.directories,
                        seq = report.upstream_seq,
                        "caught up"
                    );
                }
            }
            Ok(Err(e)) => {
                let msg = e.to_string();
                if last_error.as_deref() != Some(msg.as_str()) {
                    tracing::warn!(
                        "cannot follow the database: {msg}; serving from the local copy"
                    );
                    last_error = Some(msg);
                }
            }
            Err(e) => tracing::error!("the follower task failed: {e}"),
        }
    }
}
