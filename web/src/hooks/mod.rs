//! Hooks shared by the pages.

pub(crate) mod animation_frame;
pub(crate) mod inline_style;
