//! Generates the C header into `$OUT_DIR/aibperm.h` (never into the source tree) and gives
//! the Linux shared library the soname `libaibperm.so`.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let config_path = crate_dir.join("../../cbindgen.toml");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed={}", config_path.display());

    // The module loads the library by full path; a plain name lets it then bind by name.
    match env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("linux") => println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaibperm.so"),
        Ok("macos") => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libaibperm.dylib")
        }
        _ => {}
    }

    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("aibperm.h");
    if let Err(message) = generate(&crate_dir, &config_path, &out) {
        // The build goes on; tests/ffi_header.rs reports the missing or stale header.
        println!("cargo:warning=aibperm.h was not generated: {message}");
    }
}

fn generate(crate_dir: &Path, config_path: &Path, out: &Path) -> Result<(), String> {
    let mut config = cbindgen::Config::from_file(config_path)?;
    let version = |part: &str| env::var(format!("CARGO_PKG_VERSION_{part}")).unwrap_or_default();
    config.after_includes = Some(format!(
        "\n#define AIBPERM_VERSION \"{}\"\n#define AIBPERM_VERSION_MAJOR {}\n\
         #define AIBPERM_VERSION_MINOR {}\n#define AIBPERM_VERSION_PATCH {}",
        env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        version("MAJOR"),
        version("MINOR"),
        version("PATCH"),
    ));

    let bindings = cbindgen::Builder::new()
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .map_err(|e| e.to_string())?;
    bindings.write_to_file(out);
    Ok(())
}
