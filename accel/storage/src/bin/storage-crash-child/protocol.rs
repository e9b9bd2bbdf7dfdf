//! What the crash child tells its parent, one line per fact on stdout, shared by the child
//! (`storage-crash-child`) and the tests that read it (`tests/crash_kill.rs`, `tests/faults.rs`,
//! which include this file by path):
//!
//! ```text
//! O <next sequence> <low-water mark>  the store is open
//! T <hash> <len>                      about to append a payload with this FNV-1a hash and length
//! A <seq> <hash> <len>                that payload is durable under sequence number <seq>
//! P <before>                          about to prune the events before <before>
//! Q <before>                          that prune is durable
//! C <hash> <len>                      about to save the checkpoint "crash" with this payload
//! D <hash> <len>                      that checkpoint is durable
//! E <message>                         an operation failed (the message, newlines escaped)
//! R <key> <value>                     a result of the fill mode's checks
//! ```
//!
//! A line is written with one `write` call before the next operation starts, so a parent that
//! SIGKILLs the child has seen every `A` whose append returned before the kill (and perhaps not
//! the very last one, which is fine: unreported events may exist, reported ones must).

#![allow(dead_code)] // the child and each test use a different part

/// The checkpoint the append mode saves now and then.
pub const CRASH_CHECKPOINT: &str = "crash";

/// FNV-1a, 64 bits: independent of the engine's CRC32C, so a payload the engine mangled but
/// re-checksummed still fails the comparison.
pub fn fnv1a64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// SplitMix64: a seeded generator for payloads, sizes and timings.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn fill(&mut self, buffer: &mut [u8]) {
        for chunk in buffer.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut data = vec![0; len];
        self.fill(&mut data);
        data
    }
}

/// One line of the child's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Opened { next: u64, low_water_mark: u64 },
    Trying { hash: u64, len: u64 },
    Acked { seq: u64, hash: u64, len: u64 },
    Pruning { before: u64 },
    Pruned { before: u64 },
    Saving { hash: u64, len: u64 },
    Saved { hash: u64, len: u64 },
    Failed(String),
    Result { key: String, value: String },
}

impl Line {
    pub fn to_text(&self) -> String {
        match self {
            Line::Opened {
                next,
                low_water_mark,
            } => format!("O {next} {low_water_mark}\n"),
            Line::Trying { hash, len } => format!("T {hash:016x} {len}\n"),
            Line::Acked { seq, hash, len } => format!("A {seq} {hash:016x} {len}\n"),
            Line::Pruning { before } => format!("P {before}\n"),
            Line::Pruned { before } => format!("Q {before}\n"),
            Line::Saving { hash, len } => format!("C {hash:016x} {len}\n"),
            Line::Saved { hash, len } => format!("D {hash:016x} {len}\n"),
            Line::Failed(message) => format!("E {}\n", message.replace('\n', "\\n")),
            Line::Result { key, value } => format!("R {key} {}\n", value.replace('\n', "\\n")),
        }
    }

    pub fn parse(line: &str) -> Result<Line, String> {
        let bad = || format!("unreadable line from the crash child: {line:?}");
        let (tag, rest) = line.split_once(' ').ok_or_else(bad)?;
        let fields: Vec<&str> = rest.split(' ').collect();
        let number = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .ok_or_else(bad)
        };
        let hash = |i: usize| {
            fields
                .get(i)
                .and_then(|f| u64::from_str_radix(f, 16).ok())
                .ok_or_else(bad)
        };
        match tag {
            "O" => Ok(Line::Opened {
                next: number(0)?,
                low_water_mark: number(1)?,
            }),
            "T" => Ok(Line::Trying {
                hash: hash(0)?,
                len: number(1)?,
            }),
            "A" => Ok(Line::Acked {
                seq: number(0)?,
                hash: hash(1)?,
                len: number(2)?,
            }),
            "P" => Ok(Line::Pruning { before: number(0)? }),
            "Q" => Ok(Line::Pruned { before: number(0)? }),
            "C" => Ok(Line::Saving {
                hash: hash(0)?,
                len: number(1)?,
            }),
            "D" => Ok(Line::Saved {
                hash: hash(0)?,
                len: number(1)?,
            }),
            "E" => Ok(Line::Failed(rest.to_owned())),
            "R" => {
                let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
                Ok(Line::Result {
                    key: key.to_owned(),
                    value: value.to_owned(),
                })
            }
            _ => Err(bad()),
        }
    }
}
