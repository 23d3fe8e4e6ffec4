//! Fuzz target: a file's bytes through decoding and the format readers, as
//! `source::read_document` does after reading the file. The first byte picks the format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsidx::source::{decode, parse_document, Decoded, Format};

/// Indexed by the first byte (modulo 5); the seeds use 0 txt, 1 md, 2 html, 3 json, 4 jsonl.
const FORMATS: [(Format, &str); 5] = [
    (Format::Text, "fuzz.txt"),
    (Format::Markdown, "fuzz.md"),
    (Format::Html, "fuzz.html"),
    (Format::Json, "fuzz.json"),
    (Format::JsonLines, "fuzz.jsonl"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let (format, name) = FORMATS[usize::from(selector) % FORMATS.len()];
    let path = Path::new(name);
    let text = match decode(bytes) {
        Decoded::Text(text, _) => text,
        Decoded::Rejected(reason) => {
            assert!(!reason.is_empty());
            return;
        }
    };
    let items = parse_document(format, &text, path);
    if matches!(format, Format::Text | Format::Markdown | Format::Html) {
        assert_eq!(items.len(), 1);
    }
    for item in items {
        match item {
            Ok(a) => {
                assert!(!(a.title.is_empty() && a.body.is_empty()));
                assert!(!a.id.trim().is_empty());
                assert_eq!(a.body, a.body.trim());
            }
            Err(p) => assert!(!p.message.trim().is_empty() && !p.warning),
        }
    }
});
