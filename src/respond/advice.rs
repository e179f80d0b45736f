//! Which one-click actions fit a diagnosis, in what order, and why. The popup shows them as
//! ranked here, the first as the primary button; destructive ones go behind "More" when they
//! are unlikely to help, and always behind a confirmation.

use serde::{Deserialize, Serialize};

use crate::named::serde_by_name;
use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind::{self, *};
use crate::plans::fix_memory::{self, FixRecord, Tally};
use crate::plans::retry::{self, RetryRun};
use crate::plans::settings::Settings;
use crate::plans::site_data::ClearTier;
use crate::plans::status::{OpenAiStatus, ServiceState};

#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionId {
    /// Press ChatGPT's own retry button under the failed answer.
    RetryTurn,
    /// Reload on the backoff schedule, with a countdown.
    RetryReload,
    /// Stop the countdown.
    CancelRetry,
    /// Reload once, now (after the person changed something, such as the network).
    ReloadNow,
    ClearCloudflareCookies,
    ClearSiteData,
    FullReset,
    /// Open OpenAI's status page.
    OpenStatus,
    /// Open the login page in this tab.
    LogIn,
    CopyReport,
    OpenHelp,
    /// Copy the unsent prompt the extension saved.
    CopyDraft,
    /// Open a new chat in this tab, the unsent prompt carried over (the conversation is at
    /// its maximum length).
    NewChat,
}

serde_by_name!(ActionId {
    RetryTurn = "retry_turn",
    RetryReload = "retry_reload",
    CancelRetry = "cancel_retry",
    ReloadNow = "reload_now",
    ClearCloudflareCookies = "clear_cloudflare_cookies",
    ClearSiteData = "clear_site_data",
    FullReset = "full_reset",
    OpenStatus = "open_status",
    LogIn = "log_in",
    CopyReport = "copy_report",
    OpenHelp = "open_help",
    CopyDraft = "copy_draft",
    NewChat = "new_chat",
});

impl ActionId {
    pub fn clear_tier(self) -> Option<ClearTier> {
        match self {
            ActionId::ClearCloudflareCookies => Some(ClearTier::CloudflareCookies),
            ActionId::ClearSiteData => Some(ClearTier::SiteData),
            ActionId::FullReset => Some(ClearTier::FullReset),
            _ => Option::None,
        }
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub id: ActionId,
    /// `_locales` keys for the button and for the one-line reason under it.
    pub label: &'static str,
    pub reason: &'static str,
    /// Shown behind "More".
    pub more: bool,
    /// Asks for a confirmation first (it removes data or logs out).
    pub confirm: bool,
    /// The tier of site data it clears, for the confirmation's list.
    pub clear_tier: Option<ClearTier>,
    /// How it did for this error on this computer before; with `worked > 0` the reason is
    /// `reason_worked_for_you`, which takes `[worked, tried]`.
    pub tally: Option<Tally>,
}

/// What the popup says before the actions, when OpenAI's status page has something to say.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusLine {
    pub key: &'static str,
    pub state: ServiceState,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    pub status_line: Option<StatusLine>,
    pub actions: Vec<Action>,
    /// Things no button can do, as `_locales` keys.
    pub hints: Vec<&'static str>,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdviceContext {
    pub status: Option<OpenAiStatus>,
    pub retry: Option<RetryRun>,
    /// The extension holds an unsent prompt it could not put back.
    pub draft_saved: bool,
    pub settings: Option<Settings>,
    /// What worked before on this computer (`fix_memory`).
    pub memory: Vec<FixRecord>,
    /// Cloudflare's status page, read as a whole.
    pub cloudflare: Option<OpenAiStatus>,
    /// The tab met Cloudflare's challenge again (`plans::challenge::repeated`).
    pub challenge_repeated: bool,
}

use ActionId as A;

