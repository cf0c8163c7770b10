//! Bytes to text: byte-order marks, UTF-8 or Windows-1252/Latin-1, line ends, binary and
//! oversized input.

use chancery_model::{column, line_col};

use crate::{TextError, Warning, MAX_LINE_BYTES};

/// Windows-1252 characters for bytes 0x80–0x9F (the five undefined bytes keep their Latin-1
/// control code points).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes `bytes` into text with `\n` line ends, warning about what it had to guess.
pub(crate) fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<String, TextError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes).and_then(|s| finish(s.as_bytes(), s.clone()));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes).and_then(|s| finish(s.as_bytes(), s.clone()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    check_bytes(bytes)?;
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let (line, column) = line_col(bytes, e.valid_up_to());
            warnings.push(Warning {
                line,
                column,
                message: format!(
                    "not UTF-8 (byte 0x{:02X}): read as Windows-1252/Latin-1",
                    bytes[e.valid_up_to()]
                ),
            });
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect()
        }
    };
    Ok(normalize_line_ends(text))
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, TextError> {
    let units = bytes
        .chunks(2)
        .map(|c| unit([c[0], *c.get(1).unwrap_or(&0)]));
    let mut s = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => s.push(c),
            Err(_) => {
                let (line, column) = line_col(s.as_bytes(), s.len());
                return Err(TextError::NotText {
                    line,
                    column,
                    detail: format!("invalid UTF-16 at code unit {i}"),
                });
            }
        }
    }
    Ok(s)
}

fn finish(bytes: &[u8], text: String) -> Result<String, TextError> {
    check_bytes(bytes)?;
    Ok(normalize_line_ends(text))
}

/// Rejects empty, binary and oversized input in one linear pass.
fn check_bytes(bytes: &[u8]) -> Result<(), TextError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(TextError::Empty);
    }
    let mut line = 1;
    let mut line_start = 0;
    let mut controls = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' | b'\r' => {
                line += usize::from(b == b'\n' || bytes.get(i + 1) != Some(&b'\n'));
                line_start = i + 1;
            }
            0 => {
                return Err(TextError::NotText {
                    line,
                    column: column(bytes, line_start, i),
                    detail: "a NUL byte: this looks like a binary file".into(),
                })
            }
            b'\t' | 0x0C => {}
            0x01..=0x1F | 0x7F => controls += 1,
            _ => {}
        }
        if i.saturating_sub(line_start) >= MAX_LINE_BYTES {
            return Err(TextError::LineTooLong {
                line,
                column: column(bytes, line_start, i),
                limit: MAX_LINE_BYTES,
            });
        }
    }
    if controls * 100 > bytes.len() {
        return Err(TextError::NotText {
            line: 1,
            column: 1,
            detail: format!("{controls} control characters: this looks like a binary file"),
        });
    }
    Ok(())
}

/// CRLF and lone CR become LF.
fn normalize_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(b: &[u8]) -> (Result<String, TextError>, Vec<Warning>) {
        let mut w = Vec::new();
        (decode(b, &mut w), w)
    }

    #[test]
    fn encodings() {
        assert_eq!(
            dec(b"\xEF\xBB\xBFSir:\r\nYes\rNo").0.unwrap(),
            "Sir:\nYes\nNo"
        );
        let (t, w) = dec(b"Charg\xE9 \x93quoted\x94 \x97 \x80");
        assert_eq!(t.unwrap(), "Chargé “quoted” — €");
        assert_eq!((w[0].line, w[0].column), (1, 6));
        assert_eq!(dec(b"\xFF\xFEa\0b\0").0.unwrap(), "ab");
        assert_eq!(dec(b"\xFE\xFF\0a\0b").0.unwrap(), "ab");
    }

    #[test]
    fn bad_bytes() {
        assert_eq!(dec(b"").0, Err(TextError::Empty));
        assert_eq!(dec(b" \n\r\n\t").0, Err(TextError::Empty));
        match dec(b"ab\ncd\0").0 {
            Err(TextError::NotText { line, column, .. }) => assert_eq!((line, column), (2, 3)),
            other => panic!("{other:?}"),
        }
        let mut long = vec![b'a'; MAX_LINE_BYTES + 10];
        long.insert(0, b'\n');
        match dec(&long).0 {
            Err(TextError::LineTooLong { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            dec(b"\x01\x02\x03\x04abc").0,
            Err(TextError::NotText { .. })
        ));
    }
}
