//! The WebAssembly boundary: converts JavaScript values to the core's types and back.
//! No logic lives here; every function is one call into the core.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

use crate::{classify as core_classify, presentation, Diagnosis, PageSnapshot};

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `PageSnapshot` → `Diagnosis`.
#[wasm_bindgen]
pub fn classify(snapshot: JsValue) -> Result<JsValue, JsError> {
    to_js(&core_classify(&from_js::<PageSnapshot>(
        snapshot, "snapshot",
    )?))
}

/// `Diagnosis` → `{ text, color }` for the toolbar badge.
#[wasm_bindgen]
pub fn badge(diagnosis: JsValue) -> Result<JsValue, JsError> {
    to_js(&presentation::badge(&from_js::<Diagnosis>(
        diagnosis,
        "diagnosis",
    )?))
}

/// `Diagnosis` → `{ title, summary, causes }` message keys for the popup.
#[wasm_bindgen]
pub fn explain(diagnosis: JsValue) -> Result<JsValue, JsError> {
    to_js(&presentation::explain(&from_js::<Diagnosis>(
        diagnosis,
        "diagnosis",
    )?))
}
