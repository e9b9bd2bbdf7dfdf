//! Constants of the table layout that build.rs writes and `tables` reads (build.rs includes this file).

/// "No token": the split of a single byte, the shorter prefix of a single byte.
pub const NONE: u32 = u32::MAX;
/// Set on a slot's rank when the slot holds a proper prefix of a token that is no token itself.
pub const PREFIX_ONLY: u32 = 1 << 31;
pub const EMPTY_SLOT: u64 = u64::MAX;
