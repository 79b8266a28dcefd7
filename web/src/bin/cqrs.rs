//! Entry point of the CQRS page (`cqrs/index.html`): the generic experiment
//! page with this pattern's model and diagram, and no other.

use archsim_web::PatternUi;
use archsim_web::components::cqrs_diagram;

static PAGE: PatternUi = PatternUi {
    pattern: &archsim_patterns::cqrs::PATTERN,
    diagram: cqrs_diagram::draw,
    legend: cqrs_diagram::legend,
};

fn main() {
    archsim_web::start_patterns(vec![&PAGE]);
}
