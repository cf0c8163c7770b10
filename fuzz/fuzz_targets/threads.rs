//! Message references, own message ids and dates on arbitrary text: the input read as a plain
//! text document (alone, and as the body of a numbered despatch from a post) through `enrich`,
//! `enrich_volume` and the in-volume resolver, and the date parsers on the whole input. Never
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = chancery_enrich::dates::find(text, Some(1900));
    let _ = chancery_enrich::dates::flag(text);
    let _ = chancery_enrich::dates::received(text, (1936, 2, 29));
    let framed = format!(
        "861.00B/680: Telegram\n\nThe Chargé in the Soviet Union (Henderson) to the Secretary of State\n\nMoscow, February 19, 1938.\n\nNo. 971\n\n{text}\n"
    );
    let mut docs = Vec::new();
    for input in [data, framed.as_bytes()] {
        if let Ok(reading) = chancery_text::read(input, "fuzz") {
            docs.extend(reading.documents);
        }
    }
    for d in &mut docs {
        chancery_enrich::enrich(d);
    }
    chancery_enrich::enrich_volume(&mut docs);
    let _ = chancery_enrich::threads::resolve_within(&docs);
    let _ = chancery_enrich::threads::report(&docs);
});
