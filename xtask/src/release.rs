//! `cargo xtask release`: what is uploaded to the stores, in `dist/release/`: both store
//! zips, the source archive addons.mozilla.org asks for (the committed sources with a
//! `BUILDING.md` naming the OS, the exact tools and the one command), the listing's texts
//! with the name put in (`store/`), and `SHA256SUMS`. `--check` (also a step of `cargo xtask
//! test`): a clone of HEAD in another folder, with cargo's home at another path, builds
//! byte-identical zips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::{self, Flavour};
use crate::product;
use crate::tools::{self, run};

pub fn release(args: &[String]) -> Result<(), String> {
    let root = tools::project_root();
    if args.iter().any(|a| a == "--check") {
        return check_reproducible(&root);
    }
    if !is_clean(&root)? {
        return Err("uncommitted changes: the source archive is HEAD, so commit first".into());
    }
    let built = build::build()?;
    let version = build::version()?;
    let slug = product::slug_at(&root)?;
    let out = root.join("dist/release");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for zip in &built.zips {
        let to = out.join(zip.file_name().unwrap());
        fs::copy(zip, &to).map_err(|e| format!("{}: {e}", zip.display()))?;
        files.push(to);
    }
    files.push(source_archive(&root, &out, &slug, &version)?);
    write_listing(&root, &out.join("store"))?;
    let sums = sha256_lines(&out, &files)?;
    fs::write(out.join("SHA256SUMS"), &sums).map_err(|e| e.to_string())?;
    println!("\nRelease {version} in {}:\n{sums}", out.display());
    Ok(())
}

fn is_clean(root: &Path) -> Result<bool, String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .map_err(|e| format!("git status: {e}"))?;
    Ok(out.status.success() && out.stdout.is_empty())
}

fn output(cmd: &mut Command) -> String {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "(not found)".into())
}

/// `BUILDING.md` for the reviewer who rebuilds the module and the glue from the sources.
fn building_md(root: &Path, slug: &str, version: &str) -> Result<String, String> {
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_string())
            })
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let arch = std::env::consts::ARCH;
    let rustc = output(Command::new("rustc").current_dir(root).arg("--version"));
    let cargo = output(Command::new("cargo").current_dir(root).arg("--version"));
    let node = output(Command::new("node").arg("--version"));
    let npm = output(Command::new("npm").arg("--version"));
    let wasm_opt = output(Command::new(tools::node_bin("wasm-opt")).arg("--version"));
    let esbuild = output(Command::new(tools::node_bin("esbuild")).arg("--version"));
    let bindgen = tools::wasm_bindgen_version()?;
    Ok(format!(
        "# Building {slug} {version} from this source\n\n\
The store zips were built from exactly these files on:\n\n\
- OS: {os} ({arch})\n\
- Rust: {rustc}, {cargo} (pinned by `rust-toolchain.toml`, with the `wasm32-unknown-unknown` target; rustup installs both)\n\
- wasm-bindgen CLI: {bindgen} (the version in `Cargo.lock`; the build installs it with `cargo install`)\n\
- Node.js: {node}, npm: {npm}\n\
- binaryen's wasm-opt: {wasm_opt} (the npm package `binaryen`, pinned in `package-lock.json`; `npm ci` installs it)\n\
- esbuild: {esbuild} (the npm package, pinned in `package-lock.json`; `npm ci` installs it)\n\n\
## The one command\n\n\
With rustup (https://rustup.rs), Node.js 20 or newer and npm on PATH, in this folder:\n\n\
```sh\ncargo xtask build\n```\n\n\
It runs `npm ci`, installs the pinned toolchain and wasm-bindgen CLI if missing, builds the core \
(`cargo build --locked --release --target wasm32-unknown-unknown`), runs wasm-bindgen and wasm-opt, \
and writes `dist/{slug}-{version}-firefox.zip` and `dist/{slug}-{version}-chrome.zip`, \
byte-identical to the uploaded ones wherever this folder is: the build machine's paths are \
remapped out of the module (`--remap-path-prefix`, in `xtask/src/build.rs`).\n\n\
## What is machine-made\n\n\
- `core/error_doctor_bg.wasm`: the Rust in `src/`, compiled, then optimised by wasm-opt.\n\
- `core/error_doctor.js`: wasm-bindgen's glue for that module.\n\
- `generated/`: data and types written by `xtask/src/generate.rs` from the Rust core.\n\
- `background/index.js`: the files of `extension/background/` and what they import (`shared/`, \
`generated/`, `core/error_doctor.js`) as one ES module, by esbuild, not minified; each part \
begins with a comment naming its file.\n\n\
Everything else in the zips is copied unchanged from `extension/`, with `manifest.json` \
rendered from the root `manifest.json` (`xtask/src/manifest.rs`).\n"
    ))
}

/// `git archive` of HEAD with BUILDING.md added at its root.
fn source_archive(root: &Path, out: &Path, slug: &str, version: &str) -> Result<PathBuf, String> {
    let name = format!("{slug}-{version}-source");
    let archive = out.join(format!("{name}.zip"));
    let building = building_md(root, slug, version)?;
    fs::write(out.join("BUILDING.md"), &building).map_err(|e| e.to_string())?;
    run(Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=zip"])
        .arg(format!("--prefix={name}/"))
        .arg(format!("--add-file={}", out.join("BUILDING.md").display()))
        .arg("-o")
        .arg(&archive)
        .arg("HEAD"))?;
    Ok(archive)
}