/// The actions for each kind, most useful first, before the context reorders them.
fn ranked(d: &Diagnosis) -> Vec<ActionId> {
    let retry_here = if d.retry_button {
        vec![A::RetryTurn, A::RetryReload]
    } else {
        vec![A::RetryReload]
    };
    let then = |first: Vec<ActionId>, rest: &[ActionId]| {
        let mut v = first;
        v.extend_from_slice(rest);
        v
    };
    match d.kind {
        // The block is on the network: reloading after changing it is the only real fix.
        CloudflareBlocked => vec![
            A::ReloadNow,
            A::CopyReport,
            A::OpenHelp,
            A::ClearCloudflareCookies,
            A::OpenStatus,
        ],
        CloudflareRateLimited => vec![A::RetryReload, A::OpenStatus, A::CopyReport],
        CloudflareChallenge => vec![
            A::ClearCloudflareCookies,
            A::ReloadNow,
            A::ClearSiteData,
            A::OpenStatus,
            A::CopyReport,
        ],
        ServerUnreachable | AtCapacity => vec![A::RetryReload, A::OpenStatus, A::CopyReport],
        ServerError => vec![
            A::RetryReload,
            A::OpenStatus,
            A::CopyReport,
            A::ClearSiteData,
        ],
        RateLimited => vec![A::RetryReload, A::OpenStatus, A::CopyReport],
        SessionExpired => vec![A::LogIn, A::ClearSiteData, A::CopyReport],
        UnusualActivity => vec![
            A::ReloadNow,
            A::LogIn,
            A::CopyReport,
            A::OpenHelp,
            A::ClearSiteData,
        ],
        NetworkError => then(retry_here, &[A::OpenStatus, A::CopyReport]),
        // The answer may still arrive: no retry, no reload, no resend; only what reads.
        ResponsePending => vec![A::OpenStatus, A::CopyReport],
        // Nothing to retry or clear: only a new chat goes on, with the prompt carried over.
        ConversationTooLong => vec![A::NewChat, A::CopyReport],
        AppError => then(
            retry_here,
            &[A::OpenStatus, A::CopyReport, A::ClearSiteData, A::FullReset],
        ),
        ErrorKind::None => vec![],
    }
}

/// Behind "More" whatever the situation: rarely the fix, and costly.
fn usually_more(d: &Diagnosis, ctx: &AdviceContext, id: ActionId) -> bool {
    match id {
        A::FullReset | A::OpenHelp => true,
        A::ClearSiteData => d.kind != SessionExpired,
        A::ClearCloudflareCookies => d.kind != CloudflareChallenge || !ctx.challenge_repeated,
        _ => false,
    }
}

fn label_and_reason(d: &Diagnosis, id: ActionId) -> (&'static str, &'static str) {
    let reason = match (id, d.kind) {
        (A::RetryTurn, _) => "reason_retry_turn",
        (A::RetryReload, RateLimited | CloudflareRateLimited) => "reason_retry_after_limit",
        (A::RetryReload, NetworkError) => "reason_retry_network",
        (A::RetryReload, _) => "reason_retry_server",
        (A::CancelRetry, _) => "reason_cancel_retry",
        (A::ReloadNow, CloudflareBlocked | UnusualActivity) => "reason_reload_after_network_change",
        (A::ReloadNow, _) => "reason_reload_now",
        (A::ClearCloudflareCookies, CloudflareChallenge) => "reason_clear_cf_challenge",
        (A::ClearCloudflareCookies, _) => "reason_clear_cf_rarely",
        (A::ClearSiteData, SessionExpired) => "reason_clear_site_login_loop",
        (A::ClearSiteData, _) => "reason_clear_site",
        (A::FullReset, _) => "reason_full_reset",
        (A::OpenStatus, _) => "reason_open_status",
        (A::LogIn, _) => "reason_log_in",
        (A::CopyReport, _) => "reason_copy_report",
        (A::OpenHelp, _) => "reason_open_help",
        (A::CopyDraft, _) => "reason_copy_draft",
        (A::NewChat, _) => "reason_new_chat",
    };
    let label = match id {
        A::RetryTurn => "action_retry_turn",
        A::RetryReload => "action_retry_reload",
        A::CancelRetry => "action_cancel_retry",
        A::ReloadNow => "action_reload_now",
        A::ClearCloudflareCookies => "action_clear_cloudflare_cookies",
        A::ClearSiteData => "action_clear_site_data",
        A::FullReset => "action_full_reset",
        A::OpenStatus => "action_open_status",
        A::LogIn => "action_log_in",
        A::CopyReport => "action_copy_report",
        A::OpenHelp => "action_open_help",
        A::CopyDraft => "action_copy_draft",
        A::NewChat => "action_new_chat",
    };
    (label, reason)
}

