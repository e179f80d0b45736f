//! The card the content script draws on the page itself: the toolbar button is easy to miss
//! when the person is looking at a dead page. Decided here: on which documents it shows
//! (full-page error documents; the running app only when the options say so; never a
//! healthy page), what it names and which one action it offers (the top of `advise`, when
//! the page can carry it out). The background accepts a card's click only for the action
//! this returns for the tab's current diagnosis.

use serde::{Deserialize, Serialize};

use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind;
use crate::page::snapshot::PageSnapshot;
use crate::recognise::sensor_spec::marker;
use crate::respond::advice::{self, Action, ActionId, AdviceContext};
use crate::respond::presentation;

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CardContext {
    /// The document is the running ChatGPT app (its shell was seen), not an error document.
    pub app_document: bool,
    /// The person closed the card on this page.
    pub dismissed: bool,
    /// What the popup's advice is given (status, retry run, options).
    pub advice: AdviceContext,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub kind: ErrorKind,
    /// `_locales` key of the error's name (the popup's title).
    pub title: &'static str,
    /// The error's code, shown after its name (1020, 502, …).
    pub code: Option<String>,
    /// The one action the card offers, or none when only the popup can carry out the top
    /// one (copying a report needs the popup's page).
    pub action: Option<Action>,
}

/// Is the snapshot's document the running app (rather than an error page served instead)?
pub fn app_document(s: &PageSnapshot) -> bool {
    s.has_marker(marker::APP_SHELL)
}

/// Actions a card may carry out: each acts on the tab or opens a page. Copying needs the
/// popup (the clipboard of the extension's page), so it stays there; clearing the site's data
/// or a full reset logs the person out, which a button on the page never offers.
fn card_can_carry(id: ActionId) -> bool {
    !matches!(
        id,
        ActionId::CopyReport | ActionId::CopyDraft | ActionId::ClearSiteData | ActionId::FullReset
    )
}

pub fn page_card(d: &Diagnosis, ctx: &CardContext) -> Option<Card> {
    let settings = ctx.advice.settings.clone().unwrap_or_default().sanitized();
    if !d.kind.is_error() || !settings.page_card || ctx.dismissed {
        return None;
    }
    if ctx.app_document && !settings.page_card_on_app {
        return None;
    }
    let advice = advice::advise(d, &ctx.advice);
    let action = advice
        .actions
        .into_iter()
        .next()
        .filter(|a| card_can_carry(a.id));
    Some(Card {
        kind: d.kind,
        title: presentation::explain(d).title,
        code: d.code.clone(),
        action,
    })
}

