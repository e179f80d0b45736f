//! The core of the extension: everything it *decides*.
//!
//! Plain Rust, no browser APIs, unit-tested natively. The browser glue (JavaScript and
//! the single `wasm` module) reads the page, hands a [`PageSnapshot`] to [`classify`], and
//! carries out what the core returns. Adding a new error means adding a row to
//! [`signatures::SIGNATURES`] and a fixture under `tests/fixtures/`.

pub mod advice;
pub mod classify;
pub mod diagnosis;
pub mod draft;
pub mod evidence;
pub mod kind;
mod named;
pub mod policy;
pub mod presentation;
pub mod report;
pub mod retry;
pub mod retry_budget;
pub mod sensor_spec;
pub mod settings;
pub mod signatures;
pub mod site_data;
pub mod snapshot;
pub mod status;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use classify::classify;
pub use diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
pub use kind::ErrorKind;
pub use snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
