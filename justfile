# One-line recipes; the logic lives in xtask/ (`cargo xtask help`).

default:
    @cargo xtask help

setup:
    cargo xtask setup

setup-bench:
    cargo xtask setup --bench

test:
    cargo xtask test

record:
    cargo xtask record

record-check:
    cargo xtask record --check

bench:
    cargo xtask bench

bench-quick:
    cargo xtask bench --quick

gate:
    cargo xtask gate

gate-update-baseline:
    cargo xtask gate --update-baseline

report:
    cargo xtask report
