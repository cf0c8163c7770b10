//! A small element tree over `quick-xml`, enough for the people and pocom records.

use std::path::Path;

use quick_xml::events::Event;

use crate::PeopleError;

/// An element: its local name, its text (direct text children joined) and its children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children with this name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the child at this path of names, when present and not empty.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        let mut e = self;
        for name in path {
            e = e.child(name)?;
        }
        let t = collapse(&e.text);
        (!t.is_empty()).then_some(t)
    }

    /// All text inside this element, in order, whitespace collapsed.
    pub fn deep_text(&self) -> String {
        fn walk(e: &Element, out: &mut String) {
            out.push_str(&e.text);
            out.push(' ');
            for c in &e.children {
                walk(c, out);
            }
        }
        let mut s = String::new();
        walk(self, &mut s);
        collapse(&s)
    }
}

/// Whitespace runs collapsed to one space, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line and column (1-based, column in characters) of a byte offset.
fn line_col(src: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Parses a whole file into its root element; errors carry the path, line and column.
pub(crate) fn parse(bytes: &[u8], path: &Path) -> Result<Element, PeopleError> {
    let err = |pos: usize, message: String| {
        let (line, column) = line_col(bytes, pos);
        PeopleError::Xml {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let src =
        std::str::from_utf8(bytes).map_err(|e| err(e.valid_up_to(), format!("not UTF-8: {e}")))?;
    let mut xml = quick_xml::Reader::from_str(src);
    xml.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = xml.buffer_position() as usize;
        let event = xml
            .read_event()
            .map_err(|e| err(xml.error_position() as usize, e.to_string()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let name = e.local_name().as_ref().to_string();
                return Err(err(
                    pos,
                    format!("content after the root element: <{name}>"),
                ));
            }
            Event::Start(e) => {
                if stack.len() >= 64 {
                    return Err(err(pos, "elements nested too deep".into()));
                }
                stack.push(Element {
                    name: e.local_name().as_ref().to_string(),
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                let el = Element {
                    name: e.local_name().as_ref().to_string(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| err(pos, "unexpected end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.xml10_content().into_owned();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .map(str::to_string)
                            .ok_or_else(|| err(pos, format!("undefined entity &{name};")))?
                    }
                    Err(e) => return Err(err(pos, e.to_string())),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::DocType(_) => {
                return Err(err(pos, "DOCTYPE not allowed in a record".into()));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(err(
            bytes.len(),
            "unexpected end of file: elements left open (truncated record?)".into(),
        ));
    }
    root.ok_or_else(|| err(0, "no root element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_and_errors() {
        let p = Path::new("x.xml");
        let e = parse(
            b"<?xml version=\"1.0\"?><a><b> one &amp;\n two </b><c/><b>x</b></a>",
            p,
        )
        .unwrap();
        assert_eq!(e.name, "a");
        assert_eq!(e.text_at(&["b"]).as_deref(), Some("one & two"));
        assert_eq!(e.all("b").count(), 2);
        assert_eq!(e.text_at(&["c"]), None);
        let bad = parse(b"<a>\n<b></a>", p).unwrap_err().to_string();
        assert!(bad.starts_with("x.xml:2:"), "{bad}");
        let trunc = parse(b"<a>\n<b>", p).unwrap_err().to_string();
        assert!(trunc.contains("truncated"), "{trunc}");
        let utf = parse(b"<a>\n\xff</a>", p).unwrap_err().to_string();
        assert!(utf.starts_with("x.xml:2:1: not UTF-8"), "{utf}");
    }
}
