//! Embeds the message catalogue: every `locales/<language>/*.ftl` file is
//! compiled into the binary (no files to ship, nothing read at run time),
//! listed in `$OUT_DIR/locales.rs` for `src/i18n.rs`.

// A build script fails the build loudly; there is no caller to hand errors to.
#![allow(clippy::expect_used)]

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time: a build script binary is shared by checkouts with
    // the same target directory, and must list this checkout's files.
    let Ok(manifest_dir) = std::env::var("CARGO_MANIFEST_DIR") else {
        panic!("cargo sets CARGO_MANIFEST_DIR for build scripts");
    };
    let root = Path::new(&manifest_dir).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let languages = std::fs::read_dir(&root).expect("web/locales exists");
    for lang in languages.flatten() {
        let lang_path = lang.path();
        if !lang_path.is_dir() {
            continue;
        }
        // A new file changes its language directory, not `locales`: watch
        // each directory and each file, so adding a file rebuilds.
        println!("cargo:rerun-if-changed={}", lang_path.display());
        let code = lang.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&lang_path)
            .expect("a language directory")
            .flatten()
        {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "ftl") {
                println!("cargo:rerun-if-changed={}", path.display());
                let name = file.file_name().to_string_lossy().into_owned();
                files.push((code.clone(), name, path));
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// (language, file name, contents) of every catalogue file, sorted.\n\
         pub const FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (code, name, path) in &files {
        let _ = writeln!(
            out,
            "    ({code:?}, {name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("write locales.rs");
}
