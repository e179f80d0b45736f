//! Makes sure the tools the build and the tests need are there, installing what is missing
//! on a fresh Debian machine: the wasm32 target, wasm-bindgen-cli at the exact version of
//! the `wasm-bindgen` crate, the npm packages, and Chromium, chromedriver and Firefox ESR.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The browsers the tests drive, by path, and the Debian package that installs each.
// The last three: the languages the e2e tests start the browsers in (tests/e2e/locale.test.mjs).
const BROWSERS: [(&str, &str); 6] = [
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    ("/usr/bin/firefox-esr", "firefox-esr"),
    ("/usr/lib/chromium/locales/de.pak", "chromium-l10n"),
    (
        "/usr/lib/firefox-esr/browser/extensions/langpack-de@firefox-esr.mozilla.org.xpi",
        "firefox-esr-l10n-de",
    ),
    (
        "/usr/lib/firefox-esr/browser/extensions/langpack-ja@firefox-esr.mozilla.org.xpi",
        "firefox-esr-l10n-ja",
    ),
];

/// Prints the command, runs it with the terminal attached, and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let line = describe(cmd);
    eprintln!("$ {line}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// The command as one could paste it: explicitly set variables first, then the arguments.
fn describe(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    parts.push(cmd.get_program().to_string_lossy().into_owned());
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    let line = parts.join(" ");
    match cmd.get_current_dir() {
        Some(dir) => format!("{line}  (in {})", dir.display()),
        None => line,
    }
}

/// Runs a command quietly and returns its standard output, or `None` if it cannot be
/// started or fails: used to ask tools whether they are there and which version they are.
fn output_of(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the project")
        .to_path_buf()
}

/// The cargo that started us (`cargo xtask` sets `CARGO`), so that a toolchain chosen with
/// `cargo +stable` or `rust-toolchain.toml` is the one that installs and builds.
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).ok_or(
        "`rustup target list --installed` failed; targets are added with rustup \
         (https://rustup.rs), is it installed and on PATH?",
    )?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The `wasm-bindgen` crate's version in Cargo.lock. The CLI must be exactly this version:
/// the crate embeds a schema version and the CLI refuses any other.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let path = project_root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    lock.split("[[package]]")
        .find(|block| {
            block
                .lines()
                .any(|l| l.trim() == r#"name = "wasm-bindgen""#)
        })
        .and_then(|block| {
            block.lines().find_map(|l| {
                let value = l.trim().strip_prefix("version = ")?;
                Some(value.trim_matches('"').to_string())
            })
        })
        .ok_or_else(|| format!("no wasm-bindgen package in {}", path.display()))
}

fn cargo_bin_dir() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    Some(home.join("bin"))
}

/// `name` in cargo's bin directory (where `cargo install` puts it, even when that is not on
/// PATH yet), else on PATH.
fn find_tool(name: &str) -> Option<PathBuf> {
    let path_dirs = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    cargo_bin_dir()
        .into_iter()
        .chain(path_dirs)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The version a wasm-bindgen tool reports (`wasm-bindgen 0.2.130`).
fn tool_version(path: &Path) -> Option<String> {
    let out = output_of(path, &["--version"])?;
    out.split_whitespace().nth(1).map(str::to_string)
}

/// `wasm-bindgen`, if it is there at `want` with its test runner beside it at the same
/// version; otherwise why not.
fn wasm_bindgen_at(want: &str) -> Result<PathBuf, String> {
    let bindgen = find_tool("wasm-bindgen").ok_or("wasm-bindgen is not installed")?;
    let runner = bindgen.with_file_name("wasm-bindgen-test-runner");
    for tool in [&bindgen, &runner] {
        match tool_version(tool) {
            Some(v) if v == want => {}
            Some(v) => return Err(format!("{} is {v}, need {want}", tool.display())),
            None => return Err(format!("{} is missing or does not run", tool.display())),
        }
    }
    Ok(bindgen)
}

pub fn ensure_wasm_bindgen_cli() -> Result<PathBuf, String> {
    let want = wasm_bindgen_version()?;
    match wasm_bindgen_at(&want) {
        Ok(path) => return Ok(path),
        Err(why) => eprintln!("{why}: installing wasm-bindgen-cli {want}"),
    }
    // `--locked`: the CLI's own Cargo.lock, as its release was tested. `--force`: without it
    // cargo refuses to replace binaries it did not install, and does nothing when the package
    // is recorded as installed but one of its binaries is gone.
    let install = |locked: bool| {
        let mut c = cargo();
        c.args(["install", "--force"]);
        if locked {
            c.arg("--locked");
        }
        c.args(["wasm-bindgen-cli", "--version", &format!("={want}")]);
        run(&mut c)
    };
    if let Err(why) = install(true) {
        // A registry mirror may lack a version pinned in the CLI's lock file (seen: an
        // offline mirror without webpki-roots 0.26.x); `=` still fixes the one version that
        // decides the glue's bytes.
        eprintln!("{why}\ninstalling wasm-bindgen-cli {want} again without --locked");
        install(false)?;
    }
    wasm_bindgen_at(&want).map_err(|why| {
        format!(
            "after installing wasm-bindgen-cli {want}: {why} \
             (an older copy earlier on PATH than {}?)",
            cargo_bin_dir().unwrap_or_default().display()
        )
    })
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

/// `apt-get update` is slow; one per run is enough however many installs follow.
static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// Installs Debian packages when we are root (CI containers); otherwise says the command.
fn apt_install(packages: &[&str], why: &str) -> Result<(), String> {
    if !is_root() {
        return Err(format!(
            "{why}; install with: sudo apt-get install -y --no-install-recommends {}",
            packages.join(" ")
        ));
    }
    eprintln!("{why}: installing {}", packages.join(" "));
    let apt = || {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        run(apt().arg("update"))?;
    }
    run(apt()
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages))
}

pub fn ensure_npm_packages() -> Result<(), String> {
    let missing: Vec<&str> = [("node", "nodejs"), ("npm", "npm")]
        .into_iter()
        .filter(|(tool, _)| output_of(tool, &["--version"]).is_none())
        .map(|(_, package)| package)
        .collect();
    if !missing.is_empty() {
        apt_install(&missing, "node or npm is missing")?;
    }
    // web-ext 10 needs node 20; Debian 12's own nodejs is 18, where npm only warns.
    let node = output_of("node", &["--version"]).unwrap_or_default();
    let major: u32 = node
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        eprintln!("warning: node {node} is older than 20, which web-ext needs");
    }

    let root = project_root();
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&root.join("package-lock.json"));
    let installed = modified(&root.join("node_modules/.package-lock.json"));
    // npm rewrites node_modules/.package-lock.json on every install, so it is older than
    // package-lock.json exactly when the lock changed since.
    let up_to_date = matches!((installed, lock), (Some(i), Some(l)) if i >= l);
    if up_to_date {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}

pub fn ensure_browsers() -> Result<(), String> {
    let missing: Vec<&str> = BROWSERS
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(
        &missing,
        "the tests need Chromium, chromedriver and Firefox ESR, with German and Japanese",
    )
}

/// A font with the Chinese, Japanese and Korean characters, for pictures of the popup in those
/// languages (without one, the browser draws empty boxes).
pub fn ensure_cjk_font() -> Result<(), String> {
    if Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists() {
        return Ok(());
    }
    apt_install(
        &["fonts-noto-cjk"],
        "the pictures in Chinese, Japanese or Korean need a font for them",
    )
}

pub fn node_bin(name: &str) -> PathBuf {
    project_root().join("node_modules/.bin").join(name)
}
