//! Which errors start their own retry run, with no click: only those a reload may fix and
//! where reloading costs the person nothing (a full-page transient error), and never what is
//! theirs to decide (a confirmation, a login, a block, a notice, a usage limit, a prompt that
//! could not be saved). The run that starts is the same run a click starts: the same
//! schedule, the same shared budget, the same settle time.

use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;
use crate::page::diagnosis::{Diagnosis, EvidenceSource};
use crate::page::kind::ErrorKind::{self, *};
use crate::plans::retry::{waiting_runs, RetryRun, TabRun};
use crate::plans::retry_budget;
use crate::plans::settings::Settings;

/// What the glue knows of the tab besides its diagnosis.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandsFreeFacts {
    /// The document is the running app (`Some(true)`), an error document served instead
    /// (`Some(false)`), or no content script read it (`None`: the browser's own error page
    /// for a failed navigation, or for an error status with an empty body).
    pub app_document: Option<bool>,
    /// The person pressed Cancel on this page load.
    pub cancelled: bool,
    /// The page's composer held text that could not be saved (too long, storage full).
    pub unsaved_prompt: bool,
    /// The tab is the one shown in its window.
    pub visible: bool,
}

/// The answer, with its reason (for the tests and the support report).
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandsFree {
    Starts,
    /// The options turn it off.
    Off,
    /// Cancelled on this page load.
    Cancelled,
    /// Not an error, or an error a reload cannot lift, or one behind a confirmation, a login,
    /// a notice or a stated reset time: the person decides.
    NotByItself,
    /// An error inside the running app (a toast, a failed answer): reloading would cost the
    /// conversation's state; only a full-page error document reloads by itself.
    InTheApp,
    /// The composer holds text that could not be saved: a reload would lose it.
    UnsavedPrompt,
    /// A hidden tab, and the shared budget's share is taken by other tabs already.
    BeyondBudgetShare,
}

serde_by_name!(HandsFree {
    Starts = "starts",
    Off = "off",
    Cancelled = "cancelled",
    NotByItself = "not_by_itself",
    InTheApp = "in_the_app",
    UnsavedPrompt = "unsaved_prompt",
    BeyondBudgetShare = "beyond_budget_share",
});

/// The kinds of full-page error a reload fixes by itself: a server that failed or is full, a
/// dropped connection, Cloudflare's rate limit (the run waits its `Retry-After` first).
/// Never: a block or challenge (a reload cannot lift it, clearing asks first), an expired
/// session (log in), an unusual-activity notice, a usage limit (it resets at its stated
/// time: the notification tells), an answer that may still arrive, the app's own errors, a
/// conversation at its length limit (a reload brings back the same full conversation).
pub fn kind_starts_by_itself(kind: ErrorKind) -> bool {
    match kind {
        ServerUnreachable | ServerError | AtCapacity | NetworkError | CloudflareRateLimited => true,
        CloudflareBlocked | CloudflareChallenge | RateLimited | SessionExpired
        | UnusualActivity | ResponsePending | AppError | ConversationTooLong | None => false,
    }
}

/// Does this tab start a retry run by itself, now?
pub fn decide(
    diagnosis: &Diagnosis,
    facts: &HandsFreeFacts,
    settings: &Settings,
    tab_id: f64,
    other_runs: &[TabRun],
) -> HandsFree {
    if !settings.retry_by_itself {
        return HandsFree::Off;
    }
    if !kind_starts_by_itself(diagnosis.kind) {
        return HandsFree::NotByItself;
    }
    // A network error reloads by itself only where the document itself failed to load: a
    // toast of the running app says the same words, and reloading it would cost the page.
    let document_failed = diagnosis.kind != NetworkError
        || diagnosis
            .evidence
            .iter()
            .any(|e| e.source == EvidenceSource::Navigation);
    if facts.app_document == Some(true) || !document_failed {
        return HandsFree::InTheApp;
    }
    if facts.cancelled {
        return HandsFree::Cancelled;
    }
    if facts.unsaved_prompt {
        return HandsFree::UnsavedPrompt;
    }
    // A hidden tab takes a place only while the budget has one to spare: ten background
    // tabs of an outage do not all queue for reloads nobody is looking at.
    let waiting = waiting_runs(other_runs)
        .iter()
        .filter(|w| w.tab_id != tab_id)
        .count();
    if !facts.visible && waiting >= retry_budget::PER_MINUTE {
        return HandsFree::BeyondBudgetShare;
    }
    HandsFree::Starts
}

