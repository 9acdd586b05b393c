//! `callcoach score --format html`: the team dashboard (placeholder).

use super::batch::{Aggregates, Row};
use super::batch_out::Sink;
use crate::transcript::Lang;
use std::io::{self, Write};

pub struct Dashboard {
    pub lang: Option<Lang>,
}

impl Dashboard {
    pub fn new(lang: Option<Lang>) -> Dashboard {
        Dashboard { lang }
    }
}

impl Sink for Dashboard {
    fn row(&mut self, _w: &mut dyn Write, _r: &Row) -> io::Result<()> {
        Ok(())
    }
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()> {
        let _ = agg;
        w.write_all(b"<!doctype html>\n")
    }
}
