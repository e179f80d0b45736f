//! The WebAssembly boundary: converts JavaScript values to the core's types and back.
//! No logic lives here; every function is one call into the core.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

use crate::plans::answer_retry::{self, AnswerPress, AnswerRetryInput};
use crate::plans::challenge::{self, ChallengeSeen};
use crate::plans::draft::{self, SavedDraft};
use crate::plans::first_run;
use crate::plans::fix_memory::{self, FixRecord, PendingFix};
use crate::plans::hands_free;
use crate::plans::pending;
use crate::plans::policy;
use crate::plans::retry::{self, RetryInput, RetryOutcome, RetryResult, RetryRun, TabRun};
use crate::plans::retry_budget;
use crate::plans::settings::{Settings, StoredSettings};
use crate::plans::site_data::{self, Browser, ClearTier, CookieInfo, TabContext};
use crate::plans::status::{self, OpenAiStatus};
use crate::plans::trace;
use crate::respond::advice::{self, ActionId, AdviceContext};
use crate::respond::card::{self, CardContext};
use crate::respond::presentation;
use crate::respond::report::{self, ReportContext};
use crate::respond::verdict::{self, VerdictInput};
use crate::{classify as core_classify, Diagnosis, PageSnapshot, ResponseInfo};

// The module's declarations (extension/core/error_doctor.d.ts) name each value's type; the
// types are generated from the core's own (`cargo xtask build` → core-types.d.ts).
#[wasm_bindgen(typescript_custom_section)]
const CORE_TYPES: &'static str = r#"
import type {
  AnswerPress, AnswerRetryDecision, AnswerRetryInput, ChallengeSeen, ErrorKind, FixRecord, PendingFix, Trace, Verdict, VerdictInput,
  ActionId, Advice, AdviceContext, Badge, Card, CardContext, Browser, ClearPlan, ClearTier, CookieInfo, CookieRemoval,
  Diagnosis, Explanation, Links, OpenAiStatus, PageSnapshot, PlannedReload, Policy,
  ReportContext, ResponseInfo, RetryCommand, RetryInput, RetryOutcome, RetryResult, RetryRun, Settings, TabContext, TabRun,
} from "../generated/core-types";
"#;

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `PageSnapshot` → `Diagnosis`.
#[wasm_bindgen(unchecked_return_type = "Diagnosis")]
pub fn classify(
    #[wasm_bindgen(unchecked_param_type = "Partial<PageSnapshot>")] snapshot: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&core_classify(&from_js::<PageSnapshot>(
        snapshot, "snapshot",
    )?))
}

/// `(url, ResponseInfo, now_ms)` → what the response's status and headers alone say (a
/// provisional `Diagnosis`, for the badge before the page's body is read).
#[wasm_bindgen(unchecked_return_type = "Diagnosis")]
pub fn provisional(
    url: &str,
    #[wasm_bindgen(unchecked_param_type = "Partial<ResponseInfo>")] response: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    let response = from_js::<ResponseInfo>(response, "response")?;
    to_js(&crate::recognise::classify::provisional(
        url,
        &response,
        Some(now_ms),
    ))
}

/// `Diagnosis` → `{ text, color }` for the toolbar badge.
#[wasm_bindgen(unchecked_return_type = "Badge")]
pub fn badge(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&presentation::badge(&from_js::<Diagnosis>(
        diagnosis,
        "diagnosis",
    )?))
}

/// `Diagnosis` → `{ title, summary, causes }` message keys for the popup.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&presentation::explain(&from_js::<Diagnosis>(
        diagnosis,
        "diagnosis",
    )?))
}

/// `(Diagnosis, AdviceContext)` → `Advice`: the ranked actions, status line and hints.
#[wasm_bindgen(unchecked_return_type = "Advice")]
pub fn advise(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<AdviceContext>")] context: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&advice::advise(
        &from_js::<Diagnosis>(diagnosis, "diagnosis")?,
        &from_js::<AdviceContext>(context, "advice context")?,
    ))
}

/// `RetryInput` → `RetryCommand`.
#[wasm_bindgen(unchecked_return_type = "RetryCommand")]
pub fn retry_step(
    #[wasm_bindgen(unchecked_param_type = "Partial<RetryInput>")] input: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&retry::step(&from_js::<RetryInput>(input, "retry input")?))
}

/// `AnswerRetryInput` → whether to press a failed answer's Retry by itself now.
#[wasm_bindgen(unchecked_return_type = "AnswerRetryDecision")]
pub fn answer_retry(
    #[wasm_bindgen(unchecked_param_type = "Partial<AnswerRetryInput>")] input: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&answer_retry::decide(&from_js::<AnswerRetryInput>(
        input,
        "answer retry input",
    )?))
}

