//! The WebAssembly boundary in a real browser: JavaScript values in, JavaScript values out.
//! The core's logic is tested natively; this checks only that the conversions hold, that
//! field names and kind ids reach JavaScript as the glue expects, and that garbage from a
//! page never traps the module.
//!
//! Run with `cargo xtask test` (it configures wasm-bindgen-test-runner and headless Chromium).

#![cfg(target_arch = "wasm32")]

use error_doctor::wasm::{
    badge, classify, clear_plan, cookies_to_remove, explain, fix_memory, fix_pending,
    fix_record_healthy, fix_record_try, parse_cloudflare_status, parse_status, parse_trace,
    settings, verdict,
};
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CLOUDFLARE_1020: &str = r#"{
    "url": "https://chatgpt.com/",
    "title": "Access denied | chatgpt.com used Cloudflare to restrict access",
    "response": {"status": 403, "cf_ray": "7b9d776a8e02f1b8-CDG", "server": "cloudflare"},
    "markers": ["cf_error_box"],
    "regions": [{"kind": "cloudflare_box", "text": "Access denied Error code 1020 Ray ID: 7b9d776a8e02f1b8"}],
    "page_text_len": 300
}"#;

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test input is valid JSON")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("Reflect.get on an object")
}

fn string_at(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value)
        .map(String::from)
        .unwrap_or_else(|_| "<not serializable>".into())
}

fn classify_ok(json: &str) -> JsValue {
    classify(js(json)).unwrap_or_else(|e| {
        panic!(
            "classify({json}) failed: {}",
            stringify(&get(&JsValue::from(e), "message"))
        )
    })
}

/// What a thrown `JsError` looks like from JavaScript: an `Error` with a message.
fn error_message(result: Result<JsValue, wasm_bindgen::JsError>) -> String {
    let err = JsValue::from(result.expect_err("expected a thrown error"));
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error");
    err.unchecked_into::<js_sys::Error>().message().into()
}

#[wasm_bindgen_test]
fn a_cloudflare_1020_page_is_a_block_with_its_code_and_ray_id() {
    let d = classify_ok(CLOUDFLARE_1020);
    assert_eq!(string_at(&d, "kind").as_deref(), Some("cloudflare_blocked"));
    assert_eq!(string_at(&d, "code").as_deref(), Some("1020"));
    assert_eq!(string_at(&d, "ray_id").as_deref(), Some("7b9d776a8e02f1b8"));
    assert_eq!(get(&d, "http_status").as_f64(), Some(403.0));
    assert_eq!(string_at(&d, "confidence").as_deref(), Some("high"));
    let evidence = get(&d, "evidence");
    assert!(js_sys::Array::is_array(&evidence), "evidence is an array");
    assert!(js_sys::Array::from(&evidence).length() > 0);
}

