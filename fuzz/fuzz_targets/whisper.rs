//! Fuzz the `whisper` parser: any bytes, read with `--input-format whisper`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = callcoach::formats::ReadOptions {
        format: Some("whisper".to_string()),
        ..Default::default()
    };
    let _ = callcoach::formats::parse_bytes(data, "fuzz", &opts);
});
