//! Query-string parameters: parsed by hand so that every mistake gets a clear 400.

use chancery_archive::{SearchRequest, Sort, MAX_OFFSET, MAX_QUERY_BYTES};
use serde::{Deserialize, Serialize};

use crate::error::WebError;

/// Hits per page on the search page.
pub const PAGE_SIZE: usize = 20;
/// The most hits the API returns at once.
pub const API_MAX_LIMIT: usize = 100;
/// The longest filter value accepted, in bytes.
const MAX_FILTER_BYTES: usize = 200;

/// The search parameters shared by the search page and `/api/search`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    /// The query.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub q: String,
    /// Volume filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Earliest date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Latest date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Sender filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Addressee filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Document kind filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// File number filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Person filter (cross-volume person id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// Country filter (country of the file numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Only documents citing this volume, page or document (`frus1936v03/pg_387`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites: Option<String>,
    /// `relevance`, `date` or `date_desc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// 1-based page of results (pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Hits to return (API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// Hits to skip (API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// Whether to count facets (API; `true` or `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<String>,
}

/// Parses a query string into `T`, with a 400 for what does not fit.
pub fn parse<T: for<'de> Deserialize<'de>>(raw: Option<&str>) -> Result<T, WebError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| WebError::bad_request(format!("bad query string: {e}")))
}

fn number(name: &str, v: &Option<String>, default: usize, max: usize) -> Result<usize, WebError> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(default);
    };
    let n: u64 = s.parse().map_err(|_| {
        WebError::bad_request(format!("{name} must be a whole number, not '{}'", clip(s)))
    })?;
    if n > max as u64 {
        return Err(WebError::bad_request(format!(
            "{name} {n} is too large (at most {max})"
        )));
    }
    Ok(n as usize)
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        s.chars().take(40).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

impl SearchParams {
    /// Filters with empty values dropped, so that an empty form field means no filter.
    pub fn normalized(mut self) -> SearchParams {
        for f in [
            &mut self.volume,
            &mut self.from,
            &mut self.to,
            &mut self.author,
            &mut self.recipient,
            &mut self.kind,
            &mut self.file,
            &mut self.person,
            &mut self.country,
            &mut self.cites,
            &mut self.sort,
            &mut self.page,
            &mut self.limit,
            &mut self.offset,
            &mut self.facets,
        ] {
            if f.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *f = None;
            }
        }
        if self.sort.as_deref() == Some("relevance") {
            self.sort = None;
        }
        if self.page.as_deref() == Some("1") {
            self.page = None;
        }
        self
    }

    /// The 1-based page number.
    pub fn page_number(&self) -> Result<usize, WebError> {
        let max_page = MAX_OFFSET / PAGE_SIZE + 1;
        let p = number("page", &self.page, 1, max_page)?;
        if p == 0 {
            return Err(WebError::bad_request("page numbers start at 1"));
        }
        Ok(p)
    }

    /// The archive request for these parameters; `api` reads `limit`/`offset`, pages `page`.
    pub fn request(&self, api: bool) -> Result<SearchRequest, WebError> {
        if self.q.len() > MAX_QUERY_BYTES {
            return Err(WebError::bad_request(format!(
                "the query is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
                self.q.len()
            )));
        }
        for (name, v) in [
            ("volume", &self.volume),
            ("from", &self.from),
            ("to", &self.to),
            ("author", &self.author),
            ("recipient", &self.recipient),
            ("kind", &self.kind),
            ("file", &self.file),
            ("person", &self.person),
            ("country", &self.country),
            ("cites", &self.cites),
        ] {
            if v.as_ref().is_some_and(|v| v.len() > MAX_FILTER_BYTES) {
                return Err(WebError::bad_request(format!(
                    "{name} is longer than {MAX_FILTER_BYTES} bytes"
                )));
            }
        }
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = v {
                if chancery_model::day_key(d, false).is_none() {
                    return Err(WebError::bad_request(format!(
                        "{name} '{}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
                        clip(d)
                    )));
                }
            }
        }
        let sort = match self.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some("date_desc") | Some("date-desc") => Sort::DateDesc,
            Some(other) => {
                return Err(WebError::bad_request(format!(
                    "sort must be relevance, date or date_desc, not '{}'",
                    clip(other)
                )))
            }
        };
        let (limit, offset, facets) = if api {
            let limit = number("limit", &self.limit, 10, API_MAX_LIMIT)?;
            let offset = number("offset", &self.offset, 0, MAX_OFFSET)?;
            let facets = match self.facets.as_deref() {
                None | Some("true") | Some("1") => true,
                Some("false") | Some("0") => false,
                Some(other) => {
                    return Err(WebError::bad_request(format!(
                        "facets must be true or false, not '{}'",
                        clip(other)
                    )))
                }
            };
            (limit.max(1), offset, facets)
        } else {
            let page = self.page_number()?;
            (PAGE_SIZE, (page - 1) * PAGE_SIZE, true)
        };
        Ok(SearchRequest {
            query: self.q.clone(),
            volume: self.volume.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            author: self.author.clone(),
            recipient: self.recipient.clone(),
            file: self.file.clone(),
            kind: self.kind.clone(),
            person: self.person.clone(),
            country: self.country.clone(),
            cites: self.cites.clone(),
            sort,
            limit,
            offset,
            facets,
        })
    }

    /// The query string of these parameters (empty ones left out).
    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// A copy with `page` reset, changed by `f`.
    pub fn with(&self, f: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut p = self.clone();
        p.page = None;
        f(&mut p);
        p.normalized()
    }
}
