//! What the glue carries out: when to reload (one tab's retry run, and the reload budget all
//! tabs share), what each clear removes, OpenAI's status, the options, the saved prompt, and
//! the numbers the glue needs.

pub mod answer_retry;
pub mod challenge;
pub mod draft;
pub mod first_run;
pub mod fix_memory;
pub mod hands_free;
pub mod pending;
pub mod policy;
pub mod retry;
pub mod retry_budget;
pub mod settings;
pub mod site_data;
pub mod status;
pub mod trace;
