//! The sensor's places, by structure: which parts of a dialog and of the strip above the
//! composer are read, on small pages built here (the fixtures show the real markup).

mod common;

use error_doctor::page::snapshot::{PageSnapshot, RegionKind};
use error_doctor::recognise::sensor_spec::SENSOR_SPEC;
use scraper::Html;

/// An app page (a conversation turn) with `extra` in its body.
fn app_page(extra: &str) -> String {
    format!(
        "<html><body><main><article data-testid=\"conversation-turn-1\">\
         <div data-message-author-role=\"user\">Hello</div></article></main>{extra}</body></html>"
    )
}

/// What the sensor reads of an app page with `extra` in its body: its regions' texts.
fn read(extra: &str) -> String {
    let (regions, _) = read_document(&app_page(extra));
    regions
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

const NOTICE: &str = "<h2 id=\"t\">Session expired</h2><p id=\"d\">Your session has expired.</p>";

#[test]
fn an_error_dialog_is_read_by_its_title_and_description() {
    let seen = read(&format!(
        "<div role=\"dialog\" aria-labelledby=\"t\" aria-describedby=\"d\">{NOTICE}\
         <label><input type=\"checkbox\"> Don't show again</label><button>Log in</button></div>"
    ));
    assert!(
        seen.contains("Session expired\nYour session has expired."),
        "{seen}"
    );
    assert!(
        !seen.contains("Log in") && !seen.contains("show again"),
        "{seen}"
    );
    // A description that is no paragraph is still found through aria-describedby; the rest
    // of the dialog is not read.
    let seen = read(
        "<div role=\"dialog\" aria-describedby=\"x\"><div>Some name</div>\
         <div id=\"x\">Too many requests. Wait a minute.</div></div>",
    );
    assert_eq!(seen, "Too many requests. Wait a minute.");
}

#[test]
fn a_dialog_of_peoples_content_is_not_read_at_all() {
    for inside in [
        "<input type=\"text\" value=\"session\">",
        "<input placeholder=\"Search chats\">",
        "<ol><li>Session expired after login</li></ol>",
        "<a href=\"/c/0e1d2c3b-4a59-8687-b6c5-d4e3f2a1b0c9\">Chat</a>",
        "<a href=\"/g/g-abc123-helper\">Start chat</a>",
        "<div contenteditable=\"true\"></div>",
    ] {
        let seen = read(&format!(
            "<div role=\"dialog\" aria-labelledby=\"t\" aria-describedby=\"d\">{NOTICE}{inside}</div>"
        ));
        assert_eq!(seen, "", "read a dialog holding {inside}");
    }
    // Alerts are read whole as before, even in the middle of such a dialog.
    let seen = read("<div role=\"dialog\"><input><div role=\"alert\">Network error</div></div>");
    assert_eq!(seen, "Network error");
}

#[test]
fn the_strip_above_the_composer_is_read_without_the_composer() {
    let seen = read(
        "<div id=\"thread-bottom\"><div><div>You've hit the Free plan limit for GPT-4o.</div>\
         <a href=\"#pricing\">Too many requests? Get Plus</a></div>\
         <div><button>Explain \u{201c}Session expired\u{201d}</button></div>\
         <div class=\"text-xs [view-transition-name:var(--vt-disclaimer)]\">ChatGPT can make mistakes.</div>\
         <form><div data-testid=\"file-tile\">network error.log</div><div>Unable to load conversation.pdf</div>\
         <div id=\"prompt-textarea\" contenteditable=\"true\"><p>Something went wrong</p></div></form></div>",
    );
    // Read as a notice and again as one of the app's error boxes, the same words each time.
    for region in seen.split(" | ") {
        assert_eq!(
            region, "You've hit the Free plan limit for GPT-4o.",
            "{seen}"
        );
    }
}

/// The kinds of the regions the sensor reads from an app page with `extra` in its body.
fn kinds(extra: &str) -> Vec<(RegionKind, String)> {
    read_document(&app_page(extra)).0
}

#[test]
fn an_error_styled_toast_is_an_error_box_and_an_info_toast_is_not() {
    let box_of = |extra: &str| {
        kinds(extra)
            .into_iter()
            .filter(|(k, _)| *k == RegionKind::ErrorBox)
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
    };
    for error in [
        "<div role=\"alert\" data-testid=\"toast-error\">Hitilafu</div>",
        "<div role=\"alert\" class=\"border-token-surface-error/30 text-token-text-error\">Hitilafu</div>",
        "<div role=\"alert\" class=\"border bg-red-500 text-white\">Hitilafu</div>",
        "<div data-testid=\"modal-rate-limit\"><h2>Hitilafu</h2></div>",
    ] {
        assert_eq!(box_of(error), ["Hitilafu"], "{error}");
    }
    // The info toast ("Copied", "Memory updated") is a role=alert too, but green: read as an
    // alert (its words may still name an error), never as an error box.
    let info = "<div class=\"toast-root\"><div role=\"alert\" class=\"border-green-500 bg-green-500\">Kopioitu</div></div>";
    assert!(box_of(info).is_empty());
    assert_eq!(kinds(info), [(RegionKind::Alert, "Kopioitu".to_string())]);
    // A confirmation (role=alertdialog) quotes the chat's title: never an error box.
    assert!(
        box_of("<div role=\"alertdialog\"><h2>Delete chat?</h2><p>Trip budget</p></div>")
            .is_empty()
    );
}

/// What the sensor reads of a whole document `html`: its regions' kinds and texts, and its
/// markers.
fn read_document(html: &str) -> (Vec<(RegionKind, String)>, Vec<String>) {
    let mut snapshot = PageSnapshot::default();
    common::fill_from_document(&mut snapshot, &Html::parse_document(html));
    let regions = snapshot
        .regions
        .into_iter()
        .map(|r| (r.kind, r.text))
        .collect();
    // The page's structure (turns, authors, composer) is reported on every app page: only
    // the markers of error places are asked about here.
    let structure: Vec<&str> = SENSOR_SPEC.structure.iter().map(|m| m.id).collect();
    let markers = snapshot
        .markers
        .into_iter()
        .filter(|m| !structure.contains(&m.as_str()))
        .collect();
    (regions, markers)
}

fn turn(n: u32, inner: &str) -> String {
    format!(
        "<article data-testid=\"conversation-turn-{n}\"><div data-message-author-role=\"assistant\">\
         <div class=\"markdown\">Answer {n}</div></div>{inner}</article>"
    )
}

const FAILED: &str = "<div class=\"text-token-text-error\">Something went wrong.</div>";

#[test]
fn the_history_before_the_last_turn_is_never_read() {
    // An error shown under an earlier answer is the conversation's past.
    let earlier = format!(
        "<html><body><main><div>{}{}{}</div></main><div id=\"thread-bottom\"></div></body></html>",
        turn(1, ""),
        turn(2, FAILED),
        turn(3, "")
    );
    let (regions, markers) = read_document(&earlier);
    assert_eq!(markers, vec!["app_shell".to_string()]);
    assert!(regions.is_empty(), "{regions:?}");
    // Under the last answer: read. After the thread (a menu, a portal): not the answer.
    let (regions, _) = read_document(&format!(
        "<html><body><main><div>{}{}</div></main></body></html>",
        turn(1, ""),
        turn(2, FAILED)
    ));
    assert!(
        regions
            .iter()
            .any(|(k, t)| *k == RegionKind::TurnError && t == "Something went wrong."),
        "{regions:?}"
    );
    let (regions, _) = read_document(&format!(
        "<html><body><main><div>{}{}</div>{FAILED}</main></body></html>",
        turn(1, ""),
        turn(2, "")
    ));
    assert!(regions.is_empty(), "{regions:?}");
}

/// The last turn as the real app draws it (2026): the error card inside the assistant
/// message, its words in a `.markdown > p`, its Retry button (CloakGPT's capture).
fn failed_answer(card_classes: &str, words: &str, prose: &str) -> String {
    format!(
        "<html><body><main><div>\
         <section data-testid=\"conversation-turn-1\" data-turn=\"user\">\
         <div data-message-author-role=\"user\"><div class=\"whitespace-pre-wrap\">Hi</div></div></section>\
         <section data-testid=\"conversation-turn-2\" data-turn=\"assistant\">\
         <div data-message-author-role=\"assistant\" data-message-id=\"m\">\
         <div class=\"flex w-full flex-col gap-1 empty:hidden\"><div class=\"markdown prose\">{prose}</div></div>\
         <div class=\"{card_classes}\"><div class=\"markdown break-words\"><p>{words}</p></div>\
         <button data-testid=\"regenerate-thread-error-button\" class=\"btn\"><div>Retry</div></button></div>\
         </div></section></div></main><div id=\"thread-bottom\"></div></body></html>"
    )
}

const ERROR_TOKENS: &str =
    "text-token-text-error border-token-surface-error/15 bg-token-surface-error/5 flex";

#[test]
fn the_error_card_inside_the_last_answer_is_read_and_its_prose_is_not() {
    let (regions, markers) = read_document(&failed_answer(
        ERROR_TOKENS,
        "Message delivery timed out. Please try again.",
        "<p>Something went wrong, you said?</p>",
    ));
    assert_eq!(
        regions,
        [(
            RegionKind::TurnError,
            "Message delivery timed out. Please try again.".to_string()
        )]
    );
    assert!(
        markers.contains(&"turn_retry_button".to_string()),
        "{markers:?}"
    );
    // A card with no words at all: only its Retry button says it failed.
    let (regions, markers) = read_document(&failed_answer(ERROR_TOKENS, "", ""));
    assert!(regions.is_empty(), "{regions:?}");
    assert!(
        markers.contains(&"turn_retry_button".to_string()),
        "{markers:?}"
    );
    // The answer's prose quoting a notice word for word, even in a card-looking nesting of
    // its own (a blockquote holding a `.markdown`): never read.
    let quoting = failed_answer(
        "flex",
        "",
        "<blockquote><div class=\"markdown\"><p>Message delivery timed out.</p></div></blockquote>\
         <p class=\"text-red-500\">Network error</p>",
    )
    .replace("<button data-testid=\"regenerate-thread-error-button\" class=\"btn\"><div>Retry</div></button>", "");
    let (regions, markers) = read_document(&quoting);
    assert!(regions.is_empty(), "{regions:?}");
    assert_eq!(markers, vec!["app_shell".to_string()]);
}

#[test]
fn an_open_menu_and_the_live_regions_are_not_errors() {
    let page = format!(
        "<html><body><main><div>{}</div></main>\
         <div id=\"aria-notify-live-region-assertive\" class=\"sr-only\" role=\"alert\" aria-live=\"assertive\">\
         <span>Actions refreshed.</span></div>\
         <div data-radix-popper-content-wrapper=\"\"><div role=\"menu\" data-state=\"open\">\
         <div role=\"menuitem\" class=\"group __menu-item text-red-500\">Delete</div></div></div></body></html>",
        turn(1, "")
    );
    let (regions, _) = read_document(&page);
    // The live region is read as an alert (words only, none of them an error); the red menu
    // item is never read.
    assert!(
        regions
            .iter()
            .all(|(k, t)| *k == RegionKind::Alert && !t.contains("Delete")),
        "{regions:?}"
    );
}

#[test]
fn a_renderer_without_turns_reads_the_card_after_the_last_user_message() {
    let card = "<div class=\"text-token-text-error\"><p>Hitilafu</p></div>";
    let page = format!(
        "<html><body><main><div>{card}</div><div data-message-author-role=\"user\">Hi</div>\
         <div>{card}</div></main><form data-type=\"unified-composer\"></form></body></html>"
    );
    let (regions, _) = read_document(&page);
    assert_eq!(regions, [(RegionKind::TurnError, "Hitilafu".to_string())]);
    // The person's own question last: no answer yet, the card before it is history.
    let page = format!(
        "<html><body><main><div>{card}</div><div data-message-author-role=\"user\">Hi</div>\
         </main><form data-type=\"unified-composer\"></form></body></html>"
    );
    let (regions, _) = read_document(&page);
    assert!(regions.is_empty(), "{regions:?}");
}

#[test]
fn cloudflares_markup_is_not_looked_for_in_the_app() {
    let box_1020 = "<div id=\"cf-error-details\"><h1>Error code 1020</h1></div>\
                    <iframe src=\"https://challenges.cloudflare.com/x\"></iframe>";
    let (regions, markers) = read_document(&format!(
        "<html><body><main><div>{}</div></main>{box_1020}</body></html>",
        turn(1, "")
    ));
    assert_eq!(markers, vec!["app_shell".to_string()]);
    assert!(regions.is_empty(), "{regions:?}");
    // The same markup as a document of its own: Cloudflare's page.
    let (regions, markers) = read_document(&format!("<html><body>{box_1020}</body></html>"));
    assert!(markers.contains(&"cf_error_box".to_string()), "{markers:?}");
    assert!(markers.contains(&"cf_challenge".to_string()), "{markers:?}");
    assert!(regions.iter().any(|(k, _)| *k == RegionKind::CloudflareBox));
}