/// `(AnswerPress[], AnswerPress)` → the presses to keep.
#[wasm_bindgen(unchecked_return_type = "AnswerPress[]")]
pub fn answer_retry_remember(
    #[wasm_bindgen(unchecked_param_type = "AnswerPress[]")] presses: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AnswerPress")] press: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&answer_retry::remember(
        from_js::<Vec<AnswerPress>>(presses, "presses").unwrap_or_default(),
        from_js::<AnswerPress>(press, "press")?,
    ))
}

/// `(RetryRun, the prompt could not be saved)` → whether the run may reload the tab.
#[wasm_bindgen]
pub fn hands_free_may_reload(
    #[wasm_bindgen(unchecked_param_type = "RetryRun")] run: JsValue,
    prompt_unsaved: bool,
) -> Result<bool, JsError> {
    Ok(hands_free::may_reload(
        &from_js::<RetryRun>(run, "run")?,
        prompt_unsaved,
    ))
}

/// `RetryResult` → the popup's message key for how the last run ended.
#[wasm_bindgen]
pub fn retry_result_message(
    #[wasm_bindgen(unchecked_param_type = "RetryResult")] result: JsValue,
) -> Result<String, JsError> {
    Ok(retry::result_message(&from_js::<RetryResult>(result, "retry result")?).to_string())
}

/// `(RetryOutcome, tab visible, Settings)` → a notification's message key, or null.
#[wasm_bindgen(unchecked_return_type = "string | null")]
pub fn retry_notification(
    #[wasm_bindgen(unchecked_param_type = "RetryOutcome")] outcome: JsValue,
    tab_visible: bool,
    #[wasm_bindgen(unchecked_param_type = "unknown")] settings: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&retry::notification_for(
        from_js::<RetryOutcome>(outcome, "outcome")?,
        tab_visible,
        &stored_settings(settings),
    ))
}

/// `(Diagnosis, now)` → when a stated usage limit resets, or null.
#[wasm_bindgen(unchecked_return_type = "number | null")]
pub fn limit_resets_at(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    to_js(&retry::limit_resets_at(
        &from_js::<Diagnosis>(diagnosis, "diagnosis")?,
        now_ms,
    ))
}

/// The status page's body → `OpenAiStatus` (unknown for anything that is not one).
#[wasm_bindgen(unchecked_return_type = "OpenAiStatus")]
pub fn parse_status(body: &str, checked_at_ms: f64) -> Result<JsValue, JsError> {
    // The browser's JSON parser, so the module carries none of its own.
    let mut s = status::parse_summary_with(body, |body| {
        serde_wasm_bindgen::from_value(js_sys::JSON::parse(body).ok()?).ok()
    });
    s.checked_at_ms = Some(checked_at_ms);
    to_js(&s)
}

/// The status reading a failed request leaves: unknown, as of now.
#[wasm_bindgen(unchecked_return_type = "OpenAiStatus")]
pub fn unknown_status(checked_at_ms: f64) -> Result<JsValue, JsError> {
    to_js(&OpenAiStatus {
        checked_at_ms: Some(checked_at_ms),
        ..OpenAiStatus::unknown()
    })
}

/// Is a stored status reading still good?
#[wasm_bindgen]
pub fn status_is_fresh(
    #[wasm_bindgen(unchecked_param_type = "unknown")] status: JsValue,
    now_ms: f64,
) -> bool {
    from_js::<OpenAiStatus>(status, "status").is_ok_and(|s| s.is_fresh(now_ms))
}

fn stored_settings(raw: JsValue) -> Settings {
    // Whatever storage holds (nothing, an old shape, garbage) gives usable settings.
    Settings::from_stored(&from_js::<StoredSettings>(raw, "settings").unwrap_or_default())
}

/// Stored settings → settings within bounds (defaults for anything unreadable).
#[wasm_bindgen(unchecked_return_type = "Settings")]
pub fn settings(
    #[wasm_bindgen(unchecked_param_type = "unknown")] raw: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&stored_settings(raw))
}

