//! What the page is: the snapshot the sensor reads, the kinds of error, the diagnosis.

pub mod diagnosis;
pub mod kind;
pub mod snapshot;
