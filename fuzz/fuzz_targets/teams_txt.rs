//! Fuzz the `teams-txt` parser: any bytes, read with `--input-format teams-txt`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = callcoach::formats::ReadOptions {
        format: Some("teams-txt".to_string()),
        ..Default::default()
    };
    let _ = callcoach::formats::parse_bytes(data, "fuzz", &opts);
});
