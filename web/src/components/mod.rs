//! Reusable pieces of the experiment pages.

pub(crate) mod balancer_diagram;
pub(crate) mod cache_diagram;
pub(crate) mod chart;
pub(crate) mod controls;
pub(crate) mod diagram;
pub(crate) mod mindmap;
pub(crate) mod shard_diagram;
