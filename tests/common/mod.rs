//! The sensor, natively: applies `SENSOR_SPEC` to fixture HTML the way the content script
//! applies it to a live page, so `cargo test` exercises the same reads the extension makes.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use error_doctor::page::snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
use error_doctor::recognise::sensor_spec::{scope, SENSOR_SPEC};
use scraper::{ElementRef, Html, Node, Selector};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Inject {
    pub html: String,
    pub into: String,
}

#[derive(Debug, Deserialize)]
pub struct Expect {
    pub kind: String,
    pub code: Option<String>,
    pub ray_id: Option<String>,
    pub retry_after_secs: Option<u32>,
    pub evidence_contains: Option<String>,
    /// The page is a conversation of the app without what its pages are built of (default
    /// false: every other fixture must not say so).
    #[serde(default)]
    pub page_changed: bool,
}

#[derive(Debug, Deserialize)]
pub struct FixtureMeta {
    pub description: String,
    pub url: String,
    pub status: u16,
    #[serde(default)]
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub inject: Option<Inject>,
    pub abort: Option<String>,
    pub expect: Expect,
}

pub struct Fixture {
    pub name: String,
    pub meta: FixtureMeta,
    pub body: String,
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn load_fixtures() -> Vec<Fixture> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let dir = fixtures_dir();
            let meta: FixtureMeta = serde_json::from_str(
                &std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            let body =
                std::fs::read_to_string(dir.join(format!("{name}.html"))).unwrap_or_default();
            Fixture { name, meta, body }
        })
        .collect()
}

/// The browser's error string for a puppeteer abort reason, as Chrome reports it.
fn navigation_error_for(abort: &str) -> String {
    let name = match abort {
        "connectionreset" => "CONNECTION_RESET",
        "connectionrefused" => "CONNECTION_REFUSED",
        "namenotresolved" => "NAME_NOT_RESOLVED",
        "timedout" => "TIMED_OUT",
        "internetdisconnected" => "INTERNET_DISCONNECTED",
        other => return format!("net::ERR_{}", other.to_uppercase()),
    };
    format!("net::ERR_{name}")
}

fn header(meta: &FixtureMeta, name: &str) -> Option<String> {
    meta.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

struct Spec {
    blocks: Selector,
    invisible: Selector,
    never_read: Selector,
    card_never_inside: Selector,
}

/// What else a region never reads (its spec's `skip`).
type Extra<'s> = Option<&'s Selector>;

impl Spec {
    fn skipped(&self, el: &ElementRef, never_read: bool, extra: Extra) -> bool {
        self.invisible.matches(el)
            || (never_read && self.never_read.matches(el))
            || extra.is_some_and(|x| x.matches(el))
    }

    /// True when `el` or one of its ancestors is skipped.
    fn inside_skipped(&self, el: &ElementRef, never_read: bool) -> bool {
        std::iter::once(*el)
            .chain(el.ancestors().filter_map(ElementRef::wrap))
            .any(|a| self.skipped(&a, never_read, None))
    }

    fn inside_never_read(&self, el: &ElementRef) -> bool {
        inside(el, &self.never_read)
    }

    /// An app card's match inside the answer's prose, code, composer or a menu.
    fn inside_prose(&self, el: &ElementRef) -> bool {
        inside(el, &self.card_never_inside)
    }

    /// Visible text under `el`, as the sensor reads it: each text node's whitespace collapsed,
    /// nodes joined by a space within a block and by a line break across blocks, bounded.
    fn text_of(&self, el: ElementRef, never_read: bool, extra: Extra, max: usize) -> String {
        let mut out = String::new();
        let mut last_block = None;
        self.walk(el, never_read, extra, max, &mut out, &mut last_block);
        out.chars().take(max).collect()
    }

    fn walk<'a>(
        &self,
        el: ElementRef<'a>,
        never_read: bool,
        extra: Extra,
        max: usize,
        out: &mut String,
        last_block: &mut Option<ElementRef<'a>>,
    ) {
        for child in el.children() {
            if out.chars().count() >= max {
                return;
            }
            match child.value() {
                Node::Text(t) => {
                    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !t.is_empty() {
                        let block = child
                            .ancestors()
                            .filter_map(ElementRef::wrap)
                            .find(|a| self.blocks.matches(a));
                        if !out.is_empty() {
                            out.push(if block == *last_block { ' ' } else { '\n' });
                        }
                        *last_block = block;
                        out.push_str(&t);
                    }
                }
                Node::Element(_) => {
                    let e = ElementRef::wrap(child).unwrap();
                    if !self.skipped(&e, never_read, extra) {
                        self.walk(e, never_read, extra, max, out, last_block);
                    }
                }
                _ => {}
            }
        }
    }

    /// The text of a region as its spec says: all of it, or only its parts (each a block of
    /// its own), never what its `skip` names.
    fn region_text(&self, el: ElementRef, parts: Option<&Selector>, extra: Extra) -> String {
        let max = SENSOR_SPEC.max_region_chars;
        let Some(parts) = parts else {
            return self.text_of(el, true, extra, max);
        };
        let mut out = String::new();
        for part in parts_of(el, parts) {
            // A part inside what the region never reads is not read either.
            let skipped = std::iter::once(part)
                .chain(part.ancestors().filter_map(ElementRef::wrap))
                .take_while(|a| *a != el)
                .any(|a| self.skipped(&a, true, extra));
            if skipped {
                continue;
            }
            let text = self.text_of(part, true, extra, max);
            if !text.is_empty() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&text);
            }
            if out.chars().count() >= max {
                break;
            }
        }
        out.chars().take(max).collect()
    }
}

