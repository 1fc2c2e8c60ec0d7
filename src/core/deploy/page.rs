//! Writing the policy and the block into the page, in place of those it
//! already has.

use super::tags::{next_tag, past_end_tag};
use super::{DeployError, CONFIG_BLOCK_ID};

/// The whitespace that indents the line `at` is on.
fn indent_at(html: &str, at: usize) -> &str {
    let line_start = html[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &html[line_start..at];
    if indent.bytes().all(|b| b == b' ' || b == b'\t') {
        indent
    } else {
        ""
    }
}

/// `start` moved back over the whitespace before it, through its line
/// break, when only whitespace precedes it on its line.
fn with_leading_line(html: &str, start: usize) -> usize {
    let before = &html[..start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix('\n') {
        Some(rest) => rest.strip_suffix('\r').unwrap_or(rest).len(),
        None => start,
    }
}

/// Writes the policy `meta` and the configuration `block` into the page,
/// replacing those it has (and dropping any extra copies).
pub(super) fn write_into(html: &str, meta: &str, block: &str) -> Result<String, DeployError> {
    let mut policies = Vec::new();
    let mut blocks = Vec::new();
    let mut charset = None;
    let mut head = None;
    let mut from = 0;
    while let Some(tag) = next_tag(html, from) {
        from = tag.end;
        match tag.name.as_str() {
            "script" | "style" | "template" | "textarea" | "title" => {
                // Raw text: nothing in it is a tag.
                let end = past_end_tag(html, &tag.name, tag.end);
                if tag.name == "script" && tag.attribute("id") == Some(CONFIG_BLOCK_ID) {
                    blocks.push(tag.start..end);
                }
                from = end;
            }
            "meta"
                if tag
                    .attribute("http-equiv")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy")) =>
            {
                policies.push(tag.start..tag.end);
            }
            "meta" if charset.is_none() && tag.attribute("charset").is_some() => {
                charset = Some(tag.start..tag.end)
            }
            "head" if head.is_none() => head = Some(tag.start..tag.end),
            _ => {}
        }
    }
    // Edits as (range, text), applied from the end.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let extra = |ranges: &[std::ops::Range<usize>],
                 edits: &mut Vec<(std::ops::Range<usize>, String)>| {
        for range in ranges.iter().skip(1) {
            edits.push((
                with_leading_line(html, range.start)..range.end,
                String::new(),
            ));
        }
    };
    extra(&policies, &mut edits);
    extra(&blocks, &mut edits);
    match (policies.first(), blocks.first()) {
        (Some(policy), Some(existing)) => {
            edits.push((policy.clone(), meta.to_owned()));
            edits.push((existing.clone(), block.to_owned()));
        }
        (Some(policy), None) => {
            let indent = indent_at(html, policy.start);
            edits.push((policy.clone(), format!("{meta}\n{indent}{block}")));
        }
        (None, existing) => {
            let (at, indent) = match (&charset, &head) {
                (Some(charset), _) => (charset.end, indent_at(html, charset.start).to_owned()),
                (None, Some(head)) => (head.end, format!("{}  ", indent_at(html, head.start))),
                (None, None) => return Err(DeployError::NoHead),
            };
            match existing {
                Some(existing) => {
                    edits.push((at..at, format!("\n{indent}{meta}")));
                    edits.push((existing.clone(), block.to_owned()));
                }
                None => edits.push((at..at, format!("\n{indent}{meta}\n{indent}{block}"))),
            }
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut page = html.to_owned();
    for (range, text) in edits {
        page.replace_range(range, &text);
    }
    Ok(page)
}
