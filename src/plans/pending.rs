//! "Connection interrupted. Waiting for the complete answer": the app lost the stream and is
//! fetching the rest of the answer by itself. While it waits nothing is offered that would
//! cut the answer off (no reload, no resend). A wait that goes on past `PENDING_MAX_MS` is an
//! answer that is not coming: it becomes a dropped connection, whose advice is the app's own
//! Retry when the message shows one, else a reload.

use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind;

/// How long the app may wait for the rest of an answer before it counts as lost. The app's
/// own recovery polls the stream again within seconds, and a long reasoning answer can take
/// a minute or more to finish: 90 s is past both, and short enough that a person still
/// looking at a shimmering "waiting" line is told to retry before giving up on the tab.
pub const PENDING_MAX_MS: f64 = 90_000.0;

/// The id the lasting wait takes (the table of known errors names the wait itself).
pub const OVERDUE_SIGNATURE: &str = "response-pending-overdue";

/// When the tab began to wait, given what its record said (`previous`, from an earlier
/// reading of the same wait) and the time now. Garbage, or a time in the future, starts
/// the wait now.
pub fn pending_since(previous: Option<f64>, now_ms: f64) -> f64 {
    previous
        .filter(|p| p.is_finite() && *p <= now_ms)
        .unwrap_or(now_ms)
}

/// The diagnosis to keep for a tab that has waited since `since_ms`: the wait itself until
/// `PENDING_MAX_MS`, then a dropped connection (its words, evidence and Retry button kept).
pub fn overdue(diagnosis: Diagnosis, since_ms: Option<f64>, now_ms: f64) -> Diagnosis {
    let waited = since_ms.filter(|s| s.is_finite()).map(|s| now_ms - s);
    if diagnosis.kind != ErrorKind::ResponsePending || waited.is_none_or(|w| w < PENDING_MAX_MS) {
        return diagnosis;
    }
    Diagnosis {
        kind: ErrorKind::NetworkError,
        signature: Some(OVERDUE_SIGNATURE.to_string()),
        ..diagnosis
    }
}

/// When to read the tab again, if it still waits then (an alarm's time).
pub fn recheck_at(since_ms: f64) -> f64 {
    since_ms + PENDING_MAX_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::respond::advice::{advise, ActionId, AdviceContext};

    fn waiting(retry_button: bool) -> Diagnosis {
        Diagnosis {
            kind: ErrorKind::ResponsePending,
            signature: Some("response-pending".into()),
            message: Some("Connection interrupted. Waiting for the complete answer".into()),
            retry_button,
            ..Diagnosis::default()
        }
    }

    fn actions(d: &Diagnosis) -> Vec<ActionId> {
        advise(d, &AdviceContext::default())
            .actions
            .iter()
            .map(|a| a.id)
            .collect()
    }

    #[test]
    fn a_wait_is_calm_until_the_limit_then_offers_the_retry() {
        // A fake clock: the tab first showed the wait at 10 s.
        let since = pending_since(None, 10_000.0);
        assert_eq!(since, 10_000.0);
        // Read again later: the first time is kept.
        assert_eq!(pending_since(Some(since), 50_000.0), since);
        let early = overdue(waiting(false), Some(since), since + PENDING_MAX_MS - 1.0);
        assert_eq!(early.kind, ErrorKind::ResponsePending);
        let calm = actions(&early);
        assert!(!calm.contains(&ActionId::RetryReload) && !calm.contains(&ActionId::ReloadNow));
        assert!(!calm.contains(&ActionId::RetryTurn));

        let late = overdue(waiting(false), Some(since), since + PENDING_MAX_MS);
        assert_eq!(late.kind, ErrorKind::NetworkError);
        assert_eq!(late.signature.as_deref(), Some(OVERDUE_SIGNATURE));
        assert_eq!(late.message, waiting(false).message);
        assert_eq!(actions(&late).first(), Some(&ActionId::RetryReload));
        // With ChatGPT's own Retry on the page, that comes first.
        let with_button = overdue(waiting(true), Some(since), since + PENDING_MAX_MS);
        assert_eq!(actions(&with_button).first(), Some(&ActionId::RetryTurn));
        assert_eq!(recheck_at(since), since + PENDING_MAX_MS);
    }

    #[test]
    fn only_the_wait_turns_and_bad_times_start_afresh() {
        let other = Diagnosis {
            kind: ErrorKind::ServerError,
            ..Diagnosis::default()
        };
        assert_eq!(overdue(other.clone(), Some(0.0), 1e12), other);
        assert_eq!(
            Diagnosis::healthy(),
            overdue(Diagnosis::healthy(), Some(0.0), 1e12)
        );
        assert_eq!(
            overdue(waiting(false), None, 1e12).kind,
            ErrorKind::ResponsePending
        );
        assert_eq!(
            overdue(waiting(false), Some(f64::NAN), 1e12).kind,
            ErrorKind::ResponsePending
        );
        assert_eq!(pending_since(Some(f64::NAN), 5.0), 5.0);
        assert_eq!(pending_since(Some(9e15), 5.0), 5.0);
    }
}
