//! The committed header `include/aibperm.h` is what cbindgen generates now, and its version
//! macros match Cargo.toml. `AIBPERM_BLESS_HEADER=1` rewrites the committed copy instead.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../include/aibperm.h")
}

fn generated() -> String {
    let path = PathBuf::from(env!("OUT_DIR")).join("aibperm.h");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the build script did not generate {} ({e}); see its cargo:warning",
            path.display()
        )
    })
}

fn committed() -> String {
    let path = committed_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn committed_header_matches_the_generated_one() {
    let fresh = generated();
    if std::env::var("AIBPERM_BLESS_HEADER").as_deref() == Ok("1") {
        // Written beside and renamed, so the other tests of this file, running in parallel,
        // never read a half-written header.
        let staged = committed_path().with_extension("h.tmp");
        std::fs::write(&staged, &fresh).expect("include/ is writable");
        std::fs::rename(&staged, committed_path()).expect("include/aibperm.h is replaceable");
        return;
    }
    assert!(
        committed() == fresh,
        "include/aibperm.h is stale; regenerate it with \
         AIBPERM_BLESS_HEADER=1 cargo test --release -p aibperm --test ffi_header"
    );
}

#[test]
fn version_macros_match_the_package_version() {
    let header = committed();
    let expected = [
        (
            "AIBPERM_VERSION",
            format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        ),
        (
            "AIBPERM_VERSION_MAJOR",
            env!("CARGO_PKG_VERSION_MAJOR").to_owned(),
        ),
        (
            "AIBPERM_VERSION_MINOR",
            env!("CARGO_PKG_VERSION_MINOR").to_owned(),
        ),
        (
            "AIBPERM_VERSION_PATCH",
            env!("CARGO_PKG_VERSION_PATCH").to_owned(),
        ),
    ];
    for (name, value) in expected {
        let line = format!("#define {name} {value}\n");
        assert!(
            header.contains(&line),
            "the header lacks `{}`",
            line.trim_end()
        );
    }
}

#[test]
fn header_declares_every_export_status_and_handle() {
    let header = committed();
    assert!(
        header.contains("#ifndef AIBPERM_H\n#define AIBPERM_H"),
        "include guard"
    );
    for handle in ["aibperm_client", "aibperm_operation", "aibperm_error"] {
        let opaque = format!("typedef struct {handle} {handle};");
        assert!(header.contains(&opaque), "opaque handle {handle}");
    }
    for status in aibperm::ffi::aibperm_status::ALL {
        let line = format!("AIBPERM_STATUS_{} = {},", status.name(), status as u32);
        assert!(header.contains(&line), "status line `{line}`");
    }
    let exports = [
        "aibperm_version",
        "aibperm_buffer_free",
        "aibperm_error_status",
        "aibperm_error_json",
        "aibperm_error_free",
        "aibperm_role_generate",
        "aibperm_role_file_parse",
        "aibperm_role_file_render",
        "aibperm_scope_parse",
        "aibperm_client_new",
        "aibperm_client_free",
        "aibperm_client_take_log",
        "aibperm_operation_start",
        "aibperm_operation_wait",
        "aibperm_operation_progress",
        "aibperm_operation_cancel",
        "aibperm_operation_result",
        "aibperm_operation_free",
    ];
    for export in exports {
        assert!(
            header.contains(&format!("{export}(")),
            "declaration of {export}"
        );
    }
}
