//! `cargo xtask build`: the core to WebAssembly, the extension per browser, the store zips.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::generate;
use crate::manifest::{self, Browser};
use crate::product;
use crate::tools::{self, run};

const CRATE: &str = "error_doctor";
/// The features Rust's wasm32 target emits by default; wasm-opt must accept them all.
const WASM_FEATURES: &[&str] = &[
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Which build: the one people install, or the one the tests drive (which may read OpenAI's
/// status from the tests' own loopback server, and nothing else differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `dist/<browser>` and the store zips.
    Store,
    /// `dist/test/<browser>`, the core built with `--features test-hooks`; no zips.
    Test,
}

pub struct Built {
    pub dirs: Vec<(Browser, PathBuf)>,
    pub zips: Vec<PathBuf>,
    pub wasm: PathBuf,
}

pub fn version() -> Result<String, String> {
    version_at(&tools::project_root())
}

/// The one version of the product: `[package] version` in `root`'s Cargo.toml (the
/// manifest and package.json take it from there; a test checks package.json).
pub fn version_at(root: &Path) -> Result<String, String> {
    let text = fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    text.lines()
        .skip_while(|l| l.trim() != "[package]")
        .find_map(|l| {
            let rest = l
                .trim()
                .strip_prefix("version")?
                .trim_start()
                .strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| "no [package] version in Cargo.toml".into())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if entry.file_name().to_string_lossy().ends_with(".d.ts") {
            // Declarations are for the type check of the glue, not for the browser.
        } else if from.ends_with("_locales") && entry.path().is_file() {
            // The translators' glossary (GLOSSARY.md, glossary.json) is for people and
            // tests/glossary.rs; the browsers read only the locale folders.
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

fn build_core(root: &Path, flavour: Flavour, home: &CargoHome) -> Result<PathBuf, String> {
    tools::ensure_wasm_target()?;
    let wasm_bindgen = tools::ensure_wasm_bindgen_cli()?;
    tools::ensure_npm_packages()?;
    let features: &[&str] = match flavour {
        Flavour::Store => &[],
        Flavour::Test => &["--features", "test-hooks"],
    };
    let mut cargo = tools::cargo();
    if let CargoHome::At(path) = home {
        cargo.env("CARGO_HOME", path);
    }
    run(cargo
        .current_dir(root)
        .args(remapped_paths(root, home)?)
        .args([
            "build",
            "--locked",
            "--release",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "error-doctor",
        ])
        .args(features))?;
    let raw = root.join(format!(
        "target/wasm32-unknown-unknown/release/{CRATE}.wasm"
    ));
    let suffix = match flavour {
        Flavour::Store => "",
        Flavour::Test => "-test",
    };
    let out = root.join(format!("target/bindgen{suffix}"));
    // One glue, an ES module, for the background and the extension's pages: the module
    // never runs in a tab (the content script only reads the page; the background names it).
    let _ = fs::remove_dir_all(&out);
    run(Command::new(&wasm_bindgen)
        .args(["--target", "web", "--out-dir"])
        .arg(&out)
        .arg(&raw))?;
    // The module's declarations, where the glue's type check finds them next to the import
    // `../core/error_doctor.js` (not committed; never copied into a build).
    let declarations = root.join("extension/core");
    fs::create_dir_all(&declarations).map_err(|e| e.to_string())?;
    fs::copy(
        out.join(format!("{CRATE}.d.ts")),
        declarations.join(format!("{CRATE}.d.ts")),
    )
    .map_err(|e| format!("{CRATE}.d.ts: {e}"))?;
    let wasm = out.join(format!("{CRATE}_bg.wasm"));
    run(Command::new(tools::node_bin("wasm-opt"))
        // Run -Oz until it stops shrinking the module (a second round still finds some).
        .args(["-Oz", "--converge"])
        // Lets wasm-opt fold a constant added to an address into the load's offset. Rust
        // never addresses the lowest KiB through a wrapped pointer (it is the far end of the
        // stack, which sits below the data), which is all the option assumes.
        .arg("--low-memory-unused")
        .args(WASM_FEATURES)
        // Names, the producers and the target features are read by no browser.
        .args([
            "--strip-debug",
            "--strip-producers",
            "--strip-target-features",
            "-o",
        ])
        .arg(&wasm)
        .arg(&wasm))?;
    Ok(out)
}

/// `--config` arguments that rewrite the build machine's paths in the module (panic
/// locations of js-sys, serde and others name their source files): cargo's home (the
/// registry's sources), the project, and the toolchain each become a fixed name, so a build
/// in another folder or on another machine gives the same bytes. For the wasm32 target only;
/// cargo appends these to `.cargo/config.toml`'s flags for it.
fn remapped_paths(root: &Path, home: &CargoHome) -> Result<Vec<String>, String> {
    let cargo_home = match home {
        CargoHome::At(path) => path.clone(),
        CargoHome::Usual => env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?,
    };
    let sysroot = Command::new(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .current_dir(root)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc --print sysroot: {e}"))?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let root = root.canonicalize().map_err(|e| e.to_string())?;
    // When several prefixes match, rustc applies the last one given: the longest last.
    let mut pairs = [
        (sysroot, "/rust-toolchain".to_string()),
        (cargo_home.display().to_string(), "/cargo".into()),
        (root.display().to_string(), "/project".into()),
    ];
    pairs.sort_by_key(|(from, _)| from.len());
    let flags: Vec<String> = pairs
        .iter()
        .filter(|(from, _)| !from.is_empty())
        .map(|(from, to)| format!("{:?}", format!("--remap-path-prefix={from}={to}")))
        .collect();
    Ok(vec![
        "--config".into(),
        format!(
            "target.wasm32-unknown-unknown.rustflags=[{}]",
            flags.join(", ")
        ),
    ])
}

fn zip_dir(dir: &Path, zip_path: &Path) -> Result<(), String> {
    use std::io::Write;
    let file = fs::File::create(zip_path).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    // Sorted, so the same sources give the same zip.
    files.sort();
    for path in files {
        let name = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&fs::read(&path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// The store build: what `cargo xtask build` makes.
pub fn build() -> Result<Built, String> {
    build_flavour(Flavour::Store)
}

pub fn build_flavour(flavour: Flavour) -> Result<Built, String> {
    build_at(&tools::project_root(), flavour, &CargoHome::Usual)
}

/// Where cargo keeps the registry's sources for a build: the usual place, or another (the
/// reproducibility check builds its clone with another, as a reviewer's machine would).
pub enum CargoHome {
    Usual,
    At(PathBuf),
}

/// The build of the sources at `root` (the project, or a clone of it: `release`'s check).
pub fn build_at(root: &Path, flavour: Flavour, home: &CargoHome) -> Result<Built, String> {
    let root = root.to_path_buf();
    let version = version_at(&root)?;
    let core = build_core(&root, flavour, home)?;
    let template = fs::read_to_string(root.join("manifest.json")).map_err(|e| e.to_string())?;
    let dist = match flavour {
        Flavour::Store => root.join("dist"),
        Flavour::Test => root.join("dist/test"),
    };
    generate::write(&root)?;
    let mut built = Built {
        dirs: Vec::new(),
        zips: Vec::new(),
        wasm: core.join(format!("{CRATE}_bg.wasm")),
    };
    for browser in Browser::ALL {
        let dir = dist.join(browser.name());
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&root.join("extension"), &dir)?;
        fs::create_dir_all(dir.join("core")).map_err(|e| e.to_string())?;
        for file in [format!("{CRATE}.js"), format!("{CRATE}_bg.wasm")] {
            fs::copy(core.join(&file), dir.join("core").join(&file))
                .map_err(|e| format!("{file}: {e}"))?;
        }
        bundle_background(&dir)?;
        let mut rendered = manifest::render(&template, browser, &version)?;
        if flavour == Flavour::Test {
            rendered = with_content_clock(&rendered, &root, &dir)?;
        }
        fs::write(dir.join("manifest.json"), rendered).map_err(|e| e.to_string())?;
        if flavour == Flavour::Store {
            let zip = dist.join(format!(
                "{}-{version}-{}.zip",
                product::slug_at(&root)?,
                browser.name()
            ));
            zip_dir(&dir, &zip)?;
            built.zips.push(zip);
        }
        built.dirs.push((browser, dir));
    }
    Ok(built)
}

/// Makes the background one file. A service worker woken by an event runs nothing until its
/// whole graph of modules is loaded, one request per module: with the sources' twenty files
/// that took 50-100 ms of a cold start (measured, `cargo xtask bench`, "worker cold"), after
/// which the first badge came later than the page's load event. The bundle is the same code
/// in the same order, not minified (a store reviewer reads it); esbuild names each part by
/// its path relative to the build's folder, so no path of the build machine ends up in it.
fn bundle_background(dir: &Path) -> Result<(), String> {
    let background = dir.join("background");
    run(Command::new(tools::node_bin("esbuild"))
        .current_dir(dir)
        .args([
            "background/index.js",
            "--bundle",
            "--format=esm",
            "--charset=utf8",
            "--log-level=warning",
            "--allow-overwrite",
            "--outfile=background/index.js",
        ]))?;
    // What the bundle took in from background/ is not needed a second time (the pages import
    // only from shared/, which stays).
    for entry in fs::read_dir(&background).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.file_name().is_some_and(|n| n != "index.js") {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The tests' build times the content script's own synchronous work at load, in any
/// browser: `xtask/bench/in-extension/clock-start.js` first and `clock-stop.js` last in each
/// group of content scripts (the store build has neither).
fn with_content_clock(manifest: &str, root: &Path, dir: &Path) -> Result<String, String> {
    const START: &str = "bench/clock-start.js";
    const STOP: &str = "bench/clock-stop.js";
    fs::create_dir_all(dir.join("bench")).map_err(|e| e.to_string())?;
    for file in [START, STOP] {
        let name = file.trim_start_matches("bench/");
        fs::copy(
            root.join("xtask/bench/in-extension").join(name),
            dir.join(file),
        )
        .map_err(|e| format!("{name}: {e}"))?;
    }
    let mut m: serde_json::Value = serde_json::from_str(manifest).map_err(|e| e.to_string())?;
    for group in m["content_scripts"].as_array_mut().into_iter().flatten() {
        let Some(js) = group["js"].as_array_mut() else {
            continue;
        };
        js.insert(0, START.into());
        js.push(STOP.into());
    }
    serde_json::to_string_pretty(&m).map_err(|e| e.to_string())
}

pub fn print_where(built: &Built) {
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!();
    println!(
        "Built the extension (core: {} bytes of WebAssembly).",
        size(&built.wasm)
    );
    for (browser, dir) in &built.dirs {
        let how = match browser {
            Browser::Chrome => "chrome://extensions → turn on Developer mode → Load unpacked → pick this folder",
            Browser::Firefox => "about:debugging#/runtime/this-firefox → Load Temporary Add-on… → pick manifest.json in this folder",
        };
        println!("  {:8} {}\n           {how}", browser.name(), dir.display());
    }
    for zip in &built.zips {
        println!("  store zip {} ({} bytes)", zip.display(), size(zip));
    }
}
