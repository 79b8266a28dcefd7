//! Reusable pieces of the experiment pages.

// Drawn by the experiment page once it dispatches on the pattern's view.
#[allow(dead_code)]
pub(crate) mod cache_diagram;
pub(crate) mod chart;
pub(crate) mod controls;
pub(crate) mod diagram;
