//! Embeds every rule file in `rules/*.toml` into the binary, so adding a data-only rule
//! touches one file; and prepares the built-in lexicon packs (class expansion, literal
//! prefilter tables) once, so a single-file run starts in milliseconds.

use std::fmt::Write;

#[path = "src/acts/prep.rs"]
#[allow(dead_code)]
mod prep;

#[path = "src/acts/literals.rs"]
#[allow(dead_code)]
mod literals;

#[path = "src/acts/small.rs"]
#[allow(dead_code)]
mod small;

fn lexicon_tables(out: &mut String, name: &str, path: &std::path::Path, out_dir: &std::path::Path) {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("lexicon pack readable");
    let p = prep::prepare(&text, &|_| true).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    writeln!(out, "pub static {name}: Tables = Tables {{").unwrap();
    writeln!(out, "    language: {:?},", p.language).unwrap();
    writeln!(out, "    stopwords: &{:?},", p.stopwords).unwrap();
    writeln!(out, "    patterns: &[").unwrap();
    for (act, src) in &p.patterns {
        writeln!(out, "        ({act:?}, {src:?}),").unwrap();
    }
    writeln!(out, "    ],").unwrap();
    writeln!(out, "    literals: &[").unwrap();
    for (lit, pats, gates) in &p.literals {
        writeln!(out, "        (&{lit:?}, &{pats:?}, &{gates:?}),").unwrap();
    }
    writeln!(out, "    ],").unwrap();
    writeln!(out, "    always: &{:?},", p.always).unwrap();
    writeln!(out, "    leads: &{:?},", p.leads).unwrap();
    writeln!(out, "    anchored: &{:?},", p.anchored).unwrap();
    writeln!(out, "    bounded: &{:?},", p.bounded).unwrap();
    writeln!(out, "    gates: &{:?},", p.gates).unwrap();
    for (field, sets) in [("starts", &p.starts), ("ends", &p.ends)] {
        writeln!(out, "    {field}: &[").unwrap();
        for set in sets {
            match set {
                None => writeln!(out, "        None,").unwrap(),
                Some(v) => {
                    let v: Vec<String> = v.iter().map(|l| format!("&{l:?}")).collect();
                    writeln!(out, "        Some(&[{}]),", v.join(", ")).unwrap();
                }
            }
        }
        writeln!(out, "    ],").unwrap();
    }
    // The literal automaton, built here so a run only reads its tables.
    let lits: Vec<Vec<u8>> = p.literals.iter().map(|(l, _, _)| l.clone()).collect();
    let dfa = literals::LiteralDfa::new(&lits)
        .unwrap_or_else(|e| panic!("{}: literal automaton: {e}", path.display()));
    let bin = out_dir.join(format!("{}-literals.bin", name.to_lowercase()));
    std::fs::write(&bin, dfa.to_bytes()).unwrap();
    writeln!(
        out,
        "    literal_dfa: include_bytes!({:?}),",
        bin.display().to_string()
    )
    .unwrap();
    // The small DFAs of the patterns that run anchored (see `small`): per pattern, 0 for
    // none, or 1 and its tables.
    let mut blob = Vec::new();
    for (i, (_, src)) in p.patterns.iter().enumerate() {
        let dfa = (p.anchored[i] || p.leads[i].is_some())
            .then(|| small::build(src))
            .flatten();
        match dfa {
            Some(bytes) => {
                blob.push(1);
                blob.extend_from_slice(&bytes);
            }
            None => blob.push(0),
        }
    }
    let bin = out_dir.join(format!("{}-small.bin", name.to_lowercase()));
    std::fs::write(&bin, blob).unwrap();
    writeln!(
        out,
        "    small_dfas: include_bytes!({:?}),",
        bin.display().to_string()
    )
    .unwrap();
    writeln!(out, "    lead_words: &[").unwrap();
    for words in &p.lead_words {
        writeln!(out, "        &{words:?},").unwrap();
    }
    writeln!(out, "    ],").unwrap();
    writeln!(out, "}};").unwrap();
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            dir.join(n).display().to_string()
        )
        .unwrap();
    }
    out.push(']');
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("builtin_rules.rs"), out).unwrap();
    let mut tables = String::new();
    lexicon_tables(&mut tables, "NL", &dir.join("lexicon/nl.toml"), &out_dir);
    lexicon_tables(&mut tables, "EN", &dir.join("lexicon/en.toml"), &out_dir);
    std::fs::write(out_dir.join("lexicon_tables.rs"), tables).unwrap();
}
