//! Reports: the printed comparison table, the plain-words summary and the self-contained HTML
//! report with SVG plots. Pure functions from results to text; the caller writes the files.
