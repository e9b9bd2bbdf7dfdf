//! Shared by the diff parity tests: running a `DiffCall` on the accel-diff engine, and random cases.

#![allow(dead_code)] // each test binary uses a different part

pub mod cases;
pub mod engine;
