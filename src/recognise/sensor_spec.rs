//! What the sensor reads from a page: which markup markers to look for and which regions'
//! text to collect. The content script applies this spec (generated into the extension at
//! build time), and the native fixture tests apply the very same spec to the fixture HTML,
//! so the places we read are defined once, here.

use serde::Serialize;

/// Ids of the markers the sensor reports and the signature table refers to.
pub mod marker {
    pub const CF_ERROR_BOX: &str = "cf_error_box";
    pub const CF_STATUS_DIAGRAM: &str = "cf_status_diagram";
    pub const CF_CHALLENGE: &str = "cf_challenge";
    pub const CF_CHALLENGE_SCRIPT: &str = "cf_challenge_script";
    pub const OPENAI_ERROR_PAGE: &str = "openai_error_page";
    pub const APP_SHELL: &str = "app_shell";
    pub const LOGIN_BUTTON: &str = "login_button";
    pub const TURN_RETRY_BUTTON: &str = "turn_retry_button";
    /// What a conversation page of the app is built of (`SensorSpec::structure`).
    pub const CONVERSATION_TURNS: &str = "conversation_turns";
    pub const MESSAGE_ROLES: &str = "message_roles";
    pub const COMPOSER: &str = "composer";
}

/// Where in a page a marker or region is looked for. Reads are scoped so that the running
/// app, whose long conversations are most of every page the sensor sees, costs little: its
/// history is never walked, and Cloudflare's markup is not looked for in it.
pub mod scope {
    /// The whole document; in the app, but for the conversation's earlier turns (what is in
    /// them is never read, and a long conversation is nearly all of the document: the sensor
    /// leaves them out of its queries).
    pub const ANYWHERE: &str = "anywhere";
    /// Only in a document that is not the app (Cloudflare's and OpenAI's error pages replace
    /// the app's document; they are never inside it).
    pub const NOT_APP: &str = "not_app";
    /// From the conversation's last turn on, in document order: the last turn, and what
    /// follows it. The turns before it are the conversation's past: an error shown there is
    /// history, not the page's state now. No turns: the whole document.
    pub const AFTER_HISTORY: &str = "after_history";
    /// The answer to the last question: inside the conversation's last turn (not what follows
    /// it: menus and toasts are mounted after the thread, they are no answer), and after the
    /// last user message. No turns (a renderer without them): the whole document after the
    /// last user message; no user message either: the whole document.
    pub const LAST_ANSWER: &str = "last_answer";
    pub const IDS: &[&str] = &[ANYWHERE, NOT_APP, AFTER_HISTORY, LAST_ANSWER];
}

#[derive(Debug, Serialize)]
pub struct MarkerSpec {
    pub id: &'static str,
    /// A human label, quoted as evidence.
    pub label: &'static str,
    pub selector: &'static str,
    /// One of `scope`.
    pub scope: &'static str,
    /// Found inside a message too (see `RegionSpec::in_message`).
    pub in_message: bool,
}

/// A marker found by the text of an inline `<script>` (Cloudflare's challenge sets
/// `window._cf_chl_opt`, which the isolated content script cannot see as a variable).
#[derive(Debug, Serialize)]
pub struct ScriptProbe {
    pub id: &'static str,
    pub label: &'static str,
    pub needle: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RegionSpec {
    pub kind: &'static str,
    pub selector: &'static str,
    /// A match holding one of these is people's content (chat search, a GPT's card): none of
    /// it is read. Empty: every match is read.
    pub unless_contains: &'static str,
    /// Only these parts of a match are read, with the elements inside it that its
    /// `aria-labelledby` / `aria-describedby` name, each part a block of its own. Empty: the
    /// whole match is read.
    pub parts: &'static str,
    /// Never read inside a match, on top of `never_read`. Empty: nothing more.
    pub skip: &'static str,
    /// One of `scope`.
    pub scope: &'static str,
    /// The app draws a failed answer's error card inside the assistant message: a match may
    /// sit in a message (never in its prose, code or the composer: `card_never_inside`), and
    /// inside it only `card_skip` is skipped (its own words are in a `.markdown`). Only for
    /// places the app marks as its own cards: this never opens the conversation's prose.
    pub in_message: bool,
}

impl RegionSpec {
    const fn whole(kind: &'static str, selector: &'static str, scope: &'static str) -> RegionSpec {
        RegionSpec {
            kind,
            selector,
            unless_contains: "",
            parts: "",
            skip: "",
            scope,
            in_message: false,
        }
    }