fn hints(d: &Diagnosis) -> Vec<&'static str> {
    match d.kind {
        CloudflareBlocked => vec![
            "hint_block_is_on_the_network",
            "hint_turn_off_vpn_proxy",
            "hint_try_other_network",
            "hint_ask_network_admin",
        ],
        CloudflareChallenge => vec![
            "hint_allow_third_party_cookies",
            "hint_disable_user_agent_spoofer",
            "hint_relax_fingerprinting",
            "hint_vpn_timezone",
        ],
        UnusualActivity => vec!["hint_turn_off_vpn_proxy", "hint_one_device"],
        CloudflareRateLimited | RateLimited => vec!["hint_wait_for_limit"],
        ResponsePending => vec!["hint_wait_do_not_resend"],
        _ => vec![],
    }
}

pub fn advise(d: &Diagnosis, ctx: &AdviceContext) -> Advice {
    let settings = ctx.settings.clone().unwrap_or_default().sanitized();
    let state = ctx
        .status
        .as_ref()
        .map_or(ServiceState::Unknown, |s| s.state);
    // Every ChatGPT page comes through Cloudflare: when Cloudflare itself is down, nothing on
    // this computer fixes it either.
    let cloudflare_down =
        d.kind.is_error() && ctx.cloudflare.as_ref().is_some_and(|s| s.state.is_outage());
    let incident = d.kind.is_error() && (state.is_incident() || cloudflare_down);
    let mut ids = ranked(d);
    if d.kind == CloudflareChallenge && !ctx.challenge_repeated {
        // Met once, the check is Cloudflare's everyday one: a reload lets it pass; clearing
        // its cookies waits until it comes back.
        ids.retain(|id| *id != A::ReloadNow);
        ids.insert(0, A::ReloadNow);
    }
    if !settings.auto_retry {
        // Without auto-retry, "retry" is one reload now.
        for id in ids.iter_mut().filter(|id| **id == A::RetryReload) {
            *id = A::ReloadNow;
        }
    }
    // What worked here before comes first, best record first: this computer's own history
    // beats the general ranking (an incident or a running retry still overrides it below).
    let worked = |id: &ActionId| fix_memory::tally(&ctx.memory, d, *id).filter(|t| t.worked > 0);
    // Memory reorders only within a tier: a clearing or reset action that worked once (it may
    // have been an outage ending meanwhile) is never lifted above the kind's first action that
    // removes nothing.
    let mut proven: Vec<(ActionId, Tally)> = ids
        .iter()
        .filter_map(|id| worked(id).map(|t| (*id, t)))
        .collect();
    crate::stable_sort::sort_by(&mut proven, |(_, a), (_, b)| {
        (u64::from(b.worked) * u64::from(a.tried))
            .cmp(&(u64::from(a.worked) * u64::from(b.tried)))
            .then(b.worked.cmp(&a.worked))
    });
    let (proven_clears, proven_safe): (Vec<_>, Vec<_>) = proven
        .into_iter()
        .map(|(id, _)| id)
        .partition(|id| id.clear_tier().is_some());
    ids.retain(|id| !proven_safe.contains(id));
    ids.splice(0..0, proven_safe);
    let mut anchor = ids
        .iter()
        .position(|id| id.clear_tier().is_none())
        .map_or(0, |i| i + 1);
    for id in proven_clears {
        if let Some(at) = ids.iter().position(|x| *x == id).filter(|at| *at > anchor) {
            ids.remove(at);
            ids.insert(anchor, id);
            anchor += 1;
        }
    }
    if incident {
        // OpenAI says it is on their side: waiting (and retrying on a schedule) first, the
        // status page next; nothing on this computer will fix it.
        let waiting: Vec<ActionId> = [A::RetryTurn, A::RetryReload, A::OpenStatus]
            .into_iter()
            .filter(|id| ids.contains(id) || (*id == A::RetryReload && retry::retryable(d.kind)))
            .collect();
        ids.retain(|id| !waiting.contains(id));
        ids.splice(0..0, waiting);
    }
    if ctx.retry.is_some() {
        ids.retain(|id| *id != A::RetryReload && *id != A::ReloadNow);
        ids.insert(0, A::CancelRetry);
    }
    if ctx.draft_saved {
        ids.push(A::CopyDraft);
    }
    let mut seen = Vec::new();
    ids.retain(|id| {
        let fresh = !seen.contains(id);
        seen.push(*id);
        fresh
    });
    let actions = ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let (label, mut reason) = label_and_reason(d, id);
            let tally = fix_memory::tally(&ctx.memory, d, id);
            if tally.is_some_and(|t| t.worked > 0) {
                reason = "reason_worked_for_you";
            }
            let confirm = id.clear_tier().is_some();
            // During an incident every data-clearing action waits behind "More".
            let more = i > 0 && (usually_more(d, ctx, id) || (incident && confirm));
            Action {
                id,
                label,
                reason,
                more,
                confirm,
                clear_tier: id.clear_tier(),
                tally,
            }
        })
        .collect();
    // "Working" on the status page means little for an error that is OpenAI's by nature:
    // incidents reach that page minutes late.
    let openai_side = matches!(
        d.kind,
        ServerUnreachable | ServerError | AtCapacity | AppError
    );
    let status_line = match (d.kind.is_error(), state) {
        (true, s) if s.is_incident() => Some("status_incident"),
        (true, _) if cloudflare_down => Some("status_cloudflare_outage"),
        (true, ServiceState::Maintenance) => Some("status_maintenance"),
        // A plan's limit is the plan's, whatever the status page says: no "on this side".
        (true, _) if d.kind == RateLimited => Option::None,
        (true, ServiceState::Operational) if openai_side => Some("status_operational_not_yet"),
        (true, ServiceState::Operational) => Some("status_operational"),
        (true, ServiceState::Unknown) if ctx.status.is_some() => Some("status_unknown"),
        _ => Option::None,
    }
    .map(|key| StatusLine { key, state });
    Advice {
        status_line,
        actions,
        hints: hints(d),
    }
}

