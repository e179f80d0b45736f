//! What is wrong with the page: the places the sensor reads, text folding and evidence, the
//! table of known errors, and `classify`, which runs a snapshot through it.

pub mod classify;
pub mod evidence;
pub mod sensor_spec;
pub mod signatures;
pub mod text;
