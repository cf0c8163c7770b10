//! Name keys: folding (case, accents, punctuation) and surname/forename splitting.

/// Lower case, accents removed, anything but letters and digits turned to single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let base = strip_accent(c);
        if base.is_alphanumeric() {
            for l in base.to_lowercase() {
                out.push(l);
            }
            space = false;
        } else if matches!(base, '\'' | '’' | '‘') {
            // O'Brien and O’Brien fold to obrien.
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn strip_accent(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match c {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => 'C',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'Ď' | 'Đ' => 'D',
        'ď' | 'đ' => 'd',
        'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => 'G',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => 'I',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => 'N',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => 'O',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'Ŕ' | 'Ř' => 'R',
        'ŕ' | 'ř' => 'r',
        'Ś' | 'Ş' | 'Š' | 'Ș' => 'S',
        'ś' | 'ş' | 'š' | 'ș' => 's',
        'ß' => 's',
        'Ţ' | 'Ť' | 'Ț' => 'T',
        'ţ' | 'ť' | 'ț' => 't',
        'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => 'U',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'Ý' | 'Ÿ' => 'Y',
        'ý' | 'ÿ' => 'y',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        'ź' | 'ż' | 'ž' => 'z',
        'Ł' => 'L',
        'ł' => 'l',
        _ => c,
    }
}

/// Generational suffixes and the like, dropped from forenames when names are compared.
fn is_suffix(token: &str) -> bool {
    matches!(
        token,
        "jr" | "sr" | "ii" | "iii" | "iv" | "2d" | "3d" | "2nd" | "3rd"
    )
}

/// Particles that never stand for a surname alone.
fn is_particle(token: &str) -> bool {
    matches!(
        token,
        "de" | "van"
            | "von"
            | "del"
            | "della"
            | "la"
            | "le"
            | "da"
            | "di"
            | "du"
            | "al"
            | "el"
            | "ben"
            | "bin"
            | "dos"
            | "das"
            | "ter"
            | "den"
            | "der"
            | "st"
            | "mac"
            | "abu"
    )
}

/// A name split into folded surname and folded forename tokens (suffixes dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The folded surname (`henderson`, `arbenz guzman`).
    pub surname: String,
    /// The folded forenames, one token each (`loy`, `w`).
    pub forenames: Vec<String>,
}

impl Split {
    /// `surname|forename forename`.
    pub fn key(&self) -> String {
        format!("{}|{}", self.surname, self.forenames.join(" "))
    }
}

/// Splits `Surname, Forenames[, Jr.]` at its first comma.
pub fn split_inverted(name: &str) -> Option<Split> {
    let (sur, rest) = name.split_once(',')?;
    let surname = fold(sur);
    if surname.is_empty() {
        return None;
    }
    Some(Split {
        surname,
        forenames: fold(rest)
            .split(' ')
            .filter(|t| !t.is_empty() && !is_suffix(t))
            .map(str::to_string)
            .collect(),
    })
}

/// Splits `Forenames Surname[, Jr.]` (a signature: `Loy W. Henderson`) at its last word.
pub fn split_direct(name: &str) -> Option<Split> {
    let folded = fold(name);
    let mut tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    while tokens.last().is_some_and(|t| is_suffix(t)) {
        tokens.pop();
    }
    let surname = tokens.pop()?.to_string();
    Some(Split {
        surname,
        forenames: tokens.into_iter().map(str::to_string).collect(),
    })
}

/// The surname keys a name is found under: the surname, and the first word of a compound
/// surname (`arbenz` for `Arbenz Guzmán`) unless it is a particle.
pub fn surname_keys(surname: &str) -> Vec<String> {
    let mut keys = vec![surname.to_string()];
    if let Some((first, _)) = surname.split_once(' ') {
        if first.len() > 2 && !is_particle(first) {
            keys.push(first.to_string());
        }
    }
    keys
}

/// Whether two forename lists can name the same person: word by word equal, or an initial
/// matching a word's first letter, the shorter list a prefix of the longer; an empty list
/// matches only an empty list.
pub fn forenames_compatible(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.is_empty() && b.is_empty();
    }
    a.iter().zip(b).all(|(x, y)| {
        x == y
            || (x.chars().count() == 1 && y.starts_with(x.as_str()))
            || (y.chars().count() == 1 && x.starts_with(y.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Arbenz Guzmán, Jacobo"), "arbenz guzman jacobo");
        assert_eq!(fold("  Chargé  d’Affaires "), "charge daffaires");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("Łukasiewicz"), "lukasiewicz");
    }

    #[test]
    fn splitting() {
        let s = split_inverted("Burns, Findley, Jr.").unwrap();
        assert_eq!(s.key(), "burns|findley");
        let d = split_direct("Loy W. Henderson").unwrap();
        assert_eq!(d.key(), "henderson|loy w");
        let full = split_inverted("Henderson, Loy Wesley").unwrap();
        assert!(forenames_compatible(&d.forenames, &full.forenames));
        let other = split_inverted("Henderson, Loy J.").unwrap();
        assert!(!forenames_compatible(&other.forenames, &full.forenames));
        assert!(!forenames_compatible(&[], &full.forenames));
        assert_eq!(surname_keys("arbenz guzman"), ["arbenz guzman", "arbenz"]);
        assert_eq!(surname_keys("van tassel"), ["van tassel"]);
    }
}
