//! `towngov params`: the parameter table, generated from the validation code itself.

use towngov::scenario::param_specs;

pub fn print(markdown: bool, json: bool) {
    let specs = param_specs();
    if json {
        // The typed registry: path, unit, range as printed, default, meaning, source and the
        // domain (`{"kind": "real", "low": 0, "high": 1}`, `{"kind": "choice", "variants": [..]}`).
        match serde_json::to_string_pretty(&specs) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("towngov: cannot print the registry: {e}"),
        }
    } else if markdown {
        println!("| parameter | unit | range | default | meaning | source |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for s in specs {
            println!(
                "| `{}` | {} | {} | {} | {} | {} |",
                s.path, s.unit, s.range, s.default, s.doc, s.source
            );
        }
    } else {
        for s in specs {
            println!(
                "{}  [{}]  range {}  default {}\n    {}\n    source: {}",
                s.path, s.unit, s.range, s.default, s.doc, s.source
            );
        }
    }
}
