//! Chancery's query language: words, `"phrases"`, `AND`/`OR`/`NOT`, `+word`/`-word`, `prefix*`,
//! parentheses and `field:value`, parsed into a small syntax tree with positions for errors.
//!
//! Words match their common English inflections (`telegram` finds `telegrams`); phrases and
//! prefixes match exactly as written (letters folded to lower case without accents).

use std::fmt;

/// The deepest parenthesis nesting accepted.
pub const MAX_NESTING: usize = 32;
/// The most words and phrases a query may hold.
pub const MAX_TERMS: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ast {
    /// A word, maybe restricted to a field, maybe a prefix (`word*`).
    Word {
        /// `field:` restriction.
        field: Option<String>,
        /// The word as written.
        text: String,
        /// Whether it ends in `*`.
        prefix: bool,
    },
    /// A quoted phrase, maybe restricted to a field, with an optional `~slop`.
    Phrase {
        /// `field:` restriction.
        field: Option<String>,
        /// The words inside the quotes.
        text: String,
        /// Words allowed between the phrase's words.
        slop: u32,
    },
    /// All of these (with `+`/`-`/`NOT` marking required and excluded parts).
    And(Vec<(Mode, Ast)>),
    /// Any of these.
    Or(Vec<Ast>),
}

/// How a part of an `And` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Must match.
    Must,
    /// Must not match.
    MustNot,
}

/// A query that could not be parsed, with the character position of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based character column in the query.
    pub column: usize,
    /// What is wrong, and what to do.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    Minus,
    Plus,
    And,
    Or,
    Not,
    Word(String),
    Phrase(String, u32),
}

/// Field names a query may name with `field:`.
pub const FIELDS: &[&str] = &[
    "heading",
    "body",
    "notes",
    "source",
    "author",
    "recipient",
    "volume",
    "kind",
    "file",
    "person",
    "country",
    "cites",
    "message",
    "answers",
];

fn lex(q: &str) -> Result<Vec<(usize, Option<String>, Tok)>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push((col, None, Tok::Open));
                i += 1;
                continue;
            }
            ')' => {
                out.push((col, None, Tok::Close));
                i += 1;
                continue;
            }
            '-' | '+' if i + 1 < chars.len() && !chars[i + 1].is_whitespace() => {
                out.push((col, None, if c == '-' { Tok::Minus } else { Tok::Plus }));
                i += 1;
                continue;
            }
            _ => {}
        }
        // field:
        let mut field = None;
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j < chars.len() && chars[j] == ':' && j > start {
            let name: String = chars[start..j].iter().collect::<String>().to_lowercase();
            if FIELDS.contains(&name.as_str()) {
                field = Some(name);
                i = j + 1;
            }
        }
        if i < chars.len() && (chars[i] == '"' || chars[i] == '“') {
            let open = i;
            i += 1;
            let mut text = String::new();
            while i < chars.len() && chars[i] != '"' && chars[i] != '”' {
                text.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(QueryError {
                    column: open + 1,
                    message: "unbalanced quote: close the phrase with \"".into(),
                });
            }
            i += 1;
            let mut slop = 0;
            if i < chars.len() && chars[i] == '~' {
                let s = i + 1;
                let mut k = s;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                slop = chars[s..k]
                    .iter()
                    .collect::<String>()
                    .parse::<u32>()
                    .unwrap_or(0)
                    .min(100);
                i = k;
            }
            out.push((col, field, Tok::Phrase(text, slop)));
            continue;
        }
        let mut word = String::new();
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            word.push(chars[i]);
            i += 1;
        }
        if word.is_empty() {
            return Err(QueryError {
                column: col,
                message: format!(
                    "'{}:' needs a word or a \"phrase\" after it",
                    field.unwrap_or_default()
                ),
            });
        }
        let tok = match (field.is_none(), word.as_str()) {
            (true, "AND" | "&&") => Tok::And,
            (true, "OR" | "||") => Tok::Or,
            (true, "NOT") => Tok::Not,
            _ => Tok::Word(word),
        };
        out.push((col, field, tok));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Option<String>, Tok)>,
    pos: usize,
    depth: usize,
    terms: usize,
    end: usize,
}

