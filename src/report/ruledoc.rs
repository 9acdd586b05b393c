//! A rule's documentation under the fixed headings, written once and rendered for
//! `explain` (plain text) and for SARIF's `help` (text and Markdown).

use crate::analysis::UNUSED_SUPPRESSION;
use crate::rules::{RuleDoc, RuleSpec, Severity};
use crate::transcript::Lang;

/// What the printers need to document one rule (a rule file or the pseudo-rule).
pub struct DocView<'a> {
    pub id: &'a str,
    pub severity: Severity,
    pub category: &'a str,
    pub summary: &'a str,
    pub doc: &'a RuleDoc,
}

impl<'a> DocView<'a> {
    pub fn of(r: &'a RuleSpec, lang: Lang) -> DocView<'a> {
        DocView {
            id: &r.id,
            severity: r.severity,
            category: &r.category,
            summary: r.summary.get(lang),
            doc: r.doc(lang),
        }
    }

    /// The headings in the report language, each with its text.
    pub fn sections(&self, lang: Lang) -> [(&'static str, &str); 5] {
        let h = match lang {
            Lang::Nl => [
                "Wat het vindt",
                "Waarom het ertoe doet",
                "Voorbeeld",
                "Beter",
                "Uitzonderingen",
            ],
            Lang::En => [
                "What it detects",
                "Why it matters",
                "Example",
                "Better",
                "Exceptions",
            ],
        };
        let d = self.doc;
        [
            (h[0], d.what.trim()),
            (h[1], d.why.trim()),
            (h[2], d.example.trim()),
            (h[3], d.better.trim()),
            (h[4], d.exceptions.trim()),
        ]
    }

    /// Plain text, as `callcoach explain` prints it.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} ({}, {})\n{}\n",
            self.id,
            self.severity.as_str(),
            self.category,
            self.summary
        );
        for (h, body) in self.sections(lang) {
            out.push_str(&format!("\n## {h}\n{body}\n"));
        }
        out
    }

    /// Markdown: the example and the better version as quoted dialogue.
    pub fn markdown(&self, lang: Lang) -> String {
        let mut out = format!("**{}** — {}\n", self.id, self.summary);
        for (i, (h, body)) in self.sections(lang).into_iter().enumerate() {
            let body = if i == 2 || i == 3 {
                body.lines()
                    .map(|l| format!("> {l}"))
                    .collect::<Vec<_>>()
                    .join("  \n")
            } else {
                body.to_string()
            };
            out.push_str(&format!("\n### {h}\n\n{body}\n"));
        }
        out
    }
}

/// The documentation of the `unused-suppression` pseudo-rule, which has no rule file.
pub struct PseudoDoc {
    pub summary: &'static str,
    pub doc: RuleDoc,
}

pub fn unused_suppression(lang: Lang) -> PseudoDoc {
    let (summary, what, why, example, better, exceptions) = match lang {
        Lang::Nl => (
            "Een '# callcoach: ignore'-regel die niets onderdrukt.",
            "Een onderdrukking ('# callcoach: ignore REGEL -- reden' of 'ignore-file') waarvoor de regel op die beurt (of in dat bestand) niets vond.",
            "Een onderdrukking die niets doet, verbergt later een echte bevinding die niemand heeft gezien, of staat bij de verkeerde beurt.",
            "# callcoach: ignore premature-solving -- voorbeeld van snel oplossen\nMedewerker: Wat gebeurt er precies als het wegvalt?",
            "Zet de onderdrukking direct vóór de beurt waar de bevinding staat, of haal haar weg.",
            "Onderdrukkingen van regels die in deze run niet actief zijn (--select, --ignore, per-path-ignores) worden niet gemeld.",
        ),
        Lang::En => (
            "A '# callcoach: ignore' comment that suppresses nothing.",
            "A suppression ('# callcoach: ignore RULE -- reason' or 'ignore-file') for which the rule found nothing at that turn (or in that file).",
            "A suppression that does nothing will later hide a real finding nobody has seen, or it sits before the wrong turn.",
            "# callcoach: ignore premature-solving -- example of solving too fast\nAgent: What exactly happens when it drops?",
            "Put the suppression right before the turn the finding points at, or remove it.",
            "Suppressions of rules that are not active in this run (--select, --ignore, per-path-ignores) are not reported.",
        ),
    };
    PseudoDoc {
        summary,
        doc: RuleDoc {
            what: what.into(),
            why: why.into(),
            example: example.into(),
            better: better.into(),
            exceptions: exceptions.into(),
        },
    }
}

impl PseudoDoc {
    pub fn view(&self) -> DocView<'_> {
        DocView {
            id: UNUSED_SUPPRESSION,
            severity: Severity::Warning,
            category: "suppressions",
            summary: self.summary,
            doc: &self.doc,
        }
    }
}
