//! The embed is served from a versioned path, `embed/v{version}/` (written
//! by tests/tools/build-package.sh with the version of Cargo.toml): the demo
//! pages and the README must name this version's path.

use std::fs;
use std::path::Path;

#[test]
fn demo_pages_and_the_readme_name_this_versions_embed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected = format!("embed/v{}/", env!("CARGO_PKG_VERSION"));
    let mut files: Vec<_> = fs::read_dir(root.join("public"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "html" || e == "js"))
        .collect();
    files.push(root.join("README.md"));
    let mut named = 0;
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("embed/") {
            let rest = &text[at..];
            // Prose about the folder itself (`dist/embed/`) names no file.
            if rest.starts_with("embed/`") || rest.starts_with("embed/v{") {
                continue;
            }
            assert!(
                rest.starts_with(&expected),
                "{}: `{}` is not under {expected}",
                file.display(),
                &rest[..rest.len().min(40)]
            );
            named += 1;
        }
    }
    assert!(named >= 5, "the demo pages load the embed");
}
