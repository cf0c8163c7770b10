//! The TEI reader on arbitrary bytes: never a panic; errors carry a location inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match chancery_tei::read(data, "fuzz") {
        Ok(reading) => {
            for doc in &reading.documents {
                let _ = doc.pages();
                let _ = doc.paper.text_content();
            }
        }
        Err(e) => {
            if let Some((line, _)) = e.location() {
                let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
                assert!(line <= lines, "{e}");
            }
        }
    }
});

