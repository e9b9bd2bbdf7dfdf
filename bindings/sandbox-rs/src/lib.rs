//! SKELETON: the N-API surface of @ku0/sandbox-rs lands here.
use napi_derive::napi;

#[napi]
pub fn binding_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
