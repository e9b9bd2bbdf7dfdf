//! The run history, `reports/history.sqlite`: every gate run with its metrics, for trends.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension};

use crate::results::{Metric, Source};

pub struct History {
    conn: Connection,
}

/// A past run as read back for the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct PastRun {
    pub id: i64,
    pub timestamp: String,
    pub git_commit: String,
    pub verdict: String,
    pub metrics: Vec<PastMetric>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PastMetric {
    pub source: String,
    pub name: String,
    pub unit: String,
    pub median: f64,
    pub p99: Option<f64>,
}

/// What is appended for one run.
pub struct RunRecord<'a> {
    pub timestamp: &'a str,
    pub git_commit: &'a str,
    pub platform: &'a str,
    pub verdict: &'a str,
    pub failures: usize,
    pub metrics: &'a [Metric],
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp   TEXT NOT NULL,
    git_commit  TEXT NOT NULL,
    platform    TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    failures    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    track    TEXT NOT NULL,
    source   TEXT NOT NULL,
    name     TEXT NOT NULL,
    unit     TEXT NOT NULL,
    median   REAL NOT NULL,
    p99      REAL,
    mean     REAL,
    samples  INTEGER,
    PRIMARY KEY (run_id, source, name)
);
CREATE INDEX IF NOT EXISTS runs_by_platform ON runs(platform, id);
";

impl History {
    pub fn open(path: &Path) -> Result<History> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open history {}", path.display()))?;
        History::init(conn)
            .with_context(|| format!("{} is not a usable history database", path.display()))
    }

    #[cfg(test)]
    pub fn in_memory() -> Result<History> {
        History::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<History> {
        conn.execute_batch(SCHEMA)?;
        Ok(History { conn })
    }

    pub fn append(&mut self, run: &RunRecord<'_>) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO runs (timestamp, git_commit, platform, verdict, failures) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![run.timestamp, run.git_commit, run.platform, run.verdict, run.failures as i64],
        )?;
        let run_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT OR REPLACE INTO metrics (run_id, track, source, name, unit, median, p99, mean, samples)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for m in run.metrics {
                insert.execute(params![
                    run_id,
                    m.track,
                    m.source.as_str(),
                    m.name,
                    m.unit,
                    m.median,
                    m.p99,
                    m.mean,
                    m.samples.map(|s| s as i64)
                ])?;
            }
        }
        tx.commit()?;
        Ok(run_id)
    }

    /// The most recent run of `platform` recorded strictly before `timestamp` (RFC 3339 UTC
    /// strings order like the times they name), so re-rendering a report never compares a
    /// run with itself.
    pub fn latest_before(&self, platform: &str, timestamp: &str) -> Result<Option<PastRun>> {
        let run = self
            .conn
            .query_row(
                "SELECT id, timestamp, git_commit, verdict FROM runs WHERE platform = ?1 AND timestamp < ?2
                 ORDER BY timestamp DESC, id DESC LIMIT 1",
                params![platform, timestamp],
                |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        let Some((id, timestamp, git_commit, verdict)) = run else {
            return Ok(None);
        };
        let mut query =
            self.conn.prepare("SELECT source, name, unit, median, p99 FROM metrics WHERE run_id = ?1 ORDER BY source, name")?;
        let metrics = query
            .query_map(params![id], |row| {
                Ok(PastMetric {
                    source: row.get(0)?,
                    name: row.get(1)?,
                    unit: row.get(2)?,
                    median: row.get(3)?,
                    p99: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(PastRun {
            id,
            timestamp,
            git_commit,
            verdict,
            metrics,
        }))
    }

    #[cfg(test)]
    pub fn run_count(&self, platform: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM runs WHERE platform = ?1",
            params![platform],
            |r| r.get(0),
        )?)
    }
}

impl PastRun {
    pub fn find(&self, source: Source, name: &str) -> Option<&PastMetric> {
        self.metrics
            .iter()
            .find(|m| m.source == source.as_str() && m.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::fixtures::metric;

    fn record<'a>(timestamp: &'a str, platform: &'a str, metrics: &'a [Metric]) -> RunRecord<'a> {
        RunRecord {
            timestamp,
            git_commit: "abc",
            platform,
            verdict: "pass",
            failures: 0,
            metrics,
        }
    }

    #[test]
    fn latest_returns_the_last_run_of_the_platform_with_its_metrics() {
        let mut history = History::in_memory().unwrap();
        assert_eq!(history.latest_before("linux-x64", "t9").unwrap(), None);
        let first = [metric(Source::Node, "a", "ms", 1.0, Some(2.0))];
        let second = [
            metric(Source::Node, "a", "ms", 3.0, None),
            metric(Source::Callgrind, "b", "instructions", 9.0, None),
        ];
        history.append(&record("t1", "linux-x64", &first)).unwrap();
        history.append(&record("t2", "linux-x64", &second)).unwrap();
        history
            .append(&record("t3", "darwin-arm64", &first))
            .unwrap();
        let latest = history.latest_before("linux-x64", "t9").unwrap().unwrap();
        assert_eq!(latest.timestamp, "t2");
        assert_eq!(latest.metrics.len(), 2);
        assert_eq!(latest.find(Source::Node, "a").unwrap().median, 3.0);
        assert_eq!(latest.find(Source::Node, "a").unwrap().p99, None);
        assert_eq!(history.run_count("linux-x64").unwrap(), 2);
        let before_second = history.latest_before("linux-x64", "t2").unwrap().unwrap();
        assert_eq!(
            before_second.timestamp, "t1",
            "a run is never its own previous run"
        );
    }

    #[test]
    fn history_persists_across_opens() {
        let dir = std::env::temp_dir().join(format!("ku0-history-test-{}", std::process::id()));
        let path = dir.join("history.sqlite");
        let _ = std::fs::remove_file(&path);
        let metrics = [metric(Source::Criterion, "diff/x", "ns", 5.0, None)];
        History::open(&path)
            .unwrap()
            .append(&record("t1", "linux-x64", &metrics))
            .unwrap();
        let reopened = History::open(&path).unwrap();
        assert_eq!(
            reopened
                .latest_before("linux-x64", "t9")
                .unwrap()
                .unwrap()
                .metrics[0]
                .name,
            "diff/x"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("ku0-history-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("history.sqlite");
        std::fs::write(
            &path,
            "this is not a database, just text that is long enough to be a header....",
        )
        .unwrap();
        let err = History::open(&path)
            .err()
            .expect("opening garbage must fail");
        assert!(
            format!("{err:#}").contains("not a usable history database"),
            "{err:#}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
