//! `callcoach review FILE`: the coaching report on one call.

use super::common::{analyse_path, InputArgs};
use super::settings::Resolver;
use crate::report::{
    review,
    style::{ColorChoice, Style},
};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The transcript (any supported format).
    pub file: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Colour: auto, always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(a: Args) -> Result<i32> {
    let settings = Resolver::new(&a.input)?.for_input(&a.file)?;
    let results = analyse_path(&a.file, &settings);
    let style = Style::for_stdout(a.color);
    let mut code = 0;
    for (i, r) in results.iter().enumerate() {
        if let Some(e) = &r.error {
            eprintln!("callcoach: {}: {e}", r.path);
            code = 2;
            continue;
        }
        if let Some(an) = &r.analysis {
            if i > 0 {
                println!();
            }
            print!("{}", review::render(an, style));
        }
    }
    Ok(code)
}
