//! The `NativeSandboxPolicy` class behind `index.js`'s `SandboxPolicy`: decisions, `execute` on
//! the libuv pool, and file access through a root directory handle.

use std::sync::Arc;

use accel_sandbox::exec::Isolation;
use accel_sandbox::policy::{Intent, SandboxConfig, SandboxPolicy};
use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8Array};
use napi::{Error, Result, Status};
use napi_derive::napi;

use crate::config::JsSandboxConfig;
use crate::exec::{ExecTask, JsExecRequest};
use crate::files;
use crate::prepared::SharedIsolation;

#[napi(object)]
pub struct JsDecision {
    /// `allow`, `deny` or `needs_confirmation`.
    pub decision: String,
    pub reason: Option<String>,
}

#[napi]
pub struct NativeSandboxPolicy {
    policy: Arc<SandboxPolicy>,
    isolation: Arc<SharedIsolation>,
}

#[napi]
impl NativeSandboxPolicy {
    /// Resolves the roots, working directory and blocked paths of `config` once.
    #[napi(constructor, catch_unwind)]
    pub fn new(config: JsSandboxConfig) -> Result<Self> {
        let config = SandboxConfig::try_from(config)?;
        let policy = SandboxPolicy::new(config)
            .map_err(|e| Error::new(Status::InvalidArg, format!("createSandbox: {e}")))?;
        let isolation = Arc::new(SharedIsolation::new(Isolation::from_policy(&policy)));
        Ok(NativeSandboxPolicy {
            policy: Arc::new(policy),
            isolation,
        })
    }

    #[napi(catch_unwind)]
    pub fn evaluate_file_action(&self, path: String, intent: String) -> Result<JsDecision> {
        let intent = parse_intent(&intent)?;
        let decision = self.policy.evaluate_file_action(&path, intent);
        Ok(JsDecision {
            decision: decision.decision.name().to_owned(),
            reason: decision.reason,
        })
    }

    /// The canonical allowed roots.
    #[napi(catch_unwind)]
    pub fn roots(&self) -> Vec<String> {
        self.policy
            .roots()
            .iter()
            .map(|root| root.to_string_lossy().into_owned())
            .collect()
    }

    /// Runs the request under the isolation this policy asks for, on the libuv pool. The
    /// isolation is prepared at the first call and reused (see `prepared.rs`).
    #[napi(catch_unwind, ts_return_type = "Promise<JsExecResult>")]
    pub fn execute(&self, request: JsExecRequest) -> Result<AsyncTask<ExecTask>> {
        let isolation = self.isolation.isolation().clone();
        Ok(AsyncTask::new(ExecTask {
            request: Some(request.into_request(isolation)?),
            isolation: Arc::clone(&self.isolation),
        }))
    }

    #[napi(catch_unwind)]
    pub fn read(&self, path: String) -> Result<Buffer> {
        files::read(&self.policy, &path).map(Buffer::from)
    }

    #[napi(catch_unwind)]
    pub fn write(&self, path: String, data: Uint8Array) -> Result<()> {
        files::write(&self.policy, &path, &data)
    }

    #[napi(catch_unwind)]
    pub fn list(&self, path: String) -> Result<Vec<String>> {
        files::list(&self.policy, &path)
    }
}

fn parse_intent(name: &str) -> Result<Intent> {
    Intent::parse(name)
        .map_err(|e| Error::new(Status::InvalidArg, format!("evaluateFileAction: {e}")))
}
