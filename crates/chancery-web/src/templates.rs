//! The page templates and static files, embedded in the binary.

use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment};

/// The shared template environment.
pub static ENV: LazyLock<Environment<'static>> = LazyLock::new(environment);

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("volume.html", include_str!("../templates/volume.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("persons.html", include_str!("../templates/persons.html")),
    ("person.html", include_str!("../templates/person.html")),
    ("people.html", include_str!("../templates/people.html")),
    (
        "people_person.html",
        include_str!("../templates/people_person.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
];

/// Static files: name, content type, bytes.
pub const STATIC: &[(&str, &str, &str)] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../static/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    ),
];

/// The template environment, with HTML auto-escaping for every template.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    // Escape strings as the node renderer does (leaving `/` alone, so that URLs stay legible).
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if !value.is_safe() && matches!(state.auto_escape(), AutoEscape::Html) => out
            .write_str(&crate::render::escape(s))
            .map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure)),
        _ => minijinja::escape_formatter(out, state, value),
    });
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            panic!("template {name} does not compile: {e:#}");
        }
    }
    env.add_filter("longdate", |s: String| crate::render::long_date(&s));
    env.add_filter("unnumbered", |head: String, n: Option<String>| {
        match n.and_then(|n| {
            head.strip_prefix(&format!("{n}."))
                .map(str::trim_start)
                .map(String::from)
        }) {
            Some(rest) if !rest.is_empty() => rest,
            _ => head,
        }
    });
    env.add_filter("clip", |s: String, n: usize| {
        if s.chars().count() > n {
            s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
        } else {
            s
        }
    });
    env
}
