//! Inputs shared by the storage benches (criterion and iai): seeded, so every run measures the
//! same bytes. A directory module, so cargo does not take it for a bench target of its own.
#![allow(dead_code)]

use benches::SplitMix64;

/// `len` random bytes (an event payload: incompressible, as encrypted or hashed data is).
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

const WORDS: [&str; 24] = [
    "the",
    "agent",
    "tool",
    "call",
    "result",
    "file",
    "src/lib.rs",
    "error",
    "line",
    "function",
    "returns",
    "value",
    "assistant",
    "user",
    "context",
    "token",
    "message",
    "update",
    "patch",
    "test",
    "passed",
    "failed",
    "build",
    "cache",
];

/// About `len` bytes of JSON-like agent state (messages with ids, roles and text): what
/// checkpoints hold, and what decides how well zstd compresses them.
pub fn checkpoint_state(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::with_capacity(len + 256);
    out.push('[');
    let mut id = 0u64;
    while out.len() < len {
        let role = ["user", "assistant", "tool"][(rng.next_u64() % 3) as usize];
        let words = 8 + rng.next_u64() % 40;
        let text: Vec<&str> = (0..words)
            .map(|_| WORDS[(rng.next_u64() % WORDS.len() as u64) as usize])
            .collect();
        out.push_str(&format!(
            "{{\"id\":{id},\"role\":\"{role}\",\"ts\":{},\"text\":\"{}\"}},",
            1_700_000_000_000u64 + rng.next_u64() % 1_000_000_000,
            text.join(" ")
        ));
        id += 1;
    }
    let mut bytes = out.into_bytes();
    bytes.truncate(len);
    bytes
}