/// `(ClearTier, TabContext)` → `ClearPlan`, where the tab is `{ browser, incognito,
/// cookie_store_id }` (`tabs.get`'s `incognito` and `cookieStoreId`). A bare browser name
/// (`"chrome"`, `"firefox"`) is a tab of which nothing more is known: enough for the
/// confirmation's texts, which do not depend on the tab.
#[wasm_bindgen(unchecked_return_type = "ClearPlan")]
pub fn clear_plan(
    #[wasm_bindgen(unchecked_param_type = "ClearTier")] tier: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<TabContext> | Browser")] tab: JsValue,
) -> Result<JsValue, JsError> {
    let tab = if tab.is_string() {
        TabContext::of(from_js::<Browser>(tab, "browser")?)
    } else {
        from_js::<TabContext>(tab, "tab")?
    };
    to_js(&site_data::clear_plan(
        from_js::<ClearTier>(tier, "tier")?,
        &tab,
    ))
}

/// `(ClearTier, [cookie])` → the `cookies.remove` calls to make.
#[wasm_bindgen(unchecked_return_type = "CookieRemoval[]")]
pub fn cookies_to_remove(
    #[wasm_bindgen(unchecked_param_type = "ClearTier")] tier: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<CookieInfo>[]")] cookies: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&site_data::cookies_to_remove(
        from_js::<ClearTier>(tier, "tier")?,
        &from_js::<Vec<CookieInfo>>(cookies, "cookies")?,
    ))
}

/// `(Diagnosis, ReportContext)` → the support report's text.
#[wasm_bindgen]
pub fn support_report(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<ReportContext>")] context: JsValue,
) -> Result<String, JsError> {
    Ok(report::support_report(
        &from_js::<Diagnosis>(diagnosis, "diagnosis")?,
        &from_js::<ReportContext>(context, "report context")?,
    ))
}

/// The tab's URL → `{ login, status_page, help_center }`.
#[wasm_bindgen(unchecked_return_type = "Links")]
pub fn links(page_url: &str) -> Result<JsValue, JsError> {
    to_js(&report::links(page_url))
}

/// The numbers the glue needs (time-outs, polling intervals).
#[wasm_bindgen(unchecked_return_type = "Policy")]
pub fn policy() -> Result<JsValue, JsError> {
    to_js(&policy::POLICY)
}

/// Does a saved prompt (`SavedDraft`) belong in this page's composer now?
#[wasm_bindgen]
pub fn draft_fits(
    #[wasm_bindgen(unchecked_param_type = "unknown")] saved: JsValue,
    current_url: &str,
    current_account: Option<String>,
    now_ms: f64,
) -> bool {
    from_js::<SavedDraft>(saved, "draft").is_ok_and(|saved| {
        draft::draft_fits(&saved, current_url, current_account.as_deref(), now_ms)
    })
}

/// Is a prompt of this many characters small enough to keep in storage?
#[wasm_bindgen]
pub fn draft_storable(chars: u32) -> bool {
    draft::draft_storable(chars)
}

/// Is this URL a page of ChatGPT (the only pages the extension may reload or clear)?
#[wasm_bindgen]
pub fn is_chatgpt_url(url: &str) -> bool {
    crate::page::snapshot::is_chatgpt_url(url)
}

/// `([TabRun], recent reloads, now)` → each waiting tab's place in the shared plan.
#[wasm_bindgen(unchecked_return_type = "PlannedReload[]")]
pub fn retry_plan(
    #[wasm_bindgen(unchecked_param_type = "TabRun[]")] runs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] recent_reloads_ms: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    to_js(&retry_budget::plan(
        &retry::waiting_runs(&from_js::<Vec<TabRun>>(runs, "runs")?),
        &from_js::<Vec<f64>>(recent_reloads_ms, "recent reloads")?,
        now_ms,
    ))
}

/// The reloads to remember after one more now.
#[wasm_bindgen(unchecked_return_type = "number[]")]
pub fn retry_remember(
    #[wasm_bindgen(unchecked_param_type = "number[]")] recent_reloads_ms: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    to_js(&retry_budget::remember(
        &from_js::<Vec<f64>>(recent_reloads_ms, "recent reloads").unwrap_or_default(),
        now_ms,
    ))
}

/// `runtime.onInstalled`'s reason → open the welcome page?
#[wasm_bindgen]
pub fn opens_welcome(reason: &str) -> bool {
    first_run::opens_welcome(reason)
}

/// `(the tab's URL or null, whether a record of it is kept)` → has the extension not read
/// this ChatGPT tab yet (`unchecked::unchecked`)?
#[wasm_bindgen]
pub fn tab_unchecked(tab_url: Option<String>, has_record: bool) -> bool {
    crate::respond::unchecked::unchecked(tab_url.as_deref(), has_record)
}

