//! Entry point of the microservices page (`microservices/index.html`): the
//! generic experiment page with this pattern's model and diagram, and no
//! other.

use archsim_web::PatternUi;
use archsim_web::components::microservices_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::microservices::PATTERN,
    diagram: microservices_diagram::draw,
    legend: microservices_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
