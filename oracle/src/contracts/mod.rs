//! What "equal" means for each track (the prose is `oracle/CONTRACTS.md`): the typed calls that
//! recordings and the live oracle are turned into before they meet an engine.

pub mod diff;
pub mod sandbox;
pub mod storage;
pub mod tokenizer;
pub mod vectors;