/// `PageSnapshot` → is the document the running app (not an error document)?
#[wasm_bindgen]
pub fn app_document(
    #[wasm_bindgen(unchecked_param_type = "PageSnapshot")] snapshot: JsValue,
) -> bool {
    from_js::<PageSnapshot>(snapshot, "snapshot").is_ok_and(|s| card::app_document(&s))
}

/// `(Diagnosis, CardContext)` → the card to draw on the page, or null.
#[wasm_bindgen(unchecked_return_type = "Card | null")]
pub fn page_card(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<CardContext>")] context: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&card::page_card(
        &from_js::<Diagnosis>(diagnosis, "diagnosis")?,
        &from_js::<CardContext>(context, "card context")?,
    ))
}

/// `(Diagnosis, CardContext, action, confirmed)` → may a card's click carry out this action?
#[wasm_bindgen]
pub fn card_allows(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Partial<CardContext>")] context: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ActionId")] action: JsValue,
    confirmed: bool,
) -> bool {
    let (Ok(d), Ok(ctx), Ok(action)) = (
        from_js::<Diagnosis>(diagnosis, "diagnosis"),
        from_js::<CardContext>(context, "card context"),
        from_js::<ActionId>(action, "action"),
    ) else {
        return false;
    };
    card::card_allows(&d, &ctx, action, confirmed)
}

/// Cloudflare's status page body → its overall state (unknown for anything that is not one).
#[wasm_bindgen(unchecked_return_type = "OpenAiStatus")]
pub fn parse_cloudflare_status(body: &str, checked_at_ms: f64) -> Result<JsValue, JsError> {
    let mut s = status::parse_provider_summary_with(body, |body| {
        serde_wasm_bindgen::from_value(js_sys::JSON::parse(body).ok()?).ok()
    });
    s.checked_at_ms = Some(checked_at_ms);
    to_js(&s)
}

/// Does this kind of error read Cloudflare's trace?
#[wasm_bindgen]
pub fn wants_trace(#[wasm_bindgen(unchecked_param_type = "ErrorKind")] kind: JsValue) -> bool {
    from_js::<crate::ErrorKind>(kind, "kind").is_ok_and(trace::wants_trace)
}

/// `(page URL, settings)` → where to read the trace, or null.
#[wasm_bindgen]
pub fn trace_url(
    page_url: &str,
    #[wasm_bindgen(unchecked_param_type = "unknown")] settings: JsValue,
) -> Option<String> {
    trace::trace_url(page_url, &stored_settings(settings))
}

/// `(stored trace reading, page URL, the document's cf-ray, settings, now)` → the trace, when
/// it describes that tab's connection now (`trace::trace_for_tab`), else null.
#[wasm_bindgen(unchecked_return_type = "Trace | null")]
pub fn trace_for_tab(
    #[wasm_bindgen(unchecked_param_type = "unknown")] reading: JsValue,
    page_url: &str,
    cf_ray: Option<String>,
    #[wasm_bindgen(unchecked_param_type = "unknown")] settings: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    let reading = from_js::<trace::TraceReading>(reading, "trace reading").unwrap_or_default();
    to_js(&trace::trace_for_tab(
        &reading,
        page_url,
        cf_ray.as_deref(),
        &stored_settings(settings),
        now_ms,
    ))
}

/// `(what was kept of the tab's challenge, or null; when its document's response arrived, or
/// null; now)` → what to keep now that the tab shows a challenge.
#[wasm_bindgen(unchecked_return_type = "ChallengeSeen")]
pub fn challenge_seen(
    #[wasm_bindgen(unchecked_param_type = "unknown")] previous: JsValue,
    document_at_ms: Option<f64>,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    let previous = from_js::<Option<ChallengeSeen>>(previous, "challenge").unwrap_or_default();
    to_js(&challenge::seen(previous.as_ref(), document_at_ms, now_ms))
}

/// `(what was kept of the tab's challenge, now)` → has the tab met it again?
#[wasm_bindgen]
pub fn challenge_repeated(
    #[wasm_bindgen(unchecked_param_type = "unknown")] seen: JsValue,
    now_ms: f64,
) -> bool {
    let seen = from_js::<Option<ChallengeSeen>>(seen, "challenge").unwrap_or_default();
    challenge::repeated(seen.as_ref(), now_ms)
}

/// `(when the tab's record says it began waiting for the rest of an answer, or null; now)` →
/// when it began (kept in the record while the wait lasts).
#[wasm_bindgen]
pub fn pending_since(previous: Option<f64>, now_ms: f64) -> f64 {
    pending::pending_since(previous, now_ms)
}

