//! Fuzz the `contact-lens` parser: any bytes, read with `--input-format contact-lens`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = callcoach::formats::ReadOptions {
        format: Some("contact-lens".to_string()),
        ..Default::default()
    };
    let _ = callcoach::formats::parse_bytes(data, "fuzz", &opts);
});
