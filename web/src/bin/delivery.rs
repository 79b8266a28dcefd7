//! Entry point of the microservices delivery page (`delivery/index.html`):
//! the generic experiment page with this pattern's model and diagram, and
//! no other.

use archsim_web::PatternUi;
use archsim_web::components::delivery_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::delivery::PATTERN,
    diagram: delivery_diagram::draw,
    legend: delivery_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
