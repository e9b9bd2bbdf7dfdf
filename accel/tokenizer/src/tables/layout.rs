//! Constants of the table layout that build.rs writes and `tables` reads (build.rs includes this file).

/// "No token": the split of a single byte, the shorter prefix of a single byte.
pub const NONE: u32 = u32::MAX;
/// An empty slot of the token table.
pub const EMPTY_SLOT: u64 = u64::MAX;
/// Trie nodes are numbered below this bound: a token's node is its rank, a proper prefix that
/// is no token gets a number from the rank count up. An edge's key is `node << 8 | byte`.
#[allow(dead_code)]
pub const TRIE_NODE_LIMIT: u32 = 1 << 24;

/// The edge-table key of the edge leaving `node` on `byte`.
#[inline]
pub fn edge_key(node: u32, byte: u8) -> u32 {
    (node << 8) | u32::from(byte)
}
