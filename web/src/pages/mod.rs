//! One module per route.

pub(crate) mod experiment;
pub(crate) mod forward;
pub(crate) mod home;
pub(crate) mod map_editor;
pub(crate) mod not_found;
pub(crate) mod pattern_index;
pub(crate) mod speed;