/// Parses a query. An empty query parses to an empty `And`.
pub fn parse(q: &str) -> Result<Ast, QueryError> {
    let toks = lex(q)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        terms: 0,
        end: q.chars().count() + 1,
    };
    let ast = p.or()?;
    if let Some((col, _, t)) = p.toks.get(p.pos) {
        let message = match t {
            Tok::Close => "unbalanced ')': remove it or add '('".to_string(),
            _ => "unexpected text".to_string(),
        };
        return Err(QueryError {
            column: *col,
            message,
        });
    }
    Ok(ast)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.2)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |t| t.0)
    }

    fn or(&mut self) -> Result<Ast, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            if parts.last() == Some(&Ast::And(Vec::new())) {
                return Err(QueryError {
                    column: self.col(),
                    message: "OR needs something before it".into(),
                });
            }
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                return Err(QueryError {
                    column: self.col(),
                    message: "OR needs something after it".into(),
                });
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Ast::And(Vec::new()))
        } else {
            Ast::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Ast, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    if parts.is_empty() {
                        return Err(QueryError {
                            column: self.col(),
                            message: "AND needs something before it".into(),
                        });
                    }
                    self.pos += 1;
                    if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                        return Err(QueryError {
                            column: self.col(),
                            message: "AND needs something after it".into(),
                        });
                    }
                }
                _ => parts.push(self.unary()?),
            }
        }
        Ok(if parts.len() == 1 && parts[0].0 == Mode::Must {
            parts.pop().map(|p| p.1).unwrap_or(Ast::And(Vec::new()))
        } else {
            Ast::And(parts)
        })
    }

    fn unary(&mut self) -> Result<(Mode, Ast), QueryError> {
        let mode = match self.peek() {
            Some(Tok::Minus | Tok::Not) => {
                self.pos += 1;
                Mode::MustNot
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                Mode::Must
            }
            _ => Mode::Must,
        };
        Ok((mode, self.primary()?))
    }

    fn primary(&mut self) -> Result<Ast, QueryError> {
        let col = self.col();
        let Some((_, field, tok)) = self.toks.get(self.pos).cloned() else {
            return Err(QueryError {
                column: col,
                message: "the query ends where a word was expected".into(),
            });
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(QueryError {
                        column: col,
                        message: format!("parentheses nested deeper than {MAX_NESTING}"),
                    });
                }
                let inner = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError {
                        column: col,
                        message: "unbalanced '(': close it with ')'".into(),
                    });
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(inner)
            }
            Tok::Word(w) => {
                self.count(col)?;
                let (text, prefix) = match w.strip_suffix('*') {
                    Some(t) => (t.to_string(), true),
                    None => (w, false),
                };
                Ok(Ast::Word {
                    field,
                    text,
                    prefix,
                })
            }
            Tok::Phrase(text, slop) => {
                self.count(col)?;
                Ok(Ast::Phrase { field, text, slop })
            }
            Tok::Close => Err(QueryError {
                column: col,
                message: "unbalanced ')': remove it or add '('".into(),
            }),
            Tok::And | Tok::Or | Tok::Not | Tok::Minus | Tok::Plus => Err(QueryError {
                column: col,
                message: "an operator where a word was expected; quote words such as \"AND\" to search for them".into(),
            }),
        }
    }

    fn count(&mut self, col: usize) -> Result<(), QueryError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(QueryError {
                column: col,
                message: format!("more than {MAX_TERMS} words and phrases"),
            });
        }
        Ok(())
    }
}

/// Common English inflections of a lower-case word, the word itself first.
pub fn inflections(w: &str) -> Vec<String> {
    let mut v = vec![w.to_string()];
    if w.chars().count() < 3 || !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return v;
    }
    let mut add = |s: String| {
        if !v.contains(&s) {
            v.push(s);
        }
    };
    if let Some(stem) = w.strip_suffix("ies") {
        add(format!("{stem}y"));
    } else if let Some(stem) = w.strip_suffix("es") {
        add(stem.to_string());
        add(format!("{stem}e"));
    } else if let Some(stem) = w.strip_suffix('s') {
        if !w.ends_with("ss") {
            add(stem.to_string());
        }
    }
    if let Some(stem) = w.strip_suffix('y') {
        add(format!("{stem}ies"));
    }
    if !w.ends_with('s') {
        add(format!("{w}s"));
    }
    if w.ends_with(['s', 'x', 'z']) || w.ends_with("ch") || w.ends_with("sh") {
        add(format!("{w}es"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Ast {
        Ast::Word {
            field: None,
            text: t.into(),
            prefix: false,
        }
    }

    #[test]
    fn parses_the_language() {
        assert_eq!(parse("oil").unwrap(), word("oil"));
        assert_eq!(
            parse("oil concession").unwrap(),
            Ast::And(vec![
                (Mode::Must, word("oil")),
                (Mode::Must, word("concession"))
            ])
        );
        assert_eq!(
            parse("oil OR petroleum").unwrap(),
            Ast::Or(vec![word("oil"), word("petroleum")])
        );
        assert_eq!(
            parse("oil -iraq").unwrap(),
            Ast::And(vec![
                (Mode::Must, word("oil")),
                (Mode::MustNot, word("iraq"))
            ])
        );
        assert_eq!(
            parse("oil AND NOT iraq").unwrap(),
            Ast::And(vec![
                (Mode::Must, word("oil")),
                (Mode::MustNot, word("iraq"))
            ])
        );
        assert_eq!(
            parse("heading:\"Secretary of State\"~2").unwrap(),
            Ast::Phrase {
                field: Some("heading".into()),
                text: "Secretary of State".into(),
                slop: 2
            }
        );
        assert_eq!(
            parse("commun*").unwrap(),
            Ast::Word {
                field: None,
                text: "commun".into(),
                prefix: true
            }
        );
        assert_eq!(
            parse("(a OR b) c").unwrap(),
            Ast::And(vec![
                (Mode::Must, Ast::Or(vec![word("a"), word("b")])),
                (Mode::Must, word("c"))
            ])
        );
        // Not a field: the colon is part of the word.
        assert_eq!(parse("12:30").unwrap(), word("12:30"));
        assert_eq!(parse("").unwrap(), Ast::And(vec![]));
        assert_eq!(parse("well-known").unwrap(), word("well-known"));
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(parse("\"open").unwrap_err().column, 1);
        assert_eq!(parse("a (b").unwrap_err().column, 3);
        assert_eq!(parse("a b)").unwrap_err().column, 4);
        assert!(parse("AND a").is_err());
        assert!(parse("a OR").is_err());
        assert!(parse(&"(".repeat(100)).is_err());
        assert!(parse(&"x ".repeat(100)).is_err());
    }

    #[test]
    fn inflects() {
        assert_eq!(inflections("telegram"), vec!["telegram", "telegrams"]);
        assert!(inflections("telegrams").contains(&"telegram".to_string()));
        assert!(inflections("policy").contains(&"policies".to_string()));
        assert!(inflections("policies").contains(&"policy".to_string()));
        assert_eq!(inflections("of"), vec!["of"]);
    }
}
