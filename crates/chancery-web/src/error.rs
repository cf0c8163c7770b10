//! Errors with an HTTP status and a message for the person or program that asked.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chancery_archive::ArchiveError;

/// A failed request: a status and a message, sent as JSON `{"error": "..."}` by the API and as
/// an HTML page by the reader.
#[derive(Debug, Clone)]
pub struct WebError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in words.
    pub message: String,
}

impl WebError {
    /// `400 Bad Request`.
    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// `404 Not Found`.
    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// `401 Unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
        }
    }

    /// `403 Forbidden`.
    pub fn forbidden(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
        }
    }

    /// `500 Internal Server Error` (logged).
    pub fn internal(message: impl Into<String>) -> WebError {
        let message = message.into();
        tracing::error!(%message, "internal error");
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }

    /// `503 Service Unavailable`.
    pub fn unavailable() -> WebError {
        WebError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "the server is shutting down or overloaded; try again".into(),
        }
    }
}

impl From<ArchiveError> for WebError {
    fn from(e: ArchiveError) -> WebError {
        match e {
            ArchiveError::Query { .. } | ArchiveError::Ambiguous { .. } => {
                WebError::bad_request(e.to_string())
            }
            ArchiveError::Busy => WebError {
                status: StatusCode::CONFLICT,
                message: e.to_string(),
            },
            other => WebError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}
