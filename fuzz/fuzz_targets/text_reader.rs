//! The plain-text reader on arbitrary bytes: never a panic, and whatever it reads writes back
//! and reads again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(reading) = chancery_text::read(data, "fuzz") {
        for doc in &reading.documents {
            let text = chancery_text::write(doc);
            let _ = chancery_text::read(text.as_bytes(), "fuzz");
        }
    }
});