/// `store/<locale>/*` and `store/*` with each locale's name in place of the token.
fn write_listing(root: &Path, out: &Path) -> Result<(), String> {
    let store = root.join("store");
    let Ok(entries) = fs::read_dir(&store) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let (locale, files): (&str, Vec<PathBuf>) = if path.is_dir() {
            let locale = path.file_name().unwrap().to_str().unwrap_or("en");
            let files = fs::read_dir(&path)
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            (locale, files)
        } else {
            ("en", vec![path.clone()])
        };
        let name = product::name_in(root, locale)?;
        for file in files {
            let rel = file.strip_prefix(&store).unwrap();
            let to = out.join(rel);
            fs::create_dir_all(to.parent().unwrap()).map_err(|e| e.to_string())?;
            let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let text = text
                .replace(product::NAME_TOKEN, &name)
                .replace(product::PRIVACY_URL_TOKEN, product::PRIVACY_URL);
            fs::write(&to, text).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// `sha256sum`'s lines for `files`, named relative to `dir`.
fn sha256_lines(dir: &Path, files: &[PathBuf]) -> Result<String, String> {
    let names: Vec<_> = files
        .iter()
        .map(|f| f.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    for (program, args) in [("sha256sum", &[][..]), ("shasum", &["-a", "256"][..])] {
        if let Ok(o) = Command::new(program)
            .current_dir(dir)
            .args(args)
            .args(&names)
            .output()
        {
            if o.status.success() {
                return Ok(String::from_utf8_lossy(&o.stdout).into_owned());
            }
        }
    }
    Err("neither sha256sum nor shasum ran".into())
}

/// Builds HEAD here and in a clone in another folder, and compares the store zips byte for
/// byte. The clone keeps its `target/` between runs (only the wasm is compiled there).
pub fn check_reproducible(root: &Path) -> Result<(), String> {
    if !is_clean(root)? {
        // The check compares HEAD's build in two folders; uncommitted work is not HEAD. A
        // developer's run between commits says so and goes on; CI's clone is always clean, so
        // there a dirty tree is a fault.
        let why = "uncommitted changes: the check builds HEAD in a clone and compares it with \
                   this folder's build, so commit first";
        if std::env::var_os("CI").is_some() {
            return Err(why.into());
        }
        println!("\nreproducible: skipped ({why})");
        return Ok(());
    }
    let head = output(
        Command::new("git")
            .current_dir(root)
            .args(["rev-parse", "HEAD"]),
    );
    let clone = std::env::temp_dir()
        .join(format!("{}-reproducible", product::slug_at(root)?))
        .join("another/folder/deeper");
    // The clone outlives this folder (a fresh CI clone, a developer's second checkout): its
    // `origin` may name a folder that is gone or never had this HEAD, and HEAD may be detached
    // on no branch. So HEAD is always fetched from this very folder, and a clone that cannot
    // take it is made anew.
    let fetch_head = |clone: &Path| {
        run(Command::new("git")
            .current_dir(clone)
            .args(["fetch", "--quiet", "--no-tags"])
            .arg(root)
            .arg("HEAD"))
        .and_then(|()| {
            run(Command::new("git")
                .current_dir(clone)
                .args(["checkout", "--quiet", "--force", &head]))
        })
    };
    if !clone.join(".git").is_dir() || fetch_head(&clone).is_err() {
        let _ = fs::remove_dir_all(&clone);
        fs::create_dir_all(&clone).map_err(|e| e.to_string())?;
        run(Command::new("git")
            .args(["clone", "--quiet", "--no-checkout"])
            .arg(root)
            .arg(&clone))?;
        fetch_head(&clone)?;
    }
    run(Command::new("git")
        .current_dir(&clone)
        .args(["clean", "-fdxq", "-e", "/target/"]))?;
    let here = build::build()?;
    let there = build::build_at(&clone, Flavour::Store, &other_cargo_home(&clone)?)?;
    compare(&here.zips, &there.zips)?;
    println!(
        "\nreproducible: {} and {} build byte-identical zips of {head}",
        root.display(),
        clone.display()
    );
    Ok(())
}

/// A cargo home at another path that shares the usual one's registry and configuration (by
/// links, so nothing is downloaded again): the registry's sources then sit under another
/// path, as on a reviewer's machine, and must leave no trace in the module.
fn other_cargo_home(clone: &Path) -> Result<build::CargoHome, String> {
    let usual = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let other = clone
        .parent()
        .unwrap_or(clone)
        .join("a-cargo-home-elsewhere");
    fs::create_dir_all(&other).map_err(|e| e.to_string())?;
    for name in [
        "registry",
        "git",
        "config.toml",
        "config",
        "credentials.toml",
    ] {
        let (from, to) = (usual.join(name), other.join(name));
        if from.exists() && fs::symlink_metadata(&to).is_err() {
            link(&from, &to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
    }
    Ok(build::CargoHome::At(other))
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(from, to)
}

#[cfg(not(unix))]
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::os::windows::fs::symlink_dir(from, to)
    } else {
        std::os::windows::fs::symlink_file(from, to)
    }
}

fn compare(here: &[PathBuf], there: &[PathBuf]) -> Result<(), String> {
    if here.len() != there.len() || here.is_empty() {
        return Err(format!("{} zips here, {} there", here.len(), there.len()));
    }
    for (a, b) in here.iter().zip(there) {
        let (x, y) = (
            fs::read(a).map_err(|e| e.to_string())?,
            fs::read(b).map_err(|e| e.to_string())?,
        );
        if x != y {
            return Err(format!(
                "{} and {} differ ({} and {} bytes): the build depends on its folder",
                a.display(),
                b.display(),
                x.len(),
                y.len()
            ));
        }
    }
    Ok(())
}