/// `(Diagnosis, when the wait began, now)` → the wait itself, or past `PENDING_MAX_MS` a
/// dropped connection that offers the app's Retry (else a reload).
#[wasm_bindgen(unchecked_return_type = "Diagnosis")]
pub fn pending_overdue(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    since_ms: Option<f64>,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    let diagnosis = from_js::<Diagnosis>(diagnosis, "diagnosis")?;
    to_js(&pending::overdue(diagnosis, since_ms, now_ms))
}

/// When the wait that began at `since_ms` is read again (an alarm's time).
#[wasm_bindgen]
pub fn pending_recheck_at(since_ms: f64) -> f64 {
    pending::recheck_at(since_ms)
}

/// The trace's body → `Trace` (country, data centre, flags; never the IP).
#[wasm_bindgen(unchecked_return_type = "Trace")]
pub fn parse_trace(body: &str) -> Result<JsValue, JsError> {
    to_js(&trace::parse_trace(body))
}

/// `VerdictInput` → `Verdict`: whose problem it is, and why.
#[wasm_bindgen(unchecked_return_type = "Verdict")]
pub fn verdict(
    #[wasm_bindgen(unchecked_param_type = "Partial<VerdictInput>")] input: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&verdict::decide(&from_js::<VerdictInput>(
        input,
        "verdict input",
    )?))
}

fn stored_memory(raw: JsValue) -> Vec<FixRecord> {
    // Whatever storage holds, read row by row: a row that does not read (an action an update
    // renamed) is dropped alone; anything but a list is no memory.
    let rows = if js_sys::Array::is_array(&raw) {
        js_sys::Array::from(&raw).to_vec()
    } else {
        Vec::new()
    };
    fix_memory::from_rows(rows, |row| from_js::<FixRecord>(row, "memory row").ok())
}

/// Stored memory of what worked → within bounds (empty for anything unreadable).
#[wasm_bindgen(unchecked_return_type = "FixRecord[]")]
pub fn fix_memory(
    #[wasm_bindgen(unchecked_param_type = "unknown")] raw: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&stored_memory(raw))
}

/// `(Diagnosis, action id, now)` → the `PendingFix` to remember, or null.
#[wasm_bindgen(unchecked_return_type = "PendingFix | null")]
pub fn fix_pending(
    #[wasm_bindgen(unchecked_param_type = "Diagnosis")] diagnosis: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ActionId")] action: JsValue,
    now_ms: f64,
) -> Result<JsValue, JsError> {
    to_js(&fix_memory::pending(
        &from_js::<Diagnosis>(diagnosis, "diagnosis")?,
        from_js::<ActionId>(action, "action")?,
        now_ms,
    ))
}

/// `(memory, PendingFix)` → the memory after one more try.
#[wasm_bindgen(unchecked_return_type = "FixRecord[]")]
pub fn fix_record_try(
    #[wasm_bindgen(unchecked_param_type = "unknown")] memory: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PendingFix")] pending: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&fix_memory::record_try(
        stored_memory(memory),
        &from_js::<PendingFix>(pending, "pending fix")?,
    ))
}

/// `(memory, PendingFix, healthy at, signed out)` → the memory after the tab turned healthy.
#[wasm_bindgen(unchecked_return_type = "FixRecord[]")]
pub fn fix_record_healthy(
    #[wasm_bindgen(unchecked_param_type = "unknown")] memory: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PendingFix")] pending: JsValue,
    healthy_at_ms: f64,
    signed_out: bool,
) -> Result<JsValue, JsError> {
    to_js(&fix_memory::record_healthy(
        stored_memory(memory),
        &from_js::<PendingFix>(pending, "pending fix")?,
        healthy_at_ms,
        signed_out,
    ))
}

/// `(PendingFix, signed out)` → does a page without an error settle it (see `settled_by`)?
#[wasm_bindgen]
pub fn fix_settled_by(
    #[wasm_bindgen(unchecked_param_type = "PendingFix")] pending: JsValue,
    signed_out: bool,
) -> Result<bool, JsError> {
    Ok(fix_memory::settled_by(
        &from_js::<PendingFix>(pending, "pending fix")?,
        signed_out,
    ))
}

/// `PageSnapshot` → nobody is signed in on the page (it offers to log in).
#[wasm_bindgen]
pub fn page_signed_out(
    #[wasm_bindgen(unchecked_param_type = "PageSnapshot")] snapshot: JsValue,
) -> bool {
    from_js::<PageSnapshot>(snapshot, "snapshot").is_ok_and(|s| fix_memory::signed_out(&s))
}
