//! The numbers the glue needs to carry out the core's decisions (time-outs, polling), in
//! one place so no number lives in JavaScript.

use serde::Serialize;

use crate::plans::{
    answer_retry, challenge, fix_memory, pending, retry, retry_budget, status, trace,
};

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// Give up on the status page after this long.
    pub status_timeout_ms: u32,
    /// While a retry is paused, look at `navigator.onLine` this often (the service worker
    /// does not always hear `online`).
    pub offline_poll_ms: u32,
    /// A saved prompt older than this is not put back.
    pub draft_max_age_ms: u32,
    /// How long a freshly loaded page may take to show its composer.
    pub draft_restore_wait_ms: u32,
    /// How long the "your prompt was put back" notice stays.
    pub draft_notice_ms: u32,
    /// The popup's countdown refresh.
    pub countdown_tick_ms: u32,
    /// A timer that fires this early counts as on time.
    pub retry_early_tolerance_ms: u32,
    /// A page a retry loaded must stay healthy this long before the run ends as recovered.
    pub recovery_settle_ms: u32,
    /// A failed answer's Retry is pressed by itself this long after it showed, at most this
    /// many times per conversation in an hour (when the option is on).
    pub answer_retry_wait_ms: u32,
    pub answer_retries_per_hour: u32,
    /// The reload budget every tab's retries share.
    pub retry_budget_per_minute: u32,
    pub retry_min_gap_ms: u32,
    /// No message to a tab's content script is awaited longer (it may never answer: the
    /// browser's own error page, a frozen tab).
    pub message_timeout_ms: u32,
    /// No step of a retry run or action waits longer on the browser; after this the queue
    /// moves on.
    pub step_timeout_ms: u32,
    /// A longer unsent prompt is not written to storage (offered for copying instead).
    pub draft_max_chars: u32,
    /// How long the page may take to tell which account is signed in.
    pub account_lookup_timeout_ms: u32,
    /// A status page answer longer than this is not read (summary.json is tens of KB).
    pub status_max_bytes: u32,
    /// How long after a failed navigation, or an error status with no page of its own, the
    /// badge is set again (the browser clears a tab's badge when its error page commits).
    pub error_page_settle_ms: u32,
    /// Cloudflare's trace is a few hundred bytes: a longer answer is not read.
    pub trace_max_bytes: u32,
    /// A trace read this recently is reused (and counts for a tab, see `trace::trace_for_tab`).
    pub trace_fresh_ms: u32,
    /// A challenge still on a tab this long after it was first met counts as coming back
    /// (before that, and without a reload, it is the normal one-off check).
    pub challenge_repeat_after_ms: u32,
    /// A card's control takes a click only once it has been on screen this long (a decoy
    /// cannot slide it under the cursor just before a click).
    pub card_click_min_visible_ms: u32,
    /// A healthy page this long after an action credits that action in the memory of what
    /// worked.
    pub fix_worked_within_ms: u32,
    /// "Waiting for the complete answer" for longer than this is an answer that is not
    /// coming (see `pending::PENDING_MAX_MS` for why 90 s).
    pub response_pending_max_ms: u32,
}

pub const POLICY: Policy = Policy {
    status_timeout_ms: status::STATUS_TIMEOUT_MS,
    offline_poll_ms: 5_000,
    draft_max_age_ms: 24 * 60 * 60 * 1000,
    draft_restore_wait_ms: 15_000,
    draft_notice_ms: 6_000,
    countdown_tick_ms: 250,
    retry_early_tolerance_ms: retry::EARLY_TOLERANCE_MS as u32,
    recovery_settle_ms: retry::RECOVERY_SETTLE_MS as u32,
    answer_retry_wait_ms: answer_retry::WAIT_MS as u32,
    answer_retries_per_hour: answer_retry::PER_CONVERSATION_PER_HOUR as u32,
    retry_budget_per_minute: retry_budget::PER_MINUTE as u32,
    retry_min_gap_ms: retry_budget::MIN_GAP_MS as u32,
    message_timeout_ms: 3_000,
    step_timeout_ms: 10_000,
    draft_max_chars: 200_000,
    account_lookup_timeout_ms: 2_000,
    status_max_bytes: 1 << 20,
    error_page_settle_ms: 1_000,
    trace_max_bytes: 4 * 1024,
    trace_fresh_ms: trace::TRACE_FRESH_MS as u32,
    challenge_repeat_after_ms: challenge::CHALLENGE_REPEAT_AFTER_MS as u32,
    card_click_min_visible_ms: 500,
    fix_worked_within_ms: fix_memory::WORKED_WITHIN_MS as u32,
    response_pending_max_ms: pending::PENDING_MAX_MS as u32,
};
