//! The query parser on arbitrary text: never a panic, and every error points inside the query.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(q) = std::str::from_utf8(data) {
        if let Err(e) = chancery_query::parse(q) {
            assert!(e.column >= 1 && e.column <= q.chars().count() + 1, "{e}");
        }
    }
});
