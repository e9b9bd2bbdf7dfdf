//! The parity oracle: proof that each native engine answers exactly as its JavaScript fallback.
//!
//! - [`recordings`]: the fallbacks' outputs over the corpora, recorded by `oracle/js/record.mjs`
//!   into `oracle/recordings/<track>/`, loaded here for replay against the engines (no Node needed).
//! - [`live`]: a client of `oracle/js/serve.mjs`, for property tests that ask the fallback about
//!   generated inputs.
//! - [`contracts`]: the calls each track's engine must answer, and how results are shaped.
//! - [`text`] / [`value`]: JavaScript strings (UTF-16, lone surrogates allowed) and JSON values.
//! - [`compare`]: exact comparison with messages that show the first difference.

pub mod compare;
pub mod contracts;
pub mod live;
pub mod paths;
pub mod recordings;
pub mod strategies;
pub mod text;
pub mod value;

pub use compare::{Expected, Outcome};
pub use text::Text;
pub use value::{JsError, JsValue};
