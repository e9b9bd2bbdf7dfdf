//! The sandbox track's contract (see `oracle/CONTRACTS.md`, Sandbox): `accel-sandbox`'s policy
//! engine and the JS reference `@ku0/sandbox-rs/reference` give the same decisions and reason
//! strings. The live oracle runs the reference through `oracle/js/sandbox-ops.mjs`.
//!
//! Paths refer to a fixture tree whose layout the JS side defines (`fixtureLayout`); recordings
//! write its root as `@`. This module builds the tree, puts the root into recorded arguments
//! and takes it back out of answers, so both sides are compared on the same terms.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::live::Request;
use crate::value::JsValue;

pub const TRACK: &str = "sandbox";
pub const REFERENCE: &str = "@ku0/sandbox-rs/reference";
/// What stands for the fixture root in recorded arguments and answers.
pub const ROOT_MARKER: &str = "@";

/// Directories, files and `[link, target]` pairs, relative to the fixture root; a target
/// starting with `@/` is absolute inside the fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureLayout {
    pub dirs: Vec<String>,
    pub files: Vec<String>,
    pub symlinks: Vec<(String, String)>,
}

fn strings(value: Option<&JsValue>, what: &str) -> Result<Vec<String>, String> {
    match value {
        Some(JsValue::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_text()
                    .and_then(|text| text.to_string_checked())
                    .ok_or_else(|| {
                        format!("{what}: expected strings, got {}", item.canonical_json())
                    })
            })
            .collect(),
        _ => Err(format!("{what}: expected an array")),
    }
}

impl FixtureLayout {
    pub fn from_js(value: &JsValue) -> Result<Self, String> {
        let symlinks = match value.get("symlinks") {
            Some(JsValue::Array(pairs)) => pairs
                .iter()
                .map(|pair| {
                    let pair = strings(Some(pair), "symlinks[]")?;
                    match <[String; 2]>::try_from(pair) {
                        Ok([link, target]) => Ok((link, target)),
                        Err(_) => Err("symlinks[]: expected [link, target]".to_owned()),
                    }
                })
                .collect::<Result<_, String>>()?,
            _ => return Err("fixture layout: expected a symlinks array".to_owned()),
        };
        Ok(FixtureLayout {
            dirs: strings(value.get("dirs"), "dirs")?,
            files: strings(value.get("files"), "files")?,
            symlinks,
        })
    }

    /// The request that asks the live oracle for the layout.
    pub fn request() -> Request {
        Request::new(TRACK, "fixtureLayout", Vec::new())
    }
}

/// A fixture tree in a fresh temp directory, removed when dropped.
pub struct Fixture {
    root: PathBuf,
    root_text: String,
}

impl Fixture {
    pub fn build(layout: &FixtureLayout, tag: &str) -> std::io::Result<Fixture> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "oracle-sandbox-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir)?;
        let root = fs::canonicalize(&dir)?;
        let root_text = root
            .to_str()
            .ok_or_else(|| std::io::Error::other("the temp dir is not UTF-8"))?
            .to_owned();
        let fixture = Fixture { root, root_text };
        for dir in &layout.dirs {
            fs::create_dir_all(fixture.root.join(dir))?;
        }
        for file in &layout.files {
            fs::write(fixture.root.join(file), format!("{file}\n"))?;
        }
        for (link, target) in &layout.symlinks {
            #[cfg(unix)]
            std::os::unix::fs::symlink(fixture.with_root(target), fixture.root.join(link))?;
            #[cfg(not(unix))]
            return Err(std::io::Error::other(format!(
                "the sandbox fixture needs symlinks ({link} -> {target}): unix only"
            )));
        }
        Ok(fixture)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `text` with a leading `@` (alone or before `/`) replaced by the root.
    pub fn with_root(&self, text: &str) -> String {
        if text == ROOT_MARKER {
            self.root_text.clone()
        } else if let Some(rest) = text.strip_prefix("@/") {
            format!("{}/{rest}", self.root_text)
        } else {
            text.to_owned()
        }
    }

    /// `value` with every string passed through [`Fixture::with_root`].
    pub fn substitute(&self, value: &JsValue) -> JsValue {
        map_strings(value, &|text| self.with_root(text))
    }

    /// `value` with every occurrence of the root in its strings written as `@`, as recorded.
    pub fn unsubstitute(&self, value: &JsValue) -> JsValue {
        map_strings(value, &|text| text.replace(&self.root_text, ROOT_MARKER))
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn map_strings(value: &JsValue, f: &dyn Fn(&str) -> String) -> JsValue {
    match value {
        JsValue::String(text) => match text.to_string_checked() {
            Some(text) => JsValue::string(f(&text)),
            None => value.clone(),
        },
        JsValue::Array(items) => {
            JsValue::Array(items.iter().map(|item| map_strings(item, f)).collect())
        }
        JsValue::Object(members) => JsValue::Object(
            members
                .iter()
                .map(|(key, item)| (key.clone(), map_strings(item, f)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `evaluate(config, path, intent)`.
pub fn evaluate_request(config: JsValue, path: &str, intent: &str) -> Request {
    Request::new(
        TRACK,
        "evaluate",
        vec![config, JsValue::string(path), JsValue::string(intent)],
    )
}

/// `checkFile(policy, workspaceRoot, homeDirectory, path, operation)`.
pub fn check_file_request(
    policy: JsValue,
    root: &str,
    home: &str,
    path: &str,
    operation: &str,
) -> Request {
    Request::new(
        TRACK,
        "checkFile",
        vec![
            policy,
            JsValue::string(root),
            JsValue::string(home),
            JsValue::string(path),
            JsValue::string(operation),
        ],
    )
}

/// `checkNetwork(policy, url, method)`.
pub fn check_network_request(policy: JsValue, url: &str, method: &str) -> Request {
    Request::new(
        TRACK,
        "checkNetwork",
        vec![policy, JsValue::string(url), JsValue::string(method)],
    )
}

/// `checkCommand(policy, command)`.
pub fn check_command_request(policy: JsValue, command: &str) -> Request {
    Request::new(
        TRACK,
        "checkCommand",
        vec![policy, JsValue::string(command)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_goes_in_and_comes_back_out() {
        let layout = FixtureLayout {
            dirs: vec!["w".into()],
            files: vec!["w/f".into()],
            symlinks: vec![("w/l".into(), "@/w/f".into())],
        };
        let fixture = Fixture::build(&layout, "unit").unwrap();
        let root = fixture.root().to_str().unwrap().to_owned();
        assert_eq!(
            fs::read_link(fixture.root().join("w/l")).unwrap(),
            PathBuf::from(format!("{root}/w/f"))
        );
        let args = JsValue::from_json(r#"["@", "@/w", "a@/b", {"k": ["@/x"]}, 1]"#).unwrap();
        let substituted = fixture.substitute(&args);
        assert_eq!(
            substituted.canonical_json(),
            JsValue::from_json(&format!(
                r#"["{root}", "{root}/w", "a@/b", {{"k": ["{root}/x"]}}, 1]"#
            ))
            .unwrap()
            .canonical_json()
        );
        assert_eq!(
            fixture.unsubstitute(&substituted).canonical_json(),
            args.canonical_json()
        );
    }
}
