//! Fuzz format detection: any bytes through every detector, then the chosen parser.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = callcoach::formats::ReadOptions::default();
    let _ = callcoach::formats::parse_bytes(data, "fuzz", &opts);
});