/// May a card's click carry out `action` now? Only the one the card offers for the tab's
/// current diagnosis; one behind a confirmation only once the person confirmed it in the card.
pub fn card_allows(d: &Diagnosis, ctx: &CardContext, action: ActionId, confirmed: bool) -> bool {
    page_card(d, ctx)
        .and_then(|c| c.action)
        .is_some_and(|a| a.id == action && (!a.confirm || confirmed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::kind::ErrorKind::{
        AppError, CloudflareBlocked, CloudflareChallenge, ServerUnreachable,
    };
    use crate::plans::retry::{self, RetryCommand, RetryEvent, RetryInput};
    use crate::plans::settings::Settings;

    fn d(kind: ErrorKind) -> Diagnosis {
        Diagnosis {
            kind,
            code: Some("1020".into()),
            ..Diagnosis::default()
        }
    }

    fn error_page() -> CardContext {
        CardContext::default()
    }

    fn met_again() -> CardContext {
        let mut ctx = error_page();
        ctx.advice.challenge_repeated = true;
        ctx
    }

    fn with_settings(mut ctx: CardContext, s: Settings) -> CardContext {
        ctx.advice.settings = Some(s);
        ctx
    }

    #[test]
    fn a_full_page_error_gets_a_card_with_the_top_action() {
        let card = page_card(&d(CloudflareBlocked), &error_page()).unwrap();
        assert_eq!(card.kind, CloudflareBlocked);
        assert_eq!(card.title, "kind_cloudflare_blocked_title");
        assert_eq!(card.code.as_deref(), Some("1020"));
        assert_eq!(card.action.unwrap().id, ActionId::ReloadNow);
        // A challenge met once: a reload, never a clear.
        let once = page_card(&d(CloudflareChallenge), &error_page()).unwrap();
        assert_eq!(once.action.unwrap().id, ActionId::ReloadNow);
        let challenge = page_card(&d(CloudflareChallenge), &met_again()).unwrap();
        let action = challenge.action.unwrap();
        assert_eq!(action.id, ActionId::ClearCloudflareCookies);
        assert!(action.confirm);
    }

    #[test]
    fn never_on_a_healthy_page_and_on_the_app_only_when_asked() {
        assert_eq!(page_card(&d(ErrorKind::None), &error_page()), None);
        let app = CardContext {
            app_document: true,
            ..CardContext::default()
        };
        assert_eq!(page_card(&d(AppError), &app), None);
        assert_eq!(page_card(&d(ErrorKind::None), &app), None);
        let asked = with_settings(
            app,
            Settings {
                page_card_on_app: true,
                ..Settings::default()
            },
        );
        assert!(page_card(&d(AppError), &asked).is_some());
        assert_eq!(page_card(&d(ErrorKind::None), &asked), None);
    }

    #[test]
    fn off_in_the_options_or_once_dismissed() {
        let off = with_settings(
            error_page(),
            Settings {
                page_card: false,
                ..Settings::default()
            },
        );
        assert_eq!(page_card(&d(CloudflareBlocked), &off), None);
        let dismissed = CardContext {
            dismissed: true,
            ..CardContext::default()
        };
        assert_eq!(page_card(&d(CloudflareBlocked), &dismissed), None);
    }

    #[test]
    fn a_running_retry_offers_cancel() {
        let diagnosis = d(ServerUnreachable);
        let run = match retry::step(&RetryInput {
            event: Some(RetryEvent::Start),
            diagnosis: Some(diagnosis.clone()),
            ..RetryInput::default()
        }) {
            RetryCommand::Schedule { run } => run,
            other => panic!("{other:?}"),
        };
        let before = page_card(&diagnosis, &error_page()).unwrap();
        assert_eq!(before.action.unwrap().id, ActionId::RetryReload);
        let mut ctx = error_page();
        ctx.advice.retry = Some(run);
        let during = page_card(&diagnosis, &ctx).unwrap();
        assert_eq!(during.action.unwrap().id, ActionId::CancelRetry);
    }

    #[test]
    fn a_click_is_accepted_only_for_the_offered_action_and_confirmed_when_it_asks() {
        let blocked = d(CloudflareBlocked);
        assert!(card_allows(
            &blocked,
            &error_page(),
            ActionId::ReloadNow,
            false
        ));
        for other in [
            ActionId::ClearSiteData,
            ActionId::FullReset,
            ActionId::RetryReload,
            ActionId::CopyReport,
        ] {
            assert!(
                !card_allows(&blocked, &error_page(), other, true),
                "{other:?}"
            );
        }
        let challenge = d(CloudflareChallenge);
        let clear = ActionId::ClearCloudflareCookies;
        assert!(
            !card_allows(&challenge, &error_page(), clear, true),
            "met once"
        );
        assert!(!card_allows(&challenge, &met_again(), clear, false));
        assert!(card_allows(&challenge, &met_again(), clear, true));
        assert!(!card_allows(
            &d(ErrorKind::None),
            &error_page(),
            ActionId::ReloadNow,
            true
        ));
        let dismissed = CardContext {
            dismissed: true,
            ..CardContext::default()
        };
        assert!(!card_allows(
            &blocked,
            &dismissed,
            ActionId::ReloadNow,
            false
        ));
    }

    #[test]
    fn copying_stays_in_the_popup() {
        assert!(!card_can_carry(ActionId::CopyReport));
        assert!(card_can_carry(ActionId::LogIn));
    }

    #[test]
    fn the_card_never_offers_a_logout() {
        assert!(!card_can_carry(ActionId::ClearSiteData));
        assert!(!card_can_carry(ActionId::FullReset));
        // Even where the ranking's own top action would be one.
        let mut ctx = error_page();
        ctx.advice.status = Option::None;
        for kind in ErrorKind::ALL {
            if let Some(card) = page_card(&d(kind), &ctx) {
                let id = card.action.map(|a| a.id);
                assert!(
                    !matches!(id, Some(ActionId::ClearSiteData | ActionId::FullReset)),
                    "{kind:?}"
                );
            }
        }
        assert!(!card_allows(
            &d(ErrorKind::SessionExpired),
            &error_page(),
            ActionId::ClearSiteData,
            true
        ));
    }

    #[test]
    fn the_app_shell_marks_the_app() {
        let mut s = PageSnapshot::default();
        assert!(!app_document(&s));
        s.markers.push(marker::APP_SHELL.into());
        assert!(app_document(&s));
    }
}
