//! What to tell the person: the badge and the popup's texts, the ranked actions, the
//! support report.

pub mod advice;
pub mod card;
pub mod early_badge;
pub mod presentation;
pub mod report;
pub mod unchecked;
pub mod verdict;
