//! Failed answers retried by themselves (an option, off by default: each retry may count
//! against the person's plan). When on, ChatGPT's own Retry is pressed after a short wait,
//! at most [`PER_CONVERSATION_PER_HOUR`] times per conversation in any hour, never while the
//! person types or after they sent a new message, never twice for the same failure.

use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;
use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind::{
    self, AppError, AtCapacity, CloudflareBlocked, CloudflareChallenge, CloudflareRateLimited,
    ConversationTooLong, NetworkError, RateLimited, ResponsePending, ServerError,
    ServerUnreachable, SessionExpired, UnusualActivity,
};
use crate::plans::settings::Settings;

/// How long a failed answer stays on screen before its Retry is pressed: the person may
/// press it, or type, first.
pub const WAIT_MS: f64 = 5_000.0;
/// Presses by itself per conversation in any [`WINDOW_MS`].
pub const PER_CONVERSATION_PER_HOUR: usize = 3;
pub const WINDOW_MS: f64 = 3_600_000.0;
/// Presses remembered, across conversations (older ones no longer matter to any window).
pub const MAX_REMEMBERED: usize = 64;

/// The in-chat failures whose Retry may be pressed by itself: a delivery time-out, a network
/// error, "Something went wrong while generating", a stream-recovery time-out. The one place
/// that says so; a new kind of failed answer joins here.
pub fn failed_answer(kind: ErrorKind) -> bool {
    match kind {
        AppError | NetworkError => true,
        CloudflareBlocked
        | CloudflareRateLimited
        | CloudflareChallenge
        | ServerUnreachable
        | ServerError
        | AtCapacity
        | RateLimited
        | SessionExpired
        | UnusualActivity
        | ResponsePending
        | ConversationTooLong
        | ErrorKind::None => false,
    }
}

/// One press made by itself.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerPress {
    pub conversation: String,
    /// What tells this failure from the next one in the same conversation (the glue's id of
    /// the failed turn and its message).
    pub failure: String,
    pub at_ms: f64,
}

/// Everything one decision needs.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AnswerRetryInput {
    pub diagnosis: Option<Diagnosis>,
    pub settings: Option<Settings>,
    /// The document is the running app.
    pub app_document: bool,
    pub conversation: String,
    pub failure: String,
    /// When this failure was first seen.
    pub failed_at_ms: f64,
    pub now_ms: f64,
    /// The composer holds text (the person is typing).
    pub composer_text: bool,
    /// The messages the person had sent in this conversation when the failure was first seen,
    /// and now (the page counts them): one more means they sent a new message. Either
    /// unknown: it cannot be told that they did not.
    pub user_turns_at_failure: Option<u32>,
    pub user_turns: Option<u32>,
    /// When the person last typed in the composer (none since the page loaded: absent).
    pub typed_at_ms: Option<f64>,
    /// The presses made by itself lately, every conversation.
    pub presses: Vec<AnswerPress>,
}

#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRetryVerdict {
    /// Press the Retry now (and remember the press).
    Press,
    /// Not yet: ask again at `wait_until_ms`.
    Wait,
    /// The option is off: the card offers "Retry the answer".
    Off,
    /// Not a failed answer with a Retry to press.
    NotAFailedAnswer,
    /// The person is typing, or sent a new message: theirs to decide.
    PersonActs,
    /// This failure's Retry was pressed already.
    AlreadyPressed,
    /// The conversation's presses for the hour are used.
    Limit,
}

serde_by_name!(AnswerRetryVerdict {
    Press = "press",
    Wait = "wait",
    Off = "off",
    NotAFailedAnswer = "not_a_failed_answer",
    PersonActs = "person_acts",
    AlreadyPressed = "already_pressed",
    Limit = "limit",
});

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerRetryDecision {
    pub verdict: AnswerRetryVerdict,
    /// For `wait`: when to ask again.
    pub wait_until_ms: Option<f64>,
}

fn verdict(verdict: AnswerRetryVerdict) -> AnswerRetryDecision {
    AnswerRetryDecision {
        verdict,
        wait_until_ms: None,
    }
}

/// The person typed, is typing, or sent a new message since the failure was seen: the failure
/// is theirs from then on (a press that waited is dropped, never merely put off).
fn person_acted(input: &AnswerRetryInput) -> bool {
    let sent = match (input.user_turns_at_failure, input.user_turns) {
        (Some(then), Some(now)) => then != now,
        _ => true,
    };
    let typed = input.typed_at_ms.is_some_and(|at| {
        !at.is_finite() || !input.failed_at_ms.is_finite() || at >= input.failed_at_ms
    });
    input.composer_text || sent || typed
}

