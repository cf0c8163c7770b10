//! The real server on a loopback port over an archive ingested from the shared corpus, checked
//! with real HTTP.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use chancery_archive::{Archive, Source};
use chancery_model::{Block, BlockKind, Document, Heading, Node, Paper, Titles, TocEntry, Volume};
use chancery_testdata::{corpus, xml_files};

/// The base URL of the shared test server, or `None` when the corpus is absent.
fn server() -> Option<&'static str> {
    static BASE: OnceLock<Option<String>> = OnceLock::new();
    BASE.get_or_init(|| {
        let corpus = corpus()?;
        let dir = tempfile::tempdir().unwrap().keep();
        let archive = Archive::open(&dir).unwrap();
        let hsg = corpus.join("hsg");
        let (people, _) =
            chancery_people::Directory::load(Some(&hsg.join("people")), Some(&hsg.join("pocom")))
                .unwrap();
        archive.put_people(&people).unwrap();
        let mut w = archive.ingest().unwrap();
        for f in xml_files(&corpus.join("frus")) {
            put_file(&mut w, &f, &people);
        }
        let (volume, doc) = hostile();
        w.put(&volume, vec![doc], None).unwrap();
        w.commit().unwrap();
        let archive = Arc::new(archive);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let options = chancery_web::ServeOptions {
                    admin_token: Some(ADMIN_TOKEN.into()),
                    ..chancery_web::ServeOptions::default()
                };
                let app = chancery_web::router(archive, options);
                axum::serve(listener, app).await.unwrap();
            });
        });
        Some(format!("http://{addr}"))
    })
    .as_deref()
}

/// The admin token of the shared test server.
const ADMIN_TOKEN: &str = "s3cret-admin-token";

/// Reads, enriches and links a volume as `chancery ingest` does, and puts it.
fn put_file(
    w: &mut chancery_archive::Ingest<'_>,
    path: &Path,
    people: &chancery_people::Directory,
) {
    let bytes = std::fs::read(path).unwrap();
    let mut r = chancery_tei::read(&bytes, &path.file_stem().unwrap().to_string_lossy()).unwrap();
    for d in &mut r.documents {
        chancery_enrich::enrich(d);
    }
    chancery_enrich::enrich_volume(&mut r.documents);
    people.link_all(&mut r.volume, &mut r.documents);
    w.put(&r.volume, r.documents, Some(&Source::of(path, &bytes)))
        .unwrap();
}

/// A volume whose title and document heading carry markup that must show as text.
fn hostile() -> (Volume, Document) {
    let evil = "<script>alert('x')</script> & \"quotes\"";
    let volume = Volume {
        id: "evil1".into(),
        titles: Titles {
            complete: Some(format!("Volume {evil}")),
            ..Titles::default()
        },
        contents: vec![TocEntry::Document {
            id: "d1".into(),
            n: Some("1".into()),
            head: evil.into(),
            date: None,
        }],
        ..Volume::default()
    };
    let doc = Document {
        volume: "evil1".into(),
        id: "d1".into(),
        n: Some("1".into()),
        subtype: None,
        kind: None,
        dates: Default::default(),
        place: None,
        chapter: vec![],
        first_page: None,
        message: None,
        citations: vec![],
        messages: vec![],
        people: vec![],
        paper: Paper {
            heading: Some(Heading {
                text: evil.into(),
                ..Heading::default()
            }),
            content: vec![
                Node::Block(Block {
                    kind: BlockKind::Head,
                    rend: None,
                    children: vec![Node::text(evil)],
                }),
                Node::Block(Block {
                    kind: BlockKind::Paragraph,
                    rend: Some("\"><img src=x onerror=alert(1)>".into()),
                    children: vec![Node::text("<img src=x onerror=alert(1)> body")],
                }),
            ],
            ..Paper::default()
        },
    };
    (volume, doc)
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent()
}

