//! The Chancery web reader and JSON API.
//!
//! [`serve`] runs an HTTP server over an open [`Archive`]: server-rendered pages for reading
//! (home, search, documents, volumes, printed pages, persons) and a read-only JSON API under
//! `/api` described by `/api/openapi.json`. [`router`] builds the same service without binding,
//! for embedding and tests.
//!
//! Every text from the archive is escaped (minijinja auto-escaping and the node renderer's own
//! escaping); responses carry a Content-Security-Policy and an ETag; bad input gets a 4xx with a
//! message; archive work runs on the blocking pool, bounded in concurrency and time.

mod admin;
mod api;
mod catalog;
mod cite;
mod error;
mod middleware;
mod pages;
mod params;
mod people;
mod render;
mod templates;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use chancery_archive::Archive;
use tower_http::cors::CorsLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::WebError;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The longest one request may take; slower ones get `503 Service Unavailable`.
    pub timeout: Duration,
    /// The most requests handled at once; more wait their turn.
    pub max_concurrency: usize,
    /// The most archive searches run at once (each holds a blocking thread).
    pub max_searches: usize,
    /// Threads for archive work (searches, documents) in [`serve_blocking`]; more requests
    /// wait their turn. Few threads keep memory flat: each thread that allocates keeps its own
    /// allocator pages.
    pub blocking_threads: usize,
    /// The public base URL used in citations and permalinks (`https://frus.example.org`);
    /// when `None`, built from the request's `Host` header.
    pub base_url: Option<String>,
    /// The site name shown in the header and titles.
    pub site_name: String,
    /// The token that opens the admin endpoints (`/api/admin/…`); without one the server is
    /// read-only.
    pub admin_token: Option<String>,
    /// Whether to keep search results and rendered pages for the next asker (on by default;
    /// off, every request does all its work, which is what a benchmark of that work wants).
    pub cache: bool,
    /// How often [`serve`] brings the folder up to date with its database (or with another
    /// process's ingest); `None`: never.
    pub follow_every: Option<Duration>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeOptions {
            timeout: Duration::from_secs(10),
            max_concurrency: 512,
            max_searches: (cores * 2).max(2),
            blocking_threads: (cores * 4).max(8),
            base_url: None,
            site_name: "Chancery".to_string(),
            admin_token: None,
            cache: true,
            follow_every: Some(Duration::from_millis(500)),
        }
    }
}

/// The shared state of the handlers.
pub(crate) struct AppState {
    pub archive: Arc<Archive>,
    pub options: ServeOptions,
    pub catalog: catalog::Cache,
    pub rendered: catalog::Rendered,
    pub search_pages: catalog::Rendered,
    pub searched: catalog::Searches,
    pub searches: tokio::sync::Semaphore,
}

impl AppState {
    /// Runs `f` on the blocking pool.
    pub async fn blocking<T, F>(self: &Arc<Self>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, WebError> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(|e| WebError::internal(format!("worker failed: {e}")))?
    }

    /// Runs a search on the blocking pool, at most `max_searches` at once; the results of a
    /// search asked for again while the index is unchanged come from `searched`.
    pub async fn search(
        self: &Arc<Self>,
        req: chancery_archive::SearchRequest,
    ) -> Result<Arc<chancery_archive::SearchResults>, WebError> {
        let generation = self.archive.index_generation();
        if let Some(found) = self
            .options
            .cache
            .then(|| self.searched.get(&req, generation))
            .flatten()
        {
            return Ok(found);
        }
        let _permit = self
            .searches
            .acquire()
            .await
            .map_err(|_| WebError::unavailable())?;
        self.blocking(move |s| {
            let found = Arc::new(s.archive.search(&req)?);
            if s.options.cache {
                s.searched.put(req, generation, Arc::clone(&found));
            }
            Ok(found)
        })
        .await
    }
}

/// The Content-Security-Policy sent with every response: own scripts and styles only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Builds the web service over `archive`: pages, static files and `/api`.
pub fn router(archive: Arc<Archive>, options: ServeOptions) -> Router {
    let state = Arc::new(AppState {
        archive,
        catalog: catalog::Cache::default(),
        rendered: catalog::Rendered::default(),
        search_pages: catalog::Rendered::bounded(catalog::SEARCH_PAGES_MAX),
        searched: catalog::Searches::default(),
        searches: tokio::sync::Semaphore::new(options.max_searches.max(1)),
        options,
    });
    let timeout = state.options.timeout;
    let concurrency = state.options.max_concurrency.max(1);

    let api = api::routes()
        .layer(
            CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]),
        )
        .with_state(Arc::clone(&state));

    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/persons", get(pages::persons))
        .route("/persons/{id}", get(pages::person))
        .route("/people", get(people::index))
        .route("/people/{id}", get(people::page))
        .route("/static/{file}", get(pages::static_file))
        .route("/{volume}", get(pages::volume))
        .route("/{volume}/{item}", get(pages::item))
        .route("/{volume}/{item}/{form}", get(pages::document_form))
        .fallback(pages::not_found)
        .with_state(state)
        .nest("/api", api)
        .layer(axum::middleware::from_fn(middleware::etag))
        .layer(axum::middleware::from_fn(middleware::reject_bad_uri))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(concurrency))
}

/// Serves the reader and API over `archive` on `addr` until Ctrl-C (or SIGTERM).
pub async fn serve(
    archive: Arc<Archive>,
    addr: SocketAddr,
    options: ServeOptions,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "serving");
    if let Some(every) = options.follow_every {
        // Follows the database, or another process's ingest, while the archive lives.
        Archive::follow(&archive, every)?;
    }
    axum::serve(listener, router(archive, options))
        .with_graceful_shutdown(shutdown())
        .await
}

/// [`serve`] on a new multi-threaded tokio runtime, for callers without one (the CLI).
pub fn serve_blocking(
    archive: Arc<Archive>,
    addr: SocketAddr,
    options: ServeOptions,
) -> std::io::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(options.blocking_threads.max(1))
        .enable_all()
        .build()?
        .block_on(serve(archive, addr, options))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