/// `el` or one of its ancestors matches.
fn inside(el: &ElementRef, selector: &Selector) -> bool {
    std::iter::once(*el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| selector.matches(&a))
}

/// `scope::LAST_ANSWER`: inside the last turn (or the document, without turns), after the last
/// user message there.
struct LastAnswer<'a> {
    root: Option<ElementRef<'a>>,
    after: Option<ElementRef<'a>>,
    /// Every element in document order.
    order: Vec<ElementRef<'a>>,
}

impl<'a> LastAnswer<'a> {
    fn of(doc: &'a Html) -> LastAnswer<'a> {
        let root = doc.select(&sel(SENSOR_SPEC.turn)).next_back();
        let user = sel(SENSOR_SPEC.user_message);
        let after = match root {
            Some(r) if user.matches(&r) => Some(r),
            Some(r) => r.select(&user).last(),
            None => doc.select(&user).next_back(),
        };
        let order = doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .collect();
        LastAnswer { root, after, order }
    }

    fn position(&self, el: &ElementRef) -> usize {
        self.order.iter().position(|e| e == el).unwrap_or(0)
    }

    fn holds(&self, el: &ElementRef) -> bool {
        let in_root = self.root.is_none_or(|r| {
            std::iter::once(*el)
                .chain(el.ancestors().filter_map(ElementRef::wrap))
                .any(|a| a == r)
        });
        let after_user = self.after.is_none_or(|u| {
            !std::iter::once(*el)
                .chain(el.ancestors().filter_map(ElementRef::wrap))
                .any(|a| a == u)
                && self.position(el) > self.position(&u)
        });
        in_root && after_user
    }
}

/// A region's parts, in document order, none inside another: the elements inside `el` that
/// its `aria-labelledby` / `aria-describedby` name, and those matching `parts`.
fn parts_of<'a>(el: ElementRef<'a>, parts: &Selector) -> Vec<ElementRef<'a>> {
    let ids: Vec<&str> = ["aria-labelledby", "aria-describedby"]
        .iter()
        .filter_map(|a| el.value().attr(a))
        .flat_map(str::split_whitespace)
        .collect();
    let chosen: Vec<ElementRef<'a>> = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|d| parts.matches(d) || d.value().id().is_some_and(|id| ids.contains(&id)))
        .collect();
    chosen
        .iter()
        .filter(|d| {
            !d.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| chosen.contains(&a))
        })
        .copied()
        .collect()
}

/// The conversation's history (`scope::AFTER_HISTORY`): everything before its last turn.
struct History<'a> {
    /// The elements from the last turn on, in document order; None: no turns at all.
    from_last_turn: Option<Vec<ElementRef<'a>>>,
}

