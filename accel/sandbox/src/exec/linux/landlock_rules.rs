//! The Landlock ruleset of an [`Isolation`], built in the parent so the child only has to call
//! `landlock_restrict_self` on the descriptor (no allocation after `clone`).

use std::os::fd::OwnedFd;
use std::path::Path;

use landlock::{
    Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreated, RulesetCreatedAttr, Scope, ABI,
};

use crate::exec::grants::grants_excluding;
use crate::exec::{ExecError, Isolation, NetworkIsolation};

/// The Landlock ABI version the running kernel offers (0 when Landlock is off or absent).
pub fn kernel_abi_version() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: the documented version query: no ruleset attribute, size 0, the VERSION flag.
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    i32::try_from(version).unwrap_or(0).max(0)
}

fn landlock_error(detail: impl std::fmt::Display) -> ExecError {
    ExecError::Isolation {
        layer: "landlock",
        detail: detail.to_string(),
    }
}

/// The ruleset descriptor to enforce in the child, or None when the isolation asks for nothing
/// Landlock enforces. Fails when a requested restriction is unavailable.
pub fn build_ruleset(isolation: &Isolation) -> Result<Option<OwnedFd>, ExecError> {
    let version = kernel_abi_version();
    if version == 0 {
        if isolation.restrict_filesystem {
            return Err(landlock_error(
                "the kernel offers no Landlock (CONFIG_SECURITY_LANDLOCK off or `lsm=` without landlock)",
            ));
        }
        // Without filesystem rules Landlock would only add TCP rules and scoping; seccomp
        // already denies every socket family but AF_UNIX, and every `connect`, when the network is off.
        return Ok(None);
    }
    let abi = ABI::from(version);
    let deny_tcp = isolation.network == NetworkIsolation::None && version >= 4;
    let scoping = version >= 6;
    if !isolation.restrict_filesystem && !deny_tcp && !scoping {
        return Ok(None);
    }

    let mut ruleset = Ruleset::default().set_compatibility(CompatLevel::HardRequirement);
    if isolation.restrict_filesystem {
        ruleset = ruleset
            .handle_access(AccessFs::from_all(abi))
            .map_err(landlock_error)?;
    }
    if deny_tcp {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(abi))
            .map_err(landlock_error)?;
    }
    if scoping {
        ruleset = ruleset
            .scope(Scope::from_all(abi))
            .map_err(landlock_error)?;
    }
    let mut created = ruleset.create().map_err(landlock_error)?;
    if isolation.restrict_filesystem {
        created = add_filesystem_rules(created, isolation, abi)?;
    }
    let fd: Option<OwnedFd> = created.into();
    fd.map(Some)
        .ok_or_else(|| landlock_error("the kernel accepted no ruleset"))
}

fn add_filesystem_rules(
    mut created: RulesetCreated,
    isolation: &Isolation,
    abi: ABI,
) -> Result<RulesetCreated, ExecError> {
    let read = AccessFs::from_read(abi);
    let write = AccessFs::from_all(abi);
    let device = AccessFs::ReadFile | AccessFs::WriteFile | truncate_if_known(abi);
    let groups = [
        (&isolation.read_roots, read, true),
        (&isolation.write_roots, write, true),
        (&isolation.system_read_paths, read, false),
        (&isolation.system_write_paths, device, false),
    ];
    for (paths, access, required) in groups {
        for path in paths {
            if required && std::fs::metadata(path).is_err() {
                return Err(landlock_error(format!(
                    "sandbox root {} does not exist or cannot be reached",
                    path.display()
                )));
            }
            for grant in grants_excluding(path, &isolation.deny_paths).map_err(landlock_error)? {
                created = add_rule(created, &grant, access, abi)?;
            }
        }
    }
    Ok(created)
}

fn truncate_if_known(abi: ABI) -> BitFlags<AccessFs> {
    AccessFs::from_all(abi) & AccessFs::Truncate
}

/// Adds `access` beneath `path`.
fn add_rule(
    created: RulesetCreated,
    path: &Path,
    access: BitFlags<AccessFs>,
    abi: ABI,
) -> Result<RulesetCreated, ExecError> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| landlock_error(format!("cannot open {}: {e}", path.display())))?;
    // A rule on a file may only carry the rights that apply to files.
    let access = if metadata.is_dir() {
        access
    } else {
        access & AccessFs::from_file(abi)
    };
    let fd = PathFd::new(path)
        .map_err(|e| landlock_error(format!("cannot open {}: {e}", path.display())))?;
    created
        .add_rule(PathBeneath::new(fd, access))
        .map_err(|e| landlock_error(format!("rule for {}: {e}", path.display())))
}
