//! The citation recogniser on arbitrary text, as a note and as body text, with one scanner
//! carrying its context across passages: never a panic, and every hit's text is its span.
#![no_main]

use chancery_enrich::citations::{Place, Scanner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for volume in ["frus1936v03", "frus1952-54Guat"] {
        let mut scanner = Scanner::new(volume, true);
        for place in [Place::Note, Place::Body] {
            for part in text.split('\n') {
                for hit in scanner.scan(part, place) {
                    assert_eq!(&part[hit.span.clone()], hit.citation.text);
                }
            }
        }
    }
    let _ = chancery_enrich::citations::target(&text, "frus1936v03");
});
