//! Reusable pieces of the pages, and each pattern's diagram (public, for its
//! entry point to register).

pub mod balancer_diagram;
pub mod cache_diagram;
pub(crate) mod chart;
pub(crate) mod controls;
pub(crate) mod copy_link;
pub mod cqrs_diagram;
pub mod delivery_diagram;
pub mod diagram;
pub mod event_diagram;
pub mod microservices_diagram;
pub(crate) mod mindmap;
pub mod shard_diagram;
pub(crate) mod sweep_chart;
pub(crate) mod sweep_panel;