/// Whether to press the failed answer's Retry now.
pub fn decide(input: &AnswerRetryInput) -> AnswerRetryDecision {
    let settings = input.settings.clone().unwrap_or_default();
    let is_failed_answer = input
        .diagnosis
        .as_ref()
        .is_some_and(|d| failed_answer(d.kind) && d.retry_button && input.app_document);
    if !is_failed_answer {
        return verdict(AnswerRetryVerdict::NotAFailedAnswer);
    }
    if !settings.retry_answers_by_itself {
        return verdict(AnswerRetryVerdict::Off);
    }
    if person_acted(input) {
        return verdict(AnswerRetryVerdict::PersonActs);
    }
    let now = if input.now_ms.is_finite() {
        input.now_ms
    } else {
        0.0
    };
    let here = || {
        input
            .presses
            .iter()
            .filter(|p| p.conversation == input.conversation)
    };
    if here().any(|p| p.failure == input.failure) {
        return verdict(AnswerRetryVerdict::AlreadyPressed);
    }
    let in_hour: Vec<f64> = here()
        .map(|p| p.at_ms)
        .filter(|&at| at > now - WINDOW_MS && at <= now)
        .collect();
    if in_hour.len() >= PER_CONVERSATION_PER_HOUR {
        return verdict(AnswerRetryVerdict::Limit);
    }
    let due = if input.failed_at_ms.is_finite() {
        input.failed_at_ms + WAIT_MS
    } else {
        now + WAIT_MS
    };
    if now < due {
        return AnswerRetryDecision {
            verdict: AnswerRetryVerdict::Wait,
            wait_until_ms: Some(due),
        };
    }
    verdict(AnswerRetryVerdict::Press)
}

