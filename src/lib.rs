//! The core of the extension: everything it *decides*, as a pipeline a reader can follow in
//! order. Plain Rust, no browser APIs, unit-tested natively.
//!
//! 1. [`page`] — **what the page is**: the [`PageSnapshot`] the sensor reads (markup
//!    markers, the text of the few places errors show, the HTTP status and headers), the
//!    [`ErrorKind`]s, and the [`Diagnosis`] with its evidence.
//! 2. [`recognise`] — **what is wrong with it**: the places the sensor reads
//!    ([`recognise::sensor_spec`], applied by the content script and by the native tests
//!    alike), text folding and evidence, and the **table of known errors**
//!    ([`recognise::signatures::SIGNATURES`]) that [`classify`] runs the snapshot through.
//!    Where error X is recognised has one answer: its row in that table.
//! 3. [`respond`] — **what to tell the person**: the badge and the popup's texts
//!    ([`respond::presentation`]), the ranked actions ([`respond::advice`]), the support
//!    report ([`respond::report`]).
//! 4. [`plans`] — **what the glue carries out**: the retry machine and the reload budget
//!    every tab shares, the clear plans per browser and tab, OpenAI's status, the options, the
//!    saved prompt, and every number the glue needs ([`plans::policy`]).
//! 5. `wasm` (WebAssembly builds only) — **the boundary**: one function per export, each a
//!    call into the core; the only module that knows `wasm_bindgen` or `JsValue`. No module
//!    of the core imports it.
//!
//! Adding a new error means adding a row to the table and a fixture under
//! `tests/fixtures/` (see ARCHITECTURE.md).

pub mod page;
pub mod plans;
pub mod recognise;
pub mod respond;

mod named;
pub(crate) mod stable_sort;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use page::diagnosis::{Confidence, Diagnosis, Evidence, EvidenceSource};
pub use page::kind::ErrorKind;
pub use page::snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
pub use recognise::classify::classify;

// SAFETY: the module has one thread (wasm32-unknown-unknown without atomics), so the
// allocator is never entered twice at once.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