#[wasm_bindgen_test]
fn the_diagnosis_is_plain_json_for_the_glue() {
    // The glue stores diagnoses in `chrome.storage` and posts them between contexts: they
    // must be plain objects (no Map), with absent values as null rather than missing.
    let text = stringify(&classify_ok(CLOUDFLARE_1020));
    let back: JsValue = js(&text);
    assert_eq!(
        string_at(&back, "kind").as_deref(),
        Some("cloudflare_blocked")
    );
    assert!(text.contains(r#""retry_after_secs":null"#), "{text}");
}

#[wasm_bindgen_test]
fn an_empty_snapshot_is_healthy() {
    let d = classify_ok("{}");
    assert_eq!(string_at(&d, "kind").as_deref(), Some("none"));
    assert!(get(&d, "code").is_null());
    assert!(get(&d, "signature").is_null());
}

#[wasm_bindgen_test]
fn garbage_is_refused_with_an_error_not_a_trap() {
    // Each of these is thrown as an Error by the JavaScript binding; a trap would fail the
    // test instead (the module is unusable after one).
    for input in [
        "5",
        r#""chatgpt""#,
        "null",
        "true",
        r#"{"markers": 5}"#,
        r#"{"url": 7}"#,
        r#"{"response": {"status": "403"}}"#,
        r#"{"response": {"status": 70000}}"#,
        r#"{"page_text_len": -1}"#,
        r#"{"regions": [{"text": "no kind"}]}"#,
        r#"{"regions": "cloudflare_box"}"#,
    ] {
        let message = error_message(classify(js(input)));
        assert!(
            message.starts_with("bad snapshot:"),
            "{input}: unexpected message {message:?}"
        );
    }
    // Undefined is what a missing argument is.
    assert!(classify(JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn odd_but_well_typed_snapshots_still_get_an_answer() {
    // Unknown fields, unknown region kinds and markers, and a JavaScript array (serde reads
    // a struct from a sequence too) are all accepted rather than refused.
    for input in [
        r#"{"surprise": true, "markers": ["not_a_marker"]}"#,
        r#"{"regions": [{"kind": "martian", "text": "Access denied Error code 1020"}]}"#,
        "[]",
        r#"{"url": "", "title": "", "regions": [{"kind": "alert", "text": ""}]}"#,
    ] {
        let d = classify_ok(input);
        assert_eq!(string_at(&d, "kind").as_deref(), Some("none"), "{input}");
    }
}

#[wasm_bindgen_test]
fn hostile_text_never_traps() {
    // Long, multibyte and half-matching text: the scanners index by char, so these are
    // where an out-of-bounds slice would show up.
    let long = "Error code ".repeat(2000);
    let snapshot = format!(
        r#"{{"title": "{long}", "response": {{"status": 503, "retry_after": "Wed, 99 Foo 2015 99:99:99 GMT", "cf_ray": "-"}},
            "regions": [
              {{"kind": "error_page", "text": "Ray ID: \u00e9\u00e9\u00e9 Error code: 9999999 clears_in: 99999999999 try again after 99:99 PM {long}"}},
              {{"kind": "cloudflare_box", "text": "Error code"}},
              {{"kind": "turn_error", "text": "\ud83d\ude00 ray id \u0130\u0130\u0130\u200b"}}
            ],
            "page_text_len": 10, "now_ms": 1.7e12, "utc_offset_minutes": 100000,
            "navigation_error": "Error code 0xFFFFFFFFFFFF"}}"#
    );
    let d = classify_ok(&snapshot);
    assert!(string_at(&d, "kind").is_some());
}

#[wasm_bindgen_test]
fn the_badge_of_a_1020_block_shows_the_code() {
    let b = badge(classify_ok(CLOUDFLARE_1020)).expect("badge");
    assert_eq!(string_at(&b, "text").as_deref(), Some("1020"));
    let color = string_at(&b, "color").expect("color");
    assert!(color.starts_with('#') && color.len() == 7, "{color}");
}

#[wasm_bindgen_test]
fn a_healthy_page_clears_the_badge() {
    let b = badge(classify_ok("{}")).expect("badge");
    assert_eq!(string_at(&b, "text").as_deref(), Some(""));
}

#[wasm_bindgen_test]
fn explain_gives_message_keys() {
    let e = explain(classify_ok(CLOUDFLARE_1020)).expect("explain");
    assert_eq!(
        string_at(&e, "title").as_deref(),
        Some("kind_cloudflare_blocked_title")
    );
    assert_eq!(
        string_at(&e, "summary").as_deref(),
        Some("kind_cloudflare_blocked_summary")
    );
    let causes = js_sys::Array::from(&get(&e, "causes"));
    assert_eq!(
        causes.get(0).as_string().as_deref(),
        Some("cause_vpn_ip"),
        "a block blames the network first"
    );
}

#[wasm_bindgen_test]
fn a_diagnosis_survives_a_round_trip_through_json() {
    // What the popup does: the diagnosis comes back from storage as parsed JSON.
    let stored = stringify(&classify_ok(CLOUDFLARE_1020));
    let b = badge(js(&stored)).expect("badge of a stored diagnosis");
    assert_eq!(string_at(&b, "text").as_deref(), Some("1020"));
}

#[wasm_bindgen_test]
fn badge_and_explain_refuse_what_is_not_a_diagnosis() {
    for input in ["5", "null", "{}", r#"{"kind": "martian"}"#] {
        let message = error_message(badge(js(input)));
        assert!(message.starts_with("bad diagnosis:"), "{input}: {message}");
        let message = error_message(explain(js(input)));
        assert!(message.starts_with("bad diagnosis:"), "{input}: {message}");
    }
}

#[wasm_bindgen_test]
fn the_status_page_is_read_by_the_browsers_json_parser() {
    let body = r#"{
      "status": {"indicator": "major", "description": "Partial System Outage"},
      "components": [
        {"id": "G1", "name": "ChatGPT", "status": "partial_outage", "group": true, "group_id": null},
        {"id": "C1", "name": "Conversations", "status": "partial_outage", "group": false, "group_id": "G1"},
        {"id": "A1", "name": "Chat Completions", "status": "major_outage", "group": false, "group_id": "G2"}
      ],
      "incidents": [
        {"name": "Elevated errors", "status": "investigating", "impact": "major", "shortlink": "https://stspg.io/abc"},
        {"name": "Old one", "status": "resolved", "impact": "minor"}
      ]
    }"#;
    let s = parse_status(body, 1234.0).expect("parse_status");
    assert_eq!(string_at(&s, "state").as_deref(), Some("partial_outage"));
    assert_eq!(
        string_at(&s, "description").as_deref(),
        Some("Partial System Outage")
    );
    assert_eq!(get(&s, "checked_at_ms").as_f64(), Some(1234.0));
    let components = js_sys::Array::from(&get(&s, "components"));
    assert_eq!(components.length(), 1);
    assert_eq!(
        string_at(&components.get(0), "name").as_deref(),
        Some("Conversations")
    );
    let incidents = js_sys::Array::from(&get(&s, "incidents"));
    assert_eq!(incidents.length(), 1);
    assert_eq!(
        string_at(&incidents.get(0), "url").as_deref(),
        Some("https://stspg.io/abc")
    );
}

#[wasm_bindgen_test]
fn a_status_body_that_is_not_a_summary_is_unknown() {
    let huge = "x".repeat(3 << 20);
    for body in [
        "",
        "<html>502 Bad Gateway</html>",
        "{",
        "null",
        "5",
        "[]",
        r#"{"status": 5}"#,
        r#"{"components": "many"}"#,
        r#"{"status": {"indicator": "major"}} trailing"#,
        &huge,
    ] {
        let s = parse_status(body, 1.0).expect("parse_status never throws");
        assert_eq!(
            string_at(&s, "state").as_deref(),
            Some("unknown"),
            "{body:.40}"
        );
        assert_eq!(get(&s, "checked_at_ms").as_f64(), Some(1.0));
    }
    let s = parse_status(
        r#"{"incidents":[{"name":"x","shortlink":"javascript:alert(1)"}]}"#,
        1.0,
    )
    .expect("parse_status");
    let incidents = js_sys::Array::from(&get(&s, "incidents"));
    assert!(get(&incidents.get(0), "url").is_null());
}

#[wasm_bindgen_test]
fn stored_settings_keep_each_good_value_and_default_the_rest() {
    let s = settings(js(r#"{
        "auto_retry": false, "max_attempts": -5, "max_total_minutes": "lots",
        "notifications": "yes", "status_checks": {"x": [1]}, "status_endpoint": 42,
        "something_else": true
    }"#))
    .expect("settings");
    assert_eq!(get(&s, "auto_retry").as_bool(), Some(false));
    assert_eq!(get(&s, "max_attempts").as_f64(), Some(1.0));
    assert_eq!(get(&s, "max_total_minutes").as_f64(), Some(120.0));
    assert_eq!(get(&s, "notifications").as_bool(), Some(true));
    assert_eq!(get(&s, "status_checks").as_bool(), Some(true));
    assert_eq!(
        string_at(&s, "status_endpoint").as_deref(),
        Some("https://status.openai.com/api/v2/summary.json")
    );
    assert!(get(&s, "something_else").is_undefined());
    let s = settings(js(
        r#"{"max_attempts": 7.6, "status_endpoint": "http://127.0.0.1:9/x"}"#,
    ))
    .expect("settings");
    assert_eq!(get(&s, "max_attempts").as_f64(), Some(8.0));
    // A loopback endpoint is the tests' hook: only a build with it keeps one.
    let expected = if error_doctor::plans::settings::LOOPBACK_STATUS_ENDPOINTS {
        "http://127.0.0.1:9/x"
    } else {
        "https://status.openai.com/api/v2/summary.json"
    };
    assert_eq!(string_at(&s, "status_endpoint").as_deref(), Some(expected));
    for nothing in [
        JsValue::UNDEFINED,
        js("null"),
        js("5"),
        js(r#""auto_retry""#),
        js("[true, 5]"),
        js(r#"[["auto_retry", false]]"#),
    ] {
        let s = settings(nothing).expect("settings never throws");
        assert_eq!(get(&s, "auto_retry").as_bool(), Some(true));
        assert_eq!(get(&s, "max_attempts").as_f64(), Some(10.0));
    }
}

#[wasm_bindgen_test]
fn a_cookies_partition_key_goes_back_as_it_came() {
    let key = js(r#"{"topLevelSite": "https://chatgpt.com", "hasCrossSiteAncestor": false}"#);
    let jar = js(r#"[
        {"name": "__cf_bm", "domain": ".chatgpt.com", "path": "/", "secure": true, "storeId": "0"},
        {"name": "_cfuvid", "domain": "chatgpt.com", "path": "/", "secure": true, "storeId": "0"}
    ]"#);
    Reflect::set(
        &js_sys::Array::from(&jar).get(1),
        &"partitionKey".into(),
        &key,
    )
    .unwrap();
    let removals = js_sys::Array::from(
        &cookies_to_remove(JsValue::from_str("cloudflare_cookies"), jar).expect("removals"),
    );
    assert_eq!(removals.length(), 2);
    let plain = removals.get(0);
    assert_eq!(
        string_at(&plain, "url").as_deref(),
        Some("https://chatgpt.com/")
    );
    assert!(!Reflect::has(&plain, &"partitionKey".into()).unwrap());
    let partitioned = removals.get(1);
    assert_eq!(string_at(&partitioned, "storeId").as_deref(), Some("0"));
    assert_eq!(
        stringify(&get(&partitioned, "partitionKey")),
        stringify(&key)
    );
}

#[wasm_bindgen_test]
fn a_clear_plan_is_for_the_tab_it_is_given() {
    // The background gives the tab: `{browser, incognito, cookie_store_id}`.
    let container = clear_plan(
        JsValue::from_str("site_data"),
        js(r#"{"browser": "firefox", "incognito": false, "cookie_store_id": "firefox-container-2"}"#),
    )
    .expect("plan");
    let call = js_sys::Array::from(&get(&container, "browsing_data")).get(0);
    let options = get(&call, "options");
    assert_eq!(
        string_at(&options, "cookieStoreId").as_deref(),
        Some("firefox-container-2")
    );
    assert!(js_sys::Array::is_array(&get(&options, "hostnames")));
    assert!(get(&get(&call, "data_to_remove"), "indexedDB").as_bool() == Some(true));
    // A private window in Chrome: no browsingData, the page clears its own stores.
    let incognito = clear_plan(
        JsValue::from_str("site_data"),
        js(r#"{"browser": "chrome", "incognito": true, "cookie_store_id": null}"#),
    )
    .expect("plan");
    assert_eq!(
        js_sys::Array::from(&get(&incognito, "browsing_data")).length(),
        0
    );
    let stores = stringify(&get(&incognito, "page_stores"));
    assert!(
        stores.contains("indexed_db") && stores.contains("local_storage"),
        "{stores}"
    );
    // The popup gives only the browser's name, for the confirmation's texts.
    let named = clear_plan(
        JsValue::from_str("cloudflare_cookies"),
        JsValue::from_str("chrome"),
    )
    .expect("plan");
    assert!(js_sys::Array::is_array(&get(&named, "removes")));
    // Garbage is an Error, not a trap.
    assert!(clear_plan(JsValue::from_str("site_data"), js("5")).is_err());
    assert!(clear_plan(JsValue::from_str("site_data"), JsValue::from_str("opera")).is_err());
}

#[wasm_bindgen_test]
fn the_verdict_crosses_as_its_party_and_evidence_keys() {
    let d = classify_ok(CLOUDFLARE_1020);
    let cf = parse_cloudflare_status(r#"{"status":{"indicator":"critical"}}"#, 1.0).unwrap();
    assert_eq!(string_at(&cf, "state").as_deref(), Some("major_outage"));
    let trace = parse_trace("ip=203.0.113.5\nloc=RU\ncolo=ARN\nwarp=off\n").unwrap();
    assert_eq!(string_at(&trace, "loc").as_deref(), Some("RU"));
    assert!(!stringify(&trace).contains("203.0.113.5"));
    let input = js("{}");
    Reflect::set(&input, &"diagnosis".into(), &d).unwrap();
    Reflect::set(&input, &"cloudflare".into(), &cf).unwrap();
    Reflect::set(&input, &"trace".into(), &trace).unwrap();
    let v = verdict(input).unwrap();
    assert_eq!(string_at(&v, "party").as_deref(), Some("network"));
    assert!(stringify(&v).contains("verdict_ev_country_not_offered"));
    assert!(verdict(js("5")).is_err());
    // Garbage from storage is an empty memory, never a trap.
    for stored in ["null", "5", r#"[{"kind":"martian"}]"#, r#"{"a":1}"#] {
        assert_eq!(
            stringify(&fix_memory(js(stored)).unwrap()),
            "[]",
            "{stored}"
        );
    }
    let pending = fix_pending(d, JsValue::from_str("reload_now"), 1000.0).unwrap();
    let memory = fix_record_try(js("[]"), pending.clone()).unwrap();
    let memory = fix_record_healthy(memory, pending, 2000.0, false).unwrap();
    assert!(
        stringify(&memory).contains(r#""worked":1"#),
        "{}",
        stringify(&memory)
    );
    // Read row by row: a row an update cannot read goes alone.
    let mixed = r#"[{"kind":"server_error","code":"502","action":"reload_now","tried":2,"worked":1,"last_ms":0},
        {"kind":"server_error","code":"502","action":"renamed","tried":1,"worked":1,"last_ms":0}]"#;
    let kept = stringify(&fix_memory(js(mixed)).unwrap());
    assert!(
        kept.contains("reload_now") && !kept.contains("renamed"),
        "{kept}"
    );
}
