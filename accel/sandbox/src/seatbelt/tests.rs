use super::*;

fn paths(items: &[&str]) -> Vec<PathBuf> {
    items.iter().map(PathBuf::from).collect()
}

fn denied() -> Vec<PathBuf> {
    paths(&["/Users/dev/.ssh", "/Users/dev/.aws", "/etc/sudoers"])
}

#[test]
fn workspace_mode_reads_everywhere_and_writes_in_the_roots() {
    insta::assert_snapshot!(profile(&ProfileInput {
        read_roots: None,
        write_roots: Some(paths(&["/Users/dev/project", "/Users/dev/with \"quote\""])),
        denied: denied(),
        network: NetworkAccess::None,
        allowed_hosts: Vec::new(),
    }));
}

#[test]
fn full_isolation_with_an_allowlist() {
    insta::assert_snapshot!(profile(&ProfileInput {
        read_roots: Some(paths(&["/Users/dev/project"])),
        write_roots: Some(paths(&["/Users/dev/project"])),
        denied: denied(),
        network: NetworkAccess::Allowlist,
        allowed_hosts: vec!["registry.npmjs.org".into(), "github.com".into()],
    }));
}

#[test]
fn no_isolation_with_full_network() {
    insta::assert_snapshot!(profile(&ProfileInput {
        read_roots: None,
        write_roots: None,
        denied: Vec::new(),
        network: NetworkAccess::Full,
        allowed_hosts: Vec::new(),
    }));
}

#[test]
fn temp_mode_writes_only_the_temp_directory() {
    insta::assert_snapshot!(profile(&ProfileInput {
        read_roots: Some(paths(&["/Users/dev/project", "/private/tmp"])),
        write_roots: Some(paths(&["/private/tmp"])),
        denied: denied(),
        network: NetworkAccess::None,
        allowed_hosts: Vec::new(),
    }));
}

#[test]
fn a_policy_profile_denies_its_blocked_paths_and_allows_its_roots() {
    let tree = std::fs::canonicalize(std::env::temp_dir()).unwrap();
    let tree = tree.to_str().unwrap();
    let policy = SandboxPolicy::new(crate::policy::SandboxConfig {
        fs_isolation: crate::policy::FsIsolation::Full,
        allowed_roots: vec![PathBuf::from(tree)],
        home_directory: Some(PathBuf::from("/home/someone")),
        ..Default::default()
    })
    .unwrap();
    let text = profile_for(&policy);
    assert!(
        text.contains(&format!("(allow file-write* (subpath \"{tree}\"))")),
        "{text}"
    );
    assert!(text.contains("(subpath \"/home/someone/.ssh\")"), "{text}");
    assert!(text.contains("(deny network*)"), "{text}");
}
