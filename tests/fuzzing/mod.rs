//! Fuzzing the core: adversarial inputs, the targets they are fed to, and a driver that runs
//! them with a per-input time bound.
//!
//! Shared, through `#[path]`, by `tests/fuzz.rs` (a short run with a fixed seed, part of
//! `cargo test`) and `cargo xtask fuzz` (a long, optimised run): one generator, so an input
//! the long run finds replays anywhere from its seed. No `#[test]`s in here, or they would run
//! once per crate that includes the module.

pub mod actions;
pub mod driver;
pub mod inputs;
pub mod json;
pub mod rng;
pub mod strings;
pub mod targets;
