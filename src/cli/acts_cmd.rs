//! `callcoach acts FILE`: show how each sentence was tagged — for rule authors and for
//! anyone who wants to see why a finding fired.

use super::common::InputArgs;
use crate::acts::{self, Act};
use crate::formats;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub file: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(a: Args) -> Result<i32> {
    // Every act on every turn, including those no rule reads there.
    acts::tag_everything();
    for t in formats::read_path(&a.file, &a.input.read_options())? {
        let tt = acts::tag(&t, a.input.lang);
        println!(
            "# {} lang={} kind={} need={:?} first-solution={:?} factual={}",
            t.source,
            tt.lang.as_str(),
            tt.kind.as_str(),
            tt.need.map(|n| n + 1),
            tt.first_solution().map(|n| n + 1),
            tt.factual
        );
        for turn in &tt.turns {
            println!(
                "{:>3} {:<8} {}",
                turn.index + 1,
                turn.role.as_str(),
                t.turns[turn.index].text
            );
            for (si, s) in turn.sentences.iter().enumerate() {
                let names: Vec<String> = turn
                    .tags
                    .iter()
                    .filter(|x| x.sentence == si && x.act != Act::Greeting)
                    .map(|x| {
                        let m = if x.end > x.offset {
                            &s.norm[x.offset..x.end.min(s.norm.len())]
                        } else {
                            ""
                        };
                        if m.is_empty() {
                            x.act.name().to_string()
                        } else {
                            format!("{}[{m}]", x.act.name())
                        }
                    })
                    .collect();
                if !names.is_empty() {
                    println!("      s{si}: {}", names.join(" "));
                }
            }
        }
    }
    Ok(0)
}
