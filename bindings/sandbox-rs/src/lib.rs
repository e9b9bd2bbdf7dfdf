//! N-API glue for `@ku0/sandbox-rs`: convert, call `accel-sandbox`, convert back. Argument checks
//! (types, enum names) live in `index.js` (`lib/args.js`); what the engine refuses comes back as an
//! Error with the engine's message. A panic here becomes a JS exception (`catch_unwind`, and
//! `without_panics` on pool threads), never an abort.

mod audit;
mod config;
mod exec;
mod files;
mod manager;
mod policy;
mod prepared;

use napi::{Error, Status};
use napi_derive::napi;

pub use audit::{audit_log, clear_audit_log};
pub use manager::{strict_policy_preset, workspace_policy_preset, NativeSandboxManager};
pub use policy::NativeSandboxPolicy;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The package version this binary was built for; the loader rejects a mismatch.
#[napi]
pub fn binding_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Runs `work`, turning a panic into an error: for code on the libuv pool's threads, where
/// `#[napi(catch_unwind)]` does not reach.
pub(crate) fn without_panics<R>(work: impl FnOnce() -> napi::Result<R>) -> napi::Result<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(Error::new(
            Status::GenericFailure,
            "internal error: the sandbox engine panicked",
        ))
    })
}
