//! Landlock can only grant, never carve a hole out of a grant. To grant a tree except some
//! paths inside it (the policy's blocked paths: `/etc/shadow` inside `/etc`, `~/.ssh` inside a
//! readable home), the grant is split: every entry along the way to a denied path is granted on
//! its own, and the denied path is left out.

use std::path::{Path, PathBuf};

/// Past this many split grants the isolation is refused rather than built slowly.
pub const MAX_GRANTS: usize = 20_000;

/// The paths to grant so that all of `path` is covered except each of `deny` (canonical paths)
/// and what lies beneath them. `path` is canonicalized; a missing `path` yields nothing.
pub fn grants_excluding(path: &Path, deny: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let Ok(canonical) = std::fs::canonicalize(path) else {
        return Ok(Vec::new());
    };
    let mut grants = Vec::new();
    split(&canonical, deny, &mut grants)?;
    Ok(grants)
}

fn split(path: &Path, deny: &[PathBuf], grants: &mut Vec<PathBuf>) -> Result<(), String> {
    if deny.iter().any(|denied| path.starts_with(denied)) {
        return Ok(());
    }
    if !deny.iter().any(|denied| denied.starts_with(path)) {
        if grants.len() == MAX_GRANTS {
            return Err(format!(
                "more than {MAX_GRANTS} separate grants are needed to leave the blocked paths out"
            ));
        }
        grants.push(path.to_path_buf());
        return Ok(());
    }
    // A denied path lies strictly beneath `path`: grant its entries one by one.
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot list {}: {e}", path.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", path.display()))?;
        let child = entry.path();
        // A symlink is granted as what it points to, like the Landlock rule would be; any
        // other entry of a canonical directory already has its canonical path.
        let is_symlink = entry.file_type().is_ok_and(|t| t.is_symlink());
        if !is_symlink {
            split(&child, deny, grants)?;
        } else if let Ok(target) = std::fs::canonicalize(&child) {
            split(&target, deny, grants)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denied_paths_are_carved_out_of_a_grant() {
        let base = std::env::temp_dir().join(format!("ku0-grants-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        for dir in ["a/secret/deep", "a/open", "b"] {
            std::fs::create_dir_all(base.join(dir)).unwrap();
        }
        std::fs::write(base.join("a/file"), "x").unwrap();
        std::os::unix::fs::symlink(base.join("a/secret"), base.join("b/link")).unwrap();
        let base = std::fs::canonicalize(&base).unwrap();
        let deny = vec![base.join("a/secret")];

        let mut grants = grants_excluding(&base, &deny).unwrap();
        grants.sort();
        // `b` holds only a symlink into the denied path, so it is granted whole: Landlock
        // checks the object a path resolves to, not the name of the link.
        assert_eq!(
            grants,
            vec![base.join("a/file"), base.join("a/open"), base.join("b")]
        );
        // Nothing granted covers the denied path.
        assert!(grants.iter().all(|g| !deny[0].starts_with(g)));
        assert!(grants_excluding(&base.join("a/secret/deep"), &deny)
            .unwrap()
            .is_empty());
        assert_eq!(
            grants_excluding(&base.join("a/open"), &deny).unwrap(),
            vec![base.join("a/open")]
        );
        assert!(grants_excluding(&base.join("missing"), &deny)
            .unwrap()
            .is_empty());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
