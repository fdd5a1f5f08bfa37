//! The officials' console: server-rendered pages for people who do not program. No page needs
//! JavaScript (charts are SVG drawn here); `copy.js` only adds the copy buttons' clipboard
//! action. `layout` holds what every page shares, `chart` the SVG.

pub mod chart;
pub mod check;
pub mod layout;
pub mod narrative;
pub mod narratives;