/// Every `_locales` key `advise` can return.
pub fn all_message_keys() -> Vec<&'static str> {
    let mut keys = vec![
        "status_incident",
        "status_maintenance",
        "status_operational",
        "status_operational_not_yet",
        "status_unknown",
        "reason_worked_for_you",
        "status_cloudflare_outage",
    ];
    let ids = [
        A::RetryTurn,
        A::RetryReload,
        A::CancelRetry,
        A::ReloadNow,
        A::ClearCloudflareCookies,
        A::ClearSiteData,
        A::FullReset,
        A::OpenStatus,
        A::LogIn,
        A::CopyReport,
        A::OpenHelp,
        A::CopyDraft,
        A::NewChat,
    ];
    for kind in ErrorKind::ALL {
        let d = Diagnosis {
            kind,
            ..Diagnosis::default()
        };
        keys.extend(hints(&d));
        for id in ids {
            let (label, reason) = label_and_reason(&d, id);
            keys.extend([label, reason]);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::retry::{RetryCommand, RetryEvent, RetryInput};

    fn d(kind: ErrorKind) -> Diagnosis {
        Diagnosis {
            kind,
            ..Diagnosis::default()
        }
    }

    fn ids(a: &Advice) -> Vec<ActionId> {
        a.actions.iter().map(|a| a.id).collect()
    }

    fn status(state: ServiceState) -> Option<OpenAiStatus> {
        Some(OpenAiStatus {
            state,
            ..OpenAiStatus::default()
        })
    }

    /// The context of a tab that met Cloudflare's challenge again.
    fn again() -> AdviceContext {
        AdviceContext {
            challenge_repeated: true,
            ..AdviceContext::default()
        }
    }

    #[test]
    fn each_error_leads_with_its_own_fix() {
        let first = |kind| ids(&advise(&d(kind), &AdviceContext::default()))[0];
        assert_eq!(first(SessionExpired), A::LogIn);
        // A challenge met once: a reload, nothing cleared; met again: its cookies cleared.
        assert_eq!(first(CloudflareChallenge), A::ReloadNow);
        let once = advise(&d(CloudflareChallenge), &AdviceContext::default());
        assert!(once.actions.iter().filter(|x| x.confirm).all(|x| x.more));
        assert_eq!(
            ids(&advise(&d(CloudflareChallenge), &again()))[0],
            A::ClearCloudflareCookies
        );
        assert_eq!(first(ServerUnreachable), A::RetryReload);
        assert_eq!(first(CloudflareBlocked), A::ReloadNow);
        let mut turn = d(AppError);
        turn.retry_button = true;
        assert_eq!(
            ids(&advise(&turn, &AdviceContext::default()))[0],
            A::RetryTurn
        );
        assert!(advise(&d(ErrorKind::None), &AdviceContext::default())
            .actions
            .is_empty());
    }

    #[test]
    fn an_answer_that_may_still_arrive_is_never_resent_or_reloaded() {
        let mut pending = d(ResponsePending);
        // Even under a failed answer's retry button, during an incident, with auto-retry.
        pending.retry_button = true;
        let acting = [
            A::RetryTurn,
            A::RetryReload,
            A::ReloadNow,
            A::ClearSiteData,
            A::FullReset,
        ];
        for ctx in [
            AdviceContext::default(),
            AdviceContext {
                status: status(ServiceState::MajorOutage),
                ..AdviceContext::default()
            },
        ] {
            let a = advise(&pending, &ctx);
            assert!(
                ids(&a).iter().all(|id| !acting.contains(id)),
                "{:?}",
                ids(&a)
            );
            assert_eq!(a.hints, ["hint_wait_do_not_resend"]);
        }
        assert!(!retry::retryable(ResponsePending));
    }

    #[test]
    fn every_error_can_be_reported_and_clearing_always_asks() {
        for kind in ErrorKind::ALL.into_iter().filter(|k| k.is_error()) {
            let a = advise(&d(kind), &AdviceContext::default());
            assert!(ids(&a).contains(&A::CopyReport), "{kind:?}");
            assert!(!a.actions[0].more);
            for action in &a.actions {
                assert_eq!(action.confirm, action.id.clear_tier().is_some());
            }
        }
    }

    #[test]
    fn during_an_incident_waiting_comes_first_and_clearing_goes_behind_more() {
        let ctx = AdviceContext {
            status: status(ServiceState::MajorOutage),
            ..AdviceContext::default()
        };
        let a = advise(&d(CloudflareChallenge), &ctx);
        assert_eq!(
            a.status_line.as_ref().map(|s| s.key),
            Some("status_incident")
        );
        assert_eq!(ids(&a)[0], A::OpenStatus);
        assert!(a.actions.iter().filter(|x| x.confirm).all(|x| x.more));
        let a = advise(&d(ServerError), &ctx);
        assert_eq!(&ids(&a)[..2], &[A::RetryReload, A::OpenStatus]);
        // Operational: no reordering, a calm status line.
        let calm = advise(
            &d(CloudflareChallenge),
            &AdviceContext {
                status: status(ServiceState::Operational),
                ..again()
            },
        );
        assert_eq!(ids(&calm)[0], A::ClearCloudflareCookies);
        assert_eq!(calm.status_line.map(|s| s.key), Some("status_operational"));
        // An error on OpenAI's side is not blamed on this computer because the page is green.
        let full = advise(
            &d(AtCapacity),
            &AdviceContext {
                status: status(ServiceState::Operational),
                ..AdviceContext::default()
            },
        );
        assert_eq!(
            full.status_line.map(|s| s.key),
            Some("status_operational_not_yet")
        );
    }

    #[test]
    fn what_worked_here_before_comes_first_and_says_so() {
        use crate::plans::fix_memory::{pending, record_healthy, record_try};
        let page = Diagnosis {
            code: Some("challenge".into()),
            ..d(CloudflareChallenge)
        };
        let mut memory = Vec::new();
        for (i, healthy) in [true, true, false, true].into_iter().enumerate() {
            let at = i as f64 * 1e6;
            let fix = pending(&page, A::ReloadNow, at).unwrap();
            memory = record_try(memory, &fix);
            if healthy {
                memory = record_healthy(memory, &fix, at + 30_000.0, false);
            }
        }
        let before = advise(&page, &again());
        assert_eq!(ids(&before)[0], A::ClearCloudflareCookies);
        let ctx = AdviceContext {
            memory: memory.clone(),
            ..again()
        };
        let a = advise(&page, &ctx);
        assert_eq!(ids(&a)[0], A::ReloadNow);
        assert_eq!(a.actions[0].reason, "reason_worked_for_you");
        assert_eq!(
            a.actions[0].tally,
            Some(Tally {
                worked: 3,
                tried: 4
            })
        );
        assert!(!a.actions[0].more);
        // Another kind learns nothing from it.
        let other = advise(&d(ServerError), &ctx);
        assert_eq!(ids(&other)[0], A::RetryReload);
        assert!(other.actions.iter().all(|x| x.tally.is_none()));
        // An incident still puts waiting first.
        let during = advise(
            &page,
            &AdviceContext {
                status: status(ServiceState::MajorOutage),
                memory,
                ..AdviceContext::default()
            },
        );
        assert_eq!(ids(&during)[0], A::OpenStatus);
    }

    #[test]
    fn memory_never_lifts_a_clear_above_the_first_action_that_removes_nothing() {
        use crate::plans::fix_memory::{pending, record_healthy, record_try};
        // One "Clear site data" during an outage that then ended.
        let page = Diagnosis {
            code: Some("500".into()),
            ..d(ServerError)
        };
        let fix = pending(&page, A::ClearSiteData, 0.0).unwrap();
        let memory = record_healthy(record_try(Vec::new(), &fix), &fix, 30_000.0, false);
        let a = advise(
            &page,
            &AdviceContext {
                memory: memory.clone(),
                ..AdviceContext::default()
            },
        );
        assert_eq!(ids(&a)[0], A::RetryReload, "{:?}", ids(&a));
        assert_eq!(ids(&a)[1], A::ClearSiteData, "lifted within its tier");
        assert_eq!(a.actions[1].reason, "reason_worked_for_you");
        assert!(a.actions[1].confirm);
        // A full reset that worked on an app error: still behind the first safe action.
        let app = d(AppError);
        let reset = pending(&app, A::FullReset, 0.0).unwrap();
        let memory = record_healthy(record_try(Vec::new(), &reset), &reset, 1.0, false);
        let a = advise(
            &app,
            &AdviceContext {
                memory,
                ..AdviceContext::default()
            },
        );
        assert_eq!(&ids(&a)[..2], &[A::RetryReload, A::FullReset]);
    }

    #[test]
    fn during_a_cloudflare_outage_waiting_comes_first_too() {
        let ctx = AdviceContext {
            status: status(ServiceState::Operational),
            cloudflare: status(ServiceState::MajorOutage),
            ..again()
        };
        let a = advise(&d(CloudflareChallenge), &ctx);
        assert_eq!(
            a.status_line.as_ref().map(|s| s.key),
            Some("status_cloudflare_outage")
        );
        assert_eq!(ids(&a)[0], A::OpenStatus);
        assert!(a.actions.iter().filter(|x| x.confirm).all(|x| x.more));
        // Cloudflare's everyday "minor" changes nothing.
        let minor = advise(
            &d(CloudflareChallenge),
            &AdviceContext {
                cloudflare: status(ServiceState::Degraded),
                ..ctx
            },
        );
        assert_eq!(ids(&minor)[0], A::ClearCloudflareCookies);
        assert_eq!(minor.status_line.map(|s| s.key), Some("status_operational"));
    }

    #[test]
    fn a_usage_limit_is_not_blamed_on_this_side() {
        let a = advise(
            &d(RateLimited),
            &AdviceContext {
                status: status(ServiceState::Operational),
                ..AdviceContext::default()
            },
        );
        assert_eq!(a.status_line, Option::None);
        let during = advise(
            &d(RateLimited),
            &AdviceContext {
                status: status(ServiceState::MajorOutage),
                ..AdviceContext::default()
            },
        );
        assert_eq!(during.status_line.map(|s| s.key), Some("status_incident"));
    }

    #[test]
    fn a_running_retry_offers_cancel_first() {
        let run = match retry::step(&RetryInput {
            event: Some(RetryEvent::Start),
            diagnosis: Some(d(ServerError)),
            ..RetryInput::default()
        }) {
            RetryCommand::Schedule { run } => run,
            other => panic!("{other:?}"),
        };
        let a = advise(
            &d(ServerError),
            &AdviceContext {
                retry: Some(run),
                ..AdviceContext::default()
            },
        );
        assert_eq!(ids(&a)[0], A::CancelRetry);
        assert!(!ids(&a).contains(&A::RetryReload));
    }

    #[test]
    fn honest_hints_where_no_button_helps() {
        let a = advise(&d(CloudflareBlocked), &AdviceContext::default());
        assert_eq!(a.hints[0], "hint_block_is_on_the_network");
        assert!(advise(&d(CloudflareChallenge), &AdviceContext::default())
            .hints
            .contains(&"hint_allow_third_party_cookies"));
    }

    #[test]
    fn without_auto_retry_retry_is_a_plain_reload() {
        let ctx = AdviceContext {
            settings: Some(Settings {
                auto_retry: false,
                ..Settings::default()
            }),
            ..AdviceContext::default()
        };
        let a = advise(&d(ServerError), &ctx);
        assert_eq!(ids(&a)[0], A::ReloadNow);
        assert!(!ids(&a).contains(&A::RetryReload));
    }
}
