//! `towngov params`: the parameter table, generated from the validation code itself.

use towngov::scenario::param_specs;

pub fn print(markdown: bool) {
    let specs = param_specs();
    if markdown {
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
