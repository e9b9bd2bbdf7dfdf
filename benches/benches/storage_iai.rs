//! Instruction counts of the storage track's CPU work (iai-callgrind): encoding and verifying 100
//! records of 256 bytes, and encoding/decoding a 64 KB checkpoint. Syscalls (write, fdatasync)
//! are not comparable under callgrind; criterion measures those (storage_criterion.rs).

#[path = "storage_inputs/mod.rs"]
mod storage_inputs;

use std::hint::black_box;

use accel_storage::format::{encode_record, verify_records};
use accel_storage::{decode_checkpoint, encode_checkpoint};
use iai_callgrind::{library_benchmark, library_benchmark_group, main};
use storage_inputs::{checkpoint_state, random_bytes};

fn hundred_payloads() -> Vec<Vec<u8>> {
    (0..100).map(|i| random_bytes(i, 256)).collect()
}

fn hundred_records() -> Vec<u8> {
    let mut out = Vec::new();
    for (seq, payload) in hundred_payloads().iter().enumerate() {
        encode_record(&mut out, seq as u64, payload);
    }
    out
}

fn checkpoint_64kb() -> Vec<u8> {
    checkpoint_state(3, 64 << 10)
}

fn encoded_checkpoint_64kb() -> Vec<u8> {
    let (header, frame) = encode_checkpoint(&checkpoint_64kb()).expect("compress");
    [&header[..], &frame].concat()
}

#[library_benchmark]
#[bench::hundred_256b(setup = hundred_payloads)]
fn encode_records(payloads: Vec<Vec<u8>>) -> usize {
    let mut out = Vec::with_capacity(100 * 272);
    for (seq, payload) in payloads.iter().enumerate() {
        encode_record(&mut out, seq as u64, black_box(payload));
    }
    black_box(out.len())
}

#[library_benchmark]
#[bench::hundred_256b(setup = hundred_records)]
fn verify_hundred(records: Vec<u8>) -> u64 {
    black_box(verify_records(black_box(&records), 0))
}

#[library_benchmark]
#[bench::state_64kb(setup = checkpoint_64kb)]
fn checkpoint_encode(data: Vec<u8>) -> usize {
    black_box(
        encode_checkpoint(black_box(&data))
            .expect("compress")
            .1
            .len(),
    )
}

#[library_benchmark]
#[bench::state_64kb(setup = encoded_checkpoint_64kb)]
fn checkpoint_decode(file: Vec<u8>) -> usize {
    black_box(decode_checkpoint(black_box(&file)).expect("decode").len())
}

library_benchmark_group!(
    name = storage;
    benchmarks = encode_records, verify_hundred, checkpoint_encode, checkpoint_decode
);
main!(library_benchmark_groups = storage);
