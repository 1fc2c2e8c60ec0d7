//! The READMEs' lists of `::part()` names are what partners style against:
//! every part the widget's markup exposes must be in them.

use std::fs;
use std::path::Path;

/// The values of every `part="…"` in the Rust sources under `dir`.
fn parts_in(dir: &Path, parts: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            parts_in(&path, parts);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = fs::read_to_string(&path).unwrap();
            for rest in source.split("part=\"").skip(1) {
                parts.push(rest[..rest.find('"').unwrap()].to_owned());
            }
        }
    }
}

#[test]
fn every_part_of_the_markup_is_in_the_readmes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut parts = Vec::new();
    parts_in(&root.join("src"), &mut parts);
    parts.sort();
    parts.dedup();
    assert!(parts.len() >= 12, "found the parts: {parts:?}");
    // The repository's README and the npm package's.
    for readme in ["README.md", "src/js/README.md"] {
        let text = fs::read_to_string(root.join(readme)).unwrap();
        let start = text
            .find("style regions with `::part()`")
            .expect("a ::part() list");
        let list = &text[start..start + text[start..].find("\n\n").unwrap_or(text.len() - start)];
        let missing: Vec<&String> = parts
            .iter()
            .filter(|part| !list.contains(&format!("`{part}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "parts missing from {readme}: {missing:?}"
        );
    }
}
