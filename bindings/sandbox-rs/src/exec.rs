//! `execute` off the JS thread: the request crosses once (built on the JS thread), the command
//! runs on the libuv pool under the policy's prepared isolation, and the result comes back as
//! Buffers.

use std::sync::Arc;

use accel_sandbox::exec::{run_audited, ExecError, ExecRequest, ExecResult, Isolation};
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

use crate::audit::AUDIT;
use crate::prepared::SharedIsolation;
use crate::without_panics;

/// A request as `index.js` sends it, its arguments already checked there.
#[napi(object)]
pub struct JsExecRequest {
    pub cmd: String,
    pub args: Vec<String>,
    pub cwd: Option<String>,
    pub timeout_ms: Option<f64>,
    pub stdin: Option<Uint8Array>,
    pub max_output_bytes: Option<f64>,
    /// `[name, value]` pairs: the command's whole environment.
    pub env: Option<Vec<Vec<String>>>,
}

#[napi(object)]
pub struct JsExecResult {
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub stdout: Buffer,
    pub stderr: Buffer,
    pub duration_ms: f64,
    pub timed_out: bool,
    pub truncated: bool,
}

impl JsExecRequest {
    pub(crate) fn into_request(self, isolation: Isolation) -> Result<ExecRequest> {
        let env = self
            .env
            .map(|pairs| pairs.into_iter().map(env_pair).collect::<Result<Vec<_>>>())
            .transpose()?;
        Ok(ExecRequest {
            cmd: self.cmd,
            args: self.args,
            cwd: self.cwd.map(Into::into),
            timeout_ms: self.timeout_ms.map(|ms| ms as u64),
            stdin: self.stdin.map(|bytes| bytes.to_vec()),
            max_output_bytes: self.max_output_bytes.map(|n| n as usize),
            env,
            isolation,
        })
    }
}

fn env_pair(pair: Vec<String>) -> Result<(String, String)> {
    match <[String; 2]>::try_from(pair) {
        Ok([name, value]) => Ok((name, value)),
        Err(pair) => Err(Error::new(
            Status::InvalidArg,
            format!(
                "env entries must be [name, value] pairs, got {} items",
                pair.len()
            ),
        )),
    }
}

pub struct ExecTask {
    pub(crate) request: Option<ExecRequest>,
    pub(crate) isolation: Arc<SharedIsolation>,
}

#[napi]
impl Task for ExecTask {
    type Output = ExecResult;
    type JsValue = JsExecResult;

    fn compute(&mut self) -> Result<ExecResult> {
        let request = self.request.take().ok_or_else(|| {
            Error::new(
                Status::GenericFailure,
                "internal error: an execute task ran twice",
            )
        })?;
        without_panics(|| execute_audited(request, &self.isolation).map_err(exec_error))
    }

    fn resolve(&mut self, _env: Env, result: ExecResult) -> Result<JsExecResult> {
        Ok(JsExecResult {
            exit_code: result.exit_code,
            signal: result.signal,
            stdout: result.stdout.into(),
            stderr: result.stderr.into(),
            duration_ms: result.duration_ms,
            timed_out: result.timed_out,
            truncated: result.truncated,
        })
    }
}

/// Runs `request` under the shared prepared isolation (preparing it if needed) and records one
/// audit entry, as the engine's `execute_audited` does for an unprepared request.
fn execute_audited(
    request: ExecRequest,
    isolation: &SharedIsolation,
) -> std::result::Result<ExecResult, ExecError> {
    let command_line = request.command_line();
    run_audited(&AUDIT, &command_line, || {
        isolation
            .prepared()
            .and_then(|prepared| prepared.execute(request))
    })
}

fn exec_error(error: ExecError) -> Error {
    let status = match error {
        ExecError::InvalidRequest(_) => Status::InvalidArg,
        _ => Status::GenericFailure,
    };
    Error::new(status, format!("execute: {error}"))
}
