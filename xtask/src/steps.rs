//! A sequence of named steps that keeps going after a failure and reports every outcome.

use anyhow::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct StepOutcome {
    pub name: String,
    /// `None` when the step passed; the error chain when it failed.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct Steps {
    outcomes: Vec<StepOutcome>,
}

impl Steps {
    /// Runs `step`, records its outcome and returns whether it passed.
    pub fn run(&mut self, name: &str, step: impl FnOnce() -> Result<()>) -> bool {
        eprintln!("\n==> {name}");
        let error = step().err().map(|e| format!("{e:#}"));
        if let Some(error) = &error {
            eprintln!("==> {name}: FAILED: {error}");
        }
        self.outcomes.push(StepOutcome {
            name: name.to_string(),
            error: error.clone(),
        });
        error.is_none()
    }

    #[cfg(test)]
    pub fn outcomes(&self) -> &[StepOutcome] {
        &self.outcomes
    }

    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_some()).count()
    }

    pub fn passed(&self) -> usize {
        self.outcomes.len() - self.failed()
    }

    /// The closing line CI reads, exactly `N passed, N failed`.
    pub fn summary_line(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }

    /// One line per step, then the closing line last.
    pub fn print_summary(&self) {
        eprintln!("\nsummary:");
        for o in &self.outcomes {
            match &o.error {
                None => eprintln!("  ok    {}", o.name),
                Some(e) => eprintln!("  FAIL  {}: {e}", o.name),
            }
        }
        println!("{}", self.summary_line());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_keeps_going_after_a_failure() {
        let mut steps = Steps::default();
        assert!(steps.run("one", || Ok(())));
        assert!(!steps.run("two", || anyhow::bail!("boom")));
        assert!(steps.run("three", || Ok(())));
        assert_eq!(steps.summary_line(), "2 passed, 1 failed");
        assert_eq!(steps.outcomes()[1].error.as_deref(), Some("boom"));
    }
}