/// A run that started by itself never reloads a page whose prompt could not be saved (too
/// long, storage full): the reload would lose what the person typed. A run they started
/// reloads (the prompt is offered for copying, as today).
pub fn may_reload(run: &RetryRun, prompt_unsaved: bool) -> bool {
    !(run.hands_free && prompt_unsaved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::diagnosis::Evidence;
    use crate::plans::retry::{step, RetryCommand, RetryEvent, RetryInput};

    fn diag(kind: ErrorKind) -> Diagnosis {
        // A network error here is a failed navigation (the browser's own error page).
        let evidence = if kind == NetworkError {
            vec![Evidence {
                source: EvidenceSource::Navigation,
                text: "net::ERR_CONNECTION_RESET".into(),
            }]
        } else {
            Vec::new()
        };
        Diagnosis {
            kind,
            evidence,
            ..Diagnosis::default()
        }
    }

    fn error_page() -> HandsFreeFacts {
        HandsFreeFacts {
            app_document: Some(false),
            visible: true,
            ..HandsFreeFacts::default()
        }
    }

    #[test]
    fn every_kind_in_a_table() {
        let table = [
            (ServerUnreachable, HandsFree::Starts),
            (ServerError, HandsFree::Starts),
            (AtCapacity, HandsFree::Starts),
            (NetworkError, HandsFree::Starts),
            (CloudflareRateLimited, HandsFree::Starts),
            (CloudflareBlocked, HandsFree::NotByItself),
            (CloudflareChallenge, HandsFree::NotByItself),
            (RateLimited, HandsFree::NotByItself),
            (SessionExpired, HandsFree::NotByItself),
            (UnusualActivity, HandsFree::NotByItself),
            (ResponsePending, HandsFree::NotByItself),
            (AppError, HandsFree::NotByItself),
            (ConversationTooLong, HandsFree::NotByItself),
            (None, HandsFree::NotByItself),
        ];
        for kind in ErrorKind::ALL {
            let rows = table.iter().filter(|(k, _)| *k == kind).count();
            assert_eq!(rows, 1, "one row per kind: {kind:?}");
        }
        let on = Settings::default();
        for (kind, expected) in table {
            assert_eq!(
                decide(&diag(kind), &error_page(), &on, 1.0, &[]),
                expected,
                "{kind:?} on an error document"
            );
            // Where no content script ran (the browser's own error page) it is the same.
            let browser_page = HandsFreeFacts {
                app_document: Option::None,
                ..error_page()
            };
            assert_eq!(decide(&diag(kind), &browser_page, &on, 1.0, &[]), expected);
        }
    }

    #[test]
    fn never_inside_the_app_never_once_cancelled_never_losing_a_prompt_never_when_off() {
        let on = Settings::default();
        assert!(on.retry_by_itself, "on by default");
        let d = diag(ServerUnreachable);
        let with = |f: fn(&mut HandsFreeFacts)| {
            let mut facts = error_page();
            f(&mut facts);
            decide(&d, &facts, &on, 1.0, &[])
        };
        assert_eq!(with(|f| f.app_document = Some(true)), HandsFree::InTheApp);
        // The app's own "A network error occurred" toast, even where the sensor missed the
        // app's shell: only a failed navigation reloads by itself.
        let toast = Diagnosis {
            kind: NetworkError,
            evidence: vec![Evidence {
                source: EvidenceSource::Message,
                text: "A network error occurred".into(),
            }],
            ..Diagnosis::default()
        };
        assert_eq!(
            decide(&toast, &error_page(), &on, 1.0, &[]),
            HandsFree::InTheApp
        );
        assert_eq!(with(|f| f.cancelled = true), HandsFree::Cancelled);
        assert_eq!(with(|f| f.unsaved_prompt = true), HandsFree::UnsavedPrompt);
        let off = Settings {
            retry_by_itself: false,
            ..Settings::default()
        };
        assert_eq!(decide(&d, &error_page(), &off, 1.0, &[]), HandsFree::Off);
    }

    fn waiting_run(tab_id: f64) -> TabRun {
        let run = match step(&RetryInput {
            event: Some(RetryEvent::Start),
            diagnosis: Some(diag(ServerUnreachable)),
            ..RetryInput::default()
        }) {
            RetryCommand::Schedule { run } => run,
            other => panic!("{other:?}"),
        };
        TabRun { tab_id, run }
    }

    #[test]
    fn a_run_by_itself_never_reloads_away_an_unsaved_prompt() {
        let mut run = waiting_run(1.0).run;
        assert!(may_reload(&run, true), "a clicked run reloads");
        run.hands_free = true;
        assert!(!may_reload(&run, true));
        assert!(may_reload(&run, false));
    }

    #[test]
    fn a_hidden_tab_starts_only_within_the_budget_s_share() {
        let d = diag(ServerUnreachable);
        let hidden = HandsFreeFacts {
            visible: false,
            ..error_page()
        };
        let on = Settings::default();
        let others: Vec<TabRun> = (0..retry_budget::PER_MINUTE)
            .map(|i| waiting_run(10.0 + i as f64))
            .collect();
        assert_eq!(
            decide(&d, &hidden, &on, 1.0, &others[..others.len() - 1]),
            HandsFree::Starts
        );
        assert_eq!(
            decide(&d, &hidden, &on, 1.0, &others),
            HandsFree::BeyondBudgetShare
        );
        // The tab in front of the person always starts: the budget orders its reloads.
        assert_eq!(
            decide(&d, &error_page(), &on, 1.0, &others),
            HandsFree::Starts
        );
    }
}