impl<'a> History<'a> {
    fn of(doc: &'a Html) -> History<'a> {
        let from_last_turn = doc.select(&sel(SENSOR_SPEC.turn)).next_back().map(|last| {
            doc.root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
                .skip_while(|e| *e != last)
                .collect()
        });
        History { from_last_turn }
    }

    /// At or after the last turn in document order (so inside it, or after it), or no turns.
    fn after(&self, el: &ElementRef) -> bool {
        self.from_last_turn
            .as_ref()
            .is_none_or(|after| after.contains(el))
    }
}

fn region_kind(kind: &str) -> RegionKind {
    serde_json::from_value(serde_json::Value::String(kind.into())).unwrap()
}

fn inject(doc: &mut Html, inject: &Inject) {
    let target = doc
        .select(&sel(&inject.into))
        .next()
        .unwrap_or_else(|| panic!("inject target {} not found", inject.into))
        .id();
    let fragment = Html::parse_fragment(&inject.html);
    let mut target_mut = doc.tree.get_mut(target).unwrap();
    let added = target_mut.append_subtree(fragment.tree).id();
    let html_el = doc
        .tree
        .get(added)
        .unwrap()
        .children()
        .find(|c| c.value().is_element())
        .map(|c| c.id())
        .expect("fragment root");
    doc.tree
        .get_mut(target)
        .unwrap()
        .reparent_from_id_append(html_el);
    doc.tree.get_mut(added).unwrap().detach();
}

/// A browser renders a non-HTML document as its text in a `<pre>`.
fn as_document_html(fixture: &Fixture) -> String {
    let content_type = header(&fixture.meta, "content-type").unwrap_or_default();
    if content_type.is_empty() || content_type.contains("html") {
        fixture.body.clone()
    } else {
        let escaped = fixture.body.replace('&', "&amp;").replace('<', "&lt;");
        format!("<html><head></head><body><pre>{escaped}</pre></body></html>")
    }
}

/// What the sensor would report for this fixture once loaded (and injected into).
pub fn snapshot_of(fixture: &Fixture) -> PageSnapshot {
    let meta = &fixture.meta;
    let mut snapshot = PageSnapshot {
        url: meta.url.clone(),
        ..Default::default()
    };
    if let Some(abort) = &meta.abort {
        snapshot.navigation_error = Some(navigation_error_for(abort));
        return snapshot;
    }
    snapshot.response = ResponseInfo {
        status: Some(meta.status),
        cf_ray: header(meta, "cf-ray"),
        cf_mitigated: header(meta, "cf-mitigated"),
        retry_after: header(meta, "retry-after"),
        server: header(meta, "server"),
        content_type: header(meta, "content-type"),
    };
    let mut doc = Html::parse_document(&as_document_html(fixture));
    if let Some(i) = &meta.inject {
        inject(&mut doc, i);
    }
    fill_from_document(&mut snapshot, &doc);
    snapshot
}

/// The DOM part of the sensor: markers, script probes, regions, title.
pub fn fill_from_document(snapshot: &mut PageSnapshot, doc: &Html) {
    let spec = &SENSOR_SPEC;
    let s = Spec {
        blocks: sel(spec.blocks),
        invisible: sel(spec.invisible),
        never_read: sel(spec.never_read),
        card_never_inside: sel(spec.card_never_inside),
    };
    snapshot.title = doc
        .select(&sel("title"))
        .next()
        .map(|t| t.text().collect::<String>().trim().to_string())
        .unwrap_or_default();
    // Whether the document is the app decides where the rest is looked for (`scope`).
    let app_marker = spec
        .markers
        .iter()
        .find(|m| m.id == spec.page_region_unless)
        .expect("the app's marker");
    let is_app = doc
        .select(&sel(app_marker.selector))
        .any(|el| !s.inside_never_read(&el));
    let history = History::of(doc);
    let answer = LastAnswer::of(doc);
    let in_scope = |scope: &str, el: &ElementRef| match scope {
        scope::NOT_APP => !is_app,
        scope::AFTER_HISTORY => history.after(el),
        scope::LAST_ANSWER => answer.holds(el),
        _ => true,
    };
    for m in spec.markers {
        // Markers are markup, not text: only the conversation hides them, not invisibility.
        let present = doc.select(&sel(m.selector)).any(|el| {
            let hidden = if m.in_message {
                s.inside_prose(&el)
            } else {
                s.inside_never_read(&el)
            };
            !hidden && in_scope(m.scope, &el)
        });
        if present {
            snapshot.markers.push(m.id.to_string());
        }
    }
    // Structure, wherever it is: one query each.
    for m in spec.structure {
        if doc.select(&sel(m.selector)).next().is_some() {
            snapshot.markers.push(m.id.to_string());
        }
    }
    if !snapshot.has_marker(spec.script_probes_unless) {
        for probe in spec.script_probes {
            let found = doc
                .select(&sel("script:not([src])"))
                .any(|el| el.text().any(|t| t.contains(probe.needle)));
            if found {
                snapshot.markers.push(probe.id.to_string());
            }
        }
    }
    'regions: for r in spec.regions {
        let selector = sel(r.selector);
        let optional = |s: &str| (!s.is_empty()).then(|| sel(s));
        let card_skip = match (r.in_message, r.skip) {
            (false, skip) => skip.to_string(),
            (true, "") => spec.card_skip.to_string(),
            (true, skip) => format!("{}, {skip}", spec.card_skip),
        };
        let (unless, parts, skip) = (
            optional(r.unless_contains),
            optional(r.parts),
            optional(&card_skip),
        );
        for el in doc.select(&selector) {
            if snapshot.regions.len() >= spec.max_regions {
                break 'regions;
            }
            let skipped = if r.in_message {
                s.inside_prose(&el) || s.inside_skipped(&el, false)
            } else {
                s.inside_skipped(&el, true)
            };
            if !in_scope(r.scope, &el) || skipped {
                continue;
            }
            let nested = el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| selector.matches(&a));
            if nested {
                continue;
            }
            if unless
                .as_ref()
                .is_some_and(|u| el.select(u).next().is_some())
            {
                continue;
            }
            let text = if r.in_message {
                let max = SENSOR_SPEC.max_region_chars;
                s.text_of(el, false, skip.as_ref(), max)
            } else {
                s.region_text(el, parts.as_ref(), skip.as_ref())
            };
            if !text.is_empty() {
                snapshot.regions.push(Region {
                    kind: region_kind(r.kind),
                    text,
                });
            }
        }
    }
    if !snapshot.has_marker(spec.page_region_unless) {
        let body = doc
            .select(&sel("body"))
            .next()
            .unwrap_or(doc.root_element());
        let full = s.text_of(body, false, None, usize::MAX);
        snapshot.page_text_len = Some(full.chars().count() as u32);
        let text: String = full.chars().take(spec.max_region_chars).collect();
        if !text.is_empty() {
            snapshot.regions.push(Region {
                kind: RegionKind::ErrorPage,
                text,
            });
        }
    }
}