fn get_with(base: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
    let mut req = agent().get(format!("{base}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut r = req.call().unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    Resp {
        status: r.status().as_u16(),
        headers,
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn get(base: &str, path: &str) -> Resp {
    get_with(base, path, &[])
}

fn post(base: &str, path: &str, token: Option<&str>) -> Resp {
    let mut req = agent().post(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let mut r = req.send_empty().unwrap_or_else(|e| panic!("{path}: {e}"));
    Resp {
        status: r.status().as_u16(),
        headers: Vec::new(),
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// Text of an HTML fragment with tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The element `<tag ...id="id"...>…</tag>`'s inner HTML (first match, no nesting of `tag`).
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open}"));
    let inner = &html[start..];
    let body_start = inner.find('>').unwrap() + 1;
    let end = inner.find(close).unwrap();
    &inner[body_start..end]
}

#[test]
fn document_page_shows_heading_pages_notes_and_citation() {
    let Some(base) = server() else { return };
    let r = get(base, "/frus1936v03/d1");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = &r.body;
    let h1 = strip_tags(element(html, "<h1 id=\"doc-h\"", "</h1>"));
    assert_eq!(
        h1,
        "The Secretary of State to the Chargé in France (Marriner)"
    );
    assert!(html.contains(
        "<title>The Secretary of State to the Chargé in France (Marriner) — Foreign Relations"
    ));
    // Page anchors, each linking to its printed-page view.
    for n in 1..=3 {
        assert!(
            html.contains(&format!("id=\"pg_{n}\" href=\"/frus1936v03/pg_{n}\"")),
            "pg_{n}"
        );
    }
    // Footnote 2: a mark in the text, the note at the end with a back-link, its reference
    // plainly marked as outside the archive (frus1935v01 is not in it).
    assert!(html.contains("<a class=\"fnref\" id=\"fnref-d1fn2\" href=\"#fn-d1fn2\""));
    let note = element(html, "<li id=\"fn-d1fn2\"", "</li>");
    assert_eq!(
        strip_tags(note)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        "2. Ibid., p. 563. ↩"
    );
    assert!(note
        .contains("class=\"ref ref-missing\" title=\"Not in this archive: frus1935v01#pg_563\""));
    assert!(note.contains("href=\"#fnref-d1fn2\""));
    // References: to a document of the same volume as a link, outside the archive marked.
    let d12 = get(base, "/frus1894Nicaragua/d12");
    assert!(d12
        .body
        .contains("<a class=\"ref\" href=\"/frus1894Nicaragua/d10\">"));
    let d15 = get(base, "/frus1894Nicaragua/d15");
    assert!(d15
        .body
        .contains("title=\"Not in this archive: frus1889#pg_469\""));
    // Enclosures are set apart.
    let d10 = get(base, "/frus1894Nicaragua/d10");
    assert!(d10
        .body
        .contains("<section class=\"enclosure\" aria-label=\"Enclosure\">"));
    // Source note with the file number's gloss; dateline and number.
    assert!(html.contains("90H Afghanistan"));
    assert!(html.contains("<dt>Number</dt><dd>1198</dd>"));
    assert!(html.contains("Washington, February 13, 1936."));
    // Breadcrumbs, next document, citation and downloads.
    assert!(html.contains("href=\"/frus1936v03#ch1\""));
    assert!(html.contains("rel=\"next\" id=\"next-doc\" href=\"/frus1936v03/d2\""));
    assert!(html.contains("“The Secretary of State to the Chargé in France (Marriner), February 13, 1936,” in Foreign Relations of the United States Diplomatic Papers, 1936"));
    assert!(html.contains("Document 1, p. 1, http://127.0.0.1:"));
    for form in ["cite.bib", "cite.ris", "cite.json", "text", "json"] {
        assert!(
            html.contains(&format!("href=\"/frus1936v03/d1/{form}\"")),
            "{form}"
        );
    }
    // Security headers.
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn citations_and_other_forms() {
    let Some(base) = server() else { return };
    let bib = get(base, "/frus1936v03/d1/cite.bib");
    assert_eq!(bib.status, 200);
    assert!(bib.body.starts_with("@incollection{frus1936v03_d1,"));
    assert!(bib
        .body
        .contains("title = {The Secretary of State to the Chargé in France (Marriner)}"));
    assert!(bib
        .header("content-disposition")
        .unwrap()
        .contains("frus1936v03-d1.bib"));
    let ris = get(base, "/frus1936v03/d1/cite.ris");
    assert!(ris.body.starts_with("TY  - CHAP\r\n"));
    assert!(ris.body.contains("DA  - 1936-02-13\r\n"));
    let csl = get(base, "/frus1936v03/d1/cite.json").json();
    assert_eq!(
        csl[0]["issued"]["date-parts"][0],
        serde_json::json!([1936, 2, 13])
    );
    assert_eq!(csl[0]["number"], "1");
    let text = get(base, "/frus1936v03/d1/text");
    assert!(text
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(text.body.contains("[Page 2]"));
    let json = get(base, "/frus1936v03/d1/json").json();
    assert_eq!(json["id"], "d1");
    assert_eq!(get(base, "/frus1936v03/d1/nonsense").status, 404);
    // The TEI as published, cut from the ingested file.
    let tei = get(base, "/frus1936v03/d2/tei");
    assert_eq!(tei.status, 200);
    assert!(tei
        .header("content-type")
        .unwrap()
        .starts_with("application/xml"));
    assert!(tei
        .body
        .starts_with("<div type=\"document\" xml:id=\"d2\" n=\"2\">"));
    assert!(tei
        .body
        .contains("<note rend=\"inline\" type=\"source\">711.90H/48</note>"));
    assert!(tei.body.ends_with("</div>"));
    let api = get(base, "/api/documents/frus1936v03/d2?format=tei");
    assert_eq!(api.body, tei.body);
    assert!(get(base, "/frus1936v03/d1")
        .body
        .contains("/frus1936v03/d1/tei"));
}

#[test]
fn search_page_with_facets_snippets_and_pagination() {
    let Some(base) = server() else { return };
    let r = get(base, "/search?q=Afghanistan");
    assert_eq!(r.status, 200);
    let html = &r.body;
    assert!(html.contains("href=\"/frus1936v03/d1\""));
    assert!(html.contains("href=\"/frus1936v03/d2\""));
    assert!(html.contains("<mark>Afghanistan</mark>"));
    // A facet link narrows the search, and following it keeps the query.
    let facet = "/search?q=Afghanistan&amp;kind=telegram";
    assert!(
        html.contains(&format!("href=\"{facet}\"")),
        "no kind facet link"
    );
    let narrowed = get(base, &facet.replace("&amp;", "&"));
    assert_eq!(narrowed.status, 200);
    assert!(narrowed
        .body
        .contains("<strong aria-current=\"true\">telegram</strong>"));
    assert!(
        narrowed.body.contains("href=\"/search?q=Afghanistan\""),
        "remove-filter link"
    );
    let total = |html: &str| -> usize {
        let h = strip_tags(element(html, "<h1 id=\"res-h\"", "</h1>"));
        h.split(" of ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(total(&narrowed.body) < total(html));
    // Pagination over everything.
    let all = get(base, "/search?page=2");
    assert!(all.body.contains("21–40 of"));
    assert!(all.body.contains("rel=\"prev\" href=\"/search\""));
    assert!(all.body.contains("rel=\"next\" href=\"/search?page=3\""));
    // Nothing found: suggestions to loosen.
    let none = get(
        base,
        "/search?q=Afghanistan+zzzqqq&volume=frus1894Nicaragua",
    );
    assert!(none.body.contains("No documents found"));
    assert!(none.body.contains("Remove volume: frus1894Nicaragua"));
    assert!(none.body.contains("Match any of the words"));
}

#[test]
fn volume_page_and_printed_pages_and_persons() {
    let Some(base) = server() else { return };
    let v = get(base, "/frus1952-54Guat");
    assert_eq!(v.status, 200);
    assert!(v.body.contains("Susan Holly"));
    assert!(v.body.contains("<dt id=\"p_ADG1\">"));
    assert!(v
        .body
        .contains("Secretary of State January 19, 1949–January 20, 1953"));
    assert!(v.body.contains("name=\"volume\" value=\"frus1952-54Guat\""));
    assert!(v.body.contains("href=\"/frus1952-54Guat/d1\""));

    let p = get(base, "/frus1936v03/pg_2");
    assert_eq!(p.status, 200);
    assert!(p.body.contains("href=\"/frus1936v03/d1#pg_2\""));
    assert_eq!(get(base, "/frus1936v03/pg_99999").status, 404);

    let persons = get(base, "/persons");
    assert!(persons.body.contains("href=\"/persons/acheson-dean-g\""));
    let acheson = get(base, "/persons/acheson-dean-g");
    assert_eq!(acheson.status, 200);
    assert!(acheson.body.contains("Secretary of State January 19, 1949"));
    assert!(acheson.body.contains("href=\"/frus1952-54Guat/d"));
    // Mentions in documents link to persons with their descriptions.
    let api = get(base, "/api/persons/acheson-dean-g").json();
    let first = api["volumes"][0]["documents"][0]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let doc = get(base, &first);
    assert!(doc
        .body
        .contains("href=\"/persons/acheson-dean-g\" title=\"Acheson, Dean G.: Secretary of State"));
}

#[test]
fn document_links_threads_citations_and_people() {
    let Some(base) = server() else { return };
    // Telegram 19 to Cairo answers Fish's telegram 35 (d11) and is answered by d13.
    let links = get(base, "/api/documents/frus1936v03/d12/links").json();
    assert_eq!(links["message"]["number"], "19");
    assert_eq!(
        links["answers"][0]["reference"]["text"],
        "Your 35, June 23, 5 p.m."
    );
    assert_eq!(links["answers"][0]["target"]["key"], "frus1936v03/d11");
    let answered: Vec<&str> = links["answered_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert!(answered.contains(&"frus1936v03/d13"), "{answered:?}");
    assert!(links["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["person"] == "fish-bert" && p["role"] == "addressee"));
    let page = get(base, "/frus1936v03/d12");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/frus1936v03/d11\""));
    // Named by number in the body, the earlier telegram is a link where it stands.
    assert!(page
        .body
        .contains("<a class=\"ref\" href=\"/frus1936v03/d11\" title=\"frus1936v03/d11: "));
    assert!(page.body.contains("href=\"/people/fish-bert\""));

    // d535 cites page 6 of its own volume (d3 is on it) and a volume not in the archive.
    let cites = get(base, "/api/documents/frus1936v03/d535/links").json();
    let citations = cites["citations"].as_array().unwrap();
    let own = citations
        .iter()
        .find(|c| c["citation"]["text"] == "#pg_6")
        .unwrap();
    assert_eq!(own["resolution"], "page");
    assert!(own["targets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "frus1936v03/d3"));
    let away = citations
        .iter()
        .find(|c| c["citation"]["text"] == "frus1924v01#pg_741")
        .unwrap();
    assert_eq!(away["resolution"], "not_in_archive");
    assert_eq!(away["citation"]["volume"], "frus1924v01");
    let d3 = get(base, "/api/documents/frus1936v03/d3/links").json();
    assert!(d3["cited_by"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["key"] == "frus1936v03/d535"));
    let d535 = get(base, "/frus1936v03/d535").body;
    assert!(d535.contains("frus1924v01/pg_741, not in this archive"));

    // Filters and facets over the links.
    let citing = get(base, "/api/search?cites=frus1924v01&facets=false").json();
    assert!(citing["total"].as_u64().unwrap() >= 1);
    let fish = get(base, "/api/search?q=Egypt&facets=true").json();
    assert!(fish["facets"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f[0] == "fish-bert"));
    assert!(fish["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f[0] == "Egypt"));
    let only = get(base, "/api/search?person=fish-bert&limit=100&facets=false").json();
    assert!(only["total"].as_u64().unwrap() >= 10, "{only}");
}

#[test]
fn people_of_the_directory() {
    let Some(base) = server() else { return };
    let found = get(base, "/people?q=Fish");
    assert_eq!(found.status, 200);
    assert!(found.body.contains("href=\"/people/fish-bert\""));
    let page = get(base, "/people/fish-bert");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Fish, Bert"));
    assert!(
        page.body.contains("<td>Egypt</td><td>1933-12-02</td>"),
        "{}",
        page.body
    );
    let api = get(base, "/api/people/fish-bert").json();
    assert_eq!(api["person"]["surname"], "Fish");
    assert!(api["total"].as_u64().unwrap() >= 10);
    assert!(api["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["key"] == "frus1936v03/d12"));
    assert_eq!(get(base, "/people/no-such-person").status, 404);
    assert_eq!(
        get(base, "/api/people?q=Hull").json()["people"][0]["id"],
        "hull-cordell"
    );
}

#[test]
fn health_and_admin_token() {
    let Some(base) = server() else { return };
    let health = get(base, "/api/health");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["ready"], true);
    assert_eq!(health.json()["status"]["backend"], "sqlite");
    assert_eq!(post(base, "/api/admin/sync", None).status, 401);
    assert_eq!(
        post(base, "/api/admin/sync", Some("s3cret-admin-tokeN")).status,
        401
    );
    assert_eq!(post(base, "/api/admin/sync", Some(ADMIN_TOKEN)).status, 200);
    // GET is not a way in.
    assert_eq!(get(base, "/api/admin/sync").status, 405);
}

#[test]
fn archive_text_is_escaped() {
    let Some(base) = server() else { return };
    let d = get(base, "/evil1/d1");
    assert_eq!(d.status, 200);
    assert!(!d.body.contains("<script>alert"));
    assert!(!d.body.contains("<img src=x"));
    assert!(
        d.body
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;&#x2f;script&gt;")
            || d.body
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    );
    for path in ["/evil1", "/", "/search?q=alert", "/search?q=%3Cscript%3E"] {
        let r = get(base, path);
        assert!(!r.body.contains("<script>alert"), "{path}");
        assert!(!r.body.contains("<img src=x"), "{path}");
    }
}

#[test]
fn api_search_documents_volumes_pages_persons() {
    let Some(base) = server() else { return };
    let r = get(base, "/api/search?q=Afghanistan&limit=5");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let j = r.json();
    let keys: Vec<&str> = j["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"frus1936v03/d1") && keys.contains(&"frus1936v03/d2"),
        "{keys:?}"
    );
    assert_eq!(j["facets"]["year"][0][0], "1936");
    assert!(j["total"].as_u64().unwrap() >= 2);

    let d = get(base, "/api/documents/frus1936v03/d1").json();
    assert_eq!(
        d["paper"]["heading"]["text"],
        "The Secretary of State to the Chargé in France (Marriner)"
    );
    let t = get(base, "/api/documents/frus1936v03/d1?format=text");
    assert!(t.body.contains("711.90H/41"));
    let vols = get(base, "/api/volumes").json();
    assert!(vols
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["id"] == "frus1894Nicaragua"));
    let vol = get(base, "/api/volumes/frus1952-54Guat").json();
    assert_eq!(vol["editors"][0]["name"], "Susan Holly");
    let page = get(base, "/api/pages/frus1936v03/pg_2").json();
    assert_eq!(page["documents"][0]["id"], "d1");
    let persons = get(base, "/api/persons").json();
    assert!(persons.as_array().unwrap().len() >= 60);
    let spec = get(base, "/api/openapi.json").json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    assert!(spec["paths"]["/api/search"].is_object());
}

#[test]
fn etags_answer_conditional_requests() {
    let Some(base) = server() else { return };
    let r = get(base, "/api/documents/frus1936v03/d1");
    let tag = r.header("etag").unwrap().to_string();
    let again = get_with(
        base,
        "/api/documents/frus1936v03/d1",
        &[("if-none-match", &tag)],
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let page = get(base, "/frus1936v03/d1");
    assert!(page.header("etag").is_some());
}

#[test]
fn errors_are_clear_4xx() {
    let Some(base) = server() else { return };
    let not_found = get(base, "/api/documents/frus1936v03/d99999");
    assert_eq!(not_found.status, 404);
    assert_eq!(
        not_found.json()["error"],
        "volume frus1936v03 has no document 'd99999'"
    );
    assert_eq!(get(base, "/api/volumes/nope").status, 404);
    assert_eq!(
        get(base, "/api/nothing/here").json()["error"],
        "no such API endpoint; see /api/openapi.json"
    );
    assert_eq!(get(base, "/nope").status, 404);
    assert_eq!(get(base, "/frus1936v03/d99999").status, 404);

    let long = format!("/api/search?q={}", "a".repeat(10_000));
    let cases: &[(&str, u16, &str)] = &[
        ("/api/search?offset=1000000000000", 400, "too large"),
        ("/api/search?limit=100000", 400, "too large"),
        ("/api/search?limit=-1", 400, "whole number"),
        ("/api/search?from=yesterday", 400, "not a date"),
        ("/api/search?sort=sideways", 400, "sort must be"),
        ("/api/search?q=%22unbalanced", 400, "unbalanced"),
        ("/api/search?q=%FF%FE", 400, "not UTF-8"),
        ("/api/documents/%FF/d1", 400, "not UTF-8"),
        (
            "/api/documents/frus1936v03/d1?format=pdf",
            400,
            "format must be",
        ),
        ("/api/documents/..%2F..%2Fetc/passwd", 400, "'..'"),
        (&long, 400, "at most 4096"),
    ];
    for (path, status, message) in cases {
        let r = get(base, path);
        assert_eq!(r.status, *status, "{path}: {}", r.body);
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(message), "{path}: {msg}");
    }
    // Pages: the same mistakes as HTML with the message.
    for path in [
        "/search?page=1000000000000",
        "/search?page=0",
        "/search?q=%FF",
        "/%FF%FE",
        "/static/..%2F..%2FCargo.toml",
        "/frus1936v03/pg_%3Cscript%3E",
        "/frus1936v03/pg_18446744073709551615x",
    ] {
        let r = get(base, path);
        assert_eq!(r.status, 400, "{path}");
        assert!(r.body.contains("class=\"message\""), "{path}");
        assert!(!r.body.contains("<script>"), "{path}");
    }
    let huge = format!("/search?q={}", "a".repeat(20_000));
    assert_eq!(get(base, &huge).status, 414);
}

#[test]
fn home_and_static_files() {
    let Some(base) = server() else { return };
    let home = get(base, "/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("role=\"search\""));
    assert!(home.body.contains("<strong>4</strong> volumes"));
    assert!(home.body.contains("href=\"/frus1936v03\""));
    let css = get(base, "/static/style.css");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let js = get(base, "/static/app.js");
    assert!(js.body.contains("fnref"));
    assert_eq!(get(base, "/static/nothing.js").status, 404);
}

/// A minimal WebDriver client over `chromedriver`, enough for the browser test.
struct Browser {
    driver: std::process::Child,
    base: String,
    session: String,
}

impl Browser {
    fn start() -> Browser {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) must be installed");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if agent().get(format!("{base}/status")).call().is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,1000"]
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
        };
        let r = b.call("POST", "/session", Some(caps));
        b.session = r["sessionId"].as_str().unwrap().to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let a = agent();
        let mut r = match method {
            "GET" => a.get(&url).call(),
            "DELETE" => a.delete(&url).call(),
            _ => a
                .post(&url)
                .header("content-type", "application/json")
                .send(body.unwrap_or(serde_json::json!({})).to_string()),
        }
        .unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert!(v["value"]["error"].is_null(), "{method} {path}: {v}");
        v.get("sessionId")
            .map(|_| v.clone())
            .unwrap_or_else(|| v["value"].clone())
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(serde_json::json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(serde_json::json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{el}/click"), None);
    }

    fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.call(
            "POST",
            &format!("/element/{el}/value"),
            Some(serde_json::json!({ "text": text })),
        );
    }

    fn text(&self, css: &str) -> String {
        let el = self.find(css);
        self.call("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn script(&self, js: &str) -> serde_json::Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(serde_json::json!({ "script": js, "args": [] })),
        )
    }

    fn wait_for(&self, what: &str, f: impl Fn(&Browser) -> bool) {
        for _ in 0..50 {
            if f(self) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("timed out waiting for {what} (at {})", self.url());
    }

    fn screenshot(&self, name: &str) {
        use base64::Engine;
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        let path = std::env::temp_dir().join(format!("chancery-{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = agent()
                .delete(format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// In headless Chromium (only with `CHANCERY_BROWSER_TESTS=1`; needs Debian's `chromium` and
/// `chromium-driver`): search from the home page, narrow by a facet, open a document, open a
/// footnote popover and follow its back-link, follow a page anchor, copy a citation.
#[test]
fn in_a_real_browser() {
    if std::env::var("CHANCERY_BROWSER_TESTS").as_deref() != Ok("1") {
        eprintln!("skipping: set CHANCERY_BROWSER_TESTS=1 to run the browser test");
        return;
    }
    let Some(base) = server() else { return };
    let b = Browser::start();

    b.go(&format!("{base}/"));
    b.type_into("#home-q", "Afghanistan\n");
    b.wait_for("search results", |b| {
        b.url().contains("/search?q=Afghanistan")
    });
    assert!(b.text("#res-h").contains("documents for “Afghanistan”"));
    b.screenshot("search");

    b.click(".facet-kind a[href*='kind=telegram']");
    b.wait_for("the narrowed search", |b| b.url().contains("kind=telegram"));
    assert!(b.text(".facet-kind strong").contains("telegram"));

    b.click(".hit h2 a");
    b.wait_for("a document", |b| b.url().contains("/frus1936v03/d"));

    b.go(&format!("{base}/frus1936v03/d1"));
    b.click("#fnref-d1fn2");
    b.wait_for("the footnote popover", |b| {
        b.script("return document.querySelector('.popover') !== null")
            .as_bool()
            .unwrap()
    });
    assert!(b.text(".popover").contains("Ibid., p. 563"));
    b.screenshot("footnote-popover");
    b.click(".popover .go");
    b.wait_for("the notes list", |b| b.url().ends_with("#fn-d1fn2"));
    b.click("#fn-d1fn2 .backlink");
    b.wait_for("the back-link", |b| b.url().ends_with("#fnref-d1fn2"));

    b.click("#pg_2");
    b.wait_for("the printed page", |b| {
        b.url().ends_with("/frus1936v03/pg_2")
    });
    b.click(".page-docs a");
    b.wait_for("the document at the page", |b| {
        b.url().ends_with("/frus1936v03/d1#pg_2")
    });

    let citation = b.text("#chicago");
    assert!(citation.starts_with("“The Secretary of State to the Chargé in France (Marriner)"));
    b.click("button.copy");
    b.wait_for("the copy confirmation", |b| {
        b.text("button.copy") == "Copied"
    });
    b.screenshot("document");

    // A correspondence thread: the telegram a document answers, named by number in its text.
    b.go(&format!("{base}/frus1936v03/d12"));
    b.click(".body a.ref[href='/frus1936v03/d11']");
    b.wait_for("the answered telegram", |b| {
        b.url().ends_with("/frus1936v03/d11")
    });
    assert!(b.text("#doc-h").contains("Minister in Egypt (Fish)"));
    b.screenshot("thread");

    // A person of the directory, from the document's People list.
    b.click(".doc-side .people a[href='/people/fish-bert']");
    b.wait_for("the person page", |b| {
        b.url().ends_with("/people/fish-bert")
    });
    assert!(b.text("h1").starts_with("Fish, Bert"));
    b.screenshot("person");
}