/// The presses to keep after one more: the newest [`MAX_REMEMBERED`], none older than the
/// window.
pub fn remember(mut presses: Vec<AnswerPress>, press: AnswerPress) -> Vec<AnswerPress> {
    let now = press.at_ms;
    presses.push(press);
    presses.retain(|p| p.at_ms.is_finite() && p.at_ms > now - WINDOW_MS);
    let excess = presses.len().saturating_sub(MAX_REMEMBERED);
    presses.drain(..excess);
    presses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(kind: ErrorKind) -> Diagnosis {
        Diagnosis {
            kind,
            retry_button: true,
            ..Diagnosis::default()
        }
    }

    fn on() -> Settings {
        Settings {
            retry_answers_by_itself: true,
            ..Settings::default()
        }
    }

    fn at(now: f64, failure: &str, presses: &[AnswerPress]) -> AnswerRetryInput {
        AnswerRetryInput {
            diagnosis: Some(failed(AppError)),
            settings: Some(on()),
            app_document: true,
            conversation: "c1".into(),
            failure: failure.into(),
            failed_at_ms: now - WAIT_MS,
            now_ms: now,
            user_turns_at_failure: Some(4),
            user_turns: Some(4),
            presses: presses.to_vec(),
            ..AnswerRetryInput::default()
        }
    }

    #[test]
    fn off_by_default_and_then_the_card_offers_it() {
        assert!(!Settings::default().retry_answers_by_itself);
        let mut i = at(10_000.0, "f1", &[]);
        i.settings = None;
        assert_eq!(decide(&i).verdict, AnswerRetryVerdict::Off);
    }

    #[test]
    fn which_kinds_are_failed_answers() {
        for kind in ErrorKind::ALL {
            let mut i = at(10_000.0, "f1", &[]);
            i.diagnosis = Some(failed(kind));
            let expected = if matches!(kind, AppError | NetworkError) {
                AnswerRetryVerdict::Press
            } else {
                AnswerRetryVerdict::NotAFailedAnswer
            };
            assert_eq!(decide(&i).verdict, expected, "{kind:?}");
        }
        // No Retry on the page, or not the app (an error document): nothing to press.
        let mut i = at(10_000.0, "f1", &[]);
        i.diagnosis = Some(Diagnosis {
            retry_button: false,
            ..failed(AppError)
        });
        assert_eq!(decide(&i).verdict, AnswerRetryVerdict::NotAFailedAnswer);
        let mut i = at(10_000.0, "f1", &[]);
        i.app_document = false;
        assert_eq!(decide(&i).verdict, AnswerRetryVerdict::NotAFailedAnswer);
    }

    #[test]
    fn a_short_wait_first_never_while_typing_or_after_a_new_message() {
        let mut i = at(10_000.0, "f1", &[]);
        i.failed_at_ms = 9_000.0;
        let d = decide(&i);
        assert_eq!(d.verdict, AnswerRetryVerdict::Wait);
        assert_eq!(d.wait_until_ms, Some(9_000.0 + WAIT_MS));
        let mut typing = at(10_000.0, "f1", &[]);
        typing.composer_text = true;
        assert_eq!(decide(&typing).verdict, AnswerRetryVerdict::PersonActs);
        let mut sent = at(10_000.0, "f1", &[]);
        sent.user_turns = Some(5);
        assert_eq!(decide(&sent).verdict, AnswerRetryVerdict::PersonActs);
    }

    #[test]
    fn a_press_waiting_is_dropped_once_the_person_types_or_sends() {
        // The failure at 5 s; the wait ends at 10 s. Typing in the composer during the wait
        // (even text since deleted or sent) drops the press; typing before the failure does not.
        let mut typed = at(10_000.0, "f1", &[]);
        typed.typed_at_ms = Some(7_000.0);
        assert_eq!(decide(&typed).verdict, AnswerRetryVerdict::PersonActs);
        typed.typed_at_ms = Some(4_000.0);
        assert_eq!(decide(&typed).verdict, AnswerRetryVerdict::Press);
        // A new message sent and its answer failing too, in the same wait: the count of the
        // person's messages tells it, whatever the composer shows now.
        let mut sent = at(10_000.0, "f1", &[]);
        sent.user_turns_at_failure = Some(4);
        sent.user_turns = Some(5);
        assert_eq!(decide(&sent).verdict, AnswerRetryVerdict::PersonActs);
        // The page could not count them: nothing is pressed.
        let mut unknown = at(10_000.0, "f1", &[]);
        unknown.user_turns = None;
        assert_eq!(decide(&unknown).verdict, AnswerRetryVerdict::PersonActs);
        let mut garbage = at(10_000.0, "f1", &[]);
        garbage.typed_at_ms = Some(f64::NAN);
        assert_eq!(decide(&garbage).verdict, AnswerRetryVerdict::PersonActs);
    }

    #[test]
    fn at_most_a_few_per_conversation_per_hour_once_per_failure_on_a_fake_clock() {
        let mut presses: Vec<AnswerPress> = Vec::new();
        let mut now = 0.0;
        let mut pressed = 0;
        // A failure every two minutes for two hours in one conversation.
        for n in 0..60 {
            now += 120_000.0;
            let failure = format!("f{n}");
            let i = at(now, &failure, &presses);
            if decide(&i).verdict == AnswerRetryVerdict::Press {
                pressed += 1;
                presses = remember(
                    presses,
                    AnswerPress {
                        conversation: "c1".into(),
                        failure: failure.clone(),
                        at_ms: now,
                    },
                );
                // The same failure seen again (the page reported twice): never pressed again.
                assert_eq!(
                    decide(&at(now + 1.0, &failure, &presses)).verdict,
                    AnswerRetryVerdict::AlreadyPressed
                );
            }
            let window: Vec<_> = presses
                .iter()
                .filter(|p| p.at_ms > now - WINDOW_MS)
                .collect();
            assert!(window.len() <= PER_CONVERSATION_PER_HOUR, "{n}");
        }
        // Two hours of failures: the limit, once per hour (the window slides).
        assert!(
            (PER_CONVERSATION_PER_HOUR * 2..=PER_CONVERSATION_PER_HOUR * 2 + 1).contains(&pressed)
        );
        // Another conversation has its own count.
        let mut other = at(now, "g1", &presses);
        other.conversation = "c2".into();
        assert_eq!(decide(&other).verdict, AnswerRetryVerdict::Press);
        // The limit says so.
        let full: Vec<AnswerPress> = (0..PER_CONVERSATION_PER_HOUR)
            .map(|k| AnswerPress {
                conversation: "c1".into(),
                failure: format!("x{k}"),
                at_ms: now - 1_000.0 * k as f64,
            })
            .collect();
        assert_eq!(
            decide(&at(now, "new", &full)).verdict,
            AnswerRetryVerdict::Limit
        );
    }

    #[test]
    fn the_memory_is_bounded() {
        let mut presses = Vec::new();
        for k in 0..200 {
            presses = remember(
                presses,
                AnswerPress {
                    conversation: format!("c{k}"),
                    failure: "f".into(),
                    at_ms: k as f64,
                },
            );
        }
        assert_eq!(presses.len(), MAX_REMEMBERED);
        assert_eq!(presses.last().unwrap().at_ms, 199.0);
    }
}