    /// The app's own card inside the last answer (see `in_message`).
    const fn card(kind: &'static str, selector: &'static str) -> RegionSpec {
        RegionSpec {
            in_message: true,
            ..RegionSpec::whole(kind, selector, scope::LAST_ANSWER)
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SensorSpec {
    pub markers: &'static [MarkerSpec],
    pub script_probes: &'static [ScriptProbe],
    /// Only read in documents without this marker (i.e. not the app).
    pub script_probes_unless: &'static str,
    /// What the app's conversation pages are built of, reported wherever it is (one query
    /// each, the conversation included: structure, never text). A conversation page of the
    /// app without them has changed beyond recognition: the core says so (`page_changed`).
    pub structure: &'static [MarkerSpec],
    /// A turn of the conversation (see `scope::AFTER_HISTORY`).
    pub turn: &'static str,
    pub regions: &'static [RegionSpec],
    /// The visible text of the whole document is read as an `error_page` region only when
    /// the document is not the app (this marker is absent).
    pub page_region_unless: &'static str,
    /// Text under these elements is never read: the conversation, the composer, code, menus.
    pub never_read: &'static str,
    /// An `in_message` place inside one of these is people's words, not the app's card.
    pub card_never_inside: &'static str,
    /// Inside an `in_message` place, never read (besides `invisible`).
    pub card_skip: &'static str,
    /// A message the person wrote, in every renderer that marks one (`scope::LAST_ANSWER`).
    pub user_message: &'static str,
    /// Elements whose text is not visible.
    pub invisible: &'static str,
    pub max_region_chars: usize,
    pub max_regions: usize,
    /// Added or removed nodes matching (or inside) one of these selectors wake the
    /// classifier up; nothing else does.
    pub watch: &'static [&'static str],
    /// A change in an error place is read at once; while changes keep coming, at most one
    /// more read per this many ms.
    pub settle_ms: u32,
    /// Block elements: text from two different blocks is joined by a line break, so a quote
    /// stops at a heading's end instead of running it into the next paragraph.
    pub blocks: &'static str,
    /// ChatGPT's own retry button under a failed answer, which "retry" presses.
    pub retry_button: &'static str,
    /// The composer, whose unsent text is saved before a reload and put back after. Read
    /// only then, never by the sensor.
    pub composer: &'static str,
}

const CLOUDFLARE_BOX: &str = "#cf-error-details, .cf-error-details, #cf-wrapper, \
    .cf-main-wrapper, .cf-error-overview, #challenge-error-text, #challenge-running, \
    #challenge-stage, #challenge-body-text, .cf-browser-verification";
const ALERTS: &str = "[data-testid=\"toast-error\"], .toast-root, [role=\"alert\"], \
    [role=\"alertdialog\"], [data-testid=\"modal-rate-limit\"]";
/// Any other dialog: the app's session and limit notices, but also chat search (Ctrl+K) and
/// a GPT's card, which hold people's words. Read only its title and description.
const DIALOGS: &str = "[role=\"dialog\"]:not([data-testid=\"modal-rate-limit\"])";
/// A dialog holding one of these is a list of chats or GPTs, or asks for input: people's
/// content, never an error.
/// (A checkbox such as "Don't show this again" is no text input: an error dialog may hold one.)
const PEOPLES_CONTENT: &str = "input[type=\"search\"], input[type=\"text\"], input:not([type]), \
    textarea, [contenteditable], [role=\"searchbox\"], [role=\"combobox\"], li, \
    [role=\"listbox\"], [role=\"option\"], a[href*=\"/c/\"], a[href*=\"/g/\"], \
    a[href*=\"/gpts\"]";
/// What a dialog's title and description are.
const DIALOG_PARTS: &str = "h1, h2, h3, p";
/// Inside a dialog's parts, never: links (chats, authors), list items, inputs, buttons.
const DIALOG_SKIP: &str = "a, li, input, button, label, [role=\"option\"]";
/// The strip above the composer where the app shows plan-limit and usage notices.
const COMPOSER_NOTICES: &str = "#thread-bottom";
/// In that strip, never: the composer and its attachments, suggestion chips, links, anything
/// typed, and the standing "ChatGPT can make mistakes" line wherever a layout puts it (the
/// strip is an error place: only notices may be read there).
const COMPOSER_SKIP: &str = "form, button, a, input, select, label, li, \
    [data-testid*=\"attachment\"], [data-testid*=\"file\"], [data-testid*=\"composer\"], \
    [data-testid*=\"suggestion\"], [class*=\"vt-disclaimer\"]";
/// The app's error card in a failed answer (2024: `border-red-500 bg-red-500/10`; 2025–26:
/// `text-token-text-error border-token-surface-error/15 bg-token-surface-error/5`; the stream
/// recovery's `<aside role="alert" class="text-danger">`), and the container of its Retry
/// button (a card with no words of its own). Known by how the app marks it, never by words.
const ERROR_CARDS: &str = ".text-token-text-error, .text-red-500, [class*=\"surface-error\"], \
    [class*=\"border-red-500\"], [data-testid*=\"error\"]:not(button), \
    [role=\"alert\"][class*=\"text-danger\"], \
    :has(> [data-testid=\"regenerate-thread-error-button\"])";
/// The card the app shows while it recovers an interrupted answer by itself ("Connection
/// interrupted. Waiting for the complete answer", 2026): normal tokens, a shimmer mask.
const WAITING_CARD: &str = "[class*=\"mask-shimmer\"]";
/// A message: the conversation itself.
macro_rules! message {
    () => {
        "[data-message-author-role], [data-message-id]"
    };
}
/// The answer's prose, code, the composer, and menus (a menu's destructive item is red, and
/// a list of options holds people's words): never read, not even for an error card.
macro_rules! prose_and_input {
    () => {
        ".markdown, .prose, pre, code, blockquote, #prompt-textarea, textarea, \
        [contenteditable=\"true\"], [role=\"menu\"], [role=\"menuitem\"], \
        [role=\"listbox\"], [role=\"option\"]"
    };
}

/// The app's own error containers, known by how the app marks them (never by their words): a
/// toast styled as an error (an info toast such as "Copied" is a `role="alert"` too, but
/// green, without the error colour), and the limit dialog. Any text here is an error, in
/// any language. Not `role="alertdialog"`: the app's "Delete chat?" confirmation is one, and
/// it quotes the chat's title.
const ERROR_TOASTS: &str =
    "[data-testid=\"toast-error\"], [role=\"alert\"][class*=\"text-error\"], \
    [role=\"alert\"][class*=\"surface-error\"], [role=\"alert\"][class*=\"-red-\"], \
    [data-testid=\"modal-rate-limit\"]";

const RETRY_BUTTON: &str = "[data-testid=\"regenerate-thread-error-button\"]";
/// A turn of the conversation (an `<article>` since 2024, a `<div>` before).
const TURN: &str = "[data-testid^=\"conversation-turn-\"]";

pub static SENSOR_SPEC: SensorSpec = SensorSpec {
    markers: &[
        MarkerSpec {
            id: marker::CF_ERROR_BOX,
            label: label(marker::CF_ERROR_BOX),
            selector: "#cf-error-details, .cf-error-details, #cf-wrapper, .cf-error-code, \
                .cf-error-type, .cf-main-wrapper, .cf-error-title, .cf-code-label, \
                #plain-ray-id, .heading-ray-id, .cf-footer-item, .cferror_details, \
                [class*=\"cf-error-\"]",
            scope: scope::NOT_APP,
            in_message: false,
        },
        MarkerSpec {
            id: marker::CF_STATUS_DIAGRAM,
            label: label(marker::CF_STATUS_DIAGRAM),
            selector: "#cf-browser-status, #cf-cloudflare-status, #cf-host-status",
            scope: scope::NOT_APP,
            in_message: false,
        },
        MarkerSpec {
            id: marker::CF_CHALLENGE,
            label: label(marker::CF_CHALLENGE),
            selector: "#challenge-running, #challenge-stage, #challenge-form, \
                #challenge-body-text, #challenge-error-text, #cf-please-wait, \
                #cf-spinner-please-wait, #cf-challenge-running, .cf-browser-verification, \
                #turnstile-wrapper, iframe[src*=\"challenges.cloudflare.com\"], \
                form[action*=\"__cf_chl\"], script[src*=\"/orchestrate/\"]",
            scope: scope::NOT_APP,
            in_message: false,
        },
        MarkerSpec {
            id: marker::OPENAI_ERROR_PAGE,
            label: label(marker::OPENAI_ERROR_PAGE),
            selector: ".container > .data, .logo > svg.scale-appear",
            scope: scope::NOT_APP,
            in_message: false,
        },
        MarkerSpec {
            id: marker::APP_SHELL,
            label: label(marker::APP_SHELL),
            // The composer itself is never read, so it cannot mark the app by itself (a marker
            // under what is never read does not count): its strip and form do, on the home
            // page too, where no conversation turn is there yet.
            selector: "#prompt-textarea, [data-testid^=\"conversation-turn-\"], \
                [data-message-author-role], #thread-bottom, \
                form[data-type=\"unified-composer\"], nav[aria-label=\"Chat history\"]",
            scope: scope::ANYWHERE,
            in_message: false,
        },
        MarkerSpec {
            id: marker::LOGIN_BUTTON,
            label: label(marker::LOGIN_BUTTON),
            selector: "[data-testid=\"login-button\"]",
            scope: scope::ANYWHERE,
            in_message: false,
        },
        MarkerSpec {
            id: marker::TURN_RETRY_BUTTON,
            label: label(marker::TURN_RETRY_BUTTON),
            selector: RETRY_BUTTON,
            // In the last answer only: an old failed turn's button is history.
            scope: scope::LAST_ANSWER,
            in_message: true,
        },
    ],
    script_probes: &[ScriptProbe {
        id: marker::CF_CHALLENGE_SCRIPT,
        label: label(marker::CF_CHALLENGE_SCRIPT),
        needle: "_cf_chl_opt",
    }],
    script_probes_unless: marker::APP_SHELL,
    structure: &[
        MarkerSpec {
            id: marker::CONVERSATION_TURNS,
            label: label(marker::CONVERSATION_TURNS),
            selector: TURN,
            scope: scope::ANYWHERE,
            in_message: true,
        },
        MarkerSpec {
            id: marker::MESSAGE_ROLES,
            label: label(marker::MESSAGE_ROLES),
            selector: "[data-message-author-role]",
            scope: scope::ANYWHERE,
            in_message: true,
        },
        MarkerSpec {
            id: marker::COMPOSER,
            label: label(marker::COMPOSER),
            selector: "#prompt-textarea",
            scope: scope::ANYWHERE,
            in_message: true,
        },
    ],
    turn: TURN,
    regions: &[
        RegionSpec::whole("cloudflare_box", CLOUDFLARE_BOX, scope::NOT_APP),
        RegionSpec::whole("alert", ALERTS, scope::ANYWHERE),
        RegionSpec {
            kind: "alert",
            selector: DIALOGS,
            unless_contains: PEOPLES_CONTENT,
            parts: DIALOG_PARTS,
            skip: DIALOG_SKIP,
            scope: scope::ANYWHERE,
            in_message: false,
        },
        RegionSpec {
            kind: "alert",
            selector: COMPOSER_NOTICES,
            unless_contains: "",
            parts: "",
            skip: COMPOSER_SKIP,
            scope: scope::ANYWHERE,
            in_message: false,
        },
        // A failed answer is the last one: the error styling of earlier turns is history. The
        // app draws its card inside the assistant message: the card is read, never the prose.
        RegionSpec::card("turn_error", ERROR_CARDS),
        // The app's calm notice while it recovers an answer by itself: read for its words only
        // (no row takes any text here as an error).
        RegionSpec::card("alert", WAITING_CARD),
        // The same containers read again as error boxes: the error rows read their words
        // where they are, the last row names whatever they say.
        RegionSpec::whole("error_box", ERROR_TOASTS, scope::ANYWHERE),
        RegionSpec {
            kind: "error_box",
            selector: COMPOSER_NOTICES,
            unless_contains: "",
            parts: "",
            skip: COMPOSER_SKIP,
            scope: scope::ANYWHERE,
            in_message: false,
        },
    ],
    page_region_unless: marker::APP_SHELL,
    never_read: concat!(message!(), ", ", prose_and_input!()),
    card_never_inside: prose_and_input!(),
    // The card's own words are in a `.markdown`: read. Its buttons ("Retry") say nothing.
    card_skip: "pre, code, blockquote, button, textarea, [contenteditable=\"true\"]",
    user_message: "[data-message-author-role=\"user\"], [data-turn=\"user\"]",
    // Hidden by the page itself (the challenge's "Verification successful" waits hidden
    // until it is true): only what a static look at the markup can tell, no layout.
    invisible: "script, style, noscript, template, svg, head, [hidden], \
        [style*=\"display:none\"], [style*=\"display: none\"]",
    max_region_chars: 1000,
    max_regions: 32,
    watch: &[
        ALERTS,
        DIALOGS,
        COMPOSER_NOTICES,
        ERROR_CARDS,
        WAITING_CARD,
        "[data-testid=\"login-button\"]",
    ],
    settle_ms: 120,
    blocks: "address, article, aside, blockquote, body, button, dd, details, dialog, div, dl, \
        dt, fieldset, figcaption, figure, footer, form, h1, h2, h3, h4, h5, h6, header, label, \
        li, main, nav, ol, p, pre, section, summary, table, td, th, tr, ul",
    retry_button: RETRY_BUTTON,
    composer: "#prompt-textarea",
};

/// The label quoted as evidence for each marker. Apart from the spec, so that the core's
/// module, which only needs the labels, does not carry every selector of the spec as well.
const MARKER_LABELS: [(&str, &str); 11] = [
    (marker::CF_ERROR_BOX, "Cloudflare error box"),
    (marker::CF_STATUS_DIAGRAM, "Cloudflare status diagram"),
    (marker::CF_CHALLENGE, "Cloudflare challenge"),
    (marker::OPENAI_ERROR_PAGE, "OpenAI error page"),
    (marker::APP_SHELL, "ChatGPT app"),
    (marker::LOGIN_BUTTON, "Log in button"),
    (marker::TURN_RETRY_BUTTON, "Retry button of a failed answer"),
    (marker::CF_CHALLENGE_SCRIPT, "Cloudflare challenge script"),
    (marker::CONVERSATION_TURNS, "Conversation turns"),
    (marker::MESSAGE_ROLES, "Message authors"),
    (marker::COMPOSER, "Composer"),
];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// For the spec, at compile time: every marker has a label.
const fn label(marker_id: &str) -> &'static str {
    let mut i = 0;
    while i < MARKER_LABELS.len() {
        if same(MARKER_LABELS[i].0, marker_id) {
            return MARKER_LABELS[i].1;
        }
        i += 1;
    }
    panic!("a marker without a label")
}

/// The selectors of a selector list, split at its own commas (not those inside `:not(…)`,
/// `[…]` or quotes): `"a, b:not(c, d)"` → `["a", "b:not(c, d)"]`. The content script asks for
/// each alone where it only needs to know whether anything matches (a browser's fast path
/// takes one selector, not a list).
pub fn selector_list(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    let mut chars = list.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(list[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

pub fn label_of(marker_id: &str) -> &'static str {
    MARKER_LABELS
        .iter()
        .find(|(id, _)| *id == marker_id)
        .map_or("markup", |(_, label)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_list_splits_at_its_own_commas_only() {
        assert_eq!(
            selector_list(" a, b:not(c, d) ,[x=\"1,2\"], :is(e,f) g ,"),
            vec!["a", "b:not(c, d)", "[x=\"1,2\"]", ":is(e,f) g"]
        );
        assert_eq!(selector_list("#one"), vec!["#one"]);
        assert!(selector_list("").is_empty());
    }

    #[test]
    fn every_place_of_the_spec_splits_into_selectors_without_a_stray_comma() {
        let markers = SENSOR_SPEC.markers.iter().map(|m| m.selector);
        let regions = SENSOR_SPEC.regions.iter().map(|r| r.selector);
        for list in markers.chain(regions) {
            let parts = selector_list(list);
            assert!(!parts.is_empty(), "{list}");
            assert_eq!(
                parts.join(", ").replace(' ', ""),
                list.replace(' ', ""),
                "{list}"
            );
        }
    }
}
