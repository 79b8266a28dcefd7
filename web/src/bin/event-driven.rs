//! Entry point of the event-driven architecture page (`event-driven/index.html`):
//! the generic experiment page with this pattern's model and diagram, and no other.

use archsim_web::PatternUi;
use archsim_web::components::event_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::event_driven::PATTERN,
    diagram: event_diagram::draw,
    legend: event_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
