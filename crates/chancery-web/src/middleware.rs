//! Middleware: ETags with conditional GET, and early rejection of malformed URIs.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

/// The largest response body that gets an ETag (bigger ones are sent as they are).
const ETAG_MAX_BYTES: usize = 32 << 20;

/// Gives successful GET responses a strong ETag (a hash of the body) and answers a matching
/// `If-None-Match` with `304 Not Modified`.
pub async fn etag(req: Request, next: Next) -> Response {
    let conditional = req.headers().get(header::IF_NONE_MATCH).cloned();
    let is_get = req.method() == Method::GET || req.method() == Method::HEAD;
    let response = next.run(req).await;
    if !is_get || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, ETAG_MAX_BYTES).await {
        Ok(b) => b,
        Err(e) => return WebError::internal(format!("response body: {e}")).into_response(),
    };
    let hash = blake3::hash(&bytes).to_hex();
    let tag = format!("\"{}\"", &hash[..20]);
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    let matches = conditional
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == tag || t.trim() == format!("W/{tag}") || t.trim() == "*")
        });
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The longest path and query accepted, in bytes.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Rejects URIs that are too long, whose percent-escapes do not decode to UTF-8, or whose path
/// climbs out with `..`: `400` (`414` for length) with a message, in JSON under `/api` and as
/// a page elsewhere.
pub async fn reject_bad_uri(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let path = uri.path();
    let problem = if path.len() + uri.query().map_or(0, str::len) > MAX_URI_BYTES {
        Some((
            StatusCode::URI_TOO_LONG,
            format!("the address is longer than {MAX_URI_BYTES} bytes"),
        ))
    } else if decode(path, false).is_none() {
        Some((
            StatusCode::BAD_REQUEST,
            "the path contains percent-escapes that are not UTF-8".to_string(),
        ))
    } else if uri.query().is_some_and(|q| decode(q, true).is_none()) {
        Some((
            StatusCode::BAD_REQUEST,
            "the query string contains percent-escapes that are not UTF-8".to_string(),
        ))
    } else if decode(path, false).is_some_and(|p| {
        p.split(['/', '\\'])
            .any(|seg| seg == ".." || seg == "." || seg.contains('\0'))
    }) {
        Some((
            StatusCode::BAD_REQUEST,
            "the path may not contain '.' or '..' segments".to_string(),
        ))
    } else {
        None
    };
    match problem {
        None => next.run(req).await,
        Some((status, message)) => {
            let err = WebError { status, message };
            if path.starts_with("/api") {
                err.into_response()
            } else {
                crate::pages::error_page(&err)
            }
        }
    }
}

/// Percent-decodes `s` (and `+` as space when `form`), or `None` when the bytes are not UTF-8
/// or an escape is malformed.
pub fn decode(s: &str, form: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if form => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
